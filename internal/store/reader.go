package store

import (
	"context"
	"database/sql"
)

// Reader is the store's one read API. The pool offers it (DB.Read) and so
// does a write transaction (a *Tx embeds its own): the same method reads the
// same way in both, and inside a write it sees the transaction. A Reader has
// no write method, so the load step of a write (internal/apply) cannot write.
// The DB's context-taking read methods (GetDecision, ListApplications, ...)
// are shorthands for db.Read(ctx).X.
type Reader struct {
	conn
	ctx context.Context
}

// Read returns the pool's Reader for ctx.
func (db *DB) Read(ctx context.Context) Reader { return Reader{db.r(), ctx} }

// Context returns the context the Reader reads under.
func (r Reader) Context() context.Context { return r.ctx }

// InTx reports whether r reads inside a write transaction.
func (r Reader) InTx() bool {
	_, ok := r.q.(*sql.Tx)
	return ok
}
