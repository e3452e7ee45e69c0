package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/auth"
	"concord/internal/portal"
)

// The cooperation and capacity-building portal: the twins of the
// /{lang}/portal pages. A need kept to States is "not found" for anyone
// outside the States and the Secretariat, and left out of their lists: the
// service checks it on every read.

func (a *API) portalRoutes() []Route {
	return []Route{
		{"GET", "/portal/areas", concord.ActRead, nil, "/portal/areas", a.portalAreas},
		{"GET", "/portal/needs", concord.ActRead, nil, "/portal/needs", a.listNeeds},
		{"POST", "/portal/needs", concord.ActPostNeed, nil, "/portal/needs", a.postNeed},
		{"GET", "/portal/needs/{id}", concord.ActRead, nil, "/portal/needs/1", a.getNeed},
		{"PUT", "/portal/needs/{id}", concord.ActPostNeed, nil, "/portal/needs/1", a.editNeed},
		{"GET", "/portal/needs/{id}/matches", concord.ActRead, nil, "/portal/needs/1/matches", a.needMatches},
		{"POST", "/portal/needs/{id}/interests", concord.ActAccount, nil, "/portal/needs/1/interests", a.expressInterest},
		{"GET", "/portal/offers", concord.ActRead, nil, "/portal/offers", a.listOffers},
		{"POST", "/portal/offers", concord.ActOffer, nil, "/portal/offers", a.postOffer},
		{"GET", "/portal/offers/{id}", concord.ActRead, nil, "/portal/offers/1", a.getOffer},
		{"PUT", "/portal/offers/{id}", concord.ActOffer, nil, "/portal/offers/1", a.editOffer},
	}
}

func (a *API) portal() *portal.Service {
	return &portal.Service{DB: a.Decide.DB, Process: a.Decide.Process}
}

// AreaJSON is an area of the portal: a pillar or a norm, named in the six
// languages.
type AreaJSON struct {
	Code   capacity.Area  `json:"code"`
	Group  capacity.Group `json:"group"`
	Letter *string        `json:"letter"`
	Name   concord.Text   `json:"name"`
}

func (a *API) portalAreas(*http.Request) (int, any, error) {
	out := make([]AreaJSON, 0, len(capacity.Areas))
	for _, x := range capacity.Areas {
		out = append(out, AreaJSON{Code: x.Code, Group: x.Group, Letter: orNull(x.Letter), Name: x.Name})
	}
	return http.StatusOK, out, nil
}

// NeedJSON is a need: dates as YYYY-MM-DD.
type NeedJSON struct {
	ID          int64               `json:"id"`
	State       string              `json:"state"`
	Area        capacity.Area       `json:"area"`
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Languages   []string            `json:"languages"`
	Regions     []string            `json:"regions"`
	From        string              `json:"from"`
	Until       string              `json:"until"`
	Visibility  capacity.Visibility `json:"visibility"`
	Created     time.Time           `json:"created"`
	Updated     time.Time           `json:"updated"`
}

func needJSON(n capacity.Need) NeedJSON {
	return NeedJSON{ID: n.ID, State: n.State, Area: n.Area, Title: n.Title, Description: n.Description, Languages: strs(n.Languages),
		Regions: strs(n.Regions), From: n.From.Format(time.DateOnly), Until: n.Until.Format(time.DateOnly), Visibility: n.Visibility,
		Created: n.Created.UTC(), Updated: n.Updated.UTC()}
}

// ProviderJSON is who makes an offer: a State or an organisation.
type ProviderJSON struct {
	State        *string `json:"state"`
	Organization *int64  `json:"organization"`
}

// OfferJSON is an offer: dates as YYYY-MM-DD.
type OfferJSON struct {
	ID          int64              `json:"id"`
	Provider    ProviderJSON       `json:"provider"`
	Kind        capacity.OfferKind `json:"kind"`
	Areas       []capacity.Area    `json:"areas"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	Languages   []string           `json:"languages"`
	Regions     []string           `json:"regions"`
	From        string             `json:"from"`
	Until       string             `json:"until"`
	Created     time.Time          `json:"created"`
	Updated     time.Time          `json:"updated"`
}

func offerJSON(o capacity.Offer) OfferJSON {
	p := ProviderJSON{State: orNull(o.Provider.State)}
	if o.Provider.OrgID != 0 {
		id := o.Provider.OrgID
		p.Organization = &id
	}
	areas := o.Areas
	if areas == nil {
		areas = []capacity.Area{}
	}
	return OfferJSON{ID: o.ID, Provider: p, Kind: o.Kind, Areas: areas, Title: o.Title, Description: o.Description,
		Languages: strs(o.Languages), Regions: strs(o.Regions), From: o.From.Format(time.DateOnly), Until: o.Until.Format(time.DateOnly),
		Created: o.Created.UTC(), Updated: o.Updated.UTC()}
}

func queryArea(r *http.Request) (capacity.Area, error) {
	raw := r.URL.Query().Get("area")
	if raw == "" {
		return "", nil
	}
	if _, ok := capacity.Lookup(capacity.Area(raw)); !ok {
		return "", concord.Errorf(concord.EInvalid, "area", "portal.error.area", "choose an area")
	}
	return capacity.Area(raw), nil
}

func (a *API) listNeeds(r *http.Request) (int, any, error) {
	area, err := queryArea(r)
	if err != nil {
		return 0, nil, err
	}
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	state := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("state")))
	l, err := a.portal().Needs(r.Context(), auth.UserFrom(r.Context()), area, state, limit, offset)
	if err != nil {
		return 0, nil, err
	}
	out := List[NeedJSON]{Items: make([]NeedJSON, 0, len(l.Needs)), Total: l.Total, Limit: limit, Offset: offset}
	for _, n := range l.Needs {
		out.Items = append(out.Items, needJSON(n))
	}
	return http.StatusOK, out, nil
}

// NeedRequest posts a need or replaces one's details: dates as YYYY-MM-DD;
// visibility "public" (the default) or "states".
type NeedRequest struct {
	Area        string   `json:"area"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Languages   []string `json:"languages"`
	Regions     []string `json:"regions"`
	From        string   `json:"from"`
	Until       string   `json:"until"`
	Visibility  *string  `json:"visibility"`
}

// date reads a YYYY-MM-DD field; an unreadable one goes to unread.
func date(field, s string, unread *concord.Errors) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "portal.error.date", "%s must be a date (YYYY-MM-DD)", field))
	}
	return t
}

func (req NeedRequest) input() portal.NeedInput {
	in := portal.NeedInput{Area: capacity.Area(req.Area), Title: req.Title, Description: req.Description, Languages: req.Languages,
		Regions: req.Regions, Visibility: capacity.Public}
	if req.Visibility != nil {
		in.Visibility = capacity.Visibility(*req.Visibility)
	}
	in.From, in.Until = date("from", req.From, &in.Unread), date("until", req.Until, &in.Unread)
	return in
}

func (a *API) postNeed(r *http.Request) (int, any, error) {
	var req NeedRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	n, err := a.portal().PostNeed(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, needJSON(n), nil
}

func (a *API) getNeed(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	n, err := a.portal().Need(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, needJSON(n), nil
}

func (a *API) editNeed(r *http.Request) (int, any, error) {
	var req NeedRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	n, err := a.portal().EditNeed(r.Context(), auth.UserFrom(r.Context()), id, req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, needJSON(n), nil
}

// MatchCheckJSON is one criterion of a match: met or not, and what the need
// and the offer share on it.
type MatchCheckJSON struct {
	Criterion capacity.Criterion `json:"criterion"`
	Met       bool               `json:"met"`
	Common    []string           `json:"common"`
	Days      int                `json:"days"`
}

// MatchJSON is an offer proposed for a need, its score, why, and who has
// expressed interest.
type MatchJSON struct {
	Offer     OfferJSON        `json:"offer"`
	Score     int              `json:"score"`
	Checks    []MatchCheckJSON `json:"checks"`
	Interests []InterestJSON   `json:"interests"`
	Agreed    bool             `json:"agreed"`
	Side      *capacity.Side   `json:"side"`
}

// InterestJSON is one side's interest in a match.
type InterestJSON struct {
	Need  int64         `json:"need"`
	Offer int64         `json:"offer"`
	Side  capacity.Side `json:"side"`
	At    time.Time     `json:"at"`
}

func interestsJSON(is capacity.Interests) []InterestJSON {
	out := make([]InterestJSON, 0, len(is))
	for _, i := range is {
		out = append(out, InterestJSON{Need: i.Need, Offer: i.Offer, Side: i.Side, At: i.At.UTC()})
	}
	return out
}

// MatchesJSON is a need with the offers proposed for it, best first.
type MatchesJSON struct {
	Need       NeedJSON    `json:"need"`
	Considered int         `json:"considered"`
	Matches    []MatchJSON `json:"matches"`
}

func (a *API) needMatches(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	m, err := a.portal().Matches(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	out := MatchesJSON{Need: needJSON(m.Need), Considered: m.Considered, Matches: make([]MatchJSON, 0, len(m.Proposals))}
	for _, p := range m.Proposals {
		mj := MatchJSON{Offer: offerJSON(p.Offer), Score: p.Score, Checks: []MatchCheckJSON{}, Interests: interestsJSON(p.Interests), Agreed: p.Interests.Agreed()}
		if p.Side != "" {
			side := p.Side
			mj.Side = &side
		}
		for _, c := range p.Checks {
			mj.Checks = append(mj.Checks, MatchCheckJSON{Criterion: c.Criterion, Met: c.Met, Common: strs(c.Common), Days: c.Days})
		}
		out.Matches = append(out.Matches, mj)
	}
	return http.StatusOK, out, nil
}

// InterestRequest expresses interest in the match of the need and an
// offer, on the side the caller acts for.
type InterestRequest struct {
	Offer int64 `json:"offer"`
}

// InterestsJSON is what both sides have said of a match since.
type InterestsJSON struct {
	Interests []InterestJSON `json:"interests"`
	Agreed    bool           `json:"agreed"`
}

func (a *API) expressInterest(r *http.Request) (int, any, error) {
	var req InterestRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	if req.Offer <= 0 {
		return 0, nil, concord.Errorf(concord.EInvalid, "offer", "portal.error.no_offer", "offer must be an offer's id")
	}
	is, err := a.portal().ExpressInterest(r.Context(), auth.UserFrom(r.Context()), id, req.Offer)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, InterestsJSON{Interests: interestsJSON(is), Agreed: is.Agreed()}, nil
}

func (a *API) listOffers(r *http.Request) (int, any, error) {
	area, err := queryArea(r)
	if err != nil {
		return 0, nil, err
	}
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	var p capacity.Provider
	p.State = strings.ToUpper(strings.TrimSpace(q.Get("state")))
	if raw := q.Get("organization"); raw != "" {
		if p.OrgID, err = strconv.ParseInt(raw, 10, 64); err != nil || p.OrgID <= 0 {
			return 0, nil, concord.Errorf(concord.EInvalid, "organization", "portal.error.provider", "organization must be an organisation's id")
		}
	}
	l, err := a.portal().Offers(r.Context(), area, p, limit, offset)
	if err != nil {
		return 0, nil, err
	}
	out := List[OfferJSON]{Items: make([]OfferJSON, 0, len(l.Offers)), Total: l.Total, Limit: limit, Offset: offset}
	for _, o := range l.Offers {
		out.Items = append(out.Items, offerJSON(o))
	}
	return http.StatusOK, out, nil
}

// OfferRequest makes an offer or replaces one's details (not its
// provider). Provider is read from the Secretariat only, which enters
// offers received in writing; others offer in their own name.
type OfferRequest struct {
	Provider    *ProviderJSON `json:"provider"`
	Kind        string        `json:"kind"`
	Areas       []string      `json:"areas"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Languages   []string      `json:"languages"`
	Regions     []string      `json:"regions"`
	From        string        `json:"from"`
	Until       string        `json:"until"`
}

func (req OfferRequest) input() portal.OfferInput {
	in := portal.OfferInput{Kind: capacity.OfferKind(req.Kind), Title: req.Title, Description: req.Description,
		Languages: req.Languages, Regions: req.Regions}
	for _, x := range req.Areas {
		in.Areas = append(in.Areas, capacity.Area(x))
	}
	if p := req.Provider; p != nil {
		if p.State != nil {
			in.Provider.State = *p.State
		}
		if p.Organization != nil {
			in.Provider.OrgID = *p.Organization
		}
	}
	in.From, in.Until = date("from", req.From, &in.Unread), date("until", req.Until, &in.Unread)
	return in
}

func (a *API) postOffer(r *http.Request) (int, any, error) {
	var req OfferRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	o, err := a.portal().PostOffer(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, offerJSON(o), nil
}

func (a *API) getOffer(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	o, err := a.portal().Offer(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, offerJSON(o), nil
}

func (a *API) editOffer(r *http.Request) (int, any, error) {
	var req OfferRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	o, err := a.portal().EditOffer(r.Context(), auth.UserFrom(r.Context()), id, req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, offerJSON(o), nil
}
