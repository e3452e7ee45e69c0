package auth

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/store"
)

// SessionTTL is how long a session lives.
const SessionTTL = 12 * time.Hour

// The kinds of session: one behind a browser's cookie, or a bearer token
// handed to an API client. Both are listed and revoked the same way.
const (
	KindBrowser = "browser"
	KindAPI     = "api"
)

// Sign-in throttling. Three counters, all in the database so that they hold
// across instances on one database, each counting every attempt before its
// password is looked at:
//
//   - pair (username, client address): the owner's own mistakes and a
//     targeted guesser at one address. MaxFailures attempts are free, then
//     waits double from one minute up to 15 minutes.
//   - addr (client address, any username): one address spraying many
//     accounts. 30 free, then waits double from 30 seconds to 15 minutes.
//   - user (username, any address): the ceiling against a guesser spread
//     over many addresses. 20 free, then waits double from 5 seconds to one
//     minute, so that at worst it delays the owner, never locks them out;
//     and it does not apply at all from an address where this username
//     has signed in successfully in the last KnownFor.
//
// So five wrong passwords from somewhere else no longer refuse the owner:
// that is only the attacker's pair. An attacker who shares the owner's
// address (one proxy not configured as trusted, one NAT) shares the pair
// counter too: hence trusted proxies, configured explicitly. A counter
// forgets once Reset has passed since its wait ended; a successful sign-in
// clears its pair and takes back its own count on the other two (not
// more, or signing in to one's own account would reset a spraying
// address).
//
// Counting happens in one conditional upsert per counter that also
// decides (store.LoginAttempt): parallel attempts cannot all pass a check
// made before any of them is recorded. Counters are checked pair, addr,
// user: an attempt refused by a later counter has been counted on the
// earlier ones, which all include the attacker's own address.
var (
	PairRule = Rule{Scope: "pair", Free: MaxFailures, Base: time.Minute, Cap: 15 * time.Minute}
	AddrRule = Rule{Scope: "addr", Free: 30, Base: 30 * time.Second, Cap: 15 * time.Minute}
	UserRule = Rule{Scope: "user", Free: 20, Base: 5 * time.Second, Cap: time.Minute}
)

// MaxFailures is how many attempts one username may make from one address
// before waits begin.
const MaxFailures = 5

// Reset is how long after its wait ends a counter forgets; KnownFor is how
// long an address where a username signed in stays exempt from the
// username-wide ceiling.
const (
	Reset    = time.Hour
	KnownFor = 90 * 24 * time.Hour
)

// Rule is one throttling counter: Free attempts without wait, then a wait
// of Base after the next, doubling with each attempt up to Cap.
type Rule struct {
	Scope     string
	Free      int
	Base, Cap time.Duration
}

// Waits returns the wait after the Free-th attempt, the (Free+1)-th, and so
// on; the last applies to every later attempt.
func (r Rule) Waits() []time.Duration {
	var out []time.Duration
	for d := r.Base; ; d *= 2 {
		if d >= r.Cap {
			return append(out, r.Cap)
		}
		out = append(out, d)
	}
}

// Attempt is one sign-in attempt.
type Attempt struct {
	Username, Password string
	// Addr is the client address (ClientAddr), the one throttling counts.
	Addr string
	// Kind is KindBrowser or KindAPI, the session to open.
	Kind string
	// Code is the second factor of an account that has one (Login only):
	// an authenticator code or a recovery code.
	Code string
}

// Throttled is the error of a refused attempt; RetryAfter says when the
// counter that refused it lets the next attempt through.
type Throttled struct {
	Err        *concord.Error
	RetryAfter time.Duration
}

func (t *Throttled) Error() string { return t.Err.Error() }

// Unwrap gives the domain error, for concord.ErrorCode and the error pages.
func (t *Throttled) Unwrap() error { return t.Err }

// Login checks credentials and, when they are right, opens a session. It is
// the one sign-in path for the API (pages take the two steps of BeginLogin
// and FinishLogin). An account with two-factor sign-in needs a.Code too: an
// authenticator code or a recovery code. Errors: EUnauthorized for wrong
// credentials (ErrCodeRequired, ErrBadCode, ErrCodeUsed for the code),
// ETooMany (a *Throttled) when throttled.
func Login(ctx context.Context, db *store.DB, log *slog.Logger, a Attempt) (token string, u concord.User, expires time.Time, err error) {
	u, err = checkPassword(ctx, db, log, a)
	if err != nil {
		return "", concord.User{}, expires, err
	}
	if !u.TwoFactor {
		token, expires, err = openSession(ctx, db, u, a.Kind, nil)
		return token, u, expires, err
	}
	if NormalCode(a.Code) == "" {
		return "", concord.User{}, expires, ErrCodeRequired
	}
	err = WithCode(ctx, db, log, u, a.Code, func(tx *store.Tx) error {
		token, expires, err = openSessionTx(tx, u, a.Kind)
		return err
	})
	if err != nil {
		return "", concord.User{}, expires, err
	}
	return token, u, expires, nil
}

// checkPassword is the first step of every sign-in: throttling, then the
// password. When it is right, the counters are settled as for a sign-in.
func checkPassword(ctx context.Context, db *store.DB, log *slog.Logger, a Attempt) (concord.User, error) {
	var u concord.User
	if log == nil {
		log = slog.Default()
	}
	username := strings.ToLower(strings.TrimSpace(a.Username))
	if len(username) > 200 {
		username = username[:200] // a key, not a name: bounded
	}
	pair := "pair:" + username + "|" + a.Addr
	counters := []struct {
		key  string
		rule Rule
	}{{pair, PairRule}, {"addr:" + a.Addr, AddrRule}, {"user:" + username, UserRule}}
	known, err := db.LoginKnown(ctx, "known:"+username+"|"+a.Addr, KnownFor)
	if err != nil {
		return u, err
	}
	if known {
		counters = counters[:2]
	}
	var counted []string
	for _, c := range counters {
		ok, n, retry, err := db.LoginAttempt(ctx, c.key, Reset, c.rule.Free, c.rule.Waits())
		if err != nil {
			return u, err
		}
		if !ok {
			wait := max(retry.Sub(db.Now()), time.Second).Round(time.Second)
			log.Warn("sign-in throttled", "scope", c.rule.Scope, "username", username, "addr", a.Addr, "attempts", n, "retry_after", wait)
			return u, &Throttled{concord.Errorf(concord.ETooMany, "", "error.too_many_logins", "too many failed attempts; try again in %v", wait), wait}
		}
		if n >= c.rule.Free {
			log.Info("sign-in backoff", "scope", c.rule.Scope, "username", username, "addr", a.Addr, "attempts", n)
		}
		counted = append(counted, c.key)
	}
	u, hash, err := db.UserByUsername(ctx, strings.TrimSpace(a.Username))
	if err != nil && err != concord.ErrNotFound {
		return u, err
	}
	if err != nil || u.Disabled {
		VerifyDummy(a.Password) // same time as a real check: no username oracle
	}
	if err != nil || u.Disabled || !VerifyPassword(a.Password, hash) {
		return concord.User{}, concord.Errorf(concord.EUnauthorized, "", "error.bad_login", "wrong username or password")
	}
	if err := db.LoginSucceeded(ctx, pair, counted[1:], "known:"+username+"|"+a.Addr); err != nil {
		return u, err
	}
	if u.TwoFactor {
		log.Debug("password accepted, code next", "username", username, "addr", a.Addr)
	} else {
		log.Debug("signed in", "username", username, "addr", a.Addr)
	}
	return u, nil
}

// openSession opens a session of kind for u, running also (when not nil)
// in the same transaction.
func openSession(ctx context.Context, db *store.DB, u concord.User, kind string, also func(*store.Tx) error) (token string, expires time.Time, err error) {
	err = db.Update(ctx, "user:"+strconv.FormatInt(u.ID, 10), func(tx *store.Tx) error {
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		token, expires, err = openSessionTx(tx, u, kind)
		return err
	})
	return token, expires, err
}

func openSessionTx(tx *store.Tx, u concord.User, kind string) (string, time.Time, error) {
	if kind == "" {
		kind = KindBrowser
	}
	token, th := NewToken()
	expires := tx.Now.Add(SessionTTL)
	return token, expires, tx.OpenSession(th, u.ID, expires, kind)
}
