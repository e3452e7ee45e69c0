package cachectl

import (
	"context"
	"testing"
	"time"
)

func TestUntil(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	Until(context.Background(), t0) // no Expiry: nothing happens
	ctx, e := With(context.Background())
	if !e.Time().IsZero() {
		t.Fatal("a new Expiry has a time")
	}
	Until(ctx, time.Time{})
	Until(ctx, t0.Add(time.Hour))
	Until(ctx, t0)
	Until(ctx, t0.Add(2*time.Hour))
	if !e.Time().Equal(t0) {
		t.Errorf("expiry %s, want the earliest %s", e.Time(), t0)
	}
	if !Fresh(time.Time{}, t0) || !Fresh(t0, t0.Add(-time.Nanosecond)) || Fresh(t0, t0) {
		t.Error("Fresh: a response is true before its expiry, not at it")
	}
	var none *Expiry
	if !none.Time().IsZero() {
		t.Error("nil Expiry")
	}
}

// TestCapture: a memo inside a response learns what the reads it makes
// record, and the response's own Expiry learns it too.
func TestCapture(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	outer, oe := With(context.Background())
	Until(outer, t0.Add(3*time.Hour))
	inner, ie := Capture(outer)
	Until(inner, t0.Add(time.Hour))
	Until(inner, t0.Add(2*time.Hour))
	if !ie.Time().Equal(t0.Add(time.Hour)) {
		t.Errorf("captured %s, want the earliest read inside, %s", ie.Time(), t0.Add(time.Hour))
	}
	if !oe.Time().Equal(t0.Add(time.Hour)) {
		t.Errorf("the response's expiry %s, want %s passed on from inside", oe.Time(), t0.Add(time.Hour))
	}
	// A capture without a cache outside still collects.
	alone, ae := Capture(context.Background())
	Until(alone, t0)
	if !ae.Time().Equal(t0) {
		t.Errorf("capture without an outer Expiry: %s, want %s", ae.Time(), t0)
	}
}
