// Package capacity is the Global ICT Security Cooperation and
// Capacity-Building Portal (issue 13, domain brief §3.4): needs posted by
// States, offers by States, organisations and IGOs, the matching that
// proposes offers for a need and explains each proposal, and the interest
// both sides express in a match. It is pure: no store, no clock (now is an
// argument), no I/O.
package capacity

import (
	"concord"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Visibility is who may read a need: the State that posts it chooses.
type Visibility string

// Visibilities of a need.
const (
	Public     Visibility = "public" // everyone, the public included
	StatesOnly Visibility = "states" // the delegates of States and the Secretariat only
)

// Visibilities lists them, most open first.
var Visibilities = []Visibility{Public, StatesOnly}

// OfferKind is what an offer provides.
type OfferKind string

// Kinds of offer.
const (
	Programme OfferKind = "programme"
	Training  OfferKind = "training"
	Experts   OfferKind = "experts"
	Funding   OfferKind = "funding"
)

// OfferKinds lists them in the order forms offer them.
var OfferKinds = []OfferKind{Programme, Training, Experts, Funding}

// Limits on what needs and offers hold.
const (
	MaxTitleRunes       = 200
	MaxDescriptionRunes = 20000
	MaxAreas            = 16
)

// Need is what a State asks for.
type Need struct {
	ID          int64
	Process     string
	State       string // ISO3 of the State that posts it (the beneficiary)
	Area        Area
	Title       string
	Description string // CommonMark, rendered and sanitised by the pages
	Languages   []string
	Regions     []string // regional groups whose providers the State prefers (any when empty)
	From, Until time.Time
	Visibility  Visibility
	Created     time.Time
	Updated     time.Time
}

// Provider is who makes an offer: a State or an organisation (an NGO,
// academia, the private sector or an IGO from the registry), exactly one.
type Provider struct {
	State string `json:",omitzero"`
	OrgID int64  `json:",omitzero"`
}

// Target is the provider as the target of a permission.
func (p Provider) Target() concord.Target { return concord.Target{State: p.State, OrgID: p.OrgID} }

// Offer is what a State or an organisation provides.
type Offer struct {
	ID          int64
	Process     string
	Provider    Provider
	Kind        OfferKind
	Areas       []Area
	Title       string
	Description string
	Languages   []string
	Regions     []string // regional groups served (all when empty)
	From, Until time.Time
	Created     time.Time
	Updated     time.Time
}

// Day truncates t to its UTC date: timeframes are dates.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type problems struct{ errs concord.Errors }

func (p *problems) bad(field, key, format string, args ...any) {
	p.errs = append(p.errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
}

func (p *problems) text(title, description string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(title)); {
	case n == 0:
		p.bad("title", "portal.error.title", "a title is required")
	case n > MaxTitleRunes:
		p.bad("title", "portal.error.title_long", "a title has at most %d characters", MaxTitleRunes)
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(description)); {
	case n == 0:
		p.bad("description", "portal.error.description", "a description is required")
	case n > MaxDescriptionRunes:
		p.bad("description", "portal.error.description_long", "a description has at most %d characters", MaxDescriptionRunes)
	}
}

func (p *problems) lists(langs, regions []string) {
	if len(langs) == 0 {
		p.bad("languages", "portal.error.languages", "choose at least one language")
	}
	for _, l := range langs {
		if !concord.IsLanguage(l) {
			p.bad("languages", "portal.error.language", "unknown language %q", l)
			break
		}
	}
	for _, r := range regions {
		if !slices.Contains(Regions, r) {
			p.bad("regions", "portal.error.region", "unknown region %q", r)
			break
		}
	}
}

func (p *problems) timeframe(from, until time.Time) {
	if from.IsZero() {
		p.bad("from", "portal.error.from", "the timeframe needs a start date")
	}
	if until.IsZero() {
		p.bad("until", "portal.error.until", "the timeframe needs an end date")
	}
	if !from.IsZero() && !until.IsZero() && until.Before(from) {
		p.bad("until", "portal.error.until_before_from", "the timeframe ends before it starts")
	}
}

// Validate checks the need and returns every problem at once
// (concord.Errors).
func (n Need) Validate() error {
	var p problems
	if len(n.State) != 3 || strings.ToUpper(n.State) != n.State {
		p.bad("state", "portal.error.state", "a need is posted by a State")
	}
	if _, ok := Lookup(n.Area); !ok {
		p.bad("area", "portal.error.area", "choose an area")
	}
	p.text(n.Title, n.Description)
	p.lists(n.Languages, n.Regions)
	p.timeframe(n.From, n.Until)
	if !slices.Contains(Visibilities, n.Visibility) {
		p.bad("visibility", "portal.error.visibility", "choose who may see the need")
	}
	return p.errs.Err()
}

// Validate checks the offer and returns every problem at once.
func (o Offer) Validate() error {
	var p problems
	if (o.Provider.State == "") == (o.Provider.OrgID == 0) {
		p.bad("provider", "portal.error.provider", "an offer is made by one State or one organisation")
	}
	if !slices.Contains(OfferKinds, o.Kind) {
		p.bad("kind", "portal.error.kind", "choose what is offered")
	}
	if len(o.Areas) == 0 {
		p.bad("areas", "portal.error.areas", "choose at least one area")
	}
	for _, a := range o.Areas {
		if _, ok := Lookup(a); !ok {
			p.bad("areas", "portal.error.area", "choose an area")
			break
		}
	}
	p.text(o.Title, o.Description)
	p.lists(o.Languages, o.Regions)
	p.timeframe(o.From, o.Until)
	return p.errs.Err()
}

// Normalise trims the texts, puts the dates at midnight UTC and sorts and
// deduplicates the lists, so that equal content is stored equally.
func (n *Need) Normalise() {
	n.Title, n.Description = strings.TrimSpace(n.Title), strings.TrimSpace(n.Description)
	n.From, n.Until = Day(n.From), Day(n.Until)
	n.Languages, n.Regions = set(n.Languages), set(n.Regions)
}

// Normalise does for an offer what Need.Normalise does for a need.
func (o *Offer) Normalise() {
	o.Title, o.Description = strings.TrimSpace(o.Title), strings.TrimSpace(o.Description)
	o.From, o.Until = Day(o.From), Day(o.Until)
	o.Languages, o.Regions = set(o.Languages), set(o.Regions)
	o.Areas = set(o.Areas)
}

func set[T ~string](xs []T) []T {
	var out []T
	for _, x := range xs {
		if x = T(strings.TrimSpace(string(x))); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// CanView says whether u may read need n: a States-only need reaches the
// delegates of States and the Secretariat, never the public, a
// stakeholder's focal point, the Chair or a co-facilitator as such.
func CanView(u *concord.User, n Need) bool {
	return n.Visibility == Public || concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{})
}

// ID formats an id for audit subjects and links.
func ID(id int64) string { return strconv.FormatInt(id, 10) }
