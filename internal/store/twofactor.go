package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"concord"
)

// TOTP is a user's authenticator secret as stored: Confirmed once a first
// valid code switched two-factor sign-in on; LastStep is the last 30-second
// step whose code was accepted.
type TOTP struct {
	Secret    string
	Confirmed bool
	LastStep  int64
}

// UserTOTP returns the user's TOTP secret, inside a transaction
// (concord.ErrNotFound when there is none).
func (tx *Tx) UserTOTP(userID int64) (TOTP, error) {
	return tx.conn.db.scanTOTP(userID, tx.row(tx.ctx, "SELECT secret, confirmed_at, last_step FROM totp_secrets WHERE user_id = $1", userID))
}

// UserTOTP returns the user's TOTP secret (concord.ErrNotFound when none).
func (db *DB) UserTOTP(ctx context.Context, userID int64) (TOTP, error) {
	return db.scanTOTP(userID, db.r().row(ctx, "SELECT secret, confirmed_at, last_step FROM totp_secrets WHERE user_id = $1", userID))
}

// scanTOTP reads a secret row and opens the sealed secret.
func (db *DB) scanTOTP(userID int64, row *sql.Row) (TOTP, error) {
	var t TOTP
	var at sql.NullTime
	if err := row.Scan(&t.Secret, &at, &t.LastStep); err != nil {
		return TOTP{}, notFound(err)
	}
	t.Confirmed = at.Valid
	var err error
	t.Secret, err = db.open(t.Secret, totpContext(userID))
	return t, err
}

// StartTOTP stores a new, unconfirmed secret for a user, replacing an
// unconfirmed one (enrolment started again). A confirmed secret is not
// replaced: two-factor must be switched off first.
func (tx *Tx) StartTOTP(userID int64, secret string) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NULL", userID); err != nil {
		return err
	}
	sealed, err := tx.conn.db.seal(secret, totpContext(userID))
	if err != nil {
		return err
	}
	_, err = tx.exec(tx.ctx, "INSERT INTO totp_secrets (user_id, secret, created_at) VALUES ($1, $2, $3)", userID, sealed, tx.Now)
	if isUniqueViolation(err) {
		return ErrTwoFactorOn
	}
	if err != nil {
		return err
	}
	return tx.AuditAccount("user.two_factor_start", "user", itoa64(userID), nil, nil)
}

// ErrTwoFactorOn refuses to start enrolment for an account that has
// two-factor sign-in on.
var ErrTwoFactorOn = concord.Errorf(concord.EConflict, "", "error.two_factor_on",
	"two-factor sign-in is already on: switch it off first to set up another authenticator")

// UseTOTPStep records that the code of step was accepted for the user, and
// reports false when a code of that step or a later one was accepted
// before (a replay). One conditional UPDATE decides, so of two sign-ins
// with one code exactly one wins.
func (tx *Tx) UseTOTPStep(userID, step int64) (bool, error) {
	res, err := tx.exec(tx.ctx, "UPDATE totp_secrets SET last_step = $1 WHERE user_id = $2 AND last_step < $1", step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EnableTOTP confirms the user's secret (its first code was of step),
// switches two-factor sign-in on and replaces the recovery codes with
// hashes. The user's other sessions end, since they were opened without
// it: all but keepSession (a SessionID; "" keeps none).
func (tx *Tx) EnableTOTP(userID, step int64, hashes []string, keepSession string) error {
	res, err := tx.exec(tx.ctx, "UPDATE totp_secrets SET confirmed_at = $1, last_step = $2 WHERE user_id = $3 AND confirmed_at IS NULL", tx.Now, step, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return concord.ErrNotFound
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET two_factor = TRUE WHERE id = $1", userID); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM sessions WHERE user_id = $1 AND SUBSTR(token_hash, 1, $2) <> $3", userID, sessionIDLen, keepSession); err != nil {
		return err
	}
	if err := tx.replaceRecoveryCodes(userID, hashes); err != nil {
		return err
	}
	return tx.AuditAccount("user.two_factor_on", "user", itoa64(userID), nil, nil)
}

// DisableTOTP switches two-factor sign-in off for the user: the secret and
// the recovery codes are deleted.
func (tx *Tx) DisableTOTP(userID int64) error {
	for _, q := range []string{"DELETE FROM totp_secrets WHERE user_id = $1", "DELETE FROM recovery_codes WHERE user_id = $1",
		"UPDATE users SET two_factor = FALSE WHERE id = $1"} {
		if _, err := tx.exec(tx.ctx, q, userID); err != nil {
			return err
		}
	}
	return tx.AuditAccount("user.two_factor_off", "user", itoa64(userID), nil, nil)
}

func (tx *Tx) replaceRecoveryCodes(userID int64, hashes []string) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec(tx.ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", userID, h); err != nil {
			return err
		}
	}
	return nil
}

// SetRecoveryCodes replaces the user's recovery codes (their hashes): the
// old ones stop working.
func (tx *Tx) SetRecoveryCodes(userID int64, hashes []string) error {
	if err := tx.replaceRecoveryCodes(userID, hashes); err != nil {
		return err
	}
	return tx.AuditAccount("user.recovery_codes", "user", itoa64(userID), nil, nil)
}

// RecoveryHashes returns the hashes of the user's unused recovery codes,
// for a constant-time comparison with the one given.
func (tx *Tx) RecoveryHashes(userID int64) ([]string, error) {
	return queryAll(tx.ctx, tx.conn, func(sc interface{ Scan(...any) error }) (string, error) {
		var h string
		return h, sc.Scan(&h)
	}, "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL ORDER BY code_hash", userID)
}

// UseRecoveryCode spends the recovery code stored under hash; false when it
// is unknown or spent (of two uses at once, one wins).
func (tx *Tx) UseRecoveryCode(userID int64, hash string) (bool, error) {
	res, err := tx.exec(tx.ctx, "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL", tx.Now, userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	return true, tx.AuditAccount("user.recovery_used", "user", itoa64(userID), nil, nil)
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.r().row(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", userID).Scan(&n)
	return n, err
}

// PendingLogin is a sign-in waiting for its second step.
type PendingLogin struct {
	UserID  int64
	Next    string
	Expires time.Time
}

// CreatePendingLogin stores a sign-in whose password was right, under the
// hash of the token its browser keeps, until expires; expired ones are
// swept on the way.
func (tx *Tx) CreatePendingLogin(tokenHash string, userID int64, next string, expires time.Time) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM login_pending WHERE expires_at <= $1", tx.Now); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "INSERT INTO login_pending (token_hash, user_id, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		tokenHash, userID, next, tx.Now, expires.UTC()); err != nil {
		return err
	}
	return tx.AuditAccount("session.pending", "user", itoa64(userID), nil, nil)
}

// PendingLogin returns the unexpired pending sign-in stored under
// tokenHash (concord.ErrNotFound otherwise).
func (db *DB) PendingLogin(ctx context.Context, tokenHash string) (PendingLogin, error) {
	var p PendingLogin
	err := db.r().row(ctx, "SELECT user_id, next, expires_at FROM login_pending WHERE token_hash = $1 AND expires_at > $2", tokenHash, db.now()).
		Scan(&p.UserID, &p.Next, &p.Expires)
	return p, notFound(err)
}

// TakePendingLogin deletes the pending sign-in stored under tokenHash and
// returns it, inside the transaction that opens its session: of two
// second steps at once, one wins.
func (tx *Tx) TakePendingLogin(tokenHash string) (PendingLogin, error) {
	var p PendingLogin
	err := tx.row(tx.ctx, "DELETE FROM login_pending WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id, next, expires_at", tokenHash, tx.Now).
		Scan(&p.UserID, &p.Next, &p.Expires)
	if errors.Is(err, sql.ErrNoRows) {
		return p, concord.ErrNotFound
	}
	return p, err
}

// LoginClear forgets a throttling counter (a right second factor clears
// the count of wrong ones).
func (db *DB) LoginClear(ctx context.Context, key string) error {
	db.queries.Add(1)
	_, err := db.write.ExecContext(ctx, "DELETE FROM login_attempts WHERE key = $1", key)
	return err
}
