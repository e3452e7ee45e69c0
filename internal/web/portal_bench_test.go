package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord"
	"concord/internal/portal"
	"concord/internal/seed"
)

// BenchmarkPortalPages renders the portal over the demo (four needs, five
// offers) and over the demo with one unit of seed --scale (2,000 more
// needs, 10,000 more offers): the matches of one need (its page, in
// English and Arabic, and the API), the needs list and the offers list.
// Every request is new (the caches are off), so the handler runs each
// time; the matching service alone is measured too.
func BenchmarkPortalPages(b *testing.B) {
	en := benchEnv(b)
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	for _, size := range []string{"demo", "scale1"} {
		if size == "scale1" {
			if err := seed.ScalePortal(ctx, en.db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
				b.Fatal(err)
			}
		}
		// The need with the most offers in its area: the matching's worst case.
		l, err := svc.Needs(ctx, nil, "", "", 200, 0)
		if err != nil {
			b.Fatal(err)
		}
		var need int64
		most := -1
		for _, n := range l.Needs {
			if m, err := en.db.Read(ctx).OffersInArea(concord.DefaultProcessCode, n.Area); err == nil && len(m) > most {
				need, most = n.ID, len(m)
			}
		}
		id := itoa(need)
		pages := map[string]string{"need": "/en/portal/needs/" + id, "need_ar": "/ar/portal/needs/" + id, "api_matches": "/api/v1/portal/needs/" + id + "/matches",
			"needs": "/en/portal", "needs_page3": "/en/portal?page=3", "offers": "/en/portal/offers", "api_needs": "/api/v1/portal/needs"}
		for name, p := range pages {
			b.Run(size+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				bytes := 0
				for b.Loop() {
					req, _ := http.NewRequest("GET", p, nil)
					rec := httptest.NewRecorder()
					en.h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatal(p, rec.Code)
					}
					bytes = rec.Body.Len()
				}
				b.ReportMetric(float64(bytes), "bytes/page")
			})
		}
		b.Run(size+"/matching", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := svc.Matches(ctx, nil, need)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(m.Considered), "offers-scored")
			}
		})
	}
}
