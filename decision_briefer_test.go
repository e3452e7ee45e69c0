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

// --- Briefers -----------------------------------------------------------------

func TestBrieferRound(t *testing.T) {
	nom := BrieferNomination{ID: "b1", Name: "Dr. Ada Byte", Affiliation: "CERT network", NominatedBy: "CAN", DTG: "DTG1", Meeting: "DTG1-2026-12", At: decisionTestT0}
	facts := func(objection bool, acts ...DecisionAct) DecisionFacts {
		f := DecisionFacts{Kind: DecisionBrieferConfirmation, Participants: decisionTestAll, Acts: acts,
			Positions: []Position{{Actor: "GBR", Kind: PositionSupport, At: decisionTestAt(2 * time.Hour), Seq: 1}}}
		if objection {
			f.Positions = append(f.Positions, Position{Actor: "RUS", Kind: PositionObjection, Text: "External briefers need case-by-case agreement.", Lang: "en", At: decisionTestAt(30 * time.Hour), Seq: 2})
		}
		return f
	}
	meeting := DecisionAct{Kind: DecisionActDecide, At: decisionTestAt(6 * 24 * time.Hour), Formal: true}
	cases := []struct {
		mode      BrieferConfirmation
		objection bool
		acts      []DecisionAct
		now       time.Duration
		want      BrieferState
	}{
		{BrieferAutomatic, true, nil, 0, BrieferConfirmed},
		{BrieferAutomatic, true, nil, 40 * time.Hour, BrieferConfirmed}, // the objection comes after the outcome
		{BrieferNonObjection, false, nil, 24 * time.Hour, BrieferNominated},
		{BrieferNonObjection, false, nil, 5 * 24 * time.Hour, BrieferConfirmed},
		{BrieferNonObjection, true, nil, 40 * time.Hour, BrieferRejected},
		{BrieferConsensus, false, nil, 4 * 24 * time.Hour, BrieferNominated},
		{BrieferConsensus, false, []DecisionAct{meeting}, 7 * 24 * time.Hour, BrieferConfirmed},
		{BrieferConsensus, true, []DecisionAct{meeting}, 7 * 24 * time.Hour, BrieferRejected},
		{BrieferConsensus, true, []DecisionAct{{Kind: DecisionActDefer, At: decisionTestAt(48 * time.Hour)}}, 7 * 24 * time.Hour, BrieferDeferred},
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+string(c.want), func(t *testing.T) {
			p := BrieferDefaultPolicy()
			p.Confirmation = c.mode
			if c.mode == BrieferConsensus {
				p.Period = 0 // ascertained at the DTG meeting
			}
			r, err := BrieferConfirm(p, nom, facts(c.objection, c.acts...), decisionTestAt(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if r.State != c.want {
				t.Errorf("state %s, want %s (%s, %+v)", r.State, c.want, r.Decision.Outcome, r.Decision.Reasons)
			}
			decisionTestCheckReasons(t, r.Decision)
		})
	}
	// Under automatic confirmation, Russia's objection is refused as after
	// the outcome but stays in the history.
	p := BrieferDefaultPolicy()
	p.Confirmation = BrieferAutomatic
	r, _ := BrieferConfirm(p, nom, facts(true), decisionTestAt(40*time.Hour))
	if h := r.Decision.History; len(h) != 2 || h[1].Key != "decision.error.after_outcome" {
		t.Errorf("history %+v", h)
	}
	// A State that does not take part cannot nominate.
	other := nom
	other.NominatedBy = "XKX"
	if _, err := BrieferConfirm(BrieferDefaultPolicy(), other, facts(false), decisionTestT0); ErrorCode(err) != EForbidden {
		t.Errorf("non-participant nominator: %v", err)
	}
	bad := BrieferDefaultPolicy()
	bad.Period = 0
	if bad.Validate() == nil {
		t.Error("non-objection round without a period accepted")
	}
	if alts := BrieferAlternatives(BrieferPolicy{Confirmation: BrieferAutomatic}); len(alts) != 3 || alts[1].Validate() != nil {
		t.Errorf("alternatives %+v", alts)
	}
}
