// Package decide runs decisions under contested modalities: it keeps the
// facts (proposal, positions, Chair acts) and the policy in the store, and
// asks the pure engine (decision.Decide) for the outcome, the record of
// agreement and divergence, and what each actor may still do, on every read.
// Pages and the API both call it.
package decide

import (
	"concord/decision"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
)

// Service is the decision process of one Concord process.
type Service struct {
	DB      *store.DB
	Process string
	// Email sends notices (a decision opened, reminders) by email too,
	// through the outbox; BaseURL starts the links in them.
	Email   bool
	BaseURL string

	briefers brieferCache // the last list of nominations (briefers.go)
}

// NewDecision is a proposal as the Chair or the Secretariat enters it.
type NewDecision struct {
	Kind              decision.Kind
	Title             concord.Text
	Proposal          concord.Text
	Modality          decision.Modality
	PeriodHours       int // for silence and survey: deadline = proposal + period
	NoConsensus       decision.OutcomeKind
	ProceedInformally bool
}

// Create records a proposal. Participants are the Member States; named
// groups of the registry may speak on behalf of their members. Every
// problem of the proposal is reported at once (concord.Errors).
func (s *Service) Create(ctx context.Context, u *concord.User, in NewDecision) (store.Decision, error) {
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return store.Decision{}, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair or the Secretariat propose")
	}
	type opening struct {
		parts Participants
		d     store.Decision
	}
	o, err := apply.Write[opening]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (opening, error) {
			parts, err := LoadParticipants(r)
			return opening{parts: parts}, err
		},
		Change: func(o *opening, now time.Time) error {
			var err error
			o.d, err = s.prepareNew(o.parts, in, now)
			return err
		},
		Save:    func(tx *store.Tx, o *opening) error { return tx.SaveDecision(&o.d, "decision.propose") },
		Notices: func(o opening) []store.Notice { return openedNotices(o.d, o.d.Facts.ProposedAt) },
		Mail:    s.mail,
	}.Run(ctx, s.DB)
	return o.d, err
}

// Check validates a proposal as Create would, without recording it: every
// problem at once. A form whose field never reached the input (a period
// that is not a number) reports the others with it.
func (s *Service) Check(ctx context.Context, in NewDecision) error {
	parts, err := LoadParticipants(s.DB.Read(ctx))
	if err != nil {
		return err
	}
	_, err = s.prepareNew(parts, in, s.DB.Now())
	return err
}

// prepareNew builds and validates the decision a proposal opens at now,
// collecting the problems of every field.
func (s *Service) prepareNew(parts Participants, in NewDecision, now time.Time) (store.Decision, error) {
	if in.Kind == "" {
		in.Kind = decision.KindGeneric
	}
	if in.NoConsensus == "" {
		in.NoConsensus = decision.OutcomeNotAdopted
	}
	var errs concord.Errors
	if strings.TrimSpace(firstText(in.Title)) == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "title", "error.required", "a title is required"))
	}
	if in.PeriodHours < 0 || in.PeriodHours > 24*90 {
		errs.Add(concord.Errorf(concord.EInvalid, "period", "error.period", "the period must be 0 to 2,160 hours"))
	}
	d := newDecision(parts, s.Process, Proposal{Kind: in.Kind, Title: in.Title, Proposal: in.Proposal, ProposedBy: decision.ActorChair,
		Policy: decision.Policy{Code: s.Process + "-" + string(in.Kind), Version: 1, Effective: now, Modality: in.Modality,
			Period: time.Duration(in.PeriodHours) * time.Hour, NoConsensus: in.NoConsensus, ProceedInformally: in.ProceedInformally}}, now)
	var found concord.Errors
	found.Add(validateDecision(d))
	for _, e := range found {
		// The range above already said what is wrong with the period.
		if e.Field != "period" || !slices.ContainsFunc(errs, func(x *concord.Error) bool { return x.Field == "period" }) {
			errs.Add(e)
		}
	}
	return d, errs.Err()
}

// Proposal is a decision one of the applications (agendas, co-facilitators,
// topics, briefers) opens on its subject, under the policy its rule in force
// gives.
type Proposal struct {
	Kind       decision.Kind
	Title      concord.Text
	Proposal   concord.Text
	Policy     decision.Policy
	ProposedBy string // DecisionActorChair or the proposing State's ISO3
	Subject    string // SubjectOf(record kind, record id); Open sets it
	Deadline   time.Time
}

// Participants are who takes part in a decision: the Member States, and
// the named groups of the registry that may speak for their members.
type Participants struct {
	States []string
	Groups []decision.Group
}

// LoadParticipants reads who takes part through r: a write reads them
// inside its transaction, in its Load step.
func LoadParticipants(r store.Reader) (Participants, error) {
	var out Participants
	states, err := r.States()
	if err != nil {
		return out, err
	}
	groups, _, err := r.Organizations(store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 1000})
	if err != nil {
		return out, err
	}
	members, err := r.OrganizationMembers()
	if err != nil {
		return out, err
	}
	for _, st := range states {
		if st.Status == "member" {
			out.States = append(out.States, st.ISO3)
		}
	}
	for _, g := range groups {
		if m := members[g.ID]; len(m) > 0 {
			out.Groups = append(out.Groups, decision.Group{Code: GroupCode(g.ID), Names: g.Names, Members: m})
		}
	}
	return out, nil
}

// Propose is the one way a decision is opened: it builds the decision for p
// with the participants pt, proposed at the transaction's instant,
// validates it and saves it (audited "decision.propose").
func Propose(tx *store.Tx, pt Participants, process string, p Proposal) (store.Decision, error) {
	d := newDecision(pt, process, p, tx.Now)
	if err := validateDecision(d); err != nil {
		return d, err
	}
	return d, tx.SaveDecision(&d, "decision.propose")
}

// newDecision is the decision p opens with the participants pt, proposed
// at now.
func newDecision(pt Participants, process string, p Proposal, now time.Time) store.Decision {
	return store.Decision{Process: process, Title: p.Title, Policy: p.Policy,
		Facts: decision.Facts{Kind: p.Kind, Subject: p.Subject, Proposal: p.Proposal, ProposedBy: p.ProposedBy, ProposedAt: now.UTC(),
			Deadline: p.Deadline, Participants: slices.Clone(pt.States), Groups: slices.Clone(pt.Groups)}}
}

// validateDecision checks d's policy and facts both, so that a proposal's
// faults in its policy (modality) and its facts (kind, text) are reported
// together.
func validateDecision(d store.Decision) error {
	var errs concord.Errors
	errs.Add(d.Policy.Validate())
	errs.Add(d.Facts.Validate())
	return errs.Err()
}

// Open opens the decision on rec's subject (Propose, with rec as the
// subject) and links rec to it, saved under action. rec is already stored.
func Open[T any](tx *store.Tx, pt Participants, p Proposal, rec *store.Record[T], action string) (store.Decision, error) {
	p.Subject = SubjectOf(rec.Kind, rec.ID)
	d, err := Propose(tx, pt, rec.Process, p)
	if err != nil {
		return d, err
	}
	rec.DecisionID = d.ID
	return d, store.SaveRecord(tx, rec, action, true)
}

// The kinds of procedure records (store.Record.Kind), one per subject.
const (
	KindAgenda       = "agenda"           // an agenda version (agenda.Agenda)
	KindCoFacNominee = "cofac-nomination" // a co-facilitator candidate
	KindCoFacSet     = "cofac-set"        // a set of co-facilitators proposed for a DTG
	KindTopicRound   = "topic-round"      // a DTG's topic suggestions, survey and proposal
	KindBriefer      = "briefer"          // an external briefer's nomination
)

// SubjectOf names a record as a decision's subject ("agenda:12"), so the
// decision page can link back to it.
func SubjectOf(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

func firstText(t concord.Text) string { s, _, _ := t.In("en"); return s }

// GroupCode names a registry group as a decision actor.
func GroupCode(orgID int64) string { return "group-" + strconv.FormatInt(orgID, 10) }

// PositionInput is a position as submitted.
type PositionInput struct {
	Actor string // ISO3; a group code (group-N) for a group, recorded by the Secretariat
	Kind  decision.PositionKind
	Text  string
	Lang  string
	// Source is where it was taken when not on the decision page: a
	// statement ("statement:12", internal/statements).
	Source string
}

// normalise fills a delegate's own State as the default actor and writes
// the actor as decisions write it (ISO3 in capitals, group-N as is).
func (in *PositionInput) normalise(u *concord.User) {
	in.Actor = strings.TrimSpace(in.Actor)
	if u != nil && u.Role == concord.RoleDelegate && in.Actor == "" {
		in.Actor = u.State // a delegate speaks for its State by default
	}
	if !strings.HasPrefix(in.Actor, "group-") {
		in.Actor = strings.ToUpper(in.Actor)
	}
}

// AllowPosition is the permission on a position: a delegate for its own
// State (when its delegation lets it speak) and for a named group while it
// is the group's speaker; the Secretariat for any State or group, as taken
// in the room.
func AllowPosition(u *concord.User, actor string) error {
	target := concord.Target{State: actor}
	if strings.HasPrefix(actor, "group-") {
		target = concord.Target{Group: actor} // a group's speaker, or the Secretariat
	}
	if !concord.Can(u, concord.ActTakePosition, target) {
		return concord.Errorf(concord.EForbidden, "actor", "error.forbidden", "a delegate takes positions for its own State only")
	}
	return nil
}

// SubmitPosition is the one way a position enters a decision's facts, at
// now: from the decision page (TakePosition) and from a statement that
// carries it (internal/statements, inside its own write), so that the
// outcome and the record see both alike.
func SubmitPosition(d *store.Decision, in PositionInput, now time.Time) (decision.Position, error) {
	p, err := d.Facts.SubmitPosition(d.Policy, decision.Position{Actor: in.Actor, Kind: in.Kind, Text: strings.TrimSpace(in.Text), Lang: in.Lang, Source: in.Source}, now)
	return p, requestField(err)
}

// TakePosition records a position from the decision page (see
// AllowPosition for who may).
func (s *Service) TakePosition(ctx context.Context, u *concord.User, id int64, in PositionInput) (store.Decision, error) {
	in.normalise(u)
	if err := AllowPosition(u, in.Actor); err != nil {
		return store.Decision{}, err
	}
	return apply.Write[store.Decision]{Actor: u, Load: s.loadDecision(id),
		Change: func(d *store.Decision, now time.Time) error {
			_, err := SubmitPosition(d, in, now)
			return err
		},
		Save:    func(tx *store.Tx, d *store.Decision) error { return tx.SaveDecision(d, "decision.position") },
		Notices: objectionNotices,
		Mail:    s.mail}.Run(ctx, s.DB)
}

// Act records a Chair act (decide or defer).
func (s *Service) Act(ctx context.Context, u *concord.User, id int64, kind decision.ActKind, formal bool, statement concord.Text) (store.Decision, error) {
	if !concord.Can(u, concord.ActChairDecision, concord.Target{}) {
		return store.Decision{}, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair (or the Secretariat for the Chair) acts on a decision")
	}
	return apply.Write[store.Decision]{Actor: u, Load: s.loadDecision(id),
		Change: func(d *store.Decision, now time.Time) error {
			_, err := d.Facts.SubmitAct(d.Policy, decision.Act{Kind: kind, Formal: formal, Text: statement}, now)
			return err
		},
		Save: func(tx *store.Tx, d *store.Decision) error { return tx.SaveDecision(d, "decision.act") }}.Run(ctx, s.DB)
}

// loadDecision is the Load step of a write on decision id.
func (s *Service) loadDecision(id int64) func(store.Reader, time.Time) (store.Decision, error) {
	return func(r store.Reader, _ time.Time) (store.Decision, error) { return r.Decision(id) }
}

// Result is the outcome of d now.
func (s *Service) Result(d store.Decision) (decision.Result, error) {
	return decision.Decide(d.Policy, d.Facts, s.DB.Now().UTC())
}

// Simulate runs the same facts under every alternative modality.
func (s *Service) Simulate(d store.Decision) []decision.Simulation {
	return decision.Simulate(d.Facts, decision.Alternatives(d.Policy), s.DB.Now().UTC())
}

// requestField names an engine error's field as the request does ("kind",
// not "position.kind").
func requestField(err error) error {
	var de *concord.Error
	if errors.As(err, &de) && strings.HasPrefix(de.Field, "position.") {
		c := *de
		c.Field = strings.TrimPrefix(de.Field, "position.")
		return &c
	}
	return err
}

// CheckMember refuses iso3 unless it is a Member State: unknown codes with
// error.state_code, observers with notMember; field names the form control.
func (s *Service) CheckMember(ctx context.Context, iso3, field, notMember string) error {
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(states, func(x concord.State) bool { return x.ISO3 == iso3 })
	if i < 0 {
		return concord.Errorf(concord.EInvalid, field, "error.state_code", "unknown State %q", iso3)
	}
	if states[i].Status != "member" {
		return concord.Errorf(concord.EInvalid, field, notMember, "%s is not a Member State", iso3)
	}
	return nil
}

// Outcome is a decision with its result.
type Outcome struct {
	Decision store.Decision
	Result   decision.Result
}

// OutcomeWindow is how many of the newest decisions the outcomes feed
// reads: an outcome comes soon after its decision opens (a silence
// procedure lasts days), so the outcomes of the last hundred decisions are
// the recent outcomes.
const OutcomeWindow = 100

// Outcomes lists the final outcomes among the OutcomeWindow newest
// decisions, latest decided first, in one statement. Reading a decision
// tells a cache until when its result holds (a deadline passes without a
// write), so a cached feed gains an outcome when it falls.
func (s *Service) Outcomes(ctx context.Context) ([]Outcome, error) {
	ds, err := s.DB.Read(ctx).RecentDecisions(s.Process, OutcomeWindow)
	if err != nil {
		return nil, err
	}
	var out []Outcome
	for _, d := range ds {
		res, err := s.Result(d)
		if err != nil {
			return nil, err
		}
		if res.Final() {
			out = append(out, Outcome{d, res})
		}
	}
	slices.SortStableFunc(out, func(a, b Outcome) int { return b.Result.DecidedAt.Compare(a.Result.DecidedAt) })
	return out, nil
}
