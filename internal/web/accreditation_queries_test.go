package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"concord"
	"concord/accreditation"
	"concord/internal/accredit"
	"concord/internal/store"
)

// objectionStatements is what one objection costs, from the request to the
// redirect: the session (1), the States taking part (1, from the registry's
// cache), the application with its window and policy read once inside the
// transaction (3), the update (1) and its audit entry (3: the log's head,
// the entry, the tree hash of this position). It was 17 when the handler and
// the service each read the application before the transaction. A change
// that makes it grow must change this figure too.
const objectionStatements = 9

// TestObjectionStatementCount pins the SQL statements of one objection (the
// write path: permission, load inside the transaction, transition, save and
// audit, notices after commit) so that the count cannot silently grow.
func TestObjectionStatementCount(t *testing.T) {
	en := newEnv(t, store.SQLite)
	clk := useClock(en, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	svc := &accredit.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: userID(t, en, "sec"), Role: concord.RoleSecretariat}
	w, err := svc.CreateWindow(ctx, sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, Cycle: 2026, OpensDate: "2026-04-01", ClosesDate: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	clk.set(time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC))
	org := orgNamed(t, en, "Tech Accord")
	a, err := svc.Apply(ctx, sec, w.ID, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Upload(ctx, sec, org.ID, "letter.pdf", tinyPDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Edit(ctx, sec, a.ID, accreditation.Content{Purpose: concord.Text{"en": "Purpose"}, Letter: strconv.FormatInt(d.ID, 10)}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, sec, a.ID, accredit.ActSubmit, nil); err != nil {
		t.Fatal(err)
	}
	clk.set(time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC))
	if _, err := svc.Circulate(ctx, sec, w.ID); err != nil {
		t.Fatal(err)
	}
	path := "/en/accreditation/applications/" + strconv.FormatInt(a.ID, 10) + "/objection"
	en.get("delegate", "/en/") // the session is warm, as for any signed-in request
	before := en.db.Queries()
	resp, body := en.postForm("delegate", path, url.Values{"basis": {"Concerns."}})
	n := en.db.Queries() - before
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("objection: %d %s", resp.StatusCode, body)
	}
	t.Logf("one objection: %d statements", n)
	if n != objectionStatements {
		t.Errorf("one objection costs %d SQL statements, want %d", n, objectionStatements)
	}
	got, err := en.db.GetApplication(ctx, a.ID)
	if err != nil || len(got.Objections) != 1 || got.Objections[0].State != "FRA" {
		t.Errorf("objection not recorded: %+v %v", got.Objections, err)
	}
}
