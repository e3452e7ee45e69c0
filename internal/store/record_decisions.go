package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// RecordDecision is a procedure record with the decision taken on it
// (Decision.ID is 0 when there is none yet).
type RecordDecision[T any] struct {
	Record   Record[T]
	Decision Decision
}

// RecordsWithDecisions lists a process's records of one kind (an empty scope
// means every scope), oldest first, each with its decision, in one query:
// list pages show every subject's outcome without a query per row.
func RecordsWithDecisions[T any](ctx context.Context, db *DB, process, kind, scope string) ([]RecordDecision[T], error) {
	q := `SELECT r.id, r.process, r.kind, r.scope, r.decision_id, r.created_at, r.updated_at, r.doc, d.id, d.process, d.doc
		FROM procedure_records r LEFT JOIN decisions d ON d.id = r.decision_id
		WHERE r.process = $1 AND r.kind = $2`
	args := []any{process, kind}
	if scope != "" {
		q += " AND r.scope = $3"
		args = append(args, scope)
	}
	rows, err := db.r().query(ctx, q+" ORDER BY r.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecordDecision[T]
	for rows.Next() {
		var rd RecordDecision[T]
		r := &rd.Record
		var dec, did sql.NullInt64
		var doc string
		var dproc, ddoc sql.NullString
		if err := rows.Scan(&r.ID, &r.Process, &r.Kind, &r.Scope, &dec, &r.Created, &r.Updated, &doc, &did, &dproc, &ddoc); err != nil {
			return nil, err
		}
		r.DecisionID = dec.Int64
		r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
		if err := json.Unmarshal([]byte(doc), &r.Doc); err != nil {
			return nil, err
		}
		noteNextChange(ctx, db, r.Doc)
		if did.Valid {
			rd.Decision = Decision{ID: did.Int64, Process: dproc.String}
			if err := rd.Decision.decode(ctx, db, ddoc.String); err != nil {
				return nil, err
			}
		}
		out = append(out, rd)
	}
	return out, rows.Err()
}
