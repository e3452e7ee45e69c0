package accreditation

import (
	"concord"
	"fmt"
	"strings"
	"testing"
)

// The objections of the disclosure tests: France and Brazil object, China
// objected and withdrew. Bases carry a marker so that a leak is found by
// searching the rendered output.
func testObjections() []Objection {
	return []Objection{
		{State: "FRA", Basis: "BASIS-OF-FRA", At: testTime("2026-05-05T10:00:00Z")},
		{State: "BRA", Basis: "BASIS-OF-BRA", At: testTime("2026-05-06T10:00:00Z")},
		{State: "CHN", Basis: "BASIS-OF-CHN", At: testTime("2026-05-06T11:00:00Z"), WithdrawnAt: testTime("2026-05-07T11:00:00Z")},
	}
}

// TestDisclosure checks the table of accreditation_objection.go
// for each of the five levels and each kind of viewer, and that nothing the
// level forbids appears anywhere in what the viewer is given.
func TestDisclosure(t *testing.T) {
	applicantFocal := &concord.User{ID: 20, Role: concord.RoleFocalPoint, OrgID: 7} // the applicant's own focal point
	viewers := []struct {
		name string
		u    *concord.User
	}{
		{"public", nil},
		{"applicant", applicantFocal},
		{"other_focal", testOtherFocal},
		{"objector_FRA", testFRA},
		{"other_State_DEU", testDEU},
		{"chair", testChair},
		{"cofac", testCoFac},
		{"secretariat", testSec},
		{"disabled_secretariat", testDisabled},
		{"unknown_role", &concord.User{ID: 30, Role: "emperor"}},
	}
	// What each viewer sees: "" nothing, "count", "own" (own objection
	// only), "count+own", "all" (count and every objector).
	want := map[ObjectionDisclosure][]string{
		//                   public   applicant other_focal FRA          DEU      chair    cofac    secretariat disabled unknown
		ObjectionsHidden:    {"", "", "", "own", "", "", "", "all", "", ""},
		ObjectionsCountOnly: {"count", "count", "count", "count+own", "count", "count", "count", "all", "count", "count"},
		ObjectionsToChair:   {"count", "count", "count", "count+own", "count", "all", "count", "all", "count", "count"},
		ObjectionsToStates:  {"count", "count", "count", "all", "all", "all", "count", "all", "count", "count"},
		ObjectionsPublic:    {"all", "all", "all", "all", "all", "all", "all", "all", "all", "all"},
		"no-such-level":     {"", "", "", "own", "", "", "", "all", "", ""}, // fails closed: as hidden
	}
	objs := testObjections()
	app := testApp(ApplicationCirculated, RouteNonObjection)
	app.Objections = objs
	for level, row := range want {
		for i, v := range viewers {
			name := fmt.Sprintf("%s/%s", level, v.name)
			exp := row[i]
			view := Disclose(level, v.u, objs)
			countOK := exp == "count" || exp == "count+own" || exp == "all"
			if view.CountVisible != countOK {
				t.Errorf("%s: count visible %v, want %v", name, view.CountVisible, countOK)
			}
			if wantCount := map[bool]int{true: 2, false: 0}[countOK]; view.Count != wantCount {
				t.Errorf("%s: count %d, want %d", name, view.Count, wantCount)
			}
			if view.ObjectorsVisible != (exp == "all") {
				t.Errorf("%s: objectors visible %v", name, view.ObjectorsVisible)
			}
			var allowed []string // States whose objection the viewer may see
			switch exp {
			case "all":
				allowed = []string{"FRA", "BRA", "CHN"}
			case "own", "count+own":
				allowed = []string{"FRA"}
			}
			if len(view.Objections) != len(allowed) {
				t.Errorf("%s: %d objections shown, want %d", name, len(view.Objections), len(allowed))
			}
			// No leak: neither the view, nor the application copy, nor the
			// simulation gate gives away an objector or a basis not allowed.
			shown := fmt.Sprintf("%#v\n%#v", view, app.VisibleTo(level, v.u))
			for _, o := range objs {
				ok := false
				for _, s := range allowed {
					ok = ok || s == o.State
				}
				for _, secret := range []string{`"` + o.State + `"`, o.Basis} {
					if strings.Contains(shown, secret) != ok {
						t.Errorf("%s: %s present=%v, want %v", name, secret, !ok, ok)
					}
				}
			}
			if MaySimulate(level, v.u) != (exp == "all") {
				t.Errorf("%s: may simulate %v", name, !(exp == "all"))
			}
		}
	}
	// A second objecting State sees its own objection, not France's.
	view := Disclose(ObjectionsToChair, &concord.User{Role: concord.RoleDelegate, State: "BRA"}, objs)
	if len(view.Objections) != 1 || view.Objections[0].Basis != "BASIS-OF-BRA" {
		t.Errorf("Brazil's own view: %+v", view)
	}
	// A withdrawn objection is still the withdrawing State's own.
	view = Disclose(ObjectionsHidden, &concord.User{Role: concord.RoleDelegate, State: "CHN"}, objs)
	if len(view.Objections) != 1 || view.Objections[0].WithdrawnAt.IsZero() || view.CountVisible {
		t.Errorf("China's own view: %+v", view)
	}
	// The view is a copy.
	view = Disclose(ObjectionsPublic, nil, objs)
	view.Objections[0].Basis = "changed"
	if objs[0].Basis != "BASIS-OF-FRA" {
		t.Error("the view shares memory with the record")
	}
	if Disclose(ObjectionsCountOnly, nil, nil).Count != 0 {
		t.Error("no objections, count 0")
	}
	// The decision's reasons and history never carry objectors either.
	p, w := testPolicy(), testWindow(true)
	apps := []Application{app}
	out := Decide(p, w, apps, testDeadline)
	if _, err := Settle(apps, out, testDeadline); err != nil {
		t.Fatal(err)
	}
	public := fmt.Sprintf("%#v %#v", out, apps[0].VisibleTo(ObjectionsCountOnly, nil))
	for _, o := range objs {
		if strings.Contains(public, `"`+o.State+`"`) || strings.Contains(public, o.Basis) {
			t.Errorf("decision leaks %s: %s", o.State, public)
		}
	}
}
