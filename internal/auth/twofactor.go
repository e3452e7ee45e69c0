package auth

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"concord"
	"concord/internal/store"
)

// PendingTTL is how long a sign-in waits for its second step after the
// password: past it, the password is asked again.
const PendingTTL = 5 * time.Minute

// CodeRule throttles second-factor codes per account, from any address:
// whoever tries them already has the password, and a six-digit code falls
// to a million guesses. Five free, then waits double from 30 seconds up to
// 15 minutes; a right code clears the count.
var CodeRule = Rule{Scope: "code", Free: 5, Base: 30 * time.Second, Cap: 15 * time.Minute}

// The answers about a second factor.
var (
	ErrCodeRequired = concord.Errorf(concord.EUnauthorized, "code", "error.code_required",
		"this account signs in with two factors: give the code from your authenticator app, or a recovery code")
	ErrBadCode = concord.Errorf(concord.EUnauthorized, "code", "error.bad_code",
		"wrong code: give the current code from your authenticator app, or an unused recovery code")
	ErrCodeUsed = concord.Errorf(concord.EUnauthorized, "code", "error.code_used",
		"this code has already been used: wait for the next one in your authenticator app")
	ErrPendingGone = concord.Errorf(concord.EUnauthorized, "", "error.pending_expired",
		"the sign-in waited more than 5 minutes for its code: give your password again")
)

// CheckCode checks, inside tx, a second factor of userID: an authenticator
// code of a step not used before (which it records, so the code cannot be
// replayed) or an unused recovery code (which it spends). It reports
// whether a recovery code was used.
func CheckCode(tx *store.Tx, userID int64, code string) (recovery bool, err error) {
	t, err := tx.UserTOTP(userID)
	if errors.Is(err, concord.ErrNotFound) || err == nil && !t.Confirmed {
		return false, ErrBadCode
	}
	if err != nil {
		return false, err
	}
	if IsTOTPCode(code) {
		step, ok := CheckTOTP(t.Secret, code, Clock())
		if !ok {
			return false, ErrBadCode
		}
		fresh, err := tx.UseTOTPStep(userID, step)
		if err != nil {
			return false, err
		}
		if !fresh {
			return false, ErrCodeUsed
		}
		return false, nil
	}
	hashes, err := tx.RecoveryHashes(userID)
	if err != nil {
		return false, err
	}
	h := MatchRecovery(code, hashes)
	if h == "" {
		return false, ErrBadCode
	}
	ok, err := tx.UseRecoveryCode(userID, h)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, ErrBadCode
	}
	return true, nil
}

// WithCode throttles and checks a second factor of u (CheckCode) and runs
// then in the same write transaction: a wrong code writes nothing, and a
// right one is spent only with what it was given for.
func WithCode(ctx context.Context, db *store.DB, log *slog.Logger, u concord.User, code string, then func(tx *store.Tx) error) error {
	if log == nil {
		log = slog.Default()
	}
	key := "code:" + strconv.FormatInt(u.ID, 10)
	ok, n, retry, err := db.LoginAttempt(ctx, key, Reset, CodeRule.Free, CodeRule.Waits())
	if err != nil {
		return err
	}
	if !ok {
		wait := max(retry.Sub(db.Now()), time.Second).Round(time.Second)
		log.Warn("second factor throttled", "user", u.ID, "attempts", n, "retry_after", wait)
		return &Throttled{concord.Errorf(concord.ETooMany, "code", "error.too_many_codes", "too many wrong codes; try again in %v", wait), wait}
	}
	err = db.Update(ctx, concord.Actor(&u), func(tx *store.Tx) error {
		if _, err := CheckCode(tx, u.ID, code); err != nil {
			return err
		}
		return then(tx)
	})
	if err != nil {
		return err
	}
	return db.LoginClear(ctx, key)
}

// Step is the answer to a right password: a session (Token, its cookie's
// value, until Expires), or, for an account with two-factor sign-in, a
// sign-in waiting for its code (Pending; Token is the pending sign-in's,
// for a cookie of its own, and Expires is PendingTTL away).
type Step struct {
	Token   string
	Expires time.Time
	User    concord.User
	Pending bool
}

// BeginLogin is the first step of signing in on a page: the password. An
// account without two-factor sign-in gets its session at once; one with it
// a pending sign-in that keeps next (where to go afterwards), finished by
// FinishLogin with a code. Errors as Login's.
func BeginLogin(ctx context.Context, db *store.DB, log *slog.Logger, a Attempt, next string) (Step, error) {
	u, err := checkPassword(ctx, db, log, a)
	if err != nil {
		return Step{}, err
	}
	if !u.TwoFactor {
		token, expires, err := openSession(ctx, db, u, KindBrowser, nil)
		return Step{Token: token, Expires: expires, User: u}, err
	}
	token, th := NewToken()
	expires := db.Now().Add(PendingTTL)
	err = db.Update(ctx, concord.Actor(&u), func(tx *store.Tx) error {
		return tx.CreatePendingLogin(th, u.ID, next, expires)
	})
	return Step{Token: token, Expires: expires, User: u, Pending: true}, err
}

// FinishLogin is the second step: the pending sign-in of pendingToken
// (from its cookie) with a code. It opens the session, ends the pending
// sign-in and returns where to go next. A pending sign-in unknown or
// older than PendingTTL is ErrPendingGone.
func FinishLogin(ctx context.Context, db *store.DB, log *slog.Logger, pendingToken, code string) (token string, expires time.Time, next string, err error) {
	th := TokenHash(pendingToken)
	p, err := db.PendingLogin(ctx, th)
	if errors.Is(err, concord.ErrNotFound) {
		return "", expires, "", ErrPendingGone
	}
	if err != nil {
		return "", expires, "", err
	}
	if NormalCode(code) == "" {
		return "", expires, p.Next, ErrCodeRequired
	}
	u := concord.User{ID: p.UserID}
	err = WithCode(ctx, db, log, u, code, func(tx *store.Tx) error {
		if _, err := tx.TakePendingLogin(th); err != nil {
			return ErrPendingGone
		}
		full, err := tx.UserByID(p.UserID)
		if err != nil || full.Disabled {
			return ErrPendingGone
		}
		token, expires, err = openSessionTx(tx, full, KindBrowser)
		return err
	})
	return token, expires, p.Next, err
}

// PendingNext returns where the pending sign-in of pendingToken goes once
// finished, and whether it is still waiting.
func PendingNext(ctx context.Context, db *store.DB, pendingToken string) (string, bool, error) {
	p, err := db.PendingLogin(ctx, TokenHash(pendingToken))
	if errors.Is(err, concord.ErrNotFound) {
		return "", false, nil
	}
	return p.Next, err == nil, err
}
