package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/fund"
	"concord/internal/seed"
	"concord/internal/store"
)

// fundDemo finds the demo Fund's calls (closed, open) and applications by
// State.
func fundDemo(t *testing.T, en *env) (closed, open fund.Call, apps map[string]fund.Application) {
	t.Helper()
	r := en.db.Read(ctx)
	calls, err := r.FundCalls(concord.DefaultProcessCode)
	if err != nil || len(calls) != 2 {
		t.Fatalf("demo calls: %v %v", calls, err)
	}
	for _, c := range calls {
		if strings.HasPrefix(c.Title, "Incident") {
			closed = c
		} else {
			open = c
		}
	}
	all, err := r.FundApplications(concord.DefaultProcessCode, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	apps = map[string]fund.Application{}
	for _, a := range all {
		apps[a.State] = a
	}
	return closed, open, apps
}

// TestFundReviewsNeverLeak: route by route and role by role, the
// committee's comments reach the Secretariat and the reviewers only: not
// the public, a stakeholder, the Chair, a co-facilitator, another State or
// the applicant State, in pages, the API, the log or search; and an
// application before its award is not found by anyone but its State, the
// Secretariat and the committee.
func TestFundReviewsNeverLeak(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.tokens["ken"] = en.session(concord.User{Username: "del-ken", Role: concord.RoleDelegate, State: "KEN"})
	en.tokens["sen"] = en.session(concord.User{Username: "del-sen", Role: concord.RoleDelegate, State: "SEN"})
	en.tokens["reviewer"] = en.sessionFor(seed.FundReviewers[0])
	closed, open, apps := fundDemo(t, en)
	ken, sen := strconv.FormatInt(apps["KEN"].ID, 10), strconv.FormatInt(apps["SEN"].ID, 10)
	secrets := []string{"realistic budget", "ministry of health", "Strong need"}
	for _, role := range []string{"", "focal-point", "chair", "co-facilitator", "delegate", "ken", "sen", "reviewer", "secretariat"} {
		sees := role == "secretariat" || role == "reviewer"
		var all strings.Builder
		for _, p := range []string{"/en/fund", "/ar/fund", "/en/fund/calls/" + strconv.FormatInt(closed.ID, 10), "/en/fund/calls/" + strconv.FormatInt(open.ID, 10),
			"/en/fund/applications/" + ken, "/ar/fund/applications/" + ken, "/api/v1/fund", "/api/v1/fund/calls/" + strconv.FormatInt(open.ID, 10),
			"/api/v1/fund/applications/" + ken, "/en/log", "/api/v1/log", "/en/search?q=budget", "/api/v1/search?q=budget"} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			all.WriteString(body)
		}
		// Senegal's application is not awarded: only its State, the
		// Secretariat and the committee find it.
		findsSEN := sees || role == "sen"
		for _, p := range []string{"/en/fund/applications/" + sen, "/api/v1/fund/applications/" + sen} {
			resp, body := en.get(role, p)
			if findsSEN != (resp.StatusCode == http.StatusOK) || (!findsSEN && strings.Contains(body, apps["SEN"].Project)) {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			all.WriteString(body)
		}
		for _, s := range secrets {
			if got := strings.Contains(all.String(), s); got != sees {
				t.Errorf("%q sees the review %q: %v", role, s, got)
			}
		}
		if strings.Contains(all.String(), apps["PER"].Project) != (sees || role == "secretariat") {
			t.Errorf("%q and Peru's application awaiting screening", role)
		}
	}
}

// TestFundApplicationForms: an application refused with every problem at
// once, localised in English and Arabic (a developed State, a call that
// closed); a double submission saves one application and says why.
func TestFundApplicationForms(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.tokens["per"] = en.session(concord.User{Username: "del-per", Role: concord.RoleDelegate, State: "PER"})
	en.tokens["tza"] = en.session(concord.User{Username: "del-tza", Role: concord.RoleDelegate, State: "TZA"})
	closed, open, _ := fundDemo(t, en)
	form := url.Values{"project": {"Water utilities"}, "summary": {"Assess the control systems."}, "area": {"norm.g"}, "amount": {"50,000"}}
	for _, lang := range []string{"en", "ar"} {
		resp, body := en.postForm("delegate", "/"+lang+"/fund/calls/"+strconv.FormatInt(closed.ID, 10)+"/applications", url.Values{"amount": {"lots"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"fund.error.amount", "fund.error.closed", "fund.error.not_eligible", "error.required"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s: the form does not say %s", lang, k)
			}
		}
		if lang == "ar" && !strings.Contains(body, `dir="rtl"`) {
			t.Error("the Arabic page is not right to left")
		}
	}
	path := "/en/fund/calls/" + strconv.FormatInt(open.ID, 10) + "/applications"
	if resp, _ := en.postForm("tza", path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", resp.StatusCode)
	}
	resp, body := en.postForm("tza", path, form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "fund.error.applied")) || !strings.Contains(body, "Water utilities") {
		t.Errorf("double submission: %d", resp.StatusCode)
	}
	n := 0
	all, _ := en.db.Read(ctx).FundApplications(concord.DefaultProcessCode, open.ID, "")
	for _, a := range all {
		if a.State == "TZA" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d applications saved", n)
	}
	if resp, _ := en.postForm("focal-point", path, form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a stakeholder applies: %d", resp.StatusCode)
	}
}

// TestFundCallEdit: the Secretariat finds "Edit this call" on the call's
// page (no one else does), the form comes prefilled, an extended deadline
// is saved and shown; a form with several problems shows them all at once,
// in English and Arabic, with what was typed, and saves nothing.
func TestFundCallEdit(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, open, _ := fundDemo(t, en)
	id := strconv.FormatInt(open.ID, 10)
	edit := `href="/en/fund/calls/` + id + `/edit"`
	for _, role := range []string{"", "delegate", "chair", "secretariat"} {
		if _, body := en.get(role, "/en/fund/calls/"+id); strings.Contains(body, edit) != (role == "secretariat") {
			t.Errorf("%q and the edit link: %v", role, !strings.Contains(body, edit))
		}
	}
	resp, body := en.get("secretariat", "/en/fund/calls/"+id+"/edit")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("edit page: %d", resp.StatusCode)
	}
	for _, want := range []string{`value="Protecting critical infrastructure 2027"`, `value="2027-03-31"`, `value="2026-11-17"`, `value="1200000"`, seed.FundReviewers[0], en.msg("en", "fund.edit_locked_notice")} {
		if !strings.Contains(body, want) {
			t.Errorf("the form does not show %s", want)
		}
	}
	form := url.Values{"title": {open.Title}, "area": {string(open.Area)}, "opens": {"2026-11-17"}, "closes": {"2027-06-30"}, "amount": {"1,200,000"},
		"reviewers": {strings.Join(seed.FundReviewers, ", ")}}
	bad := url.Values{"title": {""}, "area": {string(open.Area)}, "opens": {"2026-11-17"}, "closes": {"2027-03-01"}, "amount": {"lots"}, "reviewers": {"ghost-reviewer"}}
	for _, lang := range []string{"en", "ar"} {
		resp, body := en.postForm("secretariat", "/"+lang+"/fund/calls/"+id, bad)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: bad edit %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"error.required", "fund.error.amount", "fund.error.closes_earlier", "fund.error.reviewers"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s: the form does not say %s", lang, k)
			}
		}
		for _, kept := range []string{`value="lots"`, `value="2027-03-01"`, "ghost-reviewer"} {
			if !strings.Contains(body, kept) {
				t.Errorf("%s: the form lost %s", lang, kept)
			}
		}
	}
	if resp, _ := en.postForm("delegate", "/en/fund/calls/"+id, form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate edits the call: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", "/en/fund/calls/"+id, form); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/en/fund/calls/"+id {
		t.Fatalf("edit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c, err := en.db.Read(ctx).FundCall(open.ID)
	if err != nil || !c.Closes.After(open.Closes) || !c.Opens.Equal(open.Opens) || c.Amount != open.Amount || len(c.Reviewers) != 2 {
		t.Errorf("saved %+v %v", c, err)
	}
	if _, body := en.get("", "/en/fund/calls/"+id); !strings.Contains(body, "2027-06-30") {
		t.Errorf("the call page does not show the new deadline")
	}
}
