package api

import (
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/store"
)

// StateJSON is a State in the API.
type StateJSON struct {
	ISO3           string            `json:"iso3"`
	ISO2           string            `json:"iso2"`
	M49            int               `json:"m49"`
	Status         string            `json:"status"`
	Names          map[string]string `json:"names"`
	RegionalGroups []MembershipJSON  `json:"regional_groups"`
}

// MembershipJSON is a dated regional group membership.
type MembershipJSON struct {
	Group string  `json:"group"`
	Kind  string  `json:"kind"`
	Since string  `json:"since"`
	Until *string `json:"until"`
	Note  string  `json:"note,omitempty"`
}

func stateJSON(s concord.State) StateJSON {
	out := StateJSON{ISO3: s.ISO3, ISO2: s.ISO2, M49: s.M49, Status: s.Status, Names: s.Names, RegionalGroups: []MembershipJSON{}}
	for _, m := range s.Groups {
		mj := MembershipJSON{Group: m.Group, Kind: m.Kind, Since: m.Since.Format(time.DateOnly), Note: m.Note}
		if !m.Until.IsZero() {
			u := m.Until.Format(time.DateOnly)
			mj.Until = &u
		}
		out.RegionalGroups = append(out.RegionalGroups, mj)
	}
	return out
}

func (a *API) listStates(r *http.Request) (int, any, error) {
	states, err := a.DB.ListStates(r.Context())
	if err != nil {
		return 0, nil, err
	}
	group := r.URL.Query().Get("group")
	out := List[StateJSON]{Items: []StateJSON{}}
	for _, s := range states {
		if group != "" && !hasGroup(s, group) {
			continue
		}
		out.Items = append(out.Items, stateJSON(s))
	}
	out.Total, out.Limit = len(out.Items), len(out.Items)
	return http.StatusOK, out, nil
}

func hasGroup(s concord.State, code string) bool {
	for _, m := range s.Groups {
		if m.Group == code {
			return true
		}
	}
	return false
}

func (a *API) getState(r *http.Request) (int, any, error) {
	s, err := a.DB.GetState(r.Context(), strings.ToUpper(r.PathValue("iso3")))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, stateJSON(s), nil
}

// ClassificationJSON is a State's self-declared development category.
type ClassificationJSON struct {
	State    string `json:"state,omitempty"`
	Scheme   string `json:"scheme,omitempty"`
	Category string `json:"category"`
}

// setClassification records a Member State's self-declared development
// category: the State's delegate or the Secretariat (the twin of the State
// page's form).
func (a *API) setClassification(r *http.Request) (int, any, error) {
	var in ClassificationJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	if err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error { return tx.SetSelfDeclared(iso3, in.Category) }); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ClassificationJSON{State: iso3, Scheme: concord.SchemeSelfDeclared, Category: in.Category}, nil
}

// GroupJSON is a regional group.
type GroupJSON struct {
	Code  string            `json:"code"`
	Names map[string]string `json:"names"`
}

func (a *API) listGroups(r *http.Request) (int, any, error) {
	gs, err := a.DB.ListRegionalGroups(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := List[GroupJSON]{Items: []GroupJSON{}, Total: len(gs), Limit: len(gs)}
	for _, g := range gs {
		out.Items = append(out.Items, GroupJSON{g.Code, g.Names})
	}
	return http.StatusOK, out, nil
}

// GroupMemberJSON is a State's membership as a regional group lists it.
type GroupMemberJSON struct {
	ISO3  string  `json:"iso3"`
	Kind  string  `json:"kind"`
	Since string  `json:"since"`
	Until *string `json:"until"`
}

// GroupDetailJSON is a regional group with its members.
type GroupDetailJSON struct {
	Code    string            `json:"code"`
	Names   map[string]string `json:"names"`
	Members []GroupMemberJSON `json:"members"`
}

func (a *API) getGroup(r *http.Request) (int, any, error) {
	code := strings.ToUpper(r.PathValue("code"))
	gs, err := a.DB.ListRegionalGroups(r.Context())
	if err != nil {
		return 0, nil, err
	}
	for _, g := range gs {
		if g.Code != code {
			continue
		}
		states, err := a.DB.ListStates(r.Context())
		if err != nil {
			return 0, nil, err
		}
		out := GroupDetailJSON{Code: g.Code, Names: g.Names, Members: []GroupMemberJSON{}}
		for _, s := range states {
			for _, m := range stateJSON(s).RegionalGroups {
				if m.Group == code {
					out.Members = append(out.Members, GroupMemberJSON{ISO3: s.ISO3, Kind: m.Kind, Since: m.Since, Until: m.Until})
				}
			}
		}
		return http.StatusOK, out, nil
	}
	return 0, nil, concord.ErrNotFound
}

// DelegationJSON is a person in a State's delegation to a session.
type DelegationJSON struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	Session  string `json:"session"`
	PersonID int64  `json:"person_id"`
	Person   string `json:"person"`
	Role     string `json:"role"`
}

func (a *API) listDelegations(r *http.Request) (int, any, error) {
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	if _, err := a.DB.GetState(r.Context(), iso3); err != nil {
		return 0, nil, err
	}
	ds, err := a.DB.ListDelegations(r.Context(), iso3)
	if err != nil {
		return 0, nil, err
	}
	out := List[DelegationJSON]{Items: []DelegationJSON{}, Total: len(ds), Limit: len(ds)}
	for _, d := range ds {
		out.Items = append(out.Items, DelegationJSON{d.ID, d.State, d.Session, d.PersonID, d.Person, d.Role})
	}
	return http.StatusOK, out, nil
}

// SchemeJSON is a development classification scheme with each State's category.
type SchemeJSON struct {
	Code       string            `json:"code"`
	Names      map[string]string `json:"names"`
	Source     string            `json:"source"`
	Dated      string            `json:"dated"`
	Editable   bool              `json:"editable"`
	Categories map[string]string `json:"categories"`
}

func (a *API) getScheme(r *http.Request) (int, any, error) {
	s, cats, err := a.DB.Classification(r.Context(), r.PathValue("code"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, SchemeJSON{s.Code, s.Names, s.Source, s.Dated.Format(time.DateOnly), s.Editable, cats}, nil
}

// OrgJSON is an organisation in the API, for reading and writing.
type OrgJSON struct {
	ID      int64             `json:"id,omitempty"`
	Kind    string            `json:"kind"`
	Names   map[string]string `json:"names"`
	Acronym string            `json:"acronym"`
	Type    string            `json:"type"`
	Country string            `json:"country"`
	Website string            `json:"website"`
	ECOSOC  string            `json:"ecosoc"`
	// ECOSOCID is the identifier on the ECOSOC list; only the Secretariat
	// sets it and ECOSOC, a focal point's value is ignored.
	ECOSOCID string   `json:"ecosoc_id"`
	Members  []string `json:"members"`
	Updated  string   `json:"updated,omitempty"`
}

func orgJSON(o concord.Organization) OrgJSON {
	m := o.Members
	if m == nil {
		m = []string{}
	}
	return OrgJSON{ID: o.ID, Kind: o.Kind, Names: o.Names, Acronym: o.Acronym, Type: o.Type, Country: o.Country,
		Website: o.Website, ECOSOC: o.ECOSOC, ECOSOCID: o.ECOSOCID, Members: m, Updated: o.Updated.Format(time.RFC3339)}
}

func (j OrgJSON) domain() concord.Organization {
	return concord.Organization{ID: j.ID, Kind: j.Kind, Names: j.Names, Acronym: j.Acronym, Type: j.Type,
		Country: strings.ToUpper(j.Country), Website: j.Website, ECOSOC: j.ECOSOC, ECOSOCID: j.ECOSOCID, Members: j.Members}
}

func (a *API) listOrgs(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	limit, offset, err := page(q)
	if err != nil {
		return 0, nil, err
	}
	f := store.OrgFilter{Kind: q.Get("kind"), Type: q.Get("type"), Country: strings.ToUpper(q.Get("country")), Query: q.Get("q"), Limit: limit, Offset: offset}
	orgs, total, err := a.DB.ListOrganizations(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	out := List[OrgJSON]{Items: []OrgJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, o := range orgs {
		out.Items = append(out.Items, orgJSON(o))
	}
	return http.StatusOK, out, nil
}

func (a *API) getOrg(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	o, err := a.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, orgJSON(o), nil
}

func (a *API) createOrg(r *http.Request) (int, any, error) {
	var in OrgJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	o := in.domain()
	o.ID = 0
	if err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error { return tx.CreateOrganization(&o) }); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, orgJSON(o), nil
}

func (a *API) updateOrg(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var in OrgJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	o := in.domain()
	o.ID = id
	u := auth.UserFrom(r.Context())
	if !concord.Can(u, concord.ActEditRegistry, concord.Target{}) {
		// A focal point edits its profile, not its kind or group members.
		o.Kind, o.Members = cur.Kind, cur.Members
	}
	concord.AccreditationGuardProfile(u, cur, &o)
	if err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error { return tx.UpdateOrganization(&o) }); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, orgJSON(o), nil
}

// PersonJSON is a person in the API.
type PersonJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Gender string `json:"gender,omitempty"`
	State  string `json:"state,omitempty"`
	OrgID  int64  `json:"organization_id,omitempty"`
}

func personJSON(p concord.Person) PersonJSON {
	return PersonJSON{ID: p.ID, Name: p.Name, Gender: p.Gender, State: p.State, OrgID: p.OrgID}
}

func (a *API) listPersons(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	limit, offset, err := page(q)
	if err != nil {
		return 0, nil, err
	}
	ps, total, err := a.DB.ListPersons(r.Context(), store.PersonFilter{State: strings.ToUpper(q.Get("state")), Query: q.Get("q"), Limit: limit, Offset: offset})
	if err != nil {
		return 0, nil, err
	}
	out := List[PersonJSON]{Items: []PersonJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, p := range ps {
		out.Items = append(out.Items, personJSON(p))
	}
	return http.StatusOK, out, nil
}

func (a *API) getPerson(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.DB.GetPerson(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, personJSON(p), nil
}

// LogJSON is a procedural-log entry; confidential entries have no actor
// or object id unless the viewer may see the full log.
type LogJSON struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id,omitempty"`
	Actor      string `json:"actor,omitempty"`
	Redacted   bool   `json:"redacted"`
	Hash       string `json:"hash"`
	PrevHash   string `json:"prev_hash"`
}

func (a *API) listLog(r *http.Request) (int, any, error) {
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	entries, total, err := a.DB.ListAudit(r.Context(), limit, offset)
	if err != nil {
		return 0, nil, err
	}
	full := concord.Can(auth.UserFrom(r.Context()), concord.ActViewAuditFull, concord.Target{})
	out := List[LogJSON]{Items: []LogJSON{}, Total: int(total), Limit: limit, Offset: offset}
	for _, e := range entries {
		e, redacted := audit.Redact(e, full)
		j := LogJSON{Seq: e.Seq, At: e.At.Format(time.RFC3339Nano), Action: e.Action, ObjectType: e.ObjectType,
			ObjectID: e.ObjectID, Actor: e.Actor, Redacted: redacted, Hash: hexs(e.Hash), PrevHash: hexs(e.PrevHash)}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, len(b)*2)
	for i, c := range b {
		out[i*2], out[i*2+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// SessionRequest is the body of POST /sessions.
type SessionRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// SessionJSON is a new API session: send the token as "Authorization: Bearer".
type SessionJSON struct {
	Token   string `json:"token"`
	Expires string `json:"expires"`
}

func (a *API) createSession(r *http.Request) (int, any, error) {
	var in SessionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Username == "" {
		return 0, nil, concord.Errorf(concord.EInvalid, "username", "error.required", "username is required")
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	token, _, expires, err := auth.Login(r.Context(), a.DB, in.Username, in.Password, host)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, SessionJSON{Token: token, Expires: expires.UTC().Format(time.RFC3339)}, nil
}

// MeJSON is the signed-in account.
type MeJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Role     string `json:"role"`
	State    string `json:"state,omitempty"`
	OrgID    int64  `json:"organization_id,omitempty"`
}

func (a *API) me(r *http.Request) (int, any, error) {
	u := auth.UserFrom(r.Context())
	return http.StatusOK, MeJSON{u.ID, u.Username, string(u.Role), u.State, u.OrgID}, nil
}
