package web

import (
	"fmt"
	"html/template"
	"reflect"
	"sort"
	"strings"
	"testing"
	"text/template/parse"
)

// TestPageViews checks every typed page's template against its view type:
// each field chain through .Data (directly, through $, a variable, with,
// range, or a partial) must resolve on the type by reflection. A chain the
// checker cannot follow (through an interface) is reported too.
func TestPageViews(t *testing.T) {
	t.Parallel()
	tm, err := parseTemplatesFS(templateFS) // unexecuted: escaping rewrites the trees it walks
	if err != nil {
		t.Fatal(err)
	}
	for name := range tm.pages {
		if _, typed := pageViews[name]; !typed {
			t.Errorf("page %q has no view type in pageViews", name)
		}
	}
	for name := range pageViews {
		if tm.pages[name] == nil {
			t.Errorf("pageViews names %q, which is no page", name)
		}
	}
	names := make([]string, 0, len(pageViews))
	for n := range pageViews {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if tm.pages[name] == nil {
			continue
		}
		for _, e := range checkPageView(tm.pages[name], pageViews[name]) {
			t.Errorf("%s: %s", name, e)
		}
	}
	// The layout reads the page, never its data.
	for _, e := range checkPageView(tm.layout, nil, "layout.html") {
		t.Errorf("layout: %s", e)
	}
}

// TestPageViewsCatchMistakes proves the check on tiny templates: a misspelt
// field is found wherever the chain starts.
func TestPageViewsCatchMistakes(t *testing.T) {
	t.Parallel()
	type item struct{ Text string }
	type view struct {
		Name  string
		Items []item
		Org   *struct{ ID int64 }
		Any   any
		Tags  map[string]int
	}
	cases := []struct {
		name, src, want string // want: "" for no error, else a part of it
		defs            string
	}{
		{name: "fine", src: `{{.Data.Name}}{{range .Data.Items}}{{.Text}}{{end}}{{with .Data.Org}}{{.ID}}{{end}}{{index .Data.Tags "x"}}{{.T "k"}}`},
		{name: "misspelt", src: `{{.Data.Nmae}}`, want: "no field Nmae"},
		{name: "through $", src: `{{range .Data.Items}}{{$.Data.Nmae}}{{end}}`, want: "no field Nmae"},
		{name: "in range", src: `{{range .Data.Items}}{{.Txt}}{{end}}`, want: "no field Txt"},
		{name: "in with", src: `{{with .Data.Org}}{{.Id}}{{end}}`, want: "no field Id"},
		{name: "variable", src: `{{$d := .Data}}{{$d.Nmae}}`, want: "no field Nmae"},
		{name: "range variable", src: `{{range $i, $x := .Data.Items}}{{$x.Txt}}{{end}}`, want: "no field Txt"},
		{name: "argument", src: `{{.T "k" "n" .Data.Nmae}}`, want: "no field Nmae"},
		{name: "partial", src: `{{template "pager" .}}`, want: "no field Pager"},
		{name: "tuple", src: `{{template "sub" (list2 . .Data.Org)}}`, want: "no field Nope", defs: `{{define "sub"}}{{$p := index . 0}}{{$o := index . 1}}{{$p.Data.Name}}{{$o.Nope}}{{end}}`},
		{name: "interface", src: `{{.Data.Any.Name}}`, want: "cannot follow"},
		{name: "page field", src: `{{.Titel}}`, want: "no field Titel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			partials, _ := templateFS.ReadFile("templates/shared/partials.html")
			tm := template.Must(template.New("p").Funcs(template.FuncMap{"list2": func(a, b any) []any { return nil }, "add": func(a, b int) int { return 0 },
				"list": func(...string) []string { return nil }}).Parse(string(partials)))
			template.Must(tm.New("c").Parse(`{{define "content"}}` + c.src + `{{end}}` + c.defs))
			errs := checkPageView(tm, view{})
			got := strings.Join(errs, "; ")
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("errors %q, want %q", got, c.want)
			}
		})
	}
}

// vtype is what the checker knows of a value: its Go type, or, for the
// result of list2, the types of its elements. A nil *vtype is unknown.
type vtype struct {
	t     reflect.Type
	tuple []*vtype
}

var (
	pageType = reflect.TypeFor[*Page]()
	anyT     = &vtype{t: reflect.TypeFor[any]()}
	// badT follows a chain already reported, silently.
	badT = &vtype{}
)

func typeOf(t reflect.Type) *vtype { return &vtype{t: t} }

// viewChecker walks a page's templates with the types of dot and of the
// variables, and collects the chains that do not resolve.
type viewChecker struct {
	set  *template.Template
	view *vtype // the type of .Data; nil for a page without data
	tree *parse.Tree
	errs []string
	seen map[string]bool // partials walked, by name and argument type
}

// checkPageView checks template root (default "content") of set with Page
// and its view's type.
func checkPageView(set *template.Template, view any, root ...string) []string {
	c := &viewChecker{set: set, seen: map[string]bool{}}
	if view != nil {
		c.view = typeOf(reflect.TypeOf(view))
	}
	name := "content"
	if len(root) > 0 {
		name = root[0]
	}
	tt := set.Lookup(name)
	if tt == nil || tt.Tree == nil {
		return []string{"no template " + name}
	}
	page := typeOf(pageType)
	c.walkTree(tt.Tree, page)
	return c.errs
}

func (c *viewChecker) walkTree(tree *parse.Tree, dot *vtype) {
	prev := c.tree
	c.tree = tree
	c.walk(tree.Root, dot, map[string]*vtype{"$": dot})
	c.tree = prev
}

// report notes a chain that does not resolve; what follows from it is badT.
func (c *viewChecker) report(n parse.Node, format string, args ...any) *vtype {
	loc, _ := c.tree.ErrorContext(n)
	c.errs = append(c.errs, loc+": "+fmt.Sprintf(format, args...))
	return badT
}

func copyVars(v map[string]*vtype) map[string]*vtype {
	out := make(map[string]*vtype, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}

func (c *viewChecker) walk(n parse.Node, dot *vtype, vars map[string]*vtype) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			c.walk(x, dot, vars)
		}
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, vars)
	case *parse.IfNode:
		c.pipe(n.Pipe, dot, vars)
		c.walk(n.List, dot, copyVars(vars))
		c.walk(n.ElseList, dot, copyVars(vars))
	case *parse.WithNode:
		inner := copyVars(vars)
		t := c.pipe(n.Pipe, dot, inner)
		c.walk(n.List, t, inner)
		c.walk(n.ElseList, dot, copyVars(vars))
	case *parse.RangeNode:
		inner := copyVars(vars)
		decl := n.Pipe.Decl
		n.Pipe.Decl = nil
		t := c.pipe(n.Pipe, dot, inner)
		n.Pipe.Decl = decl
		key, elem := c.elems(n, t)
		switch len(decl) {
		case 1:
			inner[decl[0].Ident[0]] = elem
		case 2:
			inner[decl[0].Ident[0]], inner[decl[1].Ident[0]] = key, elem
		}
		c.walk(n.List, elem, inner)
		c.walk(n.ElseList, dot, copyVars(vars))
	case *parse.TemplateNode:
		var arg *vtype
		if n.Pipe != nil {
			arg = c.pipe(n.Pipe, dot, vars)
		}
		tt := c.set.Lookup(n.Name)
		if tt == nil || tt.Tree == nil {
			c.report(n, "no template %q", n.Name)
			return
		}
		key := n.Name + "\x00" + describe(arg)
		if c.seen[key] {
			return
		}
		c.seen[key] = true
		c.walkTree(tt.Tree, arg)
	}
}

func describe(t *vtype) string {
	if t == nil {
		return "?"
	}
	if t.tuple != nil {
		var s []string
		for _, e := range t.tuple {
			s = append(s, describe(e))
		}
		return "(" + strings.Join(s, ",") + ")"
	}
	return t.t.String()
}

// elems is the key and element type of ranging over t.
func (c *viewChecker) elems(n parse.Node, t *vtype) (key, elem *vtype) {
	if t == badT {
		return badT, badT
	}
	if t == nil || t.t == nil {
		if t != nil && t.tuple != nil {
			return typeOf(reflect.TypeFor[int]()), nil
		}
		return badT, c.report(n, "cannot follow range over a value of unknown type")
	}
	rt := t.t
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	switch rt.Kind() {
	case reflect.Slice, reflect.Array:
		return typeOf(reflect.TypeFor[int]()), typeOf(rt.Elem())
	case reflect.Map:
		return typeOf(rt.Key()), typeOf(rt.Elem())
	case reflect.Int, reflect.Int64:
		return typeOf(rt), typeOf(rt)
	}
	return badT, c.report(n, "cannot follow range over %s", rt)
}

// pipe is the type of a pipeline, declaring its variables.
func (c *viewChecker) pipe(p *parse.PipeNode, dot *vtype, vars map[string]*vtype) *vtype {
	if p == nil {
		return nil
	}
	var t *vtype
	for i, cmd := range p.Cmds {
		var piped *vtype
		if i > 0 {
			piped = t
		}
		t = c.command(cmd, dot, vars, piped)
	}
	for _, v := range p.Decl {
		vars[v.Ident[0]] = t
	}
	return t
}

func (c *viewChecker) command(cmd *parse.CommandNode, dot *vtype, vars map[string]*vtype, piped *vtype) *vtype {
	args := make([]*vtype, 0, len(cmd.Args))
	for _, a := range cmd.Args[1:] {
		args = append(args, c.arg(a, dot, vars))
	}
	if piped != nil {
		args = append(args, piped)
	}
	switch first := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return c.function(first, cmd.Args[1:], args)
	default:
		return c.arg(first, dot, vars)
	}
}

// arg is the type of one operand.
func (c *viewChecker) arg(n parse.Node, dot *vtype, vars map[string]*vtype) *vtype {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.follow(n, dot, n.Ident)
	case *parse.VariableNode:
		v, ok := vars[n.Ident[0]]
		if !ok {
			return c.report(n, "undeclared variable %s", n.Ident[0])
		}
		return c.follow(n, v, n.Ident[1:])
	case *parse.ChainNode:
		return c.follow(n, c.arg(n.Node, dot, vars), n.Field)
	case *parse.PipeNode:
		return c.pipe(n, dot, copyVars(vars))
	case *parse.StringNode:
		return typeOf(reflect.TypeFor[string]())
	case *parse.NumberNode:
		if n.IsInt {
			return typeOf(reflect.TypeFor[int]())
		}
		return typeOf(reflect.TypeFor[float64]())
	case *parse.BoolNode:
		return typeOf(reflect.TypeFor[bool]())
	case *parse.IdentifierNode:
		return c.function(n, nil, nil)
	}
	return anyT
}

// function is the result type of a template function.
func (c *viewChecker) function(id *parse.IdentifierNode, nodes []parse.Node, args []*vtype) *vtype {
	str, boolean, integer := typeOf(reflect.TypeFor[string]()), typeOf(reflect.TypeFor[bool]()), typeOf(reflect.TypeFor[int]())
	switch id.Ident {
	case "list2":
		return &vtype{tuple: args}
	case "list":
		return typeOf(reflect.TypeFor[[]string]())
	case "add", "len":
		return integer
	case "eq", "ne", "lt", "le", "gt", "ge", "not":
		return boolean
	case "and", "or":
		// Either operand: known only when they agree.
		if len(args) > 0 && args[0] != nil {
			for _, a := range args[1:] {
				if a == nil || a.t != args[0].t {
					return anyT
				}
			}
			return args[0]
		}
		return anyT
	case "index":
		if len(args) == 0 {
			return nil
		}
		t := args[0]
		for i, a := range nodes[1:] {
			t = c.index(a, t, args[i+1])
		}
		return t
	case "slice":
		if len(args) > 0 {
			return args[0]
		}
	case "print", "printf", "println", "html", "js", "urlquery", "date", "upper", "hex":
		return str
	}
	return anyT
}

// index is the type of t indexed by the operand n.
func (c *viewChecker) index(n parse.Node, t, _ *vtype) *vtype {
	if t == badT {
		return badT
	}
	if t == nil || t.t == nil && t.tuple == nil {
		return c.report(n, "cannot follow index of a value of unknown type")
	}
	if t.tuple != nil {
		if num, ok := n.(*parse.NumberNode); ok && num.IsInt && int(num.Int64) < len(t.tuple) {
			return t.tuple[num.Int64]
		}
		return c.report(n, "cannot follow index %s of a list2", n)
	}
	rt := t.t
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	switch rt.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return typeOf(rt.Elem())
	case reflect.String:
		return typeOf(reflect.TypeFor[byte]())
	}
	return c.report(n, "cannot index %s", rt)
}

// follow resolves the field, method or key names idents from t.
func (c *viewChecker) follow(n parse.Node, t *vtype, idents []string) *vtype {
	for _, id := range idents {
		if t == badT {
			return badT
		}
		if t == nil || t.t == nil || t.t.Kind() == reflect.Interface {
			return c.report(n, "cannot follow .%s: the value's type is unknown (%s)", id, describe(t))
		}
		rt := t.t
		if id == "Data" && (rt == pageType || rt == pageType.Elem()) {
			if c.view == nil {
				return c.report(n, ".Data on a page without data")
			}
			t = c.view
			continue
		}
		if m, ok := method(rt, id); ok {
			if m.Type.NumOut() == 0 {
				return c.report(n, "method %s of %s returns nothing", id, rt)
			}
			t = typeOf(m.Type.Out(0))
			continue
		}
		for rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		switch rt.Kind() {
		case reflect.Struct:
			f, ok := rt.FieldByName(id)
			if !ok || !f.IsExported() {
				return c.report(n, "no field %s in %s", id, rt)
			}
			t = typeOf(f.Type)
		case reflect.Map:
			if rt.Key().Kind() != reflect.String {
				return c.report(n, "cannot follow .%s: %s has no string keys", id, rt)
			}
			t = typeOf(rt.Elem())
		default:
			return c.report(n, "no field %s in %s", id, rt)
		}
	}
	return t
}

// method finds an exported method of rt or of a pointer to it.
func method(rt reflect.Type, name string) (reflect.Method, bool) {
	if m, ok := rt.MethodByName(name); ok {
		return m, true
	}
	if rt.Kind() != reflect.Pointer && rt.Kind() != reflect.Interface {
		return reflect.PointerTo(rt).MethodByName(name)
	}
	return reflect.Method{}, false
}
