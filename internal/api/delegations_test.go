package api_test

import (
	"slices"
	"strconv"
	"testing"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestDelegationResponsesMatchSchemas plays the delegation page's twins:
// the Secretariat appoints France's delegate manager; the manager reads
// the mission, invites, lets speak and removes a delegate, and is refused
// Germany's mission and the appointments; the Secretariat ends the term,
// after which the manager is refused its own. Every answer is checked
// against the document.
func TestDelegationResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		fra := createUser(t, db, concord.User{Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"})
		// The manager-to-be sets up two-factor sign-in, which the
		// appointment makes required.
		if err := db.Update(t.Context(), "system", func(tx *store.Tx) error { return storetest.EnrolTOTP(tx, fra.ID) }); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"sec", "del-fra"} {
			e.signIn(u)
		}
		e.do(call{name: "appoint, every problem", op: "POST /appointments", method: "POST", path: "/appointments", as: "sec", ct: "application/json",
			body: rawBody(`{"username":"","post":"king","starts_at":"2026-01-01T00:00:00Z"}`), status: 422, field: "username"})
		a := obj(e.do(call{name: "appoint a manager", op: "POST /appointments", method: "POST", path: "/appointments", as: "sec", ct: "application/json",
			body: rawBody(`{"username":"del-fra","post":"delegation-manager","starts_at":"2020-01-01T00:00:00Z"}`), status: 201}))
		if a["scope"] != "FRA" || a["in_force"] != true {
			t.Errorf("appointment %v", a)
		}
		aid := strconv.FormatInt(idOf(a["id"]), 10)
		e.do(call{name: "appointments", op: "GET /appointments", method: "GET", path: "/appointments?past=true", as: "sec", status: 200})
		e.do(call{name: "appointments as a manager", op: "GET /appointments", method: "GET", path: "/appointments", as: "del-fra", status: 403})
		e.do(call{name: "another State's mission", op: "GET /delegations/{iso3}", method: "GET", path: "/delegations/DEU", as: "del-fra", status: 403})
		e.do(call{name: "invite to another State", op: "POST /delegations/{iso3}/delegates", method: "POST", path: "/delegations/DEU/delegates", as: "del-fra",
			ct: "application/json", body: rawBody(`{"username":"spy","email":"spy@deu.test"}`), status: 403})
		d := obj(e.do(call{name: "invite", op: "POST /delegations/{iso3}/delegates", method: "POST", path: "/delegations/fra/delegates", as: "del-fra",
			ct: "application/json", body: rawBody(`{"username":"claire","name":"Claire","email":"claire@fra.test"}`), status: 201}))
		if d["status"] != "invited" || d["may_speak"] != false || d["invite_expires_at"] != nil {
			t.Errorf("invited %v", d)
		}
		e.do(call{name: "invite, address in use", op: "POST /delegations/{iso3}/delegates", method: "POST", path: "/delegations/FRA/delegates", as: "del-fra",
			ct: "application/json", body: rawBody(`{"username":"claire2","email":"CLAIRE@fra.test"}`), status: 409, field: "email"})
		uid := strconv.FormatInt(idOf(d["id"]), 10)
		m := obj(e.do(call{name: "mission", op: "GET /delegations/{iso3}", method: "GET", path: "/delegations/FRA", as: "del-fra", status: 200}))
		if len(list(m["managers"])) < 1 || len(list(m["delegates"])) < 2 {
			t.Errorf("mission %v", m)
		}
		e.do(call{name: "speaker, missing", op: "PUT /delegations/{iso3}/delegates/{user}/speaker", method: "PUT", path: "/delegations/FRA/delegates/" + uid + "/speaker",
			as: "del-fra", ct: "application/json", body: rawBody(`{}`), status: 422, field: "may_speak"})
		e.do(call{name: "let speak", op: "PUT /delegations/{iso3}/delegates/{user}/speaker", method: "PUT", path: "/delegations/FRA/delegates/" + uid + "/speaker",
			as: "del-fra", ct: "application/json", body: rawBody(`{"may_speak":true}`), status: 204})
		e.do(call{name: "remove through another State", op: "DELETE /delegations/{iso3}/delegates/{user}", method: "DELETE", path: "/delegations/DEU/delegates/" + uid, as: "del-fra", status: 403})
		e.do(call{name: "remove", op: "DELETE /delegations/{iso3}/delegates/{user}", method: "DELETE", path: "/delegations/FRA/delegates/" + uid, as: "del-fra", status: 204})
		e.do(call{name: "remove again", op: "DELETE /delegations/{iso3}/delegates/{user}", method: "DELETE", path: "/delegations/FRA/delegates/" + uid, as: "del-fra", status: 404})
		e.do(call{name: "end the term", op: "POST /appointments/{id}/end", method: "POST", path: "/appointments/" + aid + "/end", as: "sec", status: 200})
		e.do(call{name: "end it again", op: "POST /appointments/{id}/end", method: "POST", path: "/appointments/" + aid + "/end", as: "sec", status: 409})
		e.do(call{name: "own mission after the term", op: "GET /delegations/{iso3}", method: "GET", path: "/delegations/FRA", as: "del-fra", status: 403})
		e.checkCovered(func(o operation) bool {
			return slices.Contains(list(o.op["tags"]), any("Delegations"))
		})
	})
}
