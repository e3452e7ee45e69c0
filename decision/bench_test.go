package decision

import (
	"concord"
	"testing"
	"time"
)

// decisionBenchFacts is a decision with a position from each of the 195
// States (a few objections, reservations and dissociations, the rest
// support), the EU speaking for its members too, and a formal Chair act.
func decisionBenchFacts() Facts {
	f := Facts{Kind: KindGeneric, Proposal: concord.Text{"en": "Programme of work"}, ProposedBy: ActorChair, ProposedAt: decisionTestT0,
		Deadline: decisionTestAt(72 * time.Hour), Participants: decisionTestAll, Groups: []Group{decisionTestEUGroup()},
		Acts: []Act{{Kind: ActDecide, At: decisionTestAt(48 * time.Hour), Formal: true}}}
	f.Positions = append(f.Positions, Position{Actor: "EU", Kind: PositionSupport, At: decisionTestAt(time.Minute), Seq: 1})
	for i, s := range decisionTestAll {
		k := PositionSupport
		switch i % 40 {
		case 7:
			k = PositionObjection
		case 13:
			k = PositionReservation
		case 21:
			k = PositionDissociation
		case 33:
			k = PositionNoObjection
		}
		f.Positions = append(f.Positions, Position{Actor: s, Kind: k, Text: "Statement", Lang: "en", At: decisionTestAt(time.Duration(i) * time.Minute), Seq: int64(i + 2)})
	}
	return f
}

func BenchmarkDecide195(b *testing.B) {
	f := decisionBenchFacts()
	p := Policy{Modality: ModalityConsensus, ProceedInformally: true}
	now := decisionTestAt(60 * time.Hour)
	if r, err := Decide(p, f, now); err != nil || r.Outcome != OutcomeNotAdopted || len(r.History) != 196 {
		b.Fatalf("%v %v", r.Outcome, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(p, f, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSimulateDecision6(b *testing.B) {
	f := decisionBenchFacts()
	alts := Alternatives(Policy{Modality: ModalityConsensus, ProceedInformally: true})
	now := decisionTestAt(60 * time.Hour)
	for _, s := range Simulate(f, alts, now) {
		if s.Err != nil {
			b.Fatal(s.Err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Simulate(f, alts, now)
	}
}
