// Package atom writes Atom feeds (RFC 4287) from a generic Entry: the
// record's documents, decisions' outcomes and, later, statements each turn
// their rows into Entries and call Feed.Encode; nothing here knows what an
// entry is about. Pure: no store, no HTTP, no clock.
//
// Ids are URNs derived from stable ids (ID): a UUID version 5 (RFC 9562
// §5.5) of a name such as "GM/document/12/fr". They do not depend on the
// host the feed was read from, so a reader that subscribed through one
// address and later reads another sees the same entries, and a tag: URI
// would need a domain the instance owns, which it may not have.
//
// encoding/xml writes the document: gorilla/feeds (the one feed module of
// the allowed list) has no xml:lang on a feed or an entry, no published
// date and no self link, which these feeds need.
package atom

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"strings"
	"time"
)

// MediaType is the Atom media type (RFC 4287 §7).
const MediaType = "application/atom+xml"

// Category is a term of a scheme, with its label in the feed's language.
type Category struct {
	Term  string
	Label string
}

// Entry is one item of a feed.
type Entry struct {
	ID        string    // a URI that never changes (ID)
	Title     string    // plain text
	TitleLang string    // the language of Title when it is not the feed's (a fallback); "": the feed's
	Updated   time.Time // the last significant change
	Published time.Time // first made available; zero: not given
	Link      string    // the entry's HTML page (rel="alternate")
	Authors   []string  // names; none: the feed's author stands
	Summary   string    // plain text; "" omits it
	Category  []Category
}

// Feed is a whole feed.
type Feed struct {
	ID        string // a URI that never changes (ID)
	Title     string
	Subtitle  string
	Lang      string // the feed's language (xml:lang on <feed>)
	Self      string // the feed's own absolute URL (rel="self")
	Alternate string // the HTML page it follows (rel="alternate")
	Author    string // who publishes it: every entry without authors is theirs
	// Updated is when the feed last changed; zero takes the latest entry's
	// (Latest), and a feed without entries then says Since.
	Updated time.Time
	// Since is the instant a feed without entries reports as updated: the
	// time of the oldest fact it could list (a meeting's creation), so that
	// it does not change between two reads.
	Since   time.Time
	Entries []Entry
}

// Latest is when the feed last changed: Updated when set, else the latest
// Updated of its entries, else Since.
func (f Feed) Latest() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var t time.Time
	for _, e := range f.Entries {
		if e.Updated.After(t) {
			t = e.Updated
		}
	}
	if t.IsZero() {
		return f.Since
	}
	return t
}

// ID is the URN of a thing named by stable parts ("GM", "document", "12",
// "fr"): urn:uuid: and the name-based (SHA-1, version 5) UUID of the parts
// joined with "/" in Concord's namespace. The same parts always give the
// same id.
func ID(parts ...string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(strings.Join(parts, "/")))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	x := hex.EncodeToString(u[:])
	return "urn:uuid:" + x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// namespace is the UUID of Concord's feed ids: the version 5 UUID of the
// URL "https://concord.invalid/atom" in RFC 9562's URL namespace, fixed once.
var namespace = [16]byte{0x3f, 0x5b, 0x8e, 0x84, 0x61, 0xd0, 0x5d, 0xb0, 0xbc, 0xe7, 0x33, 0x22, 0x55, 0xb2, 0xb4, 0x22}

// stamp is RFC 3339 in UTC with seconds: the form RFC 4287 §3.3 asks for.
const stamp = "2006-01-02T15:04:05Z"

func date(t time.Time) string { return t.UTC().Format(stamp) }

// The XML shapes. Text constructs are type="text" (the default), so
// nothing in a title or summary is ever read as markup.
type (
	xText struct {
		Lang string `xml:"xml:lang,attr,omitempty"`
		Text string `xml:",chardata"`
	}
	xLink struct {
		Rel      string `xml:"rel,attr"`
		Type     string `xml:"type,attr,omitempty"`
		Href     string `xml:"href,attr"`
		HrefLang string `xml:"hreflang,attr,omitempty"`
	}
	xPerson struct {
		Name string `xml:"name"`
	}
	xCategory struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr,omitempty"`
	}
	xEntry struct {
		XMLName   xml.Name    `xml:"entry"`
		Lang      string      `xml:"xml:lang,attr,omitempty"`
		ID        string      `xml:"id"`
		Title     xText       `xml:"title"`
		Updated   string      `xml:"updated"`
		Published string      `xml:"published,omitempty"`
		Authors   []xPerson   `xml:"author"`
		Link      []xLink     `xml:"link"`
		Category  []xCategory `xml:"category"`
		Summary   *xText      `xml:"summary"`
	}
	xFeed struct {
		XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang     string   `xml:"xml:lang,attr"`
		ID       string   `xml:"id"`
		Title    xText    `xml:"title"`
		Subtitle *xText   `xml:"subtitle"`
		Updated  string   `xml:"updated"`
		Author   xPerson  `xml:"author"`
		Link     []xLink  `xml:"link"`
		Gen      string   `xml:"generator"`
		Entries  []xEntry `xml:"entry"`
	}
)

// Encode writes the feed as an Atom document, UTF-8, with its XML
// declaration.
func (f Feed) Encode() []byte {
	x := xFeed{Lang: f.Lang, ID: f.ID, Title: xText{Text: clean(f.Title)}, Updated: date(f.Latest()),
		Author: xPerson{Name: clean(f.Author)}, Gen: "Concord"}
	if f.Subtitle != "" {
		x.Subtitle = &xText{Text: clean(f.Subtitle)}
	}
	if f.Self != "" {
		x.Link = append(x.Link, xLink{Rel: "self", Type: MediaType, Href: f.Self})
	}
	if f.Alternate != "" {
		x.Link = append(x.Link, xLink{Rel: "alternate", Type: "text/html", Href: f.Alternate, HrefLang: f.Lang})
	}
	for _, e := range f.Entries {
		xe := xEntry{ID: e.ID, Title: xText{Text: clean(e.Title)}, Updated: date(e.Updated)}
		// Every entry says its language, the feed's: a reader that lifts
		// an entry out of the feed (a river of news, an aggregator) keeps
		// it; a title shown in another language says which.
		xe.Lang = f.Lang
		if e.TitleLang != "" && e.TitleLang != f.Lang {
			xe.Title.Lang = e.TitleLang
		}
		if !e.Published.IsZero() {
			xe.Published = date(e.Published)
		}
		for _, a := range e.Authors {
			xe.Authors = append(xe.Authors, xPerson{Name: clean(a)})
		}
		if e.Link != "" {
			xe.Link = append(xe.Link, xLink{Rel: "alternate", Type: "text/html", Href: e.Link})
		}
		for _, c := range e.Category {
			xe.Category = append(xe.Category, xCategory{Term: c.Term, Label: clean(c.Label)})
		}
		if e.Summary != "" {
			xe.Summary = &xText{Text: clean(e.Summary)}
		}
		x.Entries = append(x.Entries, xe)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	// The shapes above always encode: strings, and no cycles.
	_ = enc.Encode(x)
	b.WriteByte('\n')
	return b.Bytes()
}

// clean drops the characters XML 1.0 cannot carry at all (C0 controls but
// tab, newline and carriage return; U+FFFE, U+FFFF), which encoding/xml
// would write as U+FFFD anyway, and trims the text.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20 || r == 0xfffe || r == 0xffff:
			return -1
		}
		return r
	}, s))
}
