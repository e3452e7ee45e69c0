package api

import (
	"fmt"
	"time"

	"concord"
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/decision"
	"concord/fund"
	"concord/rule"
	"concord/topic"
)

// The API form of the rules' settings: one type per policy, snake_case,
// periods in whole seconds. Each carries its rule code, on which
// openapi.json discriminates the policies.

// AgendaPolicyJSON is the agenda rule's settings.
type AgendaPolicyJSON struct {
	Code                string               `json:"code"`
	Version             int                  `json:"version"`
	Effective           *time.Time           `json:"effective"`
	Modality            decision.Modality    `json:"modality"`
	PeriodSeconds       int64                `json:"period_seconds"`
	ProceedInformally   bool                 `json:"proceed_informally"`
	RequireAllLanguages bool                 `json:"require_all_languages"`
	NoConsensus         decision.OutcomeKind `json:"no_consensus"`
}

// BrieferPolicyJSON is the briefers rule's settings.
type BrieferPolicyJSON struct {
	Code          string               `json:"code"`
	Version       int                  `json:"version"`
	Effective     *time.Time           `json:"effective"`
	Confirmation  briefer.Confirmation `json:"confirmation"`
	PeriodSeconds int64                `json:"period_seconds"`
}

// CoFacPolicyJSON is the co-facilitators rule's settings.
type CoFacPolicyJSON struct {
	Code                   string                    `json:"code"`
	Version                int                       `json:"version"`
	Effective              *time.Time                `json:"effective"`
	Appointment            cofacilitator.Appointment `json:"appointment"`
	PeriodSeconds          int64                     `json:"period_seconds"`
	PerDTG                 int                       `json:"per_dtg"`
	DevelopedDeveloping    bool                      `json:"developed_developing"`
	Scheme                 string                    `json:"scheme"`
	DistinctRegionalGroups bool                      `json:"distinct_regional_groups"`
	GenderParity           cofacilitator.Level       `json:"gender_parity"`
	Expertise              cofacilitator.Level       `json:"expertise"`
	RotationTerms          int                       `json:"rotation_terms"`
	RotationSameDTG        bool                      `json:"rotation_same_dtg"`
}

// TopicPolicyJSON is the DTG topics rule's settings.
type TopicPolicyJSON struct {
	Code              string            `json:"code"`
	Version           int               `json:"version"`
	Effective         *time.Time        `json:"effective"`
	Selection         topic.Selection   `json:"selection"`
	Method            topic.Method      `json:"method"`
	MaxScore          int               `json:"max_score"`
	PeriodSeconds     int64             `json:"period_seconds"`
	RegionalWeighting bool              `json:"regional_weighting"`
	Slots             int               `json:"slots"`
	AfterSurvey       decision.Modality `json:"after_survey"`
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

func agendaPolicyJSON(p agenda.Policy) AgendaPolicyJSON {
	return AgendaPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Modality: p.Modality,
		PeriodSeconds: seconds(p.Period), ProceedInformally: p.ProceedInformally, RequireAllLanguages: p.RequireAllLanguages, NoConsensus: p.NoConsensus}
}

func brieferPolicyJSON(p briefer.Policy) BrieferPolicyJSON {
	return BrieferPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Confirmation: p.Confirmation, PeriodSeconds: seconds(p.Period)}
}

func cofacPolicyJSON(p cofacilitator.Policy) CoFacPolicyJSON {
	return CoFacPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Appointment: p.Appointment,
		PeriodSeconds: seconds(p.Period), PerDTG: p.PerDTG, DevelopedDeveloping: p.DevelopedDeveloping, Scheme: p.Scheme,
		DistinctRegionalGroups: p.DistinctRegionalGroups, GenderParity: p.GenderParity, Expertise: p.Expertise,
		RotationTerms: p.RotationTerms, RotationSameDTG: p.RotationSameDTG}
}

func topicPolicyJSON(p topic.Policy) TopicPolicyJSON {
	return TopicPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Selection: p.Selection,
		Method: p.Method, MaxScore: p.MaxScore, PeriodSeconds: seconds(p.Period), RegionalWeighting: p.RegionalWeighting,
		Slots: p.Slots, AfterSurvey: p.AfterSurvey}
}

// policyJSON converts any rule's policy to its API form.
func policyJSON(p rule.Policy) any {
	switch p := p.(type) {
	case *agenda.Policy:
		return agendaPolicyJSON(*p)
	case *briefer.Policy:
		return brieferPolicyJSON(*p)
	case *cofacilitator.Policy:
		return cofacPolicyJSON(*p)
	case *topic.Policy:
		return topicPolicyJSON(*p)
	case *fund.Policy:
		return fundPolicyJSON(*p)
	case nil:
		return nil
	}
	panic(fmt.Sprintf("api: no API form for policy %T", p))
}

// RuleVersionJSON is one version of a procedure rule; policy is that
// rule's settings (its code says which).
type RuleVersionJSON struct {
	Code      string       `json:"code"`
	Version   int          `json:"version"`
	Effective time.Time    `json:"effective"`
	Recorded  time.Time    `json:"recorded"`
	Note      concord.Text `json:"note"`
	Policy    any          `json:"policy"`
}

func ruleVersionJSON(v rule.Version) RuleVersionJSON {
	return RuleVersionJSON{Code: v.Code, Version: v.Version, Effective: v.Effective.UTC(), Recorded: v.Recorded.UTC(),
		Note: text(v.Note), Policy: policyJSON(v.Policy)}
}

// FundPolicyJSON is the Voluntary Fund's eligibility rule.
type FundPolicyJSON struct {
	Code        string           `json:"code"`
	Version     int              `json:"version"`
	Effective   *time.Time       `json:"effective"`
	Eligibility fund.Eligibility `json:"eligibility"`
	Scheme      string           `json:"scheme"`
}

func fundPolicyJSON(p fund.Policy) FundPolicyJSON {
	return FundPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Eligibility: p.Eligibility, Scheme: p.Scheme}
}
