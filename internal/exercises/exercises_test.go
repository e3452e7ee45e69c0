package exercises_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/capacity"
	"concord/exercise"
	"concord/internal/exercises"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	sec   = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	chair = &concord.User{ID: 2, Role: concord.RoleChair}
	ken   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "KEN"}
	fra   = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "FRA"}
	deu   = &concord.User{ID: 5, Role: concord.RoleDelegate, State: "DEU"}
	focal = &concord.User{ID: 6, Role: concord.RoleFocalPoint, OrgID: 7}
	start = time.Date(2026, 12, 8, 14, 0, 0, 0, time.UTC)
)

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

// TestExerciseRun runs an exercise through the store's clock: set up,
// injects, responses refused before release, by a non-participant and
// after the end; who sees what live and after; debrief published.
func TestExerciseRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := start.Add(-time.Hour)
		db.Now = func() time.Time { return now }
		s := &exercises.Service{DB: db, Process: concord.DefaultProcessCode}
		in := exercises.Input{Setting: exercise.POCNetwork, Title: concord.Text{"en": "Ransomware on a hospital network"},
			Narrative: concord.Text{"en": "A hospital is down."}, States: []string{"KEN", "FRA"}, Start: start, End: start.Add(2 * time.Hour)}
		if _, err := s.Create(ctx, ken, in); !slices.Equal(keys(err), []string{"exercise.error.not_facilitator"}) {
			t.Errorf("a delegate sets up: %v", err)
		}
		bad := in
		bad.States, bad.Title = []string{"XXX"}, nil
		if _, err := s.Create(ctx, sec, bad); !slices.Equal(keys(err), []string{"exercise.error.unknown_states", "exercise.error.title"}) {
			t.Errorf("all at once: %v", keys(err))
		}
		e, err := s.Create(ctx, sec, in)
		if err != nil || e.ID == 0 || e.Facilitator != exercise.BySecretariat {
			t.Fatalf("%+v %v", e, err)
		}
		for _, x := range []struct {
			off  time.Duration
			text string
		}{{0, "Systems down"}, {30 * time.Minute, "Ransom note"}} {
			if _, err := s.AddInject(ctx, sec, e.ID, x.off, x.text, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddInject(ctx, chair, e.ID, time.Minute, "x", nil); !slices.Equal(keys(err), []string{"exercise.error.not_facilitator"}) {
			t.Errorf("the Chair on the Secretariat's: %v", err)
		}
		now = start.Add(10 * time.Minute)
		if _, err := s.Respond(ctx, ken, e.ID, 2, "Early"); !slices.Equal(keys(err), []string{"exercise.error.not_released"}) {
			t.Errorf("before release: %v", err)
		}
		if _, err := s.Respond(ctx, deu, e.ID, 1, "Us"); !slices.Equal(keys(err), []string{"exercise.error.not_participant"}) {
			t.Errorf("non-participant: %v", err)
		}
		if _, err := s.Respond(ctx, ken, e.ID, 1, "First"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Respond(ctx, ken, e.ID, 1, "We isolate the network"); err != nil {
			t.Fatal(err)
		}
		v, err := s.Exercise(ctx, fra, e.ID)
		if err != nil || len(v.Exercise.Injects) != 1 || len(v.Responses) != 1 || v.Responses[0].Text != "We isolate the network" || !v.Participant {
			t.Errorf("participant live: %+v %v", v, err)
		}
		for _, u := range []*concord.User{nil, deu, focal, chair} {
			if v, _ := s.Exercise(ctx, u, e.ID); len(v.Exercise.Injects) != 0 || len(v.Responses) != 0 {
				t.Errorf("%+v sees %d injects, %d responses live", u, len(v.Exercise.Injects), len(v.Responses))
			}
		}
		if _, err := s.SetDebrief(ctx, sec, e.ID, "Good", true, false); !slices.Equal(keys(err), []string{"exercise.error.publish_early"}) {
			t.Errorf("publish live: %v", err)
		}
		now = start.Add(2 * time.Hour)
		if _, err := s.Respond(ctx, fra, e.ID, 2, "Late"); !slices.Equal(keys(err), []string{"exercise.error.ended"}) {
			t.Errorf("after end: %v", err)
		}
		if _, err := s.AddLesson(ctx, sec, e.ID, exercise.Lesson{Norms: []capacity.Area{"norm.h"}, Text: "Answer fast", Recommendation: "Ping POCs"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.Exercise(ctx, nil, e.ID); len(v.Exercise.Injects) != 0 || v.Exercise.Debrief != "" || len(v.Exercise.Lessons) != 0 {
			t.Errorf("public before publication: %+v", v.Exercise)
		}
		if _, err := s.SetDebrief(ctx, sec, e.ID, "Good", true, false); err != nil {
			t.Fatal(err)
		}
		v, _ = s.Exercise(ctx, nil, e.ID)
		if len(v.Exercise.Injects) != 2 || len(v.Exercise.Lessons) != 1 || len(v.Responses) != 0 || v.Phase != exercise.Ended {
			t.Errorf("public replay: %+v", v)
		}
		if l, err := s.List(ctx, nil); err != nil || len(l) != 1 {
			t.Errorf("list: %v %v", l, err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}
