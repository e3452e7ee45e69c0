package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"concord/internal/store"
)

// TestPositionsRegisterMapAndWithdraw: over the demo (item 5 of the July
// plenary: the EU supports on behalf of its members, Iran and Russia
// reserve, Canada and the United States support), the register applies
// the EU's position to France, the map draws it as an accessible SVG with
// its table twin (mirrored in Arabic), the API gives the same matrix; a
// delegation may not withdraw another's statement, the Secretariat may,
// and Iran's reservation then leaves the register, the map and the feed.
func TestPositionsRegisterMapAndWithdraw(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, reg := en.get("", "/en/sessions/GM-2026-1/items/item-5/positions")
	if resp.StatusCode != 200 {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	for _, want := range []string{"France", "European Union", en.msg("en", "position.reservation"), "Iran", "/en/statements/"} {
		if !strings.Contains(reg, want) {
			t.Errorf("the register lacks %q", want)
		}
	}
	if resp, _ := en.get("", "/en/sessions/GM-2026-1/items/item-99/positions"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown item: %d", resp.StatusCode)
	}
	_, m := en.get("", "/en/positions/map")
	for _, want := range []string{`role="img"`, `aria-labelledby="map-title map-desc"`, `<title id="map-title">`, `<desc id="map-desc">`,
		`class="position-table"`, `scope="colgroup"`, "pos-reserve", "pos-agree", en.msg("en", "portal.region.WEOG")} {
		if !strings.Contains(m, want) {
			t.Errorf("the map lacks %q", want)
		}
	}
	// Arabic: the labels stand at the right edge and the columns run
	// leftwards.
	_, ar := en.get("", "/ar/positions/map")
	if !strings.Contains(ar, `dir="rtl"`) || !strings.Contains(ar, en.msg("ar", "positions.map_desc")) {
		t.Error("the Arabic map")
	}
	x := regexp.MustCompile(`<text x="(\d+)" y="\d+" text-anchor="start" class="map-group"`)
	enX, arX := x.FindStringSubmatch(m), x.FindStringSubmatch(ar)
	if enX == nil || arX == nil || enX[1] == arX[1] {
		t.Errorf("the map is not mirrored in Arabic: %v %v", enX, arX)
	}
	if resp, _ := en.get("", "/en/positions/map?body=senate"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown body: %d", resp.StatusCode)
	}
	var mj struct {
		Session string
		Columns []struct{ Item string }
		Groups  []struct {
			Rows []struct {
				State string
				Cells []struct {
					Kind *string
					Via  *string
				}
			}
		}
	}
	_, body := en.get("", "/api/v1/positions/map?show=items")
	if err := json.Unmarshal([]byte(body), &mj); err != nil || mj.Session != "GM-2026-1" || len(mj.Columns) != 1 || mj.Columns[0].Item != "item-5" {
		t.Fatalf("API map: %v %s", err, body)
	}
	cells := map[string]string{}
	for _, g := range mj.Groups {
		for _, r := range g.Rows {
			if k := r.Cells[0].Kind; k != nil {
				cells[r.State] = *k
				if r.Cells[0].Via != nil {
					cells[r.State] += "<group"
				}
			}
		}
	}
	if cells["IRN"] != "reservation" || cells["FRA"] != "support<group" || cells["CAN"] != "support" {
		t.Errorf("API map cells %v", cells)
	}

	// Withdrawing Iran's statement.
	_, page := en.get("", "/en/statements?speaker=IRN&session=GM-2026-1&item=item-5")
	link := regexp.MustCompile(`/en/statements/(\d+)`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no statement by Iran")
	}
	if _, st := en.get("", link[0]); strings.Contains(st, "/withdraw") {
		t.Error("the public sees the withdraw button")
	}
	if resp, _ := en.postForm("delegate", link[0]+"/withdraw", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("France withdraws Iran's statement: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", link[0]+"/withdraw", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the Secretariat withdraws: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", link[0]+"/withdraw", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("withdrawn twice: %d", resp.StatusCode)
	}
	if _, st := en.get("", link[0]); !strings.Contains(st, en.msg("en", "statements.withdrawn_note")) {
		t.Error("the statement page does not say it was withdrawn")
	}
	if _, reg := en.get("", "/en/sessions/GM-2026-1/items/item-5/positions?after=1"); strings.Contains(reg, "Iran") {
		t.Error("the withdrawn statement's position still counts in the register")
	}
	if _, f := en.get("", "/en/statements/feed.atom"); strings.Contains(f, link[1]+"<") || strings.Contains(f, "/statements/"+link[1]+`"`) {
		t.Error("the withdrawn statement is still in the feed")
	}
	if resp, rec := en.get("", "/en/states/IRN/record"); resp.StatusCode != 200 || !strings.Contains(rec, en.msg("en", "statements.withdrawn")) {
		t.Errorf("Iran's record does not show the withdrawn statement: %d", resp.StatusCode)
	}
}

// TestTopicRegisterMapAndRecord: over the demo (at the July plenary the EU
// supports ransomware and critical infrastructure for its members, Belgium
// speaks for itself, China reserves on ransomware, Iran objects; the
// Chair's proposal of topics drew positions on its decision), an anonymous
// reader sees the topic's register with its sources (statements and the
// decision), mirrored in Arabic, nothing to act on; the map shows topic
// columns with their key, only them or only the items; France's record
// lists its topic positions through the EU; a delegate's statement takes a
// position on a topic through the form, and an unknown topic is refused
// with the form kept.
func TestTopicRegisterMapAndRecord(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, reg := en.get("", "/en/topics/3/t1/positions")
	if resp.StatusCode != 200 {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	for _, want := range []string{"Ransomware", "Germany", "European Union", "China", en.msg("en", "position.objection"), en.msg("en", "positions.topic_register_intro"),
		`href="/en/statements/`, `href="/en/decisions/`, "Morocco"} {
		if !strings.Contains(reg, want) {
			t.Errorf("the topic's register lacks %q", want)
		}
	}
	if strings.Contains(reg, "<form method=\"post\"") || strings.Contains(reg, "/withdraw") {
		t.Error("the public sees a form on the register")
	}
	if _, ar := en.get("", "/ar/topics/3/t1/positions"); !strings.Contains(ar, `dir="rtl"`) || !strings.Contains(ar, en.msg("ar", "positions.topic_register_intro")) {
		t.Error("the Arabic register")
	}
	for _, p := range []string{"/en/topics/3/t99/positions", "/en/topics/999/t1/positions", "/en/topics/3/x1/positions"} {
		if resp, _ := en.get("", p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	if _, round := en.get("", "/en/topics/3"); !strings.Contains(round, `href="/en/topics/3/t1/positions"`) {
		t.Error("the round's page does not link the topic's register")
	}

	_, m := en.get("", "/en/positions/map")
	for _, want := range []string{`href="/en/topics/3/t1/positions"`, en.msg("en", "positions.topics_key"), `name="show"`, "Topic T1", "Item 5"} {
		if !strings.Contains(m, want) {
			t.Errorf("the map lacks %q", want)
		}
	}
	if _, m := en.get("", "/en/positions/map?show=items"); strings.Contains(m, "/en/topics/3/t1/positions") {
		t.Error("the map of items shows topics")
	}
	if _, m := en.get("", "/en/positions/map?show=topics"); !strings.Contains(m, "/en/topics/3/t1/positions") || strings.Contains(m, "/items/item-5/positions") {
		t.Error("the map of topics")
	}
	if resp, m := en.get("", "/en/positions/map?show=votes"); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(m, en.msg("en", "positions.error.show")) {
		t.Errorf("an unknown show: %d", resp.StatusCode)
	}
	_, ar := en.get("", "/ar/positions/map?show=topics")
	if !strings.Contains(ar, en.msg("ar", "positions.topics_key")) {
		t.Error("the Arabic map of topics")
	}

	_, rec := en.get("", "/en/states/FRA/record")
	if !strings.Contains(rec, en.msg("en", "positions.state_topics")) || !strings.Contains(rec, `href="/en/topics/3/t1/positions"`) || !strings.Contains(rec, "European Union") {
		t.Error("France's record lacks its topic positions")
	}

	if _, form := en.get("delegate", "/en/meetings/2/statements/new"); !strings.Contains(form, `name="topic_position"`) || !strings.Contains(form, `value="3/t2"`) {
		t.Fatal("the form has no topic position")
	}
	bad := url.Values{"kind": {"statement"}, "at": {"2026-07-22T11:00"}, "lang": {"fr"}, "text": {"Texte gardé"}, "topic": {"3/t99"}, "topic_position": {"support"}}
	resp, body := en.postForm("delegate", "/en/meetings/2/statements", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "statement.error.topic")) || !strings.Contains(body, "Texte gardé") {
		t.Fatalf("an unknown topic: %d", resp.StatusCode)
	}
	good := url.Values{"kind": {"statement"}, "at": {"2026-07-22T11:00"}, "lang": {"fr"}, "text": {"La France réserve sa position."}, "topic": {"3/t1"}, "topic_position": {"reservation"}}
	if resp, _ := en.postForm("delegate", "/en/meetings/2/statements", good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	if _, reg := en.get("", "/en/topics/3/t1/positions?after=1"); !regexp.MustCompile(`France</bdi></th>\s*<td[^>]*>` + regexp.QuoteMeta(en.msg("en", "position.reservation")) + `</td>`).MatchString(reg) {
		t.Error("France's own reservation is not in the register")
	}
}
