package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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
	t.Parallel()
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
	// A page that needs an account sends there and back. Query parameters
	// the page does not declare are dropped before any handler runs (they
	// would split the page cache), so only the path comes back here.
	resp, _ = en.get("", "/fr/account?tab=1")
	if loc := resp.Header.Get("Location"); loc != "/fr/login?next=%2Ffr%2Faccount" {
		t.Errorf("protected page: to %q", loc)
	}
	// Hostile next: the account page instead.
	for _, next := range []string{"/\t/evil.example/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example"} {
		resp, _ := en.signIn("owner", ownerPW, next, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/en/home" {
			t.Errorf("next=%q: %d to %q, want /en/home", next, resp.StatusCode, loc)
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
	if loc := r.Header.Get("Location"); loc != "/en/home" {
		t.Errorf("next=/%%09/evil.example/: to %q", loc)
	}
}

// Issue 10, item 7: no way to revoke a bearer token. The owner lists their
// sessions and tokens and revokes any; a revoked token is a 401 (issue 9).
func TestSessionsPage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.addOwner("owner")
	_, cookie := en.signIn("owner", ownerPW, "", nil)
	en.tokens["owner"] = cookie
	resp, body := en.do("", "POST", "/api/v1/sessions", "application/json", `{"username":"owner","password":"`+ownerPW+`"}`)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(body), &tok); err != nil || resp.StatusCode != 201 {
		t.Fatalf("API sign-in: %d %s", resp.StatusCode, body)
	}
	api := func(token string) int {
		req, _ := http.NewRequest("GET", en.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if api(tok.Token) != 200 {
		t.Fatal("the API token does not work")
	}
	apiID := store.SessionID(auth.TokenHash(tok.Token))
	_, body = en.get("owner", "/en/account/sessions")
	for _, want := range []string{en.msg("en", "account.session_kind.api"), en.msg("en", "account.session_kind.browser"), en.msg("en", "account.session_current"),
		`/en/account/sessions/` + apiID + `/revoke`} {
		if !strings.Contains(body, want) {
			t.Errorf("sessions page lacks %q", want)
		}
	}
	_, body = en.get("owner", "/en/account")
	if !strings.Contains(body, `href="/en/account/sessions"`) {
		t.Error("the account page does not link to the sessions")
	}
	// Another user cannot revoke it.
	if resp, _ := en.postForm("delegate", "/en/account/sessions/"+apiID+"/revoke", nil); resp.StatusCode != 404 {
		t.Errorf("another user's revoke: %d, want 404", resp.StatusCode)
	}
	if resp, _ := en.postForm("owner", "/en/account/sessions/"+apiID+"/revoke", nil); resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/account/sessions?saved=1" {
		t.Errorf("revoke: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := api(tok.Token); got != 401 {
		t.Errorf("revoked token: %d, want 401", got)
	}
	// Revoking the current session signs out.
	cur := store.SessionID(auth.TokenHash(cookie))
	resp, _ = en.postForm("owner", "/en/account/sessions/"+cur+"/revoke", nil)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/" || !strings.Contains(resp.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("revoking the current session: %d to %q, cookie %q", resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Set-Cookie"))
	}
	if resp, _ := en.get("owner", "/en/account"); resp.StatusCode != 303 {
		t.Errorf("after revoking the current session: %d, want sent to sign in", resp.StatusCode)
	}
}

// Issue 9: an invalid or expired bearer token was answered as anonymous.
// It is a 401 in the API's error shape; an expired cookie signs out.
func TestInvalidTokenIs401(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	expired, th := auth.NewToken()
	u := concord.User{Username: "old", Role: concord.RoleChair}
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "x"); err != nil {
			return err
		}
		return tx.CreateSession(th, u.ID, time.Now().Add(-time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
	send := func(path, authz, cookie string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", en.srv.URL+path, nil)
		req.Header.Set("Accept-Language", "fr")
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: cookie})
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r, string(b)
	}
	for name, authz := range map[string]string{
		"unknown": "Bearer not-a-token", "expired": "Bearer " + expired, "empty": "Bearer ", "long": "Bearer " + strings.Repeat("x", 300), "lower case": "bearer nope",
	} {
		resp, body := send("/api/v1/states", authz, "")
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != 401 || e.Error.Code != "unauthorized" || e.Error.Message != en.rawMsg("fr", "error.bad_token") ||
			!strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("%s token on a public read: %d %s %q", name, resp.StatusCode, body, resp.Header.Get("WWW-Authenticate"))
		}
	}
	if resp, _ := send("/en/states", "Bearer "+expired, ""); resp.StatusCode != 401 {
		t.Errorf("expired token on a page: %d, want 401", resp.StatusCode)
	}
	// Another scheme is not ours: a staging proxy's Basic passes.
	if resp, _ := send("/api/v1/states", "Basic dXNlcjpwYXNz", ""); resp.StatusCode != 200 {
		t.Errorf("Basic authorization: %d, want 200", resp.StatusCode)
	}
	// An expired cookie signs out: the public answer, the cookie cleared.
	resp, _ := send("/api/v1/states", "", expired)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("expired cookie: %d, Set-Cookie %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
}

// Issue 10, item 7: no HSTS under --secure.
func TestHSTSWhenSecure(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if resp, _ := en.get("", "/en/"); resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on a plain-HTTP development server")
	}
	s, err := app.NewServer(en.db, slog.New(slog.NewTextHandler(io.Discard, nil)), true)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/en/", "/api/v1/states", "/static/style.css", "/nowhere"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if got := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") || got == "max-age=0" {
			t.Errorf("%s under --secure: Strict-Transport-Security %q", p, got)
		}
	}
}

// Issue 10, item 7: a password of 12 spaces was accepted.
func TestBlankPasswordRefused(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	for _, pw := range []string{strings.Repeat(" ", 12), "\t\t\t\t\t\t\t\t\t\t\t\t", "aaaaaaaaaaaaaaa", "short"} {
		resp, body := en.postForm("secretariat", "/fr/admin/users", url.Values{"username": {"newbie"}, "role": {"chair"}, "password": {pw}})
		if resp.StatusCode != 422 || !strings.Contains(body, en.msg("fr", "error.weak_password")) {
			t.Errorf("password %q: %d", pw, resp.StatusCode)
		}
	}
	if _, _, err := en.db.UserByUsername(ctx, "newbie"); err == nil {
		t.Error("an account was created with a blank password")
	}
}

// Issue 10, item 4: throttling counts the client behind a trusted proxy,
// answers 429 with Retry-After, and lets the owner in from elsewhere.
func TestSignInThrottleBehindProxy(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.addOwner("owner")
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }

	// No trusted proxy (the default): the header is ignored, and every
	// client counts as the test's own address.
	for range auth.MaxFailures {
		en.signIn("owner", "wrong password!", "", from("203.0.113.9"))
	}
	resp, _ := en.signIn("owner", ownerPW, "", from("198.51.100.7"))
	// The window runs on the real clock: on a busy machine a second or two
	// may pass between the failures and this request.
	if after, err := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != 429 || err != nil || after < 55 || after > 60 {
		t.Errorf("untrusted header: %d, Retry-After %q; want 429 after at most 60 s", resp.StatusCode, resp.Header.Get("Retry-After"))
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
