package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"concord"
	"concord/internal/privacy"
)

// personalRoutes are the pages of a person's own data (issue 11): what is
// kept and who sees it, its export, and deleting the account (by its owner,
// or by the Secretariat for them).
func (s *Server) personalRoutes() []Route {
	return []Route{
		{"GET", "/account/data", concord.ActAccount, nil, "/account/data", s.accountData},
		{"GET", "/account/data/export", concord.ActAccount, nil, "/account/data/export", s.accountExport},
		{"GET", "/account/delete", concord.ActAccount, nil, "/account/delete", s.accountDeleteForm},
		{"POST", "/account/delete", concord.ActAccount, nil, "/account/delete", s.accountDelete},
		{"GET", "/admin/users/{id}/delete", concord.ActManageUsers, nil, "/admin/users/1/delete", s.userDeleteForm},
		{"POST", "/admin/users/{id}/delete", concord.ActManageUsers, nil, "/admin/users/1/delete", s.userDelete},
	}
}

func (s *Server) privacy() *privacy.Service { return &privacy.Service{DB: s.DB} }

// dataView is the page saying what Concord keeps about a person.
type dataView struct {
	// Kept lists each kind of data: the message ids of its name, who sees
	// it and how long it is kept ("data.<kind>.what|who|kept").
	Kept []string
}

// dataKinds are the kinds of personal data the page explains, in order.
var dataKinds = []string{"account", "email", "sessions", "links", "audit", "positions", "membership", "notices", "mail"}

func (s *Server) accountData(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account_data", s.newPage(r, "data.heading", dataView{Kept: dataKinds}))
}

// accountExport downloads the person's own data as JSON (the twin of GET
// /api/v1/me/export).
func (s *Server) accountExport(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	d, err := s.privacy().Export(r.Context(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="concord-data-`+strconv.FormatInt(u.ID, 10)+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(privacy.ExportJSON(d, s.DB.Now()))
}

// deleteView is the form that deletes an account, with its warning.
type deleteView struct {
	Self   bool         // the signed-in person's own account
	Target concord.User // the account to delete
	Action string       // where the form posts
	Done   bool         // deleted: say so
}

func (s *Server) accountDeleteForm(w http.ResponseWriter, r *http.Request) error {
	return s.showDelete(w, r, http.StatusOK, *UserFrom(r.Context()), true, nil)
}

func (s *Server) showDelete(w http.ResponseWriter, r *http.Request, status int, target concord.User, self bool, err error) error {
	action := "/account/delete"
	if !self {
		action = "/admin/users/" + strconv.FormatInt(target.ID, 10) + "/delete"
	}
	p := s.newPage(r, "delete.heading", deleteView{Self: self, Target: target, Action: action})
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "account_delete", p)
}

func (s *Server) accountDelete(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	_, err := s.privacy().Erase(r.Context(), u, u.ID, r.PostFormValue("password"))
	if de := formError(err); de != nil {
		return s.showDelete(w, r, Status(de.Code), *u, true, de)
	}
	if err != nil {
		return err
	}
	// Signed out: the session ended with the account.
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/login?deleted=1", http.StatusSeeOther)
	return nil
}

// userTarget reads the account of the path's {id} for the Secretariat.
func (s *Server) userTarget(r *http.Request) (concord.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return concord.User{}, concord.ErrNotFound
	}
	return s.DB.Read(r.Context()).UserByID(id)
}

func (s *Server) userDeleteForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.userTarget(r)
	if err != nil {
		return err
	}
	return s.showDelete(w, r, http.StatusOK, t, t.ID == UserFrom(r.Context()).ID, nil)
}

func (s *Server) userDelete(w http.ResponseWriter, r *http.Request) error {
	t, err := s.userTarget(r)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	if t.ID == u.ID {
		return s.accountDelete(w, r)
	}
	_, err = s.privacy().Erase(r.Context(), u, t.ID, r.PostFormValue("password"))
	if de := formError(err); de != nil {
		return s.showDelete(w, r, Status(de.Code), t, false, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/admin/users?saved=1", http.StatusSeeOther)
	return nil
}

// formerActor names an erased account as the record does: its role, and
// its State for a delegate ("a former delegate of France").
func (p *Page) formerActor(u concord.User, stateName string) string {
	if u.Role == concord.RoleDelegate && stateName != "" {
		return p.T("log.actor.former_delegate", "State", stateName)
	}
	return p.T("log.actor.former", "Role", p.T("role."+string(u.Role)))
}
