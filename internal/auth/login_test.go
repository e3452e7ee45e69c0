package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"

	"golang.org/x/crypto/argon2"
)

const ownerPassword = "the owner's long password"

// throttleEnv is a store with one delegate, a fixed clock the test moves,
// and the sign-in log in a buffer.
type throttleEnv struct {
	t   *testing.T
	db  *store.DB
	now time.Time
	log *slog.Logger
	buf *bytes.Buffer
	mu  sync.Mutex
}

func newThrottleEnv(t *testing.T, db *store.DB) *throttleEnv {
	return newThrottleEnvHash(t, db, HashPassword)
}

// cheapHash is an argon2id hash with tiny parameters: VerifyPassword reads
// them from the hash, so tests that check the right password a hundred
// times do not spend a hundred real hashes. Never for real passwords.
func cheapHash(pw string) (string, error) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(pw), salt, 1, 64, 1, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func newThrottleEnvHash(t *testing.T, db *store.DB, hash func(string) (string, error)) *throttleEnv {
	e := &throttleEnv{t: t, db: db, now: time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC), buf: &bytes.Buffer{}}
	db.Now = func() time.Time { return e.now }
	e.log = slog.New(slog.NewTextHandler(lockedWriter{e}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := hash(ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := concord.User{Username: "delegate-fra", Role: concord.RoleDelegate, State: "FRA"}
	if err := db.Update(context.Background(), "system", func(tx *store.Tx) error { return tx.CreateUser(&u, h) }); err != nil {
		t.Fatal(err)
	}
	return e
}

type lockedWriter struct{ e *throttleEnv }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.e.mu.Lock()
	defer w.e.mu.Unlock()
	return w.e.buf.Write(p)
}

func (e *throttleEnv) login(user, pw, addr string) error {
	_, _, _, err := Login(context.Background(), e.db, e.log, Attempt{Username: user, Password: pw, Addr: addr})
	return err
}

// want checks one attempt's outcome: "ok", "wrong" or "wait <duration>".
func (e *throttleEnv) want(user, pw, addr, want string) {
	e.t.Helper()
	err := e.login(user, pw, addr)
	got := "ok"
	var th *Throttled
	switch {
	case errors.As(err, &th):
		got = "wait " + th.RetryAfter.String()
		if concord.ErrorCode(err) != concord.ETooMany {
			e.t.Errorf("throttled with code %s", concord.ErrorCode(err))
		}
	case concord.ErrorCode(err) == concord.EUnauthorized:
		got = "wrong"
	case err != nil:
		e.t.Fatalf("%s from %s: %v", user, addr, err)
	}
	if got != want {
		e.t.Errorf("at +%v, %s from %s: %s, want %s", e.now.Sub(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)), user, addr, got, want)
	}
}

// Issue 10, item 3: the limit was checked, the password hashed, then the
// failure recorded, so parallel attempts all reached the password check.
// Now each attempt is counted before: of 60 parallel wrong attempts from
// one address, only the free ones are evaluated.
func TestParallelAttemptsAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newThrottleEnv(t, db)
		before := verifications.Load()
		var wg sync.WaitGroup
		var mu sync.Mutex
		outcomes := map[string]int{}
		for range 60 {
			wg.Go(func() {
				err := e.login("delegate-fra", "a wrong password", "203.0.113.9")
				mu.Lock()
				outcomes[concord.ErrorCode(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		evaluated := verifications.Load() - before
		t.Logf("60 parallel attempts: %d evaluated, outcomes %v", evaluated, outcomes)
		if evaluated > MaxFailures || outcomes[concord.EUnauthorized] != MaxFailures || outcomes[concord.ETooMany] != 60-MaxFailures {
			t.Errorf("60 parallel wrong attempts: %d password checks, outcomes %v; want at most %d checks", evaluated, outcomes, MaxFailures)
		}
		// The right password from the attacking address waits too...
		e.want("delegate-fra", ownerPassword, "203.0.113.9", "wait 1m0s")
		// ...but the owner elsewhere is not locked out (item 4).
		e.want("delegate-fra", ownerPassword, "198.51.100.7", "ok")
	})
}

// Issue 10, item 4: five wrong passwords from anywhere refused the owner's
// right one for 15 minutes. Each rule of the throttle, on a fixed clock.
func TestThrottleRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newThrottleEnvHash(t, db, cheapHash)
		const attacker, owner = "203.0.113.9", "198.51.100.7"

		// Pair (username, address): five free, then waits that double.
		for range MaxFailures {
			e.want("delegate-fra", "guess", attacker, "wrong")
		}
		e.want("delegate-fra", ownerPassword, attacker, "wait 1m0s")
		e.want("delegate-fra", ownerPassword, owner, "ok") // the owner elsewhere: not locked out
		e.now = e.now.Add(time.Minute)
		e.want("delegate-fra", "guess", attacker, "wrong")
		e.want("delegate-fra", "guess", attacker, "wait 2m0s")
		e.now = e.now.Add(2 * time.Minute)
		e.want("delegate-fra", "guess", attacker, "wrong")
		e.want("delegate-fra", "guess", attacker, "wait 4m0s")
		for _, d := range []time.Duration{4, 8, 15, 15} {
			e.now = e.now.Add(d * time.Minute)
			e.want("delegate-fra", "guess", attacker, "wrong")
		}
		e.want("delegate-fra", "guess", attacker, "wait 15m0s") // the cap
		// Forgotten an hour after the wait ends.
		e.now = e.now.Add(15*time.Minute + Reset)
		e.want("delegate-fra", "guess", attacker, "wrong")

		// A success clears its pair: the owner's typos do not add up.
		for range MaxFailures - 1 {
			e.want("delegate-fra", "typo", owner, "wrong")
		}
		e.want("delegate-fra", ownerPassword, owner, "ok")
		for range MaxFailures {
			e.want("delegate-fra", "typo", owner, "wrong")
		}
		e.want("delegate-fra", ownerPassword, owner, "wait 1m0s")
		e.now = e.now.Add(time.Minute)
		e.want("delegate-fra", ownerPassword, owner, "ok")

		// Address: one address spraying many usernames waits after 30,
		// whatever username it tries next.
		e.now = e.now.Add(2 * Reset)
		for i := range AddrRule.Free {
			e.want(fmt.Sprintf("user-%d", i), "spray", "192.0.2.50", "wrong")
		}
		e.want("user-new", "spray", "192.0.2.50", "wait 30s")
		e.want("delegate-fra", ownerPassword, "192.0.2.50", "wait 30s")
		e.want("delegate-fra", ownerPassword, owner, "ok")

		// Username: guesses spread over many addresses meet a ceiling that
		// delays by at most a minute, and that does not apply where the
		// owner has signed in before.
		e.now = e.now.Add(2 * Reset)
		for i := range UserRule.Free {
			e.want("delegate-fra", "distributed", fmt.Sprintf("10.0.%d.1", i), "wrong")
		}
		e.want("delegate-fra", "distributed", "10.0.99.1", "wait 5s")
		e.want("delegate-fra", ownerPassword, "10.0.99.2", "wait 5s") // a new address waits...
		e.want("delegate-fra", ownerPassword, owner, "ok")            // ...the owner's usual one does not
		for range 10 {
			e.now = e.now.Add(time.Minute)
			e.want("delegate-fra", "distributed", fmt.Sprintf("10.1.%d.1", e.now.Minute()), "wrong")
		}
		e.want("delegate-fra", "distributed", "10.2.0.1", "wait 1m0s") // capped
		e.now = e.now.Add(time.Minute)
		e.want("delegate-fra", ownerPassword, "10.2.0.2", "ok") // the owner gets through

		// Each decision is logged.
		log := e.buf.String()
		for _, want := range []string{
			`msg="sign-in throttled" scope=pair username=delegate-fra addr=203.0.113.9`,
			`msg="sign-in throttled" scope=addr username=user-new addr=192.0.2.50`,
			`msg="sign-in throttled" scope=user username=delegate-fra addr=10.0.99.1`,
			`msg="sign-in backoff" scope=pair`,
			`msg="signed in" username=delegate-fra addr=198.51.100.7`,
		} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q", want)
			}
		}
	})
}

// Unknown and disabled users cost one verification too, and are counted.
func TestLoginUnknownUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newThrottleEnv(t, db)
		before := verifications.Load()
		e.want("nobody", ownerPassword, "192.0.2.1", "wrong")
		e.want("DELEGATE-FRA ", ownerPassword, "192.0.2.1", "wrong") // usernames are exact
		if n := verifications.Load() - before; n != 2 {
			t.Errorf("%d verifications for two unknown users, want 2", n)
		}
		tok, u, exp, err := Login(context.Background(), db, e.log, Attempt{Username: " delegate-fra ", Password: ownerPassword, Addr: "192.0.2.1", Kind: KindAPI})
		if err != nil || u.Username != "delegate-fra" || !exp.Equal(e.now.Add(SessionTTL)) {
			t.Fatalf("login: %v %+v %v", err, u, exp)
		}
		got, err := db.SessionUser(context.Background(), TokenHash(tok))
		if err != nil || got.ID != u.ID {
			t.Fatalf("session of the token: %+v %v", got, err)
		}
		list, err := db.UserSessions(context.Background(), u.ID)
		if err != nil || len(list) != 1 || list[0].Kind != KindAPI || list[0].ID != store.SessionID(TokenHash(tok)) {
			t.Errorf("sessions: %+v %v", list, err)
		}
	})
}

// The same, with the attempts spread over two instances on one database.
func TestParallelAttemptsAcrossInstances(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(string(eng), func(t *testing.T) {
			dsn := storetest.DSN(t, eng)
			var dbs []*store.DB
			for range 2 {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			if err := dbs[0].Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := dbs[0].Bootstrap(context.Background()); err != nil {
				t.Fatal(err)
			}
			e := newThrottleEnvHash(t, dbs[0], cheapHash)
			dbs[1].Now = dbs[0].Now
			before := verifications.Load()
			var wg sync.WaitGroup
			for i := range 60 {
				wg.Go(func() {
					Login(context.Background(), dbs[i%2], e.log, Attempt{Username: "delegate-fra", Password: "a wrong password", Addr: "203.0.113.9"})
				})
			}
			wg.Wait()
			if n := verifications.Load() - before; n > MaxFailures {
				t.Errorf("60 parallel attempts on two instances: %d password checks, want at most %d", n, MaxFailures)
			}
		})
	}
}
