package store_test

import (
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestSweep: expired sessions, pending sign-ins and links, used links,
// stale throttling counters and mail sent before the retention period go;
// what is still alive (a session, a fresh link, a pending or recent mail,
// a waiting counter) stays. A second sweep finds nothing.
func TestSweep(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		t0 := time.Now().UTC()
		db.Now = func() time.Time { return t0 }
		t.Cleanup(func() { db.Now = time.Now })
		u := concord.User{Username: "sweep-me", Role: concord.RoleSecretariat}
		must(db.Update(ctx, "system", func(tx *store.Tx) error {
			must(tx.CreateUser(&u, "x"))
			must(tx.CreateSession("live-session", u.ID, t0.Add(time.Hour)))
			must(tx.CreateSession("dead-session", u.ID, t0.Add(time.Minute)))
			must(tx.CreatePendingLogin("dead-pending", u.ID, "", t0.Add(time.Minute)))
			must(tx.CreateAccountToken("used-link", u.ID, store.TokenVerify, "a@example.org", t0.Add(48*time.Hour)))
			must(tx.CreateAccountToken("live-link", u.ID, store.TokenVerify, "a@example.org", t0.Add(48*time.Hour))) // voids used-link
			must(tx.CreateAccountToken("dead-link", u.ID, store.TokenReset, "a@example.org", t0.Add(time.Minute)))
			for _, d := range []string{"old-sent", "recent-sent", "pending"} {
				if _, err := tx.Enqueue(store.Mail{Dedupe: d, To: []string{"a@example.org"}, Subject: d, Text: d, HTML: d}); err != nil {
					return err
				}
			}
			return nil
		}))
		_, _, _, err := db.LoginAttempt(ctx, "stale-counter", time.Hour, 5, []time.Duration{time.Minute})
		must(err)
		// Mail claimed and sent now is "old" once the clock moves 100 days.
		send := func(dedupe string) {
			t.Helper()
			ms, err := db.ClaimMail(ctx, 10, time.Minute)
			must(err)
			for _, m := range ms {
				if m.Dedupe == dedupe {
					_, err := db.MailsSent(ctx, m.Claim, []int64{m.ID})
					must(err)
				} else {
					must(db.MailRetry(ctx, m, "later", db.Now(), false))
				}
			}
		}
		send("old-sent")
		db.Now = func() time.Time { return t0.Add(99 * 24 * time.Hour) }
		send("recent-sent")
		_, _, _, err = db.LoginAttempt(ctx, "live-counter", time.Hour, 5, []time.Duration{time.Minute})
		must(err)
		// 50 minutes on from the counter; the first session and link are past
		// expiry by then, since they were made 99 days earlier.
		db.Now = func() time.Time { return t0.Add(99*24*time.Hour + 50*time.Minute) }
		must(db.Update(ctx, "system", func(tx *store.Tx) error {
			must(tx.CreateAccountToken("fresh-link", u.ID, store.TokenInvite, "a@example.org", db.Now().Add(time.Hour)))
			return tx.CreateSession("new-session", u.ID, db.Now().Add(time.Hour))
		}))
		s, err := db.Sweep(ctx, 90*24*time.Hour, time.Hour)
		must(err)
		want := store.Swept{Sessions: 2, PendingLogins: 1, Links: 3, Mail: 1, Throttles: 1}
		if s != want {
			t.Fatalf("swept %+v, want %+v", s, want)
		}
		if _, err := db.SessionUser(ctx, "new-session"); err != nil {
			t.Errorf("live session swept: %v", err)
		}
		if ok, err := db.AccountTokenValid(ctx, "fresh-link", store.TokenInvite); !ok || err != nil {
			t.Errorf("fresh link swept: %v", err)
		}
		counts, err := db.OutboxCounts(ctx)
		must(err)
		if counts[store.MailSent] != 1 || counts[store.MailPending] != 1 {
			t.Errorf("outbox after sweep: %v", counts)
		}
		if s, err := db.Sweep(ctx, 90*24*time.Hour, time.Hour); err != nil || s != (store.Swept{}) {
			t.Errorf("second sweep: %+v %v", s, err)
		}
	})
}
