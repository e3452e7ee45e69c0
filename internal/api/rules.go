package api

import (
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/rule"
	"concord/topic"
	"net/http"
	"slices"
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
	Code    string         `json:"code"`
	At      time.Time      `json:"at"`
	InForce *rule.Version  `json:"in_force"`
	History []rule.Version `json:"history"`
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
	out := RuleJSON{Code: code, At: at, History: rule.History(vs, code)}
	if out.History == nil {
		out.History = []rule.Version{}
	}
	if v, ok := rule.InForce(vs, code, at); ok {
		out.InForce = &v
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

// RuleRequest is a new version of a rule: the policy object in the same
// shape as the version's field in RuleVersion (what GET returns can be sent
// back), when it takes effect (now when absent; never in the past), and why.
type RuleRequest struct {
	EffectiveFrom  *time.Time            `json:"effective_from"`
	Note           map[string]string     `json:"note"`
	Agenda         *agenda.Policy        `json:"agenda"`
	CoFacilitators *cofacilitator.Policy `json:"cofacilitators"`
	Topics         *topic.Policy         `json:"topics"`
	Briefers       *briefer.Policy       `json:"briefers"`
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
	v := rule.Version{Code: code, Note: in.Note}
	set := 0
	for _, p := range []struct {
		set    bool
		policy rule.Policy
	}{{in.Agenda != nil, in.Agenda}, {in.CoFacilitators != nil, in.CoFacilitators}, {in.Topics != nil, in.Topics}, {in.Briefers != nil, in.Briefers}} {
		if p.set {
			v.Policy, set = p.policy, set+1
		}
	}
	if set > 1 {
		return 0, nil, concord.Errorf(concord.EInvalid, "policy", "procrule.error.policy", "a version of %q carries exactly that rule", code)
	}
	if in.EffectiveFrom != nil {
		v.Effective = *in.EffectiveFrom
	}
	v, err = a.Decide.AddRule(r.Context(), auth.UserFrom(r.Context()), v)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, v, nil
}
