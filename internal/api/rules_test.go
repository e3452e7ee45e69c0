package api_test

import (
	"concord/rule"
	"fmt"
	"slices"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestRuleResponsesMatchSchemas reads the rules, records a new version as
// the Secretariat, and checks the refusals (another role, a backdated or
// mismatched version, an unknown rule) against the document.
func TestRuleResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		before, _ := db.RuleVersions(t.Context(), concord.DefaultProcessCode)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
		e.signIn("sec")
		e.signIn("chair")
		l := obj(e.do(call{name: "rules", op: "GET /rules", method: "GET", path: "/rules", status: 200}))
		if n := len(list(l["items"])); n != len(rule.Codes()) {
			t.Errorf("%d rules, want %d", n, len(rule.Codes()))
		}
		e.do(call{name: "rules before they existed", op: "GET /rules", method: "GET", path: "/rules?at=2020-01-01", status: 200})
		e.do(call{name: "rules at a bad date", op: "GET /rules", method: "GET", path: "/rules?at=yesterday", status: 422, field: "at"})
		one := obj(e.do(call{name: "briefers rule", op: "GET /rules/{code}", method: "GET", path: "/rules/briefers", status: 200}))
		cur := obj(one["in_force"])
		if fmt.Sprint(cur["version"]) != "1" || obj(cur["policy"])["confirmation"] != "non_objection_per_briefer" {
			t.Errorf("default briefers rule: %s", short(cur))
		}
		e.do(call{name: "unknown rule", op: "GET /rules/{code}", method: "GET", path: "/rules/quorum", status: 404})

		body := map[string]any{"note": map[string]string{"en": "Case-by-case agreement, as some States asked."}, "policy": map[string]any{"code": "briefers", "confirmation": "consensus_per_briefer", "period_seconds": 0}}
		e.do(call{name: "new version as the Chair", op: "POST /rules/{code}", method: "POST", path: "/rules/briefers", as: "chair", ct: "application/json", body: jsonBody(body), status: 403})
		e.do(call{name: "backdated version", op: "POST /rules/{code}", method: "POST", path: "/rules/briefers", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"effective_from": "2020-01-01T00:00:00Z", "policy": body["policy"]}), status: 422, field: "effective_from"})
		e.do(call{name: "another rule's settings", op: "POST /rules/{code}", method: "POST", path: "/rules/agenda", as: "sec", ct: "application/json", body: jsonBody(body), status: 422, field: "policy"})
		e.do(call{name: "unknown mode", op: "POST /rules/{code}", method: "POST", path: "/rules/briefers", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"policy": map[string]any{"confirmation": "vote", "period_seconds": 0}}), status: 422, field: "confirmation"})
		// A scheme nobody defined was accepted, and afterwards every
		// co-facilitator list answered 404.
		e.do(call{name: "unknown classification scheme", op: "POST /rules/{code}", method: "POST", path: "/rules/cofacilitators", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"policy": map[string]any{"code": "cofacilitators", "appointment": "chair_appoints", "per_dtg": 2, "scheme": "world-bank-income"}}), status: 422, field: "scheme"})
		// Every problem of the settings at once, the first also as "error".
		many := obj(e.do(call{name: "several problems", op: "POST /rules/{code}", method: "POST", path: "/rules/cofacilitators", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"policy": map[string]any{"code": "cofacilitators", "appointment": "chair_appoints", "per_dtg": 9, "gender_parity": "sometimes", "scheme": "world-bank-income"}}), status: 422, field: "per_dtg"}))
		var fields []string
		for _, x := range list(many["errors"]) {
			fields = append(fields, fmt.Sprint(obj(x)["field"]))
		}
		if !slices.Equal(fields, []string{"per_dtg", "gender_parity", "scheme"}) {
			t.Errorf("several problems: %s", short(many))
		}
		e.do(call{name: "nominations after the refused scheme", op: "GET /cofacilitators/nominations", method: "GET", path: "/cofacilitators/nominations", status: 200})
		v := obj(e.do(call{name: "new version", op: "POST /rules/{code}", method: "POST", path: "/rules/briefers", as: "sec", ct: "application/json", body: jsonBody(body), status: 201}))
		if fmt.Sprint(v["version"]) != "2" {
			t.Errorf("new version: %s", short(v))
		}
		one = obj(e.do(call{name: "briefers rule after", op: "GET /rules/{code}", method: "GET", path: "/rules/briefers", status: 200}))
		if fmt.Sprint(obj(one["in_force"])["version"]) != "2" || len(list(one["history"])) != 2 {
			t.Errorf("after the new version: %s", short(one))
		}
		// Nothing refused was stored.
		vs, _ := db.RuleVersions(t.Context(), concord.DefaultProcessCode)
		if n := len(vs); n != len(before)+1 {
			t.Errorf("%d versions stored, want %d", n, len(before)+1)
		}
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Rules")) })
	})
}
