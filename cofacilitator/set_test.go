package cofacilitator

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
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
		s, e, err := ParseTerm(c.in)
		if (err == nil) != c.ok || s != c.start || e != c.end {
			t.Errorf("%q: %d %d %v", c.in, s, e, err)
		}
		if err != nil && (concord.ErrorCode(err) != concord.EInvalid || err.(*concord.Error).Field != "term") {
			t.Errorf("%q: error %v should name the term", c.in, err)
		}
	}
	sorted := SortTerms([]string{"2026-2027", "bad", "2030-2031", "2028-2029", "2026-2027", "2028"})
	if want := []string{"2030-2031", "2028-2029", "2028", "2026-2027"}; !slices.Equal(sorted, want) {
		t.Errorf("sorted %v, want %v", sorted, want)
	}
	at := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		now  int
		want string
	}{{2026, "2026-2027"}, {2027, "2026-2027"}, {2025, "2026-2027"}, {2029, "2028-2029"}, {2033, "2030-2031"}} {
		if got := CurrentTerm(sorted, at(c.now)); got != c.want {
			t.Errorf("current term in %d: %q, want %q", c.now, got, c.want)
		}
	}
	if CurrentTerm(nil, at(2026)) != "" || TermFor(at(2026)) != "2026-2027" {
		t.Error("no terms")
	}
}

func TestCoFacilitatorNominationEntry(t *testing.T) {
	ok := Nomination{Person: "Amina Diallo", State: "SEN", Gender: "female", Expertise: []string{"CERT cooperation"}, DTG: "DTG-1", Term: "2026-2027"}
	if err := ok.CheckEntry(); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", TagMax+1)
	for field, mod := range map[string]func(n *Nomination){
		"dtg":       func(n *Nomination) { n.DTG = "DTG-3" },
		"term":      func(n *Nomination) { n.Term = "" },
		"person":    func(n *Nomination) { n.Person = strings.Repeat("é", PersonMax+1) },
		"state":     func(n *Nomination) { n.State = "sen" },
		"gender":    func(n *Nomination) { n.Gender = "f" },
		"expertise": func(n *Nomination) { n.Expertise = []string{long} },
	} {
		n := ok
		mod(&n)
		err := n.CheckEntry()
		if e, isErr := err.(*concord.Error); !isErr || e.Code != concord.EInvalid || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	n := ok
	n.Expertise = make([]string, ExpertiseMax+1)
	for i := range n.Expertise {
		n.Expertise[i] = "x"
	}
	if concord.ErrorCode(n.CheckEntry()) != concord.EInvalid {
		t.Error("eleven tags accepted")
	}
	// A bad term is refused by Validate too, so the balance checker sees it.
	n = ok
	n.Term = "2026/27"
	if concord.ErrorCode(n.Validate()) != concord.EInvalid {
		t.Error("malformed term accepted")
	}
	if !ok.SamePerson(Nomination{Person: "  amina   DIALLO "}) || ok.SamePerson(Nomination{Person: "Amina Dialo"}) {
		t.Error("same person")
	}
	if !ok.Standing() {
		t.Error("a new nomination stands")
	}
	ok.WithdrawnAt = time.Now()
	if ok.Standing() {
		t.Error("a withdrawn nomination stands")
	}
	if d, found := concord.DTGByCode("DTG-2"); !found || len(d.Names) != len(concord.Languages) {
		t.Errorf("DTG-2: %+v", d)
	}
	for _, d := range concord.DTGs {
		for _, l := range concord.Languages {
			if d.Names[l] == "" {
				t.Errorf("%s has no name in %s", d.Code, l)
			}
		}
	}
}

func TestCoFacilitatorPreviousSeats(t *testing.T) {
	held := []Seat{
		{State: "SGP", DTG: "DTG-1", Term: "2026-2027"},
		{State: "NLD", DTG: "DTG-1", Term: "2026-2027"},
		{State: "MEX", DTG: "DTG-2", Term: "2028-2029"},
		{State: "KEN", DTG: "DTG-2", Term: "2030-2031"}, // the term itself: not previous
		{State: "FJI", DTG: "DTG-2", Term: "2032-2033"}, // later
	}
	got := PreviousSeats("2030-2031", held)
	ago := map[string]int{}
	for _, s := range got {
		ago[s.State] = s.TermsAgo
	}
	if len(got) != 3 || ago["MEX"] != 1 || ago["SGP"] != 2 || ago["NLD"] != 2 {
		t.Errorf("previous seats %+v", got)
	}
	// Under a one-term rotation, Mexico may not sit again in 2030, Singapore may.
	p := DefaultPolicy()
	ctx := decisionTestCoFacContext()
	ctx.Previous = got
	ctx.Group = func(s string) string { return map[string]string{"MEX": "GRULAC", "SGP": "APG", "DEU": "WEOG"}[s] }
	ctx.Category = func(s string) string {
		if s == "DEU" {
			return concord.Developed
		}
		return concord.Developing
	}
	pair := func(s string) []Nomination {
		return []Nomination{{Person: "A", State: "DEU", Gender: "female", Expertise: []string{"x"}, DTG: "DTG-1"}, {Person: "B", State: s, Gender: "male", Expertise: []string{"x"}, DTG: "DTG-1"}}
	}
	for s, want := range map[string]Status{"MEX": Fail, "SGP": Pass} {
		checks, err := Balance(p, ctx, "DTG-1", pair(s))
		if err != nil {
			t.Fatal(err)
		}
		if st := decisionTestStatus(checks)[CriterionRotation]; st != want {
			t.Errorf("%s: rotation %s, want %s", s, st, want)
		}
	}
	if len(PreviousSeats("2026-2027", held)) != 0 || len(PreviousSeats("bad", held)) != 0 {
		t.Error("no seats before the first term")
	}
}

// TestCoFacilitatorSet: a stored set answers from its own facts, under its
// own rule, and simulates the three appointment modes on the same facts.
func TestCoFacilitatorSet(t *testing.T) {
	pair := []Nomination{decisionTestNoms[0], decisionTestNoms[1]}
	s := Set{DTG: "DTG1", Term: "2026-2027", Pair: pair, Policy: DefaultPolicy(),
		Categories: map[string]string{"DEU": concord.Developed, "NGA": concord.Developing}, Groups: map[string]string{"DEU": "WEOG", "NGA": "AG"}}
	p := DefaultPolicy()
	p.Appointment = ConsensusApproval
	s.Policy = p
	facts := decision.Facts{Kind: decision.KindCoFacilitatorAppointment, Proposal: concord.Text{"en": "x"}, ProposedBy: decision.ActorChair, ProposedAt: decisiontest.T0,
		Participants: decisiontest.All, Positions: []decision.Position{{Actor: "RUS", Kind: decision.PositionObjection, At: decisiontest.At(time.Hour), Seq: 1}},
		Acts: []decision.Act{{Kind: decision.ActDecide, At: decisiontest.At(2 * time.Hour), Seq: 1}}}
	now := decisiontest.At(100 * time.Hour)
	r, err := s.Appoint(facts, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != Blocked || r.State.Open() || r.State.Held() {
		t.Errorf("consensus approval with an objection: %s", r.State)
	}
	sims := s.Simulate(facts, now)
	states := map[Appointment]State{}
	for _, x := range sims {
		if x.Err != nil {
			t.Fatal(x.Err)
		}
		states[x.Policy.Appointment] = x.Result.State
	}
	want := map[Appointment]State{ChairAppoints: Appointed,
		ChairProposalSilence: Blocked, ConsensusApproval: Blocked}
	if len(sims) != 3 || !maps.Equal(states, want) {
		t.Errorf("simulation %v, want %v", states, want)
	}
	if seats := s.Seats(); len(seats) != 2 || seats[1].State != "NGA" || seats[1].Term != "2026-2027" || seats[1].DTG != "DTG1" {
		t.Errorf("seats %+v", seats)
	}
	for st, open := range map[State]bool{Proposed: true, Appointed: true, Approved: true,
		Blocked: false, Deferred: false, Unbalanced: false} {
		if st.Open() != open {
			t.Errorf("%s open %v", st, st.Open())
		}
	}
	d, _ := concord.DTGByCode("DTG-1")
	title, prop := SetText(d, "2026-2027", pair)
	for _, l := range concord.Languages {
		if !strings.Contains(title[l], "2026-2027") || !strings.Contains(prop[l], "Anna Nordmann (DEU)") || !strings.Contains(prop[l], d.Names[l]) {
			t.Errorf("%s: %q / %q", l, title[l], prop[l])
		}
	}
}
