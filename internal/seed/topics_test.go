package seed_test

import (
	"concord/decision"
	"concord/topic"
	"context"
	"testing"

	"concord"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoTopics: the demo's survey is closed, weighting by regional group
// changes the first topic, the Chair proposed the survey's advice and
// decided, and the second group's round is still collecting suggestions.
func TestDemoTopics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	rounds, err := svc.TopicRounds(ctx, "")
	if err != nil || len(rounds) != 2 {
		t.Fatalf("%d rounds: %v", len(rounds), err)
	}
	r := rounds[0].Doc
	if r.DTG != concord.DTGs[0].Code || len(r.Suggestions) != 8 || r.Survey == nil {
		t.Fatalf("first round: %s, %d suggestions, survey %v", r.DTG, len(r.Suggestions), r.Survey != nil)
	}
	if ph := r.Phase(db.Now()); ph != topic.PhaseProposed {
		t.Errorf("phase %s", ph)
	}
	res, err := svc.TopicResults(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Open || res.Counted < 60 || res.Counted > 100 {
		t.Errorf("open %v, %d ballots counted", res.Open, res.Counted)
	}
	if res.Top(false) == res.Top(true) {
		t.Errorf("weighting does not change the first topic: %v / %v", res.ByPoints, res.ByWeighted)
	}
	t.Logf("by points %v, weighted %v, counted %d, groups %+v", res.ByPoints, res.ByWeighted, res.Counted, res.Groups)
	p, ok := r.Proposal()
	if !ok || len(p.Topics) != r.Rule.Slots || p.Topics[0] != res.ByWeighted[0] {
		t.Fatalf("proposal %+v, advice %v", p, res.ByWeighted)
	}
	d, err := db.GetDecision(ctx, p.DecisionID)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := svc.Result(d)
	if err != nil || !dr.Outcome.Adopted() {
		t.Errorf("decision on the proposal: %s %v", dr.Outcome, err)
	}
	if d.Facts.Kind != decision.KindDTGTopics || d.Facts.Subject != decide.SubjectOf(decide.KindTopicRound, rounds[0].ID) {
		t.Errorf("decision kind %s subject %s", d.Facts.Kind, d.Facts.Subject)
	}
	if ph := rounds[1].Doc.Phase(db.Now()); ph != topic.PhaseSuggestions || len(rounds[1].Doc.Suggestions) != 3 {
		t.Errorf("second round: %s with %d suggestions", ph, len(rounds[1].Doc.Suggestions))
	}
}
