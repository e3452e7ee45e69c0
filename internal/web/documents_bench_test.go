package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord/internal/seed"
)

// BenchmarkDocumentPages renders the documents over the demo (nine
// documents) and over the demo with one unit of seed --scale (10,000 more):
// the list in English, the list of documents readable in Arabic, a later
// page, one document and the API list, with the caches off (the handler
// runs each time).
func BenchmarkDocumentPages(b *testing.B) {
	en := benchEnv(b)
	pages := []struct{ name, path string }{{"list", "/en/documents"}, {"list_ar_filter", "/ar/documents?language=ar"},
		{"list_page_50", "/en/documents?page=50"}, {"document", "/en/documents/1"}, {"api_list", "/api/v1/documents"}}
	for _, size := range []string{"demo", "scale1"} {
		if size == "scale1" {
			if err := seed.ScaleDocuments(ctx, en.db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
				b.Fatal(err)
			}
		}
		for _, p := range pages {
			b.Run(size+"/"+p.name, func(b *testing.B) {
				b.ReportAllocs()
				before := en.db.Queries()
				n := 0
				for b.Loop() {
					req, _ := http.NewRequest("GET", p.path, nil)
					rec := httptest.NewRecorder()
					en.h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatal(p.path, rec.Code)
					}
					n++
				}
				b.ReportMetric(float64(en.db.Queries()-before)/float64(n), "stmts/op")
			})
		}
	}
}
