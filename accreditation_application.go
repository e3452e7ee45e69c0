package concord

// Applications and their state machine (domain brief §7.2):
//
//	draft -> submitted -> [ECOSOC route]    accredited (status verified against the ECOSOC list)
//	                   -> [non-objection]   returned -> submitted (resubmit, until circulation)
//	                                        rejected (screened out)
//	                                        circulated -> accredited | blocked   (AccreditationDecide, at the deadline)
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
// applications (AccreditationHistory). On error a transition leaves the
// application unchanged.

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AccreditationRoute is the way an application is decided.
type AccreditationRoute string

// The two routes (brief §2.3 and §2.4).
const (
	AccreditationRouteECOSOC       AccreditationRoute = "ecosoc"        // ECOSOC consultative status: accredited as a rule
	AccreditationRouteNonObjection AccreditationRoute = "non_objection" // circulated to States, blocked by any objection
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

// AccreditationContent is what the applicant writes: the 2022 form and the
// letter on letterhead giving the organisation's purpose, its programmes and
// its past interactions with the UN.
type AccreditationContent struct {
	Purpose    Text
	Programmes Text
	UNHistory  Text
	Letter     string // reference of the uploaded letter on letterhead (a document id)
	// Representatives are the persons the organisation would send, by name
	// (names are not translated).
	Representatives []string
}

// accreditationMaxRepresentatives bounds the list of representatives.
const accreditationMaxRepresentatives = 20

// accreditationTextLimit bounds each language version of a content field.
const accreditationTextLimit = 5000

// Validate checks the content. A draft may be incomplete (complete false);
// a submitted application needs a purpose and the letter.
func (c *AccreditationContent) Validate(complete bool) error {
	for _, f := range []struct {
		name string
		t    Text
	}{{"purpose", c.Purpose}, {"programmes", c.Programmes}, {"un_history", c.UNHistory}} {
		for l, s := range f.t {
			if !IsLanguage(l) {
				return Errorf(EInvalid, f.name, "error.language", "unknown language %q", l)
			}
			if utf8.RuneCountInString(s) > accreditationTextLimit {
				return Errorf(EInvalid, f.name, "error.too_long", "%s over %d characters", f.name, accreditationTextLimit)
			}
		}
	}
	if len(c.Representatives) > accreditationMaxRepresentatives {
		return Errorf(EInvalid, "representatives", "error.too_many_representatives", "at most %d representatives", accreditationMaxRepresentatives)
	}
	for _, n := range c.Representatives {
		if strings.TrimSpace(n) == "" || utf8.RuneCountInString(n) > 200 {
			return Errorf(EInvalid, "representatives", "error.too_long", "a representative's name must be 1 to 200 characters")
		}
	}
	if len(c.Letter) > 200 {
		return Errorf(EInvalid, "letter", "error.too_long", "letter reference over 200 characters")
	}
	if !complete {
		return nil
	}
	if s, _, _ := c.Purpose.In("en"); strings.TrimSpace(s) == "" {
		return Errorf(EInvalid, "purpose", "error.required", "the organisation's purpose is required in at least one language")
	}
	if strings.TrimSpace(c.Letter) == "" {
		return Errorf(EInvalid, "letter", "error.required", "the letter on letterhead is required")
	}
	return nil
}

// AccreditationEvent is one transition of an application, for its history
// and the audit log. It never names an objecting State: objections are kept
// apart, in Objections, behind the disclosure rules.
type AccreditationEvent struct {
	At      time.Time
	Actor   int64 // user id; 0 for a timer (decision, expiry)
	Role    Role  // "" for a timer
	From    ApplicationStatus
	To      ApplicationStatus
	Reasons []string // reason keys ("reason.…")
	Remarks []string // the Secretariat's words, on return or rejection
}

// AccreditationApplication is one organisation's application in one window.
type AccreditationApplication struct {
	ID     int64
	OrgID  int64
	Window string // AccreditationWindow.ID
	Route  AccreditationRoute
	Status ApplicationStatus

	// A snapshot of the organisation when it applied, so that statistics of a
	// past cycle do not move when a profile is edited.
	OrgType    string // stakeholder type
	OrgCountry string // ISO3 of headquarters
	ECOSOC     string // ECOSOC category: recorded by the Secretariat, "" when none
	// ECOSOCVerified is the list entry the Secretariat verified the
	// application against (ECOSOC route only), kept as it was then.
	ECOSOCVerified *AccreditationECOSOCEntry `json:",omitempty"`

	Content AccreditationContent
	Reasons []string // reason keys explaining the current status
	Remarks []string // the Secretariat's remarks on the last return or rejection

	CreatedAt    time.Time
	SubmittedAt  time.Time // first submission; zero for a draft never submitted
	CirculatedAt time.Time
	DecidedAt    time.Time // accredited, blocked or rejected

	History    []AccreditationEvent
	Objections []AccreditationObjection // confidential: show only through AccreditationDisclose
}

// Reason keys: stable strings that explain a status or an outcome.
const (
	AccreditationReasonECOSOCVerified   = "reason.ecosoc_verified"
	AccreditationReasonECOSOCNotFound   = "reason.ecosoc_status_not_found"
	AccreditationReasonNoObjection      = "reason.no_objection"
	AccreditationReasonObjection        = "reason.objection_standing"
	AccreditationReasonBasisIgnored     = "reason.objection_without_basis_ignored"
	AccreditationReasonTooFewObjectors  = "reason.too_few_objectors"
	AccreditationReasonTooFewGroups     = "reason.too_few_groups"
	AccreditationReasonDeadlineNotYet   = "reason.deadline_not_reached"
	AccreditationReasonNotInRound       = "reason.not_in_round"
	AccreditationReasonOtherWindow      = "reason.other_window"
	AccreditationReasonECOSOCRoute      = "reason.ecosoc_route"
	AccreditationReasonReturned         = "reason.returned"
	AccreditationReasonRejected         = "reason.rejected"
	AccreditationReasonWithdrawn        = "reason.withdrawn"
	AccreditationReasonValidityEnded    = "reason.validity_ended"
	AccreditationReasonSubmitted        = "reason.submitted"
	AccreditationReasonCirculated       = "reason.circulated"
	AccreditationReasonApplicationDraft = "reason.draft"
)

// AccreditationErrorKeys lists every message key the accreditation code
// returns, so the message catalogues can be checked for completeness.
var AccreditationErrorKeys = []string{
	"error.unauthorized", "error.too_many_representatives", "error.forbidden", "error.required", "error.too_long", "error.language",
	"error.policy_version", "error.objection_period", "error.clock", "error.disclosure", "error.validity",
	"error.scope", "error.duplicate", "error.no_policy_in_force", "error.policy_mismatch",
	"error.scope_not_in_policy", "error.window_body", "error.cycle", "error.closes_before_opens",
	"error.valid_until", "error.circulation", "error.window_not_closed", "error.deadline_before_circulation",
	"error.window_overlap", "error.time_zone", "error.date", "error.local_time_skipped",
	"error.not_stakeholder", "error.window_mismatch", "error.window_closed", "error.window_not_open",
	"error.already_applied", "error.accreditation_status", "error.not_editable",
	"error.not_editable_after_circulation", "error.round_circulated", "error.reasons_required",
	"error.not_ecosoc_route", "error.ecosoc_list", "error.already_circulated", "error.ecosoc_unverified",
	"error.not_due", "error.deadline_passed", "error.objection_other_state",
	"error.objection_not_participant", "error.objection_duplicate", "error.basis_required",
	"error.objection_not_withdrawable", "error.objection_not_found", "error.rule", "error.decision_mismatch",
	"error.valid_until_decision", "error.ecosoc_id",
}

// AccreditationReasonKeys lists every reason key, for the catalogues.
var AccreditationReasonKeys = []string{
	AccreditationReasonECOSOCVerified, AccreditationReasonECOSOCNotFound, AccreditationReasonNoObjection,
	AccreditationReasonObjection, AccreditationReasonBasisIgnored, AccreditationReasonTooFewObjectors,
	AccreditationReasonTooFewGroups, AccreditationReasonDeadlineNotYet, AccreditationReasonNotInRound,
	AccreditationReasonOtherWindow, AccreditationReasonECOSOCRoute, AccreditationReasonReturned,
	AccreditationReasonRejected, AccreditationReasonWithdrawn, AccreditationReasonValidityEnded,
	AccreditationReasonSubmitted, AccreditationReasonCirculated, AccreditationReasonApplicationDraft,
}

// --- actor checks -----------------------------------------------------------

// accreditationSignedIn refuses the public and disabled accounts.
func accreditationSignedIn(u *User) error {
	if u == nil || u.Disabled {
		return Errorf(EUnauthorized, "", "error.unauthorized", "sign in first")
	}
	return nil
}

// accreditationForApplicant allows whoever Can apply for organisation
// orgID (its focal point, and the Secretariat acting on the applicant's
// written request); the rule itself is Can's, with orgID as the target.
func accreditationForApplicant(u *User, orgID int64, what string) error {
	if err := accreditationSignedIn(u); err != nil {
		return err
	}
	if orgID != 0 && Can(u, ActApplyAccreditation, Target{OrgID: orgID}) {
		return nil
	}
	return Errorf(EForbidden, "", "error.forbidden", "only the applicant's focal point or the Secretariat may %s", what)
}

// accreditationSecretariat allows the Secretariat only.
func accreditationSecretariat(u *User, what string) error {
	if err := accreditationSignedIn(u); err != nil {
		return err
	}
	if u.Role != RoleSecretariat {
		return Errorf(EForbidden, "", "error.forbidden", "only the Secretariat may %s", what)
	}
	return nil
}

func accreditationWrongStatus(what string, s ApplicationStatus) error {
	return Errorf(EConflict, "status", "error.accreditation_status", "cannot %s an application that is %s", what, s)
}

func (a *AccreditationApplication) inWindow(w *AccreditationWindow) error {
	if a.Window != w.ID {
		return Errorf(EInvalid, "window", "error.window_mismatch", "application belongs to window %q, not %q", a.Window, w.ID)
	}
	return nil
}

// move records a transition; slices are clipped so that copies of the
// application never share what is appended.
func (a *AccreditationApplication) move(to ApplicationStatus, actor *User, now time.Time, reasons, remarks []string) {
	ev := AccreditationEvent{At: now, From: a.Status, To: to, Reasons: slices.Clone(reasons), Remarks: slices.Clone(remarks)}
	if actor != nil {
		ev.Actor, ev.Role = actor.ID, actor.Role
	}
	a.History = append(slices.Clip(a.History), ev)
	a.Status = to
	a.Reasons = reasons
}

func accreditationRemarks(remarks []string) ([]string, error) {
	var out []string
	for _, r := range remarks {
		if r = strings.TrimSpace(r); r != "" {
			if utf8.RuneCountInString(r) > 2000 {
				return nil, Errorf(EInvalid, "remarks", "error.too_long", "remark over 2000 characters")
			}
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, Errorf(EInvalid, "remarks", "error.reasons_required", "give the applicant at least one reason")
	}
	return out, nil
}

// --- transitions -------------------------------------------------------------

// AccreditationApply starts a draft application of org in window w. existing
// are the organisation's applications (any window): one live application per
// window, a withdrawn one does not count, so an applicant may withdraw and
// apply again while the window is open. Drafts may be started before the
// window opens, not after it closes. The route follows the ECOSOC status
// the Secretariat recorded for the organisation and the policy's
// ECOSOCScopes; a focal point cannot set that status (AccreditationGuardProfile).
func AccreditationApply(p AccreditationPolicy, w AccreditationWindow, org Organization, existing []AccreditationApplication, actor *User, now time.Time) (AccreditationApplication, error) {
	if err := accreditationSignedIn(actor); err != nil {
		return AccreditationApplication{}, err
	}
	if org.ID == 0 {
		return AccreditationApplication{}, Errorf(EInvalid, "org", "error.required", "the organisation must be registered first")
	}
	if err := accreditationForApplicant(actor, org.ID, "apply"); err != nil {
		return AccreditationApplication{}, err
	}
	if org.Kind != OrgStakeholder {
		return AccreditationApplication{}, Errorf(EInvalid, "org", "error.not_stakeholder", "only stakeholder organisations apply for accreditation")
	}
	if p.Process != w.Process {
		return AccreditationApplication{}, Errorf(EInvalid, "window", "error.policy_mismatch", "policy of %q for a window of %q", p.Process, w.Process)
	}
	if !AccreditationInTime(now, w.Closes) {
		return AccreditationApplication{}, Errorf(EConflict, "window", "error.window_closed", "the window closed at %s", w.Closes.UTC().Format(time.RFC3339))
	}
	for _, e := range existing {
		if e.OrgID == org.ID && e.Window == w.ID && e.Status != ApplicationWithdrawn {
			return AccreditationApplication{}, Errorf(EConflict, "window", "error.already_applied", "the organisation already has an application in this window (%s)", e.Status)
		}
	}
	route := AccreditationRouteNonObjection
	if org.ECOSOC != "" && accreditationHas(p.ECOSOCScopes, w.Scope) {
		route = AccreditationRouteECOSOC
	}
	a := AccreditationApplication{
		OrgID: org.ID, Window: w.ID, Route: route, Status: ApplicationDraft,
		OrgType: org.Type, OrgCountry: org.Country, ECOSOC: org.ECOSOC, CreatedAt: now,
	}
	a.move(ApplicationDraft, actor, now, []string{AccreditationReasonApplicationDraft}, nil)
	return a, nil
}

// Edit replaces the content. Allowed in draft, submitted and returned; a
// submitted application only while the window is open, a returned one until
// the window is circulated. After circulation nothing changes, because States
// consider what was circulated.
func (a *AccreditationApplication) Edit(c AccreditationContent, w AccreditationWindow, actor *User, now time.Time) error {
	if err := accreditationForApplicant(actor, a.OrgID, "edit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	switch {
	case a.Status == ApplicationDraft || a.Status == ApplicationSubmitted:
		if !AccreditationInTime(now, w.Closes) {
			return Errorf(EConflict, "window", "error.window_closed", "the window has closed")
		}
	case a.Status == ApplicationReturned:
		if w.Circulated() {
			return Errorf(EConflict, "window", "error.round_circulated", "this round has been circulated to States")
		}
	case !a.CirculatedAt.IsZero():
		return Errorf(EConflict, "status", "error.not_editable_after_circulation", "the application was circulated to States and can no longer change")
	default:
		return Errorf(EConflict, "status", "error.not_editable", "an application that is %s can no longer change", a.Status)
	}
	if err := c.Validate(a.Status != ApplicationDraft); err != nil {
		return err
	}
	a.Content = c
	return nil
}

// Submit sends a complete draft to the Secretariat while the window is open.
func (a *AccreditationApplication) Submit(w AccreditationWindow, actor *User, now time.Time) error {
	if err := accreditationForApplicant(actor, a.OrgID, "submit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationDraft {
		return accreditationWrongStatus("submit", a.Status)
	}
	if now.Before(w.Opens) {
		return Errorf(EConflict, "window", "error.window_not_open", "the window opens at %s", w.Opens.UTC().Format(time.RFC3339))
	}
	if !AccreditationInTime(now, w.Closes) {
		return Errorf(EConflict, "window", "error.window_closed", "the window closed at %s", w.Closes.UTC().Format(time.RFC3339))
	}
	if err := a.Content.Validate(true); err != nil {
		return err
	}
	if a.SubmittedAt.IsZero() {
		a.SubmittedAt = now
	}
	a.move(ApplicationSubmitted, actor, now, []string{AccreditationReasonSubmitted}, nil)
	return nil
}

// Return sends a submitted application back for more information (screening,
// brief §2.4 step 2), with the Secretariat's remarks.
func (a *AccreditationApplication) Return(remarks []string, actor *User, now time.Time) error {
	if err := accreditationSecretariat(actor, "return an application"); err != nil {
		return err
	}
	if a.Status != ApplicationSubmitted {
		return accreditationWrongStatus("return", a.Status)
	}
	r, err := accreditationRemarks(remarks)
	if err != nil {
		return err
	}
	a.Remarks = r
	a.move(ApplicationReturned, actor, now, []string{AccreditationReasonReturned}, r)
	return nil
}

// Resubmit sends a returned application back to the Secretariat, even after
// the window has closed, as long as the round has not been circulated.
func (a *AccreditationApplication) Resubmit(w AccreditationWindow, actor *User, now time.Time) error {
	if err := accreditationForApplicant(actor, a.OrgID, "resubmit the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationReturned {
		return accreditationWrongStatus("resubmit", a.Status)
	}
	if w.Circulated() {
		return Errorf(EConflict, "window", "error.round_circulated", "this round has been circulated to States")
	}
	if err := a.Content.Validate(true); err != nil {
		return err
	}
	a.Remarks = nil
	a.move(ApplicationSubmitted, actor, now, []string{AccreditationReasonSubmitted}, nil)
	return nil
}

// Reject screens an application out (not a stakeholder in the sense of the
// modalities, not relevant), with the Secretariat's remarks. Final for the
// window.
func (a *AccreditationApplication) Reject(remarks []string, actor *User, now time.Time) error {
	if err := accreditationSecretariat(actor, "reject an application"); err != nil {
		return err
	}
	if a.Status != ApplicationSubmitted && a.Status != ApplicationReturned {
		return accreditationWrongStatus("reject", a.Status)
	}
	r, err := accreditationRemarks(remarks)
	if err != nil {
		return err
	}
	a.Remarks = r
	a.DecidedAt = now
	a.move(ApplicationRejected, actor, now, []string{AccreditationReasonRejected}, r)
	return nil
}

// Withdraw ends the application at the applicant's wish: before a decision,
// or after accreditation (renouncing it). A circulated application may be
// withdrawn only before the objection deadline; after it the decision is due.
// Objections already filed stay on record.
func (a *AccreditationApplication) Withdraw(w AccreditationWindow, actor *User, now time.Time) error {
	if err := accreditationForApplicant(actor, a.OrgID, "withdraw the application"); err != nil {
		return err
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	switch a.Status {
	case ApplicationDraft, ApplicationSubmitted, ApplicationReturned, ApplicationAccredited:
	case ApplicationCirculated:
		if !AccreditationInTime(now, w.ObjectionDeadline) {
			return Errorf(EConflict, "deadline", "error.deadline_passed", "the objection deadline has passed; the decision is due")
		}
	default:
		return accreditationWrongStatus("withdraw", a.Status)
	}
	a.move(ApplicationWithdrawn, actor, now, []string{AccreditationReasonWithdrawn}, nil)
	return nil
}

// AccreditationECOSOCEntry is one organisation on the ECOSOC consultative
// status list as the Secretariat imported it: the identifier the list gives
// it, its name there and its category.
type AccreditationECOSOCEntry struct {
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
func (a *AccreditationApplication) VerifyECOSOC(listed func(orgID int64) (AccreditationECOSOCEntry, bool), actor *User, now time.Time) (verified bool, err error) {
	if err := accreditationSecretariat(actor, "verify ECOSOC status"); err != nil {
		return false, err
	}
	if a.Status != ApplicationSubmitted {
		return false, accreditationWrongStatus("verify", a.Status)
	}
	if a.Route != AccreditationRouteECOSOC {
		return false, Errorf(EConflict, "route", "error.not_ecosoc_route", "the application is on the %s route", a.Route)
	}
	if listed == nil {
		return false, Errorf(EInvalid, "ecosoc_list", "error.ecosoc_list", "no ECOSOC list to verify against")
	}
	if e, ok := listed(a.OrgID); ok && e.ID != "" {
		a.DecidedAt = now
		a.ECOSOC, a.ECOSOCVerified = e.Category, &e
		a.move(ApplicationAccredited, actor, now, []string{AccreditationReasonECOSOCVerified}, nil)
		return true, nil
	}
	a.Route = AccreditationRouteNonObjection
	a.move(ApplicationSubmitted, actor, now, []string{AccreditationReasonECOSOCNotFound}, nil)
	return false, nil
}

// ValidFor returns the period an accreditation granted in w covers: from the
// decision to the window's ValidUntil (exclusive). ok is false, and the
// times zero, for an application that was never accredited.
func (a *AccreditationApplication) ValidFor(w AccreditationWindow) (from, until time.Time, ok bool) {
	if a.Status != ApplicationAccredited && a.Status != ApplicationExpired {
		return time.Time{}, time.Time{}, false
	}
	return a.DecidedAt, w.ValidUntil, true
}

// AccreditationGuardProfile puts back into an edit of organisation cur the
// facts that only the Secretariat establishes, when u may not edit the
// registry: the ECOSOC category and the ECOSOC identifier. The ECOSOC route
// skips the objection round, so an applicant must not be able to claim it
// for itself. Both the page and the API apply it to every profile edit.
func AccreditationGuardProfile(u *User, cur Organization, in *Organization) {
	if !Can(u, ActEditRegistry, Target{}) {
		in.ECOSOC, in.ECOSOCID = cur.ECOSOC, cur.ECOSOCID
	}
}

// Expire ends an accreditation at the window's ValidUntil. A timer calls it;
// there is no actor.
func (a *AccreditationApplication) Expire(w AccreditationWindow, now time.Time) error {
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if a.Status != ApplicationAccredited {
		return accreditationWrongStatus("expire", a.Status)
	}
	if AccreditationInTime(now, w.ValidUntil) {
		return Errorf(EConflict, "valid_until", "error.not_due", "the accreditation is valid until %s", w.ValidUntil.UTC().Format(time.RFC3339))
	}
	a.move(ApplicationExpired, nil, now, []string{AccreditationReasonValidityEnded}, nil)
	return nil
}

// AccreditationCirculate sends the window's screened applications to States
// (brief §2.4 step 3): every submitted non-objection application of w becomes
// circulated, and the window gets its objection deadline, computed from the
// policy in the process time zone loc. Only once per window, only after it
// closes, and only when no ECOSOC application still awaits verification (an
// unverified one may fall back to non-objection and must not miss the round).
// It returns how many applications were circulated; on error nothing changes.
func AccreditationCirculate(p AccreditationPolicy, w *AccreditationWindow, apps []AccreditationApplication, loc *time.Location, actor *User, now time.Time) (int, error) {
	if err := accreditationSecretariat(actor, "circulate applications"); err != nil {
		return 0, err
	}
	if p.Process != w.Process {
		return 0, Errorf(EInvalid, "window", "error.policy_mismatch", "policy of %q for a window of %q", p.Process, w.Process)
	}
	if AccreditationInTime(now, w.Closes) {
		return 0, Errorf(EConflict, "window", "error.window_not_closed", "the window is still taking applications")
	}
	if w.Circulated() {
		return 0, Errorf(EConflict, "window", "error.already_circulated", "this window was circulated at %s", w.CirculatedAt.UTC().Format(time.RFC3339))
	}
	for _, a := range apps {
		if a.Window == w.ID && a.Status == ApplicationSubmitted && a.Route == AccreditationRouteECOSOC {
			return 0, Errorf(EConflict, "window", "error.ecosoc_unverified", "verify the ECOSOC applications first")
		}
	}
	deadline, err := AccreditationObjectionDeadline(p, now, loc)
	if err != nil {
		return 0, err
	}
	if !w.ValidUntil.After(deadline) {
		// Circulating now would decide accreditations that have already ended.
		return 0, Errorf(EConflict, "valid_until", "error.valid_until_decision",
			"accreditations of this window end at %s, before the objection deadline %s", w.ValidUntil.UTC().Format(time.RFC3339), deadline.UTC().Format(time.RFC3339))
	}
	n := 0
	for i := range apps {
		a := &apps[i]
		if a.Window == w.ID && a.Status == ApplicationSubmitted && a.Route == AccreditationRouteNonObjection {
			a.CirculatedAt = now
			a.move(ApplicationCirculated, actor, now, []string{AccreditationReasonCirculated}, nil)
			n++
		}
	}
	w.CirculatedAt, w.ObjectionDeadline = now, deadline
	return n, nil
}

// AccreditationHistory returns an organisation's applications, oldest first:
// its record across windows and cycles.
func AccreditationHistory(apps []AccreditationApplication, orgID int64) []AccreditationApplication {
	var out []AccreditationApplication
	for _, a := range apps {
		if a.OrgID == orgID {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(x, y AccreditationApplication) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	return out
}
