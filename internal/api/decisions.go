package api

import (
	"concord/decision"
	"net/http"

	"concord"
	"concord/internal/auth"
	"concord/internal/decide"
	"concord/internal/store"
)

func (a *API) decisionRoutes() []Route {
	return []Route{
		{"GET", "/decisions", concord.ActRead, nil, "/decisions", a.listDecisions},
		{"POST", "/decisions", concord.ActProposeDecision, nil, "/decisions", a.createDecision},
		{"GET", "/decisions/{id}", concord.ActRead, nil, "/decisions/1", a.getDecision},
		{"POST", "/decisions/{id}/positions", concord.ActTakePosition, nil, "/decisions/1/positions", a.takePosition},
		{"POST", "/decisions/{id}/acts", concord.ActChairDecision, nil, "/decisions/1/acts", a.chairAct},
		{"GET", "/decisions/{id}/simulation", concord.ActRead, nil, "/decisions/1/simulation", a.simulateDecision},
		{"POST", "/cofacilitators/balance", concord.ActRead, nil, "/cofacilitators/balance", a.balance},
	}
}

// DecisionJSON is a decision with its outcome now: the facts, the policy and
// what the engine makes of them (outcome, reasons, next steps, and the
// record of agreement and divergence).
type DecisionJSON struct {
	ID     int64              `json:"id"`
	Title  map[string]string  `json:"title"`
	Facts  FactsJSON          `json:"facts"`
	Policy DecisionPolicyJSON `json:"policy"`
	Result ResultJSON         `json:"result"`
}

// decisionJSON is d with its outcome now; r's page-cache entry lasts until
// the outcome would change at a deadline, which reading d recorded.
func (a *API) decisionJSON(r *http.Request, d store.Decision) (DecisionJSON, error) {
	res, err := a.Decide.Result(d)
	return DecisionJSON{ID: d.ID, Title: d.Title, Facts: factsJSON(d.Facts), Policy: decisionPolicyJSON(d.Policy), Result: resultJSON(res)}, err
}

func (a *API) listDecisions(r *http.Request) (int, any, error) {
	ds, err := a.DB.ListDecisions(r.Context(), a.Decide.Process)
	if err != nil {
		return 0, nil, err
	}
	out := List[DecisionJSON]{Items: []DecisionJSON{}, Total: len(ds), Limit: len(ds)}
	for _, d := range ds {
		j, err := a.decisionJSON(r, d)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// DecisionRequest proposes a decision.
type DecisionRequest struct {
	Kind              string            `json:"kind"`
	Title             map[string]string `json:"title"`
	Proposal          map[string]string `json:"proposal"`
	Modality          string            `json:"modality"`
	PeriodHours       int               `json:"period_hours"`
	NoConsensus       string            `json:"no_consensus"`
	ProceedInformally bool              `json:"proceed_informally"`
}

func (a *API) createDecision(r *http.Request) (int, any, error) {
	var in DecisionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	d, err := a.Decide.Create(r.Context(), auth.UserFrom(r.Context()), decide.NewDecision{Kind: decision.Kind(in.Kind), Title: in.Title,
		Proposal: in.Proposal, Modality: decision.Modality(in.Modality), PeriodHours: in.PeriodHours,
		NoConsensus: decision.OutcomeKind(in.NoConsensus), ProceedInformally: in.ProceedInformally})
	if err != nil {
		return 0, nil, err
	}
	j, err := a.decisionJSON(r, d)
	return http.StatusCreated, j, err
}

func (a *API) decision(r *http.Request) (store.Decision, error) {
	id, err := pathID(r)
	if err != nil {
		return store.Decision{}, err
	}
	return a.DB.GetDecision(r.Context(), id)
}

func (a *API) getDecision(r *http.Request) (int, any, error) {
	d, err := a.decision(r)
	if err != nil {
		return 0, nil, err
	}
	j, err := a.decisionJSON(r, d)
	return http.StatusOK, j, err
}

// PositionRequest takes a position: actor is the State's ISO3 (a delegate's
// own by default) or a group code, recorded by the Secretariat.
type PositionRequest struct {
	Actor string `json:"actor"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Lang  string `json:"lang"`
}

func (a *API) takePosition(r *http.Request) (int, any, error) {
	var in PositionRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	d, err := a.Decide.TakePosition(r.Context(), auth.UserFrom(r.Context()), id, decide.PositionInput{Actor: in.Actor, Kind: decision.PositionKind(in.Kind), Text: in.Text, Lang: in.Lang})
	if err != nil {
		return 0, nil, err
	}
	j, err := a.decisionJSON(r, d)
	return http.StatusCreated, j, err
}

// ActRequest is a Chair act.
type ActRequest struct {
	Kind      string            `json:"kind"` // decide or defer
	Formal    bool              `json:"formal"`
	Statement map[string]string `json:"statement"`
}

func (a *API) chairAct(r *http.Request) (int, any, error) {
	var in ActRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	d, err := a.Decide.Act(r.Context(), auth.UserFrom(r.Context()), id, decision.ActKind(in.Kind), in.Formal, in.Statement)
	if err != nil {
		return 0, nil, err
	}
	j, err := a.decisionJSON(r, d)
	return http.StatusCreated, j, err
}

// SimulationJSON is the outcome under one alternative policy.
type SimulationJSON struct {
	Policy DecisionPolicyJSON `json:"policy"`
	Result *ResultJSON        `json:"result"`
	Error  string             `json:"error,omitempty"`
}

func (a *API) simulateDecision(r *http.Request) (int, any, error) {
	d, err := a.decision(r)
	if err != nil {
		return 0, nil, err
	}
	out := List[SimulationJSON]{Items: []SimulationJSON{}}
	for _, s := range a.Decide.Simulate(d) {
		j := SimulationJSON{Policy: decisionPolicyJSON(s.Policy)}
		if s.Err != nil {
			j.Error = s.Err.Error()
		} else {
			res := s.Result
			j.Result = resultOrNull(&res)
		}
		out.Items = append(out.Items, j)
	}
	out.Total, out.Limit = len(out.Items), len(out.Items)
	return http.StatusOK, out, nil
}
