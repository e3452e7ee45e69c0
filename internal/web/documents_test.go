package web_test

import (
	"bytes"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord/internal/seed"
	"concord/internal/store"
	"concord/meeting"
)

// docUpload posts the publish form as multipart: fields, and files by
// field name ("file.en") with their names.
func (en *env) docUpload(role string, fields map[string]string, files map[string][2]string) (*http.Response, string) {
	en.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for field, f := range files {
		w, err := mw.CreateFormFile(field, f[0])
		if err != nil {
			en.t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	mw.Close()
	return en.do(role, "POST", "/en/documents", mw.FormDataContentType(), buf.String())
}

var documentPath = regexp.MustCompile(`^/en/documents/(\d+)\?saved=1$`)

func docFields(sym, dist string) map[string]string {
	return map[string]string{"symbol": sym, "type": "working-paper", "authors": "secretariat", "title.en": "Paper " + sym,
		"title.ar": "ورقة " + sym, "date": "2026-07-06", "distribution": dist, "versions.en": "original", "versions.ar": "pending"}
}

// publishDoc publishes through the form and returns the document's id.
func (en *env) publishDoc(sym, dist string) string {
	en.t.Helper()
	resp, body := en.docUpload("secretariat", docFields(sym, dist), map[string][2]string{"file.en": {"paper.pdf", string(tinyPDF)}})
	m := documentPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		en.t.Fatalf("publish %s: %d %s", sym, resp.StatusCode, excerpt(body))
	}
	return m[1]
}

// TestDocumentForm: the form reports every problem at once (a duplicate
// symbol, a file that is not what its name says, a file of a language not
// given a status) and keeps the input; a valid document is published and
// read in Arabic with the Arabic (pending) version first; its file comes as
// an attachment of its sniffed type.
func TestDocumentForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	id := en.publishDoc("A/AC.GM/2026/WP.70", "general")
	bad := docFields("A/AC.GM/2026/WP.70", "general")
	bad["title.en"], bad["title.ar"] = "", ""
	resp, body := en.docUpload("secretariat", bad, map[string][2]string{"file.en": {"paper.pdf", "<html>not a pdf</html>"}, "file.fr": {"paper.pdf", string(tinyPDF)}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d %s", resp.StatusCode, excerpt(body))
	}
	for _, key := range []string{"document.error.symbol_taken", "document.error.file_type", "document.error.status", "decision.error.proposal"} {
		if !strings.Contains(body, en.msg("en", key)) {
			t.Errorf("bad form does not say %s", key)
		}
	}
	if !strings.Contains(body, `value="A/AC.GM/2026/WP.70"`) {
		t.Error("the form lost the symbol")
	}
	_, page := en.get("", "/ar/documents/"+id)
	ar, enV := strings.Index(page, `<li lang="ar"`), strings.Index(page, `<li lang="en"`)
	if ar < 0 || enV < ar || !strings.Contains(page, en.msg("ar", "document.status.pending")) || !strings.Contains(page, "ورقة A/AC.GM/2026/WP.70") {
		t.Errorf("Arabic page: ar at %d, en at %d", ar, enV)
	}
	file := regexp.MustCompile(`/ar/documents/files/(\d+)`).FindStringSubmatch(page)
	if file == nil {
		t.Fatal("no file link")
	}
	resp, data := en.get("", file[0])
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("Content-Disposition") != `attachment; filename=paper.pdf` || data != string(tinyPDF) {
		t.Errorf("file: %d %v", resp.StatusCode, resp.Header)
	}
	// A revision: the first says so at the top and links to it.
	rev := en.publishDoc("A/AC.GM/2026/WP.70/Rev.1", "general")
	_, page = en.get("", "/en/documents/"+id)
	if !strings.Contains(page, en.msg("en", "documents.superseded")) || !strings.Contains(page, `/en/documents/`+rev+`"`) {
		t.Error("the first version does not say it is superseded")
	}
	if resp, _ := en.docUpload("focal-point", docFields("A/AC.GM/2026/WP.71", "general"), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a stakeholder publishing: %d", resp.StatusCode)
	}
	// A delegate's own national contribution.
	nc := docFields("A/AC.GM/2026/NC.70", "general")
	nc["type"], nc["authors"] = "national-contribution", "FRA"
	if resp, body := en.docUpload("delegate", nc, map[string][2]string{"file.en": {"contribution.pdf", string(tinyPDF)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a delegate's contribution: %d %s", resp.StatusCode, excerpt(body))
	}
	nc["symbol"], nc["authors"] = "A/AC.GM/2026/NC.71", "DEU"
	if resp, _ := en.docUpload("delegate", nc, map[string][2]string{"file.en": {"contribution.pdf", string(tinyPDF)}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate for another State: %d", resp.StatusCode)
	}
}

// TestRestrictedDocumentAbsent walks every route that shows documents, for
// every role: a restricted document is 404 (page, API read, both
// downloads) and absent from the lists (pages and API, with the meeting
// filter, and the meeting's page) for the public and stakeholders, and
// present for the States and the Secretariat.
func TestRestrictedDocumentAbsent(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	f := docFields("A/AC.GM/2026/CRP.77", "restricted")
	f["meeting"] = "1"
	resp, body := en.docUpload("secretariat", f, map[string][2]string{"file.en": {"crp.pdf", string(tinyPDF)}})
	m := documentPath.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("publish: %d %s", resp.StatusCode, excerpt(body))
	}
	id := m[1]
	_, page := en.get("secretariat", "/en/documents/"+id)
	file := regexp.MustCompile(`/documents/files/(\d+)`).FindStringSubmatch(page)
	if file == nil {
		t.Fatal("no file link for the Secretariat")
	}
	hidden := map[string]bool{"": true, "focal-point": true}
	for _, role := range roles {
		for _, path := range []string{"/en/documents/" + id, "/ar/documents/" + id, "/en/documents/files/" + file[1], "/api/v1/documents/" + id, "/api/v1/documents/files/" + file[1]} {
			resp, _ := en.get(role, path)
			want := http.StatusOK
			if hidden[role] {
				want = http.StatusNotFound
			}
			if resp.StatusCode != want {
				t.Errorf("%q %s: %d, want %d", role, path, resp.StatusCode, want)
			}
		}
		for _, path := range []string{"/en/documents", "/en/documents?meeting=1", "/en/documents?type=working-paper&language=en", "/en/meetings/1", "/api/v1/documents", "/api/v1/documents?meeting=1"} {
			_, body := en.get(role, path)
			if listed := strings.Contains(body, "A/AC.GM/2026/CRP.77"); listed == hidden[role] {
				t.Errorf("%q %s: listed %v", role, path, listed)
			}
		}
	}
}

// TestDocumentsStatementCount: the documents list (first and a later page,
// filtered), a document's page and a meeting's page cost the same number of
// statements with the demo's documents as with 600 more.
func TestDocumentsStatementCount(t *testing.T) {
	en := newEnv(t, store.SQLite)
	en.s.SetCaching(false)
	id := en.publishDoc("A/AC.GM/2026/WP.80", "general")
	count := func(path string) int64 {
		en.get("", path)
		before := en.db.Queries()
		resp, _ := en.get("", path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return en.db.Queries() - before
	}
	paths := []string{"/en/documents", "/en/documents?type=working-paper&language=en", "/en/documents?meeting=2", "/en/documents/" + id, "/en/meetings/2"}
	small := map[string]int64{}
	for _, p := range paths {
		small[p] = count(p)
	}
	// 600 documents make 30 pages: enough for a query per row to show.
	defer seed.SetScaleDocuments(600)()
	if err := seed.ScaleDocuments(ctx, en.db, rand.New(rand.NewPCG(3, 4)), 0); err != nil {
		t.Fatal(err)
	}
	if _, body := en.get("", "/en/documents?page=2"); !strings.Contains(body, `rel="prev"`) || strings.Count(body, `<li class="document">`) != 20 {
		t.Errorf("page 2 lists %d", strings.Count(body, `<li class="document">`))
	}
	for _, p := range paths {
		if n := count(p); n != small[p] {
			t.Errorf("%s: %d statements with the demo, %d with 600 more documents", p, small[p], n)
		}
	}
	if n := count("/en/documents?page=10"); n != small["/en/documents"] {
		t.Errorf("page 10: %d statements, the first page %d", n, small["/en/documents"])
	}
	t.Logf("statements: %v", small)
}

// TestDocumentFormDateAtHeadquarters: the publish form offers today's date
// at UN Headquarters, not in UTC: at 21:30 in New York, UTC is already on
// the next day.
func TestDocumentFormDateAtHeadquarters(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	ny, err := meeting.Zone(meeting.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(ny).Date()
	evening := time.Date(y, m, d, 21, 30, 0, 0, ny)
	en.db.Now = func() time.Time { return evening }
	resp, body := en.get("secretariat", "/en/documents/new")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	want := `value="` + evening.Format(time.DateOnly) + `"`
	if !strings.Contains(body, want) {
		t.Errorf("the form's date is not %s at headquarters (UTC: %s)", want, evening.UTC().Format(time.DateOnly))
	}
}
