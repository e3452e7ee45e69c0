package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/audit"
	"concord/internal/i18n"
)

// TestEveryWrittenActionHasASentence: every action the code can write to
// the procedural log has its sentence in the six catalogues, so that the
// public log never shows a raw code ("accreditation.letter" did). The
// actions are read from the source: every string literal shaped like an
// action of one of the log's kinds that is neither a message id nor a
// permission (a constant of type Action). Actions built from parts
// ("accreditation."+action) are the registry's (audit's actions), whose
// sentences TestLogPageReadable checks.
func TestEveryWrittenActionHasASentence(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	messages := map[string]bool{}
	for _, id := range cat.IDs("en") {
		messages[id] = true
	}
	shape := regexp.MustCompile(`^(` + strings.Join(audit.Kinds, "|") + `)\.[a-z_]+(\.[a-z_]+)*$`)
	found := map[string]string{} // action -> where
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "node_modules" || n == "e2e" || n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				// Permissions are constants of type Action, not log actions.
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Action" {
					return false
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err == nil && shape.MatchString(s) && !messages[s] {
					found[s] = fset.Position(n.Pos()).String()
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 40 {
		t.Fatalf("%d actions found in the source: the scan is broken", len(found))
	}
	for _, action := range slices.Sorted(maps.Keys(found)) {
		id := audit.TextID(action)
		if id == "log.do.other" {
			t.Errorf("%s: action %q has no sentence on the log (add it to audit's actions and log.do.%s to the catalogues)", found[action], action, action)
			continue
		}
		for _, lang := range concord.Languages {
			if cat.T(lang, id, map[string]any{"ID": "1"}) == id {
				t.Errorf("%s: no sentence for %q in %s", found[action], action, lang)
			}
		}
	}
}
