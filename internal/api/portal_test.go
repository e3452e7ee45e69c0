package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestPortalResponsesMatchSchemas plays the portal through the API and
// checks every answer against the document: a need posted (all errors at
// once first), kept to States and so not found by the public or a
// stakeholder, nor in their lists; offers by a State and an organisation;
// the matches with their explanation; interest from both sides; edits of
// another's need or offer refused.
func TestPortalResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		orgs, _, err := db.ListOrganizations(context.Background(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
		if err != nil || len(orgs) == 0 {
			t.Fatal(err)
		}
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "ken", Role: concord.RoleDelegate, State: "KEN"})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		createUser(t, db, concord.User{Username: "ngo", Role: concord.RoleFocalPoint, OrgID: orgs[0].ID})
		for _, u := range []string{"sec", "ken", "fra", "ngo"} {
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
		areas := send("areas", "GET /portal/areas", "GET", "/portal/areas", "", nil, 200, "")
		if n := len(areas.([]any)); n != 16 {
			t.Errorf("%d areas", n)
		}
		send("bad need", "POST /portal/needs", "POST", "/portal/needs", "ken", map[string]any{"area": "norm.z", "from": "soon", "languages": []string{}}, 422, "from")
		send("need by a stakeholder", "POST /portal/needs", "POST", "/portal/needs", "ngo", map[string]any{}, 403, "")
		need := map[string]any{"area": "norm.i", "title": "Supply-chain assurance", "description": "Help *us*.", "languages": []string{"en"},
			"regions": []string{"WEOG"}, "from": "2027-01-01", "until": "2027-12-31", "visibility": "states"}
		n := obj(send("post need", "POST /portal/needs", "POST", "/portal/needs", "ken", need, 201, ""))
		id := fmt.Sprint(n["id"])
		for _, as := range []string{"", "ngo"} {
			send("hidden need as "+as, "GET /portal/needs/{id}", "GET", "/portal/needs/"+id, as, nil, 404, "")
			send("hidden matches as "+as, "GET /portal/needs/{id}/matches", "GET", "/portal/needs/"+id+"/matches", as, nil, 404, "")
			l := send("needs as "+as, "GET /portal/needs", "GET", "/portal/needs?state=KEN", as, nil, 200, "")
			if strings.Contains(fmt.Sprint(l), "Supply-chain") {
				t.Errorf("%q lists the States-only need", as)
			}
		}
		send("need as a State", "GET /portal/needs/{id}", "GET", "/portal/needs/"+id, "fra", nil, 200, "")
		send("edit by France", "PUT /portal/needs/{id}", "PUT", "/portal/needs/"+id, "fra", need, 403, "")
		send("edit", "PUT /portal/needs/{id}", "PUT", "/portal/needs/"+id, "ken", with(need, "title", "Supply-chain assurance for ministries"), 200, "")
		send("bad area filter", "GET /portal/needs", "GET", "/portal/needs?area=norm.z", "", nil, 422, "area")

		offer := map[string]any{"kind": "experts", "areas": []string{"norm.i"}, "title": "Supply-chain auditors", "description": "Two auditors.",
			"languages": []string{"en", "fr"}, "regions": []string{}, "from": "2027-06-01", "until": "2027-07-31"}
		send("bad offer", "POST /portal/offers", "POST", "/portal/offers", "fra", map[string]any{"kind": "gift"}, 422, "kind")
		byFRA := obj(send("offer by France", "POST /portal/offers", "POST", "/portal/offers", "fra", offer, 201, ""))
		byNGO := obj(send("offer by an organisation", "POST /portal/offers", "POST", "/portal/offers", "ngo", with(offer, "languages", []string{"ar"}), 201, ""))
		send("offer on behalf of nobody", "POST /portal/offers", "POST", "/portal/offers", "sec", offer, 422, "provider")
		send("offer for an organisation", "POST /portal/offers", "POST", "/portal/offers", "sec", with(offer, "provider", map[string]any{"state": nil, "organization": orgs[0].ID}), 201, "")
		fid, oid := fmt.Sprint(byFRA["id"]), fmt.Sprint(byNGO["id"])
		send("France edits the organisation's", "PUT /portal/offers/{id}", "PUT", "/portal/offers/"+oid, "fra", offer, 403, "")
		send("edit own offer", "PUT /portal/offers/{id}", "PUT", "/portal/offers/"+oid, "ngo", with(with(offer, "title", "Auditors"), "languages", []string{"ar"}), 200, "")
		send("offer", "GET /portal/offers/{id}", "GET", "/portal/offers/"+fid, "", nil, 200, "")
		send("offers", "GET /portal/offers", "GET", "/portal/offers?area=norm.i&organization="+fmt.Sprint(orgs[0].ID), "", nil, 200, "")

		m := obj(send("matches", "GET /portal/needs/{id}/matches", "GET", "/portal/needs/"+id+"/matches", "ken", nil, 200, ""))
		ms := list(m["matches"])
		if len(ms) != 3 || fmt.Sprint(obj(obj(ms[0])["offer"])["id"]) != fid || fmt.Sprint(obj(ms[0])["score"]) != "100" || obj(ms[0])["side"] != "beneficiary" {
			t.Fatalf("matches %v", m)
		}
		send("interest by a bystander", "POST /portal/needs/{id}/interests", "POST", "/portal/needs/"+id+"/interests", "ngo", map[string]any{"offer": byFRA["id"]}, 404, "")
		send("interest without an offer", "POST /portal/needs/{id}/interests", "POST", "/portal/needs/"+id+"/interests", "ken", map[string]any{}, 422, "offer")
		send("interest", "POST /portal/needs/{id}/interests", "POST", "/portal/needs/"+id+"/interests", "ken", map[string]any{"offer": byFRA["id"]}, 201, "")
		send("interest twice", "POST /portal/needs/{id}/interests", "POST", "/portal/needs/"+id+"/interests", "ken", map[string]any{"offer": byFRA["id"]}, 409, "offer")
		both := obj(send("provider's interest", "POST /portal/needs/{id}/interests", "POST", "/portal/needs/"+id+"/interests", "fra", map[string]any{"offer": byFRA["id"]}, 201, ""))
		if both["agreed"] != true {
			t.Errorf("both sides: %v", both)
		}

		// Projects: the agreed match becomes one project, kept to States as
		// its need is; the public and a stakeholder neither find it nor see
		// it listed.
		send("project from a bystander", "POST /portal/needs/{id}/projects", "POST", "/portal/needs/"+id+"/projects", "ngo", map[string]any{"offer": byFRA["id"]}, 404, "")
		send("project from an unagreed match", "POST /portal/needs/{id}/projects", "POST", "/portal/needs/"+id+"/projects", "ken", map[string]any{"offer": byNGO["id"]}, 409, "offer")
		pr := obj(send("project from the match", "POST /portal/needs/{id}/projects", "POST", "/portal/needs/"+id+"/projects", "fra", map[string]any{"offer": byFRA["id"]}, 201, ""))
		send("project from the match twice", "POST /portal/needs/{id}/projects", "POST", "/portal/needs/"+id+"/projects", "ken", map[string]any{"offer": byFRA["id"]}, 409, "offer")
		pid := fmt.Sprint(pr["id"])
		if pr["visibility"] != "states" || pr["from"] != "2027-06-01" {
			t.Errorf("project %v", pr)
		}
		for _, as := range []string{"", "ngo"} {
			send("hidden project as "+as, "GET /portal/projects/{id}", "GET", "/portal/projects/"+pid, as, nil, 404, "")
			if l := send("projects as "+as, "GET /portal/projects", "GET", "/portal/projects", as, nil, 200, ""); strings.Contains(fmt.Sprint(l), "Supply-chain") {
				t.Errorf("%q lists the States-only project", as)
			}
		}
		edit := map[string]any{"area": "norm.i", "title": "Supply-chain auditors", "description": "Two auditors.", "from": "2027-06-01", "until": "2027-07-31",
			"status": "ongoing", "visibility": "states", "outcomes": "Two ministries audited.",
			"checklist": []map[string]any{{"principle": "demand", "rating": "addressed", "note": "Asked by Kenya."}, {"principle": "trust", "rating": "", "note": ""}}}
		send("project made public", "PUT /portal/projects/{id}", "PUT", "/portal/projects/"+pid, "ken", with(edit, "visibility", "public"), 422, "visibility")
		send("bad checklist", "PUT /portal/projects/{id}", "PUT", "/portal/projects/"+pid, "ken",
			with(edit, "checklist", []map[string]any{{"principle": "luck", "rating": "addressed"}}), 422, "principle.luck")
		send("project edited by the Secretariat", "PUT /portal/projects/{id}", "PUT", "/portal/projects/"+pid, "sec", edit, 200, "")
		got := obj(send("project edited", "PUT /portal/projects/{id}", "PUT", "/portal/projects/"+pid, "ken", edit, 200, ""))
		if len(list(got["checklist"])) != 1 || got["status"] != "ongoing" || got["need"] == nil {
			t.Errorf("edited project %v", got)
		}
		send("project as a State", "GET /portal/projects/{id}", "GET", "/portal/projects/"+pid, "fra", nil, 200, "")
		direct := map[string]any{"beneficiary": "KEN", "area": "pillar.capacity", "title": "Cyber diplomacy course", "description": "For diplomats.",
			"from": "2027-02-01", "until": "2027-02-28"}
		send("bad direct project", "POST /portal/projects", "POST", "/portal/projects", "fra", with(direct, "beneficiary", "XXX"), 422, "beneficiary")
		dp := obj(send("direct project", "POST /portal/projects", "POST", "/portal/projects", "ngo", direct, 201, ""))
		if dp["visibility"] != "public" || dp["need"] != nil {
			t.Errorf("direct project %v", dp)
		}
		send("public project", "GET /portal/projects/{id}", "GET", "/portal/projects/"+fmt.Sprint(dp["id"]), "", nil, 200, "")
		send("projects by status", "GET /portal/projects", "GET", "/portal/projects?status=planned&area=pillar.capacity", "", nil, 200, "")
		send("bad status filter", "GET /portal/projects", "GET", "/portal/projects?status=done", "", nil, 422, "status")
		send("principles", "GET /portal/principles", "GET", "/portal/principles", "", nil, 200, "")

		// Events: public; added by a provider, edited by it or the
		// Secretariat only.
		ev := map[string]any{"kind": "roundtable", "title": "Global roundtable", "description": "Capacity-building.", "start": "2027-05-10T07:00:00Z",
			"end": "2027-05-10T15:00:00Z", "zone": "Africa/Nairobi", "venue": "Nairobi", "organiser": "UNODA", "area": "pillar.capacity", "languages": []string{"en", "fr"}}
		send("bad event", "POST /portal/events", "POST", "/portal/events", "fra", map[string]any{"kind": "party", "zone": "Mars/Base"}, 422, "kind")
		evo := obj(send("event", "POST /portal/events", "POST", "/portal/events", "fra", ev, 201, ""))
		eid := fmt.Sprint(evo["id"])
		send("event edited by another", "PUT /portal/events/{id}", "PUT", "/portal/events/"+eid, "ngo", ev, 403, "")
		send("event edited", "PUT /portal/events/{id}", "PUT", "/portal/events/"+eid, "sec", with(ev, "title", "Global roundtable, second"), 200, "")
		send("event", "GET /portal/events/{id}", "GET", "/portal/events/"+eid, "", nil, 200, "")
		send("events", "GET /portal/events", "GET", "/portal/events?since=2027-01-01", "", nil, 200, "")
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Cooperation portal")) })
	})
}
