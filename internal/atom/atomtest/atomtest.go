// Package atomtest checks Atom feeds in tests: Parse reads one back with
// encoding/xml and checks what RFC 4287 requires that a schema cannot say
// (ids, dates, the Schematron rules jing ignores), and Jing validates it
// against the RFC's RELAX NG schema (../testdata/atom.rnc) with jing.
package atomtest

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Link is an atom:link.
type Link struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr"`
}

// Text is a text construct with its language.
type Text struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// Entry is an atom:entry as read back.
type Entry struct {
	Lang      string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID        string   `xml:"id"`
	Title     Text     `xml:"title"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published"`
	Authors   []string `xml:"author>name"`
	Links     []Link   `xml:"link"`
	Summary   Text     `xml:"summary"`
	Category  []struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr"`
	} `xml:"category"`
}

// Feed is an atom:feed as read back.
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   Text     `xml:"title"`
	Updated string   `xml:"updated"`
	Authors []string `xml:"author>name"`
	Links   []Link   `xml:"link"`
	Entries []Entry  `xml:"entry"`
}

// Rel is the href of the first link with rel (and type, when given).
func Rel(links []Link, rel, typ string) string {
	for _, l := range links {
		if l.Rel == rel && (typ == "" || l.Type == typ) {
			return l.Href
		}
	}
	return ""
}

// Parse reads body as an Atom feed and reports, as test errors, what RFC
// 4287 requires and it lacks: a feed id, title, updated date, self link
// and author (or an author on every entry), entries with an id, a title,
// an RFC 3339 updated date and a rel="alternate" link, ids unique.
func Parse(t testing.TB, body []byte) Feed {
	t.Helper()
	var f Feed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("not an Atom feed: %v\n%s", err, body)
	}
	date := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s: %q is not an RFC 3339 date", what, s)
		}
	}
	if !strings.HasPrefix(f.ID, "urn:") && !strings.HasPrefix(f.ID, "tag:") {
		t.Errorf("feed id %q is not a URN or tag URI", f.ID)
	}
	if f.Title.Text == "" || f.Lang == "" {
		t.Errorf("feed title %q, xml:lang %q", f.Title.Text, f.Lang)
	}
	date("feed updated", f.Updated)
	if Rel(f.Links, "self", "application/atom+xml") == "" {
		t.Error("no rel=self link")
	}
	seen := map[string]bool{}
	for i, e := range f.Entries {
		if e.ID == "" || seen[e.ID] {
			t.Errorf("entry %d: id %q empty or repeated", i, e.ID)
		}
		seen[e.ID] = true
		if e.Title.Text == "" {
			t.Errorf("entry %d (%s): no title", i, e.ID)
		}
		date("entry "+e.ID+" updated", e.Updated)
		if e.Published != "" {
			date("entry "+e.ID+" published", e.Published)
		}
		// RFC 4287 §4.1.1 and §4.1.2, the Schematron rules jing skips.
		if Rel(e.Links, "alternate", "") == "" {
			t.Errorf("entry %s: no rel=alternate link", e.ID)
		}
		if len(f.Authors) == 0 && len(e.Authors) == 0 {
			t.Errorf("entry %s: no author, and the feed has none", e.ID)
		}
	}
	return f
}

// Schema is the path of the RFC 4287 RELAX NG schema.
func Schema() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "atom.rnc")
}

// Jing validates each feed against the RFC's schema with jing. Without
// jing the test is skipped, or fails when CONCORD_REQUIRE_VALIDATORS=1
// (CI installs it: apt-get install -y jing).
func Jing(t testing.TB, feeds ...[]byte) {
	t.Helper()
	out, err := Run(t, feeds...)
	if err != nil {
		t.Errorf("jing: %v\n%s", err, out)
	}
}

// Run writes the feeds to files and runs jing on them, returning its
// output and error (for a test that expects a refusal).
func Run(t testing.TB, feeds ...[]byte) (string, error) {
	t.Helper()
	jing, err := exec.LookPath("jing")
	if err != nil {
		if os.Getenv("CONCORD_REQUIRE_VALIDATORS") == "1" {
			t.Fatal("jing is not installed and CONCORD_REQUIRE_VALIDATORS=1 (apt-get install -y jing)")
		}
		t.Skip("jing is not installed (apt-get install -y jing)")
	}
	dir := t.TempDir()
	args := []string{"-c", Schema()}
	for i, b := range feeds {
		f := filepath.Join(dir, "feed"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".atom")
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out, err := exec.Command(jing, args...).CombinedOutput()
	return string(out), err
}
