package api

import "testing"

// TestResourceOf: a repeat whose first response was lost is sent to the
// resource the write concerned.
func TestResourceOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ pattern, path, want string }{
		{"/accreditation/applications/{id}/actions", "/accreditation/applications/12/actions", "/accreditation/applications/12"},
		{"/decisions/{id}/positions", "/decisions/7/positions", "/decisions/7"},
		{"/decisions", "/decisions", "/decisions"},
		{"/rules/{code}", "/rules/briefers", "/rules/briefers"},
	} {
		if got := resourceOf(c.pattern, c.path); got != c.want {
			t.Errorf("resourceOf(%s, %s) = %s, want %s", c.pattern, c.path, got, c.want)
		}
	}
}
