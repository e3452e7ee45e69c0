package seed

import (
	"concord/decision"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// demoTopic is a topic suggested in the demo round, in the language of the
// State that suggested it (the Chair writes in English).
type demoTopic struct {
	by    string
	title concord.Text
}

// The topics raised for the first thematic group: ransomware and the
// protection of critical infrastructure (the Western States that wanted the
// Chair and co-facilitators to set topics), emerging technologies such as
// AI, scenario-based work (Japan, the Netherlands, the United Kingdom,
// Sudan), and topics of the illustrative kind other States raise. Who
// suggested which is illustrative beyond what domain brief §5 and §6 report.
var demoTopics = []demoTopic{
	{"GBR", concord.Text{"en": "Ransomware and its effects on essential services"}},
	{"FRA", concord.Text{"fr": "Protection des infrastructures critiques et des infrastructures d'information critiques"}},
	{"CHN", concord.Text{"zh": "人工智能等新兴技术对国际安全的影响"}},
	{"RUS", concord.Text{"ru": "Угрозы, связанные с использованием ИКТ в военно-политических целях"}},
	{"EGY", concord.Text{"ar": "أمن سلاسل إمداد تكنولوجيا المعلومات والاتصالات"}},
	{"COL", concord.Text{"es": "Incidentes de TIC que afectan a los servicios de salud"}},
	{"JPN", concord.Text{"en": "Scenario-based exercises on significant ICT incidents"}},
	{decision.ActorChair, concord.Text{"en": "Security of submarine cables and cross-border connectivity"}},
}

// demoTopicProfiles are each regional group's usual ranking (indexes into
// demoTopics, best first). The Western European and Eastern European
// groups answer in large numbers and put ransomware first; the African,
// Asia-Pacific and Latin American groups answer less and put critical
// infrastructure first. So ransomware leads by points and critical
// infrastructure with equal weight per group, which is the case the survey
// rule exists for (Morocco's proposal).
var demoTopicProfiles = map[string][]int{
	"WEOG":   {0, 6, 5},
	"EEG":    {0, 6, 4},
	"AG":     {1, 4},
	"APG":    {1, 2, 7},
	"GRULAC": {1, 0},
}

// demoTopicTurnout is how many States of each group answer.
var demoTopicTurnout = map[string]int{"WEOG": 26, "EEG": 19, "AG": 15, "APG": 16, "GRULAC": 11}

// demoTopicAbstain are States that hold that topics need the consensus of
// all States (domain brief §5 row 3) and do not answer the survey.
var demoTopicAbstain = []string{"IRN", "RUS", "BLR", "NIC", "CUB", "SYR", "PRK", "VEN"}

// demoTopicOwn are States that rank their own suggestion first, whatever
// their group's habit.
var demoTopicOwn = map[string]int{"GBR": 0, "FRA": 1, "CHN": 2, "EGY": 4, "COL": 5, "JPN": 6, "MAR": 1}

// Topics adds the demo's topic rounds, run through the service on a moving
// clock as they would have happened: for the first thematic group (term
// 2026-2027), suggestions from named States and the Chair, a ranked
// preference survey answered by 87 States with the regional skew described
// above (one State revising its answer), closed; the Chair's proposal built
// from the survey's advice, Iran's objection and Morocco's support, and the
// Chair's decision. For the second group, a round still collecting
// suggestions on capacity-building. It does nothing when rounds exist.
func Topics(ctx context.Context, db *store.DB) error {
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	if rs, err := svc.TopicRounds(ctx, ""); err != nil || len(rs) > 0 {
		return err
	}
	clock, at, restore := scriptedClock(db)
	defer restore()
	chair := &concord.User{Role: concord.RoleChair}
	sec := &concord.User{Role: concord.RoleSecretariat}

	at("2026-09-01T14:00:00Z")
	round, err := svc.OpenTopicRound(ctx, chair, decide.TopicRoundInput{DTG: concord.DTGs[0].Code, Term: "2026-2027"})
	if err != nil {
		return fmt.Errorf("seed topic round: %w", err)
	}
	for i, t := range demoTopics {
		*clock = clock.Add(time.Duration(40+i*7) * time.Hour)
		u := sec // suggestions received by note verbale
		if t.by == decision.ActorChair {
			u = chair
		}
		if _, _, err := svc.SuggestTopic(ctx, u, round.ID, decide.TopicSuggestionInput{By: t.by, Title: t.title}); err != nil {
			return fmt.Errorf("seed topic %d: %w", i+1, err)
		}
	}

	// The survey: two weeks, closing at 18:00 in New York.
	at("2026-09-22T14:00:00Z")
	if _, err := svc.OpenTopicSurvey(ctx, chair, round.ID, time.Date(2026, 10, 6, 22, 0, 0, 0, time.UTC)); err != nil {
		return fmt.Errorf("seed topic survey: %w", err)
	}
	states, err := db.ListStates(ctx)
	if err != nil {
		return err
	}
	groupOf := decision.GroupOf(states, *clock)
	byGroup := map[string][]string{}
	for _, st := range states {
		if st.Status == "member" && !slices.Contains(demoTopicAbstain, st.ISO3) {
			byGroup[groupOf(st.ISO3)] = append(byGroup[groupOf(st.ISO3)], st.ISO3)
		}
	}
	r := rand.New(rand.NewPCG(2026, 10))
	var voters []string
	for _, g := range []string{"WEOG", "EEG", "AG", "APG", "GRULAC"} {
		members := byGroup[g]
		r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		// The States that suggested a topic answer; then others.
		slices.SortStableFunc(members, func(a, b string) int {
			_, ao := demoTopicOwn[a]
			_, bo := demoTopicOwn[b]
			switch {
			case ao && !bo:
				return -1
			case bo && !ao:
				return 1
			}
			return 0
		})
		voters = append(voters, members[:min(demoTopicTurnout[g], len(members))]...)
	}
	r.Shuffle(len(voters), func(i, j int) { voters[i], voters[j] = voters[j], voters[i] })
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for i, x := range idx {
			out[i] = "t" + fmt.Sprint(x+1)
		}
		return out
	}
	ballot := func(iso3 string) []string {
		order := slices.Clone(demoTopicProfiles[groupOf(iso3)])
		// Some variety: a State may swap two neighbouring topics.
		if k := r.IntN(len(order) + 2); k+1 < len(order) {
			order[k], order[k+1] = order[k+1], order[k]
		}
		if own, ok := demoTopicOwn[iso3]; ok {
			order = slices.DeleteFunc(order, func(x int) bool { return x == own })
			order = slices.Insert(order, 0, own)
		}
		return ids(order)
	}
	step := 13 * 24 * time.Hour / time.Duration(len(voters)+2)
	at("2026-09-23T13:00:00Z")
	for _, iso3 := range voters {
		*clock = clock.Add(step)
		if _, _, err := svc.SubmitTopicBallot(ctx, sec, round.ID, decide.TopicBallotInput{State: iso3, Ranking: ballot(iso3)}); err != nil {
			return fmt.Errorf("seed ballot %s: %w", iso3, err)
		}
	}
	// Morocco revises its answer: its later ballot replaces the first.
	*clock = clock.Add(time.Hour)
	if _, _, err := svc.SubmitTopicBallot(ctx, sec, round.ID, decide.TopicBallotInput{State: "MAR", Ranking: ids([]int{1, 4, 7, 5})}); err != nil {
		return fmt.Errorf("seed ballot MAR: %w", err)
	}

	// After the deadline, the Chair proposes the survey's advice.
	at("2026-10-09T15:00:00Z")
	round, err = svc.TopicRound(ctx, round.ID)
	if err != nil {
		return err
	}
	advice, err := svc.TopicAdvice(ctx, round.Doc)
	if err != nil {
		return err
	}
	if len(advice) == 0 {
		return fmt.Errorf("seed topics: the survey gave no advice")
	}
	_, d, err := svc.ProposeTopics(ctx, chair, round.ID, advice)
	if err != nil {
		return fmt.Errorf("seed topic proposal: %w", err)
	}
	for _, p := range []struct {
		state string
		kind  decision.PositionKind
		text  string
	}{
		{"MAR", decision.PositionSupport, "The survey gave every regional group an equal voice; Morocco supports the proposal."},
		{"IRN", decision.PositionObjection, "Topics must be agreed by consensus of all States, not chosen by a survey."},
		{"RUS", decision.PositionReservation, "The Russian Federation reserves its position on the method."},
		{"GBR", decision.PositionNoObjection, ""},
	} {
		*clock = clock.Add(5 * time.Hour)
		if _, err := svc.TakePosition(ctx, sec, d.ID, decide.PositionInput{Actor: p.state, Kind: p.kind, Text: p.text, Lang: "en"}); err != nil {
			return fmt.Errorf("seed topic position %s: %w", p.state, err)
		}
	}
	at("2026-10-20T15:00:00Z")
	if _, err := svc.Act(ctx, chair, d.ID, decision.ActDecide, false, concord.Text{"en": "Having consulted the States, the Chair decides the topics of the first thematic group for 2026-2027."}); err != nil {
		return fmt.Errorf("seed topic decision: %w", err)
	}

	// The second group: suggestions on capacity-building still coming in.
	at("2026-11-02T14:00:00Z")
	cb, err := svc.OpenTopicRound(ctx, chair, decide.TopicRoundInput{DTG: concord.DTGs[1].Code, Term: "2026-2027"})
	if err != nil {
		return fmt.Errorf("seed capacity-building round: %w", err)
	}
	for i, t := range []demoTopic{
		{"SEN", concord.Text{"fr": "Rendre opérationnel le Fonds d'affectation volontaire pour le renforcement des capacités"}},
		{"SGP", concord.Text{"en": "Maturity of national CERTs and regional cooperation"}},
		{"MAR", concord.Text{"ar": "استخدام دليل جهات الاتصال في حالات الطوارئ"}},
	} {
		*clock = clock.Add(time.Duration(30+i*20) * time.Hour)
		if _, _, err := svc.SuggestTopic(ctx, sec, cb.ID, decide.TopicSuggestionInput{By: t.by, Title: t.title}); err != nil {
			return fmt.Errorf("seed capacity-building topic %d: %w", i+1, err)
		}
	}
	return nil
}

// TopicSurveyScale adds a closed survey for benchmarks: a round of the
// second thematic group for term (a year not used by the demo) with ten
// suggested topics, answered by the first n Member States (each ranking
// five topics, in an order that varies with its regional group), closed.
// It returns the round's id.
func TopicSurveyScale(ctx context.Context, db *store.DB, term string, n int) (int64, error) {
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	clock, _, restore := scriptedClock(db)
	defer restore()
	*clock = time.Date(2026, 4, 6, 14, 0, 0, 0, time.UTC)
	sec := &concord.User{Role: concord.RoleSecretariat}
	rec, err := svc.OpenTopicRound(ctx, sec, decide.TopicRoundInput{DTG: concord.DTGs[1].Code, Term: term})
	if err != nil {
		return 0, err
	}
	states, err := db.ListStates(ctx)
	if err != nil {
		return 0, err
	}
	var members []string
	for _, st := range states {
		if st.Status == "member" {
			members = append(members, st.ISO3)
		}
	}
	for i := range 10 {
		*clock = clock.Add(time.Hour)
		if _, _, err := svc.SuggestTopic(ctx, sec, rec.ID, decide.TopicSuggestionInput{By: members[i*7], Title: concord.Text{"en": fmt.Sprintf("Capacity-building topic %d", i+1)}}); err != nil {
			return 0, err
		}
	}
	*clock = clock.Add(time.Hour)
	deadline := clock.Add(14 * 24 * time.Hour)
	if _, err := svc.OpenTopicSurvey(ctx, sec, rec.ID, deadline); err != nil {
		return 0, err
	}
	groupOf := decision.GroupOf(states, *clock)
	shift := map[string]int{"AG": 0, "APG": 2, "EEG": 4, "GRULAC": 6, "WEOG": 8}
	for i, st := range members[:min(n, len(members))] {
		*clock = clock.Add(time.Minute)
		var ranking []string
		for k := range 5 {
			ranking = append(ranking, fmt.Sprintf("t%d", (shift[groupOf(st)]+k+i%2)%10+1))
		}
		if _, _, err := svc.SubmitTopicBallot(ctx, sec, rec.ID, decide.TopicBallotInput{State: st, Ranking: ranking}); err != nil {
			return 0, err
		}
	}
	return rec.ID, nil
}
