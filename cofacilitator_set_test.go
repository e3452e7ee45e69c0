package concord

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCoFacilitatorTerms(t *testing.T) {
	for _, c := range []struct {
		in         string
		start, end int
		ok         bool
	}{
		{"2026-2027", 2026, 2027, true},
		{"2026", 2026, 2026, true},
		{"2026-2031", 2026, 2031, true},
		{"2026-2032", 0, 0, false}, // over five years
		{"2027-2026", 0, 0, false},
		{"2026-2026", 0, 0, false},
		{"26-27", 0, 0, false},
		{"2026–2027", 0, 0, false}, // an en dash is not the separator
		{"", 0, 0, false},
		{"abcd-efgh", 0, 0, false},
	} {
		s, e, err := ParseCoFacilitatorTerm(c.in)
		if (err == nil) != c.ok || s != c.start || e != c.end {
			t.Errorf("%q: %d %d %v", c.in, s, e, err)
		}
		if err != nil && (ErrorCode(err) != EInvalid || err.(*Error).Field != "term") {
			t.Errorf("%q: error %v should name the term", c.in, err)
		}
	}
	sorted := CoFacilitatorSortTerms([]string{"2026-2027", "bad", "2030-2031", "2028-2029", "2026-2027", "2028"})
	if want := []string{"2030-2031", "2028-2029", "2028", "2026-2027"}; !slices.Equal(sorted, want) {
		t.Errorf("sorted %v, want %v", sorted, want)
	}
	at := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		now  int
		want string
	}{{2026, "2026-2027"}, {2027, "2026-2027"}, {2025, "2026-2027"}, {2029, "2028-2029"}, {2033, "2030-2031"}} {
		if got := CoFacilitatorCurrentTerm(sorted, at(c.now)); got != c.want {
			t.Errorf("current term in %d: %q, want %q", c.now, got, c.want)
		}
	}
	if CoFacilitatorCurrentTerm(nil, at(2026)) != "" || CoFacilitatorTermFor(at(2026)) != "2026-2027" {
		t.Error("no terms")
	}
}

func TestCoFacilitatorNominationEntry(t *testing.T) {
	ok := CoFacilitatorNomination{Person: "Amina Diallo", State: "SEN", Gender: "female", Expertise: []string{"CERT cooperation"}, DTG: "DTG-1", Term: "2026-2027"}
	if err := ok.CheckEntry(); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", CoFacilitatorTagMax+1)
	for field, mod := range map[string]func(n *CoFacilitatorNomination){
		"dtg":       func(n *CoFacilitatorNomination) { n.DTG = "DTG-3" },
		"term":      func(n *CoFacilitatorNomination) { n.Term = "" },
		"person":    func(n *CoFacilitatorNomination) { n.Person = strings.Repeat("é", CoFacilitatorPersonMax+1) },
		"state":     func(n *CoFacilitatorNomination) { n.State = "sen" },
		"gender":    func(n *CoFacilitatorNomination) { n.Gender = "f" },
		"expertise": func(n *CoFacilitatorNomination) { n.Expertise = []string{long} },
	} {
		n := ok
		mod(&n)
		err := n.CheckEntry()
		if e, isErr := err.(*Error); !isErr || e.Code != EInvalid || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	n := ok
	n.Expertise = make([]string, CoFacilitatorExpertiseMax+1)
	for i := range n.Expertise {
		n.Expertise[i] = "x"
	}
	if ErrorCode(n.CheckEntry()) != EInvalid {
		t.Error("eleven tags accepted")
	}
	// A bad term is refused by Validate too, so the balance checker sees it.
	n = ok
	n.Term = "2026/27"
	if ErrorCode(n.Validate()) != EInvalid {
		t.Error("malformed term accepted")
	}
	if !ok.SamePerson(CoFacilitatorNomination{Person: "  amina   DIALLO "}) || ok.SamePerson(CoFacilitatorNomination{Person: "Amina Dialo"}) {
		t.Error("same person")
	}
	if !ok.Standing() {
		t.Error("a new nomination stands")
	}
	ok.WithdrawnAt = time.Now()
	if ok.Standing() {
		t.Error("a withdrawn nomination stands")
	}
	if d, found := DTGByCode("DTG-2"); !found || len(d.Names) != len(Languages) {
		t.Errorf("DTG-2: %+v", d)
	}
	for _, d := range DTGs {
		for _, l := range Languages {
			if d.Names[l] == "" {
				t.Errorf("%s has no name in %s", d.Code, l)
			}
		}
	}
}

func TestCoFacilitatorPreviousSeats(t *testing.T) {
	held := []CoFacilitatorSeat{
		{State: "SGP", DTG: "DTG-1", Term: "2026-2027"},
		{State: "NLD", DTG: "DTG-1", Term: "2026-2027"},
		{State: "MEX", DTG: "DTG-2", Term: "2028-2029"},
		{State: "KEN", DTG: "DTG-2", Term: "2030-2031"}, // the term itself: not previous
		{State: "FJI", DTG: "DTG-2", Term: "2032-2033"}, // later
	}
	got := CoFacilitatorPreviousSeats("2030-2031", held)
	ago := map[string]int{}
	for _, s := range got {
		ago[s.State] = s.TermsAgo
	}
	if len(got) != 3 || ago["MEX"] != 1 || ago["SGP"] != 2 || ago["NLD"] != 2 {
		t.Errorf("previous seats %+v", got)
	}
	// Under a one-term rotation, Mexico may not sit again in 2030, Singapore may.
	p := CoFacilitatorDefaultPolicy()
	ctx := decisionTestCoFacContext()
	ctx.Previous = got
	ctx.Group = func(s string) string { return map[string]string{"MEX": "GRULAC", "SGP": "APG", "DEU": "WEOG"}[s] }
	ctx.Category = func(s string) string {
		if s == "DEU" {
			return Developed
		}
		return Developing
	}
	pair := func(s string) []CoFacilitatorNomination {
		return []CoFacilitatorNomination{{Person: "A", State: "DEU", Gender: "female", Expertise: []string{"x"}, DTG: "DTG-1"}, {Person: "B", State: s, Gender: "male", Expertise: []string{"x"}, DTG: "DTG-1"}}
	}
	for s, want := range map[string]CoFacilitatorStatus{"MEX": CoFacilitatorFail, "SGP": CoFacilitatorPass} {
		checks, err := CoFacilitatorBalance(p, ctx, "DTG-1", pair(s))
		if err != nil {
			t.Fatal(err)
		}
		if st := decisionTestStatus(checks)[CoFacilitatorRuleRotation]; st != want {
			t.Errorf("%s: rotation %s, want %s", s, st, want)
		}
	}
	if len(CoFacilitatorPreviousSeats("2026-2027", held)) != 0 || len(CoFacilitatorPreviousSeats("bad", held)) != 0 {
		t.Error("no seats before the first term")
	}
}

// TestCoFacilitatorSet: a stored set answers from its own facts, under its
// own rule, and simulates the three appointment modes on the same facts.
func TestCoFacilitatorSet(t *testing.T) {
	pair := []CoFacilitatorNomination{decisionTestNoms[0], decisionTestNoms[1]}
	s := CoFacilitatorSet{DTG: "DTG1", Term: "2026-2027", Pair: pair, Policy: CoFacilitatorDefaultPolicy(),
		Categories: map[string]string{"DEU": Developed, "NGA": Developing}, Groups: map[string]string{"DEU": "WEOG", "NGA": "AG"}}
	p := CoFacilitatorDefaultPolicy()
	p.Appointment = CoFacilitatorConsensusApproval
	s.Policy = p
	facts := DecisionFacts{Kind: DecisionCoFacilitatorAppointment, Proposal: Text{"en": "x"}, ProposedBy: DecisionActorChair, ProposedAt: decisionTestT0,
		Participants: decisionTestAll, Positions: []Position{{Actor: "RUS", Kind: PositionObjection, At: decisionTestAt(time.Hour), Seq: 1}},
		Acts: []DecisionAct{{Kind: DecisionActDecide, At: decisionTestAt(2 * time.Hour), Seq: 1}}}
	now := decisionTestAt(100 * time.Hour)
	r, err := s.Appoint(facts, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != CoFacilitatorBlocked || r.State.Open() || r.State.Held() {
		t.Errorf("consensus approval with an objection: %s", r.State)
	}
	sims := s.Simulate(facts, now)
	states := map[CoFacilitatorAppointment]CoFacilitatorState{}
	for _, x := range sims {
		if x.Err != nil {
			t.Fatal(x.Err)
		}
		states[x.Policy.Appointment] = x.Result.State
	}
	want := map[CoFacilitatorAppointment]CoFacilitatorState{CoFacilitatorChairAppoints: CoFacilitatorAppointed,
		CoFacilitatorChairProposalSilence: CoFacilitatorBlocked, CoFacilitatorConsensusApproval: CoFacilitatorBlocked}
	if len(sims) != 3 || !maps.Equal(states, want) {
		t.Errorf("simulation %v, want %v", states, want)
	}
	if seats := s.Seats(); len(seats) != 2 || seats[1].State != "NGA" || seats[1].Term != "2026-2027" || seats[1].DTG != "DTG1" {
		t.Errorf("seats %+v", seats)
	}
	for st, open := range map[CoFacilitatorState]bool{CoFacilitatorProposed: true, CoFacilitatorAppointed: true, CoFacilitatorApproved: true,
		CoFacilitatorBlocked: false, CoFacilitatorDeferred: false, CoFacilitatorUnbalanced: false} {
		if st.Open() != open {
			t.Errorf("%s open %v", st, st.Open())
		}
	}
	d, _ := DTGByCode("DTG-1")
	title, prop := CoFacilitatorSetText(d, "2026-2027", pair)
	for _, l := range Languages {
		if !strings.Contains(title[l], "2026-2027") || !strings.Contains(prop[l], "Anna Nordmann (DEU)") || !strings.Contains(prop[l], d.Names[l]) {
			t.Errorf("%s: %q / %q", l, title[l], prop[l])
		}
	}
}
