package web_test

import (
	"concord"
	"concord/cofacilitator"
	"concord/rule"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord/internal/i18n"
	"concord/internal/store"
)

// TestRulesPage: the rules in force show in English and Arabic; the
// Secretariat's form starts from the version in force, refuses bad numbers
// and backdating with the form kept, and a saved version shows in force
// with what changed marked, while ?at= still shows the earlier one.
func TestRulesPage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.get("", "/en/rules")
	expect(t, "rules", resp, body, 200, en.msg("en", "procrule.title"), en.msg("en", "procrule.code.cofacilitators"),
		en.msg("en", "appointment.chair_appoints"), en.msg("en", "confirmation.non_objection_per_briefer"), `id="rule-dtg-topics"`)
	if strings.Contains(body, en.msg("en", "procrule.new_version")) {
		t.Error("the public sees the new-version link")
	}
	resp, body = en.get("", "/ar/rules")
	expect(t, "rules in Arabic", resp, body, 200, en.msg("ar", "procrule.title"), en.msg("ar", "selection.preference_survey"))
	resp, body = en.get("", "/en/rules?at=yesterday")
	expect(t, "bad date", resp, body, 422)

	vs, err := en.db.RuleVersions(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := rule.InForce(vs, cofacilitator.RuleCode, en.db.Now())
	resp, body = en.get("secretariat", "/en/rules/cofacilitators/new")
	expect(t, "form", resp, body, 200, `name="appointment"`, `value="`+string(cur.Policy.(*cofacilitator.Policy).Appointment)+`" selected`,
		`name="per_dtg" inputmode="numeric" maxlength="4" size="5" value="2"`)
	resp, _ = en.get("secretariat", "/en/rules/quorum/new")
	if resp.StatusCode != 404 {
		t.Errorf("unknown rule: %d", resp.StatusCode)
	}

	f := url.Values{"appointment": {"consensus_approval"}, "period_hours": {"72"}, "per_dtg": {"9"}, "developed_developing": {"on"},
		"scheme": {"unctad-m49"}, "distinct_groups": {"on"}, "gender_parity": {"warning"}, "expertise": {"warning"}, "rotation_terms": {"1"},
		"note": {"Consensus approval, as Russia, Iran and China asked."}}
	resp, body = en.postForm("secretariat", "/en/rules/cofacilitators", f)
	expect(t, "too many seats", resp, body, 422, `id="per_dtg-err"`, "Consensus approval, as Russia")
	f.Set("per_dtg", "2")
	f.Set("from", "2020-01-01")
	resp, body = en.postForm("secretariat", "/en/rules/cofacilitators", f)
	expect(t, "backdated", resp, body, 422, en.msg("en", "error.policy_backdated"))
	f.Set("from", "")
	f.Set("gender_parity", "mandatory")
	resp, body = en.postForm("secretariat", "/en/rules/cofacilitators", f)
	expect(t, "unknown level", resp, body, 422, `id="gender_parity-err"`)
	f.Set("gender_parity", "warning")
	resp, _ = en.postForm("secretariat", "/en/rules/cofacilitators", f)
	if resp.StatusCode != 303 || !strings.Contains(resp.Header.Get("Location"), "/en/rules?saved=1") {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = en.get("", "/en/rules")
	expect(t, "after", resp, body, 200, en.msg("en", "appointment.consensus_approval"), en.msg("en", "procrule.changed"), "Consensus approval, as Russia")
	// The demo's first version (the Chair appoints) was in force in March.
	resp, body = en.get("", "/en/rules?at=2026-03-02")
	expect(t, "as of March", resp, body, 200, en.msg("en", "appointment.chair_appoints"))
	if i := strings.Index(body, `id="rule-cofacilitators"`); i < 0 || strings.Contains(body[i:i+2000], en.msg("en", "appointment.consensus_approval")+"</dd>") {
		t.Error("the version in force in March shows the later rule")
	}
	resp, _ = en.postForm("chair", "/en/rules/cofacilitators", f)
	if resp.StatusCode != 403 {
		t.Errorf("the Chair records a rule: %d", resp.StatusCode)
	}
}

// TestRulesPageFollowsTheClock: a version scheduled for later comes into
// force without any write; the cached page must not outlive that instant.
func TestRulesPageFollowsTheClock(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	f := url.Values{"confirmation": {"consensus_per_briefer"}, "period_hours": {"0"}, "from": {time.Now().AddDate(0, 0, 2).Format(time.DateOnly)}}
	if resp, _ := en.postForm("secretariat", "/en/rules/briefers", f); resp.StatusCode != 303 {
		t.Fatalf("schedule a version: %d", resp.StatusCode)
	}
	inForce := func(body string) string {
		i := strings.Index(body, `id="rule-briefers"`)
		j := strings.Index(body[i:], "</dl>")
		return body[i : i+j]
	}
	for _, role := range []string{"", "chair"} {
		if _, body := en.get(role, "/en/rules"); !strings.Contains(inForce(body), en.msg("en", "confirmation.non_objection_per_briefer")) {
			t.Fatalf("%q: the scheduled version is already in force", role)
		}
	}
	en.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 3) }
	t.Cleanup(func() { en.db.Now = time.Now })
	for _, role := range []string{"", "chair"} {
		if _, body := en.get(role, "/en/rules"); !strings.Contains(inForce(body), en.msg("en", "confirmation.consensus_per_briefer")) {
			t.Errorf("%q: the cached page still shows the superseded version", role)
		}
	}
}

// TestRuleFormErrors: the form reports every problem at once, each next to
// its field and listed at the top; the language switcher of the refused
// form leads to the form's page, not to its action (which answers only
// POST).
func TestRuleFormErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	form := url.Values{"appointment": {"chair_appoints"}, "period_hours": {"0"}, "per_dtg": {"two"}, "scheme": {"unctad-m49"},
		"gender_parity": {"warning"}, "expertise": {"often"}, "rotation_terms": {"99"}}
	req, err := http.NewRequest("POST", en.srv.URL+"/fr/rules/cofacilitators", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", en.srv.URL+"/fr/rules/cofacilitators/new")
	req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["secretariat"]})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if resp.StatusCode != 422 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, id := range []string{"per_dtg-err", "expertise-err", "rotation_terms-err"} {
		if !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("no error next to %s", id)
		}
	}
	if !strings.Contains(body, en.msg("fr", "form.errors")) || strings.Count(body, `href="#`) < 3 {
		t.Errorf("no summary of the three problems")
	}
	if !strings.Contains(body, `href="/en/rules/cofacilitators/new?restore=`) || strings.Contains(body, `href="/en/rules/cofacilitators"`) {
		t.Errorf("the language switcher does not lead to the form's page")
	}
}

// TestFormErrorKeepsInputAcrossLanguages: a form refused with errors, sent
// without a Referer (a browser or proxy that strips it), still knows the
// page it was on (the form says so); the language switcher leads there,
// not to the home page, and the page in the other language shows what was
// typed and the errors, in that language. The input is the user's alone.
func TestFormErrorKeepsInputAcrossLanguages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, page := en.get("secretariat", "/en/rules/cofacilitators/new")
	hidden := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the form", name)
		}
		return html.UnescapeString(m[1])
	}
	form := url.Values{"appointment": {"chair_appoints"}, "period_hours": {"0"}, "per_dtg": {"two"}, "scheme": {"unctad-m49"},
		"gender_parity": {"warning"}, "expertise": {"warning"}, "rotation_terms": {"1"}, "note": {"Typed before the error"},
		"form_token": {hidden("form_token")}, "form_page": {hidden("form_page")}}
	resp, body := en.postForm("secretariat", "/en/rules/cofacilitators", form) // no Referer
	if resp.StatusCode != 422 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`href="(/fr/rules/cofacilitators/new\?restore=[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the French switcher does not lead to the form's page: %s", excerpt(body))
	}
	link := html.UnescapeString(m[1])
	resp, body = en.get("secretariat", link)
	expect(t, "the form in French", resp, body, 200, "Typed before the error", `id="per_dtg-err"`, `value="two"`, `class="error" role="alert"`)
	if !strings.Contains(body, `lang="fr"`) {
		t.Error("not in French")
	}
	// Someone else following the link gets the page, not the input.
	_, body = en.get("delegate", link)
	if strings.Contains(body, "Typed before the error") {
		t.Error("another user sees the input")
	}
}

// TestRuleEffectiveDayInVenueZone: the effective day typed into the rule
// form is a day where the meetings are (New York), as the form says, not a
// UTC day: it starts at 00:00 New York, and the rules page shows it so;
// ?at= reads its day the same way.
func TestRuleEffectiveDayInVenueZone(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	msg := func(id string, data map[string]any) string { return html.EscapeString(cat.T("en", id, data)) }
	resp, body := en.get("secretariat", "/en/rules/briefers/new")
	expect(t, "form", resp, body, 200, msg("procrule.from_hint", map[string]any{"Zone": "New York"}))
	f := url.Values{"confirmation": {"consensus_per_briefer"}, "period_hours": {"0"}, "from": {"2099-01-15"}}
	if resp, _ := en.postForm("secretariat", "/en/rules/briefers", f); resp.StatusCode != 303 {
		t.Fatalf("schedule a version: %d", resp.StatusCode)
	}
	vs, err := en.db.RuleVersions(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	h := rule.History(vs, "briefers")
	if want := time.Date(2099, 1, 15, 5, 0, 0, 0, time.UTC); !h[0].Effective.Equal(want) {
		t.Errorf("effective %s, want %s (00:00 in New York)", h[0].Effective.UTC(), want)
	}
	resp, body = en.get("", "/en/rules")
	expect(t, "rules", resp, body, 200, "2099-01-15 00:00 New York")
	resp, body = en.get("", "/en/rules?at=2099-01-15")
	expect(t, "as of that day", resp, body, 200, `value="2099-01-15"`, msg("procrule.as_of_note", map[string]any{"Date": "2099-01-15", "Zone": "New York"}))
	i := strings.Index(body, `id="rule-briefers"`)
	if j := strings.Index(body[i:], "</dl>"); !strings.Contains(body[i:i+j], en.msg("en", "confirmation.consensus_per_briefer")) {
		t.Error("the version effective at the start of the day in New York is not in force then")
	}
}
