package api

// External briefers at DTG meetings: the API twin of the briefers pages.
// Positions and the Chair's acts are taken on the nomination's decision
// (/decisions/{id}/positions and /acts), whose id every answer gives.

import (
	"concord/briefer"
	"concord/decision"
	"net/http"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/decide"
)

func (a *API) brieferRoutes() []Route {
	return []Route{
		{"GET", "/briefers", concord.ActRead, nil, "/briefers", a.listBriefers},
		{"POST", "/briefers", concord.ActNominate, nil, "/briefers", a.nominateBriefer},
		{"GET", "/briefers/{id}", concord.ActRead, nil, "/briefers/1", a.getBriefer},
		{"GET", "/briefers/{id}/simulation", concord.ActRead, nil, "/briefers/1/simulation", a.simulateBriefer},
		{"POST", "/briefers/{id}/withdrawal", concord.ActNominate, nil, "/briefers/1/withdrawal", a.withdrawBriefer},
	}
}

// BrieferJSON is a nomination with its state now: the nomination as
// recorded, the rule version it runs under, its state under that rule, the
// deadline of the round (null when the rule sets none) and the objections
// standing. A single nomination also carries the decision's full result.
type BrieferJSON struct {
	ID             int64                 `json:"id"`
	DecisionID     int64                 `json:"decision_id"`
	Nomination     BrieferNominationJSON `json:"nomination"`
	Policy         BrieferPolicyJSON     `json:"policy"`
	State          briefer.State         `json:"state"`
	Outcome        decision.OutcomeKind  `json:"outcome"`
	Deadline       *time.Time            `json:"deadline"`
	MeetingStart   time.Time             `json:"meeting_start"`
	LateForMeeting bool                  `json:"late_for_meeting"`
	Objections     []EntryJSON           `json:"objections"`
	Result         *ResultJSON           `json:"result,omitempty"`
}

// BrieferNominationJSON is a State's nomination of an external briefer;
// rule_version is 0 and withdrawn null until they apply.
type BrieferNominationJSON struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Affiliation    string     `json:"affiliation"`
	Expertise      string     `json:"expertise"`
	NominatedBy    string     `json:"nominated_by"`
	DTG            string     `json:"dtg"`
	Meeting        string     `json:"meeting"`
	MeetingDate    string     `json:"meeting_date"`
	At             time.Time  `json:"at"`
	RuleVersion    int        `json:"rule_version"`
	Withdrawn      *time.Time `json:"withdrawn"`
	WithdrawalNote string     `json:"withdrawal_note"`
}

func brieferNominationJSON(n briefer.Nomination) BrieferNominationJSON {
	return BrieferNominationJSON{ID: n.ID, Name: n.Name, Affiliation: n.Affiliation, Expertise: n.Expertise, NominatedBy: n.NominatedBy,
		DTG: n.DTG, Meeting: n.Meeting, MeetingDate: n.MeetingDate, At: n.At.UTC(), RuleVersion: n.RuleVersion,
		Withdrawn: timeOrNull(n.Withdrawn), WithdrawalNote: n.WithdrawalNote}
}

func brieferJSON(b decide.Briefer, full bool) BrieferJSON {
	res := b.Result.Decision
	j := BrieferJSON{ID: b.ID(), DecisionID: b.Decision.ID, Nomination: brieferNominationJSON(b.Record.Doc), Policy: brieferPolicyJSON(b.Policy), State: b.Result.State,
		Outcome: res.Outcome, MeetingStart: b.MeetingStart, LateForMeeting: b.LateForMeeting, Objections: conv(res.Record.Objected, entryJSON)}
	if !res.Deadline.IsZero() {
		dl := res.Deadline
		j.Deadline = &dl
	}
	if full {
		j.Result = resultOrNull(&res)
	}
	return j
}

func (a *API) listBriefers(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	l, err := a.Decide.Briefers(r.Context(), decide.BrieferFilter{DTG: q.Get("dtg"), Meeting: q.Get("meeting")})
	if err != nil {
		return 0, nil, err
	}
	out := List[BrieferJSON]{Items: []BrieferJSON{}}
	for _, m := range l.Meetings {
		for _, b := range m.Briefers {
			out.Items = append(out.Items, brieferJSON(b, false))
		}
	}
	out.Total, out.Limit = len(out.Items), len(out.Items)
	return http.StatusOK, out, nil
}

// BrieferRequest nominates a briefer. nominated_by defaults to a
// delegate's own State; the Secretariat names the State.
type BrieferRequest struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation"`
	Expertise   string `json:"expertise"`
	NominatedBy string `json:"nominated_by"`
	DTG         string `json:"dtg"`
	MeetingDate string `json:"meeting_date"`
}

func (a *API) nominateBriefer(r *http.Request) (int, any, error) {
	var in BrieferRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	b, err := a.Decide.NominateBriefer(r.Context(), auth.UserFrom(r.Context()), decide.BrieferInput{Name: in.Name, Affiliation: in.Affiliation,
		Expertise: in.Expertise, NominatedBy: in.NominatedBy, DTG: in.DTG, MeetingDate: in.MeetingDate})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, brieferJSON(b, true), nil
}

// briefer reads the nomination of the path (which tells the page cache
// until when an answer about it, or its simulation, holds).
func (a *API) briefer(r *http.Request) (decide.Briefer, error) {
	id, err := pathID(r)
	if err != nil {
		return decide.Briefer{}, err
	}
	return a.Decide.Briefer(r.Context(), id)
}

func (a *API) getBriefer(r *http.Request) (int, any, error) {
	b, err := a.briefer(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, brieferJSON(b, true), nil
}

// BrieferSimulationJSON is the nomination under one confirmation mode.
type BrieferSimulationJSON struct {
	Policy   BrieferPolicyJSON    `json:"policy"`
	State    briefer.State        `json:"state,omitempty"`
	Outcome  decision.OutcomeKind `json:"outcome,omitempty"`
	Deadline *time.Time           `json:"deadline"`
	Error    string               `json:"error,omitempty"`
}

func (a *API) simulateBriefer(r *http.Request) (int, any, error) {
	b, err := a.briefer(r)
	if err != nil {
		return 0, nil, err
	}
	sims := a.Decide.SimulateBriefer(b)
	out := List[BrieferSimulationJSON]{Items: []BrieferSimulationJSON{}}
	for _, s := range sims {
		j := BrieferSimulationJSON{Policy: brieferPolicyJSON(s.Policy)}
		if s.Err != nil {
			j.Error = s.Err.Error()
		} else {
			j.State, j.Outcome = s.Result.State, s.Result.Decision.Outcome
			if dl := s.Result.Decision.Deadline; !dl.IsZero() {
				j.Deadline = &dl
			}
		}
		out.Items = append(out.Items, j)
	}
	out.Total, out.Limit = len(out.Items), len(out.Items)
	return http.StatusOK, out, nil
}

// WithdrawalRequest withdraws a nomination; note is the State's
// explanation, in lang (the request's language by default).
type WithdrawalRequest struct {
	Note string `json:"note"`
	Lang string `json:"lang"`
}

func (a *API) withdrawBriefer(r *http.Request) (int, any, error) {
	var in WithdrawalRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	if in.Lang == "" {
		in.Lang = lang(r)
	}
	if !concord.IsLanguage(in.Lang) {
		return 0, nil, concord.Errorf(concord.EInvalid, "lang", "error.language", "unknown language %q", in.Lang)
	}
	b, err := a.Decide.WithdrawBriefer(r.Context(), auth.UserFrom(r.Context()), id, in.Note, in.Lang)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, brieferJSON(b, true), nil
}
