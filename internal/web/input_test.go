package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// apiError decodes the API's one error shape.
func apiError(t *testing.T, body string) (code, field, message string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body is not the error shape: %v: %s", err, body)
	}
	return e.Error.Code, e.Error.Field, e.Error.Message
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		en := newEnvOn(t, db)
		big := strings.Repeat("x", 2<<20)
		orgPath := "/api/v1/organizations/" + itoa(en.orgID)
		before, _ := en.get("", orgPath)
		_, beforeBody := en.get("", orgPath)
		cases := []struct {
			name, role, method, path, ct, body string
			status                             int
			code, field                        string
		}{
			{"malformed id", "", "GET", "/api/v1/organizations/abc", "", "", 422, "invalid", "id"},
			{"negative id", "", "GET", "/api/v1/persons/-3", "", "", 422, "invalid", "id"},
			{"unknown State", "", "GET", "/api/v1/states/XXX", "", "", 404, "not_found", ""},
			{"bad limit", "", "GET", "/api/v1/organizations?limit=0", "", "", 422, "invalid", "limit"},
			{"bad offset", "", "GET", "/api/v1/persons?offset=-1", "", "", 422, "invalid", "offset"},
			{"no auth", "", "POST", "/api/v1/organizations", "application/json", `{}`, 401, "unauthorized", ""},
			{"wrong content type", "secretariat", "PUT", orgPath, "text/plain", `{}`, 415, "unsupported", ""},
			{"invalid JSON", "secretariat", "PUT", orgPath, "application/json", `{"kind":`, 422, "invalid", ""},
			{"wrong type", "secretariat", "PUT", orgPath, "application/json", `{"kind": 5}`, 422, "invalid", "kind"},
			{"unknown field", "secretariat", "PUT", orgPath, "application/json", `{"colour": "red"}`, 422, "invalid", "colour"},
			{"two values", "secretariat", "PUT", orgPath, "application/json", `{} {}`, 422, "invalid", ""},
			{"missing names", "secretariat", "PUT", orgPath, "application/json", `{"kind":"stakeholder","type":"ngo","names":{}}`, 422, "invalid", "names"},
			{"bad website", "secretariat", "PUT", orgPath, "application/json", `{"kind":"stakeholder","type":"ngo","names":{"en":"X"},"website":"javascript:alert(1)"}`, 422, "invalid", "website"},
			{"unknown country", "secretariat", "PUT", orgPath, "application/json", `{"kind":"stakeholder","type":"ngo","names":{"en":"X"},"country":"ZZZ"}`, 422, "invalid", "country"},
			{"oversized body", "secretariat", "PUT", orgPath, "application/json", `{"names":{"en":"` + big + `"}}`, 413, "too_large", ""},
			{"another focal point's org", "focal-point", "PUT", "/api/v1/organizations/1", "application/json", `{}`, 403, "forbidden", ""},
			{"no such route", "", "GET", "/api/v1/nothing", "", "", 404, "not_found", ""},
		}
		for _, c := range cases {
			resp, body := en.do(c.role, c.method, c.path, c.ct, c.body)
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d (%s)", c.name, resp.StatusCode, c.status, trim(body))
				continue
			}
			code, field, msg := apiError(t, body)
			if code != c.code || field != c.field || msg == "" || strings.HasPrefix(msg, "error.") {
				t.Errorf("%s: got code %q field %q message %q; want %q %q and a message", c.name, code, field, msg, c.code, c.field)
			}
		}
		// Nothing above changed the organisation.
		if after, afterBody := en.get("", orgPath); after.StatusCode != before.StatusCode || afterBody != beforeBody {
			t.Errorf("failed writes changed the organisation:\nbefore %s\nafter  %s", beforeBody, afterBody)
		}
		// Error messages follow Accept-Language.
		req, _ := http.NewRequest("GET", en.srv.URL+"/api/v1/states/XXX", nil)
		req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Error struct{ Message string } }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if want := en.rawMsg("fr", "error.not_found"); e.Error.Message != want {
			t.Errorf("French error message %q, want %q", e.Error.Message, want)
		}
	})
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func TestBadInputPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	// Unknown language prefix and unknown page: localised 404 pages.
	if resp, body := en.get("", "/xx/states"); resp.StatusCode != 404 || !strings.Contains(body, `lang="en"`) {
		t.Errorf("/xx/states: %d", resp.StatusCode)
	}
	if resp, body := en.get("", "/ar/nothing-here"); resp.StatusCode != 404 || !strings.Contains(body, `dir="rtl"`) ||
		!strings.Contains(body, en.msg("ar", "error.not_found")) {
		t.Errorf("/ar/nothing-here: %d, not an Arabic 404 page", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/organizations/abc"); resp.StatusCode != 404 {
		t.Errorf("malformed organisation id: %d, want 404", resp.StatusCode)
	}
	// A delegate reaching another State's edit page: 403 in the page's language.
	resp, body := en.get("delegate", "/ar/states/DEU/edit")
	if resp.StatusCode != 403 || !strings.Contains(body, en.msg("ar", "error.forbidden")) || !strings.Contains(body, `dir="rtl"`) {
		t.Errorf("delegate on another State's edit page: %d", resp.StatusCode)
	}
	// A form error keeps what was typed and names the field.
	resp, body = en.postForm("delegate", "/en/states/FRA/delegation", url.Values{"name": {""}, "session": {"GM-2026-7"}, "role": {"member"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `value="GM-2026-7"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("empty name: status %d; form must come back with the typed session and the field marked", resp.StatusCode)
	}
	// The same form, valid, saves and shows the person.
	resp, _ = en.postForm("delegate", "/en/states/FRA/delegation", url.Values{"name": {"Jeanne Test"}, "session": {"GM-2026-7"}, "role": {"member"}})
	if resp.StatusCode != 303 {
		t.Fatalf("valid delegate: %d", resp.StatusCode)
	}
	if _, body := en.get("", "/en/states/FRA"); !strings.Contains(body, "Jeanne Test") {
		t.Error("added delegate not shown on the State page")
	}
	// A duplicate submission is refused without losing the first.
	resp, body = en.postForm("secretariat", "/en/admin/users", url.Values{"username": {"sec"}, "password": {"a-long-password-1"}, "role": {"chair"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "error.username_taken")) {
		t.Errorf("duplicate username: %d", resp.StatusCode)
	}
	// Oversized form body.
	resp, _ = en.postForm("secretariat", "/en/organizations", url.Values{"name_en": {strings.Repeat("x", 2<<20)}})
	if resp.StatusCode != 413 {
		t.Errorf("oversized form: %d, want 413", resp.StatusCode)
	}
	// An expired session: back to the login page, told why.
	token, th := auth.NewToken()
	u := concord.User{Username: "expired", Role: concord.RoleChair}
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "x"); err != nil {
			return err
		}
		return tx.CreateSession(th, u.ID, time.Now().Add(-time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
	en.tokens["expired"] = token
	resp, _ = en.get("expired", "/fr/account")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/fr/login?") || !strings.Contains(loc, "expired=1") {
		t.Errorf("expired session: %d to %q", resp.StatusCode, loc)
	}
	if _, body := en.get("", loc); !strings.Contains(body, en.msg("fr", "login.expired")) {
		t.Error("login page does not say the session expired")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	req, _ := http.NewRequest("POST", en.srv.URL+"/en/admin/users", strings.NewReader("username=evil"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["secretariat"]})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	if _, _, err := en.db.UserByUsername(ctx, "evil"); err == nil {
		t.Error("cross-site POST created a user")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.get("", "/en/states")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") {
		t.Error("page has inline script or style")
	}
	for _, h := range []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
}
