package web

import "testing"

// Issue 10, item 6: next=/%09/evil.example/ led the browser to another
// site after sign-in. Only plain same-origin paths are kept.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for _, hostile := range []string{
		"/\t/evil.example/", // what next=/%09/evil.example/ decodes to
		"/%09/evil.example/",
		"/%2509/evil.example/",
		"//evil.example",
		"//evil.example/en/states",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\\/evil.example",
		"/%5Cevil.example",
		"/%5cevil.example",
		"/%2F/evil.example",
		"/%2f%2fevil.example",
		"/%252F%252Fevil.example",
		"/\r\n/evil.example",
		"/\n/evil.example",
		"/%0d%0a/evil.example",
		"/\x00/evil.example",
		"/%00/evil.example",
		"/ /evil.example",
		"/%20/evil.example",
		" /en/states",
		"/\u3000/evil.example",
		"/\u202e/evil.example",
		"/%E2%80%AE/evil.example",
		"https://evil.example/",
		"http:/evil.example",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"evil.example",
		"en/states",
		"./en/states",
		"?next=//evil.example",
		"#/evil.example",
		"/%zz",
		"",
		"/" + string(make([]byte, 2048)),
	} {
		if got := safeNext(hostile); got != "" {
			t.Errorf("safeNext(%q) = %q, want refused", hostile, got)
		}
	}
	for in, want := range map[string]string{
		"/en/states":                     "/en/states",
		"/fr/organizations?kind=igo&x=1": "/fr/organizations?kind=igo&x=1",
		"/en/decisions/12#positions":     "/en/decisions/12",
		"/ar/":                           "/ar/",
		"/en/organizations/%C3%A9":       "/en/organizations/%C3%A9",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
