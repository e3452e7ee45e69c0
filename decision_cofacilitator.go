package concord

// Co-facilitators of the Dedicated Thematic Groups (domain brief §5 rows 1–2,
// §7.6): nominations, pair-balance rules as policy, and the appointment as a
// decision under the contested modality.

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CoFacilitatorNomination is a candidate for a co-facilitator seat.
type CoFacilitatorNomination struct {
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
func (n CoFacilitatorNomination) Validate() error {
	if strings.TrimSpace(n.Person) == "" {
		return Errorf(EInvalid, "person", "cofacilitator.error.person", "the candidate's name is required")
	}
	if len(n.State) != 3 || strings.ToUpper(n.State) != n.State {
		return Errorf(EInvalid, "state", "cofacilitator.error.state", "the candidate's State must be an ISO3 code, not %q", n.State)
	}
	if !slices.Contains([]string{"", "female", "male", "other"}, n.Gender) {
		return Errorf(EInvalid, "gender", "cofacilitator.error.gender", "unknown gender %q", n.Gender)
	}
	if strings.TrimSpace(n.DTG) == "" {
		return Errorf(EInvalid, "dtg", "cofacilitator.error.dtg", "the nomination needs a DTG")
	}
	if n.Term != "" {
		if _, _, err := ParseCoFacilitatorTerm(n.Term); err != nil {
			return err
		}
	}
	return nil
}

// CoFacilitatorAppointment is who appoints (§5 row 1).
type CoFacilitatorAppointment string

// Appointment modes.
const (
	CoFacilitatorChairAppoints        CoFacilitatorAppointment = "chair_appoints"         // GA practice (EU, Egypt, Senegal...)
	CoFacilitatorChairProposalSilence CoFacilitatorAppointment = "chair_proposal_silence" // proposal, then silence procedure
	CoFacilitatorConsensusApproval    CoFacilitatorAppointment = "consensus_approval"     // Russia, Iran, China...
)

// CoFacilitatorAppointments lists the modes.
var CoFacilitatorAppointments = []CoFacilitatorAppointment{CoFacilitatorChairAppoints, CoFacilitatorChairProposalSilence, CoFacilitatorConsensusApproval}

// CoFacilitatorLevel is how strictly a soft rule applies.
type CoFacilitatorLevel string

// Levels.
const (
	CoFacilitatorOff     CoFacilitatorLevel = "off"
	CoFacilitatorWarning CoFacilitatorLevel = "warning"
	CoFacilitatorError   CoFacilitatorLevel = "error"
)

// CoFacilitatorPolicy is the appointment mode and the pair rules (§5 rows
// 1–2), as a dated, versioned value.
type CoFacilitatorPolicy struct {
	Code        string
	Version     int
	Effective   time.Time
	Appointment CoFacilitatorAppointment
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
	GenderParity CoFacilitatorLevel
	// Expertise: each candidate lists relevant technical expertise.
	Expertise CoFacilitatorLevel
	// RotationTerms: a State that held a seat in any of the last
	// RotationTerms terms may not hold one again (0: no rotation rule).
	RotationTerms int
	// RotationSameDTG limits the rotation rule to seats of the same DTG.
	RotationSameDTG bool
}

// CoFacilitatorDefaultPolicy is the Chair's March 2026 proposal: two per DTG,
// one developed and one developing (UNCTAD scheme), different regional
// groups, gender parity where practicable, rotation after one term, appointed
// by the Chair.
func CoFacilitatorDefaultPolicy() CoFacilitatorPolicy {
	return CoFacilitatorPolicy{Code: "cofacilitators", Version: 1, Appointment: CoFacilitatorChairAppoints, Period: DecisionDefaultPeriod,
		PerDTG: 2, DevelopedDeveloping: true, Scheme: SchemeUNCTAD, DistinctRegionalGroups: true,
		GenderParity: CoFacilitatorWarning, Expertise: CoFacilitatorWarning, RotationTerms: 1}
}

// Validate checks the policy.
func (p CoFacilitatorPolicy) Validate() error {
	if !slices.Contains(CoFacilitatorAppointments, p.Appointment) {
		return Errorf(EInvalid, "appointment", "cofacilitator.error.appointment", "unknown appointment mode %q", p.Appointment)
	}
	if p.PerDTG < 1 || p.PerDTG > 4 {
		return Errorf(EInvalid, "per_dtg", "cofacilitator.error.per_dtg", "seats per DTG must be 1 to 4")
	}
	for f, l := range map[string]CoFacilitatorLevel{"gender_parity": p.GenderParity, "expertise": p.Expertise} {
		if !slices.Contains([]CoFacilitatorLevel{"", CoFacilitatorOff, CoFacilitatorWarning, CoFacilitatorError}, l) {
			return Errorf(EInvalid, f, "cofacilitator.error.level", "unknown level %q", l)
		}
	}
	if p.RotationTerms < 0 {
		return Errorf(EInvalid, "rotation_terms", "cofacilitator.error.rotation", "rotation terms must not be negative")
	}
	if p.Appointment == CoFacilitatorChairProposalSilence && p.Period <= 0 {
		return Errorf(EInvalid, "period", "decision.error.deadline_required", "a silence procedure needs a period")
	}
	return p.Decision().Validate()
}

// Decision is the appointment mode as a DecisionPolicy.
func (p CoFacilitatorPolicy) Decision() DecisionPolicy {
	d := DecisionPolicy{Code: p.Code, Version: p.Version, Effective: p.Effective, Period: p.Period, LateExplanations: true}
	switch p.Appointment {
	case CoFacilitatorChairProposalSilence:
		d.Modality = ModalityChairProposalSilence
	case CoFacilitatorConsensusApproval:
		d.Modality = ModalityChairProposalConsensusApproval
		d.Period = 0 // approval is ascertained when the Chair takes it up
	default:
		d.Modality = ModalityChairDecision
	}
	return d
}

// CoFacilitatorAlternatives returns the policy under each appointment mode.
func CoFacilitatorAlternatives(p CoFacilitatorPolicy) []CoFacilitatorPolicy {
	out := make([]CoFacilitatorPolicy, 0, len(CoFacilitatorAppointments))
	for _, a := range CoFacilitatorAppointments {
		q := p
		q.Appointment = a
		if q.Period <= 0 {
			q.Period = DecisionDefaultPeriod
		}
		out = append(out, q)
	}
	return out
}

// CoFacilitatorSeat is a seat held in an earlier term.
type CoFacilitatorSeat struct {
	State    string
	DTG      string
	Person   string
	Term     string // label, e.g. "2026-2027"
	TermsAgo int    // 1 = the previous term
}

// CoFacilitatorContext is the reference data the balance rules need.
type CoFacilitatorContext struct {
	Category func(iso3 string) string // Developed / Developing under the policy's scheme
	Group    func(iso3 string) string // the regional group counted for elections
	Previous []CoFacilitatorSeat
}

// CoFacilitatorRule names a balance rule.
type CoFacilitatorRule string

// Rules, in the order the checker reports them.
const (
	CoFacilitatorRuleSeats               CoFacilitatorRule = "seats"
	CoFacilitatorRuleDTG                 CoFacilitatorRule = "dtg"
	CoFacilitatorRuleDistinctStates      CoFacilitatorRule = "distinct_states"
	CoFacilitatorRuleDevelopedDeveloping CoFacilitatorRule = "developed_developing"
	CoFacilitatorRuleRegionalGroups      CoFacilitatorRule = "regional_groups"
	CoFacilitatorRuleGenderParity        CoFacilitatorRule = "gender_parity"
	CoFacilitatorRuleExpertise           CoFacilitatorRule = "expertise"
	CoFacilitatorRuleRotation            CoFacilitatorRule = "rotation"
)

// CoFacilitatorStatus is a rule's verdict.
type CoFacilitatorStatus string

// Verdicts.
const (
	CoFacilitatorPass    CoFacilitatorStatus = "pass"
	CoFacilitatorFail    CoFacilitatorStatus = "fail"
	CoFacilitatorWarn    CoFacilitatorStatus = "warning"
	CoFacilitatorSkipped CoFacilitatorStatus = "skipped" // the rule is off
)

// CoFacilitatorCheck is one rule's verdict with its explanation key.
type CoFacilitatorCheck struct {
	Rule   CoFacilitatorRule
	Status CoFacilitatorStatus
	Key    string
	Args   map[string]string
}

// CoFacilitatorBalanced reports whether no check failed (warnings allowed).
func CoFacilitatorBalanced(checks []CoFacilitatorCheck) bool {
	return !slices.ContainsFunc(checks, func(c CoFacilitatorCheck) bool { return c.Status == CoFacilitatorFail })
}

func cofacStates(ns []CoFacilitatorNomination) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.State
	}
	return strings.Join(s, ", ")
}

// CoFacilitatorBalance checks a proposed set of co-facilitators for dtg
// against every rule of the policy, returning each rule with pass, fail,
// warning or skipped and an explanation key.
func CoFacilitatorBalance(p CoFacilitatorPolicy, ctx CoFacilitatorContext, dtg string, pair []CoFacilitatorNomination) ([]CoFacilitatorCheck, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for i, n := range pair {
		if err := n.Validate(); err != nil {
			e := err.(*Error)
			e.Field = "pair[" + strconv.Itoa(i) + "]." + e.Field
			return nil, e
		}
	}
	if p.DevelopedDeveloping && ctx.Category == nil {
		return nil, Errorf(EInvalid, "category", "cofacilitator.error.no_classification", "the developed/developing rule needs a classification")
	}
	if p.DistinctRegionalGroups && ctx.Group == nil {
		return nil, Errorf(EInvalid, "group", "cofacilitator.error.no_groups", "the regional rule needs regional groups")
	}
	var out []CoFacilitatorCheck
	add := func(r CoFacilitatorRule, s CoFacilitatorStatus, key string, kv ...string) {
		c := CoFacilitatorCheck{Rule: r, Status: s, Key: key}
		if len(kv) > 0 {
			c.Args = map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				c.Args[kv[i]] = kv[i+1]
			}
		}
		out = append(out, c)
	}
	level := func(l CoFacilitatorLevel) CoFacilitatorStatus {
		if l == CoFacilitatorError {
			return CoFacilitatorFail
		}
		return CoFacilitatorWarn
	}

	if len(pair) == p.PerDTG {
		add(CoFacilitatorRuleSeats, CoFacilitatorPass, "cofacilitator.check.seats_ok", "want", strconv.Itoa(p.PerDTG))
	} else {
		add(CoFacilitatorRuleSeats, CoFacilitatorFail, "cofacilitator.check.seats", "want", strconv.Itoa(p.PerDTG), "got", strconv.Itoa(len(pair)))
	}

	if i := slices.IndexFunc(pair, func(n CoFacilitatorNomination) bool { return n.DTG != dtg }); i >= 0 {
		add(CoFacilitatorRuleDTG, CoFacilitatorFail, "cofacilitator.check.dtg", "person", pair[i].Person, "dtg", pair[i].DTG)
	} else {
		add(CoFacilitatorRuleDTG, CoFacilitatorPass, "cofacilitator.check.dtg_ok", "dtg", dtg)
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
		add(CoFacilitatorRuleDistinctStates, CoFacilitatorFail, "cofacilitator.check.same_state", "state", dup)
	} else {
		add(CoFacilitatorRuleDistinctStates, CoFacilitatorPass, "cofacilitator.check.distinct_states_ok")
	}

	if !p.DevelopedDeveloping {
		add(CoFacilitatorRuleDevelopedDeveloping, CoFacilitatorSkipped, "cofacilitator.check.skipped")
	} else {
		var dev, ing int
		unknown := ""
		for _, n := range pair {
			switch ctx.Category(n.State) {
			case Developed:
				dev++
			case Developing:
				ing++
			default:
				unknown = n.State
			}
		}
		switch {
		case unknown != "":
			add(CoFacilitatorRuleDevelopedDeveloping, CoFacilitatorFail, "cofacilitator.check.category_unknown", "state", unknown, "scheme", p.Scheme)
		case dev == 0 || ing == 0:
			add(CoFacilitatorRuleDevelopedDeveloping, CoFacilitatorFail, "cofacilitator.check.developed_developing", "developed", strconv.Itoa(dev), "developing", strconv.Itoa(ing), "scheme", p.Scheme)
		default:
			add(CoFacilitatorRuleDevelopedDeveloping, CoFacilitatorPass, "cofacilitator.check.developed_developing_ok", "scheme", p.Scheme)
		}
	}

	if !p.DistinctRegionalGroups {
		add(CoFacilitatorRuleRegionalGroups, CoFacilitatorSkipped, "cofacilitator.check.skipped")
	} else {
		seen := map[string]string{}
		status, key, kv := CoFacilitatorPass, "cofacilitator.check.regional_groups_ok", []string(nil)
		for _, n := range pair {
			g := ctx.Group(n.State)
			if g == "" {
				status, key, kv = CoFacilitatorFail, "cofacilitator.check.group_unknown", []string{"state", n.State}
				break
			}
			if other, ok := seen[g]; ok {
				status, key, kv = CoFacilitatorFail, "cofacilitator.check.same_group", []string{"group", g, "states", other + ", " + n.State}
				break
			}
			seen[g] = n.State
		}
		add(CoFacilitatorRuleRegionalGroups, status, key, kv...)
	}

	switch p.GenderParity {
	case "", CoFacilitatorOff:
		add(CoFacilitatorRuleGenderParity, CoFacilitatorSkipped, "cofacilitator.check.skipped")
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
			add(CoFacilitatorRuleGenderParity, CoFacilitatorWarn, "cofacilitator.check.gender_unknown")
		case len(pair) > 1 && len(genders) == 1:
			add(CoFacilitatorRuleGenderParity, level(p.GenderParity), "cofacilitator.check.gender_parity", "gender", pair[0].Gender)
		default:
			add(CoFacilitatorRuleGenderParity, CoFacilitatorPass, "cofacilitator.check.gender_parity_ok")
		}
	}

	switch p.Expertise {
	case "", CoFacilitatorOff:
		add(CoFacilitatorRuleExpertise, CoFacilitatorSkipped, "cofacilitator.check.skipped")
	default:
		var none []CoFacilitatorNomination
		for _, n := range pair {
			if len(n.Expertise) == 0 {
				none = append(none, n)
			}
		}
		if len(none) > 0 {
			add(CoFacilitatorRuleExpertise, level(p.Expertise), "cofacilitator.check.expertise", "states", cofacStates(none))
		} else {
			add(CoFacilitatorRuleExpertise, CoFacilitatorPass, "cofacilitator.check.expertise_ok")
		}
	}

	if p.RotationTerms == 0 {
		add(CoFacilitatorRuleRotation, CoFacilitatorSkipped, "cofacilitator.check.skipped")
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
			add(CoFacilitatorRuleRotation, CoFacilitatorFail, "cofacilitator.check.rotation", "states", strings.Join(held, ", "), "terms", strconv.Itoa(p.RotationTerms))
		} else {
			add(CoFacilitatorRuleRotation, CoFacilitatorPass, "cofacilitator.check.rotation_ok", "terms", strconv.Itoa(p.RotationTerms))
		}
	}
	return out, nil
}

// CoFacilitatorPairs lists the sets of PerDTG nominations for dtg that pass
// every rule (warnings allowed), fewest warnings first, then by nomination
// IDs. It helps the Chair see the balanced options.
func CoFacilitatorPairs(p CoFacilitatorPolicy, ctx CoFacilitatorContext, dtg string, noms []CoFacilitatorNomination) ([][]CoFacilitatorNomination, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var cands []CoFacilitatorNomination
	for _, n := range noms {
		if n.DTG == dtg {
			cands = append(cands, n)
		}
	}
	type scored struct {
		set  []CoFacilitatorNomination
		warn int
		key  string
	}
	var out []scored
	var rec func(start int, cur []CoFacilitatorNomination) error
	rec = func(start int, cur []CoFacilitatorNomination) error {
		if len(cur) == p.PerDTG {
			checks, err := CoFacilitatorBalance(p, ctx, dtg, cur)
			if err != nil {
				return err
			}
			if CoFacilitatorBalanced(checks) {
				w := 0
				ids := make([]string, len(cur))
				for _, c := range checks {
					if c.Status == CoFacilitatorWarn {
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
	sets := make([][]CoFacilitatorNomination, len(out))
	for i, s := range out {
		sets[i] = s.set
	}
	return sets, nil
}

// CoFacilitatorState is the appointment's place in its machine (§7.6).
type CoFacilitatorState string

// Appointment states.
const (
	CoFacilitatorUnbalanced CoFacilitatorState = "unbalanced" // a rule fails: the set cannot be put forward
	CoFacilitatorProposed   CoFacilitatorState = "proposed"
	CoFacilitatorAppointed  CoFacilitatorState = "appointed" // by the Chair
	CoFacilitatorApproved   CoFacilitatorState = "approved"  // by silence or consensus
	CoFacilitatorBlocked    CoFacilitatorState = "blocked"
	CoFacilitatorDeferred   CoFacilitatorState = "deferred"
)

// CoFacilitatorResult is the balance verdict and, when balanced, the
// decision on the appointment.
type CoFacilitatorResult struct {
	DTG      string
	Pair     []CoFacilitatorNomination
	Checks   []CoFacilitatorCheck
	Balanced bool
	State    CoFacilitatorState
	Decision *DecisionResult // nil when unbalanced
}

// CoFacilitatorAppoint checks the proposed set and, when it passes, decides
// on its appointment under the policy's mode. facts.Kind must be
// cofacilitator_appointment.
func CoFacilitatorAppoint(p CoFacilitatorPolicy, ctx CoFacilitatorContext, dtg string, pair []CoFacilitatorNomination, facts DecisionFacts, now time.Time) (CoFacilitatorResult, error) {
	checks, err := CoFacilitatorBalance(p, ctx, dtg, pair)
	if err != nil {
		return CoFacilitatorResult{}, err
	}
	if facts.Kind != DecisionCoFacilitatorAppointment {
		return CoFacilitatorResult{}, Errorf(EInvalid, "kind", "cofacilitator.error.kind", "the facts are not about an appointment")
	}
	out := CoFacilitatorResult{DTG: dtg, Pair: pair, Checks: checks, Balanced: CoFacilitatorBalanced(checks)}
	if !out.Balanced {
		out.State = CoFacilitatorUnbalanced
		return out, nil
	}
	res, err := Decide(p.Decision(), facts, now)
	if err != nil {
		return CoFacilitatorResult{}, err
	}
	out.Decision = &res
	switch {
	case res.Outcome.Adopted() && p.Appointment == CoFacilitatorChairAppoints:
		out.State = CoFacilitatorAppointed
	case res.Outcome.Adopted():
		out.State = CoFacilitatorApproved
	case res.Outcome == OutcomePending:
		out.State = CoFacilitatorProposed
	case res.Outcome == OutcomeDeferred:
		out.State = CoFacilitatorDeferred
	default:
		out.State = CoFacilitatorBlocked
	}
	return out, nil
}
