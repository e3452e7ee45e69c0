package api

import (
	"concord/accreditation"
	"errors"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/cachectl"
	"concord/internal/signup"
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
	// A pending or rejected sign-up is not public: as if it did not exist.
	if st, err := a.DB.Read(r.Context()).SignupStatus(id); err != nil {
		return 0, nil, err
	} else if !signup.Visible(st, auth.UserFrom(r.Context()), id) {
		return 0, nil, concord.ErrNotFound
	}
	return http.StatusOK, orgJSON(o), nil
}

// NewOrgJSON is an organisation to create. ConfirmDuplicate creates it even
// when it looks like one already registered (same normalised name in any
// language, or same website domain); without it such a request is a 409
// that lists the candidates.
type NewOrgJSON struct {
	OrgJSON
	ConfirmDuplicate bool `json:"confirm_duplicate"`
}

// DuplicatesBody is the 409 answer to a likely duplicate organisation.
type DuplicatesBody struct {
	Error      ErrorDetail     `json:"error"`
	Candidates []CandidateJSON `json:"candidates"`
}

// CandidateJSON is a registered organisation that a new one may duplicate.
type CandidateJSON struct {
	ID      int64             `json:"id"`
	Kind    string            `json:"kind"`
	Names   map[string]string `json:"names"`
	Acronym string            `json:"acronym"`
	Website string            `json:"website"`
}

func (a *API) createOrg(r *http.Request) (int, any, error) {
	var in NewOrgJSON
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	o := in.domain()
	o.ID = 0
	err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error {
		if !in.ConfirmDuplicate {
			dups, err := tx.OrganizationDuplicates(o)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return &store.DuplicatesError{Candidates: dups}
			}
		}
		return tx.CreateOrganization(&o)
	})
	if de, ok := errors.AsType[*store.DuplicatesError](err); ok {
		body := DuplicatesBody{Error: ErrorDetail{Code: concord.EConflict, Field: "names", Message: a.Cat.T(lang(r), "error.org_duplicate", nil)}, Candidates: []CandidateJSON{}}
		for _, c := range de.Candidates {
			body.Candidates = append(body.Candidates, CandidateJSON{ID: c.ID, Kind: c.Kind, Names: c.Names, Acronym: c.Acronym, Website: c.Website})
		}
		return http.StatusConflict, body, nil
	}
	if err != nil {
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
	accreditation.GuardProfile(u, cur, &o)
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
	// Seq is the position in the log; null for a reader without the full
	// log, to whom it would count the confidential entries between two
	// public ones and so place them in time.
	Seq *int64 `json:"seq"`
	// At is the exact time; omitted for a redacted entry, whose time would
	// let it be matched with the public acts around it.
	At         string `json:"at,omitempty"`
	Day        string `json:"day"`
	Action     string `json:"action"`
	Text       string `json:"text"` // what the entry did, as a sentence in the request's language
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id,omitempty"`
	Actor      string `json:"actor,omitempty"`
	Redacted   bool   `json:"redacted"`
	Hash       string `json:"hash"`
	// PrevHash links the entry to the one before; null where Seq is, since
	// the one before may be confidential.
	PrevHash *string `json:"prev_hash"`
}

// LogListJSON is a page of the log. A reader without the full log gets the
// public entries one by one and the confidential ones only as a count per
// day, for days that have ended: nothing finer than the day places them
// among the public acts.
type LogListJSON struct {
	List[LogJSON]
	// Confidential is null for a reader who sees every entry.
	Confidential []LogDayJSON `json:"confidential"`
}

// LogDayJSON is the number of confidential entries written on one day.
type LogDayJSON struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

func (a *API) listLog(r *http.Request) (int, any, error) {
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	f, err := store.ParseAuditFilter(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	full := concord.Can(auth.UserFrom(r.Context()), concord.ActViewAuditFull, concord.Target{})
	// Who may not see the full log gets the public entries, and the
	// confidential ones only counted per ended day (below): listed one by
	// one, even redacted, their places in the sequence would date them
	// between the public acts around them.
	f.PublicOnly = !full
	f.Limit, f.Offset = limit, offset
	entries, total, err := a.DB.AuditPage(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	l := lang(r)
	out := LogListJSON{List: List[LogJSON]{Items: []LogJSON{}, Total: total, Limit: limit, Offset: offset}}
	for _, e := range entries {
		e, redacted := audit.Redact(e, full)
		j := LogJSON{Day: e.At.Format(time.DateOnly), Action: e.Action, Text: a.Cat.T(l, audit.TextID(e.Action), audit.TextData(e)), ObjectType: e.ObjectType,
			ObjectID: e.ObjectID, Actor: e.Actor, Redacted: redacted, Hash: hexs(e.Hash)}
		if full {
			seq, prev := e.Seq, hexs(e.PrevHash)
			j.Seq, j.PrevHash = &seq, &prev
		}
		if !redacted {
			j.At = e.At.Format(time.RFC3339Nano)
		}
		out.Items = append(out.Items, j)
	}
	if !full {
		out.Confidential = []LogDayJSON{}
		// Confidential entries have no kind or subject for this reader.
		if f.Kind == "" && f.ObjectType == "" {
			days, err := a.DB.ConfidentialDays(r.Context(), f.From, f.To)
			if err != nil {
				return 0, nil, err
			}
			now := a.DB.Now()
			for _, d := range store.EndedDays(days, now) {
				out.Confidential = append(out.Confidential, LogDayJSON{Day: d.Format(time.DateOnly), Count: days[d]})
			}
			// Today's count is published at midnight, with no write.
			cachectl.Until(r.Context(), audit.Day(now).AddDate(0, 0, 1))
		}
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
	// Code is the second factor of an account with two-factor sign-in: an
	// authenticator code or a recovery code.
	Code string `json:"code,omitempty"`
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
	token, _, expires, err := auth.Login(r.Context(), a.DB, a.Log, auth.Attempt{Username: in.Username, Password: in.Password, Addr: auth.AddrOf(r), Kind: auth.KindAPI, Code: in.Code})
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

// SessionInfoJSON is one open session of the signed-in account: a browser's
// (kind "browser") or an API token (kind "api").
type SessionInfoJSON struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Created string `json:"created"`
	Expires string `json:"expires"`
	Current bool   `json:"current"`
}

// SessionListJSON lists the open sessions of the signed-in account.
type SessionListJSON struct {
	Items []SessionInfoJSON `json:"items"`
}

func (a *API) mySessions(r *http.Request) (int, any, error) {
	list, err := a.DB.UserSessions(r.Context(), auth.UserFrom(r.Context()).ID)
	if err != nil {
		return 0, nil, err
	}
	cur := auth.SessionFrom(r.Context())
	out := SessionListJSON{Items: []SessionInfoJSON{}}
	for _, s := range list {
		out.Items = append(out.Items, SessionInfoJSON{ID: s.ID, Kind: s.Kind, Created: s.Created.UTC().Format(time.RFC3339),
			Expires: s.Expires.UTC().Format(time.RFC3339), Current: s.ID == cur})
	}
	return http.StatusOK, out, nil
}

func (a *API) revokeSession(r *http.Request) (int, any, error) {
	u := auth.UserFrom(r.Context())
	err := a.DB.Update(r.Context(), actor(r.Context()), func(tx *store.Tx) error {
		return tx.RevokeSession(u.ID, r.PathValue("id"))
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
