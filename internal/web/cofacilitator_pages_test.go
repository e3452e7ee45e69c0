package web_test

import (
	"concord/decision"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/i18n"
	"concord/internal/store"
)

func (en *env) cofac() *cofac.Service {
	return &cofac.Service{DB: en.db, Decide: &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}, Process: concord.DefaultProcessCode}
}

// rawKey finds a catalogue key shown instead of its message.
var rawKey = regexp.MustCompile(`\b(cofac|cofacilitator|procrule|appointment|outcome|decision|category|gender)\.[a-z_]+`)

func (en *env) noRawKeys(path, body string) {
	en.t.Helper()
	if k := rawKey.FindString(body); k != "" {
		en.t.Errorf("%s shows the key %q instead of its message", path, k)
	}
}

// nominationIDs maps "term/ISO3" to the nomination of DTG-1.
func (en *env) nominationIDs() map[string]int64 {
	en.t.Helper()
	ns, err := en.cofac().Nominations(ctx, "DTG-1", "")
	if err != nil {
		en.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, n := range ns {
		if n.Doc.Standing() {
			out[n.Doc.Term+"/"+n.Doc.State] = n.ID
		}
	}
	return out
}

// TestCoFacilitatorPagesPublic: the overview, a DTG's page and each demo
// set, in English and Arabic, as the public sees them.
func TestCoFacilitatorPagesPublic(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	sets, err := en.cofac().Sets(ctx, "")
	if err != nil || len(sets) != 3 {
		t.Fatalf("%d demo sets: %v", len(sets), err)
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ar"} {
		resp, body := en.get("", "/"+lang+"/cofacilitators")
		if resp.StatusCode != 200 {
			t.Fatalf("%s overview: %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"cofac.state.appointed", "cofac.state.blocked", "cofac.state.approved"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s overview lacks %q", lang, k)
			}
		}
		if !strings.Contains(body, "Tan Wei Ling") || strings.Contains(body, "Rafael Almeida") {
			t.Errorf("%s overview: standing nominations only", lang)
		}
		en.noRawKeys("overview", body)

		resp, body = en.get("", "/"+lang+"/cofacilitators/DTG-1")
		if resp.StatusCode != 200 {
			t.Fatalf("%s DTG-1: %d", lang, resp.StatusCode)
		}
		for _, want := range []string{"Rafael Almeida", en.msg(lang, "cofac.withdrawn"), en.msg(lang, "category.developing"), en.msg(lang, "appointment.chair_proposal_silence"),
			`aria-current="page">2026-2027<`, `href="/` + lang + `/cofacilitators/DTG-1?term=2028-2029"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s DTG-1 page lacks %q", lang, want)
			}
		}
		if lang == "ar" && !strings.Contains(body, `dir="rtl"`) {
			t.Error("Arabic page is not right-to-left")
		}
		// The public gets no forms.
		for _, form := range []string{`/cofacilitators/nominations"`, `/withdraw"`, `/cofacilitators/sets"`} {
			if strings.Contains(body, form) {
				t.Errorf("%s: the public sees the form %s", lang, form)
			}
		}
		en.noRawKeys("DTG-1", body)

		for _, s := range sets {
			p := fmt.Sprintf("/%s/cofacilitators/sets/%d", lang, s.ID)
			resp, body := en.get("", p)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", p, resp.StatusCode)
			}
			for _, want := range []string{en.msg(lang, "cofac.state."+string(s.Result.State)), fmt.Sprintf(`href="/%s/decisions/%d"`, lang, s.DecisionID),
				`class="verdict-pass"`, `<tr class="current">`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", p, want)
				}
			}
			// appointed and approved both hold the seats: the page says so in
			// words, and only for those two states.
			if held := strings.Contains(body, `class="holds-seats"`); held != s.Result.State.Held() ||
				held && !strings.Contains(body, html.EscapeString(cat.T(lang, "cofac.holds_seats", map[string]any{"term": s.Doc.Term}))) {
				t.Errorf("%s (%s): says the set holds the seats: %v", p, s.Result.State, held)
			}
			if n := strings.Count(body, `<th scope="row">`); n != 2+8+3 {
				t.Errorf("%s: %d row headers (candidates, checks, simulation)", p, n)
			}
			en.noRawKeys(p, body)
			// The decision page links back to the set.
			_, dbody := en.get("", fmt.Sprintf("/%s/decisions/%d", lang, s.DecisionID))
			if !strings.Contains(dbody, fmt.Sprintf(`href="/%s/cofacilitators/sets/%d"`, lang, s.ID)) {
				t.Errorf("decision %d does not link to set %d", s.DecisionID, s.ID)
			}
		}
	}
	for p, status := range map[string]int{"/en/cofacilitators/DTG-9": 404, "/en/cofacilitators/DTG-1?term=soon": 422, "/en/cofacilitators/sets/999999": 404, "/en/cofacilitators/sets/x": 404} {
		if resp, _ := en.get("", p); resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", p, resp.StatusCode, status)
		}
	}
}

// TestCoFacilitatorFlow: France nominates (errors shown again with what was
// typed, then PRG), a duplicate is refused, the Chair's unbalanced set is
// refused with every rule explained and nothing saved, a balanced one is
// proposed, and withdrawals are refused or accepted as the rules say.
func TestCoFacilitatorFlow(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	board := "/cofacilitators/DTG-1?term=2028-2029"
	for _, lang := range []string{"ar", "en"} {
		L := "/" + lang
		_, body := en.get("delegate", L+board)
		if !strings.Contains(body, `action="`+L+`/cofacilitators/nominations"`) || strings.Count(body, `<option value="FRA"`) != 1 || strings.Contains(body, `<option value="DEU"`) {
			t.Errorf("%s: a delegate nominates for its own State only", lang)
		}
		nominate := func(v url.Values) (int, string, string) {
			t.Helper()
			v.Set("dtg", "DTG-1")
			resp, body := en.postForm("delegate", L+"/cofacilitators/nominations", v)
			return resp.StatusCode, resp.Header.Get("Location"), body
		}
		person := "Camille Laurent " + strings.ToUpper(lang)
		st, _, body := nominate(url.Values{"term": {"2028-2029"}, "person": {""}, "gender": {"female"}, "expertise": {"norms, CBMs"}})
		if st != 422 || !strings.Contains(body, `aria-describedby="person-err"`) || !strings.Contains(body, en.msg(lang, "cofacilitator.error.person")) || !strings.Contains(body, `value="norms, CBMs"`) {
			t.Errorf("%s: no name: %d", lang, st)
		}
		st, _, body = nominate(url.Values{"term": {"2028/29"}, "person": {person}})
		if st != 422 || !strings.Contains(body, `id="term-err"`) || !strings.Contains(body, en.msg(lang, "cofac.error.term")) || !strings.Contains(body, `value="`+person+`"`) {
			t.Errorf("%s: malformed term: %d", lang, st)
		}
		st, loc, _ := nominate(url.Values{"term": {"2028-2029"}, "person": {person}, "gender": {"female"}, "expertise": {"norms, ransomware"}})
		if st != 303 || loc != L+"/cofacilitators/DTG-1?saved=1&term=2028-2029#candidates" {
			t.Fatalf("%s: nominate: %d %s", lang, st, loc)
		}
		_, body = en.get("delegate", strings.Split(loc, "#")[0])
		if !strings.Contains(body, person) || !strings.Contains(body, en.msg(lang, "flash.saved")) || !strings.Contains(body, "/withdraw\"") {
			t.Errorf("%s: the nomination is not on the page with its withdraw button", lang)
		}
		st, _, body = nominate(url.Values{"term": {"2028-2029"}, "person": {strings.ToLower(person)}})
		if st != 409 || !strings.Contains(body, en.msg(lang, "cofac.error.duplicate")) {
			t.Errorf("%s: the same person twice: %d", lang, st)
		}
		if resp, _ := en.postForm("chair", L+"/cofacilitators/nominations", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}, "person": {"X"}, "state": {"DEU"}}); resp.StatusCode != 403 {
			t.Errorf("%s: the Chair nominates for Germany: %d", lang, resp.StatusCode)
		}

		// The Chair's view: balanced pairs, and an unbalanced set refused.
		_, body = en.get("chair", L+board)
		if !strings.Contains(body, `<ul class="pairs">`) || !strings.Contains(body, en.msg(lang, "cofac.propose_pair")) || strings.Contains(body, `action="`+L+`/cofacilitators/nominations"`) {
			t.Errorf("%s: the Chair's board", lang)
		}
		ids := en.nominationIDs()
		before, _ := en.cofac().Sets(ctx, "")
		resp, body := en.postForm("chair", L+"/cofacilitators/sets", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"},
			"nomination": {itoa(ids["2028-2029/SGP"]), itoa(ids["2028-2029/DEU"])}})
		if resp.StatusCode != 422 || !strings.Contains(body, en.msg(lang, "cofac.refused")) || !strings.Contains(body, `class="verdict-fail"`) ||
			!strings.Contains(body, "SGP (2026-2027)") || !strings.Contains(body, `value="`+itoa(ids["2028-2029/SGP"])+`" checked`) ||
			!strings.Contains(body, `id="nominations-err"`) {
			t.Errorf("%s: unbalanced set: %d", lang, resp.StatusCode)
		}
		// Every problem of the choice at once: a value that is no id and an
		// unknown nomination, each listed at the top, the choice kept.
		resp, body = en.postForm("chair", L+"/cofacilitators/sets", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"},
			"nomination": {"x", "999999", itoa(ids["2028-2029/SGP"])}})
		if resp.StatusCode != 422 || !strings.Contains(body, en.msg(lang, "form.errors")) || strings.Count(body, "<li>"+en.msg(lang, "cofac.error.nomination")) != 2 ||
			!strings.Contains(body, `id="nominations-err"`) || !strings.Contains(body, `value="`+itoa(ids["2028-2029/SGP"])+`" checked`) {
			t.Errorf("%s: two unknown nominations: %d, %d listed", lang, resp.StatusCode, strings.Count(body, "<li>"+en.msg(lang, "cofac.error.nomination")))
		}
		if after, _ := en.cofac().Sets(ctx, ""); len(after) != len(before) {
			t.Errorf("%s: a refused set was saved", lang)
		}
		en.noRawKeys("refused set", body)
	}

	// A balanced set: PRG to the set page.
	ids := en.nominationIDs()
	resp, _ := en.postForm("chair", "/en/cofacilitators/sets", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}, "confirm": {"1"},
		"nomination": {itoa(ids["2028-2029/DEU"]), itoa(ids["2028-2029/NGA"])}})
	loc := resp.Header.Get("Location")
	m := regexp.MustCompile(`^/en/cofacilitators/sets/(\d+)\?saved=1$`).FindStringSubmatch(loc)
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("propose: %d %s", resp.StatusCode, loc)
	}
	_, body := en.get("chair", loc)
	if !strings.Contains(body, en.msg("en", "cofac.state.proposed")) || !strings.Contains(body, en.msg("en", "decisions.deadline")) || !strings.Contains(body, en.msg("en", "flash.saved")) {
		t.Error("the new set's page")
	}
	_, body = en.get("chair", "/en"+board)
	if !strings.Contains(body, en.msg("en", "cofac.open_set")) || strings.Contains(body, `<ul class="pairs">`) {
		t.Error("the board offers pairs while a set is proposed")
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	set, err := en.cofac().Set(ctx, id)
	if err != nil || set.Decision.Policy.Modality != decision.ModalityChairProposalSilence {
		t.Errorf("the set's decision runs under the rule in force: %+v %v", set.Decision.Policy, err)
	}

	// Withdrawals.
	resp, body = en.postForm("secretariat", "/ar/cofacilitators/nominations/"+itoa(ids["2028-2029/NGA"])+"/withdraw", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("ar", "cofac.error.in_set")) {
		t.Errorf("withdraw a candidate of the proposed set: %d", resp.StatusCode)
	}
	fra := ids["2028-2029/FRA"]
	if resp, _ := en.postForm("chair", "/en/cofacilitators/nominations/"+itoa(fra)+"/withdraw", nil); resp.StatusCode != 403 {
		t.Errorf("the Chair withdraws France's nomination: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("delegate", "/en/cofacilitators/nominations/"+itoa(fra)+"/withdraw", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/cofacilitators/DTG-1?saved=1&term=2028-2029#candidates" {
		t.Errorf("France withdraws: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = en.postForm("delegate", "/en/cofacilitators/nominations/"+itoa(fra)+"/withdraw", url.Values{"dtg": {"DTG-1"}, "term": {"2028-2029"}})
	if resp.StatusCode != 409 || !strings.Contains(body, en.msg("en", "cofac.error.withdrawn")) {
		t.Errorf("withdrawn twice: %d", resp.StatusCode)
	}
}

// TestCoFacilitatorQueries: the pages and lists cost the same number of
// queries with the demo and with many more nominations and sets.
func TestCoFacilitatorQueries(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	sets, _ := en.cofac().Sets(ctx, "")
	pages := []string{"/en/cofacilitators", "/en/cofacilitators/DTG-1?term=2028-2029", "/en/cofacilitators/DTG-2",
		fmt.Sprintf("/en/cofacilitators/sets/%d", sets[0].ID), "/api/v1/cofacilitators", "/api/v1/cofacilitators/nominations",
		"/api/v1/cofacilitators/sets", "/api/v1/cofacilitators/pairs?dtg=DTG-1&term=2028-2029"}
	small := map[string]int64{}
	for _, p := range pages {
		small[p] = queriesFor(t, en, p)
	}
	grow(t, en.cofac(), 40, 4)
	for _, p := range pages {
		if n := queriesFor(t, en, p); n != small[p] {
			t.Errorf("%s: %d queries with the demo, %d with more: N+1", p, small[p], n)
		}
		// At most 12, of which 3 when the States list is read again
		// after a write (store.ListStates).
		if small[p] > 12 {
			t.Errorf("%s costs %d queries", p, small[p])
		}
	}
	t.Logf("queries per page: %v", small)
}

// grow adds n nominations to DTG-1 for 2028-2029 (from Member States, in
// turn) and k proposed sets of DTG-2 in later terms.
func grow(t testing.TB, svc *cofac.Service, n, k int) {
	t.Helper()
	sec := &concord.User{Role: concord.RoleSecretariat}
	chair := &concord.User{Role: concord.RoleChair}
	pairs := [][2]string{{"GHA", "AUT"}, {"PER", "POL"}, {"THA", "IRL"}, {"TUN", "CZE"}, {"URY", "PRT"}, {"VNM", "BEL"}}
	members := []string{"ARG", "BGD", "CMR", "DNK", "ECU", "FIN", "GRC", "HUN", "IDN", "JAM", "KAZ", "LKA", "MEX", "NPL", "OMN", "PAN", "QAT", "ROU", "SWE", "TZA"}
	for i := range n {
		if _, err := svc.Nominate(ctx, sec, cofac.NominationInput{DTG: "DTG-1", Term: "2028-2029", Person: fmt.Sprintf("Candidate %d", i),
			State: members[i%len(members)], Gender: []string{"female", "male"}[i%2], Expertise: []string{"norms"}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range k {
		term := fmt.Sprintf("%d-%d", 2030+2*i, 2031+2*i)
		var ids []int64
		for j, st := range pairs[i%len(pairs)] {
			nm, err := svc.Nominate(ctx, sec, cofac.NominationInput{DTG: "DTG-2", Term: term, Person: fmt.Sprintf("Seat %d-%d", i, j), State: st,
				Gender: []string{"female", "male"}[j], Expertise: []string{"capacity-building"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, nm.ID)
		}
		if _, err := svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-2", Nominations: ids}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCoFacilitatorPagesAreLight: the Secretariat's board (with the select
// of every Member State) stays under 50 KB.
func TestCoFacilitatorPagesAreLight(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	for _, lang := range concord.Languages {
		for _, role := range []string{"", "secretariat", "chair"} {
			resp, body := en.get(role, "/"+lang+"/cofacilitators/DTG-1")
			if resp.StatusCode != 200 || len(body) > 50<<10 {
				t.Errorf("/%s/cofacilitators/DTG-1 as %q: %d, %d bytes", lang, role, resp.StatusCode, len(body))
			}
		}
	}
}

// BenchmarkCoFacilitatorPages renders, as the Chair and with every URL new
// (handler and templates run), the overview, a DTG's page for a term with
// 44 standing nominations (the balanced pairs computed over 946 candidate
// sets), the demo DTG 2 page, and a set page with its simulation.
func BenchmarkCoFacilitatorPages(b *testing.B) {
	en := benchEnv(b)
	svc := &cofac.Service{DB: en.db, Decide: &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}, Process: concord.DefaultProcessCode}
	grow(b, svc, 40, 4)
	sets, err := svc.Sets(ctx, "DTG-2")
	if err != nil {
		b.Fatal(err)
	}
	for name, p := range map[string]string{"overview": "/en/cofacilitators", "board_44_nominations": "/en/cofacilitators/DTG-1?term=2028-2029",
		"board_demo": "/ar/cofacilitators/DTG-2?term=2026-2027", "set": fmt.Sprintf("/en/cofacilitators/sets/%d", sets[len(sets)-1].ID)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				req, _ := http.NewRequest("GET", p+sep+"n="+itoa(int64(i)), nil)
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

// BenchmarkCoFacilitatorPropose proposes a balanced set (checks under the
// rule in force, the set and its decision stored in one transaction), each
// iteration for a fresh term, over the demo and 20 earlier sets (a decade of
// two DTGs). Proposing reads every stored set (open sets, rotation seats),
// so the store grows by one set per iteration: run it with a fixed count
// (-benchtime=20x) to compare figures.
func BenchmarkCoFacilitatorPropose(b *testing.B) {
	en := benchEnv(b)
	svc := &cofac.Service{DB: en.db, Decide: &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}, Process: concord.DefaultProcessCode}
	grow(b, svc, 0, 20)
	sec := &concord.User{Role: concord.RoleSecretariat}
	chair := &concord.User{Role: concord.RoleChair}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		term := strconv.Itoa(2100+i) + "-" + strconv.Itoa(2101+i)
		i++
		var ids []int64
		for j, st := range []string{"GHA", "AUT"} {
			n, err := svc.Nominate(ctx, sec, cofac.NominationInput{DTG: "DTG-2", Term: term, Person: "P" + itoa(int64(j)), State: st, Gender: []string{"female", "male"}[j], Expertise: []string{"x"}})
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, n.ID)
		}
		b.StartTimer()
		if _, err := svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-2", Nominations: ids}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCoFacilitatorNoPhantomTerm: a term typed into the nomination form or
// the address, with neither nomination nor set, does not become a tab of
// the DTG's page; the refused form keeps what was typed.
func TestCoFacilitatorNoPhantomTerm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	tabs := func(body string) string {
		i := strings.Index(body, `<nav class="tabs"`)
		if i < 0 {
			return ""
		}
		return body[i : i+strings.Index(body[i:], "</nav>")]
	}
	if _, body := en.get("", "/en/cofacilitators/DTG-1?term=2090-2091"); strings.Contains(tabs(body), "2090-2091") {
		t.Errorf("a term asked for in the address became a tab: %s", tabs(body))
	}
	resp, body := en.postForm("delegate", "/en/cofacilitators/nominations", url.Values{"dtg": {"DTG-1"}, "term": {"2090-2091"}, "person": {""}})
	if resp.StatusCode != 422 || strings.Contains(tabs(body), "2090-2091") || !strings.Contains(body, `value="2090-2091"`) {
		t.Errorf("refused nomination for 2090-2091: %d, tabs %s", resp.StatusCode, tabs(body))
	}
}

// TestCoFacilitatorNominationErrors: a nomination with several problems is
// refused with all of them, on the page next to each field and in the API's
// errors array.
func TestCoFacilitatorNominationErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.postForm("delegate", "/en/cofacilitators/nominations", url.Values{"dtg": {"DTG-1"}, "term": {"2028/29"}, "person": {""}})
	if resp.StatusCode != 422 || !strings.Contains(body, `id="person-err"`) || !strings.Contains(body, `id="term-err"`) || !strings.Contains(body, en.msg("en", "form.errors")) {
		t.Errorf("page: %d, person error %v, term error %v", resp.StatusCode, strings.Contains(body, `id="person-err"`), strings.Contains(body, `id="term-err"`))
	}
	resp, body = en.do("delegate", "POST", "/api/v1/cofacilitators/nominations", "application/json", `{"dtg":"DTG-1","term":"2028/29","person":"","gender":"robot"}`)
	if resp.StatusCode != 422 || !strings.Contains(body, `"errors":[`) || !strings.Contains(body, `"field":"gender"`) || !strings.Contains(body, `"field":"term"`) {
		t.Errorf("API: %d %s", resp.StatusCode, body)
	}
}
