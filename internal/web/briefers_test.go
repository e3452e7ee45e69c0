package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// brieferForm is a valid nomination for a DTG 1 meeting six weeks ahead.
func brieferForm(name string) url.Values {
	return url.Values{"name": {name}, "affiliation": {"Strathmore University"}, "expertise": {"Critical infrastructure protection in East Africa."},
		"dtg": {"DTG-1"}, "meeting_date": {time.Now().AddDate(0, 0, 42).Format(time.DateOnly)}}
}

// TestBrieferFlow: a delegate nominates through the form (errors come back
// with what was typed, in English and Arabic, then PRG), the Secretariat
// nominates for another State, an objection on the decision page rejects
// that nomination, and the nominating State withdraws its own.
func TestBrieferFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if resp, _ := en.get("chair", "/en/briefers/new"); resp.StatusCode != 403 {
		t.Errorf("the Chair's nomination form: %d, want 403", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/briefers/new"); resp.StatusCode != 303 {
		t.Errorf("the public's nomination form: %d, want a redirect to sign in", resp.StatusCode)
	}
	resp, body := en.get("delegate", "/ar/briefers/new")
	if resp.StatusCode != 200 || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, `name="meeting_date"`) || strings.Contains(body, `name="nominated_by"`) {
		t.Errorf("the delegate's form: %d (a delegate nominates for its own State: no State select)", resp.StatusCode)
	}
	// Missing name: 422, the field marked, the rest kept.
	f := brieferForm("")
	resp, body = en.postForm("delegate", "/en/briefers", f)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="name" name="name"`) || !regexp.MustCompile(`id="name"[^>]*aria-invalid="true"`).MatchString(body) ||
		!strings.Contains(body, `value="Strathmore University"`) || !strings.Contains(body, "Critical infrastructure protection in East Africa.") {
		t.Errorf("missing name: %d", resp.StatusCode)
	}
	// Unknown DTG, in Arabic.
	f = brieferForm("Wanjiru Kamau")
	f.Set("dtg", "DTG3")
	resp, body = en.postForm("delegate", "/ar/briefers", f)
	if resp.StatusCode != 422 || !strings.Contains(body, en.msg("ar", "briefers.error.dtg")) || !strings.Contains(body, `id="dtg-err"`) || !strings.Contains(body, `value="Wanjiru Kamau"`) {
		t.Errorf("unknown DTG in Arabic: %d", resp.StatusCode)
	}
	// For another State: refused.
	f = brieferForm("Wanjiru Kamau")
	f.Set("nominated_by", "DEU")
	if resp, _ := en.postForm("delegate", "/en/briefers", f); resp.StatusCode != 403 {
		t.Errorf("France for Germany: %d", resp.StatusCode)
	}
	// Valid: 303 to the nomination.
	resp, _ = en.postForm("delegate", "/en/briefers", brieferForm("Wanjiru Kamau"))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !regexp.MustCompile(`^/en/briefers/\d+\?saved=1$`).MatchString(loc) {
		t.Fatalf("nominate: %d %q", resp.StatusCode, loc)
	}
	path := strings.Split(loc, "?")[0]
	resp, body = en.get("delegate", loc)
	dec := regexp.MustCompile(`href="/en/decisions/(\d+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || !strings.Contains(body, "Wanjiru Kamau") || !strings.Contains(body, `class="status status-nominated"`) ||
		!strings.Contains(body, en.msg("en", "flash.saved")) || dec == nil || !strings.Contains(body, `action="`+path+`/withdrawal"`) ||
		strings.Count(body, `<span class="status status-`) != 4 { // the state, and one per simulated rule
		t.Fatalf("nomination page: %d", resp.StatusCode)
	}
	// Duplicate: 409 with the form kept.
	resp, body = en.postForm("delegate", "/en/briefers", brieferForm("wanjiru  KAMAU"))
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "briefers.error.duplicate")) || !strings.Contains(body, `value="wanjiru  KAMAU"`) {
		t.Errorf("duplicate: %d", resp.StatusCode)
	}
	// The public sees the nomination, not the withdrawal form.
	if _, body := en.get("", path); strings.Contains(body, "/withdrawal") || !strings.Contains(body, "Wanjiru Kamau") {
		t.Error("public page shows the withdrawal form")
	}

	// The Secretariat nominates for Germany; Russia's objection, recorded
	// on the decision page, rejects it.
	f = brieferForm("Daniel Lim")
	f.Set("nominated_by", "DEU")
	f.Set("affiliation", "GSMA")
	resp, _ = en.postForm("secretariat", "/en/briefers", f)
	if resp.StatusCode != 303 {
		t.Fatalf("Secretariat for Germany: %d", resp.StatusCode)
	}
	deu := strings.Split(resp.Header.Get("Location"), "?")[0]
	_, body = en.get("", deu)
	ddec := regexp.MustCompile(`href="/en/decisions/(\d+)"`).FindStringSubmatch(body)[1]
	if resp, _ := en.postForm("secretariat", "/en/decisions/"+ddec+"/positions", url.Values{"actor": {"RUS"}, "kind": {"objection"}, "text": {"No case-by-case agreement."}, "confirm": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("objection: %d", resp.StatusCode)
	}
	_, body = en.get("", "/ar"+strings.TrimPrefix(deu, "/en"))
	if !strings.Contains(body, `class="status status-rejected"`) || !strings.Contains(body, en.msg("ar", "briefers.state.rejected")) || !strings.Contains(body, "No case-by-case agreement.") {
		t.Error("objected nomination in Arabic: not rejected, or the objection not shown")
	}
	// France may not withdraw Germany's nomination.
	if resp, _ := en.postForm("delegate", deu+"/withdrawal", url.Values{}); resp.StatusCode != 403 {
		t.Errorf("France withdraws Germany's: %d", resp.StatusCode)
	}

	// France withdraws its own: PRG, then the page says so.
	resp, _ = en.postForm("delegate", path+"/withdrawal", url.Values{"note": {"The briefer is no longer available."}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != path+"?saved=1" {
		t.Fatalf("withdraw: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = en.get("delegate", path)
	if !strings.Contains(body, `class="status status-withdrawn"`) || !strings.Contains(body, "The briefer is no longer available.") || strings.Contains(body, "/withdrawal") {
		t.Error("withdrawn nomination page")
	}
	resp, body = en.postForm("delegate", "/fr"+strings.TrimPrefix(path, "/en")+"/withdrawal", url.Values{})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("fr", "briefers.error.withdrawn")) {
		t.Errorf("withdraw twice: %d", resp.StatusCode)
	}

	// The list, in Arabic: both nominations under their meeting.
	resp, body = en.get("", "/ar/briefers?dtg=DTG-1")
	if resp.StatusCode != 200 || !strings.Contains(body, "Wanjiru Kamau") || !strings.Contains(body, "Daniel Lim") || !strings.Contains(body, en.msg("ar", "briefers.state.withdrawn")) {
		t.Errorf("list: %d", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/briefers?dtg=DTG9"); resp.StatusCode != 422 {
		t.Errorf("unknown DTG filter: %d", resp.StatusCode)
	}
}

// TestBrieferPagesFollowTheClock: the pages are cached by the data version,
// yet a round that ends at its deadline, with no write, shows its new state
// at once, in the shared page cache (public pages and API) and in the
// content cache of signed-in users.
func TestBrieferPagesFollowTheClock(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	var clock atomic.Int64
	start := time.Now().Add(-5*24*time.Hour + 3*time.Second)
	clock.Store(start.UnixNano())
	en.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	b, err := svc.NominateBriefer(ctx, &concord.User{ID: 1, Role: concord.RoleDelegate, State: "KEN"}, decide.BrieferInput{Name: "Wanjiru Kamau",
		Affiliation: "Strathmore University", DTG: "DTG-1", MeetingDate: time.Now().AddDate(0, 0, 40).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	// The lists of its meeting alone: the demo has a round under way too.
	meeting := "?meeting=" + b.Record.Doc.Meeting
	// The generic decision pages, too: the briefer's decision is adopted at
	// the deadline.
	dec := itoa(b.Decision.ID)
	pages := []string{"/en/briefers" + meeting, "/en/briefers/" + itoa(b.ID()), "/api/v1/briefers" + meeting, "/api/v1/briefers/" + itoa(b.ID()),
		"/api/v1/briefers/" + itoa(b.ID()) + "/simulation", "/en/decisions/" + dec, "/api/v1/decisions/" + dec}
	state := func(role, p string) string {
		t.Helper()
		resp, body := en.get(role, p)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		switch {
		case strings.Contains(body, "status-nominated") || strings.Contains(body, `"state":"nominated"`),
			strings.Contains(body, `<strong class="outcome outcome-pending">`) || strings.Contains(body, `"outcome":"pending"`):
			return "nominated"
		case strings.Contains(body, "status-confirmed") || strings.Contains(body, `"state":"confirmed"`),
			strings.Contains(body, `<strong class="outcome outcome-adopted">`) || strings.Contains(body, `"outcome":"adopted"`):
			return "confirmed"
		}
		return "?"
	}
	for _, p := range pages {
		for _, role := range []string{"", "chair"} {
			if got := state(role, p); got != "nominated" {
				t.Errorf("%s as %q before the deadline: %s", p, role, got)
			}
		}
		before := en.db.Queries()
		state("", p)
		if n := en.db.Queries() - before; n > 1 {
			t.Errorf("%s: a repeated public request cost %d queries: not cached", p, n)
		}
	}
	clock.Store(b.Result.Decision.Deadline.UnixNano()) // the deadline: no write
	for _, p := range pages {
		for _, role := range []string{"", "chair"} {
			if got := state(role, p); got != "confirmed" {
				t.Errorf("%s as %q at the deadline: %s (served stale)", p, role, got)
			}
		}
	}
}

// TestBrieferQueries: the list, a nomination and the API list cost the same
// number of queries with few and with many nominations.
func TestBrieferQueries(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	nominate := func(i int) decide.Briefer {
		b, err := svc.NominateBriefer(ctx, sec, decide.BrieferInput{Name: "Briefer " + itoa(int64(i)), Affiliation: "Institute", NominatedBy: "BRA",
			DTG: "DTG-2", MeetingDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := nominate(0)
	pages := []string{"/en/briefers", "/en/briefers/" + itoa(b.ID()), "/api/v1/briefers", "/api/v1/briefers/" + itoa(b.ID())}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	for i := 1; i <= 30; i++ {
		nominate(i)
	}
	for _, p := range pages {
		if n := queriesFor(t, en, p); n != small[p] || n > 10 {
			t.Errorf("%s: %d queries with one nomination, %d with 31", p, small[p], n)
		}
	}
	t.Logf("queries per page: %v", small)
}
