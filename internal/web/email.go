package web

import (
	"errors"
	"net/http"
	"strings"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// emailRoutes are the pages of emailed links: one's address and its
// verification, the forgotten-password form and the reset (or invitation)
// link, and the Secretariat setting an account's address.
// accountEmailView is the page of one's own email address.
type accountEmailView struct {
	Notices bool // notices are emailed
	Digest  bool // as one email a day
	// Lang is the language notice emails are written in, one of Langs:
	// the six languages named in themselves.
	Lang  string
	Langs []FieldOption
}

// emailVerifyView is the page a verification link opens.
type emailVerifyView struct {
	Token string // the link's token, for the button that uses it
	Done  bool   // the address was verified
	Email string
}

// forgotView is the form asking for a reset link.
type forgotView struct {
	Sent bool // the request was taken (said alike for any address)
}

// resetView is the form a reset link opens.
type resetView struct {
	Token string
	Valid bool // the link can still be used
}

func (s *Server) emailRoutes() []Route {
	return []Route{
		{"GET", "/account/email", concord.ActAccount, nil, "/account/email", s.accountEmail},
		{"POST", "/account/email", concord.ActAccount, nil, "/account/email", s.setAccountEmail},
		{"POST", "/account/email/notices", concord.ActAccount, nil, "/account/email/notices", s.setNoticeEmail},
		{"GET", "/account/email/verify", concord.ActRead, nil, "/account/email/verify", s.verifyEmailForm},
		{"POST", "/account/email/verify", concord.ActRead, nil, "/account/email/verify", s.verifyEmail},
		{"GET", "/password/forgot", concord.ActRead, nil, "/password/forgot", s.forgotForm},
		{"POST", "/password/forgot", concord.ActRead, nil, "/password/forgot", s.forgot},
		{"GET", "/password/reset", concord.ActRead, nil, "/password/reset", s.resetForm},
		{"POST", "/password/reset", concord.ActRead, nil, "/password/reset", s.reset},
		{"POST", "/admin/users/email", concord.ActManageUsers, nil, "/admin/users/email", s.userSetEmail},
	}
}

// private keeps a page that carries a link's token out of every cache and
// out of the Referer of anything it links to.
func private(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

func (s *Server) accountEmail(w http.ResponseWriter, r *http.Request) error {
	return s.showAccountEmail(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showAccountEmail(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, err error) error {
	u := UserFrom(r.Context())
	on, e := s.DB.NoticeEmail(r.Context(), u.ID)
	if e != nil {
		return e
	}
	digest, e := s.DB.NoticeDigest(r.Context(), u.ID)
	if e != nil {
		return e
	}
	// Read, not the session's copy: the choice shows as soon as it is saved.
	lang, e := s.DB.UserLang(r.Context(), u.ID)
	if e != nil {
		return e
	}
	var langs []FieldOption
	for _, l := range concord.Languages {
		langs = append(langs, FieldOption{Value: l, Label: langNames[l]})
	}
	p := s.newPage(r, "email.heading", accountEmailView{Notices: on, Digest: digest, Lang: lang, Langs: langs})
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "account_email", p)
}

func (s *Server) setAccountEmail(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	err := s.Account.SetEmail(r.Context(), u, u.Username, r.PostFormValue("email"), LangFrom(r.Context()))
	if de := formError(err); de != nil {
		return s.showAccountEmail(w, r, Status(de.Code), r.PostForm, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/email?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) setNoticeEmail(w http.ResponseWriter, r *http.Request) error {
	// The language first: it is the one choice that can be refused, and
	// nothing is written when it is.
	if l := r.PostFormValue("lang"); l != "" {
		err := s.Account.SetLang(r.Context(), UserFrom(r.Context()), l)
		if de := formError(err); de != nil {
			return s.showAccountEmail(w, r, Status(de.Code), r.PostForm, de)
		}
		if err != nil {
			return err
		}
	}
	if err := s.Account.SetNoticeEmail(r.Context(), UserFrom(r.Context()), r.PostFormValue("notices") == "on"); err != nil {
		return err
	}
	if err := s.Account.SetNoticeDigest(r.Context(), UserFrom(r.Context()), r.PostFormValue("digest") == "on"); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/account/email?saved=1", http.StatusSeeOther)
	return nil
}

// verifyEmailForm shows a button rather than verifying on GET: mail
// scanners open links, and must not spend them.
func (s *Server) verifyEmailForm(w http.ResponseWriter, r *http.Request) error {
	private(w)
	p := s.newPage(r, "email.verify_heading", emailVerifyView{Token: r.URL.Query().Get("token")})
	return s.render(w, r, http.StatusOK, "email_verify", p)
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	private(w)
	u, err := s.Account.VerifyEmail(r.Context(), r.PostFormValue("token"))
	p := s.newPage(r, "email.verify_heading", emailVerifyView{Done: err == nil, Email: u.Email})
	if de := formError(err); de != nil {
		p.SetErr(de)
		return s.render(w, r, Status(de.Code), "email_verify", p)
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "email_verify", p)
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password_forgot", s.newPage(r, "reset.heading", forgotView{}))
}

// forgot answers the same whether or not an account has the address.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	err := s.Account.RequestReset(r.Context(), r.PostForm.Get("email"), auth.AddrOf(r), LangFrom(r.Context()))
	p := s.newPage(r, "reset.heading", forgotView{Sent: err == nil})
	p.Form = r.PostForm
	if de := formError(err); de != nil || concord.ErrorCode(err) == concord.ETooMany {
		retryAfter(w, err)
		p.SetErr(err)
		return s.render(w, r, Status(concord.ErrorCode(err)), "password_forgot", p)
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "password_forgot", p)
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	private(w)
	token := r.URL.Query().Get("token")
	ok, err := s.Account.LinkValid(r.Context(), token)
	if err != nil {
		return err
	}
	p := s.newPage(r, "reset.new_heading", resetView{Token: token, Valid: ok})
	if !ok {
		p.SetErr(store.ErrLinkInvalid)
		return s.render(w, r, Status(concord.EInvalid), "password_reset", p)
	}
	return s.render(w, r, http.StatusOK, "password_reset", p)
}

// reset sets the new password and sends the person to sign in with it.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	private(w)
	if err := r.ParseForm(); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	_, err := s.Account.ResetPassword(r.Context(), token, r.PostForm.Get("password"))
	if de := formError(err); de != nil {
		valid := !errors.Is(err, store.ErrLinkInvalid)
		p := s.newPage(r, "reset.new_heading", resetView{Token: token, Valid: valid})
		p.SetErr(de)
		return s.render(w, r, Status(de.Code), "password_reset", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/login?reset=1", http.StatusSeeOther)
	return nil
}

// userSetEmail is the Secretariat setting an account's address; a
// verification link goes to it.
func (s *Server) userSetEmail(w http.ResponseWriter, r *http.Request) error {
	err := s.Account.SetEmail(r.Context(), UserFrom(r.Context()), strings.TrimSpace(r.PostFormValue("username")), strings.TrimSpace(r.PostFormValue("email")), LangFrom(r.Context()))
	if de := formError(err); de != nil {
		return s.showUsers(w, r, Status(de.Code), r.PostForm, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/admin/users?saved=1", http.StatusSeeOther)
	return nil
}
