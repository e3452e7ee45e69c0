package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/seed"
	"concord/internal/store"
)

// BenchmarkDelegation measures, over the demo with the delegates of one
// unit of seed --scale (1,000 delegates across the States, a manager for
// each State that has one) and a large mission of 60 more for France, the
// delegation page and its API twin as France's manager, with the
// statements each reads, and an invitation through the page (the account,
// its link and its mail written).
func BenchmarkDelegation(b *testing.B) {
	en := benchEnv(b)
	if err := seed.ScaleDelegates(ctx, en.db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
		b.Fatal(err)
	}
	e := &env{db: en.db, tokens: en.tokens, tb: b}
	mgr := concord.User{Username: "bench-mgr", Role: concord.RoleDelegate, State: "FRA"}
	tok := e.session(mgr)
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		u, err := tx.UserNamed("bench-mgr")
		if err != nil {
			return err
		}
		if err := tx.CreateAppointment(&concord.Appointment{Post: concord.PostDelegationManager, Scope: "FRA", From: tx.Now.AddDate(0, -1, 0)}, u); err != nil {
			return err
		}
		for i := range 60 {
			d := concord.User{Username: "fra-" + strconv.Itoa(i), Role: concord.RoleDelegate, State: "FRA", Email: "fra" + strconv.Itoa(i) + "@fra.test"}
			if err := tx.CreateUser(&d, store.NoPassword); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	get := func(b *testing.B, path string) {
		b.ReportAllocs()
		bytes, queries := 0, int64(0)
		for b.Loop() {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: tok})
			rec := httptest.NewRecorder()
			before := en.db.Queries()
			en.h.ServeHTTP(rec, req)
			queries = en.db.Queries() - before
			if rec.Code != 200 {
				b.Fatal(rec.Code, rec.Body.String()[:min(rec.Body.Len(), 500)])
			}
			bytes = rec.Body.Len()
		}
		b.ReportMetric(float64(bytes), "bytes/page")
		b.ReportMetric(float64(queries), "queries/page")
	}
	b.Run("page", func(b *testing.B) { get(b, "/en/delegations/FRA") })
	b.Run("api", func(b *testing.B) { get(b, "/api/v1/delegations/FRA") })
	n := 0
	b.Run("invite", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n++
			f := url.Values{"username": {"inv-" + strconv.Itoa(n)}, "email": {"inv" + strconv.Itoa(n) + "@fra.test"}}
			req := httptest.NewRequest("POST", "/en/delegations/FRA/invitations", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: tok})
			rec := httptest.NewRecorder()
			en.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				b.Fatal(rec.Code, rec.Body.String()[:min(rec.Body.Len(), 500)])
			}
		}
	})
}
