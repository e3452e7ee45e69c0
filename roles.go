package concord

import (
	"net/mail"
	"strconv"
	"time"
)

// Role is what an account may do in a process. The public has no account and
// is represented by a nil *User.
type Role string

// The roles of the Global Mechanism.
const (
	RoleSecretariat   Role = "secretariat"
	RoleChair         Role = "chair"
	RoleCoFacilitator Role = "co-facilitator"
	RoleDelegate      Role = "delegate"    // bound to one State
	RoleFocalPoint    Role = "focal-point" // bound to one stakeholder organisation
)

// Roles lists every role, for forms and the permission matrix test.
var Roles = []Role{RoleSecretariat, RoleChair, RoleCoFacilitator, RoleDelegate, RoleFocalPoint}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a signed-in account.
type User struct {
	ID       int64
	Username string
	Name     string
	Email    string // where notices go by email, when SMTP is configured
	// EmailVerified is true once the owner followed the link sent to Email.
	// Not part of the audited row (its changes are audited events of their
	// own), so rows audited before it existed still match their entries.
	EmailVerified bool `json:"-"`
	Role          Role
	State         string // ISO3 of the State a delegate represents
	OrgID         int64  // organisation a focal point represents
	Disabled      bool
	// Lang is the language the person reads Concord in (ar zh en fr ru
	// es): notice emails are written in it. Not part of the audited row,
	// like EmailVerified; its changes are audited events of their own.
	Lang string `json:"-"`
	// ReadOnly: a delegate whom the delegation does not let speak for the
	// State reads its business but takes no positions or objections and
	// nominates nobody. Set by the State's delegation managers.
	ReadOnly bool `json:",omitempty"`
	// Appointments are u's dated appointments (every one, past and
	// future), read with the session; At is the instant at which they are
	// judged (the request's), so that a term that has ended, or not yet
	// begun, grants nothing. Neither is part of the audited row.
	Appointments []Appointment `json:"-"`
	At           time.Time     `json:"-"`
	// TwoFactor is true once the person confirmed a TOTP authenticator:
	// sign-in then asks for a code after the password. Not part of the
	// audited row either; turning it on or off is an audited event.
	TwoFactor bool `json:"-"`
}

// RequiresTwoFactor reports whether u must sign in with a second factor:
// the Secretariat, the Chair, and a delegation manager while its
// appointment is in force (at u.At). Until one is set up, such an account
// may only set it up or sign out. Everyone else is offered it.
func RequiresTwoFactor(u *User) bool {
	if u == nil {
		return false
	}
	return u.Role == RoleSecretariat || u.Role == RoleChair || IsDelegationManager(u)
}

// Validate checks that the role's binding is present and only then.
func (u *User) Validate() error {
	if len(u.Username) < 3 || len(u.Username) > 64 {
		return Errorf(EInvalid, "username", "error.username", "username must be 3 to 64 characters")
	}
	if u.Erased() {
		return Errorf(EInvalid, "username", "error.username_reserved", "usernames starting with %q are reserved", erasedPrefix)
	}
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
			return Errorf(EInvalid, "email", "error.email", "not an email address")
		}
	}
	if !ValidRole(u.Role) {
		return Errorf(EInvalid, "role", "error.role", "unknown role %q", u.Role)
	}
	if (u.Role == RoleDelegate) != (u.State != "") {
		return Errorf(EInvalid, "state", "error.delegate_state", "a delegate, and only a delegate, is bound to a State")
	}
	if (u.Role == RoleFocalPoint) != (u.OrgID != 0) {
		return Errorf(EInvalid, "org", "error.focal_org", "a focal point, and only a focal point, is bound to an organisation")
	}
	return nil
}

// Action names something a user may try to do. Every route declares one.
type Action string

// The actions of the foundation. Later capabilities add theirs here, so that
// every permission rule lives in this file.
const (
	ActRead          Action = "read"          // public pages and API
	ActAccount       Action = "account"       // see one's own account
	ActManageUsers   Action = "users.manage"  // create users, reset passwords, set roles
	ActEditRegistry  Action = "registry.edit" // organisations, persons, named groups
	ActEditState     Action = "state.edit"    // a State's delegation and self-declared status
	ActEditOrg       Action = "org.edit"      // an organisation's own profile
	ActEditScheme    Action = "scheme.edit"   // the self-declared classification scheme
	ActViewAuditFull Action = "audit.full"    // unredacted procedural log

	// Accreditation (the finer rules, such as who may object to what, are
	// in the accreditation state machine).
	ActManageAccreditation Action = "accreditation.manage" // windows, screening, circulation, ECOSOC list, policy
	ActApplyAccreditation  Action = "accreditation.apply"  // an organisation's own applications and uploads
	ActObject              Action = "accreditation.object" // a State's objections

	// Decisions under contested modalities.
	ActProposeDecision Action = "decision.propose"  // put a proposal to a decision
	ActTakePosition    Action = "decision.position" // a State's (or group's) position
	ActChairDecision   Action = "decision.chair"    // the Chair's acts: decide, defer
	// ActNominate: a State's nominations and suggestions (co-facilitators,
	// briefers, DTG topics); the Chair suggests topics in its own name.
	ActNominate    Action = "procedure.nominate"
	ActManageRules Action = "rules.manage" // new versions of the procedure rules

	// ActManageMeetings: create and edit meetings of the calendar and
	// change their status. The target is the meeting's body.
	ActManageMeetings Action = "meetings.manage"

	// The Points of Contact directory (issue 13, restricted). ActViewPOCs:
	// read the directory. ActManagePOCs: nominate, edit and remove a
	// State's POCs (target: the State). ActPingPOCs: schedule, open and
	// close ping rounds. ActViewPingResults: one State's results in a
	// round (target: the State).
	ActViewPOCs        Action = "pocs.view"
	ActManagePOCs      Action = "pocs.manage"
	ActPingPOCs        Action = "pocs.ping"
	ActViewPingResults Action = "pocs.results"
	// ActPublishDocuments: publish and edit the process's documents.
	ActPublishDocuments Action = "documents.publish"
	// ActContribute: submit a national contribution; the target is the
	// State that authors it.
	ActContribute Action = "documents.contribute"

	// Lists of speakers and statements (issue 12). ActSpeak: inscribe a
	// delegation on a list of speakers and submit its own statement's
	// text; the target is the speaker (a State, or the organisation of a
	// group or an accredited stakeholder).
	ActSpeak Action = "speakers.speak"
	// ActOrderSpeakers: reorder a list of speakers (the Chair presides).
	ActOrderSpeakers Action = "speakers.order"
	// ActRecordStatements: mark who spoke and for how long, and record the
	// statements delivered (the Secretariat).
	ActRecordStatements Action = "statements.record"
	// The cooperation and capacity-building portal (issue 13).
	// ActPostNeed: post and edit a need; the target is the State that needs.
	ActPostNeed Action = "portal.need"
	// ActOffer: make and edit an offer; the target is the provider, a
	// State or an organisation.
	ActOffer Action = "portal.offer"
	// ActViewStatesOnlyNeeds: read the needs a State kept to States.
	ActViewStatesOnlyNeeds Action = "portal.states_only"
	// The Voluntary Fund (issue 13). ActManageFund: open calls, name the
	// review committee, screen, award and disburse (the Secretariat).
	ActManageFund Action = "fund.manage"
	// ActApplyFund: apply to a call for the target State (its delegates who
	// speak for it); reviews are allowed per call, by the committee's list.
	ActApplyFund Action = "fund.apply"
	// ActFacilitateExercises: set up and run a tabletop exercise (its
	// injects, debrief and lessons). The target's Body is the facilitator
	// ("secretariat" or "chair"); with none, whether u may facilitate some.
	ActFacilitateExercises Action = "exercises.facilitate"
	// ActRespondExercises: answer an exercise's injects for a State; the
	// target is the State (whether it takes part is the exercise's rule).
	ActRespondExercises Action = "exercises.respond"
	// ActManageDelegation: invite and remove a State's delegates and say
	// who speaks for the State (target: the State); the Secretariat and the
	// State's own delegation managers.
	ActManageDelegation Action = "delegation.manage"
	// ActAppoint: make and end dated appointments (the Chair,
	// co-facilitators, Secretariat staff, delegation managers, group
	// speakers).
	ActAppoint Action = "appointments.manage"
	// The norms implementation checklist (issue 13). ActReportNorms: report
	// on the checklist's actions for a State (target: the State).
	// ActViewStatesOnlyNorms: read the reports a State kept to States.
	ActReportNorms         Action = "norms.report"
	ActViewStatesOnlyNorms Action = "norms.states_only"
)

// Target is the object an action concerns, for actions bound to one object.
type Target struct {
	State string // ISO3
	Group string // a named group's actor code ("group-N"), for its speakers
	OrgID int64
	Body  string // a meeting's body ("plenary", "dtg-1", "chair", ...)
}

// Can reports whether u may perform a on t. A nil u is the public.
func Can(u *User, a Action, t Target) bool {
	if a == ActRead {
		return true
	}
	if u == nil || u.Disabled || !u.roleInForce() {
		return false
	}
	switch a {
	case ActAccount:
		return true
	case ActManageUsers, ActEditRegistry, ActEditScheme, ActViewAuditFull, ActManageAccreditation, ActManageRules, ActAppoint:
		return u.Role == RoleSecretariat
	case ActApplyAccreditation:
		// The one applicant rule: the Secretariat (acting on an applicant's
		// written request) or the organisation's own focal point. With no
		// target it only says whether u may apply for some organisation
		// (route tables); every decision about an application or a document
		// passes the organisation as the target.
		return u.Role == RoleSecretariat || (u.Role == RoleFocalPoint && u.OrgID != 0 && (t.OrgID == 0 || u.OrgID == t.OrgID))
	case ActProposeDecision, ActChairDecision:
		return u.Role == RoleChair || u.Role == RoleSecretariat
	case ActTakePosition:
		// The Secretariat records positions taken in the room, for States
		// and groups; a delegate speaks for its own State only, when its
		// delegation lets it, and for a group while it is its speaker.
		return u.Role == RoleSecretariat || u.speaks(t)
	case ActNominate:
		// The Secretariat enters nominations received by note verbale; a
		// delegate nominates for its own State; the Chair only in its own
		// name (no State target).
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State)) ||
			(u.Role == RoleChair && t.State == "")
	case ActObject:
		// An objection is the State's: only a delegate it lets speak.
		return u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State)
	case ActManageDelegation:
		// With no target: whether u manages some delegation.
		return u.Role == RoleSecretariat || (IsDelegationManager(u) && (t.State == "" || t.State == u.State))
	case ActEditState:
		// The Secretariat maintains every State's record; a delegate only its own.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && t.State != "" && u.State == t.State)
	case ActManageMeetings:
		// The Secretariat keeps the calendar; the Chair schedules its own
		// informal consultations and dialogues (body "chair"). With no
		// target it only says whether u may manage some meeting.
		return u.Role == RoleSecretariat || (u.Role == RoleChair && (t.Body == "" || t.Body == "chair"))
	case ActViewPOCs:
		// The directory is the States' and the directory manager's: the
		// Secretariat and the delegates of States (who act for the State's
		// POCs, having no accounts of their own). Never a stakeholder, the
		// Chair as such or the public, who see only how many States have
		// nominated.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "")
	case ActManagePOCs:
		// A State nominates its own POCs; the Secretariat enters those
		// received by note verbale. With no target: whether u may manage
		// some State's POCs.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State))
	case ActPingPOCs:
		return u.Role == RoleSecretariat
	case ActViewPingResults:
		// A State's results are its own and the directory manager's.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State))
	case ActPublishDocuments:
		return u.Role == RoleSecretariat
	case ActContribute:
		// The Secretariat enters contributions received; a delegate only
		// its own State's. With no target: whether u may contribute at all.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State))
	case ActSpeak:
		// The Secretariat inscribes anyone; a State's delegate its own
		// State; a group's or a stakeholder's focal point its own
		// organisation. With no target: whether u may speak for some.
		if u.Role == RoleSecretariat {
			return true
		}
		if u.Role == RoleDelegate && u.State != "" {
			// Only a delegate its delegation lets speak for the State.
			return !u.ReadOnly && t.OrgID == 0 && (t.State == "" || t.State == u.State)
		}
		return u.Role == RoleFocalPoint && u.OrgID != 0 && t.State == "" && (t.OrgID == 0 || t.OrgID == u.OrgID)
	case ActOrderSpeakers:
		return u.Role == RoleChair || u.Role == RoleSecretariat
	case ActRecordStatements:
		return u.Role == RoleSecretariat
	case ActPostNeed:
		// A State posts its own needs, through its delegates; with no
		// target, whether u may post for some State.
		// (A delegate the delegation does not let speak for the State reads.)
		return u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State)
	case ActOffer:
		// States (their delegates) and organisations, IGOs included (their
		// focal points), offer in their own name; the Secretariat enters
		// offers received in writing. With no target: whether u may offer
		// at all.
		if u.Role == RoleSecretariat {
			return true
		}
		if t.State == "" && t.OrgID == 0 {
			return (u.Role == RoleDelegate && !u.ReadOnly && u.State != "") || (u.Role == RoleFocalPoint && u.OrgID != 0)
		}
		return (u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && t.State == u.State) ||
			(u.Role == RoleFocalPoint && u.OrgID != 0 && t.OrgID == u.OrgID)
	case ActManageFund:
		return u.Role == RoleSecretariat
	case ActApplyFund:
		return u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State)
	case ActViewStatesOnlyNeeds:
		// "States only" means the States' delegates and the Secretariat
		// that runs the portal: never a stakeholder, the Chair or a
		// co-facilitator as such, nor the public.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "")
	case ActFacilitateExercises:
		// The Secretariat runs any exercise; the Chair those it
		// facilitates itself.
		return u.Role == RoleSecretariat || (u.Role == RoleChair && (t.Body == "" || t.Body == "chair"))
	case ActRespondExercises:
		// A State answers through a delegate its delegation lets speak.
		return u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State)
	case ActReportNorms:
		// A State reports through its delegates the delegation lets speak
		// for it; the Secretariat enters reports received in writing. With
		// no target: whether u may report for some State.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && !u.ReadOnly && u.State != "" && (t.State == "" || t.State == u.State))
	case ActViewStatesOnlyNorms:
		// As for needs kept to States: the States' delegates and the
		// Secretariat, never a stakeholder, the Chair or the public.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "")
	case ActEditOrg:
		return u.Role == RoleSecretariat || (u.Role == RoleFocalPoint && t.OrgID != 0 && u.OrgID == t.OrgID)
	}
	return false
}

// Actor names u in the audit log: "user:N", or "system" for the scheduler
// and the seeds, which act without an account.
func Actor(u *User) string {
	if u == nil || u.ID == 0 {
		return "system"
	}
	return "user:" + strconv.FormatInt(u.ID, 10)
}
