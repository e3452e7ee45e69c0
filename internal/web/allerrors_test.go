package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// apiFields is the fields of an API error answer's errors array.
func apiFields(t *testing.T, body string) []string {
	t.Helper()
	var e struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, x := range e.Errors {
		out = append(out, x.Field)
	}
	slices.Sort(out)
	return out
}

// pageErrors checks that each of fields is marked invalid, described by its
// error and linked from the summary at the top.
func pageErrors(t *testing.T, what, body string, fields ...string) {
	t.Helper()
	for _, f := range fields {
		q := regexp.QuoteMeta(f)
		if !regexp.MustCompile(`id="`+q+`"[^>]*aria-invalid="true" aria-describedby="(\S+ )?`+q+`-err"`).MatchString(body) ||
			!strings.Contains(body, `id="`+f+`-err"`) || !strings.Contains(body, `href="#`+f+`"`) {
			t.Errorf("%s: field %s is not marked, described and linked", what, f)
		}
	}
	if n := strings.Count(body, `class="field-error"`); n != len(fields) {
		t.Errorf("%s: %d field errors, want %d", what, n, len(fields))
	}
}

// TestOrganizationAllErrors: an organisation with three wrong fields gets the
// three errors at once, on the page (new and edit) and in the API.
func TestOrganizationAllErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	bad := url.Values{"kind": {"stakeholder"}, "name_en": {"Three Mistakes Network"}, "type": {"club"}, "website": {"ftp://x"}, "ecosoc_id": {"a b"}}
	resp, body := en.postForm("secretariat", "/en/organizations", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "form.errors")) {
		t.Fatalf("new: %d", resp.StatusCode)
	}
	pageErrors(t, "new", body, "type", "website", "ecosoc_id")
	if _, n, _ := en.db.ListOrganizations(ctx, store.OrgFilter{Query: "Three Mistakes"}); n != 0 {
		t.Error("an invalid organisation was created")
	}
	resp, body = en.postForm("secretariat", "/en/organizations/"+itoa(en.orgID), bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	pageErrors(t, "edit", body, "type", "website", "ecosoc_id")

	resp, body = en.do("secretariat", "POST", "/api/v1/organizations", "application/json",
		`{"kind":"stakeholder","names":{"en":"Three Mistakes Network"},"type":"club","website":"ftp://x","ecosoc_id":"a b"}`)
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"ecosoc_id", "type", "website"}) {
		t.Errorf("API new: %d, errors on %v", resp.StatusCode, got)
	}
	resp, body = en.do("secretariat", "PUT", "/api/v1/organizations/"+itoa(en.orgID), "application/json",
		`{"kind":"stakeholder","names":{"en":"Three Mistakes Network"},"type":"club","website":"ftp://x","ecosoc_id":"a b","country":"XXX"}`)
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"country", "ecosoc_id", "type", "website"}) {
		t.Errorf("API edit: %d, errors on %v", resp.StatusCode, got)
	}
}

// TestWindowAllErrors: a new accreditation window with three wrong fields
// gets the three errors at once, on the page and in the API, and nothing
// is created.
func TestWindowAllErrors(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	useClock(en, time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	before, err := en.db.AccreditationWindows(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	win := url.Values{"scope": {"plenary"}, "body": {"DTG1"}, "cycle": {"twenty"}, "opens_date": {"2026-04-01"}, "opens_time": {"00:00"},
		"closes_date": {"2026-04-31"}, "closes_time": {"18:00"}}
	resp, body := en.postForm("secretariat", "/en/accreditation/windows", win)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "form.errors")) {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	pageErrors(t, "page", body, "body", "cycle", "closes_date")
	// A cycle that is a number but the rest wrong: still all at once.
	win.Set("cycle", "26")
	win.Set("body", "")
	win.Set("closes_time", "25:00")
	_, body = en.postForm("secretariat", "/en/accreditation/windows", win)
	pageErrors(t, "page, cycle a number", body, "cycle", "closes_date", "closes_time")

	// Only the cycle wrong: the rest is checked without creating anything.
	win.Set("cycle", "twenty")
	win.Set("closes_date", "2026-04-30")
	win.Set("closes_time", "18:00")
	_, body = en.postForm("secretariat", "/en/accreditation/windows", win)
	pageErrors(t, "page, only the cycle", body, "cycle")

	resp, body = en.do("secretariat", "POST", "/api/v1/accreditation/windows", "application/json",
		`{"scope":"plenary","body":"DTG1","cycle":26,"opens_date":"2026-04-01","closes_date":"2026-04-31"}`)
	if got := apiFields(t, body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"body", "closes_date", "cycle"}) {
		t.Errorf("API: %d, errors on %v", resp.StatusCode, got)
	}
	after, err := en.db.AccreditationWindows(ctx, concord.DefaultProcessCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("%d windows after invalid submissions, want %d", len(after), len(before))
	}
}
