package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"concord"
	"concord/internal/store"
)

// Passkeys (WebAuthn) sign a person in with a key their device keeps and
// unlocks (fingerprint, face, PIN): a first step on its own, since the
// device verifies the person (user verification required), or the second
// step after a password. Several per account, each named by its owner.
//
// A ceremony's state (the library's session data: the challenge, the
// user, the credentials allowed) is sealed with the store's secret key and
// travels with the options to the browser or API client, which sends it
// back with its answer: offering a passkey writes nothing. The answer
// spends the challenge (store.SpendChallenge), so it works once.

// PasskeyTTL is how long a ceremony waits for its answer.
const PasskeyTTL = 5 * time.Minute

// The purposes of a ceremony; a state sealed for one does not open as
// another.
const (
	PasskeyRegister = "register"
	PasskeyLogin    = "login"  // the first step: whoever the passkey names
	PasskeySecond   = "second" // after a password, for that account only
)

// The answers about passkeys.
var (
	ErrPasskeyFailed = concord.Errorf(concord.EUnauthorized, "passkey", "error.passkey_failed",
		"the passkey was not accepted: try again, or sign in with your password")
	ErrPasskeyName = concord.Errorf(concord.EInvalid, "name", "error.passkey_name",
		"name the passkey (1 to 60 characters), for instance after the device that keeps it")
	ErrPasskeyExpired = concord.Errorf(concord.EUnauthorized, "passkey", "error.passkey_expired",
		"the passkey request expired (5 minutes): start again")
)

// Passkeys runs WebAuthn ceremonies for one relying party: this server,
// as its public address names it.
type Passkeys struct {
	DB *store.DB
	w  *webauthn.WebAuthn
}

// NewPasskeys configures WebAuthn for baseURL, the server's public address
// (--base-url): its host is the relying party's ID, and its origin the one
// browsers must answer from. A passkey belongs to that host: changing the
// public address strands the passkeys made under the old one.
func NewPasskeys(db *store.DB, baseURL string) (*Passkeys, error) {
	p := &Passkeys{DB: db}
	return p, p.SetBaseURL(baseURL)
}

// SetBaseURL configures the relying party again for another public
// address (the server's, once its flags are read).
func (p *Passkeys) SetBaseURL(baseURL string) error {
	p.w = nil
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("passkeys: base URL %q is not an http(s) address", baseURL)
	}
	if net.ParseIP(u.Hostname()) != nil {
		return ErrPasskeysNeedHost
	}
	w, err := webauthn.New(&webauthn.Config{
		RPID: u.Hostname(), RPDisplayName: "Concord", RPOrigins: []string{u.Scheme + "://" + u.Host},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationRequired},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyTTL, TimeoutUVD: PasskeyTTL},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyTTL, TimeoutUVD: PasskeyTTL},
		},
	})
	if err != nil {
		return fmt.Errorf("passkeys: %w", err)
	}
	p.w = w
	return nil
}

// ErrPasskeysNeedHost says why passkeys are not offered: browsers refuse
// them on an IP address, and the base URL names one (the default).
var ErrPasskeysNeedHost = errors.New("passkeys are not offered: --base-url names an IP address, and browsers accept passkeys only on a host name")

// Enabled reports whether passkeys are offered (a relying party is
// configured).
func (p *Passkeys) Enabled() bool { return p != nil && p.w != nil }

// Ceremony is what a client needs to ask the device: Options (the JSON
// navigator.credentials.create or .get takes, {"publicKey": ...}) and
// State, to send back with the answer.
type Ceremony struct {
	State   string
	Options json.RawMessage
}

// ceremonyState is what State seals.
type ceremonyState struct {
	Purpose string               `json:"p"`
	UserID  int64                `json:"u,omitempty"`
	Session webauthn.SessionData `json:"s"`
}

// passkeyUser is an account as the WebAuthn library sees it: its handle is
// the account's number (no personal data), its credentials its passkeys.
type passkeyUser struct {
	u     concord.User
	keys  []store.Passkey
	creds []webauthn.Credential
}

func (p *passkeyUser) WebAuthnID() []byte                         { return userHandle(p.u.ID) }
func (p *passkeyUser) WebAuthnName() string                       { return p.u.Username }
func (p *passkeyUser) WebAuthnDisplayName() string                { return p.u.Username }
func (p *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

func userHandle(id int64) []byte { return []byte(strconv.FormatInt(id, 10)) }

// loadPasskeyUser reads u's passkeys through r.
func loadPasskeyUser(r store.Reader, u concord.User) (*passkeyUser, error) {
	keys, err := r.Passkeys(u.ID)
	if err != nil {
		return nil, err
	}
	pu := &passkeyUser{u: u, keys: keys}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(k.Data), &c); err != nil {
			return nil, fmt.Errorf("passkey %d: %w", k.ID, err)
		}
		pu.creds = append(pu.creds, c)
	}
	return pu, nil
}

func (p *Passkeys) seal(purpose string, userID int64, s *webauthn.SessionData, options any) (Ceremony, error) {
	st, err := json.Marshal(ceremonyState{Purpose: purpose, UserID: userID, Session: *s})
	if err != nil {
		return Ceremony{}, err
	}
	sealed, err := p.DB.Seal(string(st), "passkey:"+purpose)
	if err != nil {
		return Ceremony{}, err
	}
	opts, err := json.Marshal(options)
	return Ceremony{State: sealed, Options: opts}, err
}

// open unseals a ceremony's state for purpose; an altered, foreign or
// expired state is refused.
func (p *Passkeys) open(purpose, state string) (ceremonyState, error) {
	var st ceremonyState
	plain, err := p.DB.Unseal(state, "passkey:"+purpose)
	if err != nil || json.Unmarshal([]byte(plain), &st) != nil || st.Purpose != purpose {
		return st, ErrPasskeyFailed
	}
	if !st.Session.Expires.IsZero() && time.Now().After(st.Session.Expires) {
		return st, ErrPasskeyExpired
	}
	return st, nil
}

// spend records the challenge as answered, in tx.
func spend(tx *store.Tx, st ceremonyState) error {
	h := sha256.Sum256([]byte(st.Session.Challenge))
	return tx.SpendChallenge(hex.EncodeToString(h[:]), st.Session.Expires.Add(time.Minute))
}

// BeginRegister starts adding a passkey to u's account; the device is
// told which passkeys the account has already, so it does not make a
// second one.
func (p *Passkeys) BeginRegister(ctx context.Context, u concord.User) (Ceremony, error) {
	if !p.Enabled() {
		return Ceremony{}, concord.ErrNotFound
	}
	pu, err := loadPasskeyUser(p.DB.Read(ctx), u)
	if err != nil {
		return Ceremony{}, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range pu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	opts, s, err := p.w.BeginRegistration(pu, webauthn.WithExclusions(exclude))
	if err != nil {
		return Ceremony{}, err
	}
	return p.seal(PasskeyRegister, u.ID, s, opts)
}

// NormalPasskeyName trims a passkey's name; "" when it is empty or longer
// than 60 characters.
func NormalPasskeyName(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return ""
	}
	return name
}

// FinishRegister checks the device's answer (the JSON of the
// PublicKeyCredential navigator.credentials.create gave) to the ceremony
// of state, and stores the passkey under name.
func (p *Passkeys) FinishRegister(ctx context.Context, u concord.User, state, name string, answer []byte) (store.Passkey, error) {
	if !p.Enabled() {
		return store.Passkey{}, concord.ErrNotFound
	}
	var errs concord.Errors
	name = NormalPasskeyName(name)
	if name == "" {
		errs.Add(ErrPasskeyName)
	}
	st, err := p.open(PasskeyRegister, state)
	if err == nil && st.UserID != u.ID {
		err = ErrPasskeyFailed
	}
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return store.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(answer)
	if err != nil {
		return store.Passkey{}, ErrPasskeyFailed
	}
	var key store.Passkey
	err = p.DB.Update(ctx, concord.Actor(&u), func(tx *store.Tx) error {
		if err := spend(tx, st); err != nil {
			return err
		}
		pu, err := loadPasskeyUser(tx.Reader, u)
		if err != nil {
			return err
		}
		c, err := p.w.CreateCredential(pu, st.Session, parsed)
		if err != nil {
			return ErrPasskeyFailed
		}
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		key = store.Passkey{UserID: u.ID, CredentialID: base64.RawURLEncoding.EncodeToString(c.ID), Name: name, Data: string(data)}
		return tx.AddPasskey(&key)
	})
	return key, err
}

// RemovePasskey removes one of u's passkeys.
func (p *Passkeys) RemovePasskey(ctx context.Context, u concord.User, id int64) error {
	return p.DB.Update(ctx, concord.Actor(&u), func(tx *store.Tx) error { return tx.DeletePasskey(u.ID, id) })
}

// BeginLogin starts signing in with a passkey: with userID 0, any passkey
// of this server the device keeps (the first step, the person chooses);
// otherwise one of that account's (the second step after its password).
func (p *Passkeys) BeginLogin(ctx context.Context, userID int64) (Ceremony, error) {
	if !p.Enabled() {
		return Ceremony{}, concord.ErrNotFound
	}
	if userID == 0 {
		opts, s, err := p.w.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
		if err != nil {
			return Ceremony{}, err
		}
		return p.seal(PasskeyLogin, 0, s, opts)
	}
	pu, err := loadPasskeyUser(p.DB.Read(ctx), concord.User{ID: userID})
	if err != nil {
		return Ceremony{}, err
	}
	if len(pu.creds) == 0 {
		return Ceremony{}, concord.ErrNotFound
	}
	opts, s, err := p.w.BeginLogin(pu, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return Ceremony{}, err
	}
	return p.seal(PasskeySecond, userID, s, opts)
}

// verify checks an assertion inside tx and records the passkey's use; it
// returns the account it signs in.
func (p *Passkeys) verify(tx *store.Tx, st ceremonyState, answer []byte) (concord.User, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(answer)
	if err != nil {
		return concord.User{}, ErrPasskeyFailed
	}
	if err := spend(tx, st); err != nil {
		return concord.User{}, err
	}
	var pu *passkeyUser
	load := func(rawID, handle []byte) (webauthn.User, error) {
		k, err := tx.PasskeyByCredential(base64.RawURLEncoding.EncodeToString(rawID))
		if err != nil || string(handle) != string(userHandle(k.UserID)) {
			return nil, ErrPasskeyFailed
		}
		if st.UserID != 0 && k.UserID != st.UserID {
			return nil, ErrPasskeyFailed
		}
		u, err := tx.UserByID(k.UserID)
		if err != nil || u.Disabled {
			return nil, ErrPasskeyFailed
		}
		pu, err = loadPasskeyUser(tx.Reader, u)
		return pu, err
	}
	var c *webauthn.Credential
	if st.UserID == 0 {
		_, c, err = p.w.ValidatePasskeyLogin(load, st.Session, parsed)
	} else {
		var wu webauthn.User
		if wu, err = load(parsed.RawID, userHandle(st.UserID)); err == nil {
			c, err = p.w.ValidateLogin(wu, st.Session, parsed)
		}
	}
	if err != nil || pu == nil {
		return concord.User{}, ErrPasskeyFailed
	}
	if c.Authenticator.CloneWarning {
		return concord.User{}, ErrPasskeyFailed // the sign count went back: a copied key
	}
	data, err := json.Marshal(c)
	if err != nil {
		return concord.User{}, err
	}
	id := base64.RawURLEncoding.EncodeToString(c.ID)
	for _, k := range pu.keys {
		if k.CredentialID == id {
			return pu.u, tx.UsePasskey(k.ID, string(data))
		}
	}
	return concord.User{}, ErrPasskeyFailed
}

// FinishLogin signs in with the answer to a first-step ceremony: a
// session of kind for the account the passkey belongs to.
func (p *Passkeys) FinishLogin(ctx context.Context, state string, answer []byte, kind string) (token string, expires time.Time, u concord.User, err error) {
	if !p.Enabled() {
		return "", expires, u, concord.ErrNotFound
	}
	st, err := p.open(PasskeyLogin, state)
	if err != nil {
		return "", expires, u, err
	}
	err = p.DB.Update(ctx, "system", func(tx *store.Tx) error {
		if u, err = p.verify(tx, st, answer); err != nil {
			return err
		}
		tx.Actor = concord.Actor(&u)
		token, expires, err = openSessionTx(tx, u, kind)
		return err
	})
	return token, expires, u, err
}

// FinishSecondStep finishes the pending sign-in of pendingToken (its
// password was right) with a passkey of that account instead of a code.
func (p *Passkeys) FinishSecondStep(ctx context.Context, pendingToken, state string, answer []byte) (token string, expires time.Time, next string, err error) {
	if !p.Enabled() {
		return "", expires, "", concord.ErrNotFound
	}
	th := TokenHash(pendingToken)
	pend, err := p.DB.PendingLogin(ctx, th)
	if errors.Is(err, concord.ErrNotFound) {
		return "", expires, "", ErrPendingGone
	}
	if err != nil {
		return "", expires, "", err
	}
	st, err := p.open(PasskeySecond, state)
	if err == nil && st.UserID != pend.UserID {
		err = ErrPasskeyFailed
	}
	if err != nil {
		return "", expires, pend.Next, err
	}
	err = p.DB.Update(ctx, concord.Actor(&concord.User{ID: pend.UserID}), func(tx *store.Tx) error {
		u, err := p.verify(tx, st, answer)
		if err != nil {
			return err
		}
		if _, err := tx.TakePendingLogin(th); err != nil {
			return ErrPendingGone
		}
		token, expires, err = openSessionTx(tx, u, KindBrowser)
		return err
	})
	return token, expires, pend.Next, err
}
