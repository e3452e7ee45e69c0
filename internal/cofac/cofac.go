// Package cofac runs the appointment of the co-facilitators of the
// Dedicated Thematic Groups (domain brief §5 rows 1–2, §7.6): States
// nominate candidates for a DTG and a term, the Chair puts a set forward,
// the pair rules of the version in force check it, and a balanced set opens
// a decision under the appointment mode that version names (the Chair
// appoints, a silence procedure, or consensus approval). Appointed sets are
// the seats the rotation rule of later terms looks back on. Pages and the
// API both call it; the rules and the guards of the next acts
// (cofacilitator.Slate) are the pure functions of package cofacilitator, and
// every write is an apply.Write.
package cofac

import (
	"concord/cofacilitator"
	"concord/decision"
	"concord/rule"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/decide"
	"concord/internal/store"
)

// Service runs co-facilitator nominations and appointments for a process.
type Service struct {
	DB      *store.DB
	Decide  *decide.Service
	Process string
}

// Nomination is a stored nomination (Kind decide.KindCoFacNominee, Scope the
// DTG code). Doc.ID carries the record's id.
type Nomination = store.Record[cofacilitator.Nomination]

// Set is a stored set (Kind decide.KindCoFacSet, Scope the DTG code).
type Set = store.Record[cofacilitator.Set]

// NominationInput is a nomination as a delegate or the Secretariat enters
// it. A delegate's State is its own when State is empty.
type NominationInput struct {
	DTG       string
	Term      string
	Person    string
	State     string
	Gender    string
	Expertise []string
}

// SetInput is the Chair's choice of nominations for a DTG.
type SetInput struct {
	DTG         string
	Nominations []int64
}

// SetView is a stored set with its decision and its state now.
type SetView struct {
	Set
	Decision store.Decision
	Result   cofacilitator.Result
}

// UnbalancedError refuses a set that fails a pair rule. It carries every
// check (passes, warnings and failures, each with its explanation key) and
// unwraps to an invalid-input error, so the pages and the API answer 422.
type UnbalancedError struct {
	Set cofacilitator.Set
}

// Error names the rules the set fails.
func (e *UnbalancedError) Error() string { return e.Unwrap().Error() }

// Unwrap is the domain error the HTTP layers map to 422.
func (e *UnbalancedError) Unwrap() error {
	var failed []string
	for _, c := range e.Set.Checks {
		if c.Status == cofacilitator.Fail {
			failed = append(failed, string(c.Rule))
		}
	}
	return concord.Errorf(concord.EInvalid, "nominations", "cofac.error.unbalanced", "the set fails the rules %s", strings.Join(failed, ", "))
}

// anyState stands for "some State" in a permission check: a co-facilitator
// candidate is always a State's, so the Chair, who nominates only in its own
// name (concord.ActNominate without a State), is refused even before the
// State is known.
const anyState = "*"

// mayNominate reports whether u may nominate (or withdraw) a candidate of
// state; with state "" whether u may for some State.
func mayNominate(u *concord.User, state string) bool {
	if state == "" && u != nil && u.Role == concord.RoleDelegate {
		state = u.State
	}
	if state == "" {
		state = anyState
	}
	return concord.Can(u, concord.ActNominate, concord.Target{State: state})
}

// SplitExpertise reads comma-separated expertise tags, as forms send them.
func SplitExpertise(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// cleanTags trims tags and drops empty and repeated ones (ignoring case).
func cleanTags(in []string) []string {
	var out []string
	for _, t := range in {
		t = strings.Join(strings.Fields(t), " ")
		if t != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

func withID(n Nomination) Nomination {
	n.Doc.ID = strconv.FormatInt(n.ID, 10)
	return n
}

// Nominate records a candidate: a delegate for its own State, the
// Secretariat for any. A State may not nominate the same person twice for
// the same DTG and term while the first nomination stands.
func (s *Service) Nominate(ctx context.Context, u *concord.User, in NominationInput) (Nomination, error) {
	st := strings.ToUpper(strings.TrimSpace(in.State))
	if st == "" && u != nil && u.Role == concord.RoleDelegate {
		st = u.State
	}
	if !mayNominate(u, st) {
		return Nomination{}, concord.Errorf(concord.EForbidden, "state", "error.forbidden", "a delegate nominates for its own State; the Secretariat for any State")
	}
	n := cofacilitator.Nomination{Person: strings.TrimSpace(in.Person), State: st, Gender: in.Gender,
		Expertise: cleanTags(in.Expertise), DTG: strings.TrimSpace(in.DTG), Term: strings.TrimSpace(in.Term)}
	if err := n.CheckEntry(); err != nil {
		return Nomination{}, err
	}
	if err := s.Decide.CheckMember(ctx, st, "state", "cofac.error.member"); err != nil {
		return Nomination{}, err
	}
	rec := Nomination{Process: s.Process, Kind: decide.KindCoFacNominee, Scope: n.DTG, Doc: n}
	_, err := apply.Write[cofacilitator.Slate]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (cofacilitator.Slate, error) {
			noms, err := s.nominations(r, n.DTG)
			return cofacilitator.Slate{Nominations: noms}, err
		},
		Change: func(sl *cofacilitator.Slate, _ time.Time) error { return sl.CanNominate(n) },
		Save: func(tx *store.Tx, _ *cofacilitator.Slate) error {
			return store.SaveRecord(tx, &rec, "cofac.nominate", true)
		}}.Run(ctx, s.DB)
	return withID(rec), err
}

// nominations reads a DTG's nominations ("" for every DTG) through r, each
// with its ID.
func (s *Service) nominations(r store.Reader, dtg string) ([]cofacilitator.Nomination, error) {
	recs, err := store.Records[cofacilitator.Nomination](r, s.Process, decide.KindCoFacNominee, dtg)
	out := make([]cofacilitator.Nomination, len(recs))
	for i, rec := range recs {
		out[i] = withID(rec).Doc
	}
	return out, err
}

// slate reads what the next acts on a DTG's co-facilitators ("" for every
// DTG) stand on through r, the sets' states at now.
func (s *Service) slate(r store.Reader, dtg string, now time.Time) (cofacilitator.Slate, []SetView, error) {
	noms, err := s.nominations(r, dtg)
	if err != nil {
		return cofacilitator.Slate{}, nil, err
	}
	vs, err := s.views(r, dtg, now)
	return Slate(noms, vs), vs, err
}

// Slate is the guards' view of nominations and sets.
func Slate(noms []cofacilitator.Nomination, vs []SetView) cofacilitator.Slate {
	sl := cofacilitator.Slate{Nominations: noms}
	for _, v := range vs {
		sl.Sets = append(sl.Sets, cofacilitator.Placed{ID: v.ID, Set: v.Doc, State: v.Result.State})
	}
	return sl
}

// Withdraw withdraws a nomination on behalf of the nominating State (its
// delegate, or the Secretariat), while the candidate is in no set that is
// proposed or holds the seats.
func (s *Service) Withdraw(ctx context.Context, u *concord.User, id int64) (Nomination, error) {
	if !mayNominate(u, "") {
		return Nomination{}, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the nominating State or the Secretariat withdraws a nomination")
	}
	type withdrawal struct {
		rec   Nomination
		slate cofacilitator.Slate
	}
	x, err := apply.Write[withdrawal]{Actor: u,
		Load: func(r store.Reader, now time.Time) (withdrawal, error) {
			var x withdrawal
			var err error
			if x.rec, err = store.GetRecord[cofacilitator.Nomination](r, decide.KindCoFacNominee, id); err != nil {
				return x, err
			}
			if x.rec.Process != s.Process {
				return x, concord.ErrNotFound
			}
			x.rec = withID(x.rec)
			vs, err := s.views(r, x.rec.Scope, now) // the sets alone decide
			x.slate = Slate(nil, vs)
			return x, err
		},
		Allow: func(x withdrawal) error {
			if !mayNominate(u, x.rec.Doc.State) {
				return concord.Errorf(concord.EForbidden, "", "error.forbidden", "only %s or the Secretariat withdraws this nomination", x.rec.Doc.State)
			}
			return nil
		},
		Change: func(x *withdrawal, now time.Time) error {
			if err := x.slate.CanWithdraw(x.rec.Doc); err != nil {
				return err
			}
			x.rec.Doc.WithdrawnAt = now
			x.rec.Doc.ID = "" // the record's id is not stored in its document
			return nil
		},
		Save: func(tx *store.Tx, x *withdrawal) error { return store.SaveRecord(tx, &x.rec, "cofac.withdraw", true) }}.Run(ctx, s.DB)
	return withID(x.rec), err
}

// Nominations lists a DTG's nominations ("" for every DTG), of one term
// ("" for every term), oldest first.
func (s *Service) Nominations(ctx context.Context, dtg, term string) ([]Nomination, error) {
	all, err := store.Records[cofacilitator.Nomination](s.DB.Read(ctx), s.Process, decide.KindCoFacNominee, dtg)
	if err != nil {
		return nil, err
	}
	out := make([]Nomination, 0, len(all))
	for _, n := range all {
		if term == "" || n.Doc.Term == term {
			out = append(out, withID(n))
		}
	}
	return out, nil
}

// views evaluates sets against their decisions at now.
func views(sets []Set, decisions map[int64]store.Decision, now time.Time) ([]SetView, error) {
	out := make([]SetView, len(sets))
	for i, set := range sets {
		d, ok := decisions[set.DecisionID]
		if !ok {
			return nil, fmt.Errorf("co-facilitator set %d: decision %d missing", set.ID, set.DecisionID)
		}
		res, err := set.Doc.Appoint(d.Facts, now)
		if err != nil {
			return nil, fmt.Errorf("co-facilitator set %d: %w", set.ID, err)
		}
		out[i] = SetView{Set: set, Decision: d, Result: res}
	}
	return out, nil
}

func decisionIDs(sets []Set) []int64 {
	ids := make([]int64, 0, len(sets))
	for _, s := range sets {
		ids = append(ids, s.DecisionID)
	}
	return ids
}

// Sets lists a DTG's sets ("" for every DTG) with their state now, newest
// first, in two queries whatever their number.
func (s *Service) Sets(ctx context.Context, dtg string) ([]SetView, error) {
	v, err := s.views(s.DB.Read(ctx), dtg, s.DB.Now().UTC())
	slices.Reverse(v)
	return v, err
}

// views reads a DTG's sets ("" for every DTG) through r with their states
// at now, oldest first, in two queries.
func (s *Service) views(r store.Reader, dtg string, now time.Time) ([]SetView, error) {
	sets, err := store.Records[cofacilitator.Set](r, s.Process, decide.KindCoFacSet, dtg)
	if err != nil {
		return nil, err
	}
	decs, err := r.DecisionsByID(decisionIDs(sets))
	if err != nil {
		return nil, err
	}
	return views(sets, decs, now)
}

// Seats are the seats the held sets among vs occupy, for the rotation rule.
func Seats(vs []SetView) []cofacilitator.Seat {
	var out []cofacilitator.Seat
	for _, v := range vs {
		if v.Result.State.Held() {
			out = append(out, v.Doc.Seats()...)
		}
	}
	return out
}

// SetDetail is a set with the simulation of its appointment under each
// appointment mode, on the same facts.
type SetDetail struct {
	SetView
	Simulation []cofacilitator.Simulation
}

// Set returns one set with its state and simulation now.
func (s *Service) Set(ctx context.Context, id int64) (SetDetail, error) {
	set, err := store.GetRecord[cofacilitator.Set](s.DB.Read(ctx), decide.KindCoFacSet, id)
	if err != nil {
		return SetDetail{}, err
	}
	if set.Process != s.Process {
		return SetDetail{}, concord.ErrNotFound
	}
	d, err := s.DB.GetDecision(ctx, set.DecisionID)
	if err != nil {
		return SetDetail{}, err
	}
	now := s.DB.Now().UTC()
	v, err := views([]Set{set}, map[int64]store.Decision{d.ID: d}, now)
	if err != nil {
		return SetDetail{}, err
	}
	return SetDetail{SetView: v[0], Simulation: set.Doc.Simulate(d.Facts, now)}, nil
}

// ProposeSet puts a set of nominations forward for a DTG (the Chair, or the
// Secretariat for the Chair). The pair rules of the version in force check
// it on the facts of now; a set that fails any rule is refused with every
// check explained and nothing saved. A balanced set is stored with those
// facts and opens the decision on its appointment under the version's mode.
func (s *Service) ProposeSet(ctx context.Context, u *concord.User, in SetInput) (SetView, error) {
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return SetView{}, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair (or the Secretariat for the Chair) proposes co-facilitators")
	}
	// Every problem of the choice at once: the group, the number, each
	// repeated nomination (and, below, each unknown or withdrawn one).
	var errs concord.Errors
	dtg, ok := concord.DTGByCode(strings.TrimSpace(in.DTG))
	if !ok {
		errs.Add(concord.Errorf(concord.EInvalid, "dtg", "cofac.error.dtg", "unknown thematic group %q", in.DTG))
	}
	if len(in.Nominations) == 0 || len(in.Nominations) > 8 {
		errs.Add(concord.Errorf(concord.EInvalid, "nominations", "cofac.error.nominations", "choose the nominations of the set"))
	}
	for i, id := range in.Nominations {
		if slices.Contains(in.Nominations[:i], id) {
			errs.Add(concord.Errorf(concord.EInvalid, "nominations", "cofac.error.nominations", "nomination %d chosen twice", id))
		}
	}
	ids := make([]string, len(in.Nominations))
	for i, id := range in.Nominations {
		ids[i] = strconv.FormatInt(id, 10)
	}
	type proposing struct {
		policy *cofacilitator.Policy // the rule in force
		slate  cofacilitator.Slate   // every DTG's nominations and sets
		all    []SetView
		cats   map[string]string // categories under the rule's scheme
		states []concord.State
		parts  decide.Participants
		set    cofacilitator.Set
		out    SetView
	}
	x, err := apply.Write[proposing]{Actor: u,
		Load: func(r store.Reader, now time.Time) (proposing, error) {
			var x proposing
			var err error
			if _, x.policy, err = decide.RuleInForce[*cofacilitator.Policy](r, s.Process, cofacilitator.RuleCode, now); err != nil {
				return x, err
			}
			// Every DTG's nominations: one chosen for the other group is
			// reported by the dtg rule, with the others, not as unknown.
			if x.slate, x.all, err = s.slate(r, "", now); err != nil {
				return x, err
			}
			if _, x.cats, err = r.Classification(x.policy.Scheme); err != nil {
				return x, err
			}
			if x.states, err = r.States(); err != nil {
				return x, err
			}
			x.parts, err = decide.LoadParticipants(r)
			return x, err
		},
		Change: func(x *proposing, now time.Time) error {
			pair, err := x.slate.Choose(dtg.Code, ids)
			found := slices.Clone(errs) // the request's problems with the choice's
			if found.Add(err); len(found) > 0 {
				return found.Err()
			}
			term := pair[0].Term
			groupOf := decision.GroupOf(x.states, now)
			policy := *x.policy
			x.set = cofacilitator.Set{DTG: dtg.Code, Term: term, Pair: pair, Policy: policy,
				Categories: map[string]string{}, Groups: map[string]string{}, Previous: cofacilitator.PreviousSeats(term, Seats(x.all))}
			for _, n := range pair {
				x.set.Categories[n.State], x.set.Groups[n.State] = x.cats[n.State], groupOf(n.State)
			}
			if x.set.Checks, err = cofacilitator.Balance(policy, x.set.Context(), dtg.Code, pair); err != nil {
				return err
			}
			if !cofacilitator.Balanced(x.set.Checks) {
				return &UnbalancedError{Set: x.set}
			}
			return nil
		},
		Save: func(tx *store.Tx, x *proposing) error {
			rec := Set{Process: s.Process, Kind: decide.KindCoFacSet, Scope: dtg.Code, Doc: x.set}
			if err := store.SaveRecord(tx, &rec, "cofac.propose", true); err != nil {
				return err
			}
			title, proposal := cofacilitator.SetText(dtg, x.set.Term, x.set.Pair)
			d, err := decide.Open(tx, x.parts, decide.Proposal{Kind: decision.KindCoFacilitatorAppointment, Title: title, Proposal: proposal,
				Policy: x.policy.Decision(), ProposedBy: decision.ActorChair}, &rec, "cofac.decision")
			if err != nil {
				return err
			}
			vs, err := views([]Set{rec}, map[int64]store.Decision{d.ID: d}, tx.Now)
			if err != nil {
				return err
			}
			x.out = vs[0]
			return nil
		}}.Run(ctx, s.DB)
	return x.out, err
}

// Board is what a DTG's page shows for one term: the rule in force now,
// the nominations with each State's category and group, the sets with
// their state, and the seats the rotation rule looks back on.
type Board struct {
	DTG         concord.DTG
	Term        string
	Terms       []string // newest first
	Rule        rule.Version
	Scheme      concord.ClassificationScheme
	Categories  map[string]string // ISO3 -> category under the rule's scheme
	GroupOf     func(iso3 string) string
	States      []concord.State
	Nominations []Nomination // of the term, oldest first
	Sets        []SetView    // of the DTG, every term, newest first
	Open        *SetView     // the term's set that is proposed or holds the seats
	Previous    []cofacilitator.Seat
}

// Board reads a DTG's page for term ("": the current term) in a fixed
// number of queries.
func (s *Service) Board(ctx context.Context, dtgCode, term string) (Board, error) {
	dtg, ok := concord.DTGByCode(dtgCode)
	if !ok {
		return Board{}, concord.ErrNotFound
	}
	now := s.DB.Now().UTC()
	v, err := s.Decide.RuleAt(ctx, cofacilitator.RuleCode, now)
	if err != nil {
		return Board{}, err
	}
	scheme, cats, err := s.DB.Classification(ctx, v.Policy.(*cofacilitator.Policy).Scheme)
	if err != nil {
		return Board{}, err
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return Board{}, err
	}
	noms, err := s.Nominations(ctx, dtg.Code, "")
	if err != nil {
		return Board{}, err
	}
	all, err := s.Sets(ctx, "") // rotation may count the other DTG's seats
	if err != nil {
		return Board{}, err
	}
	var terms []string
	for _, n := range noms {
		terms = append(terms, n.Doc.Term)
	}
	b := Board{DTG: dtg, Rule: v, Scheme: scheme, Categories: cats, GroupOf: decision.GroupOf(states, now), States: states}
	for _, x := range all {
		if x.Doc.DTG == dtg.Code {
			b.Sets = append(b.Sets, x)
			terms = append(terms, x.Doc.Term)
		}
	}
	b.Terms = cofacilitator.SortTerms(terms)
	switch {
	case term != "":
		if _, _, err := cofacilitator.ParseTerm(term); err != nil {
			return Board{}, err
		}
		b.Term = term
	case len(b.Terms) > 0:
		b.Term = cofacilitator.CurrentTerm(b.Terms, now)
	default:
		b.Term = cofacilitator.TermFor(now)
	}
	// The term of now has a tab even before its first nomination; any other
	// term asked for is shown without becoming a tab, so a mistyped term
	// leaves no phantom tab behind.
	if !slices.Contains(b.Terms, b.Term) && b.Term == cofacilitator.TermFor(now) {
		b.Terms = cofacilitator.SortTerms(append(b.Terms, b.Term))
	}
	for _, n := range noms {
		if n.Doc.Term == b.Term {
			b.Nominations = append(b.Nominations, n)
		}
	}
	if open, ok := b.Slate().OpenSet(dtg.Code, b.Term); ok {
		b.Open = &b.Sets[slices.IndexFunc(b.Sets, func(v SetView) bool { return v.ID == open.ID })]
	}
	b.Previous = cofacilitator.PreviousSeats(b.Term, Seats(all))
	return b, nil
}

// Context is the reference data the rule in force checks the board's
// nominations on now.
func (b Board) Context() cofacilitator.Context {
	return cofacilitator.Context{Category: func(iso3 string) string { return b.Categories[iso3] }, Group: b.GroupOf, Previous: b.Previous}
}

// Pair is a balanced set of nominations the rules allow, with its checks.
type Pair struct {
	Nominations []Nomination
	Checks      []cofacilitator.Check
}

// Pairs lists up to limit balanced sets of the board's standing
// nominations under the rule in force, fewest warnings first
// (cofacilitator.Pairs). None while a set of the term is open.
func (b Board) Pairs(limit int) ([]Pair, error) {
	if b.Open != nil {
		return nil, nil
	}
	byID := map[string]Nomination{}
	var standing []cofacilitator.Nomination
	for _, n := range b.Nominations {
		if n.Doc.Standing() {
			standing = append(standing, n.Doc)
			byID[n.Doc.ID] = n
		}
	}
	sets, err := cofacilitator.Pairs(*b.Rule.Policy.(*cofacilitator.Policy), b.Context(), b.DTG.Code, standing)
	if err != nil {
		return nil, err
	}
	out := make([]Pair, 0, min(limit, len(sets)))
	for _, set := range sets[:min(limit, len(sets))] {
		p := Pair{}
		for _, n := range set {
			p.Nominations = append(p.Nominations, byID[n.ID])
		}
		if p.Checks, err = cofacilitator.Balance(*b.Rule.Policy.(*cofacilitator.Policy), b.Context(), b.DTG.Code, set); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// InOpenSet reports whether a nomination is in the term's open set, so it
// cannot be withdrawn.
func (b Board) InOpenSet(n Nomination) bool {
	_, ok := b.Slate().OpenSetWith(n.Doc.ID)
	return ok
}

// Slate is the board's nominations and sets as the guards of the next acts
// see them.
func (b Board) Slate() cofacilitator.Slate {
	noms := make([]cofacilitator.Nomination, len(b.Nominations))
	for i, n := range b.Nominations {
		noms[i] = n.Doc
	}
	return Slate(noms, b.Sets)
}

// OpenActs lists the acts open on the board's term
// (cofacilitator.Slate.OpenActs).
func (b Board) OpenActs() []string { return b.Slate().OpenActs(b.DTG.Code, b.Term) }

// IsUnbalanced returns the refused set when err is an UnbalancedError.
func IsUnbalanced(err error) (*UnbalancedError, bool) {
	var ue *UnbalancedError
	ok := errors.As(err, &ue)
	return ue, ok
}

// Scheme is the classification scheme of the co-facilitator rule in force
// now: the one its pair rules count developed and developing States under.
func (s *Service) Scheme(ctx context.Context) (concord.ClassificationScheme, error) {
	_, scheme, _, err := s.ruleNow(ctx)
	return scheme, err
}

// ruleNow is the co-facilitator policy in force now with its scheme and the
// categories under it.
func (s *Service) ruleNow(ctx context.Context) (cofacilitator.Policy, concord.ClassificationScheme, map[string]string, error) {
	v, err := s.Decide.RuleAt(ctx, cofacilitator.RuleCode, s.DB.Now())
	if err != nil {
		return cofacilitator.Policy{}, concord.ClassificationScheme{}, nil, err
	}
	policy := *v.Policy.(*cofacilitator.Policy)
	scheme, cats, err := s.DB.Classification(ctx, policy.Scheme)
	return policy, scheme, cats, err
}

// Check tests a pair for a DTG against the pair rules of the version in
// force now, with the States' categories under that version's scheme (not
// the process's: the Chair proposes under the rule, and a checker that used
// another scheme would refuse pairs the Chair may propose). It stores
// nothing.
func (s *Service) Check(ctx context.Context, dtg string, pair []cofacilitator.Nomination) (concord.ClassificationScheme, []cofacilitator.Check, error) {
	policy, scheme, cats, err := s.ruleNow(ctx)
	if err != nil {
		return scheme, nil, err
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return scheme, nil, err
	}
	checks, err := cofacilitator.Balance(policy, cofacilitator.ContextFor(states, cats, s.DB.Now()), dtg, pair)
	return scheme, checks, err
}
