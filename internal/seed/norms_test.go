package seed_test

import (
	"context"
	"testing"

	"concord"
	"concord/internal/normsvc"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoNorms checks the demo checklist: six States report, two of them
// (Estonia, Sudan) to States only, which the public neither sees nor
// counts; Japan's history shows its later progress; seeding again adds
// nothing, and the rows match the audit log.
func TestDemoNorms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &normsvc.Service{DB: db, Process: concord.DefaultProcessCode}
	sec := &concord.User{Role: concord.RoleSecretariat}
	all, err := svc.Progress(ctx, sec)
	if err != nil || len(all.ByState) != 6 {
		t.Fatalf("%d reporting States %v", len(all.ByState), err)
	}
	if pub, _ := svc.Progress(ctx, nil); len(pub.ByState) != 4 {
		t.Errorf("the public sees %d reporting States", len(pub.ByState))
	}
	if est, _ := svc.State(ctx, nil, "EST"); len(est.Reports) != 0 || len(est.History) != 0 {
		t.Errorf("the public sees Estonia's reports: %d", len(est.Reports))
	}
	jpn, err := svc.State(ctx, nil, "JPN")
	if err != nil || len(jpn.Reports) != 10 || len(jpn.History) != 12 || jpn.History[0].From != "in_progress" {
		t.Errorf("Japan: %d reports, %d changes, %v", len(jpn.Reports), len(jpn.History), err)
	}
	if err := seed.Norms(ctx, db); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.State(ctx, nil, "JPN"); len(again.History) != 12 {
		t.Errorf("seeding again: %d changes", len(again.History))
	}
	if err := db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}
