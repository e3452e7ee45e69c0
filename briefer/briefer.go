package briefer

// External briefers at DTG meetings (domain brief §5 row 4, §7.6): a State
// nominates a briefer; the nomination is confirmed automatically (Canada),
// after a non-objection round with a deadline, or by consensus case by case
// (Russia), per policy.

import (
	"concord"
	"concord/decision"
	"concord/rule"
	"slices"
	"strings"
	"time"
)

// Nomination is a State's nomination of an external briefer.
type Nomination struct {
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
func (n Nomination) Validate() error {
	if strings.TrimSpace(n.Name) == "" {
		return concord.Errorf(concord.EInvalid, "name", "briefer.error.name", "the briefer's name is required")
	}
	if n.NominatedBy == "" {
		return concord.Errorf(concord.EInvalid, "nominated_by", "briefer.error.nominated_by", "a briefer is nominated by a State")
	}
	if strings.TrimSpace(n.DTG) == "" {
		return concord.Errorf(concord.EInvalid, "dtg", "briefer.error.dtg", "the nomination needs a DTG")
	}
	if n.At.IsZero() {
		return concord.Errorf(concord.EInvalid, "at", "decision.error.at", "the nomination needs a time")
	}
	return nil
}

// Confirmation is how a nomination is confirmed (§5 row 4).
type Confirmation string

// Confirmation modes.
const (
	Automatic    Confirmation = "state_nomination_automatic" // Canada
	NonObjection Confirmation = "non_objection_per_briefer"  // a silence round with a deadline
	Consensus    Confirmation = "consensus_per_briefer"      // Russia: case-by-case agreement
)

// Confirmations lists the modes.
var Confirmations = []Confirmation{Automatic, NonObjection, Consensus}

// Policy is how briefers are confirmed, as a dated, versioned value.
type Policy struct {
	// Stamped names the rule version the policy belongs to.
	rule.Stamped
	Confirmation Confirmation
	// Period is the non-objection round's length; under consensus, when
	// set, consensus is ascertained at its end unless the Chair takes it up
	// earlier.
	Period time.Duration
}

// DefaultPolicy is the non-objection round of five days: the rule
// that needs least agreement between the two readings.
func DefaultPolicy() Policy {
	return Policy{Stamped: rule.Stamped{Code: "briefers", Version: 1}, Confirmation: NonObjection, Period: 5 * 24 * time.Hour}
}

// Validate checks the policy.
func (p Policy) Validate() error {
	if !slices.Contains(Confirmations, p.Confirmation) {
		return concord.Errorf(concord.EInvalid, "confirmation", "briefer.error.confirmation", "unknown confirmation mode %q", p.Confirmation)
	}
	if p.Confirmation == NonObjection && p.Period <= 0 {
		return concord.Errorf(concord.EInvalid, "period", "decision.error.deadline_required", "a non-objection round needs a period")
	}
	return p.Decision().Validate()
}

// Decision is the confirmation mode as a decision.Policy: automatic is a
// chair_decision adopted on proposal (the outcome is final when the State
// nominates, so an objection comes "after the outcome" and is refused; a
// State that disagrees records an explanation of position, which
// LateExplanations accepts); non-objection is a silence procedure; consensus
// is the Chair's proposal approved by consensus.
func (p Policy) Decision() decision.Policy {
	d := decision.Policy{Code: p.Code, Version: p.Version, Effective: p.Effective, Period: p.Period, LateExplanations: true}
	switch p.Confirmation {
	case Automatic:
		d.Modality, d.AdoptOnProposal, d.Period = decision.ModalityChairDecision, true, 0
	case Consensus:
		d.Modality = decision.ModalityChairProposalConsensusApproval
	default:
		d.Modality = decision.ModalityChairProposalSilence
	}
	return d
}

// Alternatives returns the policy under each confirmation mode.
func Alternatives(p Policy) []Policy {
	out := make([]Policy, 0, len(Confirmations))
	for _, c := range Confirmations {
		q := p
		q.Confirmation = c
		if c == NonObjection && q.Period <= 0 {
			q.Period = decision.DefaultPeriod
		}
		out = append(out, q)
	}
	return out
}

// NextChange is the earliest instant after now at which what Confirm makes
// of the nomination, under p or under any of Alternatives(p) (the
// simulation shown beside it), may change although no fact is added: a
// round's deadline not yet reached. Zero when there is none.
func NextChange(p Policy, n Nomination, facts decision.Facts, now time.Time) time.Time {
	if facts.ProposedAt.IsZero() {
		facts.ProposedAt = n.At // as Confirm does
	}
	var t time.Time
	for _, q := range append([]Policy{p}, Alternatives(p)...) {
		if d := decision.Deadline(q.Decision(), facts); d.After(now) && (t.IsZero() || d.Before(t)) {
			t = d
		}
	}
	return t
}

// State is the nomination's place in its machine (§7.6).
type State string

// Briefer states.
const (
	Nominated State = "nominated" // round under way
	Confirmed State = "confirmed"
	Rejected  State = "rejected"
	Deferred  State = "deferred"
	// Withdrawn: the nominating State withdrew the nomination while
	// the round was under way.
	Withdrawn State = "withdrawn"
)

// States lists the states in the order of the machine.
var States = []State{Nominated, Confirmed, Rejected, Deferred, Withdrawn}

// Result is a nomination's state with the decision behind it.
type Result struct {
	Nomination Nomination
	State      State
	Decision   decision.Result
}

// Confirm decides on a nomination. facts.Kind must be
// briefer_confirmation; the nominating State must take part; an empty
// ProposedAt or ProposedBy is taken from the nomination.
//
// A nomination withdrawn at n.Withdrawn is "withdrawn" from then on, unless
// the decision was already final before that instant: under that policy the
// round would have been over and the withdrawal refused, so a simulation
// under another confirmation mode shows the outcome the withdrawal could
// not have changed.
func Confirm(p Policy, n Nomination, facts decision.Facts, now time.Time) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if err := n.Validate(); err != nil {
		return Result{}, err
	}
	if facts.Kind != decision.KindBrieferConfirmation {
		return Result{}, concord.Errorf(concord.EInvalid, "kind", "briefer.error.kind", "the facts are not about a briefer")
	}
	if !slices.Contains(facts.Participants, n.NominatedBy) {
		return Result{}, concord.Errorf(concord.EForbidden, "nominated_by", "decision.error.not_participant", "%s does not take part", n.NominatedBy)
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
		facts.Proposal = concord.Text{"en": name}
	}
	res, err := decision.Decide(p.Decision(), facts, now)
	if err != nil {
		return Result{}, err
	}
	out := Result{Nomination: n, Decision: res}
	switch {
	case res.Outcome.Adopted():
		out.State = Confirmed
	case res.Outcome == decision.OutcomePending:
		out.State = Nominated
	case res.Outcome == decision.OutcomeDeferred:
		out.State = Deferred
	default:
		out.State = Rejected
	}
	if !n.Withdrawn.IsZero() && !now.Before(n.Withdrawn) && !(res.Final() && res.DecidedAt.Before(n.Withdrawn)) {
		out.State = Withdrawn
	}
	return out, nil
}

// RuleCode is the code of the briefers rule.
const RuleCode = "briefers"

// Rule is the briefers rule: how a briefer nominated by a State is confirmed, as a rule of procedure.
var Rule = rule.Kind{Code: RuleCode, Field: "Briefers",
	New:      func() rule.Policy { return new(Policy) },
	Default:  func() rule.Policy { p := DefaultPolicy(); return &p },
	TermKeys: ruleTermKeys(),
	Note: concord.Text{
		"en": "A non-objection round of five days per briefer nominated by a State.",
		"fr": "Une procédure de non-objection de cinq jours pour chaque intervenant désigné par un État.",
		"es": "Un procedimiento de no objeción de cinco días para cada ponente propuesto por un Estado.",
		"ru": "Процедура отсутствия возражений продолжительностью пять дней по каждому докладчику, выдвинутому государством.",
		"zh": "对一国提名的每位通报人进行为期五天的无异议程序。",
		"ar": "جولة عدم اعتراض مدتها خمسة أيام لكل مقدم إحاطة ترشحه دولة.",
	}}

// Terms summarises the policy, term by term.
func (p Policy) Terms() []rule.Term {
	out := []rule.Term{rule.NewTerm("procrule.confirmation", "confirmation."+string(p.Confirmation))}
	if p.Period > 0 && p.Confirmation != Automatic {
		out = append(out, rule.PeriodTerm(p.Period))
	}
	return out
}

// ruleTermKeys are the catalogue keys Terms may return.
func ruleTermKeys() []string {
	keys := []string{"procrule.confirmation"}
	for _, c := range Confirmations {
		keys = append(keys, "confirmation."+string(c))
	}
	return keys
}
