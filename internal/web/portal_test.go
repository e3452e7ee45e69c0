package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
	"concord/internal/store"
)

// portalDemo finds the demo's needs and offers by State or title.
func portalDemo(t *testing.T, en *env) (needs map[string]capacity.Need, offers map[string]capacity.Offer) {
	t.Helper()
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{Role: concord.RoleSecretariat}
	nl, err := svc.Needs(ctx, sec, "", "", 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	needs = map[string]capacity.Need{}
	for _, n := range nl.Needs {
		needs[n.State] = n
	}
	ol, err := svc.Offers(ctx, "", capacity.Provider{}, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	offers = map[string]capacity.Offer{}
	for _, o := range ol.Offers {
		key := o.Provider.State
		if key == "" {
			key = "org" + strconv.FormatInt(o.Provider.OrgID, 10)
		}
		offers[key] = o
	}
	return needs, offers
}

// TestPortalStatesOnlyNeedNeverLeaks: Senegal's need is kept to States. The
// public, a stakeholder's focal point, the Chair and a co-facilitator do
// not find it on its page, its matches, the lists (pages and API) or the
// log; a delegate of another State and the Secretariat do.
func TestPortalStatesOnlyNeedNeverLeaks(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	needs, _ := portalDemo(t, en)
	sen := needs["SEN"]
	if sen.Visibility != capacity.StatesOnly {
		t.Fatalf("demo: %+v", sen)
	}
	id := strconv.FormatInt(sen.ID, 10)
	for _, role := range []string{"", "focal-point", "chair", "co-facilitator", "delegate", "secretariat"} {
		sees := role == "delegate" || role == "secretariat"
		for _, p := range []string{"/en/portal/needs/" + id, "/api/v1/portal/needs/" + id, "/api/v1/portal/needs/" + id + "/matches", "/ar/portal/needs/" + id} {
			resp, body := en.get(role, p)
			if sees && resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if !sees && (resp.StatusCode != http.StatusNotFound || strings.Contains(body, sen.Title)) {
				t.Errorf("%s as %q: %d, want 404 with nothing of the need", p, role, resp.StatusCode)
			}
		}
		for _, p := range []string{"/en/portal", "/en/portal?area=pillar.capacity", "/api/v1/portal/needs", "/api/v1/portal/needs?state=SEN",
			"/api/v1/portal/needs?area=pillar.capacity", "/en/log", "/api/v1/log", "/en/"} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if got := strings.Contains(body, sen.Title) || strings.Contains(body, "/portal/needs/"+id+`"`); got && !sees {
				t.Errorf("%s as %q shows the States-only need", p, role)
			}
		}
		if resp, body := en.get(role, "/en/portal?area=pillar.capacity"); sees && !strings.Contains(body, sen.Title) {
			t.Errorf("%q does not find the States-only need in the list (%d)", role, resp.StatusCode)
		}
	}
	// A stakeholder cannot express interest in it either: not found.
	if resp, _ := en.postForm("focal-point", "/en/portal/needs/"+id+"/interest", url.Values{"offer": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("interest by a stakeholder: %d", resp.StatusCode)
	}
}

// TestPortalNeedPages: a State posts a need (every error of a bad form at
// once, localised, in English and Arabic), sees the offers proposed with
// why, cannot edit another State's need, and expresses interest as a
// provider in a match.
func TestPortalNeedPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	needs, offers := portalDemo(t, en)

	for _, lang := range []string{"en", "ar"} {
		resp, body := en.postForm("delegate", "/"+lang+"/portal/needs", url.Values{"from": {"soon"}, "languages": {"xx"}, "visibility": {"public"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s bad need: %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"portal.error.date", "portal.error.area", "portal.error.title", "portal.error.description", "portal.error.language", "portal.error.until"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s: the form does not say %s", lang, k)
			}
		}
		if lang == "ar" && !strings.Contains(body, `dir="rtl"`) {
			t.Error("the Arabic form is not right to left")
		}
	}
	form := url.Values{"area": {"norm.g"}, "title": {"Protecting water utilities"}, "description": {"Help with **SCADA** <script>alert(1)</script>"},
		"languages": {"fr", "en"}, "regions": {"AG"}, "from": {"2027-02-01"}, "until": {"2027-05-31"}, "visibility": {"public"}}
	resp, _ := en.postForm("delegate", "/en/portal/needs", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d", resp.StatusCode)
	}
	page := resp.Header.Get("Location")
	resp, body := en.get("", page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>SCADA</strong>") || strings.Contains(body, "<script>alert") {
		t.Errorf("need page %d: description not rendered or not sanitised", resp.StatusCode)
	}
	itu := offers["org"+strconv.FormatInt(mustOrg(t, en, "ITU"), 10)]
	if !strings.Contains(body, itu.Title) || strings.Contains(body, offers["FRA"].Title) {
		t.Error("France's need is proposed the ITU's programme and never France's own course")
	}
	for _, k := range []string{"portal.check.area.met", "portal.check.timeframe.met"} {
		if !strings.Contains(body, strings.SplitN(en.msg("en", k), "(", 2)[0]) {
			t.Errorf("the explanation lacks %s", k)
		}
	}

	ken := strconv.FormatInt(needs["KEN"].ID, 10)
	if resp, _ := en.get("delegate", "/en/portal/needs/"+ken+"/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France opens Kenya's need for editing: %d", resp.StatusCode)
	}
	form.Set("title", "Hijacked")
	if resp, _ := en.postForm("delegate", "/en/portal/needs/"+ken, form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France edits Kenya's need: %d", resp.StatusCode)
	}
	if resp, _ := en.do("delegate", "PUT", "/api/v1/portal/needs/"+ken, "application/json", `{"area":"norm.g","title":"Hijacked","description":"x","languages":["en"],"from":"2027-01-01","until":"2027-02-01"}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France edits Kenya's need through the API: %d", resp.StatusCode)
	}

	// France is the provider of the course proposed for Senegal's need.
	sen := strconv.FormatInt(needs["SEN"].ID, 10)
	fra := strconv.FormatInt(offers["FRA"].ID, 10)
	_, body = en.get("delegate", "/en/portal/needs/"+sen)
	if !strings.Contains(body, en.msg("en", "portal.express.provider")) {
		t.Fatal("France is not offered to express interest in Senegal's need")
	}
	resp, _ = en.postForm("delegate", "/en/portal/needs/"+sen+"/interest", url.Values{"offer": {fra}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("interest: %d", resp.StatusCode)
	}
	_, body = en.get("delegate", resp.Header.Get("Location"))
	if !strings.Contains(body, en.msg("en", "portal.interest_provider")) || strings.Contains(body, en.msg("en", "portal.express.provider")) {
		t.Error("after interest: the page does not say so, or still offers the button")
	}
	resp, body = en.postForm("delegate", "/en/portal/needs/"+sen+"/interest", url.Values{"offer": {fra}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "portal.error.interest_twice")) {
		t.Errorf("interest twice: %d", resp.StatusCode)
	}
}

func mustOrg(t *testing.T, en *env, acronym string) int64 {
	t.Helper()
	orgs, _, err := en.db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgIGO, Query: acronym, Limit: 1})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("no %s: %v", acronym, err)
	}
	return orgs[0].ID
}

// TestPortalOffers: an organisation edits only its own offers; a bad offer
// reports every problem at once.
func TestPortalOffers(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, offers := portalDemo(t, en)
	fra := strconv.FormatInt(offers["FRA"].ID, 10)
	if resp, _ := en.get("focal-point", "/en/portal/offers/"+fra+"/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a focal point opens France's offer: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("focal-point", "/en/portal/offers/"+fra, url.Values{"title": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a focal point edits France's offer: %d", resp.StatusCode)
	}
	resp, body := en.postForm("focal-point", "/en/portal/offers", url.Values{"kind": {"gift"}, "until": {"2027-13-01"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad offer: %d", resp.StatusCode)
	}
	for _, k := range []string{"portal.error.kind", "portal.error.areas", "portal.error.title", "portal.error.description", "portal.error.languages", "portal.error.from", "portal.error.date"} {
		if !strings.Contains(body, en.msg("en", k)) {
			t.Errorf("the offer form does not say %s", k)
		}
	}
	resp, _ = en.postForm("focal-point", "/en/portal/offers", url.Values{"kind": {"experts"}, "areas": {"norm.k", "norm.h"}, "title": {"CSIRT peer support"},
		"description": {"Peers."}, "languages": {"en"}, "from": {"2027-01-01"}, "until": {"2027-12-31"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("own offer: %d", resp.StatusCode)
	}
	own := resp.Header.Get("Location")
	if resp, _ := en.get("focal-point", own+"/edit"); resp.StatusCode != http.StatusOK {
		t.Errorf("the focal point opens its own offer: %d", resp.StatusCode)
	}
	if resp, _ := en.get("delegate", own+"/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a State opens the organisation's offer: %d", resp.StatusCode)
	}
}

// TestPortalStatementCount: the need page with its matches, the needs list
// and the offers list cost the same number of statements with the demo's
// five offers as with forty more in the need's area from States and
// organisations.
func TestPortalStatementCount(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.s.SetCaching(false)
	needs, _ := portalDemo(t, en)
	ken := "/en/portal/needs/" + strconv.FormatInt(needs["KEN"].ID, 10)
	paths := []string{ken, "/en/portal", "/en/portal/offers", "/api/v1/portal/needs/" + strconv.FormatInt(needs["KEN"].ID, 10) + "/matches"}
	count := func(role, path string) int64 {
		en.get(role, path)
		before := en.db.Queries()
		resp, _ := en.get(role, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return en.db.Queries() - before
	}
	small := map[string]int64{}
	for _, p := range paths {
		small[p] = count("delegate", p)
	}
	orgs, _, err := en.db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	for i := range 40 {
		u := &concord.User{Role: concord.RoleSecretariat}
		in := portal.OfferInput{Kind: capacity.Training, Areas: []capacity.Area{"norm.g"}, Title: "Course " + strconv.Itoa(i), Description: "x",
			Languages: []string{"en"}, From: needs["KEN"].From, Until: needs["KEN"].Until}
		if i%2 == 0 {
			in.Provider.OrgID = orgs[i/2%len(orgs)].ID
		} else {
			in.Provider.State = []string{"DEU", "BRA", "IND", "ZAF"}[i%4]
		}
		if _, err := svc.PostOffer(ctx, u, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range paths {
		if n := count("delegate", p); n != small[p] {
			t.Errorf("%s: %d statements with 5 offers, %d with 45", p, small[p], n)
		}
	}
}
