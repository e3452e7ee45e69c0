package outbox_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"concord/internal/notify"
	"concord/internal/notify/smtptest"
	"concord/internal/outbox"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// clock is a settable test clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func setup(t *testing.T, db *store.DB) (*smtptest.Server, *outbox.Sender, *clock) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	s := &outbox.Sender{DB: db, Mail: notify.SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}, MaxAttempts: 3, Backoff: time.Minute}
	return srv, s, c
}

func enqueue(t *testing.T, db *store.DB, mails ...store.Mail) {
	t.Helper()
	err := db.Update(context.Background(), "system", func(tx *store.Tx) error {
		for _, m := range mails {
			if _, err := tx.Enqueue(m); err != nil {
				return err
			}
		}
		return tx.Audit("test.enqueue", "test", "1", nil, nil, false)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mail(key string) store.Mail {
	return store.Mail{Dedupe: key, To: []string{"Délégation <fra@mission.test>"}, Subject: "Liste diffusée — objection avant le 1er mars",
		Text: "Bonjour,\nla liste est diffusée : https://concord.test/fr/x\n.\nFin", Unsubscribe: "https://concord.test/fr/account/email"}
}

// One event, enqueued twice (a retried transaction), is delivered once, as
// multipart text and HTML with encoded headers and List-Unsubscribe; a
// second drain sends nothing more.
func TestOutboxDeliversOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, _ := setup(t, db)
		ctx := context.Background()
		enqueue(t, db, mail("ev:1"))
		enqueue(t, db, mail("ev:1"))
		r, err := s.Drain(ctx)
		if err != nil || r.Sent != 1 {
			t.Fatalf("drain %+v %v", r, err)
		}
		if r, _ := s.Drain(ctx); r != (outbox.Result{}) {
			t.Errorf("second drain did %+v", r)
		}
		got := srv.Messages()
		if len(got) != 1 || got[0].To[0] != "fra@mission.test" {
			t.Fatalf("received %+v", got)
		}
		d := got[0].Data
		for _, want := range []string{"=?UTF-8?q?Liste_diffus=C3=A9e_=E2=80=94", "multipart/alternative", "text/plain; charset=UTF-8", "text/html; charset=UTF-8",
			"Content-Transfer-Encoding: quoted-printable", "List-Unsubscribe: <https://concord.test/fr/account/email>", "Message-ID: <outbox."} {
			if !strings.Contains(d, want) {
				t.Errorf("message lacks %q:\n%s", want, d)
			}
		}
		m, err := db.MailByDedupe(ctx, "ev:1")
		if err != nil || m.Status != store.MailSent || m.Attempts != 1 || m.Text != "" {
			t.Errorf("outbox row %+v %v (sent, one attempt, body cleared)", m, err)
		}
	})
}

// A server that answers 4xx is retried with backoff until it takes the
// message; one that answers 5xx is given up at once, with its reason.
func TestOutboxRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, c := setup(t, db)
		ctx := context.Background()
		srv.Fail(smtptest.Fault{Reply: "451 4.3.0 try later"}, smtptest.Fault{Reply: "451 4.3.0 try later"})
		enqueue(t, db, mail("temp"))
		if r, err := s.Drain(ctx); err != nil || r.Retried != 1 {
			t.Fatalf("first drain %+v %v", r, err)
		}
		if r, _ := s.Drain(ctx); r != (outbox.Result{}) {
			t.Errorf("retried before its backoff: %+v", r)
		}
		c.add(time.Minute)
		if r, _ := s.Drain(ctx); r.Retried != 1 {
			t.Errorf("second attempt %+v", r)
		}
		c.add(time.Minute)
		if r, _ := s.Drain(ctx); r.Retried != 0 {
			t.Errorf("backoff did not double: %+v", r)
		}
		c.add(time.Minute)
		if r, _ := s.Drain(ctx); r.Sent != 1 {
			t.Errorf("third attempt %+v", r)
		}
		if len(srv.Messages()) != 1 || srv.Attempts() != 3 {
			t.Errorf("%d received after %d attempts", len(srv.Messages()), srv.Attempts())
		}

		srv.Fail(smtptest.Fault{Reply: "550 5.7.1 refused"})
		enqueue(t, db, mail("perm"))
		if r, _ := s.Drain(ctx); r.Failed != 1 {
			t.Errorf("permanent refusal %+v", r)
		}
		m, _ := db.MailByDedupe(ctx, "perm")
		if m.Status != store.MailFailed || !strings.Contains(m.LastError, "550") || m.Text != "" {
			t.Errorf("given-up row %+v", m)
		}
	})
}

// After MaxAttempts temporary failures the message is given up, recorded.
func TestOutboxGivesUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, c := setup(t, db)
		ctx := context.Background()
		srv.Fail(smtptest.Fault{Reply: "421 4.4.2 busy"}, smtptest.Fault{Reply: "421 4.4.2 busy"}, smtptest.Fault{Reply: "421 4.4.2 busy"})
		enqueue(t, db, mail("busy"))
		var total outbox.Result
		for range 3 {
			r, err := s.Drain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			total.Retried += r.Retried
			total.Failed += r.Failed
			c.add(time.Hour)
		}
		m, _ := db.MailByDedupe(ctx, "busy")
		if total.Retried != 2 || total.Failed != 1 || m.Status != store.MailFailed || m.Attempts != 3 {
			t.Errorf("%+v, row %+v", total, m)
		}
		if len(srv.Messages()) != 0 {
			t.Error("a refused message was received")
		}
	})
}

// A server that drops the connection in the middle of DATA: the message is
// neither lost nor doubled; the next attempt delivers it once, and the
// other messages of the batch are not affected.
func TestOutboxDisconnectMidData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, c := setup(t, db)
		ctx := context.Background()
		srv.Fail(smtptest.Fault{Disconnect: true})
		enqueue(t, db, mail("a"), mail("b"))
		r, err := s.Drain(ctx)
		if err != nil || r.Sent+r.Retried != 2 || r.Retried < 1 {
			t.Fatalf("drain %+v %v", r, err)
		}
		c.add(time.Minute)
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		got := srv.Messages()
		if len(got) != 2 {
			t.Fatalf("%d messages received, want 2", len(got))
		}
		ids := map[string]bool{}
		for _, m := range got {
			_, rest, _ := strings.Cut(m.Data, "Message-ID: <")
			id, _, _ := strings.Cut(rest, ">")
			ids[id] = true
		}
		if len(ids) != 2 {
			t.Errorf("a message arrived twice: %v", ids)
		}
	})
}

// Two senders (two instances) draining at once claim different messages:
// every message is delivered exactly once.
func TestOutboxParallelSenders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, _ := setup(t, db)
		s.Batch = 5
		var mails []store.Mail
		for i := range 60 {
			mails = append(mails, mail(fmt.Sprintf("p:%d", i)))
		}
		enqueue(t, db, mails...)
		other := *s
		var wg sync.WaitGroup
		for _, x := range []*outbox.Sender{s, &other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := x.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := len(srv.Messages()); n != 60 {
			t.Errorf("%d messages received, want 60", n)
		}
	})
}

// A sender that claimed messages and died: nobody else takes them until
// its lease runs out, then another sender delivers them, and the dead
// sender's late report cannot mark them again.
func TestOutboxLeaseRunsOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, s, c := setup(t, db)
		ctx := context.Background()
		enqueue(t, db, mail("lease"))
		dead, err := db.ClaimMail(ctx, 10, time.Minute)
		if err != nil || len(dead) != 1 {
			t.Fatalf("claim %v %v", dead, err)
		}
		if r, _ := s.Drain(ctx); r != (outbox.Result{}) {
			t.Errorf("a claimed message was taken before its lease ran out: %+v", r)
		}
		c.add(time.Minute)
		if r, _ := s.Drain(ctx); r.Sent != 1 {
			t.Errorf("after the lease: %+v", r)
		}
		if n, err := db.MailsSent(ctx, dead[0].Claim, []int64{dead[0].ID}); n != 0 || err != nil {
			t.Errorf("the dead sender's report counted: %d %v", n, err)
		}
		m, _ := db.MailByDedupe(ctx, "lease")
		if len(srv.Messages()) != 1 || m.Status != store.MailSent || m.Attempts != 2 {
			t.Errorf("%d received, row %+v", len(srv.Messages()), m)
		}
	})
}
