// Package exercises runs scenario-based tabletop exercises (issue 13) for
// pages and API alike: the facilitator (the Secretariat, or the Chair for
// its own) sets up an exercise and its injects, the participating States'
// delegates respond to each inject once it is released and until the end,
// and the facilitator writes the debrief and the lessons and publishes
// them. Every read passes through exercise.Exercise.For and
// VisibleResponses at the store's clock, so no page, API operation or list
// shows an inject before its release or a response to whoever may not
// read it; the rules are the pure package exercise.
package exercises

import (
	"context"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/exercise"
	"concord/internal/apply"
	"concord/internal/cachectl"
	"concord/internal/store"
)

// ListLimit bounds the exercises a list shows.
const ListLimit = 100

// Service runs the exercises of one process.
type Service struct {
	DB      *store.DB
	Process string
}

// Input is a new exercise as a form or the API gives it (instants already
// read; what could not be read is in Unread, reported with the rest).
type Input struct {
	Setting     exercise.Setting
	Title       concord.Text
	Narrative   concord.Text
	Facilitator exercise.Facilitator
	States      []string
	Start, End  time.Time
	Unread      concord.Errors
}

// check is the object's own validation with the adapter's unread fields,
// every problem at once; a field the adapter could not read is reported
// once, by the adapter.
func check(unread concord.Errors, err error) error {
	errs := append(concord.Errors{}, unread...)
	var all concord.Errors
	all.Add(err)
	for _, e := range all {
		if !slices.ContainsFunc(unread, func(u *concord.Error) bool { return u.Field == e.Field }) {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

// facilitatorOf is who facilitates an exercise u sets up: the Chair
// itself; the Secretariat as the input says (itself by default).
func facilitatorOf(u *concord.User, in Input) exercise.Facilitator {
	if u != nil && u.Role == concord.RoleChair {
		return exercise.ByChair
	}
	if in.Facilitator == "" {
		return exercise.BySecretariat
	}
	return in.Facilitator
}

// draft is what a new exercise's write works on: the exercise and the
// participants the registry does not know.
type draft struct {
	e       exercise.Exercise
	unknown []string
}

// Create sets up an exercise.
func (s *Service) Create(ctx context.Context, u *concord.User, in Input) (exercise.Exercise, error) {
	fac := facilitatorOf(u, in)
	allow := func(draft) error {
		if !concord.Can(u, concord.ActFacilitateExercises, concord.Target{Body: string(fac)}) {
			return exercise.ErrNotFacilitator
		}
		return nil
	}
	if err := allow(draft{}); err != nil {
		return exercise.Exercise{}, err
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			d := draft{e: exercise.Exercise{Process: s.Process, Setting: in.Setting, Title: concord.Text{}, Narrative: concord.Text{},
				Facilitator: fac, States: in.States, Start: in.Start, End: in.End}}
			for l, t := range in.Title {
				d.e.Title[l] = t
			}
			for l, t := range in.Narrative {
				d.e.Narrative[l] = t
			}
			d.e.Normalise()
			states, err := r.States()
			for _, st := range d.e.States {
				if !slices.ContainsFunc(states, func(x concord.State) bool { return x.ISO3 == st }) {
					d.unknown = append(d.unknown, st)
				}
			}
			return d, err
		},
		Allow: allow,
		Change: func(d *draft, _ time.Time) error {
			unread := in.Unread
			if len(d.unknown) > 0 {
				unread = append(unread, concord.Errorf(concord.EInvalid, "states", "exercise.error.unknown_states", "no such State: %s", strings.Join(d.unknown, ", ")))
			}
			return check(unread, d.e.Validate())
		},
		Save: func(tx *store.Tx, d *draft) error { return tx.SaveExercise(&d.e, "exercise.create") },
	}.Run(ctx, s.DB)
	return d.e, err
}

// load reads exercise id of the service's process.
func (s *Service) load(r store.Reader, id int64) (exercise.Exercise, error) {
	e, err := r.Exercise(id)
	if err == nil && e.Process != s.Process {
		err = concord.ErrNotFound
	}
	return e, err
}

// change runs one facilitator's act on exercise id.
func (s *Service) change(ctx context.Context, u *concord.User, id int64, action string, act func(e *exercise.Exercise, now time.Time) error) (exercise.Exercise, error) {
	return apply.Write[exercise.Exercise]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (exercise.Exercise, error) { return s.load(r, id) },
		Allow: func(e exercise.Exercise) error {
			if !e.IsFacilitator(u) {
				return exercise.ErrNotFacilitator
			}
			return nil
		},
		Change: act,
		Save:   func(tx *store.Tx, e *exercise.Exercise) error { return tx.SaveExercise(e, action) },
	}.Run(ctx, s.DB)
}

// AddInject adds an inject released offset after the start.
func (s *Service) AddInject(ctx context.Context, u *concord.User, id int64, offset time.Duration, text string, unread concord.Errors) (exercise.Inject, error) {
	var in exercise.Inject
	_, err := s.change(ctx, u, id, "exercise.inject", func(e *exercise.Exercise, now time.Time) error {
		var err error
		in, err = e.AddInject(u, offset, text, now)
		return check(unread, err)
	})
	return in, err
}

// SetDebrief sets the debrief and what is published.
func (s *Service) SetDebrief(ctx context.Context, u *concord.User, id int64, text string, publish, publishResponses bool) (exercise.Exercise, error) {
	return s.change(ctx, u, id, "exercise.debrief", func(e *exercise.Exercise, now time.Time) error {
		return e.SetDebrief(u, text, publish, publishResponses, now)
	})
}

// AddLesson adds a lesson to the debrief.
func (s *Service) AddLesson(ctx context.Context, u *concord.User, id int64, l exercise.Lesson) (exercise.Exercise, error) {
	return s.change(ctx, u, id, "exercise.lesson", func(e *exercise.Exercise, _ time.Time) error { return e.AddLesson(u, l) })
}

// answer is what a response's write works on.
type answer struct {
	e exercise.Exercise
	r exercise.Response
}

// Respond records u's State's response to inject no (replacing its
// earlier one): refused to a non-participant, before the release and
// after the end, with a clear error.
func (s *Service) Respond(ctx context.Context, u *concord.User, id int64, no int, text string) (exercise.Response, error) {
	a, err := apply.Write[answer]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (answer, error) {
			e, err := s.load(r, id)
			return answer{e: e}, err
		},
		Allow: func(a answer) error { return a.e.CanRespond(u) },
		Change: func(a *answer, now time.Time) error {
			var err error
			a.r, err = a.e.Respond(u, no, text, now)
			return err
		},
		Save: func(tx *store.Tx, a *answer) error { return tx.SaveResponse(&a.r) },
	}.Run(ctx, s.DB)
	return a.r, err
}

// View is an exercise as one reader sees it at one instant.
type View struct {
	Exercise  exercise.Exercise // injects, debrief and lessons as the reader may see them
	Phase     exercise.Phase
	Responses []exercise.Response // those the reader may read
	// Facilitator and Participant say what the reader may do.
	Facilitator, Participant bool
	Now                      time.Time
	// NextChange is when the reader's view next changes by the clock
	// alone (zero when it will not).
	NextChange time.Time
}

// Exercise reads exercise id as u sees it now (two statements).
func (s *Service) Exercise(ctx context.Context, u *concord.User, id int64) (View, error) {
	r := s.DB.Read(ctx)
	e, err := s.load(r, id)
	if err != nil {
		return View{}, err
	}
	now := s.DB.Now().UTC()
	v := View{Exercise: e.For(u, now), Phase: e.PhaseAt(now), Facilitator: e.IsFacilitator(u), Participant: e.IsParticipant(u),
		Now: now, NextChange: e.NextChange(now)}
	cachectl.Until(ctx, v.NextChange)
	if e.CanSeeResponses(u, now) {
		rs, err := r.Responses(id)
		if err != nil {
			return v, err
		}
		v.Responses = e.VisibleResponses(u, now, rs)
	}
	return v, nil
}

// Summary is an exercise in a list.
type Summary struct {
	Exercise exercise.Exercise // as the reader may see it
	Phase    exercise.Phase
}

// List lists the process's exercises as u sees them now, latest first.
func (s *Service) List(ctx context.Context, u *concord.User) ([]Summary, error) {
	es, err := s.DB.Read(ctx).Exercises(s.Process, ListLimit)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now().UTC()
	out := make([]Summary, 0, len(es))
	for _, e := range es {
		out = append(out, Summary{Exercise: e.For(u, now), Phase: e.PhaseAt(now)})
		cachectl.Until(ctx, e.NextChange(now))
	}
	return out, nil
}
