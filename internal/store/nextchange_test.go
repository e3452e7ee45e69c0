package store_test

import (
	"context"
	"testing"
	"time"

	"concord"
	"concord/briefer"
	"concord/decision"
	"concord/internal/cachectl"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/rule"
	"concord/topic"
)

// TestRuleVersionsDeclareNextChange: reading the rules records, for any
// cache keeping the response, the instant the next scheduled version takes
// effect, so that no page or API handler using the rule in force has to
// declare it (the co-facilitator pair checker did not, and was served with
// the old rule after the new one took effect).
func TestRuleVersionsDeclareNextChange(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	c, exp := cachectl.With(ctx)
	if _, err := db.RuleVersions(c, concord.DefaultProcessCode); err != nil {
		t.Fatal(err)
	}
	if !exp.Time().IsZero() {
		t.Fatalf("nothing scheduled, yet the rules change at %v", exp.Time())
	}
	at := db.Now().Add(72 * time.Hour).Truncate(time.Second).UTC()
	b := briefer.DefaultPolicy()
	v := rule.Version{Code: briefer.RuleCode, Policy: &b, Effective: at, Note: concord.Text{"en": "scheduled"}}
	if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.AddRuleVersion(concord.DefaultProcessCode, &v) }); err != nil {
		t.Fatal(err)
	}
	c, exp = cachectl.With(ctx)
	if _, err := db.RuleVersions(c, concord.DefaultProcessCode); err != nil {
		t.Fatal(err)
	}
	if !exp.Time().Equal(at) {
		t.Errorf("next change %v, want the scheduled version's %v", exp.Time(), at)
	}
}

// TestDecisionDeclaresSimulatedDeadlines: a decision by consensus without
// a period has no deadline, but the pages that simulate it under the
// silence procedure change at the default period's end; reading the
// decision records that instant, so the simulation handlers declare
// nothing.
func TestDecisionDeclaresSimulatedDeadlines(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	now := db.Now().Truncate(time.Second).UTC()
	db.Now = func() time.Time { return now }
	d := store.Decision{Process: concord.DefaultProcessCode, Title: concord.Text{"en": "Calendar"},
		Facts:  decision.Facts{Kind: decision.KindGeneric, Proposal: concord.Text{"en": "Adopt."}, ProposedBy: decision.ActorChair, ProposedAt: now, Participants: []string{"FRA"}},
		Policy: decision.Policy{Modality: decision.ModalityConsensus}}
	if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveDecision(&d, "decision.create") }); err != nil {
		t.Fatal(err)
	}
	want := now.Add(decision.DefaultPeriod)
	c, exp := cachectl.With(ctx)
	if _, err := db.GetDecision(c, d.ID); err != nil {
		t.Fatal(err)
	}
	if !exp.Time().Equal(want) {
		t.Errorf("reading the decision: next change %v, want the simulated silence's end %v", exp.Time(), want)
	}
	c, exp = cachectl.With(ctx)
	if _, err := db.ListDecisions(c, concord.DefaultProcessCode); err != nil {
		t.Fatal(err)
	}
	if !exp.Time().Equal(want) {
		t.Errorf("listing the decisions: next change %v, want %v", exp.Time(), want)
	}
}

// TestTopicRoundDeclaresSurveyClose: reading a topic round, alone, in a
// list or with its decision, records its survey's close, when the round
// changes phase without any write; a closed survey records nothing.
func TestTopicRoundDeclaresSurveyClose(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	now := db.Now().Truncate(time.Second).UTC()
	db.Now = func() time.Time { return now }
	dl := now.Add(10 * 24 * time.Hour)
	rec := store.Record[topic.Round]{Process: concord.DefaultProcessCode, Kind: "topic-round-test", Scope: "DTG-1",
		Doc: topic.Round{DTG: "DTG-1", Term: "2030", Rule: topic.DefaultPolicy(), Opened: now, Survey: &topic.Survey{DTG: "DTG-1", Opened: now, Deadline: dl}}}
	if err := db.Update(ctx, "test", func(tx *store.Tx) error { return store.SaveRecord(tx, &rec, "topics", true) }); err != nil {
		t.Fatal(err)
	}
	reads := map[string]func(context.Context) error{
		"one": func(c context.Context) error {
			_, err := store.GetRecord[topic.Round](db.Read(c), rec.Kind, rec.ID)
			return err
		},
		"list": func(c context.Context) error {
			_, err := store.Records[topic.Round](db.Read(c), rec.Process, rec.Kind, "")
			return err
		},
		"with decisions": func(c context.Context) error {
			_, err := store.RecordsWithDecisions[topic.Round](db.Read(c), rec.Process, rec.Kind, "")
			return err
		},
	}
	for name, read := range reads {
		c, exp := cachectl.With(ctx)
		if err := read(c); err != nil {
			t.Fatal(err)
		}
		if !exp.Time().Equal(dl) {
			t.Errorf("%s: next change %v, want the survey's close %v", name, exp.Time(), dl)
		}
	}
	db.Now = func() time.Time { return dl }
	for name, read := range reads {
		c, exp := cachectl.With(ctx)
		if err := read(c); err != nil {
			t.Fatal(err)
		}
		if !exp.Time().IsZero() {
			t.Errorf("%s after the close: next change %v, want none", name, exp.Time())
		}
	}
}
