package fund

import (
	"slices"
	"time"

	"concord"
)

// Usage is what a call already carries when the Secretariat changes it,
// counted by the service in the store: it decides what may still change.
type Usage struct {
	// Applications is the number of applications received, whatever
	// their status.
	Applications int
	// Awarded is the sum awarded on the call's applications.
	Awarded int64
	// Reviewed are the reviewers who have written at least one review of
	// an application to the call.
	Reviewed []int64
}

// CheckEdit reports every problem of changing call before into after at
// now, the call carrying use, all at once. The call's own rules (Validate)
// hold as when it was opened, and a fund manager's expectations on top:
//
//   - The title may always be corrected, and the committee and the budget
//     changed within the rules below.
//   - A changed closing date is never in the past: a call is not closed
//     retroactively (an unchanged past date is kept, so a closed call's
//     title can still be corrected).
//   - Once applications were received, the States applied on the call's
//     terms: the opening date and the area no longer change, and the
//     deadline may be extended but not moved earlier than it was.
//   - The budget never goes below what the call has already awarded.
//   - A reviewer who has written a review stays on the committee: the
//     review would otherwise be by someone the call no longer names.
//
// after is expected normalised (Normalise).
func CheckEdit(before, after Call, use Usage, now time.Time) error {
	var errs concord.Errors
	errs.Add(after.Validate())
	has := func(field string) bool {
		return slices.ContainsFunc(errs, func(e *concord.Error) bool { return e.Field == field })
	}
	closesChanged := !after.Closes.IsZero() && !after.Closes.Equal(before.Closes)
	if use.Applications > 0 {
		if !after.Opens.IsZero() && !after.Opens.Equal(before.Opens) {
			errs.Add(invalid("opens", "fund.error.opens_fixed", "applications were received: the opening date no longer changes"))
		}
		if closesChanged && after.Closes.Before(before.Closes) && !has("closes") {
			errs.Add(invalid("closes", "fund.error.closes_earlier", "applications were received: the deadline may be extended, not moved earlier than %s", before.Closes.Format(time.RFC3339)))
		}
		if after.Area != before.Area && !has("area") {
			errs.Add(invalid("area", "fund.error.area_fixed", "applications were received: the area no longer changes"))
		}
	}
	if closesChanged && !after.Closes.After(now) && !has("closes") {
		errs.Add(invalid("closes", "fund.error.closes_past", "the new closing date is in the past"))
	}
	if after.Amount < use.Awarded && !has("amount") {
		errs.Add(invalid("amount", "fund.error.below_awarded", "the call has already awarded %d", use.Awarded))
	}
	for _, id := range use.Reviewed {
		if slices.Contains(before.Reviewers, id) && !after.IsReviewer(id) && !has("reviewers") {
			errs.Add(invalid("reviewers", "fund.error.reviewer_reviewed", "a reviewer who has written reviews stays on the committee"))
		}
	}
	return errs.Err()
}
