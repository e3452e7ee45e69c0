package store

import (
	"concord/decision"
	"concord/internal/cachectl"
	"context"
	"encoding/json"

	"concord"
)

// Decision is a stored decision: what happened and the rule it runs under.
type Decision struct {
	ID      int64
	Process string
	Title   concord.Text
	Facts   decision.Facts
	Policy  decision.Policy
}

type decisionDoc struct {
	Title  concord.Text
	Facts  decision.Facts
	Policy decision.Policy
}

// SaveDecision inserts (ID 0) or updates a decision, audited. Positions are
// public acts of States, so the entries are public.
func (tx *Tx) SaveDecision(d *Decision, action string) error {
	b, err := json.Marshal(decisionDoc{d.Title, d.Facts, d.Policy})
	if err != nil {
		return err
	}
	var before any
	if d.ID == 0 {
		if err := tx.row(tx.ctx, "INSERT INTO decisions (process, kind, created_at, updated_at, doc) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			d.Process, string(d.Facts.Kind), tx.Now, tx.Now, string(b)).Scan(&d.ID); err != nil {
			return err
		}
	} else {
		prev, err := tx.decision(tx.ctx, d.ID)
		if err != nil {
			return err
		}
		before = prev
		if _, err := tx.exec(tx.ctx, "UPDATE decisions SET updated_at = $1, doc = $2 WHERE id = $3", tx.Now, string(b), d.ID); err != nil {
			return err
		}
	}
	if err := tx.IndexSearch(SearchDecision, itoa64(d.ID), decisionEntries(*d)); err != nil {
		return err
	}
	return tx.Audit(action, "decision", itoa64(d.ID), before, d, true)
}

// GetDecision returns one decision.
func (db *DB) GetDecision(ctx context.Context, id int64) (Decision, error) {
	return db.Read(ctx).Decision(id)
}

// Decision returns one decision.
func (r Reader) Decision(id int64) (Decision, error) { return r.decision(r.ctx, id) }

func (c conn) decision(ctx context.Context, id int64) (Decision, error) {
	var d Decision
	var doc string
	if err := c.row(ctx, "SELECT id, process, doc FROM decisions WHERE id = $1", id).Scan(&d.ID, &d.Process, &doc); err != nil {
		return d, notFound(err)
	}
	return d, d.decode(ctx, c.db, doc)
}

// decode fills d from its stored document. A decision read while a cache
// builds a response (cachectl) holds that response only until the
// decision's next change: its deadline, or a deadline it would have under
// another modality (the simulation pages show those), since a silence or
// survey ends without any write.
func (d *Decision) decode(ctx context.Context, db *DB, doc string) error {
	var dd decisionDoc
	if err := json.Unmarshal([]byte(doc), &dd); err != nil {
		return err
	}
	d.Title, d.Facts, d.Policy = dd.Title, dd.Facts, dd.Policy
	cachectl.Until(ctx, decision.NextChange(d.Policy, d.Facts, db.Now()))
	return nil
}

// RecentDecisions returns a process's limit newest decisions, newest first,
// in one statement bounded by limit (the outcomes feed).
func (r Reader) RecentDecisions(process string, limit int) ([]Decision, error) {
	return queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (Decision, error) {
		var d Decision
		var doc string
		if err := sc.Scan(&d.ID, &d.Process, &doc); err != nil {
			return d, err
		}
		return d, d.decode(r.ctx, r.db, doc)
	}, "SELECT id, process, doc FROM decisions WHERE process = $1 ORDER BY id DESC LIMIT "+itoa64(int64(max(limit, 1))), process)
}

// ListDecisions returns a process's decisions, newest first.
func (db *DB) ListDecisions(ctx context.Context, process string) ([]Decision, error) {
	rows, err := db.r().query(ctx, "SELECT id, process, doc FROM decisions WHERE process = $1 ORDER BY id DESC", process)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var doc string
		if err := rows.Scan(&d.ID, &d.Process, &doc); err != nil {
			return nil, err
		}
		if err := d.decode(ctx, db, doc); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
