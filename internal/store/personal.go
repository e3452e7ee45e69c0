package store

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/internal/audit"
)

// ExportLimit bounds each list of a person's export: the newest rows of
// each kind, so that one request never reads a table whole. A list that
// reached it says so (PersonalData.Truncated).
const ExportLimit = 1000

// PersonalData is what Concord keeps about one person, as their export
// gives it: their own rows only, never a secret (no password hash, no
// token or its hash).
type PersonalData struct {
	User    concord.User
	Created time.Time
	// Notices, Digest: whether notices are emailed, and as a daily digest.
	Notices, Digest bool
	Sessions        []SessionInfo // unexpired sessions and API tokens
	Links           []LinkInfo    // emailed single-use links (verification, reset, invitation)
	Inbox           []Notice      // the notices the person's inbox shows
	Mail            []MailInfo    // messages in the outbox addressed to the person
	Audit           []audit.Entry // procedural log entries the person wrote
	Account         []audit.Entry // account log entries the person wrote
	// Truncated names the lists that reached ExportLimit.
	Truncated []string
}

// LinkInfo is one emailed link as its owner sees it: never its token.
type LinkInfo struct {
	Purpose string
	Email   string
	Created time.Time
	Expires time.Time
	Used    time.Time // zero: not used
}

// MailInfo is one outbox message addressed to the person.
type MailInfo struct {
	ID      int64
	Created time.Time
	Subject string
	Text    string
	Status  string
	Sent    time.Time // zero: not sent
}

// PersonalData reads u's own data, each list bounded by ExportLimit: a
// fixed number of statements whatever the data.
func (r Reader) PersonalData(userID int64) (PersonalData, error) {
	var d PersonalData
	var hash string
	var st sql.NullString
	var org sql.NullInt64
	u := &d.User
	err := r.row(r.ctx, "SELECT "+userColumns+", created_at, notice_email, notice_digest, password_hash FROM users WHERE id = $1", userID).
		Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly, &u.TwoFactor, &d.Created, &d.Notices, &d.Digest, &hash)
	if err != nil {
		return d, notFound(err)
	}
	u.State, u.OrgID = st.String, org.Int64
	d.Created = d.Created.UTC()
	more := func(name string, n int) {
		if n >= ExportLimit {
			d.Truncated = append(d.Truncated, name)
		}
	}
	now := r.db.now()
	d.Sessions, err = queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (SessionInfo, error) {
		var s SessionInfo
		err := sc.Scan(&s.ID, &s.Kind, &s.Created, &s.Expires)
		s.ID, s.Created, s.Expires = SessionID(s.ID), s.Created.UTC(), s.Expires.UTC()
		return s, err
	}, "SELECT token_hash, kind, created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash LIMIT $3",
		userID, now, ExportLimit)
	if err != nil {
		return d, err
	}
	more("sessions", len(d.Sessions))
	d.Links, err = queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (LinkInfo, error) {
		var l LinkInfo
		var used sql.NullTime
		err := sc.Scan(&l.Purpose, &l.Email, &l.Created, &l.Expires, &used)
		l.Created, l.Expires = l.Created.UTC(), l.Expires.UTC()
		if used.Valid {
			l.Used = used.Time.UTC()
		}
		return l, err
	}, "SELECT purpose, email, created_at, expires_at, used_at FROM account_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2", userID, ExportLimit)
	if err != nil {
		return d, err
	}
	more("links", len(d.Links))
	if d.Inbox, err = r.InboxFor(*u, ExportLimit); err != nil {
		return d, err
	}
	more("notices", len(d.Inbox))
	if u.Email != "" {
		to, _ := json.Marshal([]string{u.Email})
		d.Mail, err = queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (MailInfo, error) {
			var m MailInfo
			var sent sql.NullTime
			err := sc.Scan(&m.ID, &m.Created, &m.Subject, &m.Text, &m.Status, &sent)
			m.Created = m.Created.UTC()
			if sent.Valid {
				m.Sent = sent.Time.UTC()
			}
			return m, err
		}, "SELECT id, created_at, subject, body_text, status, sent_at FROM outbox WHERE recipients = $1 ORDER BY id DESC LIMIT $2", string(to), ExportLimit)
		if err != nil {
			return d, err
		}
		more("mail", len(d.Mail))
	}
	actor := concord.Actor(u)
	scan := func(sc interface{ Scan(...any) error }) (audit.Entry, error) {
		var e audit.Entry
		err := sc.Scan(&e.Seq, &e.At, &e.Action, &e.ObjectType, &e.ObjectID, &e.Public)
		e.At, e.Actor = e.At.UTC(), actor
		return e, err
	}
	if d.Audit, err = queryAll(r.ctx, r.conn, scan, "SELECT seq, at, action, object_type, object_id, public FROM audit_log WHERE actor = $1 ORDER BY seq DESC LIMIT $2", actor, ExportLimit); err != nil {
		return d, err
	}
	more("audit", len(d.Audit))
	if d.Account, err = queryAll(r.ctx, r.conn, scan, "SELECT seq, at, action, object_type, object_id, FALSE FROM account_log WHERE actor = $1 ORDER BY seq DESC LIMIT $2", actor, ExportLimit); err != nil {
		return d, err
	}
	more("account", len(d.Account))
	return d, nil
}

// PasswordHash returns a user's password hash, to confirm an act with the
// password (it never leaves the server).
func (r Reader) PasswordHash(userID int64) (string, error) {
	var h string
	err := r.row(r.ctx, "SELECT password_hash FROM users WHERE id = $1", userID).Scan(&h)
	return h, notFound(err)
}

// ActiveSecretariat counts the Secretariat's accounts that can still sign
// in, other than userID: the last one may not be erased, or nobody could
// manage the accounts any more.
func (r Reader) ActiveSecretariat(except int64) (int, error) {
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM users WHERE role = $1 AND NOT disabled AND id <> $2", concord.RoleSecretariat, except).Scan(&n)
	return n, err
}

// ErasedPassword is the password hash of an erased account: no password
// verifies against it.
const ErasedPassword = "!erased"

// EraseUser erases the personal data of account before, which becomes
// after (concord.User.Tombstone): the row keeps its id, role, State and
// organisation, so that the record still names who acted in which
// capacity, and loses its username, name, address and password; its
// sessions, API tokens and passkeys end, its pending links are spent and forget
// the address, its sign-in counters and the mail addressed to it are
// deleted. (Its recorded answers to repeated requests, the idempotency
// keys, expire within a day and go with the next write after that: the
// deleting request's own answer is one of them.) The account log records the change as
// "user.erase" with the row before and after, so that both chains and
// the rows still verify.
func (tx *Tx) EraseUser(before, after concord.User) error {
	id := before.ID
	if _, err := tx.exec(tx.ctx, `UPDATE users SET username = $1, name = '', email = '', email_verified = FALSE, password_hash = $2,
		disabled = TRUE, notice_email = FALSE, notice_digest = FALSE WHERE id = $3`, after.Username, ErasedPassword, id); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
		return err
	}
	// Its passkeys (public keys named by the person) go: nothing signs in as it.
	if _, err := tx.exec(tx.ctx, "DELETE FROM passkeys WHERE user_id = $1", id); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE account_tokens SET used_at = COALESCE(used_at, $1), email = '' WHERE user_id = $2", tx.Now, id); err != nil {
		return err
	}
	if before.Email != "" {
		to, _ := json.Marshal([]string{before.Email})
		if _, err := tx.exec(tx.ctx, "DELETE FROM outbox WHERE recipients = $1", string(to)); err != nil {
			return err
		}
	}
	// Sign-in counters are keyed by username ("user:NAME", "pair:NAME|addr",
	// "known:NAME|addr"); compared by prefix, not LIKE, which a username
	// could steer with % or _.
	name := before.Username
	if _, err := tx.exec(tx.ctx, `DELETE FROM login_attempts WHERE key = $1 OR SUBSTR(key, 1, $2) = $3 OR SUBSTR(key, 1, $4) = $5`,
		"user:"+name, utf8.RuneCountInString("pair:"+name+"|"), "pair:"+name+"|", utf8.RuneCountInString("known:"+name+"|"), "known:"+name+"|"); err != nil {
		return err
	}
	// Messages between POCs name their sender and acknowledger by username:
	// the tombstone replaces it, so the log says "a former delegate of
	// France". A delegate acts for its own State only, so only that
	// State's messages can name it.
	if before.State != "" {
		ms, err := queryAll(tx.ctx, tx.conn, scanMessage, "SELECT "+messageColumns+" FROM poc_messages WHERE from_state = $1 OR to_state = $1 ORDER BY id", before.State)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.SentBy != before.Username && m.AckBy != before.Username {
				continue
			}
			if m.SentBy == before.Username {
				m.SentBy = after.Username
			}
			if m.AckBy == before.Username {
				m.AckBy = after.Username
			}
			if err := tx.SaveMessage(&m, "poc.message.erase"); err != nil {
				return err
			}
		}
	}
	return tx.AuditAccount("user.erase", "user", itoa64(id), before, after)
}

// UserByName returns an account by username through the Reader.
func (r Reader) UserByName(username string) (concord.User, error) {
	u, err := scanUser(r.row(r.ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", strings.TrimSpace(username)))
	return u, notFound(err)
}

// UserByID returns an account through the Reader.
func (r Reader) UserByID(id int64) (concord.User, error) {
	u, err := scanUser(r.row(r.ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	return u, notFound(err)
}
