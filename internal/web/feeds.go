package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/agenda"
	"concord/document"
	"concord/internal/atom"
	"concord/internal/decide"
	"concord/internal/documents"
)

// Atom feeds (RFC 4287) of the record (issue 12, doc/record.md): new
// documents of the process, of a meeting, by a State (or any author) and on
// an agenda item, and decisions' outcomes. Each is public: it lists only
// what the public may see, whoever asks, since a feed's address is shared
// and readers fetch it without credentials. A feed is built from
// atom.Entry values by one function per kind of row (documentEntry,
// outcomeEntry) and served by serveFeed; statements add theirs the same
// way (doc/record.md, "Feeds").

func (s *Server) feedRoutes() []Route {
	return []Route{
		{"GET", "/documents/feed.atom", concord.ActRead, nil, "/documents/feed.atom", s.documentsFeed},
		{"GET", "/meetings/{id}/feed.atom", concord.ActRead, nil, "/meetings/1/feed.atom", s.meetingFeed},
		{"GET", "/states/{iso3}/feed.atom", concord.ActRead, nil, "/states/FRA/feed.atom", s.stateFeed},
		{"GET", "/sessions/{code}/items/{item}/feed.atom", concord.ActRead, nil, "/sessions/GM-2026-1/items/item-1/feed.atom", s.itemFeed},
		{"GET", "/decisions/feed.atom", concord.ActRead, nil, "/decisions/feed.atom", s.decisionsFeed},
	}
}

// FeedLink is a feed a page offers: in its head (<link rel="alternate">,
// which browsers and feed readers discover) and as a visible link.
type FeedLink struct {
	Href  string // from the site's root: /en/documents/feed.atom
	Title string
}

// feedEpoch is the updated date of a feed with no entry yet: a fixed
// instant (the year the Global Mechanism's record starts), so that an
// empty feed does not change between two reads.
var feedEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newFeed starts the feed served at the request's path, for the HTML page
// at alternate (a path after /{lang}).
func (s *Server) newFeed(r *http.Request, p *Page, kind, title, alternate string) atom.Feed {
	base := s.baseURL(r)
	return atom.Feed{ID: atom.ID(s.Decide.Process, "feed", kind, p.Lang), Title: title, Lang: p.Lang,
		Self: base + r.URL.Path, Alternate: base + p.URL(alternate), Author: p.T("feed.publisher"), Since: feedEpoch}
}

// serveFeed writes f with its media type, language and Last-Modified (its
// latest change). The conditional middleware adds the ETag and answers
// If-None-Match and If-Modified-Since with 304, and the page cache keeps it
// until a write (or a deadline a decision read reported) changes it.
func serveFeed(w http.ResponseWriter, f atom.Feed) error {
	h := w.Header()
	h.Set("Content-Type", atom.MediaType+"; charset=utf-8")
	h.Set("Content-Language", f.Lang)
	h.Set("Last-Modified", f.Latest().UTC().Format(http.TimeFormat))
	_, err := w.Write(f.Encode())
	return err
}

// documentEntry is a document as a feed entry in the page's language: its
// symbol and title (the title in another language when the page's is
// missing, marked with its language), its authors, type, date and the
// languages it can be read in, linking to its page.
func (s *Server) documentEntry(p *Page, base string, d document.Document) atom.Entry {
	title, tlang, _ := d.Title.In(p.Lang)
	id := strconv.FormatInt(d.ID, 10)
	typ := p.T("document.type." + string(d.Type))
	var langs []string
	for _, l := range d.Languages() {
		langs = append(langs, p.LangName(l))
	}
	e := atom.Entry{ID: atom.ID(d.Process, "document", id, p.Lang), Title: d.Symbol + " — " + title, TitleLang: tlang,
		Updated: d.Updated, Published: d.Created, Link: base + p.URL("/documents/"+id),
		Summary:  p.T("feed.document_summary", "Symbol", d.Symbol, "Type", typ, "Date", p.DocDate(d), "Languages", strings.Join(langs, ", ")),
		Category: []atom.Category{{Term: string(d.Type), Label: typ}}}
	for _, a := range d.Authors {
		e.Authors = append(e.Authors, p.Author(a))
	}
	return e
}

// documentFeed fills f with docs and serves it.
func (s *Server) documentFeed(w http.ResponseWriter, r *http.Request, p *Page, f atom.Feed, docs []document.Document) error {
	base := s.baseURL(r)
	for _, d := range docs {
		f.Entries = append(f.Entries, s.documentEntry(p, base, d))
	}
	return serveFeed(w, f)
}

// documentsFeed: the process's newest documents.
func (s *Server) documentsFeed(w http.ResponseWriter, r *http.Request) error {
	docs, err := s.documentsSvc().Feed(r.Context(), documents.FeedFilter{})
	if err != nil {
		return err
	}
	p := s.newPage(r, "feed.documents", nil)
	return s.documentFeed(w, r, p, s.newFeed(r, p, "documents", p.Title, "/documents"), docs)
}

// meetingFeed: the newest documents of one meeting.
func (s *Server) meetingFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.DB.Meeting(r.Context(), id)
	if err != nil {
		return err
	}
	if m.Process != s.Decide.Process {
		return concord.ErrNotFound
	}
	docs, err := s.documentsSvc().Feed(r.Context(), documents.FeedFilter{Meeting: id})
	if err != nil {
		return err
	}
	p := s.newPage(r, "", nil)
	path := "/meetings/" + strconv.FormatInt(id, 10)
	f := s.newFeed(r, p, "meeting/"+strconv.FormatInt(id, 10), p.T("feed.meeting", "Meeting", p.L(m.Title).Text), path)
	f.Since = m.Created
	return s.documentFeed(w, r, p, f, docs)
}

// stateFeed: the newest documents a State wrote (alone or with others).
func (s *Server) stateFeed(w http.ResponseWriter, r *http.Request) error {
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	st, err := s.DB.GetState(r.Context(), iso3)
	if err != nil {
		return err
	}
	docs, err := s.documentsSvc().Feed(r.Context(), documents.FeedFilter{Author: st.ISO3})
	if err != nil {
		return err
	}
	p := s.newPage(r, "", nil)
	f := s.newFeed(r, p, "state/"+st.ISO3, p.T("feed.state", "State", p.L(st.Names).Text), "/states/"+st.ISO3)
	return s.documentFeed(w, r, p, f, docs)
}

// itemFeed: the newest documents on an item of a session's agenda, named
// as the agenda the session works on numbers it.
func (s *Server) itemFeed(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.agendas().Session(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	it, ok := findItem(sess.Basis.Doc.Items, r.PathValue("item"))
	if !ok {
		return concord.Errorf(concord.ENotFound, "item", "error.not_found", "no item %q on the agenda of %s", r.PathValue("item"), sess.Code)
	}
	docs, err := s.documentsSvc().Feed(r.Context(), documents.FeedFilter{Item: document.ItemRef{Session: sess.Code, Item: r.PathValue("item")}})
	if err != nil {
		return err
	}
	p := s.newPage(r, "", nil)
	f := s.newFeed(r, p, "item/"+sess.Code+"/"+r.PathValue("item"),
		p.T("feed.item", "Number", it.Number, "Session", sess.Code, "Item", p.L(it.Title).Text), "/sessions/"+sess.Code)
	f.Alternate += "#agenda-" + r.PathValue("item")
	f.Since = sess.Versions[0].Doc.Issued
	return s.documentFeed(w, r, p, f, docs)
}

// itemFeedPath is the feed of item it of session code (after /{lang}).
func itemFeedPath(code string, it agenda.Item) string {
	return "/sessions/" + code + "/items/" + url.PathEscape(itemKey(it)) + "/feed.atom"
}

// ItemKey is the key of an agenda item in its feed's address and its row's
// anchor (itemKey).
func (p *Page) ItemKey(it agenda.Item) string { return itemKey(it) }

// findItem finds the item whose stable id (else number) is key.
func findItem(items []agenda.Item, key string) (agenda.Item, bool) {
	for _, it := range items {
		if itemKey(it) == key {
			return it, true
		}
	}
	return agenda.Item{}, false
}

// itemKey is the key an agenda item's references and feed use: its stable
// id, else its number.
func itemKey(it agenda.Item) string {
	if it.ID != "" {
		return it.ID
	}
	return it.Number
}

// outcomeEntry is a decision's final outcome as a feed entry: updated at
// the instant it was decided.
func (s *Server) outcomeEntry(p *Page, base string, o decide.Outcome) atom.Entry {
	title, tlang, _ := o.Decision.Title.In(p.Lang)
	id := strconv.FormatInt(o.Decision.ID, 10)
	label := p.T("outcome." + string(o.Result.Outcome))
	return atom.Entry{ID: atom.ID(o.Decision.Process, "decision", id, p.Lang), Title: title, TitleLang: tlang,
		Updated: o.Result.DecidedAt, Link: base + p.URL("/decisions/"+id),
		Summary:  p.T("feed.outcome_summary", "Outcome", label, "Date", o.Result.DecidedAt.UTC().Format("2006-01-02 15:04")+" UTC"),
		Category: []atom.Category{{Term: string(o.Result.Outcome), Label: label}}}
}

// decisionsFeed: the outcomes of the newest decisions, latest first.
func (s *Server) decisionsFeed(w http.ResponseWriter, r *http.Request) error {
	outs, err := s.Decide.Outcomes(r.Context())
	if err != nil {
		return err
	}
	p := s.newPage(r, "feed.decisions", nil)
	f := s.newFeed(r, p, "decisions", p.Title, "/decisions")
	base := s.baseURL(r)
	for _, o := range outs {
		f.Entries = append(f.Entries, s.outcomeEntry(p, base, o))
	}
	return serveFeed(w, f)
}
