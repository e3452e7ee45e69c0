package pocs_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/notify"
	"concord/internal/notify/smtptest"
	"concord/internal/outbox"
	"concord/internal/pocs"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/poc"
)

// TestPingScale pings every State's two POCs in one round (195 × 2), sends
// every mail through SMTP (the in-process server, which refuses six for
// good: those are reported as bounces and the results show them) and
// acknowledges every link delivered: nothing is lost, nothing sent twice. The durations are logged for
// doc/performance.md (go test -run TestPingScale -v), never asserted.
func TestPingScale(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, c := setup(t, db)
		states, err := db.Read(ctx).States()
		if err != nil || len(states) != 195 {
			t.Fatalf("%d States %v", len(states), err)
		}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			for i, st := range states {
				for _, k := range poc.Kinds {
					x := poc.POC{Process: concord.DefaultProcessCode, State: st.ISO3, Kind: k, Name: string(k) + " " + st.ISO3, Function: "Duty officer",
						Email: fmt.Sprintf("%s.%s@poc.test", k, strings.ToLower(st.ISO3)), Phone: fmt.Sprintf("+41 22 917 %04d", i), Languages: []string{concord.Languages[i%6]}}
					if err := tx.SavePOC(&x, "poc.nominate"); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		rd, err := s.Schedule(ctx, sec, pocs.RoundInput{Opens: c.t, Closes: c.t.Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		_, n, err := s.Open(ctx, sec, rd.ID)
		open := time.Since(t0)
		if err != nil || n != 390 {
			t.Fatalf("open: %d %v", n, err)
		}
		srv := smtptest.Start(t)
		// The mail system refuses the first few for good (550): they
		// bounce, and are reported as the mail system would.
		const bounced = 6
		for range bounced {
			srv.Fail(smtptest.Fault{Reply: "550 5.1.1 no such user"})
		}
		sender := &outbox.Sender{DB: db, Mail: notify.SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}}
		t0 = time.Now()
		res, err := sender.Drain(ctx)
		send := time.Since(t0)
		if err != nil || res.Sent != 390-bounced || res.Failed != bounced || res.Retried != 0 || len(srv.Messages()) != 390-bounced {
			t.Fatalf("drain %+v %v, %d received", res, err, len(srv.Messages()))
		}
		all, _ := db.POCs(ctx, concord.DefaultProcessCode, "")
		t0 = time.Now()
		var reported []string
		for _, p := range all {
			m, err := db.MailByDedupe(ctx, "poc-ping:"+strconv.FormatInt(rd.ID, 10)+":"+strconv.FormatInt(p.ID, 10))
			if err != nil {
				t.Fatal(err)
			}
			if m.Status == store.MailFailed {
				if _, err := s.RecordBounce(ctx, sec, p.Email, m.LastError); err != nil {
					t.Fatal(err)
				}
				reported = append(reported, p.Email)
			}
		}
		bounce := time.Since(t0)
		if len(reported) != bounced {
			t.Fatalf("%d bounces reported", len(reported))
		}
		link := regexp.MustCompile(`/poc/ack\?token=([A-Z0-9]+)`)
		t0 = time.Now()
		for _, m := range srv.Messages() {
			body := strings.NewReplacer("=\r\n", "", "=\n", "", "=3D", "=").Replace(m.Data) // quoted-printable
			mm := link.FindStringSubmatch(body)
			if mm == nil {
				t.Fatalf("no link in the mail to %v", m.To)
			}
			if _, err := s.Acknowledge(ctx, mm[1], ""); err != nil {
				t.Fatalf("ack %v: %v", m.To, err)
			}
		}
		ack := time.Since(t0)
		res2, _ := s.Results(ctx, sec, rd.ID)
		if res2.Total.Sent != 390 || res2.Total.Answered != 390-bounced || res2.Total.States != 195 {
			t.Errorf("results %+v", res2.Total)
		}
		var shown []string
		for _, st := range res2.States {
			for _, p := range st.Pings {
				if !p.Bounced.IsZero() {
					shown = append(shown, p.Email)
				}
			}
		}
		slices.Sort(shown)
		slices.Sort(reported)
		if !slices.Equal(shown, reported) {
			t.Errorf("results show bounced %v, want %v", shown, reported)
		}
		if again, _ := sender.Drain(ctx); again.Sent != 0 {
			t.Errorf("sent again: %+v", again)
		}
		t.Logf("%s: open (390 pings, links, mails enqueued) %v; SMTP send (%d refused 550) %v; %d bounces reported %v; %d acknowledgements %v (%v each)",
			db.Dialect, open.Round(time.Millisecond), bounced, send.Round(time.Millisecond), bounced, bounce.Round(time.Millisecond),
			390-bounced, ack.Round(time.Millisecond), (ack / (390 - bounced)).Round(10*time.Microsecond))
	})
}
