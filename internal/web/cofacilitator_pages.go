package web

import (
	"cmp"
	"concord/cofacilitator"
	"concord/rule"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/cofac"
)

// Co-facilitators of the Dedicated Thematic Groups: an overview of both
// groups, a page per group and term (nominations, sets, the Chair's balanced
// pairs and forms), and a page per set (its checks, its state, its decision
// and a simulation under the three appointment modes). Positions and the
// Chair's acts on a set happen on the decision page it links to.

// cofacSetRow is a set in a list.
type cofacSetRow struct {
	ID          int64
	Term        string
	Pair        []cofacilitator.Nomination
	State       cofacilitator.State
	Appointment cofacilitator.Appointment
	Version     int
	DecisionID  int64
}

func cofacSetRows(vs []cofac.SetView) []cofacSetRow {
	out := make([]cofacSetRow, len(vs))
	for i, v := range vs {
		out[i] = cofacSetRow{ID: v.ID, Term: v.Doc.Term, Pair: v.Doc.Pair, State: v.Result.State, Appointment: v.Doc.Policy.Appointment,
			Version: v.Doc.Policy.Version, DecisionID: v.DecisionID}
	}
	return out
}

// cofacDTGSummary is one DTG on the overview.
type cofacDTGSummary struct {
	DTG         concord.DTG
	Term        string
	Nominations []cofac.Nomination // standing, of Term
	Sets        []cofacSetRow
}

// cofacIndexView is the overview of both groups.
//
// view of template "cofac_index"
type cofacIndexView struct {
	DTGs   []cofacDTGSummary
	Rule   rule.Version
	Policy *cofacilitator.Policy // Rule's settings, at their type
}

func (s *Server) cofacIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	noms, err := s.CoFac.Nominations(ctx, "", "")
	if err != nil {
		return err
	}
	sets, err := s.CoFac.Sets(ctx, "")
	if err != nil {
		return err
	}
	now := s.DB.Now()
	rv, err := s.Decide.RuleAt(ctx, cofacilitator.RuleCode, now)
	if err != nil {
		return err
	}
	var out []cofacDTGSummary
	for _, d := range concord.DTGs {
		sum := cofacDTGSummary{DTG: d}
		var terms []string
		var mine []cofac.SetView
		for _, n := range noms {
			if n.Doc.DTG == d.Code {
				terms = append(terms, n.Doc.Term)
			}
		}
		for _, v := range sets {
			if v.Doc.DTG == d.Code {
				terms = append(terms, v.Doc.Term)
				mine = append(mine, v)
			}
		}
		sum.Term = cofacilitator.CurrentTerm(cofacilitator.SortTerms(terms), now)
		for _, n := range noms {
			if n.Doc.DTG == d.Code && n.Doc.Term == sum.Term && n.Doc.Standing() {
				sum.Nominations = append(sum.Nominations, n)
			}
		}
		sum.Sets = cofacSetRows(mine)
		out = append(out, sum)
	}
	p := s.newPage(r, "cofac.board_title", nil)
	p.Data = cofacIndexView{DTGs: out, Rule: rv, Policy: policyOf[*cofacilitator.Policy](rv)}
	return s.render(w, r, http.StatusOK, "cofac_index", p)
}

// cofacNomRow is a nomination on a DTG's page, with every label resolved
// in Go: the template has one cheap action per cell (see stateLine).
type cofacNomRow struct {
	cofac.Nomination
	StateName   template.HTML
	Group       template.HTML // the regional group's name
	Category    string
	Gender      string
	Status      string
	InSet       bool // in a set that is proposed or holds the seats
	CanWithdraw bool
	Checked     bool // chosen in the propose form being shown again
}

// cofacPairRow is a balanced pair the rules allow.
type cofacPairRow struct {
	Nominations []cofac.Nomination
	Warnings    int
}

// cofacBoardView is a DTG's page for one term.
//
// view of template "cofac_board"
type cofacBoardView struct {
	Board      cofac.Board
	Rows       []cofacNomRow
	Sets       []cofacSetRow
	Pairs      []cofacPairRow // the balanced pairs, for the Chair
	GroupNames map[string]concord.Text
	CanPropose bool
	// NominateFor are the States the user may nominate for.
	NominateFor []concord.State
	// Refused is a set the pair rules refused, with its checks.
	Refused   *cofacilitator.Set
	Genders   []string
	RuleTerms []rule.Term
	States    map[string]concord.State
	Policy    *cofacilitator.Policy // the rule in force's settings, at their type
}

func (s *Server) cofacBoard(w http.ResponseWriter, r *http.Request) error {
	return s.showCofacBoard(w, r, http.StatusOK, r.PathValue("dtg"), r.URL.Query().Get("term"), nil, nil, nil)
}

// showCofacBoard renders a DTG's page for term, with the form being shown
// again (form, perr) and the checks of a refused set.
func (s *Server) showCofacBoard(w http.ResponseWriter, r *http.Request, status int, dtg, term string, form url.Values, perr error, refused *cofacilitator.Set) error {
	ctx := r.Context()
	b, err := s.CoFac.Board(ctx, dtg, term)
	if err != nil {
		return err
	}
	reg, err := s.registry(ctx, b.States)
	if err != nil {
		return err
	}
	byISO, groupNames := reg.ByISO, reg.GroupNames
	u := UserFrom(ctx)
	p := s.newPage(r, "cofac.board_title", nil)
	checked := form["nomination"]
	rows := make([]cofacNomRow, len(b.Nominations))
	for i, n := range b.Nominations {
		in := b.InOpenSet(n)
		row := cofacNomRow{Nomination: n, StateName: p.Show(byISO[n.Doc.State].Names), Category: "—", Gender: "—", InSet: in,
			CanWithdraw: n.Doc.Standing() && !in && concord.Can(u, concord.ActNominate, concord.Target{State: n.Doc.State}),
			Checked:     slices.Contains(checked, strconv.FormatInt(n.ID, 10))}
		if g := b.GroupOf(n.Doc.State); g != "" {
			row.Group = p.Show(groupNames[g])
		} else {
			row.Group = template.HTML(template.HTMLEscapeString(p.T("state.no_group")))
		}
		if c := b.Categories[n.Doc.State]; c != "" {
			row.Category = p.T("category." + c)
		}
		if n.Doc.Gender != "" {
			row.Gender = p.T("gender." + n.Doc.Gender)
		}
		switch {
		case !n.Doc.Standing():
			row.Status = p.T("cofac.withdrawn") + " " + p.Day(n.Doc.WithdrawnAt)
		case in:
			row.Status = p.T("cofac.in_set")
		default:
			row.Status = p.T("cofac.standing")
		}
		rows[i] = row
	}
	canPropose := concord.Can(u, concord.ActProposeDecision, concord.Target{})
	var pairs []cofacPairRow
	if canPropose {
		ps, err := b.Pairs(cofacPairsShown)
		if err != nil {
			return err
		}
		for _, x := range ps {
			row := cofacPairRow{Nominations: x.Nominations}
			for _, c := range x.Checks {
				if c.Status == cofacilitator.Warn {
					row.Warnings++
				}
			}
			pairs = append(pairs, row)
		}
	}
	// Who may nominate, and for which States: a delegate for its own, the
	// Secretariat for any Member State.
	var nominateFor []concord.State
	if u != nil && concord.Can(u, concord.ActNominate, concord.Target{State: cmp.Or(u.State, "*")}) {
		for _, st := range reg.States {
			if st.Status == "member" && (u.Role != concord.RoleDelegate || st.ISO3 == u.State) {
				nominateFor = append(nominateFor, st)
			}
		}
		lang := LangFrom(ctx)
		slices.SortStableFunc(nominateFor, func(a, b concord.State) int {
			an, _, _ := a.Names.In(lang)
			bn, _, _ := b.Names.In(lang)
			return strings.Compare(an, bn)
		})
	}
	p.Title = p.L(b.DTG.Names).Text
	if form == nil {
		form = url.Values{"term": {b.Term}}
	}
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	p.Data = cofacBoardView{
		Board: b, Rows: rows, Sets: cofacSetRows(b.Sets), Pairs: pairs, GroupNames: groupNames,
		CanPropose: canPropose, NominateFor: nominateFor, Refused: refused, Genders: []string{"female", "male", "other"},
		RuleTerms: b.Rule.Terms(), States: byISO, Policy: policyOf[*cofacilitator.Policy](b.Rule),
	}
	return s.render(w, r, status, "cofac_board", p)
}

// cofacPairsShown bounds the balanced pairs listed for the Chair.
const cofacPairsShown = 8

// boardURL is a DTG's page for a term, after a successful write.
func boardURL(lang, dtg, term string) string {
	q := url.Values{"saved": {"1"}}
	if term != "" {
		q.Set("term", term)
	}
	return "/" + lang + "/cofacilitators/" + url.PathEscape(dtg) + "?" + q.Encode()
}

// afterCofacWrite shows the DTG's page again with the problem, or the error
// page when there is no DTG page to show it on (an unknown group, a refusal).
func (s *Server) afterCofacWrite(w http.ResponseWriter, r *http.Request, err error, dtg, term string) error {
	de := formError(err)
	if de == nil {
		return err
	}
	if _, ok := concord.DTGByCode(dtg); !ok {
		return err
	}
	if _, _, terr := cofacilitator.ParseTerm(term); terr != nil || de.Field == "term" {
		term = "" // the page of now, with the typed term kept in the form
	}
	var refused *cofacilitator.Set
	if ue, ok := cofac.IsUnbalanced(err); ok {
		refused = &ue.Set
	}
	return s.showCofacBoard(w, r, Status(de.Code), dtg, term, r.PostForm, err, refused)
}

func (s *Server) cofacNominate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	dtg, term := strings.TrimSpace(f.Get("dtg")), strings.TrimSpace(f.Get("term"))
	n, err := s.CoFac.Nominate(r.Context(), UserFrom(r.Context()), cofac.NominationInput{DTG: dtg, Term: term, Person: f.Get("person"),
		State: f.Get("state"), Gender: f.Get("gender"), Expertise: cofac.SplitExpertise(f.Get("expertise"))})
	if err != nil {
		return s.afterCofacWrite(w, r, err, dtg, term)
	}
	http.Redirect(w, r, boardURL(LangFrom(r.Context()), n.Doc.DTG, n.Doc.Term)+"#candidates", http.StatusSeeOther)
	return nil
}

func (s *Server) cofacWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	n, err := s.CoFac.Withdraw(r.Context(), UserFrom(r.Context()), id)
	if err != nil {
		return s.afterCofacWrite(w, r, err, f.Get("dtg"), f.Get("term"))
	}
	http.Redirect(w, r, boardURL(LangFrom(r.Context()), n.Doc.DTG, n.Doc.Term)+"#candidates", http.StatusSeeOther)
	return nil
}

func (s *Server) cofacPropose(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	dtg := strings.TrimSpace(f.Get("dtg"))
	var ids []int64
	for i, v := range f["nomination"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			// A value that is no nomination's id names none (a distinct
			// negative id each): the service reports it as unknown, with
			// every other problem of the choice, and records nothing.
			id = int64(-1 - i)
		}
		ids = append(ids, id)
	}
	v, err := s.CoFac.ProposeSet(r.Context(), UserFrom(r.Context()), cofac.SetInput{DTG: dtg, Nominations: ids})
	if err != nil {
		return s.afterCofacWrite(w, r, err, dtg, f.Get("term"))
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/cofacilitators/sets/%d?saved=1", LangFrom(r.Context()), v.ID), http.StatusSeeOther)
	return nil
}

// cofacCandidate is a candidate of a set, with the facts it was checked on.
type cofacCandidate struct {
	cofacilitator.Nomination
	StateNames concord.Text
	Group      string
	Category   string
}

// cofacSetView is one set: its candidates, checks, state and decision.
//
// view of template "cofac_set"
type cofacSetView struct {
	Set        cofac.SetDetail
	DTG        concord.DTG
	Candidates []cofacCandidate
	GroupNames map[string]concord.Text
	RuleTerms  []rule.Term
	Effective  time.Time // of the rule version the set was checked under
	Proposed   time.Time
}

func (s *Server) cofacSet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.CoFac.Set(ctx, id)
	if err != nil {
		return err
	}
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return err
	}
	byISO, groupNames := reg.ByISO, reg.GroupNames
	set := d.Doc
	cands := make([]cofacCandidate, len(set.Pair))
	for i, n := range set.Pair {
		cands[i] = cofacCandidate{Nomination: n, StateNames: byISO[n.State].Names, Group: set.Groups[n.State], Category: set.Categories[n.State]}
	}
	dtg, _ := concord.DTGByCode(set.DTG)
	policy := set.Policy
	rv := rule.Version{Code: cofacilitator.RuleCode, Version: policy.Version, Effective: policy.Effective, Policy: &policy}
	p := s.newPage(r, "cofac.board_title", nil)
	p.Title = p.T("cofac.set_title", "dtg", p.L(dtg.Names).Text, "term", set.Term)
	p.Data = cofacSetView{
		Set: d, DTG: dtg, Candidates: cands, GroupNames: groupNames, RuleTerms: rv.Terms(), Effective: policy.Effective,
		Proposed: d.Decision.Facts.ProposedAt,
	}
	return s.render(w, r, http.StatusOK, "cofac_set", p)
}

// CoFacCheck explains a pair rule's verdict in the page's language, the
// candidates' gender included (the rule gives it as a code).
func (p *Page) CoFacCheck(c cofacilitator.Check) string {
	args := c.Args
	if g, ok := args["gender"]; ok && g != "" {
		args = maps.Clone(args)
		args["gender"] = p.T("gender." + g)
	}
	return p.Reason(c.Key, args)
}
