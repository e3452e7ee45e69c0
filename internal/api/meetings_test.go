package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
)

func TestMeetingResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testMeetingResponses)
}

// testMeetingResponses reads the demo calendar, creates, edits, opens and
// cancels meetings through the API, and checks every answer (successes and
// refusals) against the document.
func testMeetingResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "irn", Role: concord.RoleDelegate, State: "IRN"})
	e.signIn("chair")
	e.signIn("sec")
	e.signIn("irn")
	const (
		opList   = "GET /meetings"
		opCreate = "POST /meetings"
		opGet    = "GET /meetings/{id}"
		opPatch  = "PATCH /meetings/{id}"
		opStatus = "POST /meetings/{id}/status"
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

	// The demo: the July plenary is past and linked to its agenda session.
	past := get("past", opList, "/meetings?when=past&body=plenary", 200, "")
	var july map[string]any
	for _, m := range list(past["items"]) {
		if obj(m)["session"] == seed.AgendaSession {
			july = obj(m)
		}
	}
	if july == nil || july["status"] != "concluded" || july["start_local"] != "2026-07-20T10:00:00-04:00" || july["start"] != "2026-07-20T14:00:00Z" {
		t.Fatalf("July plenary: %s", short(july))
	}
	if up := get("upcoming", opList, "/meetings?limit=1", 200, ""); up["limit"] != json.Number("1") || len(list(up["items"])) > 1 {
		t.Errorf("limit 1: %s", short(up))
	}
	get("unknown body", opList, "/meetings?body=council", 422, "body")
	get("bad when", opList, "/meetings?when=tomorrow", 422, "when")
	get("no such meeting", opGet, "/meetings/999999", 404, "")

	good := map[string]any{"body": "chair", "kind": "informal-consultation", "title": map[string]string{"en": "Informal consultation on the DTGs", "ar": "مشاورة غير رسمية بشأن الأفرقة المواضيعية"},
		"start": "2027-02-10T10:00:00-05:00", "end": "2027-02-10T13:00:00-05:00", "venue": "United Nations Headquarters, New York", "room": "Conference Room 7"}
	send("as a delegate", opCreate, "POST", "/meetings", "irn", good, 403, "")
	send("unauthenticated", opCreate, "POST", "/meetings", "", good, 401, "")
	plenary := map[string]any{"body": "plenary", "kind": "substantive", "title": map[string]string{"en": "x"}, "start": "2027-07-19T10:00:00-04:00", "end": "2027-07-23T18:00:00-04:00", "venue": "UNHQ"}
	send("the Chair for the plenary", opCreate, "POST", "/meetings", "chair", plenary, 403, "")
	bad := map[string]any{"body": "plenary", "kind": "substantive", "title": map[string]string{"en": "x"}, "zone": "Mars/Base",
		"start": "2027-07-19T10:00:00-04:00", "end": "2027-07-18T18:00:00-04:00", "venue": "UNHQ", "session": "NO-SUCH"}
	if b := send("every problem at once", opCreate, "POST", "/meetings", "sec", bad, 422, "zone"); len(list(b["errors"])) != 3 {
		t.Errorf("errors: %s", short(b))
	}
	send("not a time", opCreate, "POST", "/meetings", "sec", map[string]any{"body": "plenary", "kind": "substantive", "title": map[string]string{"en": "x"}, "start": "tomorrow", "end": "2027-07-18T18:00:00-04:00", "venue": "UNHQ"}, 422, "start")
	send("unknown body", opCreate, "POST", "/meetings", "sec", map[string]any{"body": "council", "kind": "substantive", "title": map[string]string{"en": "x"}, "start": "2027-07-19T10:00:00-04:00", "end": "2027-07-23T18:00:00-04:00", "venue": "UNHQ"}, 422, "body")
	send("unknown field", opCreate, "POST", "/meetings", "sec", map[string]any{"colour": "red"}, 422, "colour")

	m := send("the Chair's consultation", opCreate, "POST", "/meetings", "chair", good, 201, "")
	if m["status"] != "scheduled" || m["attendance"] != "states" || m["zone"] != "America/New_York" || m["sequence"] != json.Number("0") || m["session"] != nil {
		t.Errorf("created: %s", short(m))
	}
	clash := send("same room, same time", opCreate, "POST", "/meetings", "sec", good, 201, "")
	if w := list(clash["warnings"]); len(w) != 1 || obj(w[0])["key"] != "meeting.warning.room_overlap" {
		t.Errorf("clash: %s", short(clash))
	}
	p := send("move it", opPatch, "PATCH", "/meetings/"+idOf(m), "chair", map[string]any{"start": "2027-02-11T10:00:00-05:00", "end": "2027-02-11T13:00:00-05:00"}, 200, "")
	if p["sequence"] != json.Number("1") || p["start"] != "2027-02-11T15:00:00Z" || obj(p["title"])["ar"] == nil {
		t.Errorf("patched: %s", short(p))
	}
	send("end before start", opPatch, "PATCH", "/meetings/"+idOf(m), "chair", map[string]any{"end": "2027-02-11T09:00:00-05:00"}, 422, "end")
	send("to the plenary", opPatch, "PATCH", "/meetings/"+idOf(m), "chair", map[string]any{"body": "plenary"}, 403, "")
	send("patch as a delegate", opPatch, "PATCH", "/meetings/"+idOf(m), "irn", map[string]any{"room": "x"}, 403, "")
	send("patch none", opPatch, "PATCH", "/meetings/999999", "sec", map[string]any{"room": "x"}, 404, "")
	send("open too early", opStatus, "POST", "/meetings/"+idOf(m)+"/status", "chair", map[string]string{"status": "in_progress"}, 409, "status")
	c := send("cancel", opStatus, "POST", "/meetings/"+idOf(m)+"/status", "chair", map[string]string{"status": "cancelled"}, 200, "")
	if c["status"] != "cancelled" || c["sequence"] != json.Number("2") || len(list(c["open_acts"])) != 0 {
		t.Errorf("cancelled: %s", short(c))
	}
	send("edit a cancelled meeting", opPatch, "PATCH", "/meetings/"+idOf(m), "chair", map[string]any{"room": "Conference Room 8"}, 409, "status")
	send("unknown status", opStatus, "POST", "/meetings/"+idOf(clash)+"/status", "sec", map[string]string{"status": "adjourned"}, 422, "status")
	if g := get("cancelled", opGet, "/meetings/"+idOf(m), 200, ""); g["room"] != "Conference Room 7" || g["sequence"] != json.Number("2") {
		t.Errorf("after refused edit: %s", short(g))
	}
	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Meetings")) })
}
