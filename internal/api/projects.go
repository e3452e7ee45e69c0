package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/auth"
	"concord/internal/portal"
)

// The portal's projects, the principles checklist and the events
// calendar: the twins of the /{lang}/portal/projects and /portal/events
// pages. A project kept to States is "not found" outside the States and
// the Secretariat, and the need it came from is named only to whoever may
// read that need.

func (a *API) projectRoutes() []Route {
	return []Route{
		{"GET", "/portal/principles", concord.ActRead, nil, "/portal/principles", a.listPrinciples},
		{"GET", "/portal/projects", concord.ActRead, nil, "/portal/projects", a.listProjects},
		{"POST", "/portal/projects", concord.ActOffer, nil, "/portal/projects", a.createProject},
		{"GET", "/portal/projects/{id}", concord.ActRead, nil, "/portal/projects/1", a.getProject},
		{"PUT", "/portal/projects/{id}", concord.ActAccount, nil, "/portal/projects/1", a.editProject},
		{"POST", "/portal/needs/{id}/projects", concord.ActAccount, nil, "/portal/needs/1/projects", a.projectFromMatch},
		{"GET", "/portal/events", concord.ActRead, nil, "/portal/events", a.listEvents},
		{"POST", "/portal/events", concord.ActOffer, nil, "/portal/events", a.createEvent},
		{"GET", "/portal/events/{id}", concord.ActRead, nil, "/portal/events/1", a.getEvent},
		{"PUT", "/portal/events/{id}", concord.ActOffer, nil, "/portal/events/1", a.editEvent},
	}
}

// PrincipleJSON is a capacity-building principle, worded in the six
// languages.
type PrincipleJSON struct {
	Code  string                  `json:"code"`
	Group capacity.PrincipleGroup `json:"group"`
	Name  concord.Text            `json:"name"`
}

func (a *API) listPrinciples(*http.Request) (int, any, error) {
	out := make([]PrincipleJSON, 0, len(capacity.Principles))
	for _, p := range capacity.Principles {
		out = append(out, PrincipleJSON{Code: p.Code, Group: p.Group, Name: p.Name})
	}
	return http.StatusOK, out, nil
}

// PrincipleReportJSON is a project's answer on one principle.
type PrincipleReportJSON struct {
	Principle string          `json:"principle"`
	Rating    capacity.Rating `json:"rating"`
	Note      string          `json:"note"`
}

// ProjectJSON is a project: dates as YYYY-MM-DD. need and offer are the
// match it came from (null when entered directly, or when the reader may
// not read the need).
type ProjectJSON struct {
	ID          int64                  `json:"id"`
	Beneficiary string                 `json:"beneficiary"`
	Providers   []ProviderJSON         `json:"providers"`
	Area        capacity.Area          `json:"area"`
	Title       string                 `json:"title"`
	Description string                 `json:"description"`
	From        string                 `json:"from"`
	Until       string                 `json:"until"`
	Status      capacity.ProjectStatus `json:"status"`
	Outcomes    string                 `json:"outcomes"`
	Visibility  capacity.Visibility    `json:"visibility"`
	Need        *int64                 `json:"need"`
	Offer       *int64                 `json:"offer"`
	Checklist   []PrincipleReportJSON  `json:"checklist"`
	Created     time.Time              `json:"created"`
	Updated     time.Time              `json:"updated"`
}

func providerJSON(v capacity.Provider) ProviderJSON {
	p := ProviderJSON{State: orNull(v.State)}
	if v.OrgID != 0 {
		id := v.OrgID
		p.Organization = &id
	}
	return p
}

// projectJSON shows p; showNeed says whether the reader may read the need
// it came from.
func projectJSON(p capacity.Project, showNeed bool) ProjectJSON {
	out := ProjectJSON{ID: p.ID, Beneficiary: p.Beneficiary, Providers: []ProviderJSON{}, Area: p.Area, Title: p.Title, Description: p.Description,
		From: p.From.Format(time.DateOnly), Until: p.Until.Format(time.DateOnly), Status: p.Status, Outcomes: p.Outcomes, Visibility: p.Visibility,
		Checklist: []PrincipleReportJSON{}, Created: p.Created.UTC(), Updated: p.Updated.UTC()}
	for _, v := range p.Providers {
		out.Providers = append(out.Providers, providerJSON(v))
	}
	if showNeed && p.Need != 0 {
		n, o := p.Need, p.Offer
		out.Need, out.Offer = &n, &o
	}
	for _, r := range p.Checklist {
		out.Checklist = append(out.Checklist, PrincipleReportJSON{Principle: r.Principle, Rating: r.Rating, Note: r.Note})
	}
	return out
}

func (a *API) listProjects(r *http.Request) (int, any, error) {
	area, err := queryArea(r)
	var errs concord.Errors
	errs.Add(err)
	q := r.URL.Query()
	status := capacity.ProjectStatus(q.Get("status"))
	if status != "" && !slices.Contains(capacity.ProjectStatuses, status) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "status", "project.error.status", "choose a status"))
	}
	limit, offset, err := page(q)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	f := portal.ProjectFilter{Area: area, Status: status, Beneficiary: strings.ToUpper(strings.TrimSpace(q.Get("beneficiary")))}
	l, err := a.portal().Projects(r.Context(), u, f, limit, offset)
	if err != nil {
		return 0, nil, err
	}
	// A project and its need share their visibility when made, so whoever
	// lists a project kept to States may read its need; a public project
	// names its need only if the need is public too, which the list does
	// not read: it leaves the need to the project's own page.
	out := List[ProjectJSON]{Items: make([]ProjectJSON, 0, len(l.Projects)), Total: l.Total, Limit: limit, Offset: offset}
	for _, p := range l.Projects {
		out.Items = append(out.Items, projectJSON(p, concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{})))
	}
	return http.StatusOK, out, nil
}

// ProjectRequest enters a project or replaces its details. beneficiary
// and providers are read when entering one (a State's delegate or an
// organisation's focal point is always among the providers); status
// defaults to "planned" and visibility to "public".
type ProjectRequest struct {
	Beneficiary string                `json:"beneficiary"`
	Providers   []ProviderJSON        `json:"providers"`
	Area        string                `json:"area"`
	Title       string                `json:"title"`
	Description string                `json:"description"`
	From        string                `json:"from"`
	Until       string                `json:"until"`
	Status      *string               `json:"status"`
	Outcomes    string                `json:"outcomes"`
	Visibility  *string               `json:"visibility"`
	Checklist   []PrincipleReportJSON `json:"checklist"`
}

func (req ProjectRequest) input() portal.ProjectInput {
	in := portal.ProjectInput{Beneficiary: req.Beneficiary, Area: capacity.Area(req.Area), Title: req.Title, Description: req.Description,
		Status: capacity.Planned, Outcomes: req.Outcomes, Visibility: capacity.Public}
	for _, v := range req.Providers {
		var p capacity.Provider
		if v.State != nil {
			p.State = strings.ToUpper(strings.TrimSpace(*v.State))
		}
		if v.Organization != nil {
			p.OrgID = *v.Organization
		}
		in.Providers = append(in.Providers, p)
	}
	if req.Status != nil {
		in.Status = capacity.ProjectStatus(*req.Status)
	}
	if req.Visibility != nil {
		in.Visibility = capacity.Visibility(*req.Visibility)
	}
	for _, c := range req.Checklist {
		in.Checklist = append(in.Checklist, capacity.PrincipleReport{Principle: c.Principle, Rating: c.Rating, Note: c.Note})
	}
	in.From, in.Until = date("from", req.From, &in.Unread), date("until", req.Until, &in.Unread)
	return in
}

func (a *API) createProject(r *http.Request) (int, any, error) {
	var req ProjectRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	p, err := a.portal().CreateProject(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, projectJSON(p, true), nil
}

func (a *API) getProject(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.portal().Project(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, projectJSON(v.Project, v.Need != nil), nil
}

func (a *API) editProject(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var req ProjectRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if _, err := a.portal().EditProject(r.Context(), u, id, req.input()); err != nil {
		return 0, nil, err
	}
	v, err := a.portal().Project(r.Context(), u, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, projectJSON(v.Project, v.Need != nil), nil
}

// MatchProjectRequest names the offer whose match with the need becomes
// a project.
type MatchProjectRequest struct {
	Offer int64 `json:"offer"`
}

func (a *API) projectFromMatch(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var req MatchProjectRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	p, err := a.portal().ProjectFromMatch(r.Context(), auth.UserFrom(r.Context()), id, req.Offer)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, projectJSON(p, true), nil
}

// PortalEventJSON is a calendar event of the portal: start and end as instants (UTC), zone the
// venue's IANA zone.
type PortalEventJSON struct {
	ID          int64              `json:"id"`
	Kind        capacity.EventKind `json:"kind"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	Start       time.Time          `json:"start"`
	End         time.Time          `json:"end"`
	Zone        string             `json:"zone"`
	Venue       *string            `json:"venue"`
	OnlineURL   *string            `json:"online_url"`
	Organiser   string             `json:"organiser"`
	Area        capacity.Area      `json:"area"`
	Languages   []string           `json:"languages"`
	Created     time.Time          `json:"created"`
	Updated     time.Time          `json:"updated"`
}

func portalEventJSON(e capacity.Event) PortalEventJSON {
	return PortalEventJSON{ID: e.ID, Kind: e.Kind, Title: e.Title, Description: e.Description, Start: e.Start.UTC(), End: e.End.UTC(), Zone: e.Zone,
		Venue: orNull(e.Venue), OnlineURL: orNull(e.OnlineURL), Organiser: e.Organiser, Area: e.Area, Languages: strs(e.Languages),
		Created: e.Created.UTC(), Updated: e.Updated.UTC()}
}

func (a *API) listEvents(r *http.Request) (int, any, error) {
	since := a.Decide.DB.Now().AddDate(0, 0, -30)
	if raw := r.URL.Query().Get("since"); raw != "" {
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			return 0, nil, concord.Errorf(concord.EInvalid, "since", "portal.error.date", "since must be a date (YYYY-MM-DD)")
		}
		since = t
	}
	evs, err := a.portal().Events(r.Context(), since, 500)
	if err != nil {
		return 0, nil, err
	}
	out := make([]PortalEventJSON, 0, len(evs))
	for _, e := range evs {
		out = append(out, portalEventJSON(e))
	}
	return http.StatusOK, out, nil
}

// PortalEventRequest puts an event on the calendar or replaces one: start and
// end as RFC 3339 instants.
type PortalEventRequest struct {
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Zone        string    `json:"zone"`
	Venue       string    `json:"venue"`
	OnlineURL   string    `json:"online_url"`
	Organiser   string    `json:"organiser"`
	Area        string    `json:"area"`
	Languages   []string  `json:"languages"`
}

func (req PortalEventRequest) input() portal.EventInput {
	return portal.EventInput{Kind: capacity.EventKind(req.Kind), Title: req.Title, Description: req.Description, Start: req.Start, End: req.End,
		Zone: req.Zone, Venue: req.Venue, OnlineURL: req.OnlineURL, Organiser: req.Organiser, Area: capacity.Area(req.Area), Languages: req.Languages}
}

func (a *API) createEvent(r *http.Request) (int, any, error) {
	var req PortalEventRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	e, err := a.portal().CreateEvent(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, portalEventJSON(e), nil
}

func (a *API) getEvent(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	e, err := a.portal().Event(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, portalEventJSON(e), nil
}

func (a *API) editEvent(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var req PortalEventRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	e, err := a.portal().EditEvent(r.Context(), auth.UserFrom(r.Context()), id, req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, portalEventJSON(e), nil
}
