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
