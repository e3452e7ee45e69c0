package web

// Stakeholder accreditation pages (domain brief §2 and §7.2): the overview
// of windows, the rules in force, a window with its lists, the accredited
// list as CSV, statistics, simulations under other rules, an application
// with its actions, the inbox of notices and uploaded documents.
//
// Every rule lives in the domain package and every write goes through
// accredit.Service; these handlers only choose what to show. What a viewer
// sees of objections is decided by accreditation.Disclose and by
// nothing else here.
//
// The pages depend on the clock as well as on the data (a window opens,
// closes, reaches its deadline), so they are never served from the page or
// content caches, which are keyed on the data version alone: see fresh.

import (
	"cmp"
	"concord/accreditation"
	"context"
	"encoding/csv"
	"errors"
	"html"
	"html/template"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"concord"
	"concord/internal/accredit"
	"concord/internal/store"
)

// accrPageSize is the number of applications per page of a window's lists.
const accrPageSize = 100

// accrSampleWindow is the window id of the route table's samples.
const accrSampleWindow = "plenary-2025"

func (s *Server) accreditationRoutes() []Route {
	const (
		read   = concord.ActRead
		apply  = concord.ActApplyAccreditation
		manage = concord.ActManageAccreditation
		object = concord.ActObject
	)
	w := "/accreditation/windows/" + accrSampleWindow
	return []Route{
		{"GET", "/accreditation", read, nil, "/accreditation", s.accrOverview},
		{"GET", "/accreditation/rules", read, nil, "/accreditation/rules", s.accrRules},
		{"POST", "/accreditation/rules", concord.ActManageAccreditation, nil, "/accreditation/rules", s.accrAddPolicy},
		{"POST", "/accreditation/windows", manage, nil, "/accreditation/windows", s.accrCreateWindow},
		{"POST", "/accreditation/ecosoc", manage, nil, "/accreditation/ecosoc", s.accrImportECOSOC},
		{"GET", "/accreditation/windows/{id}", read, nil, w, s.accrWindow},
		{"POST", "/accreditation/windows/{id}/circulate", manage, nil, w + "/circulate", s.accrCirculate},
		{"GET", "/accreditation/windows/{id}/accredited.csv", read, nil, w + "/accredited.csv", s.accrCSV},
		{"GET", "/accreditation/windows/{id}/accredited.xlsx", read, nil, w + "/accredited.xlsx", s.accrXLSX},
		{"GET", "/accreditation/windows/{id}/statistics", read, nil, w + "/statistics", s.accrStatistics},
		{"GET", "/accreditation/windows/{id}/simulation", read, nil, w + "/simulation", s.accrSimulation},
		{"POST", "/accreditation/applications", apply, nil, "/accreditation/applications", s.accrApply},
		{"GET", "/accreditation/applications/{id}", read, nil, "/accreditation/applications/1", s.accrApplication},
		{"POST", "/accreditation/applications/{id}", apply, nil, "/accreditation/applications/1", s.accrEdit},
		{"POST", "/accreditation/applications/{id}/documents", apply, nil, "/accreditation/applications/1/documents", s.accrUpload},
		{"POST", "/accreditation/applications/{id}/submit", apply, nil, "/accreditation/applications/1/submit", s.accrAct(accredit.ActSubmit)},
		{"POST", "/accreditation/applications/{id}/resubmit", apply, nil, "/accreditation/applications/1/resubmit", s.accrAct(accredit.ActResubmit)},
		{"POST", "/accreditation/applications/{id}/withdraw", apply, nil, "/accreditation/applications/1/withdraw", s.accrAct(accredit.ActWithdraw)},
		{"POST", "/accreditation/applications/{id}/return", manage, nil, "/accreditation/applications/1/return", s.accrAct(accredit.ActReturn)},
		{"POST", "/accreditation/applications/{id}/reject", manage, nil, "/accreditation/applications/1/reject", s.accrAct(accredit.ActReject)},
		{"POST", "/accreditation/applications/{id}/verify", manage, nil, "/accreditation/applications/1/verify", s.accrAct(accredit.ActVerify)},
		{"POST", "/accreditation/applications/{id}/objection", object, nil, "/accreditation/applications/1/objection", s.accrObject},
		{"POST", "/accreditation/applications/{id}/objection/withdraw", object, nil, "/accreditation/applications/1/objection/withdraw", s.accrWithdrawObjection},
		{"GET", "/inbox", concord.ActAccount, nil, "/inbox", s.inbox},
		{"GET", "/accreditation/documents/{id}", apply, nil, "/accreditation/documents/1", s.accrDocument},
	}
}

// fresh keeps a clock-dependent response out of the shared page cache
// (anonymous) and the content cache (signed in): both are keyed on the data
// version only, and a deadline passes without any write.
func fresh(w http.ResponseWriter, r *http.Request) *http.Request {
	w.Header().Set("Cache-Control", "no-store")
	return r.WithContext(context.WithValue(r.Context(), contentKey, nil))
}

// accrTime shows an instant in the process time zone, saying which zone
// (see zoned); zero shows nothing.
func accrTime(t time.Time, loc *time.Location) template.HTML { return zoned(t, loc) }

// accrDate is the local date of an instant in the process time zone.
func accrDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	d, _, _ := concord.Local(t, loc)
	return d
}

// --- shared loading ------------------------------------------------------------

// accrPolicyFor is the policy version governing a window.
func (s *Server) accrPolicyFor(ctx context.Context, w accreditation.Window) (accreditation.Policy, error) {
	versions, err := s.DB.AccreditationPolicies(ctx, s.Accredit.Process)
	if err != nil {
		return accreditation.Policy{}, err
	}
	return accreditation.PolicyForWindow(versions, w)
}

// accrOrgs loads every stakeholder organisation in one query, for lists.
func (s *Server) accrOrgs(ctx context.Context) (map[int64]concord.Organization, error) {
	orgs, _, err := s.DB.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	m := make(map[int64]concord.Organization, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o
	}
	return m, nil
}

func (s *Server) accrStates(ctx context.Context) (map[string]concord.State, error) {
	return s.Accredit.StatesByCode(ctx)
}

func accrRole(u *concord.User, r concord.Role) bool { return u != nil && !u.Disabled && u.Role == r }

// --- views -----------------------------------------------------------------------

type accrWindowV struct {
	ID, Scope, Body string
	Cycle           int
	Phase           string
	Opens, Closes   template.HTML
	ValidUntil      template.HTML
	Circulated      template.HTML
	Deadline        template.HTML
	IsCirculated    bool
	CanApply        bool // the viewer's organisation may start an application here
	Applied         int64
	// The policy version governing the window and its disclosure level;
	// zero when not loaded.
	PolicyVersion int
	Disclosure    string
}

func accrWindowView(w accreditation.Window, now time.Time, loc *time.Location) accrWindowV {
	return accrWindowV{ID: w.ID, Scope: string(w.Scope), Body: w.Body, Cycle: w.Cycle, Phase: w.Phase(now),
		Opens: accrTime(w.Opens, loc), Closes: accrTime(w.Closes, loc), ValidUntil: accrTime(w.ValidUntil, loc),
		Circulated: accrTime(w.CirculatedAt, loc), Deadline: accrTime(w.ObjectionDeadline, loc), IsCirculated: w.Circulated()}
}

type accrPolicyV struct {
	P             accreditation.Policy
	EffectiveFrom template.HTML
	InForce       bool
	Future        bool
	Zone          string
}

func accrPolicyViews(versions []accreditation.Policy, now time.Time, loc *time.Location) []accrPolicyV {
	cur, err := accreditation.PolicyAt(versions, now)
	out := make([]accrPolicyV, 0, len(versions))
	for _, v := range versions {
		_, _, zone := concord.Local(v.EffectiveFrom, loc)
		out = append(out, accrPolicyV{P: v, EffectiveFrom: accrTime(v.EffectiveFrom, loc), Zone: zone,
			InForce: err == nil && v.Version == cur.Version, Future: v.EffectiveFrom.After(now)})
	}
	slices.SortFunc(out, func(a, b accrPolicyV) int { return cmp.Compare(b.P.Version, a.P.Version) })
	return out
}

// accrObjV is what one viewer may see of one application's objections,
// ready to show: built only from accreditation.Disclose.
type accrObjV struct {
	Any              bool // anything at all may be shown
	CountVisible     bool
	Count            int
	ObjectorsVisible bool
	Items            []accrObjItem
	Own              *accrObjItem // the viewer's State's objection, when it has one
}

type accrObjItem struct {
	State     string
	StateName template.HTML
	Basis     string
	At        template.HTML
	Withdrawn template.HTML
	Standing  bool
}

func accrObjections(p *Page, level accreditation.ObjectionDisclosure, u *concord.User, objections []accreditation.Objection,
	states map[string]concord.State, loc *time.Location) accrObjV {
	view := accreditation.Disclose(level, u, objections)
	v := accrObjV{CountVisible: view.CountVisible, Count: view.Count, ObjectorsVisible: view.ObjectorsVisible}
	for _, o := range view.Objections {
		it := accrObjItem{State: o.State, StateName: p.Show(states[o.State].Names), Basis: o.Basis, At: accrTime(o.At, loc),
			Withdrawn: accrTime(o.WithdrawnAt, loc), Standing: o.WithdrawnAt.IsZero()}
		v.Items = append(v.Items, it)
		if u != nil && u.Role == concord.RoleDelegate && o.State == u.State {
			own := it
			v.Own = &own
		}
	}
	v.Any = v.CountVisible || len(v.Items) > 0
	return v
}

// accrRow is an application as the lists show it.
type accrRow struct {
	ID        int64
	OrgID     int64
	Org       template.HTML
	Acronym   string
	Type      string
	Country   string
	Route     string
	Status    string
	Submitted template.HTML
	Decided   template.HTML
	// ValidFrom and ValidUntil bound an accreditation; empty otherwise.
	ValidFrom, ValidUntil template.HTML
	Obj                   accrObjV
	// The delegate's actions on this row.
	CanObject   bool
	CanWithdraw bool
}

func accrOrgName(p *Page, o concord.Organization, id int64) template.HTML {
	if len(o.Names) == 0 {
		return template.HTML("#" + strconv.FormatInt(id, 10))
	}
	return p.Show(o.Names)
}

// accrPaging slices rows into pages of accrPageSize.
func accrPaging(r *http.Request, total int) (pager, int, int) {
	pg, from := newPager(r, total, accrPageSize)
	return pg, from, min(from+accrPageSize, total)
}

// --- overview -----------------------------------------------------------------------

func (s *Server) accrOverview(w http.ResponseWriter, r *http.Request) error {
	return s.showOverview(w, r, http.StatusOK, nil, nil, "")
}

type accrMine struct {
	ID      int64
	Window  string
	Scope   string
	Body    string
	Cycle   int
	Status  string
	Route   string
	Created template.HTML
}

// accrOverviewView is the accreditation overview: the windows, the rules in
// force, a focal point's applications and the Secretariat's forms.
type accrOverviewView struct {
	Windows []accrWindowV
	Mine    []accrMine
	Focal   bool
	ErrForm string       // the form a failed submission came from
	Policy  *accrPolicyV // the rules in force; nil when there are none
	Manage  bool         // the Secretariat's forms are shown
	// For the Secretariat only:
	ECOSOCSize int
	Scopes     []accreditation.Scope
	TimeZone   string
}

// showOverview renders the overview; errForm names the form a failed
// submission came from (window, ecosoc, apply), so its error shows there.
func (s *Server) showOverview(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error, errForm string) error {
	r = fresh(w, r)
	ctx := r.Context()
	if _, err := s.Accredit.DecideDue(ctx, ""); err != nil {
		return err
	}
	loc, err := s.Accredit.Location(ctx)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	u := UserFrom(ctx)
	cur, versions, err := s.Accredit.Policy(ctx, now)
	if err != nil && concord.ErrorCode(err) != concord.ENotFound {
		return err
	}
	windows, err := s.DB.AccreditationWindows(ctx, s.Accredit.Process)
	if err != nil {
		return err
	}
	focal := accrRole(u, concord.RoleFocalPoint)
	var mine []accreditation.Application
	if focal {
		all, err := s.DB.ListApplications(ctx, store.ApplicationFilter{OrgID: u.OrgID})
		if err != nil {
			return err
		}
		mine = accreditation.History(all, u.OrgID)
	}
	byID := map[string]accreditation.Window{}
	var wv []accrWindowV
	for _, win := range windows {
		byID[win.ID] = win
		v := accrWindowView(win, now, loc)
		if wp, err := accreditation.PolicyForWindow(versions, win); err == nil {
			v.PolicyVersion, v.Disclosure = wp.Version, string(wp.Disclosure)
		}
		if focal && (v.Phase == accreditation.PhaseOpen || v.Phase == accreditation.PhaseScheduled) {
			v.CanApply = true
			for _, a := range mine {
				if a.Window == win.ID && a.Status != accreditation.ApplicationWithdrawn {
					v.CanApply, v.Applied = false, a.ID
				}
			}
		}
		wv = append(wv, v)
	}
	var mv []accrMine
	for i := len(mine) - 1; i >= 0; i-- { // newest first
		a := mine[i]
		win := byID[a.Window]
		mv = append(mv, accrMine{ID: a.ID, Window: a.Window, Scope: string(win.Scope), Body: win.Body, Cycle: win.Cycle,
			Status: string(a.Status), Route: string(a.Route), Created: accrTime(a.CreatedAt, loc)})
	}
	data := accrOverviewView{Windows: wv, Mine: mv, Focal: focal, ErrForm: errForm}
	if len(versions) > 0 {
		pv := accrPolicyViews([]accreditation.Policy{cur}, now, loc)
		data.Policy = &pv[0]
	}
	manage := concord.Can(u, concord.ActManageAccreditation, concord.Target{})
	data.Manage = manage
	if manage {
		n, err := s.DB.ECOSOCListSize(ctx)
		if err != nil {
			return err
		}
		data.ECOSOCSize = n
		data.Scopes = cur.Scopes
		data.TimeZone = loc.String()
		if form == nil {
			form = url.Values{"cycle": {strconv.Itoa(now.In(loc).Year())}, "opens_time": {"00:00"}, "closes_time": {"18:00"}}
		}
	}
	p := s.newPage(r, "accr.title", data)
	p.Form = form
	p.SetErr(perr)
	return s.render(w, r, status, "accr_overview", p)
}

// windowFields maps the service's field names for a new window to the
// form's controls.
var windowFields = map[string]string{"opens": "opens_date", "closes": "closes_date", "valid_until": "valid_until_date",
	"valid_until_date": "valid_until_date", "valid_until_time": "valid_until_time",
	"scope": "scope", "body": "body", "cycle": "cycle", "opens_date": "opens_date", "opens_time": "opens_time",
	"closes_date": "closes_date", "closes_time": "closes_time"}

// withField returns a copy of de naming the form control its field maps to,
// or no field when the form has no such control.
func withField(de *concord.Error, fields map[string]string) *concord.Error {
	c := *de
	c.Field = fields[de.Field]
	return &c
}

// withFields is withField for every error of errs.
func withFields(errs concord.Errors, fields map[string]string) concord.Errors {
	out := make(concord.Errors, len(errs))
	for i, e := range errs {
		out[i] = withField(e, fields)
	}
	return out
}

func (s *Server) accrCreateWindow(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	in := accredit.WindowInput{Scope: accreditation.Scope(f.Get("scope")), Body: f.Get("body"),
		OpensDate: strings.TrimSpace(f.Get("opens_date")), OpensTime: strings.TrimSpace(f.Get("opens_time")),
		ClosesDate: strings.TrimSpace(f.Get("closes_date")), ClosesTime: strings.TrimSpace(f.Get("closes_time")),
		ValidUntilDate: strings.TrimSpace(f.Get("valid_until_date")), ValidUntilTime: strings.TrimSpace(f.Get("valid_until_time"))}
	// Every problem at once: a cycle that is no number is the form's, the
	// rest the service's, which checks the other fields even then (as a dry
	// run, so that nothing is created).
	var errs concord.Errors
	ctx := r.Context()
	if c := strings.TrimSpace(f.Get("cycle")); c != "" {
		var err error
		if in.Cycle, err = strconv.Atoi(c); err != nil {
			errs = append(errs, concord.Errorf(concord.EInvalid, "cycle", "error.number", "cycle must be a year"))
			ctx = store.WithDryRun(ctx, &store.DryRun{})
		}
	}
	win, err := s.Accredit.CreateWindow(ctx, UserFrom(ctx), in)
	if err != nil && !errors.Is(err, store.ErrDryRun) {
		if formError(err) == nil {
			return err
		}
		errs.Add(err)
	}
	if len(errs) > 0 {
		return s.showOverview(w, r, Status(errs[0].Code), f, withFields(errs, windowFields), "window")
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/accreditation/windows/"+url.PathEscape(win.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) accrImportECOSOC(w http.ResponseWriter, r *http.Request) error {
	_, body, err := accredit.FilePart(r.Header.Get("Content-Type"), r.Body)
	if err == nil {
		_, err = s.Accredit.ImportECOSOC(r.Context(), UserFrom(r.Context()), body)
	}
	if de := uploadError(err); de != nil {
		return s.showOverview(w, r, Status(de.Code), nil, withField(de, map[string]string{"file": "ecosoc_file"}), "ecosoc")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/accreditation?saved=1", http.StatusSeeOther)
	return nil
}

// uploadError is formError for file uploads: a file too large or of the
// wrong type is shown next to the file field too.
func uploadError(err error) *concord.Error {
	if err == nil {
		return nil
	}
	de := AsDomain(err)
	switch de.Code {
	case concord.EInvalid, concord.EConflict, concord.ETooLarge, concord.EUnsupported:
		if de.Field == "" && de.Code == concord.ETooLarge {
			c := *de
			c.Field = "file"
			return &c
		}
		return de
	}
	return nil
}

func (s *Server) accrApply(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	u := UserFrom(ctx)
	var orgID int64
	if o := strings.TrimSpace(r.PostForm.Get("org")); o != "" {
		orgID, _ = strconv.ParseInt(o, 10, 64)
	}
	a, err := s.Accredit.Apply(ctx, u, r.PostForm.Get("window"), orgID)
	if de := formError(err); de != nil {
		return s.showOverview(w, r, Status(de.Code), r.PostForm, withField(de, nil), "apply")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(ctx)+"/accreditation/applications/"+strconv.FormatInt(a.ID, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}

// --- rules ----------------------------------------------------------------------------

func (s *Server) accrRules(w http.ResponseWriter, r *http.Request) error {
	return s.showRules(w, r, http.StatusOK, nil, nil)
}

// accrRulesView is the accreditation rules page: every version, and the
// form for a new one.
type accrRulesView struct {
	Versions    []accrPolicyV
	TimeZone    string
	Disclosures []accreditation.ObjectionDisclosure
	Validities  []accreditation.Validity
}

func (s *Server) showRules(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr error) error {
	r = fresh(w, r)
	ctx := r.Context()
	loc, err := s.Accredit.Location(ctx)
	if err != nil {
		return err
	}
	versions, err := s.DB.AccreditationPolicies(ctx, s.Accredit.Process)
	if err != nil {
		return err
	}
	current, _ := accreditation.PolicyAt(versions, s.DB.Now())
	if form == nil {
		form = policyValues(current)
	}
	p := s.newPage(r, "accr.rules", accrRulesView{Versions: accrPolicyViews(versions, s.DB.Now(), loc), TimeZone: loc.String(),
		Disclosures: accreditation.ObjectionDisclosures, Validities: accreditation.Validities})
	p.Form = form
	if perr != nil {
		var all concord.Errors
		all.Add(perr)
		p.SetErr(withFields(all, policyFields))
	}
	return s.render(w, r, status, "accr_rules", p)
}

// policyFields maps the policy's field names to the rules form's controls.
var policyFields = map[string]string{"effective_from": "from", "from": "from", "objection_period_days": "period", "period": "period",
	"deadline_clock": "clock", "disclosure": "disclosure", "validity": "validity", "source": "source"}

// policyValues fills the new-version form from the version in force.
func policyValues(p accreditation.Policy) url.Values {
	v := url.Values{"period": {strconv.Itoa(p.ObjectionPeriodDays)}, "clock": {p.DeadlineClock}, "disclosure": {string(p.Disclosure)},
		"validity": {string(p.Validity)}, "source": {p.Source}}
	for k, on := range map[string]bool{"working": p.WorkingDays, "basis": p.BasisRequired, "withdrawable": p.ObjectionsWithdrawable} {
		if on {
			v.Set(k, "on")
		}
	}
	return v
}

// accrAddPolicy adds a version of the rules, effective now or from a later
// local date (Secretariat; audited by the service).
func (s *Server) accrAddPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	ctx := r.Context()
	current, _, err := s.Accredit.Policy(ctx, s.DB.Now())
	if err != nil {
		return err
	}
	p := current
	p.Version, p.EffectiveFrom = 0, time.Time{}
	// Every problem at once: a period or date that does not parse is the
	// form's, the rest the service's, which checks the other fields even
	// then (as a dry run, so that nothing is written).
	var errs concord.Errors
	if n, err := strconv.Atoi(strings.TrimSpace(f.Get("period"))); err != nil {
		errs = append(errs, concord.Errorf(concord.EInvalid, "period", "error.number", "enter a whole number of days"))
	} else {
		p.ObjectionPeriodDays = n
	}
	p.DeadlineClock = strings.TrimSpace(f.Get("clock"))
	p.WorkingDays, p.BasisRequired, p.ObjectionsWithdrawable = f.Get("working") == "on", f.Get("basis") == "on", f.Get("withdrawable") == "on"
	p.Disclosure, p.Validity = accreditation.ObjectionDisclosure(f.Get("disclosure")), accreditation.Validity(f.Get("validity"))
	p.Source = strings.TrimSpace(f.Get("source"))
	if d := strings.TrimSpace(f.Get("from")); d != "" {
		loc, err := s.Accredit.Location(ctx)
		if err != nil {
			return err
		}
		if t, err := concord.LocalToUTC(d, "00:00", loc); err != nil {
			errs = append(errs, concord.Errorf(concord.EInvalid, "from", "error.date", "%v", err))
		} else {
			p.EffectiveFrom = t
		}
	}
	if len(errs) > 0 {
		ctx = store.WithDryRun(ctx, &store.DryRun{})
	}
	_, err = s.Accredit.SetPolicy(ctx, UserFrom(ctx), p)
	if err != nil && !errors.Is(err, store.ErrDryRun) {
		if formError(err) == nil {
			return err
		}
		errs.Add(err)
	}
	if len(errs) > 0 {
		return s.showRules(w, r, Status(errs[0].Code), f, errs)
	}
	http.Redirect(w, r, "/"+LangFrom(ctx)+"/accreditation/rules?saved=1", http.StatusSeeOther)
	return nil
}

// --- window -----------------------------------------------------------------------------

// accrWindowData loads a window after deciding its round if due.
func (s *Server) accrWindowData(ctx context.Context, id string) (accreditation.Window, accreditation.Policy, []accreditation.Application, *time.Location, error) {
	var (
		win accreditation.Window
		pol accreditation.Policy
	)
	if _, err := s.Accredit.DecideDue(ctx, id); err != nil {
		return win, pol, nil, nil, err
	}
	win, err := s.DB.AccreditationWindow(ctx, id)
	if err != nil {
		return win, pol, nil, nil, err
	}
	if pol, err = s.accrPolicyFor(ctx, win); err != nil {
		return win, pol, nil, nil, err
	}
	apps, err := s.DB.ListApplications(ctx, store.ApplicationFilter{Window: win.ID})
	if err != nil {
		return win, pol, nil, nil, err
	}
	loc, err := s.Accredit.Location(ctx)
	return win, pol, apps, loc, err
}

func (s *Server) accrWindow(w http.ResponseWriter, r *http.Request) error {
	return s.showWindow(w, r, http.StatusOK, nil)
}

type accrCount struct {
	Status string
	Count  int
}

// Lists a window page can show; which ones a viewer gets is decided in
// showWindow.
const (
	accrListAccredited = "accredited"
	accrListCirculated = "circulated"
	accrListAll        = "all"
)

// accrWindowPageView is a window's page: its facts, one of its lists of
// applications and what the viewer may do.
type accrWindowPageView struct {
	Window         accrWindowV
	Policy         accreditation.Policy
	List           string   // the list shown
	Lists          []string // the lists the viewer may see
	Rows           []accrRow
	Pager          pager
	Progress       []accrCount // applications by status (Secretariat)
	Total          int
	Mine           []accrMine
	Secretariat    bool
	Objecting      bool // a delegate in the objection period
	CanCirculate   bool
	MaySimulate    bool
	ShowObjections bool
	BasisRequired  bool
}

func (s *Server) showWindow(w http.ResponseWriter, r *http.Request, status int, perr *concord.Error) error {
	r = fresh(w, r)
	ctx := r.Context()
	win, pol, apps, loc, err := s.accrWindowData(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	now := s.DB.Now()
	u := UserFrom(ctx)
	secretariat := accrRole(u, concord.RoleSecretariat)
	delegate := accrRole(u, concord.RoleDelegate)
	considers := delegate || accrRole(u, concord.RoleChair) || accrRole(u, concord.RoleCoFacilitator)
	phase := win.Phase(now)
	publicRound := pol.Disclosure == accreditation.ObjectionsPublic
	lists := []string{accrListAccredited}
	def := accrListAccredited
	if win.Circulated() && (considers || secretariat || publicRound) {
		lists = append(lists, accrListCirculated)
		if considers || phase == accreditation.PhaseObjection {
			def = accrListCirculated
		}
	}
	if secretariat {
		lists = append(lists, accrListAll)
		def = accrListAll
	}
	list := r.URL.Query().Get("list")
	if !slices.Contains(lists, list) {
		list = def
	}
	var rows []accreditation.Application
	counts := map[accreditation.ApplicationStatus]int{}
	var mine []accrMine
	for _, a := range apps {
		counts[a.Status]++
		keep := false
		switch list {
		case accrListAccredited:
			keep = a.Status == accreditation.ApplicationAccredited
		case accrListCirculated:
			keep = !a.CirculatedAt.IsZero()
		case accrListAll:
			keep = true
		}
		if keep {
			rows = append(rows, a)
		}
		if accrRole(u, concord.RoleFocalPoint) && a.OrgID == u.OrgID {
			mine = append(mine, accrMine{ID: a.ID, Window: a.Window, Status: string(a.Status), Route: string(a.Route), Created: accrTime(a.CreatedAt, loc)})
		}
	}
	orgs, err := s.accrOrgs(ctx)
	if err != nil {
		return err
	}
	states, err := s.accrStates(ctx)
	if err != nil {
		return err
	}
	p := s.newPage(r, "accr.window", nil)
	lang := p.Lang
	if list == accrListAccredited {
		slices.SortStableFunc(rows, func(a, b accreditation.Application) int {
			x, _, _ := orgs[a.OrgID].Names.In(lang)
			y, _, _ := orgs[b.OrgID].Names.In(lang)
			return strings.Compare(strings.ToLower(x), strings.ToLower(y))
		})
	}
	pg, from, to := accrPaging(r, len(rows))
	objecting := delegate && phase == accreditation.PhaseObjection
	view := make([]accrRow, 0, to-from)
	for _, a := range rows[from:to] {
		o := orgs[a.OrgID]
		row := accrRow{ID: a.ID, OrgID: a.OrgID, Org: accrOrgName(p, o, a.OrgID), Acronym: o.Acronym, Type: a.OrgType, Country: a.OrgCountry,
			Route: string(a.Route), Status: string(a.Status), Submitted: accrTime(a.SubmittedAt, loc), Decided: accrTime(a.DecidedAt, loc)}
		if from, until, ok := a.ValidFor(win); ok {
			row.ValidFrom, row.ValidUntil = accrTime(from, loc), accrTime(until, loc)
		}
		if list != accrListAccredited && !a.CirculatedAt.IsZero() {
			row.Obj = accrObjections(p, pol.Disclosure, u, a.Objections, states, loc)
		}
		if objecting && a.Status == accreditation.ApplicationCirculated {
			row.CanObject = row.Obj.Own == nil
			row.CanWithdraw = row.Obj.Own != nil && row.Obj.Own.Standing && pol.ObjectionsWithdrawable
		}
		view = append(view, row)
	}
	var progress []accrCount
	if secretariat {
		for _, st := range accreditation.ApplicationStatuses {
			progress = append(progress, accrCount{string(st), counts[st]})
		}
	}
	wv := accrWindowView(win, now, loc)
	p.Title = p.T("scope."+string(win.Scope)) + " " + strconv.Itoa(win.Cycle)
	p.Data = accrWindowPageView{
		Window: wv, Policy: pol, List: list, Lists: lists, Rows: view, Pager: pg, Progress: progress,
		Total: len(apps), Mine: mine, Secretariat: secretariat, Objecting: objecting,
		CanCirculate:   secretariat && phase == accreditation.PhaseScreening,
		MaySimulate:    win.Circulated() && accreditation.MaySimulate(pol.Disclosure, u),
		ShowObjections: list != accrListAccredited, BasisRequired: pol.BasisRequired,
	}
	p.Err = perr
	return s.render(w, r, status, "accr_window", p)
}

func (s *Server) accrCirculate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if _, err := s.DB.AccreditationWindow(ctx, id); err != nil {
		return err
	}
	_, err := s.Accredit.Circulate(ctx, UserFrom(ctx), id)
	if de := formError(err); de != nil {
		return s.showWindow(w, r, Status(de.Code), withField(de, nil))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(ctx)+"/accreditation/windows/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// csvCell keeps a spreadsheet from reading a cell as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// accrExportKeys are the message keys of the accredited list's columns, in
// order: the CSV and XLSX headers are in the page's language.
var accrExportKeys = []string{"accr.organisation", "orgs.acronym", "orgs.type", "orgs.country", "accr.route", "accr.decided",
	"export.valid_from", "export.valid_until"}

// accrExport is the accredited list of a window as the exports show it:
// the window, the column headers and one row per accredited organisation,
// sorted by name, in the page's language.
func (s *Server) accrExport(w http.ResponseWriter, r *http.Request) (accreditation.Window, *Page, []string, [][]string, error) {
	r = fresh(w, r)
	ctx := r.Context()
	win, _, apps, loc, err := s.accrWindowData(ctx, r.PathValue("id"))
	if err != nil {
		return win, nil, nil, nil, err
	}
	orgs, err := s.accrOrgs(ctx)
	if err != nil {
		return win, nil, nil, nil, err
	}
	p := s.newPage(r, "accr.csv", nil)
	type line struct {
		name string
		rec  []string
	}
	var lines []line
	for _, a := range apps {
		if a.Status != accreditation.ApplicationAccredited {
			continue
		}
		o := orgs[a.OrgID]
		name, _, _ := o.Names.In(p.Lang)
		typ := ""
		if a.OrgType != "" {
			typ = p.T("type." + a.OrgType)
		}
		from, until, _ := a.ValidFor(win)
		lines = append(lines, line{name, []string{name, o.Acronym, typ, a.OrgCountry, p.T("route." + string(a.Route)), accrDate(a.DecidedAt, loc),
			accrDate(from, loc), accrDate(until, loc)}})
	}
	slices.SortStableFunc(lines, func(a, b line) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) })
	header := make([]string, len(accrExportKeys))
	for i, k := range accrExportKeys {
		header[i] = p.T(k)
	}
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = l.rec
	}
	return win, p, header, rows, nil
}

// accrCSV sends the accredited list as CSV: UTF-8 with a byte-order mark,
// so that Excel reads accents and scripts right, headers in the page's
// language, and cells that a spreadsheet would take for a formula escaped.
func (s *Server) accrCSV(w http.ResponseWriter, r *http.Request) error {
	win, p, header, rows, err := s.accrExport(w, r)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "accredited-" + win.ID + "-" + p.Lang + ".csv"}))
	h.Set("Content-Language", p.Lang)
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, rec := range rows {
		out := make([]string, len(rec))
		for i, c := range rec {
			out[i] = csvCell(c)
		}
		cw.Write(out)
	}
	cw.Flush()
	return cw.Error()
}

// accrXLSX sends the accredited list as an Excel workbook, for those who
// open it in a spreadsheet: the same columns as the CSV, the header row
// bold and frozen, and the sheet right to left in Arabic. Cells are strings,
// so nothing is read as a formula.
func (s *Server) accrXLSX(w http.ResponseWriter, r *http.Request) error {
	win, p, header, rows, err := s.accrExport(w, r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	rtl := p.Lang == "ar"
	if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, line := range append([][]string{header}, rows...) {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		vals := make([]any, len(line))
		for j, v := range line {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(header), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 48); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "accredited-" + win.ID + "-" + p.Lang + ".xlsx"}))
	h.Set("Content-Language", p.Lang)
	return f.Write(w)
}

// --- statistics ------------------------------------------------------------------------

type accrStatRow struct {
	Label template.HTML
	accreditation.Counts
}

type accrStatTable struct {
	Heading string
	Rows    []accrStatRow
}

// accrStatCycle is the statistics of one cycle, table by table.
type accrStatCycle struct {
	Cycle  int
	Tables []accrStatTable
}

// accrStatsView is a window's statistics page.
type accrStatsView struct {
	Window accrWindowV
	Cycles []accrStatCycle
}

func (s *Server) accrStatistics(w http.ResponseWriter, r *http.Request) error {
	r = fresh(w, r)
	ctx := r.Context()
	win, _, apps, loc, err := s.accrWindowData(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	states, err := s.accrStates(ctx)
	if err != nil {
		return err
	}
	groups, err := s.DB.ListRegionalGroups(ctx)
	if err != nil {
		return err
	}
	p := s.newPage(r, "accr.statistics", nil)
	esc := func(s string) template.HTML { return template.HTML(html.EscapeString(s)) }
	var cycles []accrStatCycle
	for _, st := range accreditation.Statistics([]accreditation.Window{win}, apps, states) {
		tables := []accrStatTable{{Heading: p.T("accr.total"), Rows: []accrStatRow{{esc(p.T("accr.list_all")), st.Total}}}}
		var byRoute []accrStatRow
		for _, rt := range []accreditation.Route{accreditation.RouteECOSOC, accreditation.RouteNonObjection} {
			if c, ok := st.ByRoute[rt]; ok {
				byRoute = append(byRoute, accrStatRow{esc(p.T("route." + string(rt))), c})
			}
		}
		var byType []accrStatRow
		for _, t := range concord.StakeholderTypes {
			if c, ok := st.ByType[t]; ok {
				byType = append(byType, accrStatRow{esc(p.T("type." + t)), c})
			}
		}
		for _, t := range slices.Sorted(maps.Keys(st.ByType)) {
			if !slices.Contains(concord.StakeholderTypes, t) {
				byType = append(byType, accrStatRow{esc(cmp.Or(t, "—")), st.ByType[t]})
			}
		}
		var byGroup []accrStatRow
		for _, g := range groups {
			if c, ok := st.ByGroup[g.Code]; ok {
				byGroup = append(byGroup, accrStatRow{p.Show(g.Names), c})
			}
		}
		for _, k := range []string{accreditation.GroupNone, accreditation.GroupUnknown} {
			if c, ok := st.ByGroup[k]; ok {
				byGroup = append(byGroup, accrStatRow{esc(p.T("accr.group_" + k)), c})
			}
		}
		tables = append(tables, accrStatTable{p.T("accr.by_route"), byRoute}, accrStatTable{p.T("accr.by_type"), byType},
			accrStatTable{p.T("accr.by_group"), byGroup})
		cycles = append(cycles, accrStatCycle{Cycle: st.Cycle, Tables: tables})
	}
	p.Data = accrStatsView{Window: accrWindowView(win, s.DB.Now(), loc), Cycles: cycles}
	return s.render(w, r, http.StatusOK, "accr_stats", p)
}

// --- simulation -------------------------------------------------------------------------

type accrSimRow struct {
	ID          int64
	Org         template.HTML
	Actual      string
	Alternative string
	Changed     bool
	Reason      string
}

// accrSimView is a window's decision under another rule, side by side
// with the actual one.
type accrSimView struct {
	Window     accrWindowV
	Sim        accreditation.Simulation
	Rule       string   // the rule compared
	Rules      []string // the rules one may compare
	Rows       []accrSimRow
	Pager      pager
	Disclosure string
}

func (s *Server) accrSimulation(w http.ResponseWriter, r *http.Request) error {
	r = fresh(w, r)
	ctx := r.Context()
	win, pol, apps, loc, err := s.accrWindowData(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	u := UserFrom(ctx)
	if !accreditation.MaySimulate(pol.Disclosure, u) {
		return concord.Errorf(concord.EForbidden, "", "error.simulation_forbidden", "simulations need sight of every objection")
	}
	name := r.URL.Query().Get("rule")
	rule := accreditation.ExampleRules[0]
	if name != "" {
		i := slices.IndexFunc(accreditation.ExampleRules, func(x accreditation.Rule) bool { return x.Name == name })
		if i < 0 {
			return concord.Errorf(concord.EInvalid, "rule", "error.rule", "unknown rule %q", name)
		}
		rule = accreditation.ExampleRules[i]
	}
	states, err := s.accrStates(ctx)
	if err != nil {
		return err
	}
	orgs, err := s.accrOrgs(ctx)
	if err != nil {
		return err
	}
	sim := accreditation.Simulate(pol, rule, win, apps, states)
	p := s.newPage(r, "accr.simulation", nil)
	// Changed rows first: they are what the comparison is about.
	rows := make([]accrSimRow, 0, len(sim.Rows))
	for _, x := range sim.Rows {
		rows = append(rows, accrSimRow{ID: x.Application, Org: accrOrgName(p, orgs[x.OrgID], x.OrgID), Actual: string(x.Actual),
			Alternative: string(x.Alternative), Changed: x.Changed, Reason: x.Reason})
	}
	slices.SortStableFunc(rows, func(a, b accrSimRow) int {
		if a.Changed != b.Changed {
			if a.Changed {
				return -1
			}
			return 1
		}
		return 0
	})
	pg, from, to := accrPaging(r, len(rows))
	var names []string
	for _, x := range accreditation.ExampleRules {
		names = append(names, x.Name)
	}
	p.Data = accrSimView{Window: accrWindowView(win, s.DB.Now(), loc), Sim: sim, Rule: rule.Name, Rules: names,
		Rows: rows[from:to], Pager: pg, Disclosure: string(sim.Disclosure)}
	return s.render(w, r, http.StatusOK, "accr_sim", p)
}

// --- application -----------------------------------------------------------------------

func (s *Server) accrApplication(w http.ResponseWriter, r *http.Request) error {
	return s.showApplication(w, r, http.StatusOK, nil, nil, "")
}

type accrEvent struct {
	At      template.HTML
	From    string
	To      string
	Role    string
	Reasons []string
	Remarks []string
}

// accrLoad reads the application of the request's path, after deciding its
// round if due, and refuses (as not found) a viewer who may not see it.
func (s *Server) accrLoad(r *http.Request) (accreditation.Application, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return accreditation.Application{}, err
	}
	a, err := s.DB.GetApplication(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Status == accreditation.ApplicationCirculated {
		n, err := s.Accredit.DecideDue(ctx, a.Window)
		if err != nil {
			return a, err
		}
		if n > 0 {
			if a, err = s.DB.GetApplication(ctx, id); err != nil {
				return a, err
			}
		}
	}
	if a.Status == accreditation.ApplicationAccredited || a.Status == accreditation.ApplicationExpired {
		return a, nil // public: no need to read the policy
	}
	win, err := s.DB.AccreditationWindow(ctx, a.Window)
	if err != nil {
		return a, err
	}
	pol, err := s.accrPolicyFor(ctx, win)
	if err != nil {
		return a, err
	}
	if !accreditation.CanView(UserFrom(ctx), a, pol.Disclosure) {
		return a, concord.ErrNotFound
	}
	return a, nil
}

// appFields maps the service's field names to the application page's
// controls; action is the form a failed submission came from.
func appFields(action string) map[string]string {
	return map[string]string{"purpose": "purpose", "programmes": "programmes", "un_history": "un_history",
		"letter": "file", "file": "file", "basis": "basis", "remarks": action + "_remarks"}
}

func contentValues(c accreditation.Content, lang string) url.Values {
	return url.Values{"purpose": {c.Purpose[lang]}, "programmes": {c.Programmes[lang]}, "un_history": {c.UNHistory[lang]},
		"representatives": {strings.Join(c.Representatives, "\n")}}
}

// accrAppView is an application's page: its facts, content, objections,
// history and the forms of the viewer's actions.
type accrAppView struct {
	App     accreditation.Application
	Org     concord.Organization
	Reasons []string // reason keys beyond what the status says
	Window  accrWindowV
	Policy  accreditation.Policy
	Events  []accrEvent
	Obj     accrObjV
	// The content in the page's language (or the one it was written in).
	Purpose, Programmes, UNHistory          template.HTML
	HasPurpose, HasProgrammes, HasUNHistory bool
	Created, Submitted, CirculatedAt        template.HTML
	Decided, ValidFrom, ValidUntil          template.HTML
	Remarks                                 []string // the Secretariat's, to the applicant only
	SeeLetter                               bool
	Letter                                  string // the letter's document id, "" for none
	Editable, Applicant                     bool
	CanSubmit, CanResubmit, CanWithdraw     bool
	CanReturn, CanReject, CanVerify         bool
	CanObject, CanWithdrawObjection         bool
	ErrAction                               string // the form a failed submission came from
	MaxUploadMB                             int64
}

func (s *Server) showApplication(w http.ResponseWriter, r *http.Request, status int, form url.Values, perr *concord.Error, action string) error {
	r = fresh(w, r)
	ctx := r.Context()
	a, err := s.accrLoad(r)
	if err != nil {
		return err
	}
	win, err := s.DB.AccreditationWindow(ctx, a.Window)
	if err != nil {
		return err
	}
	pol, err := s.accrPolicyFor(ctx, win)
	if err != nil {
		return err
	}
	loc, err := s.Accredit.Location(ctx)
	if err != nil {
		return err
	}
	org, err := s.DB.GetOrganization(ctx, a.OrgID)
	if err != nil {
		return err
	}
	states, err := s.accrStates(ctx)
	if err != nil {
		return err
	}
	u := UserFrom(ctx)
	now := s.DB.Now()
	p := s.newPage(r, "accr.application", nil)
	p.Title = p.L(org.Names).Text
	applicant := concord.Can(u, concord.ActApplyAccreditation, concord.Target{OrgID: a.OrgID})
	secretariat := accrRole(u, concord.RoleSecretariat)
	inTime := win.Circulated() && accreditation.InTime(now, win.ObjectionDeadline)
	// Remarks are the Secretariat's words to the applicant.
	remarks := applicant
	var events []accrEvent
	for _, e := range a.History {
		ev := accrEvent{At: accrTime(e.At, loc), From: string(e.From), To: string(e.To), Role: string(e.Role), Reasons: e.Reasons}
		if remarks {
			ev.Remarks = e.Remarks
		}
		events = append(events, ev)
	}
	slices.Reverse(events) // newest first
	var obj accrObjV
	if !a.CirculatedAt.IsZero() {
		obj = accrObjections(p, pol.Disclosure, u, a.Objections, states, loc)
	}
	delegate := accrRole(u, concord.RoleDelegate) && a.Status == accreditation.ApplicationCirculated && inTime
	st := a.Status
	editable := applicant && (st == accreditation.ApplicationDraft || st == accreditation.ApplicationSubmitted || st == accreditation.ApplicationReturned) && a.CirculatedAt.IsZero()
	vals := contentValues(a.Content, p.Lang)
	for k, v := range form {
		vals[k] = v
	}
	// Reasons that only restate the status are left out of its line.
	var reasons []string
	for _, k := range a.Reasons {
		if !slices.Contains(accrRestating, k) {
			reasons = append(reasons, k)
		}
	}
	validFrom, validUntil, _ := a.ValidFor(win)
	p.Data = accrAppView{
		ValidFrom: accrTime(validFrom, loc), ValidUntil: accrTime(validUntil, loc),
		App: a, Org: org, Reasons: reasons, Window: accrWindowView(win, now, loc), Policy: pol, Events: events, Obj: obj,
		Purpose: p.Show(a.Content.Purpose), Programmes: p.Show(a.Content.Programmes), UNHistory: p.Show(a.Content.UNHistory),
		HasPurpose: len(a.Content.Purpose) > 0, HasProgrammes: len(a.Content.Programmes) > 0, HasUNHistory: len(a.Content.UNHistory) > 0,
		Created: accrTime(a.CreatedAt, loc), Submitted: accrTime(a.SubmittedAt, loc), CirculatedAt: accrTime(a.CirculatedAt, loc),
		Decided: accrTime(a.DecidedAt, loc), Remarks: remarksIf(remarks, a.Remarks),
		SeeLetter: a.Content.Letter != "" && applicant, Letter: a.Content.Letter,
		Editable: editable, Applicant: applicant,
		CanSubmit:   applicant && st == accreditation.ApplicationDraft,
		CanResubmit: applicant && st == accreditation.ApplicationReturned,
		CanWithdraw: applicant && (st == accreditation.ApplicationDraft || st == accreditation.ApplicationSubmitted || st == accreditation.ApplicationReturned ||
			st == accreditation.ApplicationAccredited || (st == accreditation.ApplicationCirculated && inTime)),
		CanReturn:            secretariat && st == accreditation.ApplicationSubmitted,
		CanReject:            secretariat && (st == accreditation.ApplicationSubmitted || st == accreditation.ApplicationReturned),
		CanVerify:            secretariat && st == accreditation.ApplicationSubmitted && a.Route == accreditation.RouteECOSOC,
		CanObject:            delegate && obj.Own == nil,
		CanWithdrawObjection: delegate && obj.Own != nil && obj.Own.Standing && pol.ObjectionsWithdrawable,
		ErrAction:            action, MaxUploadMB: accredit.MaxUpload >> 20,
	}
	p.Form, p.Err = vals, perr
	return s.render(w, r, status, "accr_app", p)
}

// accrRestating are reason keys that say no more than the status.
var accrRestating = []string{accreditation.ReasonSubmitted, accreditation.ReasonCirculated,
	accreditation.ReasonApplicationDraft, accreditation.ReasonReturned, accreditation.ReasonRejected,
	accreditation.ReasonWithdrawn}

func remarksIf(ok bool, r []string) []string {
	if ok {
		return r
	}
	return nil
}

// accrAfter finishes an action on an application: back to the page it came
// from with ?saved=1, or the application page again with the problem next
// to its field and the error's status.
func (s *Server) accrAfter(w http.ResponseWriter, r *http.Request, a accreditation.Application, action string, form url.Values, err error) error {
	if err != nil {
		de := AsDomain(err)
		switch de.Code {
		case concord.EInvalid, concord.EConflict, concord.EForbidden, concord.ETooLarge, concord.EUnsupported, concord.ENotFound:
			if de.Code == concord.ENotFound && de.Key == "error.not_found" {
				return err
			}
			if de.Code == concord.ETooLarge && de.Field == "" {
				de = &concord.Error{Code: de.Code, Field: "file", Key: de.Key, Message: de.Message}
			}
			return s.showApplication(w, r, Status(de.Code), form, withField(de, appFields(action)), action)
		}
		return err
	}
	lang := LangFrom(r.Context())
	id := strconv.FormatInt(a.ID, 10)
	to := "/" + lang + "/accreditation/applications/" + id + "?saved=1"
	if form.Get("back") == "window" {
		q := url.Values{"saved": {"1"}}
		if l := form.Get("list"); l != "" {
			q.Set("list", l)
		}
		if pg := form.Get("page"); pg != "" {
			q.Set("page", pg)
		}
		to = "/" + lang + "/accreditation/windows/" + url.PathEscape(a.Window) + "?" + q.Encode() + "#app-" + id
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func setText(t concord.Text, lang, v string) concord.Text {
	t = maps.Clone(t)
	if t == nil {
		t = concord.Text{}
	}
	if v = strings.TrimSpace(v); v == "" {
		delete(t, lang)
	} else {
		t[lang] = v
	}
	return t
}

// accrEdit saves the application page's one form: the text in the page's
// language, the letter when a file is chosen, and, when the applicant
// pressed Submit or Resubmit, that action too. One form, so that nothing
// typed is lost to another form's button; after a refusal the page shows
// everything that was sent (a file must be chosen again: browsers do not
// let a page fill a file field).
func (s *Server) accrEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accrLoad(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := UserFrom(ctx)
	f, file, err := accrReadForm(r)
	action := "edit"
	if err == nil && f.Has("purpose") {
		lang := LangFrom(ctx)
		c := a.Content
		c.Purpose = setText(c.Purpose, lang, f.Get("purpose"))
		c.Programmes = setText(c.Programmes, lang, f.Get("programmes"))
		c.UNHistory = setText(c.UNHistory, lang, f.Get("un_history"))
		c.Representatives = nil
		for _, line := range strings.Split(f.Get("representatives"), "\n") {
			if n := strings.TrimSpace(line); n != "" {
				c.Representatives = append(c.Representatives, n)
			}
		}
		_, err = s.Accredit.Edit(ctx, u, a.ID, c)
	}
	if err == nil && file != nil {
		action = "upload"
		_, err = s.Accredit.UploadLetter(ctx, u, a.ID, file.name, file.data)
	}
	if do := f.Get("do"); err == nil && (do == accredit.ActSubmit || do == accredit.ActResubmit) {
		action = do
		_, err = s.Accredit.Act(ctx, u, a.ID, do, nil)
	}
	if f == nil {
		f = url.Values{}
	}
	return s.accrAfter(w, r, a, action, f, err)
}

// accrAppPath is an application page, whose form may carry the letter.
var accrAppPath = regexp.MustCompile(`^/[a-z]{2}/accreditation/applications/[0-9]+$`)

// accrFormCarriesFile reports whether a POST to path may carry an upload,
// for the body limit.
func accrFormCarriesFile(path string) bool { return accrAppPath.MatchString(path) }

// accrFile is a file sent with a form.
type accrFile struct {
	name string
	data []byte
}

// accrFieldLimit bounds one text field of a multipart form (the longest
// textarea takes 5,000 characters, up to 4 bytes each).
const accrFieldLimit = 32 << 10

// accrReadForm reads a form sent as multipart/form-data (the application
// page's form, which carries the letter) or as URL-encoded fields. A file
// part with no file chosen is no file.
func accrReadForm(r *http.Request) (url.Values, *accrFile, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		return r.PostForm, nil, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, concord.Errorf(concord.EInvalid, "file", "error.multipart", "malformed multipart body")
	}
	f := url.Values{}
	var file *accrFile
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return f, file, nil
		}
		if err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return f, nil, err
			}
			return f, nil, concord.Errorf(concord.EInvalid, "file", "error.multipart", "malformed multipart body")
		}
		if part.FormName() == "file" {
			if part.FileName() == "" {
				continue // no file chosen
			}
			data, err := accredit.ReadUpload(part)
			if err != nil {
				return f, nil, err
			}
			if len(data) > 0 {
				file = &accrFile{part.FileName(), data}
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, accrFieldLimit+1))
		if err != nil {
			return f, nil, concord.Errorf(concord.EInvalid, "file", "error.multipart", "malformed multipart body")
		}
		if len(v) > accrFieldLimit {
			return f, nil, concord.Errorf(concord.EInvalid, part.FormName(), "error.too_long", "%s is too long", part.FormName())
		}
		f.Add(part.FormName(), strings.ReplaceAll(string(v), "\r\n", "\n"))
	}
}

func (s *Server) accrUpload(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accrLoad(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := UserFrom(ctx)
	// Refused before the file is read: an application that cannot change
	// takes no upload.
	err = s.Accredit.LetterEditable(ctx, u, a.ID)
	var name string
	var body io.Reader
	if err == nil {
		name, body, err = accredit.FilePart(r.Header.Get("Content-Type"), r.Body)
	}
	var data []byte
	if err == nil {
		data, err = accredit.ReadUpload(body)
	}
	if err == nil {
		_, err = s.Accredit.UploadLetter(ctx, u, a.ID, name, data)
	}
	return s.accrAfter(w, r, a, "upload", url.Values{}, err)
}

// accrAct is the handler of an applicant's or the Secretariat's action.
func (s *Server) accrAct(action string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.accrLoad(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		var remarks []string
		if action == accredit.ActReturn || action == accredit.ActReject {
			remarks = []string{r.PostForm.Get("remarks")}
		}
		_, err = s.Accredit.Act(r.Context(), UserFrom(r.Context()), a.ID, action, remarks)
		return s.accrAfter(w, r, a, action, r.PostForm, err)
	}
}

// accrObject files an objection. The service loads the application inside
// its transaction and answers "not found" for one the delegate may not see,
// so the handler reads nothing itself.
func (s *Server) accrObject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	a, err := s.Accredit.Object(r.Context(), UserFrom(r.Context()), id, r.PostForm.Get("basis"))
	return s.accrAfter(w, r, a, "object", r.PostForm, err)
}

func (s *Server) accrWithdrawObjection(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accrLoad(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.Accredit.WithdrawObjection(r.Context(), UserFrom(r.Context()), a.ID)
	return s.accrAfter(w, r, a, "withdraw_objection", r.PostForm, err)
}

// accrDocument sends an uploaded file to the Secretariat or the focal
// point of its organisation, as an attachment of its sniffed type.
func (s *Server) accrDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.DB.GetDocument(r.Context(), id)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	if d.OrgID == 0 || !concord.Can(u, concord.ActApplyAccreditation, concord.Target{OrgID: d.OrgID}) {
		return concord.ErrNotFound
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": d.Name})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.Write(d.Data)
	return nil
}

// --- inbox --------------------------------------------------------------------------------

type inboxItem struct {
	Text     string
	Created  template.HTML
	Deadline template.HTML
	Link     string
}

// inboxView is the user's notices; Bound is false for a user who gets none
// (bound to no State or organisation, and neither the Chair nor the
// Secretariat, whose notices are addressed to their role).
type inboxView struct {
	Items []inboxItem
	Bound bool
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	r = fresh(w, r)
	ctx := r.Context()
	u := UserFrom(ctx)
	loc, err := s.Accredit.Location(ctx)
	if err != nil {
		return err
	}
	notices, err := s.DB.InboxFor(ctx, *u, 100)
	if err != nil {
		return err
	}
	p := s.newPage(r, "inbox.title", nil)
	items := make([]inboxItem, 0, len(notices))
	for _, n := range notices {
		// Every argument, not just Count: a notice that names someone
		// (the appointed delegation manager) showed "<no value>".
		var args []any
		for k, v := range store.NoticeData(n.Args) {
			args = append(args, k, v)
		}
		it := inboxItem{Text: p.T(n.Key, args...), Created: accrTime(n.Created, loc)}
		if d, err := time.Parse(time.RFC3339, n.Args["Deadline"]); err == nil {
			it.Deadline = accrTime(d, loc)
		}
		if strings.HasPrefix(n.Link, "/") && !strings.HasPrefix(n.Link, "//") {
			it.Link = p.URL(n.Link)
		}
		items = append(items, it)
	}
	p.Data = inboxView{Items: items, Bound: u.State != "" || u.OrgID != 0 || u.Role == concord.RoleChair || u.Role == concord.RoleSecretariat}
	return s.render(w, r, http.StatusOK, "accr_inbox", p)
}
