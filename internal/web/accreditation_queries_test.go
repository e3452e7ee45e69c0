package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"concord/internal/store"

	"golang.org/x/mod/sumdb/tlog"
)

// objectionStatements is what one objection costs, from the request to the
// redirect: the session (1); inside the transaction (apply.Write), the
// application with its window (1) and the policy versions (1), the States
// taking part (1, from the registry's cache while the log's head holds),
// the update (1) and its audit entry (3: the log's head, the entry, the tree
// hash of this position), and the notices to the Secretariat and the Chair
// that an objection was received (2; issue 11). It was 17 when the handler and the service each
// read the application before the transaction, and 9 before the
// application and its window were read in one statement. A change that
// makes it grow must change this figure too.
// The Merkle tree stores one hash for most leaves but more (read first)
// where the leaf completes subtrees, so the figure is for a one-hash
// position and the test adds what the actual position costs.
const objectionStatements = 10

// TestObjectionStatementCount pins the SQL statements of one objection (the
// write path: permission, load inside the transaction, transition, save and
// audit, notices after commit) so that the count cannot silently grow.
func TestObjectionStatementCount(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, id := circulatedApplication(t, en, "")
	path := "/en/accreditation/applications/" + strconv.FormatInt(id, 10) + "/objection"
	en.get("delegate", "/en/") // the session is warm, as for any signed-in request
	head, err := en.db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := objectionStatements
	if k := int(tlog.StoredHashCount(head+1) - tlog.StoredHashCount(head)); k > 1 {
		want += k // k-1 more hashes stored, and the ones they are made of read once
	}
	before := en.db.Queries()
	resp, body := en.postForm("delegate", path, url.Values{"basis": {"Concerns."}})
	n := en.db.Queries() - before
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("objection: %d %s", resp.StatusCode, body)
	}
	t.Logf("one objection: %d statements", n)
	if n != int64(want) {
		t.Errorf("one objection costs %d SQL statements, want %d", n, want)
	}
	got, err := en.db.GetApplication(ctx, id)
	if err != nil || len(got.Objections) != 1 || got.Objections[0].State != "FRA" {
		t.Errorf("objection not recorded: %+v %v", got.Objections, err)
	}
}
