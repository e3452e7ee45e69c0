package api

import (
	"concord/cofacilitator"
	"net/http"
	"strings"
)

// BalanceRequest is a proposed pair of co-facilitators for a DTG.
type BalanceRequest struct {
	DTG  string           `json:"dtg"`
	Pair []NominationJSON `json:"pair"`
}

// NominationJSON is one candidate.
type NominationJSON struct {
	Person    string   `json:"person"`
	State     string   `json:"state"`
	Gender    string   `json:"gender"`
	Expertise []string `json:"expertise"`
}

// CheckJSON is one rule's verdict with its explanation in the request's
// language.
type CheckJSON struct {
	Rule    string            `json:"rule"`
	Status  string            `json:"status"`
	Key     string            `json:"key"`
	Args    map[string]string `json:"args"`
	Message string            `json:"message"`
}

// BalanceJSON is the balance checker's answer.
type BalanceJSON struct {
	Balanced bool        `json:"balanced"`
	Scheme   string      `json:"scheme"`
	Checks   []CheckJSON `json:"checks"`
}

// balance checks a pair against the Chair's pair rules under the classification
// scheme of the rule in force; it stores nothing.
func (a *API) balance(r *http.Request) (int, any, error) {
	var in BalanceRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	dtg := strings.TrimSpace(in.DTG)
	pair := make([]cofacilitator.Nomination, len(in.Pair))
	for i, n := range in.Pair {
		pair[i] = cofacilitator.Nomination{Person: strings.TrimSpace(n.Person), State: strings.ToUpper(n.State), Gender: n.Gender, Expertise: n.Expertise, DTG: dtg}
	}
	scheme, checks, err := a.CoFac.Check(r.Context(), dtg, pair)
	if err != nil {
		return 0, nil, err
	}
	out := BalanceJSON{Balanced: cofacilitator.Balanced(checks), Scheme: scheme.Code, Checks: a.checksJSON(lang(r), checks)}
	return http.StatusOK, out, nil
}
