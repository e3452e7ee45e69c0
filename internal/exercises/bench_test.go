package exercises_test

import (
	"fmt"
	"testing"
	"time"

	"concord"
	"concord/exercise"
	"concord/internal/exercises"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var twenty = []string{"ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "EGY", "FRA", "GBR", "IND", "JPN", "KEN", "MEX", "NGA", "NLD", "RUS", "SDN", "SEN", "USA", "ZAF"}

// big sets up an exercise of the first states of twenty each answering
// every one of injects injects (the largest the rules allow: 20 × 50,
// 1,000 responses); the clock ends after the exercise.
func big(tb testing.TB, db *store.DB, states, injects int) (*exercises.Service, int64) {
	tb.Helper()
	now := start.Add(-time.Hour)
	db.Now = func() time.Time { return now }
	s := &exercises.Service{DB: db, Process: concord.DefaultProcessCode}
	e, err := s.Create(ctx, sec, exercises.Input{Setting: exercise.DTG, Title: concord.Text{"en": "Big"}, Narrative: concord.Text{"en": "Big."},
		States: twenty[:states], Start: start, End: start.Add(5 * time.Hour)})
	if err != nil {
		tb.Fatal(err)
	}
	for i := range injects {
		if _, err := s.AddInject(ctx, sec, e.ID, time.Duration(i)*5*time.Minute, fmt.Sprintf("Inject %d: something happens.", i+1), nil); err != nil {
			tb.Fatal(err)
		}
	}
	now = start.Add(4*time.Hour + 30*time.Minute)
	for _, st := range twenty[:states] {
		u := &concord.User{ID: 100, Role: concord.RoleDelegate, State: st}
		for no := 1; no <= injects; no++ {
			if _, err := s.Respond(ctx, u, e.ID, no, "Our CERT acts and informs the other points of contact."); err != nil {
				tb.Fatal(err)
			}
		}
	}
	now = start.Add(6 * time.Hour)
	return s, e.ID
}

// TestExerciseReadStatements: reading an exercise is two statements (the
// exercise, its responses) however many injects and responses it has, and
// one for a reader who may not see the responses.
func TestExerciseReadStatements(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s, id := big(t, db, 3, 4)
	for _, c := range []struct {
		u    *concord.User
		want int64
	}{{&concord.User{ID: 9, Role: concord.RoleDelegate, State: "ARG"}, 2}, {nil, 1}} {
		before := db.Queries()
		v, err := s.Exercise(ctx, c.u, id)
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Queries() - before; n != c.want {
			t.Errorf("%+v: %d statements, want %d (%d responses)", c.u, n, c.want, len(v.Responses))
		}
	}
}

// BenchmarkExerciseRead reads the largest exercise as a participant (50
// injects, 1,000 responses) and as the public.
func BenchmarkExerciseRead(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	s, id := big(b, db, len(twenty), exercise.MaxInjects)
	for _, c := range []struct {
		name string
		u    *concord.User
	}{{"participant", fra}, {"public", nil}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Exercise(ctx, c.u, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
