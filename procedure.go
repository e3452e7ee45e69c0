package concord

// Procedure rules (DESIGN.md "procedure as data"): each contested point of
// procedure the four applications run under — agenda adoption, co-facilitator
// appointment, DTG topic selection, briefer confirmation — is a dated,
// versioned rule. A process keeps every version; the version in force at an
// instant is the latest whose Effective is not after it. A subject (an agenda
// version, a nomination) records the version it was put forward under, so a
// later change never rewrites what already happened.

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// The codes of the procedure rules, one per application.
const (
	RuleAgenda         = "agenda"
	RuleCoFacilitators = "cofacilitators"
	RuleTopics         = "dtg-topics"
	RuleBriefers       = "briefers"
)

// RuleCodes lists the procedure rules in the order pages show them.
var RuleCodes = []string{RuleAgenda, RuleCoFacilitators, RuleTopics, RuleBriefers}

// RuleVersion is one dated version of one procedure rule. Exactly the field
// that matches Code is set.
type RuleVersion struct {
	Code      string
	Version   int
	Effective time.Time // from when it applies (UTC)
	Recorded  time.Time // when the Secretariat entered it
	Note      string    // why: the decision or consultation behind it

	Agenda         *AgendaPolicy        `json:",omitempty"`
	CoFacilitators *CoFacilitatorPolicy `json:",omitempty"`
	Topics         *TopicPolicy         `json:",omitempty"`
	Briefers       *BrieferPolicy       `json:",omitempty"`
}

// ruleNoteMax bounds a version's note (runes).
const ruleNoteMax = 1000

// Validate checks that the version carries the policy its code names, and
// that policy.
func (v RuleVersion) Validate() error {
	set := 0
	for _, p := range []bool{v.Agenda != nil, v.CoFacilitators != nil, v.Topics != nil, v.Briefers != nil} {
		if p {
			set++
		}
	}
	if !slices.Contains(RuleCodes, v.Code) {
		return Errorf(EInvalid, "code", "procrule.error.code", "unknown rule %q", v.Code)
	}
	if set != 1 || v.policy() == nil {
		return Errorf(EInvalid, "policy", "procrule.error.policy", "a version of %q carries exactly that rule", v.Code)
	}
	if len([]rune(v.Note)) > ruleNoteMax {
		return Errorf(EInvalid, "note", "error.too_long", "the note is over %d characters", ruleNoteMax)
	}
	return v.policy().Validate()
}

// policy returns the rule the version carries, nil when it does not match
// its code.
func (v RuleVersion) policy() interface{ Validate() error } {
	switch {
	case v.Code == RuleAgenda && v.Agenda != nil:
		return v.Agenda
	case v.Code == RuleCoFacilitators && v.CoFacilitators != nil:
		return v.CoFacilitators
	case v.Code == RuleTopics && v.Topics != nil:
		return v.Topics
	case v.Code == RuleBriefers && v.Briefers != nil:
		return v.Briefers
	}
	return nil
}

// Stamp copies the version's number and date into the policy it carries, so
// that decisions taken under it name the version.
func (v *RuleVersion) Stamp() {
	switch {
	case v.Agenda != nil:
		v.Agenda.Code, v.Agenda.Version, v.Agenda.Effective = v.Code, v.Version, v.Effective
	case v.CoFacilitators != nil:
		v.CoFacilitators.Code, v.CoFacilitators.Version, v.CoFacilitators.Effective = v.Code, v.Version, v.Effective
	case v.Topics != nil:
		v.Topics.Code, v.Topics.Version, v.Topics.Effective = v.Code, v.Version, v.Effective
	case v.Briefers != nil:
		v.Briefers.Code, v.Briefers.Version, v.Briefers.Effective = v.Code, v.Version, v.Effective
	}
}

// RuleInForce returns the version of code in force at t: the latest
// Effective not after t (a later version number wins a tie). ok is false
// when no version applies yet.
func RuleInForce(versions []RuleVersion, code string, t time.Time) (RuleVersion, bool) {
	var best RuleVersion
	ok := false
	for _, v := range versions {
		if v.Code != code || v.Effective.After(t) {
			continue
		}
		if !ok || v.Effective.After(best.Effective) || (v.Effective.Equal(best.Effective) && v.Version > best.Version) {
			best, ok = v, true
		}
	}
	return best, ok
}

// RuleHistory returns the versions of code, newest first.
func RuleHistory(versions []RuleVersion, code string) []RuleVersion {
	var out []RuleVersion
	for _, v := range versions {
		if v.Code == code {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b RuleVersion) int { return cmp.Compare(b.Version, a.Version) })
	return out
}

// DefaultRules are the first versions a process starts with: the Chair's
// proposals of March 2026 where there was one, and otherwise the reading that
// needs least agreement (domain brief §5).
func DefaultRules(effective time.Time) []RuleVersion {
	a, c, t, b := AgendaDefaultPolicy(), CoFacilitatorDefaultPolicy(), TopicDefaultPolicy(), BrieferDefaultPolicy()
	out := []RuleVersion{
		{Code: RuleAgenda, Agenda: &a, Note: "Consensus adoption at the opening of the session; if not adopted, the session proceeds informally (OEWG practice, December 2021)."},
		{Code: RuleCoFacilitators, CoFacilitators: &c, Note: "The Chair's proposal of March 2026: two per DTG, one developed and one developing State, different regional groups, gender parity where practicable, appointed by the Chair."},
		{Code: RuleTopics, Topics: &t, Note: "Morocco's proposal: an advisory preference survey with equal weight per regional group, feeding a Chair decision on two topics."},
		{Code: RuleBriefers, Briefers: &b, Note: "A non-objection round of five days per briefer nominated by a State."},
	}
	for i := range out {
		out[i].Version, out[i].Effective, out[i].Recorded = 1, effective, effective
		out[i].Stamp()
	}
	return out
}

// RuleTerm is one line of a rule's summary: a label key and a value key of
// the catalogues, with the value's arguments. Pages render the terms in
// every language; the API returns the policy itself.
type RuleTerm struct {
	Label string
	Value string // catalogue key; "" when Raw is the value
	Args  map[string]string
	Raw   string // a value shown as is (a number, a scheme's code)
}

func hours(d time.Duration) string { return strconv.Itoa(int(d / time.Hour)) }

func term(label, value string, kv ...string) RuleTerm {
	t := RuleTerm{Label: label, Value: value}
	if len(kv) > 0 {
		t.Args = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			t.Args[kv[i]] = kv[i+1]
		}
	}
	return t
}

func onOff(b bool) string {
	if b {
		return "procrule.yes"
	}
	return "procrule.no"
}

// Terms summarises the version's rule, term by term.
func (v RuleVersion) Terms() []RuleTerm {
	var out []RuleTerm
	switch {
	case v.Agenda != nil:
		p := v.Agenda
		out = append(out, term("procrule.modality", "modality."+string(p.Modality)))
		if p.Period > 0 {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
		out = append(out, term("procrule.proceed_informally", onOff(p.ProceedInformally)),
			term("procrule.all_languages", onOff(p.RequireAllLanguages)))
	case v.CoFacilitators != nil:
		p := v.CoFacilitators
		out = append(out, term("procrule.appointment", "appointment."+string(p.Appointment)))
		if p.Appointment == CoFacilitatorChairProposalSilence {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
		out = append(out, RuleTerm{Label: "procrule.per_dtg", Raw: strconv.Itoa(p.PerDTG)},
			term("procrule.developed_developing", onOff(p.DevelopedDeveloping)),
			term("procrule.scheme", "procrule.scheme."+p.Scheme),
			term("procrule.distinct_groups", onOff(p.DistinctRegionalGroups)),
			term("procrule.gender_parity", "level."+levelOr(p.GenderParity)),
			term("procrule.expertise", "level."+levelOr(p.Expertise)),
			RuleTerm{Label: "procrule.rotation", Raw: strconv.Itoa(p.RotationTerms)})
	case v.Topics != nil:
		p := v.Topics
		out = append(out, term("procrule.selection", "selection."+string(p.Selection)))
		if p.Selection == TopicPreferenceSurvey {
			out = append(out, term("procrule.method", "method."+string(p.Method)))
			if p.Method == TopicScores {
				out = append(out, RuleTerm{Label: "procrule.max_score", Raw: strconv.Itoa(p.MaxScore)})
			}
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)),
				term("procrule.regional_weighting", onOff(p.RegionalWeighting)),
				term("procrule.after_survey", "modality."+string(cmp.Or(p.AfterSurvey, ModalityChairDecision))))
		}
		out = append(out, RuleTerm{Label: "procrule.slots", Raw: strconv.Itoa(p.Slots)})
	case v.Briefers != nil:
		p := v.Briefers
		out = append(out, term("procrule.confirmation", "confirmation."+string(p.Confirmation)))
		if p.Period > 0 && p.Confirmation != BrieferAutomatic {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
	}
	return out
}

func levelOr(l CoFacilitatorLevel) string {
	if l == "" {
		return string(CoFacilitatorOff)
	}
	return string(l)
}

// RuleTermKeys lists every catalogue key Terms may return, for the
// catalogue test.
func RuleTermKeys() []string {
	keys := []string{"procrule.modality", "procrule.period", "procrule.hours", "procrule.proceed_informally", "procrule.all_languages", "procrule.yes", "procrule.no",
		"procrule.appointment", "procrule.per_dtg", "procrule.developed_developing", "procrule.scheme", "procrule.distinct_groups",
		"procrule.gender_parity", "procrule.expertise", "procrule.rotation", "procrule.selection", "procrule.method", "procrule.max_score", "procrule.regional_weighting",
		"procrule.after_survey", "procrule.slots", "procrule.confirmation", "procrule.error.code", "procrule.error.policy"}
	for _, m := range Modalities {
		keys = append(keys, "modality."+string(m))
	}
	for _, a := range CoFacilitatorAppointments {
		keys = append(keys, "appointment."+string(a))
	}
	for _, l := range []CoFacilitatorLevel{CoFacilitatorOff, CoFacilitatorWarning, CoFacilitatorError} {
		keys = append(keys, "level."+string(l))
	}
	for _, s := range TopicSelections {
		keys = append(keys, "selection."+string(s))
	}
	for _, m := range []TopicMethod{TopicRanking, TopicScores} {
		keys = append(keys, "method."+string(m))
	}
	for _, c := range BrieferConfirmations {
		keys = append(keys, "confirmation."+string(c))
	}
	for _, sc := range []string{SchemeUNCTAD, SchemeSelfDeclared} {
		keys = append(keys, "procrule.scheme."+sc)
	}
	for _, c := range RuleCodes {
		keys = append(keys, "procrule.code."+c, "procrule.about."+c)
	}
	return keys
}
