package api

import (
	"concord/accreditation"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/store"
)

func (a *API) accreditationRoutes() []Route {
	return []Route{
		{"GET", "/accreditation/policy", concord.ActRead, nil, "/accreditation/policy", a.getPolicy},
		{"POST", "/accreditation/policy", concord.ActManageAccreditation, nil, "/accreditation/policy", a.addPolicy},
		{"GET", "/accreditation/windows", concord.ActRead, nil, "/accreditation/windows", a.listWindows},
		{"POST", "/accreditation/windows", concord.ActManageAccreditation, nil, "/accreditation/windows", a.createWindow},
		{"GET", "/accreditation/windows/{id}", concord.ActRead, nil, "/accreditation/windows/plenary-2026", a.getWindow},
		{"POST", "/accreditation/windows/{id}/circulation", concord.ActManageAccreditation, nil, "/accreditation/windows/plenary-2026/circulation", a.circulate},
		{"GET", "/accreditation/windows/{id}/applications", concord.ActRead, nil, "/accreditation/windows/plenary-2026/applications", a.windowApplications},
		{"GET", "/accreditation/windows/{id}/statistics", concord.ActRead, nil, "/accreditation/windows/plenary-2026/statistics", a.statistics},
		{"GET", "/accreditation/windows/{id}/simulation", concord.ActRead, nil, "/accreditation/windows/plenary-2026/simulation", a.simulate},
		{"GET", "/accreditation/windows/{id}/popolo", concord.ActRead, nil, "/accreditation/windows/plenary-2026/popolo", a.accreditedPopolo},
		{"POST", "/accreditation/applications", concord.ActApplyAccreditation, nil, "/accreditation/applications", a.apply},
		{"GET", "/accreditation/applications/{id}", concord.ActRead, nil, "/accreditation/applications/1", a.getApplication},
		{"PUT", "/accreditation/applications/{id}", concord.ActApplyAccreditation, nil, "/accreditation/applications/1", a.editApplication},
		{"POST", "/accreditation/applications/{id}/documents", concord.ActApplyAccreditation, nil, "/accreditation/applications/1/documents", a.uploadLetter},
		{"POST", "/accreditation/applications/{id}/actions", concord.ActAccount, nil, "/accreditation/applications/1/actions", a.actApplication},
		{"POST", "/accreditation/applications/{id}/objection", concord.ActObject, nil, "/accreditation/applications/1/objection", a.object},
		{"DELETE", "/accreditation/applications/{id}/objection", concord.ActObject, nil, "/accreditation/applications/1/objection", a.withdrawObjection},
		{"POST", "/accreditation/ecosoc-list", concord.ActManageAccreditation, nil, "/accreditation/ecosoc-list", a.importECOSOC},
		{"GET", "/inbox", concord.ActAccount, nil, "/inbox", a.inbox},
	}
}

// WindowJSON is an accreditation window; times are UTC (RFC 3339).
type WindowJSON struct {
	ID                string  `json:"id"`
	Scope             string  `json:"scope"`
	Body              string  `json:"body,omitempty"`
	Cycle             int     `json:"cycle"`
	Phase             string  `json:"phase"`
	Opens             string  `json:"opens"`
	Closes            string  `json:"closes"`
	ValidUntil        *string `json:"valid_until"`
	CirculatedAt      *string `json:"circulated_at"`
	ObjectionDeadline *string `json:"objection_deadline"`
	// Policy is the policy version that governs the window for its whole
	// life (the one in force when it opened).
	Policy WindowPolicyJSON `json:"policy"`
}

// WindowPolicyJSON names the policy version governing a window and the
// rules a reader most needs from it; GET /accreditation/policy has the rest.
type WindowPolicyJSON struct {
	Version    int    `json:"version"`
	Source     string `json:"source"`
	Disclosure string `json:"disclosure"`
	Validity   string `json:"validity"`
}

func rfc(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// windowJSON renders w with the policy version, of versions, that governs it.
func windowJSON(w accreditation.Window, versions []accreditation.Policy, now time.Time) (WindowJSON, error) {
	p, err := accreditation.PolicyForWindow(versions, w)
	if err != nil {
		return WindowJSON{}, err
	}
	return WindowJSON{ID: w.ID, Scope: string(w.Scope), Body: w.Body, Cycle: w.Cycle, Phase: w.Phase(now),
		Opens: *rfc(w.Opens), Closes: *rfc(w.Closes), ValidUntil: rfc(w.ValidUntil), CirculatedAt: rfc(w.CirculatedAt), ObjectionDeadline: rfc(w.ObjectionDeadline),
		Policy: WindowPolicyJSON{Version: p.Version, Source: p.Source, Disclosure: string(p.Disclosure), Validity: string(p.Validity)}}, nil
}

// windowResponse renders one window with its governing policy.
func (a *API) windowResponse(r *http.Request, w accreditation.Window) (WindowJSON, error) {
	versions, err := a.DB.AccreditationPolicies(r.Context(), a.Accredit.Process)
	if err != nil {
		return WindowJSON{}, err
	}
	return windowJSON(w, versions, a.DB.Now())
}

// PolicyJSON is the policy in force and its history.
type PolicyJSON struct {
	Current  AccreditationPolicyJSON   `json:"current"`
	Versions []AccreditationPolicyJSON `json:"versions"`
}

// AccreditationPolicyJSON is one dated version of the accreditation rules.
type AccreditationPolicyJSON struct {
	Process                string   `json:"process"`
	Version                int      `json:"version"`
	EffectiveFrom          string   `json:"effective_from"`
	Source                 string   `json:"source"`
	ObjectionPeriodDays    int      `json:"objection_period_days"`
	WorkingDays            bool     `json:"working_days"`
	DeadlineClock          string   `json:"deadline_clock"`
	BasisRequired          bool     `json:"basis_required"`
	Disclosure             string   `json:"disclosure"`
	Validity               string   `json:"validity"`
	ObjectionsWithdrawable bool     `json:"objections_withdrawable"`
	Scopes                 []string `json:"scopes"`
	ECOSOCScopes           []string `json:"ecosoc_scopes"`
}

func scopeNames(in []accreditation.Scope) []string {
	return conv(in, func(s accreditation.Scope) string { return string(s) })
}

func accreditationPolicyJSON(p accreditation.Policy) AccreditationPolicyJSON {
	return AccreditationPolicyJSON{Process: p.Process, Version: p.Version, EffectiveFrom: *rfc(p.EffectiveFrom), Source: p.Source,
		ObjectionPeriodDays: p.ObjectionPeriodDays, WorkingDays: p.WorkingDays, DeadlineClock: p.DeadlineClock, BasisRequired: p.BasisRequired,
		Disclosure: string(p.Disclosure), Validity: string(p.Validity), ObjectionsWithdrawable: p.ObjectionsWithdrawable,
		Scopes: scopeNames(p.Scopes), ECOSOCScopes: scopeNames(p.ECOSOCScopes)}
}

// AccreditationPolicyRequest is a new version of the accreditation rules:
// the settings as GET answers them; without effective_from it takes effect
// now. The process and the version number are the server's.
type AccreditationPolicyRequest struct {
	EffectiveFrom          string   `json:"effective_from"` // RFC 3339
	Source                 string   `json:"source"`
	ObjectionPeriodDays    int      `json:"objection_period_days"`
	WorkingDays            bool     `json:"working_days"`
	DeadlineClock          string   `json:"deadline_clock"`
	BasisRequired          bool     `json:"basis_required"`
	Disclosure             string   `json:"disclosure"`
	Validity               string   `json:"validity"`
	ObjectionsWithdrawable bool     `json:"objections_withdrawable"`
	Scopes                 []string `json:"scopes"`
	ECOSOCScopes           []string `json:"ecosoc_scopes"`
}

func (a *API) getPolicy(r *http.Request) (int, any, error) {
	p, versions, err := a.Accredit.Policy(r.Context(), a.DB.Now())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, PolicyJSON{accreditationPolicyJSON(p), conv(versions, accreditationPolicyJSON)}, nil
}

func (a *API) addPolicy(r *http.Request) (int, any, error) {
	var in AccreditationPolicyRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	toScopes := func(in []string) []accreditation.Scope {
		return conv(in, func(s string) accreditation.Scope { return accreditation.Scope(s) })
	}
	p := accreditation.Policy{Source: in.Source, ObjectionPeriodDays: in.ObjectionPeriodDays, WorkingDays: in.WorkingDays,
		DeadlineClock: in.DeadlineClock, BasisRequired: in.BasisRequired, Disclosure: accreditation.ObjectionDisclosure(in.Disclosure),
		Validity: accreditation.Validity(in.Validity), ObjectionsWithdrawable: in.ObjectionsWithdrawable,
		Scopes: toScopes(in.Scopes), ECOSOCScopes: toScopes(in.ECOSOCScopes)}
	// Every problem at once: a time that does not parse, and the rest
	// checked by the service as a dry run, so that nothing is written.
	var errs concord.Errors
	ctx := r.Context()
	if s := strings.TrimSpace(in.EffectiveFrom); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err != nil {
			errs = append(errs, concord.Errorf(concord.EInvalid, "effective_from", "error.time_format", "effective_from must be an RFC 3339 time"))
			ctx = store.WithDryRun(ctx, &store.DryRun{})
		} else {
			p.EffectiveFrom = t.UTC()
		}
	}
	p, err := a.Accredit.SetPolicy(ctx, auth.UserFrom(ctx), p)
	if err != nil && !errors.Is(err, store.ErrDryRun) {
		if concord.ErrorCode(err) == concord.EInternal {
			return 0, nil, err
		}
		errs.Add(err)
	}
	if err := errs.Err(); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, accreditationPolicyJSON(p), nil
}

func (a *API) listWindows(r *http.Request) (int, any, error) {
	ws, err := a.DB.AccreditationWindows(r.Context(), a.Accredit.Process)
	if err != nil {
		return 0, nil, err
	}
	versions, err := a.DB.AccreditationPolicies(r.Context(), a.Accredit.Process)
	if err != nil {
		return 0, nil, err
	}
	now := a.DB.Now()
	out := List[WindowJSON]{Items: []WindowJSON{}, Total: len(ws), Limit: len(ws)}
	for _, w := range ws {
		j, err := windowJSON(w, versions, now)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// WindowRequest opens a window; dates and times are local to the process
// time zone (America/New_York for the Global Mechanism).
type WindowRequest struct {
	Scope      string `json:"scope"`
	Body       string `json:"body"`
	Cycle      int    `json:"cycle"`
	OpensDate  string `json:"opens_date"`
	OpensTime  string `json:"opens_time"`
	ClosesDate string `json:"closes_date"`
	ClosesTime string `json:"closes_time"`
	// Optional under an annual policy; needed under per_session and cycle.
	ValidUntilDate string `json:"valid_until_date"`
	ValidUntilTime string `json:"valid_until_time"`
}

func (a *API) createWindow(r *http.Request) (int, any, error) {
	var in WindowRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	w, err := a.Accredit.CreateWindow(r.Context(), auth.UserFrom(r.Context()), accredit.WindowInput{Scope: accreditation.Scope(in.Scope), Body: in.Body,
		Cycle: in.Cycle, OpensDate: in.OpensDate, OpensTime: in.OpensTime, ClosesDate: in.ClosesDate, ClosesTime: in.ClosesTime,
		ValidUntilDate: in.ValidUntilDate, ValidUntilTime: in.ValidUntilTime})
	if err != nil {
		return 0, nil, err
	}
	j, err := a.windowResponse(r, w)
	return http.StatusCreated, j, err
}

func (a *API) window(r *http.Request) (accreditation.Window, error) {
	id := r.PathValue("id")
	// Decide on read: the deadline transition shows even before the
	// scheduler's next tick.
	if _, err := a.Accredit.DecideDue(r.Context(), id); err != nil {
		return accreditation.Window{}, err
	}
	return a.DB.AccreditationWindow(r.Context(), id)
}

func (a *API) getWindow(r *http.Request) (int, any, error) {
	w, err := a.window(r)
	if err != nil {
		return 0, nil, err
	}
	j, err := a.windowResponse(r, w)
	return http.StatusOK, j, err
}

// CirculationJSON reports a circulation.
type CirculationJSON struct {
	Circulated int        `json:"circulated"`
	Window     WindowJSON `json:"window"`
}

func (a *API) circulate(r *http.Request) (int, any, error) {
	n, err := a.Accredit.Circulate(r.Context(), auth.UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	w, err := a.DB.AccreditationWindow(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	j, err := a.windowResponse(r, w)
	return http.StatusOK, CirculationJSON{n, j}, err
}

// ObjectionJSON is an objection as the viewer may see it.
type ObjectionJSON struct {
	State     string  `json:"state"`
	Basis     string  `json:"basis"`
	At        string  `json:"at"`
	Withdrawn *string `json:"withdrawn_at"`
}

// ObjectionsJSON is what the disclosure policy lets the viewer see.
type ObjectionsJSON struct {
	Count      *int            `json:"count"`
	AllVisible bool            `json:"all_visible"`
	Items      []ObjectionJSON `json:"items"`
}

// EventJSON is one step of an application's history.
type EventJSON struct {
	At      string   `json:"at"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Reasons []string `json:"reasons"`
	Remarks []string `json:"remarks"`
}

// ApplicationJSON is an application as the viewer may see it.
type ApplicationJSON struct {
	ID           int64  `json:"id"`
	Window       string `json:"window"`
	Organization int64  `json:"organization_id"`
	Name         string `json:"organization_name"`
	Route        string `json:"route"`
	Status       string `json:"status"`
	Type         string `json:"type"`
	Country      string `json:"country"`
	ECOSOC       string `json:"ecosoc"`
	// ECOSOCVerified is the list entry the Secretariat verified an
	// ECOSOC-route application against, as it was then; null otherwise.
	ECOSOCVerified *ECOSOCEntryJSON `json:"ecosoc_verified"`
	// ValidFrom and ValidUntil bound an accreditation (accredited or
	// expired applications); null otherwise. ValidUntil is exclusive.
	ValidFrom       *string           `json:"valid_from"`
	ValidUntil      *string           `json:"valid_until"`
	Purpose         map[string]string `json:"purpose"`
	Programmes      map[string]string `json:"programmes"`
	Representatives []string          `json:"representatives"`
	UNHistory       map[string]string `json:"un_history"`
	Letter          string            `json:"letter"`
	Reasons         []string          `json:"reasons"`
	Remarks         []string          `json:"remarks"`
	SubmittedAt     *string           `json:"submitted_at"`
	CirculatedAt    *string           `json:"circulated_at"`
	DecidedAt       *string           `json:"decided_at"`
	History         []EventJSON       `json:"history"`
	Objections      ObjectionsJSON    `json:"objections"`
}

// ECOSOCEntryJSON is one entry of the imported ECOSOC list.
type ECOSOCEntryJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// applicationJSON renders app for viewer; objections pass through
// AccreditationDisclose, the one place that decides what anyone sees.
func applicationJSON(app accreditation.Application, w accreditation.Window, name string, level accreditation.ObjectionDisclosure, viewer *concord.User) ApplicationJSON {
	view := accreditation.Disclose(level, viewer, app.Objections)
	from, until, _ := app.ValidFor(w)
	j := ApplicationJSON{ID: app.ID, Window: app.Window, Organization: app.OrgID, Name: name, Route: string(app.Route), Status: string(app.Status),
		Type: app.OrgType, Country: app.OrgCountry, ECOSOC: app.ECOSOC, Purpose: nonNilMap(app.Content.Purpose), Programmes: nonNilMap(app.Content.Programmes), Representatives: nonNil(app.Content.Representatives),
		UNHistory: nonNilMap(app.Content.UNHistory), Letter: app.Content.Letter, Reasons: nonNil(app.Reasons), Remarks: nonNil(app.Remarks),
		SubmittedAt: rfc(app.SubmittedAt), CirculatedAt: rfc(app.CirculatedAt), DecidedAt: rfc(app.DecidedAt), History: []EventJSON{},
		Objections: ObjectionsJSON{AllVisible: view.ObjectorsVisible, Items: []ObjectionJSON{}}, ValidFrom: rfc(from), ValidUntil: rfc(until)}
	if e := app.ECOSOCVerified; e != nil {
		j.ECOSOCVerified = &ECOSOCEntryJSON{e.ID, e.Name, e.Category}
	}
	if view.CountVisible {
		n := view.Count
		j.Objections.Count = &n
	}
	for _, o := range view.Objections {
		j.Objections.Items = append(j.Objections.Items, ObjectionJSON{State: o.State, Basis: o.Basis, At: *rfc(o.At), Withdrawn: rfc(o.WithdrawnAt)})
	}
	for _, e := range app.History {
		j.History = append(j.History, EventJSON{At: *rfc(e.At), From: string(e.From), To: string(e.To), Reasons: nonNil(e.Reasons), Remarks: nonNil(e.Remarks)})
	}
	return j
}

func nonNilMap(t concord.Text) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// orgNames returns English-first names of every organisation in one query.
func (a *API) orgNames(r *http.Request) (map[int64]string, error) {
	orgs, _, err := a.DB.ListOrganizations(r.Context(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1000000})
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(orgs))
	lang := lang(r)
	for _, o := range orgs {
		m[o.ID], _, _ = o.Names.In(lang)
	}
	return m, nil
}

func (a *API) windowApplications(r *http.Request) (int, any, error) {
	w, err := a.window(r)
	if err != nil {
		return 0, nil, err
	}
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	f := store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationStatus(r.URL.Query().Get("status"))}
	apps, err := a.DB.ListApplications(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	level, err := a.Accredit.Disclosure(r.Context(), w)
	if err != nil {
		return 0, nil, err
	}
	names, err := a.orgNames(r)
	if err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	out := List[ApplicationJSON]{Items: []ApplicationJSON{}, Limit: limit, Offset: offset}
	for _, app := range apps {
		if !accreditation.CanView(u, app, level) {
			continue
		}
		if out.Total >= offset && len(out.Items) < limit {
			out.Items = append(out.Items, applicationJSON(app, w, names[app.OrgID], level, u))
		}
		out.Total++
	}
	return http.StatusOK, out, nil
}

func (a *API) statistics(r *http.Request) (int, any, error) {
	w, err := a.window(r)
	if err != nil {
		return 0, nil, err
	}
	apps, err := a.DB.ListApplications(r.Context(), store.ApplicationFilter{Window: w.ID})
	if err != nil {
		return 0, nil, err
	}
	states, err := a.Accredit.StatesByCode(r.Context())
	if err != nil {
		return 0, nil, err
	}
	stats := accreditation.Statistics([]accreditation.Window{w}, apps, states)
	return http.StatusOK, StatisticsJSON{Window: w.ID, Cycles: conv(stats, cycleStatsJSON)}, nil
}

// StatisticsJSON is the statistics of one window's applications.
type StatisticsJSON struct {
	Window string           `json:"window"`
	Cycles []CycleStatsJSON `json:"cycles"`
}

// CycleStatsJSON is the statistics of one cycle: the total, and the same
// counts by route, by stakeholder type and by regional group of the
// headquarters country (the keys of the last two are those codes).
type CycleStatsJSON struct {
	Cycle   int                   `json:"cycle"`
	Total   CountsJSON            `json:"total"`
	ByRoute map[string]CountsJSON `json:"by_route"`
	ByType  map[string]CountsJSON `json:"by_type"`
	ByGroup map[string]CountsJSON `json:"by_group"`
}

// CountsJSON counts the applications of one slice of a cycle.
type CountsJSON struct {
	Applied    int `json:"applied"`
	Accredited int `json:"accredited"`
	Objected   int `json:"objected"`
	Returned   int `json:"returned"`
	Withdrawn  int `json:"withdrawn"`
	Rejected   int `json:"rejected"`
}

func countsJSON(c accreditation.Counts) CountsJSON {
	return CountsJSON{Applied: c.Applied, Accredited: c.Accredited, Objected: c.Objected, Returned: c.Returned, Withdrawn: c.Withdrawn, Rejected: c.Rejected}
}

// countsByJSON converts a map of counts, {} when empty.
func countsByJSON[K ~string](m map[K]accreditation.Counts) map[string]CountsJSON {
	out := make(map[string]CountsJSON, len(m))
	for k, c := range m {
		out[string(k)] = countsJSON(c)
	}
	return out
}

func cycleStatsJSON(c accreditation.CycleStats) CycleStatsJSON {
	return CycleStatsJSON{Cycle: c.Cycle, Total: countsJSON(c.Total), ByRoute: countsByJSON(c.ByRoute), ByType: countsByJSON(c.ByType), ByGroup: countsByJSON(c.ByGroup)}
}

// AccreditationSimulationJSON is a window's round replayed under another rule, beside
// the actual outcome; rows never name an objecting State.
type AccreditationSimulationJSON struct {
	Rule        SimulationRuleJSON  `json:"rule"`
	Disclosure  string              `json:"disclosure"`
	Rows        []SimulationRowJSON `json:"rows"`
	Actual      OutcomeTallyJSON    `json:"actual"`
	Alternative OutcomeTallyJSON    `json:"alternative"`
	Changed     int                 `json:"changed"`
}

// SimulationRuleJSON is the alternative rule; disclosure is null when the
// rule keeps the policy's.
type SimulationRuleJSON struct {
	Name          string  `json:"name"`
	BasisRequired bool    `json:"basis_required"`
	MinObjectors  int     `json:"min_objectors"`
	MinGroups     int     `json:"min_groups"`
	Disclosure    *string `json:"disclosure"`
}

// SimulationRowJSON compares one application's actual outcome with the
// outcome under the rule.
type SimulationRowJSON struct {
	Application  int64  `json:"application_id"`
	Organization int64  `json:"organization_id"`
	Actual       string `json:"actual"`
	Alternative  string `json:"alternative"`
	Changed      bool   `json:"changed"`
	Reason       string `json:"reason"`
}

// OutcomeTallyJSON counts outcomes.
type OutcomeTallyJSON struct {
	Accredited int `json:"accredited"`
	Blocked    int `json:"blocked"`
}

func accreditationSimulationJSON(s accreditation.Simulation) AccreditationSimulationJSON {
	rule := SimulationRuleJSON{Name: s.Rule.Name, BasisRequired: s.Rule.BasisRequired, MinObjectors: s.Rule.MinObjectors, MinGroups: s.Rule.MinGroups}
	if s.Rule.Disclosure != "" {
		d := string(s.Rule.Disclosure)
		rule.Disclosure = &d
	}
	return AccreditationSimulationJSON{Rule: rule, Disclosure: string(s.Disclosure),
		Rows: conv(s.Rows, func(r accreditation.SimulationRow) SimulationRowJSON {
			return SimulationRowJSON{Application: r.Application, Organization: r.OrgID, Actual: string(r.Actual), Alternative: string(r.Alternative),
				Changed: r.Changed, Reason: r.Reason}
		}),
		Actual: OutcomeTallyJSON{s.Actual.Accredited, s.Actual.Blocked}, Alternative: OutcomeTallyJSON{s.Alternative.Accredited, s.Alternative.Blocked},
		Changed: s.Changed}
}

func (a *API) simulate(r *http.Request) (int, any, error) {
	w, err := a.window(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.Accredit.PolicyFor(r.Context(), w)
	if err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if !accreditation.MaySimulate(p.Disclosure, u) {
		return 0, nil, concord.Errorf(concord.EForbidden, "", "error.simulation_forbidden", "the disclosure policy does not let you see who objected")
	}
	name := r.URL.Query().Get("rule")
	var rule *accreditation.Rule
	for i := range accreditation.ExampleRules {
		if accreditation.ExampleRules[i].Name == name {
			rule = &accreditation.ExampleRules[i]
		}
	}
	if rule == nil {
		return 0, nil, concord.Errorf(concord.EInvalid, "rule", "error.rule", "unknown rule %q", name)
	}
	apps, err := a.DB.ListApplications(r.Context(), store.ApplicationFilter{Window: w.ID})
	if err != nil {
		return 0, nil, err
	}
	states, err := a.Accredit.StatesByCode(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, accreditationSimulationJSON(accreditation.Simulate(p, *rule, w, apps, states)), nil
}

// ApplyRequest starts an application; the Secretariat names the organisation.
type ApplyRequest struct {
	Window       string `json:"window"`
	Organization int64  `json:"organization_id"`
}

func (a *API) apply(r *http.Request) (int, any, error) {
	var in ApplyRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	app, err := a.Accredit.Apply(r.Context(), u, in.Window, in.Organization)
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusCreated, app)
}

func (a *API) applicationResponse(r *http.Request, status int, app accreditation.Application) (int, any, error) {
	w, err := a.DB.AccreditationWindow(r.Context(), app.Window)
	if err != nil {
		return 0, nil, err
	}
	level, err := a.Accredit.Disclosure(r.Context(), w)
	if err != nil {
		return 0, nil, err
	}
	org, err := a.DB.GetOrganization(r.Context(), app.OrgID)
	if err != nil {
		return 0, nil, err
	}
	name, _, _ := org.Names.In(lang(r))
	return status, applicationJSON(app, w, name, level, auth.UserFrom(r.Context())), nil
}

func (a *API) getApplication(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	app, err := a.DB.GetApplication(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.Accredit.DecideDue(r.Context(), app.Window); err != nil {
		return 0, nil, err
	}
	if app, err = a.DB.GetApplication(r.Context(), id); err != nil {
		return 0, nil, err
	}
	if ok, err := a.Accredit.Visible(r.Context(), auth.UserFrom(r.Context()), app); err != nil || !ok {
		if err == nil {
			err = concord.ErrNotFound
		}
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusOK, app)
}

// visible answers "not found" for an application the user may not see, so
// that a write discloses its existence no more than a read does (a 403 or a
// 409 would tell that it exists).
func (a *API) visible(r *http.Request, id int64) error {
	app, err := a.DB.GetApplication(r.Context(), id)
	if err != nil {
		return err
	}
	ok, err := a.Accredit.Visible(r.Context(), auth.UserFrom(r.Context()), app)
	if err == nil && !ok {
		err = concord.ErrNotFound
	}
	return err
}

// visibleBody reads the {id} of an application the viewer may see (404
// otherwise, before the body is read), then decodes the body into in.
func (a *API) visibleBody(r *http.Request, in any) (int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, err
	}
	if err := a.visible(r, id); err != nil {
		return 0, err
	}
	return id, decode(r, in)
}

// ContentRequest is an application's content.
type ContentRequest struct {
	Purpose         map[string]string `json:"purpose"`
	Programmes      map[string]string `json:"programmes"`
	Representatives []string          `json:"representatives"`
	UNHistory       map[string]string `json:"un_history"`
	Letter          string            `json:"letter"`
}

func (a *API) editApplication(r *http.Request) (int, any, error) {
	var in ContentRequest
	id, err := a.visibleBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	app, err := a.Accredit.Edit(r.Context(), auth.UserFrom(r.Context()), id,
		accreditation.Content{Purpose: in.Purpose, Programmes: in.Programmes, UNHistory: in.UNHistory, Letter: in.Letter, Representatives: in.Representatives})
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusOK, app)
}

// ActionRequest is a transition of an application.
type ActionRequest struct {
	Action  string   `json:"action"` // submit, resubmit, withdraw, return, reject, verify
	Remarks []string `json:"remarks"`
}

// uploadLetter is the twin of the page's letter upload: a multipart body
// with one part "file" (PDF, PNG or JPEG, sniffed; at most 5 MB) becomes
// the application's letter. An application that may not change is refused
// before the file is read, and a refusal stores nothing.
func (a *API) uploadLetter(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.visible(r, id); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return 0, nil, concord.Errorf(concord.EUnsupported, "", "error.content_type_multipart", "send the file as multipart/form-data")
	}
	if err := a.Accredit.LetterEditable(r.Context(), u, id); err != nil {
		return 0, nil, err
	}
	name, body, err := accredit.FilePart(r.Header.Get("Content-Type"), r.Body)
	if err != nil {
		return 0, nil, err
	}
	data, err := accredit.ReadUpload(body)
	if err != nil {
		return 0, nil, err
	}
	app, err := a.Accredit.UploadLetter(r.Context(), u, id, name, data)
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusOK, app)
}

func (a *API) actApplication(r *http.Request) (int, any, error) {
	var in ActionRequest
	id, err := a.visibleBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	app, err := a.Accredit.Act(r.Context(), auth.UserFrom(r.Context()), id, in.Action, in.Remarks)
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusOK, app)
}

// ObjectionRequest files an objection.
type ObjectionRequest struct {
	Basis string `json:"basis"`
}

func (a *API) object(r *http.Request) (int, any, error) {
	var in ObjectionRequest
	id, err := a.visibleBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	app, err := a.Accredit.Object(r.Context(), auth.UserFrom(r.Context()), id, in.Basis)
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusCreated, app)
}

func (a *API) withdrawObjection(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.visible(r, id); err != nil {
		return 0, nil, err
	}
	app, err := a.Accredit.WithdrawObjection(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return a.applicationResponse(r, http.StatusOK, app)
}

// ImportJSON reports an ECOSOC list import.
type ImportJSON struct {
	Entries int `json:"entries"`
}

func (a *API) importECOSOC(r *http.Request) (int, any, error) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		return 0, nil, concord.Errorf(concord.EUnsupported, "", "error.content_type_csv", "send the list as text/csv")
	}
	n, err := a.Accredit.ImportECOSOC(r.Context(), auth.UserFrom(r.Context()), io.Reader(r.Body))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ImportJSON{n}, nil
}

// NoticeJSON is an inbox notice; message is in the request's language.
type NoticeJSON struct {
	ID      int64             `json:"id"`
	At      string            `json:"at"`
	Key     string            `json:"key"`
	Args    map[string]string `json:"args"`
	Message string            `json:"message"`
	Link    string            `json:"link"`
}

func (a *API) inbox(r *http.Request) (int, any, error) {
	u := auth.UserFrom(r.Context())
	ns, err := a.DB.InboxFor(r.Context(), *u, 100)
	if err != nil {
		return 0, nil, err
	}
	out := List[NoticeJSON]{Items: []NoticeJSON{}, Total: len(ns), Limit: 100}
	l := lang(r)
	for _, n := range ns {
		data := store.NoticeData(n.Args)
		args := n.Args
		if args == nil {
			args = map[string]string{}
		}
		out.Items = append(out.Items, NoticeJSON{ID: n.ID, At: *rfc(n.Created), Key: n.Key, Args: args, Message: a.Cat.T(l, n.Key, data), Link: "/" + l + n.Link})
	}
	return http.StatusOK, out, nil
}

// AccreditedPopolo is a window's accredited organisations in Popolo form:
// each a member of the window's "accredited stakeholders" organisation, for
// the validity of the accreditation.
type AccreditedPopolo struct {
	Organizations []PopoloOrganization `json:"organizations"`
	Memberships   []PopoloMembership   `json:"memberships"`
}

func (a *API) accreditedPopolo(r *http.Request) (int, any, error) {
	w, err := a.window(r)
	if err != nil {
		return 0, nil, err
	}
	apps, err := a.DB.ListApplications(r.Context(), store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationAccredited})
	if err != nil {
		return 0, nil, err
	}
	orgs, _, err := a.DB.ListOrganizations(r.Context(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1000000})
	if err != nil {
		return 0, nil, err
	}
	byID := make(map[int64]concord.Organization, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	body := "accreditation/" + w.ID
	out := AccreditedPopolo{Organizations: []PopoloOrganization{{ID: body, Classification: "accreditation",
		Name: fmt.Sprintf("Accredited stakeholders: %s %d", w.Scope, w.Cycle)}}, Memberships: []PopoloMembership{}}
	for _, app := range apps {
		o := byID[app.OrgID]
		id := "org/" + strconv.FormatInt(o.ID, 10)
		out.Organizations = append(out.Organizations, PopoloOrganization{ID: id, Name: name(o.Names), Classification: "stakeholder/" + o.Type,
			OtherNames: otherNames(o.Names), UpdatedAt: o.Updated.Format(time.RFC3339)})
		m := PopoloMembership{ID: "membership/" + body + "/" + strconv.FormatInt(app.ID, 10), Member: &PopoloMember{"Organization", id},
			OrganizationID: body, Role: string(app.Route)}
		if !app.DecidedAt.IsZero() {
			m.StartDate = app.DecidedAt.UTC().Format(time.DateOnly)
		}
		if !w.ValidUntil.IsZero() {
			m.EndDate = w.ValidUntil.UTC().Format(time.DateOnly)
		}
		out.Memberships = append(out.Memberships, m)
	}
	return http.StatusOK, out, nil
}
