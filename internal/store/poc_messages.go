package store

import (
	"encoding/json"
	"strings"
	"time"

	"concord/poc"
)

// The message log between POCs and the bounces of their addresses (issue
// 13). A message is the two States' and the Secretariat's: every read here
// names a State or a thread, and the service checks the reader against the
// message before showing it. Every log entry is confidential.

const messageColumns = "id, thread_id, sent_at, doc"

func scanMessage(sc interface{ Scan(...any) error }) (poc.Message, error) {
	var m poc.Message
	var id, thread int64
	var sent time.Time
	var doc string
	if err := sc.Scan(&id, &thread, &sent, &doc); err != nil {
		return m, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return m, err
	}
	m.ID, m.Thread, m.Sent = id, thread, sent.UTC()
	return m, nil
}

// SaveMessage inserts (ID 0) or updates m after validating it, audited
// confidentially under action ("poc.message.send", "poc.message.reply",
// "poc.message.ack"). A first message is its own thread.
func (tx *Tx) SaveMessage(m *poc.Message, action string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.Sent = m.Sent.UTC().Truncate(time.Second)
	if !m.Acknowledged.IsZero() {
		m.Acknowledged = m.Acknowledged.UTC().Truncate(time.Second)
	}
	var before any
	if m.ID != 0 {
		prev, err := tx.Message(m.ID)
		if err != nil {
			return err
		}
		before = prev
	}
	doc, err := docJSON(m)
	if err != nil {
		return err
	}
	if m.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO poc_messages (process, thread_id, from_state, to_state, sent_at, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			m.Process, m.Thread, m.From, m.To, m.Sent, doc).Scan(&m.ID); err == nil {
			if m.Thread == 0 {
				m.Thread = m.ID
			}
			if doc, err = docJSON(m); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE poc_messages SET thread_id = $1, doc = $2 WHERE id = $3", m.Thread, doc, m.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, "UPDATE poc_messages SET doc = $1 WHERE id = $2", doc, m.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "poc_message", itoa64(m.ID), before, m, false)
}

// Message reads message id.
func (r Reader) Message(id int64) (poc.Message, error) {
	return scanMessage(r.row(r.ctx, "SELECT "+messageColumns+" FROM poc_messages WHERE id = $1", id))
}

// Thread reads the messages of thread (the first message's ID), oldest
// first.
func (r Reader) Thread(thread int64) ([]poc.Message, error) {
	return queryAll(r.ctx, r.conn, scanMessage, "SELECT "+messageColumns+" FROM poc_messages WHERE thread_id = $1 ORDER BY id", thread)
}

// Messages lists the first messages of the threads of process that state
// sent or received (every State's with "": the Secretariat's view),
// newest first, at most limit.
func (r Reader) Messages(process, state string, limit int) ([]poc.Message, error) {
	q := "SELECT " + messageColumns + " FROM poc_messages WHERE process = $1 AND thread_id = id"
	args := []any{process}
	if state != "" {
		q += " AND (from_state = $2 OR to_state = $2)"
		args = append(args, state)
	}
	args = append(args, limit)
	return queryAll(r.ctx, r.conn, scanMessage, q+" ORDER BY id DESC LIMIT $"+itoa64(int64(len(args))), args...)
}

// ThreadReplies counts the replies of each thread in threads.
func (r Reader) ThreadReplies(threads []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(threads) == 0 {
		return out, nil
	}
	args := make([]any, len(threads))
	ph := make([]string, len(threads))
	for i, t := range threads {
		args[i], ph[i] = t, "$"+itoa64(int64(i+1))
	}
	rows, err := r.query(r.ctx, "SELECT thread_id, COUNT(*) - 1 FROM poc_messages WHERE thread_id IN ("+strings.Join(ph, ", ")+") GROUP BY thread_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t int64
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

// BouncePOCs marks every POC of process whose address is b.Email as
// bounced, and the unanswered pings sent to it in open rounds, audited
// confidentially; it returns the POCs marked (none: the address is no
// POC's).
func (tx *Tx) BouncePOCs(process string, b poc.Bounce) ([]poc.POC, error) {
	all, err := tx.POCs(process, "")
	if err != nil {
		return nil, err
	}
	b.At = b.At.UTC().Truncate(time.Second)
	var marked []poc.POC
	for _, p := range all {
		if !strings.EqualFold(p.Email, b.Email) {
			continue
		}
		p.Bounced = &b
		if err := tx.SavePOC(&p, "poc.bounce"); err != nil {
			return nil, err
		}
		marked = append(marked, p)
		pings, err := queryAll(tx.ctx, tx.conn, scanPing, "SELECT "+pingColumns+` FROM poc_pings WHERE poc_id = $1 AND answered_at IS NULL
			AND bounced_at IS NULL AND round_id IN (SELECT id FROM poc_rounds WHERE status = 'open') ORDER BY round_id`, p.ID)
		if err != nil {
			return nil, err
		}
		for _, before := range pings {
			after := before
			after.Bounced = b.At
			if _, err := tx.exec(tx.ctx, "UPDATE poc_pings SET bounced_at = $1 WHERE round_id = $2 AND poc_id = $3", b.At, before.Round, before.POC); err != nil {
				return nil, err
			}
			if err := tx.Audit("poc.bounce", "poc_ping", pingID(before), before, after, false); err != nil {
				return nil, err
			}
		}
	}
	return marked, nil
}
