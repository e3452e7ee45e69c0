package decision

import (
	"concord"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// decisionTestBase is a small decision: eight participants, the EU as a
// group of two of them, a proposal at T0 and a deadline three days later.
func decisionTestBase(kind Kind, pos []Position, acts []Act) Facts {
	return Facts{
		Kind:         kind,
		Proposal:     concord.Text{"en": "Proposal", "fr": "Proposition"},
		ProposedBy:   ActorChair,
		ProposedAt:   decisionTestT0,
		Deadline:     decisionTestAt(72 * time.Hour),
		Participants: []string{"BRA", "CAN", "DEU", "EGY", "FRA", "IRN", "RUS", "USA"},
		Groups:       []Group{{Code: "EU", Members: []string{"FRA", "DEU"}}},
		Positions:    pos,
		Acts:         acts,
	}
}

// decisionTestPos builds a position at T0+h hours with sequence number seq.
func decisionTestPos(actor string, k PositionKind, h float64, seq int64) Position {
	return Position{Actor: actor, Kind: k, At: decisionTestAt(time.Duration(h * float64(time.Hour))), Seq: seq}
}

func decisionTestAct(k ActKind, h float64, formal bool) Act {
	return Act{Kind: k, At: decisionTestAt(time.Duration(h * float64(time.Hour))), Formal: formal}
}

func TestDecideModalitiesAndOutcomes(t *testing.T) {
	P := decisionTestPos
	A := decisionTestAct
	sup := []Position{P("CAN", PositionSupport, 1, 1), P("EU", PositionSupport, 2, 2)}
	obj := append(slices.Clone(sup), P("IRN", PositionObjection, 3, 3))
	res := append(slices.Clone(sup), P("USA", PositionReservation, 3, 3))
	dis := append(slices.Clone(sup), P("USA", PositionDissociation, 3, 3))
	mod := func(m Modality) Policy { return Policy{Modality: m} }
	cases := []struct {
		name     string
		policy   Policy
		kind     Kind
		pos      []Position
		acts     []Act
		noDL     bool // no deadline in the facts
		now      float64
		want     OutcomeKind
		informal bool
		reason   string
	}{
		// chair_decision
		{"chair/pending", mod(ModalityChairDecision), KindGeneric, sup, nil, false, 10, OutcomePending, false, "decision.reason.awaiting_chair"},
		{"chair/adopted", mod(ModalityChairDecision), KindGeneric, sup, []Act{A(ActDecide, 5, false)}, false, 10, OutcomeAdopted, false, "decision.reason.chair_decided"},
		{"chair/over objection", mod(ModalityChairDecision), KindGeneric, obj, []Act{A(ActDecide, 5, false)}, false, 10, OutcomeAdoptedWithDivergence, false, "decision.reason.objections_noted"},
		{"chair/with reservation", mod(ModalityChairDecision), KindGeneric, res, []Act{A(ActDecide, 5, false)}, false, 10, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"chair/deferred", mod(ModalityChairDecision), KindGeneric, sup, []Act{A(ActDefer, 5, false)}, false, 10, OutcomeDeferred, false, "decision.reason.deferred_by_chair"},
		{"chair/on proposal", Policy{Modality: ModalityChairDecision, AdoptOnProposal: true}, KindBrieferConfirmation, nil, nil, false, 0, OutcomeAdopted, false, "decision.reason.adopted_on_proposal"},
		// chair_proposal_silence
		{"silence/pending", mod(ModalityChairProposalSilence), KindGeneric, sup, nil, false, 10, OutcomePending, false, "decision.reason.silence_running"},
		{"silence/adopted", mod(ModalityChairProposalSilence), KindGeneric, sup, nil, false, 72, OutcomeAdopted, false, "decision.reason.silence_expired"},
		{"silence/reservation", mod(ModalityChairProposalSilence), KindGeneric, res, nil, false, 80, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"silence/dissociation", mod(ModalityChairProposalSilence), KindGeneric, dis, nil, false, 80, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"silence/broken", mod(ModalityChairProposalSilence), KindGeneric, obj, nil, false, 4, OutcomeSilenceBroken, false, "decision.reason.silence_broken"},
		{"silence/broken informal", Policy{Modality: ModalityChairProposalSilence, ProceedInformally: true}, KindAgendaAdoption, obj, nil, false, 4, OutcomeSilenceBroken, true, "decision.reason.proceed_informally"},
		{"silence/deferred", mod(ModalityChairProposalSilence), KindGeneric, sup, []Act{A(ActDefer, 5, false)}, false, 10, OutcomeDeferred, false, "decision.reason.deferred_by_chair"},
		{"silence/period", Policy{Modality: ModalityChairProposalSilence, Period: 24 * time.Hour}, KindGeneric, sup, nil, true, 24, OutcomeAdopted, false, "decision.reason.silence_expired"},
		{"silence/decide ignored", mod(ModalityChairProposalSilence), KindGeneric, sup, []Act{A(ActDecide, 5, false)}, false, 10, OutcomePending, false, "decision.reason.act_not_applicable"},
		// consensus
		{"consensus/pending", mod(ModalityConsensus), KindGeneric, sup, nil, true, 10, OutcomePending, false, "decision.reason.awaiting_decision"},
		{"consensus/pending objection", mod(ModalityConsensus), KindGeneric, obj, nil, true, 10, OutcomePending, false, "decision.reason.objection_outstanding"},
		{"consensus/adopted", mod(ModalityConsensus), KindGeneric, sup, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeAdopted, false, "decision.reason.consensus"},
		{"consensus/adopted silence is consent", mod(ModalityConsensus), KindGeneric, nil, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeAdopted, false, "decision.reason.consensus"},
		{"consensus/dissociation", mod(ModalityConsensus), KindGeneric, dis, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"consensus/at deadline", mod(ModalityConsensus), KindGeneric, res, nil, false, 72, OutcomeAdoptedWithDivergence, false, "decision.reason.consensus"},
		{"consensus/not adopted", mod(ModalityConsensus), KindCoFacilitatorAppointment, obj, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeNotAdopted, false, "decision.reason.no_consensus"},
		{"consensus/not adopted informal", Policy{Modality: ModalityConsensus, ProceedInformally: true}, KindAgendaAdoption, obj, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeNotAdopted, true, "decision.reason.proceed_informally"},
		{"consensus/informal not for appointments", Policy{Modality: ModalityConsensus, ProceedInformally: true}, KindCoFacilitatorAppointment, obj, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeNotAdopted, false, "decision.reason.informal_not_applicable"},
		{"consensus/no consensus deferred", Policy{Modality: ModalityConsensus, NoConsensus: OutcomeDeferred}, KindGeneric, obj, []Act{A(ActDecide, 5, true)}, true, 10, OutcomeDeferred, false, "decision.reason.no_consensus_deferred"},
		{"consensus/deferred", mod(ModalityConsensus), KindGeneric, obj, []Act{A(ActDefer, 5, true)}, true, 10, OutcomeDeferred, false, "decision.reason.deferred_by_chair"},
		// chair_proposal_consensus_approval
		{"approval/pending", mod(ModalityChairProposalConsensusApproval), KindGeneric, sup, nil, true, 10, OutcomePending, false, "decision.reason.awaiting_decision"},
		{"approval/adopted", mod(ModalityChairProposalConsensusApproval), KindGeneric, sup, []Act{A(ActDecide, 5, false)}, true, 10, OutcomeAdopted, false, "decision.reason.consensus"},
		{"approval/reservation", mod(ModalityChairProposalConsensusApproval), KindGeneric, res, []Act{A(ActDecide, 5, false)}, true, 10, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"approval/blocked", mod(ModalityChairProposalConsensusApproval), KindGeneric, obj, []Act{A(ActDecide, 5, false)}, true, 10, OutcomeNotAdopted, false, "decision.reason.no_consensus"},
		{"approval/deferred", mod(ModalityChairProposalConsensusApproval), KindGeneric, obj, []Act{A(ActDefer, 5, false)}, true, 10, OutcomeDeferred, false, "decision.reason.deferred_by_chair"},
		// plenary_decision
		{"plenary/pending", mod(ModalityPlenaryDecision), KindGeneric, sup, nil, false, 100, OutcomePending, false, "decision.reason.awaiting_plenary"},
		{"plenary/informal act ignored", mod(ModalityPlenaryDecision), KindGeneric, sup, []Act{A(ActDecide, 5, false)}, false, 10, OutcomePending, false, "decision.reason.informal_act_ignored"},
		{"plenary/adopted", mod(ModalityPlenaryDecision), KindGeneric, sup, []Act{A(ActDecide, 5, false), A(ActDecide, 6, true)}, false, 10, OutcomeAdopted, false, "decision.reason.consensus"},
		{"plenary/dissociation", mod(ModalityPlenaryDecision), KindGeneric, dis, []Act{A(ActDecide, 6, true)}, false, 10, OutcomeAdoptedWithDivergence, false, "decision.reason.divergence_recorded"},
		{"plenary/not adopted", mod(ModalityPlenaryDecision), KindGeneric, obj, []Act{A(ActDecide, 6, true)}, false, 10, OutcomeNotAdopted, false, "decision.reason.no_consensus"},
		{"plenary/deferred", mod(ModalityPlenaryDecision), KindGeneric, obj, []Act{A(ActDefer, 6, false)}, false, 10, OutcomeDeferred, false, "decision.reason.deferred_by_chair"},
		// advisory_survey
		{"survey/pending", mod(ModalityAdvisorySurvey), KindGeneric, obj, nil, false, 10, OutcomePending, false, "decision.reason.survey_open"},
		{"survey/closed", mod(ModalityAdvisorySurvey), KindGeneric, obj, nil, false, 72, OutcomeDeferred, false, "decision.reason.advisory_only"},
		{"survey/closed early", mod(ModalityAdvisorySurvey), KindGeneric, sup, []Act{A(ActDecide, 5, false)}, false, 10, OutcomeDeferred, false, "decision.reason.advisory_only"},
	}
	seen := map[Modality]map[OutcomeKind]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := decisionTestBase(c.kind, c.pos, c.acts)
			if c.noDL {
				f.Deadline = time.Time{}
			}
			r, err := Decide(c.policy, f, decisionTestAt(time.Duration(c.now*float64(time.Hour))))
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s (reasons %+v)", r.Outcome, c.want, r.Reasons)
			}
			if r.ProceedInformally != c.informal {
				t.Errorf("proceed informally %v, want %v", r.ProceedInformally, c.informal)
			}
			if !r.HasReason(c.reason) {
				t.Errorf("reason %s missing in %+v", c.reason, r.Reasons)
			}
			if r.Final() == r.DecidedAt.IsZero() {
				t.Errorf("final %v but decided at %v", r.Final(), r.DecidedAt)
			}
			if len(r.Next) == 0 {
				t.Error("no next actions")
			}
			decisionTestCheckReasons(t, r)
			if seen[c.policy.Modality] == nil {
				seen[c.policy.Modality] = map[OutcomeKind]bool{}
			}
			seen[c.policy.Modality][r.Outcome] = true
		})
	}
	// Every modality reaches every outcome it can produce.
	can := map[Modality][]OutcomeKind{
		ModalityChairDecision:                  {OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeDeferred},
		ModalityChairProposalSilence:           {OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeSilenceBroken, OutcomeDeferred},
		ModalityConsensus:                      {OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeNotAdopted, OutcomeDeferred},
		ModalityChairProposalConsensusApproval: {OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeNotAdopted, OutcomeDeferred},
		ModalityPlenaryDecision:                {OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeNotAdopted, OutcomeDeferred},
		ModalityAdvisorySurvey:                 {OutcomePending, OutcomeDeferred},
	}
	for m, outs := range can {
		for _, o := range outs {
			if !seen[m][o] {
				t.Errorf("no case for %s -> %s", m, o)
			}
		}
	}
}

// TestDecideNextActions pins "what each actor may still do".
func TestDecideNextActions(t *testing.T) {
	P := decisionTestPos
	has := func(r Result, actor string, a Action, until time.Time) bool {
		return slices.ContainsFunc(r.Next, func(n Next) bool { return n.Actor == actor && n.Action == a && n.Until.Equal(until) })
	}
	dl := decisionTestAt(72 * time.Hour)

	f := decisionTestBase(KindGeneric, []Position{P("CAN", PositionSupport, 1, 1)}, nil)
	r, _ := Decide(Policy{Modality: ModalityChairProposalSilence}, f, decisionTestAt(2*time.Hour))
	if !has(r, ActorStates, ActionObject, dl) {
		t.Errorf("silence: states may object until the deadline: %+v", r.Next)
	}

	f = decisionTestBase(KindGeneric, []Position{P("IRN", PositionObjection, 1, 1), P("EU", PositionObjection, 1, 2)}, nil)
	f.Deadline = time.Time{}
	r, _ = Decide(Policy{Modality: ModalityConsensus}, f, decisionTestAt(2*time.Hour))
	for _, want := range []struct {
		actor string
		a     Action
	}{{"IRN", ActionWithdraw}, {"EU", ActionWithdraw}, {ActorChair, ActionConsult}, {ActorChair, ActionDecide}, {ActorStates, ActionTakePosition}} {
		if !has(r, want.actor, want.a, time.Time{}) {
			t.Errorf("consensus pending: %s may %s missing: %+v", want.actor, want.a, r.Next)
		}
	}

	f.Acts = []Act{decisionTestAct(ActDecide, 3, true)}
	r, _ = Decide(Policy{Modality: ModalityConsensus, ProceedInformally: true}, f, decisionTestAt(4*time.Hour))
	if !has(r, ActorChair, ActionProceedInformally, time.Time{}) || !has(r, ActorChair, ActionRecordOutcome, time.Time{}) {
		t.Errorf("not adopted: chair may proceed informally and record: %+v", r.Next)
	}
	if has(r, ActorStates, ActionTakePosition, time.Time{}) {
		t.Error("no positions after the outcome")
	}

	// chair_decision whose comment deadline has passed: positions closed.
	f = decisionTestBase(KindGeneric, nil, nil)
	r, _ = Decide(Policy{Modality: ModalityChairDecision}, f, decisionTestAt(100*time.Hour))
	if r.Outcome != OutcomePending || !r.HasReason("decision.reason.positions_closed") || has(r, ActorStates, ActionTakePosition, dl) {
		t.Errorf("closed comments: %+v", r)
	}
}

// TestDecideDeadlineBoundary: exactly at the deadline is late.
func TestDecideDeadlineBoundary(t *testing.T) {
	dl := decisionTestAt(72 * time.Hour)
	cases := []struct {
		name      string
		objAt     time.Time
		now       time.Time
		want      OutcomeKind
		objStatus EventStatus
		objKey    string
	}{
		{"objection 1ns before, now 1ns before", dl.Add(-time.Nanosecond), dl.Add(-time.Nanosecond), OutcomeSilenceBroken, EventStands, ""},
		{"objection 1ns before, now after", dl.Add(-time.Nanosecond), dl.Add(time.Hour), OutcomeSilenceBroken, EventStands, ""},
		{"objection at deadline", dl, dl, OutcomeAdopted, EventRefused, "decision.error.late"},
		{"objection 1ns after", dl.Add(time.Nanosecond), dl.Add(time.Nanosecond), OutcomeAdopted, EventRefused, "decision.error.late"},
		{"objection after now", dl.Add(-time.Hour), dl.Add(-2 * time.Hour), OutcomePending, EventNotYet, "decision.reason.not_yet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := decisionTestBase(KindGeneric, []Position{{Actor: "IRN", Kind: PositionObjection, At: c.objAt, Seq: 1}}, nil)
			r, err := Decide(Policy{Modality: ModalityChairProposalSilence}, f, c.now)
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s", r.Outcome, c.want)
			}
			if e := r.History[0]; e.Status != c.objStatus || e.Key != c.objKey {
				t.Errorf("objection %s %q, want %s %q", e.Status, e.Key, c.objStatus, c.objKey)
			}
			decisionTestCheckReasons(t, r)
		})
	}
	// The outcome itself: pending 1ns before the deadline, final at it.
	f := decisionTestBase(KindGeneric, nil, nil)
	p := Policy{Modality: ModalityChairProposalSilence}
	for _, c := range []struct {
		now  time.Time
		want OutcomeKind
	}{{dl.Add(-time.Nanosecond), OutcomePending}, {dl, OutcomeAdopted}, {dl.Add(time.Nanosecond), OutcomeAdopted}} {
		r, _ := Decide(p, f, c.now)
		if r.Outcome != c.want {
			t.Errorf("now %v: %s, want %s", c.now, r.Outcome, c.want)
		}
		if r.Outcome == OutcomeAdopted && !r.DecidedAt.Equal(dl) {
			t.Errorf("decided at %v, want the deadline", r.DecidedAt)
		}
	}
	// Submitting: 1ns before is accepted, at the deadline is refused.
	if err := f.CheckPosition(p, Position{Actor: "IRN", Kind: PositionObjection}, dl.Add(-time.Nanosecond)); err != nil {
		t.Errorf("1ns before: %v", err)
	}
	for _, now := range []time.Time{dl, dl.Add(time.Nanosecond)} {
		err := f.CheckPosition(p, Position{Actor: "IRN", Kind: PositionObjection}, now)
		var de *concord.Error
		if !errors.As(err, &de) || de.Key != "decision.error.late" || de.Code != concord.EConflict {
			t.Errorf("at %v: %v, want decision.error.late", now, err)
		}
	}
}

// TestDecideSynctestDeadline walks a silence procedure with the fake clock
// of testing/synctest: the engine reads no clock, the test passes now.
func TestDecideSynctestDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		f := decisionTestBase(KindGeneric, nil, nil)
		f.ProposedAt, f.Deadline = start, time.Time{}
		p := Policy{Modality: ModalityChairProposalSilence, Period: 72 * time.Hour}
		if _, err := f.SubmitPosition(p, Position{Actor: "CAN", Kind: PositionSupport}, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(72*time.Hour - time.Nanosecond)
		if r, _ := Decide(p, f, time.Now()); r.Outcome != OutcomePending {
			t.Fatalf("1ns before the deadline: %s", r.Outcome)
		}
		if _, err := f.SubmitPosition(p, Position{Actor: "USA", Kind: PositionReservation}, time.Now()); err != nil {
			t.Fatalf("1ns before: %v", err)
		}
		time.Sleep(time.Nanosecond)
		r, _ := Decide(p, f, time.Now())
		if r.Outcome != OutcomeAdoptedWithDivergence || !r.DecidedAt.Equal(start.Add(72*time.Hour)) {
			t.Fatalf("at the deadline: %s at %v", r.Outcome, r.DecidedAt)
		}
		if _, err := f.SubmitPosition(p, Position{Actor: "IRN", Kind: PositionObjection}, time.Now()); concord.ErrorCode(err) != concord.EConflict {
			t.Fatalf("objection at the deadline: %v", err)
		}
	})
}

// TestDecideGroupPrecedence: a member's own position overrides its group's.
func TestDecideGroupPrecedence(t *testing.T) {
	P := decisionTestPos
	f := decisionTestBase(KindGeneric, []Position{
		P("EU", PositionSupport, 1, 1),
		P("FRA", PositionObjection, 2, 2), // FRA's own position overrides the EU's
	}, []Act{decisionTestAct(ActDecide, 5, true)})
	f.Deadline = time.Time{}
	r, err := Decide(Policy{Modality: ModalityConsensus}, f, decisionTestAt(6*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != OutcomeNotAdopted {
		t.Fatalf("outcome %s", r.Outcome)
	}
	if len(r.Record.Objected) != 1 || r.Record.Objected[0].State != "FRA" || r.Record.Objected[0].Via != "" {
		t.Errorf("objected %+v", r.Record.Objected)
	}
	if len(r.Record.Supported) != 1 || r.Record.Supported[0].State != "DEU" || r.Record.Supported[0].Via != "EU" {
		t.Errorf("supported %+v", r.Record.Supported)
	}
	if len(r.Record.Groups) != 1 || r.Record.Groups[0].State != "EU" || !r.Record.Groups[0].IsGroup {
		t.Errorf("groups %+v", r.Record.Groups)
	}

	// The order does not matter: a group position made after the member's
	// own still does not override it.
	f.Positions = []Position{P("FRA", PositionSupport, 1, 1), P("EU", PositionObjection, 2, 2)}
	r, _ = Decide(Policy{Modality: ModalityConsensus}, f, decisionTestAt(6*time.Hour))
	if decisionStates(r.Record.Objected) != "DEU" || decisionStates(r.Record.Supported) != "FRA" {
		t.Errorf("objected %s supported %s", decisionStates(r.Record.Objected), decisionStates(r.Record.Supported))
	}

	// A group objection whose every member spoke otherwise does not break
	// silence; once a member withdraws its own position, the group's applies.
	s := decisionTestBase(KindGeneric, []Position{
		P("FRA", PositionSupport, 1, 1), P("DEU", PositionNoObjection, 1, 2), P("EU", PositionObjection, 2, 3),
	}, nil)
	sp := Policy{Modality: ModalityChairProposalSilence}
	if r, _ := Decide(sp, s, decisionTestAt(3*time.Hour)); r.Outcome != OutcomePending {
		t.Fatalf("group objection overridden by all members: %s", r.Outcome)
	}
	s.Positions = append(s.Positions, P("DEU", PositionWithdrawal, 4, 4))
	r, _ = Decide(sp, s, decisionTestAt(5*time.Hour))
	if r.Outcome != OutcomeSilenceBroken || !r.DecidedAt.Equal(decisionTestAt(4*time.Hour)) {
		t.Fatalf("after DEU withdraws: %s at %v", r.Outcome, r.DecidedAt)
	}
	if o := r.Record.Objected; len(o) != 1 || o[0].State != "DEU" || o[0].Via != "EU" {
		t.Errorf("objected %+v", o)
	}

	// Two groups, a silent member: the later group position applies.
	g := decisionTestBase(KindGeneric, []Position{P("EU", PositionSupport, 1, 1), P("NATO", PositionReservation, 2, 2)}, nil)
	g.Groups = append(g.Groups, Group{Code: "NATO", Members: []string{"FRA", "USA", "CAN", "GBR"}})
	r, _ = Decide(Policy{Modality: ModalityConsensus}, g, decisionTestAt(3*time.Hour))
	if got := decisionStates(r.Record.Reserved); got != "CAN, FRA, USA" {
		t.Errorf("reserved %s (GBR is no participant)", got)
	}
	if got := decisionStates(r.Record.Supported); got != "DEU" {
		t.Errorf("supported %s", got)
	}
}

// TestDecideLateAndAfterOutcome: positions at or after the decision instant
// are refused, except explanations when the policy allows them.
func TestDecideLateAndAfterOutcome(t *testing.T) {
	P := decisionTestPos
	f := decisionTestBase(KindGeneric, []Position{
		P("CAN", PositionSupport, 1, 1),
		P("IRN", PositionObjection, 5, 2),   // exactly when the Chair takes the decision: after
		P("RUS", PositionObjection, 6, 3),   // after the outcome
		P("USA", PositionExplanation, 6, 4), // an explanation after the outcome
	}, []Act{decisionTestAct(ActDecide, 5, true)})
	f.Deadline = time.Time{}
	f.Positions[3].Text, f.Positions[3].Lang = "We join consensus but note our concerns.", "en"
	for _, late := range []bool{false, true} {
		p := Policy{Modality: ModalityConsensus, LateExplanations: late}
		r, err := Decide(p, f, decisionTestAt(7*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != OutcomeAdopted {
			t.Fatalf("outcome %s", r.Outcome)
		}
		for i, want := range []string{"", "decision.error.after_outcome", "decision.error.after_outcome"} {
			if r.History[i].Key != want {
				t.Errorf("event %d: %q, want %q", i, r.History[i].Key, want)
			}
		}
		if got := len(r.Record.Explanations) == 1; got != late {
			t.Errorf("late explanations %v: recorded %v", late, got)
		}
		err = f.CheckPosition(p, Position{Actor: "EGY", Kind: PositionExplanation, Text: "x", Lang: "fr"}, decisionTestAt(8*time.Hour))
		if (err == nil) != late {
			t.Errorf("late explanations %v: CheckPosition %v", late, err)
		}
		decisionTestCheckReasons(t, r)
	}
	err := f.CheckPosition(Policy{Modality: ModalityConsensus}, Position{Actor: "EGY", Kind: PositionObjection}, decisionTestAt(8*time.Hour))
	var de *concord.Error
	if !errors.As(err, &de) || de.Key != "decision.error.after_outcome" {
		t.Errorf("after the outcome: %v", err)
	}
}

func TestDecideNonParticipantAndStructure(t *testing.T) {
	P := decisionTestPos
	f := decisionTestBase(KindGeneric, []Position{P("GBR", PositionObjection, 1, 1), P("G77", PositionObjection, 1, 2), P("IRN", PositionObjection, -1, 3)}, nil)
	r, err := Decide(Policy{Modality: ModalityChairProposalSilence}, f, decisionTestAt(80*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != OutcomeAdopted {
		t.Fatalf("non-participants and early positions must not break silence: %s", r.Outcome)
	}
	keys := []string{r.History[0].Key, r.History[1].Key, r.History[2].Key}
	if !slices.Equal(keys, []string{"decision.error.before_proposal", "decision.error.not_participant", "decision.error.not_participant"}) {
		t.Errorf("keys %v", keys)
	}
	if !r.HasReason("decision.reason.positions_refused") {
		t.Error("refusals not reported")
	}
	err = f.CheckPosition(Policy{Modality: ModalityChairProposalSilence}, Position{Actor: "GBR", Kind: PositionObjection}, decisionTestAt(time.Hour))
	if concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("non-participant: %v", err)
	}

	// Malformed input is an error naming the field.
	bad := []struct {
		mut   func(*Facts, *Policy)
		field string
	}{
		{func(f *Facts, p *Policy) { p.Modality = "vote" }, "modality"},
		{func(f *Facts, p *Policy) { p.NoConsensus = OutcomeAdopted }, "no_consensus"},
		{func(f *Facts, p *Policy) { f.Kind = "election" }, "kind"},
		{func(f *Facts, p *Policy) { f.Proposal = concord.Text{"de": "Vorschlag"} }, "proposal"},
		{func(f *Facts, p *Policy) { f.Proposal = concord.Text{"en": " "} }, "proposal"},
		{func(f *Facts, p *Policy) { f.Deadline = f.ProposedAt }, "deadline"},
		{func(f *Facts, p *Policy) { f.Deadline = time.Time{} }, "deadline"},
		{func(f *Facts, p *Policy) { f.Participants = append(f.Participants, "IRN") }, "participants"},
		{func(f *Facts, p *Policy) { f.Groups = append(f.Groups, Group{Code: "IRN"}) }, "groups[1]"},
		{func(f *Facts, p *Policy) { f.Positions[0].Kind = "vote_yes" }, "positions[0].kind"},
		{func(f *Facts, p *Policy) { f.Positions[0].Text = "Non." }, "positions[0].lang"},
		{func(f *Facts, p *Policy) { f.Positions[0].At = time.Time{} }, "positions[0].at"},
		{func(f *Facts, p *Policy) { f.Acts = []Act{{Kind: "gavel", At: f.ProposedAt}} }, "acts[0].kind"},
	}
	for _, b := range bad {
		f := decisionTestBase(KindGeneric, []Position{P("IRN", PositionObjection, 1, 1)}, nil)
		f.Positions = slices.Clone(f.Positions)
		f.Participants = slices.Clone(f.Participants)
		p := Policy{Modality: ModalityChairProposalSilence}
		b.mut(&f, &p)
		_, err := Decide(p, f, decisionTestAt(time.Hour))
		var de *concord.Error
		if !errors.As(err, &de) || de.Field != b.field || de.Code != concord.EInvalid {
			t.Errorf("want error on %s, got %v", b.field, err)
		}
	}
}

// TestDecideWithdrawal: a withdrawn position no longer counts, but stays in
// the history; under a silence procedure the objection has already broken
// silence unless the policy lets a withdrawal restore it.
func TestDecideWithdrawal(t *testing.T) {
	P := decisionTestPos
	pos := []Position{P("IRN", PositionObjection, 1, 1), P("IRN", PositionWithdrawal, 2, 2), P("CAN", PositionSupport, 3, 3)}

	f := decisionTestBase(KindGeneric, pos, []Act{decisionTestAct(ActDecide, 5, true)})
	f.Deadline = time.Time{}
	r, _ := Decide(Policy{Modality: ModalityConsensus}, f, decisionTestAt(6*time.Hour))
	if r.Outcome != OutcomeAdopted {
		t.Fatalf("consensus after withdrawal: %s", r.Outcome)
	}
	if r.History[0].Status != EventWithdrawn || r.History[1].Status != EventStands {
		t.Errorf("history %+v", r.History)
	}
	if !slices.Contains(r.Record.Silent, "IRN") {
		t.Errorf("IRN should be silent: %+v", r.Record)
	}

	f = decisionTestBase(KindGeneric, pos, nil)
	r, _ = Decide(Policy{Modality: ModalityChairProposalSilence}, f, decisionTestAt(80*time.Hour))
	if r.Outcome != OutcomeSilenceBroken || !r.DecidedAt.Equal(decisionTestAt(time.Hour)) {
		t.Errorf("silence: %s at %v", r.Outcome, r.DecidedAt)
	}
	if r.History[1].Key != "decision.error.silence_broken" {
		t.Errorf("the withdrawal came after silence was broken: %+v", r.History[1])
	}
	r, _ = Decide(Policy{Modality: ModalityChairProposalSilence, SilenceWithdrawalRestores: true}, f, decisionTestAt(80*time.Hour))
	if r.Outcome != OutcomeAdopted {
		t.Errorf("restorable silence: %s", r.Outcome)
	}
	// Restorable, objection still standing at the deadline.
	f.Positions = pos[:1]
	r, _ = Decide(Policy{Modality: ModalityChairProposalSilence, SilenceWithdrawalRestores: true}, f, decisionTestAt(10*time.Hour))
	if r.Outcome != OutcomePending || !r.HasReason("decision.reason.objection_outstanding") {
		t.Errorf("restorable, before the deadline: %s %+v", r.Outcome, r.Reasons)
	}
	r, _ = Decide(Policy{Modality: ModalityChairProposalSilence, SilenceWithdrawalRestores: true}, f, decisionTestAt(72*time.Hour))
	if r.Outcome != OutcomeSilenceBroken || !r.DecidedAt.Equal(decisionTestAt(72*time.Hour)) {
		t.Errorf("restorable, at the deadline: %s at %v", r.Outcome, r.DecidedAt)
	}

	// Withdrawing nothing is refused.
	f = decisionTestBase(KindGeneric, []Position{P("IRN", PositionObjection, 1, 1), P("IRN", PositionWithdrawal, 2, 2)}, nil)
	f.Deadline = time.Time{}
	for _, actor := range []string{"IRN", "CAN", "EU"} {
		err := f.CheckPosition(Policy{Modality: ModalityConsensus}, Position{Actor: actor, Kind: PositionWithdrawal}, decisionTestAt(3*time.Hour))
		var de *concord.Error
		if !errors.As(err, &de) || de.Key != "decision.error.nothing_to_withdraw" {
			t.Errorf("%s: %v", actor, err)
		}
	}
}

// TestDecideReplacementAndTieBreak: the later position replaces the
// earlier; equal times are ordered by Seq, then by input order.
func TestDecideReplacementAndTieBreak(t *testing.T) {
	at := decisionTestAt(time.Hour)
	cases := []struct {
		name string
		pos  []Position
		want PositionKind
	}{
		{"later replaces earlier", []Position{{Actor: "IRN", Kind: PositionObjection, At: at, Seq: 1}, {Actor: "IRN", Kind: PositionReservation, At: at.Add(time.Minute), Seq: 2}}, PositionReservation},
		{"later by time despite lower seq", []Position{{Actor: "IRN", Kind: PositionReservation, At: at.Add(time.Minute), Seq: 1}, {Actor: "IRN", Kind: PositionObjection, At: at, Seq: 2}}, PositionReservation},
		{"same time: higher seq wins", []Position{{Actor: "IRN", Kind: PositionObjection, At: at, Seq: 2}, {Actor: "IRN", Kind: PositionSupport, At: at, Seq: 1}}, PositionObjection},
		{"same time: higher seq wins (reversed)", []Position{{Actor: "IRN", Kind: PositionObjection, At: at, Seq: 1}, {Actor: "IRN", Kind: PositionSupport, At: at, Seq: 2}}, PositionSupport},
		{"same time and seq: input order", []Position{{Actor: "IRN", Kind: PositionObjection, At: at}, {Actor: "IRN", Kind: PositionAbstention, At: at}}, PositionAbstention},
		{"explanation does not replace", []Position{{Actor: "IRN", Kind: PositionDissociation, At: at, Seq: 1}, {Actor: "IRN", Kind: PositionExplanation, Text: "para 27", Lang: "en", At: at, Seq: 2}}, PositionDissociation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := decisionTestBase(KindGeneric, c.pos, nil)
			r, err := Decide(Policy{Modality: ModalityConsensus}, f, decisionTestAt(2*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			d := r.Record.Divergence()
			a := r.Record.Agreement()
			var got PositionKind
			for _, e := range append(d, a...) {
				if e.State == "IRN" {
					got = e.Kind
				}
			}
			if got != c.want {
				t.Errorf("IRN stands as %q, want %q", got, c.want)
			}
			superseded := 0
			for _, e := range r.History {
				if e.Status == EventSuperseded {
					superseded++
				}
			}
			if c.name != "explanation does not replace" && superseded != 1 {
				t.Errorf("history keeps the replaced position as superseded: %+v", r.History)
			}
		})
	}

	// SubmitPosition at the same instant assigns increasing Seq.
	f := decisionTestBase(KindGeneric, nil, nil)
	p := Policy{Modality: ModalityConsensus}
	a, err1 := f.SubmitPosition(p, Position{Actor: "IRN", Kind: PositionSupport}, at)
	b, err2 := f.SubmitPosition(p, Position{Actor: "IRN", Kind: PositionObjection}, at)
	if err1 != nil || err2 != nil || a.Seq != 1 || b.Seq != 2 || !a.At.Equal(at) {
		t.Fatalf("submit: %+v %v %+v %v", a, err1, b, err2)
	}
	r, _ := Decide(p, f, at)
	if decisionStates(r.Record.Objected) != "IRN" {
		t.Errorf("the second submission stands: %+v", r.Record)
	}
}

func TestDecideSubmitAct(t *testing.T) {
	f := decisionTestBase(KindGeneric, nil, nil)
	if _, err := f.SubmitAct(Policy{Modality: ModalityChairProposalSilence}, Act{Kind: ActDecide}, decisionTestAt(time.Hour)); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("decide under silence: %v", err)
	}
	if _, err := f.SubmitAct(Policy{Modality: ModalityPlenaryDecision}, Act{Kind: ActDecide}, decisionTestAt(time.Hour)); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("informal plenary decision: %v", err)
	}
	p := Policy{Modality: ModalityPlenaryDecision}
	a, err := f.SubmitAct(p, Act{Kind: ActDecide, Formal: true}, decisionTestAt(time.Hour))
	if err != nil || a.Seq != 1 {
		t.Fatalf("formal: %+v %v", a, err)
	}
	if _, err := f.SubmitAct(p, Act{Kind: ActDefer}, decisionTestAt(2*time.Hour)); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("act after the outcome: %v", err)
	}
	if r, _ := Decide(p, f, decisionTestAt(2*time.Hour)); r.Outcome != OutcomeAdopted {
		t.Errorf("outcome %s", r.Outcome)
	}
}

// TestDecideOrganisationalSessionAgenda replays the March 2026 dispute.
func TestDecideOrganisationalSessionAgenda(t *testing.T) {
	f := decisionTestAgendaFacts()
	// the agenda rule's default (agenda.DefaultPolicy().Decision())
	p := Policy{Code: "agenda", Version: 1, Modality: ModalityConsensus, ProceedInformally: true, LateExplanations: true}
	now := decisionTestAt(28 * time.Hour)
	r, err := Decide(p, f, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != OutcomeNotAdopted || !r.ProceedInformally {
		t.Fatalf("outcome %s informal %v", r.Outcome, r.ProceedInformally)
	}
	if got := decisionStates(r.Record.Objected); got != "IRN, RUS" {
		t.Errorf("objected %s", got)
	}
	if o := r.Record.Objected[1]; o.Lang != "ru" || !strings.Contains(o.Text, "пункт 9") || o.Paragraphs[0] != "item 5" {
		t.Errorf("Russia's objection %+v", o)
	}
	if got := decisionStates(r.Record.Reserved); got != "USA" {
		t.Errorf("reserved %s", got)
	}
	if n := len(r.Record.Supported); n != 28 { // CAN + 27 EU members via the EU
		t.Errorf("supported %d", n)
	}
	for _, e := range r.Record.Supported {
		if (e.State == "CAN") != (e.Via == "") {
			t.Errorf("support %+v", e)
		}
	}
	if len(r.Record.Silent) != 195-28-3 {
		t.Errorf("silent %d", len(r.Record.Silent))
	}
	if !r.HasReason("decision.reason.no_consensus") || !r.HasReason("decision.reason.proceed_informally") {
		t.Errorf("reasons %+v", r.Reasons)
	}
	decisionTestCheckReasons(t, r)

	// Before the Chair's attempt: pending, with the objections outstanding.
	r, _ = Decide(p, f, decisionTestAt(26*time.Hour))
	if r.Outcome != OutcomePending || !r.HasReason("decision.reason.objection_outstanding") {
		t.Errorf("day 1: %s %+v", r.Outcome, r.Reasons)
	}
}

// TestSimulateOrganisationalSessionAgenda runs the same facts under the six
// modalities.
func TestSimulateOrganisationalSessionAgenda(t *testing.T) {
	f := decisionTestAgendaFacts()
	base := Policy{Modality: ModalityConsensus, ProceedInformally: true}
	alts := Alternatives(base)
	if len(alts) != 6 {
		t.Fatalf("%d alternatives", len(alts))
	}
	sims := Simulate(f, alts, decisionTestAt(100*time.Hour))
	want := map[Modality]OutcomeKind{
		ModalityChairDecision:                  OutcomeAdoptedWithDivergence, // the Chair decides over the objections, on record
		ModalityChairProposalSilence:           OutcomeSilenceBroken,         // Iran's objection breaks silence
		ModalityConsensus:                      OutcomeNotAdopted,
		ModalityChairProposalConsensusApproval: OutcomeNotAdopted,
		ModalityPlenaryDecision:                OutcomeNotAdopted, // the attempt was in a formal meeting
		ModalityAdvisorySurvey:                 OutcomeDeferred,
	}
	for _, s := range sims {
		if s.Err != nil {
			t.Errorf("%s: %v", s.Policy.Modality, s.Err)
			continue
		}
		if s.Result.Outcome != want[s.Policy.Modality] {
			t.Errorf("%s: %s, want %s", s.Policy.Modality, s.Result.Outcome, want[s.Policy.Modality])
		}
		decisionTestCheckReasons(t, s.Result)
		// The record is the same agreement and divergence under every rule,
		// except silence: once Iran's objection broke it, the later
		// positions came after the outcome (they stay in History, refused).
		if s.Policy.Modality == ModalityChairProposalSilence {
			if decisionStates(s.Result.Record.Objected) != "IRN" || len(s.Result.Record.Reserved) != 0 || s.Result.History[1].Key != "decision.error.silence_broken" {
				t.Errorf("silence: record %+v", s.Result.Record)
			}
			continue
		}
		if decisionStates(s.Result.Record.Objected) != "IRN, RUS" || decisionStates(s.Result.Record.Reserved) != "USA" {
			t.Errorf("%s: record %s / %s", s.Policy.Modality, decisionStates(s.Result.Record.Objected), decisionStates(s.Result.Record.Reserved))
		}
	}
	if sims[1].Result.DecidedAt != f.Positions[0].At {
		t.Errorf("silence broken at %v, want Iran's objection", sims[1].Result.DecidedAt)
	}
	// Without a deadline and without a period, a silence alternative
	// cannot run: the row carries the error rather than a guess.
	bad := Simulate(f, []Policy{{Modality: ModalityChairProposalSilence}}, decisionTestAt(time.Hour))
	if concord.ErrorCode(bad[0].Err) != concord.EInvalid {
		t.Errorf("silence without deadline: %v", bad[0].Err)
	}
}

// TestDecisionMessageKeysComplete parses the engine's sources and checks
// that every message key literal is declared in MessageKeys.
func TestDecisionMessageKeysComplete(t *testing.T) {
	// the engine and the applications that raise its reasons and errors
	var files []string
	for _, dir := range []string{".", "../agenda", "../briefer", "../topic", "../cofacilitator"} {
		fs, err := filepath.Glob(dir + "/*.go")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	re := regexp.MustCompile(`^(decision|agenda|cofacilitator|topic|briefer)\.(error|reason|next|check|warning)\.[a-z_]+$`)
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || filepath.Base(name) == "keys.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && re.MatchString(s) {
					used[s] = true
					if _, ok := MessageKeys[s]; !ok {
						t.Errorf("%s: key %q not in DecisionMessageKeys", fset.Position(lit.Pos()), s)
					}
				}
			}
			return true
		})
	}
	for k := range MessageKeys {
		if !used[k] {
			t.Errorf("DecisionMessageKeys declares %q, which no code emits", k)
		}
	}
}

func TestDecisionPolicyValidate(t *testing.T) {
	for _, p := range []Policy{{Modality: ""}, {Modality: ModalityConsensus, Period: -1}, {Modality: ModalityConsensus, Version: -1}, {Modality: ModalityConsensus, NoConsensus: OutcomeSilenceBroken}} {
		if p.Validate() == nil {
			t.Errorf("%+v should be invalid", p)
		}
	}
	for _, m := range Modalities {
		if err := (Policy{Modality: m}).Validate(); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	alts := Alternatives(Policy{Code: "x", Version: 3, Modality: ModalityConsensus})
	for i, a := range alts {
		if a.Modality != Modalities[i] || a.Code != "x" || a.Version != 3 {
			t.Errorf("alternative %d: %+v", i, a)
		}
		if NeedsDeadline(a.Modality) != (a.Period == DefaultPeriod) {
			t.Errorf("alternative %s period %v", a.Modality, a.Period)
		}
	}
}

func TestDecisionLookups(t *testing.T) {
	since := time.Date(1963, 1, 1, 0, 0, 0, 0, time.UTC)
	states := []concord.State{
		{ISO3: "TUR", Region: 142, Groups: []concord.GroupMembership{{State: "TUR", Group: "APG", Kind: concord.KindDual, Since: since}, {State: "TUR", Group: "WEOG", Kind: concord.KindFull, Since: since}}},
		{ISO3: "USA", SubRegion: 21, Groups: []concord.GroupMembership{{State: "USA", Group: "WEOG", Kind: concord.KindObserver, Since: since}}},
		{ISO3: "ISR", Region: 142, Groups: []concord.GroupMembership{{State: "ISR", Group: "APG", Kind: concord.KindFull, Since: since, Until: time.Date(2000, 5, 1, 0, 0, 0, 0, time.UTC)}, {State: "ISR", Group: "WEOG", Kind: concord.KindFull, Since: time.Date(2000, 5, 1, 0, 0, 0, 0, time.UTC)}}},
		{ISO3: "VAT", Region: 150},
		{ISO3: "NGA", Region: 2},
	}
	g := GroupOf(states, decisionTestT0)
	for s, want := range map[string]string{"TUR": "WEOG", "USA": "WEOG", "ISR": "WEOG", "VAT": "", "XXX": ""} {
		if got := g(s); got != want {
			t.Errorf("group of %s: %q, want %q", s, got, want)
		}
	}
	if g := GroupOf(states, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)); g("ISR") != "APG" {
		t.Errorf("Israel in 1990: %q", g("ISR"))
	}
}

// TestOpenPositionsAndActs: the choices a form offers are exactly those the
// engine accepts, and a broken silence or a deferral is not reported as a
// decision taken.
func TestOpenPositionsAndActs(t *testing.T) {
	P := decisionTestPos
	sup := []Position{P("CAN", PositionSupport, 1, 1)}
	broken := append(slices.Clone(sup), P("IRN", PositionObjection, 2, 2))
	silence := Policy{Modality: ModalityChairProposalSilence}
	late := Policy{Modality: ModalityChairProposalSilence, LateExplanations: true}
	chair := Policy{Modality: ModalityChairDecision}
	deferred := []Act{{Kind: ActDefer, At: decisionTestAt(3 * time.Hour), Seq: 1}}
	decided := []Act{{Kind: ActDecide, At: decisionTestAt(3 * time.Hour), Seq: 1}}
	cases := []struct {
		name    string
		policy  Policy
		pos     []Position
		acts    []Act
		wantPos []PositionKind
		wantAct []ActKind
		key     string // the refusal of a support now
	}{
		{"silence running", silence, sup, nil, PositionKinds, []ActKind{ActDefer}, ""},
		{"silence broken", silence, broken, nil, nil, nil, "decision.error.silence_broken"},
		{"silence broken, late explanations", late, broken, nil, []PositionKind{PositionExplanation}, nil, "decision.error.silence_broken"},
		{"chair pending", chair, sup, nil, PositionKinds, []ActKind{ActDecide, ActDefer}, ""},
		{"chair deferred", chair, sup, deferred, nil, nil, "decision.error.deferred"},
		{"chair decided", chair, sup, []Act{{Kind: ActDecide, At: decisionTestAt(3 * time.Hour), Seq: 1}}, nil, nil, "decision.error.after_outcome"},
		{"no consensus, not adopted", Policy{Modality: ModalityConsensus, NoConsensus: OutcomeNotAdopted}, broken, decided, nil, nil, "decision.error.not_adopted"},
		{"no consensus, deferred", Policy{Modality: ModalityConsensus, NoConsensus: OutcomeDeferred}, broken, decided, nil, nil, "decision.error.deferred"},
		{"consensus deferred by the Chair", Policy{Modality: ModalityConsensus, NoConsensus: OutcomeNotAdopted}, sup, deferred, nil, nil, "decision.error.deferred"},
		{"advisory survey closed", Policy{Modality: ModalityAdvisorySurvey}, sup, decided, nil, nil, "decision.error.deferred"},
	}
	now := decisionTestAt(4 * time.Hour)
	for _, c := range cases {
		f := decisionTestBase(KindGeneric, c.pos, c.acts)
		if got := f.OpenPositions(c.policy, "FRA", now); !slices.Equal(got, c.wantPos) {
			t.Errorf("%s: positions %v, want %v", c.name, got, c.wantPos)
		}
		if got := f.OpenActs(c.policy, now); !slices.Equal(got, c.wantAct) {
			t.Errorf("%s: acts %v, want %v", c.name, got, c.wantAct)
		}
		err := f.CheckPosition(c.policy, Position{Actor: "FRA", Kind: PositionSupport}, now)
		var de *concord.Error
		if c.key == "" && err != nil || c.key != "" && (!errors.As(err, &de) || de.Key != c.key) {
			t.Errorf("%s: support refused with %v, want %q", c.name, err, c.key)
		}
		// A Chair act is refused, and a position recorded after the end is
		// shown refused, with the same message.
		if c.key != "" {
			if _, err := f.SubmitAct(c.policy, Act{Kind: ActDefer}, now); !errors.As(err, &de) || de.Key != c.key {
				t.Errorf("%s: act refused with %v, want %q", c.name, err, c.key)
			}
			late := f
			late.Positions = append(slices.Clone(f.Positions), P("BRA", PositionSupport, 3.5, 9))
			r, err := Decide(c.policy, late, now)
			if err != nil {
				t.Fatal(err)
			}
			if h := r.History[len(r.History)-1]; h.Status != EventRefused || h.Key != c.key {
				t.Errorf("%s: late position %s %q, want refused %q", c.name, h.Status, h.Key, c.key)
			}
		}
	}
}

// TestNextChange: the instant a decision's answer, or its simulation under
// the other modalities, next changes without a new fact.
func TestNextChange(t *testing.T) {
	t0 := decisionTestT0
	f := decisionTestBase(KindGeneric, nil, nil) // its own deadline: T0+72h
	open := decisionTestBase(KindGeneric, nil, nil)
	open.Deadline = time.Time{}
	consensus := Policy{Modality: ModalityConsensus}
	silence := Policy{Modality: ModalityChairProposalSilence, Period: 24 * time.Hour}
	for _, c := range []struct {
		name string
		p    Policy
		f    Facts
		now  time.Time
		want time.Time
	}{
		{"the facts' deadline", consensus, f, t0, t0.Add(72 * time.Hour)},
		{"the facts' deadline reached", consensus, f, t0.Add(72 * time.Hour), time.Time{}},
		{"the policy's period", silence, open, t0, t0.Add(24 * time.Hour)},
		// Consensus without a period ends at no deadline; simulated as a
		// silence procedure it runs for the default period.
		{"a simulated modality's default period", consensus, open, t0, t0.Add(DefaultPeriod)},
		{"every deadline passed", silence, open, t0.Add(DefaultPeriod), time.Time{}},
	} {
		if got := NextChange(c.p, c.f, c.now); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if d := Deadline(consensus, open); !d.IsZero() {
		t.Errorf("consensus without a period has the deadline %v", d)
	}
}

// TestOpenPositionsFor: a form naming its actor lists only the actors that
// may still record (not one at the most positions it may record), and every
// actor and kind it offers together is accepted; none once closed.
func TestOpenPositionsFor(t *testing.T) {
	var full []Position
	for i := range MaxPositionsPerActor {
		full = append(full, decisionTestPos("CAN", PositionSupport, 1, int64(i+1)))
	}
	f := decisionTestBase(KindGeneric, full, nil)
	p := Policy{Modality: ModalityChairDecision}
	now := decisionTestAt(4 * time.Hour)
	actors := append([]string{"EU"}, f.Participants...)
	kinds, open := f.OpenPositionsFor(p, actors, now)
	if slices.Contains(open, "CAN") || !slices.Contains(open, "EU") || len(open) != len(actors)-1 {
		t.Errorf("open actors %v", open)
	}
	if !slices.Equal(kinds, PositionKinds) {
		t.Errorf("kinds %v, want %v", kinds, PositionKinds)
	}
	for _, a := range open {
		for _, k := range kinds {
			if err := f.CheckPosition(p, Position{Actor: a, Kind: k}, now); err != nil {
				t.Errorf("offered %s for %s, refused: %v", k, a, err)
			}
		}
	}
	f.Acts = []Act{{Kind: ActDecide, At: decisionTestAt(3 * time.Hour), Seq: 1}}
	if kinds, open := f.OpenPositionsFor(p, actors, now); kinds != nil || open != nil {
		t.Errorf("after the decision: %v for %v", kinds, open)
	}
}

// TestValidateAllErrors: a policy and facts wrong in several fields report
// every one.
func TestValidateAllErrors(t *testing.T) {
	fields := func(err error) []string {
		var all concord.Errors
		if !errors.As(err, &all) {
			t.Fatalf("%v: not every error", err)
		}
		var out []string
		for _, e := range all {
			out = append(out, e.Field)
		}
		return out
	}
	if got, want := fields(Policy{Modality: "vote", NoConsensus: "maybe", Period: -1}.Validate()), []string{"modality", "no_consensus", "period"}; !slices.Equal(got, want) {
		t.Errorf("policy: %v, want %v", got, want)
	}
	f := decisionTestBase("treaty", nil, nil)
	f.Proposal = concord.Text{}
	if got, want := fields(f.Validate()), []string{"kind", "proposal"}; !slices.Equal(got, want) {
		t.Errorf("facts: %v, want %v", got, want)
	}
}
