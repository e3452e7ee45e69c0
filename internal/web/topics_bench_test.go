package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"concord/internal/seed"
)

// BenchmarkTopicResultsPage193 renders the page of a round whose closed
// survey has a ballot from each of the 193 Member States: "signed_in"
// makes every URL new (handler, tally, tables, chart and templates run for
// the Chair, with the proposal form); "public" repeats one URL for the
// public (served from the page cache, as a closed survey's page may be).
func BenchmarkTopicResultsPage193(b *testing.B) {
	en := benchEnv(b)
	id, err := seed.TopicSurveyScale(ctx, en.db, "2030", 193)
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"en", "ar"} {
		path := "/" + lang + "/topics/" + itoa(id)
		b.Run(lang+"/signed_in", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				req, _ := http.NewRequest("GET", path+"?n="+itoa(int64(i)), nil)
				req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["chair"]})
				rec := httptest.NewRecorder()
				en.h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
		b.Run(lang+"/public", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequest("GET", path, nil)
				rec := httptest.NewRecorder()
				en.h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
