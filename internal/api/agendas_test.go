package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
)

func TestAgendaResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testAgendaResponses)
}

// testAgendaResponses reads the demo's July agenda, issues and edits a
// session's agenda, puts versions to adoption and reads the outcome through
// the API, checking every answer (successes and refusals) against the
// document.
func testAgendaResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "irn", Role: concord.RoleDelegate, State: "IRN"})
	e.signIn("chair")
	e.signIn("sec")
	e.signIn("irn")
	const (
		opList    = "GET /agendas"
		opCreate  = "POST /agendas"
		opGet     = "GET /agendas/{id}"
		opPut     = "PUT /agendas/{id}"
		opAdopt   = "POST /agendas/{id}/adoption"
		opSession = "GET /sessions/{code}/agenda"
		opDiff    = "GET /sessions/{code}/diff"
	)
	get := func(name, op, path string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, status: status, field: field}))
	}
	send := func(name, op, method, path, as string, body any, status int, field string) map[string]any {
		t.Helper()
		c := call{name: name, op: op, method: method, path: path, as: as, status: status, field: field}
		if body != nil {
			c.ct, c.body = "application/json", jsonBody(body)
		}
		return obj(e.do(c))
	}
	idOf := func(m map[string]any) string { return fmt.Sprint(m["id"]) }

	// The demo: v1 not adopted, the session proceeds informally on it.
	if l := get("all versions", opList, "/agendas", 200, ""); l["total"] != json.Number("2") {
		t.Errorf("versions: %s", short(l))
	}
	l := get("one session", opList, "/agendas?session=gm-2026-1", 200, "")
	items := list(l["items"])
	if len(items) != 2 {
		t.Fatalf("demo session: %s", short(l))
	}
	v1, v2 := obj(items[0]), obj(items[1])
	get("bad session code", opList, "/agendas?session=a%20b", 422, "session")
	s := get("session agenda", opSession, "/sessions/"+seed.AgendaSession+"/agenda", 200, "")
	if s["state"] != "not_adopted_proceed_informally" || s["informal"] != true || obj(s["basis"])["version"] != json.Number("1") {
		t.Errorf("demo session: %s", short(s))
	}
	get("no such session", opSession, "/sessions/NO-SUCH/agenda", 404, "")
	d := get("diff by default", opDiff, "/sessions/"+seed.AgendaSession+"/diff", 200, "")
	if ch := list(d["changes"]); len(ch) != 1 || obj(ch[0])["to_number"] != "5" || len(list(obj(ch[0])["languages"])) != 6 {
		t.Errorf("diff v1 -> v2: %s", short(d))
	}
	get("diff from a version to itself", opDiff, "/sessions/"+seed.AgendaSession+"/diff?from=2&to=2", 200, "")
	get("diff from a word", opDiff, "/sessions/"+seed.AgendaSession+"/diff?from=x", 422, "from")
	get("diff to no version", opDiff, "/sessions/"+seed.AgendaSession+"/diff?from=1&to=9", 422, "to")
	get("diff of no session", opDiff, "/sessions/NO-SUCH/diff", 404, "")
	if a := get("v1", opGet, "/agendas/"+idOf(v1), 200, ""); a["decision_id"] == nil || obj(a["adoption"])["state"] != "not_adopted_proceed_informally" {
		t.Errorf("v1: %s", short(a))
	}
	if a := get("v2", opGet, "/agendas/"+idOf(v2), 200, ""); a["decision_id"] != nil || a["adoption"] != nil || len(list(a["warnings"])) != 1 {
		t.Errorf("v2: %s", short(a))
	}
	get("no such version", opGet, "/agendas/999999", 404, "")
	get("malformed id", opGet, "/agendas/abc", 422, "id")

	// A new session's agenda.
	item := func(n, en, ar string) map[string]any {
		return map[string]any{"number": n, "title": map[string]string{"en": en, "ar": ar}}
	}
	good := map[string]any{"session": "GM-2026-2", "items": []any{item("1", "Opening of the session", "افتتاح الدورة"), item("2", "Adoption of the agenda", "إقرار جدول الأعمال")}}
	send("as a delegate", opCreate, "POST", "/agendas", "irn", good, 403, "")
	send("signed out", opCreate, "POST", "/agendas", "", good, 401, "")
	send("no items", opCreate, "POST", "/agendas", "chair", map[string]any{"session": "GM-2026-2", "items": []any{}}, 422, "items")
	send("duplicate numbers", opCreate, "POST", "/agendas", "chair", map[string]any{"session": "GM-2026-2", "items": []any{item("1", "a", ""), item("1", "b", "")}}, 422, "items[1].number")
	send("unknown language", opCreate, "POST", "/agendas", "chair", map[string]any{"session": "GM-2026-2", "items": []any{map[string]any{"number": "1", "title": map[string]string{"la": "Ordo"}}}}, 422, "items[0].title")
	send("unknown field", opCreate, "POST", "/agendas", "chair", map[string]any{"session": "GM-2026-2", "items": []any{}, "colour": "red"}, 422, "colour")
	send("bad session code", opCreate, "POST", "/agendas", "chair", map[string]any{"session": "GM 2026", "items": good["items"]}, 422, "session")
	e.do(call{name: "huge body", op: opCreate, method: "POST", path: "/agendas", as: "chair", ct: "application/json",
		body: bytes.NewReader([]byte(`{"session":"GM-2026-2","items":[{"number":"1","title":{"en":"` + strings.Repeat("x", 2<<20) + `"}}]}`)), status: 413})
	e.do(call{name: "not JSON", op: opCreate, method: "POST", path: "/agendas", as: "chair", ct: "text/plain", body: bytes.NewReader([]byte("x")), status: 415})
	if l := get("nothing saved", opList, "/agendas?session=GM-2026-2", 200, ""); l["total"] != json.Number("0") {
		t.Fatalf("failed requests saved a version: %s", short(l))
	}
	n1 := send("issue v1", opCreate, "POST", "/agendas", "chair", good, 201, "")
	if n1["version"] != json.Number("1") || n1["state"] != "provisional" || n1["decision_id"] != nil {
		t.Errorf("v1 of GM-2026-2: %s", short(n1))
	}
	edit := map[string]any{"items": []any{item("1", "Opening of the session", "افتتاح الدورة"), item("2", "Adoption of the agenda", "إقرار جدول الأعمال"), item("3", "Organization of work", "تنظيم الأعمال")}}
	send("edit as a delegate", opPut, "PUT", "/agendas/"+idOf(n1), "irn", edit, 403, "")
	if a := send("edit", opPut, "PUT", "/agendas/"+idOf(n1), "sec", edit, 200, ""); len(list(a["items"])) != 3 {
		t.Errorf("edited: %s", short(a))
	}
	send("edit no version", opPut, "PUT", "/agendas/999999", "sec", edit, 404, "")
	send("put as a delegate", opAdopt, "POST", "/agendas/"+idOf(n1)+"/adoption", "irn", nil, 403, "")
	a := send("put to adoption", opAdopt, "POST", "/agendas/"+idOf(n1)+"/adoption", "chair", nil, 201, "")
	if a["pending"] != true || a["decision_id"] == nil || obj(a["rule"])["version"] != json.Number("1") {
		t.Errorf("under adoption: %s", short(a))
	}
	send("put twice", opAdopt, "POST", "/agendas/"+idOf(n1)+"/adoption", "chair", nil, 409, "id")
	send("edit after adoption", opPut, "PUT", "/agendas/"+idOf(n1), "sec", edit, 409, "id")
	n2 := send("issue v2 while v1 is pending", opCreate, "POST", "/agendas", "chair", good, 201, "")
	send("second adoption while pending", opAdopt, "POST", "/agendas/"+idOf(n2)+"/adoption", "chair", nil, 409, "session")
	send("no such version to adopt", opAdopt, "POST", "/agendas/999999/adoption", "chair", nil, 404, "")

	// After "not adopted", the demo's v2 may be put to adoption; the Chair
	// finds no objection: adopted, and the session works on it.
	send("v1 again", opAdopt, "POST", "/agendas/"+idOf(v1)+"/adoption", "chair", nil, 409, "id")
	a = send("put the demo's v2", opAdopt, "POST", "/agendas/"+idOf(v2)+"/adoption", "sec", nil, 201, "")
	e.do(call{name: "Chair decides", op: "POST /decisions/{id}/acts", method: "POST", path: "/decisions/" + fmt.Sprint(a["decision_id"]) + "/acts", as: "chair",
		ct: "application/json", body: jsonBody(map[string]any{"kind": "decide"}), status: 201})
	s = get("session agenda, adopted", opSession, "/sessions/gm-2026-1/agenda", 200, "")
	if s["state"] != "adopted" || s["informal"] != false || obj(s["basis"])["version"] != json.Number("2") {
		t.Errorf("after adoption: %s", short(s))
	}
	send("new version after adoption", opCreate, "POST", "/agendas", "chair", map[string]any{"session": seed.AgendaSession, "items": good["items"]}, 409, "session")

	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Agendas")) })
}
