package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"concord"
)

// Passkey is one of a user's WebAuthn credentials. Data is the credential
// as the WebAuthn library keeps it (JSON: public key, sign count, flags).
type Passkey struct {
	ID           int64
	UserID       int64
	CredentialID string // base64url, as the browser names it
	Name         string
	Data         string
	CreatedAt    time.Time
	LastUsed     *time.Time
}

// ErrPasskeyTaken refuses a credential registered already (to this or
// another account).
var ErrPasskeyTaken = concord.Errorf(concord.EConflict, "", "error.passkey_taken", "this passkey is registered already")

const passkeyColumns = "id, user_id, credential_id, name, data, created_at, last_used_at"

func scanPasskey(sc interface{ Scan(...any) error }) (Passkey, error) {
	var p Passkey
	var used sql.NullTime
	err := sc.Scan(&p.ID, &p.UserID, &p.CredentialID, &p.Name, &p.Data, &p.CreatedAt, &used)
	if used.Valid {
		p.LastUsed = &used.Time
	}
	return p, err
}

// AddPasskey stores a new passkey of userID, named by its owner.
func (tx *Tx) AddPasskey(p *Passkey) error {
	err := tx.row(tx.ctx, "INSERT INTO passkeys (user_id, credential_id, name, data, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		p.UserID, p.CredentialID, p.Name, p.Data, tx.Now).Scan(&p.ID)
	if isUniqueViolation(err) {
		return ErrPasskeyTaken
	}
	if err != nil {
		return err
	}
	p.CreatedAt = tx.Now
	return tx.AuditAccount("user.passkey_add", "user", itoa64(p.UserID), nil, map[string]any{"passkey": p.ID, "name": p.Name})
}

// Passkeys lists a user's passkeys, oldest first.
func (r Reader) Passkeys(userID int64) ([]Passkey, error) {
	return queryAll(r.ctx, r.conn, scanPasskey, "SELECT "+passkeyColumns+" FROM passkeys WHERE user_id = $1 ORDER BY id", userID)
}

// Passkeys lists a user's passkeys, oldest first.
func (db *DB) Passkeys(ctx context.Context, userID int64) ([]Passkey, error) {
	return db.Read(ctx).Passkeys(userID)
}

// PasskeyByCredential returns the passkey a browser names (concord.ErrNotFound
// when none).
func (tx *Tx) PasskeyByCredential(credentialID string) (Passkey, error) {
	p, err := scanPasskey(tx.row(tx.ctx, "SELECT "+passkeyColumns+" FROM passkeys WHERE credential_id = $1", credentialID))
	return p, notFound(err)
}

// UsePasskey records a sign-in with a passkey: its new state (the sign
// count moves on) and when.
func (tx *Tx) UsePasskey(id int64, data string) error {
	_, err := tx.exec(tx.ctx, "UPDATE passkeys SET data = $1, last_used_at = $2 WHERE id = $3", data, tx.Now, id)
	return err
}

// DeletePasskey removes a passkey of userID (concord.ErrNotFound when the
// user has no passkey id: another's is not theirs to remove).
func (tx *Tx) DeletePasskey(userID, id int64) error {
	res, err := tx.exec(tx.ctx, "DELETE FROM passkeys WHERE id = $1 AND user_id = $2", id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return concord.ErrNotFound
	}
	return tx.AuditAccount("user.passkey_remove", "user", itoa64(userID), map[string]any{"passkey": id}, nil)
}

// ErrChallengeSpent refuses a passkey answer whose challenge was answered
// before (a replay, or a form sent twice).
var ErrChallengeSpent = concord.Errorf(concord.EUnauthorized, "", "error.passkey_replayed",
	"this passkey request was answered already: start again")

// SpendChallenge records the hash of a ceremony's challenge as answered,
// until expires; ErrChallengeSpent when it was answered before. The
// insert decides, so of two answers at once one wins.
func (tx *Tx) SpendChallenge(hash string, expires time.Time) error {
	_, err := tx.exec(tx.ctx, "INSERT INTO passkey_challenges (challenge_hash, expires_at) VALUES ($1, $2)", hash, expires.UTC())
	if isUniqueViolation(err) {
		return ErrChallengeSpent
	}
	return err
}

// Seal encrypts a value with the store's secret key, bound to context;
// for state that travels through a client and must come back unchanged
// and unread (a passkey ceremony's).
func (db *DB) Seal(plain, context string) (string, error) { return db.seal(plain, context) }

// Unseal opens what Seal made for context; an error when it was altered,
// made for another context or with another key.
func (db *DB) Unseal(sealed, context string) (string, error) {
	if len(sealed) < len(sealPrefix) || sealed[:len(sealPrefix)] != sealPrefix {
		return "", errors.New("store: not a sealed value")
	}
	return db.open(sealed, context)
}
