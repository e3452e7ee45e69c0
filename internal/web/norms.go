package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"concord"
	"concord/capacity"
	"concord/internal/normsvc"
	"concord/norms"
)

// The norms implementation checklist (issue 13): the overview (progress per
// norm and per region as SVG charts with their tables, the reporting
// States, the latest changes, the checklist itself), a State's checklist
// (its progress per norm, every action with its report, its history) and
// the form to report on one action. The service leaves out what the reader
// may not see; the routes say who may write at all.

func (s *Server) normsRoutes() []Route {
	return []Route{
		{"GET", "/norms", concord.ActRead, nil, "/norms", s.normsIndex},
		{"GET", "/norms/states/{iso3}", concord.ActRead, nil, "/norms/states/KEN", s.normsState},
		{"GET", "/norms/states/{iso3}/actions/{action}", concord.ActReportNorms, stateTarget, "/norms/states/KEN/actions/a1", s.normsReportForm},
		{"POST", "/norms/states/{iso3}/actions/{action}", concord.ActReportNorms, stateTarget, "/norms/states/KEN/actions/a1", s.normsReportSave},
	}
}

func (s *Server) normsSvc() *normsvc.Service {
	return &normsvc.Service{DB: s.DB, Process: s.Decide.Process}
}

// normStatuses are the classes of the charts, in the order of their bars:
// the statuses, then the actions no report covers.
var normStatuses = append(append([]norms.Status{}, norms.Statuses...), "not_reported")

// chartRow is one bar of a progress chart.
type chartRow struct {
	Label  string
	Counts norms.Counts
}

// normsChart draws progress rows as an accessible SVG: one stacked bar per
// row (a status a colour, the legend and the table twin say the same in
// words), a title and a description that says in words what the bars
// show, mirrored for right-to-left languages. id keeps two charts of a
// page apart.
func normsChart(p *Page, id, title string, rows []chartRow) template.HTML {
	const width, barH, gap, labelW = 640, 22, 10, 230
	height := len(rows)*(barH+gap) + 10
	rtl := p.Dir == "rtl"
	esc := template.HTMLEscapeString
	var b strings.Builder
	var desc []string
	for i, row := range rows {
		y := i*(barH+gap) + 5
		// "start" is the right edge in a right-to-left SVG: one anchor for
		// both directions, only the x moves.
		lx := 0
		if rtl {
			lx = width
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="start" class="chart-label">%s</text>`, lx, y+16, esc(row.Label))
		total := row.Counts.Total()
		x := 0.0
		var parts []string
		for _, st := range normStatuses {
			n := row.Counts.Of(st)
			if n == 0 || total == 0 {
				continue
			}
			wd := float64(width-labelW) * float64(n) / float64(total)
			bx := float64(labelW) + x
			if rtl {
				bx = float64(width-labelW) - x - wd
			}
			name := p.T("norms.status." + string(st))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" class="ns-%s"><title>%s: %d</title></rect>`, bx, y, wd, barH, st, esc(name), n)
			x += wd
			parts = append(parts, fmt.Sprintf("%s %d", name, n))
		}
		desc = append(desc, row.Label+": "+strings.Join(parts, ", "))
	}
	dir := "ltr"
	if rtl {
		dir = "rtl"
	}
	return template.HTML(fmt.Sprintf(`<svg class="chart" role="img" aria-labelledby="%[1]s-title %[1]s-desc" viewBox="0 0 %[2]d %[3]d" width="100%%" direction="%[4]s" xmlns="http://www.w3.org/2000/svg"><title id="%[1]s-title">%[5]s</title><desc id="%[1]s-desc">%[6]s</desc>%[7]s</svg>`,
		id, width, height, dir, esc(title), esc(strings.Join(desc, "; ")), b.String()))
}

// normLabel is a norm's short label ("Norm a: …") in the page's language.
func normLabel(p *Page, n norms.NormInfo) string {
	return p.T("portal.norm_letter", "Letter", n.Letter) + " " + p.L(n.Name).Text
}

// progressRow is a line of a progress table: a norm, a region or a State.
type progressRow struct {
	Key    string
	Label  template.HTML
	Link   string // a State's checklist, for a State's row
	States int
	Counts norms.Counts
}

// changeRow is one change of a report in a history list.
type changeRow struct {
	norms.Change
	StateName   template.HTML
	ActionTitle template.HTML
}

func changeRows(p *Page, names map[string]concord.Text, cs []norms.Change) []changeRow {
	out := make([]changeRow, 0, len(cs))
	for _, c := range cs {
		a, _ := norms.LookupAction(c.Action)
		out = append(out, changeRow{Change: c, StateName: p.Show(names[c.State]), ActionTitle: p.Show(a.Title)})
	}
	return out
}

// progressTable is a section of the overview: a heading, a chart (none
// for the States) and its table twin.
type progressTable struct {
	ID      string
	Heading string
	Head    string // the first column's heading
	Chart   template.HTML
	Rows    []progressRow
}

// normsIndexView is the checklist's overview.
type normsIndexView struct {
	Tables    []progressTable
	Recent    []changeRow
	Checklist []norms.NormInfo
	Statuses  []norms.Status // the columns of the tables
	OwnState  string         // the State the reader reports for, if any
	SeesAll   bool           // the reader sees the reports kept to States
}

func (s *Server) normsIndex(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	pr, err := s.normsSvc().Progress(r.Context(), u)
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "norms.title", nil)
	v := normsIndexView{Checklist: norms.Checklist(), Statuses: normStatuses, SeesAll: norms.SeesStatesOnly(u)}
	if u != nil && u.State != "" && norms.CanReport(u, u.State) {
		v.OwnState = u.State
	}
	byNorm := progressTable{ID: "by-norm", Heading: p.T("norms.by_norm"), Head: p.T("norms.norm")}
	byRegion := progressTable{ID: "by-region", Heading: p.T("norms.by_region"), Head: p.T("norms.region")}
	byState := progressTable{ID: "by-state", Heading: p.T("norms.by_state"), Head: p.T("norms.state")}
	var bars []chartRow
	for i, row := range pr.ByNorm {
		label := normLabel(p, norms.Checklist()[i])
		byNorm.Rows = append(byNorm.Rows, progressRow{Key: row.Key, Label: template.HTML(template.HTMLEscapeString(label)), States: row.States, Counts: row.Counts})
		bars = append(bars, chartRow{Label: p.T("portal.norm_letter", "Letter", row.Key) + " " + p.T("norms.percent", "Percent", row.Counts.Percent()), Counts: row.Counts})
	}
	byNorm.Chart = normsChart(p, "chart-norms", p.T("norms.chart_norms"), bars)
	bars = nil
	for _, row := range pr.ByRegion {
		label := p.T("state.no_group")
		if row.Key != "" {
			label = p.T("portal.region." + row.Key)
		}
		byRegion.Rows = append(byRegion.Rows, progressRow{Key: row.Key, Label: template.HTML(template.HTMLEscapeString(label)), States: row.States, Counts: row.Counts})
		short := row.Key
		if short == "" {
			short = label
		}
		bars = append(bars, chartRow{Label: short + " · " + p.T("norms.states_count", "N", row.States), Counts: row.Counts})
	}
	byRegion.Chart = normsChart(p, "chart-regions", p.T("norms.chart_regions"), bars)
	for _, row := range pr.ByState {
		byState.Rows = append(byState.Rows, progressRow{Key: row.Key, Label: p.Show(names[row.Key]), Link: "/norms/states/" + row.Key, States: 1, Counts: row.Counts})
	}
	v.Tables = []progressTable{byNorm, byRegion, byState}
	v.Recent = changeRows(p, names, pr.Recent)
	p.Data = v
	return s.render(w, r, http.StatusOK, "norms_index", p)
}

// actionRow is an action of a State's checklist with its report.
type actionRow struct {
	norms.ActionInfo
	Report *norms.Report
}

// normSection is a norm of a State's checklist.
type normSection struct {
	Letter  string
	Label   string
	Counts  norms.Counts
	Actions []actionRow
}

// normsStateView is a State's checklist.
type normsStateView struct {
	ISO3      string
	StateName template.HTML
	Chart     template.HTML
	Overall   norms.Counts
	Sections  []normSection
	History   []changeRow
	Statuses  []norms.Status
	CanReport bool
	Saved     string // the action whose report was just saved
	SeesAll   bool
}

func (s *Server) normsState(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	st, err := s.normsSvc().State(r.Context(), u, r.PathValue("iso3"))
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "norms.state_title", nil)
	p.Title = p.T("norms.state_title_of", "State", p.L(st.State.Names).Text)
	v := normsStateView{ISO3: st.State.ISO3, StateName: p.Show(st.State.Names), Overall: st.Overall, Statuses: normStatuses,
		CanReport: norms.CanReport(u, st.State.ISO3), SeesAll: norms.SeesStatesOnly(u), History: changeRows(p, names, st.History)}
	if a := r.URL.Query().Get("saved"); a != "" {
		if _, ok := st.Reports[a]; ok {
			v.Saved = a
		}
	}
	var bars []chartRow
	for i, n := range norms.Checklist() {
		sec := normSection{Letter: n.Letter, Label: normLabel(p, n), Counts: st.ByNorm[i].Counts}
		for _, a := range n.Actions {
			row := actionRow{ActionInfo: a}
			if rep, ok := st.Reports[a.Code]; ok {
				row.Report = &rep
			}
			sec.Actions = append(sec.Actions, row)
		}
		v.Sections = append(v.Sections, sec)
		bars = append(bars, chartRow{Label: p.T("portal.norm_letter", "Letter", n.Letter) + " " + p.T("norms.percent", "Percent", sec.Counts.Percent()), Counts: sec.Counts})
	}
	v.Chart = normsChart(p, "chart-state", p.T("norms.chart_state", "State", p.L(st.State.Names).Text), bars)
	p.Data = v
	return s.render(w, r, http.StatusOK, "norms_state", p)
}

// normsReportFormView is the form to report on one action.
type normsReportFormView struct {
	ISO3      string
	StateName template.HTML
	Action    norms.ActionInfo
	NormLabel string
	Statuses  []norms.Status
	Visible   []capacity.Visibility
	Exists    bool
}

// normsTarget reads the route's State and action, refusing an action the
// checklist does not have and a State the registry does not.
func (s *Server) normsTarget(r *http.Request) (concord.State, norms.ActionInfo, error) {
	a, ok := norms.LookupAction(r.PathValue("action"))
	if !ok {
		return concord.State{}, a, concord.ErrNotFound
	}
	_, states, err := s.stateNames(r)
	if err != nil {
		return concord.State{}, a, err
	}
	for _, st := range states {
		if st.ISO3 == r.PathValue("iso3") {
			return st, a, nil
		}
	}
	return concord.State{}, a, concord.ErrNotFound
}

func (s *Server) showReportForm(w http.ResponseWriter, r *http.Request, status int, st concord.State, a norms.ActionInfo, exists bool, form url.Values, err error) error {
	p := s.newPage(r, "norms.report_title", nil)
	n, _ := norms.LookupNorm(a.Norm)
	p.Data = normsReportFormView{ISO3: st.ISO3, StateName: p.Show(st.Names), Action: a, NormLabel: normLabel(p, n),
		Statuses: norms.Statuses, Visible: capacity.Visibilities, Exists: exists}
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "norms_report_form", p)
}

func (s *Server) normsReportForm(w http.ResponseWriter, r *http.Request) error {
	st, a, err := s.normsTarget(r)
	if err != nil {
		return err
	}
	rep, err := s.normsSvc().Get(r.Context(), UserFrom(r.Context()), st.ISO3, a.Code)
	switch {
	case err == nil:
		return s.showReportForm(w, r, http.StatusOK, st, a, true, url.Values{"status": {string(rep.Status)}, "evidence": {rep.Evidence},
			"link": {rep.Link}, "contact": {rep.Contact}, "visibility": {string(rep.Visibility)}}, nil)
	case errors.Is(err, concord.ErrNotFound):
		return s.showReportForm(w, r, http.StatusOK, st, a, false, url.Values{"visibility": {string(capacity.Public)}}, nil)
	}
	return err
}

func (s *Server) normsReportSave(w http.ResponseWriter, r *http.Request) error {
	st, a, err := s.normsTarget(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	in := normsvc.Input{Status: norms.Status(f.Get("status")), Evidence: f.Get("evidence"), Link: f.Get("link"), Contact: f.Get("contact"),
		Visibility: capacity.Visibility(f.Get("visibility"))}
	_, err = s.normsSvc().Report(r.Context(), UserFrom(r.Context()), st.ISO3, a.Code, in)
	if de := formError(err); de != nil {
		_, prevErr := s.normsSvc().Get(r.Context(), UserFrom(r.Context()), st.ISO3, a.Code)
		return s.showReportForm(w, r, Status(de.Code), st, a, prevErr == nil, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/norms/states/"+st.ISO3+"?saved="+a.Code+"#action-"+a.Code, http.StatusSeeOther)
	return nil
}
