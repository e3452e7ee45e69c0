package web_test

import (
	"concord/decision"
	"net/http"
	"net/http/httptest"
	"testing"

	"concord"
	"concord/internal/decide"
)

// BenchmarkDecisionPage195 measures a decision on which every Member State
// took a position (support, objection, reservation, dissociation, abstention
// with statements, in rotation): its page, its JSON and its simulation under
// the six modalities, each recomputed on every request (?n= busts the
// anonymous cache).
func BenchmarkDecisionPage195(b *testing.B) {
	en := benchEnv(b)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	d, err := svc.Create(ctx, sec, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Programme of work"},
		Proposal: concord.Text{"en": "Adopt the programme of work."}, Modality: decision.ModalityConsensus})
	if err != nil {
		b.Fatal(err)
	}
	kinds := []decision.PositionKind{decision.PositionSupport, decision.PositionNoObjection, decision.PositionObjection, decision.PositionReservation,
		decision.PositionDissociation, decision.PositionAbstention}
	for i, iso := range d.Facts.Participants {
		in := decide.PositionInput{Actor: iso, Kind: kinds[i%len(kinds)], Text: "Statement of " + iso + " on the programme of work.", Lang: "en"}
		if _, err := svc.TakePosition(ctx, sec, d.ID, in); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d positions", len(d.Facts.Participants))
	for name, p := range map[string]string{"page_en": "/en/decisions/" + itoa(d.ID), "page_ar": "/ar/decisions/" + itoa(d.ID),
		"api": "/api/v1/decisions/" + itoa(d.ID), "api_simulation": "/api/v1/decisions/" + itoa(d.ID) + "/simulation"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				req, _ := http.NewRequest("GET", p+"?n="+itoa(int64(i)), nil)
				rec := httptest.NewRecorder()
				en.h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
