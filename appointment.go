package concord

import (
	"strings"
	"time"
)

// Appointment is a person's dated appointment to a post: the Chair, a
// co-facilitator of a DTG, Secretariat staff, a State's delegation manager
// or a group's speaker. It grants its rights from From (inclusive) until
// Until (exclusive; zero: no end). The Secretariat makes and ends them.
type Appointment struct {
	ID     int64
	UserID int64
	Post   Post
	// Scope is what the post is for: a State's ISO3 (delegation manager),
	// a named group's actor code "group-N" (group speaker), a DTG's code
	// "dtg-1" (co-facilitator, optional), "" otherwise.
	Scope string
	From  time.Time
	Until time.Time `json:",omitzero"`
}

// Post is what an appointment appoints to.
type Post string

// The posts. The first three are the account roles of the same name, which
// an appointment bounds in time; the last two are held by a delegate on
// top of being one.
const (
	PostSecretariat       Post = "secretariat"
	PostChair             Post = "chair"
	PostCoFacilitator     Post = "co-facilitator"
	PostDelegationManager Post = "delegation-manager" // scope: the delegate's own State
	PostGroupSpeaker      Post = "group-speaker"      // scope: a named group ("group-N")
)

// Posts lists every post, for forms and help texts (least powerful
// first: no form defaults to the most powerful).
var Posts = []Post{PostGroupSpeaker, PostDelegationManager, PostCoFacilitator, PostChair, PostSecretariat}

// InForce reports whether a grants its rights at instant at.
func (a Appointment) InForce(at time.Time) bool {
	return !at.Before(a.From) && (a.Until.IsZero() || at.Before(a.Until))
}

// Validate checks an appointment for u, the account it is made for,
// returning every problem at once.
func (a Appointment) Validate(u User) error {
	var errs Errors
	switch a.Post {
	case PostSecretariat, PostChair, PostCoFacilitator:
		if u.Role != Role(a.Post) {
			errs.Add(Errorf(EInvalid, "post", "error.appointment_role", "this post is held by an account of the same role"))
		}
		if a.Post != PostCoFacilitator && a.Scope != "" || a.Post == PostCoFacilitator && a.Scope != "" && !strings.HasPrefix(a.Scope, "dtg-") {
			errs.Add(Errorf(EInvalid, "scope", "error.appointment_scope", "this post takes no such scope"))
		}
	case PostDelegationManager:
		if u.Role != RoleDelegate || a.Scope != u.State {
			errs.Add(Errorf(EInvalid, "scope", "error.appointment_state", "a delegation manager is a delegate of the State they manage"))
		}
	case PostGroupSpeaker:
		if u.Role != RoleDelegate {
			errs.Add(Errorf(EInvalid, "post", "error.appointment_delegate", "a group speaker is a delegate"))
		}
		if !strings.HasPrefix(a.Scope, "group-") {
			errs.Add(Errorf(EInvalid, "scope", "error.appointment_group", "name the group the speaker speaks for"))
		}
	default:
		errs.Add(Errorf(EInvalid, "post", "error.appointment_post", "unknown post %q", a.Post))
	}
	if a.From.IsZero() {
		errs.Add(Errorf(EInvalid, "from", "error.required", "required"))
	}
	if !a.Until.IsZero() && !a.Until.After(a.From) {
		errs.Add(Errorf(EInvalid, "until", "error.appointment_until", "the term ends after it starts"))
	}
	return errs.Err()
}

// holds reports whether u holds post for scope at u.At: an appointment in
// force at that instant.
func (u *User) holds(p Post, scope string) bool {
	for _, a := range u.Appointments {
		if a.Post == p && a.Scope == scope && a.InForce(u.At) {
			return true
		}
	}
	return false
}

// roleInForce reports whether u's account role grants its rights at u.At.
// A delegate's and a focal point's always do. A staff role (Secretariat,
// Chair, co-facilitator) with appointments grants them only while one is
// in force; an account with none of its role (created before terms were
// dated, or by a test) keeps an open term.
func (u *User) roleInForce() bool {
	switch u.Role {
	case RoleSecretariat, RoleChair, RoleCoFacilitator:
	default:
		return true
	}
	dated := false
	for _, a := range u.Appointments {
		if a.Post == Post(u.Role) {
			if a.InForce(u.At) {
				return true
			}
			dated = true
		}
	}
	return !dated
}

// IsDelegationManager reports whether u manages some State's delegation at
// u.At: the predicate for what delegation managers must do more than other
// delegates (two-factor sign-in, for one).
func IsDelegationManager(u *User) bool {
	return u != nil && !u.Disabled && u.Role == RoleDelegate && u.holds(PostDelegationManager, u.State)
}

// ManagesDelegation reports whether u manages the delegation of State iso3
// at u.At.
func (u *User) ManagesDelegation(iso3 string) bool {
	return IsDelegationManager(u) && iso3 == u.State
}

// SpeaksFor lists the named groups (actor codes) u speaks for at u.At.
func (u *User) SpeaksFor() []string {
	var out []string
	if u == nil || u.Disabled || u.Role != RoleDelegate {
		return nil
	}
	for _, a := range u.Appointments {
		if a.Post == PostGroupSpeaker && a.InForce(u.At) {
			out = append(out, a.Scope)
		}
	}
	return out
}

// speaks reports whether u may speak for t: its own State (a delegate the
// delegation lets speak) or a group it is speaker of. With no target:
// whether it may speak for anyone.
func (u *User) speaks(t Target) bool {
	if u.Role != RoleDelegate || u.State == "" {
		return false
	}
	if strings.HasPrefix(t.State, "group-") { // a group's actor code passed as the actor
		t.Group, t.State = t.State, ""
	}
	switch {
	case t.Group != "":
		return u.holds(PostGroupSpeaker, t.Group)
	case t.State != "":
		return t.State == u.State && !u.ReadOnly
	}
	return !u.ReadOnly || len(u.SpeaksFor()) > 0
}
