package api

import (
	"net/http"

	"concord"
	"concord/internal/auth"
)

// twoFactorRoutes are the API twins of the account's two-factor page.
func (a *API) twoFactorRoutes() []Route {
	return []Route{
		{"GET", "/me/two-factor", concord.ActAccount, nil, "/me/two-factor", a.myTwoFactor},
		{"POST", "/me/two-factor", concord.ActAccount, nil, "/me/two-factor", a.startTwoFactor},
		{"POST", "/me/two-factor/confirm", concord.ActAccount, nil, "/me/two-factor/confirm", a.confirmTwoFactor},
		{"POST", "/me/two-factor/disable", concord.ActAccount, nil, "/me/two-factor/disable", a.disableTwoFactor},
		{"POST", "/me/two-factor/recovery-codes", concord.ActAccount, nil, "/me/two-factor/recovery-codes", a.newRecoveryCodes},
	}
}

// secretAnswers are the routes whose answer carries a secret or recovery
// codes: an Idempotency-Key is not honoured on them, since its record
// would keep the answer. A repeat is refused by the codes themselves.
var secretAnswers = map[string]bool{"/me/two-factor": true, "/me/two-factor/confirm": true, "/me/two-factor/recovery-codes": true}

// TwoFactorJSON is the signed-in account's two-factor status.
type TwoFactorJSON struct {
	Enabled  bool `json:"enabled"`
	Required bool `json:"required"`
	// Pending: an enrolment waits for its first code (POST /me/two-factor/confirm).
	Pending       bool `json:"pending"`
	RecoveryCodes int  `json:"recovery_codes_left"`
}

// TwoFactorKeyJSON is a new authenticator key: the secret to type in, and
// the same as an otpauth:// URI and a QR code of it (a PNG data: URI).
type TwoFactorKeyJSON struct {
	Secret string `json:"secret"`
	URI    string `json:"otpauth_uri"`
	QR     string `json:"qr_png"`
}

// CodeRequest carries a second factor: an authenticator code or a
// recovery code.
type CodeRequest struct {
	Code string `json:"code"`
}

// DisableTwoFactorRequest switches two-factor sign-in off.
type DisableTwoFactorRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// RecoveryCodesJSON are new recovery codes, shown this once.
type RecoveryCodesJSON struct {
	Codes []string `json:"recovery_codes"`
}

func (a *API) myTwoFactor(r *http.Request) (int, any, error) {
	st, err := a.Account.TwoFactor(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, TwoFactorJSON{Enabled: st.On, Required: st.Required, Pending: st.Pending != nil, RecoveryCodes: st.RecoveryLeft}, nil
}

func (a *API) startTwoFactor(r *http.Request) (int, any, error) {
	k, err := a.Account.BeginTwoFactor(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, TwoFactorKeyJSON{Secret: k.Secret, URI: k.URL, QR: k.QR}, nil
}

func (a *API) confirmTwoFactor(r *http.Request) (int, any, error) {
	var in CodeRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	codes, err := a.Account.ConfirmTwoFactor(r.Context(), auth.UserFrom(r.Context()), in.Code, auth.SessionFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, RecoveryCodesJSON{Codes: codes}, nil
}

func (a *API) disableTwoFactor(r *http.Request) (int, any, error) {
	var in DisableTwoFactorRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := a.Account.DisableTwoFactor(r.Context(), auth.UserFrom(r.Context()), in.Password, in.Code); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) newRecoveryCodes(r *http.Request) (int, any, error) {
	var in CodeRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	codes, err := a.Account.RegenerateRecoveryCodes(r.Context(), auth.UserFrom(r.Context()), in.Code)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, RecoveryCodesJSON{Codes: codes}, nil
}
