package accreditation

import (
	"concord"
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

func testTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testNY(t testing.TB) *time.Location {
	t.Helper()
	loc, err := concord.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var (
	testFocal      = &concord.User{ID: 1, Role: concord.RoleFocalPoint, OrgID: 7}
	testOtherFocal = &concord.User{ID: 2, Role: concord.RoleFocalPoint, OrgID: 8}
	testFRA        = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	testDEU        = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "DEU"}
	testChair      = &concord.User{ID: 5, Role: concord.RoleChair}
	testCoFac      = &concord.User{ID: 6, Role: concord.RoleCoFacilitator}
	testSec        = &concord.User{ID: 7, Role: concord.RoleSecretariat}
	testDisabled   = &concord.User{ID: 8, Role: concord.RoleSecretariat, Disabled: true}
)

// testActors are every kind of actor, by name.
var testActors = []struct {
	name string
	u    *concord.User
}{
	{"public", nil}, {"focal", testFocal}, {"other_focal", testOtherFocal},
	{"delegate_FRA", testFRA}, {"delegate_DEU", testDEU}, {"chair", testChair},
	{"cofac", testCoFac}, {"secretariat", testSec}, {"disabled", testDisabled},
}

func testPolicy() Policy {
	return DefaultPolicy(concord.DefaultProcessCode, testTime("2026-01-01T00:00:00Z"))
}

// testWindow: the 2026 plenary window, open in April (New York
// time); circulated on Monday 4 May, deadline ten working days later,
// Monday 18 May 18:00 EDT = 22:00 UTC.
func testWindow(circulated bool) Window {
	w := Window{
		ID: "gm-2026-plenary", Process: concord.DefaultProcessCode, Scope: ScopePlenary, Cycle: 2026,
		Opens:      testTime("2026-04-01T13:00:00Z"),
		Closes:     testTime("2026-05-01T04:00:00Z"),
		ValidUntil: testTime("2027-01-01T05:00:00Z"),
	}
	if circulated {
		w.CirculatedAt = testTime("2026-05-04T14:00:00Z")
		w.ObjectionDeadline = testTime("2026-05-18T22:00:00Z")
	}
	return w
}

var (
	testDuringWindow  = testTime("2026-04-15T12:00:00Z")
	testAfterClose    = testTime("2026-05-02T12:00:00Z")
	testDuringPeriod  = testTime("2026-05-10T12:00:00Z")
	testDeadline      = testTime("2026-05-18T22:00:00Z")
	testAfterValidity = testTime("2027-01-02T00:00:00Z")
)

func testContent() Content {
	return Content{
		Purpose:   concord.Text{"en": "Research on the security of ICT supply chains", "fr": "Recherche sur la sécurité"},
		UNHistory: concord.Text{"en": "Written inputs to the OEWG 2021-2025"},
		Letter:    "doc-4711",
	}
}

func testOrg() concord.Organization {
	return concord.Organization{ID: 7, Kind: concord.OrgStakeholder, Type: "academia", Country: "KEN", Names: concord.Text{"en": "Example Institute"}}
}

// testApp builds an application of org 7 in the scene's window
// in the given status, as the procedure would have left it.
func testApp(status ApplicationStatus, route Route) Application {
	a := Application{
		ID: 1, OrgID: 7, Window: "gm-2026-plenary", Route: route, Status: status,
		OrgType: "academia", OrgCountry: "KEN", Content: testContent(),
		CreatedAt: testTime("2026-04-02T12:00:00Z"),
	}
	if status != ApplicationDraft {
		a.SubmittedAt = testTime("2026-04-03T12:00:00Z")
	}
	if route == RouteNonObjection {
		switch status {
		case ApplicationCirculated, ApplicationAccredited, ApplicationBlocked, ApplicationExpired:
			a.CirculatedAt = testTime("2026-05-04T14:00:00Z")
		}
	}
	if status == ApplicationBlocked {
		a.Objections = []Objection{{State: "FRA", At: testTime("2026-05-05T12:00:00Z")}}
	}
	return a
}

func testKey(err error) string {
	var e *concord.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func testField(err error) string {
	var e *concord.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func testAll(string) bool { return true }

// --- policy ------------------------------------------------------------------

func TestPolicyValidate(t *testing.T) {
	cases := []struct {
		name  string
		mod   func(p *Policy)
		field string
	}{
		{"default", func(p *Policy) {}, ""},
		{"no process", func(p *Policy) { p.Process = " " }, "process"},
		{"version 0", func(p *Policy) { p.Version = 0 }, "version"},
		{"no date", func(p *Policy) { p.EffectiveFrom = time.Time{} }, "effective_from"},
		{"period 0", func(p *Policy) { p.ObjectionPeriodDays = 0 }, "objection_period_days"},
		{"period 91", func(p *Policy) { p.ObjectionPeriodDays = 91 }, "objection_period_days"},
		{"period 90", func(p *Policy) { p.ObjectionPeriodDays = 90 }, ""},
		{"clock 24:00", func(p *Policy) { p.DeadlineClock = "24:00" }, "deadline_clock"},
		{"clock 6pm", func(p *Policy) { p.DeadlineClock = "6pm" }, "deadline_clock"},
		{"clock 7:00", func(p *Policy) { p.DeadlineClock = "7:00" }, "deadline_clock"},
		{"clock 00:00", func(p *Policy) { p.DeadlineClock = "00:00" }, ""},
		{"disclosure", func(p *Policy) { p.Disclosure = "secret" }, "disclosure"},
		{"disclosure empty", func(p *Policy) { p.Disclosure = "" }, "disclosure"},
		{"hidden", func(p *Policy) { p.Disclosure = ObjectionsHidden }, ""},
		{"validity", func(p *Policy) { p.Validity = "forever" }, "validity"},
		{"no scopes", func(p *Policy) { p.Scopes = nil }, "scopes"},
		{"bad scope", func(p *Policy) { p.Scopes = []Scope{"town_hall"} }, "scopes"},
		{"dup scope", func(p *Policy) {
			p.Scopes = []Scope{ScopeDTG, ScopeDTG}
		}, "scopes"},
		{"bad ecosoc scope", func(p *Policy) { p.ECOSOCScopes = []Scope{"x"} }, "ecosoc_scopes"},
		{"no ecosoc scopes", func(p *Policy) { p.ECOSOCScopes = nil }, ""},
	}
	for _, c := range cases {
		p := testPolicy()
		c.mod(&p)
		err := p.Validate()
		if got := testField(err); got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%s: err %v, want field %q", c.name, err, c.field)
		}
		if err != nil && concord.ErrorCode(err) != concord.EInvalid {
			t.Errorf("%s: code %s", c.name, concord.ErrorCode(err))
		}
	}
}

func TestPolicyAt(t *testing.T) {
	v := func(n int, from string) Policy {
		p := DefaultPolicy("p", testTime(from))
		p.Version = n
		return p
	}
	versions := []Policy{v(3, "2027-01-01T00:00:00Z"), v(1, "2026-01-01T00:00:00Z"), v(2, "2026-06-01T00:00:00Z"), v(4, "2027-01-01T00:00:00Z")}
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
		p, err := PolicyAt(versions, testTime(c.at))
		if c.want == 0 {
			if concord.ErrorCode(err) != concord.ENotFound || testKey(err) != "error.no_policy_in_force" {
				t.Errorf("%s: %v, want not found", c.at, err)
			}
			continue
		}
		if err != nil || p.Version != c.want {
			t.Errorf("%s: version %d (%v), want %d", c.at, p.Version, err, c.want)
		}
	}
	w := testWindow(false)
	w.Opens = testTime("2026-06-01T00:00:00Z")
	if p, err := PolicyForWindow(versions, w); err != nil || p.Version != 2 {
		t.Errorf("window opening 1 June is governed by version 2, got %d %v", p.Version, err)
	}
}

// --- time ----------------------------------------------------------------------

func TestLocalTime(t *testing.T) {
	ny := testNY(t)
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
		got, err := concord.LocalToUTC(c.date, c.clock, ny)
		if c.want == "" {
			if testField(err) != c.field {
				t.Errorf("%s %s: %v %v, want error on %s", c.date, c.clock, got, err, c.field)
			}
			continue
		}
		if err != nil || !got.Equal(testTime(c.want)) || got.Location() != time.UTC {
			t.Errorf("%s %s: %v %v, want %s", c.date, c.clock, got, err, c.want)
			continue
		}
		d, cl, _ := concord.Local(got, ny)
		if d != strings.TrimSpace(c.date) || cl != strings.TrimSpace(c.clock) {
			t.Errorf("%s %s: back to local gives %s %s", c.date, c.clock, d, cl)
		}
	}
	if _, _, z := concord.Local(testTime("2026-11-01T06:30:00Z"), ny); z != "EST" {
		t.Errorf("second 01:30 on 1 Nov 2026 is EST, got %s", z)
	}
	if _, err := concord.LocalToUTC("2026-05-24", "18:00", nil); testField(err) != "time_zone" {
		t.Errorf("nil location: %v", err)
	}
	if _, err := concord.LoadLocation("Mars/Olympus_Mons"); testField(err) != "time_zone" {
		t.Errorf("bad zone: %v", err)
	}
	if loc, err := concord.LoadLocation(""); err != nil || loc.String() != "America/New_York" {
		t.Errorf("default zone: %v %v", loc, err)
	}
}

func TestObjectionDeadline(t *testing.T) {
	ny := testNY(t)
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
		p := testPolicy()
		p.ObjectionPeriodDays, p.WorkingDays, p.DeadlineClock = c.days, c.working, c.clock
		got, err := ObjectionDeadline(p, testTime(c.circulate), ny)
		if err != nil || !got.Equal(testTime(c.want)) {
			t.Errorf("%s: %v %v, want %s", c.name, got, err, c.want)
		}
	}
	p := testPolicy()
	if _, err := ObjectionDeadline(p, testDuringWindow, nil); testField(err) != "time_zone" {
		t.Errorf("nil loc: %v", err)
	}
	if got := SuggestValidUntil(Annual, 2026, ny); !got.Equal(testTime("2027-01-01T05:00:00Z")) {
		t.Errorf("annual validity ends at New Year in New York: %v", got)
	}
	if got := SuggestValidUntil(Cycle, 2026, ny); !got.IsZero() {
		t.Errorf("cycle validity has no default: %v", got)
	}
}

// --- windows ---------------------------------------------------------------------

func TestWindowValidate(t *testing.T) {
	p := testPolicy()
	other := testWindow(false) // April 2026 plenary
	other.ID = "other"
	cases := []struct {
		name  string
		mod   func(w *Window)
		field string
		key   string
	}{
		{"fine", func(w *Window) { w.Opens = other.Closes; w.Closes = w.Opens.Add(24 * time.Hour) }, "", ""},
		{"fine circulated", func(w *Window) {
			w.Opens, w.Closes = other.Closes, other.Closes.Add(24*time.Hour)
			w.CirculatedAt, w.ObjectionDeadline = w.Closes, w.Closes.Add(time.Hour)
		}, "", ""},
		{"no id", func(w *Window) { w.ID = "" }, "id", "error.required"},
		{"other process", func(w *Window) { w.Process = "oewg" }, "process", "error.policy_mismatch"},
		{"bad scope", func(w *Window) { w.Scope = "lunch" }, "scope", "error.scope"},
		{"dtg not in policy", func(w *Window) { w.Scope, w.Body = ScopeDTG, "DTG1" }, "scope", "error.scope_not_in_policy"},
		{"plenary with body", func(w *Window) { w.Body = "DTG1" }, "body", "error.window_body"},
		{"cycle", func(w *Window) { w.Cycle = 26 }, "cycle", "error.cycle"},
		{"no opening", func(w *Window) { w.Opens = time.Time{} }, "opens", "error.required"},
		{"closes = opens", func(w *Window) { w.Closes = w.Opens }, "closes", "error.closes_before_opens"},
		{"validity", func(w *Window) { w.ValidUntil = w.Closes }, "valid_until", "error.valid_until"},
		{"half circulated", func(w *Window) { w.CirculatedAt = w.Closes }, "objection_deadline", "error.circulation"},
		{"circulated while open", func(w *Window) {
			w.CirculatedAt, w.ObjectionDeadline = w.Closes.Add(-time.Nanosecond), w.Closes.Add(time.Hour)
		}, "circulated_at", "error.window_not_closed"},
		{"deadline = circulation", func(w *Window) { w.CirculatedAt, w.ObjectionDeadline = w.Closes, w.Closes }, "objection_deadline", "error.deadline_before_circulation"},
		// Overlap with the other April window: the field named is the one inside it.
		{"same dates", func(w *Window) {}, "opens", "error.window_overlap"},
		{"opens inside", func(w *Window) { w.Opens = other.Closes.Add(-time.Nanosecond) }, "opens", "error.window_overlap"},
		{"closes inside", func(w *Window) {
			w.Opens = other.Opens.Add(-time.Hour)
			w.Closes = other.Opens.Add(time.Nanosecond)
		}, "closes", "error.window_overlap"},
		{"contains", func(w *Window) {
			w.Opens = other.Opens.Add(-time.Hour)
			w.Closes = other.Closes.Add(time.Hour)
		}, "closes", "error.window_overlap"},
		{"inside", func(w *Window) {
			w.Opens = other.Opens.Add(time.Hour)
			w.Closes = other.Closes.Add(-time.Hour)
		}, "opens", "error.window_overlap"},
		{"touching after", func(w *Window) { w.Opens = other.Closes; w.Closes = w.Opens.Add(time.Hour) }, "", ""},
		{"touching before", func(w *Window) { w.Opens = other.Opens.Add(-time.Hour); w.Closes = other.Opens }, "", ""},
		{"other scope", func(w *Window) { w.Scope = ScopeReviewConference }, "", ""},
		{"other process overlaps", func(w *Window) {}, "", ""}, // see below: other moved to another process
	}
	for _, c := range cases {
		w := testWindow(false)
		w.ID = "new"
		c.mod(&w)
		o := other
		if c.name == "other process overlaps" {
			o.Process = "another-oewg"
		}
		err := w.Validate(p, []Window{o, w}) // w itself is skipped by ID
		if testField(err) != c.field || testKey(err) != c.key {
			t.Errorf("%s: %v, want %s on %q", c.name, err, c.key, c.field)
		}
		if c.key == "error.window_overlap" && concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("%s: overlap is a conflict, got %s", c.name, concord.ErrorCode(err))
		}
	}
	// Every problem at once: scope, cycle and closing in one submission.
	w := testWindow(false)
	w.ID, w.Scope, w.Cycle, w.Closes = "new", "lunch", 26, w.Opens
	var all concord.Errors
	if err := w.Validate(p, nil); !errors.As(err, &all) || len(all) != 3 ||
		all[0].Field != "scope" || all[1].Field != "cycle" || all[2].Field != "closes" {
		t.Errorf("three problems: %v", err)
	}
	// DTG windows when the policy has them: per DTG.
	p.Scopes = append(p.Scopes, ScopeDTG)
	d1 := testWindow(false)
	d1.ID, d1.Scope, d1.Body = "dtg1", ScopeDTG, "DTG1"
	d2 := d1
	d2.ID, d2.Body = "dtg2", "DTG2"
	if err := d2.Validate(p, []Window{d1, other}); err != nil {
		t.Errorf("two DTGs may have windows at the same time: %v", err)
	}
	d2.Body = "DTG1"
	if err := d2.Validate(p, []Window{d1}); testKey(err) != "error.window_overlap" {
		t.Errorf("one DTG, two overlapping windows: %v", err)
	}
	d2.Body = ""
	if err := d2.Validate(p, nil); testField(err) != "body" {
		t.Errorf("DTG window without its DTG: %v", err)
	}
}

func TestWindowPhase(t *testing.T) {
	w := testWindow(true)
	ns := time.Nanosecond
	cases := []struct {
		at    time.Time
		open  bool
		phase string
	}{
		{w.Opens.Add(-ns), false, PhaseScheduled},
		{w.Opens, true, PhaseOpen},
		{w.Closes.Add(-ns), true, PhaseOpen},
		{w.Closes, false, PhaseObjection}, // this window is already circulated
		{w.ObjectionDeadline.Add(-ns), false, PhaseObjection},
		{w.ObjectionDeadline, false, PhaseDecided},
		{w.ObjectionDeadline.Add(ns), false, PhaseDecided},
	}
	for _, c := range cases {
		if w.IsOpen(c.at) != c.open || w.Phase(c.at) != c.phase {
			t.Errorf("%v: open %v phase %s, want %v %s", c.at, w.IsOpen(c.at), w.Phase(c.at), c.open, c.phase)
		}
	}
	u := testWindow(false)
	if got := u.Phase(u.Closes); got != PhaseScreening {
		t.Errorf("closed, not circulated: %s", got)
	}
}

// --- the transition matrix: every transition × role × status ------------------

func TestTransitionMatrix(t *testing.T) {
	p := testPolicy()
	applicant := []string{"focal", "secretariat"}
	secretariat := []string{"secretariat"}
	delegateFRA := []string{"delegate_FRA"}
	type transition struct {
		name       string
		actors     []string
		from       []ApplicationStatus
		to         ApplicationStatus // "" when the status does not change
		route      Route
		circulated bool      // state of the window
		now        time.Time //
		do         func(a *Application, w Window, u *concord.User, now time.Time) error
		check      func(t *testing.T, a *Application)
	}
	objFRA := func(a *Application) {
		a.Objections = append(a.Objections, Objection{State: "FRA", At: testTime("2026-05-05T00:00:00Z")})
	}
	transitions := []transition{
		{"edit", applicant, []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationReturned}, "", RouteNonObjection, false, testDuringWindow,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				c := testContent()
				c.Letter = "doc-2"
				return a.Edit(c, w, u, now)
			}, func(t *testing.T, a *Application) {
				if a.Content.Letter != "doc-2" {
					t.Error("edit not applied")
				}
			}},
		{"submit", applicant, []ApplicationStatus{ApplicationDraft}, ApplicationSubmitted, RouteNonObjection, false, testDuringWindow,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				return a.Submit(w, u, now)
			}, nil},
		{"resubmit", applicant, []ApplicationStatus{ApplicationReturned}, ApplicationSubmitted, RouteNonObjection, false, testAfterClose,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				return a.Resubmit(w, u, now)
			}, nil},
		{"withdraw", applicant, []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationReturned, ApplicationCirculated, ApplicationAccredited}, ApplicationWithdrawn, RouteNonObjection, true, testDuringPeriod,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				return a.Withdraw(w, u, now)
			}, nil},
		{"return", secretariat, []ApplicationStatus{ApplicationSubmitted}, ApplicationReturned, RouteNonObjection, false, testAfterClose,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				return a.Return([]string{"The letter is not on letterhead."}, u, now)
			}, func(t *testing.T, a *Application) {
				if len(a.Remarks) != 1 || a.History[len(a.History)-1].Remarks[0] != "The letter is not on letterhead." {
					t.Errorf("remarks not kept: %+v", a)
				}
			}},
		{"reject", secretariat, []ApplicationStatus{ApplicationSubmitted, ApplicationReturned}, ApplicationRejected, RouteNonObjection, false, testAfterClose,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				return a.Reject([]string{"A government agency, not a stakeholder."}, u, now)
			}, nil},
		{"verify_ecosoc", secretariat, []ApplicationStatus{ApplicationSubmitted}, ApplicationAccredited, RouteECOSOC, false, testAfterClose,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				_, err := a.VerifyECOSOC(func(int64) (ECOSOCEntry, bool) {
					return ECOSOCEntry{ID: "D1", Category: "special"}, true
				}, u, now)
				return err
			}, nil},
		{"object", delegateFRA, []ApplicationStatus{ApplicationCirculated}, "", RouteNonObjection, true, testDuringPeriod,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				a.Objections = nil // the blocked fixture carries one
				return a.Object(p, w, "FRA", "", testAll, u, now)
			}, func(t *testing.T, a *Application) {
				if len(a.Objections) != 1 || a.Objections[0].State != "FRA" || !a.Objections[0].At.Equal(testDuringPeriod) {
					t.Errorf("objection not recorded: %+v", a.Objections)
				}
			}},
		{"withdraw_objection", delegateFRA, []ApplicationStatus{ApplicationCirculated}, "", RouteNonObjection, true, testDuringPeriod,
			func(a *Application, w Window, u *concord.User, now time.Time) error {
				a.Objections = nil
				objFRA(a)
				return a.WithdrawObjection(p, w, "FRA", u, now)
			}, func(t *testing.T, a *Application) {
				if len(a.Objections) != 1 || !a.Objections[0].WithdrawnAt.Equal(testDuringPeriod) {
					t.Errorf("objection not withdrawn: %+v", a.Objections)
				}
			}},
	}
	for _, tr := range transitions {
		for _, status := range ApplicationStatuses {
			for _, actor := range testActors {
				a := testApp(status, tr.route)
				before := len(a.History)
				w := testWindow(tr.circulated)
				err := tr.do(&a, w, actor.u, tr.now)
				actorOK := slices.Contains(tr.actors, actor.name)
				statusOK := slices.Contains(tr.from, status)
				name := tr.name + "/" + string(status) + "/" + actor.name
				switch {
				case !actorOK && (actor.u == nil || actor.u.Disabled):
					if concord.ErrorCode(err) != concord.EUnauthorized {
						t.Errorf("%s: %v, want unauthorized", name, err)
					}
				case !actorOK:
					if concord.ErrorCode(err) != concord.EForbidden {
						t.Errorf("%s: %v, want forbidden", name, err)
					}
				case !statusOK:
					if concord.ErrorCode(err) != concord.EConflict {
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

func TestExpire(t *testing.T) {
	w := testWindow(true)
	for _, s := range ApplicationStatuses {
		a := testApp(s, RouteNonObjection)
		err := a.Expire(w, testAfterValidity)
		if s == ApplicationAccredited {
			if err != nil || a.Status != ApplicationExpired || a.History[len(a.History)-1].Actor != 0 {
				t.Errorf("expire accredited: %v %+v", err, a)
			}
		} else if concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("expire %s: %v", s, err)
		}
	}
	a := testApp(ApplicationAccredited, RouteECOSOC)
	if err := a.Expire(w, w.ValidUntil.Add(-time.Nanosecond)); testKey(err) != "error.not_due" {
		t.Errorf("1ns before validity ends: %v", err)
	}
	if err := a.Expire(w, w.ValidUntil); err != nil || a.Status != ApplicationExpired {
		t.Errorf("at ValidUntil (exclusive): %v", err)
	}
}

// --- specific refusals and their keys ---------------------------------------------

func TestApply(t *testing.T) {
	p, w, org := testPolicy(), testWindow(false), testOrg()
	a, err := Apply(p, w, org, nil, testFocal, testDuringWindow)
	if err != nil || a.Status != ApplicationDraft || a.Route != RouteNonObjection || a.OrgType != "academia" ||
		a.OrgCountry != "KEN" || len(a.History) != 1 || !a.CreatedAt.Equal(testDuringWindow) {
		t.Fatalf("apply: %v %+v", err, a)
	}
	cases := []struct {
		name     string
		org      func(o *concord.Organization)
		existing []Application
		actor    *concord.User
		now      time.Time
		key      string
	}{
		{"before opening: a draft is fine", nil, nil, testFocal, w.Opens.Add(-time.Hour), ""},
		{"secretariat on behalf", nil, nil, testSec, testDuringWindow, ""},
		{"1ns before closing", nil, nil, testFocal, w.Closes.Add(-time.Nanosecond), ""},
		{"at closing", nil, nil, testFocal, w.Closes, "error.window_closed"},
		{"duplicate", nil, []Application{a}, testFocal, testDuringWindow, "error.already_applied"},
		{"duplicate of a rejected one", nil, []Application{testApp(ApplicationRejected, RouteNonObjection)}, testFocal, testDuringWindow, "error.already_applied"},
		{"after withdrawing", nil, []Application{testApp(ApplicationWithdrawn, RouteNonObjection)}, testFocal, testDuringWindow, ""},
		{"other org's application", nil, []Application{func() Application { x := a; x.OrgID = 9; return x }()}, testFocal, testDuringWindow, ""},
		{"blocked last year", nil, []Application{func() Application {
			x := testApp(ApplicationBlocked, RouteNonObjection)
			x.Window = "gm-2025-plenary"
			return x
		}()}, testFocal, testDuringWindow, ""},
		{"other focal point", nil, nil, testOtherFocal, testDuringWindow, "error.forbidden"},
		{"delegate", nil, nil, testFRA, testDuringWindow, "error.forbidden"},
		{"public", nil, nil, nil, testDuringWindow, "error.unauthorized"},
		{"an IGO", func(o *concord.Organization) { o.Kind = concord.OrgIGO }, nil, testFocal, testDuringWindow, "error.not_stakeholder"},
		{"unregistered", func(o *concord.Organization) { o.ID = 0 }, nil, testSec, testDuringWindow, "error.required"},
	}
	for _, c := range cases {
		o := testOrg()
		if c.org != nil {
			c.org(&o)
		}
		_, err := Apply(p, w, o, c.existing, c.actor, c.now)
		if testKey(err) != c.key {
			t.Errorf("%s: %v, want %q", c.name, err, c.key)
		}
	}
	// Route: ECOSOC status counts only in the policy's ECOSOC scopes.
	eco := testOrg()
	eco.ECOSOC = "special"
	if a, _ := Apply(p, w, eco, nil, testFocal, testDuringWindow); a.Route != RouteECOSOC || a.ECOSOC != "special" {
		t.Errorf("ECOSOC org in plenary: %s", a.Route)
	}
	p.Scopes = append(p.Scopes, ScopeDTG)
	dw := w
	dw.Scope, dw.Body = ScopeDTG, "DTG1"
	if a, _ := Apply(p, dw, eco, nil, testFocal, testDuringWindow); a.Route != RouteNonObjection {
		t.Errorf("ECOSOC org in a DTG window (not an ECOSOC scope): %s", a.Route)
	}
}

func TestEditAndSubmit(t *testing.T) {
	w, wc := testWindow(false), testWindow(true)
	ns := time.Nanosecond
	cases := []struct {
		name    string
		status  ApplicationStatus
		route   Route
		w       Window
		now     time.Time
		content func(c *Content)
		key     string
		field   string
	}{
		{"draft incomplete is fine", ApplicationDraft, RouteNonObjection, w, testDuringWindow, func(c *Content) { c.Letter, c.Purpose = "", nil }, "", ""},
		{"submitted must stay complete", ApplicationSubmitted, RouteNonObjection, w, testDuringWindow, func(c *Content) { c.Letter = " " }, "error.required", "letter"},
		{"no purpose", ApplicationReturned, RouteNonObjection, w, testAfterClose, func(c *Content) { c.Purpose = concord.Text{"en": "  "} }, "error.required", "purpose"},
		{"purpose only in Arabic", ApplicationReturned, RouteNonObjection, w, testAfterClose, func(c *Content) { c.Purpose = concord.Text{"ar": "بحث"} }, "", ""},
		{"unknown language", ApplicationDraft, RouteNonObjection, w, testDuringWindow, func(c *Content) { c.Programmes = concord.Text{"de": "x"} }, "error.language", "programmes"},
		{"too long", ApplicationDraft, RouteNonObjection, w, testDuringWindow, func(c *Content) { c.UNHistory = concord.Text{"en": strings.Repeat("é", 5001)} }, "error.too_long", "un_history"},
		{"submitted, window closed", ApplicationSubmitted, RouteNonObjection, w, w.Closes, nil, "error.window_closed", "window"},
		{"draft, window closed", ApplicationDraft, RouteNonObjection, w, w.Closes, nil, "error.window_closed", "window"},
		{"returned after close", ApplicationReturned, RouteNonObjection, w, testAfterClose, nil, "", ""},
		{"returned, round circulated", ApplicationReturned, RouteNonObjection, wc, testDuringPeriod, nil, "error.round_circulated", "window"},
		{"circulated", ApplicationCirculated, RouteNonObjection, wc, testDuringPeriod, nil, "error.not_editable_after_circulation", "status"},
		{"circulated, before the window closes (bad data)", ApplicationCirculated, RouteNonObjection, w, testDuringWindow, nil, "error.not_editable_after_circulation", "status"},
		{"blocked", ApplicationBlocked, RouteNonObjection, wc, testAfterValidity, nil, "error.not_editable_after_circulation", "status"},
		{"accredited by non-objection", ApplicationAccredited, RouteNonObjection, wc, testDuringPeriod, nil, "error.not_editable_after_circulation", "status"},
		{"accredited ECOSOC", ApplicationAccredited, RouteECOSOC, w, testDuringWindow, nil, "error.not_editable", "status"},
		{"withdrawn", ApplicationWithdrawn, RouteNonObjection, w, testDuringWindow, nil, "error.not_editable", "status"},
	}
	for _, c := range cases {
		a := testApp(c.status, c.route)
		content := testContent()
		if c.content != nil {
			c.content(&content)
		}
		old := a.Content
		err := a.Edit(content, c.w, testFocal, c.now)
		if testKey(err) != c.key || testField(err) != c.field {
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
		a := testApp(ApplicationDraft, RouteNonObjection)
		if err := a.Submit(w, testFocal, c.now); testKey(err) != c.key {
			t.Errorf("submit at %v: %v, want %q", c.now, err, c.key)
		} else if err == nil && !a.SubmittedAt.Equal(c.now) {
			t.Errorf("submit at %v: SubmittedAt %v", c.now, a.SubmittedAt)
		}
	}
	a := testApp(ApplicationDraft, RouteNonObjection)
	a.Content.Letter = ""
	if err := a.Submit(w, testFocal, testDuringWindow); testField(err) != "letter" || a.Status != ApplicationDraft {
		t.Errorf("submit without letter: %v", err)
	}
	a.Window = "elsewhere"
	if err := a.Submit(w, testFocal, testDuringWindow); testKey(err) != "error.window_mismatch" {
		t.Errorf("wrong window: %v", err)
	}
	// Returning needs a reason; resubmitting a returned one keeps the first submission date.
	a = testApp(ApplicationSubmitted, RouteNonObjection)
	if err := a.Return([]string{" ", ""}, testSec, testAfterClose); testKey(err) != "error.reasons_required" {
		t.Errorf("return without reason: %v", err)
	}
	if err := a.Reject(nil, testSec, testAfterClose); testKey(err) != "error.reasons_required" {
		t.Errorf("reject without reason: %v", err)
	}
	first := a.SubmittedAt
	if err := a.Return([]string{"Add the letter."}, testSec, testAfterClose); err != nil {
		t.Fatal(err)
	}
	if err := a.Resubmit(w, testFocal, testAfterClose.Add(time.Hour)); err != nil || !a.SubmittedAt.Equal(first) || a.Remarks != nil {
		t.Errorf("resubmit: %v %v %v", err, a.SubmittedAt, a.Remarks)
	}
}

func TestVerifyECOSOC(t *testing.T) {
	list := map[int64]ECOSOCEntry{7: {ID: "D7", Name: "Seven", Category: "general"}}
	onList := func(id int64) (ECOSOCEntry, bool) { e, ok := list[id]; return e, ok }
	a := testApp(ApplicationSubmitted, RouteECOSOC)
	if ok, err := a.VerifyECOSOC(onList, testSec, testAfterClose); !ok || err != nil ||
		a.Status != ApplicationAccredited || a.Reasons[0] != ReasonECOSOCVerified || !a.DecidedAt.Equal(testAfterClose) {
		t.Errorf("on the list: %v %v %+v", ok, err, a)
	}
	// The application keeps the entry it was verified against, and the
	// list's category.
	if a.ECOSOCVerified == nil || *a.ECOSOCVerified != list[7] || a.ECOSOC != "general" {
		t.Errorf("verified entry not kept: %+v %q", a.ECOSOCVerified, a.ECOSOC)
	}
	b := testApp(ApplicationSubmitted, RouteECOSOC)
	b.OrgID = 8
	if ok, err := b.VerifyECOSOC(onList, testSec, testAfterClose); ok || err != nil ||
		b.Status != ApplicationSubmitted || b.Route != RouteNonObjection || b.Reasons[0] != ReasonECOSOCNotFound {
		t.Errorf("not on the list: falls back to non-objection: %v %v %+v", ok, err, b)
	}
	if _, err := b.VerifyECOSOC(onList, testSec, testAfterClose); testKey(err) != "error.not_ecosoc_route" {
		t.Errorf("verify a non-objection application: %v", err)
	}
	c := testApp(ApplicationSubmitted, RouteECOSOC)
	if _, err := c.VerifyECOSOC(nil, testSec, testAfterClose); testKey(err) != "error.ecosoc_list" {
		t.Errorf("no list: %v", err)
	}
}

func TestCirculate(t *testing.T) {
	p, ny := testPolicy(), testNY(t)
	at := testTime("2026-05-04T14:00:00Z")
	mk := func() []Application {
		apps := []Application{
			testApp(ApplicationSubmitted, RouteNonObjection),
			testApp(ApplicationReturned, RouteNonObjection),
			testApp(ApplicationAccredited, RouteECOSOC),
			testApp(ApplicationSubmitted, RouteNonObjection),
			testApp(ApplicationWithdrawn, RouteNonObjection),
		}
		apps[3].Window = "another-window"
		for i := range apps {
			apps[i].ID = int64(i + 1)
		}
		return apps
	}
	apps := mk()
	w := testWindow(false)
	n, err := Circulate(p, &w, apps, ny, testSec, at)
	if err != nil || n != 1 {
		t.Fatalf("circulate: %d %v", n, err)
	}
	if !w.ObjectionDeadline.Equal(testDeadline) || !w.CirculatedAt.Equal(at) {
		t.Errorf("deadline %v, want %v", w.ObjectionDeadline, testDeadline)
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
	if _, err := Circulate(p, &w, mk(), ny, testSec, at); testKey(err) != "error.already_circulated" {
		t.Errorf("twice: %v", err)
	}
	refusals := []struct {
		name string
		mod  func(apps []Application)
		now  time.Time
		u    *concord.User
		key  string
	}{
		{"still open", nil, testDuringWindow, testSec, "error.window_not_closed"},
		{"1ns before closing", nil, testWindow(false).Closes.Add(-time.Nanosecond), testSec, "error.window_not_closed"},
		{"chair", nil, at, testChair, "error.forbidden"},
		{"ECOSOC unverified", func(apps []Application) {
			apps[2].Status = ApplicationSubmitted
		}, at, testSec, "error.ecosoc_unverified"},
	}
	for _, c := range refusals {
		apps := mk()
		if c.mod != nil {
			c.mod(apps)
		}
		w := testWindow(false)
		if _, err := Circulate(p, &w, apps, ny, c.u, c.now); testKey(err) != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
		if w.Circulated() || apps[0].Status != ApplicationSubmitted {
			t.Errorf("%s: refused circulation changed something", c.name)
		}
	}
	if n, err := Circulate(p, &w, nil, ny, testSec, at); err == nil || n != 0 {
		t.Error("no zone")
	}
}

// --- objections ------------------------------------------------------------------------

func TestObject(t *testing.T) {
	p, w := testPolicy(), testWindow(true)
	participants := map[string]bool{"FRA": true, "DEU": true}
	isParticipant := func(s string) bool { return participants[s] }
	required := p
	required.BasisRequired = true
	noWithdraw := p
	noWithdraw.ObjectionsWithdrawable = false
	cases := []struct {
		name   string
		p      Policy
		prior  []Objection
		state  string
		basis  string
		u      *concord.User
		now    time.Time
		key    string
		wantCt int
	}{
		{"fine", p, nil, "FRA", "", testFRA, testDuringPeriod, "", 1},
		{"lower-case code", p, nil, "fra", "", testFRA, testDuringPeriod, "", 1},
		{"for another State", p, nil, "DEU", "", testFRA, testDuringPeriod, "error.objection_other_state", 0},
		{"chair for a State", p, nil, "FRA", "", testChair, testDuringPeriod, "error.forbidden", 0},
		{"secretariat for a State", p, nil, "FRA", "", testSec, testDuringPeriod, "error.forbidden", 0},
		{"not a participant", p, nil, "XYZ", "", &concord.User{Role: concord.RoleDelegate, State: "XYZ"}, testDuringPeriod, "error.objection_not_participant", 0},
		{"twice", p, []Objection{{State: "FRA", At: testTime("2026-05-05T00:00:00Z")}}, "FRA", "", testFRA, testDuringPeriod, "error.objection_duplicate", 1},
		{"again after withdrawing", p, []Objection{{State: "FRA", At: testTime("2026-05-05T00:00:00Z"), WithdrawnAt: testTime("2026-05-06T00:00:00Z")}}, "FRA", "", testFRA, testDuringPeriod, "error.objection_duplicate", 1},
		{"second State", p, []Objection{{State: "FRA", At: testTime("2026-05-05T00:00:00Z")}}, "DEU", "", testDEU, testDuringPeriod, "", 2},
		{"basis required, none", required, nil, "FRA", "  ", testFRA, testDuringPeriod, "error.basis_required", 0},
		{"basis required, given", required, nil, "FRA", "Affiliated with a party to a conflict", testFRA, testDuringPeriod, "", 1},
		{"basis too long", p, nil, "FRA", strings.Repeat("b", 2001), testFRA, testDuringPeriod, "error.too_long", 0},
		{"1ns before the deadline", p, nil, "FRA", "", testFRA, testDeadline.Add(-time.Nanosecond), "", 1},
		{"at the deadline", p, nil, "FRA", "", testFRA, testDeadline, "error.deadline_passed", 0},
		{"1ns after the deadline", p, nil, "FRA", "", testFRA, testDeadline.Add(time.Nanosecond), "error.deadline_passed", 0},
	}
	for _, c := range cases {
		a := testApp(ApplicationCirculated, RouteNonObjection)
		a.Objections = slices.Clone(c.prior)
		err := a.Object(c.p, w, c.state, c.basis, isParticipant, c.u, c.now)
		if testKey(err) != c.key || len(a.Objections) != c.wantCt {
			t.Errorf("%s: %v (%d objections), want %q (%d)", c.name, err, len(a.Objections), c.key, c.wantCt)
		}
	}
	// Not yet circulated (status submitted) and ECOSOC applications cannot be objected to.
	for _, a := range []Application{testApp(ApplicationSubmitted, RouteNonObjection), testApp(ApplicationAccredited, RouteECOSOC)} {
		if err := a.Object(p, w, "FRA", "", isParticipant, testFRA, testDuringPeriod); testKey(err) != "error.accreditation_status" {
			t.Errorf("object to %s/%s: %v", a.Status, a.Route, err)
		}
	}
	// Withdrawal.
	withdrawals := []struct {
		name  string
		p     Policy
		prior []Objection
		u     *concord.User
		now   time.Time
		key   string
	}{
		{"fine", p, []Objection{{State: "FRA"}}, testFRA, testDuringPeriod, ""},
		{"policy forbids", noWithdraw, []Objection{{State: "FRA"}}, testFRA, testDuringPeriod, "error.objection_not_withdrawable"},
		{"another State's", p, []Objection{{State: "FRA"}}, testDEU, testDuringPeriod, "error.objection_not_found"},
		{"already withdrawn", p, []Objection{{State: "FRA", WithdrawnAt: testAfterClose}}, testFRA, testDuringPeriod, "error.objection_not_found"},
		{"1ns before the deadline", p, []Objection{{State: "FRA"}}, testFRA, testDeadline.Add(-time.Nanosecond), ""},
		{"at the deadline", p, []Objection{{State: "FRA"}}, testFRA, testDeadline, "error.deadline_passed"},
		{"1ns after", p, []Objection{{State: "FRA"}}, testFRA, testDeadline.Add(time.Nanosecond), "error.deadline_passed"},
	}
	for _, c := range withdrawals {
		a := testApp(ApplicationCirculated, RouteNonObjection)
		a.Objections = slices.Clone(c.prior)
		shared := a.Objections
		err := a.WithdrawObjection(c.p, w, c.u.State, c.u, c.now)
		if testKey(err) != c.key {
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
	}{{testDeadline.Add(-time.Nanosecond), ""}, {testDeadline, "error.deadline_passed"}, {testDeadline.Add(time.Nanosecond), "error.deadline_passed"}} {
		a := testApp(ApplicationCirculated, RouteNonObjection)
		if err := a.Withdraw(w, testFocal, c.now); testKey(err) != c.key {
			t.Errorf("withdraw application at %v: %v, want %q", c.now, err, c.key)
		}
	}
}

// --- the decision ---------------------------------------------------------------------------

func TestDecideBoundary(t *testing.T) {
	p, w := testPolicy(), testWindow(true)
	d := w.ObjectionDeadline
	ns := time.Nanosecond
	obj := func(at, withdrawn time.Time) []Objection {
		return []Objection{{State: "FRA", At: at, WithdrawnAt: withdrawn}}
	}
	early := testTime("2026-05-05T00:00:00Z")
	cases := []struct {
		name string
		objs []Objection
		now  time.Time
		want ApplicationStatus
		why  string
	}{
		{"no objection, 1ns before", nil, d.Add(-ns), ApplicationCirculated, ReasonDeadlineNotYet},
		{"objection, 1ns before", obj(early, time.Time{}), d.Add(-ns), ApplicationCirculated, ReasonDeadlineNotYet},
		{"no objection, at", nil, d, ApplicationAccredited, ReasonNoObjection},
		{"objection, at", obj(early, time.Time{}), d, ApplicationBlocked, ReasonObjection},
		{"objection, 1ns after", obj(early, time.Time{}), d.Add(ns), ApplicationBlocked, ReasonObjection},
		{"objection 1ns before the deadline counts", obj(d.Add(-ns), time.Time{}), d, ApplicationBlocked, ReasonObjection},
		{"objection at the deadline is late (imported data)", obj(d, time.Time{}), d.Add(ns), ApplicationAccredited, ReasonNoObjection},
		{"withdrawn before", obj(early, d.Add(-ns)), d, ApplicationAccredited, ReasonNoObjection},
		{"withdrawn at the deadline is late", obj(early, d), d, ApplicationBlocked, ReasonObjection},
	}
	for _, c := range cases {
		a := testApp(ApplicationCirculated, RouteNonObjection)
		a.Objections = c.objs
		apps := []Application{a}
		out := Decide(p, w, apps, c.now)
		if out[0].To != c.want || out[0].Reasons[0] != c.why || out[0].Changed != (c.want != ApplicationCirculated) {
			t.Errorf("%s: %+v, want %s (%s)", c.name, out[0], c.want, c.why)
		}
		if n, err := Settle(apps, out, c.now); err != nil || apps[0].Status != c.want || (n == 1) != out[0].Changed {
			t.Errorf("%s: settle %d %v %s", c.name, n, err, apps[0].Status)
		}
		// Idempotent: deciding again changes nothing.
		again := Decide(p, w, apps, c.now)
		if again[0].Changed || again[0].To != c.want {
			t.Errorf("%s: second decision %+v", c.name, again[0])
		}
		if n, _ := Settle(apps, again, c.now); n != 0 {
			t.Errorf("%s: second settle changed %d", c.name, n)
		}
	}
}

func TestDecideLeavesOthers(t *testing.T) {
	p, w := testPolicy(), testWindow(true)
	var apps []Application
	for i, s := range ApplicationStatuses {
		a := testApp(s, RouteNonObjection)
		a.ID = int64(i + 1)
		apps = append(apps, a)
	}
	eco := testApp(ApplicationAccredited, RouteECOSOC)
	other := testApp(ApplicationCirculated, RouteNonObjection)
	other.Window = "another"
	eco.ID, other.ID = 100, 101
	apps = append(apps, eco, other)
	out := Decide(p, w, apps, testDeadline)
	for i, o := range out {
		a := apps[i]
		changes := a.Window == w.ID && a.Route == RouteNonObjection && a.Status == ApplicationCirculated
		if o.Application != a.ID || o.Changed != changes || (!changes && o.To != a.Status) {
			t.Errorf("%s/%s/%s: %+v", a.Window, a.Route, a.Status, o)
		}
	}
	// The blocked fixture (one objection) stays blocked: decided again to the same result.
	for i, a := range apps {
		if a.Status == ApplicationBlocked && (out[i].To != ApplicationBlocked || out[i].Reasons[0] != ReasonObjection) {
			t.Errorf("blocked: %+v", out[i])
		}
	}
	if got := out[len(out)-2].Reasons[0]; got != ReasonECOSOCRoute {
		t.Errorf("ECOSOC: %s", got)
	}
	if got := out[len(out)-1].Reasons[0]; got != ReasonOtherWindow {
		t.Errorf("other window: %s", got)
	}
	// Not circulated yet: nothing to decide.
	if out := Decide(p, testWindow(false), apps[:1], testAfterValidity); out[0].Changed {
		t.Errorf("uncirculated window decided: %+v", out[0])
	}
	// Settle refuses misaligned outcomes and skips stale ones.
	if _, err := Settle(apps[:1], out, testDeadline); concord.ErrorCode(err) != concord.EInvalid {
		t.Errorf("length mismatch: %v", err)
	}
	c := []Application{testApp(ApplicationCirculated, RouteNonObjection)}
	o := Decide(p, w, c, testDeadline)
	c[0].Status = ApplicationWithdrawn // moved meanwhile
	if n, err := Settle(c, o, testDeadline); n != 0 || err != nil || c[0].Status != ApplicationWithdrawn {
		t.Errorf("stale outcome applied: %d %v %s", n, err, c[0].Status)
	}
}

// TestDeadlineSynctest runs a round on the fake clock of
// testing/synctest: time only moves when every goroutine sleeps, so the
// instants at, just before and just after the deadline are exact.
func TestDeadlineSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // 2000-01-01 00:00 UTC in the bubble
		p := DefaultPolicy("p", start)
		p.ObjectionPeriodDays, p.WorkingDays, p.DeadlineClock = 2, false, "12:00"
		w := Window{ID: "w", Process: "p", Scope: ScopePlenary, Cycle: 2000,
			Opens: start, Closes: start.Add(24 * time.Hour), ValidUntil: start.Add(365 * 24 * time.Hour)}
		org := concord.Organization{ID: 7, Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": "N"}}
		a, err := Apply(p, w, org, nil, testFocal, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Edit(testContent(), w, testFocal, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		if err := a.Submit(w, testFocal, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(w.Closes))
		apps := []Application{a}
		if _, err := Circulate(p, &w, apps, time.UTC, testSec, time.Now()); err != nil {
			t.Fatal(err)
		}
		if want := start.Add(84 * time.Hour); !w.ObjectionDeadline.Equal(want) { // circulated 2 Jan: deadline 4 Jan 12:00
			t.Fatalf("deadline %v, want %v", w.ObjectionDeadline, want)
		}
		time.Sleep(time.Until(w.ObjectionDeadline) - time.Nanosecond)
		if err := apps[0].Object(p, w, "FRA", "", testAll, testFRA, time.Now()); err != nil {
			t.Fatalf("1ns before the deadline: %v", err)
		}
		if out := Decide(p, w, apps, time.Now()); out[0].Changed {
			t.Fatalf("decided 1ns early: %+v", out[0])
		}
		time.Sleep(time.Nanosecond)
		if !time.Now().Equal(w.ObjectionDeadline) {
			t.Fatalf("clock %v", time.Now())
		}
		if err := apps[0].Object(p, w, "DEU", "", testAll, testDEU, time.Now()); testKey(err) != "error.deadline_passed" {
			t.Fatalf("at the deadline: %v", err)
		}
		if err := apps[0].WithdrawObjection(p, w, "FRA", testFRA, time.Now()); testKey(err) != "error.deadline_passed" {
			t.Fatalf("withdraw at the deadline: %v", err)
		}
		out := Decide(p, w, apps, time.Now())
		if _, err := Settle(apps, out, time.Now()); err != nil || apps[0].Status != ApplicationBlocked {
			t.Fatalf("at the deadline: %+v %v", out[0], err)
		}
		time.Sleep(time.Nanosecond)
		if err := apps[0].Object(p, w, "DEU", "", testAll, testDEU, time.Now()); testKey(err) != "error.deadline_passed" {
			t.Fatalf("1ns after: %v", err)
		}
		if out := Decide(p, w, apps, time.Now()); out[0].Changed || out[0].To != ApplicationBlocked {
			t.Fatalf("decided again: %+v", out[0])
		}
		if h := History(apps, 7); len(h) != 1 || len(h[0].History) != 4 { // draft, submitted, circulated, blocked
			t.Fatalf("history %+v", h)
		}
	})
}

// --- re-application keeps history ------------------------------------------------------------

func TestReapplication(t *testing.T) {
	p := testPolicy()
	w25 := testWindow(true)
	w25.ID, w25.Cycle = "gm-2025-plenary", 2025
	blocked := testApp(ApplicationBlocked, RouteNonObjection)
	blocked.Window, blocked.CreatedAt = w25.ID, testTime("2025-04-02T00:00:00Z")
	w26 := testWindow(false)
	w26.Opens, w26.Closes = testTime("2027-04-01T00:00:00Z"), testTime("2027-05-01T00:00:00Z")
	w26.ID, w26.Cycle, w26.ValidUntil = "gm-2027-plenary", 2027, testTime("2028-01-01T00:00:00Z")
	now := testTime("2027-04-02T00:00:00Z")
	again, err := Apply(p, w26, testOrg(), []Application{blocked}, testFocal, now)
	if err != nil {
		t.Fatalf("re-apply in a later window: %v", err)
	}
	again.ID = 2
	other := testApp(ApplicationAccredited, RouteECOSOC)
	other.OrgID, other.ID = 9, 3
	h := History([]Application{again, other, blocked}, 7)
	if len(h) != 2 || h[0].Window != "gm-2025-plenary" || h[0].Status != ApplicationBlocked || h[1].Window != "gm-2027-plenary" || h[1].Status != ApplicationDraft {
		t.Errorf("history %+v", h)
	}
}

// --- every key in the code is in the lists the catalogues check -------------------------------

func TestKeysListed(t *testing.T) {
	re := regexp.MustCompile(`"((?:error|reason)\.[a-z_]+)"`)
	files := []string{"accreditation.go", "application.go", "objection.go", "decide.go"}
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
	for _, k := range slices.Concat(ErrorKeys, ReasonKeys) {
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

// TestValidityAfterDecision: a window whose accreditations end
// before its objection deadline is refused when it is created and when it
// would be circulated; the error names the field valid_until.
func TestValidityAfterDecision(t *testing.T) {
	p, ny := testPolicy(), testNY(t)
	w := testWindow(false)
	if err := w.ValidateValidity(p, ny); err != nil {
		t.Fatalf("valid until the end of the year: %v", err)
	}
	// Closing Friday 1 May 00:00 EDT: ten working days later is Friday
	// 15 May, 18:00 EDT.
	earliest, err := EarliestDecision(p, w, ny)
	if err != nil || !earliest.Equal(testTime("2026-05-15T22:00:00Z")) {
		t.Fatalf("earliest decision: %v %v", earliest, err)
	}
	for _, until := range []time.Time{w.Closes.Add(6 * time.Hour), earliest} {
		w.ValidUntil = until
		err := w.ValidateValidity(p, ny)
		var de *concord.Error
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
	apps := []Application{testApp(ApplicationSubmitted, RouteNonObjection)}
	if _, err := Circulate(p, &w, apps, ny, testSec, testTime("2026-05-04T14:00:00Z")); testKey(err) != "error.valid_until_decision" ||
		w.Circulated() || apps[0].Status != ApplicationSubmitted {
		t.Errorf("circulation whose deadline falls after the end of validity: %v", err)
	}
	// Once circulated, the real deadline counts.
	c := testWindow(true)
	c.ValidUntil = c.ObjectionDeadline
	if err := c.ValidateValidity(p, ny); testKey(err) != "error.valid_until_decision" {
		t.Errorf("circulated window valid until its deadline: %v", err)
	}
}

// TestApplicantRuleIsCan: who may act as an applicant is
// decided by Can with the organisation as the target, and by nothing else:
// every transition of an applicant agrees with it for every kind of user.
func TestApplicantRuleIsCan(t *testing.T) {
	users := []*concord.User{nil, testSec, {ID: 2, Role: concord.RoleSecretariat, Disabled: true},
		{ID: 3, Role: concord.RoleFocalPoint, OrgID: 7}, {ID: 4, Role: concord.RoleFocalPoint, OrgID: 8}, {ID: 5, Role: concord.RoleFocalPoint},
		{ID: 6, Role: concord.RoleFocalPoint, OrgID: 7, Disabled: true}, {ID: 7, Role: concord.RoleDelegate, State: "FRA"}, {ID: 8, Role: concord.RoleChair}}
	w := testWindow(false)
	for _, u := range users {
		want := concord.Can(u, concord.ActApplyAccreditation, concord.Target{OrgID: 7})
		a := testApp(ApplicationDraft, RouteNonObjection)
		a.OrgID = 7
		err := a.Edit(Content{Purpose: concord.Text{"en": "x"}}, w, u, testTime("2026-04-02T12:00:00Z"))
		if (err == nil) != want {
			t.Errorf("%+v: Can says %v, Edit says %v", u, want, err)
		}
		_, err = Apply(testPolicy(), w, concord.Organization{ID: 7, Kind: concord.OrgStakeholder}, nil, u, testTime("2026-04-02T12:00:00Z"))
		if (err == nil) != want {
			t.Errorf("%+v: Can says %v, Apply says %v", u, want, err)
		}
	}
	// With no target, Can answers the route's question (may u apply for
	// some organisation): a focal point bound to none may not.
	if concord.Can(&concord.User{Role: concord.RoleFocalPoint}, concord.ActApplyAccreditation, concord.Target{}) {
		t.Error("a focal point bound to no organisation may apply")
	}
}
