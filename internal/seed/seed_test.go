package seed_test

import (
	"concord/accreditation"
	"context"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func TestDemoAccreditation(t *testing.T) {
	t.Parallel()
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
	count := map[accreditation.ApplicationStatus]int{}
	apps, _ := db.ListApplications(context.Background(), store.ApplicationFilter{Window: ws[1].ID})
	for _, a := range apps {
		if a.Route == accreditation.RouteNonObjection {
			count[a.Status]++
		}
	}
	// The 2022 precedent: 86 non-ECOSOC applicants circulated, 32 blocked, 54 accredited.
	if count[accreditation.ApplicationBlocked] != 32 || count[accreditation.ApplicationAccredited] != 54 || len(count) != 2 {
		t.Errorf("2025 round: %v", count)
	}
	ds, _ := db.ListDecisions(context.Background(), concord.DefaultProcessCode)
	generic := 0
	for _, d := range ds {
		if d.Facts.Subject == "" { // not opened by one of the applications
			generic++
		}
	}
	if generic != 3 {
		t.Errorf("%d demo disputes, want 3", generic)
	}
	if err := db.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}
