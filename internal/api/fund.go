package api

import (
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/fund"
	"concord/internal/auth"
	"concord/internal/fundsvc"
)

// The Voluntary Fund: the twins of the /{lang}/fund pages. An application
// another State made is "not found" (its existence undisclosed) until it
// is awarded, and then shows only its award; the committee's reviews are
// null for everyone but the Secretariat and the call's reviewers.

func (a *API) fundRoutes() []Route {
	return []Route{
		{"GET", "/fund", concord.ActRead, nil, "/fund", a.fundSummary},
		{"POST", "/fund/calls", concord.ActManageFund, nil, "/fund/calls", a.openCall},
		{"GET", "/fund/calls/{id}", concord.ActRead, nil, "/fund/calls/1", a.getCall},
		{"PUT", "/fund/calls/{id}", concord.ActManageFund, nil, "/fund/calls/1", a.editCall},
		{"POST", "/fund/calls/{id}/applications", concord.ActApplyFund, nil, "/fund/calls/1/applications", a.applyFund},
		{"GET", "/fund/applications/{id}", concord.ActRead, nil, "/fund/applications/1", a.getFundApplication},
		{"POST", "/fund/applications/{id}/screening", concord.ActManageFund, nil, "/fund/applications/1/screening", a.screenFund},
		{"POST", "/fund/applications/{id}/reviews", concord.ActAccount, nil, "/fund/applications/1/reviews", a.reviewFund},
		{"POST", "/fund/applications/{id}/award", concord.ActManageFund, nil, "/fund/applications/1/award", a.awardFund},
		{"POST", "/fund/applications/{id}/disbursements", concord.ActManageFund, nil, "/fund/applications/1/disbursements", a.disburseFund},
		{"POST", "/fund/applications/{id}/reports", concord.ActAccount, nil, "/fund/applications/1/reports", a.reportFund},
	}
}

func (a *API) fund() *fundsvc.Service {
	return &fundsvc.Service{DB: a.Decide.DB, Process: a.Decide.Process}
}

// CallJSON is a call for applications; amounts in whole US dollars.
// Reviewers (user ids) only for the Secretariat, null for everyone else.
type CallJSON struct {
	ID        int64         `json:"id"`
	Title     string        `json:"title"`
	Area      capacity.Area `json:"area"`
	Opens     time.Time     `json:"opens"`
	Closes    time.Time     `json:"closes"`
	Open      bool          `json:"open"`
	Amount    int64         `json:"amount"`
	Currency  string        `json:"currency"`
	Reviewers *[]int64      `json:"reviewers"`
}

func (a *API) callJSON(r *http.Request, c fund.Call) CallJSON {
	out := CallJSON{ID: c.ID, Title: c.Title, Area: c.Area, Opens: c.Opens.UTC(), Closes: c.Closes.UTC(), Open: c.IsOpen(a.Decide.DB.Now()),
		Amount: c.Amount, Currency: fund.Currency}
	if concord.Can(auth.UserFrom(r.Context()), concord.ActManageFund, concord.Target{}) {
		rs := append([]int64{}, c.Reviewers...)
		out.Reviewers = &rs
	}
	return out
}

// ScreeningJSON is the Secretariat's screening.
type ScreeningJSON struct {
	At      time.Time `json:"at"`
	Reasons string    `json:"reasons"`
}

// AwardJSON is an award.
type AwardJSON struct {
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
}

// DisbursementJSON is a payment against an award.
type DisbursementJSON struct {
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
	Note   string    `json:"note"`
}

// FundReportJSON is a report against an award.
type FundReportJSON struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// ReviewJSON is a reviewer's score and comment: confidential.
type ReviewJSON struct {
	Application int64     `json:"application"`
	Reviewer    int64     `json:"reviewer"`
	Score       int       `json:"score"`
	Comment     string    `json:"comment"`
	At          time.Time `json:"at"`
}

func reviewJSON(r fund.Review) ReviewJSON {
	return ReviewJSON{Application: r.Application, Reviewer: r.Reviewer, Score: r.Score, Comment: r.Comment, At: r.At.UTC()}
}

// FundApplicationJSON is an application as the reader may see it.
type FundApplicationJSON struct {
	ID            int64              `json:"id"`
	Call          int64              `json:"call"`
	State         string             `json:"state"`
	Project       string             `json:"project"`
	Summary       string             `json:"summary"`
	Area          capacity.Area      `json:"area"`
	Amount        int64              `json:"amount"`
	Status        fund.Status        `json:"status"`
	RuleVersion   int                `json:"rule_version"`
	Screening     *ScreeningJSON     `json:"screening"`
	Award         *AwardJSON         `json:"award"`
	Disbursements []DisbursementJSON `json:"disbursements"`
	Disbursed     int64              `json:"disbursed"`
	Reports       []FundReportJSON   `json:"reports"`
	Reviews       *[]ReviewJSON      `json:"reviews"`
	Created       time.Time          `json:"created"`
	Updated       time.Time          `json:"updated"`
}

func fundApplicationJSON(x fund.Application, reviews []fund.Review, seesReviews bool) FundApplicationJSON {
	out := FundApplicationJSON{ID: x.ID, Call: x.Call, State: x.State, Project: x.Project, Summary: x.Summary, Area: x.Area, Amount: x.Amount,
		Status: x.Status, RuleVersion: x.RuleVersion, Disbursements: []DisbursementJSON{}, Disbursed: x.Disbursed(), Reports: []FundReportJSON{},
		Created: x.Created.UTC(), Updated: x.Updated.UTC()}
	if x.Screening != nil {
		out.Screening = &ScreeningJSON{At: x.Screening.At.UTC(), Reasons: x.Screening.Reasons}
	}
	if x.Award != nil {
		out.Award = &AwardJSON{Amount: x.Award.Amount, At: x.Award.At.UTC()}
	}
	for _, d := range x.Disbursements {
		out.Disbursements = append(out.Disbursements, DisbursementJSON{Amount: d.Amount, At: d.At.UTC(), Note: d.Note})
	}
	for _, r := range x.Reports {
		out.Reports = append(out.Reports, FundReportJSON{Text: r.Text, At: r.At.UTC()})
	}
	if seesReviews {
		rs := make([]ReviewJSON, 0, len(reviews))
		for _, r := range reviews {
			rs = append(rs, reviewJSON(r))
		}
		out.Reviews = &rs
	}
	return out
}

// FundTotalJSON is what was awarded to one regional group or in one area.
type FundTotalJSON struct {
	Key    string `json:"key"`
	Awards int    `json:"awards"`
	Amount int64  `json:"amount"`
}

// FundSummaryJSON is the Fund's public page.
type FundSummaryJSON struct {
	Currency  string                `json:"currency"`
	Calls     []CallJSON            `json:"calls"`
	Awards    []FundApplicationJSON `json:"awards"`
	Awarded   int64                 `json:"awarded"`
	Disbursed int64                 `json:"disbursed"`
	ByRegion  []FundTotalJSON       `json:"by_region"`
	ByArea    []FundTotalJSON       `json:"by_area"`
}

func totalsJSON(ts []fund.Total) []FundTotalJSON {
	out := make([]FundTotalJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, FundTotalJSON{Key: t.Key, Awards: t.Awards, Amount: t.Amount})
	}
	return out
}

func (a *API) fundSummary(r *http.Request) (int, any, error) {
	s, err := a.fund().Summarise(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := FundSummaryJSON{Currency: fund.Currency, Calls: make([]CallJSON, 0, len(s.Calls)), Awards: make([]FundApplicationJSON, 0, len(s.Awards)),
		Awarded: s.Totals.Amount, Disbursed: s.Totals.Disbursed, ByRegion: totalsJSON(s.Totals.ByRegion), ByArea: totalsJSON(s.Totals.ByArea)}
	for _, c := range s.Calls {
		out.Calls = append(out.Calls, a.callJSON(r, c))
	}
	for _, x := range s.Awards {
		out.Awards = append(out.Awards, fundApplicationJSON(x, nil, false))
	}
	return http.StatusOK, out, nil
}

// CallRequest opens a call, or changes one (the whole call): instants in RFC 3339, reviewers as usernames.
type CallRequest struct {
	Title     string    `json:"title"`
	Area      string    `json:"area"`
	Opens     time.Time `json:"opens"`
	Closes    time.Time `json:"closes"`
	Amount    int64     `json:"amount"`
	Reviewers []string  `json:"reviewers"`
}

func (a *API) openCall(r *http.Request) (int, any, error) {
	var req CallRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	c, err := a.fund().SaveCall(r.Context(), auth.UserFrom(r.Context()), 0, fundsvc.CallInput{Title: req.Title, Area: req.Area,
		Opens: req.Opens, Closes: req.Closes, Amount: req.Amount, Reviewers: req.Reviewers})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, a.callJSON(r, c), nil
}

// editCall changes call id: the request is the whole call, as when it was
// opened (fundsvc.SaveCall says what may still change).
func (a *API) editCall(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var req CallRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	c, err := a.fund().SaveCall(r.Context(), auth.UserFrom(r.Context()), id, fundsvc.CallInput{Title: req.Title, Area: req.Area,
		Opens: req.Opens, Closes: req.Closes, Amount: req.Amount, Reviewers: req.Reviewers})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a.callJSON(r, c), nil
}

// CallDetailJSON is a call with the applications the reader sees.
type CallDetailJSON struct {
	Call         CallJSON              `json:"call"`
	Applications []FundApplicationJSON `json:"applications"`
}

func (a *API) getCall(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	c, err := a.fund().Call(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	apps, err := a.fund().Applications(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	out := CallDetailJSON{Call: a.callJSON(r, c), Applications: make([]FundApplicationJSON, 0, len(apps))}
	for _, x := range apps {
		out.Applications = append(out.Applications, fundApplicationJSON(x, nil, false))
	}
	return http.StatusOK, out, nil
}

// FundApplicationRequest applies to a call for the delegate's State.
type FundApplicationRequest struct {
	Project string `json:"project"`
	Summary string `json:"summary"`
	Area    string `json:"area"`
	Amount  int64  `json:"amount"`
}

func (a *API) applyFund(r *http.Request) (int, any, error) {
	var req FundApplicationRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	x, err := a.fund().Apply(r.Context(), auth.UserFrom(r.Context()), id, fundsvc.ApplicationInput{Project: req.Project, Summary: req.Summary, Area: req.Area, Amount: req.Amount})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, fundApplicationJSON(x, nil, false), nil
}

// fundApp answers with application id as the reader now sees it.
func (a *API) fundApp(r *http.Request, id int64, status int) (int, any, error) {
	v, err := a.fund().Application(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return status, fundApplicationJSON(v.App, v.Reviews, v.SeesReviews), nil
}

func (a *API) getFundApplication(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	return a.fundApp(r, id, http.StatusOK)
}

// ScreeningRequest screens an application: eligible, or returned with
// reasons.
type ScreeningRequest struct {
	Eligible bool   `json:"eligible"`
	Reasons  string `json:"reasons"`
}

func (a *API) screenFund(r *http.Request) (int, any, error) {
	var req ScreeningRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.fund().Screen(r.Context(), auth.UserFrom(r.Context()), id, req.Eligible, req.Reasons); err != nil {
		return 0, nil, err
	}
	return a.fundApp(r, id, http.StatusOK)
}

// ReviewRequest is a reviewer's score (1 to 5) and comment.
type ReviewRequest struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

func (a *API) reviewFund(r *http.Request) (int, any, error) {
	var req ReviewRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	rv, err := a.fund().Review(r.Context(), auth.UserFrom(r.Context()), id, req.Score, req.Comment, nil)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reviewJSON(rv), nil
}

// AmountRequest is an award or a disbursement, in whole US dollars.
type AmountRequest struct {
	Amount int64  `json:"amount"`
	Note   string `json:"note"`
}

func (a *API) awardFund(r *http.Request) (int, any, error) {
	var req AmountRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.fund().Award(r.Context(), auth.UserFrom(r.Context()), id, req.Amount, nil); err != nil {
		return 0, nil, err
	}
	return a.fundApp(r, id, http.StatusOK)
}

func (a *API) disburseFund(r *http.Request) (int, any, error) {
	var req AmountRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.fund().Disburse(r.Context(), auth.UserFrom(r.Context()), id, req.Amount, req.Note, nil); err != nil {
		return 0, nil, err
	}
	return a.fundApp(r, id, http.StatusCreated)
}

// FundReportRequest is a report against an award.
type FundReportRequest struct {
	Text string `json:"text"`
}

func (a *API) reportFund(r *http.Request) (int, any, error) {
	var req FundReportRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.fund().Report(r.Context(), auth.UserFrom(r.Context()), id, strings.TrimSpace(req.Text)); err != nil {
		return 0, nil, err
	}
	return a.fundApp(r, id, http.StatusCreated)
}
