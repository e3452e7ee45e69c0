// Package accreditation is stakeholder accreditation, the pure core (domain brief §2 and §7.2).
//
// Everything contested about accreditation is a field of Policy,
// dated and versioned per process, never an if-statement: how long States
// have to object, whether they must give a basis, who learns who objected,
// how long an accreditation lasts, whether DTGs have their own windows.
//
// The files hold, in order of the procedure:
//
//	accreditation.go  policy, scopes, windows and deadlines
//	application.go    applications and their state machine
//	objection.go      objections and who may see them (disclosure)
//	decide.go         the decision at the deadline, simulation, statistics
//
// Permissions are the kernel's (concord.Can); time zones too (concord.LocalToUTC).
//
// No function here reads the clock: every function that needs the time takes
// now, so that tests (and simulations) control it.
//
// # Deadline boundary
//
// Every instant that ends something is exclusive: a window is open for
// Opens <= t < Closes, and an objection is in time when At < ObjectionDeadline.
// An objection filed at exactly the deadline instant is late. The single
// function InTime states this rule; nothing else compares
// deadlines. It is not a policy field because the policy already chooses the
// deadline instant itself (period length and local clock time): an inclusive
// boundary would only move that instant by one nanosecond.
package accreditation

import (
	"concord"
	"slices"
	"strings"
	"time"
)

// Scope is the kind of meeting an accreditation admits to.
type Scope string

// The scopes of the Global Mechanism (A/80/257 annex I): plenary sessions and
// review conferences have an annual window; whether the Dedicated Thematic
// Groups have windows of their own is contested (brief §2.2), so a policy says
// so by listing ScopeDTG.
const (
	ScopePlenary          Scope = "plenary"
	ScopeReviewConference Scope = "review_conference"
	ScopeDTG              Scope = "dtg"
)

// Scopes lists every scope, for forms and validation.
var Scopes = []Scope{ScopePlenary, ScopeReviewConference, ScopeDTG}

// Validity is how long an accreditation lasts (brief §5 row 9).
type Validity string

// The validity options. The exact end instant is the window's ValidUntil;
// the validity names what that instant means and how forms pre-fill it.
const (
	PerSession Validity = "per_session" // until the end of the session the window serves
	Annual     Validity = "annual"      // until the end of the window's cycle year (2026 practice)
	Cycle      Validity = "cycle"       // until the end of the mandate (2022 OEWG practice)
)

// Validities lists every validity option.
var Validities = []Validity{PerSession, Annual, Cycle}

// ObjectionDisclosure is who may see which State objected to an application
// and on what basis (brief §5 row 8, §2.5). The levels form a ladder: each
// one shows everything the level below shows, to more viewers. The exact
// table is in Disclose's documentation.
type ObjectionDisclosure string

// The five disclosure levels, from least to most transparent.
const (
	ObjectionsHidden    ObjectionDisclosure = "hidden"     // only the Secretariat; each State sees its own objection
	ObjectionsCountOnly ObjectionDisclosure = "count_only" // and everyone sees how many objections stand
	ObjectionsToChair   ObjectionDisclosure = "to_chair"   // and the Chair sees the States and bases (2022 practice)
	ObjectionsToStates  ObjectionDisclosure = "to_states"  // and every State delegate sees them
	ObjectionsPublic    ObjectionDisclosure = "public"     // and everyone sees them
)

// ObjectionDisclosures lists the levels in ladder order.
var ObjectionDisclosures = []ObjectionDisclosure{ObjectionsHidden, ObjectionsCountOnly, ObjectionsToChair, ObjectionsToStates, ObjectionsPublic}

// rank is the position of a level on the ladder; an unknown
// level ranks as hidden, so a corrupt value fails closed.
func rank(l ObjectionDisclosure) int {
	for i, x := range ObjectionDisclosures {
		if x == l {
			return i
		}
	}
	return 0
}

// Policy is one dated version of a process's accreditation
// rules. A process has a list of versions; PolicyAt picks the one
// in force at an instant, and PolicyForWindow the one governing a
// window (the version in force when it opens, so that rules do not change in
// the middle of a round).
type Policy struct {
	Process       string    // process code
	Version       int       // 1, 2, ... within the process
	EffectiveFrom time.Time // instant from which this version is in force
	Source        string    // the decision that adopted it, e.g. "A/80/257 annex I"

	// ObjectionPeriodDays is the length of the objection period: the deadline
	// falls on the Nth day after the local date of circulation, at
	// DeadlineClock in the process time zone.
	ObjectionPeriodDays int
	WorkingDays         bool   // count Monday to Friday only (no holiday calendar)
	DeadlineClock       string // "HH:MM", local wall-clock time of the deadline, e.g. "18:00"

	BasisRequired          bool                // an objection must state its general basis (2022: voluntary)
	Disclosure             ObjectionDisclosure // who sees objecting States and bases
	Validity               Validity
	ObjectionsWithdrawable bool // a State may withdraw its objection before the deadline

	// Scopes are the scopes that have accreditation windows of their own.
	Scopes []Scope
	// ECOSOCScopes are the scopes in which ECOSOC consultative status
	// accredits without circulation to States (A/80/257: plenary and review
	// conferences). In other scopes every applicant goes through non-objection.
	ECOSOCScopes []Scope
}

// DefaultPolicy returns the rules that need the least agreement
// (brief §5): the OEWG 2022 practice carried into the Global Mechanism. Where
// the practice is unknown [U] the choice is marked.
func DefaultPolicy(process string, from time.Time) Policy {
	return Policy{
		Process:                process,
		Version:                1,
		EffectiveFrom:          from,
		Source:                 "A/80/257 annex I; OEWG modalities of 22 April 2022",
		ObjectionPeriodDays:    10, // [U] ten working days
		WorkingDays:            true,
		DeadlineClock:          "18:00", // [U] close of business in New York
		BasisRequired:          false,   // the basis is voluntary (2022)
		Disclosure:             ObjectionsToChair,
		Validity:               Annual,
		ObjectionsWithdrawable: true, // [U] States are asked to object "judiciously"
		Scopes:                 []Scope{ScopePlenary, ScopeReviewConference},
		ECOSOCScopes:           []Scope{ScopePlenary, ScopeReviewConference},
	}
}

// Validate checks a policy version and returns every problem at once
// (concord.Errors), each naming its field, so that the rules form shows
// them all together.
func (p *Policy) Validate() error {
	var errs concord.Errors
	if strings.TrimSpace(p.Process) == "" {
		errs = append(errs, concord.Errorf(concord.EInvalid, "process", "error.required", "process is required"))
	}
	if p.Version < 1 {
		errs = append(errs, concord.Errorf(concord.EInvalid, "version", "error.policy_version", "version must be 1 or more"))
	}
	if p.EffectiveFrom.IsZero() {
		errs = append(errs, concord.Errorf(concord.EInvalid, "effective_from", "error.required", "the date from which the policy is in force is required"))
	}
	if p.ObjectionPeriodDays < 1 || p.ObjectionPeriodDays > 90 {
		errs = append(errs, concord.Errorf(concord.EInvalid, "objection_period_days", "error.objection_period", "objection period must be 1 to 90 days"))
	}
	if _, _, err := concord.ParseClock(p.DeadlineClock); err != nil {
		errs = append(errs, concord.Errorf(concord.EInvalid, "deadline_clock", "error.clock", "deadline time must be HH:MM"))
	}
	if !slices.Contains(ObjectionDisclosures, p.Disclosure) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "disclosure", "error.disclosure", "unknown disclosure level %q", p.Disclosure))
	}
	if !slices.Contains(Validities, p.Validity) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "validity", "error.validity", "unknown validity %q", p.Validity))
	}
	if len(p.Scopes) == 0 {
		errs = append(errs, concord.Errorf(concord.EInvalid, "scopes", "error.required", "at least one scope is required"))
	}
	for _, c := range []struct {
		field string
		list  []Scope
	}{{"scopes", p.Scopes}, {"ecosoc_scopes", p.ECOSOCScopes}} {
		field, list := c.field, c.list
		for i, s := range list {
			if !slices.Contains(Scopes, s) {
				errs = append(errs, concord.Errorf(concord.EInvalid, field, "error.scope", "unknown scope %q", s))
			} else if slices.Contains(list[:i], s) {
				errs = append(errs, concord.Errorf(concord.EInvalid, field, "error.duplicate", "scope %q listed twice", s))
			}
		}
	}
	return errs.Err()
}

// HasScope reports whether the policy gives scope s windows of its own.
func (p *Policy) HasScope(s Scope) bool {
	return slices.Contains(p.Scopes, s)
}

// PolicyAt returns the version in force at t: the one with the
// latest EffectiveFrom not after t (the higher Version on a tie). versions
// are those of one process, in any order.
func PolicyAt(versions []Policy, t time.Time) (Policy, error) {
	best := -1
	for i, v := range versions {
		if v.EffectiveFrom.After(t) {
			continue
		}
		if best < 0 || v.EffectiveFrom.After(versions[best].EffectiveFrom) ||
			v.EffectiveFrom.Equal(versions[best].EffectiveFrom) && v.Version > versions[best].Version {
			best = i
		}
	}
	if best < 0 {
		return Policy{}, concord.Errorf(concord.ENotFound, "policy", "error.no_policy_in_force", "no accreditation policy in force at %s", t.UTC().Format(time.RFC3339))
	}
	return versions[best], nil
}

// PolicyForWindow returns the version governing w for its whole
// life: the one in force when it opens.
func PolicyForWindow(versions []Policy, w Window) (Policy, error) {
	return PolicyAt(versions, w.Opens)
}

// InTime is the one deadline rule: t is in time for deadline
// when it is strictly before it. At the deadline instant it is late.
func InTime(t, deadline time.Time) bool { return t.Before(deadline) }

// Window is one accreditation round of a process for one scope:
// applications are taken during [Opens, Closes), circulated to States once it
// closes, and decided at ObjectionDeadline. All instants are UTC.
type Window struct {
	ID      string
	Process string
	Scope   Scope
	Body    string // the DTG code for a dtg-scope window, "" otherwise
	Cycle   int    // the year of the cycle, e.g. 2026
	Opens   time.Time
	Closes  time.Time
	// ValidUntil ends the accreditations granted in this window (exclusive).
	// Forms pre-fill it from the policy's Validity (SuggestValidUntil).
	ValidUntil time.Time
	// CirculatedAt and ObjectionDeadline are set at circulation
	// (Circulate); zero before.
	CirculatedAt      time.Time
	ObjectionDeadline time.Time
}

// Phases of a window, derived from its instants and now.
const (
	PhaseScheduled = "scheduled"        // before Opens
	PhaseOpen      = "open"             // taking applications
	PhaseScreening = "screening"        // closed, not yet circulated
	PhaseObjection = "objection_period" // circulated, before the deadline
	PhaseDecided   = "decided"          // at or after the deadline
)

// IsOpen reports whether applications may be submitted at now.
func (w *Window) IsOpen(now time.Time) bool {
	return !now.Before(w.Opens) && InTime(now, w.Closes)
}

// Circulated reports whether the window's applications have been circulated.
func (w *Window) Circulated() bool { return !w.ObjectionDeadline.IsZero() }

// Phase names where the window stands at now.
func (w *Window) Phase(now time.Time) string {
	switch {
	case now.Before(w.Opens):
		return PhaseScheduled
	case w.IsOpen(now):
		return PhaseOpen
	case !w.Circulated():
		return PhaseScreening
	case InTime(now, w.ObjectionDeadline):
		return PhaseObjection
	}
	return PhaseDecided
}

// Validate checks w against the policy governing it and against the other
// windows of the process (which may include w itself, matched by ID), and
// reports every problem of its fields at once (concord.Errors). Two windows
// of the same process, scope and body may not overlap; the error names the
// field of w that falls inside the other window.
func (w *Window) Validate(p Policy, others []Window) error {
	if strings.TrimSpace(w.ID) == "" {
		return concord.Errorf(concord.EInvalid, "id", "error.required", "window id is required")
	}
	if w.Process == "" || w.Process != p.Process {
		return concord.Errorf(concord.EInvalid, "process", "error.policy_mismatch", "window process %q does not match policy process %q", w.Process, p.Process)
	}
	errs := w.CheckFields(p)
	if w.Cycle == 0 {
		errs = append(errs, concord.Errorf(concord.EInvalid, "cycle", "error.cycle", "cycle must be a year"))
	}
	switch {
	case w.Opens.IsZero():
		errs = append(errs, concord.Errorf(concord.EInvalid, "opens", "error.required", "opening instant is required"))
	case !w.Closes.After(w.Opens):
		errs = append(errs, concord.Errorf(concord.EInvalid, "closes", "error.closes_before_opens", "the window must close after it opens"))
	case !w.ValidUntil.After(w.Closes):
		errs = append(errs, concord.Errorf(concord.EInvalid, "valid_until", "error.valid_until", "accreditations must remain valid after the window closes"))
	}
	if w.CirculatedAt.IsZero() != w.ObjectionDeadline.IsZero() {
		errs = append(errs, concord.Errorf(concord.EInvalid, "objection_deadline", "error.circulation", "circulation instant and objection deadline go together"))
	} else if w.Circulated() {
		if w.CirculatedAt.Before(w.Closes) {
			errs = append(errs, concord.Errorf(concord.EInvalid, "circulated_at", "error.window_not_closed", "a window is circulated after it closes"))
		} else if !w.ObjectionDeadline.After(w.CirculatedAt) {
			errs = append(errs, concord.Errorf(concord.EInvalid, "objection_deadline", "error.deadline_before_circulation", "the objection deadline must follow circulation"))
		}
	}
	if len(errs) > 0 {
		// An overlap is only worth saying of a window otherwise right.
		return errs.Err()
	}
	for _, o := range others {
		if o.ID == w.ID || o.Process != w.Process || o.Scope != w.Scope || o.Body != w.Body {
			continue
		}
		if w.Opens.Before(o.Closes) && o.Opens.Before(w.Closes) {
			field := "opens"
			if w.Opens.Before(o.Opens) {
				field = "closes" // w starts first, so its end runs into o
			}
			return concord.Errorf(concord.EConflict, field, "error.window_overlap", "overlaps window %s (%s to %s)", o.ID,
				o.Opens.UTC().Format(time.RFC3339), o.Closes.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// CheckFields checks what w says besides its instants: its scope under p,
// the DTG it names, and its cycle when it has one. A form whose dates do
// not parse still gets these problems with the dates'.
func (w *Window) CheckFields(p Policy) concord.Errors {
	var errs concord.Errors
	if !slices.Contains(Scopes, w.Scope) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "scope", "error.scope", "unknown scope %q", w.Scope))
	} else if !p.HasScope(w.Scope) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "scope", "error.scope_not_in_policy", "the policy gives scope %q no windows of its own", w.Scope))
	}
	if slices.Contains(Scopes, w.Scope) && (w.Scope == ScopeDTG) != (strings.TrimSpace(w.Body) != "") {
		errs = append(errs, concord.Errorf(concord.EInvalid, "body", "error.window_body", "a DTG window, and only a DTG window, names its DTG"))
	}
	if w.Cycle != 0 && (w.Cycle < 1945 || w.Cycle > 9999) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "cycle", "error.cycle", "cycle must be a year"))
	}
	return errs
}

// EarliestDecision is the earliest instant at which w's round
// can be decided: its objection deadline once circulated, otherwise the
// deadline of a circulation at the instant the window closes (circulation
// can only come later, and a later circulation only moves the deadline
// later).
func EarliestDecision(p Policy, w Window, loc *time.Location) (time.Time, error) {
	if w.Circulated() {
		return w.ObjectionDeadline, nil
	}
	return ObjectionDeadline(p, w.Closes, loc)
}

// ValidateValidity checks that accreditations granted in w are still valid
// when they are granted: ValidUntil must fall after the decision, so after
// the objection deadline (EarliestDecision). Window.Validate
// cannot check it alone, because the deadline depends on the policy's
// period and the process time zone.
func (w *Window) ValidateValidity(p Policy, loc *time.Location) error {
	decision, err := EarliestDecision(p, *w, loc)
	if err != nil {
		return err
	}
	if !w.ValidUntil.After(decision) {
		return concord.Errorf(concord.EInvalid, "valid_until", "error.valid_until_decision",
			"accreditations must remain valid after the decision: the end of validity must fall after the objection deadline (at the earliest %s)",
			decision.UTC().Format(time.RFC3339))
	}
	return nil
}

// ObjectionDeadline computes the deadline for a circulation at
// circulatedAt: ObjectionPeriodDays days (working days if WorkingDays) after
// the local date of circulation in loc, at DeadlineClock local time, in UTC.
func ObjectionDeadline(p Policy, circulatedAt time.Time, loc *time.Location) (time.Time, error) {
	h, m, err := concord.ParseClock(p.DeadlineClock)
	if err != nil {
		return time.Time{}, concord.Errorf(concord.EInvalid, "deadline_clock", "error.clock", "deadline time must be HH:MM")
	}
	if loc == nil {
		return time.Time{}, concord.Errorf(concord.EInvalid, "time_zone", "error.time_zone", "time zone is required")
	}
	local := circulatedAt.In(loc)
	y, mo, d := local.Date()
	day := time.Date(y, mo, d, 12, 0, 0, 0, time.UTC) // noon UTC: date arithmetic free of DST
	for n := 0; n < p.ObjectionPeriodDays; {
		day = day.AddDate(0, 0, 1)
		if !p.WorkingDays || (day.Weekday() != time.Saturday && day.Weekday() != time.Sunday) {
			n++
		}
	}
	y, mo, d = day.Date()
	return time.Date(y, mo, d, h, m, 0, 0, loc).UTC(), nil
}

// SuggestValidUntil pre-fills a window's ValidUntil for the
// annual validity: the start of 1 January after the cycle year, in loc. For
// per_session and cycle it returns the zero time: the Secretariat enters the
// end of the session or of the mandate.
func SuggestValidUntil(v Validity, cycle int, loc *time.Location) time.Time {
	if v != Annual || loc == nil {
		return time.Time{}
	}
	return time.Date(cycle+1, time.January, 1, 0, 0, 0, 0, loc).UTC()
}
