package api_test

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

func TestBrieferResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testBrieferResponses)
}

// testBrieferResponses runs a briefer round through the API on a clock the
// test moves (France nominates, Germany's nominee is objected to by Russia,
// France withdraws, a third is confirmed at the deadline) and checks every
// answer against the document; every Briefers operation must succeed once.
func testBrieferResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	var clock atomic.Int64
	start := time.Now().UTC().Truncate(time.Second)
	clock.Store(start.UnixNano())
	db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	advance := func(d time.Duration) { clock.Add(int64(d)) }
	for _, u := range []concord.User{{Username: "sec", Role: concord.RoleSecretariat}, {Username: "chair", Role: concord.RoleChair},
		{Username: "fra", Role: concord.RoleDelegate, State: "FRA"}, {Username: "deu", Role: concord.RoleDelegate, State: "DEU"},
		{Username: "rus", Role: concord.RoleDelegate, State: "RUS"}} {
		createUser(t, db, u)
		e.signIn(u.Username)
	}
	meeting := start.AddDate(0, 0, 40).Format(time.DateOnly)
	post := func(name, as string, body any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "POST /briefers", method: "POST", path: "/briefers", as: as, ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	nom := func(name string) map[string]any {
		return map[string]any{"name": name, "affiliation": "CERT.br", "expertise": "Incident response.", "dtg": "DTG-1", "meeting_date": meeting}
	}
	a := post("France nominates", "fra", nom("Ana Beatriz Costa"), 201, "")
	if a["state"] != "nominated" || a["deadline"] == nil || obj(a["nomination"])["nominated_by"] != "FRA" || obj(a["result"])["outcome"] != "pending" {
		t.Errorf("nomination: %s", short(a))
	}
	aid, adec := fmt.Sprint(a["id"]), fmt.Sprint(a["decision_id"])
	other := nom("Kenji Sato")
	other["nominated_by"] = "DEU"
	post("France for Germany", "fra", other, 403, "nominated_by")
	post("the Chair", "chair", nom("Kenji Sato"), 403, "nominated_by")
	post("the public", "", nom("Kenji Sato"), 401, "")
	noName := nom("")
	post("missing name", "fra", noName, 422, "name")
	bad := nom("Kenji Sato")
	bad["dtg"] = "DTG3"
	post("unknown DTG", "fra", bad, 422, "dtg")
	bad = nom("Kenji Sato")
	bad["meeting_date"] = "2020-01-01"
	post("past meeting", "fra", bad, 422, "meeting_date")
	post("duplicate", "fra", nom(" ana beatriz COSTA"), 409, "name")
	huge := nom("Kenji Sato")
	huge["expertise"] = strings.Repeat("x", 2<<20)
	post("huge payload", "fra", huge, 413, "")
	post("unknown field", "fra", map[string]any{"name": "X", "colour": "red"}, 422, "colour")
	b := post("the Secretariat for Germany", "sec", other, 201, "")
	bid := fmt.Sprint(b["id"])

	advance(time.Hour)
	e.do(call{name: "Russia objects", op: "POST /decisions/{id}/positions", method: "POST", path: fmt.Sprintf("/decisions/%v/positions", b["decision_id"]), as: "rus",
		ct: "application/json", body: jsonBody(map[string]string{"kind": "objection", "text": "External briefers need the case-by-case agreement of Member States.", "lang": "en"}), status: 201})
	got := obj(e.do(call{name: "objected nomination", op: "GET /briefers/{id}", method: "GET", path: "/briefers/" + bid, status: 200}))
	if got["state"] != "rejected" || len(list(got["objections"])) != 1 || obj(list(got["objections"])[0])["state"] != "RUS" {
		t.Errorf("objected: %s", short(got))
	}
	e.do(call{name: "no such nomination", op: "GET /briefers/{id}", method: "GET", path: "/briefers/999999", status: 404})
	e.do(call{name: "malformed id", op: "GET /briefers/{id}", method: "GET", path: "/briefers/x", status: 422, field: "id"})
	l := obj(e.do(call{name: "list of DTG 1", op: "GET /briefers", method: "GET", path: "/briefers?dtg=DTG-1&meeting=DTG-1-" + meeting, status: 200}))
	if len(list(l["items"])) != 2 {
		t.Errorf("%d nominations for the meeting, want 2", len(list(l["items"])))
	}
	e.do(call{name: "list", op: "GET /briefers", method: "GET", path: "/briefers", status: 200})
	e.do(call{name: "list of an unknown DTG", op: "GET /briefers", method: "GET", path: "/briefers?dtg=DTG9", status: 422, field: "dtg"})
	sims := obj(e.do(call{name: "simulation", op: "GET /briefers/{id}/simulation", method: "GET", path: "/briefers/" + bid + "/simulation", status: 200}))
	if items := list(sims["items"]); len(items) != 3 || obj(items[0])["state"] != "confirmed" || obj(items[1])["state"] != "rejected" {
		t.Errorf("simulation: %s", short(sims))
	}

	withdraw := func(name, as, id string, body any, status int) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "POST /briefers/{id}/withdrawal", method: "POST", path: "/briefers/" + id + "/withdrawal", as: as, ct: "application/json", body: jsonBody(body), status: status}))
	}
	withdraw("Germany withdraws France's nominee", "deu", aid, map[string]string{}, 403)
	withdraw("the Chair withdraws", "chair", aid, map[string]string{}, 403)
	w := withdraw("France withdraws", "fra", aid, map[string]string{"note": "La personne n'est plus disponible.", "lang": "fr"}, 201)
	if w["state"] != "withdrawn" || w["outcome"] != "deferred" || obj(w["nomination"])["withdrawal_note"] == "" {
		t.Errorf("withdrawn: %s", short(w))
	}
	withdraw("withdraw twice", "fra", aid, map[string]string{}, 409)
	withdraw("withdraw a rejected nomination", "sec", bid, map[string]string{}, 409)
	e.do(call{name: "position on a withdrawn nomination", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + adec + "/positions", as: "rus",
		ct: "application/json", body: jsonBody(map[string]string{"kind": "objection"}), status: 409, field: "at"})

	// A third nomination is confirmed by silence at its deadline; an
	// objection made at that instant is late.
	c := post("France again", "fra", nom("Wanjiru Kamau"), 201, "")
	dl, err := time.Parse(time.RFC3339, str(c["deadline"]))
	if err != nil {
		t.Fatal(err)
	}
	clock.Store(dl.UnixNano())
	e.signIn("rus") // the session would have expired
	e.do(call{name: "objection at the deadline", op: "POST /decisions/{id}/positions", method: "POST", path: fmt.Sprintf("/decisions/%v/positions", c["decision_id"]), as: "rus",
		ct: "application/json", body: jsonBody(map[string]string{"kind": "objection"}), status: 409, field: "at"})
	if got := obj(e.do(call{name: "confirmed", op: "GET /briefers/{id}", method: "GET", path: fmt.Sprint("/briefers/", c["id"]), status: 200})); got["state"] != "confirmed" {
		t.Errorf("at the deadline: %s", got["state"])
	}
	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Briefers")) })
}
