package briefer

// The rules of a briefer nomination that do not depend on the store: its
// fields, its meeting, and when it may be withdrawn.

import (
	"concord"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a nomination's fields, in characters.
const (
	NameMax        = 200
	AffiliationMax = 300
	ExpertiseMax   = 2000
	NoteMax        = 2000
)

// horizon is how far ahead a meeting may be: a date further away is
// taken for a typing error.
const horizon = 3 * 366 * 24 * time.Hour

// MeetingCode names a DTG meeting by its group and first day
// ("DTG-1-2026-12-07"): one code per meeting, whoever types it.
func MeetingCode(dtg, date string) string { return dtg + "-" + date }

func tooLong(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return concord.Errorf(concord.EInvalid, field, "error.too_long", "%s is over %d characters", field, max)
	}
	return nil
}

// Entry checks and normalises a nomination as entered (name,
// affiliation, expertise, DTG and meeting date; the nominating State is
// already checked) and names its meeting: all that does not depend on the
// store.
func Entry(in Nomination) (Nomination, error) {
	n := Nomination{Name: strings.Join(strings.Fields(in.Name), " "), Affiliation: strings.Join(strings.Fields(in.Affiliation), " "),
		Expertise: strings.TrimSpace(in.Expertise), NominatedBy: in.NominatedBy, DTG: strings.ToUpper(strings.TrimSpace(in.DTG)),
		MeetingDate: strings.TrimSpace(in.MeetingDate)}
	// Every field's problem at once (one per field), so that a form shows
	// each next to its control.
	var errs concord.Errors
	for _, c := range []struct {
		field, s string
		max      int
	}{{"name", n.Name, NameMax}, {"affiliation", n.Affiliation, AffiliationMax}, {"expertise", n.Expertise, ExpertiseMax}} {
		errs.Add(tooLong(c.field, c.s, c.max))
	}
	if n.Name == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "name", "briefer.error.name", "the briefer's name is required"))
	}
	if n.Affiliation == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "affiliation", "error.required", "the briefer's affiliation is required"))
	}
	if n.DTG == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "dtg", "briefer.error.dtg", "the nomination needs a DTG"))
	} else if _, ok := concord.DTGByCode(n.DTG); !ok {
		errs.Add(concord.Errorf(concord.EInvalid, "dtg", "briefers.error.dtg", "unknown thematic group %q", n.DTG))
	}
	if _, err := time.Parse(time.DateOnly, n.MeetingDate); err != nil {
		errs.Add(concord.Errorf(concord.EInvalid, "meeting_date", "error.date", "the meeting date must be YYYY-MM-DD"))
	}
	if err := errs.Err(); err != nil {
		return n, err
	}
	n.Meeting = MeetingCode(n.DTG, n.MeetingDate)
	return n, nil
}

// CheckMeeting checks a meeting opening at start for a nomination made
// at now: it must not have begun, and lie at most three years ahead.
func CheckMeeting(start, now time.Time) error {
	if !now.Before(start) || start.Sub(now) > horizon {
		return concord.Errorf(concord.EInvalid, "meeting_date", "briefers.error.meeting_date", "the meeting must not have begun and must be at most three years ahead")
	}
	return nil
}

// CheckNote checks a withdrawing State's explanation.
func CheckNote(note string) error { return tooLong("note", note, NoteMax) }

// CanWithdraw reports (nil) whether nomination n may be withdrawn,
// given its result now (nil when not yet computed: only what n itself
// says is checked): not withdrawn already, and its round still under way.
func CanWithdraw(n Nomination, res *Result) error {
	if !n.Withdrawn.IsZero() {
		return concord.Errorf(concord.EConflict, "", "briefers.error.withdrawn", "the nomination was already withdrawn")
	}
	if res != nil && res.State != Nominated {
		return concord.Errorf(concord.EConflict, "", "briefers.error.not_open", "the round is over (%s): there is nothing to withdraw", res.State)
	}
	return nil
}
