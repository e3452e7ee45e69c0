package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord/internal/seed"
)

// BenchmarkMeetingPages renders the calendar over the demo (four meetings)
// and over the demo with one unit of seed --scale (1,000 more meetings):
// the calendar page in English and Arabic, one meeting, the iCalendar feed
// of the whole process and the API list. "cold" makes every URL new, so
// the handler runs each time; "warm" serves the public page cache.
func BenchmarkMeetingPages(b *testing.B) {
	en := benchEnv(b)
	pages := map[string]string{"list": "/en/meetings", "list_ar": "/ar/meetings", "meeting": "/en/meetings/2",
		"feed": "/en/calendar.ics", "feed_plenary": "/en/calendar/plenary.ics", "api_list": "/api/v1/meetings"}
	run := func(b *testing.B, p string, cold bool) {
		b.ReportAllocs()
		i := 0
		bytes := 0
		for b.Loop() {
			u := p
			if cold {
				i++
				u += "?n=" + itoa(int64(i))
			}
			req, _ := http.NewRequest("GET", u, nil)
			rec := httptest.NewRecorder()
			en.h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(p, rec.Code)
			}
			bytes = rec.Body.Len()
		}
		b.ReportMetric(float64(bytes), "bytes/page")
	}
	for _, size := range []string{"demo", "scale1"} {
		if size == "scale1" {
			if err := seed.ScaleMeetings(ctx, en.db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
				b.Fatal(err)
			}
		}
		for name, p := range pages {
			for _, mode := range []string{"cold", "warm"} {
				b.Run(size+"/"+name+"/"+mode, func(b *testing.B) {
					en.s.SetCaching(mode != "cold")
					run(b, p, mode == "cold")
				})
			}
		}
	}
}
