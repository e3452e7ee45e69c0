package seed_test

import (
	"concord/cofacilitator"
	"concord/rule"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoCoFacilitators: the demo has a set under each appointment mode,
// each in the state its story says, on both engines, and a second run adds
// nothing.
func TestDemoCoFacilitators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		for range 2 {
			if err := seed.Demo(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		db.Now = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }
		svc := &cofac.Service{DB: db, Decide: &decide.Service{DB: db, Process: concord.DefaultProcessCode}, Process: concord.DefaultProcessCode}
		sets, err := svc.Sets(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		got := map[cofacilitator.Appointment]cofacilitator.State{}
		for _, s := range sets {
			got[s.Doc.Policy.Appointment] = s.Result.State
		}
		want := map[cofacilitator.Appointment]cofacilitator.State{
			cofacilitator.ChairAppoints:        cofacilitator.Appointed,
			cofacilitator.ConsensusApproval:    cofacilitator.Blocked,
			cofacilitator.ChairProposalSilence: cofacilitator.Approved,
		}
		if len(sets) != 3 || len(got) != 3 {
			t.Fatalf("%d sets: %v", len(sets), got)
		}
		for m, st := range want {
			if got[m] != st {
				t.Errorf("%s: %s, want %s", m, got[m], st)
			}
		}
		noms, err := svc.Nominations(ctx, "", "")
		if err != nil || len(noms) != 17 {
			t.Fatalf("%d nominations, %v", len(noms), err)
		}
		vs, err := db.RuleVersions(ctx, concord.DefaultProcessCode)
		if err != nil {
			t.Fatal(err)
		}
		if h := rule.History(vs, cofacilitator.RuleCode); len(h) != 3 {
			t.Errorf("%d versions of the co-facilitator rule, want 3", len(h))
		}
		// 2028-2029: the States that hold seats in 2026-2027 are barred.
		b, err := svc.Board(ctx, "DTG-1", "2028-2029")
		if err != nil {
			t.Fatal(err)
		}
		pairs, err := b.Pairs(10)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Previous) != 4 || len(pairs) != 2 {
			t.Errorf("2028-2029: %d previous seats, %d balanced pairs", len(b.Previous), len(pairs))
		}
		for _, p := range pairs {
			for _, n := range p.Nominations {
				if n.Doc.State == "SGP" {
					t.Errorf("Singapore held a seat in 2026-2027, yet is suggested")
				}
			}
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
