package web_test

import (
	"concord/decision"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/i18n"
	"concord/internal/seed"
	"concord/internal/store"
)

// tmsg is a catalogue message with arguments, as a page shows it.
func (en *env) tmsg(lang, id string, kv ...any) string {
	cat, err := i18n.New()
	if err != nil {
		en.t.Fatal(err)
	}
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i].(string)] = kv[i+1]
	}
	return html.EscapeString(cat.T(lang, id, data))
}

func (en *env) agendaService() *agendasvc.Service {
	return &agendasvc.Service{Decide: &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}}
}

// demoAgenda returns the demo session's versions.
func (en *env) demoAgenda() agendasvc.Session {
	en.t.Helper()
	s, err := en.agendaService().Session(ctx, seed.AgendaSession)
	if err != nil {
		en.t.Fatal(err)
	}
	return s
}

// TestAgendaPages reads the demo's July agenda in English and Arabic: the
// list of sessions, the session's agenda in force (proceeding informally on
// v1), each version with its warnings and adoption, and the diff.
func TestAgendaPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	s := en.demoAgenda()
	v1, v2 := s.Versions[0], s.Versions[1]
	id1, id2 := itoa(v1.ID), itoa(v2.ID)
	for _, lang := range []string{"en", "ar"} {
		L := "/" + lang
		dir := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
		check := func(path string, want ...string) string {
			t.Helper()
			resp, body := en.get("", L+path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s%s: %d", L, path, resp.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+lang+`" dir="`+dir+`">`) {
				t.Errorf("%s%s: not lang=%s dir=%s", L, path, lang, dir)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s%s lacks %q", L, path, w)
				}
			}
			if k := rawKeyRE.FindString(body); k != "" {
				t.Errorf("%s%s shows a raw catalogue key: %s", L, path, k)
			}
			return body
		}
		check("/agendas", `href="`+L+`/sessions/GM-2026-1"`, en.msg(lang, "agendas.state.not_adopted_proceed_informally"),
			`href="`+L+`/agendas/`+id2+`"`)
		check("/sessions/GM-2026-1", en.tmsg(lang, "agendas.basis.informal", "N", 1), `href="`+L+`/decisions/`+itoa(v1.DecisionID)+`"`,
			en.tmsg(lang, "agendas.pending_item", "Items", "6"), en.msg(lang, "agendas.newer"))
		body := check("/agendas/"+id1, en.tmsg(lang, "agendas.outcome.not_adopted_proceed_informally", "Date", "\u20662026-03-31\u2069"),
			"Пункт 5 повестки дня должен в точности отражать пункт 9 приложения C.", `lang="ru"`, en.tmsg(lang, "agendas.on_behalf", "Count", 27))
		if strings.Contains(body, `action="`+L+`/agendas/`+id1+`/adoption"`) {
			t.Errorf("%s: the public sees the adoption form", lang)
		}
		check("/agendas/"+id2, en.msg(lang, "agendas.state.provisional"), `/diff?from=1&amp;to=2`)
		// The Chair may put v2 to adoption (v1 failed), not v1 again.
		if _, body := en.get("chair", L+"/agendas/"+id1); !strings.Contains(body, en.msg(lang, "agendas.error.already_put")) || strings.Contains(body, `/adoption"`) {
			t.Errorf("%s: v1 as the Chair: no reason why it cannot be put to adoption again", lang)
		}
		if _, body := en.get("chair", L+"/agendas/"+id2); !strings.Contains(body, `action="`+L+`/agendas/`+id2+`/adoption"`) {
			t.Errorf("%s: v2 as the Chair: no adoption form", lang)
		}
		body = check("/sessions/GM-2026-1/diff?from=1&to=2", en.tmsg(lang, "agendas.change.changed", "N", "5"), `<td lang="ar" dir="rtl">`, "<del>", "<ins>")
		if strings.Count(body, `<tr><th scope="row">`) != 6 {
			t.Errorf("%s diff: item 5 changed in %d languages, want 6", lang, strings.Count(body, `<tr><th scope="row">`))
		}
		// The reworded words are marked, the rest kept.
		if !strings.Contains(body, "paragraph") || !strings.Contains(body, "Discussions on ") {
			t.Errorf("%s diff: English words not marked as kept and inserted", lang)
		}
		body = check("/sessions/GM-2026-1/diff?from=1&to=2&language=zh", `<td lang="zh" dir="ltr">`)
		if strings.Count(body, `<tr><th scope="row">`) != 1 {
			t.Errorf("%s diff in Chinese only: %d rows", lang, strings.Count(body, `<tr><th scope="row">`))
		}
	}
	// Light in every language: under 50 KB.
	sizes := map[string]int{}
	for _, lang := range concord.Languages {
		for _, p := range []string{"/agendas", "/sessions/GM-2026-1", "/agendas/" + id1, "/agendas/" + id2, "/sessions/GM-2026-1/diff"} {
			_, body := en.get("", "/"+lang+p)
			if len(body) > 50<<10 {
				t.Errorf("/%s%s is %d bytes", lang, p, len(body))
			}
			sizes[lang+p] = len(body)
		}
	}
	t.Logf("page sizes: %v", sizes)
	// Unknown versions and sessions.
	if resp, body := en.get("", "/en/sessions/GM-2026-1/diff?from=1&to=9"); resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "agendas.error.no_version")) {
		t.Errorf("diff to v9: %d", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/sessions/GM-2026-1/diff?from=x"); resp.StatusCode != 422 {
		t.Errorf("diff from x: %d", resp.StatusCode)
	}
	for _, p := range []string{"/en/sessions/NO-SUCH", "/en/agendas/999999", "/en/sessions/a%20b"} {
		if resp, _ := en.get("", p); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

// formValues is a form for the given items, row by row.
func formValues(session string, rows [][]string) url.Values {
	v := url.Values{"session": {session}, "rows": {strconv.Itoa(len(rows) + 2)}}
	for i, r := range rows {
		p := "items[" + strconv.Itoa(i) + "]."
		v.Set(p+"number", r[0])
		v.Set(p+"title.en", r[1])
		if len(r) > 2 {
			v.Set(p+"title.ar", r[2])
		}
	}
	return v
}

var rawKeyRE = regexp.MustCompile(`[^/\w]agendas?\.[a-z_.]+`)

var agendaIDRE = regexp.MustCompile(`/agendas/(\d+)\?saved=1$`)

// TestAgendaFlow issues, edits and puts versions to adoption through the
// forms: errors come back at 422 with what was typed, success redirects.
func TestAgendaFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	// A new version starts from the latest (v2, item 5 per Annex C).
	resp, body := en.get("chair", "/en/agendas/new?session=gm-2026-1")
	if resp.StatusCode != 200 || !strings.Contains(body, "paragraph 9 of Annex C") || !strings.Contains(body, en.tmsg("en", "agendas.form_from", "N", 2)) ||
		!strings.Contains(body, `name="items[10].number"`) || strings.Contains(body, `name="items[11].number"`) {
		t.Fatalf("new version form: %d", resp.StatusCode)
	}
	if resp, _ := en.get("delegate", "/en/agendas/new?session=GM-2026-1"); resp.StatusCode != 403 {
		t.Errorf("a delegate opens the form: %d", resp.StatusCode)
	}
	if resp, body := en.get("chair", "/en/agendas/new?session=a%20b"); resp.StatusCode != 422 || !strings.Contains(body, `id="session-err"`) {
		t.Errorf("bad session code in the link: %d", resp.StatusCode)
	}

	// Duplicate numbers: 422, the form again with what was typed and the
	// row's number marked.
	form := formValues("GM-2026-2", [][]string{{"1", "Opening of the session", "افتتاح الدورة"}, {"2", "Adoption of the agenda"}, {"2", "Organization of work"}})
	resp, body = en.postForm("chair", "/ar/agendas", form)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="items[2].number" name="items[2].number" size="6" maxlength="20" value="2" aria-invalid="true"`) ||
		!strings.Contains(body, "افتتاح الدورة") || !strings.Contains(body, "Organization of work") || !strings.Contains(body, en.msg("ar", "agendas.error.duplicate_number")) {
		t.Errorf("duplicate numbers: %d\n%s", resp.StatusCode, trim(body))
	}
	// A number without a title: the title of the page's language is marked.
	resp, body = en.postForm("chair", "/en/agendas", formValues("GM-2026-2", [][]string{{"1", "Opening"}, {"", ""}, {"3", ""}}))
	if resp.StatusCode != 422 || !strings.Contains(body, `aria-describedby="items[2].title.en-err"`) {
		t.Errorf("number without a title: %d", resp.StatusCode)
	}
	// No items at all.
	if resp, body := en.postForm("chair", "/en/agendas", url.Values{"session": {"GM-2026-2"}}); resp.StatusCode != 422 || !strings.Contains(body, `href="#items"`) {
		t.Errorf("no items: %d", resp.StatusCode)
	}
	// "Add rows" shows the form again with five more rows, saving nothing.
	form.Set("more", "1")
	if resp, body := en.postForm("chair", "/en/agendas", form); resp.StatusCode != 200 || !strings.Contains(body, `name="items[9].number"`) {
		t.Errorf("add rows: %d", resp.StatusCode)
	}
	form.Del("more")
	// Another role, and a body over the limit.
	if resp, _ := en.postForm("delegate", "/en/agendas", formValues("GM-2026-2", [][]string{{"1", "x"}})); resp.StatusCode != 403 {
		t.Errorf("a delegate issues an agenda: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("chair", "/en/agendas", url.Values{"session": {"GM-2026-2"}, "items[0].number": {"1"}, "items[0].title.en": {strings.Repeat("x", 2<<20)}}); resp.StatusCode != 413 {
		t.Errorf("huge form: %d", resp.StatusCode)
	}
	if _, err := en.agendaService().Session(ctx, "GM-2026-2"); concord.ErrorCode(err) != concord.ENotFound {
		t.Fatalf("failed posts saved something: %v", err)
	}

	// A valid form: 303 to the new version (PRG), which says it was saved.
	form.Set("items[2].number", "3")
	resp, _ = en.postForm("chair", "/en/agendas", form)
	m := agendaIDRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("issue v1: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	id := m[1]
	resp, body = en.get("chair", "/en/agendas/"+id+"?saved=1")
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "flash.saved")) || !strings.Contains(body, en.tmsg("en", "agendas.version_heading", "Session", "GM-2026-2", "N", 1)) ||
		!strings.Contains(body, `action="/en/agendas/`+id+`/adoption"`) {
		t.Fatalf("v1 page: %d", resp.StatusCode)
	}

	// Edit before adoption.
	if resp, body := en.get("secretariat", "/en/agendas/"+id+"/edit"); resp.StatusCode != 200 || !strings.Contains(body, "Organization of work") {
		t.Errorf("edit form: %d", resp.StatusCode)
	}
	form.Set("items[2].title.en", "Organization of work and programme of work")
	if resp, _ := en.postForm("secretariat", "/en/agendas/"+id, form); resp.StatusCode != 303 {
		t.Errorf("edit: %d", resp.StatusCode)
	}
	// Put to adoption, then the second attempt and the edit are refused.
	if resp, _ := en.postForm("delegate", "/en/agendas/"+id+"/adoption", nil); resp.StatusCode != 403 {
		t.Errorf("a delegate puts to adoption: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("chair", "/en/agendas/"+id+"/adoption", nil); resp.StatusCode != 303 {
		t.Fatalf("put to adoption: %d", resp.StatusCode)
	}
	resp, body = en.postForm("chair", "/fr/agendas/"+id+"/adoption", nil)
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("fr", "agendas.error.already_put")) {
		t.Errorf("put twice: %d", resp.StatusCode)
	}
	resp, body = en.postForm("chair", "/en/agendas/"+id, form)
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "agendas.error.locked")) || !strings.Contains(body, "programme of work") {
		t.Errorf("edit after adoption: %d", resp.StatusCode)
	}
	if resp, _ := en.get("chair", "/en/agendas/"+id+"/edit"); resp.StatusCode != 409 {
		t.Errorf("edit form after adoption: %d", resp.StatusCode)
	}
	// The session shows the version under adoption and links the decision.
	v, _ := en.agendaService().Get(ctx, mustInt(t, id))
	_, body = en.get("", "/en/sessions/GM-2026-2")
	if !strings.Contains(body, en.tmsg("en", "agendas.basis.pending", "N", 1)) || !strings.Contains(body, `href="/en/decisions/`+itoa(v.DecisionID)+`"`) {
		t.Errorf("session under adoption")
	}
	// A second version can be issued but not put to adoption while v1 is
	// pending.
	resp, _ = en.postForm("chair", "/en/agendas", form)
	m = agendaIDRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("issue v2: %d", resp.StatusCode)
	}
	resp, body = en.postForm("chair", "/en/agendas/"+m[1]+"/adoption", nil)
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "agendas.error.pending")) {
		t.Errorf("second adoption while pending: %d", resp.StatusCode)
	}
	// The Chair adopts v1 on the decision page: the session has its agenda,
	// and no new version can be issued.
	if resp, _ := en.postForm("chair", "/en/decisions/"+itoa(v.DecisionID)+"/acts", url.Values{"kind": {"decide"}, "confirm": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("Chair decides: %d", resp.StatusCode)
	}
	if _, body := en.get("", "/en/sessions/GM-2026-2"); !strings.Contains(body, en.tmsg("en", "agendas.basis.adopted", "N", 1)) {
		t.Error("session after adoption")
	}
	resp, body = en.postForm("chair", "/en/agendas", form)
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "agendas.error.adopted")) {
		t.Errorf("new version after adoption: %d", resp.StatusCode)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAgendaQueries: the agenda pages and API cost as many queries with one
// session as with many versions and sessions.
func TestAgendaQueries(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	s := en.demoAgenda()
	pages := []string{"/en/agendas", "/en/sessions/GM-2026-1", "/en/agendas/" + itoa(s.Versions[0].ID), "/en/agendas/" + itoa(s.Versions[1].ID),
		"/en/sessions/GM-2026-1/diff?from=1&to=2", "/api/v1/agendas", "/api/v1/sessions/GM-2026-1/agenda", "/api/v1/agendas/" + itoa(s.Versions[0].ID),
		"/api/v1/sessions/GM-2026-1/diff?from=1&to=2"}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	// Grow: 12 more sessions, each with versions put to adoption and
	// decided, and four more versions of the demo session.
	svc := en.agendaService()
	chair := &concord.User{ID: 1, Role: concord.RoleChair}
	items := []agendasvc.Item{{Number: "1", Title: concord.Text{"en": "Opening"}}, {Number: "2", Title: concord.Text{"en": "Adoption of the agenda"}}}
	for i := range 12 {
		code := "GROW-" + strconv.Itoa(i)
		for range 3 {
			v, err := svc.Create(ctx, chair, agendasvc.Draft{Session: code, Items: items})
			if err != nil {
				t.Fatal(err)
			}
			if v, err = svc.PutToAdoption(ctx, chair, v.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Decide.TakePosition(ctx, &concord.User{Role: concord.RoleSecretariat}, v.DecisionID, decide.PositionInput{Actor: "IRN", Kind: decision.PositionObjection}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Decide.Act(ctx, chair, v.DecisionID, decision.ActDecide, true, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 4 {
		if _, err := svc.Create(ctx, chair, agendasvc.Draft{Session: seed.AgendaSession, Items: items}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pages {
		if n := queriesFor(t, en, p); n != small[p] {
			t.Errorf("%s: %d queries with the demo, %d with more agendas: N+1", p, small[p], n)
		}
		if small[p] > 10 {
			t.Errorf("%s costs %d queries", p, small[p])
		}
	}
	t.Logf("queries per page: %v", small)
}

var benchN int

// BenchmarkAgendaPages renders the agenda pages over the demo data, signed
// in as the Chair with the content cache busted: the session's agenda in
// force, version 1 with its adoption and record (193 participants), the
// word diff of versions 1 and 2 in six languages, and the API's session
// agenda.
func BenchmarkAgendaPages(b *testing.B) {
	en := benchEnv(b)
	svc := &agendasvc.Service{Decide: &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}}
	s, err := svc.Session(ctx, seed.AgendaSession)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, path string }{
		{"sessions_list", "/en/agendas"},
		{"session", "/en/sessions/GM-2026-1"},
		{"version_1_adoption", "/ar/agendas/" + itoa(s.Versions[0].ID)},
		{"diff_v1_v2", "/ar/sessions/GM-2026-1/diff?from=1&to=2"},
		{"api_session_agenda", "/api/v1/sessions/GM-2026-1/agenda"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			// CPU time per request as well as wall time: on a shared
			// machine the wall time also counts waiting for a core.
			var before, after syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &before)
			for b.Loop() {
				benchN++ // a new URL each time, across runs: the handler runs
				i := benchN
				sep := "?"
				if strings.Contains(c.path, "?") {
					sep = "&"
				}
				req, _ := http.NewRequest("GET", c.path+sep+"n="+itoa(int64(i)), nil)
				req.AddCookie(&http.Cookie{Name: "concord_session", Value: en.tokens["chair"]})
				rec := httptest.NewRecorder()
				en.h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &after)
			cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
