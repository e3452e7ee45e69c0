package web

// External briefers at DTG meetings (issue 5, application 4): the list per
// meeting, a nomination with its state, record and simulation, the
// nomination form and the withdrawal. Every rule is in decide (the service)
// and concord (BrieferConfirm); these handlers choose what to show.
// Positions and the Chair's acts are taken on the generic decision page,
// which the nomination links to.
//
// A nomination's state changes with the clock (a non-objection round ends
// at its deadline without any write): reading the nominations tells the
// caches until when the pages hold (cachectl), the first deadline they show.

import (
	"concord/briefer"
	"concord/decision"
	"concord/rule"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"concord"
	"concord/internal/decide"
)

func (s *Server) brieferRoutes() []Route {
	return []Route{
		{"GET", "/briefers", concord.ActRead, nil, "/briefers", s.briefersList},
		{"GET", "/briefers/new", concord.ActNominate, nil, "/briefers/new", s.brieferNew},
		{"POST", "/briefers", concord.ActNominate, nil, "/briefers", s.brieferCreate},
		{"GET", "/briefers/{id}", concord.ActRead, nil, "/briefers/1", s.brieferPage},
		{"POST", "/briefers/{id}/withdrawal", concord.ActNominate, nil, "/briefers/1/withdrawal", s.brieferWithdraw},
	}
}

// brieferRow is one nomination in the list.
type brieferRow struct {
	ID          int64
	Name        string
	Affiliation string
	By          concord.State
	Status      briefer.State
	Until       template.HTML // the deadline, while the round is under way
	DecisionID  int64
}

// brieferMeetingView is one DTG meeting and its nominations.
type brieferMeetingView struct {
	Code string
	Date string
	DTG  concord.DTG
	Rows []brieferRow
}

// brieferStates indexes the States by ISO3.
func (s *Server) brieferStates(ctx context.Context) (map[string]concord.State, []concord.State, error) {
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]concord.State, len(states))
	for _, st := range states {
		m[st.ISO3] = st
	}
	return m, states, nil
}

// briefersView is the nominations per DTG meeting.
//
// view of template "briefers"
type briefersView struct {
	Meetings    []brieferMeetingView
	DTGs        []concord.DTG
	Rule        rule.Version
	CanNominate bool
}

func (s *Server) briefersList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	status := http.StatusOK
	p := s.newPage(r, "briefers.title", nil)
	l, err := s.Decide.Briefers(ctx, decide.BrieferFilter{DTG: q.Get("dtg"), Meeting: q.Get("meeting")})
	if de := formError(err); de != nil {
		// A filter the service refuses: the page with the error and the
		// list unfiltered.
		p.Err, status = de, Status(de.Code)
		l, err = s.Decide.Briefers(ctx, decide.BrieferFilter{})
	}
	if err != nil {
		return err
	}
	loc := l.Location
	byCode, _, err := s.brieferStates(ctx)
	if err != nil {
		return err
	}
	views := make([]brieferMeetingView, 0, len(l.Meetings))
	for _, m := range l.Meetings {
		dtg, _ := concord.DTGByCode(m.DTG)
		v := brieferMeetingView{Code: m.Code, Date: m.Date, DTG: dtg}
		for _, b := range m.Briefers {
			n := b.Record.Doc
			row := brieferRow{ID: b.ID(), Name: n.Name, Affiliation: n.Affiliation, By: byCode[n.NominatedBy], Status: b.Result.State, DecisionID: b.Decision.ID}
			if b.Result.State == briefer.Nominated {
				row.Until = accrTime(b.Result.Decision.Deadline, loc)
			}
			v.Rows = append(v.Rows, row)
		}
		views = append(views, v)
	}
	p.Form = q
	p.Data = briefersView{Meetings: views, DTGs: concord.DTGs, Rule: l.Rule, CanNominate: decide.CanNominateBriefers(p.User)}
	return s.render(w, r, status, "briefers", p)
}

// brieferNewView is the nomination form.
//
// view of template "briefer_new"
type brieferNewView struct {
	States   []stateRow // the Member States, by name
	DTGs     []concord.DTG
	Own      string // a delegate's State, the only one it nominates for
	Rule     rule.Version
	Policy   *briefer.Policy // Rule's settings, at their type
	TimeZone string
}

func (s *Server) brieferNew(w http.ResponseWriter, r *http.Request) error {
	return s.showBrieferForm(w, r, http.StatusOK, nil, nil)
}

// showBrieferForm shows the nomination form, again with what was typed and
// every problem (perr) after a refused nomination.
func (s *Server) showBrieferForm(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, perr error) error {
	u := UserFrom(r.Context())
	if !decide.CanNominateBriefers(u) {
		return concord.Errorf(concord.EForbidden, "", "briefers.error.forbidden", "only States nominate briefers")
	}
	ctx := r.Context()
	_, states, err := s.brieferStates(ctx)
	if err != nil {
		return err
	}
	rows := make([]stateRow, 0, len(states))
	for _, st := range states {
		if st.Status == "member" {
			rows = append(rows, stateRow{State: st})
		}
	}
	lang := LangFrom(ctx)
	sortStates(rows, lang)
	rv, err := s.Decide.RuleAt(ctx, briefer.RuleCode, s.DB.Now())
	if err != nil {
		return err
	}
	loc, err := s.Decide.Location(ctx)
	if err != nil {
		return err
	}
	own := ""
	if u.Role == concord.RoleDelegate {
		own = u.State
	}
	p := s.newPage(r, "briefers.new_heading", brieferNewView{States: rows, DTGs: concord.DTGs, Own: own, Rule: rv, Policy: policyOf[*briefer.Policy](rv), TimeZone: loc.String()})
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	if p.Form == nil {
		p.Form = map[string][]string{}
	}
	return s.render(w, r, status, "briefer_new", p)
}

func (s *Server) brieferCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	b, err := s.Decide.NominateBriefer(r.Context(), UserFrom(r.Context()), decide.BrieferInput{Name: f.Get("name"), Affiliation: f.Get("affiliation"),
		Expertise: f.Get("expertise"), NominatedBy: f.Get("nominated_by"), DTG: f.Get("dtg"), MeetingDate: f.Get("meeting_date")})
	if de := formError(err); de != nil {
		return s.showBrieferForm(w, r, Status(de.Code), f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/briefers/%d?saved=1", LangFrom(r.Context()), b.ID()), http.StatusSeeOther)
	return nil
}

// brieferEntry is one State's position in the record, with its name.
type brieferEntry struct {
	decision.Entry
	Name concord.Text
	When template.HTML
}

// brieferSimRow is the nomination under one confirmation mode.
type brieferSimRow struct {
	Confirmation briefer.Confirmation
	Current      bool
	Status       briefer.State
	Outcome      decision.OutcomeKind
	Deadline     template.HTML
	Err          bool
}

// brieferView is one nomination with its state, record and simulation.
//
// view of template "briefer"
type brieferView struct {
	B      decide.Briefer
	N      briefer.Nomination
	DTG    concord.DTG
	By     concord.State
	Status briefer.State
	Open   bool // the round is under way
	Result decision.Result
	// Reasons are the decision's, a withdrawal's deferral left out.
	Reasons                   []decision.Reason
	At, Deadline, WithdrawnAt template.HTML
	Objected, Divergence      []brieferEntry
	Agreement, Explanations   []brieferEntry
	Simulations               []brieferSimRow
	TimeZone                  string
	CanWithdraw               bool
}

func (s *Server) brieferPage(w http.ResponseWriter, r *http.Request) error {
	return s.showBriefer(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showBriefer(w http.ResponseWriter, r *http.Request, status int, form map[string][]string, perr *concord.Error) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := s.Decide.Briefer(ctx, id)
	if err != nil {
		return err
	}
	loc := b.Location
	byCode, _, err := s.brieferStates(ctx)
	if err != nil {
		return err
	}
	n := b.Record.Doc
	res := b.Result.Decision
	named := func(es []decision.Entry) []brieferEntry {
		out := make([]brieferEntry, 0, len(es))
		for _, e := range es {
			name := byCode[e.State].Names
			if e.IsGroup {
				for _, g := range b.Decision.Facts.Groups {
					if g.Code == e.State {
						name = g.Names
					}
				}
			}
			if name == nil {
				name = concord.Text{"en": e.State}
			}
			out = append(out, brieferEntry{e, name, accrTime(e.At, loc)})
		}
		return out
	}
	simulated := s.Decide.SimulateBriefer(b)
	var sims []brieferSimRow
	for _, sim := range simulated {
		row := brieferSimRow{Confirmation: sim.Policy.Confirmation, Current: sim.Policy.Confirmation == b.Policy.Confirmation, Err: sim.Err != nil}
		if sim.Err == nil {
			row.Status, row.Outcome = sim.Result.State, sim.Result.Decision.Outcome
			row.Deadline = accrTime(sim.Result.Decision.Deadline, loc)
		}
		sims = append(sims, row)
	}
	// A withdrawal closes the decision with a deferral: the engine's reason
	// ("deferred by the Chair") is replaced by what happened.
	reasons := res.Reasons
	if b.Result.State == briefer.Withdrawn {
		reasons = slices.DeleteFunc(slices.Clone(reasons), func(x decision.Reason) bool { return x.Key == "decision.reason.deferred_by_chair" })
	}
	u := UserFrom(ctx)
	dtg, _ := concord.DTGByCode(n.DTG)
	p := s.newPage(r, "briefers.title", nil)
	p.Title = n.Name
	p.Data = brieferView{
		B: b, N: n, DTG: dtg, Reasons: reasons, Open: b.Result.State == briefer.Nominated, By: byCode[n.NominatedBy], Status: b.Result.State, Result: res,
		At: accrTime(n.At, loc), Deadline: accrTime(res.Deadline, loc), WithdrawnAt: accrTime(n.Withdrawn, loc),
		Objected: named(res.Record.Objected), Divergence: named(slices.Concat(res.Record.Reserved, res.Record.Dissociated, res.Record.Abstained)),
		Agreement: named(res.Record.Agreement()), Explanations: named(res.Record.Explanations),
		Simulations: sims, TimeZone: loc.String(),
		CanWithdraw: b.Result.State == briefer.Nominated && decide.CanNominateBriefers(u) &&
			concord.Can(u, concord.ActNominate, concord.Target{State: n.NominatedBy}),
	}
	p.Form, p.Err = form, perr
	return s.render(w, r, status, "briefer", p)
}

func (s *Server) brieferWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	lang := LangFrom(r.Context())
	_, err = s.Decide.WithdrawBriefer(r.Context(), UserFrom(r.Context()), id, f.Get("note"), lang)
	if de := formError(err); de != nil {
		return s.showBriefer(w, r, Status(de.Code), f, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/briefers/%d?saved=1", lang, id), http.StatusSeeOther)
	return nil
}
