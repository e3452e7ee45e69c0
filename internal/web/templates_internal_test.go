package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestTemplateNamesUnique: pages are rendered by their file's base name, so
// two pages of the same name in different folders stop the start-up, and so
// does a page outside the folders (it would be missed).
func TestTemplateNamesUnique(t *testing.T) {
	t.Parallel()
	layout, _ := templateFS.ReadFile("templates/shared/layout.html")
	partials, _ := templateFS.ReadFile("templates/shared/partials.html")
	page := []byte(`{{define "content"}}x{{end}}`)
	fsys := fstest.MapFS{
		"templates/shared/layout.html":   {Data: layout},
		"templates/shared/partials.html": {Data: partials},
		"templates/decision/list.html":   {Data: page},
		"templates/agenda/list.html":     {Data: page},
	}
	_, err := parseTemplatesFS(fsys)
	if err == nil || !strings.Contains(err.Error(), `"list"`) {
		t.Fatalf("duplicate page name: err = %v, want one naming it", err)
	}
	delete(fsys, "templates/agenda/list.html")
	fsys["templates/list.html"] = &fstest.MapFile{Data: page}
	if _, err := parseTemplatesFS(fsys); err == nil || !strings.Contains(err.Error(), "templates/list.html") {
		t.Errorf("a page outside the folders: err = %v, want one naming it", err)
	}
	delete(fsys, "templates/list.html")
	tm, err := parseTemplatesFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if tm.pages["list"] == nil {
		t.Error("a page in a folder is not found by its base name")
	}
}
