package store

import (
	"encoding/json"
	"time"

	"concord"
	"concord/fund"
)

// The Voluntary Fund (issue 13): calls, applications and reviews as JSON
// documents with the columns the lists read. Calls and awards are public
// and audited publicly; an application's other steps are audited
// confidentially, and a review always: the public log must not show a
// State's application before it is awarded, nor any score or comment.

func scanCall(sc interface{ Scan(...any) error }) (fund.Call, error) {
	return scanDoc(sc, func(c *fund.Call, id int64, created, updated time.Time) {
		c.ID, c.Created, c.Updated = id, created, updated
	})
}

func scanApplication(sc interface{ Scan(...any) error }) (fund.Application, error) {
	return scanDoc(sc, func(a *fund.Application, id int64, created, updated time.Time) {
		a.ID, a.Created, a.Updated = id, created, updated
	})
}

// SaveFundCall inserts (ID 0) or updates c after validating it, audited
// publicly under action ("fund.call.create", ...): calls are public.
func (tx *Tx) SaveFundCall(c *fund.Call, action string) error {
	c.Normalise()
	if err := c.Validate(); err != nil {
		return err
	}
	var before any
	c.Updated = tx.Now.UTC().Truncate(time.Second)
	if c.ID == 0 {
		c.Created = c.Updated
	} else {
		prev, err := tx.FundCall(c.ID)
		if err != nil {
			return err
		}
		before, c.Created = prev, prev.Created
	}
	doc, err := docJSON(c)
	if err != nil {
		return err
	}
	if c.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO fund_calls (process, opens_at, closes_at, created_at, updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.Process, c.Opens.UTC(), c.Closes.UTC(), c.Created, c.Updated, doc).Scan(&c.ID)
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE fund_calls SET opens_at = $1, closes_at = $2, updated_at = $3, doc = $4 WHERE id = $5`,
			c.Opens.UTC(), c.Closes.UTC(), c.Updated, doc, c.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "fund_call", itoa64(c.ID), before, c, true)
}

// SaveFundApplication inserts (ID 0) or updates a, audited under action
// ("fund.apply", "fund.screen", "fund.award", ...): publicly only once it
// is awarded (the award is public), confidentially before. A State's
// second application to the same call is a conflict.
func (tx *Tx) SaveFundApplication(a *fund.Application, action string) error {
	a.Normalise()
	if err := a.Validate(); err != nil {
		return err
	}
	var before any
	a.Updated = tx.Now.UTC().Truncate(time.Second)
	if a.ID == 0 {
		a.Created = a.Updated
	} else {
		prev, err := tx.FundApplication(a.ID)
		if err != nil {
			return err
		}
		before, a.Created = prev, prev.Created
	}
	doc, err := docJSON(a)
	if err != nil {
		return err
	}
	if a.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO fund_applications (process, call_id, state, status, created_at, updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			a.Process, a.Call, a.State, string(a.Status), a.Created, a.Updated, doc).Scan(&a.ID)
		if isUniqueViolation(err) {
			return concord.Errorf(concord.EConflict, "", "fund.error.applied", "the State has already applied to this call")
		}
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE fund_applications SET status = $1, updated_at = $2, doc = $3 WHERE id = $4`, string(a.Status), a.Updated, doc, a.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "fund_application", itoa64(a.ID), before, a, a.Status == fund.Awarded)
}

// SaveFundReview records or replaces a reviewer's review, audited
// confidentially: scores and comments never reach the public log.
func (tx *Tx) SaveFundReview(r *fund.Review) error {
	r.At = tx.Now.UTC().Truncate(time.Second)
	doc, err := docJSON(r)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, `INSERT INTO fund_reviews (application_id, reviewer, at, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (application_id, reviewer) DO UPDATE SET at = excluded.at, doc = excluded.doc`, r.Application, r.Reviewer, r.At, doc); err != nil {
		return err
	}
	// A review is its own object (not the application's): audit verify
	// compares each row with the last entry about it.
	return tx.Audit("fund.review", "fund_review", fundReviewID(*r), nil, r, false)
}

// fundReviewID is a review's object id in the log: application and reviewer.
func fundReviewID(r fund.Review) string { return itoa64(r.Application) + "-" + itoa64(r.Reviewer) }

// scanFundReview reads a review from its doc column.
func scanFundReview(sc interface{ Scan(...any) error }) (fund.Review, error) {
	var v fund.Review
	var doc string
	if err := sc.Scan(&doc); err != nil {
		return v, err
	}
	return v, json.Unmarshal([]byte(doc), &v)
}

// FundCall reads call id.
func (r Reader) FundCall(id int64) (fund.Call, error) {
	return scanCall(r.row(r.ctx, "SELECT id, created_at, updated_at, doc FROM fund_calls WHERE id = $1", id))
}

// FundCalls lists the calls of a process, the latest to open first.
func (r Reader) FundCalls(process string) ([]fund.Call, error) {
	return queryAll(r.ctx, r.conn, scanCall, "SELECT id, created_at, updated_at, doc FROM fund_calls WHERE process = $1 ORDER BY opens_at DESC, id DESC", process)
}

// FundApplication reads application id.
func (r Reader) FundApplication(id int64) (fund.Application, error) {
	return scanApplication(r.row(r.ctx, "SELECT id, created_at, updated_at, doc FROM fund_applications WHERE id = $1", id))
}

// FundApplications lists the applications to call (every call of process
// when call is 0), oldest first; status, when set, keeps only those.
func (r Reader) FundApplications(process string, call int64, status fund.Status) ([]fund.Application, error) {
	q := "SELECT id, created_at, updated_at, doc FROM fund_applications WHERE process = $1"
	args := []any{process}
	if call != 0 {
		args = append(args, call)
		q += " AND call_id = $" + itoa64(int64(len(args)))
	}
	if status != "" {
		args = append(args, string(status))
		q += " AND status = $" + itoa64(int64(len(args)))
	}
	return queryAll(r.ctx, r.conn, scanApplication, q+" ORDER BY id", args...)
}

// FundReviews reads the reviews of application id, oldest first. The
// caller decides whether the reader may see them (fund.CanSeeReviews).
func (r Reader) FundReviews(id int64) ([]fund.Review, error) {
	return queryAll(r.ctx, r.conn, scanFundReview, "SELECT doc FROM fund_reviews WHERE application_id = $1 ORDER BY at, reviewer", id)
}
