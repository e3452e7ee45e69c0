package concord

import (
	"slices"
	"testing"
	"time"
)

// --- Co-facilitators ----------------------------------------------------------

func decisionTestCoFacContext() CoFacilitatorContext {
	dev := map[string]bool{"DEU": true, "FRA": true, "JPN": true, "AUS": true}
	return CoFacilitatorContext{
		Category: func(s string) string {
			if s == "ZZZ" {
				return ""
			}
			if dev[s] {
				return Developed
			}
			return Developing
		},
		Group:    decisionTestGroupOf,
		Previous: []CoFacilitatorSeat{{State: "BRA", DTG: "DTG1", Person: "Former", Term: "2024-2025", TermsAgo: 1}, {State: "EGY", DTG: "DTG2", Term: "2022-2023", TermsAgo: 2}},
	}
}

var decisionTestNoms = []CoFacilitatorNomination{
	{ID: "n1", Person: "Anna Nordmann", State: "DEU", Gender: "female", Expertise: []string{"ransomware"}, DTG: "DTG1"},
	{ID: "n2", Person: "Bola Okafor", State: "NGA", Gender: "male", Expertise: []string{"capacity-building"}, DTG: "DTG1"},
	{ID: "n3", Person: "Claude Dupont", State: "FRA", Gender: "male", Expertise: []string{"critical infrastructure"}, DTG: "DTG1"},
	{ID: "n4", Person: "Dewi Tan", State: "SGP", Gender: "female", DTG: "DTG1"},
	{ID: "n5", Person: "Elena Silva", State: "BRA", Gender: "female", Expertise: []string{"CBMs"}, DTG: "DTG1"},
	{ID: "n6", Person: "Farid Haddad", State: "EGY", Gender: "male", Expertise: []string{"law"}, DTG: "DTG2"},
}

func decisionTestStatus(checks []CoFacilitatorCheck) map[CoFacilitatorRule]CoFacilitatorStatus {
	m := map[CoFacilitatorRule]CoFacilitatorStatus{}
	for _, c := range checks {
		m[c.Rule] = c.Status
	}
	return m
}

func TestCoFacilitatorBalance(t *testing.T) {
	n := decisionTestNoms
	ctx := decisionTestCoFacContext()
	p := CoFacilitatorDefaultPolicy()
	type S = map[CoFacilitatorRule]CoFacilitatorStatus
	cases := []struct {
		name     string
		pol      func(*CoFacilitatorPolicy)
		dtg      string
		pair     []CoFacilitatorNomination
		balanced bool
		want     S
	}{
		{"balanced", nil, "DTG1", []CoFacilitatorNomination{n[0], n[1]}, true, S{CoFacilitatorRuleSeats: CoFacilitatorPass, CoFacilitatorRuleDevelopedDeveloping: CoFacilitatorPass, CoFacilitatorRuleRegionalGroups: CoFacilitatorPass, CoFacilitatorRuleGenderParity: CoFacilitatorPass, CoFacilitatorRuleRotation: CoFacilitatorPass, CoFacilitatorRuleExpertise: CoFacilitatorPass}},
		{"two developed, same group", nil, "DTG1", []CoFacilitatorNomination{n[0], n[2]}, false, S{CoFacilitatorRuleDevelopedDeveloping: CoFacilitatorFail, CoFacilitatorRuleRegionalGroups: CoFacilitatorFail, CoFacilitatorRuleGenderParity: CoFacilitatorPass}},
		{"two men: a warning only", nil, "DTG1", []CoFacilitatorNomination{n[2], n[1]}, true, S{CoFacilitatorRuleGenderParity: CoFacilitatorWarn}},
		{"two men: an error when the policy says so", func(p *CoFacilitatorPolicy) { p.GenderParity = CoFacilitatorError }, "DTG1", []CoFacilitatorNomination{n[2], n[1]}, false, S{CoFacilitatorRuleGenderParity: CoFacilitatorFail}},
		{"no expertise listed", nil, "DTG1", []CoFacilitatorNomination{n[0], n[3]}, true, S{CoFacilitatorRuleExpertise: CoFacilitatorWarn}},
		{"rotation: Brazil held a seat last term", nil, "DTG1", []CoFacilitatorNomination{n[0], n[4]}, false, S{CoFacilitatorRuleRotation: CoFacilitatorFail}},
		{"rotation off", func(p *CoFacilitatorPolicy) { p.RotationTerms = 0 }, "DTG1", []CoFacilitatorNomination{n[0], n[4]}, true, S{CoFacilitatorRuleRotation: CoFacilitatorSkipped}},
		{"rotation: two terms ago counts with 2", func(p *CoFacilitatorPolicy) { p.RotationTerms = 2 }, "DTG2", []CoFacilitatorNomination{n[5], {ID: "x", Person: "X", State: "JPN", Gender: "female", Expertise: []string{"x"}, DTG: "DTG2"}}, false, S{CoFacilitatorRuleRotation: CoFacilitatorFail}},
		{"rotation: other DTG ignored when same-DTG only", func(p *CoFacilitatorPolicy) { p.RotationSameDTG = true }, "DTG2", []CoFacilitatorNomination{{ID: "y", Person: "Y", State: "BRA", Gender: "male", Expertise: []string{"x"}, DTG: "DTG2"}, {ID: "x", Person: "X", State: "JPN", Gender: "female", Expertise: []string{"x"}, DTG: "DTG2"}}, true, S{CoFacilitatorRuleRotation: CoFacilitatorPass}},
		{"one seat missing", nil, "DTG1", []CoFacilitatorNomination{n[0]}, false, S{CoFacilitatorRuleSeats: CoFacilitatorFail, CoFacilitatorRuleDevelopedDeveloping: CoFacilitatorFail}},
		{"wrong DTG", nil, "DTG1", []CoFacilitatorNomination{n[0], n[5]}, false, S{CoFacilitatorRuleDTG: CoFacilitatorFail}},
		{"same State", func(p *CoFacilitatorPolicy) { p.DevelopedDeveloping, p.DistinctRegionalGroups = false, false }, "DTG1", []CoFacilitatorNomination{n[0], {ID: "z", Person: "Z", State: "DEU", Gender: "male", Expertise: []string{"x"}, DTG: "DTG1"}}, false, S{CoFacilitatorRuleDistinctStates: CoFacilitatorFail, CoFacilitatorRuleDevelopedDeveloping: CoFacilitatorSkipped, CoFacilitatorRuleRegionalGroups: CoFacilitatorSkipped}},
		{"unclassified State", nil, "DTG1", []CoFacilitatorNomination{n[0], {ID: "z", Person: "Z", State: "ZZZ", Gender: "male", Expertise: []string{"x"}, DTG: "DTG1"}}, false, S{CoFacilitatorRuleDevelopedDeveloping: CoFacilitatorFail, CoFacilitatorRuleRegionalGroups: CoFacilitatorFail}},
		{"gender not given", nil, "DTG1", []CoFacilitatorNomination{n[0], {ID: "z", Person: "Z", State: "KEN", Expertise: []string{"x"}, DTG: "DTG1"}}, true, S{CoFacilitatorRuleGenderParity: CoFacilitatorWarn}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := p
			if c.pol != nil {
				c.pol(&q)
			}
			checks, err := CoFacilitatorBalance(q, ctx, c.dtg, c.pair)
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) != 8 {
				t.Errorf("%d checks, want every rule", len(checks))
			}
			if got := CoFacilitatorBalanced(checks); got != c.balanced {
				t.Errorf("balanced %v, want %v: %+v", got, c.balanced, checks)
			}
			st := decisionTestStatus(checks)
			for r, s := range c.want {
				if st[r] != s {
					t.Errorf("%s: %s, want %s", r, st[r], s)
				}
			}
			for _, ch := range checks {
				names, ok := DecisionMessageKeys[ch.Key]
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
	if _, err := CoFacilitatorBalance(p, CoFacilitatorContext{}, "DTG1", n[:2]); ErrorCode(err) != EInvalid {
		t.Errorf("no classification: %v", err)
	}
	if _, err := CoFacilitatorBalance(p, ctx, "DTG1", []CoFacilitatorNomination{{Person: "X", State: "deu", DTG: "DTG1"}}); ErrorCode(err) != EInvalid {
		t.Errorf("bad nomination: %v", err)
	}
}

func TestCoFacilitatorPairs(t *testing.T) {
	sets, err := CoFacilitatorPairs(CoFacilitatorDefaultPolicy(), decisionTestCoFacContext(), "DTG1", decisionTestNoms)
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
	facts := func(objection bool, acts ...DecisionAct) DecisionFacts {
		pos := []Position{
			{Actor: "EU", Kind: PositionSupport, At: decisionTestAt(2 * time.Hour), Seq: 1},
			{Actor: "CHN", Kind: PositionReservation, At: decisionTestAt(3 * time.Hour), Seq: 2},
		}
		if objection {
			pos = append(pos, Position{Actor: "RUS", Kind: PositionObjection, Text: "Co-facilitators must be approved by consensus.", Lang: "en", At: decisionTestAt(4 * time.Hour), Seq: 3})
		}
		return DecisionFacts{Kind: DecisionCoFacilitatorAppointment, Subject: "DTG1", Proposal: Text{"en": "Anna Nordmann (Germany) and Bola Okafor (Nigeria)"},
			ProposedBy: DecisionActorChair, ProposedAt: decisionTestT0, Participants: decisionTestAll, Groups: []DecisionGroup{decisionTestEUGroup()}, Positions: pos, Acts: acts}
	}
	decide := DecisionAct{Kind: DecisionActDecide, At: decisionTestAt(48 * time.Hour), Formal: true}
	cases := []struct {
		mode      CoFacilitatorAppointment
		objection bool
		acts      []DecisionAct
		now       time.Duration
		want      CoFacilitatorState
		outcome   OutcomeKind
	}{
		{CoFacilitatorChairAppoints, true, nil, 10 * time.Hour, CoFacilitatorProposed, OutcomePending},
		{CoFacilitatorChairAppoints, true, []DecisionAct{decide}, 50 * time.Hour, CoFacilitatorAppointed, OutcomeAdoptedWithDivergence},
		{CoFacilitatorChairProposalSilence, false, nil, 10 * time.Hour, CoFacilitatorProposed, OutcomePending},
		{CoFacilitatorChairProposalSilence, false, nil, 72 * time.Hour, CoFacilitatorApproved, OutcomeAdoptedWithDivergence},
		{CoFacilitatorChairProposalSilence, true, nil, 10 * time.Hour, CoFacilitatorBlocked, OutcomeSilenceBroken},
		{CoFacilitatorConsensusApproval, true, nil, 10 * time.Hour, CoFacilitatorProposed, OutcomePending},
		{CoFacilitatorConsensusApproval, true, []DecisionAct{decide}, 50 * time.Hour, CoFacilitatorBlocked, OutcomeNotAdopted},
		{CoFacilitatorConsensusApproval, false, []DecisionAct{decide}, 50 * time.Hour, CoFacilitatorApproved, OutcomeAdoptedWithDivergence},
		{CoFacilitatorConsensusApproval, true, []DecisionAct{{Kind: DecisionActDefer, At: decisionTestAt(30 * time.Hour)}}, 50 * time.Hour, CoFacilitatorDeferred, OutcomeDeferred},
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+string(c.want), func(t *testing.T) {
			p := CoFacilitatorDefaultPolicy()
			p.Appointment = c.mode
			r, err := CoFacilitatorAppoint(p, ctx, "DTG1", pair, facts(c.objection, c.acts...), decisionTestAt(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if !r.Balanced || r.Decision == nil {
				t.Fatalf("unbalanced: %+v", r.Checks)
			}
			if r.State != c.want || r.Decision.Outcome != c.outcome {
				t.Errorf("state %s outcome %s, want %s %s", r.State, r.Decision.Outcome, c.want, c.outcome)
			}
			if got := decisionTestStates(r.Decision.Record.Reserved); got != "CHN" && r.Decision.Outcome != OutcomeSilenceBroken {
				t.Errorf("China's reservation recorded: %q", got)
			}
			decisionTestCheckReasons(t, *r.Decision)
		})
	}
	// An unbalanced pair never reaches a decision.
	r, err := CoFacilitatorAppoint(CoFacilitatorDefaultPolicy(), ctx, "DTG1", []CoFacilitatorNomination{decisionTestNoms[0], decisionTestNoms[2]}, facts(false, decide), decisionTestAt(50*time.Hour))
	if err != nil || r.State != CoFacilitatorUnbalanced || r.Decision != nil {
		t.Errorf("unbalanced: %+v %v", r, err)
	}
	// Simulation over the three modes on the same facts.
	f := facts(true, decide)
	var outs []OutcomeKind
	var pols []DecisionPolicy
	for _, a := range CoFacilitatorAlternatives(CoFacilitatorDefaultPolicy()) {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		pols = append(pols, a.Decision())
	}
	for _, s := range SimulateDecision(f, pols, decisionTestAt(100*time.Hour)) {
		outs = append(outs, s.Result.Outcome)
	}
	if want := []OutcomeKind{OutcomeAdoptedWithDivergence, OutcomeSilenceBroken, OutcomeNotAdopted}; !slices.Equal(outs, want) {
		t.Errorf("simulation %v, want %v", outs, want)
	}
	bad := CoFacilitatorDefaultPolicy()
	bad.PerDTG = 0
	if bad.Validate() == nil {
		t.Error("zero seats accepted")
	}
}
