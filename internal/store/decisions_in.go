package store

import (
	"context"
	"encoding/json"
	"strings"
)

// DecisionsIn returns the decisions with the given ids, by id, in one query
// (ids that do not exist are absent): the subjects of a list page show each
// decision's outcome without a query per row.
func (db *DB) DecisionsIn(ctx context.Context, ids []int64) (map[int64]Decision, error) {
	return db.r().decisionsIn(ctx, ids)
}

// DecisionsIn reads decisions inside the transaction.
func (tx *Tx) DecisionsIn(ids []int64) (map[int64]Decision, error) {
	return tx.decisionsIn(tx.ctx, ids)
}

func (c conn) decisionsIn(ctx context.Context, ids []int64) (map[int64]Decision, error) {
	out := make(map[int64]Decision, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = "$" + itoa(i+1)
		args[i] = id
	}
	rows, err := c.query(ctx, "SELECT id, process, doc FROM decisions WHERE id IN ("+strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d Decision
		var doc string
		if err := rows.Scan(&d.ID, &d.Process, &doc); err != nil {
			return nil, err
		}
		var dd decisionDoc
		if err := json.Unmarshal([]byte(doc), &dd); err != nil {
			return nil, err
		}
		d.Title, d.Facts, d.Policy = dd.Title, dd.Facts, dd.Policy
		out[d.ID] = d
	}
	return out, rows.Err()
}
