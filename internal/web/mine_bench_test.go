package web_test

import (
	"testing"

	"concord"
	"concord/decision"
	"concord/internal/decide"
)

// BenchmarkHomePages renders each role's home page (/en/home, never cached:
// it is personal) over the demo with 100 more decisions open to every
// State, and reports the SQL statements of one page.
func BenchmarkHomePages(b *testing.B) {
	en := benchEnv(b)
	e := &env{db: en.db, tokens: en.tokens, tb: b}
	roles := map[string]concord.User{
		"secretariat": {Username: "sec", Role: concord.RoleSecretariat},
		"delegate":    {Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"},
		"focal-point": {Username: "focal", Role: concord.RoleFocalPoint, OrgID: 1},
	}
	for role, u := range roles {
		en.tokens[role] = e.session(u)
	}
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	chair := &concord.User{ID: 1, Role: concord.RoleChair}
	for i := range 100 {
		if _, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Decision " + itoa(int64(i))},
			Proposal: concord.Text{"en": "Adopt."}, Modality: decision.ModalityConsensus, PeriodHours: 240, NoConsensus: decision.OutcomeDeferred}); err != nil {
			b.Fatal(err)
		}
	}
	for _, role := range []string{"secretariat", "chair", "delegate", "focal-point"} {
		for _, p := range []string{"/en/home", "/api/v1/me/waiting"} {
			b.Run(role+p, func(b *testing.B) {
				token := en.tokens[role]
				before := en.db.Queries()
				w := discard{h: map[string][]string{}}
				en.h.ServeHTTP(&w, signedIn(p, "cookie", token))
				if w.code != 200 {
					b.Fatal(w.code)
				}
				statements := en.db.Queries() - before
				b.ReportAllocs()
				for b.Loop() {
					w := discard{h: map[string][]string{}}
					en.h.ServeHTTP(&w, signedIn(p, "cookie", token))
				}
				b.ReportMetric(float64(statements), "statements/page")
			})
		}
	}
}
