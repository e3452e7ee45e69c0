package store_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// demo is the demo data, built once per engine and copied per test.
var demo = storetest.NewTemplate("store-demo", seed.Demo)

// TestVerifyRowsFindsRowsChangedBehindTheLog: the hash chain is intact
// whatever is done to the tables, so audit verify also checks each current
// row against the last state the log recorded for it. A row deleted,
// altered or inserted with SQL is named.
func TestVerifyRowsFindsRowsChangedBehindTheLog(t *testing.T) {
	t.Parallel()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db, dsn := demo.OpenDSN(t, e)
			if err := db.VerifyRows(ctx); err != nil {
				t.Fatalf("demo data: %v", err)
			}
			// Every audited object type is checked, or known to need no check.
			if types, err := db.UncheckedObjectTypes(ctx); err != nil || len(types) > 0 {
				t.Fatalf("audit verify does not check the rows of %v (%v): add them to auditedTables or notRows", types, err)
			}
			driver := map[store.Dialect]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[e]
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			exec := func(q string) {
				t.Helper()
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			expect := func(what, objectType, objectID, problem string) {
				t.Helper()
				if err := db.VerifyAudit(ctx); err != nil {
					t.Fatalf("%s: the chain itself is intact, got %v", what, err)
				}
				err := db.VerifyRows(ctx)
				var re *store.RowError
				if !errors.As(err, &re) || re.ObjectType != objectType || re.ObjectID != objectID || !strings.Contains(re.Problem, problem) {
					t.Fatalf("%s: got %v, want %s %s %s", what, err, objectType, objectID, problem)
				}
				if re.Seq == 0 && problem != "not in the" {
					t.Errorf("%s: no entry named: %v", what, err)
				}
			}
			var app, org, person string
			// One with no documents: those reference their application.
			if err := raw.QueryRow("SELECT MIN(id) FROM accreditation_applications a WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.application_id = a.id)").Scan(&app); err != nil {
				t.Fatal(err)
			}
			if err := raw.QueryRow("SELECT MAX(id) FROM organizations").Scan(&org); err != nil {
				t.Fatal(err)
			}
			if err := raw.QueryRow("SELECT MIN(id) FROM persons").Scan(&person); err != nil {
				t.Fatal(err)
			}
			// An application's status rewritten in its document; mere
			// whitespace would not count.
			exec("UPDATE accreditation_applications SET doc = REPLACE(doc, '\"Status\":', '\"Status\" : ') WHERE id = " + app)
			if err := db.VerifyRows(ctx); err != nil {
				t.Fatalf("whitespace in a document: %v", err)
			}
			exec("UPDATE accreditation_applications SET doc = REPLACE(doc, '\"Status\" : \"', '\"Status\":\"x') WHERE id = " + app)
			expect("altered application", "accreditation_application", app, "differs")
			exec("DELETE FROM accreditation_applications WHERE id = " + app)
			expect("deleted application", "accreditation_application", app, "missing")
			var before int
			raw.QueryRow("SELECT COUNT(*) FROM persons").Scan(&before)
			exec("DELETE FROM delegations WHERE person_id = " + person)
			exec("DELETE FROM persons WHERE id = " + person)
			err = db.VerifyRows(ctx)
			if err == nil || !strings.Contains(err.Error(), "more mismatch") {
				t.Errorf("two rows deleted, one named and the other counted: %v", err)
			}
			exec("UPDATE organizations SET website = 'https://evil.example' WHERE id = " + org)
			err = db.VerifyRows(ctx)
			if err == nil || !strings.Contains(err.Error(), "2 more mismatches") {
				t.Errorf("three rows changed: %v", err)
			}
			// A procedure record (an agenda, a nomination...) deleted.
			exec("DELETE FROM procedure_records WHERE id = (SELECT MIN(id) FROM procedure_records)")
			err = db.VerifyRows(ctx)
			if err == nil || !strings.Contains(err.Error(), "3 more mismatches") {
				t.Errorf("four rows changed: %v", err)
			}
		})
	}
}

// TestAuditFilters: the log's filters by kind, subject and days, and the
// count of confidential entries per day, on both engines.
func TestAuditFilters(t *testing.T) {
	t.Parallel()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, e)
			day1 := time.Date(2026, 5, 4, 23, 59, 59, 999999000, time.UTC)
			day2 := time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC)
			write := func(at time.Time, action, typ, id string, public bool) {
				t.Helper()
				db.Now = func() time.Time { return at }
				if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.Audit(action, typ, id, nil, map[string]int{"n": 1}, public) }); err != nil {
					t.Fatal(err)
				}
			}
			write(day1, "decision.position", "decision", "7", true)
			write(day1, "accreditation.object", "accreditation_application", "3", false)
			write(day2, "decision.position", "decision", "8", true)
			write(day2, "accreditation.object", "accreditation_application", "3", false)
			write(day2.Add(time.Hour), "accreditation.object", "accreditation_application", "4", false)
			q := func(v url.Values) store.AuditFilter {
				t.Helper()
				f, err := store.ParseAuditFilter(v)
				if err != nil {
					t.Fatal(err)
				}
				f.Limit = 100
				return f
			}
			for _, c := range []struct {
				f    store.AuditFilter
				want []string
			}{
				{q(url.Values{"kind": {"decision"}}), []string{"8", "7"}},
				{q(url.Values{"subject": {"decision/7"}}), []string{"7"}},
				{q(url.Values{"subject": {"accreditation_application"}}), []string{"4", "3", "3"}},
				{q(url.Values{"from": {"2026-05-05"}, "kind": {"decision"}}), []string{"8"}},
				{q(url.Values{"to": {"2026-05-04"}, "kind": {"decision"}}), []string{"7"}},
				{func() store.AuditFilter { f := q(url.Values{"to": {"2026-05-05"}}); f.PublicOnly = true; return f }(), []string{"8", "7"}},
			} {
				entries, total, err := db.AuditPage(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range entries {
					if e.ObjectType != "process" && e.ObjectType != "rule" {
						got = append(got, e.ObjectID)
					}
				}
				if strings.Join(got, ",") != strings.Join(c.want, ",") || c.f.From.IsZero() && c.f.Kind == "" && c.f.ObjectType == "" && total < len(c.want) {
					t.Errorf("%+v: got %v (total %d), want %v", c.f, got, total, c.want)
				}
			}
			counts, err := db.ConfidentialDays(ctx, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if counts[time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)] != 1 || counts[day2] != 2 || len(counts) != 2 {
				t.Errorf("confidential entries per day: %v", counts)
			}
			for _, bad := range []url.Values{{"kind": {"Decision"}}, {"subject": {"a b"}}, {"from": {"5 May"}}} {
				if _, err := store.ParseAuditFilter(bad); err == nil {
					t.Errorf("%v accepted", bad)
				}
			}
		})
	}
}
