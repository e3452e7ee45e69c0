package topic

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// --- DTG topics ---------------------------------------------------------------

var decisionTestTopics = []Suggestion{
	{ID: "ransomware", Title: concord.Text{"en": "Ransomware", "fr": "Rançongiciels"}, By: "DEU", DTG: "DTG1"},
	{ID: "critical-infrastructure", Title: concord.Text{"en": "Protection of critical infrastructure"}, By: "FRA", DTG: "DTG1"},
	{ID: "voluntary-fund", Title: concord.Text{"en": "Operationalising the Voluntary Fund"}, By: decision.ActorChair, DTG: "DTG1"},
}

// decisionTestSurvey: ten WEOG States rank ransomware first; three African
// and three Asia-Pacific States rank the Voluntary Fund first. By plain
// count ransomware wins (36 > 32 > 28); with each group weighing the same,
// the Voluntary Fund wins (0.389 > 0.333 > 0.278).
func decisionTestSurvey() Survey {
	s := Survey{DTG: "DTG1", Suggestions: decisionTestTopics, Participants: decisiontest.All, Opened: decisiontest.T0, Deadline: decisiontest.At(14 * 24 * time.Hour)}
	seq := int64(0)
	add := func(states string, ranking ...string) {
		for _, st := range strings.Fields(states) {
			seq++
			s.Ballots = append(s.Ballots, Ballot{State: st, Ranking: ranking, At: decisiontest.At(time.Duration(seq) * time.Hour), Seq: seq})
		}
	}
	add("AUS AUT BEL CAN CHE DEU DNK ESP FIN FRA", "ransomware", "critical-infrastructure", "voluntary-fund")
	add("NGA SEN MAR", "voluntary-fund", "critical-infrastructure", "ransomware")
	add("IDN IND MYS", "voluntary-fund", "critical-infrastructure", "ransomware")
	return s
}

func TestTopicSurveyRegionalWeighting(t *testing.T) {
	p := DefaultPolicy()
	s := decisionTestSurvey()
	r, err := SurveyTally(p, s, decisiontest.GroupOf, decisiontest.At(15*24*time.Hour))
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
	var weog GroupTurnout
	for _, g := range r.Groups {
		if g.Group == "WEOG" {
			weog = g
		}
	}
	if weog.Members != 29 || weog.Respondents != 10 || weog.Points != 60 {
		t.Errorf("WEOG turnout %+v", weog)
	}
	hasKey := func(k string) bool {
		return slices.ContainsFunc(r.Reasons, func(x decision.Reason) bool { return x.Key == k })
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
	text := ProposalText(s.Suggestions, r.Proposal(p))
	if text["en"] != "Operationalising the Voluntary Fund\nProtection of critical infrastructure" || text["fr"] != "" {
		t.Errorf("proposal text %q", text)
	}
	facts := decision.Facts{Kind: decision.KindDTGTopics, Proposal: text, ProposedBy: decision.ActorChair, ProposedAt: decisiontest.At(15 * 24 * time.Hour),
		Participants: decisiontest.All, Acts: []decision.Act{{Kind: decision.ActDecide, At: decisiontest.At(16 * 24 * time.Hour)}}}
	d, err := decision.Decide(p.Decision(), facts, decisiontest.At(17*24*time.Hour))
	if err != nil || d.Outcome != decision.OutcomeAdopted {
		t.Errorf("chair decision on the proposal: %v %v", d.Outcome, err)
	}
}

func TestTopicSurveyBallots(t *testing.T) {
	p := DefaultPolicy()
	s := decisionTestSurvey()
	dl := s.Deadline
	// A change of mind, a late ballot, a ballot at the deadline, a
	// non-participant, a malformed ballot, and one from the future.
	s.Ballots = append(s.Ballots,
		Ballot{State: "NGA", Ranking: []string{"ransomware"}, At: decisiontest.At(100 * time.Hour), Seq: 100},
		Ballot{State: "KEN", Ranking: []string{"ransomware"}, At: dl, Seq: 101},
		Ballot{State: "GHA", Ranking: []string{"ransomware"}, At: dl.Add(time.Nanosecond), Seq: 102},
		Ballot{State: "XKX", Ranking: []string{"ransomware"}, At: decisiontest.At(time.Hour), Seq: 103},
		Ballot{State: "ZAF", Ranking: []string{"ransomware", "ransomware"}, At: decisiontest.At(time.Hour), Seq: 104},
		Ballot{State: "ETH", Ranking: []string{"voluntary-fund"}, At: dl.Add(-time.Nanosecond), Seq: 105},
	)
	r, err := SurveyTally(p, s, decisiontest.GroupOf, dl.Add(-time.Hour))
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
	r, _ = SurveyTally(p, s, decisiontest.GroupOf, dl.Add(time.Hour))
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
		if _, ok := decision.MessageKeys[k]; !ok {
			t.Errorf("undeclared %s", k)
		}
	}

	// Submitting.
	s = decisionTestSurvey()
	for _, c := range []struct {
		b   Ballot
		now time.Time
		key string
	}{
		{Ballot{State: "KEN", Ranking: []string{"ransomware"}}, dl.Add(-time.Nanosecond), ""},
		{Ballot{State: "KEN", Ranking: []string{"ransomware"}}, dl, "decision.error.late"},
		{Ballot{State: "XKX", Ranking: []string{"ransomware"}}, decisiontest.At(time.Hour), "decision.error.not_participant"},
		{Ballot{State: "KEN", Ranking: []string{"cyber-peace"}}, decisiontest.At(time.Hour), "topic.error.unknown_topic"},
		{Ballot{State: "KEN", Scores: map[string]int{"ransomware": 3}}, decisiontest.At(time.Hour), "topic.error.method"},
		{Ballot{State: "KEN", Ranking: []string{"ransomware"}}, decisiontest.At(-time.Hour), "topic.error.not_open"},
	} {
		_, err := s.SubmitBallot(p, c.b, c.now)
		var de *concord.Error
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
	p := DefaultPolicy()
	p.Method, p.MaxScore = Scores, 5
	s := Survey{Suggestions: decisionTestTopics, Participants: decisiontest.All, Opened: decisiontest.T0}
	for i, b := range []Ballot{
		{State: "USA", Scores: map[string]int{"ransomware": 5, "critical-infrastructure": 4}},
		{State: "BRA", Scores: map[string]int{"voluntary-fund": 5, "critical-infrastructure": 1}},
		{State: "VAT", Scores: map[string]int{"voluntary-fund": 5}}, // in no regional group
	} {
		if _, err := s.SubmitBallot(p, b, decisiontest.At(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SubmitBallot(p, Ballot{State: "CHN", Scores: map[string]int{"ransomware": 6}}, decisiontest.At(time.Hour)); concord.ErrorCode(err) != concord.EInvalid {
		t.Errorf("score over max: %v", err)
	}
	r, err := SurveyTally(p, s, decisiontest.GroupOf, decisiontest.At(15*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Open || r.Counted != 3 {
		t.Errorf("open %v counted %d (period from the policy)", r.Open, r.Counted)
	}
	if !slices.ContainsFunc(r.Reasons, func(x decision.Reason) bool { return x.Key == "topic.reason.unaffiliated" && x.Args["states"] == "VAT" }) {
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
	q.Selection = Consensus
	if _, err := SurveyTally(q, s, decisiontest.GroupOf, decisiontest.T0); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("no survey: %v", err)
	}
}

func BenchmarkTopicSurveyTally195(b *testing.B) {
	p := DefaultPolicy()
	s := Survey{Suggestions: decisionTestTopics, Participants: decisiontest.All, Opened: decisiontest.T0}
	for i, st := range decisiontest.All {
		r := []string{"ransomware", "critical-infrastructure", "voluntary-fund"}
		r[0], r[i%3] = r[i%3], r[0]
		s.Ballots = append(s.Ballots, Ballot{State: st, Ranking: r, At: decisiontest.At(time.Duration(i) * time.Minute), Seq: int64(i + 1)})
	}
	now := decisiontest.At(30 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SurveyTally(p, s, decisiontest.GroupOf, now); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckBallotAllErrors: a ballot wrong in several ways gets every
// problem at once: who answers, when, and each topic.
func TestCheckBallotAllErrors(t *testing.T) {
	p := DefaultPolicy()
	s := decisionTestSurvey()
	err := s.CheckBallot(p, Ballot{State: "XKX", Ranking: []string{"cyber-peace", "ransomware", "ransomware", "moon"}}, s.Deadline)
	var all concord.Errors
	if !errors.As(err, &all) {
		t.Fatalf("%v: not every problem", err)
	}
	var keys []string
	for _, e := range all {
		keys = append(keys, e.Key)
	}
	want := []string{"decision.error.not_participant", "decision.error.late", "topic.error.unknown_topic", "topic.error.duplicate", "topic.error.unknown_topic"}
	if !slices.Equal(keys, want) {
		t.Errorf("%v, want %v", keys, want)
	}
}
