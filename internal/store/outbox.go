package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Mail is one message in the outbox.
type Mail struct {
	ID int64
	// Dedupe names the event the message belongs to ("reset:<token hash>",
	// "notice:<notice dedupe>:<address>"): a second message with the same
	// key is not enqueued, so one event never sends twice.
	Dedupe      string
	To          []string
	Subject     string
	Text, HTML  string
	Unsubscribe string
	// Set by the outbox.
	Status    string // MailPending, MailSent or MailFailed
	Attempts  int
	LastError string
	Claim     string // who holds the lease, for MailsSent and MailRetry
}

// The states of an outbox message.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed" // given up after the last attempt or a permanent refusal
)

// Enqueue adds m to the outbox in the transaction of the event that causes
// it, so the message exists exactly when the event committed. It reports
// false when a message with m's dedupe key is already there.
func (tx *Tx) Enqueue(m Mail) (bool, error) {
	if m.Dedupe == "" || len(m.To) == 0 {
		return false, errors.New("store: a mail needs a dedupe key and a recipient")
	}
	to, _ := json.Marshal(m.To)
	res, err := tx.exec(tx.ctx, `INSERT INTO outbox (dedupe, created_at, recipients, subject, body_text, body_html, unsubscribe, next_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $2) ON CONFLICT (dedupe) DO NOTHING`,
		m.Dedupe, tx.Now, string(to), m.Subject, m.Text, m.HTML, m.Unsubscribe)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimMail takes up to limit due messages for lease: they are this
// caller's to send until then, and another instance claims them again only
// after the lease has run out (a sender that died). Each claim counts as an
// attempt. One statement claims: an atomic UPDATE on SQLite (one writer),
// and rows locked FOR UPDATE SKIP LOCKED on PostgreSQL, so that parallel
// claimers take different messages rather than wait for each other.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Mail, error) {
	now := db.now()
	claim := rand.Text()
	pick := `SELECT id FROM outbox WHERE status = 'pending' AND next_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) ORDER BY next_at, id LIMIT $2`
	if db.Dialect == Postgres {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	db.queries.Add(1)
	rows, err := db.write.QueryContext(ctx, `UPDATE outbox SET locked_until = $3, claimed_by = $4, attempts = attempts + 1
		WHERE id IN (`+pick+`) RETURNING id, dedupe, recipients, subject, body_text, body_html, unsubscribe, attempts`,
		now, limit, now.Add(lease), claim)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		m := Mail{Status: MailPending, Claim: claim}
		var to string
		if err := rows.Scan(&m.ID, &m.Dedupe, &to, &m.Subject, &m.Text, &m.HTML, &m.Unsubscribe, &m.Attempts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(to), &m.To); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailsSent records the delivery of claimed messages, in one statement
// per batch, and clears their bodies (which may hold single-use links). It
// returns how many were still this claim's: a message whose lease ran out
// and that another sender took is left to that sender.
func (db *DB) MailsSent(ctx context.Context, claim string, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var in strings.Builder
	args := []any{db.now(), claim}
	for i, id := range ids {
		if i > 0 {
			in.WriteString(", ")
		}
		args = append(args, id)
		in.WriteString("$" + strconv.Itoa(len(args)))
	}
	db.queries.Add(1)
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = '', body_text = '', body_html = ''
		WHERE claimed_by = $2 AND status = 'pending' AND id IN (`+in.String()+`)`, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// MailRetry records a failed attempt at a claimed message: it is tried
// again at next, or, when giveUp, marked failed for good (its body
// cleared, the reason kept).
func (db *DB) MailRetry(ctx context.Context, m Mail, reason string, next time.Time, giveUp bool) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	db.queries.Add(1)
	var err error
	if giveUp {
		_, err = db.write.ExecContext(ctx, `UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = $1, body_text = '', body_html = ''
			WHERE id = $2 AND claimed_by = $3 AND status = 'pending'`, reason, m.ID, m.Claim)
	} else {
		_, err = db.write.ExecContext(ctx, `UPDATE outbox SET next_at = $1, locked_until = NULL, last_error = $2
			WHERE id = $3 AND claimed_by = $4 AND status = 'pending'`, next.UTC(), reason, m.ID, m.Claim)
	}
	return err
}

// MailByDedupe returns the outbox entry of an event, for tests and support.
func (db *DB) MailByDedupe(ctx context.Context, dedupe string) (Mail, error) {
	var m Mail
	var to string
	err := db.r().row(ctx, `SELECT id, dedupe, recipients, subject, body_text, body_html, unsubscribe, status, attempts, last_error FROM outbox WHERE dedupe = $1`, dedupe).
		Scan(&m.ID, &m.Dedupe, &to, &m.Subject, &m.Text, &m.HTML, &m.Unsubscribe, &m.Status, &m.Attempts, &m.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound(err)
	}
	if err == nil {
		err = json.Unmarshal([]byte(to), &m.To)
	}
	return m, err
}

// OutboxCounts returns how many messages are in each state.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.r().query(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
