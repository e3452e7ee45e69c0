package accreditation

// Objections (brief §2.4 steps 4–5) and who may see them (§2.5, §5 row 8).
//
// # Disclosure table
//
// Disclose is the only function that decides what a viewer sees
// of an application's objections; pages, the API, exports, search and the
// simulation gate (MaySimulate) all go through it. "count" is the
// number of standing objections; "objectors" is every objection with its
// State, basis and times (withdrawn ones included, marked by WithdrawnAt);
// "own" is the objection of the viewer's own State, which a delegate always
// sees because that State filed it.
//
//	viewer \ level            hidden   count_only  to_chair    to_states   public
//	public (nil, disabled)    —        count       count       count       objectors
//	focal point (any org)     —        count       count       count       objectors
//	co-facilitator            —        count       count       count       objectors
//	delegate, other State     —        count       count       objectors   objectors
//	delegate, objecting State own      count+own   count+own   objectors   objectors
//	chair                     —        count       objectors   objectors   objectors
//	secretariat               objectors objectors  objectors   objectors   objectors
//
// "—" means nothing at all, not even whether an objection exists. The focal
// point of the applicant is treated like any focal point: the levels are the
// policy's answer to how much the applicant learns. An unknown level is
// treated as hidden and an unknown role as the public, so errors fail closed.

import (
	"concord"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Objection is one State's objection to one application.
type Objection struct {
	State       string    // ISO3 of the objecting State
	Basis       string    // the "general basis" (voluntary unless the policy requires it)
	At          time.Time // when it was filed
	WithdrawnAt time.Time // zero while it stands
}

// StandingAt reports whether the objection counts at instant t: filed before
// t and not withdrawn before t. At the deadline this is the rule of decision.
func (o Objection) StandingAt(t time.Time) bool {
	return InTime(o.At, t) && (o.WithdrawnAt.IsZero() || !InTime(o.WithdrawnAt, t))
}

// basisLimit bounds the length of a basis.
const basisLimit = 2000

// Object files state's objection to a circulated application. Only a
// delegate of that State may, once per State per application (a withdrawn
// objection cannot be filed again), before the window's deadline, and only
// for a State that takes part in the process (isParticipant). The policy
// decides whether the basis is required.
func (a *Application) Object(p Policy, w Window, state, basis string, isParticipant func(iso3 string) bool, actor *concord.User, now time.Time) error {
	state = strings.ToUpper(strings.TrimSpace(state))
	if err := delegateOf(actor, state, "object"); err != nil {
		return err
	}
	if isParticipant == nil || !isParticipant(state) {
		return concord.Errorf(concord.EForbidden, "state", "error.objection_not_participant", "%s does not take part in this process", state)
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if p.Process != w.Process {
		return concord.Errorf(concord.EInvalid, "window", "error.policy_mismatch", "policy of %q for a window of %q", p.Process, w.Process)
	}
	if !a.CirculatedAt.IsZero() && w.Circulated() && !InTime(now, w.ObjectionDeadline) {
		return concord.Errorf(concord.EConflict, "deadline", "error.deadline_passed", "the objection deadline was %s", w.ObjectionDeadline.UTC().Format(time.RFC3339))
	}
	if a.Status != ApplicationCirculated || !w.Circulated() {
		return wrongStatus("object to", a.Status)
	}
	for _, o := range a.Objections {
		if o.State == state {
			return concord.Errorf(concord.EConflict, "state", "error.objection_duplicate", "%s has already objected to this application", state)
		}
	}
	basis = strings.TrimSpace(basis)
	if p.BasisRequired && basis == "" {
		return concord.Errorf(concord.EInvalid, "basis", "error.basis_required", "the policy requires the general basis of the objection")
	}
	if utf8.RuneCountInString(basis) > basisLimit {
		return concord.Errorf(concord.EInvalid, "basis", "error.too_long", "basis over %d characters", basisLimit)
	}
	a.Objections = append(slices.Clip(a.Objections), Objection{State: state, Basis: basis, At: now})
	return nil
}

// WithdrawObjection withdraws state's standing objection, before the deadline
// and only if the policy allows it.
func (a *Application) WithdrawObjection(p Policy, w Window, state string, actor *concord.User, now time.Time) error {
	state = strings.ToUpper(strings.TrimSpace(state))
	if err := delegateOf(actor, state, "withdraw an objection"); err != nil {
		return err
	}
	if !p.ObjectionsWithdrawable {
		return concord.Errorf(concord.EForbidden, "", "error.objection_not_withdrawable", "the policy does not let objections be withdrawn")
	}
	if err := a.inWindow(&w); err != nil {
		return err
	}
	if !a.CirculatedAt.IsZero() && w.Circulated() && !InTime(now, w.ObjectionDeadline) {
		return concord.Errorf(concord.EConflict, "deadline", "error.deadline_passed", "the objection deadline was %s", w.ObjectionDeadline.UTC().Format(time.RFC3339))
	}
	if a.Status != ApplicationCirculated || !w.Circulated() {
		return wrongStatus("withdraw an objection to", a.Status)
	}
	for i, o := range a.Objections {
		if o.State == state && o.WithdrawnAt.IsZero() {
			objs := slices.Clone(a.Objections)
			objs[i].WithdrawnAt = now
			a.Objections = objs
			return nil
		}
	}
	return concord.Errorf(concord.ENotFound, "state", "error.objection_not_found", "%s has no standing objection to this application", state)
}

// delegateOf allows a delegate of state only.
func delegateOf(u *concord.User, state, what string) error {
	if err := signedIn(u); err != nil {
		return err
	}
	if u.Role != concord.RoleDelegate || u.State == "" {
		return concord.Errorf(concord.EForbidden, "", "error.forbidden", "only a State delegate may %s", what)
	}
	if u.State != state {
		return concord.Errorf(concord.EForbidden, "state", "error.objection_other_state", "a delegate of %s may not %s for %s", u.State, what, state)
	}
	return nil
}

// ObjectionView is what one viewer may see of one
// application's objections. Fields the viewer may not see are zero.
type ObjectionView struct {
	CountVisible     bool // Count is meaningful
	Count            int  // objections not withdrawn (0 when !CountVisible)
	ObjectorsVisible bool // Objections holds every objection
	// Objections are every objection when ObjectorsVisible, otherwise only
	// the viewer's own State's (a delegate's), otherwise none.
	Objections []Objection
}

// audience is the table in this file's comment: whether viewer
// sees the count, all objectors, and which State's own objection.
func audience(level ObjectionDisclosure, viewer *concord.User) (count, objectors bool, own string) {
	if viewer == nil || viewer.Disabled || !concord.ValidRole(viewer.Role) {
		viewer = nil
	}
	rank := rank(level) // hidden 0, count_only 1, to_chair 2, to_states 3, public 4
	switch {
	case viewer == nil:
		objectors = rank >= 4
	case viewer.Role == concord.RoleSecretariat:
		objectors = true
	case viewer.Role == concord.RoleChair:
		objectors = rank >= 2
	case viewer.Role == concord.RoleDelegate:
		objectors = rank >= 3
		own = viewer.State
	default: // focal points, co-facilitators
		objectors = rank >= 4
	}
	count = objectors || rank >= 1
	return count, objectors, own
}

// Disclose returns what viewer (nil for the public) may see of
// objections under level. It copies: the result shares nothing with
// objections.
func Disclose(level ObjectionDisclosure, viewer *concord.User, objections []Objection) ObjectionView {
	count, objectors, own := audience(level, viewer)
	var v ObjectionView
	if count {
		v.CountVisible = true
		for _, o := range objections {
			if o.WithdrawnAt.IsZero() {
				v.Count++
			}
		}
	}
	switch {
	case objectors:
		v.ObjectorsVisible = true
		v.Objections = slices.Clone(objections)
	case own != "":
		for _, o := range objections {
			if o.State == own {
				v.Objections = append(v.Objections, o)
			}
		}
	}
	return v
}

// MaySimulate reports whether viewer may run simulations of a
// round decided under level. A simulation works from who objected and on
// what basis, so it is open exactly to those who may see every objector.
func MaySimulate(level ObjectionDisclosure, viewer *concord.User) bool {
	_, objectors, _ := audience(level, viewer)
	return objectors
}

// VisibleTo returns a copy of the application fit to show to viewer under
// level: its Objections replaced by those Disclose lets the
// viewer see. History and reasons never name objectors, so they stay.
func (a Application) VisibleTo(level ObjectionDisclosure, viewer *concord.User) Application {
	a.Objections = Disclose(level, viewer, a.Objections).Objections
	a.History = slices.Clone(a.History)
	return a
}
