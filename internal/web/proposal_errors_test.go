package web_test

import (
	"net/url"
	"strings"
	"testing"

	"concord/internal/store"
)

// missing lists the wanted fragments that body lacks.
func missing(body string, want ...string) []string {
	var out []string
	for _, w := range want {
		if !strings.Contains(body, w) {
			out = append(out, w)
		}
	}
	return out
}

// TestDecisionProposalErrors: a proposal wrong in five fields (no title, no
// text, a period that is not a number, an unknown kind and modality) comes
// back with every problem next to its field and listed at the top, what
// was typed kept; the API answers every one in its errors array. It
// stopped at the first (the period, then the title).
func TestDecisionProposalErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.postForm("chair", "/en/decisions", url.Values{"title": {""}, "proposal": {""}, "period": {"soon"}, "kind": {"treaty"}, "modality": {"vote"}})
	if resp.StatusCode != 422 {
		t.Errorf("status %d, want 422", resp.StatusCode)
	}
	if m := missing(body, `id="title-err"`, `id="proposal-err"`, `id="period-err"`, `id="kind-err"`, `id="modality-err"`, en.msg("en", "form.errors"),
		en.msg("en", "error.required"), en.msg("en", "error.number"), en.msg("en", "decision.error.kind"), en.msg("en", "decision.error.modality"),
		en.msg("en", "decision.error.proposal"), `value="soon"`); m != nil {
		t.Errorf("page lacks %q", m)
	}
	resp, body = en.do("chair", "POST", "/api/v1/decisions", "application/json", `{"kind":"treaty","title":{"en":""},"proposal":{"en":""},"modality":"vote","period_hours":-1}`)
	if m := missing(body, `"errors":[`, `"field":"title"`, `"field":"period"`, `"field":"kind"`, `"field":"modality"`, `"field":"proposal"`); resp.StatusCode != 422 || m != nil {
		t.Errorf("API: %d lacks %q: %s", resp.StatusCode, m, body)
	}
	if ds, _ := en.db.ListDecisions(ctx, "GM"); len(ds) > 0 {
		for _, d := range ds {
			if d.Facts.Kind == "treaty" {
				t.Error("a refused proposal was recorded")
			}
		}
	}
}

// TestBrieferNominationErrors: a nomination wrong in four fields comes back
// with all of them on the page and in the API's errors array.
func TestBrieferNominationErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	v := url.Values{"name": {""}, "affiliation": {" "}, "expertise": {"Ransomware"}, "dtg": {"DTG-9"}, "meeting_date": {"next week"}}
	resp, body := en.postForm("delegate", "/en/briefers", v)
	if resp.StatusCode != 422 {
		t.Errorf("status %d, want 422", resp.StatusCode)
	}
	if m := missing(body, `id="name-err"`, `id="affiliation-err"`, `id="dtg-err"`, `id="meeting_date-err"`, en.msg("en", "form.errors"),
		en.msg("en", "briefer.error.name"), en.msg("en", "briefers.error.dtg"), en.msg("en", "error.date"), `value="next week"`, "Ransomware"); m != nil {
		t.Errorf("page lacks %q", m)
	}
	resp, body = en.do("delegate", "POST", "/api/v1/briefers", "application/json", `{"name":"","affiliation":"","dtg":"DTG-9","meeting_date":"next week"}`)
	if m := missing(body, `"errors":[`, `"field":"name"`, `"field":"affiliation"`, `"field":"dtg"`, `"field":"meeting_date"`); resp.StatusCode != 422 || m != nil {
		t.Errorf("API: %d lacks %q: %s", resp.StatusCode, m, body)
	}
}

// TestAgendaCreateErrors: a new agenda with a malformed session code, an
// item without a title, one without a number and a repeated number comes
// back with every problem on its row, and in the API's errors array.
func TestAgendaCreateErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	v := formValues("no such session!", [][]string{{"1", "Opening"}, {"2", ""}, {"", "Organisation of work"}, {"1", "Adoption"}})
	resp, body := en.postForm("chair", "/en/agendas", v)
	if resp.StatusCode != 422 {
		t.Errorf("status %d, want 422", resp.StatusCode)
	}
	if m := missing(body, `id="session-err"`, `id="items[1].title.en-err"`, `id="items[2].number-err"`, `id="items[3].number-err"`, en.msg("en", "form.errors"),
		en.msg("en", "agendas.error.session"), en.msg("en", "agendas.error.title"), en.msg("en", "agenda.error.number"), en.msg("en", "agendas.error.duplicate_number"),
		`>Organisation of work</textarea>`); m != nil {
		t.Errorf("page lacks %q", m)
	}
	resp, body = en.do("chair", "POST", "/api/v1/agendas", "application/json",
		`{"session":"no such session!","items":[{"number":"1","title":{"en":"Opening"}},{"number":"2","title":{}},{"number":"","title":{"en":"Organisation of work"}},{"number":"1","title":{"en":"Adoption"}}]}`)
	if m := missing(body, `"errors":[`, `"field":"session"`, `"field":"items[1].title"`, `"field":"items[2].number"`, `"field":"items[3].number"`); resp.StatusCode != 422 || m != nil {
		t.Errorf("API: %d lacks %q: %s", resp.StatusCode, m, body)
	}
}
