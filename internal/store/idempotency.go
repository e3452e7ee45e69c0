package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"concord"
)

// IdemClaim asks Update to record an idempotency key in the transaction of
// the request's write: the key then exists exactly when the write does. The
// HTTP layer puts one in the request's context (WithIdemClaim); the first
// Update on behalf of Actor inserts it, and a key that is already there (a
// duplicate that ran first, or in parallel) makes Update write nothing and
// fail with ErrDuplicateRequest.
type IdemClaim struct {
	UserID int64
	Actor  string // the Update actor the key guards ("user:12"); system writes on the way pass by
	Key    string
	Hash   string // the request's digest: a repeat must match it
	TTL    time.Duration
	// Provisional is the answer recorded with the key, in the write's own
	// transaction: what a repeat gets if this request never records its
	// response (it died, or lost its database, between its commit and
	// IdemComplete). It says where the written state is to be seen (a 303),
	// so the repeat answers as the first would have, pointing at the same
	// result, instead of "in progress" until the key expires.
	Provisional IdemResponse

	mu          sync.Mutex
	taken, lost bool
}

// Taken reports whether a committed write of this request recorded the key.
func (c *IdemClaim) Taken() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.taken }

// Lost reports whether the key was already recorded by another request, so
// this one wrote nothing.
func (c *IdemClaim) Lost() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.lost }

type idemKey struct{}

// WithIdemClaim returns ctx carrying c for the Updates of one request.
func WithIdemClaim(ctx context.Context, c *IdemClaim) context.Context {
	return context.WithValue(ctx, idemKey{}, c)
}

// ErrDuplicateRequest is the error of a write whose idempotency key another
// request already recorded: nothing was written.
var ErrDuplicateRequest = &concord.Error{Code: concord.EConflict, Key: "error.idempotency_duplicate", Message: "this request was already received; nothing was written again"}

// claimIdem records the context's key in tx, if the context carries one for
// tx's actor that this request has not recorded yet. Expired keys are
// replaced (and purged) here, so they need no sweeper.
func (tx *Tx) claimIdem() (*IdemClaim, error) {
	c, _ := tx.ctx.Value(idemKey{}).(*IdemClaim)
	if c == nil || c.Actor != tx.Actor || c.Taken() {
		return nil, nil
	}
	if c.Lost() {
		return nil, ErrDuplicateRequest
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM idempotency_keys WHERE expires_at <= $1", tx.Now); err != nil {
		return nil, err
	}
	pr := c.Provisional
	if pr.Body == nil {
		pr.Body = []byte{}
	}
	res, err := tx.exec(tx.ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, status, content_type, location, body, answered, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $9) ON CONFLICT (user_id, key) DO NOTHING`,
		c.UserID, c.Key, c.Hash, pr.Status, pr.ContentType, pr.Location, pr.Body, tx.Now, tx.Now.Add(c.TTL))
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		c.mu.Lock()
		c.lost = true
		c.mu.Unlock()
		return nil, ErrDuplicateRequest
	}
	return c, nil
}

// IdemResponse is the response recorded under an idempotency key. Until
// Answered, it is the provisional answer recorded with the write (status 0:
// none) and the request may still be answering.
type IdemResponse struct {
	Hash        string
	Status      int
	ContentType string
	Location    string
	Body        []byte
	Answered    bool      // the request recorded its own response
	Since       time.Time // when the write recorded the key
}

// IdemLookup returns the unexpired record of a user's key, if any.
func (db *DB) IdemLookup(ctx context.Context, userID int64, key string) (IdemResponse, bool, error) {
	var r IdemResponse
	err := db.r().row(ctx, `SELECT request_hash, status, content_type, location, body, answered, created_at FROM idempotency_keys
		WHERE user_id = $1 AND key = $2 AND expires_at > $3`, userID, key, db.now()).
		Scan(&r.Hash, &r.Status, &r.ContentType, &r.Location, &r.Body, &r.Answered, &r.Since)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// IdemNow is the store's clock, which a repeat compares with
// IdemResponse.Since.
func (db *DB) IdemNow() time.Time { return db.now() }

// IdemComplete stores the response of the request that recorded the key.
// It is not audited (the write it answers for was), so it bypasses Update.
func (db *DB) IdemComplete(ctx context.Context, userID int64, key string, resp IdemResponse) error {
	if resp.Body == nil {
		resp.Body = []byte{}
	}
	db.queries.Add(1)
	_, err := db.write.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, content_type = $2, location = $3, body = $4, answered = TRUE
		WHERE user_id = $5 AND key = $6`, resp.Status, resp.ContentType, resp.Location, resp.Body, userID, key)
	return err
}

// DryRun asks every Update of a request to run its closure and then roll
// back: a confirmation step learns whether the write would succeed, with the
// very checks of the write, before anyone confirms it.
type DryRun struct {
	mu      sync.Mutex
	reached bool
}

// Reached reports whether an Update got to the point of committing.
func (d *DryRun) Reached() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.reached }

type dryKey struct{}

// WithDryRun returns ctx whose Updates roll back with ErrDryRun.
func WithDryRun(ctx context.Context, d *DryRun) context.Context {
	return context.WithValue(ctx, dryKey{}, d)
}

// ErrDryRun is what Update returns instead of committing under WithDryRun.
var ErrDryRun = errors.New("store: dry run, rolled back")
