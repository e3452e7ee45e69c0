package decision

import (
	"testing"
	"time"
)

func TestReminderDue(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	offsets := []time.Duration{72 * time.Hour, 24 * time.Hour}
	deadline := t0.Add(7 * 24 * time.Hour)
	for _, c := range []struct {
		name     string
		proposed time.Time
		now      time.Time
		want     time.Duration
		ok       bool
	}{
		{"long before", t0, t0.Add(time.Hour), 0, false},
		{"at 72 hours", t0, deadline.Add(-72 * time.Hour), 72 * time.Hour, true},
		{"between", t0, deadline.Add(-48 * time.Hour), 72 * time.Hour, true},
		{"at 24 hours", t0, deadline.Add(-24 * time.Hour), 24 * time.Hour, true},
		{"an hour before", t0, deadline.Add(-time.Hour), 24 * time.Hour, true},
		{"at the deadline", t0, deadline, 0, false},
		{"after", t0, deadline.Add(time.Hour), 0, false},
		// A 72-hour silence: its opening notice is the 72-hour reminder.
		{"opened inside the offset", deadline.Add(-72 * time.Hour), deadline.Add(-50 * time.Hour), 0, false},
		{"opened inside, 24 hours", deadline.Add(-72 * time.Hour), deadline.Add(-20 * time.Hour), 24 * time.Hour, true},
	} {
		got, ok := ReminderDue(c.proposed, deadline, offsets, c.now)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
	if _, ok := ReminderDue(t0, time.Time{}, offsets, t0); ok {
		t.Error("no deadline: a reminder is due")
	}
}
