package api_test

import (
	"slices"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestNormsResponsesMatchSchemas plays the checklist through the API and
// checks every answer against the document: reports by a State (every
// problem at once first), one kept to States and so not found by the public
// or a stakeholder nor counted in what they see; reports for another State
// or by a delegate who may not speak refused; the history of each change.
func TestNormsResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "ken", Role: concord.RoleDelegate, State: "KEN"})
		createUser(t, db, concord.User{Username: "ken-listens", Role: concord.RoleDelegate, State: "KEN", ReadOnly: true})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		createUser(t, db, concord.User{Username: "ngo", Role: concord.RoleFocalPoint, OrgID: 1})
		for _, u := range []string{"sec", "ken", "ken-listens", "fra", "ngo"} {
			e.signIn(u)
		}
		send := func(name, op, method, path, as string, body any, status int, field string) any {
			t.Helper()
			c := call{name: name, op: op, method: method, path: path, as: as, status: status, field: field}
			if body != nil {
				c.ct, c.body = "application/json", jsonBody(body)
			}
			return e.do(c)
		}
		const put, one = "PUT /norms/states/{iso3}/actions/{action}", "GET /norms/states/{iso3}/actions/{action}"
		if n := len(send("checklist", "GET /norms", "GET", "/norms", "", nil, 200, "").([]any)); n != 11 {
			t.Errorf("%d norms", n)
		}
		send("bad report", put, "PUT", "/norms/states/KEN/actions/a1", "ken", map[string]any{"status": "implemented", "link": "ftp://x", "visibility": "secret"}, 422, "evidence")
		send("report for another State", put, "PUT", "/norms/states/KEN/actions/a1", "fra", map[string]any{"status": "in_progress"}, 403, "")
		send("report by a listener", put, "PUT", "/norms/states/KEN/actions/a1", "ken-listens", map[string]any{"status": "in_progress"}, 403, "")
		send("report by a stakeholder", put, "PUT", "/norms/states/KEN/actions/a1", "ngo", map[string]any{"status": "in_progress"}, 403, "")
		send("unknown action", put, "PUT", "/norms/states/KEN/actions/z9", "ken", map[string]any{"status": "in_progress"}, 404, "")
		send("report", put, "PUT", "/norms/states/KEN/actions/a1", "ken", map[string]any{"status": "in_progress", "contact": "cert@example.ke"}, 200, "")
		send("report again", put, "PUT", "/norms/states/ken/actions/a1", "ken", map[string]any{"status": "implemented", "evidence": "Strategy 2026", "link": "https://example.ke/s"}, 200, "")
		send("report kept to States", put, "PUT", "/norms/states/KEN/actions/j1", "sec", map[string]any{"status": "not_started", "visibility": "states"}, 200, "")
		for _, as := range []string{"", "ngo"} {
			send("hidden report as "+as, one, "GET", "/norms/states/KEN/actions/j1", as, nil, 404, "")
			st := send("checklist as "+as, "GET /norms/states/{iso3}", "GET", "/norms/states/KEN", as, nil, 200, "")
			p := send("progress as "+as, "GET /norms/progress", "GET", "/norms/progress", as, nil, 200, "")
			var seen []any
			for _, k := range []string{"reports", "history"} {
				seen = append(seen, list(obj(st)[k])...)
			}
			seen = append(seen, list(obj(p)["recent"])...)
			for _, x := range seen {
				if obj(x)["state"] == "KEN" && obj(x)["action"] == "j1" {
					t.Errorf("%q sees the States-only report: %v", as, x)
				}
			}
		}
		send("report as a State", one, "GET", "/norms/states/KEN/actions/j1", "fra", nil, 200, "")
		st := obj(send("checklist as a State", "GET /norms/states/{iso3}", "GET", "/norms/states/KEN", "fra", nil, 200, ""))
		if h := list(st["history"]); len(h) != 3 || obj(h[1])["from"] != "in_progress" || obj(h[1])["to"] != "implemented" {
			t.Errorf("history %v", h)
		}
		send("unknown State", "GET /norms/states/{iso3}", "GET", "/norms/states/XXX", "", nil, 404, "")
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Norms checklist")) })
	})
}
