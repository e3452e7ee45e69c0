package apply_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// services are the application services whose writes take the one shape.
var services = []string{"accredit", "decide", "agendasvc", "cofac", "meetings", "pocs", "digest", "signup", "documents", "search", "statements", "portal", "privacy", "delegations", "fundsvc", "exercises", "normsvc"}

// parseServices parses the services' non-test sources.
func parseServices(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, dir := range services {
		names, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = f
		}
	}
	if len(files) == 0 {
		t.Fatal("no service sources found")
	}
	return fset, files
}

// TestEveryWriteIsAnApplyWrite fails when a service opens a transaction of
// its own (DB.Update with a closure) instead of running an apply.Write.
func TestEveryWriteIsAnApplyWrite(t *testing.T) {
	fset, files := parseServices(t)
	writes := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Update" && len(n.Args) == 3 {
					if _, ok := n.Args[2].(*ast.FuncLit); ok {
						t.Errorf("%s: a write outside apply.Write", fset.Position(n.Pos()))
					}
				}
			case *ast.CompositeLit:
				if isApplyWrite(n.Type) {
					writes++
				}
			}
			return true
		})
	}
	if writes < 20 {
		t.Errorf("found %d apply.Write literals; the services have more writes than that (is the check still finding them?)", writes)
	}
}

// TestWritesReadOnlyTheirTransaction fails when a step of a write (Load,
// Allow, Change, Save, Notices of an apply.Write), or a function that reads
// through a store.Reader or writes through a *store.Tx, can reach the pool:
// through the service's DB, the request's context (every pool read takes
// one) or a context package call. Such a read would see data outside the
// transaction the write decides on. Send runs after the commit and is
// exempt.
func TestWritesReadOnlyTheirTransaction(t *testing.T) {
	fset, files := parseServices(t)
	checked := 0
	check := func(where string, body ast.Node, outer *ast.FuncType) {
		checked++
		// The names the transaction goes by in here: its Context is the
		// request's.
		tx := storeParams(outer)
		ast.Inspect(body, func(n ast.Node) bool {
			if fl, ok := n.(*ast.FuncLit); ok {
				for name := range storeParams(fl.Type) {
					tx[name] = true
				}
			}
			return true
		})
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if n.Name == "ctx" {
					t.Errorf("%s: %s uses the request's context: a pool read?", fset.Position(n.Pos()), where)
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "context" {
					t.Errorf("%s: %s makes a context: a pool read?", fset.Position(n.Pos()), where)
				}
				x, _ := n.X.(*ast.Ident)
				if n.Sel.Name == "DB" || n.Sel.Name == "db" || (n.Sel.Name == "Context" && x != nil && tx[x.Name]) {
					t.Errorf("%s: %s reaches .%s: read through the transaction's Reader instead", fset.Position(n.Pos()), where, n.Sel.Name)
				}
			}
			return true
		})
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if !isApplyWrite(n.Type) {
					return true
				}
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					if key == nil || key.Name == "Send" || key.Name == "Actor" {
						continue
					}
					check("the write's "+key.Name+" step", kv.Value, nil)
				}
			case *ast.FuncLit:
				if readsTheStore(n.Type) {
					check("a function of the write", n.Body, n.Type)
				}
			case *ast.FuncDecl:
				if readsTheStore(n.Type) && n.Body != nil {
					check(n.Name.Name, n.Body, n.Type)
				}
			}
			return true
		})
	}
	if checked < 40 {
		t.Errorf("checked %d steps and functions; is the check still finding them?", checked)
	}
}

// isApplyWrite reports whether a composite literal's type is apply.Write[T].
func isApplyWrite(typ ast.Expr) bool {
	ix, ok := typ.(*ast.IndexExpr)
	if !ok {
		return false
	}
	sel, ok := ix.X.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "apply" && sel.Sel.Name == "Write"
}

// storeParams names ft's parameters of type store.Reader or *store.Tx.
func storeParams(ft *ast.FuncType) map[string]bool {
	out := map[string]bool{}
	if ft == nil {
		return out
	}
	for _, p := range ft.Params.List {
		if isStoreType(p.Type) {
			for _, n := range p.Names {
				out[n.Name] = true
			}
		}
	}
	return out
}

// readsTheStore reports whether a function takes a store.Reader or a
// *store.Tx: it runs inside a write, or may.
func readsTheStore(ft *ast.FuncType) bool {
	for _, p := range ft.Params.List {
		if isStoreType(p.Type) {
			return true
		}
	}
	return false
}

// isStoreType reports whether typ is store.Reader or *store.Tx.
func isStoreType(typ ast.Expr) bool {
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	sel, ok := typ.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "store" && (sel.Sel.Name == "Reader" || sel.Sel.Name == "Tx")
}
