package seed_test

import (
	"context"
	"testing"

	"concord"
	"concord/internal/exercises"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoExercise checks the demo exercise: ended, four injects and eight
// responses for a participant, the injects, debrief and three lessons for
// the public but no response; seeding again adds nothing.
func TestDemoExercise(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &exercises.Service{DB: db, Process: concord.DefaultProcessCode}
	l, err := svc.List(ctx, nil)
	if err != nil || len(l) != 1 {
		t.Fatalf("%v %v", l, err)
	}
	id := l[0].Exercise.ID
	fra, err := svc.Exercise(ctx, &concord.User{ID: 9, Role: concord.RoleDelegate, State: "FRA"}, id)
	if err != nil || len(fra.Exercise.Injects) != 4 || len(fra.Responses) != 8 {
		t.Errorf("participant: %d injects, %d responses, %v", len(fra.Exercise.Injects), len(fra.Responses), err)
	}
	pub, _ := svc.Exercise(ctx, nil, id)
	if len(pub.Exercise.Injects) != 4 || len(pub.Exercise.Lessons) != 3 || pub.Exercise.Debrief == "" || len(pub.Responses) != 0 {
		t.Errorf("public: %+v", pub)
	}
}
