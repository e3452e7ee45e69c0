package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/seed"
	"concord/internal/store"
)

// BenchmarkExport measures the download of one's own data (GET
// /en/account/data/export) over the demo with one unit of seed --scale,
// for a delegate of France with more of every kind of row than the export
// lists (1,200 log entries as actor, 1,200 emails, 200 sessions; the
// demo's notices to France): each list stops at its limit of 1,000, so the
// export's cost is bounded whatever the person did. It reports the
// statements per export.
func BenchmarkExport(b *testing.B) {
	en := benchEnv(b)
	if err := seed.Scale(ctx, en.db, 1); err != nil {
		b.Fatal(err)
	}
	u := concord.User{Username: "busy-delegate", Role: concord.RoleDelegate, State: "FRA", Email: "busy@example.org"}
	token, th := auth.NewToken()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "unused-hash"); err != nil {
			return err
		}
		return tx.CreateSession(th, u.ID, time.Now().Add(24*time.Hour))
	}); err != nil {
		b.Fatal(err)
	}
	for batch := range 12 {
		if err := en.db.Update(ctx, concord.Actor(&u), func(tx *store.Tx) error {
			for i := range 100 {
				n := strconv.Itoa(batch*100 + i)
				if err := tx.Audit("decision.position", "decision", n, nil, nil, i%2 == 0); err != nil {
					return err
				}
				if _, err := tx.Enqueue(store.Mail{Dedupe: "bench:" + n, To: []string{u.Email}, Subject: "Notice " + n, Text: "A notice."}); err != nil {
					return err
				}
				if batch < 2 {
					_, h2 := auth.NewToken()
					if err := tx.OpenSession(h2, u.ID, tx.Now.Add(time.Hour), "api"); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var stmts int64
	for b.Loop() {
		before := en.db.Queries()
		req := httptest.NewRequest("GET", "/en/account/data/export", nil)
		req.AddCookie(&http.Cookie{Name: "concord_session", Value: token})
		rec := httptest.NewRecorder()
		en.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String()[:min(rec.Body.Len(), 500)])
		}
		stmts = en.db.Queries() - before
		b.ReportMetric(float64(rec.Body.Len()), "bytes/export")
	}
	b.ReportMetric(float64(stmts), "stmts/export")
}
