// Package storetest opens real, migrated stores for tests: SQLite in a
// temporary directory always, and PostgreSQL (a fresh schema, or a database
// copied from a template) when CONCORD_TEST_POSTGRES names a server. No
// mocks: the same suite runs on both engines. Stores that take long to
// build (the demo data) are built once per test binary as a Template and
// copied for each test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"concord/internal/store"
)

// SecretKey seals the secrets of every test store (a fixed key, so that a
// template built with it opens in each copy).
var SecretKey = []byte("concord-test-secret-key-32-bytes")

// Engines lists the engines to test on.
func Engines() []store.Dialect {
	if os.Getenv("CONCORD_TEST_POSTGRES") != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs f once per engine as a subtest.
func Each(t *testing.T, f func(t *testing.T, db *store.DB)) {
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) { f(t, Open(t, e)) })
	}
}

// Open returns a migrated store with the Global Mechanism loaded, closed
// (and on PostgreSQL dropped) when the test ends. On SQLite it is a copy of
// a template built once per test binary (see Template); on PostgreSQL a new
// schema is migrated and bootstrapped, which costs about what copying a
// database does (CREATE and DROP DATABASE write and checkpoint the whole
// database) and runs beside other tests without a server-wide checkpoint.
func Open(t testing.TB, e store.Dialect) *store.DB {
	t.Helper()
	if e == store.SQLite {
		return base.Open(t, e)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, DSN(t, e))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSecretKey(SecretKey); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// DSN returns a fresh, empty database location for engine e: a file in a
// temporary directory, or a new PostgreSQL schema (dropped at cleanup).
func DSN(t testing.TB, e store.Dialect) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "concord.db")
	}
	base := os.Getenv("CONCORD_TEST_POSTGRES")
	if base == "" {
		t.Skip("CONCORD_TEST_POSTGRES not set")
	}
	schema := "t_" + strings.ToLower(rand.Text()[:12])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
