package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestInjectFormTokens: a hidden field in every POST form, none in GET
// forms, and the action's URL for multipart forms, whose handlers stream the
// body; each token verifies for its session only.
func TestInjectFormTokens(t *testing.T) {
	t.Parallel()
	page := `<form method="get" action="/en/x"></form>
<form method="post" action="/en/a" class="stack"><button>a</button></form>
<form method="post" enctype="multipart/form-data" action="/en/b/documents"></form>
<form method="post" enctype="multipart/form-data" action="/en/c?x=1"></form>`
	out := string(injectFormTokens([]byte(page), "session-1", "/x?y=1&z=<2>"))
	if n := strings.Count(out, `name="form_token"`); n != 1 || !strings.Contains(out, `class="stack"><input type="hidden" name="form_token" value="`) {
		t.Errorf("%d hidden tokens in %s", n, out)
	}
	// Each form names the page it is on, without a Referer.
	if !strings.Contains(out, `<input type="hidden" name="form_page" value="/x?y=1&amp;z=&lt;2&gt;">`) {
		t.Errorf("no form page in %s", out)
	}
	m := regexp.MustCompile(`action="/en/b/documents\?form_token=([^"&]+)&amp;form_page=%2Fx%3Fy%3D1%26z%3D%3C2%3E"`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, `action="/en/c?x=1&amp;form_token=`) || strings.Contains(out, `action="/en/x?`) {
		t.Fatalf("multipart actions: %s", out)
	}
	for session, want := range map[string]bool{"session-1": true, "session-2": false, "": false} {
		r := httptest.NewRequest("POST", "/en/b/documents?form_token="+m[1], strings.NewReader("--x--"))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		r = r.WithContext(context.WithValue(r.Context(), tokenKey, session))
		if _, ok := formTokenOf(r); ok != want {
			t.Errorf("token checked in session %q: %v, want %v", session, ok, want)
		}
		if r.MultipartForm != nil {
			t.Error("the multipart body was parsed")
		}
	}
}
