package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
)

// The cooperation and capacity-building portal (issue 13): the needs (the
// public ones for everyone, those kept to States for the States and the
// Secretariat), a need's page with the offers proposed for it and why, the
// offers, and the forms to post and edit them. The service checks who may
// see a need on every read; the routes only say who may write at all.

// PortalPageSize is how many needs or offers a list page shows.
const PortalPageSize = 25

func (s *Server) portalRoutes() []Route {
	return []Route{
		{"GET", "/portal", concord.ActRead, nil, "/portal", s.portalNeeds},
		{"GET", "/portal/needs/new", concord.ActPostNeed, nil, "/portal/needs/new", s.portalNeedNew},
		{"POST", "/portal/needs", concord.ActPostNeed, nil, "/portal/needs", s.portalNeedCreate},
		{"GET", "/portal/needs/{id}", concord.ActRead, nil, "/portal/needs/1", s.portalNeed},
		{"GET", "/portal/needs/{id}/edit", concord.ActPostNeed, nil, "/portal/needs/1/edit", s.portalNeedEdit},
		{"POST", "/portal/needs/{id}", concord.ActPostNeed, nil, "/portal/needs/1", s.portalNeedUpdate},
		{"POST", "/portal/needs/{id}/interest", concord.ActAccount, nil, "/portal/needs/1/interest", s.portalInterest},
		{"GET", "/portal/offers", concord.ActRead, nil, "/portal/offers", s.portalOffers},
		{"GET", "/portal/offers/new", concord.ActOffer, nil, "/portal/offers/new", s.portalOfferNew},
		{"POST", "/portal/offers", concord.ActOffer, nil, "/portal/offers", s.portalOfferCreate},
		{"GET", "/portal/offers/{id}", concord.ActRead, nil, "/portal/offers/1", s.portalOffer},
		{"GET", "/portal/offers/{id}/edit", concord.ActOffer, nil, "/portal/offers/1/edit", s.portalOfferEdit},
		{"POST", "/portal/offers/{id}", concord.ActOffer, nil, "/portal/offers/1", s.portalOfferUpdate},
	}
}

func (s *Server) portalSvc() *portal.Service {
	return &portal.Service{DB: s.DB, Process: s.Decide.Process}
}

// Area shows an area's name in the page's language.
func (p *Page) Area(a capacity.Area) template.HTML {
	info, ok := capacity.Lookup(a)
	if !ok {
		return template.HTML(template.HTMLEscapeString(string(a)))
	}
	if info.Letter != "" {
		return template.HTML(template.HTMLEscapeString(p.T("portal.norm_letter", "Letter", info.Letter))+" ") + p.Show(info.Name)
	}
	return p.Show(info.Name)
}

// Timeframe shows a date range.
func (p *Page) Timeframe(from, until time.Time) string {
	// Each date in a left-to-right isolate (U+2066 … U+2069), so that an
	// Arabic sentence does not reorder its digits and hyphens.
	iso := func(t time.Time) string { return "\u2066" + t.Format(time.DateOnly) + "\u2069" }
	return p.T("portal.timeframe", "From", iso(from), "Until", iso(until))
}

// Regions lists regional groups by name ("any region" when none).
func (p *Page) Regions(rs []string) string {
	if len(rs) == 0 {
		return p.T("portal.region.any")
	}
	var out []string
	for _, r := range rs {
		out = append(out, p.T("portal.region."+r))
	}
	return p.Join(out)
}

// LangList names languages.
func (p *Page) LangList(ls []string) string {
	var out []string
	for _, l := range ls {
		out = append(out, p.LangLabel(l))
	}
	return p.Join(out)
}

// Explain says in the page's language what one criterion of a match found.
func (p *Page) Explain(c capacity.Check) string {
	key := "portal.check." + string(c.Criterion) + ".unmet"
	if c.Met {
		key = "portal.check." + string(c.Criterion) + ".met"
	}
	common := ""
	switch c.Criterion {
	case capacity.ByLanguage:
		common = p.LangList(c.Common)
	case capacity.ByRegion:
		common = p.Regions(c.Common)
	}
	return p.T(key, "Common", common, "Days", c.Days)
}

// portalNames are the display names of the States and organisations a page
// names, read once per page.
type portalNames struct {
	states map[string]concord.Text
	orgs   map[int64]concord.Organization
}

func (s *Server) portalNames(r *http.Request, orgs []int64) (portalNames, error) {
	var n portalNames
	var err error
	if n.states, _, err = s.stateNames(r); err != nil {
		return n, err
	}
	if len(orgs) > 0 {
		n.orgs, err = s.DB.Read(r.Context()).OrganizationsByID(orgs)
	}
	return n, err
}

func (n portalNames) provider(p *Page, pr capacity.Provider) template.HTML {
	if pr.State != "" {
		return p.Show(n.states[pr.State])
	}
	if o, ok := n.orgs[pr.OrgID]; ok {
		return p.Show(o.Names)
	}
	return template.HTML(strconv.FormatInt(pr.OrgID, 10))
}

// needRow is a need in a list.
type needRow struct {
	capacity.Need
	StateName template.HTML
}

// portalNeedsView is the needs list.
type portalNeedsView struct {
	Rows      []needRow
	Total     int
	Pager     pager
	Areas     []capacity.AreaInfo
	Area      string
	CanPost   bool
	CanOffer  bool
	SeesAll   bool // the reader sees the needs kept to States
	Filtering bool
}

// readArea reads an area filter: empty for all, else a known area.
func readArea(raw string) (capacity.Area, error) {
	if raw == "" {
		return "", nil
	}
	if _, ok := capacity.Lookup(capacity.Area(raw)); !ok {
		return "", concord.Errorf(concord.EInvalid, "area", "portal.error.area", "choose an area")
	}
	return capacity.Area(raw), nil
}

func (s *Server) portalNeeds(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	q := r.URL.Query()
	v := portalNeedsView{Areas: capacity.Areas, Area: q.Get("area"), CanPost: concord.Can(u, concord.ActPostNeed, concord.Target{}),
		CanOffer: concord.Can(u, concord.ActOffer, concord.Target{}), SeesAll: concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{})}
	p := s.newPage(r, "portal.title", nil)
	area, err := readArea(v.Area)
	status := http.StatusOK
	if err != nil {
		p.SetErr(err)
		status = Status(concord.EInvalid)
	} else {
		page, _ := strconv.Atoi(q.Get("page"))
		offset := (max(page, 1) - 1) * PortalPageSize
		l, err := s.portalSvc().Needs(r.Context(), u, area, "", PortalPageSize, offset)
		if err != nil {
			return err
		}
		pg, at := newPager(r, l.Total, PortalPageSize)
		if at != offset {
			if l, err = s.portalSvc().Needs(r.Context(), u, area, "", PortalPageSize, at); err != nil {
				return err
			}
		}
		names, _, err := s.stateNames(r)
		if err != nil {
			return err
		}
		v.Pager, v.Total, v.Filtering = pg, l.Total, area != ""
		for _, n := range l.Needs {
			v.Rows = append(v.Rows, needRow{Need: n, StateName: p.Show(names[n.State])})
		}
	}
	p.Data = v
	return s.render(w, r, status, "portal_needs", p)
}

// proposalRow is an offer proposed for a need, as the need's page shows it.
type proposalRow struct {
	portal.Proposal
	ProviderName template.HTML
	Agreed       bool
	Beneficiary  bool // the State in need has expressed interest
	Provider     bool // the provider has
	// Project is the project the match became (0: none yet); MakeProject
	// says whether the reader may make it one now.
	Project     int64
	MakeProject bool
}

// portalNeedView is a need's page.
type portalNeedView struct {
	Need       capacity.Need
	StateName  template.HTML
	CanEdit    bool
	Proposals  []proposalRow
	Considered int
	Interested int64 // the offer whose interest was just recorded
}

func (s *Server) portalNeed(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	m, err := s.portalSvc().Matches(r.Context(), u, id)
	if err != nil {
		return err
	}
	var orgs []int64
	for _, x := range m.Proposals {
		if x.Offer.Provider.OrgID != 0 {
			orgs = append(orgs, x.Offer.Provider.OrgID)
		}
	}
	names, err := s.portalNames(r, orgs)
	if err != nil {
		return err
	}
	p := s.newPage(r, "portal.need", nil)
	p.Title = m.Need.Title
	v := portalNeedView{Need: m.Need, StateName: p.Show(names.states[m.Need.State]), Considered: m.Considered,
		CanEdit: concord.Can(u, concord.ActPostNeed, concord.Target{State: m.Need.State})}
	v.Interested, _ = strconv.ParseInt(r.URL.Query().Get("interest"), 10, 64)
	projects, err := s.DB.Read(r.Context()).ProjectsOfNeed(m.Need.ID)
	if err != nil {
		return err
	}
	for _, x := range m.Proposals {
		row := proposalRow{Proposal: x, ProviderName: names.provider(p, x.Offer.Provider),
			Agreed: x.Interests.Agreed(), Beneficiary: x.Interests.Has(capacity.SideBeneficiary), Provider: x.Interests.Has(capacity.SideProvider),
			Project: projects[x.Offer.ID]}
		row.MakeProject = row.Agreed && row.Project == 0 && capacity.CanCreateFromMatch(u, m.Need, x.Offer)
		v.Proposals = append(v.Proposals, row)
	}
	p.Data = v
	return s.render(w, r, http.StatusOK, "portal_need", p)
}

func (s *Server) portalInterest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	offer, err := strconv.ParseInt(r.PostForm.Get("offer"), 10, 64)
	if err != nil || offer <= 0 {
		return concord.Errorf(concord.EInvalid, "offer", "portal.error.no_offer", "no offer %q", r.PostForm.Get("offer"))
	}
	if _, err := s.portalSvc().ExpressInterest(r.Context(), UserFrom(r.Context()), id, offer); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/needs/"+strconv.FormatInt(id, 10)+"?interest="+strconv.FormatInt(offer, 10)+"#offer-"+strconv.FormatInt(offer, 10), http.StatusSeeOther)
	return nil
}

// portalCheck is one checkbox of a group (languages, regions, areas).
type portalCheck struct {
	Value   string
	Label   template.HTML
	Checked bool
}

// portalNeedFormView is the form for a need.
type portalNeedFormView struct {
	Need      *capacity.Need // the need edited; nil for a new one
	Action    string
	Areas     []FieldOption
	Languages []portalCheck
	Regions   []portalCheck
	Visible   []capacity.Visibility
}

func areaOptions(p *Page, selected []string) []FieldOption {
	out := []FieldOption{{Value: "", Label: p.T("portal.choose_area")}}
	for _, a := range capacity.Areas {
		label := p.L(a.Name).Text
		if a.Letter != "" {
			label = p.T("portal.norm_letter", "Letter", a.Letter) + " " + label
		}
		out = append(out, FieldOption{Value: string(a.Code), Label: label, Selected: slices.Contains(selected, string(a.Code))})
	}
	return out
}

func langChecks(p *Page, form url.Values) []portalCheck {
	var out []portalCheck
	for _, l := range concord.Languages {
		out = append(out, portalCheck{Value: l, Label: template.HTML(template.HTMLEscapeString(p.LangLabel(l))), Checked: slices.Contains(form["languages"], l)})
	}
	return out
}

func regionChecks(p *Page, form url.Values) []portalCheck {
	var out []portalCheck
	for _, r := range capacity.Regions {
		out = append(out, portalCheck{Value: r, Label: template.HTML(template.HTMLEscapeString(p.T("portal.region." + r))), Checked: slices.Contains(form["regions"], r)})
	}
	return out
}

func (s *Server) showNeedForm(w http.ResponseWriter, r *http.Request, status int, f portalNeedFormView, form url.Values, err error) error {
	p := s.newPage(r, "portal.need_new", nil)
	if f.Need != nil {
		p.Title = p.T("portal.need_edit")
	}
	f.Areas, f.Languages, f.Regions, f.Visible = areaOptions(p, form["area"]), langChecks(p, form), regionChecks(p, form), capacity.Visibilities
	p.Data, p.Form = f, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "portal_need_form", p)
}

// readDate reads a date field ("2006-01-02"); an unreadable one is added to
// unread (an empty one is the domain's to report as missing).
func readDate(form url.Values, field string, unread *concord.Errors) time.Time {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "portal.error.date", "%s is not a date (YYYY-MM-DD)", field))
	}
	return t
}

func readNeedForm(form url.Values) portal.NeedInput {
	in := portal.NeedInput{Area: capacity.Area(form.Get("area")), Title: form.Get("title"), Description: form.Get("description"),
		Languages: form["languages"], Regions: form["regions"], Visibility: capacity.Visibility(form.Get("visibility"))}
	in.From, in.Until = readDate(form, "from", &in.Unread), readDate(form, "until", &in.Unread)
	return in
}

func needValues(n capacity.Need) url.Values {
	return url.Values{"area": {string(n.Area)}, "title": {n.Title}, "description": {n.Description}, "languages": n.Languages,
		"regions": n.Regions, "from": {n.From.Format(time.DateOnly)}, "until": {n.Until.Format(time.DateOnly)}, "visibility": {string(n.Visibility)}}
}

func (s *Server) portalNeedNew(w http.ResponseWriter, r *http.Request) error {
	return s.showNeedForm(w, r, http.StatusOK, portalNeedFormView{Action: "/portal/needs"}, url.Values{"visibility": {string(capacity.Public)}}, nil)
}

func (s *Server) portalNeedCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := s.portalSvc().PostNeed(r.Context(), UserFrom(r.Context()), readNeedForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showNeedForm(w, r, Status(de.Code), portalNeedFormView{Action: "/portal/needs"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/needs/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
	return nil
}

// ownNeed reads need id for an edit, refusing another State's.
func (s *Server) ownNeed(r *http.Request) (capacity.Need, error) {
	id, err := pathID(r)
	if err != nil {
		return capacity.Need{}, err
	}
	u := UserFrom(r.Context())
	n, err := s.portalSvc().Need(r.Context(), u, id)
	if err != nil {
		return n, err
	}
	if !concord.Can(u, concord.ActPostNeed, concord.Target{State: n.State}) {
		return n, concord.Errorf(concord.EForbidden, "", "portal.error.not_own_need", "a State edits its own needs only")
	}
	return n, nil
}

func (s *Server) portalNeedEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.ownNeed(r)
	if err != nil {
		return err
	}
	return s.showNeedForm(w, r, http.StatusOK, portalNeedFormView{Need: &n, Action: "/portal/needs/" + strconv.FormatInt(n.ID, 10)}, needValues(n), nil)
}

func (s *Server) portalNeedUpdate(w http.ResponseWriter, r *http.Request) error {
	n, err := s.ownNeed(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.portalSvc().EditNeed(r.Context(), UserFrom(r.Context()), n.ID, readNeedForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showNeedForm(w, r, Status(de.Code), portalNeedFormView{Need: &n, Action: "/portal/needs/" + strconv.FormatInt(n.ID, 10)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/needs/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
	return nil
}

// offerRow is an offer in a list.
type offerRow struct {
	capacity.Offer
	ProviderName template.HTML
}

// portalOffersView is the offers list.
type portalOffersView struct {
	Rows     []offerRow
	Total    int
	Pager    pager
	Areas    []capacity.AreaInfo
	Area     string
	CanOffer bool
}

func (s *Server) offerRows(r *http.Request, p *Page, offers []capacity.Offer) ([]offerRow, error) {
	var orgs []int64
	for _, o := range offers {
		if o.Provider.OrgID != 0 {
			orgs = append(orgs, o.Provider.OrgID)
		}
	}
	names, err := s.portalNames(r, orgs)
	var rows []offerRow
	for _, o := range offers {
		rows = append(rows, offerRow{Offer: o, ProviderName: names.provider(p, o.Provider)})
	}
	return rows, err
}

func (s *Server) portalOffers(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	q := r.URL.Query()
	v := portalOffersView{Areas: capacity.Areas, Area: q.Get("area"), CanOffer: concord.Can(u, concord.ActOffer, concord.Target{})}
	p := s.newPage(r, "portal.offers", nil)
	area, err := readArea(v.Area)
	status := http.StatusOK
	if err != nil {
		p.SetErr(err)
		status = Status(concord.EInvalid)
	} else {
		page, _ := strconv.Atoi(q.Get("page"))
		offset := (max(page, 1) - 1) * PortalPageSize
		l, err := s.portalSvc().Offers(r.Context(), area, capacity.Provider{}, PortalPageSize, offset)
		if err != nil {
			return err
		}
		pg, at := newPager(r, l.Total, PortalPageSize)
		if at != offset {
			if l, err = s.portalSvc().Offers(r.Context(), area, capacity.Provider{}, PortalPageSize, at); err != nil {
				return err
			}
		}
		v.Pager, v.Total = pg, l.Total
		if v.Rows, err = s.offerRows(r, p, l.Offers); err != nil {
			return err
		}
	}
	p.Data = v
	return s.render(w, r, status, "portal_offers", p)
}

// portalOfferView is an offer's page.
type portalOfferView struct {
	Offer   offerRow
	CanEdit bool
}

func (s *Server) portalOffer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.portalSvc().Offer(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "portal.offer", nil)
	p.Title = o.Title
	rows, err := s.offerRows(r, p, []capacity.Offer{o})
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	p.Data = portalOfferView{Offer: rows[0], CanEdit: concord.Can(u, concord.ActOffer, o.Provider.Target())}
	return s.render(w, r, http.StatusOK, "portal_offer", p)
}

// portalOfferFormView is the form for an offer.
type portalOfferFormView struct {
	Offer     *capacity.Offer
	Action    string
	Kinds     []capacity.OfferKind
	Areas     []portalCheck
	Languages []portalCheck
	Regions   []portalCheck
	// States is offered to the Secretariat, which enters offers received
	// in writing in a State's or an organisation's name.
	States []FieldOption
}

func (s *Server) showOfferForm(w http.ResponseWriter, r *http.Request, status int, f portalOfferFormView, form url.Values, err error) error {
	u := UserFrom(r.Context())
	p := s.newPage(r, "portal.offer_new", nil)
	if f.Offer != nil {
		p.Title = p.T("portal.offer_edit")
	}
	f.Kinds, f.Languages, f.Regions = capacity.OfferKinds, langChecks(p, form), regionChecks(p, form)
	for _, a := range capacity.Areas {
		f.Areas = append(f.Areas, portalCheck{Value: string(a.Code), Label: p.Area(a.Code), Checked: slices.Contains(form["areas"], string(a.Code))})
	}
	if u != nil && u.Role == concord.RoleSecretariat && f.Offer == nil {
		names, states, e := s.stateNames(r)
		if e != nil {
			return e
		}
		for _, st := range states {
			f.States = append(f.States, FieldOption{Value: st.ISO3, Label: p.L(names[st.ISO3]).Text + " (" + st.ISO3 + ")", Selected: form.Get("provider_state") == st.ISO3})
		}
	}
	p.Data, p.Form = f, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "portal_offer_form", p)
}

func readOfferForm(form url.Values) portal.OfferInput {
	in := portal.OfferInput{Kind: capacity.OfferKind(form.Get("kind")), Title: form.Get("title"), Description: form.Get("description"),
		Languages: form["languages"], Regions: form["regions"]}
	for _, a := range form["areas"] {
		in.Areas = append(in.Areas, capacity.Area(a))
	}
	in.Provider.State = form.Get("provider_state")
	if raw := strings.TrimSpace(form.Get("provider_org")); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "provider", "portal.error.provider", "an offer is made by one State or one organisation"))
		}
		in.Provider.OrgID = id
	}
	in.From, in.Until = readDate(form, "from", &in.Unread), readDate(form, "until", &in.Unread)
	return in
}

func offerValues(o capacity.Offer) url.Values {
	v := url.Values{"kind": {string(o.Kind)}, "title": {o.Title}, "description": {o.Description}, "languages": o.Languages,
		"regions": o.Regions, "from": {o.From.Format(time.DateOnly)}, "until": {o.Until.Format(time.DateOnly)}}
	for _, a := range o.Areas {
		v.Add("areas", string(a))
	}
	return v
}

func (s *Server) portalOfferNew(w http.ResponseWriter, r *http.Request) error {
	return s.showOfferForm(w, r, http.StatusOK, portalOfferFormView{Action: "/portal/offers"}, url.Values{}, nil)
}

func (s *Server) portalOfferCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	o, err := s.portalSvc().PostOffer(r.Context(), UserFrom(r.Context()), readOfferForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showOfferForm(w, r, Status(de.Code), portalOfferFormView{Action: "/portal/offers"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/offers/"+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
	return nil
}

// ownOffer reads offer id for an edit, refusing another provider's.
func (s *Server) ownOffer(r *http.Request) (capacity.Offer, error) {
	id, err := pathID(r)
	if err != nil {
		return capacity.Offer{}, err
	}
	o, err := s.portalSvc().Offer(r.Context(), id)
	if err != nil {
		return o, err
	}
	if !concord.Can(UserFrom(r.Context()), concord.ActOffer, o.Provider.Target()) {
		return o, concord.Errorf(concord.EForbidden, "", "portal.error.not_own_offer", "an offer is edited by the one who made it")
	}
	return o, nil
}

func (s *Server) portalOfferEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ownOffer(r)
	if err != nil {
		return err
	}
	return s.showOfferForm(w, r, http.StatusOK, portalOfferFormView{Offer: &o, Action: "/portal/offers/" + strconv.FormatInt(o.ID, 10)}, offerValues(o), nil)
}

func (s *Server) portalOfferUpdate(w http.ResponseWriter, r *http.Request) error {
	o, err := s.ownOffer(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.portalSvc().EditOffer(r.Context(), UserFrom(r.Context()), o.ID, readOfferForm(r.PostForm))
	if de := formError(err); de != nil {
		return s.showOfferForm(w, r, Status(de.Code), portalOfferFormView{Offer: &o, Action: "/portal/offers/" + strconv.FormatInt(o.ID, 10)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/portal/offers/"+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
	return nil
}
