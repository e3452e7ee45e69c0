package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord"
	"concord/internal/normsvc"
	"concord/internal/seed"
)

// BenchmarkNormsProgress renders the checklist's progress (per norm, per
// region and per State, with the latest changes) over the demo (six
// States) and with every one of the 195 States reporting on all 33
// actions (seed --scale's checklist, 6,435 reports): the overview page in
// English and Arabic, its API twin, a State's checklist, and the service's
// progress alone for the Secretariat (every report) and the public (the
// public ones). The caches are off, so the handler runs each time.
func BenchmarkNormsProgress(b *testing.B) {
	en := benchEnv(b)
	svc := &normsvc.Service{DB: en.db, Process: concord.DefaultProcessCode}
	for _, size := range []string{"demo", "all195"} {
		if size == "all195" {
			if err := seed.ScaleNorms(ctx, en.db, rand.New(rand.NewPCG(1, 42))); err != nil {
				b.Fatal(err)
			}
		}
		pages := map[string]string{"overview": "/en/norms", "overview_ar": "/ar/norms", "api_progress": "/api/v1/norms/progress",
			"state": "/en/norms/states/JPN", "api_state": "/api/v1/norms/states/JPN"}
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
		for who, u := range map[string]*concord.User{"secretariat": {Role: concord.RoleSecretariat}, "public": nil} {
			b.Run(size+"/progress_"+who, func(b *testing.B) {
				for b.Loop() {
					p, err := svc.Progress(ctx, u)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(p.ByState)), "states")
				}
			})
		}
	}
}
