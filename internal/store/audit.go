package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"concord"
	"concord/internal/audit"
	"concord/internal/cachectl"
)

// Audit appends one entry to the hash-chained procedural log, inside tx,
// with digests of the object before and after the write. public=false marks
// the entry confidential: the public procedural log redacts its actor,
// object and exact time, and its hash covers a secret salt.
func (tx *Tx) Audit(action, objectType, objectID string, before, after any, public bool) error {
	e, err := tx.entry("audit_log", action, objectType, objectID, before, after)
	if err != nil {
		return err
	}
	e.Public = public
	if !public {
		e.Salt = audit.NewSalt()
	}
	e.Seal(e.PrevHash)
	if _, err := tx.exec(tx.ctx, `INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, before_digest, after_digest, public, prev_hash, hash, salt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.Seq, e.At, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.Public, e.PrevHash, e.Hash, e.Salt); err != nil {
		return err
	}
	// Persist the Merkle tree hashes this record adds (tlog record index is
	// seq-1), so checkpoints and proofs never re-read the whole log.
	hashes, err := audit.StoredHashesFor(e.Seq-1, e.Hash, tx.hashReader())
	if err != nil {
		return err
	}
	base := tlog.StoredHashIndex(0, e.Seq-1)
	for i, h := range hashes {
		if _, err := tx.exec(tx.ctx, "INSERT INTO audit_tree (idx, hash) VALUES ($1, $2)", base+int64(i), h[:]); err != nil {
			return err
		}
	}
	tx.audited = true
	return nil
}

// AuditAccount appends one entry to the account log: sign-ins, sign-outs
// and account changes. It is a hash chain of its own, checked by
// VerifyAudit, never published and outside the Merkle tree, so that the
// public log neither shows these writes nor leaves a gap where they were.
func (tx *Tx) AuditAccount(action, objectType, objectID string, before, after any) error {
	e, err := tx.entry("account_log", action, objectType, objectID, before, after)
	if err != nil {
		return err
	}
	e.Seal(e.PrevHash)
	if _, err := tx.exec(tx.ctx, `INSERT INTO account_log (seq, at, actor, action, object_type, object_id, before_digest, after_digest, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.Seq, e.At, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return err
	}
	tx.audited = true
	return nil
}

// entry starts the next entry of the chain in table: its place, time, actor,
// object digests, and the previous hash in PrevHash (for Seal).
func (tx *Tx) entry(table, action, objectType, objectID string, before, after any) (audit.Entry, error) {
	b, err := audit.Digest(before)
	if err != nil {
		return audit.Entry{}, err
	}
	a, err := audit.Digest(after)
	if err != nil {
		return audit.Entry{}, err
	}
	var seq int64
	prev := audit.GenesisHash()
	err = tx.row(tx.ctx, "SELECT seq, hash FROM "+table+" ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return audit.Entry{}, err
	}
	return audit.Entry{
		Seq: seq + 1, At: tx.Now, Actor: tx.Actor, Action: action,
		ObjectType: objectType, ObjectID: objectID, Before: b, After: a, PrevHash: prev,
	}, nil
}

// hashReader reads stored tree hashes with one query per call.
func (c conn) hashReader() tlog.HashReader {
	return audit.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return c.readHashes(context.Background(), indexes)
	})
}

func (c conn) readHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	args := make([]any, len(indexes))
	ph := make([]byte, 0, len(indexes)*4)
	for i, x := range indexes {
		args[i] = x
		if i > 0 {
			ph = append(ph, ',')
		}
		ph = append(ph, '$')
		ph = strconv.AppendInt(ph, int64(i+1), 10)
	}
	rows, err := c.query(ctx, "SELECT idx, hash FROM audit_tree WHERE idx IN ("+string(ph)+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, err
		}
		var hh tlog.Hash
		copy(hh[:], h)
		got[idx] = hh
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("audit tree: missing hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}

// AuditEntry is an audit log row as pages and the API show it.
type AuditEntry = audit.Entry

// AuditHead returns the sequence number of the latest entry (0 when empty).
// Every write adds an entry, so it doubles as the data version that
// rendered-page caches key on.
func (db *DB) AuditHead(ctx context.Context) (int64, error) { return db.r().auditHead(ctx) }

func (c conn) auditHead(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := c.row(ctx, "SELECT MAX(seq) FROM audit_log").Scan(&n)
	return n.Int64, err
}

// DataVersion moves with every write, to the procedural log or to the
// account log, in one query: rendered-page caches key on it (a page may
// name an account's role, which only the account log records).
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var n int64
	err := db.r().row(ctx, "SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_log) + (SELECT COALESCE(MAX(seq), 0) FROM account_log)").Scan(&n)
	return n, err
}

// ListAudit returns entries newest first.
func (db *DB) ListAudit(ctx context.Context, limit, offset int) ([]audit.Entry, int64, error) {
	total, err := db.AuditHead(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.r().query(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AuditFilter selects entries of the procedural log; zero fields match
// everything.
type AuditFilter struct {
	Kind       string    // the action's first segment ("decision"); letters only
	ObjectType string    // the subject's type
	ObjectID   string    // and id (with ObjectType)
	From, To   time.Time // From <= at < To; zero: unbounded
	PublicOnly bool      // public entries only
	Limit      int
	Offset     int
}

// AuditPage returns one page of the entries that match, newest first, and
// how many match in all.
func (db *DB) AuditPage(ctx context.Context, f AuditFilter) ([]audit.Entry, int, error) {
	w := f.where()
	total, rows, err := w.page(ctx, db.r(), "audit_log", auditColumns, "seq DESC", f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ParseAuditFilter reads the log's filters from a query, the same for the
// page and the API: kind (see audit.Kinds), subject ("decision" or
// "decision/12"), from and to (days, UTC, both included).
func ParseAuditFilter(q url.Values) (AuditFilter, error) {
	var f AuditFilter
	if k := q.Get("kind"); k != "" {
		if !audit.IsKind(k) {
			return f, concord.Errorf(concord.EInvalid, "kind", "error.log_kind", "unknown kind of action %q", k)
		}
		f.Kind = k
	}
	if s := q.Get("subject"); s != "" {
		t, id, _ := strings.Cut(s, "/")
		if !subjectType.MatchString(t) || strings.ContainsAny(id, "/ ") || len(s) > 200 {
			return f, concord.Errorf(concord.EInvalid, "subject", "error.log_subject", "subject %q is not type/id", s)
		}
		f.ObjectType, f.ObjectID = t, id
	}
	for _, d := range []struct {
		name string
		t    *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		v := q.Get(d.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return f, concord.Errorf(concord.EInvalid, d.name, "error.date", "%s: not a date", d.name)
		}
		*d.t = t.AddDate(0, 0, d.add) // "to" includes its day
	}
	return f, nil
}

var subjectType = regexp.MustCompile(`^[a-z][a-z_-]{0,40}$`)

func (f AuditFilter) where() where {
	var w where
	w.addIf(f.Kind != "", "action LIKE ?", f.Kind+".%")
	w.addIf(f.ObjectType != "", "object_type = ?", f.ObjectType)
	w.addIf(f.ObjectType != "" && f.ObjectID != "", "object_id = ?", f.ObjectID)
	w.addIf(!f.From.IsZero(), "at >= ?", f.From.UTC())
	w.addIf(!f.To.IsZero(), "at < ?", f.To.UTC())
	w.addIf(f.PublicOnly, "public = ?", true)
	return w
}

// ConfidentialDays counts the confidential entries of each day (UTC, the
// day's midnight as key) in from <= at < to (zero: unbounded): all the
// public log says of them when it does not list them one by one.
func (db *DB) ConfidentialDays(ctx context.Context, from, to time.Time) (map[time.Time]int, error) {
	w := AuditFilter{From: from, To: to}.where()
	w.add("public = ?", false)
	rows, err := db.r().query(ctx, "SELECT at FROM audit_log WHERE "+strings.Join(w.conds, " AND "), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[time.Time]int{}
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out[audit.Day(at)]++
	}
	return out, rows.Err()
}

// EndedDays lists the days of counts (ConfidentialDays) that ended before
// now, newest first: a day's count is published once no entry can join it,
// so that watching it grow does not date an entry within the day.
func EndedDays(counts map[time.Time]int, now time.Time) []time.Time {
	today := audit.Day(now)
	var out []time.Time
	for d := range counts {
		if d.Before(today) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return b.Compare(a) })
	return out
}

const auditColumns = "seq, at, actor, action, object_type, object_id, before_digest, after_digest, public, prev_hash, hash, salt"

// accountColumns reads the account log in the shape of auditColumns: its
// entries are all confidential and unsalted (never published).
const accountColumns = "seq, at, actor, action, object_type, object_id, before_digest, after_digest, FALSE, prev_hash, hash, NULL"

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.Public, &e.PrevHash, &e.Hash, &e.Salt)
	e.At = e.At.UTC()
	return e, err
}

// AuditEntries streams the whole procedural log in order, for verification.
func (db *DB) AuditEntries(ctx context.Context) iter.Seq2[audit.Entry, error] {
	return db.entries(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY seq")
}

// AccountEntries streams the whole account log in order.
func (db *DB) AccountEntries(ctx context.Context) iter.Seq2[audit.Entry, error] {
	return db.entries(ctx, "SELECT "+accountColumns+" FROM account_log ORDER BY seq")
}

func (db *DB) entries(ctx context.Context, q string) iter.Seq2[audit.Entry, error] {
	return func(yield func(audit.Entry, error) bool) {
		rows, err := db.r().query(ctx, q)
		if err != nil {
			yield(audit.Entry{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if !yield(e, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(audit.Entry{}, err)
		}
	}
}

// VerifyAudit re-walks both chains, the procedural log then the account
// log, and returns the first broken entry, if any.
func (db *DB) VerifyAudit(ctx context.Context) error {
	if err := audit.Verify(db.AuditEntries(ctx)); err != nil {
		return err
	}
	if err := audit.Verify(db.AccountEntries(ctx)); err != nil {
		return fmt.Errorf("account log: %w", err)
	}
	return nil
}

// Checkpoint returns a signed note for the log at its current size, signing
// and storing a new one when the log has grown since the last. It is for
// readers of the full log: its size grows with every entry, confidential
// ones included, so whoever polls it can date them (see DayCheckpoint).
func (db *DB) Checkpoint(ctx context.Context) (string, error) {
	size, err := db.AuditHead(ctx)
	if err != nil {
		return "", err
	}
	return db.checkpointAt(ctx, size)
}

// DayCheckpoint returns the signed note for the log as it stood at the end
// of the last completed day (UTC): every entry written before today's
// midnight. It is what the public gets: a confidential entry shows in it
// only once its day has ended, as in the log's counts per day, so that
// polling it does not date the entry within its day. It changes at the
// next midnight without any write, which it records for the caches.
func (db *DB) DayCheckpoint(ctx context.Context) (string, error) {
	midnight := audit.Day(db.Now())
	cachectl.Until(ctx, midnight.AddDate(0, 0, 1))
	// The last entry written before midnight. Times follow the sequence
	// (but for a clock set back, as the demo's history is), so it is at or
	// after the entry before the first one dated today: both reads walk
	// today's entries only (the index on (at, seq), then the key), not the
	// log.
	var size sql.NullInt64
	err := db.r().row(ctx, `SELECT MAX(seq) FROM audit_log WHERE at < $1 AND seq >= COALESCE(
		(SELECT MIN(seq) FROM audit_log WHERE at >= $1), (SELECT MAX(seq) FROM audit_log) + 1) - 1`, midnight).Scan(&size)
	if err != nil {
		return "", err
	}
	return db.checkpointAt(ctx, size.Int64)
}

// checkpointAt returns the signed note for the first size entries, signing
// and storing it the first time it is asked for.
func (db *DB) checkpointAt(ctx context.Context, size int64) (string, error) {
	var signed string
	err := db.r().row(ctx, "SELECT note FROM audit_checkpoints WHERE size = $1", size).Scan(&signed)
	if err == nil {
		return signed, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	skey, err := db.secret(ctx, "audit.signer")
	if err != nil {
		return "", err
	}
	signed, err = audit.SignCheckpoint(skey, size, db.r().hashReader())
	if err != nil {
		return "", err
	}
	// Another instance may sign the same size at the same moment; both notes
	// are valid, the first stored wins.
	if _, err := db.write.ExecContext(ctx, "INSERT INTO audit_checkpoints (size, note, created_at) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING", size, signed, db.now()); err != nil {
		return "", err
	}
	db.queries.Add(1)
	err = db.r().row(ctx, "SELECT note FROM audit_checkpoints WHERE size = $1", size).Scan(&signed)
	return signed, err
}

// VerifierKey returns the public key that checks checkpoint signatures.
func (db *DB) VerifierKey(ctx context.Context) (string, error) {
	return db.secret(ctx, "audit.verifier")
}

func (db *DB) secret(ctx context.Context, name string) (string, error) {
	var v string
	err := db.r().row(ctx, "SELECT value FROM secrets WHERE name = $1", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("secret %q missing: run concord migrate", name)
	}
	return v, err
}
