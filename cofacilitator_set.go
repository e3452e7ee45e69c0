package concord

// Co-facilitator nominations and sets as the process keeps them: the two
// Dedicated Thematic Groups, the terms seats are held for, a set the Chair
// put forward with the facts its balance was checked on, and the seats that
// appointed sets leave behind for the rotation rule of later terms.

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CoFacilitatorTermMax is the longest term a label may name, in years.
const CoFacilitatorTermMax = 5

// ParseCoFacilitatorTerm reads a term label: "2026-2027" (a start year and
// a later end year, at most CoFacilitatorTermMax years on) or a single year
// "2026".
func ParseCoFacilitatorTerm(s string) (start, end int, err error) {
	bad := Errorf(EInvalid, "term", "cofac.error.term", "a term is written 2026-2027, not %q", s)
	a, b, two := strings.Cut(s, "-")
	year := func(x string) (int, bool) {
		if len(x) != 4 {
			return 0, false
		}
		n, err := strconv.Atoi(x)
		return n, err == nil && n >= 1900 && n <= 2999
	}
	start, ok := year(a)
	if !ok {
		return 0, 0, bad
	}
	end = start
	if two {
		if end, ok = year(b); !ok || end <= start || end-start > CoFacilitatorTermMax {
			return 0, 0, bad
		}
	}
	return start, end, nil
}

// termStart is the start year of a valid label, 0 for any other.
func termStart(s string) int {
	y, _, err := ParseCoFacilitatorTerm(s)
	if err != nil {
		return 0
	}
	return y
}

// CoFacilitatorTermFor is the two-year term starting in t's year, the
// label a form suggests when the process has no terms yet.
func CoFacilitatorTermFor(t time.Time) string {
	y := t.UTC().Year()
	return strconv.Itoa(y) + "-" + strconv.Itoa(y+1)
}

// CoFacilitatorSortTerms orders term labels newest first (by start year,
// then end year), dropping repeats and malformed labels.
func CoFacilitatorSortTerms(terms []string) []string {
	var out []string
	for _, t := range terms {
		if _, _, err := ParseCoFacilitatorTerm(t); err == nil && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		as, ae, _ := ParseCoFacilitatorTerm(a)
		bs, be, _ := ParseCoFacilitatorTerm(b)
		if c := cmp.Compare(bs, as); c != 0 {
			return c
		}
		return cmp.Compare(be, ae)
	})
	return out
}

// CoFacilitatorCurrentTerm picks, among terms (newest first, as
// CoFacilitatorSortTerms gives them), the one running at now; else the
// earliest one still to come; else the latest. "" when there are none.
func CoFacilitatorCurrentTerm(terms []string, now time.Time) string {
	y := now.UTC().Year()
	next := ""
	for _, t := range terms {
		s, e, err := ParseCoFacilitatorTerm(t)
		if err != nil {
			continue
		}
		if s <= y && y <= e {
			return t
		}
		if s > y {
			next = t // newest first: the last one seen is the earliest to come
		}
	}
	if next != "" {
		return next
	}
	if len(terms) > 0 {
		return terms[0]
	}
	return ""
}

// Bounds of a nomination as a State enters it.
const (
	CoFacilitatorPersonMax    = 200 // runes
	CoFacilitatorExpertiseMax = 10  // tags
	CoFacilitatorTagMax       = 60  // runes per tag
)

// CheckEntry checks a nomination as it is entered: Validate, plus a known
// DTG, a term, and a name and expertise tags of bounded length.
func (n CoFacilitatorNomination) CheckEntry() error {
	if _, ok := DTGByCode(n.DTG); !ok {
		return Errorf(EInvalid, "dtg", "cofac.error.dtg", "unknown thematic group %q", n.DTG)
	}
	if err := n.Validate(); err != nil {
		return err
	}
	if n.Term == "" {
		return Errorf(EInvalid, "term", "cofac.error.term", "the nomination needs a term, e.g. 2026-2027")
	}
	if utf8.RuneCountInString(n.Person) > CoFacilitatorPersonMax {
		return Errorf(EInvalid, "person", "error.too_long", "the name is over %d characters", CoFacilitatorPersonMax)
	}
	if len(n.Expertise) > CoFacilitatorExpertiseMax {
		return Errorf(EInvalid, "expertise", "cofac.error.expertise", "at most %d expertise tags", CoFacilitatorExpertiseMax)
	}
	for _, e := range n.Expertise {
		if strings.TrimSpace(e) == "" || utf8.RuneCountInString(e) > CoFacilitatorTagMax {
			return Errorf(EInvalid, "expertise", "cofac.error.expertise", "an expertise tag is empty or over %d characters", CoFacilitatorTagMax)
		}
	}
	return nil
}

// SamePerson reports whether two nominations name the same person: the
// names compared without case and extra spaces.
func (n CoFacilitatorNomination) SamePerson(o CoFacilitatorNomination) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return norm(n.Person) == norm(o.Person)
}

// Standing reports whether the nomination has not been withdrawn.
func (n CoFacilitatorNomination) Standing() bool { return n.WithdrawnAt.IsZero() }

// CoFacilitatorSet is a set of co-facilitators the Chair put forward for a
// DTG and a term, with the facts its balance was checked on: the rule
// version in force, each candidate State's category and regional group, and
// the seats of earlier terms. Keeping them means the record of a set does
// not change when a State's category or the rules change later.
type CoFacilitatorSet struct {
	DTG        string
	Term       string
	Pair       []CoFacilitatorNomination
	Policy     CoFacilitatorPolicy // the version in force when proposed
	Categories map[string]string   // ISO3 -> developed/developing under Policy.Scheme
	Groups     map[string]string   // ISO3 -> regional group counted for elections
	Previous   []CoFacilitatorSeat // the seats the rotation rule saw
	Checks     []CoFacilitatorCheck
}

// Context is the reference data the set was checked on.
func (s CoFacilitatorSet) Context() CoFacilitatorContext {
	return CoFacilitatorContext{
		Category: func(iso3 string) string { return s.Categories[iso3] },
		Group:    func(iso3 string) string { return s.Groups[iso3] },
		Previous: s.Previous,
	}
}

// Appoint is the set's state under its own policy, with the facts of its
// decision at now.
func (s CoFacilitatorSet) Appoint(facts DecisionFacts, now time.Time) (CoFacilitatorResult, error) {
	return CoFacilitatorAppoint(s.Policy, s.Context(), s.DTG, s.Pair, facts, now)
}

// Held reports whether a state means the set holds its seats.
func (st CoFacilitatorState) Held() bool {
	return st == CoFacilitatorAppointed || st == CoFacilitatorApproved
}

// Open reports whether a state keeps the set (and its nominations) in play:
// proposed and awaiting the decision, or holding the seats.
func (st CoFacilitatorState) Open() bool { return st == CoFacilitatorProposed || st.Held() }

// Seats are the seats an appointed set holds (TermsAgo unset).
func (s CoFacilitatorSet) Seats() []CoFacilitatorSeat {
	out := make([]CoFacilitatorSeat, len(s.Pair))
	for i, n := range s.Pair {
		out[i] = CoFacilitatorSeat{State: n.State, DTG: s.DTG, Person: n.Person, Term: s.Term}
	}
	return out
}

// CoFacilitatorSimulation is the set's state under one appointment mode.
type CoFacilitatorSimulation struct {
	Policy CoFacilitatorPolicy
	Result CoFacilitatorResult
	Err    error
}

// Simulate runs the same facts under each appointment mode
// (CoFacilitatorAlternatives): what the set would be had the rule been
// chair_appoints, silence or consensus approval.
func (s CoFacilitatorSet) Simulate(facts DecisionFacts, now time.Time) []CoFacilitatorSimulation {
	alts := CoFacilitatorAlternatives(s.Policy)
	out := make([]CoFacilitatorSimulation, len(alts))
	for i, p := range alts {
		res, err := CoFacilitatorAppoint(p, s.Context(), s.DTG, s.Pair, facts, now)
		out[i] = CoFacilitatorSimulation{Policy: p, Result: res, Err: err}
	}
	return out
}

// CoFacilitatorPreviousSeats returns the seats held in terms before term,
// each with TermsAgo counted over the earlier terms in which seats were
// held: the latest of them is 1. A term in which no one was appointed does
// not count, so rotation looks back over terms that had co-facilitators.
func CoFacilitatorPreviousSeats(term string, held []CoFacilitatorSeat) []CoFacilitatorSeat {
	cur := termStart(term)
	var earlier []string
	for _, s := range held {
		if st := termStart(s.Term); st > 0 && st < cur {
			earlier = append(earlier, s.Term)
		}
	}
	order := CoFacilitatorSortTerms(earlier) // newest first
	var out []CoFacilitatorSeat
	for _, s := range held {
		if i := slices.Index(order, s.Term); i >= 0 {
			s.TermsAgo = i + 1
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b CoFacilitatorSeat) int { return cmp.Compare(a.TermsAgo, b.TermsAgo) })
	return out
}

// CoFacilitatorSetText is the title and proposal of the decision on a set,
// in the six languages. Names and State codes are shown as entered.
func CoFacilitatorSetText(d DTG, term string, pair []CoFacilitatorNomination) (title, proposal Text) {
	names := make([]string, len(pair))
	for i, n := range pair {
		names[i] = n.Person + " (" + n.State + ")"
	}
	who := strings.Join(names, ", ")
	title, proposal = Text{}, Text{}
	for _, l := range Languages {
		dn, _, _ := d.Names.In(l)
		f := cofacSetTexts[l]
		title[l] = strings.NewReplacer("{dtg}", dn, "{term}", term).Replace(f[0])
		proposal[l] = strings.NewReplacer("{dtg}", dn, "{term}", term, "{who}", who).Replace(f[1])
	}
	return title, proposal
}

// cofacSetTexts are the title and proposal patterns per language.
var cofacSetTexts = map[string][2]string{
	"en": {"Co-facilitators of {dtg}, {term}", "The Chair proposes {who} as co-facilitators of {dtg} for the term {term}."},
	"fr": {"Cofacilitateurs du {dtg}, {term}", "La présidence propose {who} comme cofacilitateurs du {dtg} pour le mandat {term}."},
	"es": {"Cofacilitadores del {dtg}, {term}", "La Presidencia propone a {who} como cofacilitadores del {dtg} para el período {term}."},
	"ru": {"Сокоординаторы: {dtg}, {term}", "Председатель предлагает {who} в качестве сокоординаторов группы «{dtg}» на срок {term}."},
	"zh": {"{dtg}共同协调人（{term}）", "主席提议{who}担任{dtg}{term}任期的共同协调人。"},
	"ar": {"الميسّران المشاركان لـ{dtg}، {term}", "تقترح الرئاسة تعيين {who} ميسّرين مشاركين لـ{dtg} للفترة {term}."},
}
