package concord

// External briefers at DTG meetings (domain brief §5 row 4, §7.6): a State
// nominates a briefer; the nomination is confirmed automatically (Canada),
// after a non-objection round with a deadline, or by consensus case by case
// (Russia), per policy.

import (
	"slices"
	"strings"
	"time"
)

// BrieferNomination is a State's nomination of an external briefer.
type BrieferNomination struct {
	ID          string
	Name        string
	Affiliation string
	Expertise   string `json:",omitzero"` // a short biography or field of expertise (optional)
	NominatedBy string // ISO3
	DTG         string
	Meeting     string // meeting code
	MeetingDate string `json:",omitzero"` // the meeting's first day, YYYY-MM-DD in the process time zone
	At          time.Time
	// RuleVersion is the version of the briefers rule in force at At: the
	// nomination runs under it even if the rule changes later.
	RuleVersion int `json:",omitzero"`
	// Withdrawn is when the nominating State withdrew the nomination (zero
	// while it stands), with the State's explanation, if any.
	Withdrawn      time.Time `json:",omitzero"`
	WithdrawalNote string    `json:",omitzero"`
}

// Validate checks the nomination's fields.
func (n BrieferNomination) Validate() error {
	if strings.TrimSpace(n.Name) == "" {
		return Errorf(EInvalid, "name", "briefer.error.name", "the briefer's name is required")
	}
	if n.NominatedBy == "" {
		return Errorf(EInvalid, "nominated_by", "briefer.error.nominated_by", "a briefer is nominated by a State")
	}
	if strings.TrimSpace(n.DTG) == "" {
		return Errorf(EInvalid, "dtg", "briefer.error.dtg", "the nomination needs a DTG")
	}
	if n.At.IsZero() {
		return Errorf(EInvalid, "at", "decision.error.at", "the nomination needs a time")
	}
	return nil
}

// BrieferConfirmation is how a nomination is confirmed (§5 row 4).
type BrieferConfirmation string

// Confirmation modes.
const (
	BrieferAutomatic    BrieferConfirmation = "state_nomination_automatic" // Canada
	BrieferNonObjection BrieferConfirmation = "non_objection_per_briefer"  // a silence round with a deadline
	BrieferConsensus    BrieferConfirmation = "consensus_per_briefer"      // Russia: case-by-case agreement
)

// BrieferConfirmations lists the modes.
var BrieferConfirmations = []BrieferConfirmation{BrieferAutomatic, BrieferNonObjection, BrieferConsensus}

// BrieferPolicy is how briefers are confirmed, as a dated, versioned value.
type BrieferPolicy struct {
	Code         string
	Version      int
	Effective    time.Time
	Confirmation BrieferConfirmation
	// Period is the non-objection round's length; under consensus, when
	// set, consensus is ascertained at its end unless the Chair takes it up
	// earlier.
	Period time.Duration
}

// BrieferDefaultPolicy is the non-objection round of five days: the rule
// that needs least agreement between the two readings.
func BrieferDefaultPolicy() BrieferPolicy {
	return BrieferPolicy{Code: "briefers", Version: 1, Confirmation: BrieferNonObjection, Period: 5 * 24 * time.Hour}
}

// Validate checks the policy.
func (p BrieferPolicy) Validate() error {
	if !slices.Contains(BrieferConfirmations, p.Confirmation) {
		return Errorf(EInvalid, "confirmation", "briefer.error.confirmation", "unknown confirmation mode %q", p.Confirmation)
	}
	if p.Confirmation == BrieferNonObjection && p.Period <= 0 {
		return Errorf(EInvalid, "period", "decision.error.deadline_required", "a non-objection round needs a period")
	}
	return p.Decision().Validate()
}

// Decision is the confirmation mode as a DecisionPolicy: automatic is a
// chair_decision adopted on proposal (the outcome is final when the State
// nominates, so an objection comes "after the outcome" and is refused; a
// State that disagrees records an explanation of position, which
// LateExplanations accepts); non-objection is a silence procedure; consensus
// is the Chair's proposal approved by consensus.
func (p BrieferPolicy) Decision() DecisionPolicy {
	d := DecisionPolicy{Code: p.Code, Version: p.Version, Effective: p.Effective, Period: p.Period, LateExplanations: true}
	switch p.Confirmation {
	case BrieferAutomatic:
		d.Modality, d.AdoptOnProposal, d.Period = ModalityChairDecision, true, 0
	case BrieferConsensus:
		d.Modality = ModalityChairProposalConsensusApproval
	default:
		d.Modality = ModalityChairProposalSilence
	}
	return d
}

// BrieferAlternatives returns the policy under each confirmation mode.
func BrieferAlternatives(p BrieferPolicy) []BrieferPolicy {
	out := make([]BrieferPolicy, 0, len(BrieferConfirmations))
	for _, c := range BrieferConfirmations {
		q := p
		q.Confirmation = c
		if c == BrieferNonObjection && q.Period <= 0 {
			q.Period = DecisionDefaultPeriod
		}
		out = append(out, q)
	}
	return out
}

// BrieferState is the nomination's place in its machine (§7.6).
type BrieferState string

// Briefer states.
const (
	BrieferNominated BrieferState = "nominated" // round under way
	BrieferConfirmed BrieferState = "confirmed"
	BrieferRejected  BrieferState = "rejected"
	BrieferDeferred  BrieferState = "deferred"
	// BrieferWithdrawn: the nominating State withdrew the nomination while
	// the round was under way.
	BrieferWithdrawn BrieferState = "withdrawn"
)

// BrieferStates lists the states in the order of the machine.
var BrieferStates = []BrieferState{BrieferNominated, BrieferConfirmed, BrieferRejected, BrieferDeferred, BrieferWithdrawn}

// BrieferResult is a nomination's state with the decision behind it.
type BrieferResult struct {
	Nomination BrieferNomination
	State      BrieferState
	Decision   DecisionResult
}

// BrieferConfirm decides on a nomination. facts.Kind must be
// briefer_confirmation; the nominating State must take part; an empty
// ProposedAt or ProposedBy is taken from the nomination.
//
// A nomination withdrawn at n.Withdrawn is "withdrawn" from then on, unless
// the decision was already final before that instant: under that policy the
// round would have been over and the withdrawal refused, so a simulation
// under another confirmation mode shows the outcome the withdrawal could
// not have changed.
func BrieferConfirm(p BrieferPolicy, n BrieferNomination, facts DecisionFacts, now time.Time) (BrieferResult, error) {
	if err := p.Validate(); err != nil {
		return BrieferResult{}, err
	}
	if err := n.Validate(); err != nil {
		return BrieferResult{}, err
	}
	if facts.Kind != DecisionBrieferConfirmation {
		return BrieferResult{}, Errorf(EInvalid, "kind", "briefer.error.kind", "the facts are not about a briefer")
	}
	if !slices.Contains(facts.Participants, n.NominatedBy) {
		return BrieferResult{}, Errorf(EForbidden, "nominated_by", "decision.error.not_participant", "%s does not take part", n.NominatedBy)
	}
	if facts.ProposedAt.IsZero() {
		facts.ProposedAt = n.At
	}
	if facts.ProposedBy == "" {
		facts.ProposedBy = n.NominatedBy
	}
	if facts.Subject == "" {
		facts.Subject = n.ID
	}
	if len(facts.Proposal) == 0 {
		name := n.Name
		if n.Affiliation != "" {
			name += " (" + n.Affiliation + ")"
		}
		facts.Proposal = Text{"en": name}
	}
	res, err := Decide(p.Decision(), facts, now)
	if err != nil {
		return BrieferResult{}, err
	}
	out := BrieferResult{Nomination: n, Decision: res}
	switch {
	case res.Outcome.Adopted():
		out.State = BrieferConfirmed
	case res.Outcome == OutcomePending:
		out.State = BrieferNominated
	case res.Outcome == OutcomeDeferred:
		out.State = BrieferDeferred
	default:
		out.State = BrieferRejected
	}
	if !n.Withdrawn.IsZero() && !now.Before(n.Withdrawn) && !(res.Final() && res.DecidedAt.Before(n.Withdrawn)) {
		out.State = BrieferWithdrawn
	}
	return out, nil
}
