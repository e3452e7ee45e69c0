package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"concord"
	"concord/internal/account"
	"concord/internal/auth"
)

// Two-factor sign-in on pages: the second step of signing in
// (/login/code), and the account's own page to set it up, regenerate the
// recovery codes and switch it off (/account/two-factor). The API twins
// are under /api/v1/me/two-factor.

func (s *Server) twoFactorRoutes() []Route {
	return []Route{
		{"GET", "/login/code", concord.ActRead, nil, "/login/code", s.loginCodeForm},
		{"POST", "/login/code", concord.ActRead, nil, "/login/code", s.loginCode},
		{"GET", "/account/two-factor", concord.ActAccount, nil, "/account/two-factor", s.twoFactorPage},
		{"POST", "/account/two-factor/start", concord.ActAccount, nil, "/account/two-factor/start", s.twoFactorStart},
		{"POST", "/account/two-factor/confirm", concord.ActAccount, nil, "/account/two-factor/confirm", s.twoFactorConfirm},
		{"POST", "/account/two-factor/recovery", concord.ActAccount, nil, "/account/two-factor/recovery", s.twoFactorRecovery},
		{"POST", "/account/two-factor/disable", concord.ActAccount, nil, "/account/two-factor/disable", s.twoFactorDisable},
	}
}

// pendingCookie names the cookie of a sign-in waiting for its code (the
// __Host- prefix behind HTTPS, as the session's).
func (s *Server) pendingCookie() string {
	if s.Secure {
		return "__Host-concord-2fa"
	}
	return "concord_2fa"
}

func (s *Server) setPendingCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.pendingCookie(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
}

// loginCodeView is the second step of signing in.
type loginCodeView struct {
	// Gone: the pending sign-in is unknown or expired: the password again.
	Gone bool
	Next string // where the first step was to go, for "sign in again"
	// Passkey, when the account has passkeys: one may finish instead of a code.
	Passkey *passkeyForm
}

func (s *Server) loginCodeForm(w http.ResponseWriter, r *http.Request) error {
	return s.showLoginCode(w, r, http.StatusOK, "", nil)
}

// showLoginCode shows the second step: gone when this browser's pending
// sign-in is unknown or expired; with a passkey to use instead of a code
// when its account has one.
func (s *Server) showLoginCode(w http.ResponseWriter, r *http.Request, status int, next string, perr error) error {
	private(w)
	v := loginCodeView{Next: next, Gone: true}
	if c, err := r.Cookie(s.pendingCookie()); err == nil {
		p, err := s.DB.PendingLogin(r.Context(), auth.TokenHash(c.Value))
		if err != nil && !errors.Is(err, concord.ErrNotFound) {
			return err
		}
		if err == nil {
			v.Gone, v.Next = false, p.Next
			if v.Passkey, err = s.secondStepPasskey(r, p.UserID); err != nil {
				return err
			}
		}
	}
	if v.Gone {
		s.setPendingCookie(w, "", -1)
		if perr == nil {
			perr, status = auth.ErrPendingGone, http.StatusUnauthorized
		}
	}
	p := s.newPage(r, "twofactor.step_heading", v)
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "login_code", p)
}

func (s *Server) loginCode(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	private(w)
	c, err := r.Cookie(s.pendingCookie())
	pending := ""
	if err == nil {
		pending = c.Value
	}
	token, expires, next, err := auth.FinishLogin(r.Context(), s.DB, s.Log, pending, r.PostForm.Get("code"))
	if code := concord.ErrorCode(err); code == concord.EUnauthorized || code == concord.ETooMany {
		retryAfter(w, err)
		return s.showLoginCode(w, r, Status(code), next, err)
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

// twoFactorView is the account's two-factor page.
type twoFactorView struct {
	Status account.TwoFactorStatus
	// Codes are new recovery codes, shown this once.
	Codes []string
	// Next is where a person sent here to set it up was going.
	Next string
}

// QR is the pending key's QR code, a PNG data: URI made here (never
// input), so safe for an img's src.
func (v twoFactorView) QR() template.URL {
	if v.Status.Pending == nil {
		return ""
	}
	return template.URL(v.Status.Pending.QR)
}

// SecretGroups writes a base32 secret in groups of four, to type in.
func (v twoFactorView) SecretGroups() string {
	if v.Status.Pending == nil {
		return ""
	}
	sec := v.Status.Pending.Secret
	var b strings.Builder
	for i := 0; i < len(sec); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sec[i:min(i+4, len(sec))])
	}
	return b.String()
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) error {
	return s.showTwoFactor(w, r, http.StatusOK, nil, nil, nil)
}

func (s *Server) showTwoFactor(w http.ResponseWriter, r *http.Request, status int, codes []string, form url.Values, perr error) error {
	private(w) // the secret and the codes are never cached
	st, err := s.Account.TwoFactor(r.Context(), UserFrom(r.Context()))
	if err != nil {
		return err
	}
	next := r.URL.Query().Get("next")
	if form != nil {
		next = form.Get("next")
	}
	p := s.newPage(r, "twofactor.heading", twoFactorView{Status: st, Codes: codes, Next: safeNext(next)})
	if form != nil {
		p.Form = url.Values{}
		for k, v := range form {
			if k != "password" && k != "code" {
				p.Form[k] = v
			}
		}
	}
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "account_two_factor", p)
}

// twoFactorBack redirects to the two-factor page, keeping next.
func (s *Server) twoFactorBack(w http.ResponseWriter, r *http.Request) {
	to := "/" + LangFrom(r.Context()) + "/account/two-factor"
	if next := safeNext(r.PostForm.Get("next")); next != "" {
		to += "?" + url.Values{"next": {next}}.Encode()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// twoFactorFail shows a refused submission on the page, or returns what
// is no fault of the form.
func (s *Server) twoFactorFail(w http.ResponseWriter, r *http.Request, err error) error {
	code := concord.ErrorCode(err)
	if code != concord.EInvalid && code != concord.EConflict && code != concord.EUnauthorized && code != concord.ETooMany {
		return err
	}
	retryAfter(w, err)
	return s.showTwoFactor(w, r, Status(code), nil, r.PostForm, err)
}

func (s *Server) twoFactorStart(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.Account.BeginTwoFactor(r.Context(), UserFrom(r.Context())); err != nil {
		return s.twoFactorFail(w, r, err)
	}
	s.twoFactorBack(w, r)
	return nil
}

func (s *Server) twoFactorConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := UserFrom(r.Context())
	codes, err := s.Account.ConfirmTwoFactor(r.Context(), u, r.PostForm.Get("code"), auth.SessionFrom(r.Context()))
	if err != nil {
		return s.twoFactorFail(w, r, err)
	}
	on := *u
	on.TwoFactor = true
	r = r.WithContext(auth.WithUser(r.Context(), &on))
	return s.showTwoFactor(w, r, http.StatusOK, codes, r.PostForm, nil)
}

func (s *Server) twoFactorRecovery(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	codes, err := s.Account.RegenerateRecoveryCodes(r.Context(), UserFrom(r.Context()), r.PostForm.Get("code"))
	if err != nil {
		return s.twoFactorFail(w, r, err)
	}
	return s.showTwoFactor(w, r, http.StatusOK, codes, r.PostForm, nil)
}

func (s *Server) twoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.Account.DisableTwoFactor(r.Context(), UserFrom(r.Context()), r.PostForm.Get("password"), r.PostForm.Get("code")); err != nil {
		return s.twoFactorFail(w, r, err)
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/two-factor?saved=1", http.StatusSeeOther)
	return nil
}

// secretAnswers are the form routes whose answer shows recovery codes: a
// double submission is refused by the codes themselves (a code is spent
// once), so they are not run under their form token, whose record would
// keep the page, codes and all.
var secretAnswers = map[string]bool{"/account/two-factor/confirm": true, "/account/two-factor/recovery": true}

// ErrTwoFactorRequired refuses every request but setting up two-factor
// sign-in or signing out, from an account whose role requires it and that
// has none yet.
var ErrTwoFactorRequired = concord.Errorf(concord.EForbidden, "", "error.two_factor_required",
	"your role requires two-factor sign-in: set it up on your account's two-factor page (or API: POST /api/v1/me/two-factor) before anything else")

// enrolmentOnly reports whether r may go on for an account that must set
// up two-factor sign-in first: setting it up, signing out (or in as
// someone else), the account itself in the API, and what every page loads.
func enrolmentOnly(r *http.Request) bool {
	p := r.URL.Path
	if strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/" {
		return true
	}
	if rest, ok := strings.CutPrefix(p, "/api/v1"); ok {
		return rest == "/me" || rest == "/me/two-factor" || strings.HasPrefix(rest, "/me/two-factor/") || rest == "/openapi.json" ||
			r.Method == http.MethodDelete && strings.HasPrefix(rest, "/me/sessions/")
	}
	lang, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if !concord.IsLanguage(lang) {
		return true // a 404 page
	}
	rest = "/" + rest
	return rest == "/logout" || rest == "/login" || rest == "/login/code" || rest == "/account/two-factor" || strings.HasPrefix(rest, "/account/two-factor/")
}

// requireEnrolment answers a request that enrolmentOnly refuses: a page is
// sent to set up two-factor sign-in (and comes back afterwards), anything
// else is refused with ErrTwoFactorRequired.
func (s *Server) requireEnrolment(w http.ResponseWriter, r *http.Request) {
	lang, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && concord.IsLanguage(lang) {
		next := "/" + lang + "/" + rest
		if r.URL.RawQuery != "" {
			next += "?" + r.URL.RawQuery
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, "/"+lang+"/account/two-factor?"+url.Values{"next": {next}}.Encode(), http.StatusSeeOther)
		return
	}
	if concord.IsLanguage(lang) {
		r = r.WithContext(WithLang(r.Context(), lang))
	}
	s.fail(w, r, ErrTwoFactorRequired)
}
