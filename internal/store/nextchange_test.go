package store_test

import (
	"context"
	"testing"
	"time"

	"concord"
	"concord/briefer"
	"concord/internal/cachectl"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/rule"
)

// TestRuleVersionsDeclareNextChange: reading the rules records, for any
// cache keeping the response, the instant the next scheduled version takes
// effect, so that no page or API handler using the rule in force has to
// declare it (the co-facilitator pair checker did not, and was served with
// the old rule after the new one took effect).
func TestRuleVersionsDeclareNextChange(t *testing.T) {
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
