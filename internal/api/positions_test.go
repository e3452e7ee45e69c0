package api_test

import (
	"fmt"
	"testing"

	"concord"
	"concord/internal/store"
)

func TestPositionResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testPositionResponses)
}

// testPositionResponses: the register of item 5 and the map over the
// demo, bad input, and withdrawing Iran's statement (not by France, by
// the Secretariat, not twice), every response checked against
// openapi.json.
func testPositionResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	for _, u := range []string{"sec", "fra"} {
		e.signIn(u)
	}
	const (
		opRegister = "GET /sessions/{code}/items/{item}/positions"
		opMap      = "GET /positions/map"
		opWithdraw = "POST /statements/{id}/withdraw"
	)
	get := func(name, op, path string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, status: status, field: field}))
	}
	withdraw := func(name, path, as string, status int) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: opWithdraw, method: "POST", path: path, as: as, status: status}))
	}
	reg := get("register", opRegister, "/sessions/GM-2026-1/items/item-5/positions", 200, "")
	var irn map[string]any
	for _, p := range list(reg["positions"]) {
		if obj(p)["state"] == "IRN" {
			irn = obj(p)
		}
	}
	if irn == nil || irn["kind"] != "reservation" || irn["statement"] == nil {
		t.Fatalf("Iran in the register: %v", reg["positions"])
	}
	get("unknown item", opRegister, "/sessions/GM-2026-1/items/item-99/positions", 404, "")
	m := get("map", opMap, "/positions/map", 200, "")
	if m["session"] != "GM-2026-1" || m["show"] != "both" || len(list(m["columns"])) != 4 || obj(list(m["columns"])[1])["topic"] == nil {
		t.Errorf("map %v", m)
	}
	if m := get("map of items", opMap, "/positions/map?show=items", 200, ""); len(list(m["columns"])) != 1 || obj(list(m["columns"])[0])["item"] != "item-5" {
		t.Errorf("map of items %v", m)
	}
	if m := get("map of topics", opMap, "/positions/map?show=topics&body=plenary", 200, ""); len(list(m["columns"])) != 3 || obj(list(m["columns"])[0])["number"] != "T1" {
		t.Errorf("map of topics %v", m)
	}
	get("bad show", opMap, "/positions/map?show=votes", 422, "show")
	get("bad body", opMap, "/positions/map?body=senate", 422, "body")

	// A DTG topic's register: the EU's support applied to Germany, China's
	// reservation from its statement, Morocco's support from the decision
	// that proposed the topic.
	const opTopic = "GET /topics/{id}/{topic}/positions"
	tr := get("topic register", opTopic, "/topics/3/t1/positions", 200, "")
	byState := map[string]map[string]any{}
	for _, p := range list(tr["positions"]) {
		byState[obj(p)["state"].(string)] = obj(p)
	}
	if tr["dtg"] != "DTG-1" || len(list(tr["decisions"])) != 1 || byState["DEU"]["via"] == nil || byState["CHN"]["kind"] != "reservation" ||
		byState["CHN"]["statement"] == nil || byState["MAR"]["source"] != fmt.Sprintf("decision:%v", list(tr["decisions"])[0]) {
		t.Errorf("topic register %v", tr)
	}
	get("unknown topic", opTopic, "/topics/3/t99/positions", 404, "")
	const opStateTopics = "GET /states/{iso3}/topic-positions"
	fr := get("France's topics", opStateTopics, "/states/fra/topic-positions", 200, "")
	if ps := list(fr["positions"]); fr["state"] != "FRA" || len(ps) != 2 || obj(obj(ps[0])["position"])["via"] == nil || obj(ps[0])["topic"] != "t1" {
		t.Errorf("France's topics %v", fr)
	}
	get("unknown State", opStateTopics, "/states/XXX/topic-positions", 404, "")
	get("malformed topic", opTopic, "/topics/3/x1/positions", 404, "")

	// France states a position on a topic; an unknown topic is refused.
	const opRecord = "POST /statements"
	post := func(name string, body map[string]any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: opRecord, method: "POST", path: "/statements", as: "fra", ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	body := func(ref string) map[string]any {
		return map[string]any{"meeting": 2, "kind": "statement", "at": "2026-07-22T15:00:00Z", "texts": map[string]string{"fr": "La France réserve sa position."},
			"positions": []map[string]any{{"topic": ref, "kind": "reservation"}}}
	}
	post("unknown topic", body("3/t99"), 422, "positions")
	st := post("topic position", body("3/t1"), 201, "")
	if ps := list(st["positions"]); len(ps) != 1 || obj(ps[0])["subject"] != "topic:3/t1" || obj(ps[0])["topic"] != "3/t1" {
		t.Errorf("statement %v", st)
	}
	tr = get("topic register after", opTopic, "/topics/3/t1/positions", 200, "")
	for _, p := range list(tr["positions"]) {
		if obj(p)["state"] == "FRA" && (obj(p)["kind"] != "reservation" || obj(p)["via"] != nil) {
			t.Errorf("France on the topic %v", p)
		}
	}

	path := "/statements/" + fmt.Sprint(irn["statement"]) + "/withdraw"
	withdraw("the public", path, "", 401)
	withdraw("another State", path, "fra", 403)
	st = withdraw("the Secretariat", path, "sec", 200)
	if st["withdrawn"] == nil {
		t.Errorf("withdrawn %v", st)
	}
	withdraw("twice", path, "sec", 409)
	reg = get("register after", opRegister, "/sessions/GM-2026-1/items/item-5/positions", 200, "")
	for _, p := range list(reg["positions"]) {
		if obj(p)["state"] == "IRN" {
			t.Error("the withdrawn statement's position still counts")
		}
	}
}
