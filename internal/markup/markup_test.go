package markup_test

import (
	"strings"
	"testing"

	"concord/internal/markup"
)

func TestRender(t *testing.T) {
	for _, c := range []struct {
		src       string
		want, not []string
	}{
		{"Iran **objects** to item 5.", []string{"<p>Iran <strong>objects</strong> to item 5.</p>"}, nil},
		{"- one\n- two", []string{"<ul>", "<li>one</li>"}, nil},
		{"<script>alert(1)</script>text", nil, []string{"<script", "alert(1)</script>"}},
		{"[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{`<a href="https://example.org" onclick="x()">a</a>`, nil, []string{"onclick"}},
		{"![i](https://example.org/i.png)", []string{"<img"}, []string{"onerror"}},
		{"الفقرة **٩**", []string{"<strong>٩</strong>"}, nil},
	} {
		got := string(markup.Render(c.src))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("Render(%q) = %q, want %q in it", c.src, got, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("Render(%q) = %q carries %q", c.src, got, n)
			}
		}
	}
}
