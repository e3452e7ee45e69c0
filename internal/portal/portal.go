// Package portal runs the Global ICT Security Cooperation and
// Capacity-Building Portal (issue 13) for pages and API alike: a State's
// delegates post and edit the State's needs, States and organisations
// (IGOs included) make offers, the matching proposes offers for a need with
// its explanation, and both sides of a match express interest. Who sees a
// need kept to States is checked here on every read (capacity.CanView), so
// that no page, API operation or list can forget it; the rules are the pure
// package capacity.
package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/apply"
	"concord/internal/store"
)

// MatchLimit bounds the offers proposed for one need: the best ones are
// what a State reads, and the page stays the same size however many offers
// the portal holds.
const MatchLimit = 50

// Service runs the portal of one process.
type Service struct {
	DB      *store.DB
	Process string
}

// NeedInput is a need as a form or the API gives it (dates already read;
// what could not be read is in Unread, reported with the rest).
type NeedInput struct {
	Area        capacity.Area
	Title       string
	Description string
	Languages   []string
	Regions     []string
	From, Until time.Time
	Visibility  capacity.Visibility
	Unread      concord.Errors
}

func (in NeedInput) apply(n *capacity.Need) {
	n.Area, n.Title, n.Description = capacity.Area(strings.TrimSpace(string(in.Area))), in.Title, in.Description
	n.Languages, n.Regions, n.From, n.Until, n.Visibility = in.Languages, in.Regions, in.From, in.Until, in.Visibility
	n.Normalise()
}

// OfferInput is an offer as a form or the API gives it. Provider is read
// only from the Secretariat, which enters offers received in writing; a
// delegate offers for its State, a focal point for its organisation.
type OfferInput struct {
	Provider    capacity.Provider
	Kind        capacity.OfferKind
	Areas       []capacity.Area
	Title       string
	Description string
	Languages   []string
	Regions     []string
	From, Until time.Time
	Unread      concord.Errors
}

func (in OfferInput) apply(o *capacity.Offer) {
	o.Kind, o.Areas, o.Title, o.Description = in.Kind, in.Areas, in.Title, in.Description
	o.Languages, o.Regions, o.From, o.Until = in.Languages, in.Regions, in.From, in.Until
	o.Normalise()
}

// check is the object's own validation with the adapter's unread fields,
// every problem at once; a field the adapter could not read is reported
// once, by the adapter.
func check(unread concord.Errors, err error) error {
	errs := append(concord.Errors{}, unread...)
	var all concord.Errors
	all.Add(err)
	for _, e := range all {
		dup := false
		for _, u := range unread {
			dup = dup || u.Field == e.Field
		}
		if !dup {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

func notOwnNeed() error {
	return concord.Errorf(concord.EForbidden, "", "portal.error.not_own_need", "a State edits its own needs only")
}

func notOwnOffer() error {
	return concord.Errorf(concord.EForbidden, "", "portal.error.not_own_offer", "an offer is edited by the one who made it")
}

// PostNeed posts a need for the delegate's own State.
func (s *Service) PostNeed(ctx context.Context, u *concord.User, in NeedInput) (capacity.Need, error) {
	if !concord.Can(u, concord.ActPostNeed, concord.Target{}) {
		return capacity.Need{}, notOwnNeed()
	}
	return apply.Write[capacity.Need]{Actor: u,
		Load: func(store.Reader, time.Time) (capacity.Need, error) {
			return capacity.Need{Process: s.Process, State: u.State}, nil
		},
		Allow: func(n capacity.Need) error {
			if !concord.Can(u, concord.ActPostNeed, concord.Target{State: n.State}) {
				return notOwnNeed()
			}
			return nil
		},
		Change: func(n *capacity.Need, _ time.Time) error {
			in.apply(n)
			return check(in.Unread, n.Validate())
		},
		Save: func(tx *store.Tx, n *capacity.Need) error { return tx.SaveNeed(n, "portal.need.post") },
	}.Run(ctx, s.DB)
}

// need reads need id of the process as u may see it: one u may not see is
// not found, its existence undisclosed.
func (s *Service) need(r store.Reader, u *concord.User, id int64) (capacity.Need, error) {
	n, err := r.Need(id)
	if err != nil {
		return n, err
	}
	if n.Process != s.Process || !capacity.CanView(u, n) {
		return capacity.Need{}, concord.ErrNotFound
	}
	return n, nil
}

// EditNeed changes a need: only its State's delegates may.
func (s *Service) EditNeed(ctx context.Context, u *concord.User, id int64, in NeedInput) (capacity.Need, error) {
	return apply.Write[capacity.Need]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (capacity.Need, error) { return s.need(r, u, id) },
		Allow: func(n capacity.Need) error {
			if !concord.Can(u, concord.ActPostNeed, concord.Target{State: n.State}) {
				return notOwnNeed()
			}
			return nil
		},
		Change: func(n *capacity.Need, _ time.Time) error {
			in.apply(n)
			return check(in.Unread, n.Validate())
		},
		Save: func(tx *store.Tx, n *capacity.Need) error {
			if err := tx.SaveNeed(n, "portal.need.edit"); err != nil {
				return err
			}
			return restrictProjects(tx, *n)
		},
	}.Run(ctx, s.DB)
}

// restrictProjects keeps to States the public projects made from need n
// when n is kept to States: a project repeats its need's beneficiary, area
// and purpose, so a public one would show the public what the State has
// just withdrawn from it. A need opened again does not open its projects:
// each project's own editors decide that.
func restrictProjects(tx *store.Tx, n capacity.Need) error {
	if n.Visibility == capacity.Public {
		return nil
	}
	ids, err := tx.ProjectsOfNeed(n.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.RestrictProject(id, "portal.project.restrict"); err != nil {
			return err
		}
	}
	return nil
}

// Need reads need id as u may see it.
func (s *Service) Need(ctx context.Context, u *concord.User, id int64) (capacity.Need, error) {
	return s.need(s.DB.Read(ctx), u, id)
}

// NeedList is a page of needs and how many there are in all.
type NeedList struct {
	Needs []capacity.Need
	Total int
}

// Needs lists the needs u may see (those kept to States only for the
// States and the Secretariat), newest first, limit from offset, optionally
// one area or one State's: two statements.
func (s *Service) Needs(ctx context.Context, u *concord.User, area capacity.Area, state string, limit, offset int) (NeedList, error) {
	q := store.NeedQuery{Process: s.Process, StatesOnly: concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{}),
		Area: area, State: state, Limit: limit, Offset: offset}
	r := s.DB.Read(ctx)
	var l NeedList
	var err error
	if l.Total, err = r.CountNeeds(q); err != nil {
		return l, err
	}
	l.Needs, err = r.Needs(q)
	return l, err
}

// provider is the provider u offers as: its State, its organisation, or
// for the Secretariat the one the input names.
func provider(u *concord.User, in OfferInput) capacity.Provider {
	switch {
	case u == nil:
		return capacity.Provider{}
	case u.Role == concord.RoleDelegate:
		return capacity.Provider{State: u.State}
	case u.Role == concord.RoleFocalPoint:
		return capacity.Provider{OrgID: u.OrgID}
	}
	return capacity.Provider{State: strings.ToUpper(strings.TrimSpace(in.Provider.State)), OrgID: in.Provider.OrgID}
}

// offerDraft is what an offer write works on: the offer and whether its
// provider is one the registry knows.
type offerDraft struct {
	o          capacity.Offer
	noProvider bool
}

// loadProvider checks in the registry that the provider exists: a State
// of the process's registry, or an organisation that is a stakeholder or
// an IGO (a named group speaks for States and offers through them).
func loadProvider(r store.Reader, p capacity.Provider, d *offerDraft) error {
	switch {
	case p.OrgID != 0 && p.State == "":
		org, err := r.Organization(p.OrgID)
		if errors.Is(err, concord.ErrNotFound) || (err == nil && org.Kind != concord.OrgStakeholder && org.Kind != concord.OrgIGO) {
			d.noProvider = true
			return nil
		}
		return err
	case p.State != "" && p.OrgID == 0:
		states, err := r.States()
		if err != nil {
			return err
		}
		d.noProvider = true
		for _, st := range states {
			if st.ISO3 == p.State {
				d.noProvider = false
			}
		}
	}
	return nil
}

func (d *offerDraft) check(in OfferInput) error {
	unread := in.Unread
	if d.noProvider {
		unread = append(unread, concord.Errorf(concord.EInvalid, "provider", "portal.error.provider", "an offer is made by one State or one organisation"))
	}
	return check(unread, d.o.Validate())
}

// PostOffer makes an offer in u's own name (the Secretariat: in the name
// the input gives).
func (s *Service) PostOffer(ctx context.Context, u *concord.User, in OfferInput) (capacity.Offer, error) {
	if !concord.Can(u, concord.ActOffer, concord.Target{}) {
		return capacity.Offer{}, notOwnOffer()
	}
	d, err := apply.Write[offerDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (offerDraft, error) {
			d := offerDraft{o: capacity.Offer{Process: s.Process, Provider: provider(u, in)}}
			return d, loadProvider(r, d.o.Provider, &d)
		},
		Allow: func(d offerDraft) error {
			if d.o.Provider != (capacity.Provider{}) && !concord.Can(u, concord.ActOffer, d.o.Provider.Target()) {
				return notOwnOffer()
			}
			return nil
		},
		Change: func(d *offerDraft, _ time.Time) error {
			in.apply(&d.o)
			return d.check(in)
		},
		Save: func(tx *store.Tx, d *offerDraft) error { return tx.SaveOffer(&d.o, "portal.offer.post") },
	}.Run(ctx, s.DB)
	return d.o, err
}

func (s *Service) offer(r store.Reader, id int64) (capacity.Offer, error) {
	o, err := r.Offer(id)
	if err == nil && o.Process != s.Process {
		return capacity.Offer{}, concord.ErrNotFound
	}
	return o, err
}

// EditOffer changes an offer (not its provider): only its provider (or
// the Secretariat) may.
func (s *Service) EditOffer(ctx context.Context, u *concord.User, id int64, in OfferInput) (capacity.Offer, error) {
	d, err := apply.Write[offerDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (offerDraft, error) {
			o, err := s.offer(r, id)
			return offerDraft{o: o}, err
		},
		Allow: func(d offerDraft) error {
			if !concord.Can(u, concord.ActOffer, d.o.Provider.Target()) {
				return notOwnOffer()
			}
			return nil
		},
		Change: func(d *offerDraft, _ time.Time) error {
			in.apply(&d.o)
			return d.check(in)
		},
		Save: func(tx *store.Tx, d *offerDraft) error { return tx.SaveOffer(&d.o, "portal.offer.edit") },
	}.Run(ctx, s.DB)
	return d.o, err
}

// Offer reads offer id (offers are public).
func (s *Service) Offer(ctx context.Context, id int64) (capacity.Offer, error) {
	return s.offer(s.DB.Read(ctx), id)
}

// OfferList is a page of offers and how many there are in all.
type OfferList struct {
	Offers []capacity.Offer
	Total  int
}

// Offers lists offers, newest first, limit from offset, optionally one
// area's or one provider's: two statements.
func (s *Service) Offers(ctx context.Context, area capacity.Area, p capacity.Provider, limit, offset int) (OfferList, error) {
	q := store.OfferQuery{Process: s.Process, Area: area, Provider: p, Limit: limit, Offset: offset}
	r := s.DB.Read(ctx)
	var l OfferList
	var err error
	if l.Total, err = r.CountOffers(q); err != nil {
		return l, err
	}
	l.Offers, err = r.Offers(q)
	return l, err
}

// Proposal is an offer proposed for a need, with the interest each side
// expressed and the side the reader may speak for.
type Proposal struct {
	capacity.Match
	Interests capacity.Interests
	// Side is the side of the match the reader acts for, if any.
	Side capacity.Side
}

// CanExpress reports whether the reader may still express interest.
func (p Proposal) CanExpress() bool { return p.Side != "" && !p.Interests.Has(p.Side) }

// Matches is a need with the offers proposed for it.
type Matches struct {
	Need      capacity.Need
	Proposals []Proposal
	// Considered is how many offers of the need's area were scored.
	Considered int
}

// Matches reads need id as u may see it and proposes offers for it, best
// first, at most MatchLimit, each with its explanation and the interest
// expressed: four statements (the need, the narrow offers of its area, the
// interests, the shown offers in full), however many offers there are.
func (s *Service) Matches(ctx context.Context, u *concord.User, id int64) (Matches, error) {
	r := s.DB.Read(ctx)
	n, err := s.need(r, u, id)
	if err != nil {
		return Matches{}, err
	}
	offers, err := r.OffersInArea(s.Process, n.Area)
	if err != nil {
		return Matches{}, err
	}
	interests, err := r.NeedInterests(n.ID, 0)
	if err != nil {
		return Matches{}, err
	}
	by := map[int64]capacity.Interests{}
	for _, i := range interests {
		by[i.Offer] = append(by[i.Offer], i)
	}
	m := Matches{Need: n, Considered: len(offers)}
	best := capacity.Propose(n, offers, MatchLimit)
	ids := make([]int64, len(best))
	for i, x := range best {
		ids[i] = x.Offer.ID
	}
	full, err := r.OffersByID(ids)
	if err != nil {
		return Matches{}, err
	}
	for _, x := range best {
		if o, ok := full[x.Offer.ID]; ok {
			x.Offer = o
		}
		side, _ := capacity.SideOf(u, n, x.Offer)
		m.Proposals = append(m.Proposals, Proposal{Match: x, Interests: by[x.Offer.ID], Side: side})
	}
	return m, nil
}

// interestDraft is what an interest works on: the match and what was said.
type interestDraft struct {
	n    capacity.Need
	o    capacity.Offer
	have capacity.Interests
	side capacity.Side
	add  capacity.Interest
}

// ExpressInterest records u's interest in the match of need and offer, on
// the side u acts for, and returns the interest of both sides since.
func (s *Service) ExpressInterest(ctx context.Context, u *concord.User, need, offer int64) (capacity.Interests, error) {
	d, err := apply.Write[interestDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (interestDraft, error) {
			var d interestDraft
			var err error
			if d.n, err = s.need(r, u, need); err != nil {
				return d, err
			}
			if d.o, err = s.offer(r, offer); err != nil {
				return d, concord.Errorf(concord.ENotFound, "offer", "portal.error.no_offer", "no offer %d", offer)
			}
			d.have, err = r.NeedInterests(need, offer)
			return d, err
		},
		Allow: func(d interestDraft) error {
			if _, ok := capacity.SideOf(u, d.n, d.o); !ok {
				return concord.Errorf(concord.EForbidden, "", "portal.error.not_a_side", "only the State in need and the provider of the offer express interest in a match")
			}
			return nil
		},
		Change: func(d *interestDraft, now time.Time) error {
			d.side, _ = capacity.SideOf(u, d.n, d.o)
			var err error
			d.add, err = capacity.ExpressInterest(d.n, d.o, d.have, d.side, now)
			return err
		},
		Save: func(tx *store.Tx, d *interestDraft) error {
			if err := tx.AddInterest(&d.add, d.n.Visibility == capacity.Public); err != nil {
				return err
			}
			d.have = append(d.have, d.add)
			return nil
		},
	}.Run(ctx, s.DB)
	return d.have, err
}

// MessageKeys lists the catalogue keys the service raises besides the
// domain's.
func MessageKeys() []string {
	return []string{"portal.error.not_own_need", "portal.error.not_own_offer", "portal.error.no_offer", "portal.error.not_a_side"}
}
