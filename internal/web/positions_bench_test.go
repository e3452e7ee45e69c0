package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"concord/internal/seed"
)

// BenchmarkPositionPages renders the map of agreement and divergence (page
// and API), an item's positions register and a State's record over time,
// over the demo and over the demo with one unit of seed --scale (100,000
// statements, 1,000 of them carrying a position on an item of the July
// session, 1,000 one on a DTG topic at meetings outside any session); and
// the map's topic columns and a topic's register. Every URL is new, so the
// handler runs each time.
func BenchmarkPositionPages(b *testing.B) {
	en := benchEnv(b)
	pages := map[string]string{"map": "/en/positions/map", "map_ar": "/ar/positions/map", "api_map": "/api/v1/positions/map",
		"register": "/en/sessions/GM-2026-1/items/item-5/positions", "state_record": "/en/states/FRA/record",
		"map_topics": "/en/positions/map?show=topics", "map_outside": "/en/positions/map?session=-&show=topics", "topic_register": "/en/topics/3/t1/positions"}
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
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					// A declared parameter, so that the cache key changes.
					q := "session=GM-2026-1&n="
					if !strings.Contains(p, "map") {
						q = "page=1&n="
					}
					if strings.Contains(p, "session=") {
						q = "n="
					}
					req, _ := http.NewRequest("GET", p+sep+q+itoa(int64(i)), nil)
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
