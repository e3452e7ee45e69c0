package seed_test

import (
	"concord/briefer"
	"context"
	"testing"

	"concord"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoBriefers: the demo's briefer round has nominations by different
// States, confirmed by silence, one blocked by an objection, one still
// open; running the demo again adds nothing.
func TestDemoBriefers(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := seed.Demo(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := seed.Briefers(ctx, db); err != nil {
			t.Fatal("second run:", err)
		}
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		l, err := svc.Briefers(ctx, decide.BrieferFilter{DTG: "DTG-1"})
		if err != nil {
			t.Fatal(err)
		}
		states := map[briefer.State]int{}
		by := map[string]bool{}
		n := 0
		for _, m := range l.Meetings {
			for _, b := range m.Briefers {
				states[b.Result.State]++
				by[b.Record.Doc.NominatedBy] = true
				n++
			}
		}
		if n < 4 || n > 6 || len(by) != n {
			t.Errorf("%d DTG 1 nominations by %d States; want 4 to 6, each by a different State", n, len(by))
		}
		if states[briefer.Rejected] < 1 || states[briefer.Nominated] != 1 || states[briefer.Confirmed] != n-states[briefer.Rejected]-1 {
			t.Errorf("states %v", states)
		}
		all, err := svc.Briefers(ctx, decide.BrieferFilter{})
		if err != nil || len(all.Meetings) < 2 {
			t.Errorf("%d meetings, %v", len(all.Meetings), err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
