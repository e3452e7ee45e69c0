package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/meetings"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/meeting"
)

// TestMeetingSpeakersAndStatements: the July plenary's page shows item 5's
// list of speakers in the rule's order and its statements marked as not on
// the record, in English and Arabic; a statement's page renders its text;
// the State page lists its statements; a delegate inscribes its own State
// and is refused another's and a second place; the Secretariat marks the
// speaker and records its statement; the Chair reorders.
func TestMeetingSpeakersAndStatements(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, page := en.get("", "/en/meetings/2")
	eu, irn, usa := strings.Index(page, "European Union"), strings.Index(page, "Iran"), strings.Index(page, "United States")
	if eu < 0 || irn < eu || usa < irn {
		t.Errorf("list of speakers order: EU %d, Iran %d, USA %d", eu, irn, usa)
	}
	for _, key := range []string{"statements.speakers", "statements.not_on_record", "statement.class.group"} {
		if !strings.Contains(page, en.msg("en", key)) {
			t.Errorf("meeting page lacks %s", key)
		}
	}
	if _, ar := en.get("", "/ar/meetings/2"); !strings.Contains(ar, en.msg("ar", "statements.speakers")) || !strings.Contains(ar, `dir="rtl"`) {
		t.Error("the Arabic meeting page lacks its list of speakers")
	}
	link := regexp.MustCompile(`/en/statements/(\d+)`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no statement link on the meeting page")
	}
	if resp, st := en.get("", link[0]); resp.StatusCode != 200 || !strings.Contains(st, `<section class="statement-text" lang="en" dir="ltr">`) || !strings.Contains(st, en.msg("en", "statements.not_on_record_note")) {
		t.Errorf("statement page: %d", resp.StatusCode)
	}
	if _, st := en.get("", "/en/states/IRN"); !strings.Contains(st, en.msg("en", "statements.by_state")) || !strings.Contains(st, "/en/statements/") {
		t.Error("Iran's page does not list its statement")
	}
	if _, l := en.get("", "/en/statements?speaker=irn&session=GM-2026-1&item=item-5"); !strings.Contains(l, "Iran") || strings.Contains(l, "Canada") {
		t.Error("the statements filter by speaker")
	}
	if resp, _ := en.get("", "/en/statements?speaker=France!&meeting=x"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}

	// A meeting day: a Chair's consultation under way now, with no agenda
	// session (statements on the meeting generally).
	now := time.Now().UTC()
	ms := &meetings.Service{DB: en.db, Process: concord.DefaultProcessCode}
	res, err := ms.Create(ctx, &concord.User{Role: concord.RoleSecretariat}, meetings.Input{Body: meeting.Chair, Kind: meeting.InformalConsult,
		Title: concord.Text{"en": "Consultation"}, Start: now.Add(-time.Hour), End: now.Add(4 * time.Hour), Venue: "UNHQ"})
	if err != nil {
		t.Fatal(err)
	}
	day := "/en/meetings/" + itoa(res.Meeting.ID)
	form := url.Values{"item": {""}}
	if resp, _ := en.postForm("delegate", day+"/speakers", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("inscribe: %d", resp.StatusCode)
	}
	resp, body := en.postForm("delegate", day+"/speakers", form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "statement.error.inscribed_twice")) {
		t.Errorf("twice: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("delegate", day+"/speakers", url.Values{"speaker": {"IRN"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate inscribing another State: %d", resp.StatusCode)
	}
	resp, body = en.postForm("delegate", day+"/speakers", url.Values{"item": {"item-5"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "statement.error.item")) {
		t.Errorf("an item of no agenda: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", day+"/speakers", url.Values{"speaker": {"DEU"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the Secretariat inscribing: %d", resp.StatusCode)
	}
	_, page = en.get("chair", day)
	ids := regexp.MustCompile(`/en/speakers/(\d+)/move`).FindAllStringSubmatch(page, -1)
	if len(ids) != 2 {
		t.Fatalf("%d places the Chair can move", len(ids))
	}
	if resp, _ := en.postForm("chair", "/en/speakers/"+ids[1][1]+"/move", url.Values{"place": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the Chair moving: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("delegate", "/en/speakers/"+ids[1][1]+"/spoke", url.Values{"minutes": {"3"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate marking: %d", resp.StatusCode)
	}
	resp, body = en.postForm("secretariat", "/en/speakers/"+ids[0][1]+"/spoke", url.Values{"minutes": {"x"}, "text": {"France **supports**."}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "statement.error.duration_read")) {
		t.Errorf("unreadable time: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("secretariat", "/en/speakers/"+ids[0][1]+"/spoke", url.Values{"minutes": {"3"}, "seconds": {"5"}, "text": {"France <script>x</script>**supports**."}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/en/statements/") {
		t.Fatalf("mark spoke: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, st := en.get("", resp.Header.Get("Location"))
	if !strings.Contains(st, "<strong>supports</strong>") || strings.Contains(st, "<script>x") {
		t.Error("the statement's text is not rendered and sanitised")
	}
}

// TestStatementForm: a delegate submits its own statement with a position
// on the agenda item; every problem is shown at once and the input kept.
func TestStatementForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if resp, body := en.get("delegate", "/en/meetings/2/statements/new"); resp.StatusCode != 200 || !strings.Contains(body, `name="item_position"`) {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	bad := url.Values{"item": {"item-99"}, "kind": {"speech"}, "at": {"2030-01-01T10:00"}, "lang": {"en"}, "text": {"Kept text"}}
	resp, body := en.postForm("delegate", "/en/meetings/2/statements", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad: %d", resp.StatusCode)
	}
	for _, key := range []string{"statement.error.item", "statement.error.kind", "statement.error.at_outside"} {
		if !strings.Contains(body, en.msg("en", key)) {
			t.Errorf("bad form does not say %s", key)
		}
	}
	if !strings.Contains(body, "Kept text") {
		t.Error("the form lost the text")
	}
	good := url.Values{"item": {"item-5"}, "kind": {"statement"}, "at": {"2026-07-22T11:00"}, "lang": {"fr"}, "text": {"La France appuie le point 5."}, "item_position": {"support"}}
	resp, _ = en.postForm("delegate", "/en/meetings/2/statements", good)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	_, st := en.get("", resp.Header.Get("Location"))
	if !strings.Contains(st, "La France appuie") || !strings.Contains(st, en.msg("en", "statements.submitted")) || !strings.Contains(st, "/en/sessions/GM-2026-1/items/item-5/positions") {
		t.Error("the submitted statement's page")
	}
}

// TestStatementPagesQueries: a meeting's page, a State's page and the
// statements list cost the same number of queries with the demo's five
// statements and with ten thousand more.
func TestStatementPagesQueries(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	pages := []string{"/en/meetings/2", "/en/states/IRN", "/en/statements?speaker=IRN", "/api/v1/statements?speaker=IRN", "/api/v1/meetings/2/speakers",
		"/en/positions/map", "/ar/positions/map", "/api/v1/positions/map", "/en/sessions/GM-2026-1/items/item-5/positions", "/en/states/IRN/record", "/en/statements/feed.atom",
		"/en/topics/3/t1/positions", "/ar/topics/3/t1/positions", "/api/v1/topics/3/t1/positions", "/en/positions/map?show=topics", "/en/positions/map?session=-", "/api/v1/positions/map?session=-", "/api/v1/states/IRN/topic-positions"}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	defer seed.SetScaleStatements(10000)()
	r := rand.New(rand.NewPCG(1, 42))
	if err := seed.ScaleMeetings(ctx, en.db, r, 0); err != nil {
		t.Fatal(err)
	}
	if err := seed.ScaleStatements(ctx, en.db, r, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if n := queriesFor(t, en, p); n != small[p] {
			t.Errorf("%s: %d queries with the demo, %d with more statements: N+1", p, small[p], n)
		}
	}
	t.Logf("queries per page: %v", small)
}
