package briefer

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
	"testing"
	"time"
)

// TestBrieferWithdrawn: a nomination withdrawn during its non-objection
// round (the withdrawal closes the decision with a deferral) is "withdrawn"
// from that instant; before it, it is still "nominated". Simulated under
// automatic confirmation, the same facts show "confirmed": the nomination
// was confirmed when made, so the withdrawal could not have happened.
func TestBrieferWithdrawn(t *testing.T) {
	withdrawn := decisiontest.At(30 * time.Hour)
	nom := Nomination{ID: "b2", Name: "Prof. Wanjiru Kamau", Affiliation: "Strathmore University", NominatedBy: "KEN", DTG: "DTG1",
		Meeting: "DTG1-2026-12-07", At: decisiontest.T0, Withdrawn: withdrawn}
	facts := decision.Facts{Kind: decision.KindBrieferConfirmation, Participants: decisiontest.All,
		Acts: []decision.Act{{Kind: decision.ActDefer, At: withdrawn, Seq: 1}}}
	p := DefaultPolicy()
	for _, c := range []struct {
		mode Confirmation
		now  time.Duration
		want State
	}{
		{NonObjection, 29 * time.Hour, Nominated},
		{NonObjection, 30 * time.Hour, Withdrawn},
		{NonObjection, 10 * 24 * time.Hour, Withdrawn},
		{Consensus, 10 * 24 * time.Hour, Withdrawn},
		{Automatic, 10 * 24 * time.Hour, Confirmed},
	} {
		q := p
		q.Confirmation = c.mode
		r, err := Confirm(q, nom, facts, decisiontest.At(c.now))
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
	objected.Positions = []decision.Position{{Actor: "RUS", Kind: decision.PositionObjection, At: decisiontest.At(2 * time.Hour), Seq: 1}}
	if r, _ := Confirm(p, nom, objected, decisiontest.At(48*time.Hour)); r.State != Rejected {
		t.Errorf("objected before the withdrawal: %s", r.State)
	}
}

// --- Briefers -----------------------------------------------------------------

func TestBrieferRound(t *testing.T) {
	nom := Nomination{ID: "b1", Name: "Dr. Ada Byte", Affiliation: "CERT network", NominatedBy: "CAN", DTG: "DTG1", Meeting: "DTG1-2026-12", At: decisiontest.T0}
	facts := func(objection bool, acts ...decision.Act) decision.Facts {
		f := decision.Facts{Kind: decision.KindBrieferConfirmation, Participants: decisiontest.All, Acts: acts,
			Positions: []decision.Position{{Actor: "GBR", Kind: decision.PositionSupport, At: decisiontest.At(2 * time.Hour), Seq: 1}}}
		if objection {
			f.Positions = append(f.Positions, decision.Position{Actor: "RUS", Kind: decision.PositionObjection, Text: "External briefers need case-by-case agreement.", Lang: "en", At: decisiontest.At(30 * time.Hour), Seq: 2})
		}
		return f
	}
	meeting := decision.Act{Kind: decision.ActDecide, At: decisiontest.At(6 * 24 * time.Hour), Formal: true}
	cases := []struct {
		mode      Confirmation
		objection bool
		acts      []decision.Act
		now       time.Duration
		want      State
	}{
		{Automatic, true, nil, 0, Confirmed},
		{Automatic, true, nil, 40 * time.Hour, Confirmed}, // the objection comes after the outcome
		{NonObjection, false, nil, 24 * time.Hour, Nominated},
		{NonObjection, false, nil, 5 * 24 * time.Hour, Confirmed},
		{NonObjection, true, nil, 40 * time.Hour, Rejected},
		{Consensus, false, nil, 4 * 24 * time.Hour, Nominated},
		{Consensus, false, []decision.Act{meeting}, 7 * 24 * time.Hour, Confirmed},
		{Consensus, true, []decision.Act{meeting}, 7 * 24 * time.Hour, Rejected},
		{Consensus, true, []decision.Act{{Kind: decision.ActDefer, At: decisiontest.At(48 * time.Hour)}}, 7 * 24 * time.Hour, Deferred},
	}
	for _, c := range cases {
		t.Run(string(c.mode)+"/"+string(c.want), func(t *testing.T) {
			p := DefaultPolicy()
			p.Confirmation = c.mode
			if c.mode == Consensus {
				p.Period = 0 // ascertained at the DTG meeting
			}
			r, err := Confirm(p, nom, facts(c.objection, c.acts...), decisiontest.At(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if r.State != c.want {
				t.Errorf("state %s, want %s (%s, %+v)", r.State, c.want, r.Decision.Outcome, r.Decision.Reasons)
			}
			decisiontest.CheckReasons(t, r.Decision)
		})
	}
	// Under automatic confirmation, Russia's objection is refused as after
	// the outcome but stays in the history.
	p := DefaultPolicy()
	p.Confirmation = Automatic
	r, _ := Confirm(p, nom, facts(true), decisiontest.At(40*time.Hour))
	if h := r.Decision.History; len(h) != 2 || h[1].Key != "decision.error.after_outcome" {
		t.Errorf("history %+v", h)
	}
	// A State that does not take part cannot nominate.
	other := nom
	other.NominatedBy = "XKX"
	if _, err := Confirm(DefaultPolicy(), other, facts(false), decisiontest.T0); concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("non-participant nominator: %v", err)
	}
	bad := DefaultPolicy()
	bad.Period = 0
	if bad.Validate() == nil {
		t.Error("non-objection round without a period accepted")
	}
	if alts := Alternatives(Policy{Confirmation: Automatic}); len(alts) != 3 || alts[1].Validate() != nil {
		t.Errorf("alternatives %+v", alts)
	}
}

// TestNextChange: under automatic confirmation a nomination never changes
// by itself, yet its simulation as a non-objection round (or by consensus
// at the end of the period) ends at the rule's period.
func TestNextChange(t *testing.T) {
	t0 := decisiontest.T0
	n := Nomination{ID: "b1", Name: "A. Briefer", NominatedBy: "KEN", DTG: "DTG-1", At: t0}
	facts := decision.Facts{Kind: decision.KindBrieferConfirmation, Participants: []string{"KEN", "FRA"}}
	auto := Policy{Confirmation: Automatic, Period: 48 * time.Hour}
	if got := NextChange(auto, n, facts, t0); !got.Equal(t0.Add(48 * time.Hour)) {
		t.Errorf("automatic, simulated round: %v, want %v", got, t0.Add(48*time.Hour))
	}
	if got := NextChange(auto, n, facts, t0.Add(48*time.Hour)); !got.IsZero() {
		t.Errorf("after the simulated round: %v", got)
	}
	// Without a period, the simulated round runs for the default one.
	if got := NextChange(Policy{Confirmation: Automatic}, n, facts, t0); !got.Equal(t0.Add(decision.DefaultPeriod)) {
		t.Errorf("automatic without a period: %v, want %v", got, t0.Add(decision.DefaultPeriod))
	}
}
