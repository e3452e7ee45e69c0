package accreditation

import (
	"concord"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The 2022 precedent (brief §2.1): in the OEWG 2021–2025's first round, 54 of
// 86 non-ECOSOC applicants were accredited, 32 blocked, and 17 ECOSOC
// organisations accredited. The objecting States were never published, so
// the fixture's objectors are fictional: ISO 3166 user-assigned codes XAA to
// XAH, which no real State has. How the 32 blocks are spread among them is
// invented too (documented below); only the totals are history. The policy
// is the 2022 practice: any single objection blocks, the basis is voluntary,
// the Chair is told.
//
// The 32 blocked applicants (indices into the 86):
//
//	A  0–11  (12)  XAA alone, no basis
//	B 12–19   (8)  XAB alone, with a basis
//	C 20–23   (4)  XAE (basis) + XAF (none): both WEOG (XAF's "dual" APG is ignored)
//	D 24–25   (2)  XAC + XAG, no basis: both EEG now (XAG's APG membership ended in 2020)
//	E 26–28   (3)  XAA (basis) + XAE (none): two groups
//	F 29–31   (3)  XAA (basis) + XAB (none) + XAD (basis): three groups
//
// Indices 32–34 drew an objection from XAC that was withdrawn in time; 40–44
// were returned once for more information; index 85 claimed ECOSOC status
// but is not on the list, so it fell back to non-objection.

type testRound struct {
	p          Policy
	w          Window
	apps       []Application
	states     map[string]concord.State // real HQ countries and the fictional objectors
	objectors  []string
	lateErrKey string // the result of an objection filed at the deadline
}

func testMember(state, group, kind, since, until string) concord.GroupMembership {
	m := concord.GroupMembership{State: state, Group: group, Kind: kind, Since: testTime(since + "T00:00:00Z")}
	if until != "" {
		m.Until = testTime(until + "T00:00:00Z")
	}
	return m
}

func testStates() map[string]concord.State {
	m := testMember
	list := []concord.State{
		// headquarters countries (real)
		{ISO3: "FRA", Status: "member", Groups: []concord.GroupMembership{m("FRA", "WEOG", concord.KindFull, "1945-10-24", "")}},
		{ISO3: "BRA", Status: "member", Groups: []concord.GroupMembership{m("BRA", "GRULAC", concord.KindFull, "1945-10-24", "")}},
		{ISO3: "KEN", Status: "member", Groups: []concord.GroupMembership{m("KEN", "AG", concord.KindFull, "1963-12-16", "")}},
		{ISO3: "IND", Status: "member", Groups: []concord.GroupMembership{m("IND", "APG", concord.KindFull, "1945-10-30", "")}},
		{ISO3: "POL", Status: "member", Groups: []concord.GroupMembership{m("POL", "EEG", concord.KindFull, "1945-10-24", "")}},
		{ISO3: "TUR", Status: "member", Groups: []concord.GroupMembership{m("TUR", "APG", concord.KindDual, "1945-10-24", ""), m("TUR", "WEOG", concord.KindFull, "1945-10-24", "")}},
		{ISO3: "USA", Status: "member", Groups: []concord.GroupMembership{m("USA", "WEOG", concord.KindObserver, "1945-10-24", "")}},
		{ISO3: "PSE", Status: "observer"},
		// fictional objectors
		{ISO3: "XAA", Status: "member", Groups: []concord.GroupMembership{m("XAA", "AG", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAB", Status: "member", Groups: []concord.GroupMembership{m("XAB", "APG", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAC", Status: "member", Groups: []concord.GroupMembership{m("XAC", "EEG", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAD", Status: "member", Groups: []concord.GroupMembership{m("XAD", "GRULAC", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAE", Status: "member", Groups: []concord.GroupMembership{m("XAE", "WEOG", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAF", Status: "member", Groups: []concord.GroupMembership{m("XAF", "APG", concord.KindDual, "1960-01-01", ""), m("XAF", "WEOG", concord.KindFull, "1960-01-01", "")}},
		{ISO3: "XAG", Status: "member", Groups: []concord.GroupMembership{m("XAG", "APG", concord.KindFull, "1992-01-01", "2020-01-01"), m("XAG", "EEG", concord.KindFull, "2020-01-01", "")}},
		{ISO3: "XAH", Status: "member"},
	}
	out := map[string]concord.State{}
	for _, s := range list {
		out[s.ISO3] = s
	}
	return out
}

// testCountries are the headquarters countries, assigned in
// turn; XKX is not in the States list.
var testCountries = []string{"FRA", "BRA", "KEN", "IND", "POL", "TUR", "USA", "PSE", "XKX"}

// test2022 runs the 2022 round through the real transitions.
func test2022(t testing.TB) testRound {
	t.Helper()
	ny := testNY(t)
	at := func(s string) time.Time { return testTime(s) }
	p := Policy{
		Process: "oewg-2021-2025", Version: 1, EffectiveFrom: at("2022-04-22T00:00:00Z"),
		Source:              "OEWG modalities agreed by silence procedure, 22 April 2022",
		ObjectionPeriodDays: 10, WorkingDays: true, DeadlineClock: "18:00",
		BasisRequired: false, Disclosure: ObjectionsToChair, Validity: Cycle, ObjectionsWithdrawable: true,
		Scopes: []Scope{ScopePlenary}, ECOSOCScopes: []Scope{ScopePlenary},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	w := Window{ID: "oewg-2022-1", Process: p.Process, Scope: ScopePlenary, Cycle: 2022,
		Opens: at("2022-04-22T13:00:00Z"), Closes: at("2022-05-25T04:00:00Z"), ValidUntil: at("2025-07-12T04:00:00Z")}
	if err := w.Validate(p, nil); err != nil {
		t.Fatal(err)
	}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	focal := func(org int64) *concord.User {
		return &concord.User{ID: 1000 + org, Role: concord.RoleFocalPoint, OrgID: org}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// Organisations: 86 non-ECOSOC applicants (101–186, the last one claims
	// ECOSOC status it does not have), 17 ECOSOC (1001–1017), and three that
	// did not reach circulation (2001–2002 withdrew, 2003 rejected).
	type orgSpec struct {
		id     int64
		ecosoc string
	}
	var orgs []orgSpec
	for i := range 86 {
		o := orgSpec{id: int64(101 + i)}
		if i == 85 {
			o.ecosoc = "roster"
		}
		orgs = append(orgs, o)
	}
	for i := range 17 {
		orgs = append(orgs, orgSpec{id: int64(1001 + i), ecosoc: []string{"general", "special", "roster"}[i%3]})
	}
	orgs = append(orgs, orgSpec{id: 2001}, orgSpec{id: 2002}, orgSpec{id: 2003})

	var apps []Application
	submit := at("2022-05-02T14:00:00Z")
	for k, o := range orgs {
		org := concord.Organization{ID: o.id, Kind: concord.OrgStakeholder, Type: concord.StakeholderTypes[k%len(concord.StakeholderTypes)],
			Country: testCountries[k%len(testCountries)], ECOSOC: o.ecosoc,
			Names: concord.Text{"en": fmt.Sprintf("Applicant %d", o.id)}}
		a, err := Apply(p, w, org, apps, focal(o.id), submit.Add(-time.Hour))
		must(err)
		a.ID = o.id
		must(a.Edit(testContent(), w, focal(o.id), submit.Add(-time.Minute)))
		must(a.Submit(w, focal(o.id), submit.Add(time.Duration(k)*time.Minute)))
		apps = append(apps, a)
	}
	idx := func(id int64) *Application {
		for i := range apps {
			if apps[i].ID == id {
				return &apps[i]
			}
		}
		t.Fatalf("no application %d", id)
		return nil
	}
	// Screening, after the window closed.
	screen := at("2022-05-26T14:00:00Z")
	for i := 40; i <= 44; i++ {
		a := idx(int64(101 + i))
		must(a.Return([]string{"Please add your past interactions with the UN."}, sec, screen))
		must(a.Resubmit(w, focal(a.OrgID), screen.Add(24*time.Hour)))
	}
	must(idx(2001).Withdraw(w, focal(2001), screen))
	must(idx(2002).Withdraw(w, focal(2002), screen))
	must(idx(2003).Reject([]string{"A government agency, not a stakeholder."}, sec, screen))
	onList := func(id int64) (ECOSOCEntry, bool) {
		return ECOSOCEntry{ID: strconv.FormatInt(id, 10), Category: "special"}, id >= 1001 && id <= 1017
	}
	for i := range apps {
		if apps[i].Route == RouteECOSOC {
			_, err := apps[i].VerifyECOSOC(onList, sec, screen.Add(48*time.Hour))
			must(err)
		}
	}
	// Circulation on Wednesday 1 June: ten working days, deadline 15 June 18:00 EDT.
	n, err := Circulate(p, &w, apps, ny, sec, at("2022-06-01T14:00:00Z"))
	must(err)
	if n != 86 || !w.ObjectionDeadline.Equal(at("2022-06-15T22:00:00Z")) {
		t.Fatalf("circulated %d, deadline %v", n, w.ObjectionDeadline)
	}
	// Objections.
	states := testStates()
	participant := func(s string) bool { _, ok := states[s]; return ok }
	delegate := func(s string) *concord.User { return &concord.User{ID: 500, Role: concord.RoleDelegate, State: s} }
	clock := at("2022-06-02T14:00:00Z")
	object := func(i int, state string, basis bool) {
		t.Helper()
		b := ""
		if basis {
			b = "General basis given by " + state
		}
		clock = clock.Add(time.Minute)
		must(idx(int64(101+i)).Object(p, w, state, b, participant, delegate(state), clock))
	}
	for i := 0; i <= 11; i++ {
		object(i, "XAA", false)
	}
	for i := 12; i <= 19; i++ {
		object(i, "XAB", true)
	}
	for i := 20; i <= 23; i++ {
		object(i, "XAE", true)
		object(i, "XAF", false)
	}
	for i := 24; i <= 25; i++ {
		object(i, "XAC", false)
		object(i, "XAG", false)
	}
	for i := 26; i <= 28; i++ {
		object(i, "XAA", true)
		object(i, "XAE", false)
	}
	for i := 29; i <= 31; i++ {
		object(i, "XAA", true)
		object(i, "XAB", false)
		object(i, "XAD", true)
	}
	for i := 32; i <= 34; i++ {
		object(i, "XAC", false)
		must(idx(int64(101+i)).WithdrawObjection(p, w, "XAC", delegate("XAC"), at("2022-06-10T14:00:00Z")))
	}
	late := idx(150).Object(p, w, "XAH", "", participant, delegate("XAH"), w.ObjectionDeadline)
	// The decision at the deadline.
	out := Decide(p, w, apps, w.ObjectionDeadline)
	if _, err := Settle(apps, out, w.ObjectionDeadline); err != nil {
		t.Fatal(err)
	}
	return testRound{p: p, w: w, apps: apps, states: states, lateErrKey: testKey(late),
		objectors: []string{"XAA", "XAB", "XAC", "XAD", "XAE", "XAF", "XAG", "XAH"}}
}

func Test2022Precedent(t *testing.T) {
	r := test2022(t)
	if r.lateErrKey != "error.deadline_passed" {
		t.Errorf("an objection at the deadline: %q", r.lateErrKey)
	}
	count := map[Route]map[ApplicationStatus]int{RouteECOSOC: {}, RouteNonObjection: {}}
	for _, a := range r.apps {
		count[a.Route][a.Status]++
	}
	if got := count[RouteNonObjection]; got[ApplicationAccredited] != 54 || got[ApplicationBlocked] != 32 ||
		got[ApplicationWithdrawn] != 2 || got[ApplicationRejected] != 1 || len(got) != 4 {
		t.Errorf("non-objection route: %v, want 54 accredited, 32 blocked (and 2 withdrawn, 1 rejected before circulation)", got)
	}
	if got := count[RouteECOSOC]; got[ApplicationAccredited] != 17 || len(got) != 1 {
		t.Errorf("ECOSOC route: %v, want 17 accredited", got)
	}
	for i := range 86 {
		a := r.apps[i]
		if want := map[bool]ApplicationStatus{true: ApplicationBlocked, false: ApplicationAccredited}[i < 32]; a.Status != want {
			t.Errorf("applicant %d: %s, want %s", i, a.Status, want)
		}
	}
	// Deciding again, later, changes nothing.
	for _, at := range []time.Time{r.w.ObjectionDeadline, r.w.ObjectionDeadline.Add(30 * 24 * time.Hour)} {
		for i, o := range Decide(r.p, r.w, r.apps, at) {
			if o.Changed || o.To != r.apps[i].Status {
				t.Errorf("second decision at %v: %+v", at, o)
			}
		}
	}
	// Objectors unnamed: no objector is a real State, and under the 2022
	// policy (to_chair) the public, the applicants and other delegates see
	// only counts; the Chair and the Secretariat see who objected.
	for _, a := range r.apps {
		for _, o := range a.Objections {
			if !strings.HasPrefix(o.State, "XA") {
				t.Errorf("fixture names a real State as objector: %s", o.State)
			}
		}
	}
	var public, states, chair strings.Builder
	for _, a := range r.apps {
		fmt.Fprintf(&public, "%#v", a.VisibleTo(r.p.Disclosure, nil))
		fmt.Fprintf(&public, "%#v", a.VisibleTo(r.p.Disclosure, &concord.User{Role: concord.RoleFocalPoint, OrgID: a.OrgID}))
		fmt.Fprintf(&states, "%#v", a.VisibleTo(r.p.Disclosure, &concord.User{Role: concord.RoleDelegate, State: "FRA"}))
		fmt.Fprintf(&chair, "%#v", a.VisibleTo(r.p.Disclosure, &concord.User{Role: concord.RoleChair}))
	}
	for _, s := range r.objectors {
		if strings.Contains(public.String(), `"`+s+`"`) || strings.Contains(states.String(), `"`+s+`"`) {
			t.Errorf("objector %s visible to the public or another State", s)
		}
	}
	if !strings.Contains(chair.String(), `"XAA"`) {
		t.Error("the Chair should see objectors under to_chair")
	}
	if v := Disclose(r.p.Disclosure, nil, r.apps[29].Objections); !v.CountVisible || v.Count != 3 || v.Objections != nil {
		t.Errorf("public view of applicant 29: %+v", v)
	}
}

func Test2022Simulations(t *testing.T) {
	r := test2022(t)
	cases := []struct {
		rule       Rule
		accredited int
		blocked    int
		disclosure ObjectionDisclosure
	}{
		{RuleOf(r.p), 54, 32, ObjectionsToChair},
		{ExampleRules[0], 68, 18, ObjectionsToChair}, // basis_only: A and D had no basis
		{ExampleRules[1], 74, 12, ObjectionsToChair}, // joined_by_2: C D E F
		{Rule{Name: "joined_by_3", MinObjectors: 3}, 83, 3, ObjectionsToChair},
		{ExampleRules[2], 80, 6, ObjectionsToChair}, // two_groups: E F (not C: dual ignored; not D: past membership ignored)
		{Rule{Name: "groups_2_only", MinGroups: 2}, 80, 6, ObjectionsToChair},
		{Rule{Name: "three_groups", MinGroups: 3}, 83, 3, ObjectionsToChair},
		{Rule{Name: "basis_and_2", BasisRequired: true, MinObjectors: 2}, 83, 3, ObjectionsToChair},
		{ExampleRules[3], 54, 32, ObjectionsPublic}, // public: same outcome, published objectors
	}
	for _, c := range cases {
		if err := c.rule.Validate(); err != nil {
			t.Fatalf("%s: %v", c.rule.Name, err)
		}
		sim := Simulate(r.p, c.rule, r.w, r.apps, r.states)
		if sim.Actual != (Tally{Accredited: 54, Blocked: 32}) || len(sim.Rows) != 86 {
			t.Errorf("%s: actual %+v over %d rows", c.rule.Name, sim.Actual, len(sim.Rows))
		}
		if sim.Alternative != (Tally{Accredited: c.accredited, Blocked: c.blocked}) || sim.Changed != 32-c.blocked || sim.Disclosure != c.disclosure {
			t.Errorf("%s: alternative %+v changed %d disclosure %s, want %d/%d", c.rule.Name, sim.Alternative, sim.Changed, sim.Disclosure, c.accredited, c.blocked)
		}
		changed := 0
		for _, row := range sim.Rows {
			if row.Changed != (row.Actual != row.Alternative) {
				t.Errorf("%s: row %+v", c.rule.Name, row)
			}
			if row.Changed {
				changed++
			}
		}
		if changed != sim.Changed {
			t.Errorf("%s: %d changed rows, summary says %d", c.rule.Name, changed, sim.Changed)
		}
		// The simulation result names no objector.
		if s := fmt.Sprintf("%#v", sim); strings.Contains(s, `"XA`) {
			t.Errorf("%s: the simulation names an objector", c.rule.Name)
		}
		// Pure: the data is unchanged.
		if r.apps[0].Status != ApplicationBlocked {
			t.Fatalf("%s: simulation changed the data", c.rule.Name)
		}
	}
	// Reasons per pattern, under two_groups.
	sim := Simulate(r.p, ExampleRules[2], r.w, r.apps, r.states)
	for i, want := range map[int]string{0: ReasonTooFewObjectors, 20: ReasonTooFewGroups, 24: ReasonTooFewGroups,
		26: ReasonObjection, 29: ReasonObjection, 32: ReasonNoObjection, 50: ReasonNoObjection} {
		if got := sim.Rows[i].Reason; got != want {
			t.Errorf("applicant %d under two_groups: %s, want %s", i, got, want)
		}
	}
	if got := Simulate(r.p, ExampleRules[0], r.w, r.apps, r.states).Rows[0].Reason; got != ReasonBasisIgnored {
		t.Errorf("basis_only, applicant 0: %s", got)
	}
	// Before circulation there is nothing to simulate; before the deadline the
	// actual column is what the policy would give.
	if sim := Simulate(r.p, ExampleRules[0], testWindow(false), r.apps, r.states); len(sim.Rows) != 0 {
		t.Errorf("uncirculated window: %d rows", len(sim.Rows))
	}
	pending := slices.Clone(r.apps)
	for i := range pending {
		if pending[i].Status == ApplicationBlocked || (pending[i].Status == ApplicationAccredited && pending[i].Route == RouteNonObjection) {
			pending[i].Status = ApplicationCirculated
		}
	}
	if sim := Simulate(r.p, ExampleRules[1], r.w, pending, r.states); sim.Actual.Blocked != 32 || sim.Alternative.Blocked != 12 {
		t.Errorf("pending round: %+v %+v", sim.Actual, sim.Alternative)
	}
	// Rule validation.
	for _, bad := range []Rule{{MinObjectors: -1}, {MinGroups: 11}, {Disclosure: "secret"}} {
		if err := bad.Validate(); concord.ErrorCode(err) != concord.EInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestStatistics(t *testing.T) {
	r := test2022(t)
	// A second cycle with one application, to check the split by cycle.
	w23 := r.w
	w23.ID, w23.Cycle = "oewg-2023-1", 2023
	extra := testApp(ApplicationAccredited, RouteECOSOC)
	extra.Window, extra.OrgCountry, extra.OrgType = w23.ID, "FRA", "ngo"
	draft := testApp(ApplicationDraft, RouteNonObjection) // never submitted: not counted
	draft.Window = w23.ID
	orphan := testApp(ApplicationAccredited, RouteECOSOC) // unknown window: left out
	orphan.Window = "nowhere"
	apps := append(slices.Clone(r.apps), extra, draft, orphan)
	stats := Statistics([]Window{w23, r.w}, apps, r.states)
	if len(stats) != 2 || stats[0].Cycle != 2022 || stats[1].Cycle != 2023 {
		t.Fatalf("cycles: %+v", stats)
	}
	s := stats[0]
	if want := (Counts{Applied: 106, Accredited: 71, Objected: 32, Returned: 5, Withdrawn: 2, Rejected: 1}); s.Total != want {
		t.Errorf("2022 total %+v, want %+v", s.Total, want)
	}
	if want := (Counts{Applied: 17, Accredited: 17}); s.ByRoute[RouteECOSOC] != want {
		t.Errorf("ECOSOC route %+v", s.ByRoute[RouteECOSOC])
	}
	if want := (Counts{Applied: 89, Accredited: 54, Objected: 32, Returned: 5, Withdrawn: 2, Rejected: 1}); s.ByRoute[RouteNonObjection] != want {
		t.Errorf("non-objection route %+v", s.ByRoute[RouteNonObjection])
	}
	if want := (Counts{Applied: 1, Accredited: 1}); stats[1].Total != want || stats[1].ByGroup["WEOG"] != want {
		t.Errorf("2023: %+v", stats[1])
	}
	// By type and by group, counted independently from the fixture's inputs.
	groupOf := map[string]string{"FRA": "WEOG", "TUR": "WEOG", "USA": "WEOG", "BRA": "GRULAC", "KEN": "AG", "IND": "APG", "POL": "EEG",
		"PSE": GroupNone, "XKX": GroupUnknown}
	wantType, wantGroup := map[string]int{}, map[string]int{}
	for k := range r.apps {
		wantType[concord.StakeholderTypes[k%len(concord.StakeholderTypes)]]++
		wantGroup[groupOf[testCountries[k%len(testCountries)]]]++
	}
	for ty, n := range wantType {
		if s.ByType[ty].Applied != n {
			t.Errorf("type %s: %d, want %d", ty, s.ByType[ty].Applied, n)
		}
	}
	for g, n := range wantGroup {
		if s.ByGroup[g].Applied != n {
			t.Errorf("group %s: %d, want %d", g, s.ByGroup[g].Applied, n)
		}
	}
	if len(s.ByGroup) != 7 || len(s.ByType) != len(concord.StakeholderTypes) {
		t.Errorf("keys: %v %v", s.ByGroup, s.ByType)
	}
	var sum Counts
	for _, c := range s.ByGroup {
		sum.add(c)
	}
	if sum != s.Total {
		t.Errorf("groups sum to %+v, total %+v", sum, s.Total)
	}
}
