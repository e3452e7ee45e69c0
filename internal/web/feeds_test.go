package web_test

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/atom/atomtest"
	"concord/internal/seed"
	"concord/internal/store"
)

// feedPaths are the demo's feeds: the process's documents, the July
// plenary's, France's, item 5 of the July session's (with the restricted
// CRP.1 on it), and decisions' outcomes.
func feedPaths(t *testing.T, en *env) []string {
	t.Helper()
	ms, err := en.db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Upcoming: true})
	if err != nil {
		t.Fatal(err)
	}
	var july int64
	for _, m := range ms {
		if m.Start.Month() == time.July {
			july = m.ID
		}
	}
	if july == 0 {
		t.Fatal("no July meeting in the demo")
	}
	return []string{"/en/documents/feed.atom", "/fr/meetings/" + itoa(july) + "/feed.atom", "/ar/states/FRA/feed.atom",
		"/en/sessions/GM-2026-1/items/item-5/feed.atom", "/zh/decisions/feed.atom", "/ru/statements/feed.atom", "/ar/states/IRN/statements.atom", "/en/sessions/GM-2026-1/items/item-5/statements.atom"}
}

// TestFeeds reads every feed back (RFC 4287's requirements, the language,
// the links, stable ids) and validates them all with jing against the RFC's
// RELAX NG schema.
func TestFeeds(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	var bodies [][]byte
	for _, path := range feedPaths(t, en) {
		resp, body := en.get("", path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		lang := path[1:3]
		f := atomtest.Parse(t, []byte(body))
		if f.Lang != lang || resp.Header.Get("Content-Language") != lang {
			t.Errorf("%s: xml:lang %q, Content-Language %q", path, f.Lang, resp.Header.Get("Content-Language"))
		}
		if self := atomtest.Rel(f.Links, "self", ""); self != en.srv.URL+path {
			t.Errorf("%s: self %q", path, self)
		}
		if alt := atomtest.Rel(f.Links, "alternate", "text/html"); !strings.HasPrefix(alt, en.srv.URL+"/"+lang+"/") {
			t.Errorf("%s: alternate %q", path, alt)
		}
		if len(f.Entries) == 0 {
			t.Errorf("%s: no entries", path)
		}
		latest := ""
		for _, e := range f.Entries {
			if e.Lang != lang || !strings.HasPrefix(atomtest.Rel(e.Links, "alternate", ""), en.srv.URL+"/"+lang+"/") {
				t.Errorf("%s: entry %s in %q links %v", path, e.ID, e.Lang, e.Links)
			}
			latest = max(latest, e.Updated)
		}
		if f.Updated != latest {
			t.Errorf("%s: feed updated %s, latest entry %s", path, f.Updated, latest)
		}
		if lm, _ := http.ParseTime(resp.Header.Get("Last-Modified")); lm.UTC().Format(time.RFC3339) != f.Updated {
			t.Errorf("%s: Last-Modified %q, updated %s", path, resp.Header.Get("Last-Modified"), f.Updated)
		}
		// The same feed read again has the same ids.
		_, again := en.get("", path)
		if g := atomtest.Parse(t, []byte(again)); g.ID != f.ID || g.Entries[0].ID != f.Entries[0].ID {
			t.Errorf("%s: ids changed between reads", path)
		}
		bodies = append(bodies, []byte(body))
	}
	// France's feed holds its national contribution; the outcomes feed the
	// adopted agenda's decision.
	if !strings.Contains(string(bodies[2]), "A/AC.GM/2026/NC.1") {
		t.Error("France's feed lacks its national contribution")
	}
	atomtest.Jing(t, bodies...)
}

// TestFeedsPublicOnly: the restricted CRP.1 (the July meeting's, item 5's,
// the Chair's) is in none of the feeds, for the public or for a signed-in
// State that may read it on its page: a feed's address is shared.
func TestFeedsPublicOnly(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if resp, body := en.get("delegate", "/en/documents?type=conference-room-paper"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "CRP.1") {
		t.Fatalf("the delegate should see CRP.1 in the list: %d", resp.StatusCode)
	}
	for _, path := range feedPaths(t, en) {
		for _, role := range []string{"", "delegate", "secretariat"} {
			resp, body := en.get(role, path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s as %q: %d", path, role, resp.StatusCode)
			}
			if strings.Contains(body, "CRP.1") || strings.Contains(body, "Draft elements of the report") {
				t.Errorf("%s as %q lists the restricted CRP.1", path, role)
			}
		}
	}
	// Unknown meeting, State, session, item: not found.
	for _, path := range []string{"/en/meetings/99999/feed.atom", "/en/states/XXX/feed.atom", "/en/sessions/NOPE-1/items/item-1/feed.atom",
		"/en/sessions/GM-2026-1/items/item-99/feed.atom", "/en/meetings/abc/feed.atom"} {
		if resp, _ := en.get("", path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestFeedConditionalGET: a feed answers 304 to its ETag and to a date not
// before its Last-Modified, and 200 again once a document is published.
func TestFeedConditionalGET(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	path := "/en/documents/feed.atom"
	resp, _ := en.get("", path)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, lm)
	}
	cond := func(name, value string) int {
		req, _ := http.NewRequest("GET", en.srv.URL+path, nil)
		req.Header.Set(name, value)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	mod, _ := http.ParseTime(lm)
	if c := cond("If-None-Match", etag); c != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", c)
	}
	if c := cond("If-Modified-Since", lm); c != http.StatusNotModified {
		t.Errorf("If-Modified-Since = Last-Modified: %d", c)
	}
	if c := cond("If-Modified-Since", mod.Add(-time.Second).Format(http.TimeFormat)); c != http.StatusOK {
		t.Errorf("If-Modified-Since before Last-Modified: %d", c)
	}
	if c := cond("If-None-Match", `"other"`); c != http.StatusOK {
		t.Errorf("another ETag: %d", c)
	}
	// A new document: the feed changes, and its date moves on.
	en.publishDoc("A/AC.GM/2026/WP.9", "general")
	if c := cond("If-None-Match", etag); c != http.StatusOK {
		t.Errorf("after a new document, the old ETag: %d", c)
	}
	resp, body := en.get("", path)
	if f := atomtest.Parse(t, []byte(body)); !strings.Contains(f.Entries[0].Title.Text, "A/AC.GM/2026/WP.9") {
		t.Errorf("the new document is not first: %q", f.Entries[0].Title.Text)
	}
	if resp.Header.Get("Last-Modified") == lm {
		t.Error("Last-Modified did not move")
	}
}

// TestFeedLinks: each page with a feed names it in its head and links to it
// visibly.
func TestFeedLinks(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	paths := feedPaths(t, en)
	pages := map[string]string{"/en/documents": paths[0], "/fr/meetings/" + strings.Split(paths[1], "/")[3]: paths[1],
		"/ar/states/FRA": paths[2], "/en/sessions/GM-2026-1": paths[3], "/zh/decisions": paths[4]}
	for page, feed := range pages {
		for _, role := range []string{"", "delegate"} {
			resp, body := en.get(role, page)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", page, resp.StatusCode)
			}
			head, rest, _ := strings.Cut(body, "</head>")
			if !strings.Contains(head, `<link rel="alternate" type="application/atom+xml" href="`+feed+`"`) {
				t.Errorf("%s as %q: no head link to %s", page, role, feed)
			}
			if !strings.Contains(rest, `<a href="`+feed+`" type="application/atom+xml">`) {
				t.Errorf("%s as %q: no visible link to %s", page, role, feed)
			}
		}
	}
}

// TestFeedStatementCount: each feed costs the same number of statements
// with the demo's nine documents as with 600 more.
func TestFeedStatementCount(t *testing.T) {
	en := newEnv(t, store.SQLite)
	en.s.SetCaching(false)
	paths := feedPaths(t, en)
	count := func(path string) int64 {
		before := en.db.Queries()
		if resp, _ := en.get("", path); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return en.db.Queries() - before
	}
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
			t.Errorf("%s: %d statements with 600 more documents, %d before", p, n, small[p])
		}
	}
	t.Logf("statements: %v", small)
}
