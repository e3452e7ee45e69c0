package web_test

import (
	"net/http"
	"testing"
	"time"

	"concord/internal/audit"
	"concord/internal/store"
)

// TestPublicCheckpointByDay: the public checkpoint is the log as of the
// last midnight (UTC), so two confidential entries written minutes apart
// leave it unchanged, byte for byte, until their day ends: polling it
// cannot date them. The Secretariat, who reads the full log, gets the live
// one. The public's answer is cached and keeps its verifier key.
func TestPublicCheckpointByDay(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) { testPublicCheckpointByDay(t, newEnvOn(t, db)) })
}

func testPublicCheckpointByDay(t *testing.T, en *env) {
	last, _, err := en.db.ListAudit(ctx, 1, 0)
	if err != nil || len(last) != 1 {
		t.Fatal(err)
	}
	// Ten in the morning of the day after the last entry.
	day := audit.Day(last[0].At).AddDate(0, 0, 1)
	clk := useClock(en, day.Add(10*time.Hour))
	head := func() int64 {
		t.Helper()
		n, err := en.db.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	checkpoint := func(role string) (string, int64) {
		t.Helper()
		resp, note := en.get(role, "/audit/checkpoint")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%q: checkpoint %d", role, resp.StatusCode)
		}
		tree, err := audit.VerifyCheckpoint(resp.Header.Get("X-Verifier-Key"), note)
		if err != nil {
			t.Fatalf("%q: %v", role, err)
		}
		return note, tree.N
	}
	confidential := func() {
		t.Helper()
		if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
			return tx.Audit("accreditation.object", "accreditation_application", "1", nil, nil, false)
		}); err != nil {
			t.Fatal(err)
		}
	}
	before := head()
	public, n := checkpoint("")
	if n != before {
		t.Fatalf("public checkpoint of %d entries, want the %d written before midnight", n, before)
	}
	confidential()
	clk.set(day.Add(10*time.Hour + 3*time.Minute))
	confidential()
	if again, _ := checkpoint(""); again != public {
		t.Errorf("the public checkpoint changed within the day of two confidential entries")
	}
	// Then from the cache (no query but the data version), with its key.
	queries := en.db.Queries()
	if again, _ := checkpoint(""); again != public {
		t.Errorf("the cached public checkpoint differs")
	}
	if n := en.db.Queries() - queries; n > 1 {
		t.Errorf("public checkpoint not cached: %d queries", n)
	}
	if _, n := checkpoint("delegate"); n != before {
		t.Errorf("a delegate's checkpoint has %d entries, want %d", n, before)
	}
	if _, n := checkpoint("secretariat"); n != before+2 {
		t.Errorf("the Secretariat's checkpoint has %d entries, want the live %d", n, before+2)
	}
	// Once the day has ended, with no write, the public sees both.
	clk.set(day.AddDate(0, 0, 1).Add(time.Second))
	if _, n := checkpoint(""); n != before+2 {
		t.Errorf("after midnight the public checkpoint has %d entries, want %d", n, before+2)
	}
}
