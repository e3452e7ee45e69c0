package briefer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"concord"
)

// TestEntryAndGuards checks a nomination's fields as entered, the meeting
// window and when a nomination may be withdrawn.
func TestEntryAndGuards(t *testing.T) {
	key := func(err error) string {
		var e *concord.Error
		if err == nil || !errors.As(err, &e) {
			return ""
		}
		return e.Key
	}
	ok := Nomination{Name: "  Dr.  Ada Byte ", Affiliation: "CERT network", NominatedBy: "CAN", DTG: "dtg-1", MeetingDate: "2026-12-07"}
	for _, c := range []struct {
		name string
		edit func(*Nomination)
		want string
	}{
		{"valid", func(*Nomination) {}, ""},
		{"no name", func(n *Nomination) { n.Name = " " }, "briefer.error.name"},
		{"long name", func(n *Nomination) { n.Name = strings.Repeat("é", NameMax+1) }, "error.too_long"},
		{"no affiliation", func(n *Nomination) { n.Affiliation = "" }, "error.required"},
		{"no DTG", func(n *Nomination) { n.DTG = "" }, "briefer.error.dtg"},
		{"unknown DTG", func(n *Nomination) { n.DTG = "DTG-9" }, "briefers.error.dtg"},
		{"bad date", func(n *Nomination) { n.MeetingDate = "7 Dec" }, "error.date"},
	} {
		in := ok
		c.edit(&in)
		n, err := Entry(in)
		if key(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
		if c.want == "" && (n.Name != "Dr. Ada Byte" || n.Meeting != "DTG-1-2026-12-07") {
			t.Errorf("%s: normalised to %+v", c.name, n)
		}
	}
	start := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		now  time.Time
		want string
	}{{start, "briefers.error.meeting_date"}, {start.Add(-time.Hour), ""}, {start.Add(-horizon - time.Second), "briefers.error.meeting_date"}} {
		if got := key(CheckMeeting(start, c.now)); got != c.want {
			t.Errorf("meeting at %s: %q, want %q", c.now, got, c.want)
		}
	}
	if key(CheckNote(strings.Repeat("x", NoteMax+1))) != "error.too_long" || CheckNote(strings.Repeat("x", NoteMax)) != nil {
		t.Error("note limit")
	}
	withdrawn := ok
	withdrawn.Withdrawn = start
	for _, c := range []struct {
		name string
		n    Nomination
		res  *Result
		want string
	}{
		{"before the result", ok, nil, ""},
		{"under way", ok, &Result{State: Nominated}, ""},
		{"confirmed", ok, &Result{State: Confirmed}, "briefers.error.not_open"},
		{"already withdrawn", withdrawn, nil, "briefers.error.withdrawn"},
	} {
		if got := key(CanWithdraw(c.n, c.res)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
