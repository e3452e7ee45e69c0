package seed_test

import (
	"context"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/poc"
)

// TestDemoPOCs: 120 States in the directory and a closed ping round with
// results; seeding again adds nothing.
func TestDemoPOCs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for range 2 {
			if err := seed.POCs(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := db.NominatedStates(ctx, concord.DefaultProcessCode); n != seed.DemoPOCStates {
			t.Errorf("%d States nominated", n)
		}
		rounds, err := db.Rounds(ctx, concord.DefaultProcessCode)
		if err != nil || len(rounds) != 1 || rounds[0].Status != poc.Closed {
			t.Fatalf("rounds %+v %v", rounds, err)
		}
		a, _ := db.PingCounts(ctx, rounds[0].ID)
		if a.Sent != 180 || a.Answered == 0 || a.Answered == a.Sent || a.States != seed.DemoPOCStates {
			t.Errorf("aggregate %+v", a)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestDemoPOCMessages: three threads (one acknowledged and answered) and
// one bounced address; seeding again adds nothing.
func TestDemoPOCMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for range 2 {
			if err := seed.POCs(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := seed.POCMessages(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		r := db.Read(ctx)
		threads, err := r.Messages(concord.DefaultProcessCode, "", 10)
		if err != nil || len(threads) != 3 {
			t.Fatalf("threads %d %v", len(threads), err)
		}
		first := threads[len(threads)-1]
		if th, _ := r.Thread(first.ID); len(th) != 2 || th[0].Acknowledged.IsZero() || th[1].From != "DEU" {
			t.Errorf("France's thread %+v", th)
		}
		all, _ := db.POCs(ctx, concord.DefaultProcessCode, "")
		n := 0
		for _, p := range all {
			if p.Bounced != nil {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d bounced POCs", n)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}
