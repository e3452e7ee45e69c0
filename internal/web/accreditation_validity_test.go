package web_test

import (
	"bytes"
	"concord/accreditation"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"concord"
	"concord/internal/store"
)

// TestAccreditationValidity: a window whose accreditations would end before
// they are decided is refused at the end-of-validity field, in the page's
// language; every accredited entry shows its validity, on the window page,
// the application page, the CSV and the JSON.
func TestAccreditationValidity(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	// Closing Thursday 30 April 18:00 EDT, ten working days: the deadline
	// is Thursday 14 May 18:00 EDT. Valid until the 10th is too short.
	win := url.Values{"scope": {"review_conference"}, "cycle": {"2026"}, "opens_date": {"2026-04-01"}, "closes_date": {"2026-04-30"},
		"valid_until_date": {"2026-05-10"}}
	for _, lang := range []string{"en", "fr", "ar"} {
		resp, body := en.postForm("secretariat", "/"+lang+"/accreditation/windows", win)
		expect(t, "validity ending before the decision ("+lang+")", resp, body, http.StatusUnprocessableEntity,
			en.msg(lang, "error.valid_until_decision"), `aria-describedby="valid_until_date-err"`, `id="valid_until_date-err"`)
	}
	win.Set("valid_until_date", "2026-05-14") // midnight, before the deadline the same day
	resp, body := en.postForm("secretariat", "/en/accreditation/windows", win)
	expect(t, "validity ending the day of the deadline", resp, body, http.StatusUnprocessableEntity, en.msg("en", "error.valid_until_decision"))
	win.Set("valid_until_date", "2026-05-15")
	redirected(t, "validity after the deadline")(en.postForm("secretariat", "/en/accreditation/windows", win))

	// The demo's decided round: 2025, valid until 1 January 2027.
	resp, body = en.get("", "/en/accreditation/windows/plenary-2025")
	expect(t, "accredited list", resp, body, http.StatusOK, en.msg("en", "accr.valid_period"), `datetime="2027-01-01T05:00:00Z"`)
	resp, body = en.get("", "/en/accreditation/windows/plenary-2025/accredited.csv")
	if resp.StatusCode != 200 || !strings.Contains(body, ",2027-01-01") {
		t.Errorf("CSV without the end of validity: %d\n%.400s", resp.StatusCode, body)
	}
	resp, body = en.get("", "/api/v1/accreditation/windows/plenary-2025/applications?status=accredited&limit=1")
	var list struct {
		Items []struct {
			ID         int64   `json:"id"`
			DecidedAt  *string `json:"decided_at"`
			ValidFrom  *string `json:"valid_from"`
			ValidUntil *string `json:"valid_until"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 1 {
		t.Fatalf("accredited applications: %d %v\n%.300s", resp.StatusCode, err, body)
	}
	it := list.Items[0]
	if it.ValidFrom == nil || it.DecidedAt == nil || *it.ValidFrom != *it.DecidedAt || it.ValidUntil == nil || *it.ValidUntil != "2027-01-01T05:00:00Z" {
		t.Errorf("JSON validity: %+v", it)
	}
	resp, body = en.get("", "/en/accreditation/applications/"+itoa(it.ID))
	expect(t, "accredited application", resp, body, http.StatusOK, en.msg("en", "accr.valid_period"), `datetime="2027-01-01T05:00:00Z"`)
}

// TestAccreditationLetterOnlyForApplicant: the letter of an accredited
// (public) application is linked for its own organisation's focal point and
// the Secretariat, not for another organisation's focal point, who could
// not open it anyway: one rule (concord.Can) decides both.
func TestAccreditationLetterOnlyForApplicant(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	apps, err := en.db.ListApplications(ctx, store.ApplicationFilter{Window: "plenary-2025", Status: "accredited"})
	if err != nil || len(apps) == 0 {
		t.Fatalf("no accredited demo application: %v", err)
	}
	a := apps[0]
	en.tokens["focal-own"] = en.session(concord.User{Username: "focal-own", Role: concord.RoleFocalPoint, OrgID: a.OrgID})
	page := "/en/accreditation/applications/" + itoa(a.ID)
	doc := "/en/accreditation/documents/" + a.Content.Letter
	for role, want := range map[string]bool{"secretariat": true, "focal-own": true, "focal-point": false, "delegate": false, "": false} {
		_, body := en.get(role, page)
		if got := strings.Contains(body, `href="`+doc+`"`); got != want {
			t.Errorf("%q sees the letter link: %v, want %v", role, got, want)
		}
		resp, _ := en.get(role, doc)
		if ok := resp.StatusCode == http.StatusOK; ok != want {
			t.Errorf("%q opens the letter: %d", role, resp.StatusCode)
		}
	}
}

// TestAccreditationWindowNamesItsPolicy: each window says which policy
// version and disclosure level govern it, on the overview and in the API,
// and a later version does not change what governs an earlier window.
func TestAccreditationWindowNamesItsPolicy(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	redirected(t, "new policy version")(en.postForm("secretariat", "/en/accreditation/rules", url.Values{
		"period": {"10"}, "clock": {"18:00"}, "working": {"on"}, "disclosure": {"public"}, "validity": {"annual"}, "source": {"Decision 2026/1"}}))
	useClock(en, time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC))
	resp, body := en.do("secretariat", "POST", "/api/v1/accreditation/windows", "application/json",
		`{"scope":"review_conference","opens_date":"2026-04-02","closes_date":"2026-04-30"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create window: %d %s", resp.StatusCode, body)
	}
	type policy struct {
		Version    int    `json:"version"`
		Disclosure string `json:"disclosure"`
		Source     string `json:"source"`
	}
	var created struct {
		ID     string `json:"id"`
		Policy policy `json:"policy"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || created.Policy != (policy{2, "public", "Decision 2026/1"}) {
		t.Errorf("new window's policy: %v %s", err, body)
	}
	_, body = en.get("", "/api/v1/accreditation/windows/plenary-2025")
	var old struct {
		Policy policy `json:"policy"`
	}
	if err := json.Unmarshal([]byte(body), &old); err != nil || old.Policy.Version != 1 || old.Policy.Disclosure != "to_chair" {
		t.Errorf("the 2025 window's policy: %v %s", err, body)
	}
	resp, body = en.get("", "/fr/accreditation")
	expect(t, "overview", resp, body, http.StatusOK, `#version-1">`, `#version-2">`, en.msg("fr", "disclosure.to_chair"), en.msg("fr", "disclosure.public"))
}

// TestLetterUploadRefusedBeforeStoring: an upload to an application that
// can no longer change is refused, on the page and through the API, and
// nothing is stored (the audit chain, which every write extends, does not
// move).
func TestLetterUploadRefusedBeforeStoring(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	apps, err := en.db.ListApplications(ctx, store.ApplicationFilter{Window: "plenary-2025", Status: "accredited"})
	if err != nil || len(apps) == 0 {
		t.Fatalf("no accredited demo application: %v", err)
	}
	a := apps[0]
	en.tokens["focal-own"] = en.session(concord.User{Username: "focal-own", Role: concord.RoleFocalPoint, OrgID: a.OrgID})
	head, err := en.db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := en.upload("focal-own", "/en/accreditation/applications/"+itoa(a.ID)+"/documents", "letter.pdf", tinyPDF)
	expect(t, "page upload after circulation", resp, body, http.StatusConflict, en.msg("en", "error.not_editable_after_circulation"))
	resp, body = en.upload("focal-own", "/api/v1/accreditation/applications/"+itoa(a.ID)+"/documents", "letter.pdf", tinyPDF)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("API upload after circulation: %d %s", resp.StatusCode, body)
	}
	if after, err := en.db.AuditHead(ctx); err != nil || after != head {
		t.Errorf("a refused upload stored something: audit head %d -> %d (%v)", head, after, err)
	}
	if got, _ := en.db.GetApplication(ctx, a.ID); got.Content.Letter != a.Content.Letter {
		t.Errorf("letter changed: %q -> %q", a.Content.Letter, got.Content.Letter)
	}
	// A malformed multipart body is the client's error, not a 500.
	resp, _ = en.do("focal-own", "POST", "/api/v1/accreditation/applications/"+itoa(a.ID)+"/documents", "multipart/form-data; boundary=x", "--x\r\nbroken")
	if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("malformed multipart: %d", resp.StatusCode)
	}
}

// TestAccreditedExports: the accredited list as CSV starts with a UTF-8
// byte-order mark and has its headers in the page's language; the XLSX
// beside it has the same rows, and its sheet reads right to left in Arabic.
func TestAccreditedExports(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	for _, lang := range []string{"fr", "ar"} {
		resp, body := en.get("", "/"+lang+"/accreditation/windows/plenary-2025/accredited.csv")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeff"+en.rawMsg(lang, "accr.organisation")+",") ||
			!strings.Contains(body, en.rawMsg(lang, "export.valid_until")) || !strings.Contains(body, en.rawMsg(lang, "route.non_objection")) {
			t.Errorf("%s CSV: %d\n%.300q", lang, resp.StatusCode, body)
		}
		csvRows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		resp, body = en.get("", "/"+lang+"/accreditation/windows/plenary-2025/accredited.xlsx")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("%s XLSX: %d %q", lang, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(csvRows) || len(rows) < 2 || rows[0][0] != csvRows[0][0] || rows[1][0] != csvRows[1][0] || rows[1][7] != csvRows[1][7] {
			t.Errorf("%s: XLSX and CSV differ: %d and %d rows, %q / %q", lang, len(rows), len(csvRows), rows[0], csvRows[0])
		}
		view, err := f.GetSheetView(sheet, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rtl := view.RightToLeft != nil && *view.RightToLeft; rtl != (lang == "ar") {
			t.Errorf("%s: sheet right to left: %v", lang, rtl)
		}
		f.Close()
	}
}

// TestApplicationOneForm: the application page's text, letter and
// submission are one form, so an action never wipes what was typed: a
// refused letter shows the typed text again, and text, letter and
// submission go in one request.
func TestApplicationOneForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	win := url.Values{"scope": {"review_conference"}, "cycle": {"2026"}, "opens_date": {"2026-04-01"}, "closes_date": {"2026-04-30"}}
	loc := redirected(t, "create window")(en.postForm("secretariat", "/en/accreditation/windows", win))
	winID := strings.TrimSuffix(strings.TrimPrefix(loc, "/en/accreditation/windows/"), "?saved=1")
	id := appIDOf(t)(en.postForm("focal-point", "/en/accreditation/applications", url.Values{"window": {winID}}))
	page := "/en/accreditation/applications/" + id
	_, body := en.get("focal-point", page)
	if strings.Count(body, `enctype="multipart/form-data"`) != 1 || !strings.Contains(body, `name="do" value="submit"`) || strings.Contains(body, `action="`+page+`/submit"`) {
		t.Errorf("the page has not one form for text, letter and submission\n%s", excerpt(body))
	}
	send := func(fields map[string]string, fileName string, file []byte) (*http.Response, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write(file)
		mw.Close()
		return en.do("focal-point", "POST", page, mw.FormDataContentType(), buf.String())
	}
	typed := "Typed before choosing the wrong file."
	resp, body := send(map[string]string{"purpose": typed, "programmes": "Helplines.", "do": "submit"}, "letter.txt", []byte("plain words, not a letter"))
	expect(t, "a wrong file with typed text", resp, body, http.StatusUnsupportedMediaType, en.msg("en", "error.upload_type"), `id="file-err"`, typed, "Helplines.")
	if a := application(t, en, id); a.Status != accreditation.ApplicationDraft || a.Content.Purpose["en"] != typed {
		t.Errorf("after a refused letter: %s, purpose %q", a.Status, a.Content.Purpose["en"])
	}
	// No file chosen: the text is saved, the letter kept.
	resp, body = send(map[string]string{"purpose": typed + " Again.", "do": "save"}, "", nil)
	redirected(t, "save without a file")(resp, body)
	// Text, letter and submission in one request.
	resp, body = send(map[string]string{"purpose": "Final purpose.", "do": "submit"}, "letter.pdf", tinyPDF)
	redirected(t, "save, upload and submit")(resp, body)
	if a := application(t, en, id); a.Status != accreditation.ApplicationSubmitted || a.Content.Purpose["en"] != "Final purpose." || a.Content.Letter == "" {
		t.Errorf("after one request: %s, purpose %q, letter %q", a.Status, a.Content.Purpose["en"], a.Content.Letter)
	}
}
