package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"concord"
	"concord/internal/auth"
)

// passkeyRoutes are the API twins of the passkeys page and of signing in
// with a passkey. A ceremony is two calls: .../options returns the options
// to give navigator.credentials.create or .get (or any WebAuthn client)
// and a sealed state; the second call sends the state back with the
// client's answer.
func (a *API) passkeyRoutes() []Route {
	return []Route{
		{"GET", "/me/passkeys", concord.ActAccount, nil, "/me/passkeys", a.myPasskeys},
		{"POST", "/me/passkeys/options", concord.ActAccount, nil, "/me/passkeys/options", a.passkeyRegisterOptions},
		{"POST", "/me/passkeys", concord.ActAccount, nil, "/me/passkeys", a.addPasskey},
		{"DELETE", "/me/passkeys/{id}", concord.ActAccount, nil, "/me/passkeys/1", a.removePasskey},
		{"POST", "/login/passkey/options", concord.ActRead, nil, "/login/passkey/options", a.passkeyLoginOptions},
		{"POST", "/login/passkey", concord.ActRead, nil, "/login/passkey", a.passkeySession},
	}
}

// PasskeyJSON is one of the account's passkeys.
type PasskeyJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Created  string `json:"created_at"`
	LastUsed string `json:"last_used_at,omitempty"`
}

// CeremonyJSON starts a passkey ceremony: Options for the WebAuthn client
// ({"publicKey": ...}, binary fields in base64url) as JSON text, since its
// member names are WebAuthn's (camelCase), not the API's; State to send
// back.
type CeremonyJSON struct {
	State   string `json:"state"`
	Options string `json:"options"`
}

// AddPasskeyRequest finishes adding a passkey: its name, the ceremony's
// state and the client's PublicKeyCredential (as JSON, binary fields in
// base64url).
type AddPasskeyRequest struct {
	Name       string          `json:"name"`
	State      string          `json:"state"`
	Credential json.RawMessage `json:"credential"`
}

// PasskeySessionRequest signs in with a passkey: the ceremony's state and
// the client's assertion.
type PasskeySessionRequest struct {
	State      string          `json:"state"`
	Credential json.RawMessage `json:"credential"`
}

func passkeyJSON(id int64, name string, created time.Time, used *time.Time) PasskeyJSON {
	p := PasskeyJSON{ID: id, Name: name, Created: created.UTC().Format(time.RFC3339)}
	if used != nil {
		p.LastUsed = used.UTC().Format(time.RFC3339)
	}
	return p
}

func (a *API) myPasskeys(r *http.Request) (int, any, error) {
	keys, err := a.DB.Passkeys(r.Context(), auth.UserFrom(r.Context()).ID)
	if err != nil {
		return 0, nil, err
	}
	out := make([]PasskeyJSON, 0, len(keys))
	for _, k := range keys {
		out = append(out, passkeyJSON(k.ID, k.Name, k.CreatedAt, k.LastUsed))
	}
	return http.StatusOK, out, nil
}

// passkeys returns the configured ceremonies, or 404 when passkeys are
// not offered.
func (a *API) passkeys() (*auth.Passkeys, error) {
	if !a.Passkeys.Enabled() {
		return nil, concord.ErrNotFound
	}
	return a.Passkeys, nil
}

func (a *API) passkeyRegisterOptions(r *http.Request) (int, any, error) {
	pk, err := a.passkeys()
	if err != nil {
		return 0, nil, err
	}
	c, err := pk.BeginRegister(r.Context(), *auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, CeremonyJSON{State: c.State, Options: string(c.Options)}, nil
}

func (a *API) addPasskey(r *http.Request) (int, any, error) {
	pk, err := a.passkeys()
	if err != nil {
		return 0, nil, err
	}
	var in AddPasskeyRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	k, err := pk.FinishRegister(r.Context(), *auth.UserFrom(r.Context()), in.State, in.Name, in.Credential)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, passkeyJSON(k.ID, k.Name, k.CreatedAt, nil), nil
}

func (a *API) removePasskey(r *http.Request) (int, any, error) {
	pk, err := a.passkeys()
	if err != nil {
		return 0, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, nil, concord.ErrNotFound
	}
	if err := pk.RemovePasskey(r.Context(), *auth.UserFrom(r.Context()), id); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) passkeyLoginOptions(r *http.Request) (int, any, error) {
	pk, err := a.passkeys()
	if err != nil {
		return 0, nil, err
	}
	c, err := pk.BeginLogin(r.Context(), 0)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, CeremonyJSON{State: c.State, Options: string(c.Options)}, nil
}

func (a *API) passkeySession(r *http.Request) (int, any, error) {
	pk, err := a.passkeys()
	if err != nil {
		return 0, nil, err
	}
	var in PasskeySessionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	token, expires, _, err := pk.FinishLogin(r.Context(), in.State, in.Credential, auth.KindAPI)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, SessionJSON{Token: token, Expires: expires.UTC().Format(time.RFC3339)}, nil
}
