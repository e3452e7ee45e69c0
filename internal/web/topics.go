package web

import (
	"concord/decision"
	"concord/rule"
	"concord/topic"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// DTG topic pages: the rounds (one per DTG and term), and a round's page
// with its suggestions, the preference survey (ballot form, interim and
// final results per State and with equal weight per regional group, a
// chart), the Chair's proposal and the outcome of the decision it opened.
// Positions and the Chair's acts on that decision are on the decision page.

func (s *Server) topicRoutes() []Route {
	return []Route{
		{"GET", "/topics", concord.ActRead, nil, "/topics", s.topicsList},
		{"POST", "/topics", concord.ActProposeDecision, nil, "/topics", s.topicOpen},
		{"GET", "/topics/{id}", concord.ActRead, nil, "/topics/1", s.topicPage},
		{"POST", "/topics/{id}/suggestions", concord.ActNominate, nil, "/topics/1/suggestions", s.topicSuggest},
		{"POST", "/topics/{id}/survey", concord.ActProposeDecision, nil, "/topics/1/survey", s.topicSurvey},
		{"POST", "/topics/{id}/ballots", concord.ActTakePosition, nil, "/topics/1/ballots", s.topicBallot},
		{"POST", "/topics/{id}/proposal", concord.ActProposeDecision, nil, "/topics/1/proposal", s.topicPropose},
	}
}

// topicRoundRow is a round in the list.
type topicRoundRow struct {
	ID          int64
	DTG, Term   string
	Phase       topic.Phase
	Selection   topic.Selection
	Suggestions int
	Outcome     decision.OutcomeKind // "" without a proposal
}

// topicsView is the list of rounds with the form to open one.
//
// view of template "topics"
type topicsView struct {
	Rounds []topicRoundRow
	DTGs   []concord.DTG
}

func (s *Server) topicsList(w http.ResponseWriter, r *http.Request) error {
	return s.showTopics(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showTopics(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error) error {
	ctx := r.Context()
	recs, err := s.Decide.TopicRounds(ctx, "")
	if err != nil {
		return err
	}
	// One query for the rounds' decisions, not one per round.
	byID, err := store.DecisionsFor(ctx, s.DB, recs)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	rows := make([]topicRoundRow, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- { // newest first
		rec := recs[i]
		row := topicRoundRow{ID: rec.ID, DTG: rec.Doc.DTG, Term: rec.Doc.Term, Phase: rec.Doc.Phase(now), Selection: rec.Doc.Rule.Selection, Suggestions: len(rec.Doc.Suggestions)}
		if d, ok := byID[rec.DecisionID]; ok {
			res, err := s.Decide.Result(d)
			if err != nil {
				return err
			}
			row.Outcome = res.Outcome
		}
		rows = append(rows, row)
	}
	if form == nil {
		// The first term from this year on that the first group has no
		// round for.
		taken := map[string]bool{}
		for _, rec := range recs {
			if rec.Doc.DTG == concord.DTGs[0].Code {
				taken[rec.Doc.Term] = true
			}
		}
		y := now.Year()
		for taken[fmt.Sprintf("%d-%d", y, y+1)] {
			y++
		}
		form = url.Values{"term": {fmt.Sprintf("%d-%d", y, y+1)}}
	}
	p := s.newPage(r, "topics.title", topicsView{Rounds: rows, DTGs: concord.DTGs})
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "topics", p)
}

func (s *Server) topicOpen(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	rec, err := s.Decide.OpenTopicRound(r.Context(), UserFrom(r.Context()), decide.TopicRoundInput{DTG: f.Get("dtg"), Term: f.Get("term")})
	if de := formError(err); de != nil {
		return s.showTopics(w, r, Status(de.Code), f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/topics/%d?saved=1", LangFrom(r.Context()), rec.ID), http.StatusSeeOther)
	return nil
}

// topicSuggestionRow is a suggestion as the round page lists it.
type topicSuggestionRow struct {
	topic.Suggestion
	ByName template.HTML // the State's name, or "the Chair"
	At     template.HTML
}

// topicBallotField is one topic's control in the ballot form, with the
// value to show (what was typed, or the State's current ballot).
type topicBallotField struct {
	ID    string
	Title concord.Text
	Value string
}

// topicResultRow is one topic's figures.
type topicResultRow struct {
	topic.Tally
	Title    concord.Text
	Share    string // "41.2 %"
	Weighted string
	Groups   []string // share within each regional group, in group order
	Advised  bool     // in the survey's advice
}

// topicTurnoutRow is one regional group's participation.
type topicTurnoutRow struct {
	topic.GroupTurnout
	Names   concord.Text
	Turnout string
}

// topicProposalRow is one proposal of the Chair, with its decision.
type topicProposalRow struct {
	topic.Proposal
	Titles   []concord.Text
	AtHTML   template.HTML
	Outcome  decision.OutcomeKind
	Followed bool // the proposal is the survey's advice
}

func (s *Server) topicPage(w http.ResponseWriter, r *http.Request) error {
	return s.showTopic(w, r, http.StatusOK, nil, nil)
}

// pct shows a share (0..1) as a percentage with one decimal, written as the
// page's language writes it (decimal comma and a non-breaking space before
// the sign in French, Spanish and Russian); digits stay Western, as on the
// rest of the site.
func pct(lang string, f float64) string {
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	switch lang {
	case "fr", "es", "ru":
		return strings.Replace(s, ".", ",", 1) + "\u00a0%"
	}
	return s + "%"
}

// topicView is a round's page: its suggestions, the survey (ballot form,
// results, chart), the Chair's proposals and the forms open now.
//
// view of template "topic"
type topicView struct {
	Round       store.Record[topic.Round]
	Phase       topic.Phase
	Survey      *topic.Survey
	Rule        rule.Version
	Opened      template.HTML
	Suggestions []topicSuggestionRow
	TimeZone    string

	// Who may do what now (the route checks the action; the page offers
	// only the forms that can succeed in this phase).
	IsSurveyRule  bool
	CanSuggest    bool
	SuggestFor    bool // the Secretariat suggests for a State
	CanOpenSurvey bool
	IsDelegate    bool
	MyState       concord.State   // a delegate's State
	Members       []concord.State // the Member States by name, for suggesting

	topicSurveyView
	topicProposalsView
}

// topicSurveyView is the survey's part of a round's page.
type topicSurveyView struct {
	Deadline   template.HTML
	SurveyOpen bool
	CanBallot  bool
	// The delegate's State's latest ballot.
	MyBallot     *topic.Ballot
	MyBallotAt   template.HTML
	MyRanking    []concord.Text
	MyScores     []topicScore
	BallotFields []topicBallotField
	Ranks        []int
	// The results: interim while the survey is open.
	Results     *topic.SurveyResult
	Reasons     []decision.Reason
	ByPoints    []topicResultRow
	ByWeighted  []topicResultRow
	Turnout     []topicTurnoutRow
	Groups      []concord.RegionalGroup
	Advice      []concord.Text
	Weighted    bool
	TopChanged  bool // weighting changes the top topic
	TopPoints   concord.Text
	TopWeighted concord.Text
	Chart       template.HTML

	advice []string // the survey's advice, by topic id
}

// topicProposalsView is the Chair's part of a round's page.
type topicProposalsView struct {
	Proposals      []topicProposalRow // the latest first
	DecisionResult *decision.Result   // of the latest proposal
	CanPropose     bool
	Choices        []topicChoice
	Modality       decision.Modality
}

// topicScore is one score of the delegate's ballot.
type topicScore struct {
	Title concord.Text
	Score int
}

// topicChoice is one topic of the Chair's proposal form.
type topicChoice struct {
	ID      string
	Title   concord.Text
	Checked bool
}

func (s *Server) showTopic(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "topics.title", nil)
	v, form, err := s.loadTopic(r.Context(), p, id, form)
	if err != nil {
		return err
	}
	p.Title = p.DTG(v.Round.Doc.DTG) + " · " + v.Round.Doc.Term
	p.Data = v
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	// The page changes when a deadline passes, not only on a write: reading
	// the round and its decision recorded when (the survey's close, the
	// decision's deadline) for the caches. The default deadline offered to
	// the Chair changes every day: not cached.
	if v.CanOpenSurvey {
		r = fresh(w, r)
	}
	return s.render(w, r, status, "topic", p)
}

// loadTopic builds round id's page for p's user, with form (what was typed,
// or the defaults it fills in) to show in its forms.
func (s *Server) loadTopic(ctx context.Context, p *Page, id int64, form url.Values) (topicView, url.Values, error) {
	var v topicView
	rec, err := s.Decide.TopicRound(ctx, id)
	if err != nil {
		return v, form, err
	}
	round := rec.Doc
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return v, form, err
	}
	loc, err := s.Decide.Location(ctx)
	if err != nil {
		return v, form, err
	}
	byISO := make(map[string]concord.State, len(states))
	for _, st := range states {
		byISO[st.ISO3] = st
	}
	now := s.DB.Now()
	v.Round, v.Phase, v.Survey, v.TimeZone = rec, round.Phase(now), round.Survey, loc.String()
	v.Rule = rule.Version{Code: topic.RuleCode, Version: round.Rule.Version, Policy: &round.Rule}
	v.Opened = accrTime(round.Opened, loc)
	v.Suggestions = topicSuggestions(p, round, byISO, loc)
	topicAbilities(&v, p, states, byISO)
	if form == nil && v.CanOpenSurvey {
		d := now.Add(round.Rule.Period).In(loc)
		form = url.Values{"deadline_date": {d.Format(time.DateOnly)}, "deadline_time": {"18:00"}}
	}
	if round.Survey != nil {
		if v.topicSurveyView, err = s.topicSurveySection(ctx, p, round, v.Phase, states, form, loc); err != nil {
			return v, form, err
		}
	}
	if v.topicProposalsView, err = s.topicProposalSection(ctx, p.User, round, v.Results, v.advice, form, loc); err != nil {
		return v, form, err
	}
	return v, form, nil
}

// topicTitle is the title of a round's suggestion.
func topicTitle(round topic.Round, id string) concord.Text {
	sg, _ := round.Suggestion(id)
	return sg.Title
}

// topicSuggestions lists the round's suggestions with who made them.
func topicSuggestions(p *Page, round topic.Round, byISO map[string]concord.State, loc *time.Location) []topicSuggestionRow {
	sugs := make([]topicSuggestionRow, len(round.Suggestions))
	for i, sg := range round.Suggestions {
		row := topicSuggestionRow{Suggestion: sg, At: accrTime(sg.At, loc)}
		if sg.By == decision.ActorChair {
			row.ByName = template.HTML(template.HTMLEscapeString(p.T("topics.by_chair")))
		} else {
			row.ByName = p.Show(byISO[sg.By].Names)
		}
		sugs[i] = row
	}
	return sugs
}

// topicAbilities says which of the round's forms p's user is offered in
// the round's phase.
func topicAbilities(v *topicView, p *Page, states []concord.State, byISO map[string]concord.State) {
	u, round := p.User, v.Round.Doc
	canChair := concord.Can(u, concord.ActProposeDecision, concord.Target{})
	survey := round.Rule.Selection == topic.PreferenceSurvey
	v.IsSurveyRule = survey
	v.CanSuggest = v.Phase == topic.PhaseSuggestions && concord.Can(u, concord.ActNominate, concord.Target{})
	v.SuggestFor = u != nil && u.Role == concord.RoleSecretariat
	v.CanOpenSurvey = survey && v.Phase == topic.PhaseSuggestions && canChair && len(round.Suggestions) >= 2
	v.IsDelegate = u != nil && u.Role == concord.RoleDelegate
	if v.IsDelegate {
		v.MyState = byISO[u.State]
	}
	if u != nil && (u.Role == concord.RoleSecretariat || v.CanSuggest) {
		var members []concord.State
		for _, st := range states {
			if st.Status == "member" {
				members = append(members, st)
			}
		}
		lang := p.Lang
		slices.SortStableFunc(members, func(a, b concord.State) int {
			an, _, _ := a.Names.In(lang)
			bn, _, _ := b.Names.In(lang)
			return strings.Compare(an, bn)
		})
		v.Members = members
	}
}

// topicSurveySection builds the survey's part of the page: its status, the ballot
// form (what was typed, else the delegate's current ballot) and the results.
func (s *Server) topicSurveySection(ctx context.Context, p *Page, round topic.Round, phase topic.Phase, states []concord.State, form url.Values, loc *time.Location) (topicSurveyView, error) {
	var v topicSurveyView
	sv := round.Survey
	u := p.User
	v.Deadline = accrTime(sv.Deadline, loc)
	v.SurveyOpen = phase == topic.PhaseSurvey
	v.CanBallot = phase == topic.PhaseSurvey && concord.Can(u, concord.ActTakePosition, concord.Target{})
	if u != nil && u.Role == concord.RoleDelegate {
		if b, ok := round.LatestBallot(u.State); ok {
			v.MyBallot = &b
			v.MyBallotAt = accrTime(b.At, loc)
			for _, id := range b.Ranking {
				v.MyRanking = append(v.MyRanking, topicTitle(round, id))
			}
			for _, sg := range sv.Suggestions {
				if n, ok := b.Scores[sg.ID]; ok {
					v.MyScores = append(v.MyScores, topicScore{sg.Title, n})
				}
			}
		}
	}
	v.BallotFields = topicBallotFields(round, v.MyBallot, form)
	v.Ranks = make([]int, len(sv.Suggestions))
	for i := range v.Ranks {
		v.Ranks[i] = i + 1
	}
	res, err := s.Decide.TopicTally(round, states)
	if err != nil {
		return v, err
	}
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return v, err
	}
	topicResults(&v, p, round, res, groups)
	return v, nil
}

// topicBallotFields are the ballot form's controls, one per topic, with
// what was typed or else the State's current ballot.
func topicBallotFields(round topic.Round, current *topic.Ballot, form url.Values) []topicBallotField {
	sv := round.Survey
	fields := make([]topicBallotField, len(sv.Suggestions))
	for i, sg := range sv.Suggestions {
		f := topicBallotField{ID: sg.ID, Title: sg.Title}
		switch {
		case form.Get("ballot") != "":
			if round.Rule.Method == topic.Scores {
				f.Value = form.Get("score_" + sg.ID)
			} else {
				f.Value = form.Get("rank_" + sg.ID)
			}
		case current != nil && round.Rule.Method == topic.Scores:
			if n, ok := current.Scores[sg.ID]; ok {
				f.Value = strconv.Itoa(n)
			}
		case current != nil:
			if k := slices.Index(current.Ranking, sg.ID); k >= 0 {
				f.Value = strconv.Itoa(k + 1)
			}
		}
		fields[i] = f
	}
	return fields
}

// topicResults fills in the survey's figures: per topic by points and with
// regional weighting, the turnout per group, the advice and the chart.
func topicResults(v *topicSurveyView, p *Page, round topic.Round, res topic.SurveyResult, groups []concord.RegionalGroup) {
	title := func(id string) concord.Text { return topicTitle(round, id) }
	if res.Counted > 0 {
		v.advice = res.Proposal(round.Rule)
	}
	rows := make([]topicResultRow, len(res.Topics))
	for i, t := range res.Topics {
		row := topicResultRow{Tally: t, Title: title(t.Topic), Share: pct(p.Lang, t.Share), Weighted: pct(p.Lang, t.Weighted), Advised: slices.Contains(v.advice, t.Topic)}
		for _, g := range groups {
			row.Groups = append(row.Groups, pct(p.Lang, t.Groups[g.Code]))
		}
		rows[i] = row
	}
	v.ByPoints = slices.Clone(rows)
	slices.SortStableFunc(v.ByPoints, func(a, b topicResultRow) int { return a.PointsRank - b.PointsRank })
	v.ByWeighted = slices.Clone(rows)
	slices.SortStableFunc(v.ByWeighted, func(a, b topicResultRow) int { return a.WeightedRank - b.WeightedRank })
	names := map[string]concord.Text{}
	for _, g := range groups {
		names[g.Code] = g.Names
	}
	for _, g := range res.Groups {
		t := topicTurnoutRow{GroupTurnout: g, Names: names[g.Group], Turnout: "—"}
		if g.Members > 0 {
			t.Turnout = pct(p.Lang, float64(g.Respondents)/float64(g.Members))
		}
		v.Turnout = append(v.Turnout, t)
	}
	for _, id := range v.advice {
		v.Advice = append(v.Advice, title(id))
	}
	v.Results = &res
	// The page says in its own words that the figures are interim,
	// advisory and how many answered, and names the top topics when
	// weighting changes them; other reasons are listed as given.
	for _, rs := range res.Reasons {
		switch rs.Key {
		case "decision.reason.survey_open", "topic.reason.advisory", "topic.reason.weighting_changes_top":
		default:
			v.Reasons = append(v.Reasons, rs)
		}
	}
	v.Groups = groups
	v.Weighted = round.Rule.RegionalWeighting
	if res.Counted > 0 && res.Top(true) != res.Top(false) {
		v.TopChanged = true
		v.TopPoints, v.TopWeighted = title(res.Top(false)), title(res.Top(true))
	}
	v.Chart = topicChart(p, v.ByPoints)
}

// topicProposalSection builds the Chair's part of the page: the proposals with
// the outcome of the latest, and the proposal form when one may be made,
// pre-filled with what was typed, else the survey's advice.
func (s *Server) topicProposalSection(ctx context.Context, u *concord.User, round topic.Round, results *topic.SurveyResult, advice []string, form url.Values, loc *time.Location) (topicProposalsView, error) {
	var v topicProposalsView
	var latest *store.Decision
	for i, pr := range round.Proposals {
		row := topicProposalRow{Proposal: pr, AtHTML: accrTime(pr.At, loc), Followed: pr.Advice != nil && slices.Equal(pr.Advice, pr.Topics)}
		for _, id := range pr.Topics {
			row.Titles = append(row.Titles, topicTitle(round, id))
		}
		if i == len(round.Proposals)-1 {
			d, err := s.DB.GetDecision(ctx, pr.DecisionID)
			if err != nil {
				return v, err
			}
			res, err := s.Decide.Result(d)
			if err != nil {
				return v, err
			}
			latest = &d
			row.Outcome = res.Outcome
			v.DecisionResult = &res
		}
		v.Proposals = append(v.Proposals, row)
	}
	slices.Reverse(v.Proposals) // the latest first
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) || s.Decide.TopicProposable(round, latest, s.DB.Now()) != nil {
		return v, nil
	}
	v.CanPropose = true
	chosen := advice
	if form.Get("propose") != "" {
		chosen = form["topics"]
	}
	// The list follows the survey's order when there is one.
	order := slices.Clone(round.Suggestions)
	if results != nil && results.Counted > 0 {
		by := results.ByPoints
		if round.Rule.RegionalWeighting {
			by = results.ByWeighted
		}
		slices.SortStableFunc(order, func(a, b topic.Suggestion) int { return slices.Index(by, a.ID) - slices.Index(by, b.ID) })
	}
	for _, sg := range order {
		v.Choices = append(v.Choices, topicChoice{sg.ID, sg.Title, slices.Contains(chosen, sg.ID)})
	}
	v.Modality = round.Rule.Decision().Modality
	return v, nil
}

// topicChart draws, per topic, its share of the plain (per-State) points
// beside its share with equal weight per regional group: two horizontal
// bars per topic, a title, and a description that gives every figure in
// words, mirrored for right-to-left languages (the approach of the
// decision page's chart).
func topicChart(p *Page, rows []topicResultRow) template.HTML {
	const width, barH, pairGap, gap, labelW, labelH = 640, 14, 2, 14, 0, 18
	rtl := p.Dir == "rtl"
	maxShare := 0.0
	for _, r := range rows {
		maxShare = max(maxShare, r.Tally.Share, r.Tally.Weighted)
	}
	if maxShare == 0 {
		maxShare = 1
	}
	rowH := labelH + 2*barH + pairGap + gap
	height := len(rows)*rowH + 4
	var b strings.Builder
	esc := template.HTMLEscapeString
	dir := "ltr"
	if rtl {
		dir = "rtl"
	}
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-labelledby="tchart-title tchart-desc" viewBox="0 0 %d %d" width="100%%" direction="%s" xmlns="http://www.w3.org/2000/svg">`, width, height, dir)
	plainL, weightedL := p.T("topics.chart_plain"), p.T("topics.chart_weighted")
	var desc []string
	for i, r := range rows {
		y := i * rowH
		name := p.L(r.Title).Text
		lx := labelW
		if rtl {
			lx = width - labelW
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="start" class="chart-label">%s</text>`, lx, y+13, esc(name))
		for k, bar := range []struct {
			class, label string
			v            float64
		}{{"bar-plain", plainL, r.Tally.Share}, {"bar-weighted", weightedL, r.Tally.Weighted}} {
			wd := float64(width-labelW-60) * bar.v / maxShare
			by := y + labelH + k*(barH+pairGap)
			bx := float64(labelW)
			tx := bx + wd + 4
			anchor := "start"
			if rtl {
				bx = float64(width-labelW) - wd
				tx = bx - 4
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" class="%s"><title>%s: %s</title></rect>`, bx, by, wd, barH, bar.class, esc(bar.label), pct(p.Lang, bar.v))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" class="chart-label">%s</text>`, tx, by+barH-3, anchor, pct(p.Lang, bar.v))
		}
		desc = append(desc, fmt.Sprintf("%s: %s %s, %s %s", name, plainL, pct(p.Lang, r.Tally.Share), weightedL, pct(p.Lang, r.Tally.Weighted)))
	}
	fmt.Fprintf(&b, `<title id="tchart-title">%s</title><desc id="tchart-desc">%s</desc></svg>`, esc(p.T("topics.chart_title")), esc(strings.Join(desc, "; ")))
	return template.HTML(b.String())
}

// topicFields map the service's error fields to the round page's controls.
var topicFields = map[string]string{"title": "title", "by": "by", "deadline": "deadline_date", "deadline_date": "deadline_date",
	"deadline_time": "deadline_time", "state": "state", "ranking": "ranking", "scores": "scores", "topics": "topics"}

// FieldErrs is every error message for field, one sentence after another
// (FieldErr gives the first only): a choice of topics or nominations can
// fail in several ways at once, and each is shown next to the control.
func (p *Page) FieldErrs(field string) string {
	var msgs []string
	for _, e := range p.errs() {
		if e.Field == field {
			if m := p.cat.T(p.Lang, e.Key, nil); !slices.Contains(msgs, m) {
				msgs = append(msgs, m)
			}
		}
	}
	return strings.Join(msgs, " ")
}

// topicErrors is every error of err with its field named as the round
// page's control.
func topicErrors(err error) error {
	var all, out concord.Errors
	all.Add(err)
	for _, de := range all {
		out.Add(withField(de, topicFields))
	}
	return out.Err()
}

// afterTopicWrite redirects after a write, or shows the round again with the
// error and what was typed (a late ballot, a duplicate title...).
func (s *Server) afterTopicWrite(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if err != nil {
		de := AsDomain(err)
		if de.Code == concord.EInternal || de.Code == concord.ENotFound {
			return err
		}
		return s.showTopic(w, r, Status(de.Code), r.PostForm, topicErrors(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/topics/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

func (s *Server) topicSuggest(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	_, _, err = s.Decide.SuggestTopic(r.Context(), UserFrom(r.Context()), id, decide.TopicSuggestionInput{By: f.Get("by"),
		Title: concord.Text{LangFrom(r.Context()): f.Get("title")}})
	return s.afterTopicWrite(w, r, id, err)
}

func (s *Server) topicSurvey(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	loc, err := s.Decide.Location(r.Context())
	if err != nil {
		return err
	}
	date, clock := strings.TrimSpace(f.Get("deadline_date")), strings.TrimSpace(f.Get("deadline_time"))
	var deadline time.Time
	switch {
	case date == "":
		err = concord.Errorf(concord.EInvalid, "deadline_date", "error.required", "a deadline is required")
	default:
		if clock == "" {
			clock = "18:00"
		}
		deadline, err = concord.LocalToUTC(date, clock, loc)
		if de := AsDomain(err); err != nil && de.Field != "" {
			// "date"/"clock" -> the form's controls.
			c := *de
			c.Field = map[string]string{"date": "deadline_date", "clock": "deadline_time"}[de.Field]
			err = &c
		}
	}
	if err == nil {
		_, err = s.Decide.OpenTopicSurvey(r.Context(), UserFrom(r.Context()), id, deadline)
	}
	return s.afterTopicWrite(w, r, id, err)
}

func (s *Server) topicBallot(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	in := decide.TopicBallotInput{State: f.Get("state")}
	ctx := r.Context()
	rec, err := s.Decide.TopicRound(ctx, id)
	if err != nil {
		return err
	}
	// The form has one control per topic: a rank (1 = best) or a score.
	// Blank means unranked (or no points). Every problem at once: what does
	// not parse is the form's, the rest the service's, which checks it even
	// then (as a dry run, so that nothing is stored).
	type ranked struct {
		id   string
		rank int
	}
	var ranks []ranked
	var errs concord.Errors
	if rec.Doc.Survey != nil {
		for _, sg := range rec.Doc.Survey.Suggestions {
			if rec.Doc.Rule.Method == topic.Scores {
				v := strings.TrimSpace(f.Get("score_" + sg.ID))
				if v == "" {
					continue
				}
				n, perr := strconv.Atoi(v)
				if perr != nil {
					errs = append(errs, concord.Errorf(concord.EInvalid, "scores", "error.number", "score of %s is not a whole number", sg.ID))
					continue
				}
				if in.Scores == nil {
					in.Scores = map[string]int{}
				}
				in.Scores[sg.ID] = n
				continue
			}
			v := strings.TrimSpace(f.Get("rank_" + sg.ID))
			if v == "" {
				continue
			}
			n, perr := strconv.Atoi(v)
			if perr != nil || n < 1 {
				errs = append(errs, concord.Errorf(concord.EInvalid, "ranking", "error.number", "rank of %s is not a whole number", sg.ID))
				continue
			}
			if slices.ContainsFunc(ranks, func(x ranked) bool { return x.rank == n }) {
				errs = append(errs, concord.Errorf(concord.EInvalid, "ranking", "topics.error.duplicate_rank", "two topics ranked %d", n))
				continue
			}
			ranks = append(ranks, ranked{sg.ID, n})
		}
	}
	slices.SortFunc(ranks, func(a, b ranked) int { return a.rank - b.rank })
	for _, x := range ranks {
		in.Ranking = append(in.Ranking, x.id)
	}
	write := ctx
	if len(errs) > 0 {
		write = store.WithDryRun(ctx, &store.DryRun{})
	}
	_, _, err = s.Decide.SubmitTopicBallot(write, UserFrom(ctx), id, in)
	if err != nil && !errors.Is(err, store.ErrDryRun) {
		if len(errs) == 0 {
			return s.afterTopicWrite(w, r, id, err)
		}
		var more concord.Errors
		more.Add(err)
		for _, e := range more {
			if e.Code == concord.EInternal || e.Code == concord.ENotFound {
				return err
			}
			// Something was entered, though none of it could be read.
			if e.Key != "topics.error.empty_ballot" {
				errs = append(errs, e)
			}
		}
	}
	return s.afterTopicWrite(w, r, id, errs.Err())
}

func (s *Server) topicPropose(w http.ResponseWriter, r *http.Request) error {
	id, f, err := postedID(r)
	if err != nil {
		return err
	}
	_, d, err := s.Decide.ProposeTopics(r.Context(), UserFrom(r.Context()), id, f["topics"])
	if err != nil {
		return s.afterTopicWrite(w, r, id, err)
	}
	// On to the decision, where positions and the Chair's act happen.
	http.Redirect(w, r, fmt.Sprintf("/%s/decisions/%d?saved=1", LangFrom(r.Context()), d.ID), http.StatusSeeOther)
	return nil
}
