package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"concord/internal/store"
)

// TestDecisionFlow proposes, takes positions, decides and reads the
// outcome, chart and simulation through the pages.
func TestDecisionFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, _ := en.postForm("chair", "/en/decisions", url.Values{"title": {""}, "proposal": {"Adopt the agenda."}, "modality": {"consensus"}, "kind": {"agenda_adoption"}})
	if resp.StatusCode != 422 {
		t.Errorf("empty title: %d, want 422", resp.StatusCode)
	}
	resp, _ = en.postForm("chair", "/en/decisions", url.Values{"title": {"Provisional agenda"}, "proposal": {"Adopt the agenda."}, "modality": {"consensus"},
		"kind": {"agenda_adoption"}, "informally": {"on"}})
	if resp.StatusCode != 303 {
		t.Fatalf("propose: %d", resp.StatusCode)
	}
	path := strings.Split(resp.Header.Get("Location"), "?")[0]
	id := regexp.MustCompile(`\d+$`).FindString(path)
	resp, _ = en.postForm("delegate", "/en/decisions/"+id+"/positions", url.Values{"kind": {"objection"}, "text": {"Item 5 must follow Annex C."}, "confirm": {"1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("objection: %d", resp.StatusCode)
	}
	resp, body := en.postForm("delegate", "/en/decisions/"+id+"/positions", url.Values{"actor": {"DEU"}, "kind": {"support"}})
	if resp.StatusCode != 403 || !strings.Contains(body, "aria-invalid") && !strings.Contains(body, "role=\"alert\"") {
		t.Errorf("delegate for another State: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", "/en/decisions/"+id+"/positions", url.Values{"actor": {"USA"}, "kind": {"reservation"}}); resp.StatusCode != 303 {
		t.Errorf("secretariat records a position: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("chair", "/en/decisions/"+id+"/acts", url.Values{"kind": {"decide"}, "formal": {"on"}, "confirm": {"1"},
		"text": {"There is no consensus; the session proceeds informally."}}); resp.StatusCode != 303 {
		t.Errorf("chair decides: %d", resp.StatusCode)
	}
	resp, body = en.get("", "/ar"+strings.TrimPrefix(path, "/en"))
	if resp.StatusCode != 200 {
		t.Fatalf("decision page: %d", resp.StatusCode)
	}
	for _, want := range []string{`<svg class="chart" role="img"`, `<title id="chart-title">`, `<desc id="chart-desc">`, "Item 5 must follow Annex C.", `class="outcome outcome-not_adopted"`, `dir="rtl"`,
		en.msg("ar", "decisions.acts"), en.msg("ar", "decisions.act_kind.decide"), "There is no consensus; the session proceeds informally."} {
		if !strings.Contains(body, want) {
			t.Errorf("decision page lacks %q", want)
		}
	}
	// Six simulated modalities side by side.
	if n := strings.Count(body, `<td><span class="outcome outcome-`); n != 6 {
		t.Errorf("%d simulated outcomes, want 6", n)
	}
	// A late position is refused with a localised error and nothing changes.
	resp, body = en.postForm("secretariat", "/fr/decisions/"+id+"/positions", url.Values{"actor": {"BRA"}, "kind": {"support"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("fr", "decision.error.not_adopted")) {
		t.Errorf("late position: %d", resp.StatusCode)
	}
}

// TestDecisionSilenceBroken: once an objection broke the silence nothing was
// decided, and the page says so rather than "the decision has been taken";
// the position form is no longer offered, and the refusal, which concerns
// no field of the form, has no "Go to the field" link.
func TestDecisionSilenceBroken(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, _ := en.postForm("chair", "/en/decisions", url.Values{"title": {"Co-facilitators"}, "proposal": {"Appoint the co-facilitators."}, "modality": {"chair_proposal_silence"},
		"period": {"72"}, "kind": {"generic"}})
	if resp.StatusCode != 303 {
		t.Fatalf("propose: %d", resp.StatusCode)
	}
	id := regexp.MustCompile(`\d+$`).FindString(strings.Split(resp.Header.Get("Location"), "?")[0])
	if resp, _ := en.postForm("delegate", "/en/decisions/"+id+"/positions", url.Values{"kind": {"objection"}, "confirm": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("objection: %d", resp.StatusCode)
	}
	resp, body := en.postForm("secretariat", "/en/decisions/"+id+"/positions", url.Values{"actor": {"BRA"}, "kind": {"support"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "decision.error.silence_broken")) || strings.Contains(body, en.msg("en", "decision.error.after_outcome")) {
		t.Errorf("support after the silence was broken: %d", resp.StatusCode)
	}
	if strings.Contains(body, en.msg("en", "form.fix_field")) {
		t.Errorf("a refusal without a field on the form links to a field")
	}
	for _, role := range []string{"delegate", "secretariat", "chair"} {
		_, body = en.get(role, "/en/decisions/"+id)
		if strings.Contains(body, `value="support"`) || strings.Contains(body, `value="decide"`) || strings.Contains(body, `value="defer"`) {
			t.Errorf("%s is offered a position or act the decision refuses", role)
		}
	}
}
