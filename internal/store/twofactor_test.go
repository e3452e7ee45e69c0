package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestTwoFactorStore: a secret starts unconfirmed and is replaced while so;
// once on, a step is accepted once and never an earlier one, the user's
// other sessions end, recovery codes are spent once, and switching off
// forgets both; a pending sign-in is taken once and not after it expires.
func TestTwoFactorStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := concord.User{Username: "sec-2fa", Role: concord.RoleSecretariat}
		write := func(f func(tx *store.Tx) error) error {
			return db.Update(ctx, "system", func(tx *store.Tx) error {
				if err := f(tx); err != nil {
					return err
				}
				return tx.AuditAccount("test", "user", "0", nil, nil)
			})
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(write(func(tx *store.Tx) error { return tx.CreateUser(&u, "x") }))
		must(write(func(tx *store.Tx) error { return tx.StartTOTP(u.ID, "AAAA") }))
		must(write(func(tx *store.Tx) error { return tx.StartTOTP(u.ID, "BBBB") })) // replaced while unconfirmed
		if s, err := db.UserTOTP(ctx, u.ID); err != nil || s.Secret != "BBBB" || s.Confirmed {
			t.Fatalf("unconfirmed secret: %+v %v", s, err)
		}
		keep, other := "aaaaaaaaaaaaaaaa"+"1", "bbbbbbbbbbbbbbbb"+"2"
		must(write(func(tx *store.Tx) error { return tx.CreateSession(keep, u.ID, time.Now().Add(time.Hour)) }))
		must(write(func(tx *store.Tx) error { return tx.CreateSession(other, u.ID, time.Now().Add(time.Hour)) }))
		must(write(func(tx *store.Tx) error { return tx.EnableTOTP(u.ID, 100, []string{"h1", "h2"}, store.SessionID(keep)) }))
		if _, err := db.SessionUser(ctx, other); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("another session survived enrolment: %v", err)
		}
		if got, err := db.SessionUser(ctx, keep); err != nil || !got.TwoFactor {
			t.Errorf("the current session: %+v %v", got, err)
		}
		if err := write(func(tx *store.Tx) error { return tx.StartTOTP(u.ID, "CCCC") }); !errors.Is(err, store.ErrTwoFactorOn) {
			t.Errorf("start while on: %v", err)
		}
		for _, c := range []struct {
			step int64
			want bool
		}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}, {102, false}} {
			var ok bool
			must(write(func(tx *store.Tx) (err error) { ok, err = tx.UseTOTPStep(u.ID, c.step); return }))
			if ok != c.want {
				t.Errorf("step %d: %v, want %v", c.step, ok, c.want)
			}
		}
		var hashes []string
		must(write(func(tx *store.Tx) (err error) { hashes, err = tx.RecoveryHashes(u.ID); return }))
		if len(hashes) != 2 {
			t.Fatalf("recovery hashes: %v", hashes)
		}
		for i, want := range []bool{true, false} {
			var ok bool
			must(write(func(tx *store.Tx) (err error) { ok, err = tx.UseRecoveryCode(u.ID, "h1"); return }))
			if ok != want {
				t.Errorf("recovery code, use %d: %v", i+1, ok)
			}
		}
		if n, err := db.RecoveryCodesLeft(ctx, u.ID); err != nil || n != 1 {
			t.Errorf("codes left: %d %v", n, err)
		}
		must(write(func(tx *store.Tx) error { return tx.DisableTOTP(u.ID) }))
		if _, err := db.UserTOTP(ctx, u.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("secret after switching off: %v", err)
		}
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 0 {
			t.Errorf("codes after switching off: %d", n)
		}

		// Pending sign-ins.
		must(write(func(tx *store.Tx) error {
			return tx.CreatePendingLogin("p1", u.ID, "/en/states", time.Now().Add(5*time.Minute))
		}))
		must(write(func(tx *store.Tx) error { return tx.CreatePendingLogin("p2", u.ID, "", time.Now().Add(-time.Second)) }))
		if p, err := db.PendingLogin(ctx, "p1"); err != nil || p.Next != "/en/states" || p.UserID != u.ID {
			t.Errorf("pending: %+v %v", p, err)
		}
		if _, err := db.PendingLogin(ctx, "p2"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("expired pending sign-in: %v", err)
		}
		must(write(func(tx *store.Tx) error { _, err := tx.TakePendingLogin("p1"); return err }))
		if err := write(func(tx *store.Tx) error { _, err := tx.TakePendingLogin("p1"); return err }); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("a pending sign-in taken twice: %v", err)
		}
	})
}
