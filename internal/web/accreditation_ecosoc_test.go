package web_test

import (
	"concord/accreditation"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// TestECOSOCRouteCannotBeClaimed is the attack of a focal point that wants
// its organisation accredited without the objection round: it gives its
// organisation ECOSOC status and a name, in another language, equal to an
// organisation on the imported ECOSOC list, through the page and through
// the API. Neither moves its application to the ECOSOC route, and a
// verification never matches on a name. A genuine ECOSOC organisation,
// whose identifier the Secretariat recorded, still goes the ECOSOC route,
// and its accreditation keeps what was verified when the profile changes.
func TestECOSOCRouteCannotBeClaimed(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		en := newEnvOn(t, db)
		useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
		accord := orgNamed(t, en, "Tech Accord")
		isoc := orgNamed(t, en, "Internet Society")
		en.tokens["focal-accord"] = en.session(concord.User{Username: "focal-accord", Role: concord.RoleFocalPoint, OrgID: accord.ID})
		en.tokens["focal-isoc"] = en.session(concord.User{Username: "focal-isoc", Role: concord.RoleFocalPoint, OrgID: isoc.ID})
		// Access Now is the focal point's organisation: it has an ECOSOC
		// category but no identifier recorded by the Secretariat.
		access, err := en.db.GetOrganization(ctx, en.orgID)
		if err != nil || access.ECOSOC == "" || accord.ECOSOC != "" {
			t.Fatalf("test assumes Access Now with an ECOSOC category, Tech Accord without: %+v %v", access, err)
		}

		// The Secretariat imports the list and records Internet Society's
		// identifier on it, through the organisation form.
		resp, body := en.upload("secretariat", "/en/accreditation/ecosoc", "ecosoc.csv",
			[]byte("id,name,category\nD100,Internet Society,special\nD200,Global Digital Rights Watch,general\n"))
		redirected(t, "import")(resp, body)
		isocForm := url.Values{"name_en": {"Internet Society"}, "type": {"technical"}, "country": {"USA"}, "ecosoc": {"special"}, "ecosoc_id": {"D100"}}
		redirected(t, "record identifier")(en.postForm("secretariat", "/en/organizations/"+strconv.FormatInt(isoc.ID, 10), isocForm))

		// The attack through the page: ECOSOC status, and the name of an
		// organisation on the list in French.
		path := "/en/organizations/" + strconv.FormatInt(accord.ID, 10)
		_, body = en.get("focal-accord", path+"/edit")
		if strings.Contains(body, `name="ecosoc"`) || strings.Contains(body, `name="ecosoc_id"`) {
			t.Error("the focal point's form offers the ECOSOC status")
		}
		redirected(t, "focal point edits its profile")(en.postForm("focal-accord", path, url.Values{
			"name_en": {"Cybersecurity Tech Accord"}, "name_fr": {"Internet Society"}, "type": {"business"}, "country": {"USA"},
			"ecosoc": {"general"}, "ecosoc_id": {"D100"}}))
		// And through the API.
		apiPath := "/api/v1/organizations/" + strconv.FormatInt(accord.ID, 10)
		resp, body = en.do("focal-accord", "PUT", apiPath, "application/json",
			`{"kind":"stakeholder","names":{"en":"Cybersecurity Tech Accord","es":"Global Digital Rights Watch"},"type":"business","country":"USA","ecosoc":"special","ecosoc_id":"D200"}`)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("API edit: %d %s", resp.StatusCode, body)
		}
		got, err := en.db.GetOrganization(ctx, accord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ECOSOC != "" || got.ECOSOCID != "" || got.Names["es"] != "Global Digital Rights Watch" {
			t.Fatalf("a focal point changed its ECOSOC status: %q %q (names %v)", got.ECOSOC, got.ECOSOCID, got.Names)
		}

		// A window; the attacker applies: the non-objection route.
		win := url.Values{"scope": {"plenary"}, "cycle": {"2026"}, "opens_date": {"2026-04-01"}, "closes_date": {"2026-04-30"}}
		loc := redirected(t, "create window")(en.postForm("secretariat", "/en/accreditation/windows", win))
		winID := strings.TrimSuffix(strings.TrimPrefix(loc, "/en/accreditation/windows/"), "?saved=1")
		submit := func(role string) string {
			t.Helper()
			id := appIDOf(t)(en.postForm(role, "/en/accreditation/applications", url.Values{"window": {winID}}))
			app := "/en/accreditation/applications/" + id
			redirected(t, role+" writes")(en.postForm(role, app, url.Values{"purpose": {"Our purpose."}}))
			redirected(t, role+" uploads")(en.upload(role, app+"/documents", "letter.pdf", tinyPDF))
			redirected(t, role+" submits")(en.postForm(role, app+"/submit", nil))
			return id
		}
		appAccord := submit("focal-accord")
		if a := application(t, en, appAccord); a.Route != accreditation.RouteNonObjection {
			t.Errorf("the attacker's application is on the %s route", a.Route)
		}

		// An organisation with an ECOSOC category but no identifier adds the
		// listed name: verification does not match names, so it is
		// circulated like any other.
		redirected(t, "Access Now adds a name")(en.postForm("focal-point", "/en/organizations/"+strconv.FormatInt(access.ID, 10), url.Values{
			"name_en": {"Access Now"}, "name_ru": {"Internet Society"}, "type": {"ngo"}, "country": {"USA"}}))
		appAccess := submit("focal-point")
		if a := application(t, en, appAccess); a.Route != accreditation.RouteECOSOC {
			t.Fatalf("Access Now's application is on the %s route", a.Route)
		}
		redirected(t, "verify Access Now")(en.postForm("secretariat", "/en/accreditation/applications/"+appAccess+"/verify", nil))
		if a := application(t, en, appAccess); a.Status != accreditation.ApplicationSubmitted || a.Route != accreditation.RouteNonObjection || a.ECOSOCVerified != nil {
			t.Errorf("verified on a name: %s on the %s route, %+v", a.Status, a.Route, a.ECOSOCVerified)
		}

		// The genuine ECOSOC organisation: accredited on verification, by
		// its identifier, and it keeps the entry it was verified against.
		appISOC := submit("focal-isoc")
		redirected(t, "verify ISOC")(en.postForm("secretariat", "/en/accreditation/applications/"+appISOC+"/verify", nil))
		want := accreditation.ECOSOCEntry{ID: "D100", Name: "Internet Society", Category: "special"}
		if a := application(t, en, appISOC); a.Status != accreditation.ApplicationAccredited || a.ECOSOCVerified == nil || *a.ECOSOCVerified != want {
			t.Fatalf("ISOC: %s, verified %+v", a.Status, a.ECOSOCVerified)
		}
		// The profile changes afterwards (identifier removed): the
		// accreditation and what was verified stay.
		isocForm.Set("ecosoc_id", "")
		redirected(t, "identifier removed")(en.postForm("secretariat", "/en/organizations/"+strconv.FormatInt(isoc.ID, 10), isocForm))
		resp, body = en.get("", "/api/v1/accreditation/applications/"+appISOC)
		var j struct {
			Status   string `json:"status"`
			Verified *struct {
				ID string `json:"id"`
			} `json:"ecosoc_verified"`
		}
		if err := json.Unmarshal([]byte(body), &j); err != nil || resp.StatusCode != 200 || j.Status != "accredited" || j.Verified == nil || j.Verified.ID != "D100" {
			t.Errorf("ISOC after the profile changed: %d %s", resp.StatusCode, body)
		}
	})
}

func application(t *testing.T, en *env, id string) accreditation.Application {
	t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	a, err := en.db.GetApplication(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
