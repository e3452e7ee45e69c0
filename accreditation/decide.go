package accreditation

// The decision at the objection deadline, simulation under other rules, and
// statistics per cycle. All pure: the same data and instant give the same
// answer, so deciding twice changes nothing the second time.

import (
	"cmp"
	"concord"
	"slices"
	"strings"
	"time"
)

// Rule is what makes an objection block an application. The
// policy's own rule is RuleOf(policy); the others are "what if"
// rules for Simulate (procedure as data: same facts, another
// rule).
type Rule struct {
	Name string // a label for the comparison, e.g. "basis_only"
	// BasisRequired counts only objections that state a basis.
	BasisRequired bool
	// MinObjectors is how many distinct States must object to block (0 or 1:
	// any single objection blocks, the 2022 practice).
	MinObjectors int
	// MinGroups is how many distinct regional groups the counted objectors
	// must come from (0 or 1: no condition). A State counts in the groups it
	// belongs to at the deadline as a full member or observer; "dual"
	// participation is ignored, and a State in no group adds none.
	MinGroups int
	// Disclosure is the level the rule would publish objections at; "" keeps
	// the policy's. It changes who would see objectors, not the outcome.
	Disclosure ObjectionDisclosure
}

// RuleOf is the rule a policy applies at the deadline.
func RuleOf(p Policy) Rule {
	return Rule{Name: "policy", BasisRequired: p.BasisRequired, MinObjectors: 1, Disclosure: p.Disclosure}
}

// ExampleRules are the alternatives the simulation page offers
// first: the demands of brief §2.5 and of the debates on single-State
// blocking.
var ExampleRules = []Rule{
	{Name: "basis_only", BasisRequired: true},
	{Name: "joined_by_2", MinObjectors: 2},
	{Name: "two_groups", MinObjectors: 2, MinGroups: 2},
	{Name: "public", Disclosure: ObjectionsPublic},
}

// Validate checks a rule entered by a user.
func (r *Rule) Validate() error {
	if r.MinObjectors < 0 || r.MinObjectors > 999 {
		return concord.Errorf(concord.EInvalid, "min_objectors", "error.rule", "number of objecting States must be 0 to 999")
	}
	if r.MinGroups < 0 || r.MinGroups > 10 {
		return concord.Errorf(concord.EInvalid, "min_groups", "error.rule", "number of regional groups must be 0 to 10")
	}
	if r.Disclosure != "" && !slices.Contains(ObjectionDisclosures, r.Disclosure) {
		return concord.Errorf(concord.EInvalid, "disclosure", "error.disclosure", "unknown disclosure level %q", r.Disclosure)
	}
	return nil
}

// evaluate applies rule to objections at deadline: blocked, and
// the reason. It never mentions which State objected.
func evaluate(rule Rule, objections []Objection, deadline time.Time, states map[string]concord.State) (blocked bool, reason string) {
	var counted [8]string // distinct objecting States; rarely more than a few
	objectors := counted[:0]
	ignored := false
	for _, o := range objections {
		if !o.StandingAt(deadline) {
			continue
		}
		if rule.BasisRequired && strings.TrimSpace(o.Basis) == "" {
			ignored = true
			continue
		}
		if !slices.Contains(objectors, o.State) {
			objectors = append(objectors, o.State)
		}
	}
	switch need := max(rule.MinObjectors, 1); {
	case len(objectors) == 0 && ignored:
		return false, ReasonBasisIgnored
	case len(objectors) == 0:
		return false, ReasonNoObjection
	case len(objectors) < need:
		return false, ReasonTooFewObjectors
	}
	if rule.MinGroups > 1 {
		var seen [8]string
		groups := seen[:0]
		for _, iso := range objectors {
			for _, m := range states[iso].Groups {
				if m.Kind != concord.KindDual && m.Current(deadline) && !slices.Contains(groups, m.Group) {
					groups = append(groups, m.Group)
				}
			}
		}
		if len(groups) < rule.MinGroups {
			return false, ReasonTooFewGroups
		}
	}
	return true, ReasonObjection
}

// Outcome is the decision for one application.
type Outcome struct {
	Application int64
	From        ApplicationStatus
	To          ApplicationStatus
	Changed     bool     // To differs from From: Settle will record it
	Reasons     []string // reason keys; never an objector's name
}

// Decide decides the round of window w at now (brief §2.4 step
// 6). outcomes[i] is for apps[i]. Before the deadline nothing changes. At or
// after it, each circulated non-objection application of w is blocked if an
// objection stands under the policy's rule, accredited otherwise; already
// decided ones are decided again to the same result, so deciding is
// idempotent. Other applications (other windows, ECOSOC route, never
// circulated, withdrawn) are left as they are, with the reason why.
func Decide(p Policy, w Window, apps []Application, now time.Time) []Outcome {
	rule := RuleOf(p)
	out := make([]Outcome, len(apps))
	// One backing array for every outcome's single reason; each slice is
	// capped at its own element, so appending to one never touches another.
	reasons := make([]string, len(apps))
	for i := range apps {
		a := &apps[i]
		o := Outcome{Application: a.ID, From: a.Status, To: a.Status}
		switch {
		case a.Window != w.ID:
			reasons[i] = ReasonOtherWindow
		case a.Route == RouteECOSOC:
			reasons[i] = ReasonECOSOCRoute
		case !w.Circulated() || a.CirculatedAt.IsZero() ||
			(a.Status != ApplicationCirculated && a.Status != ApplicationAccredited && a.Status != ApplicationBlocked):
			reasons[i] = ReasonNotInRound
		case InTime(now, w.ObjectionDeadline):
			reasons[i] = ReasonDeadlineNotYet
		default:
			blocked, reason := evaluate(rule, a.Objections, w.ObjectionDeadline, nil)
			o.To = ApplicationAccredited
			if blocked {
				o.To = ApplicationBlocked
			}
			reasons[i] = reason
			o.Changed = o.To != o.From
		}
		o.Reasons = reasons[i : i+1 : i+1]
		out[i] = o
	}
	return out
}

// Settle records the changed outcomes of Decide in
// apps (same order) at now, as transitions by the timer. An outcome whose
// application moved meanwhile (From no longer matches) is skipped, so a stale
// decision never overwrites a withdrawal. It returns how many changed.
func Settle(apps []Application, outcomes []Outcome, now time.Time) (int, error) {
	if len(apps) != len(outcomes) {
		return 0, concord.Errorf(concord.EInvalid, "outcomes", "error.decision_mismatch", "%d outcomes for %d applications", len(outcomes), len(apps))
	}
	n := 0
	for i, o := range outcomes {
		a := &apps[i]
		if a.ID != o.Application {
			return n, concord.Errorf(concord.EInvalid, "outcomes", "error.decision_mismatch", "outcome %d is for application %d, not %d", i, o.Application, a.ID)
		}
		if !o.Changed || a.Status != o.From {
			continue
		}
		a.DecidedAt = now
		a.move(o.To, nil, now, slices.Clone(o.Reasons), nil)
		n++
	}
	return n, nil
}

// SimulationRow compares one application's actual outcome with
// the outcome under the alternative rule.
type SimulationRow struct {
	Application int64
	OrgID       int64
	Actual      ApplicationStatus // accredited or blocked
	Alternative ApplicationStatus // accredited or blocked
	Changed     bool
	Reason      string // reason key of the alternative outcome
}

// Tally counts outcomes.
type Tally struct {
	Accredited int
	Blocked    int
}

// Simulation is a whole round replayed under another rule.
type Simulation struct {
	Rule        Rule
	Disclosure  ObjectionDisclosure // who would see objectors under the rule
	Rows        []SimulationRow
	Actual      Tally
	Alternative Tally
	Changed     int // rows whose outcome differs
}

// Simulate replays the circulated non-objection applications of
// w under rule, as at the deadline, beside the actual outcome: the recorded
// one when the application was decided (an expired accreditation counts as
// accredited), otherwise what the policy gives at the deadline. states gives
// the regional groups for MinGroups. Nothing is changed; the round need not
// be over (then the comparison is of the objections filed so far). Who may
// see a simulation is MaySimulate's answer.
func Simulate(p Policy, rule Rule, w Window, apps []Application, states map[string]concord.State) Simulation {
	sim := Simulation{Rule: rule, Disclosure: cmp.Or(rule.Disclosure, p.Disclosure)}
	if !w.Circulated() {
		return sim
	}
	actualRule := RuleOf(p)
	sim.Rows = make([]SimulationRow, 0, len(apps))
	for i := range apps {
		a := &apps[i]
		if a.Window != w.ID || a.Route != RouteNonObjection || a.CirculatedAt.IsZero() {
			continue
		}
		row := SimulationRow{Application: a.ID, OrgID: a.OrgID}
		switch a.Status {
		case ApplicationAccredited, ApplicationExpired:
			row.Actual = ApplicationAccredited
		case ApplicationBlocked:
			row.Actual = ApplicationBlocked
		case ApplicationCirculated:
			row.Actual = ApplicationAccredited
			if b, _ := evaluate(actualRule, a.Objections, w.ObjectionDeadline, states); b {
				row.Actual = ApplicationBlocked
			}
		default: // withdrawn after circulation: not part of the outcome
			continue
		}
		blocked, reason := evaluate(rule, a.Objections, w.ObjectionDeadline, states)
		row.Alternative, row.Reason = ApplicationAccredited, reason
		if blocked {
			row.Alternative = ApplicationBlocked
		}
		row.Changed = row.Alternative != row.Actual
		sim.Actual.add(row.Actual)
		sim.Alternative.add(row.Alternative)
		if row.Changed {
			sim.Changed++
		}
		sim.Rows = append(sim.Rows, row)
	}
	return sim
}

func (t *Tally) add(s ApplicationStatus) {
	if s == ApplicationBlocked {
		t.Blocked++
	} else {
		t.Accredited++
	}
}

// Counts are the counts of one slice of a cycle. Only
// applications that were submitted count (drafts are private).
type Counts struct {
	Applied    int // submitted at least once
	Accredited int // accredited (including since expired)
	Objected   int // blocked by an objection at the deadline (the published outcome, never a pending objection)
	Returned   int // returned for more information at least once
	Withdrawn  int // withdrawn by the applicant
	Rejected   int // screened out
}

// CycleStats are the statistics of one cycle (year).
type CycleStats struct {
	Cycle   int
	Total   Counts
	ByRoute map[Route]Counts
	ByType  map[string]Counts // stakeholder type at application time
	// ByGroup is by regional group of the headquarters country at the
	// window's opening (full or observer membership, "dual" ignored):
	// GroupNone for a State in no group, GroupUnknown
	// for a country not in states.
	ByGroup map[string]Counts
}

// Keys of CycleStats.ByGroup besides the group codes.
const (
	GroupNone    = "none"
	GroupUnknown = "unknown"
)

// Statistics counts applications per cycle, oldest cycle first.
// windows give each application its cycle (applications of unknown windows
// are left out); states give the regional group of headquarters countries.
func Statistics(windows []Window, apps []Application, states map[string]concord.State) []CycleStats {
	byID := make(map[string]*Window, len(windows))
	for i := range windows {
		byID[windows[i].ID] = &windows[i]
	}
	cycles := map[int]*CycleStats{}
	for i := range apps {
		a := &apps[i]
		w := byID[a.Window]
		if w == nil || a.SubmittedAt.IsZero() {
			continue
		}
		st := cycles[w.Cycle]
		if st == nil {
			st = &CycleStats{Cycle: w.Cycle, ByRoute: map[Route]Counts{},
				ByType: map[string]Counts{}, ByGroup: map[string]Counts{}}
			cycles[w.Cycle] = st
		}
		var c Counts
		c.Applied = 1
		switch a.Status {
		case ApplicationAccredited, ApplicationExpired:
			c.Accredited = 1
		case ApplicationBlocked:
			c.Objected = 1
		case ApplicationWithdrawn:
			c.Withdrawn = 1
		case ApplicationRejected:
			c.Rejected = 1
		}
		for _, e := range a.History {
			if e.To == ApplicationReturned {
				c.Returned = 1
				break
			}
		}
		group := groupOf(states, a.OrgCountry, w.Opens)
		st.Total.add(c)
		st.ByRoute[a.Route] = st.ByRoute[a.Route].plus(c)
		st.ByType[a.OrgType] = st.ByType[a.OrgType].plus(c)
		st.ByGroup[group] = st.ByGroup[group].plus(c)
	}
	out := make([]CycleStats, 0, len(cycles))
	for _, st := range cycles {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(x, y CycleStats) int { return cmp.Compare(x.Cycle, y.Cycle) })
	return out
}

// groupOf is the regional group of country at t.
func groupOf(states map[string]concord.State, country string, t time.Time) string {
	s, ok := states[country]
	if !ok {
		return GroupUnknown
	}
	for _, m := range s.Groups {
		if m.Kind != concord.KindDual && m.Current(t) {
			return m.Group
		}
	}
	return GroupNone
}

func (c *Counts) add(d Counts) { *c = c.plus(d) }

func (c Counts) plus(d Counts) Counts {
	return Counts{c.Applied + d.Applied, c.Accredited + d.Accredited, c.Objected + d.Objected,
		c.Returned + d.Returned, c.Withdrawn + d.Withdrawn, c.Rejected + d.Rejected}
}
