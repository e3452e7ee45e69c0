// Package apply is the one shape of a write in Concord's application
// services (internal/accredit, internal/decide, internal/agendasvc,
// internal/cofac, internal/meetings): load inside the transaction, check
// the permission on the real target, apply the pure transition, save and audit, record the
// notices and their emails (the outbox sends them after the commit). Each service keeps its own
// package; every write in them is a Write.
package apply

import (
	"context"
	"time"

	"concord"
	"concord/internal/store"
)

// Write is one write, in the order every write takes. T is what the write
// works on: the aggregate and whatever its guard needs (its rule, the
// participants, the other subjects of its scope).
type Write[T any] struct {
	// Actor is who writes (nil: the system, audited as "system").
	Actor *concord.User
	// Load reads T inside the transaction, through the transaction's
	// Reader only (it has no write method), at the transaction's instant.
	Load func(r store.Reader, now time.Time) (T, error)
	// Allow checks the permission on the loaded target (concord.Can with
	// the target's State, or a visibility rule); nil when the route's check
	// of the action is all there is.
	Allow func(v T) error
	// Change is the pure transition at now: the domain's guards and the new
	// state, no I/O. nil when the write only records what Load built.
	Change func(v *T, now time.Time) error
	// Save writes the result with its audit entries (store.Tx refuses to
	// commit a write that audited nothing).
	Save func(tx *store.Tx, v *T) error
	// Notices are recorded in the same transaction (each once, by its
	// dedupe key) and passed to Mail.
	Notices func(v T) []store.Notice
	// Mail puts the emails of the notices just recorded into the outbox,
	// in the same transaction: they exist exactly when the write commits,
	// and the outbox sends them after the commit, once each.
	Mail func(tx *store.Tx, added []store.Notice) error
}

// Run runs w in one audited transaction of db and returns T as saved.
func (w Write[T]) Run(ctx context.Context, db *store.DB) (T, error) {
	var v T
	err := db.Update(ctx, concord.Actor(w.Actor), func(tx *store.Tx) error {
		var err error
		if v, err = w.Load(tx.Reader, tx.Now); err != nil {
			return err
		}
		if w.Allow != nil {
			if err := w.Allow(v); err != nil {
				return err
			}
		}
		if w.Change != nil {
			if err := w.Change(&v, tx.Now); err != nil {
				return err
			}
		}
		if err := w.Save(tx, &v); err != nil {
			return err
		}
		if w.Notices == nil {
			return nil
		}
		added, err := AddNotices(tx, w.Notices(v))
		if err != nil || w.Mail == nil || len(added) == 0 {
			return err
		}
		return w.Mail(tx, added)
	})
	return v, err
}

// AddNotices records notices in the transaction and returns those that
// were new (a notice already recorded under its dedupe key is not sent
// twice).
func AddNotices(tx *store.Tx, notices []store.Notice) ([]store.Notice, error) {
	var added []store.Notice
	for i := range notices {
		ok, err := tx.AddNotice(&notices[i])
		if err != nil {
			return nil, err
		}
		if ok {
			added = append(added, notices[i])
		}
	}
	return added, nil
}

// Given is the Load step of a write that reads nothing: it works on v as
// the request gave it (a new policy version, an upload).
func Given[T any](v T) func(store.Reader, time.Time) (T, error) {
	return func(store.Reader, time.Time) (T, error) { return v, nil }
}
