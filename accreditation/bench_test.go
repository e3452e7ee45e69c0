package accreditation

import (
	"concord"
	"fmt"
	"testing"
	"time"
)

// benchRound is a large round: 5,000 applications circulated to
// 195 States, 2,000 objections spread over 1,200 applications (so some carry
// several), a third of them with a basis, a tenth withdrawn.
func benchRound() (Policy, Window, []Application, map[string]concord.State) {
	p := DefaultPolicy("bench", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	w := Window{ID: "w", Process: "bench", Scope: ScopePlenary, Cycle: 2026,
		Opens: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil:   time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		CirculatedAt: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC), ObjectionDeadline: time.Date(2026, 5, 18, 22, 0, 0, 0, time.UTC)}
	groups := []string{"AG", "APG", "EEG", "GRULAC", "WEOG"}
	states := make(map[string]concord.State, 195)
	codes := make([]string, 195)
	for i := range codes {
		codes[i] = fmt.Sprintf("S%03d", i)
		states[codes[i]] = concord.State{ISO3: codes[i], Groups: []concord.GroupMembership{{State: codes[i], Group: groups[i%5], Kind: concord.KindFull}}}
	}
	apps := make([]Application, 5000)
	for i := range apps {
		apps[i] = Application{ID: int64(i + 1), OrgID: int64(i + 1), Window: "w", Route: RouteNonObjection,
			Status: ApplicationCirculated, CirculatedAt: w.CirculatedAt, SubmittedAt: w.Opens}
	}
	for j := range 2000 {
		a := &apps[(j*7919)%1200]
		o := Objection{State: codes[(j*31)%195], At: w.CirculatedAt.Add(time.Duration(j) * time.Minute)}
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

func BenchmarkDecide(b *testing.B) {
	p, w, apps, _ := benchRound()
	b.ReportAllocs()
	for b.Loop() {
		out := Decide(p, w, apps, w.ObjectionDeadline)
		if len(out) != len(apps) {
			b.Fatal(len(out))
		}
	}
}

func BenchmarkSimulate(b *testing.B) {
	p, w, apps, states := benchRound()
	rule := Rule{Name: "two_groups", BasisRequired: false, MinObjectors: 2, MinGroups: 2}
	b.ReportAllocs()
	for b.Loop() {
		sim := Simulate(p, rule, w, apps, states)
		if len(sim.Rows) != len(apps) {
			b.Fatal(len(sim.Rows))
		}
	}
}

func BenchmarkDisclose(b *testing.B) {
	_, _, apps, _ := benchRound()
	viewer := &concord.User{Role: concord.RoleDelegate, State: "S007"}
	b.ReportAllocs()
	for b.Loop() {
		for i := range apps {
			_ = Disclose(ObjectionsCountOnly, viewer, apps[i].Objections)
		}
	}
}

func BenchmarkStatistics(b *testing.B) {
	_, w, apps, states := benchRound()
	for i := range apps {
		apps[i].OrgType = concord.StakeholderTypes[i%5]
		apps[i].OrgCountry = fmt.Sprintf("S%03d", i%195)
	}
	windows := []Window{w}
	b.ReportAllocs()
	for b.Loop() {
		_ = Statistics(windows, apps, states)
	}
}

// TestBenchRoundShape keeps the benchmark honest: its data is a
// real round that decides.
func TestBenchRoundShape(t *testing.T) {
	p, w, apps, states := benchRound()
	n := 0
	for _, a := range apps {
		n += len(a.Objections)
	}
	if n != 2000 || len(states) != 195 {
		t.Fatalf("%d objections, %d States", n, len(states))
	}
	blocked := 0
	for _, o := range Decide(p, w, apps, w.ObjectionDeadline) {
		if o.To == ApplicationBlocked {
			blocked++
		}
	}
	if blocked == 0 || blocked > 1200 {
		t.Errorf("%d blocked", blocked)
	}
	t.Logf("%d of %d blocked", blocked, len(apps))
}
