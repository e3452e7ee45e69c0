package concord

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
)

// --- the scene shared by the tests --------------------------------------------

func accreditationTestTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func accreditationTestNY(t testing.TB) *time.Location {
	t.Helper()
	loc, err := AccreditationLoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var (
	accreditationTestFocal      = &User{ID: 1, Role: RoleFocalPoint, OrgID: 7}
	accreditationTestOtherFocal = &User{ID: 2, Role: RoleFocalPoint, OrgID: 8}
	accreditationTestFRA        = &User{ID: 3, Role: RoleDelegate, State: "FRA"}
	accreditationTestDEU        = &User{ID: 4, Role: RoleDelegate, State: "DEU"}
	accreditationTestChair      = &User{ID: 5, Role: RoleChair}
	accreditationTestCoFac      = &User{ID: 6, Role: RoleCoFacilitator}
	accreditationTestSec        = &User{ID: 7, Role: RoleSecretariat}
	accreditationTestDisabled   = &User{ID: 8, Role: RoleSecretariat, Disabled: true}
)

// accreditationTestActors are every kind of actor, by name.
var accreditationTestActors = []struct {
	name string
	u    *User
}{
	{"public", nil}, {"focal", accreditationTestFocal}, {"other_focal", accreditationTestOtherFocal},
	{"delegate_FRA", accreditationTestFRA}, {"delegate_DEU", accreditationTestDEU}, {"chair", accreditationTestChair},
	{"cofac", accreditationTestCoFac}, {"secretariat", accreditationTestSec}, {"disabled", accreditationTestDisabled},
}

func accreditationTestPolicy() AccreditationPolicy {
	return AccreditationDefaultPolicy(DefaultProcessCode, accreditationTestTime("2026-01-01T00:00:00Z"))
}

// accreditationTestWindow: the 2026 plenary window, open in April (New York
// time); circulated on Monday 4 May, deadline ten working days later,
// Monday 18 May 18:00 EDT = 22:00 UTC.
func accreditationTestWindow(circulated bool) AccreditationWindow {
	w := AccreditationWindow{
		ID: "gm-2026-plenary", Process: DefaultProcessCode, Scope: AccreditationScopePlenary, Cycle: 2026,
		Opens:      accreditationTestTime("2026-04-01T13:00:00Z"),
		Closes:     accreditationTestTime("2026-05-01T04:00:00Z"),
		ValidUntil: accreditationTestTime("2027-01-01T05:00:00Z"),
	}
	if circulated {
		w.CirculatedAt = accreditationTestTime("2026-05-04T14:00:00Z")
		w.ObjectionDeadline = accreditationTestTime("2026-05-18T22:00:00Z")
	}
	return w
}

var (
	accreditationTestDuringWindow  = accreditationTestTime("2026-04-15T12:00:00Z")
	accreditationTestAfterClose    = accreditationTestTime("2026-05-02T12:00:00Z")
	accreditationTestDuringPeriod  = accreditationTestTime("2026-05-10T12:00:00Z")
	accreditationTestDeadline      = accreditationTestTime("2026-05-18T22:00:00Z")
	accreditationTestAfterValidity = accreditationTestTime("2027-01-02T00:00:00Z")
)

func accreditationTestContent() AccreditationContent {
	return AccreditationContent{
		Purpose:   Text{"en": "Research on the security of ICT supply chains", "fr": "Recherche sur la sécurité"},
		UNHistory: Text{"en": "Written inputs to the OEWG 2021-2025"},
		Letter:    "doc-4711",
	}
}

func accreditationTestOrg() Organization {
	return Organization{ID: 7, Kind: OrgStakeholder, Type: "academia", Country: "KEN", Names: Text{"en": "Example Institute"}}
}

// accreditationTestApp builds an application of org 7 in the scene's window
// in the given status, as the procedure would have left it.
func accreditationTestApp(status ApplicationStatus, route AccreditationRoute) AccreditationApplication {
	a := AccreditationApplication{
		ID: 1, OrgID: 7, Window: "gm-2026-plenary", Route: route, Status: status,
		OrgType: "academia", OrgCountry: "KEN", Content: accreditationTestContent(),
		CreatedAt: accreditationTestTime("2026-04-02T12:00:00Z"),
	}
	if status != ApplicationDraft {
		a.SubmittedAt = accreditationTestTime("2026-04-03T12:00:00Z")
	}
	if route == AccreditationRouteNonObjection {
		switch status {
		case ApplicationCirculated, ApplicationAccredited, ApplicationBlocked, ApplicationExpired:
			a.CirculatedAt = accreditationTestTime("2026-05-04T14:00:00Z")
		}
	}
	if status == ApplicationBlocked {
		a.Objections = []AccreditationObjection{{State: "FRA", At: accreditationTestTime("2026-05-05T12:00:00Z")}}
	}
	return a
}

func accreditationTestKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func accreditationTestField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func accreditationTestAll(string) bool { return true }

// --- policy ------------------------------------------------------------------

func TestAccreditationPolicyValidate(t *testing.T) {
	cases := []struct {
		name  string
		mod   func(p *AccreditationPolicy)
		field string
	}{
		{"default", func(p *AccreditationPolicy) {}, ""},
		{"no process", func(p *AccreditationPolicy) { p.Process = " " }, "process"},
		{"version 0", func(p *AccreditationPolicy) { p.Version = 0 }, "version"},
		{"no date", func(p *AccreditationPolicy) { p.EffectiveFrom = time.Time{} }, "effective_from"},
		{"period 0", func(p *AccreditationPolicy) { p.ObjectionPeriodDays = 0 }, "objection_period_days"},
		{"period 91", func(p *AccreditationPolicy) { p.ObjectionPeriodDays = 91 }, "objection_period_days"},
		{"period 90", func(p *AccreditationPolicy) { p.ObjectionPeriodDays = 90 }, ""},
		{"clock 24:00", func(p *AccreditationPolicy) { p.DeadlineClock = "24:00" }, "deadline_clock"},
		{"clock 6pm", func(p *AccreditationPolicy) { p.DeadlineClock = "6pm" }, "deadline_clock"},
		{"clock 7:00", func(p *AccreditationPolicy) { p.DeadlineClock = "7:00" }, "deadline_clock"},
		{"clock 00:00", func(p *AccreditationPolicy) { p.DeadlineClock = "00:00" }, ""},
		{"disclosure", func(p *AccreditationPolicy) { p.Disclosure = "secret" }, "disclosure"},
		{"disclosure empty", func(p *AccreditationPolicy) { p.Disclosure = "" }, "disclosure"},
		{"hidden", func(p *AccreditationPolicy) { p.Disclosure = ObjectionsHidden }, ""},
		{"validity", func(p *AccreditationPolicy) { p.Validity = "forever" }, "validity"},
		{"no scopes", func(p *AccreditationPolicy) { p.Scopes = nil }, "scopes"},
		{"bad scope", func(p *AccreditationPolicy) { p.Scopes = []AccreditationScope{"town_hall"} }, "scopes"},
		{"dup scope", func(p *AccreditationPolicy) {
			p.Scopes = []AccreditationScope{AccreditationScopeDTG, AccreditationScopeDTG}
		}, "scopes"},
		{"bad ecosoc scope", func(p *AccreditationPolicy) { p.ECOSOCScopes = []AccreditationScope{"x"} }, "ecosoc_scopes"},
		{"no ecosoc scopes", func(p *AccreditationPolicy) { p.ECOSOCScopes = nil }, ""},
	}
	for _, c := range cases {
		p := accreditationTestPolicy()
		c.mod(&p)
		err := p.Validate()
		if got := accreditationTestField(err); got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%s: err %v, want field %q", c.name, err, c.field)
		}
		if err != nil && ErrorCode(err) != EInvalid {
			t.Errorf("%s: code %s", c.name, ErrorCode(err))
		}
	}
}

func TestAccreditationPolicyAt(t *testing.T) {
	v := func(n int, from string) AccreditationPolicy {
		p := AccreditationDefaultPolicy("p", accreditationTestTime(from))
		p.Version = n
		return p
	}
	versions := []AccreditationPolicy{v(3, "2027-01-01T00:00:00Z"), v(1, "2026-01-01T00:00:00Z"), v(2, "2026-06-01T00:00:00Z"), v(4, "2027-01-01T00:00:00Z")}
	cases := []struct {
		at   string
		want int // 0: none in force
	}{
		{"2025-12-31T23:59:59.999999999Z", 0},
		{"2026-01-01T00:00:00Z", 1},
		{"2026-05-31T23:59:59Z", 1},
		{"2026-06-01T00:00:00Z", 2},
		{"2026-12-31T23:59:59.999999999Z", 2},
		{"2027-01-01T00:00:00Z", 4}, // same date: the higher version
		{"2030-01-01T00:00:00Z", 4},
	}
	for _, c := range cases {
		p, err := AccreditationPolicyAt(versions, accreditationTestTime(c.at))
		if c.want == 0 {
			if ErrorCode(err) != ENotFound || accreditationTestKey(err) != "error.no_policy_in_force" {
				t.Errorf("%s: %v, want not found", c.at, err)
			}
			continue
		}
		if err != nil || p.Version != c.want {
			t.Errorf("%s: version %d (%v), want %d", c.at, p.Version, err, c.want)
		}
	}
	w := accreditationTestWindow(false)
	w.Opens = accreditationTestTime("2026-06-01T00:00:00Z")
	if p, err := AccreditationPolicyForWindow(versions, w); err != nil || p.Version != 2 {
		t.Errorf("window opening 1 June is governed by version 2, got %d %v", p.Version, err)
	}
}

// --- time ----------------------------------------------------------------------

func TestAccreditationLocalTime(t *testing.T) {
	ny := accreditationTestNY(t)
	cases := []struct {
		date, clock string
		want        string // UTC; "" for an error
		field       string
	}{
		{"2026-05-24", "18:00", "2026-05-24T22:00:00Z", ""},     // EDT
		{"2026-12-01", "18:00", "2026-12-01T23:00:00Z", ""},     // EST
		{"2026-03-08", "02:30", "", "clock"},                    // skipped by the spring change
		{"2026-03-08", "03:00", "2026-03-08T07:00:00Z", ""},     // first minute of EDT
		{"2026-11-01", "01:30", "2026-11-01T05:30:00Z", ""},     // occurs twice: the earlier (EDT)
		{"2026-11-01", "02:00", "2026-11-01T07:00:00Z", ""},     // once, EST
		{"2026-02-30", "12:00", "", "date"},                     // no such date
		{"26-05-24", "12:00", "", "date"},                       // not YYYY-MM-DD
		{"2026-05-24", "25:00", "", "clock"},                    // no such time
		{" 2026-05-24 ", " 09:05 ", "2026-05-24T13:05:00Z", ""}, // spaces trimmed
		{"2026-01-01", "00:00", "2026-01-01T05:00:00Z", ""},     // midnight
		{"2026-06-30", "23:59", "2026-07-01T03:59:00Z", ""},     // next UTC day
		{"2026-10-31", "23:59", "2026-11-01T03:59:00Z", ""},     // eve of the autumn change
		{"2026-03-07", "23:00", "2026-03-08T04:00:00Z", ""},     // eve of the spring change
		{"2026-11-01", "00:59", "2026-11-01T04:59:00Z", ""},     // before the repeat
		{"2026-11-01", "01:00", "2026-11-01T05:00:00Z", ""},     // first minute of the repeat
		{"2026-11-01", "01:59", "2026-11-01T05:59:00Z", ""},     // last minute of the repeat
		{"2026-03-08", "02:00", "", "clock"},                    // the first skipped minute
		{"2026-03-08", "01:59", "2026-03-08T06:59:00Z", ""},     // the last EST minute
	}
	for _, c := range cases {
		got, err := AccreditationLocalToUTC(c.date, c.clock, ny)
		if c.want == "" {
			if accreditationTestField(err) != c.field {
				t.Errorf("%s %s: %v %v, want error on %s", c.date, c.clock, got, err, c.field)
			}
			continue
		}
		if err != nil || !got.Equal(accreditationTestTime(c.want)) || got.Location() != time.UTC {
			t.Errorf("%s %s: %v %v, want %s", c.date, c.clock, got, err, c.want)
			continue
		}
		d, cl, _ := AccreditationLocal(got, ny)
		if d != strings.TrimSpace(c.date) || cl != strings.TrimSpace(c.clock) {
			t.Errorf("%s %s: back to local gives %s %s", c.date, c.clock, d, cl)
		}
	}
	if _, _, z := AccreditationLocal(accreditationTestTime("2026-11-01T06:30:00Z"), ny); z != "EST" {
		t.Errorf("second 01:30 on 1 Nov 2026 is EST, got %s", z)
	}
	if _, err := AccreditationLocalToUTC("2026-05-24", "18:00", nil); accreditationTestField(err) != "time_zone" {
		t.Errorf("nil location: %v", err)
	}
	if _, err := AccreditationLoadLocation("Mars/Olympus_Mons"); accreditationTestField(err) != "time_zone" {
		t.Errorf("bad zone: %v", err)
	}
	if loc, err := AccreditationLoadLocation(""); err != nil || loc.String() != "America/New_York" {
		t.Errorf("default zone: %v %v", loc, err)
	}
}

func TestAccreditationObjectionDeadline(t *testing.T) {
	ny := accreditationTestNY(t)
	cases := []struct {
		name      string
		days      int
		working   bool
		clock     string
		circulate string
		want      string
	}{
		{"10 working days from a Monday", 10, true, "18:00", "2026-05-04T14:00:00Z", "2026-05-18T22:00:00Z"},
		{"10 working days from a Friday", 10, true, "18:00", "2026-05-29T19:00:00Z", "2026-06-12T22:00:00Z"},
		{"from a Saturday", 1, true, "18:00", "2026-05-30T15:00:00Z", "2026-06-01T22:00:00Z"},
		{"14 calendar days", 14, false, "18:00", "2026-05-29T19:00:00Z", "2026-06-12T22:00:00Z"},
		{"across the autumn change", 10, true, "18:00", "2026-10-26T14:00:00Z", "2026-11-09T23:00:00Z"},
		{"local date, not UTC date", 1, false, "12:00", "2026-05-05T02:00:00Z", "2026-05-05T16:00:00Z"}, // 4 May 22:00 in NY
		{"midnight clock", 1, false, "00:00", "2026-05-04T14:00:00Z", "2026-05-05T04:00:00Z"},
	}
	for _, c := range cases {
		p := accreditationTestPolicy()
		p.ObjectionPeriodDays, p.WorkingDays, p.DeadlineClock = c.days, c.working, c.clock
		got, err := AccreditationObjectionDeadline(p, accreditationTestTime(c.circulate), ny)
		if err != nil || !got.Equal(accreditationTestTime(c.want)) {
			t.Errorf("%s: %v %v, want %s", c.name, got, err, c.want)
		}
	}
	p := accreditationTestPolicy()
	if _, err := AccreditationObjectionDeadline(p, accreditationTestDuringWindow, nil); accreditationTestField(err) != "time_zone" {
		t.Errorf("nil loc: %v", err)
	}
	if got := AccreditationSuggestValidUntil(AccreditationAnnual, 2026, ny); !got.Equal(accreditationTestTime("2027-01-01T05:00:00Z")) {
		t.Errorf("annual validity ends at New Year in New York: %v", got)
	}
	if got := AccreditationSuggestValidUntil(AccreditationCycle, 2026, ny); !got.IsZero() {
		t.Errorf("cycle validity has no default: %v", got)
	}
}

// --- windows ---------------------------------------------------------------------

func TestAccreditationWindowValidate(t *testing.T) {
	p := accreditationTestPolicy()
	other := accreditationTestWindow(false) // April 2026 plenary
	other.ID = "other"
	cases := []struct {
		name  string
		mod   func(w *AccreditationWindow)
		field string
		key   string
	}{
		{"fine", func(w *AccreditationWindow) { w.Opens = other.Closes; w.Closes = w.Opens.Add(24 * time.Hour) }, "", ""},
		{"fine circulated", func(w *AccreditationWindow) {
			w.Opens, w.Closes = other.Closes, other.Closes.Add(24*time.Hour)
			w.CirculatedAt, w.ObjectionDeadline = w.Closes, w.Closes.Add(time.Hour)
		}, "", ""},
		{"no id", func(w *AccreditationWindow) { w.ID = "" }, "id", "error.required"},
		{"other process", func(w *AccreditationWindow) { w.Process = "oewg" }, "process", "error.policy_mismatch"},
		{"bad scope", func(w *AccreditationWindow) { w.Scope = "lunch" }, "scope", "error.scope"},
		{"dtg not in policy", func(w *AccreditationWindow) { w.Scope, w.Body = AccreditationScopeDTG, "DTG1" }, "scope", "error.scope_not_in_policy"},
		{"plenary with body", func(w *AccreditationWindow) { w.Body = "DTG1" }, "body", "error.window_body"},
		{"cycle", func(w *AccreditationWindow) { w.Cycle = 26 }, "cycle", "error.cycle"},
		{"no opening", func(w *AccreditationWindow) { w.Opens = time.Time{} }, "opens", "error.required"},
		{"closes = opens", func(w *AccreditationWindow) { w.Closes = w.Opens }, "closes", "error.closes_before_opens"},
		{"validity", func(w *AccreditationWindow) { w.ValidUntil = w.Closes }, "valid_until", "error.valid_until"},
		{"half circulated", func(w *AccreditationWindow) { w.CirculatedAt = w.Closes }, "objection_deadline", "error.circulation"},
		{"circulated while open", func(w *AccreditationWindow) {
			w.CirculatedAt, w.ObjectionDeadline = w.Closes.Add(-time.Nanosecond), w.Closes.Add(time.Hour)
		}, "circulated_at", "error.window_not_closed"},
		{"deadline = circulation", func(w *AccreditationWindow) { w.CirculatedAt, w.ObjectionDeadline = w.Closes, w.Closes }, "objection_deadline", "error.deadline_before_circulation"},
		// Overlap with the other April window: the field named is the one inside it.
		{"same dates", func(w *AccreditationWindow) {}, "opens", "error.window_overlap"},
		{"opens inside", func(w *AccreditationWindow) { w.Opens = other.Closes.Add(-time.Nanosecond) }, "opens", "error.window_overlap"},
		{"closes inside", func(w *AccreditationWindow) {
			w.Opens = other.Opens.Add(-time.Hour)
			w.Closes = other.Opens.Add(time.Nanosecond)
		}, "closes", "error.window_overlap"},
		{"contains", func(w *AccreditationWindow) {
			w.Opens = other.Opens.Add(-time.Hour)
			w.Closes = other.Closes.Add(time.Hour)
		}, "closes", "error.window_overlap"},
		{"inside", func(w *AccreditationWindow) {
			w.Opens = other.Opens.Add(time.Hour)
			w.Closes = other.Closes.Add(-time.Hour)
		}, "opens", "error.window_overlap"},
		{"touching after", func(w *AccreditationWindow) { w.Opens = other.Closes; w.Closes = w.Opens.Add(time.Hour) }, "", ""},
		{"touching before", func(w *AccreditationWindow) { w.Opens = other.Opens.Add(-time.Hour); w.Closes = other.Opens }, "", ""},
		{"other scope", func(w *AccreditationWindow) { w.Scope = AccreditationScopeReviewConference }, "", ""},
		{"other process overlaps", func(w *AccreditationWindow) {}, "", ""}, // see below: other moved to another process
	}
	for _, c := range cases {
		w := accreditationTestWindow(false)
		w.ID = "new"
		c.mod(&w)
		o := other
		if c.name == "other process overlaps" {
			o.Process = "another-oewg"
		}
		err := w.Validate(p, []AccreditationWindow{o, w}) // w itself is skipped by ID
		if accreditationTestField(err) != c.field || accreditationTestKey(err) != c.key {
			t.Errorf("%s: %v, want %s on %q", c.name, err, c.key, c.field)
		}
		if c.key == "error.window_overlap" && ErrorCode(err) != EConflict {
			t.Errorf("%s: overlap is a conflict, got %s", c.name, ErrorCode(err))
		}
	}
	// DTG windows when the policy has them: per DTG.
	p.Scopes = append(p.Scopes, AccreditationScopeDTG)
	d1 := accreditationTestWindow(false)
	d1.ID, d1.Scope, d1.Body = "dtg1", AccreditationScopeDTG, "DTG1"
	d2 := d1
	d2.ID, d2.Body = "dtg2", "DTG2"
	if err := d2.Validate(p, []AccreditationWindow{d1, other}); err != nil {
		t.Errorf("two DTGs may have windows at the same time: %v", err)
	}
	d2.Body = "DTG1"
	if err := d2.Validate(p, []AccreditationWindow{d1}); accreditationTestKey(err) != "error.window_overlap" {
		t.Errorf("one DTG, two overlapping windows: %v", err)
	}
	d2.Body = ""
	if err := d2.Validate(p, nil); accreditationTestField(err) != "body" {
		t.Errorf("DTG window without its DTG: %v", err)
	}
}

func TestAccreditationWindowPhase(t *testing.T) {
	w := accreditationTestWindow(true)
	ns := time.Nanosecond
	cases := []struct {
		at    time.Time
		open  bool
		phase string
	}{
		{w.Opens.Add(-ns), false, AccreditationPhaseScheduled},
		{w.Opens, true, AccreditationPhaseOpen},
		{w.Closes.Add(-ns), true, AccreditationPhaseOpen},
		{w.Closes, false, AccreditationPhaseObjection}, // this window is already circulated
		{w.ObjectionDeadline.Add(-ns), false, AccreditationPhaseObjection},
		{w.ObjectionDeadline, false, AccreditationPhaseDecided},
		{w.ObjectionDeadline.Add(ns), false, AccreditationPhaseDecided},
	}
	for _, c := range cases {
		if w.IsOpen(c.at) != c.open || w.Phase(c.at) != c.phase {
			t.Errorf("%v: open %v phase %s, want %v %s", c.at, w.IsOpen(c.at), w.Phase(c.at), c.open, c.phase)
		}
	}
	u := accreditationTestWindow(false)
	if got := u.Phase(u.Closes); got != AccreditationPhaseScreening {
		t.Errorf("closed, not circulated: %s", got)
	}
}

// --- the transition matrix: every transition × role × status ------------------

func TestAccreditationTransitionMatrix(t *testing.T) {
	p := accreditationTestPolicy()
	applicant := []string{"focal", "secretariat"}
	secretariat := []string{"secretariat"}
	delegateFRA := []string{"delegate_FRA"}
	type transition struct {
		name       string
		actors     []string
		from       []ApplicationStatus
		to         ApplicationStatus // "" when the status does not change
		route      AccreditationRoute
		circulated bool      // state of the window
		now        time.Time //
		do         func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error
		check      func(t *testing.T, a *AccreditationApplication)
	}
	objFRA := func(a *AccreditationApplication) {
		a.Objections = append(a.Objections, AccreditationObjection{State: "FRA", At: accreditationTestTime("2026-05-05T00:00:00Z")})
	}
	transitions := []transition{
		{"edit", applicant, []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationReturned}, "", AccreditationRouteNonObjection, false, accreditationTestDuringWindow,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				c := accreditationTestContent()
				c.Letter = "doc-2"
				return a.Edit(c, w, u, now)
			}, func(t *testing.T, a *AccreditationApplication) {
				if a.Content.Letter != "doc-2" {
					t.Error("edit not applied")
				}
			}},
		{"submit", applicant, []ApplicationStatus{ApplicationDraft}, ApplicationSubmitted, AccreditationRouteNonObjection, false, accreditationTestDuringWindow,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				return a.Submit(w, u, now)
			}, nil},
		{"resubmit", applicant, []ApplicationStatus{ApplicationReturned}, ApplicationSubmitted, AccreditationRouteNonObjection, false, accreditationTestAfterClose,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				return a.Resubmit(w, u, now)
			}, nil},
		{"withdraw", applicant, []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationReturned, ApplicationCirculated, ApplicationAccredited}, ApplicationWithdrawn, AccreditationRouteNonObjection, true, accreditationTestDuringPeriod,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				return a.Withdraw(w, u, now)
			}, nil},
		{"return", secretariat, []ApplicationStatus{ApplicationSubmitted}, ApplicationReturned, AccreditationRouteNonObjection, false, accreditationTestAfterClose,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				return a.Return([]string{"The letter is not on letterhead."}, u, now)
			}, func(t *testing.T, a *AccreditationApplication) {
				if len(a.Remarks) != 1 || a.History[len(a.History)-1].Remarks[0] != "The letter is not on letterhead." {
					t.Errorf("remarks not kept: %+v", a)
				}
			}},
		{"reject", secretariat, []ApplicationStatus{ApplicationSubmitted, ApplicationReturned}, ApplicationRejected, AccreditationRouteNonObjection, false, accreditationTestAfterClose,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				return a.Reject([]string{"A government agency, not a stakeholder."}, u, now)
			}, nil},
		{"verify_ecosoc", secretariat, []ApplicationStatus{ApplicationSubmitted}, ApplicationAccredited, AccreditationRouteECOSOC, false, accreditationTestAfterClose,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				_, err := a.VerifyECOSOC(func(int64) (AccreditationECOSOCEntry, bool) {
					return AccreditationECOSOCEntry{ID: "D1", Category: "special"}, true
				}, u, now)
				return err
			}, nil},
		{"object", delegateFRA, []ApplicationStatus{ApplicationCirculated}, "", AccreditationRouteNonObjection, true, accreditationTestDuringPeriod,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				a.Objections = nil // the blocked fixture carries one
				return a.Object(p, w, "FRA", "", accreditationTestAll, u, now)
			}, func(t *testing.T, a *AccreditationApplication) {
				if len(a.Objections) != 1 || a.Objections[0].State != "FRA" || !a.Objections[0].At.Equal(accreditationTestDuringPeriod) {
					t.Errorf("objection not recorded: %+v", a.Objections)
				}
			}},
		{"withdraw_objection", delegateFRA, []ApplicationStatus{ApplicationCirculated}, "", AccreditationRouteNonObjection, true, accreditationTestDuringPeriod,
			func(a *AccreditationApplication, w AccreditationWindow, u *User, now time.Time) error {
				a.Objections = nil
				objFRA(a)
				return a.WithdrawObjection(p, w, "FRA", u, now)
			}, func(t *testing.T, a *AccreditationApplication) {
				if len(a.Objections) != 1 || !a.Objections[0].WithdrawnAt.Equal(accreditationTestDuringPeriod) {
					t.Errorf("objection not withdrawn: %+v", a.Objections)
				}
			}},
	}
	for _, tr := range transitions {
		for _, status := range ApplicationStatuses {
			for _, actor := range accreditationTestActors {
				a := accreditationTestApp(status, tr.route)
				before := len(a.History)
				w := accreditationTestWindow(tr.circulated)
				err := tr.do(&a, w, actor.u, tr.now)
				actorOK := slices.Contains(tr.actors, actor.name)
				statusOK := slices.Contains(tr.from, status)
				name := tr.name + "/" + string(status) + "/" + actor.name
				switch {
				case !actorOK && (actor.u == nil || actor.u.Disabled):
					if ErrorCode(err) != EUnauthorized {
						t.Errorf("%s: %v, want unauthorized", name, err)
					}
				case !actorOK:
					if ErrorCode(err) != EForbidden {
						t.Errorf("%s: %v, want forbidden", name, err)
					}
				case !statusOK:
					if ErrorCode(err) != EConflict {
						t.Errorf("%s: %v, want conflict", name, err)
					}
				default:
					if err != nil {
						t.Errorf("%s: %v, want allowed", name, err)
						continue
					}
					want := tr.to
					if want == "" {
						want = status
					}
					if a.Status != want {
						t.Errorf("%s: status %s, want %s", name, a.Status, want)
					}
					if tr.to != "" {
						if len(a.History) != before+1 || a.History[before].From != status || a.History[before].To != tr.to ||
							a.History[before].Actor != actor.u.ID || a.History[before].Role != actor.u.Role || !a.History[before].At.Equal(tr.now) {
							t.Errorf("%s: history %+v", name, a.History)
						}
					}
					if tr.check != nil {
						tr.check(t, &a)
					}
				}
				if err != nil && tr.to != "" && (a.Status != status || len(a.History) != before) {
					t.Errorf("%s: refused transition changed the application", name)
				}
			}
		}
	}
}

func TestAccreditationExpire(t *testing.T) {
	w := accreditationTestWindow(true)
	for _, s := range ApplicationStatuses {
		a := accreditationTestApp(s, AccreditationRouteNonObjection)
		err := a.Expire(w, accreditationTestAfterValidity)
		if s == ApplicationAccredited {
			if err != nil || a.Status != ApplicationExpired || a.History[len(a.History)-1].Actor != 0 {
				t.Errorf("expire accredited: %v %+v", err, a)
			}
		} else if ErrorCode(err) != EConflict {
			t.Errorf("expire %s: %v", s, err)
		}
	}
	a := accreditationTestApp(ApplicationAccredited, AccreditationRouteECOSOC)
	if err := a.Expire(w, w.ValidUntil.Add(-time.Nanosecond)); accreditationTestKey(err) != "error.not_due" {
		t.Errorf("1ns before validity ends: %v", err)
	}
	if err := a.Expire(w, w.ValidUntil); err != nil || a.Status != ApplicationExpired {
		t.Errorf("at ValidUntil (exclusive): %v", err)
	}
}

// --- specific refusals and their keys ---------------------------------------------

func TestAccreditationApply(t *testing.T) {
	p, w, org := accreditationTestPolicy(), accreditationTestWindow(false), accreditationTestOrg()
	a, err := AccreditationApply(p, w, org, nil, accreditationTestFocal, accreditationTestDuringWindow)
	if err != nil || a.Status != ApplicationDraft || a.Route != AccreditationRouteNonObjection || a.OrgType != "academia" ||
		a.OrgCountry != "KEN" || len(a.History) != 1 || !a.CreatedAt.Equal(accreditationTestDuringWindow) {
		t.Fatalf("apply: %v %+v", err, a)
	}
	cases := []struct {
		name     string
		org      func(o *Organization)
		existing []AccreditationApplication
		actor    *User
		now      time.Time
		key      string
	}{
		{"before opening: a draft is fine", nil, nil, accreditationTestFocal, w.Opens.Add(-time.Hour), ""},
		{"secretariat on behalf", nil, nil, accreditationTestSec, accreditationTestDuringWindow, ""},
		{"1ns before closing", nil, nil, accreditationTestFocal, w.Closes.Add(-time.Nanosecond), ""},
		{"at closing", nil, nil, accreditationTestFocal, w.Closes, "error.window_closed"},
		{"duplicate", nil, []AccreditationApplication{a}, accreditationTestFocal, accreditationTestDuringWindow, "error.already_applied"},
		{"duplicate of a rejected one", nil, []AccreditationApplication{accreditationTestApp(ApplicationRejected, AccreditationRouteNonObjection)}, accreditationTestFocal, accreditationTestDuringWindow, "error.already_applied"},
		{"after withdrawing", nil, []AccreditationApplication{accreditationTestApp(ApplicationWithdrawn, AccreditationRouteNonObjection)}, accreditationTestFocal, accreditationTestDuringWindow, ""},
		{"other org's application", nil, []AccreditationApplication{func() AccreditationApplication { x := a; x.OrgID = 9; return x }()}, accreditationTestFocal, accreditationTestDuringWindow, ""},
		{"blocked last year", nil, []AccreditationApplication{func() AccreditationApplication {
			x := accreditationTestApp(ApplicationBlocked, AccreditationRouteNonObjection)
			x.Window = "gm-2025-plenary"
			return x
		}()}, accreditationTestFocal, accreditationTestDuringWindow, ""},
		{"other focal point", nil, nil, accreditationTestOtherFocal, accreditationTestDuringWindow, "error.forbidden"},
		{"delegate", nil, nil, accreditationTestFRA, accreditationTestDuringWindow, "error.forbidden"},
		{"public", nil, nil, nil, accreditationTestDuringWindow, "error.unauthorized"},
		{"an IGO", func(o *Organization) { o.Kind = OrgIGO }, nil, accreditationTestFocal, accreditationTestDuringWindow, "error.not_stakeholder"},
		{"unregistered", func(o *Organization) { o.ID = 0 }, nil, accreditationTestSec, accreditationTestDuringWindow, "error.required"},
	}
	for _, c := range cases {
		o := accreditationTestOrg()
		if c.org != nil {
			c.org(&o)
		}
		_, err := AccreditationApply(p, w, o, c.existing, c.actor, c.now)
		if accreditationTestKey(err) != c.key {
			t.Errorf("%s: %v, want %q", c.name, err, c.key)
		}
	}
	// Route: ECOSOC status counts only in the policy's ECOSOC scopes.
	eco := accreditationTestOrg()
	eco.ECOSOC = "special"
	if a, _ := AccreditationApply(p, w, eco, nil, accreditationTestFocal, accreditationTestDuringWindow); a.Route != AccreditationRouteECOSOC || a.ECOSOC != "special" {
		t.Errorf("ECOSOC org in plenary: %s", a.Route)
	}
	p.Scopes = append(p.Scopes, AccreditationScopeDTG)
	dw := w
	dw.Scope, dw.Body = AccreditationScopeDTG, "DTG1"
	if a, _ := AccreditationApply(p, dw, eco, nil, accreditationTestFocal, accreditationTestDuringWindow); a.Route != AccreditationRouteNonObjection {
		t.Errorf("ECOSOC org in a DTG window (not an ECOSOC scope): %s", a.Route)
	}
}

func TestAccreditationEditAndSubmit(t *testing.T) {
	w, wc := accreditationTestWindow(false), accreditationTestWindow(true)
	ns := time.Nanosecond
	cases := []struct {
		name    string
		status  ApplicationStatus
		route   AccreditationRoute
		w       AccreditationWindow
		now     time.Time
		content func(c *AccreditationContent)
		key     string
		field   string
	}{
		{"draft incomplete is fine", ApplicationDraft, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, func(c *AccreditationContent) { c.Letter, c.Purpose = "", nil }, "", ""},
		{"submitted must stay complete", ApplicationSubmitted, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, func(c *AccreditationContent) { c.Letter = " " }, "error.required", "letter"},
		{"no purpose", ApplicationReturned, AccreditationRouteNonObjection, w, accreditationTestAfterClose, func(c *AccreditationContent) { c.Purpose = Text{"en": "  "} }, "error.required", "purpose"},
		{"purpose only in Arabic", ApplicationReturned, AccreditationRouteNonObjection, w, accreditationTestAfterClose, func(c *AccreditationContent) { c.Purpose = Text{"ar": "بحث"} }, "", ""},
		{"unknown language", ApplicationDraft, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, func(c *AccreditationContent) { c.Programmes = Text{"de": "x"} }, "error.language", "programmes"},
		{"too long", ApplicationDraft, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, func(c *AccreditationContent) { c.UNHistory = Text{"en": strings.Repeat("é", 5001)} }, "error.too_long", "un_history"},
		{"submitted, window closed", ApplicationSubmitted, AccreditationRouteNonObjection, w, w.Closes, nil, "error.window_closed", "window"},
		{"draft, window closed", ApplicationDraft, AccreditationRouteNonObjection, w, w.Closes, nil, "error.window_closed", "window"},
		{"returned after close", ApplicationReturned, AccreditationRouteNonObjection, w, accreditationTestAfterClose, nil, "", ""},
		{"returned, round circulated", ApplicationReturned, AccreditationRouteNonObjection, wc, accreditationTestDuringPeriod, nil, "error.round_circulated", "window"},
		{"circulated", ApplicationCirculated, AccreditationRouteNonObjection, wc, accreditationTestDuringPeriod, nil, "error.not_editable_after_circulation", "status"},
		{"circulated, before the window closes (bad data)", ApplicationCirculated, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, nil, "error.not_editable_after_circulation", "status"},
		{"blocked", ApplicationBlocked, AccreditationRouteNonObjection, wc, accreditationTestAfterValidity, nil, "error.not_editable_after_circulation", "status"},
		{"accredited by non-objection", ApplicationAccredited, AccreditationRouteNonObjection, wc, accreditationTestDuringPeriod, nil, "error.not_editable_after_circulation", "status"},
		{"accredited ECOSOC", ApplicationAccredited, AccreditationRouteECOSOC, w, accreditationTestDuringWindow, nil, "error.not_editable", "status"},
		{"withdrawn", ApplicationWithdrawn, AccreditationRouteNonObjection, w, accreditationTestDuringWindow, nil, "error.not_editable", "status"},
	}
	for _, c := range cases {
		a := accreditationTestApp(c.status, c.route)
		content := accreditationTestContent()
		if c.content != nil {
			c.content(&content)
		}
		old := a.Content
		err := a.Edit(content, c.w, accreditationTestFocal, c.now)
		if accreditationTestKey(err) != c.key || accreditationTestField(err) != c.field {
			t.Errorf("%s: %v, want %q on %q", c.name, err, c.key, c.field)
		}
		if err != nil && a.Content.Letter != old.Letter {
			t.Errorf("%s: refused edit changed the content", c.name)
		}
	}
	// Submission: the window's bounds, and completeness.
	for _, c := range []struct {
		now time.Time
		key string
	}{
		{w.Opens.Add(-ns), "error.window_not_open"}, {w.Opens, ""}, {w.Closes.Add(-ns), ""}, {w.Closes, "error.window_closed"}, {w.Closes.Add(ns), "error.window_closed"},
	} {
		a := accreditationTestApp(ApplicationDraft, AccreditationRouteNonObjection)
		if err := a.Submit(w, accreditationTestFocal, c.now); accreditationTestKey(err) != c.key {
			t.Errorf("submit at %v: %v, want %q", c.now, err, c.key)
		} else if err == nil && !a.SubmittedAt.Equal(c.now) {
			t.Errorf("submit at %v: SubmittedAt %v", c.now, a.SubmittedAt)
		}
	}
	a := accreditationTestApp(ApplicationDraft, AccreditationRouteNonObjection)
	a.Content.Letter = ""
	if err := a.Submit(w, accreditationTestFocal, accreditationTestDuringWindow); accreditationTestField(err) != "letter" || a.Status != ApplicationDraft {
		t.Errorf("submit without letter: %v", err)
	}
	a.Window = "elsewhere"
	if err := a.Submit(w, accreditationTestFocal, accreditationTestDuringWindow); accreditationTestKey(err) != "error.window_mismatch" {
		t.Errorf("wrong window: %v", err)
	}
	// Returning needs a reason; resubmitting a returned one keeps the first submission date.
	a = accreditationTestApp(ApplicationSubmitted, AccreditationRouteNonObjection)
	if err := a.Return([]string{" ", ""}, accreditationTestSec, accreditationTestAfterClose); accreditationTestKey(err) != "error.reasons_required" {
		t.Errorf("return without reason: %v", err)
	}
	if err := a.Reject(nil, accreditationTestSec, accreditationTestAfterClose); accreditationTestKey(err) != "error.reasons_required" {
		t.Errorf("reject without reason: %v", err)
	}
	first := a.SubmittedAt
	if err := a.Return([]string{"Add the letter."}, accreditationTestSec, accreditationTestAfterClose); err != nil {
		t.Fatal(err)
	}
	if err := a.Resubmit(w, accreditationTestFocal, accreditationTestAfterClose.Add(time.Hour)); err != nil || !a.SubmittedAt.Equal(first) || a.Remarks != nil {
		t.Errorf("resubmit: %v %v %v", err, a.SubmittedAt, a.Remarks)
	}
}

func TestAccreditationVerifyECOSOC(t *testing.T) {
	list := map[int64]AccreditationECOSOCEntry{7: {ID: "D7", Name: "Seven", Category: "general"}}
	onList := func(id int64) (AccreditationECOSOCEntry, bool) { e, ok := list[id]; return e, ok }
	a := accreditationTestApp(ApplicationSubmitted, AccreditationRouteECOSOC)
	if ok, err := a.VerifyECOSOC(onList, accreditationTestSec, accreditationTestAfterClose); !ok || err != nil ||
		a.Status != ApplicationAccredited || a.Reasons[0] != AccreditationReasonECOSOCVerified || !a.DecidedAt.Equal(accreditationTestAfterClose) {
		t.Errorf("on the list: %v %v %+v", ok, err, a)
	}
	// The application keeps the entry it was verified against, and the
	// list's category.
	if a.ECOSOCVerified == nil || *a.ECOSOCVerified != list[7] || a.ECOSOC != "general" {
		t.Errorf("verified entry not kept: %+v %q", a.ECOSOCVerified, a.ECOSOC)
	}
	b := accreditationTestApp(ApplicationSubmitted, AccreditationRouteECOSOC)
	b.OrgID = 8
	if ok, err := b.VerifyECOSOC(onList, accreditationTestSec, accreditationTestAfterClose); ok || err != nil ||
		b.Status != ApplicationSubmitted || b.Route != AccreditationRouteNonObjection || b.Reasons[0] != AccreditationReasonECOSOCNotFound {
		t.Errorf("not on the list: falls back to non-objection: %v %v %+v", ok, err, b)
	}
	if _, err := b.VerifyECOSOC(onList, accreditationTestSec, accreditationTestAfterClose); accreditationTestKey(err) != "error.not_ecosoc_route" {
		t.Errorf("verify a non-objection application: %v", err)
	}
	c := accreditationTestApp(ApplicationSubmitted, AccreditationRouteECOSOC)
	if _, err := c.VerifyECOSOC(nil, accreditationTestSec, accreditationTestAfterClose); accreditationTestKey(err) != "error.ecosoc_list" {
		t.Errorf("no list: %v", err)
	}
}

func TestAccreditationCirculate(t *testing.T) {
	p, ny := accreditationTestPolicy(), accreditationTestNY(t)
	at := accreditationTestTime("2026-05-04T14:00:00Z")
	mk := func() []AccreditationApplication {
		apps := []AccreditationApplication{
			accreditationTestApp(ApplicationSubmitted, AccreditationRouteNonObjection),
			accreditationTestApp(ApplicationReturned, AccreditationRouteNonObjection),
			accreditationTestApp(ApplicationAccredited, AccreditationRouteECOSOC),
			accreditationTestApp(ApplicationSubmitted, AccreditationRouteNonObjection),
			accreditationTestApp(ApplicationWithdrawn, AccreditationRouteNonObjection),
		}
		apps[3].Window = "another-window"
		for i := range apps {
			apps[i].ID = int64(i + 1)
		}
		return apps
	}
	apps := mk()
	w := accreditationTestWindow(false)
	n, err := AccreditationCirculate(p, &w, apps, ny, accreditationTestSec, at)
	if err != nil || n != 1 {
		t.Fatalf("circulate: %d %v", n, err)
	}
	if !w.ObjectionDeadline.Equal(accreditationTestDeadline) || !w.CirculatedAt.Equal(at) {
		t.Errorf("deadline %v, want %v", w.ObjectionDeadline, accreditationTestDeadline)
	}
	want := []ApplicationStatus{ApplicationCirculated, ApplicationReturned, ApplicationAccredited, ApplicationSubmitted, ApplicationWithdrawn}
	for i, a := range apps {
		if a.Status != want[i] {
			t.Errorf("app %d: %s, want %s", i, a.Status, want[i])
		}
	}
	if !apps[0].CirculatedAt.Equal(at) {
		t.Errorf("CirculatedAt %v", apps[0].CirculatedAt)
	}
	if err := w.Validate(p, nil); err != nil {
		t.Errorf("circulated window invalid: %v", err)
	}
	if _, err := AccreditationCirculate(p, &w, mk(), ny, accreditationTestSec, at); accreditationTestKey(err) != "error.already_circulated" {
		t.Errorf("twice: %v", err)
	}
	refusals := []struct {
		name string
		mod  func(apps []AccreditationApplication)
		now  time.Time
		u    *User
		key  string
	}{
		{"still open", nil, accreditationTestDuringWindow, accreditationTestSec, "error.window_not_closed"},
		{"1ns before closing", nil, accreditationTestWindow(false).Closes.Add(-time.Nanosecond), accreditationTestSec, "error.window_not_closed"},
		{"chair", nil, at, accreditationTestChair, "error.forbidden"},
		{"ECOSOC unverified", func(apps []AccreditationApplication) {
			apps[2].Status = ApplicationSubmitted
		}, at, accreditationTestSec, "error.ecosoc_unverified"},
	}
	for _, c := range refusals {
		apps := mk()
		if c.mod != nil {
			c.mod(apps)
		}
		w := accreditationTestWindow(false)
		if _, err := AccreditationCirculate(p, &w, apps, ny, c.u, c.now); accreditationTestKey(err) != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
		if w.Circulated() || apps[0].Status != ApplicationSubmitted {
			t.Errorf("%s: refused circulation changed something", c.name)
		}
	}
	if n, err := AccreditationCirculate(p, &w, nil, ny, accreditationTestSec, at); err == nil || n != 0 {
		t.Error("no zone")
	}
}

// --- objections ------------------------------------------------------------------------

func TestAccreditationObject(t *testing.T) {
	p, w := accreditationTestPolicy(), accreditationTestWindow(true)
	participants := map[string]bool{"FRA": true, "DEU": true}
	isParticipant := func(s string) bool { return participants[s] }
	required := p
	required.BasisRequired = true
	noWithdraw := p
	noWithdraw.ObjectionsWithdrawable = false
	cases := []struct {
		name   string
		p      AccreditationPolicy
		prior  []AccreditationObjection
		state  string
		basis  string
		u      *User
		now    time.Time
		key    string
		wantCt int
	}{
		{"fine", p, nil, "FRA", "", accreditationTestFRA, accreditationTestDuringPeriod, "", 1},
		{"lower-case code", p, nil, "fra", "", accreditationTestFRA, accreditationTestDuringPeriod, "", 1},
		{"for another State", p, nil, "DEU", "", accreditationTestFRA, accreditationTestDuringPeriod, "error.objection_other_state", 0},
		{"chair for a State", p, nil, "FRA", "", accreditationTestChair, accreditationTestDuringPeriod, "error.forbidden", 0},
		{"secretariat for a State", p, nil, "FRA", "", accreditationTestSec, accreditationTestDuringPeriod, "error.forbidden", 0},
		{"not a participant", p, nil, "XYZ", "", &User{Role: RoleDelegate, State: "XYZ"}, accreditationTestDuringPeriod, "error.objection_not_participant", 0},
		{"twice", p, []AccreditationObjection{{State: "FRA", At: accreditationTestTime("2026-05-05T00:00:00Z")}}, "FRA", "", accreditationTestFRA, accreditationTestDuringPeriod, "error.objection_duplicate", 1},
		{"again after withdrawing", p, []AccreditationObjection{{State: "FRA", At: accreditationTestTime("2026-05-05T00:00:00Z"), WithdrawnAt: accreditationTestTime("2026-05-06T00:00:00Z")}}, "FRA", "", accreditationTestFRA, accreditationTestDuringPeriod, "error.objection_duplicate", 1},
		{"second State", p, []AccreditationObjection{{State: "FRA", At: accreditationTestTime("2026-05-05T00:00:00Z")}}, "DEU", "", accreditationTestDEU, accreditationTestDuringPeriod, "", 2},
		{"basis required, none", required, nil, "FRA", "  ", accreditationTestFRA, accreditationTestDuringPeriod, "error.basis_required", 0},
		{"basis required, given", required, nil, "FRA", "Affiliated with a party to a conflict", accreditationTestFRA, accreditationTestDuringPeriod, "", 1},
		{"basis too long", p, nil, "FRA", strings.Repeat("b", 2001), accreditationTestFRA, accreditationTestDuringPeriod, "error.too_long", 0},
		{"1ns before the deadline", p, nil, "FRA", "", accreditationTestFRA, accreditationTestDeadline.Add(-time.Nanosecond), "", 1},
		{"at the deadline", p, nil, "FRA", "", accreditationTestFRA, accreditationTestDeadline, "error.deadline_passed", 0},
		{"1ns after the deadline", p, nil, "FRA", "", accreditationTestFRA, accreditationTestDeadline.Add(time.Nanosecond), "error.deadline_passed", 0},
	}
	for _, c := range cases {
		a := accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)
		a.Objections = slices.Clone(c.prior)
		err := a.Object(c.p, w, c.state, c.basis, isParticipant, c.u, c.now)
		if accreditationTestKey(err) != c.key || len(a.Objections) != c.wantCt {
			t.Errorf("%s: %v (%d objections), want %q (%d)", c.name, err, len(a.Objections), c.key, c.wantCt)
		}
	}
	// Not yet circulated (status submitted) and ECOSOC applications cannot be objected to.
	for _, a := range []AccreditationApplication{accreditationTestApp(ApplicationSubmitted, AccreditationRouteNonObjection), accreditationTestApp(ApplicationAccredited, AccreditationRouteECOSOC)} {
		if err := a.Object(p, w, "FRA", "", isParticipant, accreditationTestFRA, accreditationTestDuringPeriod); accreditationTestKey(err) != "error.accreditation_status" {
			t.Errorf("object to %s/%s: %v", a.Status, a.Route, err)
		}
	}
	// Withdrawal.
	withdrawals := []struct {
		name  string
		p     AccreditationPolicy
		prior []AccreditationObjection
		u     *User
		now   time.Time
		key   string
	}{
		{"fine", p, []AccreditationObjection{{State: "FRA"}}, accreditationTestFRA, accreditationTestDuringPeriod, ""},
		{"policy forbids", noWithdraw, []AccreditationObjection{{State: "FRA"}}, accreditationTestFRA, accreditationTestDuringPeriod, "error.objection_not_withdrawable"},
		{"another State's", p, []AccreditationObjection{{State: "FRA"}}, accreditationTestDEU, accreditationTestDuringPeriod, "error.objection_not_found"},
		{"already withdrawn", p, []AccreditationObjection{{State: "FRA", WithdrawnAt: accreditationTestAfterClose}}, accreditationTestFRA, accreditationTestDuringPeriod, "error.objection_not_found"},
		{"1ns before the deadline", p, []AccreditationObjection{{State: "FRA"}}, accreditationTestFRA, accreditationTestDeadline.Add(-time.Nanosecond), ""},
		{"at the deadline", p, []AccreditationObjection{{State: "FRA"}}, accreditationTestFRA, accreditationTestDeadline, "error.deadline_passed"},
		{"1ns after", p, []AccreditationObjection{{State: "FRA"}}, accreditationTestFRA, accreditationTestDeadline.Add(time.Nanosecond), "error.deadline_passed"},
	}
	for _, c := range withdrawals {
		a := accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)
		a.Objections = slices.Clone(c.prior)
		shared := a.Objections
		err := a.WithdrawObjection(c.p, w, c.u.State, c.u, c.now)
		if accreditationTestKey(err) != c.key {
			t.Errorf("withdraw %s: %v, want %q", c.name, err, c.key)
		}
		if err == nil && (!a.Objections[0].WithdrawnAt.Equal(c.now) || !shared[0].WithdrawnAt.IsZero()) {
			t.Errorf("withdraw %s: not recorded, or written through a shared slice", c.name)
		}
	}
	// Withdrawing a circulated application: before the deadline only.
	for _, c := range []struct {
		now time.Time
		key string
	}{{accreditationTestDeadline.Add(-time.Nanosecond), ""}, {accreditationTestDeadline, "error.deadline_passed"}, {accreditationTestDeadline.Add(time.Nanosecond), "error.deadline_passed"}} {
		a := accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)
		if err := a.Withdraw(w, accreditationTestFocal, c.now); accreditationTestKey(err) != c.key {
			t.Errorf("withdraw application at %v: %v, want %q", c.now, err, c.key)
		}
	}
}

// --- the decision ---------------------------------------------------------------------------

func TestAccreditationDecideBoundary(t *testing.T) {
	p, w := accreditationTestPolicy(), accreditationTestWindow(true)
	d := w.ObjectionDeadline
	ns := time.Nanosecond
	obj := func(at, withdrawn time.Time) []AccreditationObjection {
		return []AccreditationObjection{{State: "FRA", At: at, WithdrawnAt: withdrawn}}
	}
	early := accreditationTestTime("2026-05-05T00:00:00Z")
	cases := []struct {
		name string
		objs []AccreditationObjection
		now  time.Time
		want ApplicationStatus
		why  string
	}{
		{"no objection, 1ns before", nil, d.Add(-ns), ApplicationCirculated, AccreditationReasonDeadlineNotYet},
		{"objection, 1ns before", obj(early, time.Time{}), d.Add(-ns), ApplicationCirculated, AccreditationReasonDeadlineNotYet},
		{"no objection, at", nil, d, ApplicationAccredited, AccreditationReasonNoObjection},
		{"objection, at", obj(early, time.Time{}), d, ApplicationBlocked, AccreditationReasonObjection},
		{"objection, 1ns after", obj(early, time.Time{}), d.Add(ns), ApplicationBlocked, AccreditationReasonObjection},
		{"objection 1ns before the deadline counts", obj(d.Add(-ns), time.Time{}), d, ApplicationBlocked, AccreditationReasonObjection},
		{"objection at the deadline is late (imported data)", obj(d, time.Time{}), d.Add(ns), ApplicationAccredited, AccreditationReasonNoObjection},
		{"withdrawn before", obj(early, d.Add(-ns)), d, ApplicationAccredited, AccreditationReasonNoObjection},
		{"withdrawn at the deadline is late", obj(early, d), d, ApplicationBlocked, AccreditationReasonObjection},
	}
	for _, c := range cases {
		a := accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)
		a.Objections = c.objs
		apps := []AccreditationApplication{a}
		out := AccreditationDecide(p, w, apps, c.now)
		if out[0].To != c.want || out[0].Reasons[0] != c.why || out[0].Changed != (c.want != ApplicationCirculated) {
			t.Errorf("%s: %+v, want %s (%s)", c.name, out[0], c.want, c.why)
		}
		if n, err := AccreditationSettle(apps, out, c.now); err != nil || apps[0].Status != c.want || (n == 1) != out[0].Changed {
			t.Errorf("%s: settle %d %v %s", c.name, n, err, apps[0].Status)
		}
		// Idempotent: deciding again changes nothing.
		again := AccreditationDecide(p, w, apps, c.now)
		if again[0].Changed || again[0].To != c.want {
			t.Errorf("%s: second decision %+v", c.name, again[0])
		}
		if n, _ := AccreditationSettle(apps, again, c.now); n != 0 {
			t.Errorf("%s: second settle changed %d", c.name, n)
		}
	}
}

func TestAccreditationDecideLeavesOthers(t *testing.T) {
	p, w := accreditationTestPolicy(), accreditationTestWindow(true)
	var apps []AccreditationApplication
	for i, s := range ApplicationStatuses {
		a := accreditationTestApp(s, AccreditationRouteNonObjection)
		a.ID = int64(i + 1)
		apps = append(apps, a)
	}
	eco := accreditationTestApp(ApplicationAccredited, AccreditationRouteECOSOC)
	other := accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)
	other.Window = "another"
	eco.ID, other.ID = 100, 101
	apps = append(apps, eco, other)
	out := AccreditationDecide(p, w, apps, accreditationTestDeadline)
	for i, o := range out {
		a := apps[i]
		changes := a.Window == w.ID && a.Route == AccreditationRouteNonObjection && a.Status == ApplicationCirculated
		if o.Application != a.ID || o.Changed != changes || (!changes && o.To != a.Status) {
			t.Errorf("%s/%s/%s: %+v", a.Window, a.Route, a.Status, o)
		}
	}
	// The blocked fixture (one objection) stays blocked: decided again to the same result.
	for i, a := range apps {
		if a.Status == ApplicationBlocked && (out[i].To != ApplicationBlocked || out[i].Reasons[0] != AccreditationReasonObjection) {
			t.Errorf("blocked: %+v", out[i])
		}
	}
	if got := out[len(out)-2].Reasons[0]; got != AccreditationReasonECOSOCRoute {
		t.Errorf("ECOSOC: %s", got)
	}
	if got := out[len(out)-1].Reasons[0]; got != AccreditationReasonOtherWindow {
		t.Errorf("other window: %s", got)
	}
	// Not circulated yet: nothing to decide.
	if out := AccreditationDecide(p, accreditationTestWindow(false), apps[:1], accreditationTestAfterValidity); out[0].Changed {
		t.Errorf("uncirculated window decided: %+v", out[0])
	}
	// Settle refuses misaligned outcomes and skips stale ones.
	if _, err := AccreditationSettle(apps[:1], out, accreditationTestDeadline); ErrorCode(err) != EInvalid {
		t.Errorf("length mismatch: %v", err)
	}
	c := []AccreditationApplication{accreditationTestApp(ApplicationCirculated, AccreditationRouteNonObjection)}
	o := AccreditationDecide(p, w, c, accreditationTestDeadline)
	c[0].Status = ApplicationWithdrawn // moved meanwhile
	if n, err := AccreditationSettle(c, o, accreditationTestDeadline); n != 0 || err != nil || c[0].Status != ApplicationWithdrawn {
		t.Errorf("stale outcome applied: %d %v %s", n, err, c[0].Status)
	}
}

// TestAccreditationDeadlineSynctest runs a round on the fake clock of
// testing/synctest: time only moves when every goroutine sleeps, so the
// instants at, just before and just after the deadline are exact.
func TestAccreditationDeadlineSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // 2000-01-01 00:00 UTC in the bubble
		p := AccreditationDefaultPolicy("p", start)
		p.ObjectionPeriodDays, p.WorkingDays, p.DeadlineClock = 2, false, "12:00"
		w := AccreditationWindow{ID: "w", Process: "p", Scope: AccreditationScopePlenary, Cycle: 2000,
			Opens: start, Closes: start.Add(24 * time.Hour), ValidUntil: start.Add(365 * 24 * time.Hour)}
		org := Organization{ID: 7, Kind: OrgStakeholder, Type: "ngo", Names: Text{"en": "N"}}
		a, err := AccreditationApply(p, w, org, nil, accreditationTestFocal, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Edit(accreditationTestContent(), w, accreditationTestFocal, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		if err := a.Submit(w, accreditationTestFocal, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(w.Closes))
		apps := []AccreditationApplication{a}
		if _, err := AccreditationCirculate(p, &w, apps, time.UTC, accreditationTestSec, time.Now()); err != nil {
			t.Fatal(err)
		}
		if want := start.Add(84 * time.Hour); !w.ObjectionDeadline.Equal(want) { // circulated 2 Jan: deadline 4 Jan 12:00
			t.Fatalf("deadline %v, want %v", w.ObjectionDeadline, want)
		}
		time.Sleep(time.Until(w.ObjectionDeadline) - time.Nanosecond)
		if err := apps[0].Object(p, w, "FRA", "", accreditationTestAll, accreditationTestFRA, time.Now()); err != nil {
			t.Fatalf("1ns before the deadline: %v", err)
		}
		if out := AccreditationDecide(p, w, apps, time.Now()); out[0].Changed {
			t.Fatalf("decided 1ns early: %+v", out[0])
		}
		time.Sleep(time.Nanosecond)
		if !time.Now().Equal(w.ObjectionDeadline) {
			t.Fatalf("clock %v", time.Now())
		}
		if err := apps[0].Object(p, w, "DEU", "", accreditationTestAll, accreditationTestDEU, time.Now()); accreditationTestKey(err) != "error.deadline_passed" {
			t.Fatalf("at the deadline: %v", err)
		}
		if err := apps[0].WithdrawObjection(p, w, "FRA", accreditationTestFRA, time.Now()); accreditationTestKey(err) != "error.deadline_passed" {
			t.Fatalf("withdraw at the deadline: %v", err)
		}
		out := AccreditationDecide(p, w, apps, time.Now())
		if _, err := AccreditationSettle(apps, out, time.Now()); err != nil || apps[0].Status != ApplicationBlocked {
			t.Fatalf("at the deadline: %+v %v", out[0], err)
		}
		time.Sleep(time.Nanosecond)
		if err := apps[0].Object(p, w, "DEU", "", accreditationTestAll, accreditationTestDEU, time.Now()); accreditationTestKey(err) != "error.deadline_passed" {
			t.Fatalf("1ns after: %v", err)
		}
		if out := AccreditationDecide(p, w, apps, time.Now()); out[0].Changed || out[0].To != ApplicationBlocked {
			t.Fatalf("decided again: %+v", out[0])
		}
		if h := AccreditationHistory(apps, 7); len(h) != 1 || len(h[0].History) != 4 { // draft, submitted, circulated, blocked
			t.Fatalf("history %+v", h)
		}
	})
}

// --- re-application keeps history ------------------------------------------------------------

func TestAccreditationReapplication(t *testing.T) {
	p := accreditationTestPolicy()
	w25 := accreditationTestWindow(true)
	w25.ID, w25.Cycle = "gm-2025-plenary", 2025
	blocked := accreditationTestApp(ApplicationBlocked, AccreditationRouteNonObjection)
	blocked.Window, blocked.CreatedAt = w25.ID, accreditationTestTime("2025-04-02T00:00:00Z")
	w26 := accreditationTestWindow(false)
	w26.Opens, w26.Closes = accreditationTestTime("2027-04-01T00:00:00Z"), accreditationTestTime("2027-05-01T00:00:00Z")
	w26.ID, w26.Cycle, w26.ValidUntil = "gm-2027-plenary", 2027, accreditationTestTime("2028-01-01T00:00:00Z")
	now := accreditationTestTime("2027-04-02T00:00:00Z")
	again, err := AccreditationApply(p, w26, accreditationTestOrg(), []AccreditationApplication{blocked}, accreditationTestFocal, now)
	if err != nil {
		t.Fatalf("re-apply in a later window: %v", err)
	}
	again.ID = 2
	other := accreditationTestApp(ApplicationAccredited, AccreditationRouteECOSOC)
	other.OrgID, other.ID = 9, 3
	h := AccreditationHistory([]AccreditationApplication{again, other, blocked}, 7)
	if len(h) != 2 || h[0].Window != "gm-2025-plenary" || h[0].Status != ApplicationBlocked || h[1].Window != "gm-2027-plenary" || h[1].Status != ApplicationDraft {
		t.Errorf("history %+v", h)
	}
}

// --- every key in the code is in the lists the catalogues check -------------------------------

func TestAccreditationKeysListed(t *testing.T) {
	re := regexp.MustCompile(`"((?:error|reason)\.[a-z_]+)"`)
	files := []string{"accreditation.go", "accreditation_application.go", "accreditation_objection.go", "accreditation_decide.go"}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	listed := map[string]bool{}
	for _, k := range slices.Concat(AccreditationErrorKeys, AccreditationReasonKeys) {
		if listed[k] {
			t.Errorf("%s listed twice", k)
		}
		listed[k] = true
	}
	for k := range seen {
		if !listed[k] {
			t.Errorf("%s is used but not listed", k)
		}
	}
	for k := range listed {
		if !seen[k] {
			t.Errorf("%s is listed but never used", k)
		}
	}
	// The keys the issue names must exist.
	for _, k := range []string{"error.window_closed", "error.deadline_passed", "error.already_applied", "error.not_editable_after_circulation",
		"error.objection_duplicate", "error.objection_other_state", "error.basis_required", "error.objection_not_withdrawable"} {
		if !listed[k] {
			t.Errorf("%s missing", k)
		}
	}
}

// TestAccreditationValidityAfterDecision: a window whose accreditations end
// before its objection deadline is refused when it is created and when it
// would be circulated; the error names the field valid_until.
func TestAccreditationValidityAfterDecision(t *testing.T) {
	p, ny := accreditationTestPolicy(), accreditationTestNY(t)
	w := accreditationTestWindow(false)
	if err := w.ValidateValidity(p, ny); err != nil {
		t.Fatalf("valid until the end of the year: %v", err)
	}
	// Closing Friday 1 May 00:00 EDT: ten working days later is Friday
	// 15 May, 18:00 EDT.
	earliest, err := AccreditationEarliestDecision(p, w, ny)
	if err != nil || !earliest.Equal(accreditationTestTime("2026-05-15T22:00:00Z")) {
		t.Fatalf("earliest decision: %v %v", earliest, err)
	}
	for _, until := range []time.Time{w.Closes.Add(6 * time.Hour), earliest} {
		w.ValidUntil = until
		err := w.ValidateValidity(p, ny)
		var de *Error
		if !errors.As(err, &de) || de.Field != "valid_until" || de.Key != "error.valid_until_decision" {
			t.Errorf("valid until %v, decided at the earliest %v: %v", until, earliest, err)
		}
	}
	w.ValidUntil = earliest.Add(time.Minute)
	if err := w.ValidateValidity(p, ny); err != nil {
		t.Errorf("valid after the earliest decision: %v", err)
	}
	// Circulated later than the close, the deadline moves past the end of
	// validity: circulation is refused and nothing changes.
	apps := []AccreditationApplication{accreditationTestApp(ApplicationSubmitted, AccreditationRouteNonObjection)}
	if _, err := AccreditationCirculate(p, &w, apps, ny, accreditationTestSec, accreditationTestTime("2026-05-04T14:00:00Z")); accreditationTestKey(err) != "error.valid_until_decision" ||
		w.Circulated() || apps[0].Status != ApplicationSubmitted {
		t.Errorf("circulation whose deadline falls after the end of validity: %v", err)
	}
	// Once circulated, the real deadline counts.
	c := accreditationTestWindow(true)
	c.ValidUntil = c.ObjectionDeadline
	if err := c.ValidateValidity(p, ny); accreditationTestKey(err) != "error.valid_until_decision" {
		t.Errorf("circulated window valid until its deadline: %v", err)
	}
}

// TestAccreditationApplicantRuleIsCan: who may act as an applicant is
// decided by Can with the organisation as the target, and by nothing else:
// every transition of an applicant agrees with it for every kind of user.
func TestAccreditationApplicantRuleIsCan(t *testing.T) {
	users := []*User{nil, accreditationTestSec, {ID: 2, Role: RoleSecretariat, Disabled: true},
		{ID: 3, Role: RoleFocalPoint, OrgID: 7}, {ID: 4, Role: RoleFocalPoint, OrgID: 8}, {ID: 5, Role: RoleFocalPoint},
		{ID: 6, Role: RoleFocalPoint, OrgID: 7, Disabled: true}, {ID: 7, Role: RoleDelegate, State: "FRA"}, {ID: 8, Role: RoleChair}}
	w := accreditationTestWindow(false)
	for _, u := range users {
		want := Can(u, ActApplyAccreditation, Target{OrgID: 7})
		a := accreditationTestApp(ApplicationDraft, AccreditationRouteNonObjection)
		a.OrgID = 7
		err := a.Edit(AccreditationContent{Purpose: Text{"en": "x"}}, w, u, accreditationTestTime("2026-04-02T12:00:00Z"))
		if (err == nil) != want {
			t.Errorf("%+v: Can says %v, Edit says %v", u, want, err)
		}
		_, err = AccreditationApply(accreditationTestPolicy(), w, Organization{ID: 7, Kind: OrgStakeholder}, nil, u, accreditationTestTime("2026-04-02T12:00:00Z"))
		if (err == nil) != want {
			t.Errorf("%+v: Can says %v, Apply says %v", u, want, err)
		}
	}
	// With no target, Can answers the route's question (may u apply for
	// some organisation): a focal point bound to none may not.
	if Can(&User{Role: RoleFocalPoint}, ActApplyAccreditation, Target{}) {
		t.Error("a focal point bound to no organisation may apply")
	}
}
