package seed_test

import (
	"context"
	"testing"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoPortal checks the demo portal: four needs, one kept to States
// (the public sees three); Kenya's need is proposed France's course and the
// ITU's programme, France's first and agreed on both sides; seeding again
// adds nothing, and the rows match the audit log.
func TestDemoPortal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	for range 2 {
		if err := seed.Demo(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	svc := &portal.Service{DB: db, Process: concord.DefaultProcessCode}
	sec := &concord.User{Role: concord.RoleSecretariat}
	all, err := svc.Needs(ctx, sec, "", "", 50, 0)
	if err != nil || all.Total != 4 {
		t.Fatalf("needs %d %v", all.Total, err)
	}
	if pub, _ := svc.Needs(ctx, nil, "", "", 50, 0); pub.Total != 3 {
		t.Errorf("the public sees %d needs", pub.Total)
	}
	if offers, _ := svc.Offers(ctx, "", capacity.Provider{}, 50, 0); offers.Total != 5 {
		t.Errorf("offers %d", offers.Total)
	}
	ken := all.Needs[len(all.Needs)-1]
	m, err := svc.Matches(ctx, nil, ken.ID)
	if err != nil || len(m.Proposals) != 2 {
		t.Fatalf("Kenya's matches %+v %v", m, err)
	}
	if p := m.Proposals[0]; p.Offer.Provider.State != "FRA" || !p.Interests.Agreed() {
		t.Errorf("first proposal %+v", p)
	}
	// Two projects, one from the agreed match with its checklist; three
	// events.
	pl, err := svc.Projects(ctx, nil, portal.ProjectFilter{}, 50, 0)
	if err != nil || pl.Total != 2 {
		t.Fatalf("projects %d %v", pl.Total, err)
	}
	if p := pl.Projects[1]; p.Need != ken.ID || p.Status != capacity.Ongoing || len(p.Checklist) != 4 {
		t.Errorf("project from the match %+v", p)
	}
	if evs, err := svc.Events(ctx, time.Time{}, 0); err != nil || len(evs) != 3 {
		t.Errorf("events %d %v", len(evs), err)
	}
	if err := db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}
