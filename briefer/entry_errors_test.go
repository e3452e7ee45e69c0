package briefer

import (
	"errors"
	"slices"
	"testing"

	"concord"
)

// TestEntryAllErrors: a nomination wrong in every field is refused with
// one error per field, not the first only.
func TestEntryAllErrors(t *testing.T) {
	_, err := Entry(Nomination{Name: " ", Affiliation: "", DTG: "DTG-9", MeetingDate: "soon"})
	var all concord.Errors
	if !errors.As(err, &all) {
		t.Fatalf("%v: not every error", err)
	}
	var fields []string
	for _, e := range all {
		fields = append(fields, e.Field)
	}
	if want := []string{"name", "affiliation", "dtg", "meeting_date"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
}
