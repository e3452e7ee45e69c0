package store_test

import (
	"concord/decision"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestDecisionsByID reads several decisions in one query, inside and outside
// a transaction, skipping ids that do not exist.
func TestDecisionsByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var ids []int64
		for i := range 3 {
			d := store.Decision{Process: concord.DefaultProcessCode, Title: concord.Text{"en": "Decision " + string(rune('A'+i))},
				Policy: decision.Policy{Modality: decision.ModalityChairDecision},
				Facts: decision.Facts{Kind: decision.KindGeneric, Proposal: concord.Text{"en": "x"}, ProposedAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
					Participants: []string{"FRA", "SEN"}}}
			if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveDecision(&d, "decision.propose") }); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		before := db.Queries()
		got, err := db.DecisionsByID(ctx, []int64{ids[0], ids[2], 999999})
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Queries() - before; n != 1 {
			t.Errorf("%d queries, want 1", n)
		}
		if len(got) != 2 || got[ids[2]].Title["en"] != "Decision C" || got[ids[0]].Facts.Participants[1] != "SEN" {
			t.Errorf("decisions %+v", got)
		}
		if none, err := db.DecisionsByID(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no ids: %v %v", none, err)
		}
		err = db.Update(ctx, "test", func(tx *store.Tx) error {
			in, err := tx.DecisionsByID(ids)
			if err != nil || len(in) != 3 {
				t.Errorf("in a transaction: %d, %v", len(in), err)
			}
			return tx.Audit("test.read", "decision", "", nil, nil, false)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
