package seed

import (
	"context"
	"fmt"
	"math/rand/v2"

	"concord"
	"concord/capacity"
	"concord/internal/normsvc"
	"concord/internal/store"
	"concord/norms"
)

// demoNormReports are the demo's checklist reports: per State, the actions
// and their statuses, the whole State's reports kept to States or public.
var demoNormReports = []struct {
	state   string
	private bool
	marks   map[string]norms.Status
}{
	{"JPN", false, map[string]norms.Status{"a1": norms.Implemented, "a2": norms.Implemented, "a3": norms.InProgress, "g1": norms.Implemented, "g2": norms.Implemented,
		"g3": norms.InProgress, "j1": norms.Implemented, "j2": norms.InProgress, "k1": norms.Implemented, "k3": norms.Implemented}},
	{"NLD", false, map[string]norms.Status{"a1": norms.Implemented, "b1": norms.Implemented, "e1": norms.Implemented, "e2": norms.Implemented, "j1": norms.Implemented,
		"j3": norms.Implemented, "k1": norms.Implemented, "i1": norms.InProgress}},
	{"SEN", false, map[string]norms.Status{"a1": norms.InProgress, "d1": norms.Implemented, "g1": norms.InProgress, "k1": norms.InProgress, "f3": norms.NotStarted}},
	{"BRA", false, map[string]norms.Status{"d1": norms.Implemented, "d2": norms.InProgress, "e2": norms.Implemented, "g1": norms.Implemented, "k1": norms.Implemented}},
	{"EST", true, map[string]norms.Status{"a1": norms.Implemented, "g2": norms.Implemented, "h1": norms.Implemented, "h2": norms.InProgress, "c2": norms.NotStarted}},
	{"SDN", true, map[string]norms.Status{"k1": norms.InProgress, "d1": norms.NotStarted, "i1": norms.NotApplicable}},
}

// Norms adds the demo's checklist reports once (nothing when Japan has
// reported): four States reporting publicly (Japan, the Netherlands,
// Senegal, Brazil), two keeping their reports to States (Estonia, Sudan),
// and for Japan and Senegal a later change, so that their history shows
// progress. It runs through the service, as delegates would.
func Norms(ctx context.Context, db *store.DB) error {
	svc := &normsvc.Service{DB: db, Process: concord.DefaultProcessCode}
	// One cheap read, not the registry's: a seed that adds nothing leaves
	// the States' cache as it found it.
	if have, err := db.Read(ctx).NormReports(svc.Process, "JPN", true); err != nil || len(have) > 0 {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-11-20T09:00:00Z")
	for _, s := range demoNormReports {
		u := &concord.User{Role: concord.RoleDelegate, State: s.state}
		vis := capacity.Public
		if s.private {
			vis = capacity.StatesOnly
		}
		for _, n := range norms.Checklist() {
			for _, a := range n.Actions {
				st, ok := s.marks[a.Code]
				if !ok {
					continue
				}
				in := normsvc.Input{Status: st, Visibility: vis, Contact: "Ministry of Foreign Affairs, cyber desk"}
				if st == norms.Implemented {
					in.Evidence = fmt.Sprintf("In place since 2025 (%s): see the national cyber strategy.", a.Code)
					in.Link = "https://example.org/" + s.state + "/" + a.Code
				}
				if _, err := svc.Report(ctx, u, s.state, a.Code, in); err != nil {
					return fmt.Errorf("seed: checklist %s %s: %w", s.state, a.Code, err)
				}
			}
		}
	}
	at("2026-12-01T11:00:00Z")
	for _, c := range []struct{ state, action string }{{"JPN", "a3"}, {"JPN", "g3"}, {"SEN", "a1"}} {
		in := normsvc.Input{Status: norms.Implemented, Evidence: "Completed in November 2026.", Visibility: capacity.Public}
		if _, err := svc.Report(ctx, &concord.User{Role: concord.RoleDelegate, State: c.state}, c.state, c.action, in); err != nil {
			return fmt.Errorf("seed: checklist %s %s: %w", c.state, c.action, err)
		}
	}
	return nil
}

// ScaleNorms has every State of the registry report on every action of the
// checklist (one State in five keeping its reports to States), the load the
// per-region view is measured under: 195 States × 33 actions, one audited
// transaction per State. A State that has reported already is left as it is.
func ScaleNorms(ctx context.Context, db *store.DB, r *rand.Rand) error {
	states, err := db.Read(ctx).States()
	if err != nil {
		return err
	}
	p := concord.DefaultProcessCode
	for _, st := range states {
		have, err := db.Read(ctx).NormReports(p, st.ISO3, true)
		if err != nil {
			return err
		}
		if len(have) > 0 {
			continue
		}
		vis := capacity.Public
		if r.IntN(5) == 0 {
			vis = capacity.StatesOnly
		}
		err = db.Update(ctx, "system", func(tx *store.Tx) error {
			for _, n := range norms.Checklist() {
				for _, a := range n.Actions {
					rep := norms.Report{Process: p, State: st.ISO3, Action: a.Code, Status: norms.Statuses[r.IntN(len(norms.Statuses))],
						Evidence: "Reported at scale.", Visibility: vis}
					if err := tx.SaveNormReport(&rep, nil); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed: checklist %s: %w", st.ISO3, err)
		}
	}
	return nil
}
