package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"concord"
	"concord/document"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/internal/textfold"
	"concord/meeting"
	"concord/statement"
)

// The index is written with the source, matches the same folded tokens on
// both engines in every script, and filters what the reader may see and
// the facets in SQL.
func TestSearchIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day := time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)
		open := document.Document{Process: concord.DefaultProcessCode, Symbol: "A/AC.GM/2026/7", Type: document.WorkingPaper,
			Authors: []string{"FRA"}, Date: day, Distribution: document.General,
			Title: concord.Text{"en": "Confidence-building measures", "ar": "تدابير بناء الثقة", "zh": "建立信任措施",
				"ru": "Меры укрепления доверия", "fr": "Mesures de confiance", "es": "Medidas de fomento de la confianza"},
			Versions: []document.Version{
				{Lang: "en", Status: document.Original, Text: "States agreed on the Points of Contact directory."},
				{Lang: "ar", Status: document.Official, Text: "اتفقت الدولُ على دليلِ جهاتِ الاتصالِ الخاصةِ في مجال الأمنِ."},
				{Lang: "zh", Status: document.Official, Text: "各国商定了联络点名录和网络安全。"},
				{Lang: "ru", Status: document.Official, Text: "Государства договорились о ЕДИНОМ справочнике."},
				{Lang: "fr", Status: document.Official, Text: "Les États sont convenus d'un répertoire."},
				{Lang: "es", Status: document.Pending},
			}}
		closed := open
		closed.Symbol, closed.Distribution, closed.Authors = "A/AC.GM/2026/CRP.9", document.Restricted, []string{"chair"}
		closed.Type = document.ConferenceRoomPaper
		closed.Title = concord.Text{"en": "Confidential draft on confidence"}
		closed.Versions = []document.Version{{Lang: "en", Status: document.Original, Text: "Restricted text."}}
		for _, d := range []*document.Document{&open, &closed} {
			if err := db.Update(ctx, "test", func(tx *store.Tx) error {
				return tx.SaveRecordDocument(d, document.GlobalMechanism, nil, "document.publish")
			}); err != nil {
				t.Fatal(err)
			}
		}
		all := []string{"general", "limited", "restricted"}
		search := func(q string, f store.SearchQuery) []string {
			t.Helper()
			f.Tokens, f.Limit = textfold.Query(q), 50
			if f.Visible == nil {
				f.Visible = all
			}
			es, err := db.Read(ctx).Search(f)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			var out []string
			for _, e := range es {
				out = append(out, e.Kind+":"+e.Ref+":"+e.Lang)
			}
			return out
		}
		id := func(d document.Document) string { return "document:" + itoaT(d.ID) }
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"CONFIDENCE", []string{id(open) + ":en", id(closed) + ":en"}},
			{"confidence building", []string{id(open) + ":en"}},
			{"directory", []string{id(open) + ":en"}},
			{"الأمن", []string{id(open) + ":ar"}}, // indexed with tashkeel and ة, asked with hamza
			{"الامن الخاصه", []string{id(open) + ":ar"}},
			{"الثقة", []string{id(open) + ":ar"}},
			{"ثقة", []string{id(open) + ":ar"}},           // without the article
			{"والثقة بالأمن", []string{id(open) + ":ar"}}, // with a conjunction and a preposition
			{"بالدول", []string{id(open) + ":ar"}},
			{"网络安全", []string{id(open) + ":zh"}},
			{"信任", []string{id(open) + ":zh"}},
			{"едином", []string{id(open) + ":ru"}},
			{"repertoire", []string{id(open) + ":fr"}},
			{"fomento", []string{id(open) + ":es"}}, // a pending version's title is searchable
			{"A/AC.GM/2026/7", []string{id(open) + ":ar", id(open) + ":en", id(open) + ":es", id(open) + ":fr", id(open) + ":ru", id(open) + ":zh"}},
			{"nowhere", nil},
		} {
			got := search(c.q, store.SearchQuery{})
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%q: got %v, want %v", c.q, got, want)
			}
		}
		// What the reader may not see is neither listed nor counted.
		if got := search("confidence", store.SearchQuery{Visible: []string{"general"}}); !slices.Equal(got, []string{id(open) + ":en"}) {
			t.Errorf("public sees %v", got)
		}
		cs, err := db.Read(ctx).SearchCounts(store.SearchQuery{Tokens: textfold.Query("confidence"), Visible: []string{"general"}})
		if err != nil || len(cs) != 1 || cs[0].N != 1 {
			t.Errorf("public counts %v %v", cs, err)
		}
		// Facets.
		for _, c := range []struct {
			name string
			f    store.SearchQuery
			want int
		}{
			{"state", store.SearchQuery{State: "FRA"}, 1},
			{"other state", store.SearchQuery{State: "BRA"}, 0},
			{"kind", store.SearchQuery{Kind: store.SearchDecision}, 0},
			{"language", store.SearchQuery{Lang: "en"}, 2},
			{"from", store.SearchQuery{From: day}, 2},
			{"to", store.SearchQuery{To: day}, 0},
		} {
			if got := search("confidence", c.f); len(got) != c.want {
				t.Errorf("facet %s: %v", c.name, got)
			}
		}
		// States are indexed at bootstrap, in their six names.
		if got := search("France", store.SearchQuery{}); !slices.Contains(got, "state:FRA:en") {
			t.Errorf("France: %v", got)
		}
		if got := search("法国", store.SearchQuery{}); !slices.Contains(got, "state:FRA:zh") {
			t.Errorf("法国: %v", got)
		}
		// An edit replaces the entries: the old words are gone.
		open.Versions[0].Text = "Replaced wording."
		if err := db.Update(ctx, "test", func(tx *store.Tx) error {
			return tx.SaveRecordDocument(&open, document.GlobalMechanism, nil, "document.edit")
		}); err != nil {
			t.Fatal(err)
		}
		if got := search("directory", store.SearchQuery{}); got != nil {
			t.Errorf("after edit: %v", got)
		}
		if got := search("replaced wording", store.SearchQuery{}); len(got) != 1 {
			t.Errorf("after edit, new words: %v", got)
		}
		// An organisation that signed up is the Secretariat's until verified.
		o := concord.Organization{Kind: concord.OrgStakeholder, Names: concord.Text{"en": "Cyber Peace Institute"}, Type: "ngo"}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.CreateSignedUpOrganization(&o) }); err != nil {
			t.Fatal(err)
		}
		if got := search("cyber peace", store.SearchQuery{}); got != nil {
			t.Errorf("pending organisation: %v", got)
		}
		if got := search("cyber peace", store.SearchQuery{Visible: append(all, store.VisibleConfidential)}); len(got) != 1 {
			t.Errorf("pending organisation for the Secretariat: %v", got)
		}
	})
}

func itoaT(n int64) string { return strconv.FormatInt(n, 10) }

// A migration that changes the folding empties the index (00034): opening
// the store fills it again from the record, statements included, with the
// new folding.
func TestSearchRebuiltOnOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, e := range storetest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db := storetest.Open(t, e)
			day := time.Date(2026, 7, 21, 14, 0, 0, 0, time.UTC)
			m := meeting.Meeting{Process: concord.DefaultProcessCode, Body: meeting.Plenary, Kind: meeting.Substantive,
				Title: concord.Text{"en": "First session"}, Start: day, End: day.Add(4 * time.Hour),
				Zone: meeting.DefaultZone, Venue: "UNHQ", Status: meeting.Scheduled, Attendance: meeting.StatesStakeholders, Session: "GM-2026-1"}
			if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveMeeting(&m, "meeting.create") }); err != nil {
				t.Fatal(err)
			}
			st := statement.Statement{Process: concord.DefaultProcessCode, Meeting: m.ID, Speaker: "EGY", Kind: statement.Kinds[0],
				At: time.Date(2026, 7, 21, 15, 0, 0, 0, time.UTC), Texts: concord.Text{"ar": "نؤكد أهمية تدابير بناء الثقة بين الدول."}}
			if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveStatement(&st, "statement.create") }); err != nil {
				t.Fatal(err)
			}
			find := func() int {
				es, err := db.Read(ctx).Search(store.SearchQuery{Tokens: textfold.Query("والثقة"), Visible: []string{"general"}, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				return len(es)
			}
			if n := find(); n != 1 {
				t.Fatalf("before: %d entries", n)
			}
			if err := db.ClearSearchForTest(ctx); err != nil {
				t.Fatal(err)
			}
			if n := find(); n != 0 {
				t.Fatalf("emptied: %d entries", n)
			}
			if err := db.Bootstrap(ctx); err != nil {
				t.Fatal(err)
			}
			if n := find(); n != 1 {
				t.Errorf("rebuilt: %d entries for the statement", n)
			}
		})
	}
}
