package api

import (
	"concord/cofacilitator"
	"concord/decision"
	"context"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/cofac"
	"concord/internal/httperr"
)

// The API twin of the co-facilitator pages: nominations, the Chair's
// balanced pairs, sets with their checks, state and simulation. Positions
// and the Chair's acts on a set go through the decision routes.

func (a *API) cofacRoutes() []Route {
	return []Route{
		{"GET", "/cofacilitators", concord.ActRead, nil, "/cofacilitators", a.cofacOverview},
		{"GET", "/cofacilitators/nominations", concord.ActRead, nil, "/cofacilitators/nominations", a.cofacNominations},
		{"POST", "/cofacilitators/nominations", concord.ActNominate, nil, "/cofacilitators/nominations", a.cofacNominate},
		{"POST", "/cofacilitators/nominations/{id}/withdrawal", concord.ActNominate, nil, "/cofacilitators/nominations/1/withdrawal", a.cofacWithdraw},
		{"GET", "/cofacilitators/pairs", concord.ActProposeDecision, nil, "/cofacilitators/pairs", a.cofacPairs},
		{"GET", "/cofacilitators/sets", concord.ActRead, nil, "/cofacilitators/sets", a.cofacSets},
		{"POST", "/cofacilitators/sets", concord.ActProposeDecision, nil, "/cofacilitators/sets", a.cofacPropose},
		{"GET", "/cofacilitators/sets/{id}", concord.ActRead, nil, "/cofacilitators/sets/1", a.cofacSet},
	}
}

// checksJSON explains each check in lang.
func (a *API) checksJSON(l string, checks []cofacilitator.Check) []CheckJSON {
	out := make([]CheckJSON, 0, len(checks))
	for _, c := range checks {
		data := map[string]any{}
		for k, v := range c.Args {
			data[k] = v
		}
		if g := c.Args["gender"]; g != "" {
			// The rule gives the candidates' gender as a code.
			data["gender"] = a.Cat.T(l, "gender."+g, nil)
		}
		args := c.Args
		if args == nil {
			args = map[string]string{}
		}
		out = append(out, CheckJSON{Rule: string(c.Rule), Status: string(c.Status), Key: c.Key, Args: args, Message: a.Cat.T(l, c.Key, data)})
	}
	return out
}

// DTGJSON is a Dedicated Thematic Group with its terms.
type DTGJSON struct {
	Code        string            `json:"code"`
	Names       map[string]string `json:"names"`
	Terms       []string          `json:"terms"`
	CurrentTerm string            `json:"current_term"`
}

// CoFacOverviewJSON is the two DTGs and the co-facilitator rule in force.
type CoFacOverviewJSON struct {
	DTGs []DTGJSON       `json:"dtgs"`
	Rule RuleVersionJSON `json:"rule"`
}

func (a *API) cofacOverview(r *http.Request) (int, any, error) {
	ctx := r.Context()
	now := a.DB.Now().UTC()
	rule, err := a.Decide.RuleAt(ctx, cofacilitator.RuleCode, now)
	if err != nil {
		return 0, nil, err
	}
	noms, err := a.CoFac.Nominations(ctx, "", "")
	if err != nil {
		return 0, nil, err
	}
	sets, err := a.CoFac.Sets(ctx, "")
	if err != nil {
		return 0, nil, err
	}
	out := CoFacOverviewJSON{Rule: ruleVersionJSON(rule), DTGs: []DTGJSON{}}
	for _, d := range concord.DTGs {
		var terms []string
		for _, n := range noms {
			if n.Doc.DTG == d.Code {
				terms = append(terms, n.Doc.Term)
			}
		}
		for _, s := range sets {
			if s.Doc.DTG == d.Code {
				terms = append(terms, s.Doc.Term)
			}
		}
		terms = cofacilitator.SortTerms(terms)
		if terms == nil {
			terms = []string{}
		}
		out.DTGs = append(out.DTGs, DTGJSON{Code: d.Code, Names: d.Names, Terms: terms, CurrentTerm: cofacilitator.CurrentTerm(terms, now)})
	}
	return http.StatusOK, out, nil
}

// NominationOutJSON is a stored nomination with its State's regional group
// and development category under the scheme of the rule in force.
type NominationOutJSON struct {
	ID         int64                `json:"id"`
	Created    time.Time            `json:"created"`
	Nomination StoredNominationJSON `json:"nomination"`
	Group      string               `json:"group"`
	Category   string               `json:"category"`
}

// StoredNominationJSON is a candidate for a co-facilitator seat as the API shows
// it; WithdrawnAt is null while the nomination stands.
type StoredNominationJSON struct {
	ID          string     `json:"id"`
	Person      string     `json:"person"`
	State       string     `json:"state"`
	Gender      string     `json:"gender"`
	Expertise   []string   `json:"expertise"`
	DTG         string     `json:"dtg"`
	Term        string     `json:"term"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
}

// storedNominationsJSON converts a list of nominations.
func storedNominationsJSON(ns []cofacilitator.Nomination) []StoredNominationJSON {
	out := make([]StoredNominationJSON, len(ns))
	for i, n := range ns {
		out[i] = storedNominationJSON(n)
	}
	return out
}

// storedNominationJSON converts the domain's nomination to its API form.
func storedNominationJSON(n cofacilitator.Nomination) StoredNominationJSON {
	out := StoredNominationJSON{ID: n.ID, Person: n.Person, State: n.State, Gender: n.Gender, Expertise: n.Expertise,
		DTG: n.DTG, Term: n.Term, WithdrawnAt: timeOrNull(n.WithdrawnAt)}
	if out.Expertise == nil {
		out.Expertise = []string{}
	}
	return out
}

// NominationListJSON lists nominations; Scheme is the classification their
// categories are under.
type NominationListJSON struct {
	Items  []NominationOutJSON `json:"items"`
	Total  int                 `json:"total"`
	Scheme string              `json:"scheme"`
}

// cofacFacts is how the rule in force sees States now: its scheme, the
// categories under it and the regional groups.
type cofacFacts struct {
	scheme  string
	cats    map[string]string
	groupOf func(string) string
}

func (a *API) cofacFacts(ctx context.Context) (cofacFacts, error) {
	now := a.DB.Now().UTC()
	rule, err := a.Decide.RuleAt(ctx, cofacilitator.RuleCode, now)
	if err != nil {
		return cofacFacts{}, err
	}
	_, cats, err := a.DB.Classification(ctx, rule.Policy.(*cofacilitator.Policy).Scheme)
	if err != nil {
		return cofacFacts{}, err
	}
	states, err := a.DB.ListStates(ctx)
	if err != nil {
		return cofacFacts{}, err
	}
	return cofacFacts{scheme: rule.Policy.(*cofacilitator.Policy).Scheme, cats: cats, groupOf: decision.GroupOf(states, now)}, nil
}

func (f cofacFacts) nomination(n cofac.Nomination) NominationOutJSON {
	return NominationOutJSON{ID: n.ID, Created: n.Created, Nomination: storedNominationJSON(n.Doc), Group: f.groupOf(n.Doc.State), Category: f.cats[n.Doc.State]}
}

// dtgTerm reads the optional dtg and term query parameters.
func dtgTerm(r *http.Request, required bool) (dtg, term string, err error) {
	q := r.URL.Query()
	dtg, term = strings.TrimSpace(q.Get("dtg")), strings.TrimSpace(q.Get("term"))
	if _, ok := concord.DTGByCode(dtg); (dtg != "" || required) && !ok {
		return "", "", concord.Errorf(concord.EInvalid, "dtg", "cofac.error.dtg", "unknown thematic group %q", dtg)
	}
	if term != "" {
		if _, _, err := cofacilitator.ParseTerm(term); err != nil {
			return "", "", err
		}
	}
	return dtg, term, nil
}

func (a *API) cofacNominations(r *http.Request) (int, any, error) {
	dtg, term, err := dtgTerm(r, false)
	if err != nil {
		return 0, nil, err
	}
	noms, err := a.CoFac.Nominations(r.Context(), dtg, term)
	if err != nil {
		return 0, nil, err
	}
	f, err := a.cofacFacts(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := NominationListJSON{Items: make([]NominationOutJSON, 0, len(noms)), Total: len(noms), Scheme: f.scheme}
	for _, n := range noms {
		out.Items = append(out.Items, f.nomination(n))
	}
	return http.StatusOK, out, nil
}

// NominateRequest nominates a candidate; a delegate's State is its own when
// state is empty.
type NominateRequest struct {
	DTG       string   `json:"dtg"`
	Term      string   `json:"term"`
	Person    string   `json:"person"`
	State     string   `json:"state"`
	Gender    string   `json:"gender"`
	Expertise []string `json:"expertise"`
}

func (a *API) cofacNominate(r *http.Request) (int, any, error) {
	var in NominateRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	// The facts the answer shows are read before the write: a write that
	// committed never answers an error.
	f, err := a.cofacFacts(r.Context())
	if err != nil {
		return 0, nil, err
	}
	n, err := a.CoFac.Nominate(r.Context(), auth.UserFrom(r.Context()), cofac.NominationInput{DTG: in.DTG, Term: in.Term, Person: in.Person,
		State: in.State, Gender: in.Gender, Expertise: in.Expertise})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, f.nomination(n), nil
}

func (a *API) cofacWithdraw(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	f, err := a.cofacFacts(r.Context()) // before the write, as in cofacNominate
	if err != nil {
		return 0, nil, err
	}
	n, err := a.CoFac.Withdraw(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f.nomination(n), nil
}

// PairJSON is a balanced set the rules in force allow, with its checks.
type PairJSON struct {
	Nominations []NominationOutJSON `json:"nominations"`
	Checks      []CheckJSON         `json:"checks"`
}

// PairsJSON lists a DTG's balanced pairs for a term.
type PairsJSON struct {
	DTG   string     `json:"dtg"`
	Term  string     `json:"term"`
	Items []PairJSON `json:"items"`
}

// cofacPairsMax bounds the pairs returned.
const cofacPairsMax = 50

func (a *API) cofacPairs(r *http.Request) (int, any, error) {
	dtg, term, err := dtgTerm(r, true)
	if err != nil {
		return 0, nil, err
	}
	b, err := a.CoFac.Board(r.Context(), dtg, term)
	if err != nil {
		return 0, nil, err
	}
	pairs, err := b.Pairs(cofacPairsMax)
	if err != nil {
		return 0, nil, err
	}
	f := cofacFacts{scheme: b.Rule.Policy.(*cofacilitator.Policy).Scheme, cats: b.Categories, groupOf: b.GroupOf}
	out := PairsJSON{DTG: dtg, Term: b.Term, Items: []PairJSON{}}
	l := lang(r)
	for _, p := range pairs {
		j := PairJSON{Checks: a.checksJSON(l, p.Checks)}
		for _, n := range p.Nominations {
			j.Nominations = append(j.Nominations, f.nomination(n))
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// SetJSON is a set with the facts it was checked on, its checks explained
// in the request's language, its state now, and the outcome of its
// decision. Simulation (one set only) is the state under each appointment
// mode on the same facts.
type SetJSON struct {
	ID         int64                  `json:"id"`
	DTG        string                 `json:"dtg"`
	Term       string                 `json:"term"`
	Created    time.Time              `json:"created"`
	State      cofacilitator.State    `json:"state"`
	Balanced   bool                   `json:"balanced"`
	HoldsSeats bool                   `json:"holds_seats"` // appointed or approved: the two states say it differently
	Policy     CoFacPolicyJSON        `json:"policy"`
	Pair       []StoredNominationJSON `json:"pair"`
	Categories map[string]string      `json:"categories"`
	Groups     map[string]string      `json:"groups"`
	Previous   []SeatJSON             `json:"previous"`
	Checks     []CheckJSON            `json:"checks"`
	DecisionID int64                  `json:"decision_id"`
	Decision   *ResultJSON            `json:"decision"`
	Simulation []SetSimulationJSON    `json:"simulation,omitempty"`
}

// SeatJSON is a co-facilitator seat of an earlier term; terms_ago is 1 for
// the previous term.
type SeatJSON struct {
	State    string `json:"state"`
	DTG      string `json:"dtg"`
	Person   string `json:"person"`
	Term     string `json:"term"`
	TermsAgo int    `json:"terms_ago"`
}

// SetSimulationJSON is the set's state under one appointment mode.
type SetSimulationJSON struct {
	Appointment cofacilitator.Appointment `json:"appointment"`
	State       cofacilitator.State       `json:"state"`
	// HoldsSeats: the set would hold the seats under that mode (appointed
	// and approved say it differently, as on the set itself).
	HoldsSeats bool                 `json:"holds_seats"`
	Outcome    decision.OutcomeKind `json:"outcome"`
	Error      string               `json:"error,omitempty"`
}

func (a *API) setJSON(l string, v cofac.SetView) SetJSON {
	prev := conv(v.Doc.Previous, func(s cofacilitator.Seat) SeatJSON {
		return SeatJSON{State: s.State, DTG: s.DTG, Person: s.Person, Term: s.Term, TermsAgo: s.TermsAgo}
	})
	return SetJSON{ID: v.ID, DTG: v.Doc.DTG, Term: v.Doc.Term, Created: v.Created, State: v.Result.State, Balanced: v.Result.Balanced, HoldsSeats: v.Result.State.Held(),
		Policy: cofacPolicyJSON(v.Doc.Policy), Pair: storedNominationsJSON(v.Doc.Pair), Categories: v.Doc.Categories, Groups: v.Doc.Groups, Previous: prev,
		Checks: a.checksJSON(l, v.Result.Checks), DecisionID: v.DecisionID, Decision: resultOrNull(v.Result.Decision)}
}

// SetListJSON lists sets, newest first.
type SetListJSON struct {
	Items []SetJSON `json:"items"`
	Total int       `json:"total"`
}

func (a *API) cofacSets(r *http.Request) (int, any, error) {
	dtg, term, err := dtgTerm(r, false)
	if err != nil {
		return 0, nil, err
	}
	vs, err := a.CoFac.Sets(r.Context(), dtg)
	if err != nil {
		return 0, nil, err
	}
	out := SetListJSON{Items: []SetJSON{}}
	l := lang(r)
	for _, v := range vs {
		if term == "" || v.Doc.Term == term {
			out.Items = append(out.Items, a.setJSON(l, v))
		}
	}
	out.Total = len(out.Items)
	return http.StatusOK, out, nil
}

func (a *API) cofacSet(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	d, err := a.CoFac.Set(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	j := a.setJSON(lang(r), d.SetView)
	j.Simulation = []SetSimulationJSON{}
	for _, s := range d.Simulation {
		x := SetSimulationJSON{Appointment: s.Policy.Appointment, State: s.Result.State, HoldsSeats: s.Result.State.Held()}
		if s.Err != nil {
			x.Error = s.Err.Error()
		} else if s.Result.Decision != nil {
			x.Outcome = s.Result.Decision.Outcome
		}
		j.Simulation = append(j.Simulation, x)
	}
	return http.StatusOK, j, nil
}

// ProposeSetRequest is the Chair's choice of nominations for a DTG.
type ProposeSetRequest struct {
	DTG         string  `json:"dtg"`
	Nominations []int64 `json:"nominations"`
}

// SetRefusedJSON answers a set that fails a pair rule: the error, and every
// check with its explanation.
type SetRefusedJSON struct {
	Error    ErrorDetail `json:"error"`
	Balanced bool        `json:"balanced"`
	Checks   []CheckJSON `json:"checks"`
}

func (a *API) cofacPropose(r *http.Request) (int, any, error) {
	var in ProposeSetRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	v, err := a.CoFac.ProposeSet(r.Context(), auth.UserFrom(r.Context()), cofac.SetInput{DTG: in.DTG, Nominations: in.Nominations})
	l := lang(r)
	if ue, ok := cofac.IsUnbalanced(err); ok {
		de := httperr.AsDomain(err)
		return http.StatusUnprocessableEntity, SetRefusedJSON{Error: ErrorDetail{Code: de.Code, Field: de.Field, Message: a.Cat.T(l, de.Key, nil)},
			Checks: a.checksJSON(l, ue.Set.Checks)}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, a.setJSON(l, v), nil
}
