package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/ical"
	"concord/internal/portal"
)

// The portal's projects catalogue, a project's page with its principles
// checklist, and the events calendar with its iCalendar feed (issue 13).
// The service decides who sees a project kept to States on every read.

func (s *Server) projectRoutes() []Route {
	return []Route{
		{"GET", "/portal/projects", concord.ActRead, nil, "/portal/projects", s.projectsList},
		{"GET", "/portal/projects/new", concord.ActOffer, nil, "/portal/projects/new", s.projectNew},
		{"POST", "/portal/projects", concord.ActOffer, nil, "/portal/projects", s.projectCreate},
		{"GET", "/portal/projects/{id}", concord.ActRead, nil, "/portal/projects/1", s.projectPage},
		{"GET", "/portal/projects/{id}/edit", concord.ActAccount, nil, "/portal/projects/1/edit", s.projectEdit},
		{"POST", "/portal/projects/{id}", concord.ActAccount, nil, "/portal/projects/1", s.projectUpdate},
		{"POST", "/portal/needs/{id}/project", concord.ActAccount, nil, "/portal/needs/1/project", s.projectFromMatch},
		{"GET", "/portal/events", concord.ActRead, nil, "/portal/events", s.eventsList},
		{"GET", "/portal/events.ics", concord.ActRead, nil, "/portal/events.ics", s.eventsFeed},
		{"GET", "/portal/events/new", concord.ActOffer, nil, "/portal/events/new", s.eventNew},
		{"POST", "/portal/events", concord.ActOffer, nil, "/portal/events", s.eventCreate},
		{"GET", "/portal/events/{id}", concord.ActRead, nil, "/portal/events/1", s.eventPage},
		{"GET", "/portal/events/{id}/edit", concord.ActOffer, nil, "/portal/events/1/edit", s.eventEdit},
		{"POST", "/portal/events/{id}", concord.ActOffer, nil, "/portal/events/1", s.eventUpdate},
	}
}

// Principle shows a principle's wording in the page's language.
func (p *Page) Principle(code string) template.HTML {
	if pr, ok := capacity.LookupPrinciple(code); ok {
		return p.Show(pr.Name)
	}
	return template.HTML(template.HTMLEscapeString(code))
}

// projectRow is a project in the catalogue.
type projectRow struct {
	capacity.Project
	BeneficiaryName template.HTML
	ProviderNames   []template.HTML
}

func (s *Server) projectRows(r *http.Request, p *Page, ps []capacity.Project) ([]projectRow, error) {
	var orgs []int64
	for _, x := range ps {
		for _, v := range x.Providers {
			if v.OrgID != 0 {
				orgs = append(orgs, v.OrgID)
			}
		}
	}
	names, err := s.portalNames(r, orgs)
	rows := make([]projectRow, 0, len(ps))
	for _, x := range ps {
		row := projectRow{Project: x, BeneficiaryName: p.Show(names.states[x.Beneficiary])}
		for _, v := range x.Providers {
			row.ProviderNames = append(row.ProviderNames, names.provider(p, v))
		}
		rows = append(rows, row)
	}
	return rows, err
}

// projectsView is the projects catalogue.
type projectsView struct {
	Rows      []projectRow
	Total     int
	Pager     pager
	Areas     []capacity.AreaInfo
	Statuses  []capacity.ProjectStatus
	Area      string
	Status    string
	CanCreate bool
	SeesAll   bool
}

func (s *Server) projectsList(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	q := r.URL.Query()
	v := projectsView{Areas: capacity.Areas, Statuses: capacity.ProjectStatuses, Area: q.Get("area"), Status: q.Get("status"),
		CanCreate: concord.Can(u, concord.ActOffer, concord.Target{}), SeesAll: concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{})}
	p := s.newPage(r, "project.catalogue", nil)
	area, err := readArea(v.Area)
	var errs concord.Errors
	errs.Add(err)
	status := capacity.ProjectStatus(v.Status)
	if v.Status != "" && !slices.Contains(capacity.ProjectStatuses, status) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "status", "project.error.status", "choose a status"))
	}
	if err := errs.Err(); err != nil {
		p.SetErr(err)
		p.Data = v
		return s.render(w, r, Status(concord.EInvalid), "projects", p)
	}
	f := portal.ProjectFilter{Area: area, Status: status}
	page, _ := strconv.Atoi(q.Get("page"))
	offset := (max(page, 1) - 1) * PortalPageSize
	l, err := s.portalSvc().Projects(r.Context(), u, f, PortalPageSize, offset)
	if err != nil {
		return err
	}
	pg, at := newPager(r, l.Total, PortalPageSize)
	if at != offset {
		if l, err = s.portalSvc().Projects(r.Context(), u, f, PortalPageSize, at); err != nil {
			return err
		}
	}
	v.Pager, v.Total = pg, l.Total
	if v.Rows, err = s.projectRows(r, p, l.Projects); err != nil {
		return err
	}
	p.Data = v
	return s.render(w, r, http.StatusOK, "projects", p)
}

// principleLine is one principle of a project's checklist as its page
// shows it.
type principleLine struct {
	Code   string
	Group  capacity.PrincipleGroup
	First  bool // the first of its group: the page heads the group
	Report capacity.PrincipleReport
	Given  bool
}

func checklistLines(p capacity.Project) []principleLine {
	var out []principleLine
	for i, pr := range capacity.Principles {
		r, ok := p.Report(pr.Code)
		out = append(out, principleLine{Code: pr.Code, Group: pr.Group, First: i == 0 || capacity.Principles[i-1].Group != pr.Group, Report: r, Given: ok})
	}
	return out
}

// projectView is a project's page.
type projectView struct {
	Row       projectRow
	Need      *capacity.Need // the need it came from, when the reader may see it
	Checklist []principleLine
	Answered  int
	CanEdit   bool
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	pv, err := s.portalSvc().Project(r.Context(), u, id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "project.title", nil)
	p.Title = pv.Project.Title
	rows, err := s.projectRows(r, p, []capacity.Project{pv.Project})
	if err != nil {
		return err
	}
	p.Data = projectView{Row: rows[0], Need: pv.Need, Checklist: checklistLines(pv.Project), Answered: len(pv.Project.Checklist),
		CanEdit: capacity.CanEditProject(u, pv.Project)}
	return s.render(w, r, http.StatusOK, "project", p)
}

// projectFormView is the form for a project.
type projectFormView struct {
	Project    *capacity.Project // the project edited; nil for a new one
	Action     string
	Areas      []FieldOption
	States     []FieldOption // the beneficiary (and, for the Secretariat, a provider State)
	Secretary  bool
	Statuses   []capacity.ProjectStatus
	Visible    []capacity.Visibility
	Ratings    []capacity.Rating
	Principles []principleLine
}

func (s *Server) showProjectForm(w http.ResponseWriter, r *http.Request, status int, f projectFormView, form url.Values, err error) error {
	u := UserFrom(r.Context())
	p := s.newPage(r, "project.new", nil)
	if f.Project != nil {
		p.Title = p.T("project.edit")
	}
	f.Areas, f.Statuses, f.Visible, f.Ratings = areaOptions(p, form["area"]), capacity.ProjectStatuses, capacity.Visibilities, capacity.Ratings
	f.Secretary = u != nil && u.Role == concord.RoleSecretariat
	if f.Project == nil {
		names, states, e := s.stateNames(r)
		if e != nil {
			return e
		}
		for _, st := range states {
			f.States = append(f.States, FieldOption{Value: st.ISO3, Label: p.L(names[st.ISO3]).Text + " (" + st.ISO3 + ")"})
		}
	}
	for i, pr := range capacity.Principles {
		f.Principles = append(f.Principles, principleLine{Code: pr.Code, Group: pr.Group, First: i == 0 || capacity.Principles[i-1].Group != pr.Group,
			Report: capacity.PrincipleReport{Principle: pr.Code, Rating: capacity.Rating(form.Get("rating." + pr.Code)), Note: form.Get("note." + pr.Code)}})
	}
	p.Data, p.Form = f, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "project_form", p)
}

func readProjectForm(form url.Values) portal.ProjectInput {
	in := portal.ProjectInput{Beneficiary: form.Get("beneficiary"), Area: capacity.Area(form.Get("area")), Title: form.Get("title"),
		Description: form.Get("description"), Status: capacity.ProjectStatus(form.Get("status")), Outcomes: form.Get("outcomes"),
		Visibility: capacity.Visibility(form.Get("visibility"))}
	if st := strings.ToUpper(strings.TrimSpace(form.Get("provider_state"))); st != "" {
		in.Providers = append(in.Providers, capacity.Provider{State: st})
	}
	if raw := strings.TrimSpace(form.Get("provider_org")); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "providers", "project.error.provider", "each provider is one State (not the beneficiary) or one organisation"))
		} else {
			in.Providers = append(in.Providers, capacity.Provider{OrgID: id})
		}
	}
	in.From, in.Until = readDate(form, "from", &in.Unread), readDate(form, "until", &in.Unread)
	for _, pr := range capacity.Principles {
		in.Checklist = append(in.Checklist, capacity.PrincipleReport{Principle: pr.Code, Rating: capacity.Rating(form.Get("rating." + pr.Code)), Note: form.Get("note." + pr.Code)})
	}
	return in
}

func projectValues(x capacity.Project) url.Values {
	v := url.Values{"area": {string(x.Area)}, "title": {x.Title}, "description": {x.Description}, "status": {string(x.Status)},
		"outcomes": {x.Outcomes}, "visibility": {string(x.Visibility)}, "from": {x.From.Format(time.DateOnly)}, "until": {x.Until.Format(time.DateOnly)}}
	for _, r := range x.Checklist {
		v.Set("rating."+r.Principle, string(r.Rating))
		v.Set("note."+r.Principle, r.Note)
	}
	return v
}

func (s *Server) projectNew(w http.ResponseWriter, r *http.Request) error {
	return s.showProjectForm(w, r, http.StatusOK, projectFormView{Action: "/portal/projects"},
		url.Values{"visibility": {string(capacity.Public)}, "status": {string(capacity.Planned)}}, nil)
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	x, err := s.portalSvc().CreateProject(r.Context(), UserFrom(r.Context()), readProjectForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showProjectForm(w, r, Status(de.Code), projectFormView{Action: "/portal/projects"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/projects/"+strconv.FormatInt(x.ID, 10), http.StatusSeeOther)
	return nil
}

// editableProject reads project id for an edit, refusing one the reader
// may not edit.
func (s *Server) editableProject(r *http.Request) (capacity.Project, error) {
	id, err := pathID(r)
	if err != nil {
		return capacity.Project{}, err
	}
	u := UserFrom(r.Context())
	pv, err := s.portalSvc().Project(r.Context(), u, id)
	if err != nil {
		return pv.Project, err
	}
	if !capacity.CanEditProject(u, pv.Project) {
		return pv.Project, concord.Errorf(concord.EForbidden, "", "project.error.not_editor", "a project is edited by its beneficiary, its providers or the Secretariat")
	}
	return pv.Project, nil
}

func (s *Server) projectEdit(w http.ResponseWriter, r *http.Request) error {
	x, err := s.editableProject(r)
	if err != nil {
		return err
	}
	return s.showProjectForm(w, r, http.StatusOK, projectFormView{Project: &x, Action: "/portal/projects/" + strconv.FormatInt(x.ID, 10)}, projectValues(x), nil)
}

func (s *Server) projectUpdate(w http.ResponseWriter, r *http.Request) error {
	x, err := s.editableProject(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.portalSvc().EditProject(r.Context(), UserFrom(r.Context()), x.ID, readProjectForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showProjectForm(w, r, Status(de.Code), projectFormView{Project: &x, Action: "/portal/projects/" + strconv.FormatInt(x.ID, 10)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/projects/"+strconv.FormatInt(x.ID, 10), http.StatusSeeOther)
	return nil
}

// projectFromMatch turns an agreed match into a project; a second press
// (or the other side's, at the same moment) lands on the project made.
func (s *Server) projectFromMatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	offer, err := strconv.ParseInt(r.PostForm.Get("offer"), 10, 64)
	if err != nil || offer <= 0 {
		return concord.Errorf(concord.EInvalid, "offer", "portal.error.no_offer", "no offer %q", r.PostForm.Get("offer"))
	}
	u := UserFrom(r.Context())
	x, err := s.portalSvc().ProjectFromMatch(r.Context(), u, id, offer)
	if de := AsDomain(err); de != nil && de.Key == "project.error.exists" {
		x, err = s.portalSvc().ProjectOfMatch(r.Context(), u, id, offer)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/projects/"+strconv.FormatInt(x.ID, 10), http.StatusSeeOther)
	return nil
}

// EventsFeedDays is how far back the calendar and its feed reach: events
// that ended within it are still listed.
const EventsFeedDays = 30

// eventRow is an event as the calendar lists it.
type eventRow struct {
	capacity.Event
	Local time.Time // the start in the venue's zone
}

// eventsView is the calendar.
type eventsView struct {
	Rows      []eventRow
	CanCreate bool
}

func (s *Server) eventsList(w http.ResponseWriter, r *http.Request) error {
	evs, err := s.portalSvc().Events(r.Context(), s.DB.Now().AddDate(0, 0, -EventsFeedDays), 0)
	if err != nil {
		return err
	}
	p := s.newPage(r, "event.calendar", nil)
	v := eventsView{CanCreate: capacity.CanManageEvent(UserFrom(r.Context()))}
	for _, e := range evs {
		v.Rows = append(v.Rows, eventRow{Event: e, Local: e.Local(e.Start)})
	}
	p.Data = v
	return s.render(w, r, http.StatusOK, "events", p)
}

// EventTime shows an instant of event e in the event's own zone.
func (p *Page) EventTime(e capacity.Event, t time.Time) template.HTML {
	return zoned(t, e.Local(t).Location())
}

func (s *Server) eventsFeed(w http.ResponseWriter, r *http.Request) error {
	evs, err := s.portalSvc().Events(r.Context(), s.DB.Now().AddDate(0, 0, -EventsFeedDays), 0)
	if err != nil {
		return err
	}
	p := s.newPage(r, "event.calendar", nil)
	c := ical.Calendar{Name: p.T("event.feed_name")}
	base := s.baseURL(r)
	for _, e := range evs {
		local := func(t time.Time) string { l := e.Local(t); return l.Format("2006-01-02 15:04") + " " + zoneLabel(l) }
		desc := []string{p.T("event.kind."+string(e.Kind)) + " · " + p.L(mustArea(e.Area)).Text,
			p.T("event.local_time") + ": " + local(e.Start) + " – " + local(e.End),
			p.T("event.organiser") + ": " + e.Organiser,
			p.T("portal.languages") + ": " + p.LangList(e.Languages)}
		if e.OnlineURL != "" {
			desc = append(desc, p.T("event.online_url")+": "+e.OnlineURL)
		}
		desc = append(desc, "", e.Description)
		location := e.Venue
		if location == "" {
			location = e.OnlineURL
		}
		c.Events = append(c.Events, ical.Event{UID: fmt.Sprintf("portal-event-%d.%s@concord", e.ID, e.Process), Sequence: e.Sequence,
			Created: e.Created, Modified: e.Updated, Start: e.Start, End: e.End, Summary: e.Title, Description: strings.Join(desc, "\n"),
			Location: location, URL: base + "/" + p.Lang + "/portal/events/" + strconv.FormatInt(e.ID, 10), Categories: []string{p.T("event.kind." + string(e.Kind))}})
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="portal-events.ics"`)
	h.Set("Content-Language", p.Lang)
	w.Write(c.Encode())
	return nil
}

func mustArea(a capacity.Area) concord.Text {
	info, _ := capacity.Lookup(a)
	return info.Name
}

// eventView is an event's page.
type eventView struct {
	Event   capacity.Event
	CanEdit bool
}

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.portalSvc().Event(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "event.title", nil)
	p.Title = e.Title
	p.Data = eventView{Event: e, CanEdit: capacity.CanEditEvent(UserFrom(r.Context()), e)}
	return s.render(w, r, http.StatusOK, "event", p)
}

// eventFormView is the form for an event.
type eventFormView struct {
	Event     *capacity.Event
	Action    string
	Kinds     []capacity.EventKind
	Areas     []FieldOption
	Languages []portalCheck
}

func (s *Server) showEventForm(w http.ResponseWriter, r *http.Request, status int, f eventFormView, form url.Values, err error) error {
	p := s.newPage(r, "event.new", nil)
	if f.Event != nil {
		p.Title = p.T("event.edit")
	}
	f.Kinds, f.Areas, f.Languages = capacity.EventKinds, areaOptions(p, form["area"]), langChecks(p, form)
	p.Data, p.Form = f, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "event_form", p)
}

const localLayoutMinutes = "2006-01-02T15:04"

func readEventForm(form url.Values) portal.EventInput {
	in := portal.EventInput{Kind: capacity.EventKind(form.Get("kind")), Title: form.Get("title"), Description: form.Get("description"),
		Zone: strings.TrimSpace(form.Get("zone")), Venue: form.Get("venue"), OnlineURL: form.Get("online_url"), Organiser: form.Get("organiser"),
		Area: capacity.Area(form.Get("area")), Languages: form["languages"]}
	loc, err := time.LoadLocation(in.Zone)
	if err != nil || in.Zone == "" || in.Zone == "Local" {
		loc = time.UTC // the zone is reported by the domain
	}
	in.Start, in.End = readLocal(form, "start", loc, &in.Unread), readLocal(form, "end", loc, &in.Unread)
	return in
}

func eventValues(e capacity.Event) url.Values {
	return url.Values{"kind": {string(e.Kind)}, "title": {e.Title}, "description": {e.Description}, "zone": {e.Zone}, "venue": {e.Venue},
		"online_url": {e.OnlineURL}, "organiser": {e.Organiser}, "area": {string(e.Area)}, "languages": e.Languages,
		"start": {e.Local(e.Start).Format(localLayoutMinutes)}, "end": {e.Local(e.End).Format(localLayoutMinutes)}}
}

func (s *Server) eventNew(w http.ResponseWriter, r *http.Request) error {
	return s.showEventForm(w, r, http.StatusOK, eventFormView{Action: "/portal/events"}, url.Values{}, nil)
}

func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	e, err := s.portalSvc().CreateEvent(r.Context(), UserFrom(r.Context()), readEventForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showEventForm(w, r, Status(de.Code), eventFormView{Action: "/portal/events"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/events/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) editableEvent(r *http.Request) (capacity.Event, error) {
	id, err := pathID(r)
	if err != nil {
		return capacity.Event{}, err
	}
	e, err := s.portalSvc().Event(r.Context(), id)
	if err != nil {
		return e, err
	}
	if !capacity.CanEditEvent(UserFrom(r.Context()), e) {
		return e, concord.Errorf(concord.EForbidden, "", "event.error.not_editor", "an event is edited by who put it on the calendar or the Secretariat")
	}
	return e, nil
}

func (s *Server) eventEdit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	return s.showEventForm(w, r, http.StatusOK, eventFormView{Event: &e, Action: "/portal/events/" + strconv.FormatInt(e.ID, 10)}, eventValues(e), nil)
}

func (s *Server) eventUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.portalSvc().EditEvent(r.Context(), UserFrom(r.Context()), e.ID, readEventForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showEventForm(w, r, Status(de.Code), eventFormView{Event: &e, Action: "/portal/events/" + strconv.FormatInt(e.ID, 10)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/events/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
	return nil
}
