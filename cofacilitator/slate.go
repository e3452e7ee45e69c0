package cofacilitator

import (
	"slices"
	"time"

	"concord"
)

// Placed is a set put forward, as stored (ID), with its state now.
type Placed struct {
	ID    int64
	Set   Set
	State State
}

// Slate is what the next acts on the co-facilitators stand on: the
// nominations (each with its ID) and the sets put forward, with their
// states at an instant. Its methods are the guards of those acts
// (nominate, withdraw, propose a set), the way decision.Facts.OpenActs lists
// the Chair's: the service loads a Slate, the pages ask it which acts are
// open, and the write asks it again inside its transaction.
type Slate struct {
	Nominations []Nomination
	Sets        []Placed
}

// CanNominate refuses n when its State already nominated the same person
// for the same DTG and term and that nomination stands.
func (s Slate) CanNominate(n Nomination) error {
	for _, e := range s.Nominations {
		if e.Standing() && e.DTG == n.DTG && e.State == n.State && e.Term == n.Term && e.SamePerson(n) {
			return concord.Errorf(concord.EConflict, "person", "cofac.error.duplicate", "%s already nominated %s for %s, %s (nomination %s)", n.State, n.Person, n.DTG, n.Term, e.ID)
		}
	}
	return nil
}

// OpenSetWith returns the set that is proposed or holds the seats and has
// nomination id in it: while there is one, the candidate stays.
func (s Slate) OpenSetWith(id string) (Placed, bool) {
	for _, p := range s.Sets {
		if p.State.Open() && slices.ContainsFunc(p.Set.Pair, func(n Nomination) bool { return n.ID == id }) {
			return p, true
		}
	}
	return Placed{}, false
}

// CanWithdraw refuses to withdraw n when it was withdrawn already or is in
// a set that is proposed or holds the seats.
func (s Slate) CanWithdraw(n Nomination) error {
	if !n.Standing() {
		return concord.Errorf(concord.EConflict, "", "cofac.error.withdrawn", "nomination %s was withdrawn at %s", n.ID, n.WithdrawnAt.Format(time.RFC3339))
	}
	if p, ok := s.OpenSetWith(n.ID); ok {
		return concord.Errorf(concord.EConflict, "", "cofac.error.in_set", "the candidate is in set %d (%s)", p.ID, p.State)
	}
	return nil
}

// OpenSet returns the set of dtg and term that is proposed or holds the
// seats: while there is one, no other set is put forward.
func (s Slate) OpenSet(dtg, term string) (Placed, bool) {
	for _, p := range s.Sets {
		if p.Set.DTG == dtg && p.Set.Term == term && p.State.Open() {
			return p, true
		}
	}
	return Placed{}, false
}

// Choose returns the nominations ids name, in that order, for a set of
// dtg: each must exist and stand, all of one term, and that term of dtg
// must have no open set. Nominations of another DTG are returned too: the
// pair rules then report them, with every other check.
func (s Slate) Choose(dtg string, ids []string) ([]Nomination, error) {
	pair := make([]Nomination, 0, len(ids))
	var errs concord.Errors // every problem of the choice, not the first only
	for _, id := range ids {
		i := slices.IndexFunc(s.Nominations, func(n Nomination) bool { return n.ID == id })
		if i < 0 {
			errs.Add(concord.Errorf(concord.EInvalid, "nominations", "cofac.error.nomination", "no nomination %s", id))
			continue
		}
		n := s.Nominations[i]
		if !n.Standing() {
			errs.Add(concord.Errorf(concord.EInvalid, "nominations", "cofac.error.nomination_withdrawn", "nomination %s was withdrawn", id))
		}
		if len(pair) > 0 && n.Term != pair[0].Term {
			errs.Add(concord.Errorf(concord.EInvalid, "nominations", "cofac.error.terms", "nominations for %s and %s", pair[0].Term, n.Term))
		}
		pair = append(pair, n)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(pair) == 0 {
		return nil, concord.Errorf(concord.EInvalid, "nominations", "cofac.error.nominations", "choose the nominations of the set")
	}
	if p, ok := s.OpenSet(dtg, pair[0].Term); ok {
		return nil, concord.Errorf(concord.EConflict, "nominations", "cofac.error.open_set", "set %d for %s, %s is %s", p.ID, dtg, pair[0].Term, p.State)
	}
	return pair, nil
}

// Acts the Slate opens on a DTG's term.
const (
	ActNominate = "nominate"    // a State nominates a candidate
	ActPropose  = "propose_set" // the Chair puts a set forward
)

// OpenActs lists the acts open on dtg's term: nominating always, putting a
// set forward only while no set of the term is proposed or holds the seats.
// A nomination's withdrawal is CanWithdraw's, one nomination at a time.
func (s Slate) OpenActs(dtg, term string) []string {
	acts := []string{ActNominate}
	if _, open := s.OpenSet(dtg, term); !open {
		acts = append(acts, ActPropose)
	}
	return acts
}
