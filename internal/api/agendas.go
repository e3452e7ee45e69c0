package api

import (
	"concord/agenda"
	"net/http"
	"strconv"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/auth"
)

// The provisional agendas of the sessions: versions, their adoption, the
// agenda a session works on, and the changes between two versions.

func (a *API) agendaRoutes() []Route {
	return []Route{
		{"GET", "/agendas", concord.ActRead, nil, "/agendas", a.listAgendas},
		{"POST", "/agendas", concord.ActProposeDecision, nil, "/agendas", a.createAgenda},
		{"GET", "/agendas/{id}", concord.ActRead, nil, "/agendas/1", a.getAgenda},
		{"PUT", "/agendas/{id}", concord.ActProposeDecision, nil, "/agendas/1", a.updateAgenda},
		{"POST", "/agendas/{id}/adoption", concord.ActProposeDecision, nil, "/agendas/1/adoption", a.putAgenda},
		{"GET", "/sessions/{code}/agenda", concord.ActRead, nil, "/sessions/GM-2026-1/agenda", a.sessionAgenda},
		{"GET", "/sessions/{code}/diff", concord.ActRead, nil, "/sessions/GM-2026-1/diff", a.agendaDiff},
	}
}

func (a *API) agendas() *agendasvc.Service { return &agendasvc.Service{Decide: a.Decide} }

// AgendaJSON is one agenda version with its state now: the items (domain
// field names), the agenda rule it runs under, the translations pending
// and, once it was put to adoption, the decision and its outcome.
type AgendaJSON struct {
	ID         int64            `json:"id"`
	Session    string           `json:"session"`
	Version    int              `json:"version"`
	Issued     string           `json:"issued"`
	Updated    string           `json:"updated"`
	Items      []AgendaItemJSON `json:"items"`
	State      agenda.State     `json:"state"`
	Pending    bool             `json:"pending"`
	DecisionID *int64           `json:"decision_id"`
	Rule       AgendaPolicyJSON `json:"rule"`
	Warnings   []ReasonJSON     `json:"warnings"`
	Adoption   *AdoptionJSON    `json:"adoption"`
}

// AdoptionJSON is the outcome of putting an agenda version to adoption.
type AdoptionJSON struct {
	Version  int          `json:"version"`
	State    agenda.State `json:"state"`
	Decision ResultJSON   `json:"decision"`
	Warnings []ReasonJSON `json:"warnings"`
}

// AgendaItemJSON is an item as stored: a stable id across versions, the
// number as printed, the title per language.
type AgendaItemJSON struct {
	ID     string       `json:"id"`
	Number string       `json:"number"`
	Title  concord.Text `json:"title"`
}

func agendaItemJSON(i agenda.Item) AgendaItemJSON {
	return AgendaItemJSON{ID: i.ID, Number: i.Number, Title: text(i.Title)}
}

// AgendaChangeJSON is one item's change between two versions.
type AgendaChangeJSON struct {
	Kind       agenda.ChangeKind    `json:"kind"`
	Item       string               `json:"item"`
	FromNumber string               `json:"from_number"`
	ToNumber   string               `json:"to_number"`
	Renumbered bool                 `json:"renumbered"`
	Languages  []LanguageChangeJSON `json:"languages"`
}

// LanguageChangeJSON is an item's text before and after, in one language.
type LanguageChangeJSON struct {
	Lang string `json:"lang"`
	From string `json:"from"`
	To   string `json:"to"`
}

func agendaChangeJSON(c agenda.Change) AgendaChangeJSON {
	return AgendaChangeJSON{Kind: c.Kind, Item: c.Item, FromNumber: c.FromNumber, ToNumber: c.ToNumber, Renumbered: c.Renumbered,
		Languages: conv(c.Languages, func(l agenda.LanguageChange) LanguageChangeJSON {
			return LanguageChangeJSON{Lang: l.Lang, From: l.From, To: l.To}
		})}
}

// adoptionJSON converts an optional adoption result.
func adoptionJSON(a *agenda.AdoptionResult) *AdoptionJSON {
	if a == nil {
		return nil
	}
	return &AdoptionJSON{Version: a.Version, State: a.State, Decision: resultJSON(a.Decision), Warnings: conv(a.Warnings, reasonJSON)}
}

func agendaJSON(v agendasvc.Version) AgendaJSON {
	j := AgendaJSON{ID: v.ID, Session: v.Scope, Version: v.Doc.Version, Issued: v.Doc.Issued.UTC().Format(time.RFC3339),
		Updated: v.Updated.UTC().Format(time.RFC3339), Items: conv(v.Doc.Items, agendaItemJSON), State: v.State, Pending: v.Pending(), Rule: agendaPolicyJSON(v.Policy),
		Warnings: conv(v.Warnings, reasonJSON), Adoption: adoptionJSON(v.Adoption)}
	if v.DecisionID != 0 {
		id := v.DecisionID
		j.DecisionID = &id
	}
	return j
}

func (a *API) listAgendas(r *http.Request) (int, any, error) {
	code := ""
	if s := r.URL.Query().Get("session"); s != "" {
		c, err := agendasvc.NormalizeSession(s)
		if err != nil {
			return 0, nil, err
		}
		code = c
	}
	vs, err := a.agendas().Versions(r.Context(), code)
	if err != nil {
		return 0, nil, err
	}
	out := List[AgendaJSON]{Items: make([]AgendaJSON, 0, len(vs)), Total: len(vs), Limit: len(vs)}
	for _, v := range vs {
		out.Items = append(out.Items, agendaJSON(v))
	}
	return http.StatusOK, out, nil
}

// AgendaItemInput is one item as submitted: a number, a title per language
// and, to follow an item across versions, the id of the item it continues.
type AgendaItemInput struct {
	ID     string            `json:"id"`
	Number string            `json:"number"`
	Title  map[string]string `json:"title"`
}

// AgendaRequest issues a new version of a session's agenda.
type AgendaRequest struct {
	Session string            `json:"session"`
	Items   []AgendaItemInput `json:"items"`
}

// AgendaUpdate replaces the items of a version not yet put to adoption.
type AgendaUpdate struct {
	Items []AgendaItemInput `json:"items"`
}

func agendaItems(in []AgendaItemInput) []agendasvc.Item {
	out := make([]agendasvc.Item, len(in))
	for i, it := range in {
		out[i] = agendasvc.Item{ID: it.ID, Number: it.Number, Title: it.Title}
	}
	return out
}

func (a *API) createAgenda(r *http.Request) (int, any, error) {
	var in AgendaRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	v, err := a.agendas().Create(r.Context(), auth.UserFrom(r.Context()), agendasvc.Draft{Session: in.Session, Items: agendaItems(in.Items)})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, agendaJSON(v), nil
}

func (a *API) getAgenda(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.agendas().Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, agendaJSON(v), nil
}

func (a *API) updateAgenda(r *http.Request) (int, any, error) {
	var in AgendaUpdate
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.agendas().Update(r.Context(), auth.UserFrom(r.Context()), id, agendaItems(in.Items))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, agendaJSON(v), nil
}

func (a *API) putAgenda(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.agendas().PutToAdoption(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, agendaJSON(v), nil
}

// AgendaSummary is one version in a session's list.
type AgendaSummary struct {
	ID         int64        `json:"id"`
	Version    int          `json:"version"`
	Issued     string       `json:"issued"`
	State      agenda.State `json:"state"`
	Pending    bool         `json:"pending"`
	DecisionID *int64       `json:"decision_id"`
}

// SessionAgendaJSON is the agenda a session works on: the adopted version;
// the version whose adoption failed when the session proceeds informally on
// it (informal: true); otherwise the latest version, provisional.
type SessionAgendaJSON struct {
	Session  string          `json:"session"`
	State    agenda.State    `json:"state"`
	Informal bool            `json:"informal"`
	Basis    AgendaJSON      `json:"basis"`
	Versions []AgendaSummary `json:"versions"`
}

func (a *API) sessionAgenda(r *http.Request) (int, any, error) {
	s, err := a.agendas().Session(r.Context(), r.PathValue("code"))
	if err != nil {
		return 0, nil, err
	}
	out := SessionAgendaJSON{Session: s.Code, State: s.State(), Informal: s.Informal, Basis: agendaJSON(*s.Basis), Versions: []AgendaSummary{}}
	for _, v := range s.Versions {
		j := agendaJSON(v)
		out.Versions = append(out.Versions, AgendaSummary{ID: j.ID, Version: j.Version, Issued: j.Issued, State: j.State, Pending: j.Pending, DecisionID: j.DecisionID})
	}
	return http.StatusOK, out, nil
}

// AgendaDiffJSON is the changes from one version to another, item by item
// and language by language (agenda.Diff, domain field names).
type AgendaDiffJSON struct {
	Session string             `json:"session"`
	From    int                `json:"from"`
	To      int                `json:"to"`
	Changes []AgendaChangeJSON `json:"changes"`
}

func (a *API) agendaDiff(r *http.Request) (int, any, error) {
	s, err := a.agendas().Session(r.Context(), r.PathValue("code"))
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	to := s.Latest().Doc.Version
	if v := q.Get("to"); v != "" {
		if to, err = strconv.Atoi(v); err != nil {
			return 0, nil, concord.Errorf(concord.EInvalid, "to", "agendas.error.no_version", "to must be a version number")
		}
	}
	from := max(1, to-1)
	if v := q.Get("from"); v != "" {
		if from, err = strconv.Atoi(v); err != nil {
			return 0, nil, concord.Errorf(concord.EInvalid, "from", "agendas.error.no_version", "from must be a version number")
		}
	}
	d, err := s.Compare(from, to)
	if err != nil {
		return 0, nil, err
	}
	out := AgendaDiffJSON{Session: d.Session, From: from, To: to, Changes: conv(d.Changes, agendaChangeJSON)}
	return http.StatusOK, out, nil
}
