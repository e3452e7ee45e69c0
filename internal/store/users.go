package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"concord"
)

const userColumns = "id, username, name, email, role, state, org_id, disabled, email_verified, lang, read_only, two_factor"

func scanUser(sc interface{ Scan(...any) error }) (concord.User, error) {
	var u concord.User
	var st sql.NullString
	var org sql.NullInt64
	err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly, &u.TwoFactor)
	u.State, u.OrgID = st.String, org.Int64
	return u, err
}

// NoPassword is the password hash of an invited account until the person
// chooses a password: no password verifies against it.
const NoPassword = "!invited"

// CreateUser inserts u with an already-hashed password (or NoPassword).
func (tx *Tx) CreateUser(u *concord.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := tx.emailFree(u.Email, 0); err != nil {
		return err
	}
	if u.Lang == "" {
		u.Lang = "en"
	}
	if !concord.IsLanguage(u.Lang) {
		return concord.Errorf(concord.EInvalid, "lang", "error.language", "unknown language %q", u.Lang)
	}
	if u.Role != concord.RoleDelegate {
		u.ReadOnly = false // only a delegate speaks for someone
	}
	err := tx.row(tx.ctx, `INSERT INTO users (username, name, email, password_hash, role, state, org_id, disabled, created_at, lang, read_only)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.Username, u.Name, u.Email, passwordHash, u.Role, nullString(u.State), nullID(u.OrgID), u.Disabled, tx.Now, u.Lang, u.ReadOnly).Scan(&u.ID)
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
		Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly, &u.TwoFactor, &hash)
	u.State, u.OrgID = st.String, org.Int64
	return u, hash, notFound(err)
}

// ListUsers returns every account, for the Secretariat.
func (db *DB) ListUsers(ctx context.Context) ([]concord.User, error) {
	return db.r().users(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
}

// users runs q, which selects userColumns, and scans every account.
func (c conn) users(ctx context.Context, q string, args ...any) ([]concord.User, error) {
	return queryAll(ctx, c, scanUser, q, args...)
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

// CreateSession stores a browser session under the hash of its token.
func (tx *Tx) CreateSession(tokenHash string, userID int64, expires time.Time) error {
	return tx.OpenSession(tokenHash, userID, expires, "browser")
}

// OpenSession stores a session of kind ("browser" or "api") under the hash
// of its token.
func (tx *Tx) OpenSession(tokenHash string, userID int64, expires time.Time, kind string) error {
	if _, err := tx.exec(tx.ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, kind) VALUES ($1, $2, $3, $4, $5)",
		tokenHash, userID, tx.Now, expires.UTC(), kind); err != nil {
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

// SessionInfo is one open session of a user, as its owner sees it. ID is
// a prefix of the token's hash: enough to name it, useless as a token.
type SessionInfo struct {
	ID      string
	Kind    string
	Created time.Time
	Expires time.Time
}

// sessionIDLen is how many hex digits of the token hash name a session.
const sessionIDLen = 16

// SessionID is the public name of the session stored under tokenHash.
func SessionID(tokenHash string) string { return tokenHash[:min(len(tokenHash), sessionIDLen)] }

// UserSessions lists a user's unexpired sessions, newest first.
func (db *DB) UserSessions(ctx context.Context, userID int64) ([]SessionInfo, error) {
	rows, err := db.r().query(ctx, "SELECT token_hash, kind, created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
		userID, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SessionInfo{}
	for rows.Next() {
		var s SessionInfo
		if err := rows.Scan(&s.ID, &s.Kind, &s.Created, &s.Expires); err != nil {
			return nil, err
		}
		s.ID = SessionID(s.ID)
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSession ends the session of userID named id (SessionID); another
// user's session is not found.
func (tx *Tx) RevokeSession(userID int64, id string) error {
	if len(id) != sessionIDLen || strings.Trim(id, "0123456789abcdef") != "" {
		return concord.ErrNotFound
	}
	var th string
	err := tx.row(tx.ctx, "SELECT token_hash FROM sessions WHERE user_id = $1 AND token_hash >= $2 AND token_hash < $3",
		userID, id, id+"g").Scan(&th)
	if err != nil {
		return notFound(err)
	}
	return tx.DeleteSession(th)
}

// SessionUser returns the user of an unexpired session, with one indexed
// lookup by token hash.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (concord.User, error) {
	u, _, err := db.SessionUserUntil(ctx, tokenHash)
	return u, err
}

// SessionUserUntil is SessionUser with the session's expiry, so that a
// caller keeping the answer for a while never keeps it past that instant.
// The user comes with every appointment it holds (past and future; a
// person has a handful), in the same statement: Can judges them at each
// request's instant.
func (db *DB) SessionUserUntil(ctx context.Context, tokenHash string) (concord.User, time.Time, error) {
	var u concord.User
	var until time.Time
	rows, err := db.r().query(ctx, `SELECT u.id, u.username, u.name, u.email, u.role, u.state, u.org_id, u.disabled, u.email_verified, u.lang, u.read_only, u.two_factor, s.expires_at,
		a.id, a.post, a.scope, a.starts_at, a.ends_at
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN appointments a ON a.user_id = u.id
		WHERE s.token_hash = $1 AND s.expires_at > $2 ORDER BY a.id`, tokenHash, db.now())
	if err != nil {
		return u, until, err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var st, post, scope sql.NullString
		var org, aid sql.NullInt64
		var from, to sql.NullTime
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly, &u.TwoFactor, &until,
			&aid, &post, &scope, &from, &to); err != nil {
			return u, until, err
		}
		found = true
		u.State, u.OrgID = st.String, org.Int64
		if aid.Valid {
			u.Appointments = append(u.Appointments, concord.Appointment{ID: aid.Int64, UserID: u.ID, Post: concord.Post(post.String),
				Scope: scope.String, From: from.Time.UTC(), Until: nullUTC(to)})
		}
	}
	if err := rows.Err(); err != nil {
		return u, until, err
	}
	if !found || u.Disabled {
		return u, until, concord.ErrNotFound
	}
	return u, until, nil
}

func nullUTC(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// LoginAttempt counts one sign-in attempt against key and decides, in the
// same statement, whether it may go on: it may when the key's wait has
// ended. The new count n sets the next wait: none while n < free, then
// waits[n-free] (the last one for every later n). A key forgets its count
// once reset has passed since its wait ended. One conditional upsert both
// counts and decides, so parallel attempts (on several instances too)
// cannot all pass a check made before any of them was counted. On refusal
// it returns the count so far and when the wait ends.
func (db *DB) LoginAttempt(ctx context.Context, key string, reset time.Duration, free int, waits []time.Duration) (ok bool, n int, retryAt time.Time, err error) {
	now := db.now()
	ts := func(i int) string {
		if db.Dialect == Postgres {
			return "$" + strconv.Itoa(i) + "::timestamptz" // a CASE of parameters alone has no type
		}
		return "$" + strconv.Itoa(i)
	}
	args := []any{key, now, now.Add(-reset)}
	count := "(CASE WHEN login_attempts.next_at <= $3 THEN 1 ELSE login_attempts.failures + 1 END)"
	var next strings.Builder
	next.WriteString("CASE WHEN " + count + " < " + strconv.Itoa(free) + " THEN " + ts(2))
	for i, w := range waits {
		args = append(args, now.Add(w))
		if i == len(waits)-1 {
			next.WriteString(" ELSE " + ts(len(args)) + " END")
		} else {
			next.WriteString(" WHEN " + count + " = " + strconv.Itoa(free+i) + " THEN " + ts(len(args)))
		}
	}
	first := ts(2) // the first attempt waits only when nothing is free
	if free <= 1 {
		first = ts(4)
	}
	db.queries.Add(1)
	err = db.write.QueryRowContext(ctx, `INSERT INTO login_attempts (key, failures, next_at) VALUES ($1, 1, `+first+`)
		ON CONFLICT (key) DO UPDATE SET failures = `+count+`, next_at = `+next.String()+`
		WHERE login_attempts.next_at <= $2
		RETURNING failures`, args...).Scan(&n)
	if err == nil {
		return true, n, time.Time{}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, time.Time{}, err
	}
	// Refused: the row is there and waiting. Read when it opens, for Retry-After.
	err = db.r().row(ctx, "SELECT failures, next_at FROM login_attempts WHERE key = $1", key).Scan(&n, &retryAt)
	return false, n, retryAt, err
}

// LoginSucceeded settles the counters of a successful sign-in: pair is
// cleared, each of others gets back the one attempt counted for it, and
// known records that the username signed in from this address.
func (db *DB) LoginSucceeded(ctx context.Context, pair string, others []string, known string) error {
	db.queries.Add(1)
	if _, err := db.write.ExecContext(ctx, "DELETE FROM login_attempts WHERE key = $1", pair); err != nil {
		return err
	}
	for _, k := range others {
		db.queries.Add(1)
		if _, err := db.write.ExecContext(ctx, "UPDATE login_attempts SET failures = failures - 1 WHERE key = $1 AND failures > 0", k); err != nil {
			return err
		}
	}
	db.queries.Add(1)
	_, err := db.write.ExecContext(ctx, `INSERT INTO login_attempts (key, failures, next_at) VALUES ($1, 0, $2)
		ON CONFLICT (key) DO UPDATE SET failures = 0, next_at = $2`, known, db.now())
	return err
}

// LoginKnown reports whether key (a username at an address) signed in
// successfully within the last period.
func (db *DB) LoginKnown(ctx context.Context, key string, period time.Duration) (bool, error) {
	var at time.Time
	err := db.r().row(ctx, "SELECT next_at FROM login_attempts WHERE key = $1", key).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && at.After(db.now().Add(-period)), err
}

// Recipient is an address notices are emailed to, with the language its
// owner reads them in.
type Recipient struct {
	Email string
	Lang  string
}

// NoticeRecipients returns, inside a transaction, the verified addresses
// of the people notice n is addressed to who take notices by email as they
// happen: a State's delegates, an organisation's focal points (as
// NoticeEmails), or everyone of n.Role bound to no State or organisation.
func (tx *Tx) NoticeRecipients(n Notice) ([]Recipient, error) {
	if n.Role == "" {
		return tx.NoticeEmails(n.State, n.OrgID)
	}
	return queryAll(tx.ctx, tx.conn, func(sc interface{ Scan(...any) error }) (Recipient, error) {
		var e Recipient
		err := sc.Scan(&e.Email, &e.Lang)
		return e, err
	}, `SELECT email, lang FROM users WHERE email <> '' AND email_verified AND notice_email AND NOT notice_digest AND NOT disabled
		AND role = $1 AND state IS NULL AND org_id IS NULL ORDER BY id`, string(n.Role))
}

// NoticeEmails returns, inside a transaction, the verified addresses of
// the delegates of a State or the focal points of an organisation who take
// notices by email as they happen (not as a daily digest), each with the
// person's language: the outbox's recipients for a notice.
func (tx *Tx) NoticeEmails(state string, orgID int64) ([]Recipient, error) {
	rows, err := tx.query(tx.ctx, `SELECT email, lang FROM users WHERE email <> '' AND email_verified AND notice_email AND NOT notice_digest AND NOT disabled
		AND ((state = $1 AND role = 'delegate') OR (org_id = $2 AND role = 'focal-point')) ORDER BY id`, state, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var e Recipient
		if err := rows.Scan(&e.Email, &e.Lang); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
