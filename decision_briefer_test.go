package concord

import (
	"testing"
	"time"
)

// TestBrieferWithdrawn: a nomination withdrawn during its non-objection
// round (the withdrawal closes the decision with a deferral) is "withdrawn"
// from that instant; before it, it is still "nominated". Simulated under
// automatic confirmation, the same facts show "confirmed": the nomination
// was confirmed when made, so the withdrawal could not have happened.
func TestBrieferWithdrawn(t *testing.T) {
	withdrawn := decisionTestAt(30 * time.Hour)
	nom := BrieferNomination{ID: "b2", Name: "Prof. Wanjiru Kamau", Affiliation: "Strathmore University", NominatedBy: "KEN", DTG: "DTG1",
		Meeting: "DTG1-2026-12-07", At: decisionTestT0, Withdrawn: withdrawn}
	facts := DecisionFacts{Kind: DecisionBrieferConfirmation, Participants: decisionTestAll,
		Acts: []DecisionAct{{Kind: DecisionActDefer, At: withdrawn, Seq: 1}}}
	p := BrieferDefaultPolicy()
	for _, c := range []struct {
		mode BrieferConfirmation
		now  time.Duration
		want BrieferState
	}{
		{BrieferNonObjection, 29 * time.Hour, BrieferNominated},
		{BrieferNonObjection, 30 * time.Hour, BrieferWithdrawn},
		{BrieferNonObjection, 10 * 24 * time.Hour, BrieferWithdrawn},
		{BrieferConsensus, 10 * 24 * time.Hour, BrieferWithdrawn},
		{BrieferAutomatic, 10 * 24 * time.Hour, BrieferConfirmed},
	} {
		q := p
		q.Confirmation = c.mode
		r, err := BrieferConfirm(q, nom, facts, decisionTestAt(c.now))
		if err != nil {
			t.Fatal(err)
		}
		if r.State != c.want {
			t.Errorf("%s at +%s: %s, want %s (%s)", c.mode, c.now, r.State, c.want, r.Decision.Outcome)
		}
	}
	// Silence broken by an objection before the withdrawal: under that rule
	// the round was over, so the nomination stays rejected.
	objected := facts
	objected.Positions = []Position{{Actor: "RUS", Kind: PositionObjection, At: decisionTestAt(2 * time.Hour), Seq: 1}}
	if r, _ := BrieferConfirm(p, nom, objected, decisionTestAt(48*time.Hour)); r.State != BrieferRejected {
		t.Errorf("objected before the withdrawal: %s", r.State)
	}
}

func TestDTGs(t *testing.T) {
	if len(DTGs) != 2 {
		t.Fatalf("%d DTGs; the final report settled on two", len(DTGs))
	}
	for _, d := range DTGs {
		for _, l := range Languages {
			if d.Names[l] == "" {
				t.Errorf("%s has no %s name", d.Code, l)
			}
		}
		if got, ok := DTGByCode(d.Code); !ok || got.Code != d.Code {
			t.Errorf("DTGByCode(%s) = %v, %v", d.Code, got, ok)
		}
	}
	if _, ok := DTGByCode("DTG3"); ok {
		t.Error("DTG3 found")
	}
}
