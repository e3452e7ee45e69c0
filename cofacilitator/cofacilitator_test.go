package cofacilitator

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
	"slices"
	"testing"
	"time"
)

// --- Co-facilitators ----------------------------------------------------------

func decisionTestCoFacContext() Context {
	dev := map[string]bool{"DEU": true, "FRA": true, "JPN": true, "AUS": true}
	return Context{
		Category: func(s string) string {
			if s == "ZZZ" {
				return ""
			}
			if dev[s] {
				return concord.Developed
			}
			return concord.Developing
		},
		Group:    decisiontest.GroupOf,
		Previous: []Seat{{State: "BRA", DTG: "DTG1", Person: "Former", Term: "2024-2025", TermsAgo: 1}, {State: "EGY", DTG: "DTG2", Term: "2022-2023", TermsAgo: 2}},
	}
}

var decisionTestNoms = []Nomination{
	{ID: "n1", Person: "Anna Nordmann", State: "DEU", Gender: "female", Expertise: []string{"ransomware"}, DTG: "DTG1"},
	{ID: "n2", Person: "Bola Okafor", State: "NGA", Gender: "male", Expertise: []string{"capacity-building"}, DTG: "DTG1"},
	{ID: "n3", Person: "Claude Dupont", State: "FRA", Gender: "male", Expertise: []string{"critical infrastructure"}, DTG: "DTG1"},
	{ID: "n4", Person: "Dewi Tan", State: "SGP", Gender: "female", DTG: "DTG1"},
	{ID: "n5", Person: "Elena Silva", State: "BRA", Gender: "female", Expertise: []string{"CBMs"}, DTG: "DTG1"},
	{ID: "n6", Person: "Farid Haddad", State: "EGY", Gender: "male", Expertise: []string{"law"}, DTG: "DTG2"},
}

func decisionTestStatus(checks []Check) map[Criterion]Status {
	m := map[Criterion]Status{}
	for _, c := range checks {
		m[c.Rule] = c.Status
	}
	return m
}

func TestCoFacilitatorBalance(t *testing.T) {
	n := decisionTestNoms
	ctx := decisionTestCoFacContext()
	p := DefaultPolicy()
	type S = map[Criterion]Status
	cases := []struct {
		name     string
		pol      func(*Policy)
		dtg      string
		pair     []Nomination
		balanced bool
		want     S
	}{
		{"balanced", nil, "DTG1", []Nomination{n[0], n[1]}, true, S{CriterionSeats: Pass, CriterionDevelopedDeveloping: Pass, CriterionRegionalGroups: Pass, CriterionGenderParity: Pass, CriterionRotation: Pass, CriterionExpertise: Pass}},
		{"two developed, same group", nil, "DTG1", []Nomination{n[0], n[2]}, false, S{CriterionDevelopedDeveloping: Fail, CriterionRegionalGroups: Fail, CriterionGenderParity: Pass}},
		{"two men: a warning only", nil, "DTG1", []Nomination{n[2], n[1]}, true, S{CriterionGenderParity: Warn}},
		{"two men: an error when the policy says so", func(p *Policy) { p.GenderParity = LevelError }, "DTG1", []Nomination{n[2], n[1]}, false, S{CriterionGenderParity: Fail}},
		{"no expertise listed", nil, "DTG1", []Nomination{n[0], n[3]}, true, S{CriterionExpertise: Warn}},
		{"rotation: Brazil held a seat last term", nil, "DTG1", []Nomination{n[0], n[4]}, false, S{CriterionRotation: Fail}},
		{"rotation off", func(p *Policy) { p.RotationTerms = 0 }, "DTG1", []Nomination{n[0], n[4]}, true, S{CriterionRotation: Skipped}},
		{"rotation: two terms ago counts with 2", func(p *Policy) { p.RotationTerms = 2 }, "DTG2", []Nomination{n[5], {ID: "x", Person: "X", State: "JPN", Gender: "female", Expertise: []string{"x"}, DTG: "DTG2"}}, false, S{CriterionRotation: Fail}},
		{"rotation: other DTG ignored when same-DTG only", func(p *Policy) { p.RotationSameDTG = true }, "DTG2", []Nomination{{ID: "y", Person: "Y", State: "BRA", Gender: "male", Expertise: []string{"x"}, DTG: "DTG2"}, {ID: "x", Person: "X", State: "JPN", Gender: "female", Expertise: []string{"x"}, DTG: "DTG2"}}, true, S{CriterionRotation: Pass}},
		{"one seat missing", nil, "DTG1", []Nomination{n[0]}, false, S{CriterionSeats: Fail, CriterionDevelopedDeveloping: Fail}},
		{"wrong DTG", nil, "DTG1", []Nomination{n[0], n[5]}, false, S{CriterionDTG: Fail}},
		{"same State", func(p *Policy) { p.DevelopedDeveloping, p.DistinctRegionalGroups = false, false }, "DTG1", []Nomination{n[0], {ID: "z", Person: "Z", State: "DEU", Gender: "male", Expertise: []string{"x"}, DTG: "DTG1"}}, false, S{CriterionDistinctStates: Fail, CriterionDevelopedDeveloping: Skipped, CriterionRegionalGroups: Skipped}},
		{"unclassified State", nil, "DTG1", []Nomination{n[0], {ID: "z", Person: "Z", State: "ZZZ", Gender: "male", Expertise: []string{"x"}, DTG: "DTG1"}}, false, S{CriterionDevelopedDeveloping: Fail, CriterionRegionalGroups: Fail}},
		{"gender not given", nil, "DTG1", []Nomination{n[0], {ID: "z", Person: "Z", State: "KEN", Expertise: []string{"x"}, DTG: "DTG1"}}, true, S{CriterionGenderParity: Warn}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := p
			if c.pol != nil {
				c.pol(&q)
			}
			checks, err := Balance(q, ctx, c.dtg, c.pair)
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) != 8 {
				t.Errorf("%d checks, want every rule", len(checks))
			}
			if got := Balanced(checks); got != c.balanced {
				t.Errorf("balanced %v, want %v: %+v", got, c.balanced, checks)
			}
			st := decisionTestStatus(checks)
			for r, s := range c.want {
				if st[r] != s {
					t.Errorf("%s: %s, want %s", r, st[r], s)
				}
			}
			for _, ch := range checks {
				names, ok := decision.MessageKeys[ch.Key]
				if !ok {
					t.Errorf("key %s undeclared", ch.Key)
				}
				for a := range ch.Args {
					if !slices.Contains(names, a) {
						t.Errorf("%s: argument %s undeclared", ch.Key, a)
					}
				}
			}
		})
	}
	// Missing reference data is an error, not a silent pass.
	if _, err := Balance(p, Context{}, "DTG1", n[:2]); concord.ErrorCode(err) != concord.EInvalid {
		t.Errorf("no classification: %v", err)
	}
	if _, err := Balance(p, ctx, "DTG1", []Nomination{{Person: "X", State: "deu", DTG: "DTG1"}}); concord.ErrorCode(err) != concord.EInvalid {
		t.Errorf("bad nomination: %v", err)
	}
}

func TestCoFacilitatorPairs(t *testing.T) {
	sets, err := Pairs(DefaultPolicy(), decisionTestCoFacContext(), "DTG1", decisionTestNoms)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sets {
		got = append(got, s[0].State+"+"+s[1].State)
	}
	// DEU+NGA passes cleanly; NGA+FRA (two men) and FRA+SGP (no expertise
	// listed for Tan) pass with one warning, DEU+SGP with two (two women, no
	// expertise); BRA is out by rotation, DEU+FRA by the developed/developing
	// and regional rules, NGA+SGP by the developed/developing rule.
	want := []string{"DEU+NGA", "NGA+FRA", "FRA+SGP", "DEU+SGP"}
	if !slices.Equal(got, want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
}

// TestCoFacilitatorAppointmentModalities: the same balanced pair, the same
// positions (Russia objects, China reserves), under the three modes.
func TestCoFacilitatorAppointmentModalities(t *testing.T) {
	pair := decisionTestNoms[:2]
	ctx := decisionTestCoFacContext()
	facts := func(objection bool, acts ...decision.Act) decision.Facts {
		pos := []decision.Position{
			{Actor: "EU", Kind: decision.PositionSupport, At: decisiontest.At(2 * time.Hour), Seq: 1},
			{Actor: "CHN", Kind: decision.PositionReservation, At: decisiontest.At(3 * time.Hour), Seq: 2},
		}
		if objection {
			pos = append(pos, decision.Position{Actor: "RUS", Kind: decision.PositionObjection, Text: "Co-facilitators must be approved by consensus.", Lang: "en", At: decisiontest.At(4 * time.Hour), Seq: 3})
		}
		return decision.Facts{Kind: decision.KindCoFacilitatorAppointment, Subject: "DTG1", Proposal: concord.Text{"en": "Anna Nordmann (Germany) and Bola Okafor (Nigeria)"},
			ProposedBy: decision.ActorChair, ProposedAt: decisiontest.T0, Participants: decisiontest.All, Groups: []decision.Group{decisiontest.EUGroup()}, Positions: pos, Acts: acts}
	}
	decide := decision.Act{Kind: decision.ActDecide, At: decisiontest.At(48 * time.Hour), Formal: true}
	cases := []struct {
		mode      Appointment
		objection bool
		acts      []decision.Act
		now       time.Duration
		want      State
		outcome   decision.OutcomeKind
	}{
		{ChairAppoints, true, nil, 10 * time.Hour, Proposed, decision.OutcomePending},
		{ChairAppoints, true, []decision.Act{decide}, 50 * time.Hour, Appointed, decision.OutcomeAdoptedWithDivergence},
		{ChairProposalSilence, false, nil, 10 * time.Hour, Proposed, decision.OutcomePending},
		{ChairProposalSilence, false, nil, 72 * time.Hour, Approved, decision.OutcomeAdoptedWithDivergence},
		{ChairProposalSilence, true, nil, 10 * time.Hour, Blocked, decision.OutcomeSilenceBroken},
		{ConsensusApproval, true, nil, 10 * time.Hour, Proposed, decision.OutcomePending},
		{ConsensusApproval, true, []decision.Act{decide}, 50 * time.Hour, Blocked, decision.OutcomeNotAdopted},
		{ConsensusApproval, false, []decision.Act{decide}, 50 * time.Hour, Approved, decision.OutcomeAdoptedWithDivergence},
		{ConsensusApproval, true, []decision.Act{{Kind: decision.ActDefer, At: decisiontest.At(30 * time.Hour)}}, 50 * time.Hour, Deferred, decision.OutcomeDeferred},
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+string(c.want), func(t *testing.T) {
			p := DefaultPolicy()
			p.Appointment = c.mode
			r, err := Appoint(p, ctx, "DTG1", pair, facts(c.objection, c.acts...), decisiontest.At(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if !r.Balanced || r.Decision == nil {
				t.Fatalf("unbalanced: %+v", r.Checks)
			}
			if r.State != c.want || r.Decision.Outcome != c.outcome {
				t.Errorf("state %s outcome %s, want %s %s", r.State, r.Decision.Outcome, c.want, c.outcome)
			}
			if got := decisiontest.States(r.Decision.Record.Reserved); got != "CHN" && r.Decision.Outcome != decision.OutcomeSilenceBroken {
				t.Errorf("China's reservation recorded: %q", got)
			}
			decisiontest.CheckReasons(t, *r.Decision)
		})
	}
	// An unbalanced pair never reaches a decision.
	r, err := Appoint(DefaultPolicy(), ctx, "DTG1", []Nomination{decisionTestNoms[0], decisionTestNoms[2]}, facts(false, decide), decisiontest.At(50*time.Hour))
	if err != nil || r.State != Unbalanced || r.Decision != nil {
		t.Errorf("unbalanced: %+v %v", r, err)
	}
	// Simulation over the three modes on the same facts.
	f := facts(true, decide)
	var outs []decision.OutcomeKind
	var pols []decision.Policy
	for _, a := range Alternatives(DefaultPolicy()) {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		pols = append(pols, a.Decision())
	}
	for _, s := range decision.Simulate(f, pols, decisiontest.At(100*time.Hour)) {
		outs = append(outs, s.Result.Outcome)
	}
	if want := []decision.OutcomeKind{decision.OutcomeAdoptedWithDivergence, decision.OutcomeSilenceBroken, decision.OutcomeNotAdopted}; !slices.Equal(outs, want) {
		t.Errorf("simulation %v, want %v", outs, want)
	}
	bad := DefaultPolicy()
	bad.PerDTG = 0
	if bad.Validate() == nil {
		t.Error("zero seats accepted")
	}
}
