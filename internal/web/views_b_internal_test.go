package web

import (
	"reflect"
	"regexp"
	"testing"
)

// TestViewsBFields checks that every field the decision, rule, topic,
// briefer, agenda and co-facilitator templates read from .Data (directly,
// or through a variable bound to .Data) is a field of the page's view:
// with a map a misspelt key showed nothing, with a struct it fails the
// page, so it is caught here first.
func TestViewsBFields(t *testing.T) {
	direct := regexp.MustCompile(`\.Data\.([A-Z][A-Za-z0-9]*)`)
	bound := regexp.MustCompile(`(\$[a-z][A-Za-z0-9]*) := \.Data\}\}`)
	for name, view := range viewsB {
		b, err := templateFS.ReadFile("templates/" + name + ".html")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		typ := reflect.TypeOf(view)
		fields := map[string]bool{}
		for _, m := range direct.FindAllSubmatch(b, -1) {
			fields[string(m[1])] = true
		}
		for _, m := range bound.FindAllSubmatch(b, -1) {
			re := regexp.MustCompile(regexp.QuoteMeta(string(m[1])) + `\.([A-Z][A-Za-z0-9]*)`)
			for _, f := range re.FindAllSubmatch(b, -1) {
				fields[string(f[1])] = true
			}
		}
		if len(fields) == 0 {
			t.Errorf("%s: reads nothing from .Data", name)
		}
		for f := range fields {
			if _, ok := typ.FieldByName(f); !ok {
				t.Errorf("template %s reads .Data.%s, which %s lacks", name, f, typ.Name())
			}
		}
	}
}
