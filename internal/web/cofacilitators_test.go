package web_test

import (
	"net/url"
	"strings"
	"testing"

	"concord/internal/store"
)

// TestCoFacilitatorCheck: a balanced pair passes; a pair from one regional
// group, both developed, fails and says why; a missing name comes back with
// the form.
func TestCoFacilitatorCheck(t *testing.T) {
	en := newEnv(t, store.SQLite)
	q := url.Values{"dtg": {"DTG-1"}, "person1": {"Amina Diallo"}, "state1": {"SEN"}, "gender1": {"female"}, "expertise1": {"CERT"},
		"person2": {"Jonas Berg"}, "state2": {"NOR"}, "gender2": {"male"}, "expertise2": {"norms"}}
	resp, body := en.get("", "/en/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "cofac.balanced")) {
		t.Errorf("balanced pair: %d", resp.StatusCode)
	}
	q.Set("state1", "FRA")
	q.Set("gender1", "male")
	resp, body = en.get("", "/ar/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("ar", "cofac.unbalanced")) || !strings.Contains(body, "verdict-fail") || !strings.Contains(body, "verdict-warning") {
		t.Errorf("France and Norway, two men: %d", resp.StatusCode)
	}
	q.Set("person2", "")
	resp, body = en.get("", "/en/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 422 || !strings.Contains(body, `id="person2-err"`) || !strings.Contains(body, `value="Amina Diallo"`) {
		t.Errorf("missing name: %d", resp.StatusCode)
	}
}
