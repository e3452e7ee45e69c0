package decide_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// TestPositionsBoundedPerActor: one delegate recorded 1,740 positions in ten
// seconds. A State may record at most decision.MaxPositionsPerActor on one
// decision, counted inside the write transaction, so neither a loop nor 30
// parallel requests get past it, and other States are not affected.
func TestPositionsBoundedPerActor(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 7, 6, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		chair := &concord.User{ID: 1, Role: concord.RoleChair}
		create := func() store.Decision {
			t.Helper()
			d, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindAgendaAdoption, Title: concord.Text{"en": "Provisional agenda"},
				Proposal: concord.Text{"en": "Adopt the provisional agenda."}, Modality: decision.ModalityConsensus})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		count := func(id int64, actor string) int {
			t.Helper()
			d, err := db.GetDecision(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, p := range d.Facts.Positions {
				if p.Actor == actor {
					n++
				}
			}
			return n
		}
		fra := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
		kinds := []decision.PositionKind{decision.PositionSupport, decision.PositionReservation}

		// Sequential: the limit is accepted, the next one refused.
		d := create()
		clock = clock.Add(time.Minute)
		for i := range decision.MaxPositionsPerActor {
			if _, err := svc.TakePosition(ctx, fra, d.ID, decide.PositionInput{Kind: kinds[i%2], Lang: "en"}); err != nil {
				t.Fatalf("position %d: %v", i+1, err)
			}
		}
		_, err := svc.TakePosition(ctx, fra, d.ID, decide.PositionInput{Kind: decision.PositionSupport, Lang: "en"})
		var de *concord.Error
		if concord.ErrorCode(err) != concord.EInvalid || !errors.As(err, &de) || de.Key != "decision.error.too_many_positions" {
			t.Fatalf("position %d: %v, want decision.error.too_many_positions", decision.MaxPositionsPerActor+1, err)
		}
		if n := count(d.ID, "FRA"); n != decision.MaxPositionsPerActor {
			t.Errorf("FRA has %d positions stored, want %d", n, decision.MaxPositionsPerActor)
		}
		if _, err := svc.TakePosition(ctx, &concord.User{ID: 4, Role: concord.RoleDelegate, State: "DEU"}, d.ID, decide.PositionInput{Kind: decision.PositionSupport, Lang: "en"}); err != nil {
			t.Errorf("another State refused: %v", err)
		}

		// Parallel: 30 requests at once end with exactly the limit stored.
		d = create()
		var wg sync.WaitGroup
		var mu sync.Mutex
		refused := 0
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.TakePosition(ctx, fra, d.ID, decide.PositionInput{Kind: kinds[i%2], Lang: "en"})
				if err != nil {
					mu.Lock()
					defer mu.Unlock()
					if concord.ErrorCode(err) != concord.EInvalid {
						t.Errorf("parallel position: %v", err)
					}
					refused++
				}
			}()
		}
		wg.Wait()
		if n := count(d.ID, "FRA"); n != decision.MaxPositionsPerActor || refused != 30-decision.MaxPositionsPerActor {
			t.Errorf("after 30 parallel requests: %d stored, %d refused; want %d stored", n, refused, decision.MaxPositionsPerActor)
		}
	})
}
