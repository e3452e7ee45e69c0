package fund

import (
	"slices"

	"concord"
	"concord/decision"
	"concord/rule"
)

// RuleCode is the code of the Fund's eligibility rule.
const RuleCode = "fund-eligibility"

// Eligibility is who may apply to the Fund.
type Eligibility string

// The eligibility settings.
const (
	// AllStates: every State of the registry.
	AllStates Eligibility = "all_states"
	// DevelopingStates: the States the classification scheme of the rule
	// counts as developing, as the developing States asked (domain brief
	// §3.3).
	DevelopingStates Eligibility = "developing_states"
)

// Eligibilities lists the settings.
var Eligibilities = []Eligibility{DevelopingStates, AllStates}

// Policy is the Fund's published eligibility rule, a dated rule of the
// process like the other rules of procedure: each application records the
// version in force when it was made.
type Policy struct {
	// Stamped names the rule version the policy belongs to.
	rule.Stamped
	Eligibility Eligibility
	Scheme      string // the classification scheme developing States are read under
}

// DefaultPolicy is the reading the developing States asked for: only
// developing States under UNCTAD's classification.
func DefaultPolicy() Policy {
	return Policy{Stamped: rule.Stamped{Code: RuleCode, Version: 1}, Eligibility: DevelopingStates, Scheme: concord.SchemeUNCTAD}
}

// Validate checks the policy.
func (p Policy) Validate() error {
	var errs concord.Errors
	if !slices.Contains(Eligibilities, p.Eligibility) {
		errs.Add(invalid("eligibility", "fund.error.eligibility", "unknown eligibility %q", p.Eligibility))
	}
	if p.Scheme == "" {
		errs.Add(invalid("scheme", "cofacilitator.error.scheme", "a classification scheme is required"))
	}
	return errs.Err()
}

// CheckRefs checks that the scheme exists.
func (p Policy) CheckRefs(refs rule.Refs) error {
	if !slices.Contains(refs.Schemes, p.Scheme) {
		return invalid("scheme", "cofacilitator.error.scheme", "unknown classification scheme %q", p.Scheme)
	}
	return nil
}

// Decision is the rule as a decision policy. The eligibility rule puts no
// question to the States (the Secretariat applies it when an application
// is made), so it is a Secretariat decision adopted when made; nothing is
// decided under it.
func (p Policy) Decision() decision.Policy {
	return decision.Policy{Code: p.Code, Version: p.Version, Effective: p.Effective, Modality: decision.ModalityChairDecision, AdoptOnProposal: true}
}

// Eligible reports whether the State iso3 may apply under the policy, with
// cats the categories of the States under the policy's scheme.
func (p Policy) Eligible(iso3 string, cats map[string]string) bool {
	switch p.Eligibility {
	case AllStates:
		return true
	case DevelopingStates:
		return cats[iso3] == concord.Developing
	}
	return false
}

// Terms summarises the policy, term by term.
func (p Policy) Terms() []rule.Term {
	out := []rule.Term{rule.NewTerm("procrule.eligibility", "fund.eligibility."+string(p.Eligibility))}
	if p.Eligibility == DevelopingStates {
		out = append(out, rule.NewTerm("procrule.scheme", "procrule.scheme."+p.Scheme))
	}
	return out
}

// Rule is the Fund's eligibility rule, registered with the procedure rules.
var Rule = rule.Kind{Code: RuleCode, Field: "FundEligibility",
	New:      func() rule.Policy { return new(Policy) },
	Default:  func() rule.Policy { p := DefaultPolicy(); return &p },
	TermKeys: []string{"procrule.eligibility", "fund.eligibility.all_states", "fund.eligibility.developing_states", "procrule.scheme." + concord.SchemeUNCTAD, "procrule.scheme." + concord.SchemeSelfDeclared},
	Note: concord.Text{
		"en": "Only developing States, under UNCTAD's classification, apply to the Voluntary Fund.",
		"fr": "Seuls les États en développement, selon la classification de la CNUCED, présentent une demande au Fonds de contributions volontaires.",
		"es": "Solo los Estados en desarrollo, según la clasificación de la UNCTAD, presentan solicitudes al Fondo de Contribuciones Voluntarias.",
		"ru": "В Фонд добровольных взносов обращаются только развивающиеся государства согласно классификации ЮНКТАД.",
		"zh": "只有按贸发会议分类属于发展中国家的国家可向自愿基金提出申请。",
		"ar": "لا تتقدم بطلبات إلى صندوق التبرعات إلا الدول النامية وفق تصنيف الأونكتاد.",
	}}
