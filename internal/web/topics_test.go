package web_test

import (
	"concord/rule"
	"concord/topic"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

var topicLocation = regexp.MustCompile(`^/en/topics/(\d+)\?saved=1$`)

// TestTopicFlow runs a topic round through the pages: the Chair opens it,
// a delegate and the Secretariat suggest, the Chair opens the survey,
// ballots (with a duplicate rank and a late one refused, what was typed
// kept), the results in English and Arabic, and the proposal that opens the
// decision.
func TestTopicFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	// Opening: a bad term comes back with the typed text and the field marked.
	resp, body := en.postForm("chair", "/en/topics", url.Values{"dtg": {"DTG-2"}, "term": {"2027-2029"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `value="2027-2029"`) || !strings.Contains(body, `aria-invalid="true"`) ||
		!strings.Contains(body, en.msg("en", "topics.error.term")) {
		t.Errorf("bad term: %d", resp.StatusCode)
	}
	resp, body = en.postForm("chair", "/fr/topics", url.Values{"dtg": {"DTG-1"}, "term": {"2026-2027"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("fr", "topics.error.round_exists")) {
		t.Errorf("second round for the demo's term: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("chair", "/en/topics", url.Values{"dtg": {"DTG-1"}, "term": {"2027-2028"}})
	m := topicLocation.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("open: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	round := "/topics/" + m[1]
	_, body = en.get("chair", "/en"+round+"?saved=1")
	if !strings.Contains(body, en.msg("en", "topics.phase.suggestions")) || !strings.Contains(body, `class="flash"`) {
		t.Error("new round page: no phase or flash")
	}

	// Suggestions.
	suggest := func(role, lang string, v url.Values) (*http.Response, string) {
		return en.postForm(role, "/"+lang+round+"/suggestions", v)
	}
	if resp, _ := suggest("delegate", "fr", url.Values{"title": {"Protection des infrastructures critiques"}}); resp.StatusCode != 303 {
		t.Errorf("delegate's suggestion: %d", resp.StatusCode)
	}
	if resp, _ := suggest("delegate", "en", url.Values{"by": {"DEU"}, "title": {"Ransomware"}}); resp.StatusCode != 403 {
		t.Errorf("delegate for Germany: %d", resp.StatusCode)
	}
	resp, body = suggest("delegate", "en", url.Values{"title": {" "}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="title-err"`) {
		t.Errorf("empty title: %d", resp.StatusCode)
	}
	resp, body = suggest("secretariat", "ar", url.Values{"by": {"EGY"}, "title": {"PROTECTION des infrastructures critiques"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("ar", "topics.error.duplicate_title")) || !strings.Contains(body, `value="PROTECTION des infrastructures critiques"`) ||
		!strings.Contains(body, `<option value="EGY" selected>`) {
		t.Errorf("duplicate title: %d", resp.StatusCode)
	}
	if resp, _ := suggest("secretariat", "en", url.Values{"by": {"GBR"}, "title": {"Ransomware"}}); resp.StatusCode != 303 {
		t.Errorf("Secretariat for the United Kingdom: %d", resp.StatusCode)
	}
	if resp, _ := suggest("chair", "en", url.Values{"title": {"Submarine cables"}}); resp.StatusCode != 303 {
		t.Errorf("the Chair's suggestion: %d", resp.StatusCode)
	}
	_, body = en.get("", "/en"+round)
	for _, want := range []string{"Protection des infrastructures critiques", "Ransomware", "Submarine cables", `<caption id="sug-caption">`, en.msg("en", "topics.by_chair")} {
		if !strings.Contains(body, want) {
			t.Errorf("round page lacks %q", want)
		}
	}
	if strings.Contains(body, `/suggestions"`) {
		t.Error("the public sees the suggestion form")
	}

	// The survey.
	resp, body = en.postForm("chair", "/en"+round+"/survey", url.Values{"deadline_date": {"31/12/2026"}, "deadline_time": {"18:00"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="deadline_date-err"`) {
		t.Errorf("malformed deadline: %d", resp.StatusCode)
	}
	// A deadline half an hour away (the test sessions last an hour, and
	// the clock moves to the deadline below).
	loc, _ := time.LoadLocation("America/New_York")
	deadline := time.Now().Add(30 * time.Minute).In(loc).Truncate(time.Minute)
	resp, _ = en.postForm("chair", "/en"+round+"/survey", url.Values{"deadline_date": {deadline.Format(time.DateOnly)}, "deadline_time": {deadline.Format("15:04")}})
	if resp.StatusCode != 303 {
		t.Fatalf("open the survey: %d", resp.StatusCode)
	}
	if resp, _ := suggest("delegate", "en", url.Values{"title": {"Too late"}}); resp.StatusCode != 409 {
		t.Errorf("suggestion after the survey opened: %d", resp.StatusCode)
	}

	// Ballots: two topics ranked first is refused, the ranks kept.
	ballot := func(role, lang string, v url.Values) (*http.Response, string) {
		v.Set("ballot", "1")
		return en.postForm(role, "/"+lang+round+"/ballots", v)
	}
	resp, body = ballot("delegate", "en", url.Values{"rank_t1": {"1"}, "rank_t2": {"1"}})
	if resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "topics.error.duplicate_rank")) || strings.Count(body, `<option value="1" selected>`) != 2 {
		t.Errorf("duplicate rank: %d", resp.StatusCode)
	}
	if resp, _ := ballot("delegate", "en", url.Values{"rank_t1": {"2"}, "rank_t2": {"1"}}); resp.StatusCode != 303 {
		t.Errorf("France's ballot: %d", resp.StatusCode)
	}
	if resp, _ := ballot("delegate", "en", url.Values{"state": {"DEU"}, "rank_t1": {"1"}}); resp.StatusCode != 403 {
		t.Errorf("delegate answering for Germany: %d", resp.StatusCode)
	}
	if resp, _ := ballot("secretariat", "en", url.Values{"state": {"SEN"}, "rank_t3": {"1"}, "rank_t1": {"2"}}); resp.StatusCode != 303 {
		t.Errorf("Secretariat for Senegal: %d", resp.StatusCode)
	}
	resp, body = ballot("secretariat", "en", url.Values{"state": {"PSE"}, "rank_t3": {"1"}})
	if resp.StatusCode != 403 || !strings.Contains(body, en.msg("en", "decision.error.not_participant")) {
		t.Errorf("an observer State's ballot: %d", resp.StatusCode)
	}
	// The delegate sees its own current answer, pre-filled.
	_, body = en.get("delegate", "/en"+round)
	if !strings.Contains(body, en.msg("en", "topics.your_ballot")) || !regexp.MustCompile(`<ol><li>(<span[^>]*>)?Ransomware`).MatchString(body) ||
		!strings.Contains(body, `<option value="2" selected>`) {
		t.Error("the delegate does not see its current ballot")
	}
	// Interim results, both ways, accessible.
	for _, lang := range []string{"en", "ar"} {
		_, body = en.get("", "/"+lang+round)
		for _, want := range []string{en.msg(lang, "topics.results_interim"), `<caption id="per-state-caption">`, `<caption id="per-group-caption">`, `<caption id="turnout-caption">`,
			`<svg class="chart" role="img" aria-labelledby="tchart-title tchart-desc"`, `<title id="tchart-title">`, `<desc id="tchart-desc">`, `class="bar-weighted"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s results lack %q", lang, want)
			}
		}
		if lang == "ar" && (!strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, `direction="rtl"`)) {
			t.Error("Arabic results are not right-to-left")
		}
	}
	// Three topics: first place 3 points, second 2. France ranks t2, t1;
	// Senegal t3, t1: t1 has 4 points, t2 and t3 3 each; with equal weight
	// t1 has 2/5 of each group's points: it leads both ways.
	if !strings.Contains(body, `class="advised"`) {
		t.Error("the advised topics are not marked")
	}

	// Proposing while the survey is open: refused.
	if resp, _ := en.postForm("chair", "/en"+round+"/proposal", url.Values{"propose": {"1"}, "topics": {"t1"}}); resp.StatusCode != 409 {
		t.Errorf("proposal while open: %d", resp.StatusCode)
	}
	// Past the deadline: a late ballot is refused in French, the ranks kept.
	close := deadline
	en.db.Now = func() time.Time { return close }
	t.Cleanup(func() { en.db.Now = time.Now })
	resp, body = ballot("delegate", "fr", url.Values{"rank_t3": {"1"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("fr", "decision.error.late")) || !strings.Contains(body, en.msg("fr", "topics.your_ballot")) {
		t.Errorf("late ballot: %d", resp.StatusCode)
	}
	if regexp.MustCompile(`<ol><li>(<span[^>]*>)?Submarine`).MatchString(body) {
		t.Error("the late ballot replaced the earlier one")
	}
	en.db.Now = func() time.Time { return close.Add(time.Minute) }
	_, body = en.get("chair", "/en"+round)
	if !strings.Contains(body, en.msg("en", "topics.results")) || strings.Contains(body, en.msg("en", "topics.results_interim")) {
		t.Error("closed survey still shows interim results")
	}
	// The proposal form is pre-filled with the advice (two slots).
	if !strings.Contains(body, `name="topics" value="t1" checked`) || !strings.Contains(body, `name="topics" value="t2" checked`) || strings.Contains(body, `value="t3" checked`) {
		t.Error("proposal form not pre-filled with the advice")
	}
	resp, body = en.postForm("chair", "/en"+round+"/proposal", url.Values{"propose": {"1"}, "topics": {"t1", "t2", "t3"}})
	if resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "topics.error.too_many_topics")) || strings.Count(body, `" checked>`) != 3 {
		t.Errorf("three topics for two slots: %d", resp.StatusCode)
	}
	// Every problem of the choice at once, listed at the top: too many,
	// an unknown topic, a topic twice.
	resp, body = en.postForm("chair", "/en"+round+"/proposal", url.Values{"propose": {"1"}, "topics": {"t1", "t9", "t1"}})
	// ... and each next to the topics too.
	if !regexp.MustCompile(`id="topics-err" class="field-error">[^<]*` + regexp.QuoteMeta(en.msg("en", "topic.error.unknown_topic")) + `[^<]*` + regexp.QuoteMeta(en.msg("en", "topic.error.duplicate"))).MatchString(body) {
		t.Error("the topics' field error lacks a problem")
	}
	for _, want := range []string{en.msg("en", "form.errors"), en.msg("en", "topics.error.too_many_topics"), en.msg("en", "topic.error.unknown_topic"), en.msg("en", "topic.error.duplicate"), `id="topics-err"`} {
		if resp.StatusCode != 422 || !strings.Contains(body, want) {
			t.Errorf("too many, unknown and twice: %d, lacks %q", resp.StatusCode, want)
		}
	}
	resp, _ = en.postForm("chair", "/en"+round+"/proposal", url.Values{"propose": {"1"}, "topics": {"t1", "t3"}})
	loc2 := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc2, "/en/decisions/") {
		t.Fatalf("proposal: %d to %s", resp.StatusCode, loc2)
	}
	// The decision page links back to the round; the round shows the
	// proposal, whether it followed the advice, and the outcome.
	_, body = en.get("", strings.Replace(strings.Split(loc2, "?")[0], "/en/", "/ar/", 1))
	if !strings.Contains(body, `href="/ar`+round+`"`) {
		t.Error("decision page does not link back to the round")
	}
	_, body = en.get("", "/ar"+round)
	if !strings.Contains(body, en.msg("ar", "topics.current_proposal")) || !strings.Contains(body, "outcome-pending") {
		t.Error("round page lacks the proposal and its outcome")
	}
	_, body = en.get("", "/en/topics")
	if !strings.Contains(body, "2027-2028") || !strings.Contains(body, en.msg("en", "topics.phase.proposed")) {
		t.Error("rounds list lacks the new round")
	}
}

// TestTopicPagesQueries: the round page costs a bounded number of queries,
// whatever the number of ballots and suggestions.
func TestTopicPagesQueries(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	rounds, err := svc.TopicRounds(ctx, concord.DTGs[0].Code)
	if err != nil || len(rounds) == 0 {
		t.Fatal(err)
	}
	pages := []string{"/en/topics", "/en/topics/" + itoa(rounds[0].ID), "/api/v1/topics", "/api/v1/topics/" + itoa(rounds[0].ID), "/api/v1/topics/" + itoa(rounds[0].ID) + "/tally"}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	// More rounds, suggestions, ballots and decisions: a survey round under
	// the default rule, then rounds under a consensus rule, each with a
	// proposal and its decision.
	sec := &concord.User{Role: concord.RoleSecretariat}
	sv, err := svc.OpenTopicRound(ctx, sec, decide.TopicRoundInput{DTG: concord.DTGs[1].Code, Term: "2028"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"SEN", "SGP", "BRA", "NOR"} {
		if _, _, err := svc.SuggestTopic(ctx, sec, sv.ID, decide.TopicSuggestionInput{By: st, Title: concord.Text{"en": "Topic of " + st}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.OpenTopicSurvey(ctx, sec, sv.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"SEN", "SGP", "BRA", "NOR", "FRA", "KEN"} {
		if _, _, err := svc.SubmitTopicBallot(ctx, sec, sv.ID, decide.TopicBallotInput{State: st, Ranking: []string{"t2", "t1"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.AddRule(ctx, sec, rule.Version{Code: topic.RuleCode, Policy: &topic.Policy{Selection: topic.Consensus, Slots: 2}}); err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"2029", "2030", "2031"} {
		rec, err := svc.OpenTopicRound(ctx, sec, decide.TopicRoundInput{DTG: concord.DTGs[1].Code, Term: term})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{"SEN", "SGP", "BRA"} {
			if _, _, err := svc.SuggestTopic(ctx, sec, rec.ID, decide.TopicSuggestionInput{By: st, Title: concord.Text{"en": "Topic of " + st}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := svc.ProposeTopics(ctx, sec, rec.ID, []string{"t1", "t3"}); err != nil {
			t.Fatal(err)
		}
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

// TestTopicPageCachedUntilDeadline: the page of an open survey is served
// from the caches (it is public and popular) but only until the deadline;
// past it, without any write, the public and signed-in users see the final
// results.
func TestTopicPageCachedUntilDeadline(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{Role: concord.RoleSecretariat}
	rec, err := svc.OpenTopicRound(ctx, sec, decide.TopicRoundInput{DTG: concord.DTGs[1].Code, Term: "2028"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"SEN", "SGP"} {
		if _, _, err := svc.SuggestTopic(ctx, sec, rec.ID, decide.TopicSuggestionInput{By: st, Title: concord.Text{"en": "Topic of " + st}}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	if _, err := svc.OpenTopicSurvey(ctx, sec, rec.ID, deadline); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SubmitTopicBallot(ctx, sec, rec.ID, decide.TopicBallotInput{State: "SEN", Ranking: []string{"t1"}}); err != nil {
		t.Fatal(err)
	}
	path := "/en/topics/" + itoa(rec.ID)
	interim, final := en.msg("en", "topics.results_interim"), ">"+en.msg("en", "topics.results")+"<"
	for _, role := range []string{"", "chair"} {
		if _, body := en.get(role, path); !strings.Contains(body, interim) {
			t.Errorf("%q before the deadline: no interim results", role)
		}
	}
	// Served from the cache: no query but the data version.
	before := en.db.Queries()
	if _, body := en.get("", path); !strings.Contains(body, interim) {
		t.Error("cached page differs")
	}
	if n := en.db.Queries() - before; n > 1 {
		t.Errorf("open survey page not cached: %d queries", n)
	}
	// The API twins, cached too, though no handler declares the deadline:
	// reading the round records its survey's close.
	api := map[string][2]string{"/api/v1/topics/" + itoa(rec.ID): {`"phase":"survey"`, `"phase":"survey_closed"`},
		"/api/v1/topics/" + itoa(rec.ID) + "/tally": {`"interim":true`, `"interim":false`}}
	for p, want := range api {
		if _, body := en.get("", p); !strings.Contains(body, want[0]) {
			t.Errorf("%s before the deadline: %s", p, body)
		}
		before := en.db.Queries()
		en.get("", p)
		if n := en.db.Queries() - before; n > 1 {
			t.Errorf("%s not cached: %d queries", p, n)
		}
	}
	en.db.Now = func() time.Time { return deadline }
	t.Cleanup(func() { en.db.Now = time.Now })
	for _, role := range []string{"", "chair"} {
		if _, body := en.get(role, path); !strings.Contains(body, final) || strings.Contains(body, interim) {
			t.Errorf("%q at the deadline: the cached interim page is still served", role)
		}
	}
	for p, want := range api {
		if _, body := en.get("", p); !strings.Contains(body, want[1]) {
			t.Errorf("%s at the deadline: the cached answer is still served: %s", p, body)
		}
	}
}

// TestTopicPagesAreLight keeps the demo survey's page, with its tables and
// chart, under 50 KB in every language, for the public and the Chair.
func TestTopicPagesAreLight(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	rounds, err := svc.TopicRounds(ctx, "")
	if err != nil || len(rounds) == 0 {
		t.Fatal(err)
	}
	for _, lang := range concord.Languages {
		for _, role := range []string{"", "secretariat"} {
			for _, p := range []string{"/topics", "/topics/" + itoa(rounds[0].ID), "/topics/" + itoa(rounds[1].ID)} {
				resp, body := en.get(role, "/"+lang+p)
				if resp.StatusCode != 200 || len(body) > 50<<10 {
					t.Errorf("%q /%s%s: %d, %d bytes", role, lang, p, resp.StatusCode, len(body))
				}
				if lang == "ar" || lang == "en" {
					t.Logf("%q /%s%s: %d bytes", role, lang, p, len(body))
				}
			}
		}
	}
}
