package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"concord"
)

const userColumns = "id, username, name, email, role, state, org_id, disabled"

func scanUser(sc interface{ Scan(...any) error }) (concord.User, error) {
	var u concord.User
	var st sql.NullString
	var org sql.NullInt64
	err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled)
	u.State, u.OrgID = st.String, org.Int64
	return u, err
}

// CreateUser inserts u with an already-hashed password.
func (tx *Tx) CreateUser(u *concord.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	err := tx.row(tx.ctx, `INSERT INTO users (username, name, email, password_hash, role, state, org_id, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		u.Username, u.Name, u.Email, passwordHash, u.Role, nullString(u.State), nullID(u.OrgID), u.Disabled, tx.Now).Scan(&u.ID)
	if isUniqueViolation(err) {
		return concord.Errorf(concord.EConflict, "username", "error.username_taken", "username %q is taken", u.Username)
	}
	if err != nil {
		return countryErr(err)
	}
	// Confidential: the public log shows that an account was created, not whose.
	return tx.AuditAccount("user.create", "user", itoa64(u.ID), nil, u)
}

// UserByUsername returns a user and its password hash, for login.
func (db *DB) UserByUsername(ctx context.Context, username string) (concord.User, string, error) {
	var hash string
	var u concord.User
	var st sql.NullString
	var org sql.NullInt64
	err := db.r().row(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE username = $1", username).
		Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &hash)
	u.State, u.OrgID = st.String, org.Int64
	return u, hash, notFound(err)
}

// ListUsers returns every account, for the Secretariat.
func (db *DB) ListUsers(ctx context.Context) ([]concord.User, error) {
	rows, err := db.r().query(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (tx *Tx) userByUsername(username string) (concord.User, error) {
	u, err := scanUser(tx.row(tx.ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username))
	return u, notFound(err)
}

// SetPassword replaces a user's password hash and ends its sessions.
func (tx *Tx) SetPassword(username, passwordHash string) error {
	u, err := tx.userByUsername(username)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, u.ID); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID); err != nil {
		return err
	}
	return tx.AuditAccount("user.password", "user", itoa64(u.ID), nil, nil)
}

// SetRole changes a user's role and binding, and ends its sessions so the new
// permissions apply at once.
func (tx *Tx) SetRole(username string, role concord.Role, state string, orgID int64) error {
	before, err := tx.userByUsername(username)
	if err != nil {
		return err
	}
	after := before
	after.Role, after.State, after.OrgID = role, state, orgID
	if err := after.Validate(); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET role = $1, state = $2, org_id = $3 WHERE id = $4",
		role, nullString(state), nullID(orgID), before.ID); err != nil {
		return countryErr(err)
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM sessions WHERE user_id = $1", before.ID); err != nil {
		return err
	}
	return tx.AuditAccount("user.role", "user", itoa64(before.ID), before, after)
}

// CreateSession stores a session under the hash of its token.
func (tx *Tx) CreateSession(tokenHash string, userID int64, expires time.Time) error {
	if _, err := tx.exec(tx.ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
		tokenHash, userID, tx.Now, expires.UTC()); err != nil {
		return err
	}
	return tx.AuditAccount("session.create", "user", itoa64(userID), nil, nil)
}

// DeleteSession ends a session (logout).
func (tx *Tx) DeleteSession(tokenHash string) error {
	var uid int64
	err := tx.row(tx.ctx, "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id", tokenHash).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return concord.ErrNotFound
	}
	if err != nil {
		return err
	}
	return tx.AuditAccount("session.delete", "user", itoa64(uid), nil, nil)
}

// SessionUser returns the user of an unexpired session, with one indexed
// lookup by token hash.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (concord.User, error) {
	u, err := scanUser(db.r().row(ctx, "SELECT u.id, u.username, u.name, u.email, u.role, u.state, u.org_id, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
		tokenHash, db.now()))
	if err != nil {
		return u, notFound(err)
	}
	if u.Disabled {
		return u, concord.ErrNotFound
	}
	return u, nil
}

// LoginAllowed reports whether key (a username or client address) may try
// to sign in now, given at most max failures per window. State lives in the
// database so that throttling holds across instances.
func (db *DB) LoginAllowed(ctx context.Context, key string, max int, window time.Duration) (bool, error) {
	var failures int
	var start time.Time
	err := db.r().row(ctx, "SELECT failures, window_start FROM login_attempts WHERE key = $1", key).Scan(&failures, &start)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return failures < max || db.now().Sub(start) > window, nil
}

// RecordLoginFailure counts a failed attempt for key. It is not audited (it
// changes no record anyone owns), so it bypasses Update.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, window time.Duration) error {
	now := db.now()
	db.queries.Add(1)
	_, err := db.write.ExecContext(ctx, `INSERT INTO login_attempts (key, failures, window_start) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN login_attempts.window_start < $3 THEN 1 ELSE login_attempts.failures + 1 END,
			window_start = CASE WHEN login_attempts.window_start < $3 THEN $2 ELSE login_attempts.window_start END`,
		key, now, now.Add(-window))
	return err
}

// ClearLoginFailures forgets failures after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	db.queries.Add(1)
	_, err := db.write.ExecContext(ctx, "DELETE FROM login_attempts WHERE key = $1", key)
	return err
}

// EmailsFor returns the email addresses of the delegates of a State, or the
// focal points of an organisation, for notices.
func (db *DB) EmailsFor(ctx context.Context, state string, orgID int64) ([]string, error) {
	rows, err := db.r().query(ctx, "SELECT email FROM users WHERE email <> '' AND NOT disabled AND ((state = $1 AND role = 'delegate') OR (org_id = $2 AND role = 'focal-point'))",
		state, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
