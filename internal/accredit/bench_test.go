package accredit_test

import (
	"concord/accreditation"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/notify"
	"concord/internal/notify/smtptest"
	"concord/internal/outbox"
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

// BenchmarkNoticeRun5000Orgs1000Delegates is issue 11's figure for the
// notice and reminder run at scale, as one run of the scheduler's work
// over a circulated round of 5,000 applications (2,000 objections), with a
// focal point for each of the 5,000 organisations and 1,000 delegates (five
// or six per Member State), every one with a verified address taking
// notices by email: the reminder twelve hours before the objection
// deadline (a notice to every State, an email to each delegate), the
// decision at the deadline (a notice and an email to each organisation),
// and the outbox delivering every email to an SMTP server over loopback
// TCP (go-mail, one connection per batch of 50). Run with -benchtime=1x
// (each run decides the round; the setup is not timed);
// doc/performance.md has the figures.
func BenchmarkNoticeRun5000Orgs1000Delegates(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		w, err := seed.AccreditationScale(ctx, db, 5000, 2000)
		if err != nil {
			b.Fatal(err)
		}
		apps, err := db.ListApplications(ctx, store.ApplicationFilter{Window: w.ID})
		if err != nil {
			b.Fatal(err)
		}
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
			add := func(u concord.User) error {
				if err := tx.CreateUser(&u, "unused-hash"); err != nil {
					return err
				}
				addr := u.Username + "@bench.test"
				if err := tx.SetEmail(u.ID, addr); err != nil {
					return err
				}
				return tx.VerifyEmail(u.ID, addr)
			}
			for j, a := range apps {
				if err := add(concord.User{Username: fmt.Sprintf("focal-%05d", j), Role: concord.RoleFocalPoint, OrgID: a.OrgID}); err != nil {
					return err
				}
			}
			for j := range 1000 {
				if err := add(concord.User{Username: fmt.Sprintf("delegate-%04d", j), Role: concord.RoleDelegate, State: members[j%len(members)]}); err != nil {
					return err
				}
			}
			return tx.Audit("process.load", "process", "bench", nil, nil, true)
		})
		if err != nil {
			b.Fatal(err)
		}
		srv := smtptest.Start(b)
		sender := &outbox.Sender{DB: db, Mail: notify.SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}}
		svc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.test",
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		before := db.Queries()
		b.StartTimer()

		start := time.Now()
		db.Now = func() time.Time { return w.ObjectionDeadline.Add(-12 * time.Hour) }
		if err := svc.Remind(ctx); err != nil {
			b.Fatal(err)
		}
		reminded := time.Since(start)
		db.Now = func() time.Time { return w.ObjectionDeadline.Add(time.Minute) }
		if n, err := svc.DecideDue(ctx, w.ID); err != nil || n != 5000 {
			b.Fatalf("decided %d: %v", n, err)
		}
		decided := time.Since(start) - reminded
		r, err := sender.Drain(ctx)
		if err != nil {
			b.Fatal(err)
		}
		total := time.Since(start)

		b.StopTimer()
		if got := len(srv.Messages()); r.Sent != 6000 || got != 6000 {
			b.Fatalf("%d emails sent, %d received, want 6,000 (1,000 reminders and 5,000 outcomes)", r.Sent, got)
		}
		b.ReportMetric(total.Seconds(), "total-s")
		b.ReportMetric(reminded.Seconds(), "remind-s")
		b.ReportMetric(decided.Seconds(), "decide-s")
		b.ReportMetric((total - reminded - decided).Seconds(), "deliver-s")
		b.ReportMetric(float64(db.Queries()-before), "statements")
		b.StartTimer()
	}
}
