package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"concord"
	"concord/internal/app"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// scaled is a store with the data of `concord seed --scale 1` (5,000
// organisations, 20,000 persons, their audit log), built once per binary.
var scaled = storetest.NewTemplate("scale1", func(ctx context.Context, db *store.DB) error { return seed.Scale(ctx, db, 1) })

// BenchmarkSignedInPage serves the pages of bench/load.sh's signed-in rows
// through the whole handler, as `concord serve` does: every middleware
// (access log, request id, security headers, body limit, cross-origin
// check, input check, session lookup, conditional, route and permission,
// form tokens), the caches on and the data version re-read every 20 ms, over
// the scale-1 data. The same URL is asked again and again, as wrk does, so
// the content comes from the content cache and what is measured is the
// per-request work around it. allocs/op is the figure for doc/performance.md.
func BenchmarkSignedInPage(b *testing.B) {
	db := scaled.Open(b, store.SQLite)
	s, err := app.NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		b.Fatal(err)
	}
	h, err := s.Handler()
	if err != nil {
		b.Fatal(err)
	}
	en := &env{db: db, tokens: map[string]string{}, tb: b}
	token := en.session(concord.User{Username: "secretariat", Role: concord.RoleSecretariat})
	for _, p := range []string{"/en/states", "/en/states/FRA", "/en/organizations", "/en/persons?page=100"} {
		for _, how := range []string{"cookie", "bearer"} {
			name := strings.NewReplacer("/", "_", "?", "_", "=", "").Replace(p[1:]) + "/" + how
			b.Run(name, func(b *testing.B) {
				req := signedIn(p, how, token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
				b.ReportAllocs()
				for b.Loop() {
					w := discard{h: http.Header{}}
					h.ServeHTTP(&w, signedIn(p, how, token))
					if w.code != 200 {
						b.Fatal(w.code)
					}
				}
			})
		}
	}
}

func signedIn(path, how, token string) *http.Request {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	if how == "cookie" {
		req.AddCookie(&http.Cookie{Name: "concord_session", Value: token})
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// discard is a ResponseWriter that keeps only the status, so that the
// benchmark counts the server's allocations and not a recorder's copy.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = 200
	}
	return len(p), nil
}
