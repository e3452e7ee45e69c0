// Package document is the process's documents (issue 12, doc/record.md):
// each has a symbol under the process's pattern (A/AC.GM/2026/1, with its
// revisions A/AC.GM/2026/1/Rev.1 and corrigenda …/Corr.1 derived from it),
// a type, a title in six languages, its authors as actor codes, a date, a
// distribution that says who may see it at all (CanView), the meetings and
// agenda items it concerns, and up to six language versions, each the
// original, an official or unofficial translation, or pending. Pure: no
// I/O, no clock.
package document

import (
	"concord"
	"concord/decision"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Type is what sort of document it is.
type Type string

// Types of document.
const (
	ProvisionalAgenda    Type = "provisional-agenda"
	ProgrammeOfWork      Type = "programme-of-work"
	ChairsLetter         Type = "chairs-letter"
	WorkingPaper         Type = "working-paper"
	ConferenceRoomPaper  Type = "conference-room-paper"
	ChairsSummary        Type = "chairs-summary"
	DraftReport          Type = "draft-report"
	Report               Type = "report"
	NationalContribution Type = "national-contribution"
	StakeholderInput     Type = "stakeholder-input"
	InformationNote      Type = "information-note"
)

// Types lists the types in the order forms and filters offer them.
var Types = []Type{ProvisionalAgenda, ProgrammeOfWork, ChairsLetter, WorkingPaper, ConferenceRoomPaper,
	ChairsSummary, DraftReport, Report, NationalContribution, StakeholderInput, InformationNote}

// Distribution says who may see a document at all.
type Distribution string

// Distributions, most open first.
const (
	General    Distribution = "general"    // everyone, the public included
	Limited    Distribution = "limited"    // signed-in participants of the process
	Restricted Distribution = "restricted" // States and the Secretariat only
)

// Distributions lists the distributions, most open first.
var Distributions = []Distribution{General, Limited, Restricted}

// Status is what a language version is.
type Status string

// Statuses of a language version.
const (
	Original   Status = "original"
	Official   Status = "official"   // official translation
	Unofficial Status = "unofficial" // unofficial translation
	Pending    Status = "pending"    // translation announced, not yet available
)

// Statuses lists the version statuses.
var Statuses = []Status{Original, Official, Unofficial, Pending}

// File is the stored file of a language version (its bytes live in the
// store, addressed by ID).
type File struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
}

// Version is the document in one language.
type Version struct {
	Lang   string
	Status Status
	File   *File  `json:",omitzero"`
	Text   string `json:",omitzero"`
}

// Available reports whether the version can be read (not pending).
func (v Version) Available() bool { return v.Status != Pending }

// ItemRef is an item of the agenda of a meeting's session (doc/record.md):
// the session code and the item's stable id.
type ItemRef struct {
	Session string
	Item    string
}

// String is the reference as documents, statements and positions carry it
// (doc/record.md): "item:GM-2026-1/item-5".
func (i ItemRef) String() string { return "item:" + i.Session + "/" + i.Item }

// AuthorRef is the reference under which the store indexes a document by
// one of its authors: "author:FRA", "author:chair".
func AuthorRef(code string) string { return "author:" + code }

// Refs is what the store indexes d under besides its meetings (the feeds of
// a State and of an agenda item read it): each author and each item, once.
func (d Document) Refs() []string {
	var out []string
	for _, a := range d.Authors {
		out = append(out, AuthorRef(a))
	}
	for _, i := range d.Items {
		out = append(out, i.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Document is one document of the process.
type Document struct {
	ID           int64
	Process      string
	Symbol       string
	Type         Type
	Title        concord.Text
	Authors      []string // actor codes: "chair", "secretariat", a State's ISO3, "group-12", "org-34"
	Date         time.Time
	Distribution Distribution
	Meetings     []int64   `json:",omitzero"`
	Items        []ItemRef `json:",omitzero"`
	Versions     []Version
	Created      time.Time
	Updated      time.Time
}

// Limits on what a document holds.
const (
	MaxTitleRunes = 1000
	MaxAuthors    = 200
	MaxLinks      = 50
	MaxTextRunes  = 200000
	MaxSymbol     = 100
)

// Pattern is a process's symbol pattern: every symbol starts with Prefix
// and goes on with segments of letters, digits and dots ("2026/1",
// "WP.3", "CRP.2"), optionally followed by /Rev.N and then /Corr.N.
type Pattern struct {
	Prefix string
}

// GlobalMechanism is the Global Mechanism's pattern (A/AC.GM/2026/1).
var GlobalMechanism = Pattern{Prefix: "A/AC.GM/"}

var (
	segment = regexp.MustCompile(`^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$`)
	derived = regexp.MustCompile(`^(Rev|Corr)\.([1-9][0-9]{0,2})$`)
)

// Symbol is a parsed symbol: its base and, for a derived symbol, the
// revision and corrigendum numbers (0 when absent).
type Symbol struct {
	Base string
	Rev  int
	Corr int
}

// String writes the symbol back.
func (s Symbol) String() string {
	out := s.Base
	if s.Rev > 0 {
		out += "/Rev." + strconv.Itoa(s.Rev)
	}
	if s.Corr > 0 {
		out += "/Corr." + strconv.Itoa(s.Corr)
	}
	return out
}

// Parse checks sym against the pattern and splits it.
func (p Pattern) Parse(sym string) (Symbol, error) {
	bad := concord.Errorf(concord.EInvalid, "symbol", "document.error.symbol", "the symbol %q does not follow the pattern %s…", sym, p.Prefix)
	if sym == "" {
		return Symbol{}, concord.Errorf(concord.EInvalid, "symbol", "document.error.symbol_required", "a document needs a symbol")
	}
	if len(sym) > MaxSymbol || !strings.HasPrefix(sym, p.Prefix) {
		return Symbol{}, bad
	}
	parts := strings.Split(strings.TrimPrefix(sym, p.Prefix), "/")
	var s Symbol
	base := len(parts)
	// Derived parts at the end: Rev then Corr, each once, in that order.
	for base > 1 {
		m := derived.FindStringSubmatch(parts[base-1])
		if m == nil {
			break
		}
		n, _ := strconv.Atoi(m[2])
		if m[1] == "Corr" && s.Corr == 0 && s.Rev == 0 {
			s.Corr = n
		} else if m[1] == "Rev" && s.Rev == 0 {
			s.Rev = n
		} else {
			return Symbol{}, bad
		}
		base--
	}
	for _, seg := range parts[:base] {
		if !segment.MatchString(seg) || derived.MatchString(seg) {
			return Symbol{}, bad
		}
	}
	s.Base = p.Prefix + strings.Join(parts[:base], "/")
	return s, nil
}

// Supersedes is the symbol a derived symbol replaces or corrects: a
// revision N replaces revision N-1 (or the base), a corrigendum corrects the
// document it follows. Empty for a base symbol.
func (s Symbol) Supersedes() string {
	switch {
	case s.Corr > 0:
		return Symbol{Base: s.Base, Rev: s.Rev}.String()
	case s.Rev > 1:
		return Symbol{Base: s.Base, Rev: s.Rev - 1}.String()
	case s.Rev == 1:
		return s.Base
	}
	return ""
}

// Family is how a document stands among the documents of its base symbol
// (itself included): what it revises or corrects, what revises and corrects
// it, and the latest revision, which supersedes every earlier one.
type Family struct {
	Supersedes   string   // the symbol this one revises or corrects
	RevisedBy    []string // later revisions of this document's text
	Corrigenda   []string // corrigenda to this document
	Latest       string   // the latest revision of the family
	IsSuperseded bool     // a later revision exists
}

// Relate places sym among the symbols of its family (all of one base, as
// the store returns them); symbols that do not parse are ignored.
func (p Pattern) Relate(sym string, family []string) Family {
	me, err := p.Parse(sym)
	if err != nil {
		return Family{}
	}
	f := Family{Supersedes: me.Supersedes()}
	latest := Symbol{Base: me.Base, Rev: -1}
	for _, o := range family {
		s, err := p.Parse(o)
		if err != nil || s.Base != me.Base {
			continue
		}
		if s.Corr == 0 && s.Rev > latest.Rev {
			latest = s
		}
		if s.Corr > 0 && s.Rev == me.Rev && me.Corr == 0 {
			f.Corrigenda = append(f.Corrigenda, o)
		}
		if s.Corr == 0 && s.Rev > me.Rev {
			f.RevisedBy = append(f.RevisedBy, o)
		}
	}
	if latest.Rev >= 0 {
		f.Latest = latest.String()
		f.IsSuperseded = latest.Rev > me.Rev
	}
	slices.Sort(f.Corrigenda)
	slices.SortFunc(f.RevisedBy, func(a, b string) int {
		x, _ := p.Parse(a)
		y, _ := p.Parse(b)
		return x.Rev - y.Rev
	})
	return f
}

var (
	iso3  = regexp.MustCompile(`^[A-Z]{3}$`)
	group = regexp.MustCompile(`^group-[1-9][0-9]*$`)
	org   = regexp.MustCompile(`^org-[1-9][0-9]*$`)
)

// Author codes that are not a State, a group or an organisation.
const (
	AuthorChair       = "chair"
	AuthorSecretariat = "secretariat"
)

// AuthorKind says what sort of actor an author code names: "chair",
// "secretariat", "state", "group", "stakeholder", or "" when it names none.
func AuthorKind(code string) string {
	switch {
	case code == AuthorChair || code == AuthorSecretariat:
		return code
	case iso3.MatchString(code):
		return "state"
	case group.MatchString(code):
		return "group"
	case org.MatchString(code):
		return "stakeholder"
	}
	return ""
}

// authorKinds says which authors each type admits (absent: any).
var authorKinds = map[Type][]string{
	ChairsLetter:         {"chair"},
	ChairsSummary:        {"chair"},
	ProvisionalAgenda:    {"secretariat", "chair"},
	ProgrammeOfWork:      {"secretariat", "chair"},
	NationalContribution: {"state", "group"},
	StakeholderInput:     {"stakeholder"},
}

// Validate checks the document against the pattern and returns every
// problem at once (concord.Errors).
func (d Document) Validate(p Pattern) error {
	var errs concord.Errors
	bad := func(field, key, format string, args ...any) {
		errs = append(errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
	}
	if _, err := p.Parse(d.Symbol); err != nil {
		errs.Add(err)
	}
	if !slices.Contains(Types, d.Type) {
		bad("type", "document.error.type", "unknown type of document %q", d.Type)
	}
	if err := decision.CheckText(d.Title, "title"); err != nil {
		errs.Add(err)
	}
	for _, t := range d.Title {
		if utf8.RuneCountInString(t) > MaxTitleRunes {
			bad("title", "document.error.title_long", "a title has at most %d characters", MaxTitleRunes)
			break
		}
	}
	switch {
	case len(d.Authors) == 0:
		bad("authors", "document.error.authors", "a document needs an author")
	case len(d.Authors) > MaxAuthors:
		bad("authors", "document.error.authors_many", "at most %d authors", MaxAuthors)
	}
	seen := map[string]bool{}
	for _, a := range d.Authors {
		k := AuthorKind(a)
		switch {
		case k == "":
			bad("authors", "document.error.author", "unknown author %q", a)
		case seen[a]:
			bad("authors", "document.error.author_twice", "author %q named twice", a)
		case authorKinds[d.Type] != nil && !slices.Contains(authorKinds[d.Type], k):
			bad("authors", "document.error.author_type", "a %s cannot be written by %q", d.Type, a)
		}
		seen[a] = true
	}
	if d.Date.IsZero() {
		bad("date", "document.error.date", "a document needs a date")
	}
	if !slices.Contains(Distributions, d.Distribution) {
		bad("distribution", "document.error.distribution", "unknown distribution %q", d.Distribution)
	}
	if len(d.Meetings)+len(d.Items) > MaxLinks {
		bad("meetings", "document.error.links", "at most %d meetings and items", MaxLinks)
	}
	for _, it := range d.Items {
		if it.Session == "" || it.Item == "" {
			bad("items", "document.error.item", "an agenda item needs its session and item")
			break
		}
	}
	errs = append(errs, checkVersions(d.Versions)...)
	return errs.Err()
}

// checkVersions: one version per known language, a known status, exactly
// one original, content (a file or a text) unless pending and none if
// pending.
func checkVersions(vs []Version) concord.Errors {
	var errs concord.Errors
	bad := func(field, key, format string, args ...any) {
		errs = append(errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
	}
	originals := 0
	seen := map[string]bool{}
	for _, v := range vs {
		f := "versions." + v.Lang
		if !concord.IsLanguage(v.Lang) {
			bad("versions", "document.error.language", "unknown language %q", v.Lang)
			continue
		}
		if seen[v.Lang] {
			bad(f, "document.error.language_twice", "two versions in %s", v.Lang)
		}
		seen[v.Lang] = true
		if !slices.Contains(Statuses, v.Status) {
			bad(f, "document.error.status", "unknown version status %q", v.Status)
			continue
		}
		has := v.File != nil || strings.TrimSpace(v.Text) != ""
		switch {
		case v.Status == Pending && has:
			bad(f, "document.error.pending_content", "a pending translation has no file or text yet")
		case v.Status != Pending && !has:
			bad(f, "document.error.content", "the %s version needs a file or a text", v.Lang)
		}
		if utf8.RuneCountInString(v.Text) > MaxTextRunes {
			bad(f, "document.error.text_long", "a text has at most %d characters", MaxTextRunes)
		}
		if v.Status == Original {
			originals++
		}
	}
	switch {
	case originals == 0:
		bad("versions", "document.error.original", "one version must be the original")
	case originals > 1:
		bad("versions", "document.error.originals", "only one version is the original")
	}
	return errs
}

// Version returns the version in lang, if any.
func (d Document) Version(lang string) (Version, bool) {
	for _, v := range d.Versions {
		if v.Lang == lang {
			return v, true
		}
	}
	return Version{}, false
}

// ReaderOrder is the versions with the reader's language first, then the
// original, then the others in the order of concord.Languages.
func (d Document) ReaderOrder(lang string) []Version {
	rank := func(v Version) int {
		switch {
		case v.Lang == lang:
			return -2
		case v.Status == Original:
			return -1
		}
		return slices.Index(concord.Languages, v.Lang)
	}
	out := slices.Clone(d.Versions)
	slices.SortStableFunc(out, func(a, b Version) int { return rank(a) - rank(b) })
	return out
}

// Languages is the languages in which a version can be read (not pending).
func (d Document) Languages() []string {
	var out []string
	for _, v := range d.Versions {
		if v.Available() {
			out = append(out, v.Lang)
		}
	}
	return out
}

// CanView reports whether u may see d at all: a general document everyone;
// a limited one every signed-in participant; a restricted one the
// Secretariat, the Chair, co-facilitators and State delegates (the States
// and the Secretariat), never the public or stakeholders. Pages, the API,
// lists and downloads answer "not found" otherwise, so that its existence
// is not disclosed either.
func CanView(u *concord.User, d Document) bool {
	return CanViewDistribution(u, d.Distribution)
}

// CanViewDistribution is CanView for a distribution alone (the store's
// lists filter by it).
func CanViewDistribution(u *concord.User, dist Distribution) bool {
	if dist == General {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	if dist == Limited {
		return true
	}
	switch u.Role {
	case concord.RoleSecretariat, concord.RoleChair, concord.RoleCoFacilitator:
		return true
	case concord.RoleDelegate:
		return u.State != ""
	}
	return false
}

// Visible lists the distributions u may see, for queries.
func Visible(u *concord.User) []Distribution {
	var out []Distribution
	for _, d := range Distributions {
		if CanViewDistribution(u, d) {
			out = append(out, d)
		}
	}
	return out
}

// CanSubmit reports whether u may publish d: the Secretariat any document;
// a State's delegate only a national contribution whose one author is its
// own State, through the kernel's rule on that State.
func CanSubmit(u *concord.User, d Document) bool {
	if concord.Can(u, concord.ActPublishDocuments, concord.Target{}) {
		return true
	}
	if d.Type != NationalContribution || len(d.Authors) != 1 || AuthorKind(d.Authors[0]) != "state" {
		return false
	}
	return concord.Can(u, concord.ActContribute, concord.Target{State: d.Authors[0]})
}

// MessageKeys lists every message key this package emits and the labels of
// its codes, for the catalogue test.
func MessageKeys() []string {
	keys := []string{"document.error.symbol", "document.error.symbol_required", "document.error.type", "document.error.title_long",
		"document.error.authors", "document.error.authors_many", "document.error.author", "document.error.author_twice",
		"document.error.author_type", "document.error.date", "document.error.distribution", "document.error.links",
		"document.error.item", "document.error.language", "document.error.language_twice", "document.error.status",
		"document.error.pending_content", "document.error.content", "document.error.text_long", "document.error.original",
		"document.error.originals"}
	for _, t := range Types {
		keys = append(keys, "document.type."+string(t))
	}
	for _, d := range Distributions {
		keys = append(keys, "document.distribution."+string(d))
	}
	for _, s := range Statuses {
		keys = append(keys, "document.status."+string(s))
	}
	return keys
}
