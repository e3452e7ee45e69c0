package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestSignupResponsesMatchSchemas plays an organisation's sign-up through
// the API (the twin of the pages): bad input, a likely duplicate, an
// address in use, the hidden organisation (as the public, a delegate and
// another organisation's focal point, in the list, the page and the
// Popolo export), the Secretariat's queue and decision, and the focal
// point's colleagues; every answer checked against the document.
func TestSignupResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"})
		orgs, _, err := db.ListOrganizations(t.Context(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
		if err != nil || len(orgs) == 0 {
			t.Fatal("no stakeholder in the demo")
		}
		createUser(t, db, concord.User{Username: "other-focal", Role: concord.RoleFocalPoint, OrgID: orgs[0].ID})
		for _, u := range []string{"sec", "del-fra", "other-focal"} {
			e.signIn(u)
		}
		bad := obj(e.do(call{name: "sign up, every problem", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json",
			body: rawBody(`{"names":{},"type":"ngo","website":"nope","username":"x","email":"bad","password":"short"}`), status: 422, field: "names"}))
		if n := len(list(bad["errors"])); n < 5 {
			t.Errorf("sign-up errors: %d, want every problem: %v", n, bad)
		}
		body := map[string]any{"names": map[string]string{"en": "Open Networks Forum", "ar": "منتدى الشبكات المفتوحة"}, "type": "ngo",
			"country": "KEN", "website": "https://opennetworks.test", "ecosoc_id": "ON-77", "name": "Wanjiru K.", "username": "onf",
			"email": "focal@opennetworks.test", "password": testPassword}
		s := obj(e.do(call{name: "sign up", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json", body: jsonBody(body), status: 201}))
		org := obj(s["organization"])
		id := idOf((org["id"]))
		sid := strconv.FormatInt(id, 10)
		if s["status"] != "pending" || s["ecosoc_claim"] != "ON-77" || org["ecosoc"] != "" || s["decided_at"] != nil {
			t.Errorf("sign-up: %v", s)
		}
		if n := len(mailTokens(t, db)); n != 1 {
			t.Errorf("verification mails: %d", n)
		}
		// Again: the same body (another script's name matches) is a likely duplicate; the same address a conflict.
		body["username"], body["email"], body["names"] = "onf2", "other@opennetworks.test", map[string]string{"ar": "منتدى الشبكات المفتوحة"}
		dup := obj(e.do(call{name: "sign up, duplicate", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json", body: jsonBody(body), status: 409, field: "names"}))
		if c := list(dup["candidates"]); len(c) != 1 || idOf((obj(c[0])["id"])) != id {
			t.Errorf("duplicates: %v", dup)
		}
		body["email"], body["names"], body["website"] = "FOCAL@opennetworks.test", map[string]string{"en": "Another body"}, ""
		e.do(call{name: "sign up, address in use", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json", body: jsonBody(body), status: 409, field: "email"})

		// Not public while pending: for the public, a delegate, another organisation's focal point.
		for _, as := range []string{"", "del-fra", "other-focal"} {
			e.do(call{name: "pending organisation as " + as, op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + sid, as: as, status: 404})
			l := obj(e.do(call{name: "organisations as " + as, op: "GET /organizations", method: "GET", path: "/organizations?q=open+networks", as: as, status: 200}))
			if len(list(l["items"])) != 0 {
				t.Errorf("pending organisation listed as %q: %v", as, l)
			}
			pop, _ := json.Marshal(e.do(call{name: "popolo as " + as, op: "GET /popolo", method: "GET", path: "/popolo", as: as, status: 200}))
			if strings.Contains(string(pop), "Open Networks Forum") {
				t.Errorf("pending organisation in the Popolo export as %q", as)
			}
		}
		e.signIn("onf")
		e.do(call{name: "own pending organisation", op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + sid, as: "onf", status: 200})
		e.do(call{name: "queue as a focal point", op: "GET /signups", method: "GET", path: "/signups", as: "onf", status: 403})
		q := obj(e.do(call{name: "queue", op: "GET /signups", method: "GET", path: "/signups?status=pending", as: "sec", status: 200}))
		if len(list(q["items"])) != 1 || obj(obj(list(q["items"])[0])["focal_point"])["email_verified"] != false {
			t.Errorf("queue: %v", q)
		}
		e.do(call{name: "queue, bad status", op: "GET /signups", method: "GET", path: "/signups?status=maybe", as: "sec", status: 422, field: "status"})
		e.do(call{name: "reject without reason", op: "POST /signups/{id}/reject", method: "POST", path: "/signups/" + sid + "/reject", as: "sec",
			ct: "application/json", body: rawBody(`{"reason":" "}`), status: 422, field: "reason"})
		v := obj(e.do(call{name: "verify", op: "POST /signups/{id}/verify", method: "POST", path: "/signups/" + sid + "/verify", as: "sec", status: 200}))
		if v["status"] != "verified" || v["decided_at"] == nil {
			t.Errorf("verify: %v", v)
		}
		e.do(call{name: "verify twice", op: "POST /signups/{id}/verify", method: "POST", path: "/signups/" + sid + "/verify", as: "sec", status: 409})
		e.do(call{name: "verified organisation, public", op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + sid, status: 200})
		e.do(call{name: "reject unknown", op: "POST /signups/{id}/reject", method: "POST", path: "/signups/999999/reject", as: "sec",
			ct: "application/json", body: rawBody(`{"reason":"no"}`), status: 404})

		// Colleagues.
		e.do(call{name: "invite, address in use", op: "POST /organizations/{id}/members", method: "POST", path: "/organizations/" + sid + "/members", as: "onf",
			ct: "application/json", body: rawBody(`{"username":"colleague","email":"focal@opennetworks.test"}`), status: 409, field: "email"})
		e.do(call{name: "invite for another organisation", op: "POST /organizations/{id}/members", method: "POST", path: "/organizations/" + sid + "/members", as: "other-focal",
			ct: "application/json", body: rawBody(`{"username":"intruder","email":"i@x.test"}`), status: 403})
		m := obj(e.do(call{name: "invite", op: "POST /organizations/{id}/members", method: "POST", path: "/organizations/" + sid + "/members", as: "onf",
			ct: "application/json", body: rawBody(`{"username":"colleague","name":"Col League","email":"col@opennetworks.test"}`), status: 201}))
		if idOf((m["organization_id"])) != id || m["role"] != "focal-point" {
			t.Errorf("invited: %v", m)
		}
		if n := len(mailTokens(t, db)); n != 1 { // the invitation (this server sends no notices by email)
			t.Errorf("invitation mails: %d", n)
		}
		members := obj(e.do(call{name: "members", op: "GET /organizations/{id}/members", method: "GET", path: "/organizations/" + sid + "/members", as: "onf", status: 200}))
		if len(list(members["items"])) != 2 {
			t.Errorf("members: %v", members)
		}
		mid := strconv.FormatInt(idOf((m["id"])), 10)
		e.do(call{name: "remove by another organisation", op: "DELETE /organizations/{id}/members/{user}", method: "DELETE", path: "/organizations/" + sid + "/members/" + mid, as: "other-focal", status: 403})
		e.do(call{name: "remove", op: "DELETE /organizations/{id}/members/{user}", method: "DELETE", path: "/organizations/" + sid + "/members/" + mid, as: "onf", status: 204})
		e.do(call{name: "remove again", op: "DELETE /organizations/{id}/members/{user}", method: "DELETE", path: "/organizations/" + sid + "/members/" + mid, as: "onf", status: 404})
		e.do(call{name: "members, another organisation", op: "GET /organizations/{id}/members", method: "GET", path: "/organizations/" + sid + "/members", as: "other-focal", status: 403})
		// A rejection, then the throttle: five sign-ups from one address were free.
		body["username"], body["email"], body["names"] = "fifth", "fifth@x.test", map[string]string{"fr": "Cinquième"}
		r := obj(e.do(call{name: "sign up, fifth", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json", body: jsonBody(body), status: 201}))
		rid := strconv.FormatInt(idOf(obj(r["organization"])["id"]), 10)
		r = obj(e.do(call{name: "reject", op: "POST /signups/{id}/reject", method: "POST", path: "/signups/" + rid + "/reject", as: "sec",
			ct: "application/json", body: rawBody(`{"reason":"Not a stakeholder in ICT security."}`), status: 200}))
		if r["status"] != "rejected" || r["reason"] != "Not a stakeholder in ICT security." {
			t.Errorf("reject: %v", r)
		}
		e.do(call{name: "rejected organisation", op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + rid, status: 404})
		body["username"], body["email"], body["names"] = "sixth", "sixth@x.test", map[string]string{"fr": "Sixième"}
		e.do(call{name: "sign up, throttled", op: "POST /signup", method: "POST", path: "/signup", ct: "application/json", body: jsonBody(body), status: 429})
		e.checkCovered(func(o operation) bool { return list(o.op["tags"])[0] == "Sign-up" })
	})
}

// idOf is an id as the test decoder reads it (a json.Number).
func idOf(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}
