package store_test

import (
	"concord/rule"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"concord/internal/audit"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// columns describes a schema as "table.column nullable" lines, the same way
// on both engines, so the two migration sets cannot drift apart.
func columns(t *testing.T, e store.Dialect, dsn string) []string {
	t.Helper()
	driver := "sqlite"
	if e == store.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var out []string
	if e == store.Postgres {
		rows, err := raw.Query(`SELECT table_name, column_name, is_nullable FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tbl, col, null string
			rows.Scan(&tbl, &col, &null)
			out = append(out, fmt.Sprintf("%s.%s null=%v", tbl, col, null == "YES"))
		}
	} else {
		rows, err := raw.Query(`SELECT m.name, p.name, p."notnull", p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tbl, col string
			var notnull, pk int
			rows.Scan(&tbl, &col, &notnull, &pk)
			// SQLite lets INTEGER PRIMARY KEY columns be declared without
			// NOT NULL; they can never be null.
			out = append(out, fmt.Sprintf("%s.%s null=%v", tbl, col, notnull == 0 && pk == 0))
		}
	}
	// The full-text index is each engine's own structure over the same
	// folded column (migration 00020): FTS5's virtual table and its shadow
	// tables on SQLite, a generated tsvector column on PostgreSQL.
	out = slices.DeleteFunc(out, func(c string) bool {
		return strings.HasPrefix(c, "search_fts") || strings.HasPrefix(c, "search_entries.tsv ")
	})
	sort.Strings(out)
	return out
}

func TestSchemasMatchAcrossEngines(t *testing.T) {
	t.Parallel()
	if len(storetest.Engines()) < 2 {
		t.Skip("needs CONCORD_TEST_POSTGRES")
	}
	dsns := map[store.Dialect]string{}
	for _, e := range storetest.Engines() {
		dsn := storetest.DSN(t, e)
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.Close()
		dsns[e] = dsn
	}
	lite := columns(t, store.SQLite, dsns[store.SQLite])
	pg := columns(t, store.Postgres, dsns[store.Postgres])
	if d := cmp.Diff(lite, pg); d != "" {
		t.Errorf("schemas differ (-sqlite +postgres):\n%s", d)
	}
}

func TestConcurrentStartsOnPostgres(t *testing.T) {
	t.Parallel()
	if len(storetest.Engines()) < 2 {
		t.Skip("needs CONCORD_TEST_POSTGRES")
	}
	dsn := storetest.DSN(t, store.Postgres)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			if err := db.Migrate(context.Background()); err != nil {
				errs <- err
				return
			}
			errs <- db.Bootstrap(context.Background())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	states, _ := db.ListStates(context.Background())
	head, _ := db.AuditHead(context.Background())
	// One entry for the process, one for the accreditation policy, one per
	// procedure rule: loaded once, whatever the number of starts.
	if want := int64(2 + len(rule.Codes())); len(states) != 195 || head != want {
		t.Errorf("after 4 concurrent starts: %d States, %d audit entries; want 195 and %d", len(states), head, want)
	}
}

func TestTamperingIsCaught(t *testing.T) {
	t.Parallel()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			db, err := store.Open(context.Background(), dsn)
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
			addPeople(t, db, 10)
			if err := db.VerifyAudit(ctx); err != nil {
				t.Fatal(err)
			}
			driver := map[store.Dialect]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[e]
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			// Someone with database access rewrites who did entry 5.
			if _, err := raw.Exec("UPDATE audit_log SET actor = 'user:999' WHERE seq = 5"); err != nil {
				t.Fatal(err)
			}
			err = db.VerifyAudit(ctx)
			var be *audit.BrokenError
			if !errors.As(err, &be) || be.Seq != 5 {
				t.Fatalf("tampered entry 5: got %v", err)
			}
		})
	}
}
