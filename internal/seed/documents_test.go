package seed_test

import (
	"concord/document"
	"context"
	"math/rand/v2"
	"testing"

	"concord"
	"concord/internal/documents"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoDocuments checks the demo's documents: those of the July plenary
// and the December DTG meetings, with translations pending, the working
// paper superseded by its revision, the restricted paper hidden from the
// public; seeding again adds nothing; a scale batch adds its documents; the
// rows match the audit log.
func TestDemoDocuments(t *testing.T) {
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &documents.Service{DB: db, Process: concord.DefaultProcessCode, Pattern: document.GlobalMechanism}
	sec := &concord.User{Role: concord.RoleSecretariat}
	all, err := svc.List(ctx, sec, documents.Filter{})
	if err != nil || all.Total != 9 {
		t.Fatalf("demo documents: %d %v", all.Total, err)
	}
	public, _ := svc.List(ctx, nil, documents.Filter{})
	if public.Total != 8 {
		t.Errorf("the public sees %d", public.Total)
	}
	pending := 0
	for _, d := range all.Documents {
		for _, v := range d.Versions {
			if v.Status == document.Pending {
				pending++
			}
		}
	}
	if pending == 0 {
		t.Error("no translation pending")
	}
	if ar, _ := svc.List(ctx, nil, documents.Filter{Lang: "ar"}); ar.Total == 0 || ar.Total >= public.Total {
		t.Errorf("readable in Arabic: %d of %d", ar.Total, public.Total)
	}
	for _, d := range all.Documents {
		if d.Symbol == "A/AC.GM/2026/WP.1" {
			p, err := svc.Get(ctx, nil, d.ID)
			if err != nil || !p.Family.IsSuperseded {
				t.Errorf("WP.1 not superseded: %+v %v", p.Family, err)
			}
		}
	}
	if err := seed.Documents(ctx, db); err != nil {
		t.Fatal(err)
	}
	defer seed.SetScaleDocuments(300)()
	if err := seed.ScaleDocuments(ctx, db, rand.New(rand.NewPCG(1, 2)), 0); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.List(ctx, sec, documents.Filter{}); again.Total != 9+300 {
		t.Errorf("after seeding again and a scale batch: %d", again.Total)
	}
	if err := db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}
