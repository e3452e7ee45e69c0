package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"concord/internal/store"
)

// TestNormsStatesOnlyNeverLeak: Estonia keeps its checklist reports to
// States (demo). The public, a stakeholder's focal point, the Chair and a
// co-facilitator find nothing of them in the pages, the API, the progress
// figures, the history, the log, search or the State's feed; a delegate of
// another State and the Secretariat do.
func TestNormsStatesOnlyNeverLeak(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	const evidence = "example.org/EST/a1"
	for _, role := range []string{"", "focal-point", "chair", "co-facilitator", "delegate", "secretariat"} {
		sees := role == "delegate" || role == "secretariat"
		for _, p := range []string{"/en/norms/states/EST", "/ar/norms/states/EST", "/api/v1/norms/states/EST"} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK || strings.Contains(body, evidence) != sees {
				t.Errorf("%s as %q: %d, shows the evidence %v", p, role, resp.StatusCode, !sees)
			}
		}
		resp, body := en.get(role, "/api/v1/norms/states/EST/actions/a1")
		if (resp.StatusCode == http.StatusOK) != sees || (!sees && strings.Contains(body, evidence)) {
			t.Errorf("Estonia's report as %q: %d", role, resp.StatusCode)
		}
		for _, p := range []string{"/en/norms", "/ar/norms", "/api/v1/norms/progress", "/en/log", "/api/v1/log", "/en/search?q=Estonia", "/en/states/EST/feed.atom"} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if (strings.Contains(body, evidence) || strings.Contains(body, `/norms/states/EST"`) || strings.Contains(body, `"EST"`)) && !sees {
				t.Errorf("%s as %q shows Estonia's States-only reports", p, role)
			}
		}
		if _, body := en.get(role, "/en/norms"); sees != strings.Contains(body, `/norms/states/EST"`) {
			t.Errorf("the overview as %q: lists Estonia %v", role, !sees)
		}
	}
}

// TestNormsReportPages: a State reports on an action (every error of a bad
// form at once, localised, in English and Arabic), sees it on its
// checklist with the change in its history, and cannot report for another
// State; the charts have their titles and mirror in Arabic.
func TestNormsReportPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	for _, lang := range []string{"en", "ar"} {
		resp, body := en.postForm("delegate", "/"+lang+"/norms/states/FRA/actions/j1", url.Values{"status": {"implemented"}, "link": {"javascript:alert(1)"}, "visibility": {"secret"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s bad report: %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"norms.error.evidence", "norms.error.link", "norms.error.visibility"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s: the form does not say %s", lang, k)
			}
		}
	}
	form := url.Values{"status": {"implemented"}, "evidence": {"CVD policy <b>published</b>"}, "link": {"https://example.fr/cvd"}, "contact": {"ANSSI"}, "visibility": {"public"}}
	resp, _ := en.postForm("delegate", "/en/norms/states/FRA/actions/j1", form)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/en/norms/states/FRA?saved=j1") {
		t.Fatalf("report: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := en.get("", "/en/norms/states/FRA?saved=j1")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "CVD policy &lt;b&gt;published&lt;/b&gt;") || !strings.Contains(body, `href="https://example.fr/cvd"`) {
		t.Errorf("France's checklist %d: the report is not shown escaped", resp.StatusCode)
	}
	if !strings.Contains(body, `id="history"`) || !strings.Contains(body, "<strong>j1</strong>") || !strings.Contains(body, `id="chart-state-title"`) {
		t.Error("France's checklist lacks its history or its chart")
	}
	if resp, _ := en.get("delegate", "/en/norms/states/KEN/actions/a1"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France opens Kenya's report: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("delegate", "/en/norms/states/KEN/actions/a1", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France reports for Kenya: %d", resp.StatusCode)
	}
	if resp, _ := en.get("delegate", "/en/norms/states/FRA/actions/z9"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown action: %d", resp.StatusCode)
	}
	resp, body = en.get("", "/ar/norms")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `direction="rtl"`) || !strings.Contains(body, `id="chart-regions-desc"`) {
		t.Errorf("the Arabic overview %d does not mirror its charts", resp.StatusCode)
	}
}
