package api_test

import (
	"fmt"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

func TestSearchResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testSearchResponses)
}

// testSearchResponses publishes a general, a limited and a restricted
// document and searches for them as the public, a stakeholder and a State:
// what the caller may not see is neither listed nor counted; the responses
// match the schema; bad facets are all reported at once.
func testSearchResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	orgs, _, err := db.ListOrganizations(t.Context(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("no stakeholder: %v", err)
	}
	createUser(t, db, concord.User{Username: "focal", Role: concord.RoleFocalPoint, OrgID: orgs[0].ID})
	for _, u := range []string{"sec", "fra", "focal"} {
		e.signIn(u)
	}
	const op = "GET /search"
	for i, dist := range []string{"general", "limited", "restricted"} {
		body := map[string]any{"symbol": fmt.Sprintf("A/AC.GM/2026/WP.8%d", i), "type": "working-paper", "authors": []string{"secretariat"},
			"title": map[string]string{"en": "Quokka paper " + dist, "ar": "ورقة الكوكا"}, "date": "2026-07-06", "distribution": dist,
			"versions": []map[string]any{{"lang": "en", "status": "original", "text": "The quokka <b>clause</b> of " + dist + "."},
				{"lang": "ar", "status": "official", "text": "بندُ الكوكا."}}}
		e.do(call{name: "publish " + dist, op: "POST /documents", method: "POST", path: "/documents", as: "sec", ct: "application/json", body: jsonBody(body), status: 201})
	}
	get := func(name, path, as string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status, field: field}))
	}
	for _, c := range []struct {
		who  string
		want int
	}{{"", 1}, {"focal", 2}, {"fra", 3}, {"sec", 3}} {
		for _, q := range []string{"QUOKKA", "الكوكا"} {
			r := get("search as "+c.who, "/search?q="+q+"&kind=document", c.who, 200, "")
			if n := len(list(r["items"])); n != c.want || fmt.Sprint(r["total"]) != fmt.Sprint(c.want) {
				t.Errorf("%q as %q: %d items, total %v, want %d", q, c.who, n, r["total"], c.want)
			}
			for _, it := range list(r["items"]) {
				if c.who == "" && strings.Contains(fmt.Sprint(obj(it)["title"]), "restricted") {
					t.Errorf("the public finds %v", it)
				}
			}
		}
	}
	r := get("snippet", "/search?q=clause&language=en&limit=1", "", 200, "")
	items := list(r["items"])
	if len(items) != 1 || !strings.Contains(fmt.Sprint(obj(items[0])["snippet_html"]), "&lt;b&gt;<mark>clause</mark>&lt;/b&gt;") {
		t.Errorf("snippet: %v", items)
	}
	if k := obj(r["kinds"]); fmt.Sprint(k["document"]) != "1" {
		t.Errorf("kinds: %v", r["kinds"])
	}
	get("a State by name", "/search?q=France&kind=state", "", 200, "")
	get("nothing asked", "/search", "", 200, "")
	b := get("bad facets", "/search?q=x&kind=poem&language=xx&from=yesterday&state=fr", "", 422, "kind")
	if len(list(b["errors"])) != 4 {
		t.Errorf("errors: %v", b["errors"])
	}
}
