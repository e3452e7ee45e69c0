package auth

import (
	"context"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/store"
)

// Login throttling: at most MaxFailures failed attempts per username and per
// client address within Window. Counters live in the database so the limit
// holds across instances.
const (
	MaxFailures = 5
	Window      = 15 * time.Minute
	// SessionTTL is how long a session lives.
	SessionTTL = 12 * time.Hour
)

// Login checks credentials and, when they are right, opens a session. It is
// the one sign-in path for pages and the API. Errors: EUnauthorized for
// wrong credentials, ETooMany when throttled.
func Login(ctx context.Context, db *store.DB, username, password, addr string) (token string, u concord.User, expires time.Time, err error) {
	username = strings.TrimSpace(username)
	keys := []string{"user:" + strings.ToLower(username), "addr:" + addr}
	for _, k := range keys {
		ok, err := db.LoginAllowed(ctx, k, MaxFailures, Window)
		if err != nil {
			return "", u, expires, err
		}
		if !ok {
			return "", u, expires, concord.Errorf(concord.ETooMany, "", "error.too_many_logins", "too many failed attempts; try again later")
		}
	}
	u, hash, err := db.UserByUsername(ctx, username)
	if err != nil && err != concord.ErrNotFound {
		return "", u, expires, err
	}
	if err != nil || u.Disabled {
		VerifyDummy(password) // same time as a real check: no username oracle
	}
	if err != nil || u.Disabled || !VerifyPassword(password, hash) {
		for _, k := range keys {
			if err := db.RecordLoginFailure(ctx, k, Window); err != nil {
				return "", u, expires, err
			}
		}
		return "", concord.User{}, expires, concord.Errorf(concord.EUnauthorized, "", "error.bad_login", "wrong username or password")
	}
	token, th := NewToken()
	expires = db.Now().Add(SessionTTL)
	if err := db.Update(ctx, "user:"+strconv.FormatInt(u.ID, 10), func(tx *store.Tx) error {
		return tx.CreateSession(th, u.ID, expires)
	}); err != nil {
		return "", u, expires, err
	}
	for _, k := range keys {
		if err := db.ClearLoginFailures(ctx, k); err != nil {
			return "", u, expires, err
		}
	}
	return token, u, expires, nil
}
