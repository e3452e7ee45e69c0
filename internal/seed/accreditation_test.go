package seed_test

import (
	"concord/accreditation"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestDemoRoundsValidity: the demo's rounds grant accreditations that are
// valid when they are decided and for the sessions they were granted for
// (the 2025 round for the July 2026 plenary), and its ECOSOC-route
// accreditations were verified against a list entry.
func TestDemoRoundsValidity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	ny, err := concord.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	policies, err := db.AccreditationPolicies(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := db.AccreditationWindows(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		p, err := accreditation.PolicyForWindow(policies, w)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.ValidateValidity(p, ny); err != nil {
			t.Errorf("window %s: valid until %v: %v", w.ID, w.ValidUntil, err)
		}
		if w.Cycle == 2025 && !w.ValidUntil.After(time.Date(2026, 7, 31, 0, 0, 0, 0, ny)) {
			t.Errorf("the 2025 round's accreditations end at %v, before the July 2026 plenary", w.ValidUntil)
		}
		apps, err := db.ListApplications(ctx, store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationAccredited})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range apps {
			if from, until, ok := a.ValidFor(w); !ok || !from.Before(until) {
				t.Errorf("application %d of %s: accredited %v, valid until %v", a.ID, w.ID, from, until)
			}
			if a.Route == accreditation.RouteECOSOC && (a.ECOSOCVerified == nil || a.ECOSOCVerified.ID == "") {
				t.Errorf("application %d accredited on the ECOSOC route without a verified list entry", a.ID)
			}
		}
	}
}
