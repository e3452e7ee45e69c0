package seed_test

import (
	"context"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func TestDemoAccreditation(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if err := seed.Demo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Demo(context.Background(), db); err != nil {
		t.Fatal("second run:", err)
	}
	ws, _ := db.AccreditationWindows(context.Background(), concord.DefaultProcessCode)
	if len(ws) != 2 {
		t.Fatalf("%d windows", len(ws))
	}
	count := map[concord.ApplicationStatus]int{}
	apps, _ := db.ListApplications(context.Background(), store.ApplicationFilter{Window: ws[1].ID})
	for _, a := range apps {
		if a.Route == concord.AccreditationRouteNonObjection {
			count[a.Status]++
		}
	}
	// The 2022 precedent: 86 non-ECOSOC applicants circulated, 32 blocked, 54 accredited.
	if count[concord.ApplicationBlocked] != 32 || count[concord.ApplicationAccredited] != 54 || len(count) != 2 {
		t.Errorf("2025 round: %v", count)
	}
	ds, _ := db.ListDecisions(context.Background(), concord.DefaultProcessCode)
	generic := 0
	for _, d := range ds {
		if d.Facts.Subject == "" { // the applications' decisions have a subject record
			generic++
		}
	}
	if generic != 5 {
		t.Errorf("%d demo decisions without a subject, want 5", generic)
	}
	if err := db.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}
