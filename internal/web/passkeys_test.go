package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"concord"
	"concord/internal/auth"
	"concord/internal/auth/passkeytest"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/internal/web"
)

var (
	passkeyOptions = regexp.MustCompile(`data-options="([^"]*)"`)
	passkeyState   = regexp.MustCompile(`name="state" value="([^"]*)"`)
)

// ceremony reads the passkey form's options and state from a page.
func ceremony(t *testing.T, body string) (options []byte, state string) {
	t.Helper()
	o, s := passkeyOptions.FindStringSubmatch(body), passkeyState.FindStringSubmatch(body)
	if o == nil || s == nil {
		t.Fatal("no passkey form on the page")
	}
	return []byte(html.UnescapeString(o[1])), html.UnescapeString(s[1])
}

// TestPasskeyPages: a delegate adds a passkey on the account page (a
// missing name is reported, nothing saved), signs in with it from the
// sign-in page, where a replayed answer is refused; a Secretariat account
// with two-factor sign-in finishes its second step with a passkey instead
// of a code; passkeys are removed by their owner only; the public cannot
// see the page, and the pages load their script under the CSP.
func TestPasskeyPages(t *testing.T) {
	t.Parallel()
	const origin = "http://localhost:8080"
	en := newEnvWith(t, demo.Open(t, store.SQLite), func(s *web.Server) {
		var err error
		if s.Passkeys, err = auth.NewPasskeys(s.DB, origin); err != nil {
			t.Fatal(err)
		}
	})
	del := en.withPassword(concord.User{Username: "pk-del", Role: concord.RoleDelegate, State: "FRA"}, false)
	b := newBrowser(t, en.srv.URL)
	if resp, _ := b.do("POST", "/en/login", url.Values{"username": {del.Username}, "password": {"a-long-test-password"}}); resp.StatusCode != 303 {
		t.Fatalf("password sign-in: %d", resp.StatusCode)
	}
	resp, body := b.do("GET", "/en/account/passkeys", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "passkeys.none")) || !strings.Contains(body, `src="/static/passkey.js"`) ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("passkeys page: %d", resp.StatusCode)
	}
	dev := passkeytest.New(origin)
	opts, state := ceremony(t, body)
	answer, err := dev.Create(opts)
	if err != nil {
		t.Fatal(err)
	}
	resp, body = b.do("POST", "/en/account/passkeys", url.Values{"name": {""}, "state": {state}, "credential": {string(answer)}})
	if resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "error.passkey_name")) {
		t.Fatalf("no name: %d", resp.StatusCode)
	}
	resp, _ = b.do("POST", "/en/account/passkeys", url.Values{"name": {"Blue phone"}, "state": {state}, "credential": {string(answer)}})
	if resp.StatusCode != 303 {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if _, body := b.do("GET", "/en/account/passkeys", nil); !strings.Contains(body, "Blue phone") {
		t.Error("the passkey is not listed")
	}
	// Others see their own list, not this one; the public is sent to sign in.
	if _, body := en.get("delegate", "/en/account/passkeys"); strings.Contains(body, "Blue phone") {
		t.Error("another delegate sees the passkey")
	}
	if resp, _ := en.get("", "/en/account/passkeys"); resp.StatusCode == 200 {
		t.Error("the public sees a passkeys page")
	}
	// Signing in with it, from the sign-in page.
	p := newBrowser(t, en.srv.URL)
	resp, body = p.do("GET", "/ar/login", nil)
	if !strings.Contains(body, en.msg("ar", "passkeys.login")) || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("sign-in page offers no passkey: %s", resp.Header.Get("Cache-Control"))
	}
	opts, state = ceremony(t, body)
	answer, _ = dev.Get(opts)
	resp, _ = p.do("POST", "/ar/login/passkey", url.Values{"state": {state}, "credential": {string(answer)}, "next": {"/ar/states"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/ar/states" {
		t.Fatalf("passkey sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := p.do("GET", "/ar/account", nil); resp.StatusCode != 200 {
		t.Errorf("signed in with the passkey: %d", resp.StatusCode)
	}
	q := newBrowser(t, en.srv.URL)
	if resp, body := q.do("POST", "/en/login/passkey", url.Values{"state": {state}, "credential": {string(answer)}}); resp.StatusCode != 401 ||
		!strings.Contains(body, en.msg("en", "error.passkey_replayed")) {
		t.Errorf("replayed answer: %d", resp.StatusCode)
	}
	// The second step with a passkey, for an account with two-factor sign-in.
	sec := en.withPassword(concord.User{Username: "pk-sec", Role: concord.RoleSecretariat}, true)
	s := newBrowser(t, en.srv.URL)
	login := url.Values{"username": {sec.Username}, "password": {"a-long-test-password"}, "next": {"/en/states"}}
	s.do("POST", "/en/login", login)
	if resp, _ := s.do("POST", "/en/login/code", url.Values{"code": {storetest.TOTPCode(t, en.db, sec.ID)}}); resp.StatusCode != 303 {
		t.Fatalf("two-factor sign-in: %d", resp.StatusCode)
	}
	_, body = s.do("GET", "/en/account/passkeys", nil)
	secDev := passkeytest.New(origin)
	opts, state = ceremony(t, body)
	answer, _ = secDev.Create(opts)
	if resp, _ := s.do("POST", "/en/account/passkeys", url.Values{"name": {"Office key"}, "state": {state}, "credential": {string(answer)}}); resp.StatusCode != 303 {
		t.Fatalf("add for the Secretariat: %d", resp.StatusCode)
	}
	s2 := newBrowser(t, en.srv.URL)
	s2.do("POST", "/en/login", login)
	_, body = s2.do("GET", "/en/login/code", nil)
	if !strings.Contains(body, en.msg("en", "passkeys.step")) {
		t.Fatal("the second step offers no passkey")
	}
	opts, state = ceremony(t, body)
	// The delegate's passkey does not finish the Secretariat's sign-in.
	if wrong, _ := dev.Get(opts); wrong != nil {
		if resp, _ := s2.do("POST", "/en/login/code/passkey", url.Values{"state": {state}, "credential": {string(wrong)}}); resp.StatusCode != 401 {
			t.Errorf("another account's passkey: %d", resp.StatusCode)
		}
	}
	_, body = s2.do("GET", "/en/login/code", nil)
	opts, state = ceremony(t, body)
	answer, _ = secDev.Get(opts)
	resp, _ = s2.do("POST", "/en/login/code/passkey", url.Values{"state": {state}, "credential": {string(answer)}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/states" {
		t.Fatalf("second step with a passkey: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Removal: not another's; one's own.
	keys, err := en.db.Passkeys(ctx, del.ID)
	if err != nil || len(keys) != 1 {
		t.Fatalf("passkeys: %v %v", keys, err)
	}
	path := "/en/account/passkeys/" + itoa(keys[0].ID) + "/remove"
	if resp, _ := s.do("POST", path, url.Values{}); resp.StatusCode != 404 {
		t.Errorf("removed another's passkey: %d", resp.StatusCode)
	}
	if resp, _ := b.do("POST", path, url.Values{}); resp.StatusCode != 303 {
		t.Errorf("remove: %d", resp.StatusCode)
	}
	if keys, _ := en.db.Passkeys(ctx, del.ID); len(keys) != 0 {
		t.Errorf("left after removal: %v", keys)
	}
}
