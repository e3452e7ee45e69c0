package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord/internal/seed"
)

// BenchmarkStatementPages renders a meeting's page (its lists of speakers
// and first statements), a State's page with its statements, the
// statements list of one State and the API twin, over the demo and over
// the demo with one unit of seed --scale (1,000 meetings, 100,000
// statements). Every URL is new, so the handler runs each time.
func BenchmarkStatementPages(b *testing.B) {
	en := benchEnv(b)
	pages := map[string]string{"meeting": "/en/meetings/2", "meeting_ar": "/ar/meetings/2", "state": "/en/states/IRN",
		"statements_state": "/en/statements?speaker=FRA", "api_statements_state": "/api/v1/statements?speaker=FRA"}
	for _, size := range []string{"demo", "scale1"} {
		if size == "scale1" {
			r := rand.New(rand.NewPCG(1, 42))
			if err := seed.ScaleMeetings(ctx, en.db, r, 0); err != nil {
				b.Fatal(err)
			}
			if err := seed.ScaleStatements(ctx, en.db, r, 0); err != nil {
				b.Fatal(err)
			}
		}
		for name, p := range pages {
			b.Run(size+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					req, _ := http.NewRequest("GET", p+"&n="+itoa(int64(i)), nil)
					if name == "meeting" || name == "meeting_ar" || name == "state" {
						req, _ = http.NewRequest("GET", p+"?n="+itoa(int64(i)), nil)
					}
					rec := httptest.NewRecorder()
					en.h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatal(p, rec.Code)
					}
				}
			})
		}
	}
}
