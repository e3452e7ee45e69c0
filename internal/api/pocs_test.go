package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// TestPOCResponsesMatchSchemas plays the directory and a ping round through
// the API and checks every answer (successes, refusals, a link used twice
// or with a forged token) against the document; a State's results reach
// that State and the Secretariat only.
func TestPOCResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		createUser(t, db, concord.User{Username: "deu", Role: concord.RoleDelegate, State: "DEU"})
		for _, u := range []string{"sec", "fra", "deu"} {
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
		sum := obj(send("summary", "GET /poc", "GET", "/poc", "", nil, 200, ""))
		if sum["nominated_states"] != float64(120) && fmt.Sprint(sum["nominated_states"]) != "120" {
			t.Errorf("summary %v", sum)
		}
		send("directory, public", "GET /poc/directory", "GET", "/poc/directory", "", nil, 401, "")
		dir := obj(send("directory", "GET /poc/directory", "GET", "/poc/directory?state=FRA", "deu", nil, 200, ""))
		if len(list(dir["items"])) == 0 {
			t.Fatalf("FRA's POCs: %v", dir)
		}
		poc := map[string]any{"kind": "diplomatic", "name": "Léa Martin", "function": "ANSSI duty officer", "email": "lea@anssi.test",
			"phone": "+33 1 71 75 84 68", "languages": []string{"fr", "en"}, "hours": "24/7"}
		send("bad nomination", "POST /poc", "POST", "/poc", "fra", map[string]any{"kind": "x", "name": "", "function": "", "email": "", "phone": "", "languages": []string{}}, 422, "kind")
		deuPOC := with(poc, "state", "DEU")
		send("another State's", "POST /poc", "POST", "/poc", "fra", deuPOC, 403, "state")
		created := obj(send("nominate", "POST /poc", "POST", "/poc", "fra", poc, 201, ""))
		id := fmt.Sprint(created["id"])
		if created["state"] != "FRA" {
			t.Errorf("nominated for %v", created["state"])
		}
		// The demo gave France one diplomatic POC: a third is refused.
		send("third diplomatic", "POST /poc", "POST", "/poc", "fra", with(poc, "email", "third@anssi.test"), 409, "kind")
		send("get", "GET /poc/contacts/{id}", "GET", "/poc/contacts/"+id, "sec", nil, 200, "")
		send("edit by DEU", "PUT /poc/contacts/{id}", "PUT", "/poc/contacts/"+id, "deu", poc, 403, "state")
		send("edit", "PUT /poc/contacts/{id}", "PUT", "/poc/contacts/"+id, "fra", with(poc, "hours", "Mon-Fri"), 200, "")
		other := obj(send("nominate a second", "POST /poc", "POST", "/poc", "sec", with(with(poc, "state", "DEU"), "email", "x@bsi.test"), 201, ""))
		send("remove", "DELETE /poc/contacts/{id}", "DELETE", "/poc/contacts/"+fmt.Sprint(other["id"]), "deu", nil, 204, "")

		now := db.Now().UTC()
		send("bad round", "POST /poc/rounds", "POST", "/poc/rounds", "sec", map[string]any{"opens": "soon", "deadline": ""}, 422, "opens")
		send("round by a delegate", "POST /poc/rounds", "POST", "/poc/rounds", "fra", map[string]any{"opens": now.Format(time.RFC3339), "deadline": now.Add(time.Hour).Format(time.RFC3339)}, 403, "")
		rd := obj(send("schedule", "POST /poc/rounds", "POST", "/poc/rounds", "sec", map[string]any{"opens": now.Format(time.RFC3339), "deadline": now.Add(48 * time.Hour).Format(time.RFC3339), "note": nil}, 201, ""))
		rid := fmt.Sprint(rd["id"])
		opened := obj(send("open", "POST /poc/rounds/{id}/open", "POST", "/poc/rounds/"+rid+"/open", "sec", nil, 200, ""))
		if opened["status"] != "open" || fmt.Sprint(opened["sent"]) != "181" {
			t.Errorf("opened %v", opened)
		}
		send("open twice", "POST /poc/rounds/{id}/open", "POST", "/poc/rounds/"+rid+"/open", "sec", nil, 409, "")
		tokens := mailTokens(t, db)
		if len(tokens) != 181 {
			t.Fatalf("%d links mailed, want 181", len(tokens))
		}
		ack := obj(send("ack", "POST /poc/ack", "POST", "/poc/ack", "", map[string]any{"token": tokens[0], "answered_by": "Duty officer"}, 200, ""))
		send("ack twice", "POST /poc/ack", "POST", "/poc/ack", "", map[string]any{"token": tokens[0]}, 409, "")
		send("forged", "POST /poc/ack", "POST", "/poc/ack", "", map[string]any{"token": "forged"}, 404, "token")
		state := str(ack["state"])

		// Results: the State's own and the Secretariat's; counts for others.
		for _, c := range []struct {
			as     string
			states []string // which States' results the reader gets
		}{{"sec", nil}, {"fra", []string{"FRA"}}, {"deu", []string{"DEU"}}, {"", []string{}}} {
			res := obj(send("results as "+c.as, "GET /poc/rounds/{id}", "GET", "/poc/rounds/"+rid, c.as, nil, 200, ""))
			var got []string
			for _, s := range list(res["states"]) {
				got = append(got, str(obj(s)["state"]))
			}
			if c.states == nil {
				if len(got) != 120 || !slices.Contains(got, state) {
					t.Errorf("the Secretariat sees %d States", len(got))
				}
			} else if !slices.Equal(got, c.states) && !(len(got) == 0 && len(c.states) == 0) {
				t.Errorf("%q sees %v, want %v", c.as, got, c.states)
			}
			if fmt.Sprint(obj(res["round"])["answered"]) != "1" {
				t.Errorf("aggregate %v", res["round"])
			}
		}
		closed := obj(send("close", "POST /poc/rounds/{id}/close", "POST", "/poc/rounds/"+rid+"/close", "sec", nil, 200, ""))
		if closed["status"] != "closed" {
			t.Errorf("closed %v", closed)
		}
		send("late", "POST /poc/ack", "POST", "/poc/ack", "", map[string]any{"token": tokens[1]}, 409, "")
		if strings.Contains(fmt.Sprint(send("public summary", "GET /poc", "GET", "/poc", "", nil, 200, "")), "@") {
			t.Error("an address in the public summary")
		}
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Points of contact")) })
	})
}

// with is m with k set to v (a copy).
func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for x, y := range m {
		out[x] = y
	}
	out[k] = v
	return out
}
