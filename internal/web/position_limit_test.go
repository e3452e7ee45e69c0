package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"concord/decision"
	"concord/internal/store"
)

// TestPositionLimitPage: past decision.MaxPositionsPerActor the page refuses
// a delegate's position with the localised reason, then says why its form
// is gone; a State at the limit does not close the Secretariat's form for
// the others.
func TestPositionLimitPage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, _ := en.postForm("chair", "/en/decisions", url.Values{"title": {"Provisional agenda"}, "proposal": {"Adopt the agenda."}, "modality": {"consensus"}, "kind": {"agenda_adoption"}})
	if resp.StatusCode != 303 {
		t.Fatalf("propose: %d", resp.StatusCode)
	}
	path := strings.Split(resp.Header.Get("Location"), "?")[0]
	id := regexp.MustCompile(`\d+$`).FindString(path)
	for i := range decision.MaxPositionsPerActor {
		if resp, _ := en.postForm("delegate", "/en/decisions/"+id+"/positions", url.Values{"kind": {"support"}}); resp.StatusCode != 303 {
			t.Fatalf("position %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := en.postForm("delegate", "/en/decisions/"+id+"/positions", url.Values{"kind": {"support"}})
	expect(t, "position over the limit", resp, body, 422, en.msg("en", "decision.error.too_many_positions"))
	resp, body = en.get("delegate", path)
	expect(t, "page at the limit", resp, body, 200, `class="note position-limit"`, en.msg("en", "decision.error.too_many_positions"))
	if strings.Contains(body, `id="take"`) {
		t.Error("the page offers a position the limit will refuse")
	}

	// The Secretariat's form is asked for a State that may still record.
	n, _ := strconv.ParseInt(id, 10, 64)
	d, err := en.db.GetDecision(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	first := d.Facts.Participants[0]
	for range decision.MaxPositionsPerActor - d.Facts.PositionsBy(first) {
		if resp, _ := en.postForm("secretariat", "/en/decisions/"+id+"/positions", url.Values{"actor": {first}, "kind": {"support"}}); resp.StatusCode != 303 {
			t.Fatalf("secretariat for %s: %d", first, resp.StatusCode)
		}
	}
	resp, body = en.get("secretariat", path)
	expect(t, "Secretariat page", resp, body, 200, `id="take"`, `<option value="`+d.Facts.Participants[1]+`"`)
	// Nor does the form offer the State at the limit: it would be refused.
	if strings.Contains(body, `<option value="`+first+`"`) {
		t.Errorf("the Secretariat's form offers %s, which has recorded the most positions it may", first)
	}
	if strings.Contains(body, "position-limit") {
		t.Error("the Secretariat is told of a delegate's limit")
	}
}
