package store

import (
	"context"
	"strconv"
	"strings"
)

// DecisionsByID returns the decisions with the given ids, keyed by id, in
// one query: lists of subjects (agenda versions, nominations) show each
// subject's outcome without a query per row. Unknown ids are left out.
func (db *DB) DecisionsByID(ctx context.Context, ids []int64) (map[int64]Decision, error) {
	return db.Read(ctx).DecisionsByID(ids)
}

// DecisionsByID returns the decisions with the given ids, keyed by id, in
// one query.
func (r Reader) DecisionsByID(ids []int64) (map[int64]Decision, error) {
	return r.decisionsByID(r.ctx, ids)
}

func (c conn) decisionsByID(ctx context.Context, ids []int64) (map[int64]Decision, error) {
	out := make(map[int64]Decision, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = "$" + strconv.Itoa(i+1)
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
		if err := d.decode(ctx, c.db, doc); err != nil {
			return nil, err
		}
		out[d.ID] = d
	}
	return out, rows.Err()
}

// DecisionsFor reads the decisions linked to recs in one query, by id.
func DecisionsFor[T any](ctx context.Context, db *DB, recs []Record[T]) (map[int64]Decision, error) {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if r.DecisionID != 0 {
			ids = append(ids, r.DecisionID)
		}
	}
	return db.DecisionsByID(ctx, ids)
}
