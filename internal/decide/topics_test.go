package decide_test

import (
	"concord/decision"
	"concord/rule"
	"concord/topic"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// wantErr checks an error's code, key and field.
// topicEnv is a demo store with a clock the test moves.
type topicEnv struct {
	db    *store.DB
	svc   *decide.Service
	clock time.Time
}

func newTopicEnv(t *testing.T, db *store.DB) *topicEnv {
	t.Helper()
	e := &topicEnv{db: db, svc: &decide.Service{DB: db, Process: concord.DefaultProcessCode}, clock: time.Date(2027, 1, 11, 14, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return e.clock }
	return e
}

func (e *topicEnv) tick(d time.Duration) { e.clock = e.clock.Add(d) }

var (
	topicChair = &concord.User{ID: 1, Role: concord.RoleChair}
	topicSec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	topicFRA   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	topicSEN   = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "SEN"}
	topicCoFac = &concord.User{ID: 5, Role: concord.RoleCoFacilitator}
)

// TestTopicRoundSurvey runs a round under the default rule (ranked survey,
// equal weight per regional group, Chair decision): who may suggest for
// whom, the survey's window, every way a ballot can be wrong, replacement,
// the tally both ways, and the proposal with the decision it opens.
func TestTopicRoundSurvey(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		e := newTopicEnv(t, db)
		svc := e.svc

		// Opening.
		for _, c := range []struct {
			u              *concord.User
			in             decide.TopicRoundInput
			code, key, fld string
		}{
			{topicFRA, decide.TopicRoundInput{DTG: "DTG-1", Term: "2027-2028"}, concord.EForbidden, "error.forbidden", ""},
			{topicCoFac, decide.TopicRoundInput{DTG: "DTG-1", Term: "2027-2028"}, concord.EForbidden, "error.forbidden", ""},
			{topicChair, decide.TopicRoundInput{DTG: "DTG-3", Term: "2027-2028"}, concord.EInvalid, "topics.error.dtg", "dtg"},
			{topicChair, decide.TopicRoundInput{DTG: "", Term: "2027-2028"}, concord.EInvalid, "error.required", "dtg"},
			{topicChair, decide.TopicRoundInput{DTG: "DTG-1", Term: "2027-2029"}, concord.EInvalid, "topics.error.term", "term"},
			{topicChair, decide.TopicRoundInput{DTG: "DTG-1", Term: "next year"}, concord.EInvalid, "topics.error.term", "term"},
			{topicChair, decide.TopicRoundInput{DTG: "DTG-1", Term: " "}, concord.EInvalid, "error.required", "term"},
			{topicChair, decide.TopicRoundInput{DTG: "DTG-1", Term: "2026-2027"}, concord.EConflict, "topics.error.round_exists", "term"}, // the demo's
		} {
			_, err := svc.OpenTopicRound(ctx, c.u, c.in)
			wantErr(t, "open "+c.in.DTG+" "+c.in.Term, err, c.code, c.fld, c.key)
		}
		rec, err := svc.OpenTopicRound(ctx, topicChair, decide.TopicRoundInput{DTG: " DTG-1", Term: "2027-2028 "})
		if err != nil {
			t.Fatal(err)
		}
		id := rec.ID
		if rec.Scope != "DTG-1" || rec.Doc.Term != "2027-2028" || rec.Doc.Rule.Selection != topic.PreferenceSurvey || rec.Doc.Rule.Version != 1 {
			t.Errorf("round %+v", rec)
		}

		// Suggestions: a delegate for its own State, the Secretariat for
		// any (naming it), the Chair in its own name.
		suggest := func(u *concord.User, by, lang, title string) (topic.Suggestion, error) {
			e.tick(time.Hour)
			_, s, err := svc.SuggestTopic(ctx, u, id, decide.TopicSuggestionInput{By: by, Title: concord.Text{lang: title}})
			return s, err
		}
		s1, err := suggest(topicFRA, "", "fr", "  Protection des   infrastructures critiques ")
		if err != nil || s1.By != "FRA" || s1.ID != "t1" || s1.Title["fr"] != "Protection des infrastructures critiques" || s1.DTG != "DTG-1" {
			t.Fatalf("France's suggestion: %+v %v", s1, err)
		}
		for _, c := range []struct {
			u                *concord.User
			by, title        string
			code, key, field string
		}{
			{topicFRA, "DEU", "Ransomware", concord.EForbidden, "error.forbidden", "by"},
			{topicFRA, "chair", "Ransomware", concord.EForbidden, "error.forbidden", "by"},
			{topicChair, "BRA", "Ransomware", concord.EForbidden, "error.forbidden", "by"},
			{topicCoFac, "", "Ransomware", concord.EForbidden, "error.forbidden", "by"},
			{nil, "BRA", "Ransomware", concord.EForbidden, "error.forbidden", "by"},
			{topicSec, "", "Ransomware", concord.EInvalid, "error.required", "by"},
			{topicSec, "XXX", "Ransomware", concord.EInvalid, "topics.error.state", "by"},
			{topicSec, "PSE", "Ransomware", concord.EInvalid, "topics.error.state", "by"}, // an observer State
			{topicFRA, "", "   ", concord.EInvalid, "error.required", "title"},
			{topicFRA, "", strings.Repeat("x", topic.TitleMax+1), concord.EInvalid, "error.too_long", "title"},
			{topicSec, "BEL", "protection des infrastructures CRITIQUES", concord.EConflict, "topics.error.duplicate_title", "title"},
		} {
			lang := "en"
			if strings.Contains(c.title, "protection") {
				lang = "fr"
			}
			_, err := suggest(c.u, c.by, lang, c.title)
			wantErr(t, "suggestion by "+c.by, err, c.code, c.field, c.key)
		}
		if _, _, err := svc.SuggestTopic(ctx, topicFRA, id, decide.TopicSuggestionInput{Title: concord.Text{"xx": "Bad"}}); err == nil {
			t.Error("a title in an unknown language was accepted")
		}
		// One suggestion is not enough for a survey.
		_, err = svc.OpenTopicSurvey(ctx, topicChair, id, time.Time{})
		wantErr(t, "survey with one topic", err, concord.EConflict, "deadline", "topics.error.survey_needs_topics")
		s2, err := suggest(topicSec, "gbr", "en", "Ransomware")
		if err != nil || s2.By != "GBR" || s2.ID != "t2" {
			t.Fatalf("Secretariat for the United Kingdom: %+v %v", s2, err)
		}
		s3, err := suggest(topicChair, "", "en", "Submarine cables")
		if err != nil || s3.By != decision.ActorChair {
			t.Fatalf("the Chair's suggestion: %+v %v", s3, err)
		}
		if s, err := suggest(topicSec, "Chair", "ar", "أمن سلاسل الإمداد"); err != nil || s.By != decision.ActorChair || s.ID != "t4" {
			t.Fatalf("the Secretariat for the Chair: %+v %v", s, err)
		}

		// A later version of the rule does not change this round.
		if _, err := svc.AddRule(ctx, topicSec, rule.Version{Code: topic.RuleCode, Policy: &topic.Policy{Selection: topic.Consensus, Slots: 2}}); err != nil {
			t.Fatal(err)
		}
		e.tick(time.Minute)

		// The survey.
		for _, c := range []struct {
			u         *concord.User
			deadline  time.Time
			code, key string
			field     string
		}{
			{topicFRA, time.Time{}, concord.EForbidden, "error.forbidden", ""},
			{topicChair, e.clock, concord.EInvalid, "topics.error.deadline_past", "deadline"},
			{topicChair, e.clock.Add(91 * 24 * time.Hour), concord.EInvalid, "topics.error.deadline_far", "deadline"},
		} {
			_, err := svc.OpenTopicSurvey(ctx, c.u, id, c.deadline)
			wantErr(t, "open the survey", err, c.code, c.field, c.key)
		}
		rec, err = svc.OpenTopicSurvey(ctx, topicChair, id, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		deadline := rec.Doc.Survey.Deadline
		if !deadline.Equal(e.clock.Add(14*24*time.Hour)) || len(rec.Doc.Survey.Participants) != 193 || len(rec.Doc.Survey.Suggestions) != 4 {
			t.Errorf("survey: deadline %s, %d participants, %d topics", deadline, len(rec.Doc.Survey.Participants), len(rec.Doc.Survey.Suggestions))
		}
		_, err = svc.OpenTopicSurvey(ctx, topicChair, id, time.Time{})
		wantErr(t, "second survey", err, concord.EConflict, "deadline", "topics.error.survey_exists")
		_, err = suggest(topicFRA, "", "en", "Too late")
		wantErr(t, "suggestion once the survey is open", err, concord.EConflict, "title", "topics.error.suggestions_closed")
		_, _, err = svc.ProposeTopics(ctx, topicChair, id, []string{"t1"})
		wantErr(t, "proposal while the survey is open", err, concord.EConflict, "topics", "topics.error.survey_open")

		// Ballots.
		ballot := func(u *concord.User, state string, ranking []string, scores map[string]int) (topic.Ballot, error) {
			e.tick(time.Minute)
			_, b, err := svc.SubmitTopicBallot(ctx, u, id, decide.TopicBallotInput{State: state, Ranking: ranking, Scores: scores})
			return b, err
		}
		if b, err := ballot(topicFRA, "", []string{"t2", "t1"}, nil); err != nil || b.State != "FRA" || b.Seq != 1 {
			t.Fatalf("France's ballot: %+v %v", b, err)
		}
		for _, c := range []struct {
			u                *concord.User
			state            string
			ranking          []string
			scores           map[string]int
			code, key, field string
		}{
			{topicFRA, "", []string{"t9"}, nil, concord.EInvalid, "topic.error.unknown_topic", "ranking"},
			{topicFRA, "", []string{"t1", "t1"}, nil, concord.EInvalid, "topic.error.duplicate", "ranking"},
			{topicFRA, "", nil, map[string]int{"t1": 3}, concord.EInvalid, "topic.error.method", "scores"},
			{topicFRA, "", nil, nil, concord.EInvalid, "topics.error.empty_ballot", "ranking"},
			{topicFRA, "DEU", []string{"t1"}, nil, concord.EForbidden, "error.forbidden", "state"},
			{topicChair, "DEU", []string{"t1"}, nil, concord.EForbidden, "error.forbidden", "state"},
			{topicSec, "", []string{"t1"}, nil, concord.EInvalid, "error.required", "state"},
			{topicSec, "PSE", []string{"t1"}, nil, concord.EForbidden, "decision.error.not_participant", "state"},
			{topicSec, "XXX", []string{"t1"}, nil, concord.EForbidden, "decision.error.not_participant", "state"},
		} {
			_, err := ballot(c.u, c.state, c.ranking, c.scores)
			wantErr(t, "ballot "+c.state+" "+strings.Join(c.ranking, ","), err, c.code, c.field, c.key)
		}
		// France revises; the Secretariat records Germany's, Italy's and
		// Senegal's answers; Senegal's delegate answers for its own State.
		if _, err := ballot(topicFRA, "", []string{"t1", "t2"}, nil); err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{"DEU", "ita"} {
			if _, err := ballot(topicSec, st, []string{"t1", "t2"}, nil); err != nil {
				t.Fatal(st, err)
			}
		}
		if _, err := ballot(topicSEN, "", []string{"t2"}, nil); err != nil {
			t.Fatal(err)
		}
		rec, err = svc.TopicRound(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := rec.Doc.LatestBallot("FRA"); !ok || !slices.Equal(b.Ranking, []string{"t1", "t2"}) {
			t.Errorf("France's latest ballot %+v", b)
		}
		// Interim tally: four States count (France once).
		res, err := svc.TopicResults(ctx, rec.Doc)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Open || res.Counted != 4 {
			t.Errorf("interim: open %v, %d counted", res.Open, res.Counted)
		}
		if advice, _ := svc.TopicAdvice(ctx, rec.Doc); advice != nil {
			t.Errorf("advice while the survey is open: %v", advice)
		}
		// With four topics, first place gets 4 points and second 3. Plain:
		// t1 = 3×4 = 12, t2 = 3×3 + 4 = 13 (Senegal ranks only t2).
		// Equal weight: WEOG gives t1 4/7 and t2 3/7, the African Group t2
		// all its points: t2 = (3/7 + 1)/2 leads t1 = (4/7)/2.
		pts := map[string]int{}
		for _, x := range res.Topics {
			pts[x.Topic] = x.Points
		}
		if pts["t1"] != 12 || pts["t2"] != 13 || res.ByWeighted[0] != "t2" {
			t.Errorf("tally: points %v, weighted order %v", pts, res.ByWeighted)
		}
		// Three more Western States: t1 leads by points (24 to 22), t2
		// still with equal weight per group.
		for _, st := range []string{"NLD", "BEL", "ESP"} {
			if _, err := ballot(topicSec, st, []string{"t1", "t2"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		rec, _ = svc.TopicRound(ctx, id)
		res, _ = svc.TopicResults(ctx, rec.Doc)
		if res.Top(false) != "t1" || res.Top(true) != "t2" || res.Counted != 7 {
			t.Errorf("by points %v, weighted %v, %d counted", res.ByPoints, res.ByWeighted, res.Counted)
		}
		var weog, ag topic.GroupTurnout
		for _, g := range res.Groups {
			switch g.Group {
			case "WEOG":
				weog = g
			case "AG":
				ag = g
			}
		}
		if weog.Respondents != 6 || ag.Respondents != 1 || ag.Members != 54 {
			t.Errorf("turnout: WEOG %+v, AG %+v", weog, ag)
		}

		// At the deadline exactly: refused, and France's ballot is kept.
		e.clock = deadline.Add(-time.Minute) // ballot() moves it a minute
		_, err = ballot(topicFRA, "", []string{"t3"}, nil)
		if !e.clock.Equal(deadline) {
			t.Fatalf("clock %s, deadline %s", e.clock, deadline)
		}
		wantErr(t, "ballot at the deadline", err, concord.EConflict, "at", "decision.error.late")
		rec, _ = svc.TopicRound(ctx, id)
		if b, _ := rec.Doc.LatestBallot("FRA"); !slices.Equal(b.Ranking, []string{"t1", "t2"}) || len(rec.Doc.Survey.Ballots) != 8 {
			t.Errorf("after the late ballot: France %v, %d ballots", b.Ranking, len(rec.Doc.Survey.Ballots))
		}

		// The proposal: bad choices, then the advice.
		e.tick(24 * time.Hour)
		advice, err := svc.TopicAdvice(ctx, rec.Doc)
		if err != nil || !slices.Equal(advice, []string{"t2", "t1"}) {
			t.Fatalf("advice %v %v", advice, err)
		}
		for _, c := range []struct {
			u         *concord.User
			topics    []string
			code, key string
		}{
			{topicFRA, []string{"t1"}, concord.EForbidden, "error.forbidden"},
			{topicChair, nil, concord.EInvalid, "topics.error.choose"},
			{topicChair, []string{"t1", "t2", "t3"}, concord.EInvalid, "topics.error.too_many_topics"},
			{topicChair, []string{"t1", "t9"}, concord.EInvalid, "topic.error.unknown_topic"},
			{topicChair, []string{"t1", "t1"}, concord.EInvalid, "topic.error.duplicate"},
		} {
			_, _, err := svc.ProposeTopics(ctx, c.u, id, c.topics)
			field := "topics"
			if c.code == concord.EForbidden {
				field = ""
			}
			wantErr(t, "proposal "+strings.Join(c.topics, ","), err, c.code, field, c.key)
		}
		rec, d, err := svc.ProposeTopics(ctx, topicChair, id, []string{"t1", "t3"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Policy.Modality != decision.ModalityChairDecision || d.Facts.Kind != decision.KindDTGTopics || d.Facts.Subject != decide.SubjectOf(decide.KindTopicRound, id) ||
			d.Facts.ProposedBy != decision.ActorChair || d.Policy.Version != 1 || rec.DecisionID != d.ID {
			t.Errorf("decision %+v / policy %+v", d.Facts, d.Policy)
		}
		if d.Facts.Proposal["en"] != "Protection des infrastructures critiques\nSubmarine cables" || d.Facts.Proposal["fr"] == "" || d.Title["ar"] == "" {
			t.Errorf("proposal text %q, title %v", d.Facts.Proposal, d.Title)
		}
		if p, _ := rec.Doc.Proposal(); !slices.Equal(p.Advice, advice) || !slices.Equal(p.Topics, []string{"t1", "t3"}) {
			t.Errorf("proposal record %+v", p)
		}
		if ph := rec.Doc.Phase(e.clock); ph != topic.PhaseProposed {
			t.Errorf("phase %s", ph)
		}
		_, _, err = svc.ProposeTopics(ctx, topicChair, id, advice)
		wantErr(t, "second proposal while the first is pending", err, concord.EConflict, "topics", "topics.error.proposal_pending")
		// The Chair defers; a revised proposal opens a new decision.
		e.tick(time.Hour)
		if _, err := svc.Act(ctx, topicChair, d.ID, decision.ActDefer, false, nil); err != nil {
			t.Fatal(err)
		}
		e.tick(time.Hour)
		rec, d2, err := svc.ProposeTopics(ctx, topicSec, id, advice)
		if err != nil || d2.ID == d.ID || rec.DecisionID != d2.ID || len(rec.Doc.Proposals) != 2 {
			t.Fatalf("revised proposal: %v, decision %d after %d", err, d2.ID, d.ID)
		}
		e.tick(time.Hour)
		if _, err := svc.Act(ctx, topicChair, d2.ID, decision.ActDecide, false, nil); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.ProposeTopics(ctx, topicChair, id, advice)
		wantErr(t, "proposal after adoption", err, concord.EConflict, "topics", "topics.error.adopted")

		// Not found, and a round of another kind.
		if _, err := svc.TopicRound(ctx, 999999); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("no such round: %v", err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestTopicRoundOtherModes: under the Chair-with-co-facilitators, consensus
// and plenary rules there is no survey and the Chair proposes from the
// suggestions, opening a decision under the matching modality; under a
// scored survey, scores out of range are refused.
func TestTopicRoundOtherModes(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		e := newTopicEnv(t, db)
		svc := e.svc
		for i, c := range []struct {
			sel  topic.Selection
			want decision.Modality
		}{
			{topic.ChairWithCoFacilitators, decision.ModalityChairDecision},
			{topic.Consensus, decision.ModalityConsensus},
			{topic.PlenaryDecision, decision.ModalityPlenaryDecision},
		} {
			e.tick(time.Hour)
			v, err := svc.AddRule(ctx, topicSec, rule.Version{Code: topic.RuleCode, Note: concord.Text{"en": "test"}, Policy: &topic.Policy{Selection: c.sel, Slots: 1}})
			if err != nil {
				t.Fatal(err)
			}
			e.tick(time.Minute)
			term := []string{"2030", "2031", "2032"}[i]
			rec, err := svc.OpenTopicRound(ctx, topicSec, decide.TopicRoundInput{DTG: "DTG-2", Term: term})
			if err != nil {
				t.Fatal(err)
			}
			if rec.Doc.Rule.Version != v.Version || rec.Doc.Rule.Selection != c.sel {
				t.Errorf("%s: round under %+v", c.sel, rec.Doc.Rule)
			}
			_, _, err = svc.ProposeTopics(ctx, topicChair, rec.ID, []string{"t1"})
			wantErr(t, string(c.sel)+": proposal without suggestions", err, concord.EConflict, "topics", "topics.error.no_suggestions")
			for _, st := range []string{"SEN", "SGP"} {
				if _, _, err := svc.SuggestTopic(ctx, topicSec, rec.ID, decide.TopicSuggestionInput{By: st, Title: concord.Text{"en": "Topic of " + st}}); err != nil {
					t.Fatal(err)
				}
			}
			_, err = svc.OpenTopicSurvey(ctx, topicChair, rec.ID, time.Time{})
			wantErr(t, string(c.sel)+": survey", err, concord.EConflict, "selection", "topic.error.no_survey")
			_, _, err = svc.SubmitTopicBallot(ctx, topicSEN, rec.ID, decide.TopicBallotInput{Ranking: []string{"t1"}})
			wantErr(t, string(c.sel)+": ballot", err, concord.EConflict, "selection", "topic.error.no_survey")
			if _, err := svc.TopicResults(ctx, rec.Doc); concord.ErrorCode(err) != concord.EConflict {
				t.Errorf("%s: tally without a survey: %v", c.sel, err)
			}
			_, _, err = svc.ProposeTopics(ctx, topicChair, rec.ID, []string{"t1", "t2"})
			wantErr(t, string(c.sel)+": two topics for one slot", err, concord.EInvalid, "topics", "topics.error.too_many_topics")
			rec, d, err := svc.ProposeTopics(ctx, topicChair, rec.ID, []string{"t2"})
			if err != nil {
				t.Fatal(err)
			}
			if d.Policy.Modality != c.want || d.Facts.Proposal["en"] != "Topic of SGP" {
				t.Errorf("%s: decision under %s, proposal %q", c.sel, d.Policy.Modality, d.Facts.Proposal["en"])
			}
			if p, _ := rec.Doc.Proposal(); p.Advice != nil {
				t.Errorf("%s: advice without a survey: %v", c.sel, p.Advice)
			}
		}

		// A scored survey.
		e.tick(time.Hour)
		if _, err := svc.AddRule(ctx, topicSec, rule.Version{Code: topic.RuleCode, Policy: &topic.Policy{Selection: topic.PreferenceSurvey,
			Method: topic.Scores, MaxScore: 5, Period: 7 * 24 * time.Hour, Slots: 1, AfterSurvey: decision.ModalityChairProposalSilence}}); err != nil {
			t.Fatal(err)
		}
		e.tick(time.Minute)
		rec, err := svc.OpenTopicRound(ctx, topicChair, decide.TopicRoundInput{DTG: "DTG-2", Term: "2033"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{"SEN", "SGP"} {
			if _, _, err := svc.SuggestTopic(ctx, topicSec, rec.ID, decide.TopicSuggestionInput{By: st, Title: concord.Text{"en": "Topic of " + st}}); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err = svc.ProposeTopics(ctx, topicChair, rec.ID, []string{"t1"})
		wantErr(t, "proposal before the survey", err, concord.EConflict, "topics", "topics.error.survey_first")
		if rec, err = svc.OpenTopicSurvey(ctx, topicChair, rec.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			scores   map[string]int
			ranking  []string
			key, fld string
		}{
			{map[string]int{"t1": 6}, nil, "topic.error.score", "scores"},
			{map[string]int{"t1": -1}, nil, "topic.error.score", "scores"},
			{map[string]int{"t7": 1}, nil, "topic.error.unknown_topic", "scores"},
			{nil, []string{"t1"}, "topic.error.method", "ranking"},
		} {
			_, _, err := svc.SubmitTopicBallot(ctx, topicSEN, rec.ID, decide.TopicBallotInput{Scores: c.scores, Ranking: c.ranking})
			wantErr(t, "scored ballot", err, concord.EInvalid, c.fld, c.key)
		}
		for _, b := range []struct {
			u      *concord.User
			state  string
			scores map[string]int
		}{{topicSEN, "", map[string]int{"t1": 5, "t2": 0}}, {topicFRA, "", map[string]int{"t1": 1, "t2": 4}}, {topicSec, "DEU", map[string]int{"t2": 5}}} {
			e.tick(time.Minute)
			if _, _, err := svc.SubmitTopicBallot(ctx, b.u, rec.ID, decide.TopicBallotInput{State: b.state, Scores: b.scores}); err != nil {
				t.Fatal(err)
			}
		}
		e.tick(8 * 24 * time.Hour)
		rec, _ = svc.TopicRound(ctx, rec.ID)
		res, err := svc.TopicResults(ctx, rec.Doc)
		if err != nil {
			t.Fatal(err)
		}
		// Points: t1 6, t2 9. Equal weight: the African Group all t1, WEOG
		// t2 9/10: t1 (1 + 0.1)/2 = 0.55 leads.
		if res.Open || res.Top(false) != "t2" || res.Top(true) != "t1" {
			t.Errorf("scored tally: %v by points, %v weighted", res.ByPoints, res.ByWeighted)
		}
		_, d, err := svc.ProposeTopics(ctx, topicChair, rec.ID, []string{"t1"})
		if err != nil || d.Policy.Modality != decision.ModalityChairProposalSilence || d.Policy.Period != decision.DefaultPeriod {
			t.Errorf("proposal after a scored survey: %v, %+v", err, d.Policy)
		}
	})
}
