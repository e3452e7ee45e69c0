package api

import (
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/auth"
	"concord/internal/normsvc"
	"concord/norms"
)

// The norms implementation checklist: the twins of the /{lang}/norms pages.
// A report kept to States is "not found" for anyone outside the States and
// the Secretariat, and left out of their figures and histories: the
// service checks it on every read.

func (a *API) normsRoutes() []Route {
	return []Route{
		{"GET", "/norms", concord.ActRead, nil, "/norms", a.normsChecklist},
		{"GET", "/norms/progress", concord.ActRead, nil, "/norms/progress", a.normsProgress},
		{"GET", "/norms/states/{iso3}", concord.ActRead, nil, "/norms/states/KEN", a.normsState},
		{"GET", "/norms/states/{iso3}/actions/{action}", concord.ActRead, nil, "/norms/states/KEN/actions/a1", a.normsReport},
		{"PUT", "/norms/states/{iso3}/actions/{action}", concord.ActReportNorms, stateTarget, "/norms/states/KEN/actions/a1", a.normsPutReport},
	}
}

func (a *API) norms() *normsvc.Service {
	return &normsvc.Service{DB: a.Decide.DB, Process: a.Decide.Process}
}

// NormActionJSON is a practical action of the checklist.
type NormActionJSON struct {
	Code  string       `json:"code"`
	Title concord.Text `json:"title"`
}

// NormJSON is one of the eleven norms with its actions.
type NormJSON struct {
	Letter  string           `json:"letter"`
	Area    capacity.Area    `json:"area"`
	Name    concord.Text     `json:"name"`
	Actions []NormActionJSON `json:"actions"`
}

func (a *API) normsChecklist(*http.Request) (int, any, error) {
	out := make([]NormJSON, 0, len(norms.Checklist()))
	for _, n := range norms.Checklist() {
		j := NormJSON{Letter: n.Letter, Area: n.Area, Name: n.Name, Actions: make([]NormActionJSON, 0, len(n.Actions))}
		for _, x := range n.Actions {
			j.Actions = append(j.Actions, NormActionJSON{Code: x.Code, Title: x.Title})
		}
		out = append(out, j)
	}
	return http.StatusOK, out, nil
}

// NormCountsJSON is how many actions stand at each status, and the share
// of those that apply that are implemented (a whole percentage).
type NormCountsJSON struct {
	Implemented   int `json:"implemented"`
	InProgress    int `json:"in_progress"`
	NotStarted    int `json:"not_started"`
	NotApplicable int `json:"not_applicable"`
	NotReported   int `json:"not_reported"`
	Percent       int `json:"percent"`
}

func normCountsJSON(c norms.Counts) NormCountsJSON {
	return NormCountsJSON{Implemented: c.Implemented, InProgress: c.InProgress, NotStarted: c.NotStarted,
		NotApplicable: c.NotApplicable, NotReported: c.NotReported, Percent: c.Percent()}
}

// NormRowJSON is a line of a progress view: a norm (its letter), a region
// (its code, "" for the States of no regional group) or a State (ISO3).
type NormRowJSON struct {
	Key    string         `json:"key"`
	States int            `json:"states"`
	Counts NormCountsJSON `json:"counts"`
}

func rowsJSON(rows []norms.Row) []NormRowJSON {
	out := make([]NormRowJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, NormRowJSON{Key: r.Key, States: r.States, Counts: normCountsJSON(r.Counts)})
	}
	return out
}

// NormChangeJSON is one change of a report: its status set at an instant,
// from the one before (null for a first report).
type NormChangeJSON struct {
	State      string              `json:"state"`
	Action     string              `json:"action"`
	From       *norms.Status       `json:"from"`
	To         norms.Status        `json:"to"`
	Visibility capacity.Visibility `json:"visibility"`
	At         time.Time           `json:"at"`
}

func changesJSON(cs []norms.Change) []NormChangeJSON {
	out := make([]NormChangeJSON, 0, len(cs))
	for _, c := range cs {
		j := NormChangeJSON{State: c.State, Action: c.Action, To: c.To, Visibility: c.Visibility, At: c.At.UTC()}
		if c.From != "" {
			from := c.From
			j.From = &from
		}
		out = append(out, j)
	}
	return out
}

// NormProgressJSON is the checklist's progress over the reports the
// caller may see.
type NormProgressJSON struct {
	ByNorm   []NormRowJSON    `json:"by_norm"`
	ByRegion []NormRowJSON    `json:"by_region"`
	ByState  []NormRowJSON    `json:"by_state"`
	Recent   []NormChangeJSON `json:"recent"`
}

func (a *API) normsProgress(r *http.Request) (int, any, error) {
	p, err := a.norms().Progress(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, NormProgressJSON{ByNorm: rowsJSON(p.ByNorm), ByRegion: rowsJSON(p.ByRegion), ByState: rowsJSON(p.ByState),
		Recent: changesJSON(p.Recent)}, nil
}

// NormReportJSON is a State's report on one action.
type NormReportJSON struct {
	State      string              `json:"state"`
	Action     string              `json:"action"`
	Status     norms.Status        `json:"status"`
	Evidence   string              `json:"evidence"`
	Link       *string             `json:"link"`
	Contact    *string             `json:"contact"`
	Visibility capacity.Visibility `json:"visibility"`
	Updated    time.Time           `json:"updated"`
}

func reportJSON(rep norms.Report) NormReportJSON {
	return NormReportJSON{State: rep.State, Action: rep.Action, Status: rep.Status, Evidence: rep.Evidence, Link: orNull(rep.Link),
		Contact: orNull(rep.Contact), Visibility: rep.Visibility, Updated: rep.Updated.UTC()}
}

// NormStateJSON is a State's checklist as the caller may see it.
type NormStateJSON struct {
	State   string           `json:"state"`
	Overall NormCountsJSON   `json:"overall"`
	ByNorm  []NormRowJSON    `json:"by_norm"`
	Reports []NormReportJSON `json:"reports"`
	History []NormChangeJSON `json:"history"`
}

func (a *API) normsState(r *http.Request) (int, any, error) {
	st, err := a.norms().State(r.Context(), auth.UserFrom(r.Context()), r.PathValue("iso3"))
	if err != nil {
		return 0, nil, err
	}
	out := NormStateJSON{State: st.State.ISO3, Overall: normCountsJSON(st.Overall), ByNorm: rowsJSON(st.ByNorm),
		Reports: make([]NormReportJSON, 0, len(st.Reports)), History: changesJSON(st.History)}
	for _, n := range norms.Checklist() {
		for _, x := range n.Actions {
			if rep, ok := st.Reports[x.Code]; ok {
				out.Reports = append(out.Reports, reportJSON(rep))
			}
		}
	}
	return http.StatusOK, out, nil
}

func (a *API) normsReport(r *http.Request) (int, any, error) {
	rep, err := a.norms().Get(r.Context(), auth.UserFrom(r.Context()), strings.ToUpper(r.PathValue("iso3")), r.PathValue("action"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reportJSON(rep), nil
}

// NormReportRequest reports on one action: status "not_started",
// "in_progress", "implemented" or "not_applicable"; visibility "public"
// (the default) or "states".
type NormReportRequest struct {
	Status     string  `json:"status"`
	Evidence   string  `json:"evidence"`
	Link       string  `json:"link"`
	Contact    string  `json:"contact"`
	Visibility *string `json:"visibility"`
}

func (a *API) normsPutReport(r *http.Request) (int, any, error) {
	var req NormReportRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	in := normsvc.Input{Status: norms.Status(req.Status), Evidence: req.Evidence, Link: req.Link, Contact: req.Contact, Visibility: capacity.Public}
	if req.Visibility != nil {
		in.Visibility = capacity.Visibility(*req.Visibility)
	}
	rep, err := a.norms().Report(r.Context(), auth.UserFrom(r.Context()), r.PathValue("iso3"), r.PathValue("action"), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reportJSON(rep), nil
}
