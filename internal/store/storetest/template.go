package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"concord/internal/store"
)

// A Template is a database built once per test binary and engine (migrated,
// bootstrapped, then filled by its build function) and copied for every
// test that opens it. Migrating, loading the 195 States and seeding the demo
// for each test was most of the suite's time; a copy costs a few
// milliseconds on SQLite (a file) and a fraction of a second on PostgreSQL
// (CREATE DATABASE ... TEMPLATE).
//
// The copy is the database as the build left it, at the time it was built:
// data the build dated from the store's clock is as old as the test binary
// (seconds). A test that needs its data dated from a clock of its own
// seeds a store from Open instead.
type Template struct {
	name  string
	build func(ctx context.Context, db *store.DB) error

	mu    sync.Mutex
	built map[store.Dialect]*built
}

// built is one engine's copy of a template: the SQLite files' bytes (by
// suffix: "", "-wal") or the PostgreSQL template database's name.
type built struct {
	files map[string][]byte
	pgDB  string
	err   error
}

// NewTemplate declares a template; build (nil for none) runs on a
// migrated, bootstrapped store the first time a test opens the template on
// an engine. Declare templates as package variables, and drop them at the end
// with Main.
func NewTemplate(name string, build func(ctx context.Context, db *store.DB) error) *Template {
	tp := &Template{name: name, build: build, built: map[store.Dialect]*built{}}
	templatesMu.Lock()
	templates = append(templates, tp)
	templatesMu.Unlock()
	return tp
}

var (
	templatesMu sync.Mutex
	templates   []*Template
	// base is the migrated, bootstrapped store that Open copies on SQLite.
	base = NewTemplate("base", nil)
)

// Main runs the package's tests, then drops the PostgreSQL template
// databases they built. Use it in TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// Without it the templates stay until a later test run on the same host
// drops them (see sweep).
func Main(m *testing.M) int {
	code := m.Run()
	templatesMu.Lock()
	defer templatesMu.Unlock()
	for _, tp := range templates {
		tp.mu.Lock()
		if b := tp.built[store.Postgres]; b != nil && b.pgDB != "" {
			if err := dropDatabase(b.pgDB); err != nil {
				fmt.Fprintf(os.Stderr, "storetest: drop template %s: %v\n", b.pgDB, err)
			}
		}
		tp.mu.Unlock()
	}
	return code
}

// Open returns a fresh copy of the template on engine e, closed (and on
// PostgreSQL dropped) when the test ends.
func (tp *Template) Open(t testing.TB, e store.Dialect) *store.DB {
	t.Helper()
	db, _ := tp.OpenDSN(t, e)
	return db
}

// OpenDSN is Open that also returns the copy's data source name, for a
// test that reaches under the store (to change rows behind its back).
func (tp *Template) OpenDSN(t testing.TB, e store.Dialect) (*store.DB, string) {
	t.Helper()
	if e == store.Postgres && os.Getenv("CONCORD_TEST_POSTGRES") == "" {
		t.Skip("CONCORD_TEST_POSTGRES not set")
	}
	b := tp.get(e)
	if b.err != nil {
		t.Fatalf("template %s on %s: %v", tp.name, e, b.err)
	}
	var dsn string
	if e == store.SQLite {
		dir := t.TempDir()
		for suffix, data := range b.files {
			if err := os.WriteFile(filepath.Join(dir, "concord.db"+suffix), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		dsn = filepath.Join(dir, "concord.db")
	} else {
		name := "concord_t_" + strings.ToLower(rand.Text()[:12])
		if err := createDatabase(name, b.pgDB); err != nil {
			t.Fatalf("copy template %s: %v", tp.name, err)
		}
		t.Cleanup(func() { dropDatabase(name) })
		var err error
		if dsn, err = pgURL(name); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSecretKey(SecretKey); err != nil {
		t.Fatal(err)
	}
	return db, dsn
}

// Each runs f once per engine as a subtest, on a copy of the template.
func (tp *Template) Each(t *testing.T, f func(t *testing.T, db *store.DB)) {
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) { f(t, tp.Open(t, e)) })
	}
}

// get builds the template on e once; tests that ask meanwhile wait.
func (tp *Template) get(e store.Dialect) *built {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if b := tp.built[e]; b != nil {
		return b
	}
	b := &built{}
	if e == store.SQLite {
		b.files, b.err = tp.buildSQLite()
	} else {
		b.pgDB, b.err = tp.buildPostgres()
	}
	tp.built[e] = b
	return b
}

// fill migrates, bootstraps and builds the store at dsn, then closes it.
func (tp *Template) fill(dsn string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	err = db.SetSecretKey(SecretKey)
	if err == nil {
		err = db.Migrate(ctx)
	}
	if err == nil {
		err = db.Bootstrap(ctx)
	}
	if err == nil && tp.build != nil {
		err = tp.build(ctx, db)
	}
	return errors.Join(err, db.Close())
}

// buildSQLite builds the template in a temporary directory and keeps its
// files' bytes: closing the last connection checkpoints the WAL, so
// usually the database file alone remains.
func (tp *Template) buildSQLite() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "concord-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "concord.db")
	if err := tp.fill(path); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[suffix] = data
	}
	return files, nil
}

// buildPostgres builds the template as a database of its own, named for
// this host and process so that a later run can drop it if this one died
// before Main did.
func (tp *Template) buildPostgres() (string, error) {
	if os.Getenv("CONCORD_TEST_POSTGRES") == "" {
		return "", errors.New("CONCORD_TEST_POSTGRES not set")
	}
	sweep()
	name := fmt.Sprintf("concord_tpl_%s_%d_%s", hostTag(), os.Getpid(), strings.ToLower(rand.Text()[:6]))
	if err := createDatabase(name, ""); err != nil {
		return "", err
	}
	dsn, err := pgURL(name)
	if err == nil {
		err = tp.fill(dsn)
	}
	if err != nil {
		dropDatabase(name)
		return "", err
	}
	return name, nil
}

// admin runs statements on the server's own database (the one the
// CONCORD_TEST_POSTGRES URL names): CREATE and DROP DATABASE cannot run
// inside the databases they act on.
func admin(f func(db *sql.DB) error) error {
	db, err := sql.Open("pgx", os.Getenv("CONCORD_TEST_POSTGRES"))
	if err != nil {
		return err
	}
	defer db.Close()
	return f(db)
}

// createDatabase creates name, as a copy of template when one is named.
// WAL_LOG (PostgreSQL 15 and later) copies block by block without the two
// checkpoints FILE_COPY forces, which cost seconds per copy.
func createDatabase(name, template string) error {
	return admin(func(db *sql.DB) error {
		q := "CREATE DATABASE " + name
		if template != "" {
			q += " TEMPLATE " + template
			var v int
			if err := db.QueryRow("SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
				return err
			}
			if v >= 150000 {
				q += " STRATEGY WAL_LOG"
			}
		}
		_, err := db.Exec(q)
		return err
	})
}

// dropDatabase drops name, closing any connection still open on it.
func dropDatabase(name string) error {
	return admin(func(db *sql.DB) error {
		_, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		return err
	})
}

// pgURL is the CONCORD_TEST_POSTGRES URL with its database replaced.
func pgURL(dbname string) (string, error) {
	u, err := url.Parse(os.Getenv("CONCORD_TEST_POSTGRES"))
	if err != nil {
		return "", err
	}
	u.Path = "/" + dbname
	return u.String(), nil
}

// hostTag is a short, identifier-safe tag of this host's name.
func hostTag() string {
	h, _ := os.Hostname()
	var sum uint32 = 2166136261
	for i := 0; i < len(h); i++ {
		sum = (sum ^ uint32(h[i])) * 16777619
	}
	return strconv.FormatUint(uint64(sum), 36)
}

var sweepOnce sync.Once

// sweep drops the template databases of test processes on this host that
// have ended without dropping them (killed, or a package without Main).
func sweep() {
	sweepOnce.Do(func() {
		prefix := "concord_tpl_" + hostTag() + "_"
		admin(func(db *sql.DB) error {
			rows, err := db.Query("SELECT datname FROM pg_database WHERE datname LIKE $1", prefix+"%")
			if err != nil {
				return err
			}
			var stale []string
			for rows.Next() {
				var name string
				if rows.Scan(&name) != nil {
					continue
				}
				pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, prefix), "_", 2)[0])
				if err == nil && pid != os.Getpid() && syscall.Kill(pid, 0) == syscall.ESRCH {
					stale = append(stale, name)
				}
			}
			rows.Close()
			for _, name := range stale {
				db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			}
			return nil
		})
	})
}
