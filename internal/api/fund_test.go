package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestFundResponsesMatchSchemas plays the Voluntary Fund through the API
// and checks every answer against the document: a call, an application
// refused with every problem at once, a double submission, an application
// to a closed call, screening, a review, an award, a disbursement and a
// report; and, role by role, that the review's comment reaches no one but
// the Secretariat and the committee, and that another State and the public
// do not find the application before its award.
func TestFundResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "ken", Role: concord.RoleDelegate, State: "KEN"})
		createUser(t, db, concord.User{Username: "bra", Role: concord.RoleDelegate, State: "BRA"})
		createUser(t, db, concord.User{Username: "nor", Role: concord.RoleDelegate, State: "NOR"})
		for _, u := range []string{"sec", "ken", "bra", "nor"} {
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
		// The demo's own awards count in the totals too.
		awardedBefore, _ := obj(send("summary before", "GET /fund", "GET", "/fund", "", nil, 200, ""))["awarded"].(json.Number).Int64()
		callBody := map[string]any{"title": "Incident response 2027", "area": "pillar.capacity", "opens": "2000-01-01T00:00:00Z",
			"closes": "2100-01-01T00:00:00Z", "amount": 200000, "reviewers": []string{"nor"}}
		send("call by a State", "POST /fund/calls", "POST", "/fund/calls", "ken", callBody, 403, "")
		send("bad call", "POST /fund/calls", "POST", "/fund/calls", "sec", with(callBody, "reviewers", []string{"ghost"}), 422, "reviewers")
		c := obj(send("open call", "POST /fund/calls", "POST", "/fund/calls", "sec", callBody, 201, ""))
		cid := fmt.Sprint(c["id"])
		closed := obj(send("closed call", "POST /fund/calls", "POST", "/fund/calls", "sec", with(callBody, "closes", "2001-01-01T00:00:00Z"), 201, ""))
		if pub := obj(send("call as the public", "GET /fund/calls/{id}", "GET", "/fund/calls/"+cid, "", nil, 200, "")); obj(pub["call"])["reviewers"] != nil {
			t.Errorf("the public sees the committee: %v", pub)
		}

		// The call changed: by a State, unknown, everything wrong, then
		// the title corrected (below, once applications exist, the rules
		// that protect them).
		send("edit by a State", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "ken", callBody, 403, "")
		send("edit unknown call", "PUT /fund/calls/{id}", "PUT", "/fund/calls/999999", "sec", callBody, 404, "")
		send("edit badly", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(with(callBody, "title", ""), "amount", 0), 422, "title")
		if got := obj(send("edit", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(callBody, "title", "Incident response 2027 (revised)"), 200, "")); got["title"] != "Incident response 2027 (revised)" || got["id"] != c["id"] {
			t.Errorf("edited call %v", got)
		}
		callBody = with(callBody, "title", "Incident response 2027 (revised)")

		app := map[string]any{"project": "A national CERT", "summary": "Train twelve analysts.", "area": "pillar.capacity", "amount": 90000}
		send("developed State", "POST /fund/calls/{id}/applications", "POST", "/fund/calls/"+cid+"/applications", "nor", app, 422, "state")
		send("after the close", "POST /fund/calls/{id}/applications", "POST", "/fund/calls/"+fmt.Sprint(closed["id"])+"/applications", "ken", app, 422, "call")
		send("everything wrong", "POST /fund/calls/{id}/applications", "POST", "/fund/calls/"+cid+"/applications", "ken", map[string]any{"amount": 900000}, 422, "project")
		a := obj(send("apply", "POST /fund/calls/{id}/applications", "POST", "/fund/calls/"+cid+"/applications", "ken", app, 201, ""))
		send("apply twice", "POST /fund/calls/{id}/applications", "POST", "/fund/calls/"+cid+"/applications", "ken", app, 409, "")
		aid := fmt.Sprint(a["id"])
		path := "/fund/applications/" + aid
		for _, as := range []string{"", "bra"} {
			send("before the award as "+as, "GET /fund/applications/{id}", "GET", path, as, nil, 404, "")
		}
		send("screen by the applicant", "POST /fund/applications/{id}/screening", "POST", path+"/screening", "ken", map[string]any{"eligible": true}, 403, "")
		send("screen", "POST /fund/applications/{id}/screening", "POST", path+"/screening", "sec", map[string]any{"eligible": true}, 200, "")
		send("review by the applicant", "POST /fund/applications/{id}/reviews", "POST", path+"/reviews", "ken", map[string]any{"score": 5}, 403, "")
		send("bad score", "POST /fund/applications/{id}/reviews", "POST", path+"/reviews", "nor", map[string]any{"score": 9}, 422, "score")
		send("review", "POST /fund/applications/{id}/reviews", "POST", path+"/reviews", "nor", map[string]any{"score": 4, "comment": "SECRET-REMARK budget thin"}, 200, "")
		send("award too much", "POST /fund/applications/{id}/award", "POST", path+"/award", "sec", map[string]any{"amount": 500000}, 422, "amount")
		send("award", "POST /fund/applications/{id}/award", "POST", path+"/award", "sec", map[string]any{"amount": 80000}, 200, "")
		send("budget below the award", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(callBody, "amount", 79999), 422, "amount")
		send("deadline moved earlier", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(callBody, "closes", "2099-01-01T00:00:00Z"), 422, "closes")
		send("reviewer with a review removed", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(callBody, "reviewers", []string{}), 422, "reviewers")
		if got := obj(send("deadline extended", "PUT /fund/calls/{id}", "PUT", "/fund/calls/"+cid, "sec", with(callBody, "closes", "2101-01-01T00:00:00Z"), 200, "")); got["closes"] != "2101-01-01T00:00:00Z" {
			t.Errorf("extended call %v", got)
		}
		send("disburse", "POST /fund/applications/{id}/disbursements", "POST", path+"/disbursements", "sec", map[string]any{"amount": 30000, "note": "First tranche"}, 201, "")
		send("report by another State", "POST /fund/applications/{id}/reports", "POST", path+"/reports", "bra", map[string]any{"text": "x"}, 403, "")
		send("report", "POST /fund/applications/{id}/reports", "POST", path+"/reports", "ken", map[string]any{"text": "Twelve analysts trained."}, 201, "")

		// Role by role: the comment reaches the Secretariat and the
		// committee only, through any operation.
		for _, as := range []string{"", "ken", "bra", "nor", "sec"} {
			var seen []string
			for _, p := range []string{"/fund", "/fund/calls/" + cid, path} {
				op := map[string]string{"/fund": "GET /fund", "/fund/calls/" + cid: "GET /fund/calls/{id}", path: "GET /fund/applications/{id}"}[p]
				seen = append(seen, fmt.Sprint(send(op+" as "+as, op, "GET", p, as, nil, 200, "")))
			}
			leaked := strings.Contains(strings.Join(seen, " "), "SECRET-REMARK")
			if want := as == "sec" || as == "nor"; leaked != want {
				t.Errorf("%q sees the review: %v", as, leaked)
			}
		}
		if pub := obj(send("award as the public", "GET /fund/applications/{id}", "GET", path, "", nil, 200, "")); pub["reviews"] != nil || pub["screening"] != nil || len(list(pub["reports"])) != 0 {
			t.Errorf("the public sees more than the award: %v", pub)
		}
		sum := obj(send("summary", "GET /fund", "GET", "/fund", "", nil, 200, ""))
		if awarded, _ := sum["awarded"].(json.Number).Int64(); awarded-awardedBefore != 80000 || len(list(sum["by_region"])) != 1 {
			t.Errorf("summary %v", sum)
		}
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Voluntary Fund")) })
	})
}
