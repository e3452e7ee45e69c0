package store

import (
	// the rules of procedure a process keeps versions of
	_ "concord/procedure"
	"concord/rule"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"concord"
	"concord/internal/cachectl"
)

// RuleVersions returns every version of every procedure rule of a process,
// oldest first. A response made from them holds until the next scheduled
// version takes effect (cachectl), whichever page or API read them.
func (db *DB) RuleVersions(ctx context.Context, process string) ([]rule.Version, error) {
	return db.Read(ctx).RuleVersions(process)
}

// RuleVersions returns every version of every procedure rule of a process,
// oldest first. Read from the pool, the response made from them holds until
// the next scheduled version takes effect (cachectl); a write has no cached
// response.
func (r Reader) RuleVersions(process string) ([]rule.Version, error) {
	vs, err := r.ruleVersions(r.ctx, process)
	if err != nil {
		return nil, fmt.Errorf("rule versions of %s: %w", process, err)
	}
	if !r.InTx() {
		cachectl.Until(r.ctx, rule.NextChange(vs, r.db.Now()))
	}
	return vs, nil
}

func (c conn) ruleVersions(ctx context.Context, process string) ([]rule.Version, error) {
	rows, err := c.query(ctx, "SELECT doc FROM procedure_rules WHERE process = $1 ORDER BY code, version", process)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rule.Version
	for rows.Next() {
		var doc string
		var v rule.Version
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddRuleVersion stores v as the next version of its rule (numbered after
// the last), recorded now, audited publicly: the rules are public.
func (tx *Tx) AddRuleVersion(process string, v *rule.Version) error {
	var last sql.NullInt64
	if err := tx.row(tx.ctx, "SELECT MAX(version) FROM procedure_rules WHERE process = $1 AND code = $2", process, v.Code).Scan(&last); err != nil {
		return err
	}
	v.Version = int(last.Int64) + 1
	v.Recorded = tx.Now.UTC()
	if v.Effective.IsZero() {
		v.Effective = v.Recorded
	}
	v.Effective = v.Effective.UTC()
	v.Stamp()
	schemes, err := tx.schemeCodes()
	if err != nil {
		return err
	}
	// Every problem at once: the settings' and the names they use.
	var errs concord.Errors
	errs.Add(v.Validate())
	if v.Policy != nil {
		errs.Add(v.CheckRefs(rule.Refs{Schemes: schemes}))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	doc, err := docJSON(v)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "INSERT INTO procedure_rules (process, code, version, effective_from, doc) VALUES ($1, $2, $3, $4, $5)",
		process, v.Code, v.Version, v.Effective, doc); err != nil {
		return err
	}
	return tx.Audit("rule.version", "rule", process+"/"+v.Code, nil, v, true)
}

// ensureProcedureRules gives the Global Mechanism the default procedure
// rules as version 1 of each rule it has no version of: all of them in a
// new database, and a rule registered since (the Fund's eligibility) in an
// existing one.
func (tx *Tx) ensureProcedureRules() error {
	codes, err := queryAll(tx.ctx, tx.conn, func(sc interface{ Scan(...any) error }) (string, error) {
		var c string
		return c, sc.Scan(&c)
	}, "SELECT DISTINCT code FROM procedure_rules WHERE process = $1", concord.DefaultProcessCode)
	if err != nil {
		return err
	}
	tx.audited = true // nothing written when every rule has a version: no entry needed
	for _, v := range rule.Defaults(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		if slices.Contains(codes, v.Code) {
			continue
		}
		if err := tx.AddRuleVersion(concord.DefaultProcessCode, &v); err != nil {
			return err
		}
	}
	return nil
}

// Record is the subject of a procedure decision (an agenda version, a
// nomination, a topic round) with its domain value in Doc.
type Record[T any] struct {
	ID         int64
	Process    string
	Kind       string // what the subject is ("agenda", "briefer"...)
	Scope      string // what lists filter on: a session code, a DTG
	DecisionID int64  // the decision taken on it; 0 while none
	Created    time.Time
	Updated    time.Time
	Doc        T
}

// SaveRecord inserts (ID 0) or updates a record, audited under action;
// public says whether the audit entry is public.
func SaveRecord[T any](tx *Tx, r *Record[T], action string, public bool) error {
	doc, err := docJSON(r.Doc)
	if err != nil {
		return err
	}
	var dec any
	if r.DecisionID != 0 {
		dec = r.DecisionID
	}
	var before any
	r.Updated = tx.Now
	if r.ID == 0 {
		r.Created = tx.Now
		if err := tx.row(tx.ctx, `INSERT INTO procedure_records (process, kind, scope, decision_id, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.Process, r.Kind, r.Scope, dec, r.Created, r.Updated, doc).Scan(&r.ID); err != nil {
			return err
		}
	} else {
		prev, err := GetRecord[T](tx.Reader, r.Kind, r.ID)
		if err != nil {
			return err
		}
		before = prev
		if _, err := tx.exec(tx.ctx, "UPDATE procedure_records SET scope = $1, decision_id = $2, updated_at = $3, doc = $4 WHERE id = $5",
			r.Scope, dec, r.Updated, doc, r.ID); err != nil {
			return err
		}
	}
	return tx.Audit(action, r.Kind, itoa64(r.ID), before, r, public)
}

// GetRecord returns the record id of the given kind (ErrNotFound when the
// id is of another kind), through the pool's Reader or a transaction's.
func GetRecord[T any](r Reader, kind string, id int64) (Record[T], error) {
	rec, err := scanRecord[T](r.row(r.ctx, "SELECT "+recordColumns+" FROM procedure_records WHERE id = $1 AND kind = $2", id, kind))
	if err == nil {
		noteNextChange(r.ctx, r.db, rec.Doc)
	}
	return rec, err
}

const recordColumns = "id, process, kind, scope, decision_id, created_at, updated_at, doc"

func scanRecord[T any](sc interface{ Scan(...any) error }) (Record[T], error) {
	var r Record[T]
	var dec sql.NullInt64
	var doc string
	if err := sc.Scan(&r.ID, &r.Process, &r.Kind, &r.Scope, &dec, &r.Created, &r.Updated, &doc); err != nil {
		return r, notFound(err)
	}
	r.DecisionID = dec.Int64
	r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
	return r, json.Unmarshal([]byte(doc), &r.Doc)
}

// NextChanger is a record's document that changes with the clock (a topic
// round at its survey's close): NextChange is the earliest instant after
// now at which it does, zero when none.
type NextChanger interface {
	NextChange(now time.Time) time.Time
}

// noteNextChange records, for a cache building a response from doc, the
// instant doc next changes without a write, so that no handler has to
// declare it.
func noteNextChange(ctx context.Context, db *DB, doc any) {
	if n, ok := doc.(NextChanger); ok {
		cachectl.Until(ctx, n.NextChange(db.Now()))
	}
}

// Records returns a process's records of one kind, oldest first; an empty
// scope means every scope.
func Records[T any](r Reader, process, kind, scope string) ([]Record[T], error) {
	q := "SELECT " + recordColumns + " FROM procedure_records WHERE process = $1 AND kind = $2"
	args := []any{process, kind}
	if scope != "" {
		q += " AND scope = $3"
		args = append(args, scope)
	}
	rows, err := r.query(r.ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Record[T]
	for rows.Next() {
		rec, err := scanRecord[T](rows)
		if err != nil {
			return nil, err
		}
		noteNextChange(r.ctx, r.db, rec.Doc)
		out = append(out, rec)
	}
	return out, rows.Err()
}

// schemeCodes lists the classification schemes a rule may name.
func (tx *Tx) schemeCodes() ([]string, error) {
	rows, err := tx.query(tx.ctx, "SELECT code FROM classification_schemes ORDER BY code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
