package cofacilitator

// Co-facilitator nominations and sets as the process keeps them: the two
// Dedicated Thematic Groups, the terms seats are held for, a set the Chair
// put forward with the facts its balance was checked on, and the seats that
// appointed sets leave behind for the rotation rule of later terms.

import (
	"cmp"
	"concord"
	"concord/decision"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TermMax is the longest term a label may name, in years.
const TermMax = 5

// ParseTerm reads a term label: "2026-2027" (a start year and
// a later end year, at most TermMax years on) or a single year
// "2026".
func ParseTerm(s string) (start, end int, err error) {
	bad := concord.Errorf(concord.EInvalid, "term", "cofac.error.term", "a term is written 2026-2027, not %q", s)
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
		if end, ok = year(b); !ok || end <= start || end-start > TermMax {
			return 0, 0, bad
		}
	}
	return start, end, nil
}

// termStart is the start year of a valid label, 0 for any other.
func termStart(s string) int {
	y, _, err := ParseTerm(s)
	if err != nil {
		return 0
	}
	return y
}

// TermFor is the two-year term starting in t's year, the
// label a form suggests when the process has no terms yet.
func TermFor(t time.Time) string {
	y := t.UTC().Year()
	return strconv.Itoa(y) + "-" + strconv.Itoa(y+1)
}

// SortTerms orders term labels newest first (by start year,
// then end year), dropping repeats and malformed labels.
func SortTerms(terms []string) []string {
	var out []string
	for _, t := range terms {
		if _, _, err := ParseTerm(t); err == nil && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		as, ae, _ := ParseTerm(a)
		bs, be, _ := ParseTerm(b)
		if c := cmp.Compare(bs, as); c != 0 {
			return c
		}
		return cmp.Compare(be, ae)
	})
	return out
}

// CurrentTerm picks, among terms (newest first, as
// SortTerms gives them), the one running at now; else the
// earliest one still to come; else the latest. "" when there are none.
func CurrentTerm(terms []string, now time.Time) string {
	y := now.UTC().Year()
	next := ""
	for _, t := range terms {
		s, e, err := ParseTerm(t)
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
	PersonMax    = 200 // runes
	ExpertiseMax = 10  // tags
	TagMax       = 60  // runes per tag
)

// CheckEntry checks a nomination as it is entered: Validate, plus a known
// DTG, a term, and a name and expertise tags of bounded length.
func (n Nomination) CheckEntry() error {
	// Every problem at once, so that a form shows them together.
	var errs concord.Errors
	if _, ok := concord.DTGByCode(n.DTG); !ok {
		errs.Add(concord.Errorf(concord.EInvalid, "dtg", "cofac.error.dtg", "unknown thematic group %q", n.DTG))
	}
	for _, e := range n.problems() {
		if e.Field != "dtg" || len(errs) == 0 {
			errs.Add(e)
		}
	}
	if n.Term == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "term", "cofac.error.term", "the nomination needs a term, e.g. 2026-2027"))
	}
	if utf8.RuneCountInString(n.Person) > PersonMax {
		errs.Add(concord.Errorf(concord.EInvalid, "person", "error.too_long", "the name is over %d characters", PersonMax))
	}
	if len(n.Expertise) > ExpertiseMax {
		errs.Add(concord.Errorf(concord.EInvalid, "expertise", "cofac.error.expertise", "at most %d expertise tags", ExpertiseMax))
	} else {
		for _, e := range n.Expertise {
			if strings.TrimSpace(e) == "" || utf8.RuneCountInString(e) > TagMax {
				errs.Add(concord.Errorf(concord.EInvalid, "expertise", "cofac.error.expertise", "an expertise tag is empty or over %d characters", TagMax))
				break
			}
		}
	}
	return errs.Err()
}

// SamePerson reports whether two nominations name the same person: the
// names compared without case and extra spaces.
func (n Nomination) SamePerson(o Nomination) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return norm(n.Person) == norm(o.Person)
}

// Standing reports whether the nomination has not been withdrawn.
func (n Nomination) Standing() bool { return n.WithdrawnAt.IsZero() }

// Set is a set of co-facilitators the Chair put forward for a
// DTG and a term, with the facts its balance was checked on: the rule
// version in force, each candidate State's category and regional group, and
// the seats of earlier terms. Keeping them means the record of a set does
// not change when a State's category or the rules change later.
type Set struct {
	DTG        string
	Term       string
	Pair       []Nomination
	Policy     Policy            // the version in force when proposed
	Categories map[string]string // ISO3 -> developed/developing under Policy.Scheme
	Groups     map[string]string // ISO3 -> regional group counted for elections
	Previous   []Seat            // the seats the rotation rule saw
	Checks     []Check
}

// Context is the reference data the set was checked on.
func (s Set) Context() Context {
	return Context{
		Category: func(iso3 string) string { return s.Categories[iso3] },
		Group:    func(iso3 string) string { return s.Groups[iso3] },
		Previous: s.Previous,
	}
}

// Appoint is the set's state under its own policy, with the facts of its
// decision at now.
func (s Set) Appoint(facts decision.Facts, now time.Time) (Result, error) {
	return Appoint(s.Policy, s.Context(), s.DTG, s.Pair, facts, now)
}

// Held reports whether a state means the set holds its seats.
func (st State) Held() bool {
	return st == Appointed || st == Approved
}

// Open reports whether a state keeps the set (and its nominations) in play:
// proposed and awaiting the decision, or holding the seats.
func (st State) Open() bool { return st == Proposed || st.Held() }

// Seats are the seats an appointed set holds (TermsAgo unset).
func (s Set) Seats() []Seat {
	out := make([]Seat, len(s.Pair))
	for i, n := range s.Pair {
		out[i] = Seat{State: n.State, DTG: s.DTG, Person: n.Person, Term: s.Term}
	}
	return out
}

// Simulation is the set's state under one appointment mode.
type Simulation struct {
	Policy Policy
	Result Result
	Err    error
}

// Simulate runs the same facts under each appointment mode
// (Alternatives): what the set would be had the rule been
// chair_appoints, silence or consensus approval.
func (s Set) Simulate(facts decision.Facts, now time.Time) []Simulation {
	alts := Alternatives(s.Policy)
	out := make([]Simulation, len(alts))
	for i, p := range alts {
		res, err := Appoint(p, s.Context(), s.DTG, s.Pair, facts, now)
		out[i] = Simulation{Policy: p, Result: res, Err: err}
	}
	return out
}

// PreviousSeats returns the seats held in terms before term,
// each with TermsAgo counted over the earlier terms in which seats were
// held: the latest of them is 1. A term in which no one was appointed does
// not count, so rotation looks back over terms that had co-facilitators.
func PreviousSeats(term string, held []Seat) []Seat {
	cur := termStart(term)
	var earlier []string
	for _, s := range held {
		if st := termStart(s.Term); st > 0 && st < cur {
			earlier = append(earlier, s.Term)
		}
	}
	order := SortTerms(earlier) // newest first
	var out []Seat
	for _, s := range held {
		if i := slices.Index(order, s.Term); i >= 0 {
			s.TermsAgo = i + 1
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Seat) int { return cmp.Compare(a.TermsAgo, b.TermsAgo) })
	return out
}

// SetText is the title and proposal of the decision on a set,
// in the six languages. Names and State codes are shown as entered.
func SetText(d concord.DTG, term string, pair []Nomination) (title, proposal concord.Text) {
	names := make([]string, len(pair))
	for i, n := range pair {
		names[i] = n.Person + " (" + n.State + ")"
	}
	who := strings.Join(names, ", ")
	title, proposal = concord.Text{}, concord.Text{}
	for _, l := range concord.Languages {
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
