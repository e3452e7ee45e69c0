package store

import (
	"context"
	"time"
)

// Swept counts the rows one Sweep deleted, per kind.
type Swept struct {
	Sessions      int64 // expired sessions and API tokens
	PendingLogins int64 // sign-ins that never gave their second step
	Challenges    int64 // spent passkey challenges past their expiry
	Links         int64 // single-use links used, voided or expired
	Mail          int64 // outbox rows sent or given up on before the retention period
	Throttles     int64 // sign-in throttling counters whose window has passed
	Sealed        int   // TOTP secrets found readable and sealed
}

// Sweep deletes what is kept no longer than it serves (doc/personal-data.md):
// expired sessions and pending sign-ins, single-use links once used or
// expired (one answer covers unknown, used and expired links, so a deleted
// link is refused the same way), sign-in throttling counters whose window
// passed, and mail sent or abandoned more than mailRetention ago (its
// body is already gone; the row names the recipients). Each is a plain
// DELETE of rows nobody can use any more: nothing in the procedural record
// points at them, so nothing is audited. It also seals TOTP secrets an
// older instance may have written readable.
//
// throttleReset is the quiet time after which a counter starts again
// (auth.Reset): a counter whose wait ended that long ago counts nothing.
func (db *DB) Sweep(ctx context.Context, mailRetention, throttleReset time.Duration) (Swept, error) {
	now := db.now()
	var s Swept
	steps := []struct {
		n    *int64
		q    string
		args []any
	}{
		{&s.Sessions, "DELETE FROM sessions WHERE expires_at <= $1", []any{now}},
		{&s.PendingLogins, "DELETE FROM login_pending WHERE expires_at <= $1", []any{now}},
		{&s.Challenges, "DELETE FROM passkey_challenges WHERE expires_at <= $1", []any{now}},
		{&s.Links, "DELETE FROM account_tokens WHERE used_at IS NOT NULL OR expires_at <= $1", []any{now}},
		{&s.Throttles, "DELETE FROM login_attempts WHERE next_at <= $1", []any{now.Add(-throttleReset)}},
		{&s.Mail, "DELETE FROM outbox WHERE (status = 'sent' AND sent_at < $1) OR (status = 'failed' AND created_at < $1)", []any{now.Add(-mailRetention)}},
	}
	for _, st := range steps {
		db.queries.Add(1)
		res, err := db.write.ExecContext(ctx, st.q, st.args...)
		if err != nil {
			return s, err
		}
		if *st.n, err = res.RowsAffected(); err != nil {
			return s, err
		}
	}
	if db.aead != nil {
		var err error
		if s.Sealed, err = db.SealSecrets(ctx); err != nil {
			return s, err
		}
	}
	return s, nil
}
