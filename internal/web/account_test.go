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
