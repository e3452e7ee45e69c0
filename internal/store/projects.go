package store

import (
	"concord"
	"concord/capacity"
	"time"
)

// Projects and the events calendar of the portal (issue 13): documents of
// capacity.Project and capacity.Event with the columns the lists filter
// and order by. A project kept to States is audited confidentially, as its
// need is.

const projectColumns = "id, created_at, updated_at, doc"

func scanProject(sc interface{ Scan(...any) error }) (capacity.Project, error) {
	return scanDoc(sc, func(p *capacity.Project, id int64, created, updated time.Time) {
		p.ID, p.Created, p.Updated = id, created, updated
	})
}

// SaveProject inserts (ID 0) or updates p after validating it, audited
// under action, publicly only when the project is public before and
// after. A second project from the same match is a conflict.
func (tx *Tx) SaveProject(p *capacity.Project, action string) error {
	p.Normalise()
	if err := p.Validate(); err != nil {
		return err
	}
	var before any
	public := p.Visibility == capacity.Public
	p.Updated = tx.Now.UTC().Truncate(time.Second)
	if p.ID == 0 {
		p.Created = p.Updated
	} else {
		prev, err := tx.Project(p.ID)
		if err != nil {
			return err
		}
		before, p.Created = prev, prev.Created
		public = public && prev.Visibility == capacity.Public
	}
	doc, err := docJSON(p)
	if err != nil {
		return err
	}
	if p.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO capacity_projects (process, beneficiary, area, status, visibility, need_id, offer_id, from_day, until_day, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			p.Process, p.Beneficiary, string(p.Area), string(p.Status), string(p.Visibility), nullID(p.Need), nullID(p.Offer), p.From, p.Until, p.Created, p.Updated, doc).Scan(&p.ID)
		if isUniqueViolation(err) {
			return concord.Errorf(concord.EConflict, "offer", "project.error.exists", "this match is already a project")
		}
		if err == nil {
			if doc, err = docJSON(p); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE capacity_projects SET doc = $1 WHERE id = $2", doc, p.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE capacity_projects SET beneficiary = $1, area = $2, status = $3, visibility = $4, from_day = $5, until_day = $6, updated_at = $7, doc = $8 WHERE id = $9`,
			p.Beneficiary, string(p.Area), string(p.Status), string(p.Visibility), p.From, p.Until, p.Updated, doc, p.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "portal_project", itoa64(p.ID), before, p, public)
}

// RestrictProject keeps project id to States, audited (confidentially)
// under action. Only its visibility changes, and the rest is not
// validated again: a project that no longer validates (an area since
// retired, say) must still be kept from the public.
func (tx *Tx) RestrictProject(id int64, action string) error {
	prev, err := tx.Project(id)
	if err != nil || prev.Visibility == capacity.StatesOnly {
		return err
	}
	p := prev
	p.Visibility = capacity.StatesOnly
	p.Updated = tx.Now.UTC().Truncate(time.Second)
	doc, err := docJSON(p)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE capacity_projects SET visibility = $1, updated_at = $2, doc = $3 WHERE id = $4",
		string(p.Visibility), p.Updated, doc, id); err != nil {
		return err
	}
	return tx.Audit(action, "portal_project", itoa64(id), prev, p, false)
}

// Project reads project id.
func (r Reader) Project(id int64) (capacity.Project, error) {
	return scanProject(r.row(r.ctx, "SELECT "+projectColumns+" FROM capacity_projects WHERE id = $1", id))
}

// ProjectOfMatch reads the project made from the match of need and offer,
// if there is one.
func (r Reader) ProjectOfMatch(need, offer int64) (capacity.Project, error) {
	return scanProject(r.row(r.ctx, "SELECT "+projectColumns+" FROM capacity_projects WHERE need_id = $1 AND offer_id = $2", need, offer))
}

// ProjectsOfNeed maps each offer of need's matches that became a project
// to the project's id, in one statement.
func (r Reader) ProjectsOfNeed(need int64) (map[int64]int64, error) {
	type pair struct{ offer, id int64 }
	pairs, err := queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (pair, error) {
		var p pair
		return p, sc.Scan(&p.offer, &p.id)
	}, "SELECT offer_id, id FROM capacity_projects WHERE need_id = $1", need)
	out := make(map[int64]int64, len(pairs))
	for _, p := range pairs {
		out[p.offer] = p.id
	}
	return out, err
}

// ProjectQuery selects projects of a process, newest first.
type ProjectQuery struct {
	Process string
	// StatesOnly includes the projects kept to States; the caller decides
	// whether the reader may see them.
	StatesOnly  bool
	Area        capacity.Area
	Status      capacity.ProjectStatus
	Beneficiary string
	Limit       int
	Offset      int
}

func (q ProjectQuery) where() (string, []any) {
	var w where
	w.add("process = ?", q.Process)
	w.addIf(!q.StatesOnly, "visibility = ?", string(capacity.Public))
	w.addIf(q.Area != "", "area = ?", string(q.Area))
	w.addIf(q.Status != "", "status = ?", string(q.Status))
	w.addIf(q.Beneficiary != "", "beneficiary = ?", q.Beneficiary)
	return w.clause(), w.args
}

// Projects lists the projects q selects, newest first, in one statement.
func (r Reader) Projects(q ProjectQuery) ([]capacity.Project, error) {
	w, args := q.where()
	return queryAll(r.ctx, r.conn, scanProject, "SELECT "+projectColumns+" FROM capacity_projects"+w+" ORDER BY id DESC"+limit(q.Limit, q.Offset), args...)
}

// CountProjects counts the projects q selects (Limit and Offset aside).
func (r Reader) CountProjects(q ProjectQuery) (int, error) {
	w, args := q.where()
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM capacity_projects"+w, args...).Scan(&n)
	return n, err
}

const eventColumns = "id, created_at, updated_at, doc"

func scanEvent(sc interface{ Scan(...any) error }) (capacity.Event, error) {
	return scanDoc(sc, func(e *capacity.Event, id int64, created, updated time.Time) {
		e.ID, e.Created, e.Updated = id, created, updated
	})
}

// SaveEvent inserts (ID 0) or updates e after validating it, audited
// publicly under action: the calendar is public.
func (tx *Tx) SaveEvent(e *capacity.Event, action string) error {
	e.Normalise()
	if err := e.Validate(); err != nil {
		return err
	}
	var before any
	e.Updated = tx.Now.UTC().Truncate(time.Second)
	if e.ID == 0 {
		e.Created = e.Updated
	} else {
		prev, err := tx.Event(e.ID)
		if err != nil {
			return err
		}
		before, e.Created, e.Sequence = prev, prev.Created, prev.Sequence+1
	}
	doc, err := docJSON(e)
	if err != nil {
		return err
	}
	if e.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO capacity_events (process, starts_at, ends_at, area, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			e.Process, e.Start, e.End, string(e.Area), e.Created, e.Updated, doc).Scan(&e.ID); err == nil {
			if doc, err = docJSON(e); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE capacity_events SET doc = $1 WHERE id = $2", doc, e.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE capacity_events SET starts_at = $1, ends_at = $2, area = $3, updated_at = $4, doc = $5 WHERE id = $6`,
			e.Start, e.End, string(e.Area), e.Updated, doc, e.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "portal_event", itoa64(e.ID), before, e, true)
}

// Event reads event id.
func (r Reader) Event(id int64) (capacity.Event, error) {
	return scanEvent(r.row(r.ctx, "SELECT "+eventColumns+" FROM capacity_events WHERE id = $1", id))
}

// Events lists the events of a process that end at or after since, by
// start, at most limit (all when limit ≤ 0), in one statement.
func (r Reader) Events(process string, since time.Time, n int) ([]capacity.Event, error) {
	return queryAll(r.ctx, r.conn, scanEvent, "SELECT "+eventColumns+" FROM capacity_events WHERE process = $1 AND ends_at >= $2 ORDER BY starts_at, id"+limit(n, 0),
		process, since.UTC())
}
