package store_test

import (
	"concord/agenda"
	"concord/briefer"
	"concord/rule"
	"context"
	"errors"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func TestProcedureRulesAndRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		vs, err := db.RuleVersions(ctx, concord.DefaultProcessCode)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != len(rule.Codes()) {
			t.Fatalf("bootstrap stored %d rule versions, want one per rule (%d)", len(vs), len(rule.Codes()))
		}
		for _, v := range vs {
			if v.Version != 1 || v.Validate() != nil {
				t.Errorf("%s: version %d, valid: %v", v.Code, v.Version, v.Validate())
			}
		}
		// A second version is numbered after the first and stamped into its policy.
		b := briefer.DefaultPolicy()
		b.Confirmation = briefer.Consensus
		v := rule.Version{Code: briefer.RuleCode, Policy: &b, Effective: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Note: concord.Text{"en": "consensus"}}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.AddRuleVersion(concord.DefaultProcessCode, &v) }); err != nil {
			t.Fatal(err)
		}
		if v.Version != 2 || v.Policy.(*briefer.Policy).Version != 2 || !v.Policy.(*briefer.Policy).Effective.Equal(v.Effective) {
			t.Errorf("second version: %+v / policy %+v", v, v.Policy.(*briefer.Policy))
		}
		// A version whose policy does not match its code is refused and nothing is stored.
		bad := rule.Version{Code: agenda.RuleCode, Policy: &b}
		err = db.Update(ctx, "test", func(tx *store.Tx) error { return tx.AddRuleVersion(concord.DefaultProcessCode, &bad) })
		var de *concord.Error
		if !errors.As(err, &de) || de.Key != "procrule.error.policy" {
			t.Errorf("mismatched version: %v", err)
		}
		if vs, _ := db.RuleVersions(ctx, concord.DefaultProcessCode); len(vs) != len(rule.Codes())+1 {
			t.Errorf("after a refused version: %d versions", len(vs))
		}

		type doc struct{ Name string }
		r := store.Record[doc]{Process: concord.DefaultProcessCode, Kind: "briefer", Scope: "DTG-1", Doc: doc{"A. Briefer"}}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return store.SaveRecord(tx, &r, "briefer.nominate", true) }); err != nil {
			t.Fatal(err)
		}
		r.Doc.Name = "B. Briefer"
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return store.SaveRecord(tx, &r, "briefer.edit", true) }); err != nil {
			t.Fatal(err)
		}
		got, err := store.GetRecord[doc](db.Read(ctx), "briefer", r.ID)
		if err != nil || got.Doc.Name != "B. Briefer" || got.Scope != "DTG-1" || got.Created.IsZero() {
			t.Errorf("read back %+v, %v", got, err)
		}
		if _, err := store.GetRecord[doc](db.Read(ctx), "agenda", r.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("a record read as another kind: %v, want not found", err)
		}
		for scope, want := range map[string]int{"DTG-1": 1, "DTG-2": 0, "": 1} {
			if l, err := store.Records[doc](db.Read(ctx), concord.DefaultProcessCode, "briefer", scope); err != nil || len(l) != want {
				t.Errorf("scope %q: %d records, %v; want %d", scope, len(l), err, want)
			}
		}
	})
}
