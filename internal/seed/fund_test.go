package seed_test

import (
	"context"
	"testing"

	"concord"
	"concord/internal/fundsvc"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoFund checks the demo Fund: two calls, three applications, one
// award (Kenya's, part paid and reported on) in the public totals, and
// reviews the Secretariat reads; seeding again adds nothing.
func TestDemoFund(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	for range 2 {
		if err := seed.Demo(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	svc := &fundsvc.Service{DB: db, Process: concord.DefaultProcessCode}
	sum, err := svc.Summarise(ctx)
	if err != nil || len(sum.Calls) != 2 || len(sum.Awards) != 1 || sum.Totals.Amount != 160_000 || sum.Totals.Disbursed != 80_000 || sum.Awards[0].State != "KEN" {
		t.Fatalf("%+v %v", sum, err)
	}
	all, err := db.Read(ctx).FundApplications(concord.DefaultProcessCode, 0, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("applications %d %v", len(all), err)
	}
	v, err := svc.Application(ctx, &concord.User{Role: concord.RoleSecretariat}, sum.Awards[0].ID)
	if err != nil || len(v.Reviews) != 2 || len(v.App.Reports) != 1 {
		t.Errorf("Kenya's application: %+v %v", v, err)
	}
}
