package markup

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	cases := []struct {
		in      string
		want    []string
		mustNot []string
	}{
		{"We need **help** with a *CERT*.", []string{"<strong>help</strong>", "<em>CERT</em>"}, nil},
		{"# Needs\n\n- one\n- two", []string{"<h3>Needs</h3>", "<li>one</li>"}, []string{"<h1>"}},
		{"<script>alert(1)</script>\n\nhello <b onclick=x>b</b>", []string{"hello"}, []string{"<script", "onclick", "<b "}},
		{"[x](javascript:alert(1)) ![i](data:text/html,x)", nil, []string{"javascript:", "data:text/html"}},
		{"[UNODA](https://disarmament.unoda.org)", []string{`<a href="https://disarmament.unoda.org">UNODA</a>`}, nil},
	}
	for _, c := range cases {
		got := string(Render(c.in))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("Render(%q) = %q, want %q in it", c.in, got, w)
			}
		}
		for _, w := range c.mustNot {
			if strings.Contains(got, w) {
				t.Errorf("Render(%q) = %q, must not hold %q", c.in, got, w)
			}
		}
	}
}
