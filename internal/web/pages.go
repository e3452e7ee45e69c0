package web

import (
	"cmp"
	"concord/accreditation"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"concord"
	"concord/internal/signup"
	"concord/internal/statements"
	"concord/internal/store"
)

// pageSize is the number of rows on list pages.
const pageSize = 50

// homeView is the home page: the size of the registry.
type homeView struct{ States, Orgs, Persons int }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	_, orgs, err := s.DB.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 0})
	if err != nil {
		return err
	}
	_, persons, err := s.DB.ListPersons(ctx, store.PersonFilter{Limit: 0})
	if err != nil {
		return err
	}
	p := s.newPage(r, "home.title", homeView{States: len(states), Orgs: orgs, Persons: persons})
	return s.render(w, r, http.StatusOK, "home", p)
}

// stateRow is a State as the list shows it.
type stateRow struct {
	concord.State
	Category string
}

// stateLine is a States-list row with every label resolved in Go: the
// template then has one cheap action per cell instead of a method call per
// label, which matters on a 195-row page.
type stateLine struct {
	ISO3     string
	Name     template.HTML
	Observer bool
	Groups   []groupLabel
	Category string
}

type groupLabel struct{ Code, Kind string }

func stateLines(p *Page, rows []stateRow) []stateLine {
	out := make([]stateLine, len(rows))
	for i, r := range rows {
		l := stateLine{ISO3: r.ISO3, Name: p.Show(r.Names), Observer: r.Status == "observer"}
		if r.Category != "" {
			l.Category = p.T("category." + r.Category)
		}
		for _, g := range r.Groups {
			gl := groupLabel{Code: g.Group}
			if g.Kind != concord.KindFull {
				gl.Kind = p.T("kind." + g.Kind)
			}
			l.Groups = append(l.Groups, gl)
		}
		out[i] = l
	}
	return out
}

// statesView is the list of States, filtered by regional group, with the
// process's classification.
type statesView struct {
	States []stateLine
	Groups []concord.RegionalGroup
	Group  string // the filter
	Scheme concord.ClassificationScheme
}

func (s *Server) statesList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return err
	}
	scheme, cats, err := s.DB.ProcessClassification(ctx, concord.DefaultProcessCode)
	if err != nil {
		return err
	}
	filter := r.URL.Query().Get("group")
	lang := LangFrom(ctx)
	var rows []stateRow
	for _, st := range states {
		if filter != "" && !inGroup(st, filter) {
			continue
		}
		rows = append(rows, stateRow{State: st, Category: cats[st.ISO3]})
	}
	sortStates(rows, lang)
	p := s.newPage(r, "states.title", nil)
	p.Data = statesView{States: stateLines(p, rows), Groups: groups, Group: filter, Scheme: scheme}
	return s.render(w, r, http.StatusOK, "states", p)
}

func inGroup(st concord.State, code string) bool {
	for _, g := range st.Groups {
		if g.Group == code {
			return true
		}
	}
	return false
}

// sortStates orders by the name in the page language. Byte order is a
// fair approximation for one script; full collation can come with search.
func sortStates(rows []stateRow, lang string) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, _, _ := rows[i].Names.In(lang)
		b, _, _ := rows[j].Names.In(lang)
		return a < b
	})
}

func (s *Server) statePage(w http.ResponseWriter, r *http.Request) error {
	return s.showState(w, r, http.StatusOK, "state", nil, nil)
}

func (s *Server) stateEdit(w http.ResponseWriter, r *http.Request) error {
	return s.showState(w, r, http.StatusOK, "state_edit", nil, nil)
}

// stateView is a State's page and its edit form.
type stateView struct {
	State        concord.State
	Delegations  []concord.Delegation
	GroupNames   map[string]concord.Text // regional groups by code
	Schemes      []stateCategory
	SelfCategory string
	Roles        []string // the roles a delegate may have
	// Statements are the State's latest statements (issue 12).
	Statements statements.List
}

// stateCategory is the State's category under one classification scheme.
type stateCategory struct {
	Scheme   concord.ClassificationScheme
	Category string
}

// showState renders the State page or its edit form (with the user's input
// and the error when a submission failed).
func (s *Server) showState(w http.ResponseWriter, r *http.Request, status int, tmpl string, form url.Values, perr *concord.Error) error {
	ctx := r.Context()
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	st, err := s.DB.GetState(ctx, iso3)
	if err != nil {
		return err
	}
	dels, err := s.DB.ListDelegations(ctx, iso3)
	if err != nil {
		return err
	}
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return err
	}
	gnames := map[string]concord.Text{}
	for _, g := range groups {
		gnames[g.Code] = g.Names
	}
	unctad, ucats, err := s.DB.Classification(ctx, concord.SchemeUNCTAD)
	if err != nil {
		return err
	}
	self, scats, err := s.DB.Classification(ctx, concord.SchemeSelfDeclared)
	if err != nil {
		return err
	}
	stmts, err := s.stateStatements(r, iso3)
	if err != nil {
		return err
	}
	p := s.newPage(r, "state.title", stateView{
		State: st, Delegations: dels, GroupNames: gnames, Statements: stmts,
		Schemes: []stateCategory{
			{Scheme: unctad, Category: ucats[iso3]},
			{Scheme: self, Category: scats[iso3]},
		},
		SelfCategory: scats[iso3], Roles: concord.DelegationRoles,
	})
	p.Title = p.L(st.Names).Text
	if tmpl == "state" {
		p.Feeds = []FeedLink{{p.URL("/states/" + st.ISO3 + "/feed.atom"), p.T("feed.state", "State", p.Title)}}
	}
	p.Form, p.Err = form, perr
	return s.render(w, r, status, tmpl, p)
}

func (s *Server) stateAddDelegate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	if _, err := s.DB.GetState(r.Context(), iso3); err != nil {
		return err
	}
	d := concord.Delegation{State: iso3, Session: r.PostForm.Get("session"), Role: r.PostForm.Get("role")}
	err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error {
		return tx.AddDelegate(&d, r.PostForm.Get("name"), r.PostForm.Get("gender"))
	})
	if de := formError(err); de != nil {
		return s.showState(w, r, Status(de.Code), "state_edit", r.PostForm, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/states/"+iso3+"/edit?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) stateSetCategory(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error {
		return tx.SetSelfDeclared(iso3, r.PostForm.Get("category"))
	})
	if de := formError(err); de != nil {
		return s.showState(w, r, Status(de.Code), "state_edit", r.PostForm, de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/states/"+iso3+"/edit?saved=1", http.StatusSeeOther)
	return nil
}

// formError returns the domain error of a failed submission that the form
// should show next to its field (validation and conflicts), or nil.
func formError(err error) *concord.Error {
	if err == nil {
		return nil
	}
	de := AsDomain(err)
	if de.Code == concord.EInvalid || de.Code == concord.EConflict {
		return de
	}
	return nil
}

// actor names the writer of r in the audit log by the one rule of
// concord.Actor: the signed-in user, else "system".
func actor(r *http.Request) string { return concord.Actor(UserFrom(r.Context())) }

// groupsView lists the regional groups with their member counts, the named
// groups and the IGOs.
type groupsView struct {
	Groups []concord.RegionalGroup
	Counts map[string]int // members by "group/kind"
	Named  []concord.Organization
	IGOs   []concord.Organization
}

func (s *Server) groupsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return err
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, st := range states {
		for _, g := range st.Groups {
			counts[g.Group+"/"+g.Kind]++
		}
	}
	named, _, err := s.DB.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 200})
	if err != nil {
		return err
	}
	igos, _, err := s.DB.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgIGO, Limit: 200})
	if err != nil {
		return err
	}
	p := s.newPage(r, "groups.title", groupsView{Groups: groups, Counts: counts, Named: named, IGOs: igos})
	return s.render(w, r, http.StatusOK, "groups", p)
}

// groupView is a regional group with its members.
type groupView struct {
	Group   *concord.RegionalGroup
	Members []groupMember
}

// groupMember is a State in a group, with the kind of its membership.
type groupMember struct {
	concord.State
	Kind string
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := strings.ToUpper(r.PathValue("code"))
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return err
	}
	var group *concord.RegionalGroup
	for i := range groups {
		if groups[i].Code == code {
			group = &groups[i]
		}
	}
	if group == nil {
		return concord.ErrNotFound
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	var members []groupMember
	for _, st := range states {
		for _, g := range st.Groups {
			if g.Group == code {
				members = append(members, groupMember{st, g.Kind})
			}
		}
	}
	lang := LangFrom(ctx)
	sort.SliceStable(members, func(i, j int) bool {
		a, _, _ := members[i].Names.In(lang)
		b, _, _ := members[j].Names.In(lang)
		return a < b
	})
	p := s.newPage(r, "groups.title", groupView{Group: group, Members: members})
	p.Title = p.L(group.Names).Text
	return s.render(w, r, http.StatusOK, "group", p)
}

// pager is the state of a paginated list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// newPager reads ?page= for a list of total rows shown size at a time and
// returns the pager and the offset of the first row on the page.
func newPager(r *http.Request, total, size int) (pager, int) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := max((total+size-1)/size, 1)
	page = min(max(page, 1), pages)
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return "?" + q.Encode()
	}
	pg := pager{Page: page, Pages: pages, Total: total}
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if page < pages {
		pg.Next = link(page + 1)
	}
	return pg, (page - 1) * size
}

// orgsView is a page of the organisations list with its filter.
type orgsView struct {
	Orgs   []concord.Organization
	Pager  pager
	Filter store.OrgFilter
	Types  []string // the stakeholder types a filter offers
}

func (s *Server) orgsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.OrgFilter{Kind: q.Get("kind"), Type: q.Get("type"), Country: strings.ToUpper(q.Get("country")), Query: q.Get("q")}
	if f.Kind == "" {
		f.Kind = concord.OrgStakeholder
	}
	_, total, err := s.DB.ListOrganizations(r.Context(), store.OrgFilter{Kind: f.Kind, Type: f.Type, Country: f.Country, Query: f.Query})
	if err != nil {
		return err
	}
	pg, offset := newPager(r, total, pageSize)
	f.Limit, f.Offset = pageSize, offset
	orgs, _, err := s.DB.ListOrganizations(r.Context(), f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "orgs.title", orgsView{Orgs: orgs, Pager: pg, Filter: f, Types: concord.StakeholderTypes})
	return s.render(w, r, http.StatusOK, "orgs", p)
}

// registryIndex is what pages that name States and regional groups need:
// the States (in order and by ISO3) and the regional groups with their
// names by code.
type registryIndex struct {
	States     []concord.State
	ByISO      map[string]concord.State
	Groups     []concord.RegionalGroup
	GroupNames map[string]concord.Text
}

// registry reads the regional groups, and the States unless the caller
// already has them, and indexes them.
func (s *Server) registry(ctx context.Context, states []concord.State) (registryIndex, error) {
	x := registryIndex{States: states}
	var err error
	if x.States == nil {
		if x.States, err = s.DB.ListStates(ctx); err != nil {
			return x, err
		}
	}
	if x.Groups, err = s.DB.ListRegionalGroups(ctx); err != nil {
		return x, err
	}
	x.ByISO = make(map[string]concord.State, len(x.States))
	for _, st := range x.States {
		x.ByISO[st.ISO3] = st
	}
	x.GroupNames = make(map[string]concord.Text, len(x.Groups))
	for _, g := range x.Groups {
		x.GroupNames[g.Code] = g.Names
	}
	return x, nil
}

// postedID reads a form posted to a path with an {id}: the id and the form.
func postedID(r *http.Request) (int64, url.Values, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := r.ParseForm(); err != nil {
		return 0, nil, err
	}
	return id, r.PostForm, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.ENotFound, "id", "error.not_found", "malformed id %q", r.PathValue("id"))
	}
	return id, nil
}

// orgView is an organisation's page with its persons.
type orgView struct {
	Org     concord.Organization
	Persons []concord.Person
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return err
	}
	// A pending or rejected sign-up is not public: as if it did not exist.
	if st, err := s.DB.Read(r.Context()).SignupStatus(id); err != nil {
		return err
	} else if !signup.Visible(st, UserFrom(r.Context()), id) {
		return concord.ErrNotFound
	}
	persons, _, err := s.DB.ListPersons(r.Context(), store.PersonFilter{OrgID: id, Limit: 200})
	if err != nil {
		return err
	}
	p := s.newPage(r, "orgs.title", orgView{Org: o, Persons: persons})
	p.Title = p.L(o.Names).Text
	return s.render(w, r, http.StatusOK, "org", p)
}

// orgEditView is the organisation form, to create one or edit it.
type orgEditView struct {
	Org        concord.Organization // as stored; zero for a new one
	Countries  []FieldOption        // the States, by name in the page's language
	Types      []string
	ECOSOC     []FieldOption // the ECOSOC categories, and none
	Duplicates []concord.Organization
	// Registry: the user edits the registry (kind, ECOSOC status), not
	// only a profile.
	Registry bool
}

// orgForm shows the organisation form; dups are the registered
// organisations a new one likely duplicates, to be confirmed.
func (s *Server) orgForm(w http.ResponseWriter, r *http.Request, status int, o concord.Organization, form url.Values, perr error, dups ...concord.Organization) error {
	states, err := s.DB.ListStates(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = orgValues(o)
	}
	rows := make([]stateRow, len(states))
	for i, st := range states {
		rows[i] = stateRow{State: st}
	}
	sortStates(rows, LangFrom(r.Context()))
	p := s.newPage(r, "orgs.edit", nil)
	countries := make([]FieldOption, len(rows))
	for i, st := range rows {
		countries[i] = FieldOption{Value: st.ISO3, Label: p.L(st.Names).Text}
	}
	ecosoc := make([]FieldOption, len(concord.ECOSOCCategories))
	for i, c := range concord.ECOSOCCategories {
		ecosoc[i] = FieldOption{Value: c, Label: p.T("ecosoc." + cmp.Or(c, "none"))}
	}
	p.Data = orgEditView{Org: o, Countries: countries, Types: concord.StakeholderTypes, ECOSOC: ecosoc,
		Duplicates: dups,
		Registry:   concord.Can(UserFrom(r.Context()), concord.ActEditRegistry, concord.Target{})}
	p.Form = form
	p.SetErr(perr) // every problem of the submission, each at its field
	return s.render(w, r, status, "org_edit", p)
}

func orgValues(o concord.Organization) url.Values {
	v := url.Values{"kind": {o.Kind}, "acronym": {o.Acronym}, "type": {o.Type}, "country": {o.Country}, "website": {o.Website}, "ecosoc": {o.ECOSOC}, "ecosoc_id": {o.ECOSOCID}}
	for _, l := range concord.Languages {
		v.Set("name_"+l, o.Names[l])
	}
	return v
}

func orgFromForm(f url.Values) concord.Organization {
	o := concord.Organization{Kind: f.Get("kind"), Names: concord.Text{}, Acronym: strings.TrimSpace(f.Get("acronym")), Type: f.Get("type"),
		Country: f.Get("country"), Website: strings.TrimSpace(f.Get("website")), ECOSOC: f.Get("ecosoc"),
		ECOSOCID: strings.TrimSpace(f.Get("ecosoc_id"))}
	for _, l := range concord.Languages {
		if n := strings.TrimSpace(f.Get("name_" + l)); n != "" {
			o.Names[l] = n
		}
	}
	return o
}

func (s *Server) orgNew(w http.ResponseWriter, r *http.Request) error {
	return s.orgForm(w, r, http.StatusOK, concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo"}, nil, nil)
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	o := orgFromForm(r.PostForm)
	err := s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error {
		// A likely duplicate is shown with the form, to be confirmed.
		if r.PostForm.Get("confirm_duplicate") == "" {
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
		return s.orgForm(w, r, http.StatusConflict, concord.Organization{}, r.PostForm, AsDomain(err), de.Candidates...)
	}
	if de := formError(err); de != nil {
		return s.orgForm(w, r, Status(de.Code), concord.Organization{}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/organizations/"+strconv.FormatInt(o.ID, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return err
	}
	return s.orgForm(w, r, http.StatusOK, o, nil, nil)
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cur, err := s.DB.GetOrganization(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	o := orgFromForm(r.PostForm)
	o.ID, o.Members = id, cur.Members
	// A focal point edits its profile, not what kind of body it is, nor
	// its ECOSOC status.
	o.Kind = cur.Kind
	accreditation.GuardProfile(UserFrom(r.Context()), cur, &o)
	err = s.DB.Update(r.Context(), actor(r), func(tx *store.Tx) error { return tx.UpdateOrganization(&o) })
	if de := formError(err); de != nil {
		return s.orgForm(w, r, Status(de.Code), cur, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/organizations/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

// personsView is a page of the persons list with its filter.
type personsView struct {
	Persons []concord.Person
	Pager   pager
	Filter  store.PersonFilter
}

func (s *Server) personsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.PersonFilter{State: strings.ToUpper(q.Get("state")), Query: q.Get("q")}
	_, total, err := s.DB.ListPersons(r.Context(), f)
	if err != nil {
		return err
	}
	pg, offset := newPager(r, total, pageSize)
	f.Limit, f.Offset = pageSize, offset
	persons, _, err := s.DB.ListPersons(r.Context(), f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "persons.title", personsView{Persons: persons, Pager: pg, Filter: f})
	return s.render(w, r, http.StatusOK, "persons", p)
}

// personView is a person's page with the organisation they belong to.
type personView struct {
	Person concord.Person
	Org    *concord.Organization
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	person, err := s.DB.GetPerson(r.Context(), id)
	if err != nil {
		return err
	}
	var org *concord.Organization
	if person.OrgID != 0 {
		o, err := s.DB.GetOrganization(r.Context(), person.OrgID)
		if err != nil {
			return err
		}
		org = &o
	}
	p := s.newPage(r, "persons.title", personView{Person: person, Org: org})
	p.Title = person.Name
	return s.render(w, r, http.StatusOK, "person", p)
}
