package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord/internal/seed"
)

// BenchmarkFeeds serves each Atom feed over the demo and over the demo with
// one unit of seed --scale (10,000 more documents), with the caches off
// (the handler runs each time): the process's documents, a meeting's, a
// State's, an agenda item's, and decisions' outcomes.
func BenchmarkFeeds(b *testing.B) {
	en := benchEnv(b)
	feeds := []struct{ name, path string }{{"documents", "/en/documents/feed.atom"}, {"meeting", "/en/meetings/2/feed.atom"},
		{"state", "/en/states/FRA/feed.atom"}, {"item", "/ar/sessions/GM-2026-1/items/item-5/feed.atom"}, {"decisions", "/en/decisions/feed.atom"}}
	for _, size := range []string{"demo", "scale1"} {
		if size == "scale1" {
			if err := seed.ScaleDocuments(ctx, en.db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
				b.Fatal(err)
			}
		}
		for _, f := range feeds {
			b.Run(size+"/"+f.name, func(b *testing.B) {
				b.ReportAllocs()
				before := en.db.Queries()
				n := 0
				for b.Loop() {
					req, _ := http.NewRequest("GET", f.path, nil)
					rec := httptest.NewRecorder()
					en.h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatal(f.path, rec.Code)
					}
					n++
				}
				b.ReportMetric(float64(en.db.Queries()-before)/float64(n), "stmts/op")
			})
		}
	}
}
