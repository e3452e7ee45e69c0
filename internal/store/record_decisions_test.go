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

// TestRecordsWithDecisions: records come with their decisions in one query,
// and a record without a decision yet comes with none.
func TestRecordsWithDecisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		type doc struct{ Name string }
		at := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
		d := store.Decision{Process: concord.DefaultProcessCode, Title: concord.Text{"en": "Confirm A."},
			Policy: decision.Policy{Modality: decision.ModalityConsensus},
			Facts:  decision.Facts{Kind: decision.KindBrieferConfirmation, Proposal: concord.Text{"en": "A."}, ProposedAt: at, Participants: []string{"FRA"}}}
		with := store.Record[doc]{Process: concord.DefaultProcessCode, Kind: "briefer", Scope: "DTG1-2026-12-07", Doc: doc{"A"}}
		without := store.Record[doc]{Process: concord.DefaultProcessCode, Kind: "briefer", Scope: "DTG2-2026-12-09", Doc: doc{"B"}}
		err := db.Update(ctx, "test", func(tx *store.Tx) error {
			if err := tx.SaveDecision(&d, "decision.propose"); err != nil {
				return err
			}
			with.DecisionID = d.ID
			if err := store.SaveRecord(tx, &with, "briefer.nominate", true); err != nil {
				return err
			}
			return store.SaveRecord(tx, &without, "briefer.nominate", true)
		})
		if err != nil {
			t.Fatal(err)
		}
		before := db.Queries()
		rs, err := store.RecordsWithDecisions[doc](db.Read(ctx), concord.DefaultProcessCode, "briefer", "")
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Queries() - before; n != 1 {
			t.Errorf("%d queries, want 1", n)
		}
		if len(rs) != 2 || rs[0].Record.Doc.Name != "A" || rs[0].Decision.ID != d.ID || rs[0].Decision.Title["en"] != "Confirm A." ||
			!rs[0].Decision.Facts.ProposedAt.Equal(at) || rs[1].Decision.ID != 0 || rs[1].Record.DecisionID != 0 {
			t.Errorf("records %+v", rs)
		}
		if rs, _ := store.RecordsWithDecisions[doc](db.Read(ctx), concord.DefaultProcessCode, "briefer", "DTG2-2026-12-09"); len(rs) != 1 || rs[0].Record.Doc.Name != "B" {
			t.Errorf("one scope: %+v", rs)
		}
	})
}
