package agenda

import (
	"errors"
	"slices"
	"testing"

	"concord"
)

// TestValidateAllErrors: a version with an item without a number and one
// without a title is refused with both, each on its item.
func TestValidateAllErrors(t *testing.T) {
	a := Agenda{Version: 1, Items: []Item{{Number: "1", Title: concord.Text{"en": "Opening"}}, {Number: "", Title: concord.Text{"en": "Work"}}, {Number: "3"}}}
	var all concord.Errors
	if !errors.As(a.Validate(), &all) {
		t.Fatalf("%v: not every error", a.Validate())
	}
	var fields []string
	for _, e := range all {
		fields = append(fields, e.Field)
	}
	if want := []string{"items[1].number", "items[2].title"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
}
