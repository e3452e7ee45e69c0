package store

import (
	"concord/exercise"
	"strconv"
	"time"
)

// Scenario-based exercises (issue 13): an exercise is a JSON document of
// exercise.Exercise with the columns its list orders by; responses are rows
// keyed by exercise, inject and State. Every entry is confidential in the
// log: an exercise's unreleased injects and its States' responses must not
// reach the public through it.

const exerciseColumns = "id, created_at, updated_at, doc"

func scanExercise(sc interface{ Scan(...any) error }) (exercise.Exercise, error) {
	return scanDoc(sc, func(e *exercise.Exercise, id int64, created, updated time.Time) {
		e.ID, e.Created, e.Updated = id, created, updated
	})
}

const responseColumns = "exercise_id, inject_no, state, author, body, at"

func scanResponse(sc interface{ Scan(...any) error }) (exercise.Response, error) {
	var r exercise.Response
	err := sc.Scan(&r.Exercise, &r.Inject, &r.State, &r.Author, &r.Text, &r.At)
	r.At = r.At.UTC()
	return r, err
}

func responseID(r exercise.Response) string {
	return itoa64(r.Exercise) + "-" + strconv.Itoa(r.Inject) + "-" + r.State
}

// SaveExercise inserts (ID 0) or updates e after validating it, audited
// confidentially under action ("exercise.create", "exercise.inject", …).
func (tx *Tx) SaveExercise(e *exercise.Exercise, action string) error {
	e.Normalise()
	if err := e.Validate(); err != nil {
		return err
	}
	var before any
	e.Updated = tx.Now.UTC().Truncate(time.Second)
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	if e.ID == 0 {
		e.Created = e.Updated
	} else {
		prev, err := tx.Exercise(e.ID)
		if err != nil {
			return err
		}
		before, e.Created = prev, prev.Created
	}
	doc, err := docJSON(e)
	if err != nil {
		return err
	}
	if e.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO exercises (process, starts_at, ends_at, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.Process, e.Start, e.End, e.Created, e.Updated, doc).Scan(&e.ID); err == nil {
			if doc, err = docJSON(e); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE exercises SET doc = $1 WHERE id = $2", doc, e.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, "UPDATE exercises SET starts_at = $1, ends_at = $2, updated_at = $3, doc = $4 WHERE id = $5",
			e.Start, e.End, e.Updated, doc, e.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "exercise", itoa64(e.ID), before, e, false)
}

// SaveResponse records a State's response to an inject, replacing the
// State's earlier one (one statement, so that two delegates answering at
// once leave one answer, the later), audited confidentially.
func (tx *Tx) SaveResponse(r *exercise.Response) error {
	r.At = r.At.UTC().Truncate(time.Second)
	if _, err := tx.exec(tx.ctx, `INSERT INTO exercise_responses (exercise_id, inject_no, state, author, body, at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (exercise_id, inject_no, state) DO UPDATE SET author = excluded.author, body = excluded.body, at = excluded.at`,
		r.Exercise, r.Inject, r.State, r.Author, r.Text, r.At); err != nil {
		return err
	}
	return tx.Audit("exercise.respond", "exercise_response", responseID(*r), nil, r, false)
}

// Exercise reads exercise id.
func (r Reader) Exercise(id int64) (exercise.Exercise, error) {
	return scanExercise(r.row(r.ctx, "SELECT "+exerciseColumns+" FROM exercises WHERE id = $1", id))
}

// Exercises lists a process's exercises, latest start first, at most n.
func (r Reader) Exercises(process string, n int) ([]exercise.Exercise, error) {
	return queryAll(r.ctx, r.conn, scanExercise, "SELECT "+exerciseColumns+" FROM exercises WHERE process = $1 ORDER BY starts_at DESC, id DESC"+limit(n, 0), process)
}

// Responses lists an exercise's responses by inject and State.
func (r Reader) Responses(exerciseID int64) ([]exercise.Response, error) {
	return queryAll(r.ctx, r.conn, scanResponse, "SELECT "+responseColumns+" FROM exercise_responses WHERE exercise_id = $1 ORDER BY inject_no, state", exerciseID)
}
