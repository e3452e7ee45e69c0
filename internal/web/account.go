package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// loginView is the sign-in form.
type loginView struct {
	Next    string // where to go after signing in (a safe path)
	Expired bool   // the session ended: say so
	Reset   bool   // the password was just reset: say so
	Deleted bool   // the account was just deleted: say so
	// Passkey is the ceremony of signing in with a passkey (nil when
	// passkeys are not configured).
	Passkey *passkeyForm
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	pf, err := s.loginPasskeyForm(r)
	if err != nil {
		return err
	}
	if pf != nil {
		private(w) // a fresh challenge each time
	}
	p := s.newPage(r, "login.heading", loginView{Next: safeNext(r.URL.Query().Get("next")), Expired: r.URL.Query().Get("expired") != "",
		Reset: r.URL.Query().Get("reset") != "", Deleted: r.URL.Query().Get("deleted") != "", Passkey: pf})
	return s.render(w, r, http.StatusOK, "login", p)
}

// safeNext returns next when it is a path on this site, else "". Browsers
// forgive a lot in a Location header (they drop tabs and newlines, read a
// backslash as a slash, follow "//host" to another site), so only a plain
// absolute path in printable ASCII is kept, checked again once and twice
// percent-decoded (so %09 or %2F%2F do not slip through), without scheme,
// host or user; it is returned re-encoded, without any fragment.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") {
		return ""
	}
	// plain: no white space, control or format character, no backslash,
	// no "//" at the start; raw, only printable ASCII.
	plain := func(s string, ascii bool) bool {
		if !utf8.ValidString(s) || strings.HasPrefix(s, "//") {
			return false
		}
		for _, c := range s {
			if c == '\\' || (ascii && c > 0x7e) || unicode.IsSpace(c) || !unicode.IsGraphic(c) {
				return false
			}
		}
		return true
	}
	for d, i := next, 0; i < 3; i++ {
		if !plain(d, i == 0) {
			return ""
		}
		var err error
		if d, err = url.PathUnescape(d); err != nil {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	if u.RawQuery != "" {
		return u.EscapedPath() + "?" + u.RawQuery
	}
	return u.EscapedPath()
}

// LoginURL is the sign-in page, coming back to this page afterwards.
func (p *Page) LoginURL() string {
	if p.Path == "/login" {
		return p.LangURL(p.Lang)
	}
	return p.URL("/login") + "?" + url.Values{"next": {p.LangURL(p.Lang)}}.Encode()
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	next := safeNext(r.PostForm.Get("next"))
	step, err := auth.BeginLogin(ctx, s.DB, s.Log, auth.Attempt{Username: r.PostForm.Get("username"), Password: r.PostForm.Get("password"),
		Addr: auth.AddrOf(r), Kind: auth.KindBrowser}, next)
	if code := concord.ErrorCode(err); code == concord.EUnauthorized || code == concord.ETooMany {
		retryAfter(w, err)
		pf, ferr := s.loginPasskeyForm(r)
		if ferr != nil {
			return ferr
		}
		p := s.newPage(r, "login.heading", loginView{Next: next, Passkey: pf})
		p.Form = r.PostForm
		p.Form.Del("password")
		p.Err = AsDomain(err)
		return s.render(w, r, Status(code), "login", p)
	}
	if err != nil {
		return err
	}
	if step.Pending {
		// The password was right; the code is asked next, by this browser
		// only (the pending sign-in is its cookie), within PendingTTL.
		s.setPendingCookie(w, step.Token, int(auth.PendingTTL.Seconds()))
		http.Redirect(w, r, "/"+LangFrom(ctx)+"/login/code", http.StatusSeeOther)
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: step.Token, Path: "/", Expires: step.Expires,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	if next == "" {
		next = "/" + LangFrom(ctx) + "/home"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// retryAfter tells a throttled client when to try again.
func retryAfter(w http.ResponseWriter, err error) {
	var t *auth.Throttled
	if errors.As(err, &t) {
		w.Header().Set("Retry-After", strconv.Itoa(int(t.RetryAfter.Seconds())))
	}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if th, ok := r.Context().Value(tokenKey).(string); ok {
		err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error { return tx.DeleteSession(th) })
		if err != nil && err != concord.ErrNotFound {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/", http.StatusSeeOther)
	return nil
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account", s.newPage(r, "account.heading", nil))
}

// sessionsView lists the user's sessions and API tokens.
type sessionsView struct {
	Sessions []store.SessionInfo
	Current  string // the id of the session showing the page
}

// accountSessions lists the signed-in user's sessions and API tokens, each
// with a button to revoke it (the twin of GET /api/v1/me/sessions).
func (s *Server) accountSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.DB.UserSessions(r.Context(), UserFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "account.sessions", sessionsView{Sessions: list, Current: auth.SessionFrom(r.Context())})
	return s.render(w, r, http.StatusOK, "account_sessions", p)
}

// revokeSession ends one of the user's sessions (the twin of DELETE
// /api/v1/me/sessions/{id}); revoking the current one signs out.
func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	u, id := UserFrom(r.Context()), r.PathValue("id")
	if err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error { return tx.RevokeSession(u.ID, id) }); err != nil {
		return err
	}
	if id == auth.SessionFrom(r.Context()) {
		http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/"+LangFrom(r.Context())+"/", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/sessions?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.showUsers(w, r, http.StatusOK, nil, nil)
}

// usersView lists the accounts, with the form to add one.
type usersView struct {
	Users []concord.User
	Roles []concord.Role
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, perr error) error {
	users, err := s.DB.ListUsers(r.Context())
	if err != nil {
		return err
	}
	p := s.newPage(r, "users.heading", usersView{Users: users, Roles: concord.Roles})
	p.Form = form
	if perr != nil {
		p.SetErr(perr) // every problem of the submission at once
	}
	return s.render(w, r, status, "users", p)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	u := concord.User{Username: strings.TrimSpace(f.Get("username")), Role: concord.Role(f.Get("role")), State: strings.ToUpper(strings.TrimSpace(f.Get("state"))),
		Email: strings.TrimSpace(f.Get("email"))}
	var errs concord.Errors
	if u.Role == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "role", "error.role_required", "choose a role"))
	}
	if o := strings.TrimSpace(f.Get("org")); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id <= 0 {
			errs.Add(concord.Errorf(concord.EInvalid, "org", "error.number", "organisation must be a number"))
		}
		u.OrgID = id
	}
	// No password and an address: an invitation, with which the person
	// chooses their own.
	invite, hash := f.Get("password") == "" && u.Email != "", store.NoPassword
	if !invite {
		var err error
		hash, err = auth.HashUserPassword(f.Get("password"), u.Username)
		errs.Add(err)
	}
	if len(errs) > 0 {
		if u.Role != "" {
			errs.Add(u.Validate())
		}
		return s.showUsers(w, r, http.StatusUnprocessableEntity, f, errs.Err())
	}
	u.Lang = LangFrom(r.Context()) // the language its welcome email is in
	err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, hash); err != nil {
			return err
		}
		if err := tx.AppointStaff(u); err != nil {
			return err
		}
		return s.Account.Welcome(tx, u, invite, LangFrom(r.Context()))
	})
	if de := formError(err); de != nil {
		return s.showUsers(w, r, Status(de.Code), f, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/admin/users?saved=1", http.StatusSeeOther)
	return nil
}
