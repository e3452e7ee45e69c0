package web

import (
	"bytes"
	"html/template"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"concord"
	"concord/internal/i18n"
)

// TestFieldPartial: the field partial labels its control, keeps what was
// typed, describes it by its hint and error and marks it invalid; a select
// marks the value chosen; a password or file never echoes a value; an
// option it does not know fails the rendering.
func TestFieldPartial(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := parseTemplatesFS(templateFS) // its own: the test adds a page
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{Lang: "en", cat: cat, Form: url.Values{"body": {"DTG<1>"}, "type": {"academia"}, "password": {"secret"}},
		Errs: []*concord.Error{{Field: "body", Key: "error.required"}}}
	render := func(label string, opts ...any) (string, error) {
		f, err := p.Field("body", label, opts...)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		err = tm.layout.ExecuteTemplate(&b, "field", f)
		return b.String(), err
	}
	got, err := render("Body", "maxlength", 20, "hint", "A DTG's code")
	want := `<p><label for="body">Body</label>
<input id="body" name="body" maxlength="20" value="DTG&lt;1&gt;" aria-invalid="true" aria-describedby="body-hint body-err">
<span id="body-hint" class="hint">A DTG&#39;s code</span>
<span id="body-err" class="field-error">` + cat.T("en", "error.required", nil) + `</span></p>`
	if err != nil || got != want {
		t.Errorf("input:\n%s\nwant\n%s (%v)", got, want, err)
	}
	got, err = render("Type", "name", "type", "select", concord.StakeholderTypes, "labels", "type.", "empty", "—")
	if err != nil || !strings.Contains(got, `<option value="">—</option>`) || !strings.Contains(got, `<option value="academia" selected>`+cat.T("en", "type.academia", nil)+`</option>`) {
		t.Errorf("select: %s (%v)", got, err)
	}
	got, err = render("Password", "name", "password", "type", "password")
	if err != nil || strings.Contains(got, "secret") || strings.Contains(got, "value=") {
		t.Errorf("password: %s (%v)", got, err)
	}
	got, err = render("Text", "textarea", 3, "required", true)
	if err != nil || !strings.Contains(got, `<textarea id="body" name="body" rows="3" required aria-invalid="true" aria-describedby="body-err">DTG&lt;1&gt;</textarea>`) {
		t.Errorf("textarea: %s (%v)", got, err)
	}
	if _, err := render("X", "onclick", "alert(1)"); err == nil {
		t.Error("an unknown option is accepted")
	}
}

// TestFormErrorsSummary: the summary lists every error, and links to the
// field only for the errors that have one on the form.
func TestFormErrorsSummary(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := parseTemplatesFS(templateFS) // its own: the test adds a page
	if err != nil {
		t.Fatal(err)
	}
	c, err := tm.layout.Clone()
	if err != nil {
		t.Fatal(err)
	}
	template.Must(c.Parse(`{{define "content"}}{{template "formerrors" .}}<form method="post">{{template "field" (.Field "body" "Body")}}</form>{{end}}`))
	tm.pages["t_errors"] = c
	s := &Server{tmpl: tm, Cat: cat}
	p := &Page{Lang: "en", Dir: "ltr", cat: cat}
	p.SetErr(concord.Errors{
		{Code: concord.EInvalid, Field: "body", Key: "error.required"},
		{Code: concord.EInvalid, Field: "process", Key: "error.policy_mismatch"}, // no control on the form
		{Code: concord.EInvalid, Key: "error.cycle"},                             // no field at all
	})
	rec := httptest.NewRecorder()
	if err := s.render(rec, httptest.NewRequest("POST", "/en/x", nil), 422, "t_errors", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	for _, k := range []string{"error.required", "error.policy_mismatch", "error.cycle"} {
		if !strings.Contains(body, template.HTMLEscapeString(cat.T("en", k, nil))) {
			t.Errorf("the summary misses %s", k)
		}
	}
	if n := strings.Count(body, cat.T("en", "form.fix_field", nil)); n != 1 || !strings.Contains(body, `href="#body"`) {
		t.Errorf("%d links to fields, want 1, to #body", n)
	}
}
