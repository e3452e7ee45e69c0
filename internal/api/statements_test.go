package api_test

import (
	"fmt"
	"testing"
	"time"

	"concord"
	"concord/internal/meetings"
	"concord/internal/store"
	"concord/meeting"
)

func TestStatementResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testStatementResponses)
}

// testStatementResponses drives the lists of speakers and statements
// through the API as each audience: the demo's item 5, a consultation under
// way where a delegate inscribes itself (not another State, not twice), the
// Chair reorders, the Secretariat marks and records; a delegate submits its
// own statement; every response checked against openapi.json.
func testStatementResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	for _, u := range []string{"sec", "chair", "fra"} {
		e.signIn(u)
	}
	const (
		opSpeakers = "GET /meetings/{id}/speakers"
		opInscribe = "POST /meetings/{id}/speakers"
		opMove     = "POST /speakers/{id}/move"
		opSpoke    = "POST /speakers/{id}/spoke"
		opList     = "GET /statements"
		opRecord   = "POST /statements"
		opGet      = "GET /statements/{id}"
	)
	post := func(name, op, path, as string, body any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "POST", path: path, as: as, ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	get := func(name, op, path, as string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status, field: field}))
	}
	l := get("item 5", opList, "/statements?session=GM-2026-1&item=item-5", "", 200, "")
	items := list(l["items"])
	if len(items) != 5 {
		t.Fatalf("%d statements on item 5", len(items))
	}
	first := obj(items[0])
	if first["on_record"] != false || len(list(first["positions"])) != 1 {
		t.Errorf("statement %v", first)
	}
	get("one", opGet, "/statements/"+fmt.Sprint(first["id"]), "", 200, "")
	get("none", opGet, "/statements/999999", "", 404, "")
	get("bad filter", opList, "/statements?speaker=France!&meeting=0", "", 422, "speaker")
	sp := get("speakers", opSpeakers, "/meetings/"+fmt.Sprint(first["meeting"])+"/speakers", "", 200, "")
	if ls := list(sp["lists"]); len(ls) != 1 || len(list(obj(ls[0])["speakers"])) != 5 {
		t.Errorf("lists %v", sp["lists"])
	}

	now := time.Now().UTC()
	ms := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
	res, err := ms.Create(t.Context(), &concord.User{Role: concord.RoleSecretariat}, meetings.Input{Body: meeting.Chair, Kind: meeting.InformalConsult,
		Title: concord.Text{"en": "Consultation"}, Start: now.Add(-time.Hour), End: now.Add(4 * time.Hour), Venue: "UNHQ"})
	if err != nil {
		t.Fatal(err)
	}
	day := "/meetings/" + fmt.Sprint(res.Meeting.ID) + "/speakers"
	mine := post("inscribe", opInscribe, day, "fra", map[string]any{}, 201, "")
	post("twice", opInscribe, day, "fra", map[string]any{}, 409, "speaker")
	post("another State", opInscribe, day, "fra", map[string]any{"speaker": "IRN"}, 403, "speaker")
	post("the public", opInscribe, day, "", map[string]any{}, 401, "")
	post("not on an agenda", opInscribe, day, "sec", map[string]any{"speaker": "DEU", "item": "item-5"}, 422, "item")
	deu := post("the Secretariat", opInscribe, day, "sec", map[string]any{"speaker": "DEU"}, 201, "")
	moved := post("the Chair reorders", opMove, "/speakers/"+fmt.Sprint(deu["id"])+"/move", "chair", map[string]any{"place": 1}, 200, "")
	if fmt.Sprint(moved["place"]) != "1" {
		t.Errorf("moved %v", moved)
	}
	post("a delegate reorders", opMove, "/speakers/"+fmt.Sprint(deu["id"])+"/move", "fra", map[string]any{"place": 2}, 403, "")
	spoke := post("mark", opSpoke, "/speakers/"+fmt.Sprint(mine["id"])+"/spoke", "sec", map[string]any{"duration": 185, "texts": map[string]string{"fr": "La France **appuie**."}}, 200, "")
	if st := obj(spoke["statement"]); st == nil || fmt.Sprint(obj(spoke["inscription"])["duration"]) != "185" {
		t.Errorf("spoke %v", spoke)
	}
	post("mark twice", opSpoke, "/speakers/"+fmt.Sprint(mine["id"])+"/spoke", "sec", map[string]any{"duration": 10}, 409, "")
	own := post("own statement", opRecord, "/statements", "fra", map[string]any{"meeting": res.Meeting.ID, "kind": "general_statement", "at": now.Format(time.RFC3339),
		"texts": map[string]string{"en": "France's view."}}, 201, "")
	if own["submitted"] != true || own["speaker"] != "FRA" {
		t.Errorf("own %v", own)
	}
	post("another State's statement", opRecord, "/statements", "fra", map[string]any{"meeting": res.Meeting.ID, "speaker": "IRN", "kind": "statement",
		"at": now.Format(time.RFC3339), "texts": map[string]string{"en": "x"}}, 403, "speaker")
	post("every problem", opRecord, "/statements", "sec", map[string]any{"meeting": res.Meeting.ID, "speaker": "XXX", "kind": "speech",
		"at": now.Add(24 * time.Hour).Format(time.RFC3339)}, 422, "speaker")
}
