package auth

import (
	"context"

	"concord"
)

type ctxKey int

const userKey ctxKey = 0

// WithUser returns ctx carrying the signed-in user.
func WithUser(ctx context.Context, u *concord.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFrom returns the signed-in user, or nil for the public.
func UserFrom(ctx context.Context) *concord.User {
	u, _ := ctx.Value(userKey).(*concord.User)
	return u
}

const addrKeyCtx ctxKey = 1

// WithAddr returns ctx carrying the client address (Proxies.ClientAddr).
func WithAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKeyCtx, addr)
}

// AddrFrom returns the client address set by WithAddr, or "".
func AddrFrom(ctx context.Context) string {
	a, _ := ctx.Value(addrKeyCtx).(string)
	return a
}

const sessionKeyCtx ctxKey = 2

// WithSession returns ctx carrying the public id of the request's session
// (store.SessionID), so that a list of sessions can mark the current one.
func WithSession(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, sessionKeyCtx, id)
}

// SessionFrom returns the id set by WithSession, or "".
func SessionFrom(ctx context.Context) string {
	id, _ := ctx.Value(sessionKeyCtx).(string)
	return id
}
