package concord

import (
	"net/mail"
	"strconv"
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
	// TwoFactor is true once the person confirmed a TOTP authenticator:
	// sign-in then asks for a code after the password. Not part of the
	// audited row either; turning it on or off is an audited event.
	TwoFactor bool `json:"-"`
}

// RequiresTwoFactor reports whether accounts of role r must sign in with a
// second factor: until one is set up, such an account may only set it up
// or sign out. Every other role is offered it. A new role that needs it is
// one more case here.
func RequiresTwoFactor(r Role) bool {
	switch r {
	case RoleSecretariat, RoleChair:
		return true
	}
	return false
}

// Validate checks that the role's binding is present and only then.
func (u *User) Validate() error {
	if len(u.Username) < 3 || len(u.Username) > 64 {
		return Errorf(EInvalid, "username", "error.username", "username must be 3 to 64 characters")
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
)

// Target is the object an action concerns, for actions bound to one object.
type Target struct {
	State string // ISO3
	OrgID int64
	Body  string // a meeting's body ("plenary", "dtg-1", "chair", ...)
}

// Can reports whether u may perform a on t. A nil u is the public.
func Can(u *User, a Action, t Target) bool {
	if a == ActRead {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	switch a {
	case ActAccount:
		return true
	case ActManageUsers, ActEditRegistry, ActEditScheme, ActViewAuditFull, ActManageAccreditation, ActManageRules:
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
		// and groups; a delegate speaks for its own State only.
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State))
	case ActNominate:
		// The Secretariat enters nominations received by note verbale; a
		// delegate nominates for its own State; the Chair only in its own
		// name (no State target).
		return u.Role == RoleSecretariat || (u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State)) ||
			(u.Role == RoleChair && t.State == "")
	case ActObject:
		return u.Role == RoleDelegate && u.State != "" && (t.State == "" || t.State == u.State)
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
