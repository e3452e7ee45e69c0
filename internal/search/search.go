// Package search is the one full-text search over the record (issue 12):
// documents in every language version, decisions, organisations, States
// (and statements once they write their entries), in the six languages.
// The index is written by the store in the transaction of each write
// (store.IndexSearch); this service reads it for pages and the API: what
// the reader may see (filtered in SQL), the facets, a page of results with
// their highlighted snippets, in two statements whatever the data.
package search

import (
	"context"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/document"
	"concord/internal/store"
	"concord/internal/textfold"
	"concord/meeting"
)

// PageSize is how many results a page shows.
const PageSize = 20

// MaxQuery bounds the length of what is asked, in characters.
const MaxQuery = 200

// Service searches the record.
type Service struct {
	DB *store.DB
}

// Query is a search as asked: the words and the facets.
type Query struct {
	Text    string
	Kind    string
	Body    string
	Meeting int64
	State   string
	Lang    string
	From    time.Time // inclusive
	To      time.Time // inclusive (the whole day)
	Page    int       // from 1
	// Limit and Offset, when Limit is set, select the rows instead of Page
	// (the API's paging).
	Limit, Offset int
}

// Result is one entry found, with its snippet: the part of its text around
// the first match, HTML-escaped, the matches in <mark>.
type Result struct {
	store.SearchEntry
	Snippet string
}

// Results is one page of results and the counts of the whole search.
type Results struct {
	Results []Result
	Total   int
	Kinds   map[string]int // by kind
	Langs   map[string]int // by language
	// Asked reports whether the query had anything to look for.
	Asked bool
}

// Visible is the visibilities of entries u may see: the document
// distributions u may see, and the confidential entries for whoever
// manages accounts and sign-ups (the Secretariat).
func Visible(u *concord.User) []string {
	var out []string
	for _, d := range document.Visible(u) {
		out = append(out, string(d))
	}
	if concord.Can(u, concord.ActManageUsers, concord.Target{}) {
		out = append(out, store.VisibleConfidential)
	}
	return out
}

// Check reads a query's facets, every problem at once: an unknown kind,
// body, language or State code, a query too long, dates the wrong way
// round.
func Check(q Query) error {
	var errs concord.Errors
	bad := func(field, key, format string, args ...any) {
		errs = append(errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
	}
	if utf8.RuneCountInString(q.Text) > MaxQuery {
		bad("q", "search.error.long", "a search has at most %d characters", MaxQuery)
	}
	if q.Kind != "" && !slices.Contains(store.SearchKinds, q.Kind) {
		bad("kind", "search.error.kind", "unknown kind %q", q.Kind)
	}
	if q.Body != "" && !slices.Contains(meeting.Bodies, meeting.Body(q.Body)) {
		bad("body", "search.error.body", "unknown body %q", q.Body)
	}
	if q.Lang != "" && !concord.IsLanguage(q.Lang) {
		bad("language", "search.error.language", "unknown language %q", q.Lang)
	}
	if q.State != "" && (len(q.State) != 3 || strings.ToUpper(q.State) != q.State) {
		bad("state", "search.error.state", "unknown State code %q", q.State)
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		bad("to", "search.error.dates", "the end date is before the start date")
	}
	return errs.Err()
}

// Parse reads a search from a page's or the API's query (q, kind, body,
// state, language, meeting, from, to, page): a date that is
// not a date or a meeting that is not a number is reported with the rest.
func Parse(q url.Values) (Query, error) {
	s := Query{Text: q.Get("q"), Kind: q.Get("kind"), Body: q.Get("body"), State: q.Get("state"), Lang: q.Get("language")}
	var errs concord.Errors
	if raw := q.Get("meeting"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "meeting", "document.error.meeting_id", "not a meeting number: %q", raw))
		}
		s.Meeting = id
	}
	for _, d := range []struct {
		field string
		to    *time.Time
	}{{"from", &s.From}, {"to", &s.To}} {
		if raw := q.Get(d.field); raw != "" {
			t, err := time.Parse(time.DateOnly, raw)
			if err != nil {
				errs = append(errs, concord.Errorf(concord.EInvalid, d.field, "search.error.date", "not a date: %q", raw))
			}
			*d.to = t
		}
	}
	errs.Add(Check(s))
	// In the form's order, so that the first (whose code answers the
	// API's status) is the first a reader meets.
	slices.SortStableFunc(errs, func(a, b *concord.Error) int { return slices.Index(fields, a.Field) - slices.Index(fields, b.Field) })
	s.Page, _ = strconv.Atoi(q.Get("page"))
	return s, errs.Err()
}

// fields is the order of the search form's fields.
var fields = []string{"q", "kind", "language", "body", "state", "meeting", "from", "to"}

// MessageKeys lists the messages Check raises, for the catalogue test.
func MessageKeys() []string {
	return []string{"search.error.long", "search.error.kind", "search.error.body", "search.error.language", "search.error.state", "search.error.dates", "search.error.date", "document.error.meeting_id"}
}

// Search runs q for u: the entries u may see that hold every word, in the
// facets, one page of them with snippets (a Page past the end gives the
// last), and the counts by kind and language. Two statements whatever the
// number of entries and of matches; none when q has nothing to look for.
func (s *Service) Search(ctx context.Context, u *concord.User, q Query) (Results, error) {
	if err := Check(q); err != nil {
		return Results{}, err
	}
	toks := textfold.Query(q.Text)
	out := Results{Kinds: map[string]int{}, Langs: map[string]int{}, Asked: len(toks) > 0}
	if len(toks) == 0 {
		return out, nil
	}
	sq := store.SearchQuery{Tokens: toks, Visible: Visible(u), Kind: q.Kind, Body: q.Body, Meeting: q.Meeting, State: q.State,
		Lang: q.Lang, From: q.From, Limit: PageSize, Offset: (max(q.Page, 1) - 1) * PageSize}
	if !q.To.IsZero() {
		sq.To = q.To.AddDate(0, 0, 1)
	}
	if q.Limit > 0 {
		sq.Limit, sq.Offset = q.Limit, max(q.Offset, 0)
	}
	r := s.DB.Read(ctx)
	counts, err := r.SearchCounts(sq)
	if err != nil {
		return out, err
	}
	for _, c := range counts {
		out.Total += c.N
		out.Kinds[c.Kind] += c.N
		out.Langs[c.Lang] += c.N
	}
	if q.Limit == 0 && sq.Offset >= out.Total {
		// A page past the end shows the last one, as the pager does.
		sq.Offset = max((out.Total-1)/PageSize, 0) * PageSize
	}
	// The page is read even when nothing was found, so that a search costs
	// the same statements whatever it finds.
	es, err := r.Search(sq)
	if err != nil {
		return out, err
	}
	for _, e := range es {
		out.Results = append(out.Results, Result{SearchEntry: e, Snippet: Snippet(e.Text, toks)})
	}
	return out, nil
}

// snippetRunes is about how many characters a snippet shows.
const snippetRunes = 240

// Snippet is the part of text around the first match of the tokens (its
// start when only the title matched), HTML-escaped, each match then wrapped
// in <mark>: the marks are added after escaping, so nothing in the text can
// open a tag.
func Snippet(text string, toks []string) string {
	text = strings.Join(strings.Fields(text), " ")
	marks := textfold.Marks(text, toks)
	start := 0
	if len(marks) > 0 {
		// Some context before the first match, from a word's start.
		start = marks[0].Start
		for n := 0; start > 0 && n < snippetRunes/4; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
		if start > 0 {
			if i := strings.IndexByte(text[start:marks[0].Start], ' '); i >= 0 {
				start += i + 1
			}
		}
	}
	end := start
	for n := 0; end < len(text) && n < snippetRunes; n++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	at := start
	for _, m := range marks {
		if m.End <= start || m.Start >= end {
			continue
		}
		a, z := max(m.Start, start), min(m.End, end)
		b.WriteString(html.EscapeString(text[at:a]))
		b.WriteString("<mark>" + html.EscapeString(text[a:z]) + "</mark>")
		at = z
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString(" …")
	}
	return b.String()
}

// Path is where the source of an entry is read, after the language prefix
// of a page or /api/v1: /documents/12, /decisions/3, /organizations/7,
// /states/FRA, /statements/40.
func Path(e store.SearchEntry) string {
	switch e.Kind {
	case store.SearchDocument:
		return "/documents/" + e.Ref
	case store.SearchDecision:
		return "/decisions/" + e.Ref
	case store.SearchOrganization:
		return "/organizations/" + e.Ref
	case store.SearchState:
		return "/states/" + e.Ref
	}
	return "/" + e.Kind + "s/" + e.Ref
}
