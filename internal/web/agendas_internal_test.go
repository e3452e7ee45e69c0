package web

import (
	"reflect"
	"testing"
)

// TestWordDiff: a reworded phrase reads as one deletion and one insertion;
// a word added keeps the words around it; scripts without spaces are
// compared character by character.
func TestWordDiff(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from, to string
		want     []segment
	}{
		{"Organization of work", "Organization of work", []segment{{"eq", "Organization of work"}}},
		{"Opening of the session", "Opening of the first session", []segment{{"eq", "Opening of the "}, {"ins", "first "}, {"eq", "session"}}},
		{"Other matters", "", []segment{{"del", "Other matters"}}},
		{"", "Other matters", []segment{{"ins", "Other matters"}}},
		// The common "of" and "the" between two changes fold into them.
		{"Discussions on existing threats in accordance with the documents that established the Mechanism",
			"Discussions on substantive issues as set out in paragraph 9 of Annex C",
			[]segment{{"eq", "Discussions on "}, {"del", "existing threats in accordance with the documents that established the Mechanism"},
				{"ins", "substantive issues as set out in paragraph 9 of Annex C"}}},
		{"讨论现有和潜在威胁", "讨论附件C第9段", []segment{{"eq", "讨论"}, {"del", "现有和潜在威胁"}, {"ins", "附件C第9段"}}},
		{"تنظيم الأعمال", "تنظيم أعمال الأفرقة", []segment{{"eq", "تنظيم "}, {"del", "الأعمال"}, {"ins", "أعمال الأفرقة"}}},
	} {
		if got := wordDiff(c.from, c.to); !reflect.DeepEqual(got, c.want) {
			t.Errorf("wordDiff(%q, %q)\n got %q\nwant %q", c.from, c.to, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	got := tokens("Item 5 (a): 国际法; “règles”")
	want := []string{"Item", " ", "5", " ", "(", "a", ")", ":", " ", "国", "际", "法", ";", " ", "“", "règles", "”"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens: %q", got)
	}
}
