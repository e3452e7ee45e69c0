package web_test

import (
	"concord/briefer"
	"concord/decision"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
)

// BenchmarkBrieferPages renders the briefers pages over the demo data (its
// round of six nominations) and over a round grown to 60 nominations with
// positions: the list, the rejected nomination (record and simulation) and
// the API list. "warm" repeats one URL (the public page cache, or the
// content cache of a signed-in user, serves it until a write or the next
// deadline); "cold" makes every URL new, so the handler runs each time.
func BenchmarkBrieferPages(b *testing.B) {
	en := benchEnv(b)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	rejected := ""
	l, err := svc.Briefers(ctx, decide.BrieferFilter{})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range l.Meetings {
		for _, x := range m.Briefers {
			if x.Result.State == briefer.Rejected {
				rejected = itoa(x.ID())
			}
		}
	}
	if rejected == "" {
		b.Fatal("the demo has no rejected nomination")
	}
	run := func(b *testing.B, p, token string, cold bool) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			u := p
			if cold {
				i++
				u += "?n=" + itoa(int64(i))
			}
			req, _ := http.NewRequest("GET", u, nil)
			if token != "" {
				req.AddCookie(&http.Cookie{Name: "concord_session", Value: token})
			}
			rec := httptest.NewRecorder()
			en.h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(p, rec.Code)
			}
		}
	}
	pages := map[string]string{"list": "/en/briefers", "list_ar": "/ar/briefers", "rejected": "/en/briefers/" + rejected, "api_list": "/api/v1/briefers"}
	for _, size := range []string{"demo", "grown"} {
		if size == "grown" {
			sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
			states := []string{"ARG", "AUS", "CAN", "CHL", "EGY", "IND", "JPN", "MYS", "NGA", "URY"}
			meeting := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
			for i := range 54 {
				n, err := svc.NominateBriefer(ctx, sec, decide.BrieferInput{Name: "Briefer " + itoa(int64(i)), Affiliation: "National CERT",
					NominatedBy: states[i%len(states)], DTG: []string{"DTG-1", "DTG-2"}[i%2], MeetingDate: meeting})
				if err != nil {
					b.Fatal(err)
				}
				for _, st := range []string{"BRA", "KEN", "SGP"} {
					if _, err := svc.TakePosition(ctx, sec, n.Decision.ID, decide.PositionInput{Actor: st, Kind: decision.PositionSupport}); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		for name, p := range pages {
			for _, mode := range []string{"warm_public", "warm_signed_in", "cold"} {
				token := ""
				if mode == "warm_signed_in" {
					token = en.tokens["chair"]
				}
				b.Run(size+"/"+name+"/"+mode, func(b *testing.B) {
					en.s.SetCaching(mode != "cold")
					run(b, p, token, mode == "cold")
				})
			}
		}
	}
}
