package api

import (
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/pocs"
	"concord/poc"
)

// The Points of Contact directory: the twins of the /{lang}/poc pages. The
// service checks who may see what on every read: the directory for the
// States' delegates and the Secretariat, a State's results for that State
// and the Secretariat, the counts for everyone.

func (a *API) pocRoutes() []Route {
	return []Route{
		{"GET", "/poc", concord.ActRead, nil, "/poc", a.pocSummary},
		{"GET", "/poc/directory", concord.ActViewPOCs, nil, "/poc/directory", a.pocDirectory},
		{"POST", "/poc", concord.ActManagePOCs, nil, "/poc", a.nominatePOC},
		{"GET", "/poc/contacts/{id}", concord.ActViewPOCs, nil, "/poc/contacts/1", a.getPOC},
		{"PUT", "/poc/contacts/{id}", concord.ActManagePOCs, nil, "/poc/contacts/1", a.editPOC},
		{"DELETE", "/poc/contacts/{id}", concord.ActManagePOCs, nil, "/poc/contacts/1", a.removePOC},
		{"POST", "/poc/rounds", concord.ActPingPOCs, nil, "/poc/rounds", a.schedulePing},
		{"GET", "/poc/rounds/{id}", concord.ActRead, nil, "/poc/rounds/1", a.pingResults},
		{"POST", "/poc/rounds/{id}/open", concord.ActPingPOCs, nil, "/poc/rounds/1/open", a.openPing},
		{"POST", "/poc/rounds/{id}/close", concord.ActPingPOCs, nil, "/poc/rounds/1/close", a.closePing},
		{"POST", "/poc/ack", concord.ActRead, nil, "/poc/ack", a.acknowledgePing},
	}
}

func (a *API) pocs() *pocs.Service {
	base := ""
	if a.Account != nil {
		base = a.Account.BaseURL
	}
	return &pocs.Service{DB: a.Decide.DB, Process: a.Decide.Process, Cat: a.Cat, BaseURL: base}
}

// POCJSON is a point of contact (restricted).
type POCJSON struct {
	ID        int64       `json:"id"`
	State     string      `json:"state"`
	Kind      poc.Kind    `json:"kind"`
	Name      string      `json:"name"`
	Function  string      `json:"function"`
	Email     string      `json:"email"`
	Phone     string      `json:"phone"`
	Languages []string    `json:"languages"`
	Hours     *string     `json:"hours"`
	Bounced   *BounceJSON `json:"bounced"`
	Created   time.Time   `json:"created"`
	Updated   time.Time   `json:"updated"`
}

// BounceJSON is the last bounce of a POC's address, until the State edits
// the POC.
type BounceJSON struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func pocJSON(p poc.POC) POCJSON {
	langs := p.Languages
	if langs == nil {
		langs = []string{}
	}
	var b *BounceJSON
	if p.Bounced != nil {
		b = &BounceJSON{At: p.Bounced.At.UTC(), Reason: p.Bounced.Reason}
	}
	return POCJSON{ID: p.ID, State: p.State, Kind: p.Kind, Name: p.Name, Function: p.Function, Email: p.Email, Phone: p.Phone,
		Languages: langs, Hours: orNull(p.Hours), Bounced: b, Created: p.Created.UTC(), Updated: p.Updated.UTC()}
}

// RoundJSON is a ping round with its public aggregate.
type RoundJSON struct {
	ID             int64      `json:"id"`
	Status         poc.Status `json:"status"`
	Opens          time.Time  `json:"opens"`
	Deadline       time.Time  `json:"deadline"`
	Opened         *time.Time `json:"opened"`
	Closed         *time.Time `json:"closed"`
	Note           *string    `json:"note"`
	Sent           int        `json:"sent"`
	Answered       int        `json:"answered"`
	States         int        `json:"states"`
	StatesAnswered int        `json:"states_answered"`
	ResponseRate   int        `json:"response_rate"`
}

func roundJSON(r poc.Round, a poc.Aggregate) RoundJSON {
	return RoundJSON{ID: r.ID, Status: r.Status, Opens: r.Opens.UTC(), Deadline: r.Closes.UTC(), Opened: timeOrNull(r.Opened),
		Closed: timeOrNull(r.Closed), Note: orNull(r.Note), Sent: a.Sent, Answered: a.Answered, States: a.States,
		StatesAnswered: a.StatesAnswered, ResponseRate: a.Rate()}
}

// POCSummaryJSON is what everyone may know of the directory.
type POCSummaryJSON struct {
	NominatedStates int         `json:"nominated_states"`
	Rounds          []RoundJSON `json:"rounds"`
}

func (a *API) pocSummary(r *http.Request) (int, any, error) {
	sum, err := a.pocs().Summary(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := POCSummaryJSON{NominatedStates: sum.Nominated, Rounds: []RoundJSON{}}
	for _, x := range sum.Rounds {
		out.Rounds = append(out.Rounds, roundJSON(x.Round, x.Total))
	}
	return http.StatusOK, out, nil
}

func (a *API) pocDirectory(r *http.Request) (int, any, error) {
	list, err := a.pocs().Directory(r.Context(), auth.UserFrom(r.Context()), strings.TrimSpace(r.URL.Query().Get("state")))
	if err != nil {
		return 0, nil, err
	}
	out := List[POCJSON]{Items: make([]POCJSON, 0, len(list)), Total: len(list), Limit: len(list)}
	for _, p := range list {
		out.Items = append(out.Items, pocJSON(p))
	}
	return http.StatusOK, out, nil
}

// POCRequest nominates a point of contact or replaces one's details (the
// State of an existing one does not change; a delegate's is its own).
type POCRequest struct {
	State     string   `json:"state"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Function  string   `json:"function"`
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Languages []string `json:"languages"`
	Hours     *string  `json:"hours"`
}

func (req POCRequest) input() pocs.Input {
	in := pocs.Input{State: req.State, Kind: poc.Kind(req.Kind), Name: req.Name, Function: req.Function, Email: req.Email,
		Phone: req.Phone, Languages: req.Languages}
	if req.Hours != nil {
		in.Hours = *req.Hours
	}
	return in
}

func (a *API) nominatePOC(r *http.Request) (int, any, error) {
	var req POCRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	p, err := a.pocs().Nominate(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, pocJSON(p), nil
}

func (a *API) getPOC(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.pocs().POC(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, pocJSON(p), nil
}

func (a *API) editPOC(r *http.Request) (int, any, error) {
	var req POCRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.pocs().Edit(r.Context(), auth.UserFrom(r.Context()), id, req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, pocJSON(p), nil
}

func (a *API) removePOC(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.pocs().Remove(r.Context(), auth.UserFrom(r.Context()), id); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// PingRoundRequest schedules a ping round: instants in RFC 3339.
type PingRoundRequest struct {
	Opens    string  `json:"opens"`
	Deadline string  `json:"deadline"`
	Note     *string `json:"note"`
}

func (a *API) schedulePing(r *http.Request) (int, any, error) {
	var req PingRoundRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	var in pocs.RoundInput
	if req.Note != nil {
		in.Note = *req.Note
	}
	read := func(field, s string) time.Time {
		if strings.TrimSpace(s) == "" {
			return time.Time{} // reported by the domain as missing
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, field, "poc.error.datetime", "%s must be an RFC 3339 date and time", field))
		}
		return t
	}
	in.Opens, in.Closes = read("opens", req.Opens), read("deadline", req.Deadline)
	rd, err := a.pocs().Schedule(r.Context(), auth.UserFrom(r.Context()), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, roundJSON(rd, poc.Aggregate{}), nil
}

// PingResultsJSON is a round as one reader may see it: the public
// aggregate, and the results per State the reader may see (every State's
// for the Secretariat, its own for a State's delegate, none otherwise).
type PingResultsJSON struct {
	Round  RoundJSON         `json:"round"`
	States []StateResultJSON `json:"states"`
}

// StateResultJSON is one State's results in a round (restricted).
type StateResultJSON struct {
	State    string     `json:"state"`
	Sent     int        `json:"sent"`
	Answered int        `json:"answered"`
	Pings    []PingJSON `json:"pings"`
}

// PingJSON is one POC's ping and its answer (restricted).
type PingJSON struct {
	POC      int64      `json:"poc"`
	Kind     poc.Kind   `json:"kind"`
	Name     string     `json:"name"`
	Email    string     `json:"email"`
	Answered *time.Time `json:"answered"`
	By       *string    `json:"answered_by"`
	Reminded bool       `json:"reminded"`
	Bounced  *time.Time `json:"bounced"`
}

func (a *API) pingResults(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.pocs().Results(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	out := PingResultsJSON{Round: roundJSON(res.Round, res.Total), States: []StateResultJSON{}}
	for _, st := range res.States {
		sj := StateResultJSON{State: st.State, Sent: st.Sent, Answered: st.Answered, Pings: []PingJSON{}}
		for _, p := range st.Pings {
			sj.Pings = append(sj.Pings, PingJSON{POC: p.POC, Kind: p.Kind, Name: p.Name, Email: p.Email,
				Answered: timeOrNull(p.Answered), By: orNull(p.By), Reminded: p.Reminded, Bounced: timeOrNull(p.Bounced)})
		}
		out.States = append(out.States, sj)
	}
	return http.StatusOK, out, nil
}

func (a *API) openPing(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	rd, _, err := a.pocs().Open(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return a.roundAnswer(r, rd)
}

func (a *API) closePing(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	rd, err := a.pocs().Close(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return a.roundAnswer(r, rd)
}

// roundAnswer is a round just written, with its aggregate.
func (a *API) roundAnswer(r *http.Request, rd poc.Round) (int, any, error) {
	agg, err := a.Decide.DB.PingCounts(r.Context(), rd.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, roundJSON(rd, agg), nil
}

// AckRequest acknowledges a ping with the token of its emailed link, and
// optionally the name of who answers.
type AckRequest struct {
	Token string  `json:"token"`
	By    *string `json:"answered_by"`
}

// AckJSON is an acknowledgement as recorded.
type AckJSON struct {
	State    string    `json:"state"`
	Round    int64     `json:"round"`
	Answered time.Time `json:"answered"`
	By       string    `json:"answered_by"`
}

func (a *API) acknowledgePing(r *http.Request) (int, any, error) {
	var req AckRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	by := ""
	if req.By != nil {
		by = *req.By
	}
	ack, err := a.pocs().Acknowledge(r.Context(), req.Token, by)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, AckJSON{State: ack.Ping.State, Round: ack.Ping.Round, Answered: ack.Ping.Answered.UTC(), By: ack.Ping.By}, nil
}
