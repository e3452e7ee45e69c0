package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/seed"
	"concord/internal/store/storetest"
)

// BenchmarkTwoFactorSignIn measures, over the demo with one unit of seed
// --scale, the sign-in page, the password step of an account with
// two-factor sign-in (argon2id, then the pending sign-in written), the
// code page, and the code step (the code checked and its step recorded,
// the pending sign-in taken, the session opened), each as the median and
// the 95th percentile of its requests. The authenticator's clock moves a
// step per sign-in, so that every code is fresh (a code is accepted once).
func BenchmarkTwoFactorSignIn(b *testing.B) {
	en := benchEnv(b)
	if err := seed.Scale(ctx, en.db, 1); err != nil {
		b.Fatal(err)
	}
	e := &env{db: en.db, tokens: en.tokens, tb: b}
	u := e.withPasswordTB(b, concord.User{Username: "bench-sec", Role: concord.RoleSecretariat})
	clock := time.Now()
	auth.Clock = func() time.Time { return clock }
	b.Cleanup(func() { auth.Clock = time.Now })
	serve := func(method, path, cookie string, form url.Values) *httptest.ResponseRecorder {
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "concord_2fa", Value: cookie})
		}
		rec := httptest.NewRecorder()
		en.h.ServeHTTP(rec, req)
		return rec
	}
	pending := func(rec *httptest.ResponseRecorder) string {
		for _, c := range rec.Result().Cookies() {
			if c.Name == "concord_2fa" {
				return c.Value
			}
		}
		b.Fatal("no pending sign-in cookie", rec.Code)
		return ""
	}
	var page, password, codePage, code []time.Duration
	timed := func(into *[]time.Duration, f func() *httptest.ResponseRecorder, want int) *httptest.ResponseRecorder {
		t0 := time.Now()
		rec := f()
		*into = append(*into, time.Since(t0))
		if rec.Code != want {
			b.Fatal(rec.Code, rec.Body.String()[:min(rec.Body.Len(), 1000)])
		}
		return rec
	}
	login := url.Values{"username": {"bench-sec"}, "password": {"a-long-test-password"}, "next": {"/en/states"}}
	for b.Loop() {
		timed(&page, func() *httptest.ResponseRecorder { return serve("GET", "/en/login", "", nil) }, 200)
		rec := timed(&password, func() *httptest.ResponseRecorder { return serve("POST", "/en/login", "", login) }, 303)
		p := pending(rec)
		timed(&codePage, func() *httptest.ResponseRecorder { return serve("GET", "/en/login/code", p, nil) }, 200)
		clock = clock.Add(auth.TOTPPeriod * time.Second)
		c := auth.TOTPCode(storetest.TOTPSecret, auth.TOTPStep(clock))
		timed(&code, func() *httptest.ResponseRecorder { return serve("POST", "/en/login/code", p, url.Values{"code": {c}}) }, 303)
	}
	_ = u
	for _, m := range []struct {
		name string
		d    []time.Duration
	}{{"login-page", page}, {"password", password}, {"code-page", codePage}, {"code", code}} {
		slices.Sort(m.d)
		b.ReportMetric(float64(m.d[len(m.d)/2].Microseconds())/1000, m.name+"-p50-ms")
		b.ReportMetric(float64(m.d[min(len(m.d)-1, len(m.d)*95/100)].Microseconds())/1000, m.name+"-p95-ms")
	}
}
