package web

import (
	"concord/decision"
	"concord/rule"
	"concord/topic"
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

func (s *Server) topicsList(w http.ResponseWriter, r *http.Request) error {
	return s.showTopics(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showTopics(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr *concord.Error) error {
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
	p := s.newPage(r, "topics.title", map[string]any{"Rounds": rows, "DTGs": concord.DTGs})
	p.Form, p.Err = form, perr
	return s.render(w, r, status, "topics", p)
}

func (s *Server) topicOpen(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	rec, err := s.Decide.OpenTopicRound(r.Context(), UserFrom(r.Context()), decide.TopicRoundInput{DTG: f.Get("dtg"), Term: f.Get("term")})
	if de := formError(err); de != nil {
		return s.showTopics(w, r, Status(de.Code), f, de)
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

// topicProposalView is one proposal of the Chair, with its decision.
type topicProposalView struct {
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

func (s *Server) showTopic(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr *concord.Error) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, err := s.Decide.TopicRound(ctx, id)
	if err != nil {
		return err
	}
	round := rec.Doc
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	loc, err := s.Decide.Location(r.Context())
	if err != nil {
		return err
	}
	byISO := make(map[string]concord.State, len(states))
	for _, st := range states {
		byISO[st.ISO3] = st
	}
	u := UserFrom(ctx)
	now := s.DB.Now()
	phase := round.Phase(now)
	p := s.newPage(r, "topics.title", nil)
	p.Title = p.DTG(round.DTG) + " · " + round.Term
	data := map[string]any{"Round": rec, "Phase": phase, "Survey": round.Survey,
		"Rule": rule.Version{Code: topic.RuleCode, Version: round.Rule.Version, Policy: &round.Rule}}
	data["Opened"] = accrTime(round.Opened, loc)

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
	data["Suggestions"] = sugs
	title := func(id string) concord.Text {
		sg, _ := round.Suggestion(id)
		return sg.Title
	}

	// Who may do what now (the route checks the action; the page offers
	// only the forms that can succeed in this phase).
	canChair := concord.Can(u, concord.ActProposeDecision, concord.Target{})
	isDelegate := u != nil && u.Role == concord.RoleDelegate
	survey := round.Rule.Selection == topic.PreferenceSurvey
	data["IsSurveyRule"] = survey
	data["CanSuggest"] = phase == topic.PhaseSuggestions && concord.Can(u, concord.ActNominate, concord.Target{})
	data["SuggestFor"] = u != nil && u.Role == concord.RoleSecretariat
	data["CanOpenSurvey"] = survey && phase == topic.PhaseSuggestions && canChair && len(round.Suggestions) >= 2
	data["IsDelegate"] = isDelegate
	if isDelegate {
		data["MyState"] = byISO[u.State]
	}
	if u != nil && (u.Role == concord.RoleSecretariat || data["CanSuggest"] == true) {
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
		data["Members"] = members
	}
	if form == nil && data["CanOpenSurvey"] == true {
		d := now.Add(round.Rule.Period).In(loc)
		form = url.Values{"deadline_date": {d.Format(time.DateOnly)}, "deadline_time": {"18:00"}}
	}
	data["TimeZone"] = loc.String()

	// The survey: status, the ballot form, the results.
	var advice []string
	if sv := round.Survey; sv != nil {
		data["Deadline"] = accrTime(sv.Deadline, loc)
		data["SurveyOpen"] = phase == topic.PhaseSurvey
		data["CanBallot"] = phase == topic.PhaseSurvey && concord.Can(u, concord.ActTakePosition, concord.Target{})
		var current *topic.Ballot
		if isDelegate {
			if b, ok := round.LatestBallot(u.State); ok {
				current = &b
				data["MyBallot"] = b
				data["MyBallotAt"] = accrTime(b.At, loc)
				var ranked []concord.Text
				for _, id := range b.Ranking {
					ranked = append(ranked, title(id))
				}
				data["MyRanking"] = ranked
				type scored struct {
					Title concord.Text
					Score int
				}
				var scores []scored
				for _, sg := range sv.Suggestions {
					if v, ok := b.Scores[sg.ID]; ok {
						scores = append(scores, scored{sg.Title, v})
					}
				}
				data["MyScores"] = scores
			}
		}
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
				if v, ok := current.Scores[sg.ID]; ok {
					f.Value = strconv.Itoa(v)
				}
			case current != nil:
				if k := slices.Index(current.Ranking, sg.ID); k >= 0 {
					f.Value = strconv.Itoa(k + 1)
				}
			}
			fields[i] = f
		}
		data["BallotFields"] = fields
		ranks := make([]int, len(sv.Suggestions))
		for i := range ranks {
			ranks[i] = i + 1
		}
		data["Ranks"] = ranks

		res, err := s.Decide.TopicTally(round, states)
		if err != nil {
			return err
		}
		groups, err := s.DB.ListRegionalGroups(ctx)
		if err != nil {
			return err
		}
		if res.Counted > 0 {
			advice = res.Proposal(round.Rule)
		}
		rows := make([]topicResultRow, len(res.Topics))
		for i, t := range res.Topics {
			row := topicResultRow{Tally: t, Title: title(t.Topic), Share: pct(p.Lang, t.Share), Weighted: pct(p.Lang, t.Weighted), Advised: slices.Contains(advice, t.Topic)}
			for _, g := range groups {
				row.Groups = append(row.Groups, pct(p.Lang, t.Groups[g.Code]))
			}
			rows[i] = row
		}
		byPoints := slices.Clone(rows)
		slices.SortStableFunc(byPoints, func(a, b topicResultRow) int { return a.PointsRank - b.PointsRank })
		byWeighted := slices.Clone(rows)
		slices.SortStableFunc(byWeighted, func(a, b topicResultRow) int { return a.WeightedRank - b.WeightedRank })
		names := map[string]concord.Text{}
		for _, g := range groups {
			names[g.Code] = g.Names
		}
		var turnout []topicTurnoutRow
		for _, g := range res.Groups {
			t := topicTurnoutRow{GroupTurnout: g, Names: names[g.Group], Turnout: "—"}
			if g.Members > 0 {
				t.Turnout = pct(p.Lang, float64(g.Respondents)/float64(g.Members))
			}
			turnout = append(turnout, t)
		}
		var adviceTitles []concord.Text
		for _, id := range advice {
			adviceTitles = append(adviceTitles, title(id))
		}
		data["Results"] = res
		// The page says in its own words that the figures are interim,
		// advisory and how many answered, and names the top topics when
		// weighting changes them; other reasons are listed as given.
		var reasons []decision.Reason
		for _, rs := range res.Reasons {
			switch rs.Key {
			case "decision.reason.survey_open", "topic.reason.advisory", "topic.reason.weighting_changes_top":
			default:
				reasons = append(reasons, rs)
			}
		}
		data["Reasons"] = reasons
		data["ByPoints"], data["ByWeighted"], data["Turnout"] = byPoints, byWeighted, turnout
		data["Groups"] = groups
		data["Advice"] = adviceTitles
		data["Weighted"] = round.Rule.RegionalWeighting
		if res.Counted > 0 && res.Top(true) != res.Top(false) {
			data["TopChanged"] = true
			data["TopPoints"], data["TopWeighted"] = title(res.Top(false)), title(res.Top(true))
		}
		data["Chart"] = topicChart(p, byPoints)
	}

	// The Chair's proposals and the outcome of the latest.
	var latest *store.Decision
	var views []topicProposalView
	for i, pr := range round.Proposals {
		v := topicProposalView{Proposal: pr, AtHTML: accrTime(pr.At, loc), Followed: pr.Advice != nil && slices.Equal(pr.Advice, pr.Topics)}
		for _, id := range pr.Topics {
			v.Titles = append(v.Titles, title(id))
		}
		if i == len(round.Proposals)-1 {
			d, err := s.DB.GetDecision(ctx, pr.DecisionID)
			if err != nil {
				return err
			}
			res, err := s.Decide.Result(d)
			if err != nil {
				return err
			}
			latest = &d
			v.Outcome = res.Outcome
			data["DecisionResult"] = res
		}
		views = append(views, v)
	}
	slices.Reverse(views) // the latest first
	data["Proposals"] = views
	if canChair && s.Decide.TopicProposable(round, latest, now) == nil {
		data["CanPropose"] = true
		// Pre-filled: what was typed, else the survey's advice; the list
		// follows the survey's order when there is one.
		chosen := advice
		if form.Get("propose") != "" {
			chosen = form["topics"]
		}
		order := slices.Clone(round.Suggestions)
		if res, ok := data["Results"].(topic.SurveyResult); ok && res.Counted > 0 {
			by := res.ByPoints
			if round.Rule.RegionalWeighting {
				by = res.ByWeighted
			}
			slices.SortStableFunc(order, func(a, b topic.Suggestion) int { return slices.Index(by, a.ID) - slices.Index(by, b.ID) })
		}
		type choice struct {
			ID      string
			Title   concord.Text
			Checked bool
		}
		var choices []choice
		for _, sg := range order {
			choices = append(choices, choice{sg.ID, sg.Title, slices.Contains(chosen, sg.ID)})
		}
		data["Choices"] = choices
		data["Modality"] = round.Rule.Decision().Modality
	}
	p.Data = data
	p.Form, p.Err = form, perr
	// The page changes when a deadline passes, not only on a write: reading
	// the round and its decision recorded when (the survey's close, the
	// decision's deadline) for the caches. The default deadline offered to
	// the Chair changes every day: not cached.
	if data["CanOpenSurvey"] == true {
		r = fresh(w, r)
	}
	return s.render(w, r, status, "topic", p)
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

// afterTopicWrite redirects after a write, or shows the round again with the
// error and what was typed (a late ballot, a duplicate title...).
func (s *Server) afterTopicWrite(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if err != nil {
		de := AsDomain(err)
		if de.Code == concord.EInternal || de.Code == concord.ENotFound {
			return err
		}
		return s.showTopic(w, r, Status(de.Code), r.PostForm, withField(de, topicFields))
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
	// Blank means unranked (or no points).
	type ranked struct {
		id   string
		rank int
	}
	var ranks []ranked
	if rec.Doc.Survey != nil {
		for _, sg := range rec.Doc.Survey.Suggestions {
			if rec.Doc.Rule.Method == topic.Scores {
				v := strings.TrimSpace(f.Get("score_" + sg.ID))
				if v == "" {
					continue
				}
				n, perr := strconv.Atoi(v)
				if perr != nil {
					return s.afterTopicWrite(w, r, id, concord.Errorf(concord.EInvalid, "scores", "error.number", "score of %s is not a whole number", sg.ID))
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
				return s.afterTopicWrite(w, r, id, concord.Errorf(concord.EInvalid, "ranking", "error.number", "rank of %s is not a whole number", sg.ID))
			}
			if slices.ContainsFunc(ranks, func(x ranked) bool { return x.rank == n }) {
				return s.afterTopicWrite(w, r, id, concord.Errorf(concord.EInvalid, "ranking", "topics.error.duplicate_rank", "two topics ranked %d", n))
			}
			ranks = append(ranks, ranked{sg.ID, n})
		}
	}
	slices.SortFunc(ranks, func(a, b ranked) int { return a.rank - b.rank })
	for _, x := range ranks {
		in.Ranking = append(in.Ranking, x.id)
	}
	_, _, err = s.Decide.SubmitTopicBallot(ctx, UserFrom(ctx), id, in)
	return s.afterTopicWrite(w, r, id, err)
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
