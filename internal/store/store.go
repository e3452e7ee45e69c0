// Package store persists Concord's data in SQLite (embedded, default) or
// PostgreSQL through database/sql, with one portable query set ($n
// placeholders, RETURNING, ON CONFLICT) and goose migrations per dialect.
// Every write runs in Update, which appends an audit entry in the same
// transaction.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"concord"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the SQL engine.
type Dialect string

// The two supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the store. Reads use a pool; on SQLite writes use a single
// connection so that writers queue in Go instead of failing with SQLITE_BUSY.
type DB struct {
	read    *sql.DB
	write   *sql.DB
	Dialect Dialect
	// Now is the clock; tests replace it. Times are stored in UTC with
	// microsecond precision, the finest both engines keep.
	Now func() time.Time

	queries atomic.Int64
	writes  atomic.Int64

	// statesMu guards the in-memory States list and the audit head it was
	// read at (see ListStates). Callers get clones; the names and group
	// slices inside are shared and must be treated as read-only.
	statesMu sync.Mutex
	states   []concord.State
	statesAt int64

	// aead seals stored secrets (see SetSecretKey).
	aead cipher.AEAD
}

// Open connects to dsn: a postgres:// URL, or a SQLite file path (created
// with its directory if missing).
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{Now: time.Now}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Dialect = Postgres
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(20)
		p.SetMaxIdleConns(20)
		db.read, db.write = p, p
	} else {
		db.Dialect = SQLite
		if dir := filepath.Dir(dsn); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, err
			}
		}
		// busy_timeout must come before journal_mode: switching to WAL
		// itself needs the lock. _time_format=sqlite stores timestamps in a
		// form SQLite's date functions parse.
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
			q.Add("_pragma", p)
		}
		q.Set("_time_format", "sqlite")
		base := "file:" + dsn + "?" + q.Encode()
		r, err := sql.Open("sqlite", base)
		if err != nil {
			return nil, err
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		w, err := sql.Open("sqlite", base+"&_txlock=immediate")
		if err != nil {
			r.Close()
			return nil, err
		}
		w.SetMaxOpenConns(1)
		db.read, db.write = r, w
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return db, nil
}

// Close releases the pools.
func (db *DB) Close() error {
	if db.Dialect == SQLite && db.write != nil {
		// Let SQLite refresh its planner statistics, as it recommends on close.
		db.write.Exec("PRAGMA optimize")
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Migrate applies pending migrations. On PostgreSQL a session advisory lock
// makes concurrent starts of several instances safe.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		// Retry every second (the minimum) for up to five minutes: a second
		// instance starting beside a migrating one waits, not fails.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.write, sub, opts...)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Queries returns how many SQL statements this DB has run; tests use it to
// prove a page costs a fixed number of queries (no N+1).
func (db *DB) Queries() int64 { return db.queries.Load() }

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// conn wraps a queryer and counts statements.
type conn struct {
	q  queryer
	db *DB
}

func (c conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.db.queries.Add(1)
	return c.q.QueryContext(ctx, q, args...)
}

func (c conn) row(ctx context.Context, q string, args ...any) *sql.Row {
	c.db.queries.Add(1)
	return c.q.QueryRowContext(ctx, q, args...)
}

func (c conn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.db.queries.Add(1)
	return c.q.ExecContext(ctx, q, args...)
}

func (db *DB) r() conn { return conn{db.read, db} }

// Tx is a write transaction that carries its actor and its start time.
// It embeds the transaction's Reader: a write reads through the same API
// as a page, but sees its own transaction.
type Tx struct {
	Reader
	Actor string
	Now   time.Time
	// audited records that the closure wrote an audit entry: Update refuses
	// to commit a write that nobody audited.
	audited bool
	// bulk, when set (BulkSearch), holds the search entries of new sources
	// until FlushSearch writes them together.
	bulk *[]SearchEntry
}

// advisoryLockKey serialises writers on PostgreSQL, as SQLite's single
// writer does, so the audit chain never forks.
const advisoryLockKey = 7261_0001

// Update runs fn in one write transaction on behalf of actor ("user:12",
// "system"). fn must call tx.Audit at least once; on error nothing is kept.
func (db *DB) Update(ctx context.Context, actor string, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	tx := &Tx{Reader: Reader{conn{sqlTx, db}, ctx}, Actor: actor, Now: db.now()}
	if db.Dialect == Postgres {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock($1)", advisoryLockKey); err != nil {
			return err
		}
	}
	// An idempotency key of the request goes in with its write, or the
	// write does not happen (see IdemClaim).
	claim, err := tx.claimIdem()
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if !tx.audited {
		return errors.New("store: write transaction without an audit entry")
	}
	if dry, _ := ctx.Value(dryKey{}).(*DryRun); dry != nil {
		dry.mu.Lock()
		dry.reached = true
		dry.mu.Unlock()
		return ErrDryRun
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	if claim != nil {
		claim.mu.Lock()
		claim.taken = true
		claim.mu.Unlock()
	}
	db.writes.Add(1)
	return nil
}

// Writes counts transactions committed through this DB; caches use it to
// notice this instance's own writes at once.
func (db *DB) Writes() int64 { return db.writes.Load() }

// isUniqueViolation reports whether err is a unique-constraint failure on
// either engine; callers turn it into a concord.EConflict.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// notFound maps sql.ErrNoRows to the domain's not-found error.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return concord.ErrNotFound
	}
	return err
}

// queryAll runs q and scans each row with scan: the one loop over a
// query's rows, for the reads that list one kind of thing.
func queryAll[T any](ctx context.Context, c conn, scan func(interface{ Scan(...any) error }) (T, error), q string, args ...any) ([]T, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
