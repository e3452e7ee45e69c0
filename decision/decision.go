package decision

// The decision engine: procedure as data (DESIGN.md).
//
//	Decide(policy, facts, now) -> outcome + reasons + what each actor may do next
//
// Everything here is pure: no I/O, no clock. The caller passes now, and the
// same facts can be replayed under another policy (Simulate) or at an
// earlier instant (what did the record show on that day?).
//
// Documented rules (the tests pin each of them):
//
//   - Time boundary. A position made exactly at the deadline is late: a
//     position counts only when At < Deadline (the same rule as
//     AccreditationInTime). The deadline has passed at now when now >= Deadline,
//     so at now == Deadline the outcome is already final.
//   - Order and tie-break. Positions are ordered by (At, Seq, index in
//     Facts.Positions). Seq is the order of receipt that SubmitPosition (or the
//     store) assigns; two positions with the same At are ordered by Seq, and the
//     higher Seq is the later one.
//   - Replacement. An actor has at most one standing stance: a later stance
//     replaces the earlier one, and the earlier stays in History as
//     "superseded". A withdrawal removes the standing stance (the actor is
//     silent again, so its group's position applies to it again). An
//     explanation of position never replaces a stance: it is recorded beside
//     it (the latest explanation per actor stands); an actor that only
//     explained is listed as silent, and silence is not an objection.
//   - Groups. A named group (the EU, the African Group...) may take a position
//     on behalf of its members. A member's own position overrides the group's
//     for that member; the group's position applies to the members that said
//     nothing themselves. When several of a silent member's groups took a
//     position, the latest of them applies.
//   - Decision instant. A final outcome has an instant E (the deadline, the
//     chair's act, or the objection that broke silence). Positions made at or
//     after E are refused as "after the outcome"; a chair act at the same
//     instant as a position wins (the gavel falls first).
//   - States do not vote. Positions are recorded, never counted into a
//     majority; every result carries the full agreement-and-divergence record
//     (Senegal's proposal).

import (
	"cmp"
	"concord"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is the subject of a decision: what is being decided.
type Kind string

// The subjects the engine knows. Generic covers any other procedural decision
// (a programme of work, a letter, a chair's proposal on modalities).
const (
	KindAgendaAdoption           Kind = "agenda_adoption"
	KindCoFacilitatorAppointment Kind = "cofacilitator_appointment"
	KindDTGTopics                Kind = "dtg_topics"
	KindBrieferConfirmation      Kind = "briefer_confirmation"
	KindGeneric                  Kind = "generic"
)

// Kinds lists every subject, for forms and validation.
var Kinds = []Kind{KindAgendaAdoption, KindCoFacilitatorAppointment, KindDTGTopics, KindBrieferConfirmation, KindGeneric}

// Modality is how a decision is taken.
type Modality string

// The six modalities (domain brief §1.4, §5).
const (
	// ModalityChairDecision: the Chair decides (GA practice for appointing
	// co-facilitators). Positions are recorded but do not block.
	ModalityChairDecision Modality = "chair_decision"
	// ModalityChairProposalSilence: the Chair circulates a proposal under a
	// silence procedure; any objection before the deadline breaks silence,
	// otherwise the proposal is adopted at the deadline without a meeting.
	ModalityChairProposalSilence Modality = "chair_proposal_silence"
	// ModalityConsensus: adopted when no State objects at the moment the
	// Chair takes the decision (or at the deadline, when one is set).
	ModalityConsensus Modality = "consensus"
	// ModalityChairProposalConsensusApproval: the Chair proposes after
	// consultations and the States approve by consensus (Russia's reading of
	// the co-facilitator question). Same rule as consensus; only the Chair
	// may revise the proposal.
	ModalityChairProposalConsensusApproval Modality = "chair_proposal_consensus_approval"
	// ModalityPlenaryDecision: consensus, but only a decision taken in a
	// formal plenary meeting counts (Argentina: the plenary keeps control;
	// §5.13: informal statements may not count).
	ModalityPlenaryDecision Modality = "plenary_decision"
	// ModalityAdvisorySurvey: States answer; the result is advisory and feeds
	// a Chair proposal (Morocco). It never adopts anything by itself.
	ModalityAdvisorySurvey Modality = "advisory_survey"
)

// Modalities lists the six modalities in a stable order.
var Modalities = []Modality{ModalityChairDecision, ModalityChairProposalSilence, ModalityConsensus, ModalityChairProposalConsensusApproval, ModalityPlenaryDecision, ModalityAdvisorySurvey}

// PositionKind is what a State (or a group on behalf of its members) says.
type PositionKind string

// Positions. States do not vote: none of these is counted into a majority.
const (
	PositionSupport      PositionKind = "support"
	PositionNoObjection  PositionKind = "no_objection"
	PositionObjection    PositionKind = "objection"   // blocks consensus; breaks silence
	PositionReservation  PositionKind = "reservation" // joins, reserving its position
	PositionAbstention   PositionKind = "abstention"  // stands aside
	PositionDissociation PositionKind = "dissociation"
	// PositionExplanation is recorded beside the actor's stance and never
	// replaces it.
	PositionExplanation PositionKind = "explanation_of_position"
	// PositionWithdrawal is an event, not a stance: it withdraws the actor's
	// standing position.
	PositionWithdrawal PositionKind = "withdrawal"
)

// PositionKinds lists the positions a State may take (the withdrawal event
// is not one of them).
var PositionKinds = []PositionKind{PositionSupport, PositionNoObjection, PositionObjection, PositionReservation, PositionAbstention, PositionDissociation, PositionExplanation}

// OutcomeKind is the state of a decision.
type OutcomeKind string

// Outcomes. Every outcome carries the agreement-and-divergence record.
const (
	OutcomePending               OutcomeKind = "pending"
	OutcomeAdopted               OutcomeKind = "adopted"
	OutcomeAdoptedWithDivergence OutcomeKind = "adopted_with_dissociations_or_reservations"
	OutcomeNotAdopted            OutcomeKind = "not_adopted" // lack of consensus
	OutcomeSilenceBroken         OutcomeKind = "silence_broken"
	OutcomeDeferred              OutcomeKind = "deferred"
)

// OutcomeKinds lists every outcome.
var OutcomeKinds = []OutcomeKind{OutcomePending, OutcomeAdopted, OutcomeAdoptedWithDivergence, OutcomeNotAdopted, OutcomeSilenceBroken, OutcomeDeferred}

// Adopted reports whether o adopts the proposal (with or without divergence).
func (o OutcomeKind) Adopted() bool { return o == OutcomeAdopted || o == OutcomeAdoptedWithDivergence }

// Position is one event in a decision's history: a State or a named group
// taking (or withdrawing) a position.
type Position struct {
	Actor      string       // ISO3 of a participant State, or the Code of a Group
	Kind       PositionKind //
	Text       string       // optional statement, in Lang
	Lang       string       // one of Languages; required when Text is set
	Paragraphs []string     // optional: the paragraphs a reservation or dissociation concerns
	At         time.Time    // when it was made (UTC)
	Seq        int64        // order of receipt; breaks ties between equal At
	// Source is where the position was taken when not on the decision page
	// itself: "statement:12", a statement delivered in the room that
	// carried it (doc/record.md). Empty for one taken directly.
	Source string `json:",omitzero"`
}

// Group is a named group that may speak on behalf of its members.
type Group struct {
	Code    string
	Names   concord.Text
	Members []string // ISO3
}

// ActKind is something the Chair does to a decision.
type ActKind string

// Chair acts.
const (
	// ActDecide: the Chair brings the proposal to a decision. Under
	// chair_decision this is the decision; under the consensus modalities it
	// is the moment the Chair ascertains whether there is consensus; under
	// advisory_survey it closes the survey early. It has no effect on a
	// silence procedure, which ends only at its deadline or on an objection.
	ActDecide ActKind = "decide"
	// ActDefer: the Chair postpones the decision (for example to the
	// intersessional period).
	ActDefer ActKind = "defer"
)

// Act is a Chair act with its time.
type Act struct {
	Kind   ActKind
	At     time.Time
	Seq    int64
	Formal bool         // taken in a formal meeting (required by plenary_decision)
	Text   concord.Text // the Chair's statement, if any
}

// Facts are everything that happened about one proposal.
type Facts struct {
	Kind         Kind
	Subject      string       // the subject's identifier (agenda version, DTG, nomination)
	Proposal     concord.Text // the proposal, in up to six languages
	ProposedBy   string       // "chair" or the ISO3 of the proposing State
	ProposedAt   time.Time
	Deadline     time.Time // zero: none (the policy's Period may supply one)
	Participants []string  // ISO3 of the States entitled to take positions
	Groups       []Group
	Positions    []Position
	Acts         []Act
}

// DefaultPeriod is the silence period Alternatives uses when
// a policy has none and the simulated modality needs a deadline.
const DefaultPeriod = 72 * time.Hour

// Policy is the contested procedural choice for one decision, as a
// dated, versioned value.
type Policy struct {
	Code      string    // e.g. "gm-agenda"
	Version   int       // increases with each change
	Effective time.Time // from when this version applies
	Modality  Modality
	// Period gives the deadline ProposedAt+Period when the facts carry none.
	// Silence and survey need a deadline; consensus modalities use one when
	// given (consensus is then ascertained at the deadline unless the Chair
	// decides earlier); chair_decision and plenary_decision only close
	// position-taking at Facts.Deadline and ignore Period.
	Period time.Duration
	// NoConsensus is the outcome when objections stand at the decision
	// instant under a consensus modality: OutcomeNotAdopted (default when
	// empty) or OutcomeDeferred.
	NoConsensus OutcomeKind
	// ProceedInformally: when the proposal is not adopted, the meeting may
	// carry on informally (OEWG practice, Dec 2021). Applies to agenda
	// adoption and generic decisions only.
	ProceedInformally bool
	// SilenceWithdrawalRestores: under a silence procedure, an objection
	// withdrawn before the deadline does not break silence. When false
	// (default), silence is broken the moment an objection is made.
	SilenceWithdrawalRestores bool
	// AdoptOnProposal: under chair_decision, the proposal takes effect when
	// made (a State's nomination of a briefer, confirmed automatically).
	// Ignored by other modalities.
	AdoptOnProposal bool
	// LateExplanations: explanations of position are accepted after the
	// deadline and after the outcome (they never change it). When false they
	// are late like any other position.
	LateExplanations bool
}

// Validate checks the policy's fields, reporting every problem at once
// (concord.Errors when there are several).
func (p Policy) Validate() error {
	var errs concord.Errors
	if !slices.Contains(Modalities, p.Modality) {
		errs.Add(concord.Errorf(concord.EInvalid, "modality", "decision.error.modality", "unknown modality %q", p.Modality))
	}
	switch p.NoConsensus {
	case "", OutcomeNotAdopted, OutcomeDeferred:
	default:
		errs.Add(concord.Errorf(concord.EInvalid, "no_consensus", "decision.error.no_consensus", "no-consensus outcome must be not_adopted or deferred, not %q", p.NoConsensus))
	}
	if p.Period < 0 {
		errs.Add(concord.Errorf(concord.EInvalid, "period", "decision.error.period", "period must not be negative"))
	}
	if p.Version < 0 {
		errs.Add(concord.Errorf(concord.EInvalid, "version", "decision.error.version", "version must not be negative"))
	}
	return errs.Err()
}

// decisionUsesDeadline reports whether the deadline itself ends the decision
// under m (rather than only closing position-taking).
func usesDeadline(m Modality) bool {
	switch m {
	case ModalityChairProposalSilence, ModalityAdvisorySurvey, ModalityConsensus, ModalityChairProposalConsensusApproval:
		return true
	}
	return false
}

// NeedsDeadline reports whether m cannot work without a deadline.
func NeedsDeadline(m Modality) bool {
	return m == ModalityChairProposalSilence || m == ModalityAdvisorySurvey
}

// decisionMaxText bounds a statement's length (runes).
const maxText = 20000

// Validate checks the facts' structure. Time-dependent problems (late or
// non-participant positions) are not errors here: Decide records them.
func (f Facts) Validate() error {
	// The proposal's own fields are reported together (a form shows each
	// next to its control); the structure below stops at its first fault.
	var errs concord.Errors
	if !slices.Contains(Kinds, f.Kind) {
		errs.Add(concord.Errorf(concord.EInvalid, "kind", "decision.error.kind", "unknown decision kind %q", f.Kind))
	}
	errs.Add(CheckText(f.Proposal, "proposal"))
	if f.ProposedAt.IsZero() {
		errs.Add(concord.Errorf(concord.EInvalid, "proposed_at", "decision.error.proposed_at", "the proposal needs a time"))
	}
	if !f.Deadline.IsZero() && !f.Deadline.After(f.ProposedAt) {
		errs.Add(concord.Errorf(concord.EInvalid, "deadline", "decision.error.deadline", "the deadline must be after the proposal"))
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	if len(f.Participants) == 0 {
		return concord.Errorf(concord.EInvalid, "participants", "decision.error.participants", "a decision needs participants")
	}
	seen := make(map[string]bool, len(f.Participants)+len(f.Groups))
	for _, s := range f.Participants {
		if s == "" || seen[s] {
			return concord.Errorf(concord.EInvalid, "participants", "decision.error.participants", "participant %q is empty or repeated", s)
		}
		seen[s] = true
	}
	for i, g := range f.Groups {
		if g.Code == "" || seen[g.Code] {
			return concord.Errorf(concord.EInvalid, "groups["+strconv.Itoa(i)+"]", "decision.error.group", "group code %q is empty or repeated", g.Code)
		}
		seen[g.Code] = true
	}
	for i, pos := range f.Positions {
		if err := pos.decisionCheck("positions[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
		if pos.At.IsZero() {
			return concord.Errorf(concord.EInvalid, "positions["+strconv.Itoa(i)+"].at", "decision.error.at", "a position needs a time")
		}
	}
	for i, a := range f.Acts {
		if a.Kind != ActDecide && a.Kind != ActDefer {
			return concord.Errorf(concord.EInvalid, "acts["+strconv.Itoa(i)+"].kind", "decision.error.act_kind", "unknown act %q", a.Kind)
		}
		if a.At.IsZero() {
			return concord.Errorf(concord.EInvalid, "acts["+strconv.Itoa(i)+"].at", "decision.error.at", "an act needs a time")
		}
	}
	return nil
}

// CheckText checks a six-language text: known languages, at least
// one version, bounded length.
func CheckText(t concord.Text, field string) error {
	has := false
	for l, s := range t {
		if !concord.IsLanguage(l) {
			return concord.Errorf(concord.EInvalid, field, "decision.error.language", "unknown language %q", l)
		}
		if utf8.RuneCountInString(s) > maxText {
			return concord.Errorf(concord.EInvalid, field, "decision.error.text_too_long", "text over %d characters", maxText)
		}
		if strings.TrimSpace(s) != "" {
			has = true
		}
	}
	if !has {
		return concord.Errorf(concord.EInvalid, field, "decision.error.proposal", "the text is required in at least one language")
	}
	return nil
}

// decisionCheck validates a position's own fields (not its timing).
func (p Position) decisionCheck(field string) error {
	if p.Actor == "" {
		return concord.Errorf(concord.EInvalid, field+".actor", "decision.error.actor", "a position needs an actor")
	}
	if p.Kind != PositionWithdrawal && !slices.Contains(PositionKinds, p.Kind) {
		return concord.Errorf(concord.EInvalid, field+".kind", "decision.error.position_kind", "unknown position %q", p.Kind)
	}
	if p.Text != "" && !concord.IsLanguage(p.Lang) {
		return concord.Errorf(concord.EInvalid, field+".lang", "decision.error.language", "a statement needs one of the six languages, not %q", p.Lang)
	}
	if p.Lang != "" && !concord.IsLanguage(p.Lang) {
		return concord.Errorf(concord.EInvalid, field+".lang", "decision.error.language", "unknown language %q", p.Lang)
	}
	if utf8.RuneCountInString(p.Text) > maxText {
		return concord.Errorf(concord.EInvalid, field+".text", "decision.error.text_too_long", "statement over %d characters", maxText)
	}
	if len(p.Paragraphs) > 500 {
		return concord.Errorf(concord.EInvalid, field+".paragraphs", "decision.error.text_too_long", "too many paragraphs")
	}
	return nil
}

// Reason is one localisable reason: a message key and its arguments
// (template data for the catalogue).
type Reason struct {
	Key  string
	Args map[string]string
}

// Actors named in Next besides individual States and groups.
const (
	ActorChair  = "chair"
	ActorStates = "states" // every participant
)

// Action is something an actor may still do.
type Action string

// Next actions.
const (
	ActionTakePosition      Action = "take_position"
	ActionObject            Action = "object"
	ActionWithdraw          Action = "withdraw_position"
	ActionExplain           Action = "explain_position"
	ActionDecide            Action = "decide"
	ActionDefer             Action = "defer"
	ActionConsult           Action = "consult"
	ActionRevise            Action = "revise_proposal"
	ActionRecordOutcome     Action = "record_outcome"
	ActionProceedInformally Action = "proceed_informally"
)

// Next is one thing an actor may still do, until a time when there
// is a limit ("states may still object until <deadline>").
type Next struct {
	Actor  string // ActorChair, ActorStates, or an ISO3
	Action Action
	Until  time.Time // zero: no limit set by the engine
	Key    string
	Args   map[string]string
}

// Entry is one line of the agreement-and-divergence record.
type Entry struct {
	State      string // ISO3, or the group's code when IsGroup
	IsGroup    bool
	Via        string // the group whose position applies to this State, "" when its own
	Kind       PositionKind
	Text       string
	Lang       string
	Paragraphs []string
	At         time.Time
	Seq        int64
	// Source is the position's source ("statement:12"), empty when it was
	// taken on the decision page.
	Source string `json:",omitzero"`
}

// Record records both agreement and divergence (Senegal), never only
// a yes or no. Lists are sorted by State.
type Record struct {
	Supported    []Entry
	NoObjection  []Entry
	Objected     []Entry
	Reserved     []Entry
	Dissociated  []Entry
	Abstained    []Entry
	Explanations []Entry  // States' and groups' explanations of position
	Groups       []Entry  // positions groups took as such
	Silent       []string // participants that said nothing (acquiescence under consensus)
}

// Agreement returns the States that supported or did not object.
func (r Record) Agreement() []Entry {
	out := append(append([]Entry(nil), r.Supported...), r.NoObjection...)
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.State, b.State) })
	return out
}

// Divergence returns the States that objected, reserved, dissociated or
// abstained.
func (r Record) Divergence() []Entry {
	var out []Entry
	for _, l := range [][]Entry{r.Objected, r.Reserved, r.Dissociated, r.Abstained} {
		out = append(out, l...)
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.State, b.State) })
	return out
}

// EventStatus says what became of one position in the history.
type EventStatus string

// Event statuses.
const (
	EventStands     EventStatus = "stands"     // counted (for a withdrawal: the actor is silent)
	EventSuperseded EventStatus = "superseded" // replaced by a later position of the same actor
	EventWithdrawn  EventStatus = "withdrawn"  // withdrawn by its actor
	EventRefused    EventStatus = "refused"    // late, after the outcome, or not a participant (see Key)
	EventNotYet     EventStatus = "not_yet"    // dated after now
)

// Event is one position of the history with what became of it.
type Event struct {
	Position Position
	Status   EventStatus
	Key      string // reason for a refusal
}

// Result is what Decide returns.
type Result struct {
	Outcome           OutcomeKind
	DecidedAt         time.Time // the decision instant; zero while pending
	Deadline          time.Time // the deadline in force (facts or policy); zero if none
	ProceedInformally bool      // not adopted, and the meeting may carry on informally
	Reasons           []Reason
	Next              []Next
	Record            Record
	History           []Event // every position, in (At, Seq) order
}

// Final reports whether the outcome is no longer pending.
func (r Result) Final() bool { return r.Outcome != OutcomePending }

// HasReason reports whether key is among the reasons.
func (r Result) HasReason(key string) bool {
	return slices.ContainsFunc(r.Reasons, func(x Reason) bool { return x.Key == key })
}

// decisionRun holds the indexes of one evaluation.
type decisionRun struct {
	p        Policy
	f        Facts
	now      time.Time
	deadline time.Time
	part     map[string]bool
	members  map[string][]string // group -> participant members
	memberOf map[string][]string // State -> groups
	evs      []Event             // sorted
	reasons  []Reason
	// the decision instant
	final bool
	endAt time.Time
	cause string // "deadline", "proposal", "decide", "defer", "objection"
	cut   int    // events [0:cut) are before the decision instant
	// closed lists the events refused for coming after the decision
	// instant: their message depends on the outcome, known only later.
	closed []int
	// stances after the main pass (indexes into evs; -1 none)
	tr *decisionTracker
}

// decisionTracker follows standing stances as events are applied in order.
type decisionTracker struct {
	evs  []Event
	mark bool
	own  map[string]int // State -> event index of its standing stance
	grp  map[string]int // group -> event index
	eop  map[string]int // actor -> latest explanation
	run  *decisionRun
}

func (t *decisionTracker) apply(i int) {
	e := &t.evs[i]
	actor := e.Position.Actor
	m := t.own
	if _, ok := t.run.members[actor]; ok {
		m = t.grp
	}
	switch e.Position.Kind {
	case PositionExplanation:
		if old, ok := t.eop[actor]; ok && t.mark {
			t.evs[old].Status = EventSuperseded
		}
		t.eop[actor] = i
	case PositionWithdrawal:
		if old, ok := m[actor]; ok {
			if t.mark {
				if t.evs[old].Position.Kind == PositionWithdrawal {
					t.evs[old].Status = EventSuperseded
				} else {
					t.evs[old].Status = EventWithdrawn
				}
			}
		}
		m[actor] = i // a standing withdrawal: the actor is silent
	default:
		if old, ok := m[actor]; ok && t.mark {
			t.evs[old].Status = EventSuperseded
		}
		m[actor] = i
	}
	if t.mark {
		e.Status = EventStands
	}
}

// effective returns the event index of the stance that applies to State s,
// and the group it comes from ("" when its own); -1 when s is silent.
func (t *decisionTracker) effective(s string) (int, string) {
	if i, ok := t.own[s]; ok {
		if t.evs[i].Position.Kind == PositionWithdrawal {
			// Own withdrawal: the State is silent for itself; a group
			// position may apply again.
			return t.groupStance(s)
		}
		return i, ""
	}
	return t.groupStance(s)
}

func (t *decisionTracker) groupStance(s string) (int, string) {
	best, via := -1, ""
	for _, g := range t.run.memberOf[s] {
		if i, ok := t.grp[g]; ok && i > best && t.evs[i].Position.Kind != PositionWithdrawal {
			best, via = i, g
		}
	}
	return best, via
}

func (r *decisionRun) newTracker(mark bool) *decisionTracker {
	return &decisionTracker{evs: r.evs, mark: mark, own: map[string]int{}, grp: map[string]int{}, eop: map[string]int{}, run: r}
}

// TimeArg formats a time for message arguments (RFC 3339, UTC).
func TimeArg(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Decide evaluates facts under policy at now. It returns an error only for an
// invalid policy or malformed facts; everything procedural (late positions,
// non-participants, acts that do not apply) is reported in the result.
func Decide(policy Policy, facts Facts, now time.Time) (Result, error) {
	r, err := decisionEvaluate(policy, facts, now)
	if err != nil {
		return Result{}, err
	}
	return r.result(), nil
}

func decisionEvaluate(p Policy, f Facts, now time.Time) (*decisionRun, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	r := &decisionRun{p: p, f: f, now: now, deadline: Deadline(p, f)}
	if r.deadline.IsZero() && NeedsDeadline(p.Modality) {
		return nil, concord.Errorf(concord.EInvalid, "deadline", "decision.error.deadline_required", "%s needs a deadline (in the facts or as the policy's period)", p.Modality)
	}
	r.index()
	r.findEnd()
	r.classify()
	return r, nil
}

func (r *decisionRun) index() {
	f := r.f
	r.part = make(map[string]bool, len(f.Participants))
	for _, s := range f.Participants {
		r.part[s] = true
	}
	r.members = make(map[string][]string, len(f.Groups))
	r.memberOf = map[string][]string{}
	for _, g := range f.Groups {
		var ms []string
		for _, m := range g.Members {
			if r.part[m] && !slices.Contains(ms, m) {
				ms = append(ms, m)
				r.memberOf[m] = append(r.memberOf[m], g.Code)
			}
		}
		r.members[g.Code] = ms
	}
	type ix struct {
		p Position
		i int
	}
	order := make([]ix, len(f.Positions))
	for i, p := range f.Positions {
		order[i] = ix{p, i}
	}
	slices.SortFunc(order, func(a, b ix) int {
		if c := a.p.At.Compare(b.p.At); c != 0 {
			return c
		}
		if c := cmp.Compare(a.p.Seq, b.p.Seq); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	r.evs = make([]Event, len(order))
	for k, o := range order {
		e := Event{Position: o.p}
		_, isGroup := r.members[o.p.Actor]
		switch {
		case o.p.At.After(r.now):
			e.Status, e.Key = EventNotYet, "decision.reason.not_yet"
		case o.p.At.Before(f.ProposedAt):
			e.Status, e.Key = EventRefused, "decision.error.before_proposal"
		case !r.part[o.p.Actor] && !isGroup:
			e.Status, e.Key = EventRefused, "decision.error.not_participant"
		}
		r.evs[k] = e
	}
}

// findEnd determines the decision instant, if the decision is final at now.
func (r *decisionRun) findEnd() {
	p, f := r.p, r.f
	auto := usesDeadline(p.Modality)
	var at time.Time
	cause := ""
	consider := func(t time.Time, c string) {
		if cause == "" || t.Before(at) {
			at, cause = t, c
		}
	}
	if auto && !r.deadline.IsZero() && !r.now.Before(r.deadline) {
		consider(r.deadline, "deadline")
	}
	if p.Modality == ModalityChairDecision && p.AdoptOnProposal && !r.now.Before(f.ProposedAt) {
		consider(f.ProposedAt, "proposal")
	}
	acts := slices.Clone(f.Acts)
	slices.SortStableFunc(acts, func(a, b Act) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	for _, a := range acts {
		if a.At.After(r.now) || a.At.Before(f.ProposedAt) {
			continue
		}
		if auto && !r.deadline.IsZero() && !a.At.Before(r.deadline) {
			continue // the deadline decided first
		}
		if a.Kind == ActDecide {
			if p.Modality == ModalityChairProposalSilence {
				r.reasons = append(r.reasons, Reason{"decision.reason.act_not_applicable", map[string]string{"at": TimeArg(a.At), "modality": string(p.Modality)}})
				continue
			}
			if p.Modality == ModalityPlenaryDecision && !a.Formal {
				r.reasons = append(r.reasons, Reason{"decision.reason.informal_act_ignored", map[string]string{"at": TimeArg(a.At)}})
				continue
			}
		}
		consider(a.At, string(a.Kind))
		break
	}
	if cause != "" {
		r.final, r.endAt, r.cause = true, at, cause
		r.cut, _ = slices.BinarySearchFunc(r.evs, at, func(e Event, t time.Time) int {
			if e.Position.At.Before(t) {
				return -1
			}
			return 1
		})
	}
	// Silence is broken by the first objection made before any other end.
	if p.Modality == ModalityChairProposalSilence && !p.SilenceWithdrawalRestores {
		tr := r.newTracker(false)
		for i := range r.evs {
			e := r.evs[i]
			if e.Status != "" || (r.final && i >= r.cut) || (!r.deadline.IsZero() && !e.Position.At.Before(r.deadline)) {
				continue
			}
			if e.Position.Kind == PositionExplanation {
				continue
			}
			tr.apply(i)
			if r.objects(tr, e.Position.Actor) {
				r.final, r.endAt, r.cause, r.cut = true, e.Position.At, "objection", i+1
				break
			}
		}
	}
}

// objects reports whether, after an event of actor, any State it speaks for
// stands as an objector.
func (r *decisionRun) objects(tr *decisionTracker, actor string) bool {
	states := []string{actor}
	if ms, ok := r.members[actor]; ok {
		states = ms
	}
	for _, s := range states {
		if i, _ := tr.effective(s); i >= 0 && r.evs[i].Position.Kind == PositionObjection {
			return true
		}
	}
	return false
}

// classify applies the counted events and refuses late ones.
func (r *decisionRun) classify() {
	r.tr = r.newTracker(true)
	for i := range r.evs {
		e := &r.evs[i]
		if e.Status != "" {
			continue
		}
		late := !r.deadline.IsZero() && !e.Position.At.Before(r.deadline)
		after := r.final && i >= r.cut
		if late || after {
			if e.Position.Kind == PositionExplanation && r.p.LateExplanations {
				r.tr.apply(i)
				continue
			}
			e.Status = EventRefused
			if late {
				e.Key = "decision.error.late"
			} else {
				e.Key = closedKey(OutcomeAdopted) // set from the outcome in result
				r.closed = append(r.closed, i)
			}
			continue
		}
		r.tr.apply(i)
	}
}

func (r *decisionRun) entry(i int, state, via string, isGroup bool) Entry {
	p := r.evs[i].Position
	return Entry{State: state, IsGroup: isGroup, Via: via, Kind: p.Kind, Text: p.Text, Lang: p.Lang, Paragraphs: p.Paragraphs, At: p.At, Seq: p.Seq, Source: p.Source}
}

func (r *decisionRun) record() Record {
	var rec Record
	parts := slices.Clone(r.f.Participants)
	slices.Sort(parts)
	for _, s := range parts {
		i, via := r.tr.effective(s)
		if i < 0 {
			rec.Silent = append(rec.Silent, s)
			continue
		}
		e := r.entry(i, s, via, false)
		switch e.Kind {
		case PositionSupport:
			rec.Supported = append(rec.Supported, e)
		case PositionNoObjection:
			rec.NoObjection = append(rec.NoObjection, e)
		case PositionObjection:
			rec.Objected = append(rec.Objected, e)
		case PositionReservation:
			rec.Reserved = append(rec.Reserved, e)
		case PositionDissociation:
			rec.Dissociated = append(rec.Dissociated, e)
		case PositionAbstention:
			rec.Abstained = append(rec.Abstained, e)
		}
	}
	for _, g := range r.f.Groups {
		if i, ok := r.tr.grp[g.Code]; ok && r.evs[i].Position.Kind != PositionWithdrawal {
			rec.Groups = append(rec.Groups, r.entry(i, g.Code, "", true))
		}
	}
	slices.SortFunc(rec.Groups, func(a, b Entry) int { return cmp.Compare(a.State, b.State) })
	for actor, i := range r.tr.eop {
		_, isGroup := r.members[actor]
		rec.Explanations = append(rec.Explanations, r.entry(i, actor, "", isGroup))
	}
	slices.SortFunc(rec.Explanations, func(a, b Entry) int { return cmp.Compare(a.State, b.State) })
	return rec
}

func decisionStates(es []Entry) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.State
	}
	return strings.Join(out, ", ")
}

func (r *decisionRun) reason(key string, kv ...string) {
	var args map[string]string
	if len(kv) > 0 {
		args = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i]] = kv[i+1]
		}
	}
	r.reasons = append(r.reasons, Reason{Key: key, Args: args})
}

func (r *decisionRun) result() Result {
	p, f := r.p, r.f
	rec := r.record()
	res := Result{Deadline: r.deadline, Record: rec, History: r.evs}
	var next []Next
	add := func(actor string, a Action, key string, until time.Time) {
		n := Next{Actor: actor, Action: a, Key: key, Until: until}
		if !until.IsZero() {
			n.Args = map[string]string{"until": TimeArg(until)}
		}
		next = append(next, n)
	}
	divergent := len(rec.Reserved)+len(rec.Dissociated) > 0
	adopt := func() {
		res.Outcome = OutcomeAdopted
		if divergent {
			res.Outcome = OutcomeAdoptedWithDivergence
			r.reason("decision.reason.divergence_recorded", "reserved", strconv.Itoa(len(rec.Reserved)), "dissociated", strconv.Itoa(len(rec.Dissociated)))
		}
	}
	refused := 0
	for _, e := range r.evs {
		if e.Status == EventRefused {
			refused++
		}
	}
	if refused > 0 {
		r.reason("decision.reason.positions_refused", "count", strconv.Itoa(refused))
	}
	informalOK := p.ProceedInformally && (f.Kind == KindAgendaAdoption || f.Kind == KindGeneric)
	notAdopted := func(o OutcomeKind) {
		res.Outcome = o
		if informalOK {
			res.ProceedInformally = true
			r.reason("decision.reason.proceed_informally")
		} else if p.ProceedInformally {
			r.reason("decision.reason.informal_not_applicable", "kind", string(f.Kind))
		}
	}
	if r.final {
		res.DecidedAt = r.endAt
		switch {
		case r.cause == "defer":
			res.Outcome = OutcomeDeferred
			r.reason("decision.reason.deferred_by_chair", "at", TimeArg(r.endAt))
		case p.Modality == ModalityAdvisorySurvey:
			res.Outcome = OutcomeDeferred
			r.reason("decision.reason.advisory_only",
				"support", strconv.Itoa(len(rec.Supported)+len(rec.NoObjection)),
				"objection", strconv.Itoa(len(rec.Objected)),
				"reservation", strconv.Itoa(len(rec.Reserved)+len(rec.Dissociated)),
				"abstention", strconv.Itoa(len(rec.Abstained)),
				"silent", strconv.Itoa(len(rec.Silent)))
		case p.Modality == ModalityChairDecision:
			if r.cause == "proposal" {
				r.reason("decision.reason.adopted_on_proposal", "at", TimeArg(r.endAt))
			} else {
				r.reason("decision.reason.chair_decided", "at", TimeArg(r.endAt))
			}
			adopt()
			if len(rec.Objected) > 0 {
				// The objections do not block, but they are divergence.
				res.Outcome = OutcomeAdoptedWithDivergence
				r.reason("decision.reason.objections_noted", "states", decisionStates(rec.Objected))
			}
		case p.Modality == ModalityChairProposalSilence:
			if len(rec.Objected) > 0 {
				notAdopted(OutcomeSilenceBroken)
				r.reason("decision.reason.silence_broken", "states", decisionStates(rec.Objected), "at", TimeArg(r.endAt))
			} else {
				r.reason("decision.reason.silence_expired", "deadline", TimeArg(r.endAt))
				adopt()
			}
		default: // consensus, consensus approval, plenary
			if len(rec.Objected) > 0 {
				r.reason("decision.reason.no_consensus", "states", decisionStates(rec.Objected))
				if p.NoConsensus == OutcomeDeferred {
					res.Outcome = OutcomeDeferred
					r.reason("decision.reason.no_consensus_deferred")
				} else {
					notAdopted(OutcomeNotAdopted)
				}
			} else {
				r.reason("decision.reason.consensus", "at", TimeArg(r.endAt))
				adopt()
			}
		}
		// What remains possible after the outcome.
		switch {
		case res.Outcome.Adopted():
			add(ActorChair, ActionRecordOutcome, "decision.next.record_outcome", time.Time{})
		case res.Outcome == OutcomeDeferred:
			add(ActorChair, ActionRevise, "decision.next.revise_proposal", time.Time{})
		default:
			if res.ProceedInformally {
				add(ActorChair, ActionProceedInformally, "decision.next.proceed_informally", time.Time{})
			}
			add(ActorChair, ActionConsult, "decision.next.consult", time.Time{})
			add(ActorChair, ActionRevise, "decision.next.revise_proposal", time.Time{})
			add(ActorChair, ActionRecordOutcome, "decision.next.record_outcome", time.Time{})
		}
		if p.LateExplanations {
			add(ActorStates, ActionExplain, "decision.next.explain", time.Time{})
		}
		key := closedKey(res.Outcome)
		for _, i := range r.closed {
			r.evs[i].Key = key
		}
		res.Reasons, res.Next = r.reasons, next
		return res
	}

	// Pending: what each actor may still do.
	res.Outcome = OutcomePending
	until := r.deadline
	open := until.IsZero() || r.now.Before(until)
	switch p.Modality {
	case ModalityChairDecision:
		r.reason("decision.reason.awaiting_chair")
		add(ActorChair, ActionDecide, "decision.next.decide", time.Time{})
	case ModalityChairProposalSilence:
		r.reason("decision.reason.silence_running", "deadline", TimeArg(until))
		add(ActorStates, ActionObject, "decision.next.object", until)
	case ModalityPlenaryDecision:
		r.reason("decision.reason.awaiting_plenary")
		add(ActorChair, ActionDecide, "decision.next.decide_formal", time.Time{})
	case ModalityAdvisorySurvey:
		r.reason("decision.reason.survey_open", "deadline", TimeArg(until))
		add(ActorChair, ActionDecide, "decision.next.close_survey", time.Time{})
	default:
		if until.IsZero() {
			r.reason("decision.reason.awaiting_decision")
		} else {
			r.reason("decision.reason.awaiting_decision_until", "deadline", TimeArg(until))
		}
		add(ActorChair, ActionDecide, "decision.next.decide", time.Time{})
	}
	if len(rec.Objected) > 0 {
		r.reason("decision.reason.objection_outstanding", "states", decisionStates(rec.Objected))
		if p.Modality != ModalityChairDecision && p.Modality != ModalityAdvisorySurvey {
			add(ActorChair, ActionConsult, "decision.next.consult", time.Time{})
			add(ActorChair, ActionRevise, "decision.next.revise_proposal", time.Time{})
			for _, e := range rec.Objected {
				if e.Via == "" {
					add(e.State, ActionWithdraw, "decision.next.withdraw_objection", until)
				} else {
					add(e.Via, ActionWithdraw, "decision.next.withdraw_objection", until)
				}
			}
		}
	}
	if open {
		add(ActorStates, ActionTakePosition, "decision.next.take_position", until)
		add(ActorStates, ActionWithdraw, "decision.next.withdraw", until)
	} else {
		r.reason("decision.reason.positions_closed", "deadline", TimeArg(until))
	}
	deferUntil := time.Time{}
	if usesDeadline(p.Modality) {
		deferUntil = until // the deadline decides first
	}
	add(ActorChair, ActionDefer, "decision.next.defer", deferUntil)
	next = decisionDedupNext(next)
	res.Reasons, res.Next = r.reasons, next
	return res
}

// decisionDedupNext drops repeated (actor, action) pairs, keeping the first.
func decisionDedupNext(ns []Next) []Next {
	out := ns[:0]
	for _, n := range ns {
		if !slices.ContainsFunc(out, func(o Next) bool { return o.Actor == n.Actor && o.Action == n.Action }) {
			out = append(out, n)
		}
	}
	return out
}

// CheckPosition reports whether pos, made at now, would be accepted: the
// actor takes part, the position is well-formed, it is neither late nor after
// the outcome, and a withdrawal has something to withdraw. pos.At is ignored.
func (f Facts) CheckPosition(p Policy, pos Position, now time.Time) error {
	if err := pos.decisionCheck("position"); err != nil {
		return err
	}
	r, err := decisionEvaluate(p, f, now)
	if err != nil {
		return err
	}
	return f.checkPosition(p, r, pos, now, f.PositionsBy(pos.Actor))
}

// checkPosition is CheckPosition on the facts already evaluated at now,
// with the number of positions the actor has recorded.
func (f Facts) checkPosition(p Policy, r *decisionRun, pos Position, now time.Time, n int) error {
	if _, isGroup := r.members[pos.Actor]; !r.part[pos.Actor] && !isGroup {
		return concord.Errorf(concord.EForbidden, "actor", "decision.error.not_participant", "%s does not take part in this decision", pos.Actor)
	}
	if now.Before(f.ProposedAt) {
		return concord.Errorf(concord.EConflict, "at", "decision.error.before_proposal", "the proposal has not been made yet")
	}
	lateOK := pos.Kind == PositionExplanation && p.LateExplanations
	if !r.deadline.IsZero() && !now.Before(r.deadline) && !lateOK {
		return concord.Errorf(concord.EConflict, "at", "decision.error.late", "the deadline (%s) has passed", TimeArg(r.deadline))
	}
	if r.final && !lateOK {
		return concord.Errorf(concord.EConflict, "at", r.closedKey(), "closed at %s (%s)", TimeArg(r.endAt), r.cause)
	}
	if n >= MaxPositionsPerActor {
		return concord.Errorf(concord.EInvalid, "", "decision.error.too_many_positions", "%s has recorded %d positions, the most one actor may record", pos.Actor, n)
	}
	if pos.Kind == PositionWithdrawal {
		m := r.tr.own
		if _, isGroup := r.members[pos.Actor]; isGroup {
			m = r.tr.grp
		}
		if i, ok := m[pos.Actor]; !ok || r.evs[i].Position.Kind == PositionWithdrawal {
			return concord.Errorf(concord.EConflict, "kind", "decision.error.nothing_to_withdraw", "%s has no position to withdraw", pos.Actor)
		}
	}
	return nil
}

// MaxPositionsPerActor is the most positions one State or group may record
// on one decision. A later position supersedes an earlier one, so real
// changes of mind fit easily; the bound keeps one account from filling the
// record (and every page that shows it) with thousands of entries.
const MaxPositionsPerActor = 20

// PositionsBy counts the positions actor has recorded on f, of every kind.
func (f Facts) PositionsBy(actor string) int {
	n := 0
	for _, x := range f.Positions {
		if x.Actor == actor {
			n++
		}
	}
	return n
}

// closedKey says why positions and acts are closed once the run is final.
// It follows the outcome, not the act that ended the run: a broken silence,
// a deferral (by the Chair, by a withdrawal, or for lack of consensus) and a
// non-adoption decided nothing, so "the decision has been taken" would be
// untrue there.
func (r *decisionRun) closedKey() string {
	return closedKey(r.result().Outcome)
}

// closedKey gives the refusal message for a position or act after outcome o.
func closedKey(o OutcomeKind) string {
	switch o {
	case OutcomeSilenceBroken:
		return "decision.error.silence_broken"
	case OutcomeDeferred:
		return "decision.error.deferred"
	case OutcomeNotAdopted:
		return "decision.error.not_adopted"
	}
	return "decision.error.after_outcome"
}

// OpenPositionsFor is OpenPositions for a form that names its actor among
// actors (the Secretariat's, recording for any State or group): the actors
// that may record a position now, and the kinds every one of them may
// record, so that no actor and kind the form offers together is refused.
// The facts are evaluated once, not once per actor and kind.
func (f Facts) OpenPositionsFor(p Policy, actors []string, now time.Time) (kinds []PositionKind, open []string) {
	r, err := decisionEvaluate(p, f, now)
	if err != nil {
		return nil, nil
	}
	counts := map[string]int{}
	for _, x := range f.Positions {
		counts[x.Actor]++
	}
	every := map[PositionKind]int{}
	for _, a := range actors {
		var mine []PositionKind
		for _, k := range PositionKinds {
			pos := Position{Actor: a, Kind: k}
			if pos.decisionCheck("position") == nil && f.checkPosition(p, r, pos, now, counts[a]) == nil {
				mine = append(mine, k)
			}
		}
		if len(mine) == 0 {
			continue
		}
		open = append(open, a)
		for _, k := range mine {
			every[k]++
		}
	}
	for _, k := range PositionKinds {
		if len(open) > 0 && every[k] == len(open) {
			kinds = append(kinds, k)
		}
	}
	return kinds, open
}

// OpenPositions lists the positions (of PositionKinds, in that order) actor
// may take at now: those CheckPosition accepts. A form offers these and no
// other, so it never offers a choice it then refuses; none once the
// positions are closed (an explanation of position may remain when the
// policy takes late explanations).
func (f Facts) OpenPositions(p Policy, actor string, now time.Time) []PositionKind {
	// The facts evaluated once, not once per kind.
	kinds, _ := f.OpenPositionsFor(p, []string{actor}, now)
	return kinds
}

// OpenActs lists the Chair's acts SubmitAct accepts at now (a formal one,
// where the policy asks for a formal meeting): none after the outcome, no
// "decide" on a silence procedure.
func (f Facts) OpenActs(p Policy, now time.Time) []ActKind {
	var out []ActKind
	for _, k := range []ActKind{ActDecide, ActDefer} {
		g := f
		g.Acts = slices.Clone(f.Acts)
		if _, err := g.SubmitAct(p, Act{Kind: k, Formal: true}, now); err == nil {
			out = append(out, k)
		}
	}
	return out
}

// SubmitPosition checks pos (CheckPosition) and, when it is accepted,
// appends it to f with At = now and the next sequence number. It returns the
// stored position.
func (f *Facts) SubmitPosition(p Policy, pos Position, now time.Time) (Position, error) {
	if err := f.CheckPosition(p, pos, now); err != nil {
		return Position{}, err
	}
	var seq int64
	for _, x := range f.Positions {
		seq = max(seq, x.Seq)
	}
	pos.At, pos.Seq = now, seq+1
	pos.Paragraphs = slices.Clone(pos.Paragraphs)
	f.Positions = append(f.Positions, pos)
	return pos, nil
}

// SubmitAct checks a Chair act made at now and, when it applies, appends it
// to f: no act after the outcome, no "decide" on a silence procedure, and
// only a formal "decide" under plenary_decision.
func (f *Facts) SubmitAct(p Policy, a Act, now time.Time) (Act, error) {
	if a.Kind != ActDecide && a.Kind != ActDefer {
		return Act{}, concord.Errorf(concord.EInvalid, "kind", "decision.error.act_kind", "unknown act %q", a.Kind)
	}
	r, err := decisionEvaluate(p, *f, now)
	if err != nil {
		return Act{}, err
	}
	if r.final {
		return Act{}, concord.Errorf(concord.EConflict, "at", r.closedKey(), "closed at %s (%s)", TimeArg(r.endAt), r.cause)
	}
	if now.Before(f.ProposedAt) {
		return Act{}, concord.Errorf(concord.EConflict, "at", "decision.error.before_proposal", "the proposal has not been made yet")
	}
	if a.Kind == ActDecide && p.Modality == ModalityChairProposalSilence {
		return Act{}, concord.Errorf(concord.EConflict, "kind", "decision.error.act_not_applicable", "a silence procedure ends at its deadline or on an objection")
	}
	if a.Kind == ActDecide && p.Modality == ModalityPlenaryDecision && !a.Formal {
		return Act{}, concord.Errorf(concord.EConflict, "formal", "decision.error.informal_act", "the plenary decides only in a formal meeting")
	}
	var seq int64
	for _, x := range f.Acts {
		seq = max(seq, x.Seq)
	}
	a.At, a.Seq = now, seq+1
	f.Acts = append(f.Acts, a)
	return a, nil
}

// Alternatives returns policy under each of the six modalities, in
// Modalities order, keeping its other fields. A modality that needs a
// deadline gets DefaultPeriod when the policy has no period.
func Alternatives(policy Policy) []Policy {
	out := make([]Policy, 0, len(Modalities))
	for _, m := range Modalities {
		q := policy
		q.Modality = m
		if q.Period == 0 && NeedsDeadline(m) {
			q.Period = DefaultPeriod
		}
		out = append(out, q)
	}
	return out
}

// Deadline is the deadline Decide applies to f under p: the facts' own,
// else the policy's period from the proposal when the modality ends at a
// deadline; zero when there is none.
func Deadline(p Policy, f Facts) time.Time {
	if f.Deadline.IsZero() && p.Period > 0 && usesDeadline(p.Modality) {
		return f.ProposedAt.Add(p.Period)
	}
	return f.Deadline
}

// NextChange is the earliest instant after now at which what Decide makes
// of f, under p or under any of its Alternatives (the simulation shown
// beside it), may change although no fact is added: a deadline not yet
// reached. Zero when there is none. A cache keeps an answer built from f
// until then at most.
func NextChange(p Policy, f Facts, now time.Time) time.Time {
	var t time.Time
	for _, q := range append([]Policy{p}, Alternatives(p)...) {
		if d := Deadline(q, f); d.After(now) && (t.IsZero() || d.Before(t)) {
			t = d
		}
	}
	return t
}

// Simulation is one row of a simulation: a policy and what Decide
// made of the facts under it (or why it could not).
type Simulation struct {
	Policy Policy
	Result Result
	Err    error
}

// Simulate runs Decide on the same facts under each policy, so that
// outcomes can be shown side by side ("what would this have produced under
// consensus approval instead of chair appointment?").
func Simulate(facts Facts, policies []Policy, now time.Time) []Simulation {
	out := make([]Simulation, len(policies))
	for i, p := range policies {
		res, err := Decide(p, facts, now)
		out[i] = Simulation{Policy: p, Result: res, Err: err}
	}
	return out
}

// GroupOf returns a lookup from ISO3 to the regional group a State
// counts in for elections at t: its "full" or "observer" membership, never a
// "dual" one (Türkiye counts in WEOG). "" when none (the Holy See,
// Palestine).
func GroupOf(states []concord.State, t time.Time) func(iso3 string) string {
	m := make(map[string]string, len(states))
	for _, s := range states {
		for _, g := range s.Groups {
			if g.Kind != concord.KindDual && g.Current(t) {
				m[s.ISO3] = g.Group
				break
			}
		}
	}
	return func(iso3 string) string { return m[iso3] }
}

// Standing is the agreement-and-divergence record of positions on a
// subject that is not a decision (an agenda item, a topic: doc/record.md,
// "Positions: one model"), as they stand at now: the record Decide builds,
// with the same tracker, so a group's position applies to its members
// unless a member spoke for itself, and a withdrawal silences its actor.
// There is no policy, deadline or outcome: every position made by now
// counts, from participants and from groups.
func Standing(participants []string, groups []Group, positions []Position, now time.Time) Record {
	r := &decisionRun{f: Facts{Participants: participants, Groups: groups, Positions: positions}, now: now}
	r.index()
	r.tr = r.newTracker(true)
	for i := range r.evs {
		if r.evs[i].Status == "" {
			r.tr.apply(i)
		}
	}
	return r.record()
}
