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

func TestCoFacilitatorResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testCoFacilitatorResponses)
}

// testCoFacilitatorResponses nominates, lists, proposes (refused, then
// accepted), withdraws and reads sets through the API, over the demo, and
// checks every answer against the document.
func testCoFacilitatorResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	for _, u := range []concord.User{{Username: "chair", Role: concord.RoleChair}, {Username: "sec", Role: concord.RoleSecretariat},
		{Username: "fra", Role: concord.RoleDelegate, State: "FRA"}, {Username: "deu", Role: concord.RoleDelegate, State: "DEU"}} {
		createUser(t, db, u)
		e.signIn(u.Username)
	}
	ov := obj(e.do(call{name: "overview", op: "GET /cofacilitators", method: "GET", path: "/cofacilitators", status: 200}))
	if dtgs := list(ov["dtgs"]); len(dtgs) != 2 || str(obj(dtgs[0])["current_term"]) == "" {
		t.Errorf("overview: %s", short(ov))
	}
	noms := obj(e.do(call{name: "nominations", op: "GET /cofacilitators/nominations", method: "GET", path: "/cofacilitators/nominations?dtg=DTG-1&term=2026-2027", status: 200}))
	if len(list(noms["items"])) != 6 || noms["scheme"] != concord.SchemeUNCTAD {
		t.Errorf("DTG-1 2026-2027: %s", short(noms))
	}
	e.do(call{name: "nominations of an unknown group", op: "GET /cofacilitators/nominations", method: "GET", path: "/cofacilitators/nominations?dtg=DTG-7", status: 422, field: "dtg"})
	e.do(call{name: "nominations of a malformed term", op: "GET /cofacilitators/nominations", method: "GET", path: "/cofacilitators/nominations?term=soon", status: 422, field: "term"})

	nominate := func(name, as string, body map[string]any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "POST /cofacilitators/nominations", method: "POST", path: "/cofacilitators/nominations", as: as, ct: "application/json",
			body: jsonBody(body), status: status, field: field}))
	}
	camille := map[string]any{"dtg": "DTG-1", "term": "2028-2029", "person": "Camille Laurent", "gender": "female", "expertise": []string{"norms", "ransomware"}}
	n := nominate("France nominates", "fra", camille, 201, "")
	nid := fmt.Sprint(n["id"])
	if obj(n["nomination"])["state"] != "FRA" || n["group"] != "WEOG" || n["category"] != "developed" {
		t.Errorf("nomination %s", short(n))
	}
	nominate("the same person twice", "fra", camille, 409, "person")
	nominate("for another State", "fra", map[string]any{"dtg": "DTG-1", "term": "2028-2029", "person": "Hans Weber", "state": "DEU"}, 403, "state")
	nominate("the Chair", "chair", map[string]any{"dtg": "DTG-1", "term": "2028-2029", "person": "Hans Weber", "state": "DEU"}, 403, "state")
	nominate("the public", "", camille, 401, "")
	nominate("no term", "fra", map[string]any{"dtg": "DTG-1", "person": "Luc Moreau"}, 422, "term")
	nominate("an observer State", "sec", map[string]any{"dtg": "DTG-1", "term": "2028-2029", "person": "Luca Bianchi", "state": "VAT"}, 422, "state")
	nominate("an unknown field", "fra", map[string]any{"dtg": "DTG-1", "term": "2028-2029", "person": "Luc Moreau", "nationality": "FRA"}, 422, "nationality")

	pairs := func(name, as, query string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "GET /cofacilitators/pairs", method: "GET", path: "/cofacilitators/pairs" + query, as: as, status: status, field: field}))
	}
	ps := pairs("balanced pairs", "chair", "?dtg=DTG-1&term=2028-2029", 200, "")
	for _, p := range list(ps["items"]) {
		for _, x := range list(obj(p)["nominations"]) {
			if st := obj(obj(x)["nomination"])["state"]; st == "SGP" {
				t.Errorf("Singapore held a seat in 2026-2027, yet is suggested: %s", short(p))
			}
		}
	}
	if len(list(ps["items"])) < 2 {
		t.Errorf("pairs: %s", short(ps))
	}
	// Germany and Chile (two women): a warning, with the gender in words.
	fr := pairs("balanced pairs in French", "chair", "?dtg=DTG-1&term=2028-2029&lang=fr", 200, "")
	warned := false
	for _, p := range list(fr["items"]) {
		for _, c := range list(obj(p)["checks"]) {
			if obj(c)["rule"] == "gender_parity" && obj(c)["status"] == "warning" {
				warned = true
				if m := str(obj(c)["message"]); strings.Contains(m, "female") || m == "" {
					t.Errorf("gender parity explained as %q", m)
				}
			}
		}
	}
	if !warned {
		t.Error("no gender parity warning among the pairs")
	}
	pairs("pairs, public", "", "?dtg=DTG-1", 401, "")
	pairs("pairs, a delegate", "fra", "?dtg=DTG-1", 403, "")
	pairs("pairs without a group", "chair", "", 422, "dtg")

	// The next term's nominations by State.
	byState := map[string]json.Number{}
	next := obj(e.do(call{name: "next term", op: "GET /cofacilitators/nominations", method: "GET", path: "/cofacilitators/nominations?dtg=DTG-1&term=2028-2029", status: 200}))
	for _, x := range list(next["items"]) {
		byState[str(obj(obj(x)["nomination"])["state"])] = obj(x)["id"].(json.Number)
	}
	propose := func(name, as, query string, body any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "POST /cofacilitators/sets", method: "POST", path: "/cofacilitators/sets" + query, as: as, ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	refused := propose("Singapore again", "chair", "?lang=fr", map[string]any{"dtg": "DTG-1", "nominations": []json.Number{byState["SGP"], byState["DEU"]}}, 422, "nominations")
	var failed []string
	for _, c := range list(refused["checks"]) {
		if obj(c)["status"] == "fail" {
			failed = append(failed, str(obj(c)["rule"]))
			if msg := str(obj(c)["message"]); !strings.Contains(msg, "SGP (2026-2027)") || strings.HasPrefix(msg, "cofacilitator.") {
				t.Errorf("rotation explained as %q", msg)
			}
		}
	}
	if !slices.Equal(failed, []string{"rotation"}) || len(list(refused["checks"])) != 8 {
		t.Errorf("refused: %s", short(refused))
	}
	propose("a delegate proposes", "fra", "", map[string]any{"dtg": "DTG-1", "nominations": []json.Number{byState["DEU"], byState["NGA"]}}, 403, "")
	propose("no nominations", "chair", "", map[string]any{"dtg": "DTG-1", "nominations": []int{}}, 422, "nominations")
	// Every problem of the choice at once: the group, then each repeated
	// nomination; and in a known group, each unknown nomination.
	many := propose("unknown group and a nomination twice", "chair", "", map[string]any{"dtg": "DTG-7", "nominations": []json.Number{byState["DEU"], byState["DEU"]}}, 422, "dtg")
	if fields := errorFields(many); !slices.Equal(fields, []string{"dtg", "nominations"}) {
		t.Errorf("unknown group and a nomination twice: %s", short(many))
	}
	many = propose("two unknown nominations", "chair", "", map[string]any{"dtg": "DTG-1", "nominations": []int{999998, 999999}}, 422, "nominations")
	if fields := errorFields(many); !slices.Equal(fields, []string{"nominations", "nominations"}) {
		t.Errorf("two unknown nominations: %s", short(many))
	}
	set := propose("Germany and Nigeria", "chair", "", map[string]any{"dtg": "DTG-1", "nominations": []json.Number{byState["DEU"], byState["NGA"]}}, 201, "")
	if set["state"] != "proposed" || obj(set["policy"])["appointment"] != "chair_proposal_silence" || str(obj(set["decision"])["deadline"]) == "" || len(list(set["previous"])) != 4 {
		t.Errorf("set under the silence rule: %s", short(set))
	}
	sid := fmt.Sprint(set["id"])
	propose("a second set for the term", "sec", "", map[string]any{"dtg": "DTG-1", "nominations": []json.Number{byState["DEU"], byState["CHL"]}}, 409, "nominations")

	withdraw := func(name, as, id string, status int) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "POST /cofacilitators/nominations/{id}/withdrawal", method: "POST", path: "/cofacilitators/nominations/" + id + "/withdrawal", as: as, status: status}))
	}
	withdraw("Germany withdraws France's", "deu", nid, 403)
	if w := withdraw("France withdraws", "fra", nid, 200); str(obj(w["nomination"])["withdrawn_at"]) == "" {
		t.Errorf("withdrawn: %s", short(w))
	}
	withdraw("again", "fra", nid, 409)
	withdraw("no such nomination", "sec", "999999", 404)
	withdraw("a candidate of the proposed set", "sec", fmt.Sprint(byState["NGA"]), 409)

	sets := obj(e.do(call{name: "sets of DTG-1", op: "GET /cofacilitators/sets", method: "GET", path: "/cofacilitators/sets?dtg=DTG-1", status: 200}))
	if len(list(sets["items"])) != 2 || fmt.Sprint(obj(list(sets["items"])[0])["id"]) != sid {
		t.Errorf("DTG-1 sets, newest first: %s", short(sets))
	}
	all := obj(e.do(call{name: "every set", op: "GET /cofacilitators/sets", method: "GET", path: "/cofacilitators/sets?term=2026-2027", status: 200}))
	states := map[string]string{}
	for _, s := range list(all["items"]) {
		st := str(obj(s)["state"])
		states[str(obj(obj(s)["policy"])["appointment"])] = st
		// appointed and approved both hold the seats, and say so.
		if want := st == "appointed" || st == "approved"; obj(s)["holds_seats"] != want {
			t.Errorf("set %v in state %s: holds_seats %v, want %v", obj(s)["id"], st, obj(s)["holds_seats"], want)
		}
	}
	if states["chair_appoints"] != "appointed" || states["consensus_approval"] != "blocked" || states["chair_proposal_silence"] != "approved" {
		t.Errorf("the demo's three modes: %v", states)
	}
	e.do(call{name: "sets of a malformed term", op: "GET /cofacilitators/sets", method: "GET", path: "/cofacilitators/sets?term=x", status: 422, field: "term"})
	one := obj(e.do(call{name: "one set", op: "GET /cofacilitators/sets/{id}", method: "GET", path: "/cofacilitators/sets/" + sid + "?lang=ar", status: 200}))
	if len(list(one["simulation"])) != 3 {
		t.Errorf("simulation: %s", short(one))
	}
	// Each simulated mode says whether the set would hold the seats.
	for _, s := range list(one["simulation"]) {
		st := str(obj(s)["state"])
		if want := st == "appointed" || st == "approved"; obj(s)["holds_seats"] != want {
			t.Errorf("simulated %v in state %s: holds_seats %v, want %v", obj(s)["appointment"], st, obj(s)["holds_seats"], want)
		}
	}
	e.do(call{name: "no such set", op: "GET /cofacilitators/sets/{id}", method: "GET", path: "/cofacilitators/sets/999999", status: 404})
	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Co-facilitators")) })
}
