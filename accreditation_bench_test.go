package concord

import (
	"fmt"
	"testing"
	"time"
)

// accreditationBenchRound is a large round: 5,000 applications circulated to
// 195 States, 2,000 objections spread over 1,200 applications (so some carry
// several), a third of them with a basis, a tenth withdrawn.
func accreditationBenchRound() (AccreditationPolicy, AccreditationWindow, []AccreditationApplication, map[string]State) {
	p := AccreditationDefaultPolicy("bench", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	w := AccreditationWindow{ID: "w", Process: "bench", Scope: AccreditationScopePlenary, Cycle: 2026,
		Opens: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil:   time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		CirculatedAt: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC), ObjectionDeadline: time.Date(2026, 5, 18, 22, 0, 0, 0, time.UTC)}
	groups := []string{"AG", "APG", "EEG", "GRULAC", "WEOG"}
	states := make(map[string]State, 195)
	codes := make([]string, 195)
	for i := range codes {
		codes[i] = fmt.Sprintf("S%03d", i)
		states[codes[i]] = State{ISO3: codes[i], Groups: []GroupMembership{{State: codes[i], Group: groups[i%5], Kind: KindFull}}}
	}
	apps := make([]AccreditationApplication, 5000)
	for i := range apps {
		apps[i] = AccreditationApplication{ID: int64(i + 1), OrgID: int64(i + 1), Window: "w", Route: AccreditationRouteNonObjection,
			Status: ApplicationCirculated, CirculatedAt: w.CirculatedAt, SubmittedAt: w.Opens}
	}
	for j := range 2000 {
		a := &apps[(j*7919)%1200]
		o := AccreditationObjection{State: codes[(j*31)%195], At: w.CirculatedAt.Add(time.Duration(j) * time.Minute)}
		if j%3 == 0 {
			o.Basis = "basis"
		}
		if j%10 == 0 {
			o.WithdrawnAt = o.At.Add(time.Hour)
		}
		a.Objections = append(a.Objections, o)
	}
	return p, w, apps, states
}

func BenchmarkAccreditationDecide(b *testing.B) {
	p, w, apps, _ := accreditationBenchRound()
	b.ReportAllocs()
	for b.Loop() {
		out := AccreditationDecide(p, w, apps, w.ObjectionDeadline)
		if len(out) != len(apps) {
			b.Fatal(len(out))
		}
	}
}

func BenchmarkAccreditationSimulate(b *testing.B) {
	p, w, apps, states := accreditationBenchRound()
	rule := AccreditationRule{Name: "two_groups", BasisRequired: false, MinObjectors: 2, MinGroups: 2}
	b.ReportAllocs()
	for b.Loop() {
		sim := AccreditationSimulate(p, rule, w, apps, states)
		if len(sim.Rows) != len(apps) {
			b.Fatal(len(sim.Rows))
		}
	}
}

func BenchmarkAccreditationDisclose(b *testing.B) {
	_, _, apps, _ := accreditationBenchRound()
	viewer := &User{Role: RoleDelegate, State: "S007"}
	b.ReportAllocs()
	for b.Loop() {
		for i := range apps {
			_ = AccreditationDisclose(ObjectionsCountOnly, viewer, apps[i].Objections)
		}
	}
}

func BenchmarkAccreditationStatistics(b *testing.B) {
	_, w, apps, states := accreditationBenchRound()
	for i := range apps {
		apps[i].OrgType = StakeholderTypes[i%5]
		apps[i].OrgCountry = fmt.Sprintf("S%03d", i%195)
	}
	windows := []AccreditationWindow{w}
	b.ReportAllocs()
	for b.Loop() {
		_ = AccreditationStatistics(windows, apps, states)
	}
}

// TestAccreditationBenchRoundShape keeps the benchmark honest: its data is a
// real round that decides.
func TestAccreditationBenchRoundShape(t *testing.T) {
	p, w, apps, states := accreditationBenchRound()
	n := 0
	for _, a := range apps {
		n += len(a.Objections)
	}
	if n != 2000 || len(states) != 195 {
		t.Fatalf("%d objections, %d States", n, len(states))
	}
	blocked := 0
	for _, o := range AccreditationDecide(p, w, apps, w.ObjectionDeadline) {
		if o.To == ApplicationBlocked {
			blocked++
		}
	}
	if blocked == 0 || blocked > 1200 {
		t.Errorf("%d blocked", blocked)
	}
	t.Logf("%d of %d blocked", blocked, len(apps))
}
