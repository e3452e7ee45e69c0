package api

import (
	"bytes"
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/fund"
	"concord/rule"
	"concord/topic"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
)

func (a *API) ruleRoutes() []Route {
	return []Route{
		{"GET", "/rules", concord.ActRead, nil, "/rules", a.listRules},
		{"GET", "/rules/{code}", concord.ActRead, nil, "/rules/briefers", a.getRule},
		{"POST", "/rules/{code}", concord.ActManageRules, nil, "/rules/briefers", a.addRule},
	}
}

// RuleJSON is one procedure rule: the version in force at the instant asked
// (null when none yet) and every version, newest first.
type RuleJSON struct {
	Code    string            `json:"code"`
	At      time.Time         `json:"at"`
	InForce *RuleVersionJSON  `json:"in_force"`
	History []RuleVersionJSON `json:"history"`
}

// ruleAt reads ?at= (RFC 3339 or YYYY-MM-DD, UTC); now when absent.
func (a *API) ruleAt(r *http.Request) (time.Time, error) {
	q := r.URL.Query().Get("at")
	if q == "" {
		return a.DB.Now().UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, q); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, q); err == nil {
		return t, nil
	}
	return time.Time{}, concord.Errorf(concord.EInvalid, "at", "error.date", "at must be an RFC 3339 instant or a date YYYY-MM-DD")
}

func ruleJSON(vs []rule.Version, code string, at time.Time) RuleJSON {
	out := RuleJSON{Code: code, At: at, History: conv(rule.History(vs, code), ruleVersionJSON)}
	if v, ok := rule.InForce(vs, code, at); ok {
		j := ruleVersionJSON(v)
		out.InForce = &j
	}
	return out
}

func (a *API) listRules(r *http.Request) (int, any, error) {
	at, err := a.ruleAt(r)
	if err != nil {
		return 0, nil, err
	}
	vs, err := a.Decide.Rules(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := List[RuleJSON]{Items: []RuleJSON{}, Total: len(rule.Codes()), Limit: len(rule.Codes())}
	for _, code := range rule.Codes() {
		out.Items = append(out.Items, ruleJSON(vs, code, at))
	}
	return http.StatusOK, out, nil
}

func ruleCode(r *http.Request) (string, error) {
	code := r.PathValue("code")
	if !slices.Contains(rule.Codes(), code) {
		return "", concord.ErrNotFound
	}
	return code, nil
}

func (a *API) getRule(r *http.Request) (int, any, error) {
	code, err := ruleCode(r)
	if err != nil {
		return 0, nil, err
	}
	at, err := a.ruleAt(r)
	if err != nil {
		return 0, nil, err
	}
	vs, err := a.Decide.Rules(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ruleJSON(vs, code, at), nil
}

// RuleRequest is a new version of a rule: its settings in policy, in the
// shape GET returns for that rule (code, version and effective there are
// optional; a code of another rule is refused), when it takes effect (now
// when absent; never in the past), and why.
type RuleRequest struct {
	EffectiveFrom *time.Time        `json:"effective_from"`
	Note          map[string]string `json:"note"`
	Policy        json.RawMessage   `json:"policy"`
}

// rulePolicy decodes the settings of rule code from their API form.
func rulePolicy(code string, raw json.RawMessage) (rule.Policy, error) {
	var head struct {
		Code string `json:"code"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, concord.Errorf(concord.EInvalid, "policy", "error.bad_json", "invalid JSON: %v", err)
	}
	if head.Code != "" && head.Code != code {
		return nil, concord.Errorf(concord.EInvalid, "policy", "procrule.error.policy", "a version of %q carries exactly that rule", code)
	}
	strict := func(v any) error {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			field := "policy"
			if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				field = strings.Trim(f, `"`)
			}
			return concord.Errorf(concord.EInvalid, field, "error.bad_json", "invalid JSON: %v", err)
		}
		return nil
	}
	dur := func(s int64) time.Duration { return time.Duration(s) * time.Second }
	switch code {
	case agenda.RuleCode:
		var j AgendaPolicyJSON
		if err := strict(&j); err != nil {
			return nil, err
		}
		return &agenda.Policy{Modality: j.Modality, Period: dur(j.PeriodSeconds), ProceedInformally: j.ProceedInformally,
			RequireAllLanguages: j.RequireAllLanguages, NoConsensus: j.NoConsensus}, nil
	case briefer.RuleCode:
		var j BrieferPolicyJSON
		if err := strict(&j); err != nil {
			return nil, err
		}
		return &briefer.Policy{Confirmation: j.Confirmation, Period: dur(j.PeriodSeconds)}, nil
	case cofacilitator.RuleCode:
		var j CoFacPolicyJSON
		if err := strict(&j); err != nil {
			return nil, err
		}
		return &cofacilitator.Policy{Appointment: j.Appointment, Period: dur(j.PeriodSeconds), PerDTG: j.PerDTG,
			DevelopedDeveloping: j.DevelopedDeveloping, Scheme: j.Scheme, DistinctRegionalGroups: j.DistinctRegionalGroups,
			GenderParity: j.GenderParity, Expertise: j.Expertise, RotationTerms: j.RotationTerms, RotationSameDTG: j.RotationSameDTG}, nil
	case topic.RuleCode:
		var j TopicPolicyJSON
		if err := strict(&j); err != nil {
			return nil, err
		}
		return &topic.Policy{Selection: j.Selection, Method: j.Method, MaxScore: j.MaxScore, Period: dur(j.PeriodSeconds),
			RegionalWeighting: j.RegionalWeighting, Slots: j.Slots, AfterSurvey: j.AfterSurvey}, nil
	case fund.RuleCode:
		var j FundPolicyJSON
		if err := strict(&j); err != nil {
			return nil, err
		}
		return &fund.Policy{Eligibility: j.Eligibility, Scheme: j.Scheme}, nil
	}
	return nil, concord.ErrNotFound
}

func (a *API) addRule(r *http.Request) (int, any, error) {
	code, err := ruleCode(r)
	if err != nil {
		return 0, nil, err
	}
	var in RuleRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	p, err := rulePolicy(code, in.Policy)
	if err != nil {
		return 0, nil, err
	}
	v := rule.Version{Code: code, Note: in.Note, Policy: p}
	if in.EffectiveFrom != nil {
		v.Effective = *in.EffectiveFrom
	}
	v, err = a.Decide.AddRule(r.Context(), auth.UserFrom(r.Context()), v)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, ruleVersionJSON(v), nil
}
