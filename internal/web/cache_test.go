package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"concord/internal/store"
	"concord/internal/web"
)

// TestPageCacheIgnoresJunkQuery: anonymous requests with distinct junk
// query strings share one cache entry (the key holds only the parameters
// the route declares), so they cannot grow the server's memory.
func TestPageCacheIgnoresJunkQuery(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	var first string
	for i := range 500 {
		resp, body := en.get("", "/api/v1/popolo?cachebust="+itoa(int64(i)))
		if resp.StatusCode != 200 {
			t.Fatalf("popolo: %d", resp.StatusCode)
		}
		if i == 0 {
			first = body
		} else if body != first {
			t.Fatal("the same export differs between requests")
		}
	}
	bytes, entries := en.s.CacheStats()
	if entries != 1 || bytes > web.DefaultCacheBytes {
		t.Errorf("after 500 junk query strings: %d entries, %d bytes; want 1 entry under %d bytes", entries, bytes, web.DefaultCacheBytes)
	}
	// A declared parameter still counts, and the handler sees it.
	_, body := en.get("", "/en/organizations?q=zzzz-no-such-name&junk=1")
	if !strings.Contains(body, "zzzz-no-such-name") || strings.Contains(body, "junk=1") {
		t.Error("declared parameter lost or junk parameter passed to the page")
	}
}

// TestPageCacheBoundedByBytes: many distinct legitimate pages never take
// the cache over its budget; it evicts rather than grows.
func TestPageCacheBoundedByBytes(t *testing.T) {
	t.Parallel()
	const budget = 256 << 10
	en := newEnvWith(t, demo.Open(t, store.SQLite), func(s *web.Server) { s.CacheBytes = budget })
	for i := range 300 {
		if resp, _ := en.get("", "/en/persons?q=p"+itoa(int64(i))); resp.StatusCode != 200 {
			t.Fatalf("persons: %d", resp.StatusCode)
		}
	}
	bytes, entries := en.s.CacheStats()
	if bytes > budget || entries == 0 {
		t.Errorf("%d entries, %d bytes; want some, under %d", entries, bytes, budget)
	}
}

// TestSharedCacheKeepsLanguages: the API answers in the Accept-Language of
// each request, cached or not, and says so with Vary (the shared cache once
// served the first visitor's language to everyone).
func TestSharedCacheKeepsLanguages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, list := en.get("", "/api/v1/cofacilitators/sets")
	var sets struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(list), &sets); err != nil || len(sets.Items) == 0 {
		t.Fatalf("no co-facilitator set in the demo: %v", err)
	}
	path := "/api/v1/cofacilitators/sets/" + itoa(sets.Items[0].ID)
	get := func(lang string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", en.srv.URL+path, nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	_, english := get("en")
	resp, french := get("fr-FR,fr;q=0.9")
	if french == english {
		t.Fatal("French request served the cached English response")
	}
	if !strings.Contains(french, "candidats") {
		t.Errorf("French response is not in French: %.300s", french)
	}
	if vary := strings.Join(resp.Header.Values("Vary"), ","); !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
		t.Errorf("Vary = %q, want Accept-Language and Cookie", vary)
	}
	if _, again := get("en"); again != english {
		t.Error("English changed after a French request")
	}
}
