package topic

// DTG topics (domain brief §5 row 3, §7.6): suggestions from States and the
// Chair; selection by the Chair with the co-facilitators, by consensus, by the
// plenary, or through an advisory preference survey (Morocco) whose result
// feeds a Chair proposal. The survey is tallied both per State and with equal
// weight per regional group.

import (
	"cmp"
	"concord"
	"concord/decision"
	"concord/rule"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Suggestion is a topic put forward for a DTG.
type Suggestion struct {
	ID    string
	Title concord.Text
	By    string // decision.ActorChair or the ISO3 of the suggesting State
	DTG   string
	At    time.Time
}

// Validate checks the suggestion's fields.
func (s Suggestion) Validate() error {
	if strings.TrimSpace(s.ID) == "" {
		return concord.Errorf(concord.EInvalid, "id", "topic.error.id", "a topic needs an identifier")
	}
	if s.By == "" {
		return concord.Errorf(concord.EInvalid, "by", "topic.error.by", "a topic needs the State or Chair suggesting it")
	}
	return decision.CheckText(s.Title, "title")
}

// Selection is who selects the topics (§5 row 3).
type Selection string

// Selection modes.
const (
	ChairWithCoFacilitators Selection = "chair_with_cofacilitators" // Germany, France, Canada, UK, Australia
	Consensus               Selection = "consensus"                 // Iran, Russia
	PlenaryDecision         Selection = "plenary_decision"          // Argentina
	PreferenceSurvey        Selection = "preference_survey"         // Morocco
)

// Selections lists the modes.
var Selections = []Selection{ChairWithCoFacilitators, Consensus, PlenaryDecision, PreferenceSurvey}

// Method is how a State answers the survey.
type Method string

// Survey methods.
const (
	// Ranking: a State ranks topics best first. With n suggested
	// topics, the topic ranked i-th (from 1) gets n+1-i points and an
	// unranked topic 0 (Borda, so that ranking a topic last still counts).
	Ranking Method = "ranking"
	// Scores: a State gives each topic 0..MaxScore points.
	Scores Method = "scores"
)

// Policy is how DTG topics are selected, as a dated, versioned value.
type Policy struct {
	// Stamped names the rule version the policy belongs to.
	rule.Stamped
	Selection Selection
	Method    Method
	MaxScore  int           // for Scores
	Period    time.Duration // survey period when the survey has no deadline
	// RegionalWeighting: the survey's advice (Proposal) follows the tally
	// with equal weight per regional group rather than the plain sum.
	RegionalWeighting bool
	Slots             int // how many topics the Chair proposes
	// AfterSurvey: how the Chair's proposal built from the survey is
	// adopted (chair_decision when empty).
	AfterSurvey decision.Modality
}

// DefaultPolicy is Morocco's proposal: a ranked survey with regional
// balance, feeding a Chair decision on two topics.
func DefaultPolicy() Policy {
	return Policy{Stamped: rule.Stamped{Code: "dtg-topics", Version: 1}, Selection: PreferenceSurvey, Method: Ranking, Period: 14 * 24 * time.Hour,
		RegionalWeighting: true, Slots: 2, AfterSurvey: decision.ModalityChairDecision}
}

// Validate checks the policy.
func (p Policy) Validate() error {
	if !slices.Contains(Selections, p.Selection) {
		return concord.Errorf(concord.EInvalid, "selection", "topic.error.selection", "unknown selection mode %q", p.Selection)
	}
	if p.Selection == PreferenceSurvey {
		switch p.Method {
		case Ranking:
		case Scores:
			if p.MaxScore < 1 {
				return concord.Errorf(concord.EInvalid, "max_score", "topic.error.max_score", "a scored survey needs a maximum score of at least 1")
			}
		default:
			return concord.Errorf(concord.EInvalid, "method", "topic.error.method", "unknown survey method %q", p.Method)
		}
		if p.AfterSurvey == decision.ModalityAdvisorySurvey {
			return concord.Errorf(concord.EInvalid, "after_survey", "topic.error.after_survey", "the proposal after a survey must be decided, not surveyed again")
		}
	}
	if p.Slots < 1 {
		return concord.Errorf(concord.EInvalid, "slots", "topic.error.slots", "at least one topic must be selected")
	}
	if p.Period < 0 {
		return concord.Errorf(concord.EInvalid, "period", "decision.error.period", "period must not be negative")
	}
	return p.Decision().Validate()
}

// Decision is how the topic proposal is decided, as a decision.Policy.
func (p Policy) Decision() decision.Policy {
	d := decision.Policy{Code: p.Code, Version: p.Version, Effective: p.Effective, LateExplanations: true}
	switch p.Selection {
	case Consensus:
		d.Modality = decision.ModalityConsensus
	case PlenaryDecision:
		d.Modality = decision.ModalityPlenaryDecision
	case PreferenceSurvey:
		d.Modality = p.AfterSurvey
		if d.Modality == "" {
			d.Modality = decision.ModalityChairDecision
		}
		if decision.NeedsDeadline(d.Modality) {
			d.Period = decision.DefaultPeriod
		}
	default:
		d.Modality = decision.ModalityChairDecision
	}
	return d
}

// ProposalText renders the chosen topics as a proposal, one title per
// line, in each language at least one of them has.
func ProposalText(suggestions []Suggestion, ids []string) concord.Text {
	out := concord.Text{}
	for _, l := range concord.Languages {
		var lines []string
		has := false
		for _, id := range ids {
			i := slices.IndexFunc(suggestions, func(s Suggestion) bool { return s.ID == id })
			if i < 0 {
				continue
			}
			if suggestions[i].Title[l] != "" {
				has = true
			}
			s, _, _ := suggestions[i].Title.In(l)
			lines = append(lines, s)
		}
		if has {
			out[l] = strings.Join(lines, "\n")
		}
	}
	return out
}

// Ballot is one State's answer to the survey.
type Ballot struct {
	State   string
	Ranking []string       // topic IDs, best first (Ranking)
	Scores  map[string]int // topic ID -> score (Scores)
	At      time.Time
	Seq     int64 // order of receipt; breaks ties between equal At
}

// Survey is a preference survey: the suggestions, who may answer, the
// window and the ballots.
type Survey struct {
	DTG          string
	Suggestions  []Suggestion
	Participants []string
	Opened       time.Time
	Deadline     time.Time // zero: Opened + the policy's Period
	Ballots      []Ballot
}

func (s Survey) deadline(p Policy) time.Time {
	if s.Deadline.IsZero() && p.Period > 0 {
		return s.Opened.Add(p.Period)
	}
	return s.Deadline
}

// Validate checks the survey's structure (not its ballots' timing).
func (s Survey) Validate(p Policy) error {
	if len(s.Suggestions) == 0 {
		return concord.Errorf(concord.EInvalid, "suggestions", "topic.error.suggestions", "a survey needs topics")
	}
	ids := map[string]bool{}
	for i, t := range s.Suggestions {
		if err := t.Validate(); err != nil {
			e := err.(*concord.Error)
			e.Field = "suggestions[" + strconv.Itoa(i) + "]." + e.Field
			return e
		}
		if ids[t.ID] {
			return concord.Errorf(concord.EInvalid, "suggestions["+strconv.Itoa(i)+"].id", "topic.error.duplicate", "topic %q appears twice", t.ID)
		}
		ids[t.ID] = true
	}
	if len(s.Participants) == 0 {
		return concord.Errorf(concord.EInvalid, "participants", "decision.error.participants", "a survey needs participants")
	}
	if s.Opened.IsZero() {
		return concord.Errorf(concord.EInvalid, "opened", "topic.error.opened", "a survey needs an opening time")
	}
	if d := s.deadline(p); d.IsZero() || !d.After(s.Opened) {
		return concord.Errorf(concord.EInvalid, "deadline", "decision.error.deadline_required", "a survey needs a deadline after its opening")
	}
	return nil
}

// checkBallot validates a ballot's content against the topics, every
// problem at once.
func (s Survey) checkBallot(p Policy, b Ballot) concord.Errors {
	known := func(id string) bool {
		return slices.ContainsFunc(s.Suggestions, func(t Suggestion) bool { return t.ID == id })
	}
	var errs concord.Errors
	switch p.Method {
	case Ranking:
		if len(b.Scores) > 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "scores", "topic.error.method", "this survey asks for a ranking"))
		}
		seen := map[string]bool{}
		for _, id := range b.Ranking {
			if !known(id) {
				errs = append(errs, concord.Errorf(concord.EInvalid, "ranking", "topic.error.unknown_topic", "unknown topic %q", id))
			} else if seen[id] {
				errs = append(errs, concord.Errorf(concord.EInvalid, "ranking", "topic.error.duplicate", "topic %q ranked twice", id))
			}
			seen[id] = true
		}
	case Scores:
		if len(b.Ranking) > 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "ranking", "topic.error.method", "this survey asks for scores"))
		}
		// In a fixed order, so that the same ballot lists its problems alike.
		for _, id := range slices.Sorted(maps.Keys(b.Scores)) {
			v := b.Scores[id]
			if !known(id) {
				errs = append(errs, concord.Errorf(concord.EInvalid, "scores", "topic.error.unknown_topic", "unknown topic %q", id))
			} else if v < 0 || v > p.MaxScore {
				errs = append(errs, concord.Errorf(concord.EInvalid, "scores", "topic.error.score", "score %d for %q is outside 0..%d", v, id, p.MaxScore))
			}
		}
	}
	return errs
}

// CheckBallot reports whether b, cast at now, would be accepted: a
// participant, a well-formed answer, before the deadline (exactly at the
// deadline is late). b.At is ignored. A survey or policy that is not fit
// is its own error; the ballot's problems (who answers, when, what) come
// all at once.
func (s Survey) CheckBallot(p Policy, b Ballot, now time.Time) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Selection != PreferenceSurvey {
		return concord.Errorf(concord.EConflict, "selection", "topic.error.no_survey", "topics are not selected by survey under this policy")
	}
	if err := s.Validate(p); err != nil {
		return err
	}
	var errs concord.Errors
	if !slices.Contains(s.Participants, b.State) {
		errs = append(errs, concord.Errorf(concord.EForbidden, "state", "decision.error.not_participant", "%s does not take part in this survey", b.State))
	}
	if now.Before(s.Opened) {
		errs = append(errs, concord.Errorf(concord.EConflict, "at", "topic.error.not_open", "the survey is not open yet"))
	} else if d := s.deadline(p); !now.Before(d) {
		errs = append(errs, concord.Errorf(concord.EConflict, "at", "decision.error.late", "the survey closed at %s", decision.TimeArg(d)))
	}
	errs = append(errs, s.checkBallot(p, b)...)
	return errs.Err()
}

// SubmitBallot checks b (CheckBallot) and appends it with At = now and the
// next sequence number. A later ballot of the same State replaces its
// earlier one in the tally.
func (s *Survey) SubmitBallot(p Policy, b Ballot, now time.Time) (Ballot, error) {
	if err := s.CheckBallot(p, b, now); err != nil {
		return Ballot{}, err
	}
	var seq int64
	for _, x := range s.Ballots {
		seq = max(seq, x.Seq)
	}
	b.At, b.Seq = now, seq+1
	b.Ranking = slices.Clone(b.Ranking)
	if b.Scores != nil {
		sc := make(map[string]int, len(b.Scores))
		for k, v := range b.Scores {
			sc[k] = v
		}
		b.Scores = sc
	}
	s.Ballots = append(s.Ballots, b)
	return b, nil
}

// Tally is one topic's result.
type Tally struct {
	Topic        string
	Points       int     // plain sum over States
	Respondents  int     // States that gave it any points
	Share        float64 // Points / all points (0..1)
	Weighted     float64 // equal weight per regional group (0..1; sums to 1)
	PointsRank   int     // 1-based place by Points
	WeightedRank int     // 1-based place by Weighted
	// Groups is each responding group's share of its own points that went to
	// this topic (0..1).
	Groups map[string]float64
}

// GroupTurnout is a regional group's participation in the survey.
type GroupTurnout struct {
	Group       string
	Members     int // participants in the group
	Respondents int
	Points      int
}

// Ignored is a ballot left out of the tally, with the reason key.
type Ignored struct {
	State string
	At    time.Time
	Seq   int64
	Key   string
}

// SurveyResult is the tally of a survey. It is advisory: it feeds a
// Chair proposal (Proposal) and decides nothing by itself.
type SurveyResult struct {
	Open       bool // the deadline has not passed: interim figures
	Deadline   time.Time
	Topics     []Tally  // in suggestion order
	ByPoints   []string // topic IDs by plain points
	ByWeighted []string // topic IDs by equal weight per group
	Groups     []GroupTurnout
	Counted    int // ballots counted (one per State)
	Ignored    []Ignored
	Reasons    []decision.Reason
}

// Top returns the first topic by the weighted order when weighted, else by
// points.
func (r SurveyResult) Top(weighted bool) string {
	l := r.ByPoints
	if weighted {
		l = r.ByWeighted
	}
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

// Proposal is the survey's advice for the Chair: the first p.Slots topics,
// by the weighted order when p.RegionalWeighting, else by points.
func (r SurveyResult) Proposal(p Policy) []string {
	l := r.ByPoints
	if p.RegionalWeighting {
		l = r.ByWeighted
	}
	return slices.Clone(l[:min(p.Slots, len(l))])
}

// SurveyTally tallies the survey at now. Each State's latest timely
// ballot counts (ordered by At, then Seq). Plain points sum the States'
// points. The weighted figure gives each regional group (groupOf) equal
// weight: within a group, each topic's points are divided by the group's
// total, and the groups' shares are averaged over the groups that answered.
// States in no group count in the plain tally only (a reason says so).
// Ties are broken by the other figure, then by suggestion order; the
// comparison of weighted figures is exact (rational arithmetic).
func SurveyTally(p Policy, s Survey, groupOf func(iso3 string) string, now time.Time) (SurveyResult, error) {
	if err := p.Validate(); err != nil {
		return SurveyResult{}, err
	}
	if p.Selection != PreferenceSurvey {
		return SurveyResult{}, concord.Errorf(concord.EConflict, "selection", "topic.error.no_survey", "topics are not selected by survey under this policy")
	}
	if err := s.Validate(p); err != nil {
		return SurveyResult{}, err
	}
	if groupOf == nil {
		groupOf = func(string) string { return "" }
	}
	deadline := s.deadline(p)
	res := SurveyResult{Open: now.Before(deadline), Deadline: deadline}

	// The latest timely ballot of each participant.
	order := make([]int, len(s.Ballots))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		x, y := s.Ballots[a], s.Ballots[b]
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Seq, y.Seq); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	part := make(map[string]bool, len(s.Participants))
	for _, st := range s.Participants {
		part[st] = true
	}
	latest := map[string]int{}
	for _, i := range order {
		b := s.Ballots[i]
		ign := func(key string) { res.Ignored = append(res.Ignored, Ignored{b.State, b.At, b.Seq, key}) }
		switch {
		case b.At.After(now):
			ign("decision.reason.not_yet")
		case !part[b.State]:
			ign("decision.error.not_participant")
		case b.At.Before(s.Opened):
			ign("topic.error.not_open")
		case !b.At.Before(deadline):
			ign("decision.error.late")
		case s.checkBallot(p, b) != nil:
			ign("topic.error.ballot")
		default:
			if old, ok := latest[b.State]; ok {
				ob := s.Ballots[old]
				res.Ignored = append(res.Ignored, Ignored{ob.State, ob.At, ob.Seq, "topic.reason.superseded"})
			}
			latest[b.State] = i
		}
	}

	n := len(s.Suggestions)
	idx := make(map[string]int, n)
	for i, t := range s.Suggestions {
		idx[t.ID] = i
	}
	points := func(b Ballot) []int {
		pts := make([]int, n)
		if p.Method == Ranking {
			for r, id := range b.Ranking {
				pts[idx[id]] = n - r
			}
		} else {
			for id, v := range b.Scores {
				pts[idx[id]] = v
			}
		}
		return pts
	}

	plain := make([]int, n)
	resp := make([]int, n)
	groupPts := map[string][]int{}
	groupResp := map[string]int{}
	groupMembers := map[string]int{}
	for _, st := range s.Participants {
		if g := groupOf(st); g != "" {
			groupMembers[g]++
		}
	}
	var unaffiliated []string
	states := make([]string, 0, len(latest))
	for st := range latest {
		states = append(states, st)
	}
	slices.Sort(states)
	for _, st := range states {
		pts := points(s.Ballots[latest[st]])
		g := groupOf(st)
		if g == "" {
			unaffiliated = append(unaffiliated, st)
		} else {
			if groupPts[g] == nil {
				groupPts[g] = make([]int, n)
			}
			groupResp[g]++
		}
		for t, v := range pts {
			plain[t] += v
			if v > 0 {
				resp[t]++
			}
			if g != "" {
				groupPts[g][t] += v
			}
		}
	}
	res.Counted = len(states)

	// Exact weighted shares.
	groups := make([]string, 0, len(groupMembers))
	for g := range groupMembers {
		groups = append(groups, g)
	}
	for g := range groupPts {
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	slices.Sort(groups)
	weighted := make([]*big.Rat, n)
	for t := range weighted {
		weighted[t] = new(big.Rat)
	}
	groupShare := make([]map[string]float64, n)
	answering := 0
	for _, g := range groups {
		tot := 0
		for _, v := range groupPts[g] {
			tot += v
		}
		res.Groups = append(res.Groups, GroupTurnout{Group: g, Members: groupMembers[g], Respondents: groupResp[g], Points: tot})
		if tot == 0 {
			continue
		}
		answering++
		for t, v := range groupPts[g] {
			sh := big.NewRat(int64(v), int64(tot))
			weighted[t].Add(weighted[t], sh)
			if groupShare[t] == nil {
				groupShare[t] = map[string]float64{}
			}
			f, _ := sh.Float64()
			groupShare[t][g] = f
		}
	}
	if answering > 0 {
		for t := range weighted {
			weighted[t].Quo(weighted[t], big.NewRat(int64(answering), 1))
		}
	}
	total := 0
	for _, v := range plain {
		total += v
	}
	res.Topics = make([]Tally, n)
	for t, sug := range s.Suggestions {
		w, _ := weighted[t].Float64()
		var share float64
		if total > 0 {
			share = float64(plain[t]) / float64(total)
		}
		res.Topics[t] = Tally{Topic: sug.ID, Points: plain[t], Respondents: resp[t], Share: share, Weighted: w, Groups: groupShare[t]}
	}
	byPoints := make([]int, n)
	byWeighted := make([]int, n)
	for i := range n {
		byPoints[i], byWeighted[i] = i, i
	}
	slices.SortStableFunc(byPoints, func(a, b int) int {
		if c := cmp.Compare(plain[b], plain[a]); c != 0 {
			return c
		}
		return weighted[b].Cmp(weighted[a])
	})
	slices.SortStableFunc(byWeighted, func(a, b int) int {
		if c := weighted[b].Cmp(weighted[a]); c != 0 {
			return c
		}
		return cmp.Compare(plain[b], plain[a])
	})
	for r, t := range byPoints {
		res.Topics[t].PointsRank = r + 1
		res.ByPoints = append(res.ByPoints, s.Suggestions[t].ID)
	}
	for r, t := range byWeighted {
		res.Topics[t].WeightedRank = r + 1
		res.ByWeighted = append(res.ByWeighted, s.Suggestions[t].ID)
	}

	if res.Open {
		res.Reasons = append(res.Reasons, decision.Reason{Key: "decision.reason.survey_open", Args: map[string]string{"deadline": decision.TimeArg(deadline)}})
	}
	res.Reasons = append(res.Reasons, decision.Reason{Key: "topic.reason.advisory", Args: map[string]string{"counted": strconv.Itoa(res.Counted), "participants": strconv.Itoa(len(s.Participants))}})
	if len(unaffiliated) > 0 {
		res.Reasons = append(res.Reasons, decision.Reason{Key: "topic.reason.unaffiliated", Args: map[string]string{"states": strings.Join(unaffiliated, ", ")}})
	}
	if len(s.Ballots) > 0 && res.Top(true) != res.Top(false) {
		res.Reasons = append(res.Reasons, decision.Reason{Key: "topic.reason.weighting_changes_top", Args: map[string]string{"points": res.Top(false), "weighted": res.Top(true)}})
	}
	return res, nil
}

// RuleCode is the code of the DTG topics rule.
const RuleCode = "dtg-topics"

// Rule is the DTG topics rule: how the topics of a DTG are selected, as a rule of procedure.
var Rule = rule.Kind{Code: RuleCode, Field: "Topics",
	New:      func() rule.Policy { return new(Policy) },
	Default:  func() rule.Policy { p := DefaultPolicy(); return &p },
	TermKeys: ruleTermKeys(),
	Note: concord.Text{
		"en": "Morocco's proposal: an advisory preference survey with equal weight per regional group, feeding a Chair decision on two topics.",
		"fr": "Proposition du Maroc : une enquête indicative sur les préférences, avec un poids égal pour chaque groupe régional, qui éclaire une décision de la présidence sur deux thèmes.",
		"es": "Propuesta de Marruecos: una encuesta indicativa de preferencias con igual peso para cada grupo regional, que orienta una decisión de la Presidencia sobre dos temas.",
		"ru": "Предложение Марокко: консультативный опрос предпочтений с равным весом каждой региональной группы, на основе которого Председатель принимает решение о двух темах.",
		"zh": "摩洛哥的提议：进行咨询性偏好调查，各区域组权重相等，据此由主席就两个议题作出决定。",
		"ar": "اقتراح المغرب: استطلاع استشاري للتفضيلات بوزن متساوٍ لكل مجموعة إقليمية، يستنير به الرئيس في اتخاذ قرار بشأن موضوعين.",
	}}

// Terms summarises the policy, term by term.
func (p Policy) Terms() []rule.Term {
	out := []rule.Term{rule.NewTerm("procrule.selection", "selection."+string(p.Selection))}
	if p.Selection == PreferenceSurvey {
		out = append(out, rule.NewTerm("procrule.method", "method."+string(p.Method)))
		if p.Method == Scores {
			out = append(out, rule.RawTerm("procrule.max_score", p.MaxScore))
		}
		out = append(out, rule.PeriodTerm(p.Period),
			rule.NewTerm("procrule.regional_weighting", rule.OnOff(p.RegionalWeighting)),
			rule.ModalityTerm("procrule.after_survey", cmp.Or(p.AfterSurvey, decision.ModalityChairDecision)))
	}
	return append(out, rule.RawTerm("procrule.slots", p.Slots))
}

// ruleTermKeys are the catalogue keys Terms may return.
func ruleTermKeys() []string {
	keys := []string{"procrule.selection", "procrule.method", "procrule.max_score", "procrule.regional_weighting", "procrule.after_survey", "procrule.slots"}
	for _, s := range Selections {
		keys = append(keys, "selection."+string(s))
	}
	for _, m := range []Method{Ranking, Scores} {
		keys = append(keys, "method."+string(m))
	}
	return keys
}
