// Package fund is the Voluntary Fund for capacity-building (issue 13): calls
// for applications opened by the Secretariat under the eligibility rule of
// the process, applications by States, screening, a committee's review,
// awards, disbursements and reports against an award. It is pure: the
// service (internal/fund) loads, checks permissions and saves.
//
// Who sees what is decided here too. Calls and awards are public; an
// application is the applicant State's, the Secretariat's and the call's
// reviewers'; review scores and comments are confidential to the
// Secretariat and the reviewers, and never shown to the applicant State,
// even when one of its delegates is a reviewer.
package fund

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/capacity"
)

// Currency is the one currency of the Fund's amounts (whole US dollars, as
// the UN trust funds report).
const Currency = "USD"

// MaxAmount bounds an amount: nothing the Fund handles comes near it, and a
// typo with three zeros too many is refused.
const MaxAmount = 1_000_000_000

// Score bounds of a review.
const (
	MinScore = 1
	MaxScore = 5
)

// Text limits (runes).
const (
	titleMax   = 200
	summaryMax = 5000
	noteMax    = 2000
)

// Call is a call for applications.
type Call struct {
	ID      int64
	Process string
	Title   string
	Area    capacity.Area
	Opens   time.Time // first instant applications are taken (UTC)
	Closes  time.Time // first instant they are no longer taken (UTC)
	Amount  int64     // available, in Currency
	// Reviewers are the users the Secretariat names to the review
	// committee of the call.
	Reviewers []int64
	Created   time.Time
	Updated   time.Time
}

// Status is where an application stands.
type Status string

// The statuses of an application.
const (
	Submitted Status = "submitted" // awaiting screening
	Eligible  Status = "eligible"  // screened: passed to the committee
	Returned  Status = "returned"  // screened: returned with reasons
	Awarded   Status = "awarded"
)

// Statuses lists them in the order pages show them.
var Statuses = []Status{Submitted, Eligible, Returned, Awarded}

// Screening is the Secretariat's screening of an application.
type Screening struct {
	By      int64
	At      time.Time
	Reasons string // why it was returned (required then)
}

// Award is the grant made on an application.
type Award struct {
	Amount int64
	At     time.Time
	By     int64
}

// Disbursement is one payment against an award.
type Disbursement struct {
	Amount int64
	At     time.Time
	Note   string
	By     int64
}

// Report is one report of the beneficiary State against its award.
type Report struct {
	Text string
	At   time.Time
	By   int64
}

// Application is a State's application to a call.
type Application struct {
	ID      int64
	Process string
	Call    int64
	State   string // ISO3 of the applicant State
	Project string // the project's title
	Summary string
	Area    capacity.Area
	Amount  int64 // requested
	Status  Status
	// RuleVersion is the version of the eligibility rule the application
	// was made under: a later change of the rule does not rewrite it.
	RuleVersion   int
	Screening     *Screening `json:",omitempty"`
	Award         *Award     `json:",omitempty"`
	Disbursements []Disbursement
	Reports       []Report
	Created       time.Time
	Updated       time.Time
}

// Review is one reviewer's score and comment on an application:
// confidential (CanSeeReviews).
type Review struct {
	Application int64
	Reviewer    int64
	Score       int
	Comment     string
	At          time.Time
}

func invalid(field, key, format string, args ...any) *concord.Error {
	return concord.Errorf(concord.EInvalid, field, key, format, args...)
}

func conflict(key, format string, args ...any) *concord.Error {
	return concord.Errorf(concord.EConflict, "", key, format, args...)
}

func checkText(errs *concord.Errors, field, s string, required bool, max int) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		errs.Add(invalid(field, "error.required", "%s is required", field))
	case utf8.RuneCountInString(s) > max:
		errs.Add(invalid(field, "error.too_long", "%s is over %d characters", field, max))
	}
}

func checkAmount(errs *concord.Errors, field string, n int64) {
	if n <= 0 || n > MaxAmount {
		errs.Add(invalid(field, "fund.error.amount", "%s must be a whole number of dollars from 1 to %d", field, MaxAmount))
	}
}

func checkArea(errs *concord.Errors, a capacity.Area) {
	if _, ok := capacity.Lookup(a); !ok {
		errs.Add(invalid("area", "portal.error.area", "choose an area"))
	}
}

// Normalise trims the call's text and orders its reviewers.
func (c *Call) Normalise() {
	c.Title = strings.TrimSpace(c.Title)
	slices.Sort(c.Reviewers)
	c.Reviewers = slices.Compact(c.Reviewers)
}

// Validate reports every problem of the call at once.
func (c Call) Validate() error {
	var errs concord.Errors
	checkText(&errs, "title", c.Title, true, titleMax)
	checkArea(&errs, c.Area)
	if c.Opens.IsZero() {
		errs.Add(invalid("opens", "error.required", "opens is required"))
	}
	if c.Closes.IsZero() {
		errs.Add(invalid("closes", "error.required", "closes is required"))
	} else if !c.Opens.IsZero() && !c.Closes.After(c.Opens) {
		errs.Add(invalid("closes", "fund.error.closes", "the call closes after it opens"))
	}
	checkAmount(&errs, "amount", c.Amount)
	return errs.Err()
}

// IsOpen reports whether the call takes applications at t.
func (c Call) IsOpen(t time.Time) bool { return !t.Before(c.Opens) && t.Before(c.Closes) }

// IsReviewer reports whether user id sits on the call's review committee.
func (c Call) IsReviewer(id int64) bool { return id != 0 && slices.Contains(c.Reviewers, id) }

// Normalise trims the application's text.
func (a *Application) Normalise() {
	a.Project, a.Summary = strings.TrimSpace(a.Project), strings.TrimSpace(a.Summary)
}

// Validate reports every problem of the application's own fields at once.
func (a Application) Validate() error {
	var errs concord.Errors
	checkText(&errs, "project", a.Project, true, titleMax)
	checkText(&errs, "summary", a.Summary, true, summaryMax)
	checkArea(&errs, a.Area)
	checkAmount(&errs, "amount", a.Amount)
	return errs.Err()
}

// Submit checks a new application against its call at now, with whether
// the State is eligible under the rule in force, and reports every problem
// at once: its own fields, a call not open, a State not eligible, an
// amount above what the call makes available.
func (a *Application) Submit(c Call, eligible bool, ruleVersion int, now time.Time) error {
	a.Normalise()
	var errs concord.Errors
	errs.Add(a.Validate())
	switch {
	case now.Before(c.Opens):
		errs.Add(invalid("call", "fund.error.not_open", "the call is not open yet"))
	case !now.Before(c.Closes):
		errs.Add(invalid("call", "fund.error.closed", "the call closed on %s", c.Closes.Format(time.RFC3339)))
	}
	if !eligible {
		errs.Add(invalid("state", "fund.error.not_eligible", "the State is not eligible under the Fund's rule in force"))
	}
	if a.Amount > c.Amount {
		errs.Add(invalid("amount", "fund.error.above_call", "the amount is above the %d the call makes available", c.Amount))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a.Process, a.Call, a.Status, a.RuleVersion = c.Process, c.ID, Submitted, ruleVersion
	return nil
}

// Screen records the Secretariat's screening: eligible, or returned with
// reasons.
func (a *Application) Screen(eligible bool, reasons string, by int64, now time.Time) error {
	if a.Status != Submitted {
		return conflict("fund.error.screened", "the application has already been screened")
	}
	reasons = strings.TrimSpace(reasons)
	var errs concord.Errors
	if !eligible {
		checkText(&errs, "reasons", reasons, true, noteMax)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a.Screening = &Screening{By: by, At: now, Reasons: reasons}
	a.Status = Returned
	if eligible {
		a.Status = Eligible
	}
	return nil
}

// CheckReview checks a review of a by reviewer (of the State reviewerState,
// "" when none) on call c: only a named reviewer, never one of the
// applicant State, only an application passed to the committee.
func CheckReview(c Call, a Application, r Review, reviewerState string) error {
	if !c.IsReviewer(r.Reviewer) {
		return concord.Errorf(concord.EForbidden, "", "fund.error.not_reviewer", "only the reviewers named for the call review its applications")
	}
	if reviewerState != "" && reviewerState == a.State {
		return concord.Errorf(concord.EForbidden, "", "fund.error.own_state", "a reviewer does not review an application of their own State")
	}
	if a.Status != Eligible && a.Status != Awarded {
		return conflict("fund.error.not_eligible_yet", "only an application screened as eligible is reviewed")
	}
	var errs concord.Errors
	if r.Score < MinScore || r.Score > MaxScore {
		errs.Add(invalid("score", "fund.error.score", "the score is from %d to %d", MinScore, MaxScore))
	}
	checkText(&errs, "comment", r.Comment, false, noteMax)
	return errs.Err()
}

// MakeAward grants amount on an eligible application, within what the call
// has left once its other awards (awarded) are counted.
func (a *Application) MakeAward(c Call, amount, awarded int64, by int64, now time.Time) error {
	if a.Status != Eligible {
		return conflict("fund.error.not_awardable", "only an application screened as eligible, not yet awarded, is awarded")
	}
	var errs concord.Errors
	checkAmount(&errs, "amount", amount)
	if amount > a.Amount {
		errs.Add(invalid("amount", "fund.error.above_request", "the award is above the %d requested", a.Amount))
	}
	if amount > c.Amount-awarded {
		errs.Add(invalid("amount", "fund.error.above_left", "the call has %d left", c.Amount-awarded))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a.Award, a.Status = &Award{Amount: amount, At: now, By: by}, Awarded
	return nil
}

// Disbursed is the sum paid so far against the award.
func (a Application) Disbursed() int64 {
	var n int64
	for _, d := range a.Disbursements {
		n += d.Amount
	}
	return n
}

// Disburse records a payment against the award, never beyond it.
func (a *Application) Disburse(amount int64, note string, by int64, now time.Time) error {
	if a.Award == nil {
		return conflict("fund.error.no_award", "payments and reports are made against an award")
	}
	var errs concord.Errors
	checkAmount(&errs, "amount", amount)
	checkText(&errs, "note", note, false, noteMax)
	if left := a.Award.Amount - a.Disbursed(); amount > left {
		errs.Add(invalid("amount", "fund.error.above_award", "%d of the award is left to pay", left))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a.Disbursements = append(a.Disbursements, Disbursement{Amount: amount, At: now, Note: strings.TrimSpace(note), By: by})
	return nil
}

// AddReport records a report of the beneficiary against its award.
func (a *Application) AddReport(text string, by int64, now time.Time) error {
	if a.Award == nil {
		return conflict("fund.error.no_award", "payments and reports are made against an award")
	}
	var errs concord.Errors
	checkText(&errs, "text", text, true, summaryMax)
	if err := errs.Err(); err != nil {
		return err
	}
	a.Reports = append(a.Reports, Report{Text: strings.TrimSpace(text), At: now, By: by})
	return nil
}

// CanView reports whether u sees application a of call c: the Secretariat,
// the applicant State's delegates, the call's reviewers; everyone sees an
// award (its project, State, area and amount: PublicAward).
func CanView(u *concord.User, c Call, a Application) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == concord.RoleSecretariat || (u.Role == concord.RoleDelegate && u.State != "" && u.State == a.State) || c.IsReviewer(u.ID)
}

// CanSeeReviews reports whether u reads the confidential reviews of a: the
// Secretariat, and the call's reviewers who are not of the applicant
// State. Never the applicant State, nor anyone else.
func CanSeeReviews(u *concord.User, c Call, a Application) bool {
	if u == nil || u.Disabled {
		return false
	}
	if u.Role == concord.RoleSecretariat {
		return true
	}
	return c.IsReviewer(u.ID) && (u.State == "" || u.State != a.State)
}

// CanReport reports whether u reports against a's award: the Secretariat
// (for a report received in writing) or a delegate who speaks for the
// beneficiary State.
func CanReport(u *concord.User, a Application) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == concord.RoleSecretariat || (u.Role == concord.RoleDelegate && !u.ReadOnly && u.State == a.State)
}
