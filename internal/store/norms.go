package store

import (
	"concord/capacity"
	"concord/norms"
	"encoding/json"
	"time"
)

// The norms implementation checklist (issue 13): a State's report on each
// action as a JSON document of norms.Report keyed by process, State and
// action, and a history row for every report saved. A report kept to
// States is audited confidentially, and its history rows are left out of
// every list the public and stakeholders read.

func scanNormReport(sc interface{ Scan(...any) error }) (norms.Report, error) {
	var r norms.Report
	var updated time.Time
	var doc string
	if err := sc.Scan(&updated, &doc); err != nil {
		return r, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return r, err
	}
	r.Updated = updated.UTC()
	return r, nil
}

// NormReport reads the report of state on action in process.
func (r Reader) NormReport(process, state, action string) (norms.Report, error) {
	return scanNormReport(r.row(r.ctx, "SELECT updated_at, doc FROM norm_reports WHERE process = $1 AND state = $2 AND action = $3",
		process, state, action))
}

// SaveNormReport inserts or replaces rep after validating it, adds its
// change to the history (from the status before, prev, empty for a first
// report) and audits it: publicly only when the report is public before
// and after.
func (tx *Tx) SaveNormReport(rep *norms.Report, prev *norms.Report) error {
	rep.Normalise()
	if err := rep.Validate(); err != nil {
		return err
	}
	rep.Updated = tx.Now.UTC().Truncate(time.Second)
	public := rep.Visibility == capacity.Public
	var before any
	var from norms.Status
	if prev != nil {
		before, from = *prev, prev.Status
		public = public && prev.Visibility == capacity.Public
	}
	doc, err := docJSON(rep)
	if err != nil {
		return err
	}
	if _, err = tx.exec(tx.ctx, `INSERT INTO norm_reports (process, state, action, status, visibility, updated_at, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (process, state, action) DO UPDATE SET status = excluded.status, visibility = excluded.visibility,
			updated_at = excluded.updated_at, doc = excluded.doc`,
		rep.Process, rep.State, rep.Action, string(rep.Status), string(rep.Visibility), rep.Updated, doc); err != nil {
		return err
	}
	if _, err = tx.exec(tx.ctx, `INSERT INTO norm_report_history (process, state, action, from_status, to_status, visibility, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		rep.Process, rep.State, rep.Action, string(from), string(rep.Status), string(rep.Visibility), rep.Updated); err != nil {
		return err
	}
	action := "norms.report"
	if prev != nil {
		action = "norms.report.edit"
	}
	return tx.Audit(action, "norm_report", rep.State+"-"+rep.Action, before, rep, public)
}

// NormReports reads the reports of state in process, in the checklist's
// order of codes; the States-only ones only when statesOnly.
func (r Reader) NormReports(process, state string, statesOnly bool) ([]norms.Report, error) {
	q := "SELECT updated_at, doc FROM norm_reports WHERE process = $1 AND state = $2"
	args := []any{process, state}
	if !statesOnly {
		q += " AND visibility = $3"
		args = append(args, string(capacity.Public))
	}
	return queryAll(r.ctx, r.conn, scanNormReport, q+" ORDER BY action", args...)
}

// NormTallies counts the reports of process (the public ones only unless
// statesOnly) per State and status, and per norm and status, in two
// statements of grouped rows: what the progress views read, a few hundred
// rows however many reports there are.
func (r Reader) NormTallies(process string, statesOnly bool) (byState, byNorm []norms.Tally, err error) {
	w := " FROM norm_reports WHERE process = $1"
	args := []any{process}
	if !statesOnly {
		w += " AND visibility = $2"
		args = append(args, string(capacity.Public))
	}
	scan := func(sc interface{ Scan(...any) error }) (norms.Tally, error) {
		var t norms.Tally
		var st string
		err := sc.Scan(&t.Key, &st, &t.N)
		t.Status = norms.Status(st)
		return t, err
	}
	if byState, err = queryAll(r.ctx, r.conn, scan, "SELECT state, status, COUNT(*)"+w+" GROUP BY state, status ORDER BY state, status", args...); err != nil {
		return nil, nil, err
	}
	byNorm, err = queryAll(r.ctx, r.conn, scan, "SELECT substr(action, 1, 1), status, COUNT(*)"+w+" GROUP BY substr(action, 1, 1), status ORDER BY 1, 2", args...)
	return byState, byNorm, err
}

// NormHistory reads the changes of state's reports (of every State when
// state is empty), newest first, at most limit. Unless statesOnly it keeps
// only the changes made while the report was public whose report is public
// still: a State that keeps a report to States withdraws its history too.
func (r Reader) NormHistory(process, state string, statesOnly bool, limit int) ([]norms.Change, error) {
	q := "SELECT h.id, h.state, h.action, h.from_status, h.to_status, h.visibility, h.at FROM norm_report_history h WHERE h.process = $1"
	args := []any{process}
	if state != "" {
		args = append(args, state)
		q += " AND h.state = $2"
	}
	if !statesOnly {
		args = append(args, string(capacity.Public))
		p := "$" + itoa64(int64(len(args)))
		q += " AND h.visibility = " + p + " AND EXISTS (SELECT 1 FROM norm_reports n WHERE n.process = h.process AND n.state = h.state AND n.action = h.action AND n.visibility = " + p + ")"
	}
	args = append(args, limit)
	q += " ORDER BY h.id DESC LIMIT $" + itoa64(int64(len(args)))
	return queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (norms.Change, error) {
		var c norms.Change
		var from, to, vis string
		err := sc.Scan(&c.ID, &c.State, &c.Action, &from, &to, &vis, &c.At)
		c.From, c.To, c.Visibility, c.At = norms.Status(from), norms.Status(to), capacity.Visibility(vis), c.At.UTC()
		return c, err
	}, q, args...)
}
