package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// TestPOCAccess walks the pages, the API, the feeds and the log as every
// role over the demo's directory and closed ping round: the directory's
// names and addresses reach the Secretariat and the States' delegates
// only; one State's ping results reach that State and the Secretariat
// only; everyone sees the counts.
func TestPOCAccess(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.tokens["delegate-deu"] = en.session(concord.User{Username: "del-deu", Role: concord.RoleDelegate, State: "DEU"})
	rounds, err := en.db.Rounds(ctx, concord.DefaultProcessCode)
	if err != nil || len(rounds) != 1 {
		t.Fatalf("demo rounds %v %v", rounds, err)
	}
	round := strconv.FormatInt(rounds[0].ID, 10)
	const fra, deu = "Cyber Affairs Desk FRA", "Cyber Affairs Desk DEU"
	type sees struct{ fra, deu bool }
	everyone := []string{"", "secretariat", "chair", "co-facilitator", "delegate", "delegate-deu", "focal-point"}
	cases := []struct {
		path string
		want map[string]sees // roles not listed see neither
	}{
		{"/en/poc", nil},
		{"/ar/poc", nil},
		{"/en/poc/directory", map[string]sees{"secretariat": {true, true}, "delegate": {true, true}, "delegate-deu": {true, true}}},
		{"/ar/poc/directory", map[string]sees{"secretariat": {true, true}, "delegate": {true, true}, "delegate-deu": {true, true}}},
		{"/en/poc/rounds/" + round, map[string]sees{"secretariat": {true, true}, "delegate": {true, false}, "delegate-deu": {false, true}}},
		{"/api/v1/poc", nil},
		{"/api/v1/poc/directory", map[string]sees{"secretariat": {true, true}, "delegate": {true, true}, "delegate-deu": {true, true}}},
		{"/api/v1/poc/directory?state=FRA", map[string]sees{"secretariat": {true, false}, "delegate": {true, false}, "delegate-deu": {true, false}}},
		{"/api/v1/poc/rounds/" + round, map[string]sees{"secretariat": {true, true}, "delegate": {true, false}, "delegate-deu": {false, true}}},
		{"/en/states/FRA", nil},
		{"/en/log", nil},
		{"/en/log?kind=poc", nil},
		{"/api/v1/log", nil},
		{"/api/v1/popolo", nil},
		{"/en/calendar.ics", nil},
	}
	for _, c := range cases {
		for _, role := range everyone {
			resp, body := en.get(role, c.path)
			if resp.StatusCode >= 500 {
				t.Errorf("%s as %q: %d", c.path, role, resp.StatusCode)
			}
			w := c.want[role]
			if got := strings.Contains(body, fra); got != w.fra {
				t.Errorf("%s as %q: FRA's POC shown %v, want %v", c.path, role, got, w.fra)
			}
			if got := strings.Contains(body, deu); got != w.deu {
				t.Errorf("%s as %q: DEU's POC shown %v, want %v", c.path, role, got, w.deu)
			}
			if (w == sees{}) && (strings.Contains(body, "@poc.example") || strings.Contains(body, "Duty Officer")) {
				t.Errorf("%s as %q: a POC's address is shown", c.path, role)
			}
		}
	}
	// The counts are public, in every language.
	for _, l := range []string{"en", "ar"} {
		_, body := en.get("", "/"+l+"/poc")
		if !strings.Contains(body, "120") {
			t.Errorf("/%s/poc does not say 120 States nominated", l)
		}
	}
	_, body := en.get("", "/api/v1/poc")
	if !strings.Contains(body, `"nominated_states":120`) || !strings.Contains(body, `"response_rate"`) {
		t.Errorf("public summary: %s", body)
	}
	// Signed-in pages of the directory are never kept by a shared cache.
	resp, _ := en.get("delegate", "/en/poc/directory")
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
		t.Errorf("directory Cache-Control %q", cc)
	}
}

// TestPOCPingFlow: a delegate nominates (every problem at once, then a
// valid POC; another State's nomination refused), the Secretariat
// schedules and opens a round, the POC acknowledges through its emailed
// link once; the link used twice or late is refused plainly and the first
// answer stands.
func TestPOCPingFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	bad := url.Values{"kind": {"military"}, "email": {"nope"}, "phone": {"12"}}
	resp, body := en.postForm("delegate", "/en/poc", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad nomination: %d", resp.StatusCode)
	}
	for _, f := range []string{"kind", "name", "function", "email", "phone", "languages"} {
		if !strings.Contains(body, `<a href="#`+f+`">`) || !strings.Contains(body, `id="`+f+`-err"`) {
			t.Errorf("bad nomination: %s not reported", f)
		}
	}
	good := url.Values{"kind": {"technical"}, "name": {"Léa Martin"}, "function": {"ANSSI duty officer"}, "email": {"lea.martin@anssi.test"},
		"phone": {"+33 1 71 75 84 68"}, "languages": {"fr", "en"}, "hours": {"24/7"}, "state": {"DEU"}}
	// France already has one technical POC in the demo: a second is allowed.
	resp, _ = en.postForm("delegate", "/en/poc", good)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("nomination: %d", resp.StatusCode)
	}
	list, _ := en.db.POCs(ctx, concord.DefaultProcessCode, "FRA")
	var id int64
	for _, p := range list {
		if p.Email == "lea.martin@anssi.test" {
			id = p.ID
		}
	}
	if id == 0 {
		t.Fatalf("the delegate's nomination is not France's: %+v", list)
	}
	// Through the API, a nomination for another State is refused.
	resp, body = en.do("delegate", "POST", "/api/v1/poc", "application/json",
		`{"state":"DEU","kind":"technical","name":"X","function":"Y","email":"x@deu.test","phone":"+49 30 1234567","languages":["de"]}`)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `"field":"state"`) {
		t.Errorf("nomination for DEU: %d %s", resp.StatusCode, body)
	}
	// The Secretariat schedules and opens a round.
	now := en.db.Now().UTC()
	form := url.Values{"opens": {now.Format("2006-01-02T15:04")}, "deadline": {now.Add(48 * time.Hour).Format("2006-01-02T15:04")}}
	resp, _ = en.postForm("secretariat", "/en/poc/rounds", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	roundPath := strings.TrimSuffix(loc, "?saved=1")
	rid := roundPath[strings.LastIndex(roundPath, "/")+1:]
	if resp, _ = en.postForm("delegate", roundPath+"/open", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("open by a delegate: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("secretariat", roundPath+"/open", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d", resp.StatusCode)
	}
	m, err := en.db.MailByDedupe(ctx, "poc-ping:"+rid+":"+strconv.FormatInt(id, 10))
	if err != nil || m.To[0] != "lea.martin@anssi.test" {
		t.Fatalf("ping mail %+v %v", m, err)
	}
	mm := regexp.MustCompile(`/fr/poc/ack\?token=([A-Za-z0-9]+)`).FindStringSubmatch(m.Text)
	if mm == nil {
		t.Fatalf("no French link in %q", m.Text)
	}
	token := mm[1]
	// Opening the link does not spend it; the page is kept out of caches.
	resp, body = en.get("", "/en/poc/ack?token="+token)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="token"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("ack page: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp, body = en.postForm("", "/en/poc/ack", url.Values{"token": {token}, "by": {"Léa Martin"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, en.msg("en", "poc.ack_done")[:20]) {
		t.Fatalf("ack: %d", resp.StatusCode)
	}
	resp, body = en.postForm("", "/en/poc/ack", url.Values{"token": {token}, "by": {"Someone else"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "poc.error.answered")) {
		t.Errorf("second use: %d", resp.StatusCode)
	}
	resp, body = en.postForm("", "/en/poc/ack", url.Values{"token": {"forged"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, en.msg("en", "poc.error.link")) {
		t.Errorf("forged: %d", resp.StatusCode)
	}
	// Late: another POC's link after the deadline.
	other, err := en.db.MailByDedupe(ctx, "poc-ping:"+rid+":"+strconv.FormatInt(list[0].ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	late := regexp.MustCompile(`/poc/ack\?token=([A-Za-z0-9]+)`).FindStringSubmatch(other.Text)[1]
	real := en.db.Now
	en.db.Now = func() time.Time { return real().Add(72 * time.Hour) } // past the deadline, read in the venue zone
	resp, body = en.postForm("", "/en/poc/ack", url.Values{"token": {late}})
	en.db.Now = real
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "poc.error.late")) {
		t.Errorf("late: %d %s", resp.StatusCode, body[strings.Index(body, "<h1"):])
	}
	// The first answer stands, seen by France and the Secretariat.
	_, body = en.get("delegate", roundPath)
	if !strings.Contains(body, "Léa Martin") || strings.Contains(body, "Someone else") {
		t.Errorf("France's results do not show the first answer")
	}
}
