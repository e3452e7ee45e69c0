package store

import (
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
func RecordsWithDecisions[T any](r Reader, process, kind, scope string) ([]RecordDecision[T], error) {
	q := `SELECT r.id, r.process, r.kind, r.scope, r.decision_id, r.created_at, r.updated_at, r.doc, d.id, d.process, d.doc
		FROM procedure_records r LEFT JOIN decisions d ON d.id = r.decision_id
		WHERE r.process = $1 AND r.kind = $2`
	args := []any{process, kind}
	if scope != "" {
		q += " AND r.scope = $3"
		args = append(args, scope)
	}
	rows, err := r.query(r.ctx, q+" ORDER BY r.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecordDecision[T]
	for rows.Next() {
		var rd RecordDecision[T]
		rec := &rd.Record
		var dec, did sql.NullInt64
		var doc string
		var dproc, ddoc sql.NullString
		if err := rows.Scan(&rec.ID, &rec.Process, &rec.Kind, &rec.Scope, &dec, &rec.Created, &rec.Updated, &doc, &did, &dproc, &ddoc); err != nil {
			return nil, err
		}
		rec.DecisionID = dec.Int64
		rec.Created, rec.Updated = rec.Created.UTC(), rec.Updated.UTC()
		if err := json.Unmarshal([]byte(doc), &rec.Doc); err != nil {
			return nil, err
		}
		noteNextChange(r.ctx, r.db, rec.Doc)
		if did.Valid {
			rd.Decision = Decision{ID: did.Int64, Process: dproc.String}
			if err := rd.Decision.decode(r.ctx, r.db, ddoc.String); err != nil {
				return nil, err
			}
		}
		out = append(out, rd)
	}
	return out, rows.Err()
}
