// Package cachectl lets the reads behind a response say until when it
// stays true if the data does not change. The page caches key responses on
// the data version (the audit head); a stored fact that also depends on
// the clock (a non-objection round ends at its deadline without any write)
// records, when it is read, the next instant at which it would change, and
// the caches serve a response built from it only before then.
package cachectl

import (
	"context"
	"sync"
	"time"
)

// Expiry collects the earliest instant a response stops being true.
type Expiry struct {
	mu     sync.Mutex
	t      time.Time
	parent *Expiry // also told what this one records (Capture)
}

type key struct{}

// With returns ctx carrying a new Expiry, for a cache about to store the
// response of a request made with it.
func With(ctx context.Context) (context.Context, *Expiry) {
	e := &Expiry{}
	return context.WithValue(ctx, key{}, e), e
}

// Capture returns ctx carrying a new Expiry that also passes what it
// records on to the one ctx already carries, if any: a cache inside the
// response (a service's memo of a computed value) learns until when the
// value holds, and the cache of the whole response learns it as well. The
// memo, when it serves the value again, tells ctx the same (Until).
func Capture(ctx context.Context) (context.Context, *Expiry) {
	parent, _ := ctx.Value(key{}).(*Expiry)
	e := &Expiry{parent: parent}
	return context.WithValue(ctx, key{}, e), e
}

// Until records that the response being made with ctx changes at t; the
// earliest of several calls wins, and a zero t changes nothing. Without an
// Expiry in ctx (a response no cache keeps) it does nothing.
func Until(ctx context.Context, t time.Time) {
	e, _ := ctx.Value(key{}).(*Expiry)
	if t.IsZero() {
		return
	}
	for ; e != nil; e = e.parent {
		e.note(t)
	}
}

func (e *Expiry) note(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.t.IsZero() || t.Before(e.t) {
		e.t = t
	}
}

// Time is the instant recorded, zero when the response does not depend on
// the clock. A nil Expiry has none.
func (e *Expiry) Time() time.Time {
	if e == nil {
		return time.Time{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.t
}

// Fresh reports whether a response recorded with expiry until is still
// true at now.
func Fresh(until, now time.Time) bool { return until.IsZero() || now.Before(until) }
