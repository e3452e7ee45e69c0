package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"concord"
	"concord/internal/store"
)

var tokenField = regexp.MustCompile(`<input type="hidden" name="form_token" value="([^"]+)">`)

// formToken fetches path as role and returns the token of the POST form
// whose action ends with action.
func (en *env) formToken(role, path, action string) string {
	en.t.Helper()
	_, body := en.get(role, path)
	re := regexp.MustCompile(`<form method="post" action="[^"]*` + regexp.QuoteMeta(action) + `"[^>]*><input type="hidden" name="form_token" value="([^"]+)">`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		en.t.Fatalf("%s as %s: no form to %s with a token", path, role, action)
	}
	return m[1]
}

func (en *env) decisionCount() int {
	en.t.Helper()
	ds, err := en.db.ListDecisions(ctx, concord.DefaultProcessCode)
	if err != nil {
		en.t.Fatal(err)
	}
	return len(ds)
}

// TestFormTokens: every POST form a signed-in user sees carries its own
// one-time token; a second POST with it writes nothing and answers the first
// redirect, sequentially and in parallel; a public page has none.
func TestFormTokens(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, body := en.get("chair", "/en/decisions")
	toks := tokenField.FindAllStringSubmatch(body, -1)
	forms := strings.Count(body, `<form method="post"`)
	if forms < 2 || len(toks) != forms {
		t.Fatalf("%d POST forms, %d tokens", forms, len(toks))
	}
	if toks[0][1] == toks[1][1] {
		t.Error("two forms share a token")
	}
	// Every POST form of every page, whatever its template.
	postTag := regexp.MustCompile(`<form method="post"[^>]*>`)
	for _, path := range []string{"/en/organizations/new", "/en/states/FRA/edit", "/en/admin/users", "/en/accreditation", "/en/cofacilitators/DTG-1",
		"/en/topics", "/en/agendas", "/en/briefers/new", "/en/account"} {
		_, body := en.get("secretariat", path)
		tags := postTag.FindAllStringIndex(body, -1)
		if len(tags) == 0 {
			t.Errorf("%s: no POST form", path)
		}
		for _, m := range tags {
			tag, after := body[m[0]:m[1]], body[m[1]:]
			if !strings.HasPrefix(after, `<input type="hidden" name="form_token" value="`) && !strings.Contains(tag, "?form_token=") {
				t.Errorf("%s: %s has no token", path, tag)
			}
		}
	}
	if _, body := en.get("", "/en/login"); strings.Contains(body, "form_token") {
		t.Error("the public gets form tokens")
	}

	propose := url.Values{"title": {"Provisional agenda"}, "proposal": {"Adopt the agenda."}, "modality": {"consensus"}, "kind": {"agenda_adoption"}}
	before := en.decisionCount()
	propose.Set("form_token", en.formToken("chair", "/en/decisions", "/en/decisions"))
	first, _ := en.postForm("chair", "/en/decisions", propose)
	again, _ := en.postForm("chair", "/en/decisions", propose)
	if first.StatusCode != 303 || again.StatusCode != 303 || again.Header.Get("Location") != first.Header.Get("Location") {
		t.Errorf("double submission: %d %q then %d %q", first.StatusCode, first.Header.Get("Location"), again.StatusCode, again.Header.Get("Location"))
	}
	if n := en.decisionCount(); n != before+1 {
		t.Errorf("%d decisions after a double submission, want %d", n, before+1)
	}
	// A token of another session is no token: the POST is an ordinary one.
	propose.Set("form_token", en.formToken("secretariat", "/en/decisions", "/en/decisions"))
	if resp, _ := en.postForm("chair", "/en/decisions", propose); resp.StatusCode != 303 || en.decisionCount() != before+2 {
		t.Errorf("foreign token: %d, %d decisions", resp.StatusCode, en.decisionCount())
	}

	// Parallel double (and more) submission of one form.
	propose.Set("form_token", en.formToken("chair", "/en/decisions", "/en/decisions"))
	const n = 8
	locs := make([]string, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", en.srv.URL+"/en/decisions", strings.NewReader(propose.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["chair"]})
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i], locs[i] = resp.StatusCode, resp.Header.Get("Location")
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 303 || locs[i] != locs[0] {
			t.Errorf("parallel submission %d: %d %q, want 303 %q", i, codes[i], locs[i], locs[0])
		}
	}
	if got := en.decisionCount(); got != before+3 {
		t.Errorf("%d decisions after %d parallel submissions of one form, want %d", got, n, before+3)
	}
}

// TestConfirmationSteps: the Chair's decision, an objection (breaking a
// silence) and proposing co-facilitators first answer a page that says what
// will happen and writes nothing; the same fields with confirm=1 write. A
// deferral needs no confirmation; a refused set is refused at once.
func TestConfirmationSteps(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	create := func(v url.Values) string {
		resp, _ := en.postForm("chair", "/en/decisions", v)
		if resp.StatusCode != 303 {
			t.Fatalf("propose: %d", resp.StatusCode)
		}
		return strings.Split(resp.Header.Get("Location"), "?")[0]
	}
	decision := func(path string) store.Decision {
		id, _ := strconv.ParseInt(regexp.MustCompile(`\d+$`).FindString(path), 10, 64)
		d, err := en.db.GetDecision(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	confirmPage := func(name string, resp *http.Response, body string, wants ...string) {
		t.Helper()
		if resp.StatusCode != 200 || !strings.Contains(body, `<input type="hidden" name="confirm" value="1">`) {
			t.Errorf("%s: %d, no confirmation form", name, resp.StatusCode)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the confirmation lacks %q", name, w)
			}
		}
	}

	// An objection in a silence procedure.
	silence := create(url.Values{"title": {"Programme of work"}, "proposal": {"Adopt the programme."}, "modality": {"chair_proposal_silence"},
		"kind": {"agenda_adoption"}, "period": {"72"}})
	objection := url.Values{"kind": {"objection"}, "text": {"Not yet."}}
	resp, body := en.postForm("delegate", silence+"/positions", objection)
	confirmPage("objection", resp, body, en.tmsg("en", "confirm.object.silence", "Title", "Programme of work"),
		en.tmsg("en", "confirm.object.what", "Title", "Programme of work", "Outcome", en.rawMsg("en", "outcome.silence_broken")),
		`name="text" value="Not yet."`, `href="`+silence+`"`)
	if d := decision(silence); len(d.Facts.Positions) != 0 {
		t.Errorf("the confirmation page recorded %d positions", len(d.Facts.Positions))
	}
	objection.Set("confirm", "1")
	if resp, _ := en.postForm("delegate", silence+"/positions", objection); resp.StatusCode != 303 || len(decision(silence).Facts.Positions) != 1 {
		t.Errorf("confirmed objection: %d", resp.StatusCode)
	}

	// The Chair's decision, in French.
	cons := create(url.Values{"title": {"Provisional agenda"}, "proposal": {"Adopt the agenda."}, "modality": {"consensus"}, "kind": {"agenda_adoption"}})
	fr := "/fr" + strings.TrimPrefix(cons, "/en")
	// Support needs no confirmation.
	if resp, _ := en.postForm("secretariat", cons+"/positions", url.Values{"actor": {"USA"}, "kind": {"support"}}); resp.StatusCode != 303 {
		t.Errorf("support: %d", resp.StatusCode)
	}
	resp, body = en.postForm("chair", fr+"/acts", url.Values{"kind": {"decide"}})
	confirmPage("decide", resp, body, en.tmsg("fr", "confirm.decide.what", "Title", "Provisional agenda", "Outcome", en.rawMsg("fr", "outcome.adopted")),
		en.msg("fr", "confirm.decide.button"), `action="`+fr+`/acts"`)
	if d := decision(cons); len(d.Facts.Acts) != 0 {
		t.Error("the confirmation page recorded the act")
	}
	if resp, _ := en.postForm("chair", fr+"/acts", url.Values{"kind": {"defer"}}); resp.StatusCode != 303 || len(decision(cons).Facts.Acts) != 1 {
		t.Errorf("deferral: %d", resp.StatusCode)
	}

	// Proposing co-facilitators: an unbalanced set is refused at once, a
	// balanced one is confirmed first.
	ids := en.nominationIDs()
	sets, _ := en.cofac().Sets(ctx, "")
	resp, body = en.postForm("chair", "/en/cofacilitators/sets", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"},
		"nomination": {itoa(ids["2028-2029/SGP"]), itoa(ids["2028-2029/DEU"])}})
	if resp.StatusCode != 422 || strings.Contains(body, `name="confirm"`) {
		t.Errorf("unbalanced set: %d, or a confirmation", resp.StatusCode)
	}
	set := url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}, "nomination": {itoa(ids["2028-2029/DEU"]), itoa(ids["2028-2029/NGA"])}}
	resp, body = en.postForm("chair", "/en/cofacilitators/sets", set)
	confirmPage("set", resp, body, en.msg("en", "confirm.set.heading"), "(DEU); ", "(NGA)",
		`name="nomination" value="`+itoa(ids["2028-2029/DEU"])+`"`, `name="nomination" value="`+itoa(ids["2028-2029/NGA"])+`"`)
	if after, _ := en.cofac().Sets(ctx, ""); len(after) != len(sets) {
		t.Error("the confirmation page saved the set")
	}
	set.Set("confirm", "1")
	if resp, _ := en.postForm("chair", "/en/cofacilitators/sets", set); resp.StatusCode != 303 {
		t.Errorf("confirmed set: %d", resp.StatusCode)
	}
	if after, _ := en.cofac().Sets(ctx, ""); len(after) != len(sets)+1 {
		t.Errorf("%d sets after confirming, want %d", len(after), len(sets)+1)
	}
}

// TestDuplicateOrganizationForm: the form shows the likely duplicates and
// creates the organisation only when confirmed.
func TestDuplicateOrganizationForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	org := url.Values{"kind": {"stakeholder"}, "type": {"ngo"}, "name_fr": {"Réseau Numérique Équitable"}}
	if resp, _ := en.postForm("secretariat", "/en/organizations", org); resp.StatusCode != 303 {
		t.Fatalf("first: %d", resp.StatusCode)
	}
	dup := url.Values{"kind": {"stakeholder"}, "type": {"ngo"}, "name_en": {"reseau numerique-equitable"}}
	resp, body := en.postForm("secretariat", "/en/organizations", dup)
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "error.org_duplicate")) || !strings.Contains(body, "Réseau Numérique Équitable") ||
		!strings.Contains(body, `name="confirm_duplicate"`) || !strings.Contains(body, `value="reseau numerique-equitable"`) {
		t.Errorf("likely duplicate: %d", resp.StatusCode)
	}
	if _, n, _ := en.db.ListOrganizations(ctx, store.OrgFilter{Query: "numerique-equitable"}); n != 0 {
		t.Error("the duplicate was created unconfirmed")
	}
	dup.Set("confirm_duplicate", "1")
	if resp, _ := en.postForm("secretariat", "/en/organizations", dup); resp.StatusCode != 303 {
		t.Errorf("confirmed: %d", resp.StatusCode)
	}
}
