package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestSealedTOTP: the stored column is not the secret; a readable row from
// before sealing still works and SealSecrets seals it; a store with another
// key refuses to start (SealSecrets) and to read; a sealed value moved to
// another user's row does not open.
func TestSealedTOTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		var a, b concord.User
		must(db.Update(ctx, "system", func(tx *store.Tx) error {
			a = concord.User{Username: "seal-a", Role: concord.RoleSecretariat}
			b = concord.User{Username: "seal-b", Role: concord.RoleSecretariat}
			must(tx.CreateUser(&a, "x"))
			must(tx.CreateUser(&b, "x"))
			must(tx.StartTOTP(a.ID, storetest.TOTPSecret))
			return tx.StartTOTP(b.ID, "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA")
		}))
		raw, err := store.RawTOTPSecret(ctx, db, a.ID)
		must(err)
		if strings.Contains(raw, storetest.TOTPSecret) || !strings.HasPrefix(raw, "v1:") {
			t.Fatalf("stored readable: %q", raw)
		}
		if s, err := db.UserTOTP(ctx, a.ID); err != nil || s.Secret != storetest.TOTPSecret {
			t.Fatalf("opened: %+v %v", s, err)
		}
		// A legacy row reads as it is, and is sealed by SealSecrets.
		must(store.SetRawTOTPSecret(ctx, db, b.ID, "LEGACY234567"))
		if s, err := db.UserTOTP(ctx, b.ID); err != nil || s.Secret != "LEGACY234567" {
			t.Fatalf("legacy: %+v %v", s, err)
		}
		if n, err := db.SealSecrets(ctx); err != nil || n != 1 {
			t.Fatalf("sealed %d, %v", n, err)
		}
		if raw, _ := store.RawTOTPSecret(ctx, db, b.ID); !strings.HasPrefix(raw, "v1:") {
			t.Fatalf("not sealed: %q", raw)
		}
		if s, err := db.UserTOTP(ctx, b.ID); err != nil || s.Secret != "LEGACY234567" {
			t.Fatalf("after sealing: %+v %v", s, err)
		}
		// Moved to another row, a sealed value does not open.
		must(store.SetRawTOTPSecret(ctx, db, b.ID, raw))
		if _, err := db.UserTOTP(ctx, b.ID); err == nil {
			t.Fatal("a sealed value opened in another user's row")
		}
		// The wrong key: refused at start and on reading.
		must(db.SetSecretKey([]byte(strings.Repeat("k", store.SecretKeySize))))
		if _, err := db.SealSecrets(ctx); err == nil {
			t.Fatal("SealSecrets accepted the wrong key")
		}
		if _, err := db.UserTOTP(ctx, a.ID); err == nil {
			t.Fatal("read with the wrong key")
		}
	})
}

// TestLoadSecretKey: the key file is made once, mode 0600, and read back
// the same; a damaged file is refused.
func TestLoadSecretKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	k1, err := store.LoadSecretKey(path)
	if err != nil || len(k1) != store.SecretKeySize {
		t.Fatal(len(k1), err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	k2, err := store.LoadSecretKey(path)
	if err != nil || string(k1) != string(k2) {
		t.Fatal("key changed on second load", err)
	}
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadSecretKey(path); err == nil {
		t.Fatal("damaged key file accepted")
	}
}
