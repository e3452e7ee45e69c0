package decision

import (
	"testing"
	"time"
)

// TestStanding: positions on an agenda item are read with the tracker that
// builds a decision's record: the EU's position applies to France and
// Germany unless one spoke for itself, a withdrawal silences its actor and
// lets the group's position apply again, a later position replaces an
// earlier one, and a position dated after now is not counted.
func TestStanding(t *testing.T) {
	parts := []string{"CAN", "DEU", "FRA", "IRN", "RUS", "USA"}
	groups := []Group{{Code: "EU", Members: []string{"FRA", "DEU"}}}
	p := func(actor string, k PositionKind, h float64, seq int64) Position {
		return decisionTestPos(actor, k, h, seq)
	}
	withdrawn := p("FRA", PositionWithdrawal, 5, 6)
	for _, tc := range []struct {
		name               string
		pos                []Position
		now                float64
		support, objection []string
		silent             []string
	}{
		{"group applies", []Position{p("EU", PositionSupport, 1, 1), p("IRN", PositionObjection, 2, 2)}, 10,
			[]string{"DEU", "FRA"}, []string{"IRN"}, []string{"CAN", "RUS", "USA"}},
		{"member speaks for itself", []Position{p("EU", PositionSupport, 1, 1), p("FRA", PositionObjection, 2, 2)}, 10,
			[]string{"DEU"}, []string{"FRA"}, []string{"CAN", "IRN", "RUS", "USA"}},
		{"withdrawal restores the group", []Position{p("EU", PositionSupport, 1, 1), p("FRA", PositionObjection, 2, 2), withdrawn}, 10,
			[]string{"DEU", "FRA"}, nil, []string{"CAN", "IRN", "RUS", "USA"}},
		{"later replaces earlier", []Position{p("RUS", PositionSupport, 1, 1), p("RUS", PositionObjection, 3, 2)}, 10,
			nil, []string{"RUS"}, []string{"CAN", "DEU", "FRA", "IRN", "USA"}},
		{"not yet", []Position{p("USA", PositionSupport, 20, 1)}, 10,
			nil, nil, parts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := Standing(parts, groups, tc.pos, decisionTestAt(time.Duration(tc.now*float64(time.Hour))))
			if got := states(rec.Supported); !equal(got, tc.support) {
				t.Errorf("supported %v, want %v", got, tc.support)
			}
			if got := states(rec.Objected); !equal(got, tc.objection) {
				t.Errorf("objected %v, want %v", got, tc.objection)
			}
			if !equal(rec.Silent, tc.silent) {
				t.Errorf("silent %v, want %v", rec.Silent, tc.silent)
			}
		})
	}
}

func states(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.State)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
