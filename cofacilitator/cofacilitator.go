package cofacilitator

// Co-facilitators of the Dedicated Thematic Groups (domain brief §5 rows 1–2,
// §7.6): nominations, pair-balance rules as policy, and the appointment as a
// decision under the contested modality.

import (
	"cmp"
	"concord"
	"concord/decision"
	"concord/rule"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Nomination is a candidate for a co-facilitator seat.
type Nomination struct {
	ID        string
	Person    string   // the candidate's name
	State     string   // ISO3 of the State the candidate comes from
	Gender    string   // "", "female", "male", "other" (as Person.Gender)
	Expertise []string // free tags: "ransomware", "capacity-building"...
	DTG       string   // the group the nomination is for
	Term      string   // the term of the seat, "2026-2027"; "" when only a pair is tested
	// WithdrawnAt is when the nominating State withdrew the candidate
	// (zero while the nomination stands).
	WithdrawnAt time.Time `json:",omitzero"`
}

// Validate checks the nomination's fields.
func (n Nomination) Validate() error { return n.problems().Err() }

// problems is every problem of the nomination's fields.
func (n Nomination) problems() concord.Errors {
	var errs concord.Errors
	if strings.TrimSpace(n.Person) == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "person", "cofacilitator.error.person", "the candidate's name is required"))
	}
	if len(n.State) != 3 || strings.ToUpper(n.State) != n.State {
		errs.Add(concord.Errorf(concord.EInvalid, "state", "cofacilitator.error.state", "the candidate's State must be an ISO3 code, not %q", n.State))
	}
	if !slices.Contains([]string{"", "female", "male", "other"}, n.Gender) {
		errs.Add(concord.Errorf(concord.EInvalid, "gender", "cofacilitator.error.gender", "unknown gender %q", n.Gender))
	}
	if strings.TrimSpace(n.DTG) == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "dtg", "cofacilitator.error.dtg", "the nomination needs a DTG"))
	}
	if n.Term != "" {
		if _, _, err := ParseTerm(n.Term); err != nil {
			errs.Add(err)
		}
	}
	return errs
}

// Appointment is who appoints (§5 row 1).
type Appointment string

// Appointment modes.
const (
	ChairAppoints        Appointment = "chair_appoints"         // GA practice (EU, Egypt, Senegal...)
	ChairProposalSilence Appointment = "chair_proposal_silence" // proposal, then silence procedure
	ConsensusApproval    Appointment = "consensus_approval"     // Russia, Iran, China...
)

// Appointments lists the modes.
var Appointments = []Appointment{ChairAppoints, ChairProposalSilence, ConsensusApproval}

// Level is how strictly a soft rule applies.
type Level string

// Levels.
const (
	LevelOff     Level = "off"
	LevelWarning Level = "warning"
	LevelError   Level = "error"
)

// Policy is the appointment mode and the pair rules (§5 rows
// 1–2), as a dated, versioned value.
type Policy struct {
	// Stamped names the rule version the policy belongs to.
	rule.Stamped
	Appointment Appointment
	Period      time.Duration // silence period for chair_proposal_silence
	PerDTG      int           // seats per DTG (the Chair proposed 2)
	// DevelopedDeveloping: at least one developed and one developing
	// co-facilitator, under Scheme (shown with the results: the split is
	// contested, §4.3).
	DevelopedDeveloping bool
	Scheme              string
	// DistinctRegionalGroups: no two co-facilitators of a DTG from the same
	// regional group.
	DistinctRegionalGroups bool
	// GenderParity: "where practicable", so a warning by default.
	GenderParity Level
	// Expertise: each candidate lists relevant technical expertise.
	Expertise Level
	// RotationTerms: a State that held a seat in any of the last
	// RotationTerms terms may not hold one again (0: no rotation rule).
	RotationTerms int
	// RotationSameDTG limits the rotation rule to seats of the same DTG.
	RotationSameDTG bool
}

// DefaultPolicy is the Chair's March 2026 proposal: two per DTG,
// one developed and one developing (UNCTAD scheme), different regional
// groups, gender parity where practicable, rotation after one term, appointed
// by the Chair.
func DefaultPolicy() Policy {
	return Policy{Stamped: rule.Stamped{Code: "cofacilitators", Version: 1}, Appointment: ChairAppoints, Period: decision.DefaultPeriod,
		PerDTG: 2, DevelopedDeveloping: true, Scheme: concord.SchemeUNCTAD, DistinctRegionalGroups: true,
		GenderParity: LevelWarning, Expertise: LevelWarning, RotationTerms: 1}
}

// Validate checks the policy, reporting every problem at once.
func (p Policy) Validate() error {
	var errs concord.Errors
	if !slices.Contains(Appointments, p.Appointment) {
		errs.Add(concord.Errorf(concord.EInvalid, "appointment", "cofacilitator.error.appointment", "unknown appointment mode %q", p.Appointment))
	}
	if p.PerDTG < 1 || p.PerDTG > 4 {
		errs.Add(concord.Errorf(concord.EInvalid, "per_dtg", "cofacilitator.error.per_dtg", "seats per DTG must be 1 to 4"))
	}
	for _, f := range []struct {
		name  string
		level Level
	}{{"gender_parity", p.GenderParity}, {"expertise", p.Expertise}} {
		if !slices.Contains([]Level{"", LevelOff, LevelWarning, LevelError}, f.level) {
			errs.Add(concord.Errorf(concord.EInvalid, f.name, "cofacilitator.error.level", "unknown level %q", f.level))
		}
	}
	if p.RotationTerms < 0 {
		errs.Add(concord.Errorf(concord.EInvalid, "rotation_terms", "cofacilitator.error.rotation", "rotation terms must not be negative"))
	}
	if p.Appointment == ChairProposalSilence && p.Period <= 0 {
		errs.Add(concord.Errorf(concord.EInvalid, "period", "decision.error.deadline_required", "a silence procedure needs a period"))
	}
	if len(errs) == 0 {
		errs.Add(p.Decision().Validate())
	}
	return errs.Err()
}

// CheckRefs checks that the scheme the pair rules count developed and
// developing States under exists: every page and check of the rule reads
// the categories under it.
func (p Policy) CheckRefs(refs rule.Refs) error {
	if !slices.Contains(refs.Schemes, p.Scheme) {
		return concord.Errorf(concord.EInvalid, "scheme", "cofacilitator.error.scheme", "unknown classification scheme %q", p.Scheme)
	}
	return nil
}

// Decision is the appointment mode as a decision.Policy.
func (p Policy) Decision() decision.Policy {
	d := decision.Policy{Code: p.Code, Version: p.Version, Effective: p.Effective, Period: p.Period, LateExplanations: true}
	switch p.Appointment {
	case ChairProposalSilence:
		d.Modality = decision.ModalityChairProposalSilence
	case ConsensusApproval:
		d.Modality = decision.ModalityChairProposalConsensusApproval
		d.Period = 0 // approval is ascertained when the Chair takes it up
	default:
		d.Modality = decision.ModalityChairDecision
	}
	return d
}

// Alternatives returns the policy under each appointment mode.
func Alternatives(p Policy) []Policy {
	out := make([]Policy, 0, len(Appointments))
	for _, a := range Appointments {
		q := p
		q.Appointment = a
		if q.Period <= 0 {
			q.Period = decision.DefaultPeriod
		}
		out = append(out, q)
	}
	return out
}

// Seat is a seat held in an earlier term.
type Seat struct {
	State    string
	DTG      string
	Person   string
	Term     string // label, e.g. "2026-2027"
	TermsAgo int    // 1 = the previous term
}

// Context is the reference data the balance rules need.
type Context struct {
	Category func(iso3 string) string // Developed / Developing under the policy's scheme
	Group    func(iso3 string) string // the regional group counted for elections
	Previous []Seat
}

// Criterion names a balance criterion of a pair.
type Criterion string

// Criteria, in the order the checker reports them.
const (
	CriterionSeats               Criterion = "seats"
	CriterionDTG                 Criterion = "dtg"
	CriterionDistinctStates      Criterion = "distinct_states"
	CriterionDevelopedDeveloping Criterion = "developed_developing"
	CriterionRegionalGroups      Criterion = "regional_groups"
	CriterionGenderParity        Criterion = "gender_parity"
	CriterionExpertise           Criterion = "expertise"
	CriterionRotation            Criterion = "rotation"
)

// Status is a rule's verdict.
type Status string

// Verdicts.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Warn    Status = "warning"
	Skipped Status = "skipped" // the rule is off
)

// Check is one rule's verdict with its explanation key.
type Check struct {
	Rule   Criterion
	Status Status
	Key    string
	Args   map[string]string
}

// Balanced reports whether no check failed (warnings allowed).
func Balanced(checks []Check) bool {
	return !slices.ContainsFunc(checks, func(c Check) bool { return c.Status == Fail })
}

func cofacStates(ns []Nomination) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.State
	}
	return strings.Join(s, ", ")
}

// Balance checks a proposed set of co-facilitators for dtg
// against every rule of the policy, returning each rule with pass, fail,
// warning or skipped and an explanation key.
func Balance(p Policy, ctx Context, dtg string, pair []Nomination) ([]Check, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for i, n := range pair {
		if ps := n.problems(); len(ps) > 0 {
			e := *ps[0] // the checker reports a candidate's first problem
			e.Field = "pair[" + strconv.Itoa(i) + "]." + e.Field
			return nil, &e
		}
	}
	if p.DevelopedDeveloping && ctx.Category == nil {
		return nil, concord.Errorf(concord.EInvalid, "category", "cofacilitator.error.no_classification", "the developed/developing rule needs a classification")
	}
	if p.DistinctRegionalGroups && ctx.Group == nil {
		return nil, concord.Errorf(concord.EInvalid, "group", "cofacilitator.error.no_groups", "the regional rule needs regional groups")
	}
	var out []Check
	add := func(r Criterion, s Status, key string, kv ...string) {
		c := Check{Rule: r, Status: s, Key: key}
		if len(kv) > 0 {
			c.Args = map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				c.Args[kv[i]] = kv[i+1]
			}
		}
		out = append(out, c)
	}
	level := func(l Level) Status {
		if l == LevelError {
			return Fail
		}
		return Warn
	}

	if len(pair) == p.PerDTG {
		add(CriterionSeats, Pass, "cofacilitator.check.seats_ok", "want", strconv.Itoa(p.PerDTG))
	} else {
		add(CriterionSeats, Fail, "cofacilitator.check.seats", "want", strconv.Itoa(p.PerDTG), "got", strconv.Itoa(len(pair)))
	}

	if i := slices.IndexFunc(pair, func(n Nomination) bool { return n.DTG != dtg }); i >= 0 {
		add(CriterionDTG, Fail, "cofacilitator.check.dtg", "person", pair[i].Person, "dtg", pair[i].DTG)
	} else {
		add(CriterionDTG, Pass, "cofacilitator.check.dtg_ok", "dtg", dtg)
	}

	states := map[string]bool{}
	dup := ""
	for _, n := range pair {
		if states[n.State] {
			dup = n.State
		}
		states[n.State] = true
	}
	if dup != "" {
		add(CriterionDistinctStates, Fail, "cofacilitator.check.same_state", "state", dup)
	} else {
		add(CriterionDistinctStates, Pass, "cofacilitator.check.distinct_states_ok")
	}

	if !p.DevelopedDeveloping {
		add(CriterionDevelopedDeveloping, Skipped, "cofacilitator.check.skipped")
	} else {
		var dev, ing int
		unknown := ""
		for _, n := range pair {
			switch ctx.Category(n.State) {
			case concord.Developed:
				dev++
			case concord.Developing:
				ing++
			default:
				unknown = n.State
			}
		}
		switch {
		case unknown != "":
			add(CriterionDevelopedDeveloping, Fail, "cofacilitator.check.category_unknown", "state", unknown, "scheme", p.Scheme)
		case dev == 0 || ing == 0:
			add(CriterionDevelopedDeveloping, Fail, "cofacilitator.check.developed_developing", "developed", strconv.Itoa(dev), "developing", strconv.Itoa(ing), "scheme", p.Scheme)
		default:
			add(CriterionDevelopedDeveloping, Pass, "cofacilitator.check.developed_developing_ok", "scheme", p.Scheme)
		}
	}

	if !p.DistinctRegionalGroups {
		add(CriterionRegionalGroups, Skipped, "cofacilitator.check.skipped")
	} else {
		seen := map[string]string{}
		status, key, kv := Pass, "cofacilitator.check.regional_groups_ok", []string(nil)
		for _, n := range pair {
			g := ctx.Group(n.State)
			if g == "" {
				status, key, kv = Fail, "cofacilitator.check.group_unknown", []string{"state", n.State}
				break
			}
			if other, ok := seen[g]; ok {
				status, key, kv = Fail, "cofacilitator.check.same_group", []string{"group", g, "states", other + ", " + n.State}
				break
			}
			seen[g] = n.State
		}
		add(CriterionRegionalGroups, status, key, kv...)
	}

	switch p.GenderParity {
	case "", LevelOff:
		add(CriterionGenderParity, Skipped, "cofacilitator.check.skipped")
	default:
		genders := map[string]int{}
		unknown := false
		for _, n := range pair {
			if n.Gender == "" {
				unknown = true
			}
			genders[n.Gender]++
		}
		switch {
		case unknown:
			add(CriterionGenderParity, Warn, "cofacilitator.check.gender_unknown")
		case len(pair) > 1 && len(genders) == 1:
			add(CriterionGenderParity, level(p.GenderParity), "cofacilitator.check.gender_parity", "gender", pair[0].Gender)
		default:
			add(CriterionGenderParity, Pass, "cofacilitator.check.gender_parity_ok")
		}
	}

	switch p.Expertise {
	case "", LevelOff:
		add(CriterionExpertise, Skipped, "cofacilitator.check.skipped")
	default:
		var none []Nomination
		for _, n := range pair {
			if len(n.Expertise) == 0 {
				none = append(none, n)
			}
		}
		if len(none) > 0 {
			add(CriterionExpertise, level(p.Expertise), "cofacilitator.check.expertise", "states", cofacStates(none))
		} else {
			add(CriterionExpertise, Pass, "cofacilitator.check.expertise_ok")
		}
	}

	if p.RotationTerms == 0 {
		add(CriterionRotation, Skipped, "cofacilitator.check.skipped")
	} else {
		var held []string
		for _, n := range pair {
			for _, s := range ctx.Previous {
				if s.State == n.State && s.TermsAgo >= 1 && s.TermsAgo <= p.RotationTerms && (!p.RotationSameDTG || s.DTG == dtg) {
					held = append(held, n.State+" ("+s.Term+")")
					break
				}
			}
		}
		if len(held) > 0 {
			add(CriterionRotation, Fail, "cofacilitator.check.rotation", "states", strings.Join(held, ", "), "terms", strconv.Itoa(p.RotationTerms))
		} else {
			add(CriterionRotation, Pass, "cofacilitator.check.rotation_ok", "terms", strconv.Itoa(p.RotationTerms))
		}
	}
	return out, nil
}

// Pairs lists the sets of PerDTG nominations for dtg that pass
// every rule (warnings allowed), fewest warnings first, then by nomination
// IDs. It helps the Chair see the balanced options.
func Pairs(p Policy, ctx Context, dtg string, noms []Nomination) ([][]Nomination, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var cands []Nomination
	for _, n := range noms {
		if n.DTG == dtg {
			cands = append(cands, n)
		}
	}
	type scored struct {
		set  []Nomination
		warn int
		key  string
	}
	var out []scored
	var rec func(start int, cur []Nomination) error
	rec = func(start int, cur []Nomination) error {
		if len(cur) == p.PerDTG {
			checks, err := Balance(p, ctx, dtg, cur)
			if err != nil {
				return err
			}
			if Balanced(checks) {
				w := 0
				ids := make([]string, len(cur))
				for _, c := range checks {
					if c.Status == Warn {
						w++
					}
				}
				for i, n := range cur {
					ids[i] = n.ID
				}
				out = append(out, scored{slices.Clone(cur), w, strings.Join(ids, "\x00")})
			}
			return nil
		}
		for i := start; i < len(cands); i++ {
			if err := rec(i+1, append(cur, cands[i])); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rec(0, nil); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		if c := cmp.Compare(a.warn, b.warn); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	sets := make([][]Nomination, len(out))
	for i, s := range out {
		sets[i] = s.set
	}
	return sets, nil
}

// State is the appointment's place in its machine (§7.6).
type State string

// Appointment states.
const (
	Unbalanced State = "unbalanced" // a rule fails: the set cannot be put forward
	Proposed   State = "proposed"
	Appointed  State = "appointed" // by the Chair
	Approved   State = "approved"  // by silence or consensus
	Blocked    State = "blocked"
	Deferred   State = "deferred"
)

// Result is the balance verdict and, when balanced, the
// decision on the appointment.
type Result struct {
	DTG      string
	Pair     []Nomination
	Checks   []Check
	Balanced bool
	State    State
	Decision *decision.Result // nil when unbalanced
}

// Appoint checks the proposed set and, when it passes, decides
// on its appointment under the policy's mode. facts.Kind must be
// cofacilitator_appointment.
func Appoint(p Policy, ctx Context, dtg string, pair []Nomination, facts decision.Facts, now time.Time) (Result, error) {
	checks, err := Balance(p, ctx, dtg, pair)
	if err != nil {
		return Result{}, err
	}
	if facts.Kind != decision.KindCoFacilitatorAppointment {
		return Result{}, concord.Errorf(concord.EInvalid, "kind", "cofacilitator.error.kind", "the facts are not about an appointment")
	}
	out := Result{DTG: dtg, Pair: pair, Checks: checks, Balanced: Balanced(checks)}
	if !out.Balanced {
		out.State = Unbalanced
		return out, nil
	}
	res, err := decision.Decide(p.Decision(), facts, now)
	if err != nil {
		return Result{}, err
	}
	out.Decision = &res
	switch {
	case res.Outcome.Adopted() && p.Appointment == ChairAppoints:
		out.State = Appointed
	case res.Outcome.Adopted():
		out.State = Approved
	case res.Outcome == decision.OutcomePending:
		out.State = Proposed
	case res.Outcome == decision.OutcomeDeferred:
		out.State = Deferred
	default:
		out.State = Blocked
	}
	return out, nil
}

// RuleCode is the code of the co-facilitator rule.
const RuleCode = "cofacilitators"

// Rule is the co-facilitator rule: how the co-facilitators of a DTG are balanced and appointed, as a rule of procedure.
var Rule = rule.Kind{Code: RuleCode, Field: "CoFacilitators",
	New:      func() rule.Policy { return new(Policy) },
	Default:  func() rule.Policy { p := DefaultPolicy(); return &p },
	TermKeys: ruleTermKeys(),
	Note: concord.Text{
		"en": "The Chair's proposal of March 2026: two per DTG, one developed and one developing State, different regional groups, gender parity where practicable, appointed by the Chair.",
		"fr": "Proposition de la présidence de mars 2026 : deux par groupe thématique, un État développé et un État en développement, de groupes régionaux différents, parité entre les genres dans la mesure du possible, nommés par la présidence.",
		"es": "Propuesta de la Presidencia de marzo de 2026: dos por grupo temático, un Estado desarrollado y uno en desarrollo, de grupos regionales distintos, paridad de género en la medida de lo posible, nombrados por la Presidencia.",
		"ru": "Предложение Председателя от марта 2026 года: по два на тематическую группу, одно развитое и одно развивающееся государство, из разных региональных групп, гендерный паритет по мере возможности, назначаются Председателем.",
		"zh": "主席2026年3月的提议：每个专题小组两名，一名来自发达国家、一名来自发展中国家，来自不同区域组，尽可能实现性别均等，由主席任命。",
		"ar": "اقتراح الرئيس في آذار/مارس 2026: اثنان لكل فريق مواضيعي، من دولة متقدمة ودولة نامية، ومن مجموعتين إقليميتين مختلفتين، مع التكافؤ بين الجنسين قدر الإمكان، ويعيّنهما الرئيس.",
	}}

// Terms summarises the policy, term by term.
func (p Policy) Terms() []rule.Term {
	out := []rule.Term{rule.NewTerm("procrule.appointment", "appointment."+string(p.Appointment))}
	if p.Appointment == ChairProposalSilence {
		out = append(out, rule.PeriodTerm(p.Period))
	}
	return append(out, rule.RawTerm("procrule.per_dtg", p.PerDTG),
		rule.NewTerm("procrule.developed_developing", rule.OnOff(p.DevelopedDeveloping)),
		rule.NewTerm("procrule.scheme", "procrule.scheme."+p.Scheme),
		rule.NewTerm("procrule.distinct_groups", rule.OnOff(p.DistinctRegionalGroups)),
		rule.NewTerm("procrule.gender_parity", "level."+levelOr(p.GenderParity)),
		rule.NewTerm("procrule.expertise", "level."+levelOr(p.Expertise)),
		rule.RawTerm("procrule.rotation", p.RotationTerms))
}

func levelOr(l Level) string {
	if l == "" {
		return string(LevelOff)
	}
	return string(l)
}

// ruleTermKeys are the catalogue keys Terms may return.
func ruleTermKeys() []string {
	keys := []string{"procrule.appointment", "procrule.per_dtg", "procrule.developed_developing", "procrule.scheme", "procrule.distinct_groups",
		"procrule.gender_parity", "procrule.expertise", "procrule.rotation"}
	for _, a := range Appointments {
		keys = append(keys, "appointment."+string(a))
	}
	for _, l := range []Level{LevelOff, LevelWarning, LevelError} {
		keys = append(keys, "level."+string(l))
	}
	for _, sc := range []string{concord.SchemeUNCTAD, concord.SchemeSelfDeclared} {
		keys = append(keys, "procrule.scheme."+sc)
	}
	return keys
}
