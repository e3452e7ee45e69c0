package store

import (
	"context"

	"concord"
	"database/sql"
	"encoding/json"
	"time"
)

// SetNoticeDigest chooses, for a user who takes notices by email, one email
// a day (on) or one email per notice (off); audited in the account log.
func (tx *Tx) SetNoticeDigest(userID int64, on bool) error {
	if _, err := tx.exec(tx.ctx, "UPDATE users SET notice_digest = $1 WHERE id = $2", on, userID); err != nil {
		return err
	}
	u, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	return tx.AuditAccount("user.notice_digest", "user", itoa64(userID), u, u)
}

// SetLang records the language a user reads Concord in, which notice
// emails are written in; audited in the account log.
func (tx *Tx) SetLang(userID int64, lang string) error {
	if !concord.IsLanguage(lang) {
		return concord.Errorf(concord.EInvalid, "lang", "error.language", "unknown language")
	}
	if _, err := tx.exec(tx.ctx, "UPDATE users SET lang = $1 WHERE id = $2", lang, userID); err != nil {
		return err
	}
	u, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	return tx.AuditAccount("user.lang", "user", itoa64(userID), u, u)
}

// UserLang returns the language a user reads Concord in.
func (db *DB) UserLang(ctx context.Context, userID int64) (string, error) {
	var l string
	err := db.r().row(ctx, "SELECT lang FROM users WHERE id = $1", userID).Scan(&l)
	return l, notFound(err)
}

// NoticeDigest reports whether a user takes notices by email as a daily
// digest.
func (db *DB) NoticeDigest(ctx context.Context, userID int64) (bool, error) {
	var on bool
	err := db.r().row(ctx, "SELECT notice_digest FROM users WHERE id = $1", userID).Scan(&on)
	return on, notFound(err)
}

// DigestNotice is a notice as one person's digest lists it.
type DigestNotice struct {
	Email string // the person's verified address
	Lang  string // the language the person reads Concord in
	Notice
}

// DigestNotices returns, in one statement, the notices recorded in
// [from, to) for every person who takes them as a daily digest (by email,
// verified, enabled): a delegate's State's, a focal point's
// organisation's and those addressed to a role (the Chair, the Secretariat), by address then by notice.
func (r Reader) DigestNotices(from, to time.Time) ([]DigestNotice, error) {
	rows, err := r.query(r.ctx, `SELECT u.email, u.lang, n.id, n.created_at, n.state, n.org_id, n.msg_key, n.args, n.link, n.dedupe
		FROM notices n JOIN users u ON ((u.role = 'delegate' AND n.state = u.state) OR (u.role = 'focal-point' AND n.org_id = u.org_id)
			OR (n.role = u.role AND u.state IS NULL AND u.org_id IS NULL))
		WHERE n.created_at >= $1 AND n.created_at < $2 AND u.notice_digest AND u.notice_email AND u.email_verified AND NOT u.disabled AND u.email <> ''
		ORDER BY u.email, n.id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DigestNotice
	for rows.Next() {
		var d DigestNotice
		var st sql.NullString
		var org sql.NullInt64
		var args string
		if err := rows.Scan(&d.Email, &d.Lang, &d.ID, &d.Created, &st, &org, &d.Key, &args, &d.Link, &d.Dedupe); err != nil {
			return nil, err
		}
		d.State, d.OrgID = st.String, org.Int64
		if err := json.Unmarshal([]byte(args), &d.Args); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
