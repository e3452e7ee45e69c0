package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestVerifyRowsFindsRowsChangedBehindTheLog: the hash chain is intact
// whatever is done to the tables, so audit verify also checks each current
// row against the last state the log recorded for it. A row deleted,
// altered or inserted with SQL is named.
func TestVerifyRowsFindsRowsChangedBehindTheLog(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, e)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Bootstrap(ctx); err != nil {
				t.Fatal(err)
			}
			if err := seed.Demo(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.VerifyRows(ctx); err != nil {
				t.Fatalf("demo data: %v", err)
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
			if err := raw.QueryRow("SELECT MIN(id) FROM accreditation_applications").Scan(&app); err != nil {
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
		})
	}
}
