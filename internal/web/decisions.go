package web

import (
	"cmp"
	"concord/decision"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

func (s *Server) decisionRoutes() []Route {
	return []Route{
		{"GET", "/decisions", concord.ActRead, nil, "/decisions", s.decisionsList},
		{"POST", "/decisions", concord.ActProposeDecision, nil, "/decisions", s.decisionCreate},
		{"GET", "/decisions/{id}", concord.ActRead, nil, "/decisions/1", s.decisionPage},
		{"POST", "/decisions/{id}/positions", concord.ActTakePosition, nil, "/decisions/1/positions", s.decisionPosition},
		{"POST", "/decisions/{id}/acts", concord.ActChairDecision, nil, "/decisions/1/acts", s.decisionAct},
	}
}

// decisionRow is a decision in the list, with its outcome now.
type decisionRow struct {
	store.Decision
	Outcome decision.OutcomeKind
}

// decisionsView is the list of decisions with the form to propose one.
//
// view of template "decisions"
type decisionsView struct {
	Decisions  []decisionRow
	Modalities []decision.Modality
	Kinds      []decision.Kind
}

func (s *Server) decisionsList(w http.ResponseWriter, r *http.Request) error {
	return s.showDecisions(w, r, http.StatusOK, nil, nil)
}

// showDecisions shows the list, with the proposal form again with what was
// typed and every problem (perr) after a refused proposal.
func (s *Server) showDecisions(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, perr error) error {
	ds, err := s.DB.ListDecisions(r.Context(), concord.DefaultProcessCode)
	if err != nil {
		return err
	}
	rows := make([]decisionRow, len(ds))
	for i, d := range ds {
		res, err := s.Decide.Result(d)
		if err != nil {
			return err
		}
		// An outcome changes at a deadline without any write: reading the
		// decision told the caches (store.Decision records its deadline).
		rows[i] = decisionRow{d, res.Outcome}
	}
	p := s.newPage(r, "decisions.title", decisionsView{Decisions: rows, Modalities: decision.Modalities, Kinds: decision.Kinds})
	p.Form = form
	p.Feeds = []FeedLink{{p.URL("/decisions/feed.atom"), p.T("feed.decisions")}}
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "decisions", p)
}

func (s *Server) decisionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	lang := LangFrom(r.Context())
	in := decide.NewDecision{Kind: decision.Kind(f.Get("kind")), Title: concord.Text{lang: strings.TrimSpace(f.Get("title"))},
		Proposal: concord.Text{lang: strings.TrimSpace(f.Get("proposal"))}, Modality: decision.Modality(f.Get("modality")),
		ProceedInformally: f.Get("informally") == "on"}
	if v := strings.TrimSpace(f.Get("period")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			// Not a number: reported with every other problem of the form.
			errs := concord.Errors{concord.Errorf(concord.EInvalid, "period", "error.number", "enter a whole number of hours")}
			cerr := s.Decide.Check(r.Context(), in)
			if concord.ErrorCode(cerr) == concord.EInternal && cerr != nil {
				return cerr
			}
			errs.Add(cerr)
			return s.showDecisions(w, r, http.StatusUnprocessableEntity, f, errs)
		}
		in.PeriodHours = n
	}
	d, err := s.Decide.Create(r.Context(), UserFrom(r.Context()), in)
	if de := formError(err); de != nil {
		return s.showDecisions(w, r, Status(de.Code), f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/decisions/%d?saved=1", lang, d.ID), http.StatusSeeOther)
	return nil
}

// subjectPaths are the pages of the applications' subjects, by record kind
// (decide.SubjectOf).
var subjectPaths = map[string]string{
	decide.KindAgenda:     "/agendas/",
	decide.KindCoFacSet:   "/cofacilitators/sets/",
	decide.KindTopicRound: "/topics/",
	decide.KindBriefer:    "/briefers/",
}

// subjectPath is the page (after /{lang}) of a decision's subject, "" when
// the decision has none.
func subjectPath(subject string) string {
	kind, id, ok := strings.Cut(subject, ":")
	if p, known := subjectPaths[kind]; ok && known {
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			return p + id
		}
	}
	return ""
}

// positionClass is the chart and table category of a position.
func positionClass(k decision.PositionKind) string {
	switch k {
	case decision.PositionSupport, decision.PositionNoObjection:
		return "agree"
	case decision.PositionReservation:
		return "reserve"
	case decision.PositionAbstention:
		return "abstain"
	case decision.PositionDissociation:
		return "dissociate"
	case decision.PositionObjection:
		return "object"
	}
	return "silent"
}

// chartClasses are the chart's categories in drawing order.
var chartClasses = []string{"agree", "reserve", "abstain", "dissociate", "object", "silent"}

// stanceRow is one State in the positions table.
type stanceRow struct {
	State concord.State
	Group string
	Class string
	Kind  decision.PositionKind
	Via   string // group whose position applies
	Text  string
	Lang  string
}

// decisionView is one decision: its outcome, the record of positions, the
// chart, the simulations and the forms open now.
//
// view of template "decision"
type decisionView struct {
	Subject        string // the page of the decision's subject, "" for none
	Decision       store.Decision
	Result         decision.Result
	Rows           []stanceRow     // the States that said something, most divergent first
	Silent         []concord.State // the States that said nothing
	Groups         []concord.RegionalGroup
	GroupNames     map[string]concord.Text
	GroupPositions []decision.Entry
	Chart          template.HTML
	Simulations    []decision.Simulation
	// Kinds and Acts are what the engine accepts now; the forms offer
	// nothing else.
	Kinds        []decision.PositionKind
	Acts         []decision.ActKind
	NamedGroups  []decision.Group
	Participants []string
	CanPosition  bool
	CanChair     bool
	IsDelegate   bool
	// ChooseActor: the form asks for whom the position is (the
	// Secretariat, or a delegate who is a group's speaker).
	ChooseActor bool
	// PositionLimit says why a delegate's form is gone although positions
	// are still open.
	PositionLimit bool
}

func (s *Server) decisionPage(w http.ResponseWriter, r *http.Request) error {
	return s.showDecision(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showDecision(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, perr *concord.Error) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.DB.GetDecision(ctx, id)
	if err != nil {
		return err
	}
	res, err := s.Decide.Result(d)
	if err != nil {
		return err
	}
	// Reading the decision recorded its next change for the caches, under
	// its modality and the simulated ones.
	simulations := s.Decide.Simulate(d)
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return err
	}
	rows, silent, counts := stanceTable(d, res, reg, s.DB.Now(), LangFrom(ctx))
	p := s.newPage(r, "decisions.title", nil)
	p.Title = p.L(d.Title).Text
	groupNames := reg.GroupNames
	for _, g := range d.Facts.Groups {
		groupNames[g.Code] = g.Names
	}
	v := decisionView{Subject: subjectPath(d.Facts.Subject), Decision: d, Result: res, Rows: rows, Silent: silent,
		Groups: reg.Groups, GroupNames: groupNames, GroupPositions: res.Record.Groups, Chart: s.positionChart(p, reg.Groups, counts),
		Simulations: simulations, NamedGroups: d.Facts.Groups, Participants: d.Facts.Participants}
	decisionForms(&v, UserFrom(ctx), s.DB.Now().UTC())
	p.Data = v
	p.Form, p.Err = form, perr
	return s.render(w, r, status, "decision", p)
}

// stanceTable builds the positions table (the States that said something,
// most divergent first, then by name), the silent States, and the counts
// per regional group and position class for the chart.
func stanceTable(d store.Decision, res decision.Result, reg registryIndex, now time.Time, lang string) ([]stanceRow, []concord.State, map[string]map[string]int) {
	groupOf := decision.GroupOf(reg.States, now)
	stance := map[string]decision.Entry{}
	for _, list := range [][]decision.Entry{res.Record.Supported, res.Record.NoObjection, res.Record.Objected, res.Record.Reserved, res.Record.Dissociated, res.Record.Abstained} {
		for _, e := range list {
			if !e.IsGroup {
				stance[e.State] = e
			}
		}
	}
	rows := make([]stanceRow, 0, len(d.Facts.Participants))
	var silent []concord.State
	counts := map[string]map[string]int{}
	for _, iso := range d.Facts.Participants {
		e, ok := stance[iso]
		row := stanceRow{State: reg.ByISO[iso], Group: groupOf(iso), Class: "silent"}
		if ok {
			row.Class, row.Kind, row.Via, row.Text, row.Lang = positionClass(e.Kind), e.Kind, e.Via, e.Text, e.Lang
			if e.Via != "" {
				// The group's statement is shown once, with the group.
				row.Text = ""
			}
		}
		if row.Group == "" {
			row.Group = "none"
		}
		if counts[row.Group] == nil {
			counts[row.Group] = map[string]int{}
		}
		counts[row.Group][row.Class]++
		if row.Class == "silent" {
			// Silent States are listed by name, not as 150 table rows.
			silent = append(silent, row.State)
			continue
		}
		rows = append(rows, row)
	}
	// Most divergent first, then by name: the table answers "who objected?".
	order := map[string]int{"object": 0, "dissociate": 1, "reserve": 2, "abstain": 3, "agree": 4, "silent": 5}
	name := make(map[string]string, len(rows))
	for _, r := range rows {
		name[r.State.ISO3], _, _ = r.State.Names.In(lang)
	}
	slices.SortStableFunc(rows, func(a, b stanceRow) int {
		return cmp.Or(cmp.Compare(order[a.Class], order[b.Class]), cmp.Compare(name[a.State.ISO3], name[b.State.ISO3]))
	})
	return rows, silent, counts
}

// decisionForms fills in what the forms offer u at now: only what the
// engine will accept (Facts.OpenPositions, Facts.OpenActs).
func decisionForms(v *decisionView, u *concord.User, now time.Time) {
	d := v.Decision
	v.Acts = d.Facts.OpenActs(d.Policy, now)
	v.CanChair = len(v.Acts) > 0 && concord.Can(u, concord.ActChairDecision, concord.Target{})
	v.IsDelegate = u != nil && u.Role == concord.RoleDelegate
	switch {
	case !concord.Can(u, concord.ActTakePosition, concord.Target{}):
		// No form: nothing to offer.
	case v.IsDelegate && len(u.SpeaksFor()) == 0:
		// A delegate records for its own State only.
		v.Kinds = d.Facts.OpenPositions(d.Policy, u.State, now)
		v.PositionLimit = d.Facts.PositionsBy(u.State) >= decision.MaxPositionsPerActor
	case v.IsDelegate:
		// A group's speaker records for the groups it speaks for (those of
		// the decision), and for its State when the delegation lets it.
		var actors []string
		for _, g := range d.Facts.Groups {
			if concord.Can(u, concord.ActTakePosition, concord.Target{Group: g.Code}) {
				actors = append(actors, g.Code)
			}
		}
		if concord.Can(u, concord.ActTakePosition, concord.Target{State: u.State}) {
			actors = append(actors, u.State)
		}
		kinds, open := d.Facts.OpenPositionsFor(d.Policy, actors, now)
		v.Kinds, v.ChooseActor = kinds, true
		v.NamedGroups = slices.DeleteFunc(slices.Clone(d.Facts.Groups), func(g decision.Group) bool { return !slices.Contains(open, g.Code) })
		v.Participants = slices.DeleteFunc([]string{u.State}, func(a string) bool { return !slices.Contains(open, a) })
	default:
		v.ChooseActor = true
		// The Secretariat records for any participant or group: the form
		// lists those that may still record (not one at the most positions
		// it may record) and the kinds each of them may take, so that no
		// actor and kind it offers together is refused.
		actors := make([]string, 0, len(d.Facts.Groups)+len(d.Facts.Participants))
		for _, g := range d.Facts.Groups {
			actors = append(actors, g.Code)
		}
		actors = append(actors, d.Facts.Participants...)
		kinds, open := d.Facts.OpenPositionsFor(d.Policy, actors, now)
		v.Kinds = kinds
		v.NamedGroups = slices.DeleteFunc(slices.Clone(d.Facts.Groups), func(g decision.Group) bool { return !slices.Contains(open, g.Code) })
		v.Participants = slices.DeleteFunc(slices.Clone(d.Facts.Participants), func(a string) bool { return !slices.Contains(open, a) })
	}
	v.CanPosition = len(v.Kinds) > 0
}

// positionChart draws positions by regional group as an accessible SVG:
// one stacked bar per group, a title and a description that says in words
// what the bars show, mirrored for right-to-left languages.
func (s *Server) positionChart(p *Page, groups []concord.RegionalGroup, counts map[string]map[string]int) template.HTML {
	const width, barH, gap, labelW = 640, 22, 10, 150
	codes := []string{}
	for _, g := range groups {
		codes = append(codes, g.Code)
	}
	if counts["none"] != nil {
		codes = append(codes, "none")
	}
	height := len(codes)*(barH+gap) + 40
	rtl := p.Dir == "rtl"
	var b strings.Builder
	esc := template.HTMLEscapeString
	title := p.T("decisions.chart_title")
	var desc []string
	dir := "ltr"
	if rtl {
		dir = "rtl"
	}
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 %d %d" width="100%%" direction="%s" xmlns="http://www.w3.org/2000/svg">`, width, height, dir)
	for i, code := range codes {
		total := 0
		for _, c := range chartClasses {
			total += counts[code][c]
		}
		name := code
		if code == "none" {
			name = p.T("state.no_group")
		}
		y := i*(barH+gap) + 10
		// "start" is the right edge in a right-to-left SVG, so one anchor
		// serves both directions; only the x moves.
		lx := 0
		if rtl {
			lx = width
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="start" class="chart-label">%s</text>`, lx, y+16, esc(name))
		x := 0.0
		var parts []string
		for _, c := range chartClasses {
			n := counts[code][c]
			if n == 0 || total == 0 {
				continue
			}
			wd := float64(width-labelW) * float64(n) / float64(total)
			bx := float64(labelW) + x
			if rtl {
				bx = float64(width-labelW) - x - wd
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" class="pos-%s"><title>%s: %d</title></rect>`, bx, y, wd, barH, c, esc(p.T("stance."+c)), n)
			x += wd
			parts = append(parts, fmt.Sprintf("%s %d", p.T("stance."+c), n))
		}
		desc = append(desc, name+": "+strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc></svg>`, esc(title), esc(strings.Join(desc, "; ")))
	return template.HTML(b.String())
}

func (s *Server) decisionPosition(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	_, err = s.Decide.TakePosition(r.Context(), UserFrom(r.Context()), id, decide.PositionInput{Actor: f.Get("actor"),
		Kind: decision.PositionKind(f.Get("kind")), Text: f.Get("text"), Lang: LangFrom(r.Context())})
	return s.afterDecisionWrite(w, r, id, err)
}

func (s *Server) decisionAct(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	var stmt concord.Text
	if t := strings.TrimSpace(f.Get("text")); t != "" {
		stmt = concord.Text{LangFrom(r.Context()): t}
	}
	_, err = s.Decide.Act(r.Context(), UserFrom(r.Context()), id, decision.ActKind(f.Get("kind")), f.Get("formal") == "on", stmt)
	return s.afterDecisionWrite(w, r, id, err)
}

// afterDecisionWrite redirects after a write, or shows the page again with
// the error (a late position, a position for another State...).
func (s *Server) afterDecisionWrite(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if err != nil {
		de := AsDomain(err)
		if de.Code == concord.EInternal || de.Code == concord.ENotFound {
			return err
		}
		return s.showDecision(w, r, Status(de.Code), r.PostForm, de)
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/decisions/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// Reason renders an engine message (reason or next action) with its
// arguments; times in the arguments (RFC 3339) are shown in the page's zone.
func (p *Page) Reason(key string, args map[string]string) string {
	data := make(map[string]any, len(args))
	for k, v := range args {
		// The engine passes instants as RFC 3339; people read minutes.
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			l := t.In(p.location())
			v = l.Format("2006-01-02 15:04") + " " + zoneLabel(l)
		}
		data[k] = v
	}
	return p.cat.T(p.Lang, key, data)
}
