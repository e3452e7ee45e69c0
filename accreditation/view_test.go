package accreditation

import (
	"strings"
	"testing"
)

// TestCanView pins who may see an application at all, per status and
// disclosure level: the rule pages and the API share.
func TestCanView(t *testing.T) {
	cases := []struct {
		status ApplicationStatus
		level  ObjectionDisclosure
		who    string // actors that see it, by testActors name
	}{
		{ApplicationDraft, ObjectionsHidden, "focal secretariat"},
		{ApplicationSubmitted, ObjectionsPublic, "focal chair cofac secretariat"},
		{ApplicationCirculated, ObjectionsHidden, "focal delegate_FRA delegate_DEU chair cofac secretariat"},
		{ApplicationCirculated, ObjectionsPublic, "public focal other_focal delegate_FRA delegate_DEU chair cofac secretariat disabled"},
		{ApplicationBlocked, ObjectionsToStates, "focal delegate_FRA delegate_DEU chair cofac secretariat"},
		{ApplicationAccredited, ObjectionsHidden, "public focal other_focal delegate_FRA delegate_DEU chair cofac secretariat disabled"},
		{ApplicationExpired, ObjectionsHidden, "public focal other_focal delegate_FRA delegate_DEU chair cofac secretariat disabled"},
	}
	for _, c := range cases {
		a := testApp(c.status, RouteNonObjection)
		var saw []string
		for _, ac := range testActors {
			if CanView(ac.u, a, c.level) {
				saw = append(saw, ac.name)
			}
		}
		if got := strings.Join(saw, " "); got != c.who {
			t.Errorf("%s under %s: seen by %q, want %q", c.status, c.level, got, c.who)
		}
	}
}
