package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/document"
	"concord/internal/documents"
	"concord/internal/search"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/internal/textfold"
)

var ctx = context.Background()

var (
	sec         = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	fra         = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	stakeholder = &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 9}
)

// publish stores documents through the documents service (its Save step
// writes the index) in each distribution.
func publish(t *testing.T, db *store.DB) {
	t.Helper()
	svc := &documents.Service{DB: db, Process: concord.DefaultProcessCode, Pattern: document.GlobalMechanism}
	day := time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)
	for i, dist := range document.Distributions {
		in := documents.Input{Symbol: "A/AC.GM/2026/WP." + string(rune('1'+i)), Type: document.WorkingPaper, Authors: []string{"chair"},
			Date: day.AddDate(0, 0, i), Distribution: dist,
			Title: concord.Text{"en": "Resilience paper " + string(dist), "ar": "ورقة عن الصمود"},
			Versions: []documents.VersionInput{
				{Lang: "en", Status: document.Original, Text: "On the resilience of critical infrastructure <script>alert(1)</script>."},
				{Lang: "ar", Status: document.Official, Text: "بشأن صُمودِ البنيةِ التحتيةِ الحيويةِ."},
			}}
		if _, err := svc.Publish(ctx, sec, in); err != nil {
			t.Fatal(err)
		}
	}
}

// Never returns what the reader may not see: limited and restricted
// documents are absent for the public, restricted for a stakeholder, and a
// State sees all three; the counts agree with the lists.
func TestSearchAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		publish(t, db)
		svc := &search.Service{DB: db}
		for _, c := range []struct {
			who  string
			u    *concord.User
			want []string
		}{
			{"public", nil, []string{"general"}},
			{"stakeholder", stakeholder, []string{"general", "limited"}},
			{"State", fra, []string{"general", "limited", "restricted"}},
			{"Secretariat", sec, []string{"general", "limited", "restricted"}},
		} {
			for _, q := range []string{"resilience", "الصمود"} {
				res, err := svc.Search(ctx, c.u, search.Query{Text: q, Kind: store.SearchDocument})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range res.Results {
					got = append(got, r.Visibility)
				}
				slices.Sort(got)
				if !slices.Equal(got, c.want) || res.Total != len(c.want) || res.Kinds[store.SearchDocument] != len(c.want) {
					t.Errorf("%s, %q: %v (total %d)", c.who, q, got, res.Total)
				}
			}
		}
		// Paging: one per page, newest first.
		res, err := svc.Search(ctx, fra, search.Query{Text: "resilience", Limit: 1, Offset: 1})
		if err != nil || len(res.Results) != 1 || res.Total != 3 || res.Results[0].Visibility != "limited" {
			t.Errorf("page 2 of 1: %+v %v", res, err)
		}
		// A date range, inclusive of the last day.
		day := time.Date(2026, 7, 21, 0, 0, 0, 0, time.UTC)
		res, err = svc.Search(ctx, fra, search.Query{Text: "resilience", From: day, To: day})
		if err != nil || res.Total != 1 {
			t.Errorf("one day: %+v %v", res, err)
		}
		// Snippets are escaped and marked.
		res, _ = svc.Search(ctx, nil, search.Query{Text: "RESILIENCE", Lang: "en"})
		if len(res.Results) != 1 || !strings.Contains(res.Results[0].Snippet, "<mark>resilience</mark>") || strings.Contains(res.Results[0].Snippet, "<script>") {
			t.Errorf("snippet: %+v", res.Results)
		}
		res, _ = svc.Search(ctx, nil, search.Query{Text: "صمود"})
		if len(res.Results) != 1 || !strings.Contains(res.Results[0].Snippet, "<mark>صُمودِ</mark>") {
			t.Errorf("arabic snippet: %+v", res.Results)
		}
	})
}

func TestSearchStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		publish(t, db)
		svc := &search.Service{DB: db}
		before := db.Queries()
		if _, err := svc.Search(ctx, nil, search.Query{Text: "resilience infrastructure"}); err != nil {
			t.Fatal(err)
		}
		if n := db.Queries() - before; n != 2 {
			t.Errorf("a search took %d statements, want 2", n)
		}
	})
}

func TestCheck(t *testing.T) {
	err := search.Check(search.Query{Text: strings.Repeat("a", search.MaxQuery+1), Kind: "poem", Body: "senate", Lang: "de", State: "fr",
		From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	var fields []string
	var all concord.Errors
	all.Add(err)
	for _, e := range all {
		fields = append(fields, e.Field)
	}
	if want := []string{"q", "kind", "body", "language", "state", "to"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v (every problem at once)", fields, want)
	}
	if err := search.Check(search.Query{Text: "ok", Kind: "document", Body: "plenary", Lang: "ar", State: "FRA"}); err != nil {
		t.Error(err)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler words here ", 40)
	for _, c := range []struct {
		name, text, q, want string
	}{
		{"escaped then marked", `<b>"Norms"</b> & norms`, "norms", `&lt;b&gt;&#34;<mark>Norms</mark>&#34;&lt;/b&gt; &amp; <mark>norms</mark>`},
		{"window around a late match", long + "the needle is here", "needle", "… "},
		{"no match: the start", "Only the title matched", "absent", "Only the title matched"},
		{"chinese", "各国商定了联络点名录", "联络点", "各国商定了<mark>联络点</mark>名录"},
	} {
		got := search.Snippet(c.text, textfold.Query(c.q))
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q, want prefix %q", c.name, got, c.want)
		}
	}
	got := search.Snippet(strings.Repeat("filler words here ", 40)+"the needle is here", textfold.Query("needle"))
	if !strings.Contains(got, "<mark>needle</mark>") {
		t.Errorf("late match not shown: %q", got)
	}
}
