// Package reqlog carries a request's id and logger through its context, so
// that the access log line and every error logged while serving the
// request share one id, and the id goes back to the client in X-Request-Id.
package reqlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
)

// Header is the request id's header, read from trusted callers (a proxy
// that already assigned one) and always sent back.
const Header = "X-Request-Id"

// Info is what the access log learns while the request is served: its id,
// and the signed-in user once the session is read.
type Info struct {
	ID     string
	UserID int64
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request's Info, or nil outside a request.
func From(ctx context.Context) *Info {
	i, _ := ctx.Value(key{}).(*Info)
	return i
}

// Logger returns log with the request id of ctx, when there is one.
func Logger(ctx context.Context, log *slog.Logger) *slog.Logger {
	if i := From(ctx); i != nil {
		return log.With("request_id", i.ID)
	}
	return log
}

// NewID returns a fresh random request id (16 hex digits).
func NewID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WellFormed reports whether an id sent by the client may be reused: 1 to
// 64 letters, digits, '-', '_' or '.', so that it cannot forge log lines.
func WellFormed(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
