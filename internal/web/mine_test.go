package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// homeFixture is an application circulated to the States (Tech Accord's), a silence procedure and a consensus
// decision open to them, and a focal point of Tech Accord.
func homeFixture(t *testing.T, en *env) (appID int64, silence, consensus store.Decision) {
	t.Helper()
	_, appID = circulatedApplication(t, en, "")
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	chair := &concord.User{ID: userID(t, en, "chair"), Role: concord.RoleChair}
	var err error
	silence, err = svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Silence on the calendar"},
		Proposal: concord.Text{"en": "Adopt the calendar."}, Modality: decision.ModalityChairProposalSilence, PeriodHours: 72})
	if err != nil {
		t.Fatal(err)
	}
	consensus, err = svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Consensus on the programme"},
		Proposal: concord.Text{"en": "Adopt the programme."}, Modality: decision.ModalityConsensus, NoConsensus: decision.OutcomeDeferred})
	if err != nil {
		t.Fatal(err)
	}
	en.tokens["focal-ta"] = en.session(concord.User{Username: "focal-ta", Role: concord.RoleFocalPoint, OrgID: orgNamed(t, en, "Tech Accord").ID})
	return appID, silence, consensus
}

// TestHomePagePerRole: each role's home page lists what waits for it, with
// its deadline and a link; a State that took a position is no longer asked.
func TestHomePagePerRole(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	appID, silence, consensus := homeFixture(t, en)
	app := "/en/accreditation/applications/" + itoa(appID)
	want := map[string][]string{
		"delegate": {en.msg("en", "mine.kind.objection"), `href="` + app + `"`, "Tech Accord",
			en.msg("en", "mine.kind.position"), `href="/en/decisions/` + itoa(silence.ID) + `"`, `href="/en/decisions/` + itoa(consensus.ID) + `"`,
			en.msg("en", "mine.deadline"), en.msg("en", "mine.meetings")},
		"chair":       {en.msg("en", "mine.kind.chair_act"), `href="/en/decisions/` + itoa(consensus.ID) + `"`},
		"focal-ta":    {en.msg("en", "mine.kind.application"), `href="` + app + `"`, en.msg("en", "mine.next.circulated")},
		"secretariat": {en.msg("en", "mine.kind.screen"), en.msg("en", "mine.kind.nominations"), `href="/en/cofacilitators/DTG-`},
	}
	for role, parts := range want {
		resp, body := en.get(role, "/en/home")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: /en/home %d", role, resp.StatusCode)
		}
		for _, p := range parts {
			if !strings.Contains(body, p) {
				t.Errorf("%s: the home page lacks %q", role, html.UnescapeString(p))
			}
		}
		en.noRawKeys("/en/home", body)
	}
	// The chair is not asked about the silence procedure (no "decide" on
	// it), the delegate no longer once France has taken a position.
	if _, body := en.get("chair", "/en/home"); strings.Contains(body, `href="/en/decisions/`+itoa(silence.ID)+`"`) {
		t.Errorf("chair: a silence procedure is listed as awaiting the Chair's act")
	}
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	del := &concord.User{ID: userID(t, en, "del-fra"), Role: concord.RoleDelegate, State: "FRA"}
	if _, err := svc.TakePosition(ctx, del, consensus.ID, decide.PositionInput{Actor: "FRA", Kind: decision.PositionSupport}); err != nil {
		t.Fatal(err)
	}
	if _, body := en.get("delegate", "/en/home"); strings.Contains(body, `href="/en/decisions/`+itoa(consensus.ID)+`"`) {
		t.Errorf("delegate: a decision France took a position on is still listed")
	}
	// Arabic: the page is translated (no English heading).
	if _, body := en.get("delegate", "/ar/home"); !strings.Contains(body, en.msg("ar", "mine.heading")) || !strings.Contains(body, `dir="rtl"`) {
		t.Errorf("ar: the home page is not in Arabic")
	}
	// Signed out: the sign-in page, coming back here.
	if resp, _ := en.get("", "/en/home"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/login?next=%2Fen%2Fhome" {
		t.Errorf("signed out: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestSignInLandsHome: without next, sign-in lands on the home page.
func TestSignInLandsHome(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.addOwner("owner")
	resp, _ := en.signIn("owner", ownerPW, "", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/en/home" {
		t.Errorf("sign-in: %d to %q, want /en/home", resp.StatusCode, loc)
	}
	resp, _ = en.signIn("owner", ownerPW, "/en/meetings", nil)
	if loc := resp.Header.Get("Location"); loc != "/en/meetings" {
		t.Errorf("sign-in with next: to %q", loc)
	}
}

// TestHomeStatementCount: each role's home page costs the same number of
// SQL statements whatever the number of applications, decisions and
// meetings (each list is one query).
func TestHomeStatementCount(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	homeFixture(t, en)
	roles := []string{"secretariat", "chair", "delegate", "focal-ta", "co-facilitator"}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, role := range roles {
			en.get(role, "/en/home") // the session is warm
			before := en.db.Queries()
			if resp, _ := en.get(role, "/en/home"); resp.StatusCode != 200 {
				t.Fatalf("%s: %d", role, resp.StatusCode)
			}
			out[role] = en.db.Queries() - before
		}
		return out
	}
	first := count()
	// More of everything: decisions open to France, nominations.
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	chair := &concord.User{ID: userID(t, en, "chair"), Role: concord.RoleChair}
	for i := range 5 {
		if _, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "More " + itoa(int64(i))},
			Proposal: concord.Text{"en": "Adopt."}, Modality: decision.ModalityConsensus, NoConsensus: decision.OutcomeDeferred}); err != nil {
			t.Fatal(err)
		}
	}
	second := count()
	for _, role := range roles {
		t.Logf("%s: %d statements", role, first[role])
		if first[role] != second[role] {
			t.Errorf("%s: %d statements, then %d with more data", role, first[role], second[role])
		}
	}
}

// TestWaitingAPI: GET /api/v1/me/waiting lists the delegate's items with
// their deadlines in RFC 3339, the twin of the home page.
func TestWaitingAPI(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	appID, silence, _ := homeFixture(t, en)
	resp, body := en.get("delegate", "/api/v1/me/waiting")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var got struct {
		Items []struct {
			Kind     string
			Deadline *time.Time
			Page     string
			Resource string
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range got.Items {
		seen[it.Kind+" "+it.Page] = true
		if (it.Kind == "objection" || it.Page == "/decisions/"+itoa(silence.ID)) && it.Deadline == nil {
			t.Errorf("%s %s: no deadline", it.Kind, it.Page)
		}
		if it.Resource != "/api/v1"+it.Page {
			t.Errorf("%s: resource %q", it.Page, it.Resource)
		}
	}
	for _, k := range []string{"objection /accreditation/applications/" + itoa(appID), "position /decisions/" + itoa(silence.ID)} {
		if !seen[k] {
			t.Errorf("missing %s in %s", k, body)
		}
	}
	if resp, _ := en.get("", "/api/v1/me/waiting"); resp.StatusCode != 401 {
		t.Errorf("signed out: %d", resp.StatusCode)
	}
}

// TestNoticeDigestChoice: the account's email page offers notices as a
// daily digest; the choice is kept and shown, and the API reads it too.
func TestNoticeDigestChoice(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if _, body := en.get("delegate", "/en/account/email"); !strings.Contains(body, `name="digest"`) || strings.Contains(body, `name="digest" checked`) {
		t.Fatalf("the email page offers no digest, or has it on by default")
	}
	resp, body := en.postForm("delegate", "/en/account/email/notices", url.Values{"notices": {"on"}, "digest": {"on"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	on, err := en.db.NoticeDigest(ctx, userID(t, en, "del-fra"))
	if err != nil || !on {
		t.Errorf("digest not kept: %v %v", on, err)
	}
	if _, body := en.get("delegate", "/en/account/email"); !strings.Contains(body, `id="notices-digest" name="digest" checked`) {
		t.Errorf("the email page does not show the digest chosen")
	}
	if _, body := en.get("delegate", "/api/v1/me/email"); !strings.Contains(body, `"digest":true`) {
		t.Errorf("API: %s", body)
	}
}
