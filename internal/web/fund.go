package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/fund"
	"concord/internal/fundsvc"
)

// The Voluntary Fund (issue 13): the public page (calls, awards, totals by
// regional group and by area), a call's page with the application form for
// a State's delegates, the form to open a call, and an application's page
// with the steps each role takes on it: screening, the committee's review
// (its scores and comments shown only to the Secretariat and the
// committee), the award, disbursements and reports. The service decides
// who sees what on every read; the routes only say who may write at all.

func (s *Server) fundRoutes() []Route {
	return []Route{
		{"GET", "/fund", concord.ActRead, nil, "/fund", s.fundPage},
		{"GET", "/fund/calls/new", concord.ActManageFund, nil, "/fund/calls/new", s.fundCallNew},
		{"POST", "/fund/calls", concord.ActManageFund, nil, "/fund/calls", s.fundCallCreate},
		{"GET", "/fund/calls/{id}", concord.ActRead, nil, "/fund/calls/1", s.fundCall},
		{"GET", "/fund/calls/{id}/edit", concord.ActManageFund, nil, "/fund/calls/1/edit", s.fundCallEdit},
		{"POST", "/fund/calls/{id}", concord.ActManageFund, nil, "/fund/calls/1", s.fundCallUpdate},
		{"POST", "/fund/calls/{id}/applications", concord.ActApplyFund, nil, "/fund/calls/1/applications", s.fundApply},
		{"GET", "/fund/applications/{id}", concord.ActRead, nil, "/fund/applications/1", s.fundApplication},
		{"POST", "/fund/applications/{id}/screening", concord.ActManageFund, nil, "/fund/applications/1/screening", s.fundStep},
		{"POST", "/fund/applications/{id}/reviews", concord.ActAccount, nil, "/fund/applications/1/reviews", s.fundStep},
		{"POST", "/fund/applications/{id}/award", concord.ActManageFund, nil, "/fund/applications/1/award", s.fundStep},
		{"POST", "/fund/applications/{id}/disbursements", concord.ActManageFund, nil, "/fund/applications/1/disbursements", s.fundStep},
		{"POST", "/fund/applications/{id}/reports", concord.ActAccount, nil, "/fund/applications/1/reports", s.fundStep},
	}
}

func (s *Server) fundSvc() *fundsvc.Service {
	return &fundsvc.Service{DB: s.DB, Process: s.Decide.Process}
}

// Money shows a whole number of US dollars with its digits grouped, kept
// left to right in an Arabic sentence.
func (p *Page) Money(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "\u2066" + fund.Currency + " " + b.String() + "\u2069"
}

// fundAwardRow is an award as the public page lists it.
type fundAwardRow struct {
	fund.Application
	StateName template.HTML
}

// fundTotalRow is a line of a totals table.
type fundTotalRow struct {
	Label  template.HTML
	Awards int
	Amount int64
	Share  int // per cent of all awards, for the bar
}

// fundView is the Fund's public page.
type fundView struct {
	Calls    []fund.Call
	Now      time.Time
	Awards   []fundAwardRow
	ByRegion []fundTotalRow
	ByArea   []fundTotalRow
	Totals   fund.Totals
	CanOpen  bool
}

func shareRows(ts []fund.Total, all int64, label func(string) template.HTML) []fundTotalRow {
	out := make([]fundTotalRow, 0, len(ts))
	for _, t := range ts {
		share := 0
		if all > 0 {
			share = int(t.Amount * 100 / all)
		}
		out = append(out, fundTotalRow{Label: label(t.Key), Awards: t.Awards, Amount: t.Amount, Share: share})
	}
	return out
}

func (s *Server) fundPage(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.fundSvc().Summarise(r.Context())
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "fund.title", nil)
	v := fundView{Calls: sum.Calls, Now: s.DB.Now(), Totals: sum.Totals, CanOpen: concord.Can(UserFrom(r.Context()), concord.ActManageFund, concord.Target{})}
	for _, a := range sum.Awards {
		v.Awards = append(v.Awards, fundAwardRow{Application: a, StateName: p.Show(names[a.State])})
	}
	v.ByRegion = shareRows(sum.Totals.ByRegion, sum.Totals.Amount, func(k string) template.HTML {
		if k == "" {
			return template.HTML(template.HTMLEscapeString(p.T("fund.no_region")))
		}
		return template.HTML(template.HTMLEscapeString(p.T("portal.region." + k)))
	})
	v.ByArea = shareRows(sum.Totals.ByArea, sum.Totals.Amount, func(k string) template.HTML { return p.Area(capacity.Area(k)) })
	p.Data = v
	return s.render(w, r, http.StatusOK, "fund", p)
}

// fundCallFormView is the form to open a call.
type fundCallFormView struct {
	Areas []FieldOption
}

func (s *Server) showCallForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	p := s.newPage(r, "fund.call_new", nil)
	p.Data, p.Form = fundCallFormView{Areas: areaOptions(p, form["area"])}, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "fund_call_form", p)
}

func (s *Server) fundCallNew(w http.ResponseWriter, r *http.Request) error {
	return s.showCallForm(w, r, http.StatusOK, url.Values{"area": {"pillar.capacity"}}, nil)
}

// readAmount reads a whole number of dollars; an unreadable one is added
// to unread.
func readAmount(form url.Values, field string, unread *concord.Errors) int64 {
	raw := strings.NewReplacer(",", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(form.Get(field)))
	if raw == "" {
		return 0 // the domain reports it
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "fund.error.amount", "%s must be a whole number of dollars", field))
	}
	return n
}

// readZonedDay reads a date field as the instant hm of that day in loc.
func readZonedDay(form url.Values, field, hm string, loc *time.Location, unread *concord.Errors) time.Time {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		return time.Time{}
	}
	t, err := concord.LocalToUTC(raw, hm, loc)
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "portal.error.date", "%s is not a date (YYYY-MM-DD)", field))
	}
	return t
}

func (s *Server) fundCallCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	loc, err := s.Decide.Location(r.Context())
	if err != nil {
		return err
	}
	f := r.PostForm
	in := callInput(f)
	in.Opens = readZonedDay(f, "opens", "00:00", loc, &in.Unread)
	// The call closes at the end of its last day where the meetings are.
	in.Closes = readZonedDay(f, "closes", "23:59", loc, &in.Unread)
	in.Amount = readAmount(f, "amount", &in.Unread)
	c, err := s.fundSvc().SaveCall(r.Context(), UserFrom(r.Context()), 0, in)
	if de := formError(err); de != nil {
		return s.showCallForm(w, r, Status(de.Code), f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/fund/calls/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// fundCallEditView is the form to change a call, prefilled with it; Used
// says what the call already carries, so the form says what no longer
// changes before anyone tries.
type fundCallEditView struct {
	Call  fund.Call
	Used  fund.Usage
	Areas []FieldOption
}

// callForm is call c as its edit form shows it: the dates as days where
// the meetings are, the committee by username.
func (s *Server) callForm(r *http.Request, c fund.Call, loc *time.Location) url.Values {
	var names []string
	for _, id := range c.Reviewers {
		if ru, err := s.DB.Read(r.Context()).UserByID(id); err == nil {
			names = append(names, ru.Username)
		}
	}
	return url.Values{"title": {c.Title}, "area": {string(c.Area)}, "opens": {c.Opens.In(loc).Format(time.DateOnly)},
		"closes": {c.Closes.In(loc).Format(time.DateOnly)}, "amount": {strconv.FormatInt(c.Amount, 10)}, "reviewers": {strings.Join(names, ", ")}}
}

func (s *Server) showCallEdit(w http.ResponseWriter, r *http.Request, status int, id int64, form url.Values, ferr error) error {
	svc := s.fundSvc()
	c, err := svc.Call(r.Context(), id)
	if err != nil {
		return err
	}
	used, err := svc.Usage(r.Context(), id)
	if err != nil {
		return err
	}
	if form == nil {
		loc, err := s.Decide.Location(r.Context())
		if err != nil {
			return err
		}
		form = s.callForm(r, c, loc)
	}
	p := s.newPage(r, "fund.call_edit_title", nil)
	p.Data, p.Form = fundCallEditView{Call: c, Used: used, Areas: areaOptions(p, form["area"])}, form
	if ferr != nil {
		p.SetErr(ferr)
	}
	return s.render(w, r, status, "fund_call_edit", p)
}

func (s *Server) fundCallEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showCallEdit(w, r, http.StatusOK, id, nil, nil)
}

// keepDay is the stored instant when the form's day is the day the call
// already shows (a date left as it was keeps its time exactly, whoever
// set it), else the day read at hm.
func keepDay(form url.Values, field, hm string, stored time.Time, loc *time.Location, unread *concord.Errors) time.Time {
	if strings.TrimSpace(form.Get(field)) == stored.In(loc).Format(time.DateOnly) {
		return stored
	}
	return readZonedDay(form, field, hm, loc, unread)
}

func (s *Server) fundCallUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	loc, err := s.Decide.Location(r.Context())
	if err != nil {
		return err
	}
	svc := s.fundSvc()
	c, err := svc.Call(r.Context(), id)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := callInput(f)
	in.Opens = keepDay(f, "opens", "00:00", c.Opens, loc, &in.Unread)
	in.Closes = keepDay(f, "closes", "23:59", c.Closes, loc, &in.Unread)
	in.Amount = readAmount(f, "amount", &in.Unread)
	_, err = svc.SaveCall(r.Context(), UserFrom(r.Context()), id, in)
	if de := formError(err); de != nil {
		// Every problem shown at once, with what was typed.
		return s.showCallEdit(w, r, Status(de.Code), id, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/fund/calls/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// callInput reads the call form's title, area and committee.
func callInput(f url.Values) fundsvc.CallInput {
	return fundsvc.CallInput{Title: f.Get("title"), Area: f.Get("area"), Reviewers: strings.FieldsFunc(f.Get("reviewers"), func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == '\r' })}
}

// fundAppRow is an application in a call's list.
type fundAppRow struct {
	fund.Application
	StateName template.HTML
}

// fundCallView is a call's page, with the application form for a State's
// delegates while the call is open.
type fundCallView struct {
	Call     fund.Call
	Open     bool
	Apps     []fundAppRow
	CanApply bool
	// Eligible says whether the reader's State may apply under the rule in
	// force now (shown before the form, so nobody fills it in vain).
	Eligible    bool
	RuleVersion int
	Policy      *fund.Policy
	Areas       []FieldOption
	Reviewers   []string // the committee's names, for the Secretariat
	CanEdit     bool     // the Secretariat changes the call
}

func (s *Server) showCall(w http.ResponseWriter, r *http.Request, status int, id int64, form url.Values, ferr error) error {
	ctx := r.Context()
	u := UserFrom(ctx)
	svc := s.fundSvc()
	c, err := svc.Call(ctx, id)
	if err != nil {
		return err
	}
	apps, err := svc.Applications(ctx, u, id)
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "fund.call", nil)
	p.Title = c.Title
	v := fundCallView{Call: c, Open: c.IsOpen(s.DB.Now()), CanApply: concord.Can(u, concord.ActApplyFund, concord.Target{})}
	for _, a := range apps {
		v.Apps = append(v.Apps, fundAppRow{Application: a, StateName: p.Show(names[a.State])})
	}
	if v.Policy, v.RuleVersion, v.Eligible, err = fundsvc.Eligibility(s.DB.Read(ctx), s.Decide.Process, stateOf(u), s.DB.Now()); err != nil {
		return err
	}
	if concord.Can(u, concord.ActManageFund, concord.Target{}) {
		v.CanEdit = true
		for _, id := range c.Reviewers {
			if ru, err := s.DB.Read(ctx).UserByID(id); err == nil {
				v.Reviewers = append(v.Reviewers, cmp.Or(ru.Name, ru.Username))
			}
		}
	}
	if form == nil {
		form = url.Values{"area": {string(c.Area)}}
	}
	v.Areas = areaOptions(p, form["area"])
	p.Data, p.Form = v, form
	if ferr != nil {
		p.SetErr(ferr)
	}
	return s.render(w, r, status, "fund_call", p)
}

func stateOf(u *concord.User) string {
	if u == nil {
		return ""
	}
	return u.State
}

func (s *Server) fundCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showCall(w, r, http.StatusOK, id, nil, nil)
}

func (s *Server) fundApply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	in := fundsvc.ApplicationInput{Project: f.Get("project"), Summary: f.Get("summary"), Area: f.Get("area")}
	in.Amount = readAmount(f, "amount", &in.Unread)
	a, err := s.fundSvc().Apply(r.Context(), UserFrom(r.Context()), id, in)
	if de := formError(err); de != nil {
		// Every problem shown on the call's page, with what was typed.
		return s.showCall(w, r, Status(de.Code), id, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/fund/applications/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
	return nil
}

// fundReviewRow is a review with its reviewer's name.
type fundReviewRow struct {
	fund.Review
	Name string
}

// fundAppView is an application's page: what the reader sees of it and
// the forms of the steps the reader may take now.
type fundAppView struct {
	View      fundsvc.View
	StateName template.HTML
	Reviews   []fundReviewRow
	Left      int64 // of the award, to pay
	// The forms shown.
	CanScreen, CanReview, CanAward, CanDisburse, CanReport bool
	Scores                                                 []int
}

func (s *Server) showFundApplication(w http.ResponseWriter, r *http.Request, status int, id int64, form url.Values, ferr error) error {
	ctx := r.Context()
	u := UserFrom(ctx)
	v, err := s.fundSvc().Application(ctx, u, id)
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "fund.application", nil)
	p.Title = v.App.Project
	manage := concord.Can(u, concord.ActManageFund, concord.Target{})
	a := v.App
	view := fundAppView{View: v, StateName: p.Show(names[a.State]),
		CanScreen:   manage && a.Status == fund.Submitted,
		CanReview:   v.SeesReviews && u != nil && v.Call.IsReviewer(u.ID) && (a.Status == fund.Eligible || a.Status == fund.Awarded),
		CanAward:    manage && a.Status == fund.Eligible,
		CanDisburse: manage && a.Award != nil,
		CanReport:   v.Full && a.Award != nil && fund.CanReport(u, a),
	}
	for n := fund.MinScore; n <= fund.MaxScore; n++ {
		view.Scores = append(view.Scores, n)
	}
	if a.Award != nil {
		view.Left = a.Award.Amount - a.Disbursed()
	}
	for _, rv := range v.Reviews {
		row := fundReviewRow{Review: rv}
		if ru, err := s.DB.Read(ctx).UserByID(rv.Reviewer); err == nil {
			row.Name = cmp.Or(ru.Name, ru.Username)
		}
		view.Reviews = append(view.Reviews, row)
		if form == nil && u != nil && rv.Reviewer == u.ID {
			// The reviewer's own review fills the form, to change it.
			form = url.Values{"score": {strconv.Itoa(rv.Score)}, "comment": {rv.Comment}}
		}
	}
	p.Data, p.Form = view, form
	if ferr != nil {
		p.SetErr(ferr)
	}
	return s.render(w, r, status, "fund_application", p)
}

func (s *Server) fundApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showFundApplication(w, r, http.StatusOK, id, nil, nil)
}

// fundStep runs the step the path names on an application and shows the
// page again: with every problem next to its field, and what was typed.
func (s *Server) fundStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx, u, f, svc := r.Context(), UserFrom(r.Context()), r.PostForm, s.fundSvc()
	var unread concord.Errors
	step := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	switch step {
	case "screening":
		_, err = svc.Screen(ctx, u, id, f.Get("decision") == "eligible", f.Get("reasons"))
	case "reviews":
		score, _ := strconv.Atoi(f.Get("score"))
		_, err = svc.Review(ctx, u, id, score, f.Get("comment"), nil)
	case "award":
		_, err = svc.Award(ctx, u, id, readAmount(f, "amount", &unread), unread)
	case "disbursements":
		_, err = svc.Disburse(ctx, u, id, readAmount(f, "amount", &unread), f.Get("note"), unread)
	case "reports":
		_, err = svc.Report(ctx, u, id, f.Get("text"))
	default:
		return concord.ErrNotFound
	}
	if de := formError(err); de != nil {
		return s.showFundApplication(w, r, Status(de.Code), id, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/fund/applications/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
	return nil
}
