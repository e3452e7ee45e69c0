package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"concord"
)

// The purposes of an emailed single-use link.
const (
	TokenVerify = "verify" // confirms the address it was sent to
	TokenReset  = "reset"  // sets a new password
	TokenInvite = "invite" // sets the first password of an invited account
)

// ErrLinkInvalid is the answer to a link that is unknown, expired or
// already used: one answer for all three, so a link reveals nothing more.
var ErrLinkInvalid = concord.Errorf(concord.EInvalid, "token", "error.link_invalid",
	"this link has expired or has already been used; ask for a new one")

// CreateAccountToken stores the hash of a single-use link's token for a
// user, valid until expires. A new link of a purpose voids the older ones
// of the same purpose, so only the latest email works.
func (tx *Tx) CreateAccountToken(tokenHash string, userID int64, purpose, email string, expires time.Time) error {
	if _, err := tx.exec(tx.ctx, "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
		tx.Now, userID, purpose); err != nil {
		return err
	}
	_, err := tx.exec(tx.ctx, "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
		tokenHash, userID, purpose, email, tx.Now, expires.UTC())
	return err
}

// UseAccountToken spends the link stored under tokenHash for one of the
// purposes and returns its user and the address it was sent to. One
// conditional UPDATE spends it, so of two uses at once exactly one wins;
// an unknown, expired or used link is ErrLinkInvalid.
func (tx *Tx) UseAccountToken(tokenHash string, purposes ...string) (userID int64, email, purpose string, err error) {
	if len(purposes) == 0 || len(purposes) > 2 {
		return 0, "", "", errors.New("store: one or two purposes")
	}
	p2 := purposes[len(purposes)-1]
	err = tx.row(tx.ctx, `UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose IN ($3, $4) AND used_at IS NULL AND expires_at > $1
		RETURNING user_id, email, purpose`, tx.Now, tokenHash, purposes[0], p2).Scan(&userID, &email, &purpose)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", ErrLinkInvalid
	}
	return userID, email, purpose, err
}

// AccountTokenValid reports whether a link can still be used, to show its
// form (the use itself is UseAccountToken).
func (db *DB) AccountTokenValid(ctx context.Context, tokenHash string, purposes ...string) (bool, error) {
	var n int
	for _, p := range purposes {
		err := db.r().row(ctx, "SELECT COUNT(*) FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
			tokenHash, p, db.now()).Scan(&n)
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, nil
}

// UserByID returns a user inside a transaction.
func (tx *Tx) UserByID(id int64) (concord.User, error) {
	u, err := scanUser(tx.row(tx.ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	return u, notFound(err)
}

// UserForUpdate returns a user by username inside a transaction.
func (tx *Tx) UserForUpdate(username string) (concord.User, error) {
	return tx.userByUsername(username)
}

// SetEmail records a user's email address, not yet verified (empty clears
// it). An address another account uses is a conflict: an address names
// one person, for password resets.
func (tx *Tx) SetEmail(userID int64, email string) error {
	before, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	after := before
	after.Email, after.EmailVerified = email, false
	if err := after.Validate(); err != nil {
		return err
	}
	if err := tx.emailFree(email, userID); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET email = $1, email_verified = FALSE WHERE id = $2", email, userID); err != nil {
		return err
	}
	return tx.AuditAccount("user.email", "user", itoa64(userID), before, after)
}

// emailFree refuses an address that an account other than userID uses.
// Writes are serialised (one SQLite writer, the advisory lock on
// PostgreSQL), so the check holds until commit.
func (tx *Tx) emailFree(email string, userID int64) error {
	if email == "" {
		return nil
	}
	var n int
	if err := tx.row(tx.ctx, "SELECT COUNT(*) FROM users WHERE LOWER(email) = $1 AND id <> $2", strings.ToLower(email), userID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return concord.Errorf(concord.EConflict, "email", "error.email_taken", "another account uses this email address")
	}
	return nil
}

// VerifyEmail marks the user's address verified, provided it is still the
// address the link was sent to (a later change voids the link).
func (tx *Tx) VerifyEmail(userID int64, email string) error {
	u, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	if !strings.EqualFold(u.Email, email) {
		return ErrLinkInvalid
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET email_verified = TRUE WHERE id = $1", userID); err != nil {
		return err
	}
	return tx.AuditAccount("user.email_verify", "user", itoa64(userID), u, u)
}

// SetNoticeEmail turns notices by email on or off for a user.
func (tx *Tx) SetNoticeEmail(userID int64, on bool) error {
	if _, err := tx.exec(tx.ctx, "UPDATE users SET notice_email = $1 WHERE id = $2", on, userID); err != nil {
		return err
	}
	u, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	return tx.AuditAccount("user.notice_email", "user", itoa64(userID), u, u)
}

// NoticeEmail reports whether a user takes notices by email.
func (db *DB) NoticeEmail(ctx context.Context, userID int64) (bool, error) {
	var on bool
	err := db.r().row(ctx, "SELECT notice_email FROM users WHERE id = $1", userID).Scan(&on)
	return on, notFound(err)
}

// UsersByVerifiedEmail returns the enabled accounts whose verified address
// is email (letter case ignored), for password resets.
func (db *DB) UsersByVerifiedEmail(ctx context.Context, email string) ([]concord.User, error) {
	return db.r().users(ctx, "SELECT "+userColumns+" FROM users WHERE LOWER(email) = $1 AND email_verified AND NOT disabled ORDER BY id",
		strings.ToLower(strings.TrimSpace(email)))
}
