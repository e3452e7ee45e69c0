package decide_test

import (
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// BenchmarkRemind1000Delegates runs the decisions' reminders over the demo
// with 1,000 delegates (five or six per Member State, each with a verified
// address, so each State's reminder is five or six emails): "due" is a run
// at the 72-hour point of a new decision (193 notices and about 1,000
// emails into the outbox, in one write), "idle" is the scheduler's run
// every 15 seconds when everything due was sent (reads only).
func BenchmarkRemind1000Delegates(b *testing.B) {
	db := demoStore.Open(b, store.SQLite)
	states, err := db.ListStates(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var members []string
	for _, s := range states {
		if s.Status == "member" {
			members = append(members, s.ISO3)
		}
	}
	err = db.Update(ctx, "system", func(tx *store.Tx) error {
		for i := range 1000 {
			u := concord.User{Username: "bench-del-" + itoa(int64(i)), Role: concord.RoleDelegate, State: members[i%len(members)]}
			if err := tx.CreateUser(&u, "unused-hash"); err != nil {
				return err
			}
			addr := u.Username + "@example.org"
			if err := tx.SetEmail(u.ID, addr); err != nil {
				return err
			}
			if err := tx.VerifyEmail(u.ID, addr); err != nil {
				return err
			}
		}
		return tx.Audit("process.load", "process", "bench", nil, nil, true)
	})
	if err != nil {
		b.Fatal(err)
	}
	clock := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
	chair := &concord.User{ID: 1, Role: concord.RoleChair}
	b.Run("due", func(b *testing.B) {
		var statements int64
		var notices int
		for b.Loop() {
			b.StopTimer()
			clock = clock.Add(96 * time.Hour) // the last run's decision is over
			if _, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Bench"},
				Proposal: concord.Text{"en": "Adopt."}, Modality: decision.ModalityConsensus, PeriodHours: 96, NoConsensus: decision.OutcomeDeferred}); err != nil {
				b.Fatal(err)
			}
			clock = clock.Add(24 * time.Hour) // 72 hours before the deadline
			before := db.Queries()
			b.StartTimer()
			n, err := svc.Remind(ctx)
			if err != nil {
				b.Fatal(err)
			}
			statements, notices = db.Queries()-before, n
		}
		b.ReportMetric(float64(notices), "notices/run")
		b.ReportMetric(float64(statements), "statements/run")
	})
	b.Run("idle", func(b *testing.B) {
		var statements int64
		for b.Loop() {
			before := db.Queries()
			if n, err := svc.Remind(ctx); err != nil || n != 0 {
				b.Fatal(n, err)
			}
			statements = db.Queries() - before
		}
		b.ReportMetric(float64(statements), "statements/run")
	})
}
