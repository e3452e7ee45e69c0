package accredit_test

import (
	"concord/accreditation"
	"io"
	"log/slog"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// BenchmarkDecideRound5000 decides a round of 5,000 circulated applications
// with 2,000 objections from the 193 Member States at its deadline: load,
// decide, settle, write back 5,000 audited documents and the notices. Each
// iteration resets the round first (not timed).
func BenchmarkDecideRound5000(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	w, err := seed.AccreditationScale(ctx, db, 5000, 2000)
	if err != nil {
		b.Fatal(err)
	}
	orig, err := db.ListApplications(ctx, store.ApplicationFilter{Window: w.ID})
	if err != nil {
		b.Fatal(err)
	}
	svc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	after := w.ObjectionDeadline.Add(time.Minute)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db.Now = time.Now
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			for j := range orig {
				if err := tx.SaveApplication(&orig[j], "bench.reset", true); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		db.Now = func() time.Time { return after }
		b.StartTimer()
		n, err := svc.DecideDue(ctx, w.ID)
		if err != nil || n != 5000 {
			b.Fatalf("decided %d, %v", n, err)
		}
	}
}

// BenchmarkListAndDecide5000 reads the 5,000 applications (the circulated
// list's query) and runs the pure decision over them, without writing.
func BenchmarkListAndDecide5000(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	w, err := seed.AccreditationScale(ctx, db, 5000, 2000)
	if err != nil {
		b.Fatal(err)
	}
	p, err := (&accredit.Service{DB: db, Process: concord.DefaultProcessCode}).PolicyFor(ctx, w)
	if err != nil {
		b.Fatal(err)
	}
	after := w.ObjectionDeadline.Add(time.Minute)
	for b.Loop() {
		apps, err := db.ListApplications(ctx, store.ApplicationFilter{Window: w.ID})
		if err != nil {
			b.Fatal(err)
		}
		accreditation.Decide(p, w, apps, after)
	}
}
