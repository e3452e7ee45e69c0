package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth/passkeytest"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestPasskeys plays the ceremonies with a software authenticator against
// the real library: a passkey is added under a name (a missing name and a
// foreign state are both reported), signs in on its own, is refused when
// its answer is replayed or comes from another origin, finishes a sign-in
// waiting after a password (its own account's only), and signs in no more
// once removed.
func TestPasskeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		pk, err := NewPasskeys(db, "http://localhost:8080")
		must(err)
		var u, other concord.User
		must(db.Update(ctx, "system", func(tx *store.Tx) error {
			u = concord.User{Username: "pk-owner", Role: concord.RoleDelegate, State: "FRA"}
			other = concord.User{Username: "pk-other", Role: concord.RoleDelegate, State: "FRA"}
			must(tx.CreateUser(&u, "x"))
			return tx.CreateUser(&other, "x")
		}))
		dev := passkeytest.New("http://localhost:8080")
		c, err := pk.BeginRegister(ctx, u)
		must(err)
		answer, err := dev.Create(c.Options)
		must(err)
		// Both faults at once: no name, and a state made for another account.
		co, err := pk.BeginRegister(ctx, other)
		must(err)
		_, err = pk.FinishRegister(ctx, u, co.State, "  ", answer)
		var es concord.Errors
		if !errors.As(err, &es) || len(es) != 2 {
			t.Fatalf("two faults: %v", err)
		}
		key, err := pk.FinishRegister(ctx, u, c.State, " Laptop  key ", answer)
		must(err)
		if key.Name != "Laptop key" {
			t.Errorf("name %q", key.Name)
		}
		if _, err := pk.FinishRegister(ctx, u, c.State, "again", answer); !errors.Is(err, store.ErrChallengeSpent) {
			t.Errorf("registration replayed: %v", err)
		}
		// Signing in with it, as the first step.
		l, err := pk.BeginLogin(ctx, 0)
		must(err)
		a, err := dev.Get(l.Options)
		must(err)
		token, _, who, err := pk.FinishLogin(ctx, l.State, a, KindBrowser)
		must(err)
		if who.ID != u.ID {
			t.Fatalf("signed in %d, want %d", who.ID, u.ID)
		}
		if su, err := db.SessionUser(ctx, TokenHash(token)); err != nil || su.ID != u.ID {
			t.Fatalf("session: %+v %v", su, err)
		}
		if _, _, _, err := pk.FinishLogin(ctx, l.State, a, KindBrowser); !errors.Is(err, store.ErrChallengeSpent) {
			t.Errorf("assertion replayed: %v", err)
		}
		// Another site's page cannot use it.
		l, _ = pk.BeginLogin(ctx, 0)
		dev.Origin = "http://evil.example"
		a, _ = dev.Get(l.Options)
		if _, _, _, err := pk.FinishLogin(ctx, l.State, a, KindBrowser); !errors.Is(err, ErrPasskeyFailed) {
			t.Errorf("foreign origin: %v", err)
		}
		dev.Origin = "http://localhost:8080"
		// A state sealed for the second step does not open as the first.
		s2, err := pk.BeginLogin(ctx, u.ID)
		must(err)
		if _, _, _, err := pk.FinishLogin(ctx, s2.State, a, KindBrowser); !errors.Is(err, ErrPasskeyFailed) {
			t.Errorf("second-step state as first: %v", err)
		}
		// The second step, after a password.
		pending := func(userID int64) string {
			tok, th := NewToken()
			must(db.Update(ctx, "system", func(tx *store.Tx) error {
				return tx.CreatePendingLogin(th, userID, "/en/home", time.Now().Add(PendingTTL))
			}))
			return tok
		}
		a, _ = dev.Get(s2.Options)
		if _, _, _, err := pk.FinishSecondStep(ctx, pending(other.ID), s2.State, a); !errors.Is(err, ErrPasskeyFailed) {
			t.Errorf("another account's pending sign-in: %v", err)
		}
		if _, err := pk.BeginLogin(ctx, other.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("second step for an account without passkeys: %v", err)
		}
		s2, _ = pk.BeginLogin(ctx, u.ID)
		a, _ = dev.Get(s2.Options)
		tok := pending(u.ID)
		_, _, next, err := pk.FinishSecondStep(ctx, tok, s2.State, a)
		must(err)
		if next != "/en/home" {
			t.Errorf("next %q", next)
		}
		if _, _, _, err := pk.FinishSecondStep(ctx, tok, s2.State, a); !errors.Is(err, ErrPendingGone) {
			t.Errorf("pending sign-in finished twice: %v", err)
		}
		// Tampered state.
		l, _ = pk.BeginLogin(ctx, 0)
		a, _ = dev.Get(l.Options)
		if _, _, _, err := pk.FinishLogin(ctx, strings.Replace(l.State, "v1:", "v1:A", 1), a, KindBrowser); !errors.Is(err, ErrPasskeyFailed) {
			t.Errorf("tampered state: %v", err)
		}
		// Removed: another's cannot be, one's own can, and it signs in no more.
		if err := pk.RemovePasskey(ctx, other, key.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("removed another's passkey: %v", err)
		}
		must(pk.RemovePasskey(ctx, u, key.ID))
		l, _ = pk.BeginLogin(ctx, 0)
		a, _ = dev.Get(l.Options)
		if _, _, _, err := pk.FinishLogin(ctx, l.State, a, KindBrowser); !errors.Is(err, ErrPasskeyFailed) {
			t.Errorf("removed passkey signed in: %v", err)
		}
	})
}

// TestPasskeysNeedAHost: on an IP address (the default --base-url)
// passkeys are not offered, and every ceremony is not found.
func TestPasskeysNeedAHost(t *testing.T) {
	pk, err := NewPasskeys(nil, "http://127.0.0.1:8080")
	if !errors.Is(err, ErrPasskeysNeedHost) || pk.Enabled() {
		t.Fatalf("IP base URL: %v, enabled %v", err, pk.Enabled())
	}
	if _, err := pk.BeginLogin(context.Background(), 0); !errors.Is(err, concord.ErrNotFound) {
		t.Errorf("ceremony on an IP: %v", err)
	}
	if err := pk.SetBaseURL("https://concord.example.org"); err != nil || !pk.Enabled() {
		t.Errorf("host name: %v", err)
	}
}
