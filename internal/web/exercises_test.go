package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/exercise"
	"concord/internal/exercises"
	"concord/internal/store"
)

// TestExerciseWhoSeesWhat walks the demo exercise (ended, published, its
// responses kept to the participants) and a live one role by role through
// the pages, the API and the log: an inject is seen by a participant from
// its release, by the public only once published after the end; a
// response never reaches anyone but the participants and the facilitator.
func TestExerciseWhoSeesWhat(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &exercises.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{Role: concord.RoleSecretariat}
	l, err := svc.List(ctx, sec)
	if err != nil || len(l) != 1 {
		t.Fatalf("demo: %v %v", l, err)
	}
	demoID := strconv.FormatInt(l[0].Exercise.ID, 10)
	response := "We advise against attribution at this stage"
	lesson := "Every State nominates an alternate technical POC"

	now := time.Now().UTC()
	live, err := svc.Create(ctx, sec, exercises.Input{Setting: exercise.DTG, Title: concord.Text{"en": "Live drill"}, Narrative: concord.Text{"en": "A drill."},
		States: []string{"FRA", "KEN"}, Start: now.Add(-time.Minute), End: now.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddInject(ctx, sec, live.ID, 0, "Released inject text", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddInject(ctx, sec, live.ID, 90*time.Minute, "Secret later inject", nil); err != nil {
		t.Fatal(err)
	}
	liveID := strconv.FormatInt(live.ID, 10)

	// France answers the released inject through the page; an empty answer
	// is refused with its message, the unreleased one is refused too.
	resp, body := en.postForm("delegate", "/en/exercises/"+liveID+"/injects/1/responses", url.Values{"response": {""}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Write the response") {
		t.Errorf("empty response: %d", resp.StatusCode)
	}
	resp, body = en.postForm("delegate", "/en/exercises/"+liveID+"/injects/2/responses", url.Values{"response": {"Too early"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "has not been released yet") || strings.Contains(body, "Secret later inject") {
		t.Errorf("unreleased: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("delegate", "/en/exercises/"+liveID+"/injects/1/responses", url.Values{"response": {"France live answer"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("delegate", "/en/exercises/"+demoID+"/injects/1/responses", url.Values{"response": {"After the end"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("after the end: %d", resp.StatusCode)
	}

	for _, role := range []string{"", "focal-point", "chair", "co-facilitator", "delegate", "secretariat"} {
		participant := role == "delegate" // France takes part in both
		insider := participant || role == "secretariat"
		for _, p := range []string{"/en/exercises/" + demoID, "/ar/exercises/" + demoID, "/api/v1/exercises/" + demoID} {
			resp, body := en.get(role, p)
			body = html.UnescapeString(body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, lesson) {
				t.Errorf("%s as %q: %d, the published lessons missing", p, role, resp.StatusCode)
			}
			if strings.Contains(body, response) != insider {
				t.Errorf("%s as %q: shows a response %v, want %v", p, role, !insider, insider)
			}
		}
		for _, p := range []string{"/en/exercises/" + liveID, "/api/v1/exercises/" + liveID} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if strings.Contains(body, "Released inject text") != insider || strings.Contains(body, "France live answer") != insider {
				t.Errorf("%s as %q: released inject or answer shown %v", p, role, !insider)
			}
			if strings.Contains(body, "Secret later inject") != (role == "secretariat") {
				t.Errorf("%s as %q: the unreleased inject shown", p, role)
			}
		}
		for _, p := range []string{"/en/exercises", "/api/v1/exercises", "/en/log", "/api/v1/log", "/en/search?q=attribution"} {
			_, body := en.get(role, p)
			if strings.Contains(body, response) || strings.Contains(body, "Secret later inject") || strings.Contains(body, "France live answer") {
				t.Errorf("%s as %q shows a response or an unreleased inject", p, role)
			}
		}
	}
}
