package api

import (
	"net/http"
	"strings"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// accountRoutes are the API twins of the email, password-reset and
// account-management pages.
func (a *API) accountRoutes() []Route {
	return []Route{
		{"GET", "/me/waiting", concord.ActAccount, nil, "/me/waiting", a.myWaiting},
		{"GET", "/me/email", concord.ActAccount, nil, "/me/email", a.myEmail},
		{"PUT", "/me/email", concord.ActAccount, nil, "/me/email", a.setMyEmail},
		{"POST", "/email/verify", concord.ActRead, nil, "/email/verify", a.verifyEmail},
		{"POST", "/password/forgot", concord.ActRead, nil, "/password/forgot", a.forgotPassword},
		{"POST", "/password/reset", concord.ActRead, nil, "/password/reset", a.resetPassword},
		{"GET", "/users", concord.ActManageUsers, nil, "/users", a.listUsers},
		{"POST", "/users", concord.ActManageUsers, nil, "/users", a.createUser},
		{"PUT", "/users/{username}/email", concord.ActManageUsers, nil, "/users/admin/email", a.setUserEmail},
	}
}

// EmailStatusJSON is an account's address, whether it is verified, and
// whether notices also go to it.
type EmailStatusJSON struct {
	Email    *string `json:"email"`
	Verified bool    `json:"verified"`
	Notices  bool    `json:"notices"`
	Digest   bool    `json:"digest"`
	Lang     string  `json:"lang"` // the language notice emails are written in
}

// EmailRequest sets the signed-in account's address (null removes it) and,
// optionally, whether notices go to it and in which language.
type EmailRequest struct {
	Email   *string `json:"email"`
	Notices *bool   `json:"notices,omitempty"`
	Digest  *bool   `json:"digest,omitempty"`
	Lang    *string `json:"lang,omitempty"` // the language of notice emails
}

// TokenRequest carries the token of an emailed link.
type TokenRequest struct {
	Token string `json:"token"`
}

// ForgotRequest asks for a password-reset link.
type ForgotRequest struct {
	Email string `json:"email"`
}

// ForgotJSON is the one answer to a reset request, whether or not an
// account has the address.
type ForgotJSON struct {
	Message string `json:"message"`
}

// ResetRequest sets a password with a reset or invitation link's token.
type ResetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// UserJSON is an account as the Secretariat sees it.
type UserJSON struct {
	ID            int64   `json:"id"`
	Username      string  `json:"username"`
	Role          string  `json:"role"`
	State         *string `json:"state"`
	OrgID         *int64  `json:"organization_id"`
	Email         *string `json:"email"`
	EmailVerified bool    `json:"email_verified"`
	Disabled      bool    `json:"disabled"`
}

// UserListJSON lists accounts.
type UserListJSON struct {
	Items []UserJSON `json:"items"`
}

// UserRequest creates an account: with a password, or with only an email
// address, to which an invitation goes.
type UserRequest struct {
	Username string  `json:"username"`
	Role     string  `json:"role"`
	State    *string `json:"state,omitempty"`
	OrgID    *int64  `json:"organization_id,omitempty"`
	Email    *string `json:"email,omitempty"`
	Password *string `json:"password,omitempty"`
}

// UserEmailRequest sets an account's address (null removes it).
type UserEmailRequest struct {
	Email *string `json:"email"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func userJSON(u concord.User) UserJSON {
	j := UserJSON{ID: u.ID, Username: u.Username, Role: string(u.Role), State: strPtr(u.State), Email: strPtr(u.Email),
		EmailVerified: u.EmailVerified, Disabled: u.Disabled}
	if u.OrgID != 0 {
		j.OrgID = &u.OrgID
	}
	return j
}

func (a *API) emailStatus(r *http.Request, u concord.User) (int, any, error) {
	on, err := a.DB.NoticeEmail(r.Context(), u.ID)
	if err != nil {
		return 0, nil, err
	}
	digest, err := a.DB.NoticeDigest(r.Context(), u.ID)
	if err != nil {
		return 0, nil, err
	}
	// Read, not the session's copy: a change shows in the answer to it.
	l, err := a.DB.UserLang(r.Context(), u.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, EmailStatusJSON{Email: strPtr(u.Email), Verified: u.EmailVerified, Notices: on, Digest: digest, Lang: l}, nil
}

func (a *API) myEmail(r *http.Request) (int, any, error) {
	return a.emailStatus(r, *auth.UserFrom(r.Context()))
}

func (a *API) setMyEmail(r *http.Request) (int, any, error) {
	var in EmailRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	// The language first: the one choice refused on its value, before
	// anything is written.
	if in.Lang != nil {
		if err := a.Account.SetLang(r.Context(), u, *in.Lang); err != nil {
			return 0, nil, err
		}
	}
	email := ""
	if in.Email != nil {
		email = strings.TrimSpace(*in.Email)
	}
	if email != u.Email {
		if err := a.Account.SetEmail(r.Context(), u, u.Username, email, lang(r)); err != nil {
			return 0, nil, err
		}
	}
	if in.Notices != nil {
		if err := a.Account.SetNoticeEmail(r.Context(), u, *in.Notices); err != nil {
			return 0, nil, err
		}
	}
	if in.Digest != nil {
		if err := a.Account.SetNoticeDigest(r.Context(), u, *in.Digest); err != nil {
			return 0, nil, err
		}
	}
	fresh, _, err := a.DB.UserByUsername(r.Context(), u.Username)
	if err != nil {
		return 0, nil, err
	}
	return a.emailStatus(r, fresh)
}

func (a *API) verifyEmail(r *http.Request) (int, any, error) {
	var in TokenRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u, err := a.Account.VerifyEmail(r.Context(), in.Token)
	if err != nil {
		return 0, nil, err
	}
	return a.emailStatus(r, u)
}

func (a *API) forgotPassword(r *http.Request) (int, any, error) {
	var in ForgotRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	l := lang(r)
	if err := a.Account.RequestReset(r.Context(), in.Email, auth.AddrOf(r), l); err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, ForgotJSON{Message: a.Cat.T(l, "reset.sent", nil)}, nil
}

func (a *API) resetPassword(r *http.Request) (int, any, error) {
	var in ResetRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := a.Account.ResetPassword(r.Context(), in.Token, in.Password); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) listUsers(r *http.Request) (int, any, error) {
	users, err := a.DB.ListUsers(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := UserListJSON{Items: []UserJSON{}}
	for _, u := range users {
		out.Items = append(out.Items, userJSON(u))
	}
	return http.StatusOK, out, nil
}

func (a *API) createUser(r *http.Request) (int, any, error) {
	var in UserRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u := concord.User{Username: strings.TrimSpace(in.Username), Role: concord.Role(in.Role)}
	if in.State != nil {
		u.State = strings.ToUpper(strings.TrimSpace(*in.State))
	}
	if in.OrgID != nil {
		u.OrgID = *in.OrgID
	}
	if in.Email != nil {
		u.Email = strings.TrimSpace(*in.Email)
	}
	var errs concord.Errors
	if u.Role == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "role", "error.role_required", "choose a role"))
	}
	invite, hash := in.Password == nil || *in.Password == "", store.NoPassword
	if invite && u.Email == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "password", "error.invite_email", "give a password, or an email address to invite"))
	}
	if !invite {
		var err error
		hash, err = auth.HashUserPassword(*in.Password, u.Username)
		errs.Add(err)
	}
	if len(errs) > 0 {
		if u.Role != "" {
			errs.Add(u.Validate())
		}
		return 0, nil, errs.Err() // every problem at once
	}
	u.Lang = lang(r) // the language its welcome email is in
	err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, hash); err != nil {
			return err
		}
		return a.Account.Welcome(tx, u, invite, lang(r))
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, userJSON(u), nil
}

func (a *API) setUserEmail(r *http.Request) (int, any, error) {
	var in UserEmailRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	email := ""
	if in.Email != nil {
		email = strings.TrimSpace(*in.Email)
	}
	name := r.PathValue("username")
	if err := a.Account.SetEmail(r.Context(), auth.UserFrom(r.Context()), name, email, lang(r)); err != nil {
		return 0, nil, err
	}
	u, _, err := a.DB.UserByUsername(r.Context(), name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, userJSON(u), nil
}
