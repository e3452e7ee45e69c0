package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// Passkeys on pages: the account's list of passkeys, where one is added
// (named) and removed (/account/passkeys), and signing in with one, on its
// own from the sign-in page (/login/passkey) or instead of a code in the
// second step (/login/code/passkey). The browser asks the device
// (static/passkey.js); the API twins are /api/v1/me/passkeys and
// /api/v1/login/passkey.

func (s *Server) passkeyRoutes() []Route {
	return []Route{
		{"GET", "/account/passkeys", concord.ActAccount, nil, "/account/passkeys", s.passkeysPage},
		{"POST", "/account/passkeys", concord.ActAccount, nil, "/account/passkeys", s.passkeyAdd},
		{"POST", "/account/passkeys/{id}/remove", concord.ActAccount, nil, "/account/passkeys/1/remove", s.passkeyRemove},
		{"POST", "/login/passkey", concord.ActRead, nil, "/login/passkey", s.loginPasskey},
		{"POST", "/login/code/passkey", concord.ActRead, nil, "/login/code/passkey", s.loginCodePasskey},
	}
}

// passkeyForm is a ceremony a page offers: the options for the browser
// (JSON, for data-options) and the sealed state to send back.
type passkeyForm struct {
	State   string
	Options string
}

// ceremonyForm turns a ceremony into a passkeyForm.
func ceremonyForm(c auth.Ceremony) *passkeyForm {
	return &passkeyForm{State: c.State, Options: string(c.Options)}
}

// passkeysView is the account's passkeys page.
type passkeysView struct {
	Keys []store.Passkey
	Add  *passkeyForm // nil when passkeys are not configured
}

func (s *Server) passkeysPage(w http.ResponseWriter, r *http.Request) error {
	return s.showPasskeys(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showPasskeys(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error) error {
	private(w) // each view carries a fresh challenge
	u := UserFrom(r.Context())
	keys, err := s.DB.Passkeys(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := passkeysView{Keys: keys}
	if s.Passkeys.Enabled() {
		c, err := s.Passkeys.BeginRegister(r.Context(), *u)
		if err != nil {
			return err
		}
		v.Add = ceremonyForm(c)
	}
	p := s.newPage(r, "passkeys.heading", v)
	if form != nil {
		p.Form = url.Values{"name": form["name"]}
	}
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "account_passkeys", p)
}

// passkeyFail shows a refused submission on the passkeys page.
func (s *Server) passkeyFail(w http.ResponseWriter, r *http.Request, err error) error {
	code := concord.ErrorCode(err)
	if code != concord.EInvalid && code != concord.EConflict && code != concord.EUnauthorized {
		return err
	}
	return s.showPasskeys(w, r, Status(code), r.PostForm, err)
}

func (s *Server) passkeyAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if !s.Passkeys.Enabled() {
		return concord.ErrNotFound
	}
	u := UserFrom(r.Context())
	if _, err := s.Passkeys.FinishRegister(r.Context(), *u, r.PostForm.Get("state"), r.PostForm.Get("name"), []byte(r.PostForm.Get("credential"))); err != nil {
		return s.passkeyFail(w, r, err)
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/passkeys?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) passkeyRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return concord.ErrNotFound
	}
	if !s.Passkeys.Enabled() {
		return concord.ErrNotFound
	}
	if err := s.Passkeys.RemovePasskey(r.Context(), *UserFrom(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/passkeys?saved=1", http.StatusSeeOther)
	return nil
}

// loginPasskeyForm is the sign-in page's passkey ceremony, when passkeys
// are configured.
func (s *Server) loginPasskeyForm(r *http.Request) (*passkeyForm, error) {
	if !s.Passkeys.Enabled() {
		return nil, nil
	}
	c, err := s.Passkeys.BeginLogin(r.Context(), 0)
	if err != nil {
		return nil, err
	}
	return ceremonyForm(c), nil
}

func (s *Server) loginPasskey(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	private(w)
	if !s.Passkeys.Enabled() {
		return concord.ErrNotFound
	}
	next := safeNext(r.PostForm.Get("next"))
	token, expires, _, err := s.Passkeys.FinishLogin(r.Context(), r.PostForm.Get("state"), []byte(r.PostForm.Get("credential")), auth.KindBrowser)
	if code := concord.ErrorCode(err); code == concord.EUnauthorized {
		pf, ferr := s.loginPasskeyForm(r)
		if ferr != nil {
			return ferr
		}
		p := s.newPage(r, "login.heading", loginView{Next: next, Passkey: pf})
		p.SetErr(err)
		return s.render(w, r, http.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	if next == "" {
		next = "/" + LangFrom(r.Context()) + "/home"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// secondStepPasskey is the passkey ceremony the second step offers to the
// pending sign-in's account, when it has passkeys.
func (s *Server) secondStepPasskey(r *http.Request, userID int64) (*passkeyForm, error) {
	if !s.Passkeys.Enabled() || userID == 0 {
		return nil, nil
	}
	c, err := s.Passkeys.BeginLogin(r.Context(), userID)
	if errors.Is(err, concord.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ceremonyForm(c), nil
}

func (s *Server) loginCodePasskey(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	private(w)
	if !s.Passkeys.Enabled() {
		return concord.ErrNotFound
	}
	pending := ""
	if c, err := r.Cookie(s.pendingCookie()); err == nil {
		pending = c.Value
	}
	token, expires, next, err := s.Passkeys.FinishSecondStep(r.Context(), pending, r.PostForm.Get("state"), []byte(r.PostForm.Get("credential")))
	if code := concord.ErrorCode(err); code == concord.EUnauthorized {
		return s.showLoginCode(w, r, http.StatusUnauthorized, next, err)
	}
	if err != nil {
		return err
	}
	s.setPendingCookie(w, "", -1)
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	if next = safeNext(next); next == "" {
		next = "/" + LangFrom(r.Context()) + "/home"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
