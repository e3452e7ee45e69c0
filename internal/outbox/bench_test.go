package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"concord/internal/notify"
	"concord/internal/notify/smtptest"
	"concord/internal/outbox"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// BenchmarkOutbox5000 measures the outbox at the scale of a notice to
// every focal point of 5,000 organisations: enqueueing 5,000 messages, one
// transaction per event (as each event commits its own), then delivering
// them to an in-process SMTP server over real TCP. Run with -benchtime=1x;
// doc/performance.md has the figures.
func BenchmarkOutbox5000(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.Open(b, e)
				srv := smtptest.Start(b)
				s := &outbox.Sender{DB: db, Mail: notify.SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}}
				ctx := context.Background()
				b.StartTimer()
				start := time.Now()
				for i := range 5000 {
					err := db.Update(ctx, "system", func(tx *store.Tx) error {
						if _, err := tx.Enqueue(store.Mail{Dedupe: fmt.Sprintf("bench:%d", i), To: []string{fmt.Sprintf("focal%d@ngo.test", i)},
							Subject: "Concord: your application was circulated to States", Text: "Your application was circulated.\n\nDetails: https://concord.test/en/accreditation"}); err != nil {
							return err
						}
						return tx.Audit("bench.event", "bench", "1", nil, nil, false)
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				enqueued := time.Since(start)
				r, err := s.Drain(ctx)
				if err != nil || r.Sent != 5000 {
					b.Fatalf("%+v %v", r, err)
				}
				delivered := time.Since(start) - enqueued
				if n := len(srv.Messages()); n != 5000 {
					b.Fatalf("%d received", n)
				}
				b.ReportMetric(enqueued.Seconds(), "enqueue-s")
				b.ReportMetric(delivered.Seconds(), "deliver-s")
				b.ReportMetric(5000/delivered.Seconds(), "msgs/s")
			}
		})
	}
}
