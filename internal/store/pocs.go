package store

import (
	"concord"
	"concord/poc"
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// The Points of Contact directory (issue 13): POCs and ping rounds as JSON
// documents, pings as rows. Every entry the log keeps of them is
// confidential: the directory is the States' only, and so is who answered.

const pocColumns = "id, created_at, updated_at, doc"

func scanPOC(sc interface{ Scan(...any) error }) (poc.POC, error) {
	return scanDoc(sc, func(p *poc.POC, id int64, created, updated time.Time) {
		p.ID, p.Created, p.Updated = id, created, updated
	})
}

// SavePOC inserts (ID 0) or updates p after validating it, audited
// confidentially under action ("poc.nominate", "poc.edit").
func (tx *Tx) SavePOC(p *poc.POC, action string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var before any
	p.Updated = tx.Now
	if p.ID == 0 {
		p.Created = tx.Now
	} else {
		prev, err := tx.POC(p.ID)
		if err != nil {
			return err
		}
		before, p.Created = prev, prev.Created
	}
	doc, err := docJSON(p)
	if err != nil {
		return err
	}
	if p.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO pocs (process, state, kind, created_at, updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			p.Process, p.State, string(p.Kind), p.Created, p.Updated, doc).Scan(&p.ID); err == nil {
			if doc, err = docJSON(p); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE pocs SET doc = $1 WHERE id = $2", doc, p.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, "UPDATE pocs SET state = $1, kind = $2, updated_at = $3, doc = $4 WHERE id = $5",
			p.State, string(p.Kind), p.Updated, doc, p.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "poc", itoa64(p.ID), before, p, false)
}

// DeletePOC removes p from the directory, audited confidentially. Its
// pings in past rounds stay: they carry their own copy of the POC.
func (tx *Tx) DeletePOC(p poc.POC) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM pocs WHERE id = $1", p.ID); err != nil {
		return err
	}
	return tx.Audit("poc.remove", "poc", itoa64(p.ID), p, nil, false)
}

// POC reads POC id.
func (r Reader) POC(id int64) (poc.POC, error) {
	return scanPOC(r.row(r.ctx, "SELECT "+pocColumns+" FROM pocs WHERE id = $1", id))
}

// POCs lists the POCs of process, of one State (or every State with ""),
// by State, kind and id.
func (r Reader) POCs(process, state string) ([]poc.POC, error) {
	q := "SELECT " + pocColumns + " FROM pocs WHERE process = $1"
	args := []any{process}
	if state != "" {
		q += " AND state = $2"
		args = append(args, state)
	}
	return queryAll(r.ctx, r.conn, scanPOC, q+" ORDER BY state, kind, id", args...)
}

// POCs lists the POCs of process (of one State, or all with "").
func (db *DB) POCs(ctx context.Context, process, state string) ([]poc.POC, error) {
	return db.Read(ctx).POCs(process, state)
}

// NominatedStates counts the States with at least one POC: all the public
// learns of the directory.
func (db *DB) NominatedStates(ctx context.Context, process string) (int, error) {
	var n int
	err := db.r().row(ctx, "SELECT COUNT(DISTINCT state) FROM pocs WHERE process = $1", process).Scan(&n)
	return n, err
}

const roundColumns = "id, status, created_at, doc"

func scanRound(sc interface{ Scan(...any) error }) (poc.Round, error) {
	var r poc.Round
	var id int64
	var status string
	var created time.Time
	var doc string
	if err := sc.Scan(&id, &status, &created, &doc); err != nil {
		return r, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return r, err
	}
	r.ID, r.Status, r.Created = id, poc.Status(status), created.UTC()
	return r, nil
}

// normaliseRound puts the round's instants in UTC at the store's
// precision, so that the value audited is the value read back.
func normaliseRound(r *poc.Round) {
	utc := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.UTC().Truncate(time.Second)
	}
	r.Opens, r.Closes, r.Opened, r.Closed, r.Created = utc(r.Opens), utc(r.Closes), utc(r.Opened), utc(r.Closed), utc(r.Created)
}

// SaveRound inserts (ID 0) or updates a ping round, audited publicly under
// action ("poc.round.schedule", "poc.round.open", "poc.round.close"): that
// a ping test takes place, and when, is public; its results per State are
// not, and the round holds none.
func (tx *Tx) SaveRound(r *poc.Round, action string) error {
	normaliseRound(r)
	var before any
	if r.ID != 0 {
		prev, err := tx.Round(r.ID)
		if err != nil {
			return err
		}
		before = prev
	}
	doc, err := docJSON(r)
	if err != nil {
		return err
	}
	if r.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO poc_rounds (process, status, closes_at, created_at, doc) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			r.Process, string(r.Status), r.Closes, r.Created, doc).Scan(&r.ID); err == nil {
			if doc, err = docJSON(r); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE poc_rounds SET doc = $1 WHERE id = $2", doc, r.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, "UPDATE poc_rounds SET status = $1, closes_at = $2, doc = $3 WHERE id = $4", string(r.Status), r.Closes, doc, r.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "poc_round", itoa64(r.ID), before, r, true)
}

// Round reads ping round id.
func (r Reader) Round(id int64) (poc.Round, error) {
	return scanRound(r.row(r.ctx, "SELECT "+roundColumns+" FROM poc_rounds WHERE id = $1", id))
}

// Round reads ping round id.
func (db *DB) Round(ctx context.Context, id int64) (poc.Round, error) {
	return db.Read(ctx).Round(id)
}

// Rounds lists the ping rounds of process, latest first.
func (db *DB) Rounds(ctx context.Context, process string) ([]poc.Round, error) {
	return queryAll(ctx, db.r(), scanRound, "SELECT "+roundColumns+" FROM poc_rounds WHERE process = $1 ORDER BY created_at DESC, id DESC", process)
}

// OpenRoundsDue lists the open rounds whose deadline has passed at now
// (to close) or comes within within of now (to remind).
func (db *DB) OpenRoundsDue(ctx context.Context, process string, now time.Time, within time.Duration) ([]poc.Round, error) {
	return queryAll(ctx, db.r(), scanRound, "SELECT "+roundColumns+" FROM poc_rounds WHERE process = $1 AND status = 'open' AND closes_at <= $2 ORDER BY id",
		process, now.UTC().Add(within))
}

const pingColumns = "round_id, poc_id, state, kind, name, email, answered_at, answered_by, reminded, bounced_at"

func scanPing(sc interface{ Scan(...any) error }) (poc.Ping, error) {
	var p poc.Ping
	var kind string
	var at, bounced sql.NullTime
	if err := sc.Scan(&p.Round, &p.POC, &p.State, &kind, &p.Name, &p.Email, &at, &p.By, &p.Reminded, &bounced); err != nil {
		return p, notFound(err)
	}
	if bounced.Valid {
		p.Bounced = bounced.Time.UTC()
	}
	p.Kind = poc.Kind(kind)
	if at.Valid {
		p.Answered = at.Time.UTC()
	}
	return p, nil
}

func pingID(p poc.Ping) string { return itoa64(p.Round) + ":" + itoa64(p.POC) }

// AddPing records p, audited confidentially; its links are AddPingToken's.
func (tx *Tx) AddPing(p poc.Ping) error {
	if _, err := tx.exec(tx.ctx, `INSERT INTO poc_pings (round_id, poc_id, state, kind, name, email, answered_by, reminded)
		VALUES ($1, $2, $3, $4, $5, $6, '', $7)`,
		p.Round, p.POC, p.State, string(p.Kind), p.Name, p.Email, false); err != nil {
		return err
	}
	return tx.Audit("poc.ping", "poc_ping", pingID(p), nil, p, false)
}

// AddPingToken keeps the SHA-256 of an acknowledgement link of p, valid
// until expires (the token itself is only in the email).
func (tx *Tx) AddPingToken(p poc.Ping, tokenHash string, expires time.Time) error {
	_, err := tx.exec(tx.ctx, "INSERT INTO poc_tokens (token_hash, round_id, poc_id, expires_at) VALUES ($1, $2, $3, $4)",
		tokenHash, p.Round, p.POC, expires.UTC())
	return err
}

// PingByToken reads the ping a link's token hashes to, whatever its state
// (the round says whether it still counts; the link expires with the
// round's deadline).
func (r Reader) PingByToken(tokenHash string) (poc.Ping, error) {
	return scanPing(r.row(r.ctx, "SELECT p.round_id, p.poc_id, p.state, p.kind, p.name, p.email, p.answered_at, p.answered_by, p.reminded, p.bounced_at"+
		" FROM poc_tokens t JOIN poc_pings p ON p.round_id = t.round_id AND p.poc_id = t.poc_id WHERE t.token_hash = $1", tokenHash))
}

// PingByToken reads the ping a link's token hashes to.
func (db *DB) PingByToken(ctx context.Context, tokenHash string) (poc.Ping, error) {
	return db.Read(ctx).PingByToken(tokenHash)
}

// SavePing writes the answer and the reminder flag of p, audited
// confidentially under action ("poc.ack", "poc.remind"). An answer is
// written only over no answer: a second use of the link, racing the
// first, finds the row answered and changes nothing.
func (tx *Tx) SavePing(p *poc.Ping, action string) error {
	var at any
	if !p.Answered.IsZero() {
		p.Answered = p.Answered.UTC().Truncate(time.Second)
		at = p.Answered
	}
	before, err := scanPing(tx.row(tx.ctx, "SELECT "+pingColumns+" FROM poc_pings WHERE round_id = $1 AND poc_id = $2", p.Round, p.POC))
	if err != nil {
		return err
	}
	if !before.Answered.IsZero() && !before.Answered.Equal(p.Answered) {
		return concord.Errorf(concord.EConflict, "", "poc.error.answered", "this acknowledgement was already recorded")
	}
	if _, err := tx.exec(tx.ctx, "UPDATE poc_pings SET answered_at = $1, answered_by = $2, reminded = $3 WHERE round_id = $4 AND poc_id = $5",
		at, p.By, p.Reminded, p.Round, p.POC); err != nil {
		return err
	}
	return tx.Audit(action, "poc_ping", pingID(*p), before, p, false)
}

// Pings lists the pings of round (of one State, or all with ""), by State,
// kind and POC.
func (r Reader) Pings(round int64, state string) ([]poc.Ping, error) {
	q := "SELECT " + pingColumns + " FROM poc_pings WHERE round_id = $1"
	args := []any{round}
	if state != "" {
		q += " AND state = $2"
		args = append(args, state)
	}
	return queryAll(r.ctx, r.conn, scanPing, q+" ORDER BY state, kind, poc_id", args...)
}

// Pings lists the pings of round (of one State, or all with "").
func (db *DB) Pings(ctx context.Context, round int64, state string) ([]poc.Ping, error) {
	return db.Read(ctx).Pings(round, state)
}

// PingCounts counts the pings of round and those answered: the public
// aggregate, read without a row of any State.
func (db *DB) PingCounts(ctx context.Context, round int64) (poc.Aggregate, error) {
	var a poc.Aggregate
	err := db.r().row(ctx, `SELECT COUNT(*), COUNT(answered_at), COUNT(DISTINCT state) FROM poc_pings WHERE round_id = $1`, round).
		Scan(&a.Sent, &a.Answered, &a.States)
	if err != nil {
		return a, err
	}
	err = db.r().row(ctx, `SELECT COUNT(*) FROM (SELECT state FROM poc_pings WHERE round_id = $1 GROUP BY state
		HAVING COUNT(*) = COUNT(answered_at)) AS s`, round).Scan(&a.StatesAnswered)
	return a, err
}
