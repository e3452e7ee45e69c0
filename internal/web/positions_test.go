package web_test

import (
	"encoding/json"
	"net/http"
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
