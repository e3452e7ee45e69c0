package accreditation

// Applications and their state machine (domain brief §7.2):
//
//	draft -> submitted -> [ECOSOC route]    accredited (status verified against the ECOSOC list)
//	                   -> [non-objection]   returned -> submitted (resubmit, until circulation)
//	                                        rejected (screened out)
//	                                        circulated -> accredited | blocked   (Decide, at the deadline)
//	draft | submitted | returned | circulated | accredited -> withdrawn
//	accredited -> expired (at the window's ValidUntil)
//
// Who may do what (everything else is refused with EForbidden, or
// EUnauthorized for the public and disabled accounts; the role is checked
// before the status, so a refused actor learns nothing about the application):
//
//	transition        actor                                  from
//	Apply             focal point of the org, Secretariat    —
//	Edit              focal point of the org, Secretariat    draft, submitted, returned
//	Submit            focal point of the org, Secretariat    draft
//	Resubmit          focal point of the org, Secretariat    returned
//	Withdraw          focal point of the org, Secretariat    draft, submitted, returned, circulated, accredited
//	Return, Reject    Secretariat                            submitted (Reject also returned)
//	VerifyECOSOC      Secretariat                            submitted, ECOSOC route
//	Circulate         Secretariat                            submitted, non-objection route (whole window)
//	Object            delegate of the objecting State        circulated
//	WithdrawObjection delegate of the objecting State        circulated
//	Decide, Expire    nobody: timers, pure functions of now  circulated; accredited
//
// The Secretariat acts for an applicant only on its written request (a letter
// received by e-mail); the history records who acted. The Chair and
// co-facilitators have no transition: objections reach the Chair through the
// disclosure rules, not through a role in the procedure.
//
// Each application belongs to one window. An organisation that applies again
// in a later window gets a new application; its history is the list of its
// applications (History). On error a transition leaves the
// application unchanged.

import (
	"cmp"
	"concord"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Why an organisation that signed up itself may not apply yet.
var (
	ErrOrgUnverified   = concord.Errorf(concord.EConflict, "", "error.signup_unverified", "the Secretariat has not verified this organisation yet")
	ErrEmailUnverified = concord.Errorf(concord.EConflict, "", "error.signup_email_unverified", "verify your email address first")
)

// CanApplyAfterSignup is the guard before an organisation applies: one
// that signed up itself (selfRegistered) applies once the Secretariat has
// verified it, and its focal point once their own address is verified.
// Every reason at once; an organisation the Secretariat registered passes.
func CanApplyAfterSignup(selfRegistered, verified bool, u *concord.User) error {
	if !selfRegistered {
		return nil
	}
	var errs concord.Errors
	if u != nil && u.Role == concord.RoleFocalPoint && !u.EmailVerified {
		errs = append(errs, ErrEmailUnverified)
	}
	if !verified {
		errs = append(errs, ErrOrgUnverified)
	}
	return errs.Err()
}

// Route is the way an application is decided.
type Route string

// The two routes (brief §2.3 and §2.4).
const (
	RouteECOSOC       Route = "ecosoc"        // ECOSOC consultative status: accredited as a rule
	RouteNonObjection Route = "non_objection" // circulated to States, blocked by any objection
)

// ApplicationStatus is the state of an accreditation application.
type ApplicationStatus string

// The states of the machine above.
const (
	ApplicationDraft      ApplicationStatus = "draft"      // being written; not seen by the Secretariat
	ApplicationSubmitted  ApplicationStatus = "submitted"  // inside the window; screening or ECOSOC check
	ApplicationReturned   ApplicationStatus = "returned"   // sent back by the Secretariat with remarks
	ApplicationRejected   ApplicationStatus = "rejected"   // screened out by the Secretariat, with remarks
	ApplicationWithdrawn  ApplicationStatus = "withdrawn"  // withdrawn by the applicant
	ApplicationCirculated ApplicationStatus = "circulated" // before States, awaiting the objection deadline
	ApplicationAccredited ApplicationStatus = "accredited" // ECOSOC verified, or no objection at the deadline
	ApplicationBlocked    ApplicationStatus = "blocked"    // an objection stood at the deadline: not accredited this cycle
	ApplicationExpired    ApplicationStatus = "expired"    // was accredited; validity ended
)

// ApplicationStatuses lists every status.
var ApplicationStatuses = []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationReturned,
	ApplicationRejected, ApplicationWithdrawn, ApplicationCirculated, ApplicationAccredited, ApplicationBlocked, ApplicationExpired}

// Content is what the applicant writes: the 2022 form and the
// letter on letterhead giving the organisation's purpose, its programmes and
// its past interactions with the UN.
type Content struct {
	Purpose    concord.Text
	Programmes concord.Text
	UNHistory  concord.Text
	Letter     string // reference of the uploaded letter on letterhead (a document id)
	// Representatives are the persons the organisation would send, by name
	// (names are not translated).
	Representatives []string
}

// maxRepresentatives bounds the list of representatives.
const maxRepresentatives = 20

// textLimit bounds each language version of a content field.
const textLimit = 5000

// Validate checks the content. A draft may be incomplete (complete false);
// a submitted application needs a purpose and the letter.
func (c *Content) Validate(complete bool) error {
	for _, f := range []struct {
		name string
		t    concord.Text
	}{{"purpose", c.Purpose}, {"programmes", c.Programmes}, {"un_history", c.UNHistory}} {
		for l, s := range f.t {
			if !concord.IsLanguage(l) {
				return concord.Errorf(concord.EInvalid, f.name, "error.language", "unknown language %q", l)
			}
			if utf8.RuneCountInString(s) > textLimit {
				return concord.Errorf(concord.EInvalid, f.name, "error.too_long", "%s over %d characters", f.name, textLimit)
			}
		}
	}
	if len(c.Representatives) > maxRepresentatives {
		return concord.Errorf(concord.EInvalid, "representatives", "error.too_many_representatives", "at most %d representatives", maxRepresentatives)
	}
	for _, n := range c.Representatives {
		if strings.TrimSpace(n) == "" || utf8.RuneCountInString(n) > 200 {
			return concord.Errorf(concord.EInvalid, "representatives", "error.too_long", "a representative's name must be 1 to 200 characters")
		}
	}
	if len(c.Letter) > 200 {
		return concord.Errorf(concord.EInvalid, "letter", "error.too_long", "letter reference over 200 characters")
	}
	if !complete {
		return nil
	}
	if s, _, _ := c.Purpose.In("en"); strings.TrimSpace(s) == "" {
		return concord.Errorf(concord.EInvalid, "purpose", "error.required", "the organisation's purpose is required in at least one language")
	}
	if strings.TrimSpace(c.Letter) == "" {
		return concord.Errorf(concord.EInvalid, "letter", "error.required", "the letter on letterhead is required")
	}
	return nil
}

// Event is one transition of an application, for its history
// and the audit log. It never names an objecting State: objections are kept
// apart, in Objections, behind the disclosure rules.
type Event struct {
	At      time.Time
	Actor   int64        // user id; 0 for a timer (decision, expiry)
	Role    concord.Role // "" for a timer
	From    ApplicationStatus
	To      ApplicationStatus
	Reasons []string // reason keys ("reason.…")
	Remarks []string // the Secretariat's words, on return or rejection
}

// Application is one organisation's application in one window.
type Application struct {
	ID     int64
	OrgID  int64
	Window string // Window.ID
	Route  Route
	Status ApplicationStatus

	// A snapshot of the organisation when it applied, so that statistics of a
	// past cycle do not move when a profile is edited.
	OrgType    string // stakeholder type
	OrgCountry string // ISO3 of headquarters
	ECOSOC     string // ECOSOC category: recorded by the Secretariat, "" when none
	// ECOSOCVerified is the list entry the Secretariat verified the
	// application against (ECOSOC route only), kept as it was then.
	ECOSOCVerified *ECOSOCEntry `json:",omitempty"`

	Content Content
	Reasons []string // reason keys explaining the current status
	Remarks []string // the Secretariat's remarks on the last return or rejection

	CreatedAt    time.Time
	SubmittedAt  time.Time // first submission; zero for a draft never submitted
	CirculatedAt time.Time
	DecidedAt    time.Time // accredited, blocked or rejected

	History    []Event
	Objections []Objection // confidential: show only through Disclose
}

// Reason keys: stable strings that explain a status or an outcome.
const (
	ReasonECOSOCVerified   = "reason.ecosoc_verified"
	ReasonECOSOCNotFound   = "reason.ecosoc_status_not_found"
	ReasonNoObjection      = "reason.no_objection"
	ReasonObjection        = "reason.objection_standing"
	ReasonBasisIgnored     = "reason.objection_without_basis_ignored"
	ReasonTooFewObjectors  = "reason.too_few_objectors"
	ReasonTooFewGroups     = "reason.too_few_groups"
	ReasonDeadlineNotYet   = "reason.deadline_not_reached"
	ReasonNotInRound       = "reason.not_in_round"
	ReasonOtherWindow      = "reason.other_window"
	ReasonECOSOCRoute      = "reason.ecosoc_route"
	ReasonReturned         = "reason.returned"
	ReasonRejected         = "reason.rejected"
	ReasonWithdrawn        = "reason.withdrawn"
	ReasonValidityEnded    = "reason.validity_ended"
	ReasonSubmitted        = "reason.submitted"
	ReasonCirculated       = "reason.circulated"
	ReasonApplicationDraft = "reason.draft"
)

// ErrorKeys lists every message key the accreditation code
// returns, so the message catalogues can be checked for completeness.
var ErrorKeys = []string{
	"error.unauthorized", "error.too_many_representatives", "error.forbidden", "error.required", "error.too_long", "error.language",
	"error.policy_version", "error.objection_period", "error.clock", "error.disclosure", "error.validity",
	"error.scope", "error.duplicate", "error.no_policy_in_force", "error.policy_mismatch",
	"error.scope_not_in_policy", "error.window_body", "error.cycle", "error.closes_before_opens",
	"error.valid_until", "error.circulation", "error.window_not_closed", "error.deadline_before_circulation",
	"error.window_overlap", "error.time_zone", "error.date", "error.local_time_skipped",
	"error.signup_unverified", "error.signup_email_unverified",
	"error.not_stakeholder", "error.window_mismatch", "error.window_closed", "error.window_not_open",
	"error.already_applied", "error.accreditation_status", "error.not_editable",
	"error.not_editable_after_circulation", "error.round_circulated", "error.reasons_required",
	"error.not_ecosoc_route", "error.ecosoc_list", "error.already_circulated", "error.ecosoc_unverified",
	"error.not_due", "error.deadline_passed", "error.objection_other_state",
	"error.objection_not_participant", "error.objection_duplicate", "error.basis_required",
	"error.objection_not_withdrawable", "error.objection_not_found", "error.rule", "error.decision_mismatch",
	"error.valid_until_decision", "error.ecosoc_id",
}

// ReasonKeys lists every reason key, for the catalogues.
var ReasonKeys = []string{
	ReasonECOSOCVerified, ReasonECOSOCNotFound, ReasonNoObjection,
	ReasonObjection, ReasonBasisIgnored, ReasonTooFewObjectors,
	ReasonTooFewGroups, ReasonDeadlineNotYet, ReasonNotInRound,
	ReasonOtherWindow, ReasonECOSOCRoute, ReasonReturned,
	ReasonRejected, ReasonWithdrawn, ReasonValidityEnded,
	ReasonSubmitted, ReasonCirculated, ReasonApplicationDraft,
}

// --- actor checks -----------------------------------------------------------

// signedIn refuses the public and disabled accounts.
func signedIn(u *concord.User) error {
	if u == nil || u.Disabled {
		return concord.Errorf(concord.EUnauthorized, "", "error.unauthorized", "sign in first")
	}
	return nil
}

// forApplicant allows whoever Can apply for organisation
// orgID (its focal point, and the Secretariat acting on the applicant's
// written request); the rule itself is Can's, with orgID as the target.
func forApplicant(u *concord.User, orgID int64, what string) error {
	if err := signedIn(u); err != nil {
		return err
	}
	if orgID != 0 && concord.Can(u, concord.ActApplyAccreditation, concord.Target{OrgID: orgID}) {
		return nil
	}
	return concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the applicant's focal point or the Secretariat may %s", what)
}

// secretariat allows the Secretariat only.
func secretariat(u *concord.User, what string) error {
	if err := signedIn(u); err != nil {
		return err
	}
	if u.Role != concord.RoleSecretariat {
		return concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Secretariat may %s", what)
	}
	return nil
}

func wrongStatus(what string, s ApplicationStatus) error {
	return concord.Errorf(concord.EConflict, "status", "error.accreditation_status", "cannot %s an application that is %s", what, s)
}

func (a *Application) inWindow(w *Window) error {
	if a.Window != w.ID {
		return concord.Errorf(concord.EInvalid, "window", "error.window_mismatch", "application belongs to window %q, not %q", a.Window, w.ID)
	}
	return nil
}

// move records a transition; slices are clipped so that copies of the
// application never share what is appended.
func (a *Application) move(to ApplicationStatus, actor *concord.User, now time.Time, reasons, remarks []string) {
	ev := Event{At: now, From: a.Status, To: to, Reasons: slices.Clone(reasons), Remarks: slices.Clone(remarks)}
	if actor != nil {
		ev.Actor, ev.Role = actor.ID, actor.Role
	}
	a.History = append(slices.Clip(a.History), ev)
	a.Status = to
	a.Reasons = reasons
}

func checkRemarks(remarks []string) ([]string, error) {
	var out []string
	for _, r := range remarks {
		if r = strings.TrimSpace(r); r != "" {
			if utf8.RuneCountInString(r) > 2000 {
				return nil, concord.Errorf(concord.EInvalid, "remarks", "error.too_long", "remark over 2000 characters")
			}
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, concord.Errorf(concord.EInvalid, "remarks", "error.reasons_required", "give the applicant at least one reason")
	}
	return out, nil
}

// --- transitions -------------------------------------------------------------

// Apply starts a draft application of org in window w. existing
// are the organisation's applications (any window): one live application per
// window, a withdrawn one does not count, so an applicant may withdraw and
// apply again while the window is open. Drafts may be started before the
// window opens, not after it closes. The route follows the ECOSOC status
// the Secretariat recorded for the organisation and the policy's
// ECOSOCScopes; a focal point cannot set that status (GuardProfile).
func Apply(p Policy, w Window, org concord.Organization, existing []Application, actor *concord.User, now time.Time) (Application, error) {
	if err := signedIn(actor); err != nil {
		return Application{}, err
	}
	if org.ID == 0 {
		return Application{}, concord.Errorf(concord.EInvalid, "org", "error.required", "the organisation must be registered first")
	}
	if err := forApplicant(actor, org.ID, "apply"); err != nil {
		return Application{}, err
	}
	if org.Kind != concord.OrgStakeholder {
		return Application{}, concord.Errorf(concord.EInvalid, "org", "error.not_stakeholder", "only stakeholder organisations apply for accreditation")
	}
	if p.Process != w.Process {
		return Application{}, concord.Errorf(concord.EInvalid, "window", "error.policy_mismatch", "policy of %q for a window of %q", p.Process, w.Process)
	}
	if !InTime(now, w.Closes) {
		return Application{}, concord.Errorf(concord.EConflict, "window", "error.window_closed", "the window closed at %s", w.Closes.UTC().Format(time.RFC3339))
	}
	for _, e := range existing {
		if e.OrgID == org.ID && e.Window == w.ID && e.Status != ApplicationWithdrawn {
			return Application{}, concord.Errorf(concord.EConflict, "window", "error.already_applied", "the organisation already has an application in this window (%s)", e.Status)
		}
	}
	route := RouteNonObjection
	if org.ECOSOC != "" && slices.Contains(p.ECOSOCScopes, w.Scope) {
		route = RouteECOSOC
	}
	a := Application{
		OrgID: org.ID, Window: w.ID, Route: route, Status: ApplicationDraft,
		OrgType: org.Type, OrgCountry: org.Country, ECOSOC: org.ECOSOC, CreatedAt: now,
	}
	a.move(ApplicationDraft, actor, now, []string{ReasonApplicationDraft}, nil)
	return a, nil
}

// Edit replaces the content. Allowed in draft, submitted and returned; a
// submitted application only while the window is open, a returned one until
// the window is circulated. After circulation nothing changes, because States
// consider what was circulated.
func (a *Application) Edit(c Content, w Window, actor *concord.User, now time.Time) error {
	if err := forApplicant(actor, a.OrgID, "edit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	switch {
	case a.Status == ApplicationDraft || a.Status == ApplicationSubmitted:
		if !InTime(now, w.Closes) {
			return concord.Errorf(concord.EConflict, "window", "error.window_closed", "the window has closed")
		}
	case a.Status == ApplicationReturned:
		if w.Circulated() {
			return concord.Errorf(concord.EConflict, "window", "error.round_circulated", "this round has been circulated to States")
		}
	case !a.CirculatedAt.IsZero():
		return concord.Errorf(concord.EConflict, "status", "error.not_editable_after_circulation", "the application was circulated to States and can no longer change")
	default:
		return concord.Errorf(concord.EConflict, "status", "error.not_editable", "an application that is %s can no longer change", a.Status)
	}
	if err := c.Validate(a.Status != ApplicationDraft); err != nil {
		return err
	}
	a.Content = c
	return nil
}

// Submit sends a complete draft to the Secretariat while the window is open.
func (a *Application) Submit(w Window, actor *concord.User, now time.Time) error {
	if err := forApplicant(actor, a.OrgID, "submit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationDraft {
		return wrongStatus("submit", a.Status)
	}
	if now.Before(w.Opens) {
		return concord.Errorf(concord.EConflict, "window", "error.window_not_open", "the window opens at %s", w.Opens.UTC().Format(time.RFC3339))
	}
	if !InTime(now, w.Closes) {
		return concord.Errorf(concord.EConflict, "window", "error.window_closed", "the window closed at %s", w.Closes.UTC().Format(time.RFC3339))
	}
	if err := a.Content.Validate(true); err != nil {
		return err
	}
	if a.SubmittedAt.IsZero() {
		a.SubmittedAt = now
	}
	a.move(ApplicationSubmitted, actor, now, []string{ReasonSubmitted}, nil)
	return nil
}

// Return sends a submitted application back for more information (screening,
// brief §2.4 step 2), with the Secretariat's remarks.
func (a *Application) Return(remarks []string, actor *concord.User, now time.Time) error {
	if err := secretariat(actor, "return an application"); err != nil {
		return err
	}
	if a.Status != ApplicationSubmitted {
		return wrongStatus("return", a.Status)
	}
	r, err := checkRemarks(remarks)
	if err != nil {
		return err
	}
	a.Remarks = r
	a.move(ApplicationReturned, actor, now, []string{ReasonReturned}, r)
	return nil
}

// Resubmit sends a returned application back to the Secretariat, even after
// the window has closed, as long as the round has not been circulated.
func (a *Application) Resubmit(w Window, actor *concord.User, now time.Time) error {
	if err := forApplicant(actor, a.OrgID, "resubmit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationReturned {
		return wrongStatus("resubmit", a.Status)
	}
	if w.Circulated() {
		return concord.Errorf(concord.EConflict, "window", "error.round_circulated", "this round has been circulated to States")
	}
	if err := a.Content.Validate(true); err != nil {
		return err
	}
	a.Remarks = nil
	a.move(ApplicationSubmitted, actor, now, []string{ReasonSubmitted}, nil)
	return nil
}

// Reject screens an application out (not a stakeholder in the sense of the
// modalities, not relevant), with the Secretariat's remarks. Final for the
// window.
func (a *Application) Reject(remarks []string, actor *concord.User, now time.Time) error {
	if err := secretariat(actor, "reject an application"); err != nil {
		return err
	}
	if a.Status != ApplicationSubmitted && a.Status != ApplicationReturned {
		return wrongStatus("reject", a.Status)
	}
	r, err := checkRemarks(remarks)
	if err != nil {
		return err
	}
	a.Remarks = r
	a.DecidedAt = now
	a.move(ApplicationRejected, actor, now, []string{ReasonRejected}, r)
	return nil
}

// Withdraw ends the application at the applicant's wish: before a decision,
// or after accreditation (renouncing it). A circulated application may be
// withdrawn only before the objection deadline; after it the decision is due.
// Objections already filed stay on record.
func (a *Application) Withdraw(w Window, actor *concord.User, now time.Time) error {
	if err := forApplicant(actor, a.OrgID, "withdraw the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	switch a.Status {
	case ApplicationDraft, ApplicationSubmitted, ApplicationReturned, ApplicationAccredited:
	case ApplicationCirculated:
		if !InTime(now, w.ObjectionDeadline) {
			return concord.Errorf(concord.EConflict, "deadline", "error.deadline_passed", "the objection deadline has passed; the decision is due")
		}
	default:
		return wrongStatus("withdraw", a.Status)
	}
	a.move(ApplicationWithdrawn, actor, now, []string{ReasonWithdrawn}, nil)
	return nil
}

// ECOSOCEntry is one organisation on the ECOSOC consultative
// status list as the Secretariat imported it: the identifier the list gives
// it, its name there and its category.
type ECOSOCEntry struct {
	ID       string
	Name     string
	Category string // general, special, roster
}

// VerifyECOSOC checks a submitted ECOSOC-route application against the
// imported list of organisations in consultative status. listed finds the
// organisation's entry by the ECOSOC identifier the Secretariat recorded for
// it, never by a name: a name is what an applicant writes, and an applicant
// could write another organisation's. Found: the application is accredited
// as a rule (brief §2.3 step 3) and keeps the entry it was verified against,
// so that a later change to the profile changes nothing. Not found: it moves
// to the non-objection route and stays submitted, to be circulated with the
// others; verified is then false.
func (a *Application) VerifyECOSOC(listed func(orgID int64) (ECOSOCEntry, bool), actor *concord.User, now time.Time) (verified bool, err error) {
	if err := secretariat(actor, "verify ECOSOC status"); err != nil {
		return false, err
	}
	if a.Status != ApplicationSubmitted {
		return false, wrongStatus("verify", a.Status)
	}
	if a.Route != RouteECOSOC {
		return false, concord.Errorf(concord.EConflict, "route", "error.not_ecosoc_route", "the application is on the %s route", a.Route)
	}
	if listed == nil {
		return false, concord.Errorf(concord.EInvalid, "ecosoc_list", "error.ecosoc_list", "no ECOSOC list to verify against")
	}
	if e, ok := listed(a.OrgID); ok && e.ID != "" {
		a.DecidedAt = now
		a.ECOSOC, a.ECOSOCVerified = e.Category, &e
		a.move(ApplicationAccredited, actor, now, []string{ReasonECOSOCVerified}, nil)
		return true, nil
	}
	a.Route = RouteNonObjection
	a.move(ApplicationSubmitted, actor, now, []string{ReasonECOSOCNotFound}, nil)
	return false, nil
}

// ValidFor returns the period an accreditation granted in w covers: from the
// decision to the window's ValidUntil (exclusive). ok is false, and the
// times zero, for an application that was never accredited.
func (a *Application) ValidFor(w Window) (from, until time.Time, ok bool) {
	if a.Status != ApplicationAccredited && a.Status != ApplicationExpired {
		return time.Time{}, time.Time{}, false
	}
	return a.DecidedAt, w.ValidUntil, true
}

// GuardProfile puts back into an edit of organisation cur the
// facts that only the Secretariat establishes, when u may not edit the
// registry: the ECOSOC category and the ECOSOC identifier. The ECOSOC route
// skips the objection round, so an applicant must not be able to claim it
// for itself. Both the page and the API apply it to every profile edit.
func GuardProfile(u *concord.User, cur concord.Organization, in *concord.Organization) {
	if !concord.Can(u, concord.ActEditRegistry, concord.Target{}) {
		in.ECOSOC, in.ECOSOCID = cur.ECOSOC, cur.ECOSOCID
	}
}

// Expire ends an accreditation at the window's ValidUntil. A timer calls it;
// there is no actor.
func (a *Application) Expire(w Window, now time.Time) error {
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationAccredited {
		return wrongStatus("expire", a.Status)
	}
	if InTime(now, w.ValidUntil) {
		return concord.Errorf(concord.EConflict, "valid_until", "error.not_due", "the accreditation is valid until %s", w.ValidUntil.UTC().Format(time.RFC3339))
	}
	a.move(ApplicationExpired, nil, now, []string{ReasonValidityEnded}, nil)
	return nil
}

// Circulate sends the window's screened applications to States
// (brief §2.4 step 3): every submitted non-objection application of w becomes
// circulated, and the window gets its objection deadline, computed from the
// policy in the process time zone loc. Only once per window, only after it
// closes, and only when no ECOSOC application still awaits verification (an
// unverified one may fall back to non-objection and must not miss the round).
// It returns how many applications were circulated; on error nothing changes.
func Circulate(p Policy, w *Window, apps []Application, loc *time.Location, actor *concord.User, now time.Time) (int, error) {
	if err := secretariat(actor, "circulate applications"); err != nil {
		return 0, err
	}
	if p.Process != w.Process {
		return 0, concord.Errorf(concord.EInvalid, "window", "error.policy_mismatch", "policy of %q for a window of %q", p.Process, w.Process)
	}
	if InTime(now, w.Closes) {
		return 0, concord.Errorf(concord.EConflict, "window", "error.window_not_closed", "the window is still taking applications")
	}
	if w.Circulated() {
		return 0, concord.Errorf(concord.EConflict, "window", "error.already_circulated", "this window was circulated at %s", w.CirculatedAt.UTC().Format(time.RFC3339))
	}
	for _, a := range apps {
		if a.Window == w.ID && a.Status == ApplicationSubmitted && a.Route == RouteECOSOC {
			return 0, concord.Errorf(concord.EConflict, "window", "error.ecosoc_unverified", "verify the ECOSOC applications first")
		}
	}
	deadline, err := ObjectionDeadline(p, now, loc)
	if err != nil {
		return 0, err
	}
	if !w.ValidUntil.After(deadline) {
		// Circulating now would decide accreditations that have already ended.
		return 0, concord.Errorf(concord.EConflict, "valid_until", "error.valid_until_decision",
			"accreditations of this window end at %s, before the objection deadline %s", w.ValidUntil.UTC().Format(time.RFC3339), deadline.UTC().Format(time.RFC3339))
	}
	n := 0
	for i := range apps {
		a := &apps[i]
		if a.Window == w.ID && a.Status == ApplicationSubmitted && a.Route == RouteNonObjection {
			a.CirculatedAt = now
			a.move(ApplicationCirculated, actor, now, []string{ReasonCirculated}, nil)
			n++
		}
	}
	w.CirculatedAt, w.ObjectionDeadline = now, deadline
	return n, nil
}

// History returns an organisation's applications, oldest first:
// its record across windows and cycles.
func History(apps []Application, orgID int64) []Application {
	var out []Application
	for _, a := range apps {
		if a.OrgID == orgID {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(x, y Application) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	return out
}
