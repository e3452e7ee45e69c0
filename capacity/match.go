package capacity

import (
	"concord"
	"slices"
	"time"
)

// Criterion is one thing the matching compares between a need and an
// offer.
type Criterion string

// The criteria, in the order an explanation lists them.
const (
	ByArea      Criterion = "area"
	ByLanguage  Criterion = "language"
	ByRegion    Criterion = "region"
	ByTimeframe Criterion = "timeframe"
)

// Criteria lists them with their weight in a match's score (out of 100):
// the area decides whether an offer is proposed at all; a common language
// matters more than a region, and a region more than the dates, which can
// most easily move.
var Criteria = []struct {
	Criterion Criterion
	Weight    int
}{{ByArea, 40}, {ByLanguage, 25}, {ByRegion, 20}, {ByTimeframe, 15}}

// Check is one criterion of a match: whether it is met, and what the need
// and the offer share on it (languages, regions, days of overlap), so that
// the explanation says why.
type Check struct {
	Criterion Criterion
	Met       bool
	Common    []string // the languages or regions both name
	// Days is how many days the timeframes share (ByTimeframe).
	Days int
}

// Match is an offer proposed for a need, scored and explained.
type Match struct {
	Offer  Offer
	Score  int // 0 to 100: the sum of the weights of the criteria met
	Checks []Check
}

// Met lists the criteria met, in order.
func (m Match) Met() []Criterion {
	var out []Criterion
	for _, c := range m.Checks {
		if c.Met {
			out = append(out, c.Criterion)
		}
	}
	return out
}

// Explain compares need n and offer o on every criterion: the area (o
// covers n's area), the language (a language in common), the region (o
// serves one of the regions n names; either side naming none means any)
// and the timeframe (the date ranges overlap, ends included).
func Explain(n Need, o Offer) Match {
	m := Match{Offer: o, Checks: make([]Check, 0, len(Criteria))}
	for _, c := range Criteria {
		var ch Check
		switch c.Criterion {
		case ByArea:
			ch = Check{Criterion: ByArea, Met: slices.Contains(o.Areas, n.Area)}
		case ByLanguage:
			ch = Check{Criterion: ByLanguage, Common: common(n.Languages, o.Languages)}
			ch.Met = len(ch.Common) > 0
		case ByRegion:
			ch = Check{Criterion: ByRegion}
			switch {
			case len(n.Regions) == 0 && len(o.Regions) == 0:
				ch.Met = true
			case len(n.Regions) == 0:
				ch.Met, ch.Common = true, o.Regions
			case len(o.Regions) == 0:
				ch.Met, ch.Common = true, n.Regions
			default:
				ch.Common = common(n.Regions, o.Regions)
				ch.Met = len(ch.Common) > 0
			}
		case ByTimeframe:
			ch = Check{Criterion: ByTimeframe, Days: overlapDays(n.From, n.Until, o.From, o.Until)}
			ch.Met = ch.Days > 0
		}
		if ch.Met {
			m.Score += c.Weight
		}
		m.Checks = append(m.Checks, ch)
	}
	return m
}

// Propose returns the offers proposed for need n, best first (score, then
// the longer shared timeframe, then the older offer): every offer that
// covers the need's area, except the beneficiary State's own, each with
// its explanation. At most limit (all when limit ≤ 0).
func Propose(n Need, offers []Offer, limit int) []Match {
	var out []Match
	for _, o := range offers {
		if o.Provider.State != "" && o.Provider.State == n.State {
			continue
		}
		m := Explain(n, o)
		if !m.Checks[0].Met {
			continue
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		if d := b.Checks[3].Days - a.Checks[3].Days; d != 0 {
			return d
		}
		return int(a.Offer.ID - b.Offer.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func common(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// overlapDays counts the days two inclusive date ranges share.
func overlapDays(af, au, bf, bu time.Time) int {
	if af.IsZero() || au.IsZero() || bf.IsZero() || bu.IsZero() {
		return 0
	}
	from, until := Day(af), Day(au)
	if b := Day(bf); b.After(from) {
		from = b
	}
	if b := Day(bu); b.Before(until) {
		until = b
	}
	if until.Before(from) {
		return 0
	}
	return int(until.Sub(from)/(24*time.Hour)) + 1
}

// Side is which side of a match expresses interest.
type Side string

// The two sides of a match.
const (
	SideBeneficiary Side = "beneficiary" // the State that posted the need
	SideProvider    Side = "provider"    // who made the offer
)

// Sides lists them.
var Sides = []Side{SideBeneficiary, SideProvider}

// Interest is one side's interest in a match of a need and an offer.
type Interest struct {
	Need  int64
	Offer int64
	Side  Side
	At    time.Time
}

// Interests is what both sides said of one match.
type Interests []Interest

// Has reports whether side s has expressed interest.
func (is Interests) Has(s Side) bool {
	return slices.ContainsFunc(is, func(i Interest) bool { return i.Side == s })
}

// Agreed reports whether both sides have expressed interest: the match may
// then become a project.
func (is Interests) Agreed() bool { return is.Has(SideBeneficiary) && is.Has(SideProvider) }

// SideOf says which side of the match of n and o user u acts for: the
// beneficiary (a delegate of n's State), the provider (a delegate of o's
// State, or o's organisation's focal point), or none. A State that both
// needs and offers is the beneficiary: Propose never matches a State's own
// offer with its own need.
func SideOf(u *concord.User, n Need, o Offer) (Side, bool) {
	if u == nil || u.Disabled {
		return "", false
	}
	if u.Role == concord.RoleDelegate && u.State != "" && u.State == n.State {
		return SideBeneficiary, true
	}
	if concord.Can(u, concord.ActOffer, o.Provider.Target()) && u.Role != concord.RoleSecretariat {
		return SideProvider, true
	}
	return "", false
}

// ExpressInterest adds side's interest in the match of n and o at now, or
// says why not: the offer must be one the matching proposes for the need
// (it covers the need's area and is not the beneficiary's own), and a side
// says so once.
func ExpressInterest(n Need, o Offer, have Interests, side Side, now time.Time) (Interest, error) {
	if !slices.Contains(Sides, side) {
		return Interest{}, concord.Errorf(concord.EInvalid, "side", "portal.error.side", "unknown side %q", side)
	}
	if len(Propose(n, []Offer{o}, 0)) == 0 {
		return Interest{}, concord.Errorf(concord.EConflict, "offer", "portal.error.not_proposed", "the offer is not proposed for this need")
	}
	if have.Has(side) {
		return Interest{}, concord.Errorf(concord.EConflict, "offer", "portal.error.interest_twice", "interest in this match was already expressed")
	}
	return Interest{Need: n.ID, Offer: o.ID, Side: side, At: now}, nil
}

// MessageKeys lists every catalogue key the package raises or pages show
// for its values, for the catalogue test.
func MessageKeys() []string {
	keys := []string{"portal.error.title", "portal.error.title_long", "portal.error.description", "portal.error.description_long",
		"portal.error.languages", "portal.error.language", "portal.error.region", "portal.error.from", "portal.error.until",
		"portal.error.until_before_from", "portal.error.state", "portal.error.area", "portal.error.visibility",
		"portal.error.provider", "portal.error.kind", "portal.error.areas", "portal.error.side", "portal.error.not_proposed",
		"portal.error.interest_twice"}
	for _, v := range Visibilities {
		keys = append(keys, "portal.visibility."+string(v))
	}
	for _, k := range OfferKinds {
		keys = append(keys, "portal.kind."+string(k))
	}
	for _, c := range Criteria {
		keys = append(keys, "portal.check."+string(c.Criterion)+".met", "portal.check."+string(c.Criterion)+".unmet")
	}
	for _, r := range Regions {
		keys = append(keys, "portal.region."+r)
	}
	for _, s := range Sides {
		keys = append(keys, "portal.side."+string(s))
	}
	return keys
}
