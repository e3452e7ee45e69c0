package concord

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// --- Agenda -----------------------------------------------------------------

func TestAgendaDiff(t *testing.T) {
	v1, v2 := decisionTestAgendaV1(), decisionTestAgendaV2()
	if err := v1.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := v2.Validate(); err != nil {
		t.Fatal(err)
	}
	ch := AgendaDiff(v1, v2)
	type row struct {
		kind       AgendaChangeKind
		item       string
		langs      string
		renumbered bool
	}
	var got []row
	for _, c := range ch {
		var ls []string
		for _, l := range c.Languages {
			ls = append(ls, l.Lang)
		}
		got = append(got, row{c.Kind, c.Item, strings.Join(ls, ","), c.Renumbered})
	}
	want := []row{
		{AgendaItemChanged, "opening", "ar", false}, // Arabic version added
		{AgendaItemChanged, "pillars", "en", false}, // only the English wording changed
		{AgendaItemAdded, "fund", "en", false},
		{AgendaItemChanged, "other", "", true}, // renumbered 6 -> 7, same text
	}
	if !slices.Equal(got, want) {
		t.Fatalf("diff\n got %+v\nwant %+v", got, want)
	}
	en, ok := ch[1].In("en")
	if !ok || !strings.Contains(en.To, "paragraph 9 of Annex C") || strings.Contains(en.From, "paragraph 9") {
		t.Errorf("item 5 in English: %+v", en)
	}
	if _, ok := ch[1].In("fr"); ok {
		t.Error("French unchanged")
	}
	if ar, _ := ch[0].In("ar"); ar.From != "" || ar.To == "" {
		t.Errorf("Arabic added: %+v", ar)
	}
	if ch[3].FromNumber != "6" || ch[3].ToNumber != "7" {
		t.Errorf("renumbering %+v", ch[3])
	}
	// Reverse: the fund item is removed.
	back := AgendaDiff(v2, v1)
	if last := back[len(back)-1]; last.Kind != AgendaItemRemoved || last.Item != "fund" || last.ToNumber != "" {
		t.Errorf("reverse diff ends with %+v", last)
	}
	if d := AgendaDiff(v1, v1); len(d) != 0 {
		t.Errorf("self diff %+v", d)
	}
	// Items without IDs are matched by number.
	a := Agenda{Version: 1, Items: []AgendaItem{{Number: "1", Title: Text{"en": "A"}}}}
	b := Agenda{Version: 2, Items: []AgendaItem{{Number: "1", Title: Text{"en": "B"}}}}
	if d := AgendaDiff(a, b); len(d) != 1 || d[0].Kind != AgendaItemChanged {
		t.Errorf("by number: %+v", d)
	}
}

func TestAgendaValidateAndProposal(t *testing.T) {
	bad := []struct {
		a     Agenda
		field string
	}{
		{Agenda{Version: 0, Items: []AgendaItem{{Number: "1", Title: Text{"en": "x"}}}}, "version"},
		{Agenda{Version: 1}, "items"},
		{Agenda{Version: 1, Items: []AgendaItem{{Number: " ", Title: Text{"en": "x"}}}}, "items[0].number"},
		{Agenda{Version: 1, Items: []AgendaItem{{Number: "1", Title: Text{"en": "x"}}, {Number: "1", Title: Text{"en": "y"}}}}, "items[1].id"},
		{Agenda{Version: 1, Items: []AgendaItem{{Number: "1", Title: Text{"xx": "x"}}}}, "items[0].title"},
	}
	for _, b := range bad {
		var de *Error
		if err := b.a.Validate(); !errors.As(err, &de) || de.Field != b.field {
			t.Errorf("want %s, got %v", b.field, err)
		}
	}
	p := decisionTestAgendaV1().Proposal()
	if !strings.HasPrefix(p["en"], "1. Opening of the session\n2. Adoption") || p["fr"] == "" || p["ar"] != "" {
		t.Errorf("proposal %q", p)
	}
	if !strings.Contains(p["es"], "2. Adoption of the agenda") { // fallback for missing Spanish titles
		t.Errorf("Spanish falls back: %q", p["es"])
	}
	if m := decisionTestAgendaV1().Missing(); len(m) != 6*6-3-5*2 { // item 1 has three versions, the others two
		t.Errorf("missing %d", len(m))
	}
}

func TestAgendaAdoptStates(t *testing.T) {
	v1 := decisionTestAgendaV1()
	f := decisionTestAgendaFacts()
	for _, c := range []struct {
		name string
		pol  func(AgendaPolicy) AgendaPolicy
		mut  func(*DecisionFacts)
		now  time.Duration
		want AgendaState
	}{
		{"provisional", nil, nil, 2 * time.Hour, AgendaProvisional},
		{"not adopted, proceed informally", nil, nil, 28 * time.Hour, AgendaNotAdoptedProceedInformally},
		{"not adopted", func(p AgendaPolicy) AgendaPolicy { p.ProceedInformally = false; return p }, nil, 28 * time.Hour, AgendaNotAdopted},
		{"adopted once the objections are withdrawn", nil, func(f *DecisionFacts) {
			f.Positions = append(slices.Clone(f.Positions), Position{Actor: "IRN", Kind: PositionWithdrawal, At: decisionTestAt(20 * time.Hour), Seq: 6}, Position{Actor: "RUS", Kind: PositionReservation, At: decisionTestAt(20 * time.Hour), Seq: 7})
		}, 28 * time.Hour, AgendaAdopted},
		{"deferred to July", nil, func(f *DecisionFacts) {
			f.Acts = []DecisionAct{{Kind: DecisionActDefer, At: decisionTestAt(26 * time.Hour)}}
		}, 28 * time.Hour, AgendaDeferred},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := AgendaDefaultPolicy()
			if c.pol != nil {
				p = c.pol(p)
			}
			ff := f
			if c.mut != nil {
				c.mut(&ff)
			}
			r, err := AgendaAdopt(p, v1, ff, decisionTestAt(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if r.State != c.want {
				t.Errorf("state %s, want %s (%s)", r.State, c.want, r.Decision.Outcome)
			}
			decisionTestCheckReasons(t, r.Decision)
		})
	}
	// Wrong subject, survey modality.
	g := f
	g.Kind = DecisionGeneric
	if _, err := AgendaAdopt(AgendaDefaultPolicy(), v1, g, decisionTestT0); ErrorCode(err) != EInvalid {
		t.Errorf("generic facts: %v", err)
	}
	p := AgendaDefaultPolicy()
	p.Modality = ModalityAdvisorySurvey
	if err := p.Validate(); err == nil {
		t.Error("agenda by survey accepted")
	}
}

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
			if got := decisionStates(r.Decision.Record.Reserved); got != "CHN" && r.Decision.Outcome != OutcomeSilenceBroken {
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

// --- DTG topics ---------------------------------------------------------------

var decisionTestTopics = []TopicSuggestion{
	{ID: "ransomware", Title: Text{"en": "Ransomware", "fr": "Rançongiciels"}, By: "DEU", DTG: "DTG1"},
	{ID: "critical-infrastructure", Title: Text{"en": "Protection of critical infrastructure"}, By: "FRA", DTG: "DTG1"},
	{ID: "voluntary-fund", Title: Text{"en": "Operationalising the Voluntary Fund"}, By: DecisionActorChair, DTG: "DTG1"},
}

// decisionTestSurvey: ten WEOG States rank ransomware first; three African
// and three Asia-Pacific States rank the Voluntary Fund first. By plain
// count ransomware wins (36 > 32 > 28); with each group weighing the same,
// the Voluntary Fund wins (0.389 > 0.333 > 0.278).
func decisionTestSurvey() TopicSurvey {
	s := TopicSurvey{DTG: "DTG1", Suggestions: decisionTestTopics, Participants: decisionTestAll, Opened: decisionTestT0, Deadline: decisionTestAt(14 * 24 * time.Hour)}
	seq := int64(0)
	add := func(states string, ranking ...string) {
		for _, st := range strings.Fields(states) {
			seq++
			s.Ballots = append(s.Ballots, TopicBallot{State: st, Ranking: ranking, At: decisionTestAt(time.Duration(seq) * time.Hour), Seq: seq})
		}
	}
	add("AUS AUT BEL CAN CHE DEU DNK ESP FIN FRA", "ransomware", "critical-infrastructure", "voluntary-fund")
	add("NGA SEN MAR", "voluntary-fund", "critical-infrastructure", "ransomware")
	add("IDN IND MYS", "voluntary-fund", "critical-infrastructure", "ransomware")
	return s
}

func TestTopicSurveyRegionalWeighting(t *testing.T) {
	p := TopicDefaultPolicy()
	s := decisionTestSurvey()
	r, err := TopicSurveyTally(p, s, decisionTestGroupOf, decisionTestAt(15*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Open || r.Counted != 16 {
		t.Fatalf("open %v counted %d", r.Open, r.Counted)
	}
	if r.Top(false) != "ransomware" || r.Top(true) != "voluntary-fund" {
		t.Fatalf("top by points %s, weighted %s", r.Top(false), r.Top(true))
	}
	if !slices.Equal(r.ByPoints, []string{"ransomware", "critical-infrastructure", "voluntary-fund"}) ||
		!slices.Equal(r.ByWeighted, []string{"voluntary-fund", "critical-infrastructure", "ransomware"}) {
		t.Errorf("orders %v / %v", r.ByPoints, r.ByWeighted)
	}
	pts := map[string]int{}
	w := map[string]float64{}
	for _, x := range r.Topics {
		pts[x.Topic], w[x.Topic] = x.Points, x.Weighted
	}
	if pts["ransomware"] != 36 || pts["critical-infrastructure"] != 32 || pts["voluntary-fund"] != 28 {
		t.Errorf("points %v", pts)
	}
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if !near(w["voluntary-fund"], 7.0/18) || !near(w["critical-infrastructure"], 1.0/3) || !near(w["ransomware"], 5.0/18) {
		t.Errorf("weighted %v", w)
	}
	if r.Topics[0].Groups["WEOG"] != 0.5 || r.Topics[0].PointsRank != 1 || r.Topics[0].WeightedRank != 3 {
		t.Errorf("ransomware %+v", r.Topics[0])
	}
	var weog TopicGroupTurnout
	for _, g := range r.Groups {
		if g.Group == "WEOG" {
			weog = g
		}
	}
	if weog.Members != 29 || weog.Respondents != 10 || weog.Points != 60 {
		t.Errorf("WEOG turnout %+v", weog)
	}
	hasKey := func(k string) bool {
		return slices.ContainsFunc(r.Reasons, func(x DecisionReason) bool { return x.Key == k })
	}
	if !hasKey("topic.reason.weighting_changes_top") || !hasKey("topic.reason.advisory") {
		t.Errorf("reasons %+v", r.Reasons)
	}
	// The advice feeds the Chair's proposal, by policy.
	if got := r.Proposal(p); !slices.Equal(got, []string{"voluntary-fund", "critical-infrastructure"}) {
		t.Errorf("weighted proposal %v", got)
	}
	p2 := p
	p2.RegionalWeighting = false
	if got := r.Proposal(p2); !slices.Equal(got, []string{"ransomware", "critical-infrastructure"}) {
		t.Errorf("plain proposal %v", got)
	}
	text := TopicProposalText(s.Suggestions, r.Proposal(p))
	if text["en"] != "Operationalising the Voluntary Fund\nProtection of critical infrastructure" || text["fr"] != "" {
		t.Errorf("proposal text %q", text)
	}
	facts := DecisionFacts{Kind: DecisionDTGTopics, Proposal: text, ProposedBy: DecisionActorChair, ProposedAt: decisionTestAt(15 * 24 * time.Hour),
		Participants: decisionTestAll, Acts: []DecisionAct{{Kind: DecisionActDecide, At: decisionTestAt(16 * 24 * time.Hour)}}}
	d, err := Decide(p.Decision(), facts, decisionTestAt(17*24*time.Hour))
	if err != nil || d.Outcome != OutcomeAdopted {
		t.Errorf("chair decision on the proposal: %v %v", d.Outcome, err)
	}
}

func TestTopicSurveyBallots(t *testing.T) {
	p := TopicDefaultPolicy()
	s := decisionTestSurvey()
	dl := s.Deadline
	// A change of mind, a late ballot, a ballot at the deadline, a
	// non-participant, a malformed ballot, and one from the future.
	s.Ballots = append(s.Ballots,
		TopicBallot{State: "NGA", Ranking: []string{"ransomware"}, At: decisionTestAt(100 * time.Hour), Seq: 100},
		TopicBallot{State: "KEN", Ranking: []string{"ransomware"}, At: dl, Seq: 101},
		TopicBallot{State: "GHA", Ranking: []string{"ransomware"}, At: dl.Add(time.Nanosecond), Seq: 102},
		TopicBallot{State: "XKX", Ranking: []string{"ransomware"}, At: decisionTestAt(time.Hour), Seq: 103},
		TopicBallot{State: "ZAF", Ranking: []string{"ransomware", "ransomware"}, At: decisionTestAt(time.Hour), Seq: 104},
		TopicBallot{State: "ETH", Ranking: []string{"voluntary-fund"}, At: dl.Add(-time.Nanosecond), Seq: 105},
	)
	r, err := TopicSurveyTally(p, s, decisionTestGroupOf, dl.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Open {
		t.Error("interim tally should be open")
	}
	keys := map[string]string{}
	for _, ig := range r.Ignored {
		keys[ig.State] = ig.Key
	}
	want := map[string]string{"NGA": "topic.reason.superseded", "KEN": "decision.reason.not_yet", "GHA": "decision.reason.not_yet", "XKX": "decision.error.not_participant", "ZAF": "topic.error.ballot", "ETH": "decision.reason.not_yet"}
	for st, k := range want {
		if keys[st] != k {
			t.Errorf("%s: %q, want %q", st, keys[st], k)
		}
	}
	r, _ = TopicSurveyTally(p, s, decisionTestGroupOf, dl.Add(time.Hour))
	keys = map[string]string{}
	for _, ig := range r.Ignored {
		keys[ig.State] = ig.Key
	}
	if keys["KEN"] != "decision.error.late" || keys["GHA"] != "decision.error.late" || keys["ETH"] != "" {
		t.Errorf("after the deadline: %v", keys)
	}
	if r.Counted != 17 {
		t.Errorf("counted %d", r.Counted)
	}
	for _, k := range keys {
		if _, ok := DecisionMessageKeys[k]; !ok {
			t.Errorf("undeclared %s", k)
		}
	}

	// Submitting.
	s = decisionTestSurvey()
	for _, c := range []struct {
		b   TopicBallot
		now time.Time
		key string
	}{
		{TopicBallot{State: "KEN", Ranking: []string{"ransomware"}}, dl.Add(-time.Nanosecond), ""},
		{TopicBallot{State: "KEN", Ranking: []string{"ransomware"}}, dl, "decision.error.late"},
		{TopicBallot{State: "XKX", Ranking: []string{"ransomware"}}, decisionTestAt(time.Hour), "decision.error.not_participant"},
		{TopicBallot{State: "KEN", Ranking: []string{"cyber-peace"}}, decisionTestAt(time.Hour), "topic.error.unknown_topic"},
		{TopicBallot{State: "KEN", Scores: map[string]int{"ransomware": 3}}, decisionTestAt(time.Hour), "topic.error.method"},
		{TopicBallot{State: "KEN", Ranking: []string{"ransomware"}}, decisionTestAt(-time.Hour), "topic.error.not_open"},
	} {
		_, err := s.SubmitBallot(p, c.b, c.now)
		var de *Error
		if c.key == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.b, err)
			}
		} else if !errors.As(err, &de) || de.Key != c.key {
			t.Errorf("%+v at %v: %v, want %s", c.b, c.now, err, c.key)
		}
	}
	if last := s.Ballots[len(s.Ballots)-1]; last.State != "KEN" || last.Seq != 17 {
		t.Errorf("stored %+v", last)
	}
}

func TestTopicSurveyScoresAndUnaffiliated(t *testing.T) {
	p := TopicDefaultPolicy()
	p.Method, p.MaxScore = TopicScores, 5
	s := TopicSurvey{Suggestions: decisionTestTopics, Participants: decisionTestAll, Opened: decisionTestT0}
	for i, b := range []TopicBallot{
		{State: "USA", Scores: map[string]int{"ransomware": 5, "critical-infrastructure": 4}},
		{State: "BRA", Scores: map[string]int{"voluntary-fund": 5, "critical-infrastructure": 1}},
		{State: "VAT", Scores: map[string]int{"voluntary-fund": 5}}, // in no regional group
	} {
		if _, err := s.SubmitBallot(p, b, decisionTestAt(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SubmitBallot(p, TopicBallot{State: "CHN", Scores: map[string]int{"ransomware": 6}}, decisionTestAt(time.Hour)); ErrorCode(err) != EInvalid {
		t.Errorf("score over max: %v", err)
	}
	r, err := TopicSurveyTally(p, s, decisionTestGroupOf, decisionTestAt(15*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Open || r.Counted != 3 {
		t.Errorf("open %v counted %d (period from the policy)", r.Open, r.Counted)
	}
	if !slices.ContainsFunc(r.Reasons, func(x DecisionReason) bool { return x.Key == "topic.reason.unaffiliated" && x.Args["states"] == "VAT" }) {
		t.Errorf("reasons %+v", r.Reasons)
	}
	// Plain: fund 10, infrastructure 5, ransomware 5 (tie broken by the
	// weighted figure: infrastructure 0.5*(4/9)+0.5*(1/6) > ransomware 0.5*(5/9)).
	if !slices.Equal(r.ByPoints, []string{"voluntary-fund", "critical-infrastructure", "ransomware"}) {
		t.Errorf("by points %v", r.ByPoints)
	}
	// Weighted (VAT left out): fund 0.5*5/6=0.4167, ransomware 0.2778, infrastructure 0.3056.
	if !slices.Equal(r.ByWeighted, []string{"voluntary-fund", "critical-infrastructure", "ransomware"}) {
		t.Errorf("by weighted %v", r.ByWeighted)
	}
	// Under any other selection mode there is no survey.
	q := p
	q.Selection = TopicConsensus
	if _, err := TopicSurveyTally(q, s, decisionTestGroupOf, decisionTestT0); ErrorCode(err) != EConflict {
		t.Errorf("no survey: %v", err)
	}
}

// --- Briefers -----------------------------------------------------------------

func TestBrieferRound(t *testing.T) {
	nom := BrieferNomination{ID: "b1", Name: "Dr. Ada Byte", Affiliation: "CERT network", NominatedBy: "CAN", DTG: "DTG1", Meeting: "DTG1-2026-12", At: decisionTestT0}
	facts := func(objection bool, acts ...DecisionAct) DecisionFacts {
		f := DecisionFacts{Kind: DecisionBrieferConfirmation, Participants: decisionTestAll, Acts: acts,
			Positions: []Position{{Actor: "GBR", Kind: PositionSupport, At: decisionTestAt(2 * time.Hour), Seq: 1}}}
		if objection {
			f.Positions = append(f.Positions, Position{Actor: "RUS", Kind: PositionObjection, Text: "External briefers need case-by-case agreement.", Lang: "en", At: decisionTestAt(30 * time.Hour), Seq: 2})
		}
		return f
	}
	meeting := DecisionAct{Kind: DecisionActDecide, At: decisionTestAt(6 * 24 * time.Hour), Formal: true}
	cases := []struct {
		mode      BrieferConfirmation
		objection bool
		acts      []DecisionAct
		now       time.Duration
		want      BrieferState
	}{
		{BrieferAutomatic, true, nil, 0, BrieferConfirmed},
		{BrieferAutomatic, true, nil, 40 * time.Hour, BrieferConfirmed}, // the objection comes after the outcome
		{BrieferNonObjection, false, nil, 24 * time.Hour, BrieferNominated},
		{BrieferNonObjection, false, nil, 5 * 24 * time.Hour, BrieferConfirmed},
		{BrieferNonObjection, true, nil, 40 * time.Hour, BrieferRejected},
		{BrieferConsensus, false, nil, 4 * 24 * time.Hour, BrieferNominated},
		{BrieferConsensus, false, []DecisionAct{meeting}, 7 * 24 * time.Hour, BrieferConfirmed},
		{BrieferConsensus, true, []DecisionAct{meeting}, 7 * 24 * time.Hour, BrieferRejected},
		{BrieferConsensus, true, []DecisionAct{{Kind: DecisionActDefer, At: decisionTestAt(48 * time.Hour)}}, 7 * 24 * time.Hour, BrieferDeferred},
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+string(c.want), func(t *testing.T) {
			p := BrieferDefaultPolicy()
			p.Confirmation = c.mode
			if c.mode == BrieferConsensus {
				p.Period = 0 // ascertained at the DTG meeting
			}
			r, err := BrieferConfirm(p, nom, facts(c.objection, c.acts...), decisionTestAt(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if r.State != c.want {
				t.Errorf("state %s, want %s (%s, %+v)", r.State, c.want, r.Decision.Outcome, r.Decision.Reasons)
			}
			decisionTestCheckReasons(t, r.Decision)
		})
	}
	// Under automatic confirmation, Russia's objection is refused as after
	// the outcome but stays in the history.
	p := BrieferDefaultPolicy()
	p.Confirmation = BrieferAutomatic
	r, _ := BrieferConfirm(p, nom, facts(true), decisionTestAt(40*time.Hour))
	if h := r.Decision.History; len(h) != 2 || h[1].Key != "decision.error.after_outcome" {
		t.Errorf("history %+v", h)
	}
	// A State that does not take part cannot nominate.
	other := nom
	other.NominatedBy = "XKX"
	if _, err := BrieferConfirm(BrieferDefaultPolicy(), other, facts(false), decisionTestT0); ErrorCode(err) != EForbidden {
		t.Errorf("non-participant nominator: %v", err)
	}
	bad := BrieferDefaultPolicy()
	bad.Period = 0
	if bad.Validate() == nil {
		t.Error("non-objection round without a period accepted")
	}
	if alts := BrieferAlternatives(BrieferPolicy{Confirmation: BrieferAutomatic}); len(alts) != 3 || alts[1].Validate() != nil {
		t.Errorf("alternatives %+v", alts)
	}
}
