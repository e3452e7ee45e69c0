package concord

import (
	"strings"
	"testing"
)

func TestAccreditationRepresentatives(t *testing.T) {
	c := AccreditationContent{Purpose: Text{"en": "p"}, Letter: "1", Representatives: []string{"Amina Diallo", "Lee Min-jun"}}
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
		if err := c.Validate(false); ErrorCode(err) != EInvalid {
			t.Errorf("%d representatives (%q...): %v", len(reps), reps[0][:1], err)
		}
	}
}
