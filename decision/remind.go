package decision

import (
	"slices"
	"time"
)

// ReminderDue says which reminder before deadline is due at now, given the
// offsets before the deadline at which the process reminds (72 and 24
// hours, say): the smallest offset whose instant (deadline - offset) has
// come, while the deadline has not. A reminder whose instant came before
// the proposal is not due (the notice that the decision opened said as
// much), and when the scheduler missed an instant only the latest reminder
// is due, not every one it missed. ok is false when none is due.
func ReminderDue(proposedAt, deadline time.Time, offsets []time.Duration, now time.Time) (offset time.Duration, ok bool) {
	if deadline.IsZero() || !now.Before(deadline) {
		return 0, false
	}
	sorted := slices.Sorted(slices.Values(offsets))
	for _, o := range sorted {
		at := deadline.Add(-o)
		if o > 0 && !now.Before(at) && at.After(proposedAt) {
			return o, true
		}
	}
	return 0, false
}
