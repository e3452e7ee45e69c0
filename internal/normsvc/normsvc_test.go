package normsvc_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/normsvc"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/norms"
)

var ctx = context.Background()

var (
	sec      = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	ken      = &concord.User{ID: 2, Role: concord.RoleDelegate, State: "KEN"}
	fra      = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	listener = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "KEN", ReadOnly: true}
	chair    = &concord.User{ID: 5, Role: concord.RoleChair}
	focal    = &concord.User{ID: 6, Role: concord.RoleFocalPoint, OrgID: 9}
)

func keys(err error) []string {
	var es concord.Errors
	es.Add(err)
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// TestReports: a State reports on its own actions only (not a read-only
// delegate, not another State; the Secretariat for any); bad input is
// refused with every problem at once and nothing saved; each save is kept
// as history and audited; a report kept to States reaches no one outside
// the States and the Secretariat, alone, in a State's checklist, in the
// progress figures or in the history.
func TestReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := &normsvc.Service{DB: db, Process: concord.DefaultProcessCode}
		pub := normsvc.Input{Status: norms.InProgress, Evidence: "Draft strategy", Contact: "cert@example.ke", Visibility: capacity.Public}
		if _, err := s.Report(ctx, ken, "KEN", "a1", pub); err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
		pub.Status, pub.Evidence, pub.Link = norms.Implemented, "Strategy adopted", "https://example.ke/strategy"
		if rep, err := s.Report(ctx, ken, "KEN", "a1", pub); err != nil || rep.Status != norms.Implemented {
			t.Fatalf("%+v %v", rep, err)
		}
		hidden := normsvc.Input{Status: norms.NotStarted, Visibility: capacity.StatesOnly}
		if _, err := s.Report(ctx, sec, "KEN", "g2", hidden); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*concord.User{fra, listener, chair, focal, nil} {
			if _, err := s.Report(ctx, u, "KEN", "a2", pub); !slices.Equal(keys(err), []string{"norms.error.not_own"}) {
				t.Errorf("%+v reports for Kenya: %v", u, err)
			}
		}
		bad := normsvc.Input{Status: norms.Implemented, Link: "ftp://x", Visibility: "secret"}
		if _, err := s.Report(ctx, ken, "KEN", "a2", bad); !slices.Equal(keys(err), []string{"norms.error.evidence", "norms.error.link", "norms.error.visibility"}) {
			t.Errorf("all at once: %v", keys(err))
		}
		if _, err := s.Report(ctx, ken, "KEN", "z9", pub); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown action: %v", err)
		}
		if _, err := s.Report(ctx, sec, "XXX", "a1", pub); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown State: %v", err)
		}

		for _, u := range []*concord.User{nil, focal, chair} {
			if _, err := s.Get(ctx, u, "KEN", "g2"); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%+v reads a States-only report: %v", u, err)
			}
			st, err := s.State(ctx, u, "KEN")
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := st.Reports["g2"]; ok || len(st.Reports) != 1 || st.Overall.Implemented != 1 || st.Overall.NotReported != norms.ActionCount()-1 {
				t.Errorf("%+v: the State's checklist shows %+v", u, st.Overall)
			}
			if len(st.History) != 2 || st.History[0].To != norms.Implemented || st.History[0].From != norms.InProgress || st.History[1].From != "" {
				t.Errorf("%+v: history %+v", u, st.History)
			}
			p, err := s.Progress(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if g := p.ByNorm[6].Counts; g.NotStarted != 0 || len(p.Recent) != 2 {
				t.Errorf("%+v: progress counts the States-only report: %+v, %d recent", u, g, len(p.Recent))
			}
		}
		for _, u := range []*concord.User{fra, listener, sec} {
			st, _ := s.State(ctx, u, "KEN")
			p, _ := s.Progress(ctx, u)
			if _, ok := st.Reports["g2"]; !ok || len(st.History) != 3 || p.ByNorm[6].Counts.NotStarted != 1 {
				t.Errorf("%+v does not see the States-only report", u)
			}
			if ag := p.ByRegion[0]; ag.Key != "AG" || ag.States != 1 || ag.Counts.Implemented != 1 {
				t.Errorf("region: %+v", ag)
			}
		}
		// Made States-only, a public report withdraws its public history too.
		pub.Visibility = capacity.StatesOnly
		if _, err := s.Report(ctx, ken, "KEN", "a1", pub); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.State(ctx, nil, "KEN"); len(st.Reports) != 0 || len(st.History) != 0 {
			t.Errorf("the public still sees %d reports, %d changes", len(st.Reports), len(st.History))
		}
		if _, err := s.State(ctx, nil, "XXX"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown State: %v", err)
		}
	})
}
