package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestQueryDeclared: every query parameter a page reads is declared in
// pageQuery, or the canonical request would drop it before the handler
// runs. It reads this package's sources for q.Get("…") and
// URL.Query().Get("…").
func TestQueryDeclared(t *testing.T) {
	t.Parallel()
	declared := slices.Clone(everyPageQuery)
	for _, ps := range pageQuery {
		declared = append(declared, ps...)
	}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "cachekey.go" { // cachekey.go reads the API's ?lang=
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(x ast.Node) bool {
			call, ok := x.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Get" || !fromQuery(sel.X) {
				return true
			}
			var name string
			switch a := call.Args[0].(type) {
			case *ast.BasicLit:
				name, _ = strconv.Unquote(a.Value)
			case *ast.BinaryExpr: // "person" + i
				if l, ok := a.X.(*ast.BasicLit); ok {
					p, _ := strconv.Unquote(l.Value)
					name = p + "1"
				}
			}
			n++
			// A name from a variable (agendas' from/to loop) is not checked.
			if name != "" && !slices.Contains(declared, name) {
				t.Errorf("%s: query parameter %q is read but not declared in pageQuery", fset.Position(call.Pos()), name)
			}
			return true
		})
	}
	if n < 10 {
		t.Fatalf("found only %d query reads: the scan is broken", n)
	}
}

// fromQuery reports whether x is q or ….Query().
func fromQuery(x ast.Expr) bool {
	switch e := x.(type) {
	case *ast.Ident:
		return e.Name == "q"
	case *ast.CallExpr:
		sel, ok := e.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Query"
	}
	return false
}
