package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func TestTopicResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	storetest.Each(t, testTopicResponses)
}

// testTopicResponses runs a topic round through the API on a clock the
// test moves, checking every answer against the document: the Chair opens
// a round, France and the Secretariat suggest, the survey opens, ballots
// (one replaced, bad ones refused, one late), the tally both ways, and the
// proposal that opens a decision. Every Topics operation must succeed once.
func testTopicResponses(t *testing.T, db *store.DB) {
	var clock atomic.Int64
	at := func(tm time.Time) { clock.Store(tm.UnixNano()) }
	at(time.Date(2027, 2, 1, 14, 0, 0, 0, time.UTC))
	db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	e := newEnv(t, db)
	users := []string{"chair", "sec", "fra", "sen"}
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	createUser(t, db, concord.User{Username: "sen", Role: concord.RoleDelegate, State: "SEN"})
	signInAll := func() { // sessions last 12 hours of the store's clock
		for _, u := range users {
			e.signIn(u)
		}
	}
	signInAll()
	post := func(name, op, path, as string, body any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "POST", path: path, as: as, ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	get := func(name, op, path, as string, status int, field ...string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status, field: strings.Join(field, "")}))
	}

	// Rounds.
	rounds := get("demo rounds", "GET /topics", "/topics?dtg=DTG-1", "", 200)
	if n := len(list(rounds["items"])); n != 1 {
		t.Errorf("%d demo rounds of DTG-1", n)
	}
	get("rounds of an unknown group", "GET /topics", "/topics?dtg=DTG-9", "", 422, "dtg")
	post("open as a delegate", "POST /topics", "/topics", "fra", map[string]string{"dtg": "DTG-1", "term": "2027-2028"}, 403, "")
	post("open without a session", "POST /topics", "/topics", "", map[string]string{"dtg": "DTG-1", "term": "2027-2028"}, 401, "")
	post("bad term", "POST /topics", "/topics", "chair", map[string]string{"dtg": "DTG-1", "term": "2027/28"}, 422, "term")
	post("the demo's term again", "POST /topics", "/topics", "chair", map[string]string{"dtg": "DTG-1", "term": "2026-2027"}, 409, "term")
	post("unknown field", "POST /topics", "/topics", "chair", map[string]string{"dtg": "DTG-1", "term": "2027-2028", "colour": "red"}, 422, "colour")
	r := post("open", "POST /topics", "/topics", "chair", map[string]string{"dtg": "DTG-1", "term": "2027-2028"}, 201, "")
	id := r["id"].(json.Number).String()
	base := "/topics/" + id
	if r["phase"] != "suggestions" || r["survey"] != nil || r["decision_id"] != nil {
		t.Errorf("new round: %s", short(r))
	}

	// Suggestions.
	post("France suggests", "POST /topics/{id}/suggestions", base+"/suggestions", "fra", map[string]any{"title": map[string]string{"fr": "Protection des infrastructures critiques"}}, 201, "")
	post("France for Germany", "POST /topics/{id}/suggestions", base+"/suggestions", "fra", map[string]any{"by": "DEU", "title": map[string]string{"en": "Ransomware"}}, 403, "by")
	post("no title", "POST /topics/{id}/suggestions", base+"/suggestions", "fra", map[string]any{"title": map[string]string{}}, 422, "title")
	post("an observer State", "POST /topics/{id}/suggestions", base+"/suggestions", "sec", map[string]any{"by": "VAT", "title": map[string]string{"en": "Ransomware"}}, 422, "by")
	post("Secretariat for the UK", "POST /topics/{id}/suggestions", base+"/suggestions", "sec", map[string]any{"by": "GBR", "title": map[string]string{"en": "Ransomware"}}, 201, "")
	post("the same title", "POST /topics/{id}/suggestions", base+"/suggestions", "sec", map[string]any{"by": "USA", "title": map[string]string{"en": "ransomware"}}, 409, "title")
	r = post("the Chair suggests", "POST /topics/{id}/suggestions", base+"/suggestions", "chair", map[string]any{"title": map[string]string{"en": "Submarine cables"}}, 201, "")
	if n := len(r["suggestions"].([]any)); n != 3 {
		t.Errorf("%d suggestions", n)
	}
	post("no such round", "POST /topics/{id}/suggestions", "/topics/99999/suggestions", "fra", map[string]any{"title": map[string]string{"en": "X"}}, 404, "")
	get("no tally without a survey", "GET /topics/{id}/tally", base+"/tally", "", 409, "survey")
	post("proposal before the survey", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t1"}}, 409, "topics")

	// The survey.
	now := time.Unix(0, clock.Load()).UTC()
	post("survey by a delegate", "POST /topics/{id}/survey", base+"/survey", "fra", map[string]string{}, 403, "")
	post("deadline not RFC 3339", "POST /topics/{id}/survey", base+"/survey", "chair", map[string]string{"deadline": "next week"}, 422, "deadline")
	post("deadline past", "POST /topics/{id}/survey", base+"/survey", "chair", map[string]string{"deadline": now.Add(-time.Hour).Format(time.RFC3339)}, 422, "deadline")
	deadline := now.Add(7 * 24 * time.Hour)
	r = post("open the survey", "POST /topics/{id}/survey", base+"/survey", "chair", map[string]string{"deadline": deadline.Format(time.RFC3339)}, 201, "")
	if sv := obj(r["survey"]); sv["open"] != true || sv["participants"] != json.Number("193") || r["phase"] != "survey" {
		t.Errorf("survey: %s", short(r))
	}
	post("survey again", "POST /topics/{id}/survey", base+"/survey", "chair", map[string]string{}, 409, "deadline")
	post("suggestion once the survey is open", "POST /topics/{id}/suggestions", base+"/suggestions", "fra", map[string]any{"title": map[string]string{"en": "Late"}}, 409, "title")

	// Ballots.
	ballot := func(name, as string, body map[string]any, status int, field string) map[string]any {
		t.Helper()
		at(time.Unix(0, clock.Load()).Add(time.Minute))
		return post(name, "POST /topics/{id}/ballots", base+"/ballots", as, body, status, field)
	}
	ballot("France", "fra", map[string]any{"ranking": []string{"t2", "t1"}}, 201, "")
	b := ballot("France revises", "fra", map[string]any{"ranking": []string{"t1", "t2"}}, 201, "")
	if b["state"] != "FRA" || b["seq"] != json.Number("2") {
		t.Errorf("ballot %s", short(b))
	}
	ballot("unknown topic", "fra", map[string]any{"ranking": []string{"t9"}}, 422, "ranking")
	ballot("ranked twice", "fra", map[string]any{"ranking": []string{"t1", "t1"}}, 422, "ranking")
	ballot("scores in a ranked survey", "fra", map[string]any{"scores": map[string]int{"t1": 2}}, 422, "scores")
	ballot("nothing ranked", "fra", map[string]any{}, 422, "ranking")
	ballot("for another State", "fra", map[string]any{"state": "DEU", "ranking": []string{"t1"}}, 403, "state")
	ballot("an observer State", "sec", map[string]any{"state": "PSE", "ranking": []string{"t1"}}, 403, "state")
	ballot("a rank that is not a string", "fra", map[string]any{"ranking": []int{1}}, 422, "ranking")
	for _, st := range []string{"DEU", "NLD", "ITA"} {
		ballot("Secretariat for "+st, "sec", map[string]any{"state": st, "ranking": []string{"t1", "t2"}}, 201, "")
	}
	ballot("Senegal", "sen", map[string]any{"ranking": []string{"t2"}}, 201, "")
	r = get("round as France", "GET /topics/{id}", base, "fra", 200)
	if mb := obj(r["my_ballot"]); !slices.Equal(list(mb["ranking"]), []any{"t1", "t2"}) {
		t.Errorf("France's own ballot: %s", short(r["my_ballot"]))
	}
	if r = get("round, public", "GET /topics/{id}", base, "", 200); r["my_ballot"] != nil || obj(r["survey"])["respondents"] != json.Number("5") {
		t.Errorf("public round: %s", short(r["survey"]))
	}
	tally := get("interim tally", "GET /topics/{id}/tally", base+"/tally", "", 200)
	if tally["interim"] != true || tally["follows"] != "weighted" || obj(tally["ignored"])["topic.reason.superseded"] != json.Number("1") {
		t.Errorf("interim tally: %s", short(tally))
	}
	// Three topics: 3 points for first place, 2 for second. By points t1
	// (4×3 = 12) leads t2 (4×2 + 3 = 11); with equal weight the African
	// Group's whole vote for t2 puts it first.
	res := obj(tally["result"])
	if !slices.Equal(list(res["by_points"])[:2], []any{"t1", "t2"}) || !slices.Equal(list(res["by_weighted"])[:2], []any{"t2", "t1"}) || tally["weighting_changes_top"] != true {
		t.Errorf("tally: by points %v, weighted %v", res["by_points"], res["by_weighted"])
	}
	post("proposal while the survey is open", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t1"}}, 409, "topics")

	// At the deadline: refused, the earlier ballot kept.
	at(deadline)
	signInAll()
	ballot("late", "sen", map[string]any{"ranking": []string{"t3"}}, 409, "at")
	tally = get("final tally", "GET /topics/{id}/tally", base+"/tally", "", 200)
	if tally["interim"] != false || !slices.Equal(list(tally["advice"]), []any{"t2", "t1"}) || obj(tally["result"])["counted"] != json.Number("5") {
		t.Errorf("final tally: %s", short(tally))
	}

	// The proposal.
	post("proposal by a delegate", "POST /topics/{id}/proposal", base+"/proposal", "fra", map[string]any{"topics": []string{"t1"}}, 403, "")
	post("three topics for two slots", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t1", "t2", "t3"}}, 422, "topics")
	post("no topic", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{}}, 422, "topics")
	// Every problem of the choice at once: too many, an unknown topic, a
	// topic twice.
	many := post("too many, unknown and twice", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t1", "t9", "t1"}}, 422, "topics")
	if n := len(list(many["errors"])); n != 3 {
		t.Errorf("too many, unknown and twice: %d errors: %s", n, short(many))
	}
	p := post("proposal", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t2", "t1"}}, 201, "")
	dec := obj(p["decision"])
	if obj(dec["policy"])["modality"] != "chair_decision" || obj(dec["facts"])["kind"] != "dtg_topics" || obj(p["round"])["phase"] != "proposed" ||
		obj(p["round"])["outcome"] != "pending" {
		t.Errorf("proposal: %s / %s", short(dec["policy"]), short(p["round"]))
	}
	post("a second proposal", "POST /topics/{id}/proposal", base+"/proposal", "chair", map[string]any{"topics": []string{"t1"}}, 409, "topics")
	get("no such round", "GET /topics/{id}", "/topics/99999", "", 404)
	get("rounds", "GET /topics", "/topics", "", 200)

	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Topics")) })
}
