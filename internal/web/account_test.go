package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"concord"
	"concord/internal/app"
	"concord/internal/auth"
	"concord/internal/store"
)

const ownerPW = "owner's long password"

// addOwner creates a delegate who signs in with ownerPW.
func (en *env) addOwner(name string) concord.User {
	en.t.Helper()
	h, err := auth.HashPassword(ownerPW)
	if err != nil {
		en.t.Fatal(err)
	}
	u := concord.User{Username: name, Role: concord.RoleDelegate, State: "FRA"}
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&u, h) }); err != nil {
		en.t.Fatal(err)
	}
	return u
}

// signIn posts the sign-in form (with next) and returns the response and
// the new session cookie, if any.
func (en *env) signIn(user, pw, next string, header map[string]string) (*http.Response, string) {
	en.t.Helper()
	req, _ := http.NewRequest("POST", en.srv.URL+"/en/login", strings.NewReader(url.Values{"username": {user}, "password": {pw}, "next": {next}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		en.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "concord_session" && ck.Value != "" {
			return resp, ck.Value
		}
	}
	return resp, ""
}

// Issue 10, items 6 and 22: after sign-in the browser lands on the page
// the "Sign in" link was clicked on, never on another site.
func TestSignInComesBack(t *testing.T) {
	en := newEnv(t, store.SQLite)
	en.addOwner("owner")

	// The link carries the page, query included.
	_, body := en.get("", "/en/states?group=WEOG")
	link := `href="/en/login?next=%2fen%2fstates%3fgroup%3dWEOG"`
	if !strings.Contains(strings.ToLower(body), strings.ToLower(link)) {
		t.Fatalf("the Sign in link does not come back here; want %s", link)
	}
	_, body = en.get("", "/en/login?next=%2Fen%2Fstates%3Fgroup%3DWEOG")
	if !strings.Contains(body, `name="next" value="/en/states?group=WEOG"`) {
		t.Error("the sign-in form does not keep next")
	}
	resp, _ := en.signIn("owner", ownerPW, "/en/states?group=WEOG", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/en/states?group=WEOG" {
		t.Errorf("after sign-in: %d to %q, want the page of the link", resp.StatusCode, loc)
	}
	// A page that needs an account sends there and back, query included.
	resp, _ = en.get("", "/fr/account?tab=1")
	if loc := resp.Header.Get("Location"); loc != "/fr/login?next=%2Ffr%2Faccount%3Ftab%3D1" {
		t.Errorf("protected page: to %q", loc)
	}
	// Hostile next: the account page instead.
	for _, next := range []string{"/\t/evil.example/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example"} {
		resp, _ := en.signIn("owner", ownerPW, next, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/en/account" {
			t.Errorf("next=%q: %d to %q, want /en/account", next, resp.StatusCode, loc)
		}
	}
	// The raw request of the report, next=/%09/evil.example/.
	req, _ := http.NewRequest("POST", en.srv.URL+"/en/login", strings.NewReader("username=owner&password="+url.QueryEscape(ownerPW)+"&next=/%09/evil.example/"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if loc := r.Header.Get("Location"); loc != "/en/account" {
		t.Errorf("next=/%%09/evil.example/: to %q", loc)
	}
}

// Issue 10, item 4: throttling counts the client behind a trusted proxy,
// answers 429 with Retry-After, and lets the owner in from elsewhere.
func TestSignInThrottleBehindProxy(t *testing.T) {
	en := newEnv(t, store.SQLite)
	en.addOwner("owner")
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }

	// No trusted proxy (the default): the header is ignored, and every
	// client counts as the test's own address.
	for range auth.MaxFailures {
		en.signIn("owner", "wrong password!", "", from("203.0.113.9"))
	}
	resp, _ := en.signIn("owner", ownerPW, "", from("198.51.100.7"))
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("untrusted header: %d, Retry-After %q; want 429 after 60 s", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	// Trusting the loopback proxy: each client counts on its own.
	s, err := app.NewServer(en.db, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Proxies, err = auth.ParseProxies("127.0.0.0/8,::1"); err != nil {
		t.Fatal(err)
	}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	en.srv = httptest.NewServer(h)
	defer en.srv.Close()
	for range auth.MaxFailures {
		en.signIn("owner", "wrong password!", "", from("203.0.113.9"))
	}
	if resp, _ := en.signIn("owner", ownerPW, "", from("203.0.113.9")); resp.StatusCode != 429 {
		t.Errorf("the attacker's address: %d, want 429", resp.StatusCode)
	}
	if resp, cookie := en.signIn("owner", ownerPW, "", from("198.51.100.7")); resp.StatusCode != 303 || cookie == "" {
		t.Errorf("the owner elsewhere: %d, want signed in", resp.StatusCode)
	}
}
