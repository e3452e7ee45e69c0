package i18n

import "testing"

func TestProbe(t *testing.T) {
	c, _ := New()
	t.Logf("%q", c.T("fr", "error.not_found", nil))
	t.Logf("%q", c.T("fr", "states.count", map[string]any{"Count": 2}))
	t.Logf("%q", c.T("fr", "error.category", nil))
}
