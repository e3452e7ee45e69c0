package api_test

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// TestExerciseResponsesMatchSchemas plays an exercise through the API on a
// clock the test moves and checks every answer against the document: set
// up (every problem at once first), injects, a response refused before the
// release, to a non-participant and after the end, who sees what live and
// after, the debrief published.
func TestExerciseResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var clock atomic.Int64
		at := func(s string) {
			tm, _ := time.Parse(time.RFC3339, s)
			clock.Store(tm.UnixNano())
		}
		at("2026-12-09T10:00:00Z")
		db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		createUser(t, db, concord.User{Username: "deu", Role: concord.RoleDelegate, State: "DEU"})
		for _, u := range []string{"sec", "chair", "fra", "deu"} {
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
		send("bad exercise", "POST /exercises", "POST", "/exercises", "sec", map[string]any{"setting": "game", "start": "soon", "states": []string{"XXX"}}, 422, "start")
		send("exercise by a delegate", "POST /exercises", "POST", "/exercises", "fra", map[string]any{}, 403, "")
		ex := obj(send("set up", "POST /exercises", "POST", "/exercises", "chair", map[string]any{"setting": "dtg", "title": map[string]string{"en": "Attack on a power grid"},
			"narrative": map[string]string{"en": "The grid fails.", "fr": "Le réseau tombe."}, "states": []string{"FRA", "KEN"},
			"start": "2026-12-09T12:00:00Z", "end": "2026-12-09T14:00:00Z"}, 201, ""))
		if ex["facilitator"] != "chair" {
			t.Errorf("the Chair's exercise: %v", ex)
		}
		id := fmt.Sprint(ex["id"])
		base := "/exercises/" + id
		send("inject by the Secretariat", "POST /exercises/{id}/injects", "POST", base+"/injects", "sec", map[string]any{"offset_minutes": 0, "text": "Blackout in the capital."}, 201, "")
		send("inject by a delegate", "POST /exercises/{id}/injects", "POST", base+"/injects", "fra", map[string]any{"offset_minutes": 0, "text": "x"}, 403, "")
		send("inject out of range", "POST /exercises/{id}/injects", "POST", base+"/injects", "chair", map[string]any{"offset_minutes": 500, "text": ""}, 422, "offset")
		send("second inject", "POST /exercises/{id}/injects", "POST", base+"/injects", "chair", map[string]any{"offset_minutes": 30, "text": "A group claims the attack."}, 201, "")
		at("2026-12-09T12:10:00Z")
		send("before release", "PUT /exercises/{id}/injects/{no}/response", "PUT", base+"/injects/2/response", "fra", map[string]any{"text": "Early"}, 409, "")
		send("non-participant", "PUT /exercises/{id}/injects/{no}/response", "PUT", base+"/injects/1/response", "deu", map[string]any{"text": "Us"}, 403, "")
		send("respond", "PUT /exercises/{id}/injects/{no}/response", "PUT", base+"/injects/1/response", "fra", map[string]any{"text": "Our CERT is on it."}, 200, "")
		v := obj(send("participant live", "GET /exercises/{id}", "GET", base, "fra", nil, 200, ""))
		if len(list(v["injects"])) != 1 || len(list(v["responses"])) != 1 || v["phase"] != "live" {
			t.Errorf("participant live: %v", v)
		}
		for _, as := range []string{"", "deu"} {
			v := obj(send("outsider live "+as, "GET /exercises/{id}", "GET", base, as, nil, 200, ""))
			if len(list(v["injects"])) != 0 || len(list(v["responses"])) != 0 {
				t.Errorf("%q sees %v", as, v)
			}
		}
		send("publish early", "PUT /exercises/{id}/debrief", "PUT", base+"/debrief", "chair", map[string]any{"debrief": "x", "published": true}, 422, "published")
		at("2026-12-09T14:00:00Z")
		send("after the end", "PUT /exercises/{id}/injects/{no}/response", "PUT", base+"/injects/2/response", "fra", map[string]any{"text": "Late"}, 409, "")
		send("lesson without norm", "POST /exercises/{id}/lessons", "POST", base+"/lessons", "chair", map[string]any{"norms": []string{}, "text": "", "recommendation": ""}, 422, "norms")
		send("lesson", "POST /exercises/{id}/lessons", "POST", base+"/lessons", "chair", map[string]any{"norms": []string{"norm.f", "norm.g"}, "text": "Grids are critical.", "recommendation": "Exercise yearly."}, 201, "")
		send("debrief", "PUT /exercises/{id}/debrief", "PUT", base+"/debrief", "chair", map[string]any{"debrief": "Well done.", "published": true}, 200, "")
		pub := obj(send("public replay", "GET /exercises/{id}", "GET", base, "", nil, 200, ""))
		if len(list(pub["injects"])) != 2 || len(list(pub["lessons"])) != 1 || len(list(pub["responses"])) != 0 || pub["debrief"] != "Well done." {
			t.Errorf("public after publication: %v", pub)
		}
		l := obj(send("list", "GET /exercises", "GET", "/exercises", "", nil, 200, ""))
		if !slices.ContainsFunc(list(l["items"]), func(x any) bool { return fmt.Sprint(obj(x)["id"]) == id }) {
			t.Errorf("list: %v", l)
		}
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Exercises")) })
	})
}
