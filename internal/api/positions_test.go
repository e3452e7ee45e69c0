package api_test

import (
	"fmt"
	"testing"

	"concord"
	"concord/internal/store"
)

func TestPositionResponsesMatchSchemas(t *testing.T) {
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

	path := "/statements/" + fmt.Sprint(irn["statement"]) + "/withdraw"
	withdraw("the public", path, "", 401)
	withdraw("another State", path, "fra", 403)
	st := withdraw("the Secretariat", path, "sec", 200)
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
