package web_test

import (
	"bytes"
	"concord/accreditation"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/i18n"
	"concord/internal/seed"
	"concord/internal/store"
)

// testClock is the store's clock under the test's control; an atomic, so
// that handlers reading it on the server's goroutines never race the test.
type testClock struct{ ns atomic.Int64 }

func useClock(en *env, t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	en.db.Now = func() time.Time { return time.Unix(0, c.ns.Load()).UTC() }
	return c
}

func (c *testClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// upload posts one file as multipart/form-data, field "file".
func (en *env) upload(role, path, name string, data []byte) (*http.Response, string) {
	en.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		en.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return en.do(role, "POST", path, mw.FormDataContentType(), buf.String())
}

// expect checks a response's status and that its body contains each of want.
func expect(t *testing.T, what string, resp *http.Response, body string, status int, want ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, resp.StatusCode, status, excerpt(body))
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: body lacks %q\n%s", what, w, excerpt(body))
		}
	}
}

func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

// redirected checks a 303 and returns where it goes; it is called as
// redirected(t, what)(en.postForm(...)).
func redirected(t *testing.T, what string) func(*http.Response, string) string {
	return func(resp *http.Response, body string) string {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d, want 303\n%s", what, resp.StatusCode, excerpt(body))
		}
		return resp.Header.Get("Location")
	}
}

func appIDOf(t *testing.T) func(*http.Response, string) string {
	return func(resp *http.Response, body string) string { t.Helper(); return appID(t, resp, body) }
}

var appLocation = regexp.MustCompile(`^/en/accreditation/applications/(\d+)\?saved=1$`)

// appID is the application a successful apply redirected to.
func appID(t *testing.T, resp *http.Response, body string) string {
	t.Helper()
	loc := redirected(t, "apply")(resp, body)
	m := appLocation.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("apply redirected to %q", loc)
	}
	return m[1]
}

func orgNamed(t *testing.T, en *env, name string) concord.Organization {
	t.Helper()
	orgs, _, err := en.db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Query: name, Limit: 5})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("organisation %q: %v", name, err)
	}
	return orgs[0]
}

func userID(t *testing.T, en *env, username string) int64 {
	t.Helper()
	users, err := en.db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == username {
			return u.ID
		}
	}
	t.Fatalf("no user %q", username)
	return 0
}

func status(t *testing.T, en *env, id string) accreditation.ApplicationStatus {
	t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	a, err := en.db.GetApplication(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}

// A minimal PDF: what the upload check sniffs is the "%PDF-" signature.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// TestAccreditationFlow runs a whole round through the pages: a window,
// applications written, returned and corrected, circulation, objections
// filed and withdrawn, the decision at the deadline on a page load, and the
// public list.
func TestAccreditationFlow(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		testAccreditationFlow(t, newEnvOn(t, db))
	})
}

func testAccreditationFlow(t *testing.T, en *env) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	clk := useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	en.tokens["delegate-deu"] = en.session(concord.User{Username: "del-deu", Role: concord.RoleDelegate, State: "DEU"})
	accord := orgNamed(t, en, "Tech Accord")
	en.tokens["focal-2"] = en.session(concord.User{Username: "focal2", Role: concord.RoleFocalPoint, OrgID: accord.ID})
	focal1, err := en.db.GetOrganization(ctx, en.orgID)
	if err != nil {
		t.Fatal(err)
	}
	if focal1.ECOSOC == "" || accord.ECOSOC != "" {
		t.Fatalf("test assumes %q has ECOSOC status and %q none", focal1.Names["en"], accord.Names["en"])
	}

	// The Secretariat creates a window; a mistake is shown next to its
	// field, with what was typed kept.
	win := url.Values{"scope": {"plenary"}, "cycle": {"2026"}, "opens_date": {"2026-04-01"}, "opens_time": {"00:00"},
		"closes_date": {"2026-03-30"}, "closes_time": {"18:00"}}
	resp, body := en.postForm("secretariat", "/en/accreditation/windows", win)
	expect(t, "window closing before it opens", resp, body, http.StatusUnprocessableEntity,
		en.msg("en", "error.closes_before_opens"), `value="2026-03-30" aria-invalid="true" aria-describedby="closes_date-err"`, `id="closes_date-err"`)
	win.Set("closes_date", "2026-04-30")
	win.Set("valid_until_date", "31/12/2026")
	resp, body = en.postForm("secretariat", "/en/accreditation/windows", win)
	expect(t, "malformed end of validity", resp, body, http.StatusUnprocessableEntity, `aria-describedby="valid_until_date-err"`, `value="2026-04-30"`)
	win.Set("valid_until_date", "")
	loc := redirected(t, "create window")(en.postForm("secretariat", "/en/accreditation/windows", win))
	winID := strings.TrimSuffix(strings.TrimPrefix(loc, "/en/accreditation/windows/"), "?saved=1")
	resp, body = en.get("", "/en/accreditation/windows/"+winID)
	expect(t, "window page", resp, body, http.StatusOK, en.msg("en", "phase.open"), "2026-04-30 18:00 New York (UTC\u22124)")
	resp, body = en.get("", "/en/accreditation")
	expect(t, "overview", resp, body, http.StatusOK, "/en/accreditation/windows/"+winID, "2026-04-01 00:00 New York (UTC\u22124)")

	// The focal point applies once; a second application is refused.
	app1 := appIDOf(t)(en.postForm("focal-point", "/en/accreditation/applications", url.Values{"window": {winID}}))
	resp, body = en.postForm("focal-point", "/en/accreditation/applications", url.Values{"window": {winID}})
	expect(t, "second application", resp, body, http.StatusConflict, en.msg("en", "error.already_applied"))
	app := "/en/accreditation/applications/" + app1

	// Edits, then a submission without the letter is refused at the file field.
	redirected(t, "edit")(en.postForm("focal-point", app, url.Values{"purpose": {"Defending digital rights."},
		"programmes": {"Digital security helpline."}, "un_history": {"OEWG 2021-2025 consultations."}}))
	resp, body = en.postForm("focal-point", app+"/submit", nil)
	expect(t, "submit without letter", resp, body, http.StatusUnprocessableEntity, en.msg("en", "error.required"),
		`id="file-err"`, "Defending digital rights.")

	// Uploads: too large, wrong type, then a real PDF.
	big := append(append([]byte{}, tinyPDF...), bytes.Repeat([]byte{' '}, accredit.MaxUpload)...)
	resp, body = en.upload("focal-point", app+"/documents", "letter.pdf", big)
	expect(t, "upload too large", resp, body, http.StatusRequestEntityTooLarge, en.msg("en", "error.upload_too_large"))
	resp, body = en.upload("focal-point", app+"/documents", "letter.txt", []byte("This is our letter, in plain text."))
	expect(t, "upload of text", resp, body, http.StatusUnsupportedMediaType, en.msg("en", "error.upload_type"), `id="file-err"`)
	redirected(t, "upload")(en.upload("focal-point", app+"/documents", "letter.pdf", tinyPDF))
	// Uploads are bounded per application: corrections up to the quota, then
	// a refusal that says so on the page, and nothing more is stored.
	for i := 1; i < accredit.MaxDocuments; i++ {
		redirected(t, "corrected letter")(en.upload("focal-point", app+"/documents", "letter.pdf", tinyPDF))
	}
	resp, body = en.upload("focal-point", app+"/documents", "letter.pdf", tinyPDF)
	expect(t, "upload over the quota", resp, body, http.StatusUnprocessableEntity, en.msg("en", "error.upload_quota"), `id="file-err"`)
	_, body = en.get("focal-point", app)
	m := regexp.MustCompile(`/en/accreditation/documents/(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no letter link on the application page\n%s", excerpt(body))
	}
	resp, body = en.get("focal-point", "/en/accreditation/documents/"+m[1])
	if resp.StatusCode != 200 || body != string(tinyPDF) || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("document: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if resp, _ := en.get("focal-2", "/en/accreditation/documents/"+m[1]); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's focal point gets the letter: %d", resp.StatusCode)
	}
	redirected(t, "submit")(en.postForm("focal-point", app+"/submit", nil))
	if s := status(t, en, app1); s != accreditation.ApplicationSubmitted {
		t.Fatalf("after submit: %s", s)
	}
	// Not public: the public is told it does not exist.
	if resp, _ := en.get("", app); resp.StatusCode != http.StatusNotFound {
		t.Errorf("public sees a submitted application: %d", resp.StatusCode)
	}

	// The Secretariat returns it, with remarks (required).
	resp, body = en.postForm("secretariat", app+"/return", url.Values{"remarks": {"  "}})
	expect(t, "return without remarks", resp, body, http.StatusUnprocessableEntity, en.msg("en", "error.reasons_required"), `id="return_remarks-err"`)
	redirected(t, "return")(en.postForm("secretariat", app+"/return", url.Values{"remarks": {"Please describe your programmes in more detail."}}))
	resp, body = en.get("focal-point", app)
	expect(t, "returned application", resp, body, http.StatusOK, en.msg("en", "appstatus.returned"), "Please describe your programmes in more detail.")
	resp, body = en.get("focal-point", "/en/inbox")
	expect(t, "focal point's inbox", resp, body, http.StatusOK, en.msg("en", "notice.returned"), `href="/en/accreditation/applications/`+app1+`"`)

	// Corrected and resubmitted.
	redirected(t, "correct")(en.postForm("focal-point", app, url.Values{"purpose": {"Defending digital rights."},
		"programmes": {"A digital security helpline in 12 languages."}, "un_history": {"OEWG 2021-2025 consultations."}}))
	redirected(t, "resubmit")(en.postForm("focal-point", app+"/resubmit", nil))

	// A second organisation applies, without ECOSOC status.
	app2 := appIDOf(t)(en.postForm("focal-2", "/en/accreditation/applications", url.Values{"window": {winID}}))
	appB := "/en/accreditation/applications/" + app2
	redirected(t, "edit 2")(en.postForm("focal-2", appB, url.Values{"purpose": {"Industry commitments on cybersecurity."}}))
	redirected(t, "upload 2")(en.upload("focal-2", appB+"/documents", "letter.pdf", tinyPDF))
	redirected(t, "submit 2")(en.postForm("focal-2", appB+"/submit", nil))

	// The window closes. The ECOSOC application must be verified first: its
	// organisation is not on the list, so it joins the non-objection route.
	clk.set(time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC))
	resp, body = en.get("secretariat", "/en/accreditation/windows/"+winID)
	expect(t, "closed window", resp, body, http.StatusOK, en.msg("en", "phase.screening"), en.msg("en", "accr.circulate"))
	resp, body = en.postForm("secretariat", "/en/accreditation/windows/"+winID+"/circulate", nil)
	expect(t, "circulate before verification", resp, body, http.StatusConflict, en.msg("en", "error.ecosoc_unverified"))
	redirected(t, "verify")(en.postForm("secretariat", app+"/verify", nil))
	resp, body = en.get("secretariat", app)
	expect(t, "verified", resp, body, http.StatusOK, en.msg("en", "reason.ecosoc_status_not_found"), en.msg("en", "route.non_objection"))
	// Circulating asks first, saying what will happen, and writes nothing.
	resp, body = en.postForm("secretariat", "/en/accreditation/windows/"+winID+"/circulate", nil)
	expect(t, "circulate, confirmation", resp, body, http.StatusOK, `<input type="hidden" name="confirm" value="1">`,
		strings.TrimSuffix(en.tmsg("en", "confirm.circulate.what", "Count", 2, "States", 195, "Deadline", ""), "."))
	if s := status(t, en, app1); s == accreditation.ApplicationCirculated {
		t.Fatal("circulated without confirmation")
	}
	redirected(t, "circulate")(en.postForm("secretariat", "/en/accreditation/windows/"+winID+"/circulate", url.Values{"confirm": {"1"}}))
	if s := status(t, en, app1); s != accreditation.ApplicationCirculated {
		t.Fatalf("after circulation: %s", s)
	}
	w, err := en.db.AccreditationWindow(ctx, winID)
	if err != nil {
		t.Fatal(err)
	}

	// Delegates see the circulated list and object.
	resp, body = en.get("delegate", "/en/accreditation/windows/"+winID)
	expect(t, "delegate's window page", resp, body, http.StatusOK, "Access Now", "Cybersecurity Tech Accord", "/objection")
	redirected(t, "FRA objects")(en.postForm("delegate", app+"/objection", url.Values{"basis": {"Concerns about the organisation's independence."}}))
	resp, body = en.postForm("delegate", app+"/objection", url.Values{"basis": {"Again."}})
	expect(t, "FRA objects twice", resp, body, http.StatusConflict, en.msg("en", "error.objection_duplicate"))
	redirected(t, "FRA withdraws")(en.postForm("delegate", app+"/objection/withdraw", nil))
	loc = redirected(t, "DEU objects")(en.postForm("delegate-deu", app+"/objection", url.Values{"basis": {"Not relevant."}, "back": {"window"}}))
	if !strings.HasPrefix(loc, "/en/accreditation/windows/"+winID+"?") || !strings.HasSuffix(loc, "#app-"+app1) {
		t.Errorf("objecting from the window page goes back to %q", loc)
	}
	if resp, _ := en.postForm("chair", app+"/objection", url.Values{"basis": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the Chair objects: %d, want 403", resp.StatusCode)
	}
	resp, body = en.get("delegate", "/en/inbox")
	expect(t, "delegate's inbox", resp, body, http.StatusOK,
		html.EscapeString(cat.T("en", "notice.circulated_state", map[string]any{"Count": 2})), `href="/en/accreditation/windows/`+winID+`"`)
	dd, dc, _ := concord.Local(w.ObjectionDeadline, mustLoc(t))
	if !strings.Contains(body, dd+" "+dc+" New York (UTC") {
		t.Errorf("inbox lacks the deadline %s %s New York (UTC…) in the process time zone", dd, dc)
	}
	resp, body = en.get("focal-point", "/en/inbox")
	expect(t, "applicant's inbox", resp, body, http.StatusOK, en.msg("en", "notice.circulated_applicant"))

	// An objection at the deadline itself is late, in any language.
	clk.set(w.ObjectionDeadline)
	resp, body = en.postForm("delegate", appB+"/objection", url.Values{"basis": {"Late."}})
	expect(t, "objection at the deadline", resp, body, http.StatusConflict, en.msg("en", "error.deadline_passed"))
	resp, body = en.postForm("delegate", "/fr/accreditation/applications/"+app2+"/objection", url.Values{"basis": {"En retard."}})
	expect(t, "late objection in French", resp, body, http.StatusConflict, en.msg("fr", "error.deadline_passed"))

	// After the deadline a page load decides: DEU's objection stands.
	clk.set(w.ObjectionDeadline.Add(time.Minute))
	resp, body = en.get("", "/en/accreditation/windows/"+winID)
	expect(t, "decided window", resp, body, http.StatusOK, en.msg("en", "phase.decided"), "Cybersecurity Tech Accord")
	if strings.Contains(body, "Access Now") {
		t.Error("the blocked organisation is on the public list")
	}
	if s1, s2 := status(t, en, app1), status(t, en, app2); s1 != accreditation.ApplicationBlocked || s2 != accreditation.ApplicationAccredited {
		t.Fatalf("after the deadline: %s and %s, want blocked and accredited", s1, s2)
	}
	resp, body = en.get("", "/en/accreditation/windows/"+winID+"/accredited.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\ufeffApplicant,Acronym,") || !strings.Contains(body, "Cybersecurity Tech Accord,,Business,USA,"+en.rawMsg("en", "route.non_objection")+",2026-") ||
		strings.Contains(body, "Access Now") {
		t.Errorf("accredited CSV: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, _ := en.get("", app); resp.StatusCode != http.StatusNotFound {
		t.Errorf("public sees the blocked application: %d", resp.StatusCode)
	}
	resp, body = en.get("", appB)
	expect(t, "accredited application, public", resp, body, http.StatusOK, en.msg("en", "appstatus.accredited"), "Industry commitments on cybersecurity.")
	resp, body = en.get("", "/ar"+strings.TrimPrefix(appB, "/en"))
	expect(t, "accredited application in Arabic", resp, body, http.StatusOK, `dir="rtl"`, en.msg("ar", "appstatus.accredited"))
	// The applicant's name and answers are not translated: no "translation pending".
	if strings.Contains(body, en.msg("ar", "content.pending")) {
		t.Errorf("the accredited application in Arabic marks the applicant's own text as pending translation")
	}

	// Statistics and simulation.
	resp, body = en.get("", "/en/accreditation/windows/"+winID+"/statistics")
	expect(t, "statistics", resp, body, http.StatusOK, en.msg("en", "stat.objected"), en.msg("en", "accr.by_group"), `<th scope="row">`)
	resp, body = en.get("chair", "/en/accreditation/windows/"+winID+"/simulation?rule=joined_by_2")
	expect(t, "simulation", resp, body, http.StatusOK, en.msg("en", "rule.joined_by_2"), en.msg("en", "accr.differs"))
	if strings.Contains(body, "DEU") || strings.Contains(body, "Germany") {
		t.Error("the simulation names an objecting State")
	}
	for _, role := range []string{"", "delegate", "focal-point"} {
		if resp, _ := en.get(role, "/en/accreditation/windows/"+winID+"/simulation"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("simulation as %q under to_chair: %d, want 403", role, resp.StatusCode)
		}
	}
	if resp, _ := en.get("chair", "/en/accreditation/windows/"+winID+"/simulation?rule=nonsense"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown rule: %d", resp.StatusCode)
	}

	// The focal point's history across windows.
	resp, body = en.get("focal-point", "/en/accreditation")
	expect(t, "focal point's overview", resp, body, http.StatusOK, en.msg("en", "accr.your_applications"), app, en.msg("en", "appstatus.blocked"))
}

func mustLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := concord.LoadLocation("")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// objectorsSee is the disclosure table of accreditation.Disclose,
// written out for the viewers this test uses: who sees every objecting
// State and basis at each level ("delegate" is the objecting State's own
// delegate, who always sees its own objection).
var objectorsSee = map[accreditation.ObjectionDisclosure][]string{
	accreditation.ObjectionsHidden:    {"secretariat", "delegate"},
	accreditation.ObjectionsCountOnly: {"secretariat", "delegate"},
	accreditation.ObjectionsToChair:   {"secretariat", "chair", "delegate"},
	accreditation.ObjectionsToStates:  {"secretariat", "chair", "delegate", "delegate-deu"},
	accreditation.ObjectionsPublic:    {"secretariat", "chair", "delegate", "delegate-deu", "", "focal-point"},
}

// TestAccreditationDisclosure checks, for each disclosure level, that the
// objecting State and its basis appear on the window and application pages
// exactly for the viewers the level allows, and that the procedural log
// names the objecting delegate only when objections are public.
func TestAccreditationDisclosure(t *testing.T) {
	t.Parallel()
	for _, level := range accreditation.ObjectionDisclosures {
		t.Run(string(level), func(t *testing.T) { testDisclosure(t, level) })
	}
}

func testDisclosure(t *testing.T, level accreditation.ObjectionDisclosure) {
	en := newEnv(t, store.SQLite)
	clk := useClock(en, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	en.tokens["delegate-deu"] = en.session(concord.User{Username: "del-deu", Role: concord.RoleDelegate, State: "DEU"})
	svc := &accredit.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: userID(t, en, "sec"), Role: concord.RoleSecretariat}
	p := accreditation.DefaultPolicy(concord.DefaultProcessCode, clk.now())
	p.Disclosure, p.BasisRequired, p.Source = level, true, "Test decision"
	if _, err := svc.SetPolicy(ctx, sec, p); err != nil {
		t.Fatal(err)
	}
	w, err := svc.CreateWindow(ctx, sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, Cycle: 2026, OpensDate: "2026-04-01", ClosesDate: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	clk.set(time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC))
	apps := map[string]string{}
	for key, name := range map[string]string{"A": "Tech Accord", "B": "Chatham House"} {
		org := orgNamed(t, en, name)
		a, err := svc.Apply(ctx, sec, w.ID, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		la, err := svc.UploadLetter(ctx, sec, a.ID, "letter.pdf", tinyPDF)
		if err != nil {
			t.Fatal(err)
		}
		c := accreditation.Content{Purpose: concord.Text{"en": "Purpose of " + name}, Letter: la.Content.Letter}
		if _, err := svc.Edit(ctx, sec, a.ID, c); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, sec, a.ID, accredit.ActSubmit, nil); err != nil {
			t.Fatal(err)
		}
		apps[key] = "/en/accreditation/applications/" + strconv.FormatInt(a.ID, 10)
	}
	clk.set(time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC))
	if _, err := svc.Circulate(ctx, sec, w.ID); err != nil {
		t.Fatal(err)
	}
	if w, err = en.db.AccreditationWindow(ctx, w.ID); err != nil {
		t.Fatal(err)
	}

	// France objects to A (the policy requires a basis), and objects to B
	// then withdraws.
	basisA, basisB := "Basis-A-"+string(level)+"-qz", "Basis-B-"+string(level)+"-qz"
	resp, body := en.postForm("delegate", apps["A"]+"/objection", url.Values{"basis": {" "}})
	expect(t, "objection without basis", resp, body, http.StatusUnprocessableEntity, en.msg("en", "error.basis_required"), `id="basis-err"`)
	redirected(t, "object A")(en.postForm("delegate", apps["A"]+"/objection", url.Values{"basis": {basisA}}))
	redirected(t, "object B")(en.postForm("delegate", apps["B"]+"/objection", url.Values{"basis": {basisB}}))
	resp, body = en.postForm("delegate", apps["B"]+"/objection/withdraw", nil)
	if resp.StatusCode != http.StatusSeeOther {
		expect(t, "withdraw B", resp, body, http.StatusSeeOther)
	}

	viewers := []string{"", "focal-point", "delegate-deu", "chair", "secretariat", "delegate"}
	shows := func(body string) bool {
		return strings.Contains(body, "France") || strings.Contains(body, `class="code">FRA<`)
	}
	check := func(stage string, pages map[string]string) {
		t.Helper()
		for _, v := range viewers {
			allowed := contains(objectorsSee[level], v)
			for name, path := range pages {
				resp, body := en.get(v, path)
				if resp.StatusCode != 200 && resp.StatusCode != 404 {
					t.Errorf("%s: %s as %q: status %d", stage, name, v, resp.StatusCode)
				}
				basis := basisA
				if name == "B" {
					basis = basisB
				}
				if name == "window" {
					if got := strings.Contains(body, basisA) || strings.Contains(body, basisB); got && !allowed {
						t.Errorf("%s: %s as %q shows a basis under %s", stage, name, v, level)
					}
				} else if got := strings.Contains(body, basis); got != allowed && (got || resp.StatusCode == 200) {
					t.Errorf("%s: %s as %q (status %d): basis shown %v, want %v", stage, name, v, resp.StatusCode, got, allowed)
				}
				if got := shows(body); got && !allowed {
					t.Errorf("%s: %s as %q names the objecting State under %s", stage, name, v, level)
				}
				// Where nothing may be shown, not even that an objection exists.
				if level == accreditation.ObjectionsHidden && !allowed && strings.Contains(body, "objection standing") {
					t.Errorf("%s: %s as %q shows an objection count under hidden", stage, name, v)
				}
			}
		}
	}
	windowPage := "/en/accreditation/windows/" + w.ID
	check("objection period", map[string]string{"window": windowPage, "A": apps["A"], "B": apps["B"]})
	// During the period the States considering the round see France's
	// objection on the circulated list when the level allows it.
	for _, v := range []string{"delegate-deu", "chair", "secretariat", "delegate"} {
		resp, body := en.get(v, windowPage+"?list=circulated")
		if got, want := strings.Contains(body, basisA), contains(objectorsSee[level], v); resp.StatusCode != 200 || got != want {
			t.Errorf("circulated list as %q under %s: status %d, basis shown %v, want %v", v, level, resp.StatusCode, got, want)
		}
	}
	if level == accreditation.ObjectionsCountOnly {
		resp, body := en.get("delegate-deu", apps["A"])
		expect(t, "count only", resp, body, http.StatusOK, "1 objection standing")
	}

	// After the deadline: A is blocked, B (its objection withdrawn) accredited
	// and public, with the withdrawn objection shown only as the level allows.
	clk.set(w.ObjectionDeadline.Add(time.Minute))
	check("decided", map[string]string{"window": windowPage, "A": apps["A"], "B": apps["B"]})
	resp, body = en.get("", apps["B"])
	expect(t, "accredited B, public", resp, body, http.StatusOK, en.msg("en", "appstatus.accredited"))

	// The procedural log keeps the objecting delegate's name off the public
	// record unless objections are public.
	fra := "user:" + strconv.FormatInt(userID(t, en, "del-fra"), 10)
	public := level == accreditation.ObjectionsPublic
	for _, v := range []string{"", "delegate-deu", "chair"} {
		_, body := en.get(v, "/en/log?kind=accreditation")
		if got := strings.Contains(body, "the delegation of France"); got != public {
			t.Errorf("/en/log as %q under %s: objecting delegate shown %v", v, level, got)
		}
		_, body = en.get(v, "/api/v1/log?limit=200")
		var list struct {
			Items []struct{ Action, Actor string }
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatalf("/api/v1/log: %v", err)
		}
		seen := false
		for _, it := range list.Items {
			if strings.Contains(it.Action, "object") && it.Actor == fra {
				seen = true
			}
		}
		if seen != public {
			t.Errorf("/api/v1/log as %q under %s: objecting delegate shown %v", v, level, seen)
		}
	}
}

func (c *testClock) now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// TestAccreditationWindowAtScale pages a round of 5,000 circulated
// applications: 100 to a page, and the page stays fast to build.
func TestAccreditationWindowAtScale(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds 5,000 applications")
	}
	en := newEnv(t, store.SQLite)
	w, err := seed.AccreditationScale(ctx, en.db, 5000, 2000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, pager, link string }{
		{"/en/accreditation/windows/" + w.ID, "Page 1 of 50", `rel="next" aria-label="Next page"`},
		{"/en/accreditation/windows/" + w.ID + "?page=50", "Page 50 of 50", `rel="prev" aria-label="Previous page"`},
	} {
		path := c.path
		start := time.Now()
		resp, body := en.get("delegate", path)
		took := time.Since(start)
		expect(t, path, resp, body, http.StatusOK, c.pager, c.link)
		if n := strings.Count(body, `<tr id="app-`); n != 100 {
			t.Errorf("%s: %d rows, want 100", path, n)
		}
		t.Logf("%s: %d bytes in %v", path, len(body), took)
	}
}

// TestPolicyVersionForm: the Secretariat adds a version of the rules from
// the rules page; a bad value comes back with the form; others cannot.
func TestPolicyVersionForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	form := url.Values{"period": {"x"}, "clock": {"18:00"}, "disclosure": {"public"}, "validity": {"annual"}, "withdrawable": {"on"}}
	resp, body := en.postForm("secretariat", "/en/accreditation/rules", form)
	if resp.StatusCode != 422 || !strings.Contains(body, `value="x"`) {
		t.Errorf("bad period: %d", resp.StatusCode)
	}
	form.Set("period", "15")
	form.Set("from", "2020-01-01")
	if resp, _ := en.postForm("secretariat", "/en/accreditation/rules", form); resp.StatusCode != 422 {
		t.Errorf("backdated version: %d, want 422", resp.StatusCode)
	}
	form.Del("from")
	if resp, _ := en.postForm("chair", "/en/accreditation/rules", form); resp.StatusCode != 403 {
		t.Errorf("chair added rules: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("secretariat", "/en/accreditation/rules", form); resp.StatusCode != 303 {
		t.Fatalf("new version: %d", resp.StatusCode)
	}
	versions, err := en.db.AccreditationPolicies(ctx, "global-mechanism")
	if err != nil || len(versions) != 2 || versions[1].Disclosure != "public" || versions[1].ObjectionPeriodDays != 15 {
		t.Errorf("versions after the form: %+v %v", versions, err)
	}
}
