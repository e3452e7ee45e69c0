package web_test

import (
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/internal/web"
)

// getAs asks path with token as a cookie or as a bearer token, without
// following redirects.
func (en *env) getAs(token, how, path string) int {
	en.t.Helper()
	req, _ := http.NewRequest("GET", en.srv.URL+path, nil)
	if how == "cookie" {
		req.AddCookie(&http.Cookie{Name: "concord_session", Value: token})
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		en.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// refused is the answer to a session that is no longer valid: a cookie is
// forgotten and the account page sends to sign-in, a bearer token is a 401.
var refused = map[string]int{"cookie": http.StatusSeeOther, "bearer": http.StatusUnauthorized}

// Issue 9: the user of a session is kept between requests (no query per
// request), yet a session ended on this instance is refused at the very next
// request, whether it was revoked, signed out by a role change, or expired.
func TestSessionCacheHonoursRevocation(t *testing.T) {
	t.Parallel()
	// The data version is not re-read by time during the test: only this
	// instance's own writes can make the cache let go.
	en := newEnvWith(t, demo.Open(t, store.SQLite), func(s *web.Server) { s.VersionTTL = time.Hour })
	ends := map[string]func(tok string, u concord.User){
		"revoked": func(tok string, _ concord.User) {
			if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.DeleteSession(auth.TokenHash(tok)) }); err != nil {
				t.Fatal(err)
			}
		},
		"role changed": func(_ string, u concord.User) {
			if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetRole(u.Username, concord.RoleCoFacilitator, "", 0) }); err != nil {
				t.Fatal(err)
			}
		},
	}
	n := 0
	for name, end := range ends {
		for _, how := range []string{"cookie", "bearer"} {
			n++
			u := concord.User{Username: "cached" + itoa(int64(n)), Role: concord.RoleChair}
			tok := en.session(u)
			if got := en.getAs(tok, how, "/en/account"); got != 200 {
				t.Fatalf("%s %s: first request %d", name, how, got)
			}
			// The second request is answered from the cache: no session query.
			before := en.db.Queries()
			if got := en.getAs(tok, how, "/en/account"); got != 200 {
				t.Fatalf("%s %s: second request %d", name, how, got)
			}
			cached := en.db.Queries() - before
			en.s.SetCaching(false)
			before = en.db.Queries()
			en.getAs(tok, how, "/en/account")
			uncached := en.db.Queries() - before
			en.s.SetCaching(true)
			if cached >= uncached {
				t.Errorf("%s %s: %d queries with the session cache, %d without", name, how, cached, uncached)
			}
			end(tok, u)
			if got := en.getAs(tok, how, "/en/account"); got != refused[how] {
				t.Errorf("%s %s: request after the session ended: %d, want %d", name, how, got, refused[how])
			}
		}
	}

	// Expiry is checked on every request, cached or not.
	tok := en.session(concord.User{Username: "expiring", Role: concord.RoleChair})
	for range 2 {
		if got := en.getAs(tok, "cookie", "/en/account"); got != 200 {
			t.Fatalf("before expiry: %d", got)
		}
	}
	en.db.Now = func() time.Time { return time.Now().AddDate(1, 0, 1) } // en.session sets a year
	t.Cleanup(func() { en.db.Now = time.Now })
	if got := en.getAs(tok, "cookie", "/en/account"); got != refused["cookie"] {
		t.Errorf("after expiry: %d, want %d", got, refused["cookie"])
	}
}

// Issue 9: a session revoked through another instance (another connection
// pool on the same database, whose writes this one does not count) is
// refused as soon as this instance re-reads the data version: with
// VersionTTL = 0, at the next request; in production within 20 ms.
func TestSessionCacheHonoursRevocationElsewhere(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "concord.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSecretKey(storetest.SecretKey); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Bootstrap(ctx); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	en := newEnvOn(t, db) // VersionTTL = 0
	for _, how := range []string{"cookie", "bearer"} {
		tok := en.session(concord.User{Username: "elsewhere-" + how, Role: concord.RoleChair})
		for range 2 {
			if got := en.getAs(tok, how, "/en/account"); got != 200 {
				t.Fatalf("%s before revocation: %d", how, got)
			}
		}
		writes := db.Writes()
		if err := other.Update(ctx, "system", func(tx *store.Tx) error { return tx.DeleteSession(auth.TokenHash(tok)) }); err != nil {
			t.Fatal(err)
		}
		if db.Writes() != writes {
			t.Fatal("the revocation was counted as this instance's write")
		}
		if got := en.getAs(tok, how, "/en/account"); got != refused[how] {
			t.Errorf("%s after revocation elsewhere: %d, want %d", how, got, refused[how])
		}
	}
}
