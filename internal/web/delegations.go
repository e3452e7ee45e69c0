package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/delegations"
	"concord/internal/store"
)

// delegationView is a State's mission: its people, invitations pending and
// managers, with the forms its manager (or the Secretariat) may use.
type delegationView struct {
	delegations.Delegation
	Me int64 // the signed-in user: nobody removes themselves
	// CanAppoint: the Secretariat, who appoints the delegation's managers.
	CanAppoint bool
	// Candidates are the delegates who could be appointed manager.
	Candidates []FieldOption
}

// appointmentsView is the Secretariat's list of dated appointments with
// the form to make one.
type appointmentsView struct {
	Items []store.Held
	Past  bool // ended ones are listed too
	Posts []concord.Post
	Now   time.Time
}

func (s *Server) delegationRoutes() []Route {
	return []Route{
		{"GET", "/delegations/{iso3}", concord.ActManageDelegation, stateTarget, "/delegations/FRA", s.delegation},
		{"POST", "/delegations/{iso3}/invitations", concord.ActManageDelegation, stateTarget, "/delegations/FRA/invitations", s.delegationInvite},
		{"POST", "/delegations/{iso3}/people/{user}/remove", concord.ActManageDelegation, stateTarget, "/delegations/FRA/people/2/remove", s.delegationRemove},
		{"POST", "/delegations/{iso3}/people/{user}/speaker", concord.ActManageDelegation, stateTarget, "/delegations/FRA/people/2/speaker", s.delegationSpeaker},
		{"POST", "/delegations/{iso3}/managers", concord.ActAppoint, nil, "/delegations/FRA/managers", s.delegationAppoint},
		{"GET", "/admin/appointments", concord.ActAppoint, nil, "/admin/appointments", s.appointments},
		{"POST", "/admin/appointments", concord.ActAppoint, nil, "/admin/appointments", s.appoint},
		{"POST", "/admin/appointments/{id}/end", concord.ActAppoint, nil, "/admin/appointments/1/end", s.endAppointment},
	}
}

func (s *Server) delegation(w http.ResponseWriter, r *http.Request) error {
	return s.showDelegation(w, r, http.StatusOK, nil)
}

func (s *Server) showDelegation(w http.ResponseWriter, r *http.Request, status int, perr error) error {
	u := UserFrom(r.Context())
	d, err := s.Delegations.View(r.Context(), u, strings.ToUpper(r.PathValue("iso3")))
	if err != nil {
		return err
	}
	v := delegationView{Delegation: d, Me: u.ID, CanAppoint: concord.Can(u, concord.ActAppoint, concord.Target{})}
	if v.CanAppoint {
		for _, x := range d.Delegates {
			if !x.Disabled && !x.Invited && !x.ManagesDelegation(d.State.ISO3) {
				v.Candidates = append(v.Candidates, FieldOption{Value: x.Username, Label: x.Username})
			}
		}
	}
	p := s.newPage(r, "delegation.heading", v)
	p.Form = url.Values{"from": {d.At.UTC().Format(time.DateOnly)}}
	if r.Method == http.MethodPost {
		p.Form = r.PostForm
	}
	if perr != nil {
		p.SetErr(perr)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "delegation", p)
}

// delegationAfter redirects to the delegation page, or shows it again with
// the form's error.
func (s *Server) delegationAfter(w http.ResponseWriter, r *http.Request, err error) error {
	if de := formError(err); de != nil {
		return s.showDelegation(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/delegations/"+strings.ToUpper(r.PathValue("iso3"))+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) delegationInvite(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Delegations.Invite(r.Context(), UserFrom(r.Context()), strings.ToUpper(r.PathValue("iso3")), delegations.Invitation{
		Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		MaySpeak: r.PostFormValue("may_speak") != "", Lang: LangFrom(r.Context())})
	return s.delegationAfter(w, r, err)
}

// pathUser is the {user} of the path; a malformed one is not found.
func pathUser(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PathValue("user")), 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.ErrNotFound
	}
	return id, nil
}

func (s *Server) delegationRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUser(r)
	if err != nil {
		return err
	}
	return s.delegationAfter(w, r, s.Delegations.Remove(r.Context(), UserFrom(r.Context()), strings.ToUpper(r.PathValue("iso3")), id))
}

func (s *Server) delegationSpeaker(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUser(r)
	if err != nil {
		return err
	}
	return s.delegationAfter(w, r, s.Delegations.SetSpeaker(r.Context(), UserFrom(r.Context()), strings.ToUpper(r.PathValue("iso3")), id,
		r.PostFormValue("may_speak") == "1"))
}

// formDay reads a date (UTC) of a form field; "" is the zero time.
func formDay(f url.Values, field string, errs *concord.Errors) time.Time {
	raw := strings.TrimSpace(f.Get(field))
	if raw == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		errs.Add(concord.Errorf(concord.EInvalid, field, "error.date", "not a date (YYYY-MM-DD)"))
	}
	return t
}

// appointingFrom reads an appointment from a form, with the errors of
// its dates.
func appointingFrom(f url.Values, post concord.Post, scope string) (delegations.Appointing, error) {
	var errs concord.Errors
	in := delegations.Appointing{Username: f.Get("username"), Post: post, Scope: scope,
		From: formDay(f, "from", &errs), Until: formDay(f, "until", &errs)}
	return in, errs.Err()
}

func (s *Server) delegationAppoint(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, err := appointingFrom(r.PostForm, concord.PostDelegationManager, "")
	if err == nil {
		_, err = s.Delegations.Appoint(r.Context(), UserFrom(r.Context()), in)
	}
	return s.delegationAfter(w, r, err)
}

func (s *Server) appointments(w http.ResponseWriter, r *http.Request) error {
	return s.showAppointments(w, r, http.StatusOK, nil)
}

func (s *Server) showAppointments(w http.ResponseWriter, r *http.Request, status int, perr error) error {
	past := r.URL.Query().Get("past") != ""
	list, err := s.Delegations.Appointments(r.Context(), UserFrom(r.Context()), past)
	if err != nil {
		return err
	}
	p := s.newPage(r, "appointments.heading", appointmentsView{Items: list, Past: past, Posts: concord.Posts, Now: s.DB.Now()})
	p.Form = url.Values{"from": {s.DB.Now().UTC().Format(time.DateOnly)}}
	if r.Method == http.MethodPost {
		p.Form = r.PostForm
	}
	if perr != nil {
		p.SetErr(perr)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "appointments", p)
}

func (s *Server) appoint(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, err := appointingFrom(r.PostForm, concord.Post(r.PostForm.Get("post")), r.PostForm.Get("scope"))
	if err == nil {
		_, err = s.Delegations.Appoint(r.Context(), UserFrom(r.Context()), in)
	}
	if de := formError(err); de != nil {
		return s.showAppointments(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/admin/appointments?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) endAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := s.Delegations.End(r.Context(), UserFrom(r.Context()), id)
	if de := formError(err); de != nil {
		return s.showAppointments(w, r, Status(de.Code), err)
	}
	if err != nil {
		return err
	}
	// Back to where it was ended from: a delegation's page for its manager.
	to := "/admin/appointments?saved=1"
	if r.PostFormValue("back") == "delegation" && h.Post == concord.PostDelegationManager {
		to = "/delegations/" + h.Scope + "?saved=1"
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+to, http.StatusSeeOther)
	return nil
}
