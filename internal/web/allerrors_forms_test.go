package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// TestAccreditationRulesAllErrors: a new version of the accreditation rules
// with four wrong fields gets the four errors at once, each next to its
// field and listed at the top, the input kept; the API answers every
// problem in its errors array; nothing is written.
func TestAccreditationRulesAllErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	before, err := en.db.AccreditationPolicies(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	bad := url.Values{"from": {"2020-01-01"}, "period": {"ten"}, "clock": {"25:00"}, "disclosure": {"whispered"}, "validity": {"annual"}, "source": {"Kept text"}}
	resp, body := en.postForm("secretariat", "/en/accreditation/rules", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "form.errors")) {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	pageErrors(t, "page", body, "from", "period", "clock", "disclosure")
	if !strings.Contains(body, `value="Kept text"`) || !strings.Contains(body, `value="ten"`) {
		t.Error("the input is not kept")
	}
	// A period that is a number, the rest still wrong: all at once.
	bad.Set("period", "0")
	_, body = en.postForm("secretariat", "/en/accreditation/rules", bad)
	pageErrors(t, "page, period a number", body, "from", "period", "clock", "disclosure")

	resp, body = en.do("secretariat", "POST", "/api/v1/accreditation/policy", "application/json",
		`{"effective_from":"yesterday","objection_period_days":0,"deadline_clock":"25:00","disclosure":"whispered","validity":"forever","scopes":[]}`)
	want := []string{"deadline_clock", "disclosure", "effective_from", "objection_period_days", "scopes", "validity"}
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, want) {
		t.Errorf("API: %d, errors on %v, want %v", resp.StatusCode, got, want)
	}
	after, err := en.db.AccreditationPolicies(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("%d policy versions after invalid submissions, want %d", len(after), len(before))
	}
}

// TestTopicFormsAllErrors: opening a topic round and answering its survey
// report every problem at once, on the page (next to each field, listed at
// the top, input kept) and in the API; nothing is stored.
func TestTopicFormsAllErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.postForm("chair", "/en/topics", url.Values{"dtg": {"DTG-9"}, "term": {"2027/28"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "form.errors")) {
		t.Fatalf("open: %d", resp.StatusCode)
	}
	pageErrors(t, "open", body, "dtg", "term")
	if !strings.Contains(body, `value="2027/28"`) {
		t.Error("open: the term typed is not kept")
	}
	resp, body = en.do("chair", "POST", "/api/v1/topics", "application/json", `{"dtg":"DTG-9","term":"2027/28"}`)
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"dtg", "term"}) {
		t.Errorf("API open: %d, errors on %v", resp.StatusCode, got)
	}

	// A round with three topics and its survey open.
	resp, _ = en.postForm("chair", "/en/topics", url.Values{"dtg": {"DTG-1"}, "term": {"2027-2028"}})
	m := topicLocation.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("open: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	round := "/topics/" + m[1]
	for _, title := range []string{"Ransomware", "Submarine cables", "Capacity building"} {
		if resp, _ := en.postForm("chair", "/en"+round+"/suggestions", url.Values{"title": {title}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("suggest %s: %d", title, resp.StatusCode)
		}
	}
	loc, _ := time.LoadLocation("America/New_York")
	deadline := time.Now().Add(30 * time.Minute).In(loc).Truncate(time.Minute)
	if resp, _ := en.postForm("chair", "/en"+round+"/survey", url.Values{"deadline_date": {deadline.Format(time.DateOnly)}, "deadline_time": {deadline.Format("15:04")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open the survey: %d", resp.StatusCode)
	}

	// No State said, a rank that is no number, two topics ranked second.
	resp, body = en.postForm("secretariat", "/en"+round+"/ballots", url.Values{"ballot": {"1"}, "rank_t1": {"x"}, "rank_t2": {"2"}, "rank_t3": {"2"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("ballot: %d", resp.StatusCode)
	}
	if !regexp.MustCompile(`id="state"[^>]*aria-invalid="true" aria-describedby="state-err"`).MatchString(body) || !strings.Contains(body, `href="#state"`) {
		t.Error("ballot: the State is not marked and linked")
	}
	ranking := regexp.MustCompile(`<p id="ranking-err" class="field-error">([^<]*)</p>`).FindStringSubmatch(body)
	if ranking == nil || !strings.Contains(ranking[1], en.msg("en", "error.number")) || !strings.Contains(ranking[1], en.msg("en", "topics.error.duplicate_rank")) {
		t.Errorf("ballot: the ranking's errors are not all next to it: %q", ranking)
	}
	if n := strings.Count(body, `href="#ranking"`); n != 2 {
		t.Errorf("ballot: %d ranking errors listed at the top, want 2", n)
	}
	if strings.Count(body, `<option value="2" selected>`) != 2 {
		t.Error("ballot: the ranks chosen are not kept")
	}
	resp, body = en.do("secretariat", "POST", "/api/v1"+round+"/ballots", "application/json", `{"ranking":["t9","t1","t1"]}`)
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"ranking", "ranking", "state"}) {
		t.Errorf("API ballot: %d, errors on %v: %s", resp.StatusCode, got, body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	rec, err := en.s.Decide.TopicRound(ctx, id)
	if err != nil || len(rec.Doc.Survey.Ballots) != 0 {
		t.Errorf("%v: ballots stored from invalid answers: %v", err, rec.Doc.Survey.Ballots)
	}
}
