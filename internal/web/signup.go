package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"concord"
	"concord/internal/auth"
	"concord/internal/signup"
	"concord/internal/store"
)

// signupView is the public sign-up form, or what follows it.
type signupView struct {
	Countries  []FieldOption
	Types      []string
	Duplicates []concord.Organization // likely duplicates, to be confirmed
	Done       bool                   // signed up: a verification link was sent
	Email      string
}

// signupQueueView is the Secretariat's verification queue.
type signupQueueView struct {
	Items    []signup.Evidence
	Status   string   // the shown status, "" for all
	Statuses []string // the choices of the filter
	Pager    pager
}

// queuePage is how many sign-ups the queue shows at once: each comes with
// its evidence, so a page stays readable on a phone and light on the wire.
const queuePage = 20

// membersView is an organisation's focal points and representatives,
// with the invitation form.
type membersView struct {
	Org     concord.Organization
	Members []concord.User
	Me      int64 // the signed-in user's id: nobody removes themselves
}

func (s *Server) signupRoutes() []Route {
	return []Route{
		{"GET", "/signup", concord.ActRead, nil, "/signup", s.signupForm},
		{"POST", "/signup", concord.ActRead, nil, "/signup", s.signUp},
		{"GET", "/admin/signups", concord.ActManageUsers, nil, "/admin/signups", s.signupQueue},
		{"POST", "/admin/signups/{id}/verify", concord.ActManageUsers, nil, "/admin/signups/1/verify", s.verifySignup},
		{"POST", "/admin/signups/{id}/reject", concord.ActManageUsers, nil, "/admin/signups/1/reject", s.rejectSignup},
		{"GET", "/organizations/{id}/members", concord.ActEditOrg, orgTarget, "/organizations/1/members", s.members},
		{"POST", "/organizations/{id}/members", concord.ActEditOrg, orgTarget, "/organizations/1/members", s.inviteMember},
		{"POST", "/organizations/{id}/members/{user}/remove", concord.ActEditOrg, orgTarget, "/organizations/1/members/2/remove", s.removeMember},
	}
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	return s.showSignup(w, r, http.StatusOK, url.Values{"type": {"ngo"}}, nil)
}

func (s *Server) showSignup(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error, dups ...concord.Organization) error {
	states, err := s.DB.ListStates(r.Context())
	if err != nil {
		return err
	}
	rows := make([]stateRow, len(states))
	for i, st := range states {
		rows[i] = stateRow{State: st}
	}
	sortStates(rows, LangFrom(r.Context()))
	p := s.newPage(r, "signup.heading", nil)
	countries := make([]FieldOption, len(rows))
	for i, st := range rows {
		countries[i] = FieldOption{Value: st.ISO3, Label: p.L(st.Names).Text}
	}
	p.Data = signupView{Countries: countries, Types: concord.StakeholderTypes, Duplicates: dups}
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "signup", p)
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	private(w) // the form carries a password
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	o := orgFromForm(f)
	a := signup.Application{Org: o, ECOSOCClaim: f.Get("ecosoc_id"), Name: f.Get("name"), Username: f.Get("username"),
		Email: f.Get("email"), Password: f.Get("password"), ConfirmDuplicate: f.Get("confirm_duplicate") != "", Lang: LangFrom(r.Context())}
	sg, err := s.Signup.SignUp(r.Context(), a, auth.AddrOf(r))
	// The password is never sent back in the form.
	form := url.Values{}
	for k, v := range f {
		if k != "password" {
			form[k] = v
		}
	}
	if de, ok := errors.AsType[*store.DuplicatesError](err); ok {
		return s.showSignup(w, r, http.StatusConflict, form, AsDomain(err), de.Candidates...)
	}
	if formError(err) != nil || concord.ErrorCode(err) == concord.ETooMany {
		retryAfter(w, err)
		return s.showSignup(w, r, Status(concord.ErrorCode(err)), form, err)
	}
	if err != nil {
		return err
	}
	p := s.newPage(r, "signup.heading", signupView{Done: true, Email: sg.User.Email})
	return s.render(w, r, http.StatusCreated, "signup", p)
}

func (s *Server) signupQueue(w http.ResponseWriter, r *http.Request) error {
	return s.showQueue(w, r, http.StatusOK, nil)
}

func (s *Server) showQueue(w http.ResponseWriter, r *http.Request, status int, perr error) error {
	st := r.URL.Query().Get("status")
	switch st {
	case store.SignupPending, store.SignupVerified, store.SignupRejected, "all":
	default:
		st = store.SignupPending
	}
	filter := st
	if st == "all" {
		filter = ""
	}
	_, total, err := s.Signup.Queue(r.Context(), filter, 0, 0)
	if err != nil {
		return err
	}
	pg, offset := newPager(r, total, queuePage)
	items, _, err := s.Signup.Queue(r.Context(), filter, queuePage, offset)
	if err != nil {
		return err
	}
	p := s.newPage(r, "signups.heading", signupQueueView{Items: items, Status: st, Pager: pg,
		Statuses: []string{store.SignupPending, store.SignupVerified, store.SignupRejected, "all"}})
	if r.Method == http.MethodPost {
		p.Form = r.PostForm
	}
	if perr != nil {
		p.SetErr(perr)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "signups", p)
}

func (s *Server) verifySignup(w http.ResponseWriter, r *http.Request) error {
	return s.decideSignup(w, r, true)
}

func (s *Server) rejectSignup(w http.ResponseWriter, r *http.Request) error {
	return s.decideSignup(w, r, false)
}

func (s *Server) decideSignup(w http.ResponseWriter, r *http.Request, verify bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.Signup.Decide(r.Context(), UserFrom(r.Context()), id, verify, r.PostFormValue("reason"))
	if de := formError(err); de != nil {
		return s.showQueue(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/admin/signups?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) members(w http.ResponseWriter, r *http.Request) error {
	return s.showMembers(w, r, http.StatusOK, nil)
}

func (s *Server) showMembers(w http.ResponseWriter, r *http.Request, status int, perr error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	list, err := s.Signup.Members(r.Context(), u, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "members.heading", membersView{Org: o, Members: list, Me: u.ID})
	if r.Method == http.MethodPost {
		p.Form = r.PostForm
	}
	if perr != nil {
		p.SetErr(perr)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "members", p)
}

func (s *Server) inviteMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.Signup.Invite(r.Context(), UserFrom(r.Context()), id, r.PostFormValue("username"), r.PostFormValue("name"),
		r.PostFormValue("email"), LangFrom(r.Context()))
	if de := formError(err); de != nil {
		return s.showMembers(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/organizations/"+strconv.FormatInt(id, 10)+"/members?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	user, err := strconv.ParseInt(strings.TrimSpace(r.PathValue("user")), 10, 64)
	if err != nil {
		return concord.ErrNotFound
	}
	err = s.Signup.Remove(r.Context(), UserFrom(r.Context()), id, user)
	if de := formError(err); de != nil {
		return s.showMembers(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/organizations/"+strconv.FormatInt(id, 10)+"/members?saved=1", http.StatusSeeOther)
	return nil
}
