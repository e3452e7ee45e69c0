package web_test

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"concord/internal/seed"
	"concord/internal/store"
)

// TestSearchPage: a document is found by its words in English and in
// Arabic (the Arabic asked without its hamza), in the page's language and
// another; what a role may not see is absent (the public and a stakeholder
// do not find a restricted paper, a State does); the snippet is escaped;
// bad facets are all reported on the form.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.publishDoc("A/AC.GM/2026/WP.61", "general")
	en.publishDoc("A/AC.GM/2026/WP.62", "restricted")
	hidden := map[string]bool{"": true, "focal-point": true}
	for _, role := range roles {
		for _, path := range []string{"/en/search?q=paper+wp+62", "/ar/search?q=%D9%88%D8%B1%D9%82%D8%A9+62", "/en/search?q=WP.62&kind=document&language=en"} {
			resp, body := en.get(role, path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%q %s: %d", role, path, resp.StatusCode)
			}
			if found := strings.Contains(body, "A/AC.GM/2026/WP.62</a>"); found == hidden[role] {
				t.Errorf("%q %s: found the restricted paper %v", role, path, found)
			}
		}
	}
	_, body := en.get("", "/en/search?q=paper+wp+61")
	if !strings.Contains(body, `<mark>`) && !strings.Contains(body, "Paper A/AC.GM/2026/WP.61") {
		t.Errorf("the general paper is not found: %s", excerpt(body))
	}
	_, body = en.get("", "/ar/search?q=%D9%88%D8%B1%D9%82%D9%87+61")
	if !strings.Contains(body, "ورقة A/AC.GM/2026/WP.61") || !strings.Contains(body, `dir="rtl"`) {
		t.Errorf("Arabic: %s", excerpt(body))
	}
	resp, body := en.get("", "/en/search?q=paper&kind=poem&language=xx&from=yesterday")
	if resp.StatusCode != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 3 {
		t.Errorf("bad facets: %d, %d field errors", resp.StatusCode, strings.Count(body, `class="field-error"`))
	}
}

// TestSearchStatementCount: a search page costs the same statements with
// the demo's documents as with 600 more, whatever it finds, and the
// empty form none of the index.
func TestSearchStatementCount(t *testing.T) {
	en := newEnv(t, store.SQLite)
	en.s.SetCaching(false)
	en.publishDoc("A/AC.GM/2026/WP.81", "general")
	count := func(path string) int64 {
		en.get("", path)
		before := en.db.Queries()
		resp, _ := en.get("", path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return en.db.Queries() - before
	}
	paths := []string{"/en/search?q=paper", "/en/search?q=confidence+building+measures&kind=document", "/ar/search?q=%D8%A7%D9%84%D8%AB%D9%82%D8%A9", "/zh/search?q=%E4%BF%A1%E4%BB%BB&page=3"}
	small := map[string]int64{}
	for _, p := range paths {
		small[p] = count(p)
	}
	defer seed.SetScaleDocuments(600)()
	if err := seed.ScaleDocuments(ctx, en.db, rand.New(rand.NewPCG(3, 4)), 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if n := count(p); n != small[p] {
			t.Errorf("%s: %d statements with the demo, %d with 600 more documents", p, small[p], n)
		}
	}
	t.Logf("statements: %v", small)
}
