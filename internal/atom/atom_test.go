package atom_test

import (
	"strings"
	"testing"
	"time"

	"concord/internal/atom"
	"concord/internal/atom/atomtest"
)

var t0 = time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)

func sample() atom.Feed {
	return atom.Feed{ID: atom.ID("GM", "feed", "/ar/documents/feed.atom"), Title: "وثائق الآلية العالمية", Subtitle: "A & B <c>",
		Lang: "ar", Self: "https://concord.example/ar/documents/feed.atom", Alternate: "https://concord.example/ar/documents",
		Author: "الآلية العالمية", Since: t0.Add(-1000 * time.Hour),
		Entries: []atom.Entry{
			{ID: atom.ID("GM", "document", "2", "ar"), Title: "جدول الأعمال المؤقت", Updated: t0, Published: t0.Add(-time.Hour),
				Link: "https://concord.example/ar/documents/2", Authors: []string{"الأمانة"}, Summary: "A/AC.GM/2026/1 · <b>not markup</b>\x01",
				Category: []atom.Category{{Term: "provisional-agenda", Label: "جدول أعمال مؤقت"}}},
			{ID: atom.ID("GM", "document", "1", "ar"), Title: "Only in English", TitleLang: "en", Updated: t0.Add(-48 * time.Hour),
				Link: "https://concord.example/ar/documents/1"},
		}}
}

// TestParseBack reads the feed back and checks what RFC 4287 requires.
func TestParseBack(t *testing.T) {
	f := atomtest.Parse(t, sample().Encode())
	if f.Lang != "ar" || f.Updated != "2026-07-20T14:00:00Z" {
		t.Errorf("feed lang %q updated %q", f.Lang, f.Updated)
	}
	if atomtest.Rel(f.Links, "alternate", "text/html") != "https://concord.example/ar/documents" {
		t.Errorf("links %+v", f.Links)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries", len(f.Entries))
	}
	e := f.Entries[0]
	if e.Lang != "ar" || e.Published != "2026-07-20T13:00:00Z" || e.Summary.Text != "A/AC.GM/2026/1 · <b>not markup</b>" ||
		len(e.Authors) != 1 || len(e.Category) != 1 || e.Category[0].Term != "provisional-agenda" {
		t.Errorf("entry %+v", e)
	}
	if f.Entries[1].Lang != "ar" || f.Entries[1].Title.Lang != "en" {
		t.Errorf("a fallback title says its language: entry %q, title %q", f.Entries[1].Lang, f.Entries[1].Title.Lang)
	}
}

func TestLatest(t *testing.T) {
	f := sample()
	if !f.Latest().Equal(t0) {
		t.Errorf("latest %s", f.Latest())
	}
	f.Entries = nil
	if !f.Latest().Equal(f.Since) {
		t.Errorf("an empty feed is as old as Since: %s", f.Latest())
	}
	f.Updated = t0.Add(time.Hour)
	if !f.Latest().Equal(t0.Add(time.Hour)) {
		t.Error("Updated wins")
	}
}

func TestID(t *testing.T) {
	a, b := atom.ID("GM", "document", "12", "fr"), atom.ID("GM", "document", "12", "fr")
	if a != b || a == atom.ID("GM", "document", "12", "en") {
		t.Errorf("ids %s %s", a, b)
	}
	if !strings.HasPrefix(a, "urn:uuid:") || len(a) != len("urn:uuid:")+36 || a[len("urn:uuid:")+14] != '5' {
		t.Errorf("not a version 5 UUID URN: %s", a)
	}
	// Fixed forever: a change would make every reader see every entry anew.
	if got := atom.ID("GM", "document", "1", "en"); got != "urn:uuid:61175355-109b-5cd9-b85f-66fea9149d27" {
		t.Errorf("ID changed: %s", got)
	}
}

// TestJing validates the feed, and an empty one, against RFC 4287's RELAX
// NG schema; and checks that jing does refuse a broken feed, so that the
// check can fail.
func TestJing(t *testing.T) {
	empty := sample()
	empty.Entries = nil
	atomtest.Jing(t, sample().Encode(), empty.Encode())
	broken := strings.Replace(string(sample().Encode()), "<updated>2026-07-20T14:00:00Z</updated>", "<updated>20 July 2026</updated>", 1)
	if out, err := atomtest.Run(t, []byte(broken)); err == nil || !strings.Contains(out, "updated") {
		t.Errorf("jing accepted a feed with a bad date: %v %s", err, out)
	}
}
