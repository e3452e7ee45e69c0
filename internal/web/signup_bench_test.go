package web_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
)

// errRollback ends a measured transaction without writing.
var errRollback = errors.New("rollback")

// BenchmarkSignup measures, over the demo with one unit of seed --scale
// (5,000 more organisations), a sign-up through the page (the likely
// duplicates checked against every organisation in every script, the
// password hashed, the organisation, account, sign-up and verification
// mail written) and the Secretariat's queue page with the sign-ups made.
// Each sign-up comes from its own client address, so the throttle never
// waits.
func BenchmarkSignup(b *testing.B) {
	en := benchEnv(b)
	if err := seed.Scale(ctx, en.db, 1); err != nil {
		b.Fatal(err)
	}
	e := &env{db: en.db, tokens: en.tokens, tb: b}
	sec := e.session(concord.User{Username: "bench-sec", Role: concord.RoleSecretariat})
	n := 0
	b.Run("signup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n++
			f := signupForm("Bench Forum "+itoa(int64(n)), "https://bench"+itoa(int64(n))+".test", "bench"+itoa(int64(n)), "b"+itoa(int64(n))+"@bench.test")
			req := httptest.NewRequest("POST", "/en/signup", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = "10.1." + itoa(int64(n/250)) + "." + itoa(int64(n%250)) + ":1234"
			rec := httptest.NewRecorder()
			en.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatal(rec.Code, rec.Body.String()[:min(rec.Body.Len(), 2000)])
			}
		}
	})
	// The likely-duplicates check alone, in a write's transaction (where
	// the sign-up runs it, holding the writer): every organisation's names
	// in every language, normalised, against the new one's.
	b.Run("duplicates", func(b *testing.B) {
		o := concord.Organization{Names: concord.Text{"en": "Bench Forum", "ar": "منتدى"}, Website: "https://bench.test"}
		for b.Loop() {
			err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
				if _, err := tx.OrganizationDuplicates(o); err != nil {
					return err
				}
				return errRollback
			})
			if err != errRollback {
				b.Fatal(err)
			}
		}
	})
	b.Run("queue", func(b *testing.B) {
		b.ReportAllocs()
		bytes := 0
		for b.Loop() {
			req := httptest.NewRequest("GET", "/en/admin/signups", nil)
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: sec})
			rec := httptest.NewRecorder()
			en.h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
			bytes = rec.Body.Len()
		}
		b.ReportMetric(float64(n), "signups")
		b.ReportMetric(float64(bytes), "bytes/page")
	})
}
