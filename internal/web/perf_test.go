package web_test

import (
	"concord/internal/app"
	"concord/internal/seed"
	"concord/internal/store/storetest"
	"concord/internal/web"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// queriesFor counts the SQL statements one signed-in request costs (signed
// in, so the anonymous page cache does not hide the work).
func queriesFor(t *testing.T, en *env, path string) int64 {
	t.Helper()
	// The content cache must not hide the work being counted.
	en.s.SetCaching(false)
	defer en.s.SetCaching(true)
	before := en.db.Queries()
	resp, _ := en.get("chair", path)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return en.db.Queries() - before
}

// TestQueriesPerPageDoNotGrowWithData proves there is no N+1: each page
// costs the same number of queries before and after the data grows.
func TestQueriesPerPageDoNotGrowWithData(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	pages := []string{"/en/", "/en/states", "/en/states/FRA", "/en/groups", "/en/groups/WEOG", "/en/organizations",
		"/en/organizations/1", "/en/persons", "/en/persons/1", "/en/log", "/api/v1/states", "/api/v1/organizations",
		"/api/v1/persons", "/api/v1/log", "/api/v1/popolo", "/en/rules", "/api/v1/rules"}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	// Grow every list: organisations, persons with organisations, delegates.
	err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		for i := range 120 {
			o := concord.Organization{Kind: concord.OrgStakeholder, Type: "academia", Country: "FRA", Names: concord.Text{"en": "Grown " + itoa(int64(i))}}
			if err := tx.CreateOrganization(&o); err != nil {
				return err
			}
			p := concord.Person{Name: "Grown person " + itoa(int64(i)), OrgID: o.ID}
			if err := tx.CreatePerson(&p); err != nil {
				return err
			}
			d := concord.Delegation{State: "FRA", Session: "GM-2027-1", Role: "member"}
			if err := tx.AddDelegate(&d, "Delegate "+itoa(int64(i)), ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if n := queriesFor(t, en, p); n != small[p] {
			t.Errorf("%s: %d queries with little data, %d with more: N+1", p, small[p], n)
		}
		if small[p] > 10 {
			t.Errorf("%s costs %d queries", p, small[p])
		}
	}
	t.Logf("queries per page: %v", small)
}

// TestPublicPageCache: a repeated anonymous request costs at most one query
// (the data version), a conditional one answers 304, and any write shows at once.
func TestPublicPageCache(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.get("", "/en/organizations")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	before := en.db.Queries()
	_, again := en.get("", "/en/organizations")
	if n := en.db.Queries() - before; n > 1 {
		t.Errorf("cached page cost %d queries, want at most 1 (the data version)", n)
	}
	if again != body {
		t.Error("cached page differs")
	}
	req, _ := http.NewRequest("GET", en.srv.URL+"/en/organizations", nil)
	req.Header.Set("If-None-Match", etag)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d, want 304", r2.StatusCode)
	}
	o := concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": "Aardvark Cyber Watch"}}
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateOrganization(&o) }); err != nil {
		t.Fatal(err)
	}
	if _, body := en.get("", "/en/organizations"); !strings.Contains(body, "Aardvark Cyber Watch") {
		t.Error("page served stale after a write")
	}
}

// TestPagesAreLight keeps typical pages under 50 KB.
func TestPagesAreLight(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	for _, lang := range concord.Languages {
		for _, p := range []string{"/", "/states", "/states/FRA", "/groups", "/organizations", "/persons", "/log", "/login"} {
			resp, body := en.get("", "/"+lang+p)
			if resp.StatusCode != 200 {
				t.Errorf("%s%s: %d", lang, p, resp.StatusCode)
			}
			if len(body) > 50<<10 {
				t.Errorf("/%s%s is %d bytes, over 50 KB", lang, p, len(body))
			}
		}
	}
}

// BenchmarkSignedInPages renders pages for a signed-in user over the demo
// data: "warm" repeats one URL (content from the content cache, layout
// rendered), "cold" makes every URL new (the handler and templates run).
func BenchmarkSignedInPages(b *testing.B) {
	for _, p := range []string{"/en/states", "/en/states/FRA", "/en/organizations", "/ar/persons"} {
		for _, mode := range []string{"warm", "cold"} {
			b.Run(strings.ReplaceAll(p[1:], "/", "_")+"/"+mode, func(b *testing.B) {
				en := benchEnv(b)
				en.s.SetCaching(mode == "warm")
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					u := p
					if mode == "cold" {
						i++
						u += "?n=" + itoa(int64(i))
					}
					req, _ := http.NewRequest("GET", u, nil)
					req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["chair"]})
					rec := httptest.NewRecorder()
					en.h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatal(rec.Code)
					}
				}
			})
		}
	}
}

type benchServer struct {
	s      *web.Server
	h      http.Handler
	db     *store.DB
	tokens map[string]string
}

func benchEnv(b *testing.B) benchServer {
	db := storetest.Open(b, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		b.Fatal(err)
	}
	s, err := app.NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		b.Fatal(err)
	}
	// Benchmarks measure the work behind a page unless they turn the
	// caches on ("warm" runs).
	s.SetCaching(false)
	h, err := s.Handler()
	if err != nil {
		b.Fatal(err)
	}
	en := &env{db: db, tokens: map[string]string{}}
	en.tb = b
	en.tokens["chair"] = en.session(concord.User{Username: "chair", Role: concord.RoleChair})
	return benchServer{h: h, db: db, tokens: en.tokens, s: s}
}

// TestGzip: pages go compressed to clients that accept it, cached or not,
// and a typical page is well under 50 KB on the wire.
func TestGzip(t *testing.T) {
	en := newEnv(t, store.SQLite)
	for _, role := range []string{"", "chair"} {
		req, _ := http.NewRequest("GET", en.srv.URL+"/ar/states", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if role != "" {
			req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens[role]})
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" || n > 15<<10 {
			t.Errorf("role %q: encoding %q, %d bytes on the wire", role, resp.Header.Get("Content-Encoding"), n)
		}
	}
}

// TestContentCacheKeepsAudiencesApart: signed-in users share the content of
// public pages only with users of the same role and binding, and the layout
// still names each user.
func TestContentCacheKeepsAudiencesApart(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	other := en.session(concord.User{Username: "del-fra-2", Role: concord.RoleDelegate, State: "FRA"})
	en.tokens["delegate2"] = other
	edit := `/en/states/FRA/edit"`
	for _, c := range []struct {
		role     string
		name     string
		wantEdit bool
	}{
		{"delegate", "del-fra", true},
		{"chair", "chair", false},
		{"delegate2", "del-fra-2", true},
		{"focal-point", "focal", false},
		{"secretariat", "sec", true},
		{"", "", false},
	} {
		for range 2 { // the second request is served from the cache
			_, body := en.get(c.role, "/en/states/FRA")
			if strings.Contains(body, edit) != c.wantEdit {
				t.Errorf("%q: edit link shown %v, want %v", c.role, !c.wantEdit, c.wantEdit)
			}
			if c.name != "" && !strings.Contains(body, ">"+c.name+"<") {
				t.Errorf("%q: page does not name the signed-in user", c.role)
			}
		}
	}
}

// BenchmarkAccreditationPages5000 renders the pages of a circulated round of
// 5,000 applications with 2,000 objections: the circulated list as a State
// delegate sees it (first page of 100) and the statistics page.
func BenchmarkAccreditationPages5000(b *testing.B) {
	en := benchEnv(b)
	w, err := seed.AccreditationScale(ctx, en.db, 5000, 2000)
	if err != nil {
		b.Fatal(err)
	}
	del := (&env{db: en.db, tb: b, tokens: map[string]string{}}).session(concord.User{Username: "bench-fra", Role: concord.RoleDelegate, State: "FRA"})
	for name, p := range map[string]string{"circulated_list": "/en/accreditation/windows/" + w.ID, "statistics": "/en/accreditation/windows/" + w.ID + "/statistics"} {
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				req, _ := http.NewRequest("GET", p+"?n="+itoa(int64(i)), nil)
				req.AddCookie(&http.Cookie{Name: "concord_session", Value: del})
				rec := httptest.NewRecorder()
				en.h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
