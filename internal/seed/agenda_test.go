package seed_test

import (
	"concord/agenda"
	"concord/decision"
	"context"
	"testing"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoAgenda checks the July agenda as the organisational session left
// it: v1 not adopted (Iran and Russia object, the EU and Canada support, the
// USA reserves), the session proceeding informally on v1, and v2 with item 5
// reworded circulated since.
func TestDemoAgenda(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &agendasvc.Service{Decide: &decide.Service{DB: db, Process: concord.DefaultProcessCode}}
	s, err := svc.Session(ctx, seed.AgendaSession)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Versions) != 2 || s.Basis.Doc.Version != 1 || !s.Informal || s.State() != agenda.NotAdoptedProceedInformally {
		t.Fatalf("session: %d versions, basis v%d, informal %v, state %s", len(s.Versions), s.Basis.Doc.Version, s.Informal, s.State())
	}
	rec := s.Basis.Adoption.Decision.Record
	names := func(es []decision.Entry) map[string]bool {
		m := map[string]bool{}
		for _, e := range es {
			m[e.State] = true
		}
		return m
	}
	if o := names(rec.Objected); len(o) != 2 || !o["IRN"] || !o["RUS"] {
		t.Errorf("objected: %v", o)
	}
	if r := names(rec.Reserved); len(r) != 1 || !r["USA"] {
		t.Errorf("reserved: %v", r)
	}
	if sup := names(rec.Supported); !sup["CAN"] || !sup["FRA"] || !sup["DEU"] || len(sup) != 28 {
		t.Errorf("supported (Canada and the 27 EU members through the EU): %d %v", len(sup), sup)
	}
	// Item 6 has no Chinese version: the one translation pending.
	for _, v := range s.Versions {
		if len(v.Warnings) != 1 || v.Warnings[0].Args["item"] == "" || v.Warnings[0].Args["lang"] != "zh" {
			t.Errorf("v%d warnings: %v", v.Doc.Version, v.Warnings)
		}
	}
	d, err := svc.Compare(ctx, seed.AgendaSession, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 1 || d.Changes[0].ToNumber != "5" || len(d.Changes[0].Languages) != 6 {
		t.Errorf("v1 -> v2: %+v", d.Changes)
	}
	// v2 may now be put to adoption (v1 failed, nothing pending).
	if err := s.CanPutToAdoption(*s.Latest()); err != nil {
		t.Errorf("v2 cannot be put to adoption: %v", err)
	}
}
