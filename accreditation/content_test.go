package accreditation

import (
	"concord"
	"strings"
	"testing"
)

func TestRepresentatives(t *testing.T) {
	c := Content{Purpose: concord.Text{"en": "p"}, Letter: "1", Representatives: []string{"Amina Diallo", "Lee Min-jun"}}
	if err := c.Validate(true); err != nil {
		t.Fatal(err)
	}
	for _, reps := range [][]string{make([]string, 21), {" "}, {strings.Repeat("x", 201)}} {
		for i := range reps {
			if reps[i] == "" {
				reps[i] = "Name"
			}
		}
		c.Representatives = reps
		if err := c.Validate(false); concord.ErrorCode(err) != concord.EInvalid {
			t.Errorf("%d representatives (%q...): %v", len(reps), reps[0][:1], err)
		}
	}
}
