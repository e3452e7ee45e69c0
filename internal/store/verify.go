package store

import (
	"bytes"
	"concord/accreditation"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"sort"

	"concord/internal/audit"
)

// RowError is the first row of an audited table that does not match the
// state the audit log last recorded for it: the chain can be intact while
// a row was deleted, altered or inserted behind the application's back.
type RowError struct {
	ObjectType string
	ObjectID   string
	Seq        int64  // the object's last entry (0: none)
	Log        string // "audit log" or "account log"
	Problem    string // what is wrong, in words
	Others     int    // further mismatches found after this one
}

// Error implements error.
func (e *RowError) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.ObjectType, e.ObjectID, e.Problem)
	if e.Seq > 0 {
		s += fmt.Sprintf(" (last %s entry %d)", e.Log, e.Seq)
	}
	if e.Others > 0 {
		s += fmt.Sprintf("; %d more mismatches", e.Others)
	}
	return s
}

// audited describes a table whose rows the audit log records whole: every
// write of a row leaves an entry whose After digest is the row as it then
// was, read back as loadRows reads it.
type audited struct {
	log string // which chain: "audit" or "account"
	// ignore lists actions on this object type whose After is not the
	// object (a count of notices sent, nothing at all).
	ignore map[string]bool
	// rows yields every current row as (object type, object id, value to
	// digest). A table of many object types (procedure records) yields
	// each row under its own type.
	rows func(ctx context.Context, c conn) iter.Seq2[rowState, error]
}

type rowState struct {
	objectType, objectID string
	value                any
}

// auditedTables lists the tables VerifyRows checks, by object type. Tables
// whose entries record something other than the row (rules and policies are
// versioned, delegations and classifications are keyed by State) are not
// listed: their rows are never changed in place.
var auditedTables = map[string]audited{
	"organization": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		members, err := c.db.OrganizationMembers(ctx)
		if err != nil {
			return func(yield func(rowState, error) bool) { yield(rowState{}, err) }
		}
		return scanRows(ctx, c, "SELECT "+orgColumns+" FROM organizations ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			o, err := scanOrg(rows)
			o.Members = members[o.ID]
			return rowState{"organization", itoa64(o.ID), o}, err
		})
	}},
	"person": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+personColumns+" FROM persons ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			p, err := scanPerson(rows)
			return rowState{"person", itoa64(p.ID), &p}, err
		})
	}},
	"decision": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT id, process, doc FROM decisions ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			var d Decision
			var doc string
			if err := rows.Scan(&d.ID, &d.Process, &doc); err != nil {
				return rowState{}, err
			}
			var dd decisionDoc
			err := json.Unmarshal([]byte(doc), &dd)
			d.Title, d.Facts, d.Policy = dd.Title, dd.Facts, dd.Policy
			return rowState{"decision", itoa64(d.ID), &d}, err
		})
	}},
	"accreditation_application": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT id, doc FROM accreditation_applications ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			var a accreditation.Application
			var doc string
			if err := rows.Scan(&a.ID, &doc); err != nil {
				return rowState{}, err
			}
			id := a.ID
			err := json.Unmarshal([]byte(doc), &a)
			a.ID = id
			return rowState{"accreditation_application", itoa64(a.ID), &a}, err
		})
	}},
	"accreditation_window": {log: "audit", ignore: map[string]bool{"accreditation.remind": true, "accreditation.decide.noop": true},
		rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
			return scanRows(ctx, c, "SELECT id, doc FROM accreditation_windows ORDER BY id", func(rows *sql.Rows) (rowState, error) {
				var id, doc string
				if err := rows.Scan(&id, &doc); err != nil {
					return rowState{}, err
				}
				var w accreditation.Window
				err := json.Unmarshal([]byte(doc), &w)
				return rowState{"accreditation_window", id, &w}, err
			})
		}},
	"document": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT id, name, sha256, size FROM documents ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			var d Document
			err := rows.Scan(&d.ID, &d.Name, &d.SHA256, &d.Size)
			return rowState{"document", itoa64(d.ID), documentAudit(&d)}, err
		})
	}},
	"meeting": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+meetingColumns+" FROM meetings ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			m, err := scanMeeting(rows)
			return rowState{"meeting", itoa64(m.ID), &m}, err
		})
	}},
	"poc": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+pocColumns+" FROM pocs ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			p, err := scanPOC(rows)
			return rowState{"poc", itoa64(p.ID), &p}, err
		})
	}},
	"poc_round": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+roundColumns+" FROM poc_rounds ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			r, err := scanRound(rows)
			return rowState{"poc_round", itoa64(r.ID), &r}, err
		})
	}},
	"poc_ping": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+pingColumns+" FROM poc_pings ORDER BY round_id, poc_id", func(rows *sql.Rows) (rowState, error) {
			p, err := scanPing(rows)
			return rowState{"poc_ping", pingID(p), &p}, err
		})
	}},
	"poc_message": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+messageColumns+" FROM poc_messages ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			m, err := scanMessage(rows)
			return rowState{"poc_message", itoa64(m.ID), &m}, err
		})
	}},
	"portal_need": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+needColumns+" FROM capacity_needs ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			n, err := scanNeed(rows)
			return rowState{"portal_need", itoa64(n.ID), &n}, err
		})
	}},
	"norm_report": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT updated_at, doc FROM norm_reports ORDER BY process, state, action", func(rows *sql.Rows) (rowState, error) {
			r, err := scanNormReport(rows)
			return rowState{"norm_report", r.State + "-" + r.Action, &r}, err
		})
	}},
	"portal_offer": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+offerColumns+" FROM capacity_offers ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			o, err := scanOffer(rows)
			return rowState{"portal_offer", itoa64(o.ID), &o}, err
		})
	}},
	"portal_interest": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT need_id, offer_id, side, at FROM capacity_interests ORDER BY need_id, offer_id, side", func(rows *sql.Rows) (rowState, error) {
			i, err := scanInterest(rows)
			return rowState{"portal_interest", interestID(i), &i}, err
		})
	}},
	"fund_call": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT id, created_at, updated_at, doc FROM fund_calls ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			v, err := scanCall(rows)
			return rowState{"fund_call", itoa64(v.ID), &v}, err
		})
	}},
	"fund_application": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT id, created_at, updated_at, doc FROM fund_applications ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			v, err := scanApplication(rows)
			return rowState{"fund_application", itoa64(v.ID), &v}, err
		})
	}},
	"fund_review": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT doc FROM fund_reviews ORDER BY application_id, reviewer", func(rows *sql.Rows) (rowState, error) {
			v, err := scanFundReview(rows)
			return rowState{"fund_review", fundReviewID(v), &v}, err
		})
	}},
	"exercise": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+exerciseColumns+" FROM exercises ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			e, err := scanExercise(rows)
			return rowState{"exercise", itoa64(e.ID), &e}, err
		})
	}},
	"exercise_response": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+responseColumns+" FROM exercise_responses ORDER BY exercise_id, inject_no, state", func(rows *sql.Rows) (rowState, error) {
			r, err := scanResponse(rows)
			return rowState{"exercise_response", responseID(r), &r}, err
		})
	}},
	"portal_project": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+projectColumns+" FROM capacity_projects ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			p, err := scanProject(rows)
			return rowState{"portal_project", itoa64(p.ID), &p}, err
		})
	}},
	"portal_event": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+eventColumns+" FROM capacity_events ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			e, err := scanEvent(rows)
			return rowState{"portal_event", itoa64(e.ID), &e}, err
		})
	}},
	"record_document": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+recordDocumentColumns+" FROM record_documents ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			d, err := scanRecordDocument(rows)
			return rowState{"record_document", itoa64(d.ID), &d}, err
		})
	}},
	// Procedure records of every kind: the object type is the kind.
	"": {log: "audit", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+recordColumns+" FROM procedure_records ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			r, err := scanRecord[json.RawMessage](rows)
			return rowState{r.Kind, itoa64(r.ID), &r}, err
		})
	}},
	"appointment": {log: "audit", rows: appointmentRows},
	"user": {log: "account", rows: func(ctx context.Context, c conn) iter.Seq2[rowState, error] {
		return scanRows(ctx, c, "SELECT "+userColumns+" FROM users ORDER BY id", func(rows *sql.Rows) (rowState, error) {
			u, err := scanUser(rows)
			return rowState{"user", itoa64(u.ID), &u}, err
		})
	}},
}

// notRows are the object types whose entries do not record one row of a
// table (see auditedTables). Inscriptions and statements are not checked
// row by row: a reorder audits the new order of a whole list as one entry
// ("speakers"), and seed --scale imports statements under one entry per
// import.
var notRows = map[string]bool{"process": true, "rule": true, "state": true, "ecosoc_list": true,
	"inscription": true, "statement": true, "speakers": true, "statements": true}

// recordKinds are the kinds of procedure records (decide.Kind*), which are
// object types of their own: those in use, and those the domain defines, so
// that deleting every record of a kind is noticed too.
func (db *DB) recordKinds(ctx context.Context) (map[string]bool, error) {
	kinds := map[string]bool{"agenda": true, "cofac-nomination": true, "cofac-set": true, "topic-round": true, "briefer": true}
	rows, err := db.r().query(ctx, "SELECT DISTINCT kind FROM procedure_records")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		kinds[k] = true
	}
	return kinds, rows.Err()
}

// UncheckedObjectTypes lists the object types in the logs whose rows
// VerifyRows does not check and that are not known to need no check: a new
// audited table belongs in auditedTables (or notRows).
func (db *DB) UncheckedObjectTypes(ctx context.Context) ([]string, error) {
	records, err := db.recordKinds(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.r().query(ctx, "SELECT DISTINCT object_type FROM audit_log UNION SELECT DISTINCT object_type FROM account_log")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if _, ok := auditedTables[t]; !ok && !records[t] && !notRows[t] {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out, rows.Err()
}

// documentAudit is what the log records of an upload: not its bytes.
func documentAudit(d *Document) map[string]any {
	return map[string]any{"name": d.Name, "sha256": d.SHA256, "size": d.Size}
}

func scanRows(ctx context.Context, c conn, q string, scan func(*sql.Rows) (rowState, error)) iter.Seq2[rowState, error] {
	return func(yield func(rowState, error) bool) {
		rows, err := c.query(ctx, q)
		if err != nil {
			yield(rowState{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scan(rows)
			if !yield(r, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(rowState{}, err)
		}
	}
}

// lastState is what the log last recorded of one object.
type lastState struct {
	seq   int64
	after []byte // nil: deleted
}

type objectKey struct{ log, objectType, objectID string }

// VerifyRows checks every current row of the audited tables against the
// last entry the logs hold for it: the digest of the row as it is now must
// equal the After digest of that entry. It finds rows deleted, altered or
// inserted directly in the database, which the hash chain cannot see, and
// returns a *RowError naming the first (in log order) or nil.
func (db *DB) VerifyRows(ctx context.Context) error {
	records, err := db.recordKinds(ctx)
	if err != nil {
		return err
	}
	last := map[objectKey]lastState{}
	for log, entries := range map[string]iter.Seq2[audit.Entry, error]{"audit": db.AuditEntries(ctx), "account": db.AccountEntries(ctx)} {
		for e, err := range entries {
			if err != nil {
				return err
			}
			t, ok := auditedTables[e.ObjectType]
			if !ok && records[e.ObjectType] {
				t, ok = auditedTables[""], true
			}
			if !ok || t.log != log || t.ignore[e.Action] {
				continue
			}
			switch {
			case e.After != nil:
				last[objectKey{log, e.ObjectType, e.ObjectID}] = lastState{e.Seq, e.After}
			case e.Before != nil:
				last[objectKey{log, e.ObjectType, e.ObjectID}] = lastState{e.Seq, nil}
			}
			// Neither: the entry records no state (a password change).
		}
	}
	var problems []*RowError
	seen := map[objectKey]bool{}
	for _, t := range auditedTables {
		for r, err := range t.rows(ctx, db.r()) {
			if err != nil {
				return err
			}
			k := objectKey{t.log, r.objectType, r.objectID}
			seen[k] = true
			st, ok := last[k]
			p := &RowError{ObjectType: r.objectType, ObjectID: r.objectID, Seq: st.seq, Log: t.log + " log"}
			d, err := audit.Digest(r.value)
			if err != nil {
				return err
			}
			switch {
			case !ok:
				p.Problem = "row is not in the " + p.Log + " (inserted outside the application)"
			case st.after == nil:
				p.Problem = "row exists but the log records its deletion"
			case !bytes.Equal(d, st.after):
				p.Problem = "row differs from the state the log last recorded (altered outside the application)"
			default:
				continue
			}
			problems = append(problems, p)
		}
	}
	for k, st := range last {
		if st.after != nil && !seen[k] {
			problems = append(problems, &RowError{ObjectType: k.objectType, ObjectID: k.objectID, Seq: st.seq, Log: k.log + " log",
				Problem: "row is missing (deleted outside the application)"})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Slice(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		if a.Log != b.Log {
			return a.Log > b.Log // the procedural ("audit") log first
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return a.ObjectType+" "+a.ObjectID < b.ObjectType+" "+b.ObjectID
	})
	first := problems[0]
	first.Others = len(problems) - 1
	return first
}
