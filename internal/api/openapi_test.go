package api_test

// These tests keep openapi.json honest: the document must list exactly the
// routes of (*API).Routes, be a well-formed OpenAPI 3.1 document, and every
// response the real server sends (successes and errors) must match the
// schema the document gives for that operation and status.

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"maps"
	"mime"
	multipartpkg "mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/api"
	"concord/internal/app"
	"concord/internal/auth"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadDoc decodes the embedded document; numbers stay json.Number so that
// integers are told apart from fractions.
func loadDoc(t *testing.T) map[string]any {
	t.Helper()
	v, err := decodeJSON(api.OpenAPI())
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("openapi.json is not an object")
	}
	return doc
}

// decodeJSON decodes exactly one JSON value.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string { s, _ := v.(string); return s }

// pointer resolves a local reference "#/a/b~1c".
func pointer(root any, ref string) (any, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("%q is not a local reference", ref)
	}
	p := strings.TrimPrefix(ref, "#")
	if p == "" {
		return root, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("%q: pointer must start with /", ref)
	}
	cur := root
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("%q: no %q", ref, tok)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("%q: bad index %q", ref, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q: cannot descend into %T at %q", ref, cur, tok)
		}
	}
	return cur, nil
}

// deref follows $ref chains (components/responses, parameters, schemas).
func deref(root, v any) (map[string]any, error) {
	m := obj(v)
	for seen := 0; m != nil; seen++ {
		r, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		if seen > 20 {
			return nil, fmt.Errorf("reference loop at %q", r)
		}
		t, err := pointer(root, r)
		if err != nil {
			return nil, err
		}
		m = obj(t)
	}
	return nil, fmt.Errorf("not an object")
}

// operation is one documented operation with its path-level parameters merged.
type operation struct {
	method, path string
	op           map[string]any
	params       []map[string]any
}

func (o operation) key() string { return strings.ToUpper(o.method) + " " + o.path }

func operations(t *testing.T, doc map[string]any) map[string]operation {
	t.Helper()
	out := map[string]operation{}
	for p, item := range obj(doc["paths"]) {
		it := obj(item)
		for _, m := range methods {
			op := obj(it[m])
			if op == nil {
				continue
			}
			o := operation{method: m, path: p, op: op}
			byKey := map[string]map[string]any{}
			var order []string
			for _, lst := range [][]any{list(it["parameters"]), list(op["parameters"])} {
				for _, raw := range lst {
					pm, err := deref(doc, raw)
					if err != nil {
						t.Fatalf("%s %s: parameter: %v", m, p, err)
					}
					k := str(pm["in"]) + ":" + str(pm["name"])
					if _, ok := byKey[k]; !ok {
						order = append(order, k)
					}
					byKey[k] = pm // operation level overrides path level
				}
			}
			for _, k := range order {
				o.params = append(o.params, byKey[k])
			}
			out[o.key()] = o
		}
	}
	return out
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	ops := operations(t, doc)
	routes := (&api.API{}).Routes()
	routeKeys := map[string]api.Route{}
	for _, rt := range routes {
		k := rt.Method + " " + rt.Path
		if _, dup := routeKeys[k]; dup {
			t.Errorf("route %s listed twice", k)
		}
		routeKeys[k] = rt
		if _, ok := ops[k]; !ok {
			t.Errorf("route %s is not described in openapi.json", k)
		}
	}
	for k := range ops {
		if _, ok := routeKeys[k]; !ok {
			t.Errorf("openapi.json describes %s, which is not a route", k)
		}
	}

	decodes, readsBody := bodyUse(t)
	wildcard := regexp.MustCompile(`\{([^}]*)\}`)
	ids := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(ops)) {
		o := ops[k]
		id := str(o.op["operationId"])
		if id == "" {
			t.Errorf("%s: no operationId", k)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("%s: operationId %q also used by %s", k, id, prev)
		}
		ids[id] = k
		if str(o.op["summary"]) == "" || str(o.op["description"]) == "" || len(list(o.op["tags"])) == 0 {
			t.Errorf("%s: needs a summary, a description and a tag", k)
		}
		responses := obj(o.op["responses"])
		has2xx := false
		for status := range responses {
			if len(status) == 3 && status[0] == '2' {
				has2xx = true
			}
		}
		if !has2xx {
			t.Errorf("%s: no 2xx response", k)
		}

		// Path wildcards and path parameters agree.
		var inPath, declared []string
		for _, m := range wildcard.FindAllStringSubmatch(o.path, -1) {
			inPath = append(inPath, m[1])
		}
		for _, p := range o.params {
			if str(p["in"]) == "path" {
				declared = append(declared, str(p["name"]))
				if p["required"] != true {
					t.Errorf("%s: path parameter %q must be required", k, p["name"])
				}
			}
			if obj(p["schema"]) == nil {
				t.Errorf("%s: parameter %q has no schema", k, p["name"])
			}
		}
		slices.Sort(inPath)
		slices.Sort(declared)
		if !slices.Equal(inPath, declared) {
			t.Errorf("%s: path wildcards %v, declared path parameters %v", k, inPath, declared)
		}

		rt, ok := routeKeys[k]
		if !ok {
			continue
		}
		// Security follows the route's permission: public routes need no
		// session (none listed, or the empty requirement {} among them);
		// the others require one.
		sec, hasSec := o.op["security"]
		anonymous := !hasSec || slices.ContainsFunc(list(sec), func(r any) bool { return len(obj(r)) == 0 })
		if rt.Action == concord.ActRead && !anonymous {
			t.Errorf("%s: public route, but the operation requires a session", k)
		}
		if rt.Action != concord.ActRead {
			if anonymous || len(list(sec)) == 0 {
				t.Errorf("%s: route needs %q, but the operation does not require a session", k, rt.Action)
			}
			if responses["401"] == nil {
				t.Errorf("%s: route needs a session, but 401 is not documented", k)
			}
			if rt.Action != concord.ActAccount && responses["403"] == nil {
				t.Errorf("%s: route needs a role, but 403 is not documented", k)
			}
		}
		if rt.Handler != nil && responses["500"] == nil {
			t.Errorf("%s: 500 is not documented", k)
		}
		// The request body follows what the handler reads: a JSON body
		// through decode, or the raw body, or nothing.
		rb, rbErr := deref(doc, o.op["requestBody"])
		switch h := handlerName(rt.Handler); {
		case rt.Handler == nil:
		case decodes[h]:
			if rbErr != nil || rb["required"] != true || obj(obj(rb["content"])["application/json"]) == nil {
				t.Errorf("%s: %s decodes a JSON body; needs a required application/json requestBody", k, h)
			} else if s, err := deref(doc, obj(obj(rb["content"])["application/json"])["schema"]); err != nil || s["additionalProperties"] != false {
				t.Errorf("%s: request schema must refuse unknown fields (additionalProperties: false), as the decoder does", k)
			}
			for _, st := range []string{"413", "415", "422"} {
				if responses[st] == nil {
					t.Errorf("%s: takes a JSON body, but %s is not documented", k, st)
				}
			}
		case readsBody[h]:
			if rbErr != nil || rb["required"] != true || len(obj(rb["content"])) == 0 {
				t.Errorf("%s: %s reads the request body; needs a required requestBody", k, h)
			}
			for _, st := range []string{"413", "415"} {
				if responses[st] == nil {
					t.Errorf("%s: takes a body, but %s is not documented", k, st)
				}
			}
		case o.op["requestBody"] != nil:
			t.Errorf("%s: documents a request body, but %s reads none", k, h)
		}
		if rt.Sample != "" && rt.Sample != rt.Path && !wildcardMatch(rt.Path, rt.Sample) {
			t.Errorf("%s: sample %q does not match the path", k, rt.Sample)
		}
	}
}

// wildcardMatch reports whether path is an instance of the pattern
// "/organizations/{id}".
func wildcardMatch(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" {
				return false
			}
		} else if p != xs[i] {
			return false
		}
	}
	return true
}

// handlerName names the method behind a route's handler, "createOrg".
func handlerName(h api.HandlerFunc) string {
	if h == nil {
		return ""
	}
	name := strings.TrimSuffix(runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name(), "-fm")
	return name[strings.LastIndexByte(name, '.')+1:]
}

// bodyUse parses the package's source and reports, for each function and
// method, whether it decodes a JSON body (calls decode) and whether it reads
// the request body at all (r.Body), directly or through the package's other
// functions.
func bodyUse(t *testing.T) (decodes, reads map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := map[string][]string{}
	decodes, reads = map[string]bool{}, map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn := fd.Name.Name
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					switch f := x.Fun.(type) {
					case *ast.Ident:
						calls[fn] = append(calls[fn], f.Name)
					case *ast.SelectorExpr:
						calls[fn] = append(calls[fn], f.Sel.Name)
					}
				case *ast.SelectorExpr:
					if id, ok := x.X.(*ast.Ident); ok && id.Name == "r" && x.Sel.Name == "Body" {
						reads[fn] = true
					}
				}
				return true
			})
		}
	}
	decodes["decode"] = true
	for changed := true; changed; {
		changed = false
		for fn, cs := range calls {
			for _, c := range cs {
				if decodes[c] && !decodes[fn] {
					decodes[fn], changed = true, true
				}
				if reads[c] && !reads[fn] {
					reads[fn], changed = true, true
				}
			}
		}
	}
	if !decodes["createSession"] || !reads["createSession"] || reads["getOrg"] {
		t.Fatalf("the scan of handler bodies is broken: %v %v", decodes, reads)
	}
	return decodes, reads
}

func TestOpenAPIIsValidJSON3_1(t *testing.T) {
	t.Parallel()
	raw := api.OpenAPI()
	if err := noDuplicateKeys(raw); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	doc := loadDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	info := obj(doc["info"])
	for _, f := range []string{"title", "version", "description"} {
		if str(info[f]) == "" {
			t.Errorf("info.%s is missing", f)
		}
	}
	if lic := obj(info["license"]); str(lic["name"]) == "" || (lic["identifier"] == nil) == (lic["url"] == nil) {
		t.Errorf("info.license needs a name and exactly one of identifier and url: %v", lic)
	}
	if s := list(doc["servers"]); len(s) != 1 || str(obj(s[0])["url"]) != "/api/v1" {
		t.Errorf("servers = %v, want [{url: /api/v1}]", doc["servers"])
	}
	if sec, ok := doc["security"]; !ok || len(list(sec)) != 0 {
		t.Errorf("top-level security = %v, want [] (public by default)", sec)
	}

	// Every $ref resolves, and every component is used.
	used := map[string]bool{}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch c := v.(type) {
		case map[string]any:
			if r, ok := c["$ref"]; ok {
				rs, _ := r.(string)
				if _, err := pointer(doc, rs); err != nil {
					t.Errorf("%s: $ref does not resolve: %v", at, err)
				}
				used[rs] = true
			}
			for k, x := range c {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range c {
				walk(x, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(doc, "#")
	comps := obj(doc["components"])
	for _, kind := range []string{"schemas", "parameters", "responses"} {
		for name := range obj(comps[kind]) {
			if !used["#/components/"+kind+"/"+name] {
				t.Errorf("components.%s.%s is never referenced", kind, name)
			}
		}
	}

	// Security requirements name defined schemes.
	schemes := obj(comps["securitySchemes"])
	for _, want := range []string{"bearerAuth", "sessionCookie", "devSessionCookie"} {
		if schemes[want] == nil {
			t.Errorf("securitySchemes.%s is missing", want)
		}
	}
	if c := obj(schemes["sessionCookie"]); c["in"] != "cookie" || c["name"] != "__Host-concord" {
		t.Errorf("sessionCookie = %v, want the __Host-concord cookie", c)
	}
	if c := obj(schemes["devSessionCookie"]); c["in"] != "cookie" || c["name"] != "concord_session" {
		t.Errorf("devSessionCookie = %v, want the concord_session cookie", c)
	}
	if c := obj(schemes["bearerAuth"]); c["type"] != "http" || c["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v, want http bearer", c)
	}
	for k, o := range operations(t, doc) {
		for _, req := range list(o.op["security"]) {
			for name := range obj(req) {
				if schemes[name] == nil {
					t.Errorf("%s: security names undefined scheme %q", k, name)
				}
			}
		}
	}

	// Every schema keyword is one of JSON Schema 2020-12 or OpenAPI 3.1, so
	// that no constraint is a typo the library would ignore.
	v := newValidator(doc)
	forEachSchema(doc, func(at string, s map[string]any) {
		for kw := range s {
			if !schemaKeywords[kw] {
				t.Errorf("%s: schema keyword %q is not a known keyword", at, kw)
			}
		}
		if p, ok := s["pattern"].(string); ok {
			if _, err := regexp.Compile(p); err != nil {
				t.Errorf("%s: pattern %q: %v", at, p, err)
			}
		}
		// Examples and defaults satisfy their own schema.
		for _, ex := range list(s["examples"]) {
			for _, e := range v.check(s, ex, at+"/examples") {
				t.Errorf("example does not match: %s", e)
			}
		}
		if d, ok := s["default"]; ok {
			for _, e := range v.check(s, d, at+"/default") {
				t.Errorf("default does not match: %s", e)
			}
		}
	})
	// Media type examples satisfy their schema.
	for name, r := range obj(comps["responses"]) {
		for mt, c := range obj(obj(r)["content"]) {
			if ex, ok := obj(c)["example"]; ok {
				for _, e := range v.check(obj(c)["schema"], ex, "#/components/responses/"+name+"/content/"+mt+"/example") {
					t.Errorf("example does not match: %s", e)
				}
			}
		}
	}
}

// noDuplicateKeys reports an object with a repeated key, which
// encoding/json would silently collapse.
func noDuplicateKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	var check func(path string) error
	check = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k := kt.(string)
				if seen[k] {
					return fmt.Errorf("%s: duplicate key %q", path, k)
				}
				seen[k] = true
				if err := check(path + "/" + k); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := check(path + "/" + strconv.Itoa(i)); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	return check("#")
}

// forEachSchema calls f on every schema object in the document: component
// schemas, parameter schemas, and media type schemas, recursively.
func forEachSchema(doc map[string]any, f func(at string, s map[string]any)) {
	var visit func(at string, v any)
	visit = func(at string, v any) {
		s := obj(v)
		if s == nil {
			return
		}
		f(at, s)
		for k, sub := range obj(s["properties"]) {
			visit(at+"/properties/"+k, sub)
		}
		visit(at+"/items", s["items"])
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			visit(at+"/additionalProperties", ap)
		}
		visit(at+"/propertyNames", s["propertyNames"])
		for _, kw := range []string{"oneOf", "anyOf", "allOf"} {
			for i, sub := range list(s[kw]) {
				visit(at+"/"+kw+"/"+strconv.Itoa(i), sub)
			}
		}
	}
	comps := obj(doc["components"])
	for name, s := range obj(comps["schemas"]) {
		visit("#/components/schemas/"+name, s)
	}
	for name, p := range obj(comps["parameters"]) {
		visit("#/components/parameters/"+name+"/schema", obj(p)["schema"])
	}
	inContent := func(at string, v any) {
		for mt, c := range obj(obj(v)["content"]) {
			visit(at+"/content/"+mt+"/schema", obj(c)["schema"])
		}
	}
	for name, r := range obj(comps["responses"]) {
		inContent("#/components/responses/"+name, r)
	}
	for p, item := range obj(doc["paths"]) {
		at := "#/paths/" + strings.ReplaceAll(p, "/", "~1")
		for i, prm := range list(obj(item)["parameters"]) {
			visit(at+"/parameters/"+strconv.Itoa(i)+"/schema", obj(prm)["schema"])
		}
		for _, m := range methods {
			op := obj(obj(item)[m])
			if op == nil {
				continue
			}
			for i, prm := range list(op["parameters"]) {
				visit(at+"/"+m+"/parameters/"+strconv.Itoa(i)+"/schema", obj(prm)["schema"])
			}
			inContent(at+"/"+m+"/requestBody", op["requestBody"])
			for st, r := range obj(op["responses"]) {
				inContent(at+"/"+m+"/responses/"+st, r)
			}
		}
	}
}

// schemaKeywords are the JSON Schema 2020-12 and OpenAPI 3.1 keywords the
// document may use. The library ignores keywords it does not know, so a
// misspelt one ("requried") would constrain nothing; this list catches it.
var schemaKeywords = map[string]bool{
	"$ref": true, "type": true, "required": true, "properties": true, "additionalProperties": true,
	"items": true, "enum": true, "const": true, "pattern": true, "minimum": true, "maximum": true,
	"minLength": true, "maxLength": true, "minItems": true, "maxItems": true, "uniqueItems": true,
	"oneOf": true, "anyOf": true, "allOf": true, "discriminator": true,
	"description": true, "examples": true, "default": true, "format": true, "readOnly": true, "title": true,
	"deprecated": true, "propertyNames": true,
}

// docURL is where the document lives for the schema compiler; references
// "#/components/..." inside it resolve against it.
const docURL = "mem:///openapi.json"

// validator checks JSON values against schemas of openapi.json with
// github.com/santhosh-tekuri/jsonschema/v6, a JSON Schema 2020-12
// implementation (the dialect of OpenAPI 3.1).
type validator struct {
	doc map[string]any
	mu  sync.Mutex
	c   *jsonschema.Compiler
	n   int
	got map[string]*jsonschema.Schema // compiled, by the schema's JSON
}

func newValidator(doc map[string]any) *validator {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // "date-time" must be RFC 3339, not any string
	if err := c.AddResource(docURL, doc); err != nil {
		panic(err)
	}
	return &validator{doc: doc, c: c, got: map[string]*jsonschema.Schema{}}
}

// anchored copies a schema taken out of the document, making its local
// references absolute so that it compiles as a resource of its own.
func anchored(v any) any {
	switch c := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(c))
		for k, x := range c {
			if r, ok := x.(string); ok && k == "$ref" && strings.HasPrefix(r, "#") {
				out[k] = docURL + r
				continue
			}
			out[k] = anchored(x)
		}
		return out
	case []any:
		out := make([]any, len(c))
		for i, x := range c {
			out[i] = anchored(x)
		}
		return out
	}
	return v
}

// compile returns the compiled form of schema, a value from the document.
func (v *validator) compile(schema any) (*jsonschema.Schema, error) {
	key, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.got[string(key)]; ok {
		return s, nil
	}
	v.n++
	u := fmt.Sprintf("mem:///schema/%d.json", v.n)
	if err := v.c.AddResource(u, anchored(schema)); err != nil {
		return nil, err
	}
	s, err := v.c.Compile(u)
	if err != nil {
		return nil, err
	}
	v.got[string(key)] = s
	return s, nil
}

// check returns one message per violation of schema by x, located at "at".
// x is decoded with UseNumber, as the library expects.
func (v *validator) check(schema, x any, at string) []string {
	s, err := v.compile(schema)
	if err != nil {
		return []string{fmt.Sprintf("%s: schema does not compile: %v", at, err)}
	}
	err = s.Validate(x)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{at + ": " + err.Error()}
	}
	var out []string
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil {
			continue
		}
		out = append(out, fmt.Sprintf("%s%s: %s (schema %s)", at, u.InstanceLocation, u.Error, u.KeywordLocation))
	}
	if len(out) == 0 {
		out = append(out, at+": "+ve.Error())
	}
	return out
}

// jsonLD are the JSON-LD keywords the Popolo exports carry by that standard.
var jsonLD = map[string]bool{"@type": true, "@id": true, "@context": true}

// snakeCase is the form of every JSON property name the API sends.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// contract returns one message per place where x breaks the conventions
// every response keeps: snake_case property names, and no zero time
// standing for "unset" (null says that). The keys of an object that the
// document declares as a map (additionalProperties and no properties:
// ISO3 codes, group codes, message arguments) are data, not names.
func (e *env) contract(x, schema any, at string) []string {
	s, _ := deref(e.doc, schema)
	if s != nil {
		for _, kw := range []string{"oneOf", "anyOf"} {
			if bs := list(s[kw]); len(bs) > 0 {
				s = e.branch(x, bs)
			}
		}
	}
	var out []string
	switch c := x.(type) {
	case map[string]any:
		props := obj(s["properties"])
		ap, isMap := s["additionalProperties"].(map[string]any)
		isMap = isMap && props == nil
		for k, v := range c {
			if !isMap && !snakeCase.MatchString(k) && !jsonLD[k] {
				out = append(out, fmt.Sprintf("%s: property %q is not snake_case", at, k))
			}
			var sub any = props[k]
			if isMap {
				sub = ap
			}
			out = append(out, e.contract(v, sub, at+"."+k)...)
		}
	case []any:
		for i, v := range c {
			out = append(out, e.contract(v, s["items"], fmt.Sprintf("%s[%d]", at, i))...)
		}
	case string:
		if strings.Contains(c, "0001-01-01") {
			out = append(out, fmt.Sprintf("%s: %q is the zero time; an unset time is null", at, c))
		}
	}
	return out
}

// branch picks the alternative of a oneOf or anyOf that describes x: for
// an object, the one declaring all its properties.
func (e *env) branch(x any, bs []any) map[string]any {
	for _, b := range bs {
		s, _ := deref(e.doc, b)
		if m, ok := x.(map[string]any); ok {
			props := obj(s["properties"])
			all := props != nil
			for k := range m {
				if _, ok := props[k]; !ok {
					all = false
				}
			}
			if all {
				return s
			}
		}
	}
	return nil
}

func short(x any) string {
	b, _ := json.Marshal(x)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// TestSchemaChecker makes sure the checker, as configured here, can fail: a
// checker that accepts everything would make TestResponsesMatchSchemas
// worthless.
func TestSchemaChecker(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"T": map[string]any{
			"type":                 "object",
			"required":             []any{"a", "n"},
			"additionalProperties": false,
			"properties": map[string]any{
				"a": map[string]any{"type": "string", "pattern": "^[A-Z]{3}$", "minLength": json.Number("3"), "maxLength": json.Number("3")},
				"n": map[string]any{"type": []any{"integer", "null"}, "minimum": json.Number("1"), "maximum": json.Number("200")},
				"e": map[string]any{"type": "string", "enum": []any{"x", "y"}},
				"l": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/U"}},
			},
		},
		"U": map[string]any{"type": "number"},
	}}}
	v := newValidator(doc)
	ref := map[string]any{"$ref": "#/components/schemas/T"}
	cases := []struct {
		json string
		ok   bool
	}{
		{`{"a":"FRA","n":5}`, true},
		{`{"a":"FRA","n":null,"e":"y","l":[1,2.5]}`, true},
		{`{"a":"FRA"}`, false},                   // required
		{`{"a":"FRA","n":5,"z":1}`, false},       // additionalProperties
		{`{"a":"fra","n":5}`, false},             // pattern
		{`{"a":"FRA","n":0}`, false},             // minimum
		{`{"a":"FRA","n":201}`, false},           // maximum
		{`{"a":"FRA","n":1.5}`, false},           // integer
		{`{"a":"FRA","n":"5"}`, false},           // type
		{`{"a":"FRA","n":5,"e":"z"}`, false},     // enum
		{`{"a":"FRA","n":5,"l":["1"]}`, false},   // items via $ref
		{`{"a":"FRA","n":5,"l":{"0":1}}`, false}, // array type
		{`[]`, false},
		{`null`, false},
	}
	for _, c := range cases {
		x, err := decodeJSON([]byte(c.json))
		if err != nil {
			t.Fatal(err)
		}
		errs := v.check(ref, x, "$")
		if (len(errs) == 0) != c.ok {
			t.Errorf("%s: errors %v, want ok=%v", c.json, errs, c.ok)
		}
	}
	if errs := v.check(map[string]any{"type": "object", "propertyNames": map[string]any{"enum": []any{"a"}}}, map[string]any{"b": json.Number("1")}, "$"); len(errs) == 0 {
		t.Errorf("propertyNames was not enforced")
	}
	if errs := v.check(map[string]any{"type": "string", "const": "x"}, "y", "$"); len(errs) == 0 {
		t.Errorf("const was not enforced")
	}
	if errs := v.check(map[string]any{"type": "string", "format": "date-time"}, "2026-12-06 10:00", "$"); len(errs) == 0 {
		t.Errorf("a time that is not RFC 3339 was accepted as date-time")
	}
}

// TestOpenAPIDocumentsQueryParameters finds the query parameters the
// package's handlers read (q.Get("x"), r.URL.Query().Get("x")) and checks
// that the document declares each of them.
func TestOpenAPIDocumentsQueryParameters(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	declared := map[string]bool{}
	for _, o := range operations(t, doc) {
		for _, p := range o.params {
			if p["in"] == "query" {
				declared[str(p["name"])] = true
			}
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	read := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Get" {
				return true
			}
			isQuery := false
			switch x := sel.X.(type) {
			case *ast.Ident:
				isQuery = x.Name == "q"
			case *ast.CallExpr:
				if s, ok := x.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "Query" {
					isQuery = true
				}
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if isQuery && ok && lit.Kind == token.STRING {
				name, _ := strconv.Unquote(lit.Value)
				read[name] = fset.Position(call.Pos()).String()
			}
			return true
		})
	}
	if len(read) == 0 {
		t.Fatal("found no query parameter reads; the scan is broken")
	}
	for name, pos := range read {
		if !declared[name] {
			t.Errorf("%s reads query parameter %q, which no operation documents", pos, name)
		}
	}
}

// env is a real server over a migrated, seeded store.
type env struct {
	t       *testing.T
	srv     *httptest.Server
	doc     map[string]any
	ops     map[string]operation
	v       *validator
	tokens  map[string]string // who -> bearer token
	covered map[string]bool   // operations answered with a 2xx
	db      *store.DB
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

const testPassword = "a-long-test-password"

// demo is a store with the demo data, seeded once per test binary and
// engine and copied for each test that runs on the clock (newEnv's own seed
// then finds the data there). A test that seeds on a clock of its own opens
// a bare store (storetest.Each).
var demo = storetest.NewTemplate("demo", seed.Demo)

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := t.Context()
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	h, err := app.NewHandler(db, slog.New(slog.NewTextHandler(logWriter{t}, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	doc := loadDoc(t)
	return &env{t: t, srv: srv, doc: doc, ops: operations(t, doc), v: newValidator(doc),
		tokens: map[string]string{}, covered: map[string]bool{}, db: db}
}

func createUser(t *testing.T, db *store.DB, u concord.User) *concord.User {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, hash); err != nil {
			return err
		}
		if concord.RequiresTwoFactor(&u) {
			// Its role requires a second factor: without one, every call
			// but setting it up is refused.
			return storetest.EnrolTOTP(tx, u.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return &u
}

// signIn opens a session for user through the API and keeps its token.
func (e *env) signIn(user string) {
	e.t.Helper()
	in := map[string]string{"username": user, "password": testPassword}
	if u, _, err := e.db.UserByUsername(e.t.Context(), user); err == nil && u.TwoFactor {
		in["code"] = storetest.TOTPCode(e.t, e.db, u.ID)
	}
	b := e.do(call{name: "sign in " + user, op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json",
		body: jsonBody(in), status: 201})
	e.tokens[user] = str(obj(b)["token"])
}

// call is one request and what the document and the test expect of it.
type call struct {
	name   string
	op     string // documented operation, "GET /organizations/{id}"
	method string
	path   string // under /api/v1, with the query
	as     string // "" (public), a key of env.tokens, or "cookie:"+key
	ct     string // Content-Type; "" for none
	body   io.Reader
	header map[string]string
	status int
	code   string // expected error code, for errors
	field  string // expected error field, for errors
}

var codeOf = map[int]string{400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
	413: "too_large", 415: "unsupported", 422: "invalid", 429: "too_many", 500: "internal"}

// do sends c and checks the answer against the document: the status is
// documented for the operation, the content type is documented for it, and
// the body matches the schema. It returns the decoded body.
func (e *env) do(c call) any {
	t := e.t
	t.Helper()
	o, ok := e.ops[c.op]
	if !ok {
		t.Fatalf("%s: operation %s is not documented", c.name, c.op)
	}
	if strings.ToUpper(o.method) != c.method || !wildcardMatch(o.path, strings.SplitN(c.path, "?", 2)[0]) {
		t.Fatalf("%s: %s %s is not an instance of %s", c.name, c.method, c.path, c.op)
	}
	e.checkRequest(c, o)
	req, err := http.NewRequestWithContext(t.Context(), c.method, e.srv.URL+"/api/v1"+c.path, c.body)
	if err != nil {
		t.Fatal(err)
	}
	if c.ct != "" {
		req.Header.Set("Content-Type", c.ct)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if who, ok := strings.CutPrefix(c.as, "cookie:"); ok {
		req.AddCookie(&http.Cookie{Name: "concord_session", Value: e.token(who)})
	} else if c.as != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(c.as))
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: reading the body: %v", c.name, err)
	}
	if resp.StatusCode != c.status {
		t.Errorf("%s: %s %s: status %d, want %d: %s", c.name, c.method, c.path, resp.StatusCode, c.status, short(string(raw)))
	}
	st := strconv.Itoa(resp.StatusCode)
	responses := obj(o.op["responses"])
	rdoc := responses[st]
	if rdoc == nil {
		rdoc = responses[st[:1]+"XX"]
	}
	if rdoc == nil {
		rdoc = responses["default"]
	}
	if rdoc == nil {
		t.Errorf("%s: status %d is not documented for %s", c.name, resp.StatusCode, c.op)
		return nil
	}
	r, err := deref(e.doc, rdoc)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	if r["content"] == nil && len(raw) == 0 && resp.StatusCode == http.StatusNoContent {
		e.covered[c.op] = true // documented as no content, and none came
		return nil
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	media := obj(obj(r["content"])[mt])
	if media == nil {
		t.Errorf("%s: %s %d answered with Content-Type %q, which is not documented (%v): %s",
			c.name, c.op, resp.StatusCode, resp.Header.Get("Content-Type"), slices.Sorted(maps.Keys(obj(r["content"]))), short(string(raw)))
		return nil
	}
	body, err := decodeJSON(raw)
	if err != nil {
		t.Errorf("%s: body is not one JSON value: %v: %s", c.name, err, short(string(raw)))
		return nil
	}
	if c.op != "GET /openapi.json" { // the document itself is not data
		broken := e.contract(body, media["schema"], "body")
		for i, msg := range broken {
			if i == 5 {
				t.Errorf("%s: ... and %d more", c.name, len(broken)-i)
				break
			}
			t.Errorf("%s: %s %d breaks the API contract: %s", c.name, c.op, resp.StatusCode, msg)
		}
	}
	errs := e.v.check(media["schema"], body, "body")
	for i, msg := range errs {
		if i == 5 {
			t.Errorf("%s: ... and %d more", c.name, len(errs)-i)
			break
		}
		t.Errorf("%s: %s %d does not match the document: %s", c.name, c.op, resp.StatusCode, msg)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		e.covered[c.op] = true
	}
	if resp.StatusCode >= 400 {
		ed := obj(obj(body)["error"])
		code, field, msg := str(ed["code"]), str(ed["field"]), str(ed["message"])
		if want := codeOf[resp.StatusCode]; code != want {
			t.Errorf("%s: status %d with code %q, want %q", c.name, resp.StatusCode, code, want)
		}
		if c.code != "" && code != c.code {
			t.Errorf("%s: code %q, want %q", c.name, code, c.code)
		}
		if field != c.field {
			t.Errorf("%s: field %q, want %q", c.name, field, c.field)
		}
		if msg == "" || strings.HasPrefix(msg, "error.") {
			t.Errorf("%s: message %q is not a translated message", c.name, msg)
		}
	}
	return body
}

// checkRequest checks that the request only uses documented parameters and,
// when it should succeed, that their values and the body match the document.
func (e *env) checkRequest(c call, o operation) {
	t := e.t
	t.Helper()
	u, err := url.Parse(c.path)
	if err != nil {
		t.Fatal(err)
	}
	success := c.status < 300
	for name, vals := range u.Query() {
		var p map[string]any
		for _, q := range o.params {
			if q["in"] == "query" && q["name"] == name {
				p = q
			}
		}
		if p == nil {
			t.Errorf("%s: query parameter %q is not documented for %s", c.name, name, c.op)
			continue
		}
		if success {
			for _, val := range vals {
				e.checkParam(c, p, val)
			}
		}
	}
	if success {
		segs, pat := strings.Split(u.Path, "/"), strings.Split(o.path, "/")
		for i, s := range pat {
			if strings.HasPrefix(s, "{") {
				for _, p := range o.params {
					if p["in"] == "path" && "{"+str(p["name"])+"}" == s {
						e.checkParam(c, p, segs[i])
					}
				}
			}
		}
		if rb, ok := c.body.(*bytes.Reader); ok && c.status < 300 {
			b := make([]byte, rb.Len())
			rb.Read(b)
			rb.Seek(0, io.SeekStart)
			rbd, err := deref(e.doc, o.op["requestBody"])
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			mt, _, _ := mime.ParseMediaType(c.ct)
			media := obj(obj(rbd["content"])[mt])
			if media == nil {
				t.Errorf("%s: the server accepts a body of type %q, which is not documented for %s", c.name, c.ct, c.op)
				return
			}
			var x any = string(b)
			if mt == "multipart/form-data" {
				return // a file: the server checks what it accepts, not a schema
			}
			if mt == "application/json" {
				if x, err = decodeJSON(b); err != nil {
					t.Fatalf("%s: test body: %v", c.name, err)
				}
			}
			for _, msg := range e.v.check(media["schema"], x, "request") {
				t.Errorf("%s: a request the server accepts does not match the document: %s", c.name, msg)
			}
		}
	}
}

// checkParam checks a raw parameter value against its schema, converting
// it to a number when the schema says integer.
func (e *env) checkParam(c call, p map[string]any, raw string) {
	t := e.t
	t.Helper()
	s, err := deref(e.doc, p["schema"])
	if err != nil {
		t.Fatal(err)
	}
	var x any = raw
	if s["type"] == "integer" {
		x = json.Number(raw)
		if _, err := strconv.ParseInt(raw, 10, 64); err != nil {
			x = raw // reported as a type error below
		}
	}
	for _, msg := range e.v.check(s, x, "parameter "+str(p["name"])) {
		t.Errorf("%s: a value the server accepts does not match the document: %s", c.name, msg)
	}
}

func (e *env) token(who string) string {
	e.t.Helper()
	tok, ok := e.tokens[who]
	if !ok {
		e.t.Fatalf("no token for %q", who)
	}
	return tok
}

func jsonBody(v any) *bytes.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.NewReader(b)
}

func rawBody(s string) *bytes.Reader { return bytes.NewReader([]byte(s)) }

// streamBody hides the length, so the client sends the body chunked.
type streamBody struct{ io.Reader }

func TestResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testResponses)
}

func testResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})

	// Sign in: the one way to a token.
	login := e.signIn
	login("sec")

	// Meta.
	if b := e.do(call{name: "openapi", op: "GET /openapi.json", method: "GET", path: "/openapi.json", status: 200}); b != nil {
		if want, _ := decodeJSON(api.OpenAPI()); !reflect.DeepEqual(b, want) {
			t.Errorf("GET /openapi.json does not serve the embedded document")
		}
	}

	// States and regional groups.
	states := obj(e.do(call{name: "states", op: "GET /states", method: "GET", path: "/states", status: 200}))
	if n := len(list(states["items"])); n < 190 || states["total"] != json.Number(strconv.Itoa(n)) || states["limit"] != json.Number(strconv.Itoa(n)) {
		t.Errorf("GET /states: %d items, total %v, limit %v", n, states["total"], states["limit"])
	}
	weog := obj(e.do(call{name: "states in WEOG", op: "GET /states", method: "GET", path: "/states?group=WEOG", status: 200}))
	for _, s := range list(weog["items"]) {
		if !slices.ContainsFunc(list(obj(s)["regional_groups"]), func(m any) bool { return obj(m)["group"] == "WEOG" }) {
			t.Errorf("GET /states?group=WEOG returned %v", obj(s)["iso3"])
		}
	}
	if len(list(weog["items"])) == 0 || len(list(weog["items"])) >= len(list(states["items"])) {
		t.Errorf("GET /states?group=WEOG: %d of %d States", len(list(weog["items"])), len(list(states["items"])))
	}
	// A State's self-declared development category: the twin of the form.
	createUser(t, db, concord.User{Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"})
	login("del-fra")
	classify := func(name, as, iso3, body string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: "PUT /states/{iso3}/classification", method: "PUT", path: "/states/" + iso3 + "/classification", as: as,
			ct: "application/json", body: rawBody(body), status: status, field: field}))
	}
	if b := classify("classify own State", "del-fra", "FRA", `{"category":"developed"}`, 200, ""); b["category"] != "developed" || b["state"] != "FRA" {
		t.Errorf("PUT /states/FRA/classification: %s", short(b))
	}
	classify("classify own State, lower case", "del-fra", "fra", `{"category":"developing"}`, 200, "")
	classify("classify another State", "del-fra", "DEU", `{"category":"developed"}`, 403, "")
	classify("classify unknown category", "del-fra", "FRA", `{"category":"rich"}`, 422, "category")
	classify("classify an observer", "sec", "PSE", `{"category":"developing"}`, 422, "category")
	classify("classify no State", "sec", "XXX", `{"category":"developing"}`, 404, "")
	classify("classify unauthenticated", "", "FRA", `{"category":"developed"}`, 401, "")
	if s := obj(e.do(call{name: "state", op: "GET /states/{iso3}", method: "GET", path: "/states/FRA", status: 200})); s["iso3"] != "FRA" {
		t.Errorf("GET /states/FRA: iso3 %v", s["iso3"])
	}
	if s := obj(e.do(call{name: "state, lower case", op: "GET /states/{iso3}", method: "GET", path: "/states/tur", status: 200})); s["iso3"] != "TUR" || len(list(s["regional_groups"])) != 2 {
		t.Errorf("GET /states/tur: %v", short(s))
	}
	weogGroup := obj(e.do(call{name: "regional group", op: "GET /regional-groups/{code}", method: "GET", path: "/regional-groups/weog", status: 200}))
	if n := len(list(weogGroup["members"])); n != 29 {
		t.Errorf("GET /regional-groups/weog: %d members, want 29", n)
	}
	e.do(call{name: "no such group", op: "GET /regional-groups/{code}", method: "GET", path: "/regional-groups/XYZ", status: 404})
	scheme := obj(e.do(call{name: "UNCTAD scheme", op: "GET /classification-schemes/{code}", method: "GET", path: "/classification-schemes/unctad-m49", status: 200}))
	if cats := obj(scheme["categories"]); len(cats) != 193 || cats["JPN"] != "developed" || cats["BRA"] != "developing" {
		t.Errorf("GET /classification-schemes/unctad-m49: %d categories, JPN %v, BRA %v", len(cats), cats["JPN"], cats["BRA"])
	}
	e.do(call{name: "no such scheme", op: "GET /classification-schemes/{code}", method: "GET", path: "/classification-schemes/nope", status: 404})
	dels := obj(e.do(call{name: "delegation", op: "GET /states/{iso3}/delegations", method: "GET", path: "/states/fra/delegations", status: 200}))
	if n := len(list(dels["items"])); n == 0 {
		t.Error("GET /states/fra/delegations: the demo's French delegation is missing")
	}
	e.do(call{name: "delegations of no State", op: "GET /states/{iso3}/delegations", method: "GET", path: "/states/XXX/delegations", status: 404})
	groups := obj(e.do(call{name: "regional groups", op: "GET /regional-groups", method: "GET", path: "/regional-groups", status: 200}))
	if len(list(groups["items"])) != 5 {
		t.Errorf("GET /regional-groups: %d groups", len(list(groups["items"])))
	}

	// Organisations: list, filters, pagination.
	all := obj(e.do(call{name: "organisations", op: "GET /organizations", method: "GET", path: "/organizations?limit=200", status: 200}))
	items := list(all["items"])
	if len(items) < 3 || all["limit"] != json.Number("200") {
		t.Fatalf("GET /organizations: %d items, limit %v", len(items), all["limit"])
	}
	pg := obj(e.do(call{name: "organisations page", op: "GET /organizations", method: "GET", path: "/organizations?limit=2&offset=1", status: 200}))
	if !reflect.DeepEqual(list(pg["items"]), items[1:3]) || pg["limit"] != json.Number("2") || pg["offset"] != json.Number("1") || pg["total"] != all["total"] {
		t.Errorf("GET /organizations?limit=2&offset=1 is not items 1..2 of the full list: %s", short(pg))
	}
	for _, f := range []struct{ query, field, want string }{
		{"kind=igo", "kind", "igo"},
		{"kind=stakeholder&type=ngo", "type", "ngo"},
		{"country=usa", "country", "USA"},
	} {
		b := obj(e.do(call{name: "organisations " + f.query, op: "GET /organizations", method: "GET", path: "/organizations?" + f.query, status: 200}))
		if len(list(b["items"])) == 0 {
			t.Errorf("GET /organizations?%s: nothing", f.query)
		}
		for _, o := range list(b["items"]) {
			if obj(o)[f.field] != f.want {
				t.Errorf("GET /organizations?%s returned %s %v", f.query, f.field, obj(o)[f.field])
			}
		}
	}
	if b := obj(e.do(call{name: "organisations q", op: "GET /organizations", method: "GET", path: "/organizations?q=internet", status: 200})); len(list(b["items"])) == 0 {
		t.Errorf("GET /organizations?q=internet: nothing")
	}

	var stakeholder, group map[string]any
	for _, o := range items {
		switch {
		case obj(o)["kind"] == "stakeholder" && stakeholder == nil:
			stakeholder = obj(o)
		case obj(o)["kind"] == "group" && len(list(obj(o)["members"])) == 0 && group == nil:
			group = obj(o)
		}
	}
	if stakeholder == nil || group == nil {
		t.Fatal("the demo data has no stakeholder or no named group")
	}
	stakeholderID, groupID := stakeholder["id"].(json.Number).String(), group["id"].(json.Number).String()
	// The list omits members; the single read has them.
	eu := ""
	for _, o := range items {
		if obj(o)["acronym"] == "EU" {
			eu = obj(o)["id"].(json.Number).String()
		}
	}
	if b := obj(e.do(call{name: "organisation", op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + eu, status: 200})); len(list(b["members"])) != 27 {
		t.Errorf("GET /organizations/%s (EU): %d members", eu, len(list(b["members"])))
	}

	// Create, read back, replace.
	newOrg := map[string]any{"kind": "group", "names": map[string]string{"en": "Test Group", "fr": "Groupe d'essai"},
		"acronym": "TG", "members": []string{"FRA", "SEN"}}
	created := obj(e.do(call{name: "create organisation", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
		ct: "application/json; charset=utf-8", body: jsonBody(newOrg), status: 201}))
	newID := ""
	if n, ok := created["id"].(json.Number); ok {
		newID = n.String()
	} else {
		t.Fatalf("POST /organizations: no id in %s", short(created))
	}
	if got := obj(e.do(call{name: "read created", op: "GET /organizations/{id}", method: "GET", path: "/organizations/" + newID, status: 200})); !reflect.DeepEqual(got, created) {
		t.Errorf("GET after POST differs:\n got %s\nwant %s", short(got), short(created))
	}
	newOrg["names"] = map[string]string{"en": "Renamed Test Group"}
	newOrg["members"] = []string{"SEN"}
	updated := obj(e.do(call{name: "replace organisation", op: "PUT /organizations/{id}", method: "PUT", path: "/organizations/" + newID, as: "sec",
		ct: "application/json", body: jsonBody(newOrg), status: 200}))
	if str(obj(updated["names"])["en"]) != "Renamed Test Group" || !reflect.DeepEqual(updated["members"], []any{"SEN"}) || updated["id"] != created["id"] {
		t.Errorf("PUT result: %s", short(updated))
	}
	// Stakeholder round trip with every field set, by cookie this time.
	full := map[string]any{"kind": "stakeholder", "type": "academia", "names": map[string]string{"en": "Institute", "ar": "معهد"},
		"acronym": "INS", "country": "sen", "website": "https://example.org/x", "ecosoc": "roster"}
	if b := obj(e.do(call{name: "create stakeholder by cookie", op: "POST /organizations", method: "POST", path: "/organizations", as: "cookie:sec",
		ct: "application/json", body: jsonBody(full), status: 201})); b["country"] != "SEN" {
		t.Errorf("country not normalised: %v", b["country"])
	}

	// A focal point edits its own profile, not its kind or members, and
	// nothing else.
	sid, _ := strconv.ParseInt(stakeholderID, 10, 64)
	createUser(t, db, concord.User{Username: "focal", Role: concord.RoleFocalPoint, OrgID: sid})
	login("focal")
	own := map[string]any{"kind": "igo", "type": stakeholder["type"], "names": map[string]string{"en": "Edited by its focal point"},
		"members": []string{"FRA"}, "country": stakeholder["country"]}
	if b := obj(e.do(call{name: "focal point edits its org", op: "PUT /organizations/{id}", method: "PUT", path: "/organizations/" + stakeholderID,
		as: "focal", ct: "application/json", body: jsonBody(own), status: 200})); b["kind"] != "stakeholder" || len(list(b["members"])) != 0 {
		t.Errorf("a focal point changed its kind or members: %s", short(b))
	}
	if b := obj(e.do(call{name: "me, focal point", op: "GET /me", method: "GET", path: "/me", as: "focal", status: 200})); b["role"] != "focal-point" || b["organization_id"] != stakeholder["id"] {
		t.Errorf("GET /me as focal point: %s", short(b))
	}

	// Persons.
	persons := obj(e.do(call{name: "persons", op: "GET /persons", method: "GET", path: "/persons", status: 200}))
	if len(list(persons["items"])) == 0 {
		t.Fatal("GET /persons: nothing")
	}
	pid := obj(list(persons["items"])[0])["id"].(json.Number).String()
	e.do(call{name: "person", op: "GET /persons/{id}", method: "GET", path: "/persons/" + pid, status: 200})
	fra := obj(e.do(call{name: "persons of a State", op: "GET /persons", method: "GET", path: "/persons?state=fra&q=a&limit=10&offset=0", status: 200}))
	if len(list(fra["items"])) == 0 {
		t.Errorf("GET /persons?state=fra: nothing")
	}
	for _, p := range list(fra["items"]) {
		if obj(p)["state"] != "FRA" {
			t.Errorf("GET /persons?state=fra returned %s", short(p))
		}
	}

	// The log: public entries and a count of confidential ones per ended
	// day for the public, whole for the Secretariat.
	pub := obj(e.do(call{name: "public log", op: "GET /log", method: "GET", path: "/log?limit=200", status: 200}))
	for _, l := range list(pub["items"]) {
		if obj(l)["redacted"] == true || obj(l)["seq"] != nil || obj(l)["prev_hash"] != nil {
			t.Errorf("the public log lists a confidential entry or a position: %s", short(l))
		}
	}
	if pub["confidential"] == nil {
		t.Errorf("the public log has no confidential counts")
	}
	// Filters: by kind, subject and days, each item a sentence in the
	// request's language; a kind or subject leaves redacted entries out.
	for _, q := range []string{"kind=organization", "subject=organization", "subject=organization/" + groupID, "from=2000-01-01&to=2999-12-31&lang=ar"} {
		l := obj(e.do(call{name: "log " + q, op: "GET /log", method: "GET", path: "/log?limit=200&" + q, status: 200}))
		if len(list(l["items"])) == 0 {
			t.Errorf("log %s: nothing", q)
		}
		for _, it := range list(l["items"]) {
			m := obj(it)
			if q != "from=2000-01-01&to=2999-12-31&lang=ar" && (m["redacted"] == true || !strings.HasPrefix(str(m["action"]), "organization.")) {
				t.Errorf("log %s: %s", q, short(it))
			}
			if strings.Contains(q, "lang=ar") && m["redacted"] != true && !strings.ContainsAny(str(m["text"]), "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
				t.Errorf("log in Arabic: %s", short(it))
			}
		}
	}
	if l := obj(e.do(call{name: "log of another time", op: "GET /log", method: "GET", path: "/log?from=2000-01-01&to=2000-01-31", status: 200})); len(list(l["items"])) != 0 {
		t.Errorf("log of January 2000: %s", short(l))
	}
	sec := obj(e.do(call{name: "full log", op: "GET /log", method: "GET", path: "/log?limit=5&offset=0", as: "sec", status: 200}))
	for _, l := range list(sec["items"]) {
		if obj(l)["redacted"] == true {
			t.Errorf("the Secretariat sees a redacted entry: %s", short(l))
		}
	}

	e.do(call{name: "popolo", op: "GET /popolo", method: "GET", path: "/popolo", status: 200})
	if b := obj(e.do(call{name: "me", op: "GET /me", method: "GET", path: "/me", as: "sec", status: 200})); b["username"] != "sec" || b["role"] != "secretariat" {
		t.Errorf("GET /me: %s", short(b))
	}
	e.do(call{name: "me by cookie", op: "GET /me", method: "GET", path: "/me", as: "cookie:sec", status: 200})

	// One's own data (issue 11): the export, then the account deleted by
	// its owner with a wrong password refused first; the token ends with it.
	createUser(t, db, concord.User{Username: "leaving", Role: concord.RoleDelegate, State: "SEN"})
	login("leaving")
	e.do(call{name: "my data", op: "GET /me/export", method: "GET", path: "/me/export", as: "leaving", status: 200})
	e.do(call{name: "delete, wrong password", op: "POST /me/erase", method: "POST", path: "/me/erase", as: "leaving", ct: "application/json",
		body: jsonBody(map[string]string{"password": "not the password"}), status: 422, code: "invalid", field: "password"})
	e.do(call{name: "delete my account", op: "POST /me/erase", method: "POST", path: "/me/erase", as: "leaving", ct: "application/json",
		body: jsonBody(map[string]string{"password": testPassword}), status: 204})
	e.do(call{name: "export after deletion", op: "GET /me/export", method: "GET", path: "/me/export", as: "leaving", status: 401})

	// Sessions and API tokens: the owner lists them and revokes one, whose
	// token is refused from then on (a 401, not anonymous).
	u, _, err := db.UserByUsername(t.Context(), "sec")
	if err != nil {
		t.Fatal(err)
	}
	second := str(obj(e.do(call{name: "second token", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json",
		body: jsonBody(map[string]string{"username": "sec", "password": testPassword, "code": storetest.TOTPCode(t, db, u.ID)}), status: 201}))["token"])
	secondID := auth.TokenHash(second)[:16]
	e.do(call{name: "what is waiting", op: "GET /me/waiting", method: "GET", path: "/me/waiting", as: "sec", status: 200})
	found := map[string]bool{}
	for _, it := range list(obj(e.do(call{name: "my sessions", op: "GET /me/sessions", method: "GET", path: "/me/sessions", as: "sec", status: 200}))["items"]) {
		found[str(obj(it)["id"])] = obj(it)["current"] == true
	}
	if current, ok := found[secondID]; !ok || current || len(found) < 2 {
		t.Errorf("GET /me/sessions: %v, want the second token %s listed, not current", found, secondID)
	}
	e.do(call{name: "second token works", op: "GET /me", method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer " + second}, status: 200})
	e.do(call{name: "revoke token", op: "DELETE /me/sessions/{id}", method: "DELETE", path: "/me/sessions/" + secondID, as: "sec", status: 204})
	e.do(call{name: "revoked token", op: "GET /me", method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer " + second}, status: 401})
	e.do(call{name: "revoked token on a public read", op: "GET /states", method: "GET", path: "/states", header: map[string]string{"Authorization": "Bearer " + second}, status: 401})
	e.do(call{name: "revoke again", op: "DELETE /me/sessions/{id}", method: "DELETE", path: "/me/sessions/" + secondID, as: "sec", status: 404})
	e.do(call{name: "revoke unauthenticated", op: "DELETE /me/sessions/{id}", method: "DELETE", path: "/me/sessions/" + secondID, status: 401})

	// Errors.
	big := strings.Repeat("x", 1<<20+10)
	orgPath := "/organizations/" + groupID
	for _, c := range []call{
		{name: "bad id", op: "GET /organizations/{id}", method: "GET", path: "/organizations/abc", status: 422, field: "id"},
		{name: "zero id", op: "GET /organizations/{id}", method: "GET", path: "/organizations/0", status: 422, field: "id"},
		{name: "id overflow", op: "GET /organizations/{id}", method: "GET", path: "/organizations/99999999999999999999", status: 422, field: "id"},
		{name: "no such organisation", op: "GET /organizations/{id}", method: "GET", path: "/organizations/999999", status: 404},
		{name: "bad person id", op: "GET /persons/{id}", method: "GET", path: "/persons/-3", status: 422, field: "id"},
		{name: "no such person", op: "GET /persons/{id}", method: "GET", path: "/persons/999999", status: 404},
		{name: "no such State", op: "GET /states/{iso3}", method: "GET", path: "/states/abc", status: 404},
		{name: "limit 0", op: "GET /organizations", method: "GET", path: "/organizations?limit=0", status: 422, field: "limit"},
		{name: "limit 201", op: "GET /organizations", method: "GET", path: "/organizations?limit=201", status: 422, field: "limit"},
		{name: "limit not a number", op: "GET /persons", method: "GET", path: "/persons?limit=ten", status: 422, field: "limit"},
		{name: "negative offset", op: "GET /persons", method: "GET", path: "/persons?offset=-1", status: 422, field: "offset"},
		{name: "log limit", op: "GET /log", method: "GET", path: "/log?limit=1000", status: 422, field: "limit"},
		{name: "log kind", op: "GET /log", method: "GET", path: "/log?kind=nothing", status: 422, field: "kind"},
		{name: "log subject", op: "GET /log", method: "GET", path: "/log?subject=Decision/1", status: 422, field: "subject"},
		{name: "log from", op: "GET /log", method: "GET", path: "/log?from=yesterday", status: 422, field: "from"},
		{name: "create unauthenticated", op: "POST /organizations", method: "POST", path: "/organizations", ct: "application/json", body: jsonBody(newOrg), status: 401},
		{name: "replace unauthenticated", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, ct: "application/json", body: jsonBody(newOrg), status: 401},
		{name: "me unauthenticated", op: "GET /me", method: "GET", path: "/me", status: 401},
		{name: "create as focal point", op: "POST /organizations", method: "POST", path: "/organizations", as: "focal", ct: "application/json", body: jsonBody(newOrg), status: 403},
		{name: "another org as focal point", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, as: "focal", ct: "application/json", body: jsonBody(newOrg), status: 403},
		{name: "wrong content type", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "text/plain", body: rawBody(`{}`), status: 415},
		{name: "form content type", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, as: "sec", ct: "application/x-www-form-urlencoded", body: rawBody(`kind=igo`), status: 415},
		{name: "no content type", op: "POST /sessions", method: "POST", path: "/sessions", body: rawBody(`{}`), status: 415},
		{name: "unknown field", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":"igo","names":{"en":"X"},"colour":"red"}`), status: 422, field: "colour"},
		{name: "wrong JSON type", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, as: "sec", ct: "application/json", body: rawBody(`{"kind":5}`), status: 422, field: "kind"},
		{name: "broken JSON", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":`), status: 422},
		{name: "two JSON values", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{} {}`), status: 422},
		{name: "bad kind", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":"club","names":{"en":"X"}}`), status: 422, field: "kind"},
		{name: "bad website", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":"igo","names":{"en":"X"},"website":"javascript:alert(1)"}`), status: 422, field: "website"},
		{name: "unknown country", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":"igo","names":{"en":"X"},"country":"ZZZ"}`), status: 422, field: "country"},
		{name: "unknown member State", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"kind":"group","names":{"en":"X"},"members":["ZZZ"]}`), status: 422, field: "members"},
		{name: "replace missing organisation", op: "PUT /organizations/{id}", method: "PUT", path: "/organizations/999999", as: "sec", ct: "application/json", body: jsonBody(newOrg), status: 404},
		{name: "replace bad id", op: "PUT /organizations/{id}", method: "PUT", path: "/organizations/abc", as: "sec", ct: "application/json", body: jsonBody(newOrg), status: 422, field: "id"},
		{name: "oversized body", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json", body: rawBody(`{"names":{"en":"` + big + `"}}`), status: 413},
		{name: "oversized chunked body", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, as: "sec", ct: "application/json", body: streamBody{strings.NewReader(`{"names":{"en":"` + big + `"}}`)}, status: 413},
		// A valid value followed by more than 1 MiB of white space, sent
		// without a length: the body is over the limit all the same.
		{name: "oversized chunked body, trailing space", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json", body: streamBody{strings.NewReader(`{"username":"sec","password":"x"}` + strings.Repeat(" ", 1<<20+10))}, status: 413},
		{name: "oversized sign-in", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json", body: rawBody(`{"username":"` + big + `"}`), status: 413},
		{name: "sign-in unknown field", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json", body: rawBody(`{"username":"sec","password":"x","remember":true}`), status: 422, field: "remember"},
		{name: "sign-in without username", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json", body: rawBody(`{"password":"x"}`), status: 422, field: "username"},
		{name: "invalid token", op: "GET /me", method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer not-a-token"}, status: 401},
		// A browser on another origin is refused; the refusal is still an
		// API error, in the API's error shape.
		{name: "cross-origin sign-in", op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json", header: map[string]string{"Sec-Fetch-Site": "cross-site"},
			body: jsonBody(map[string]string{"username": "sec", "password": testPassword}), status: 403},
		{name: "cross-origin write", op: "PUT /organizations/{id}", method: "PUT", path: orgPath, as: "sec", ct: "application/json", header: map[string]string{"Origin": "https://evil.example"},
			body: jsonBody(newOrg), status: 403},
	} {
		e.do(c)
	}

	// Messages follow lang, then Accept-Language.
	msg := func(c call) string {
		t.Helper()
		return str(obj(obj(e.do(c))["error"])["message"])
	}
	en := msg(call{name: "lang=en", op: "GET /states/{iso3}", method: "GET", path: "/states/XXX?lang=en", header: map[string]string{"Accept-Language": "fr"}, status: 404})
	fr := msg(call{name: "lang=fr", op: "GET /states/{iso3}", method: "GET", path: "/states/XXX?lang=fr", status: 404})
	ar := msg(call{name: "Accept-Language: ar", op: "GET /states/{iso3}", method: "GET", path: "/states/XXX", header: map[string]string{"Accept-Language": "ar-EG,ar;q=0.9"}, status: 404})
	if en == fr || en == ar || fr == ar {
		t.Errorf("error messages do not follow the language: en %q, fr %q, ar %q", en, fr, ar)
	}

	// Failed sign-ins, then throttling (last: it locks this client out).
	// The successful sign-in above cleared the counters, and nothing since
	// reached the password check: five failures, then 429.
	for i := range auth.MaxFailures + 1 {
		status := 401
		if i == auth.MaxFailures {
			status = 429
		}
		e.do(call{name: fmt.Sprintf("failed sign-in %d", i+1), op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json",
			body: jsonBody(map[string]string{"username": "sec", "password": "wrong password!"}), status: status})
	}

	// Every operation answered with success at least once; the procedures
	// have tests of their own.
	e.checkCovered(func(o operation) bool {
		return !slices.ContainsFunc(list(o.op["tags"]), func(t any) bool { return slices.Contains(ownTestTags, t) })
	})
}

// ownTestTags are the tags whose operations a test of their own plays
// through as a procedure (and checks are all covered).
var ownTestTags = []any{"Accounts", "Accreditation", "Decisions", "Rules", "Agendas", "Co-facilitators", "Topics", "Briefers", "Meetings", "Points of contact", "POC messages", "Sign-up", "Documents", "Search", "Statements", "Cooperation portal", "Delegations", "Two-factor sign-in", "Voluntary Fund", "Exercises", "Passkeys", "Norms checklist"}

// checkCovered reports the operations of interest that were never answered
// with a 2xx.
func (e *env) checkCovered(of func(o operation) bool) {
	e.t.Helper()
	for _, k := range slices.Sorted(maps.Keys(e.ops)) {
		if of(e.ops[k]) && !e.covered[k] {
			e.t.Errorf("%s was never exercised with a successful request", k)
		}
	}
}

// TestAccreditationResponsesMatchSchemas runs a whole accreditation round
// through the API, on a clock the test moves, and checks every answer
// against the document: it must exercise every accreditation operation,
// and the errors of the procedure (409 conflicts, 403 refusals, 404 for what
// the viewer may not see) must have the documented shape.
func TestAccreditationResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testAccreditationResponses)
}

func testAccreditationResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	ctx := t.Context()
	var clock atomic.Int64
	at := func(s string) {
		t.Helper()
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		clock.Store(tm.UnixNano())
	}
	at("2026-03-02T14:00:00Z") // Monday, 09:00 in New York
	db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }

	// Stakeholders: three without ECOSOC status, one with it.
	orgs, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var plain []concord.Organization
	var ecosocOrg concord.Organization
	for _, o := range orgs {
		if o.ECOSOC == "" {
			plain = append(plain, o)
		} else if o.Names["en"] == "ICT4Peace Foundation" {
			ecosocOrg = o
		}
	}
	if len(plain) < 4 || ecosocOrg.ID == 0 {
		t.Fatalf("the demo data lacks stakeholders: %d without ECOSOC status, ICT4Peace %d", len(plain), ecosocOrg.ID)
	}
	orgA, orgB, orgD, orgE := plain[0], plain[1], plain[2], plain[3]
	sec := createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	createUser(t, db, concord.User{Username: "deu", Role: concord.RoleDelegate, State: "DEU"})
	focalA := createUser(t, db, concord.User{Username: "focal-a", Role: concord.RoleFocalPoint, OrgID: orgA.ID})
	createUser(t, db, concord.User{Username: "focal-d", Role: concord.RoleFocalPoint, OrgID: orgD.ID})
	users := []string{"sec", "chair", "fra", "deu", "focal-a", "focal-d"}
	signInAll := func() { // sessions last 12 hours of the store's clock
		t.Helper()
		for _, u := range users {
			e.signIn(u)
		}
	}
	signInAll()

	// Letters for the other organisations go through the service; the API's
	// upload is exercised on organisation A.
	svc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: slog.New(slog.NewTextHandler(logWriter{t}, nil))}
	upload := func(u *concord.User, app string) string {
		t.Helper()
		id, _ := strconv.ParseInt(app, 10, 64)
		a, err := svc.UploadLetter(ctx, u, id, "l.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		return a.Content.Letter
	}
	content := func(letter string) *bytes.Reader {
		return jsonBody(map[string]any{"purpose": map[string]string{"en": "Cyber capacity building."},
			"programmes": map[string]string{"en": "CERT training."}, "un_history": map[string]string{"fr": "FGI depuis 2010."}, "letter": letter})
	}
	id := func(b any) string {
		t.Helper()
		n, ok := obj(b)["id"].(json.Number)
		if !ok {
			t.Fatalf("no id in %s", short(b))
		}
		return n.String()
	}
	const (
		opPolicy    = "GET /accreditation/policy"
		opAddPolicy = "POST /accreditation/policy"
		opWindows   = "GET /accreditation/windows"
		opCreateWin = "POST /accreditation/windows"
		opWindow    = "GET /accreditation/windows/{id}"
		opCirculate = "POST /accreditation/windows/{id}/circulation"
		opApps      = "GET /accreditation/windows/{id}/applications"
		opStats     = "GET /accreditation/windows/{id}/statistics"
		opSimulate  = "GET /accreditation/windows/{id}/simulation"
		opApply     = "POST /accreditation/applications"
		opApp       = "GET /accreditation/applications/{id}"
		opEdit      = "PUT /accreditation/applications/{id}"
		opAct       = "POST /accreditation/applications/{id}/actions"
		opObject    = "POST /accreditation/applications/{id}/objection"
		opWithdraw  = "DELETE /accreditation/applications/{id}/objection"
		opECOSOC    = "POST /accreditation/ecosoc-list"
		opLetter    = "POST /accreditation/applications/{id}/documents"
		opInbox     = "GET /inbox"
	)
	get := func(name, op, path, as string, status int, field ...string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status, field: strings.Join(field, "")}))
	}
	send := func(name, op, method, path, as string, body any, status int, field string) map[string]any {
		t.Helper()
		c := call{name: name, op: op, method: method, path: path, as: as, status: status, field: field}
		switch b := body.(type) {
		case nil:
		case *bytes.Reader:
			c.ct, c.body = "application/json", b
		case string:
			c.ct, c.body = "application/json", rawBody(b)
		default:
			c.ct, c.body = "application/json", jsonBody(b)
		}
		return obj(e.do(c))
	}
	act := func(name, app, as string, action string, remarks []string, status int, field string) map[string]any {
		t.Helper()
		body := map[string]any{"action": action}
		if remarks != nil {
			body["remarks"] = remarks
		}
		return send(name, opAct, "POST", "/accreditation/applications/"+app+"/actions", as, body, status, field)
	}
	objections := func(b map[string]any) (count any, all bool, states []string) {
		o := obj(b["objections"])
		for _, x := range list(o["items"]) {
			states = append(states, str(obj(x)["state"]))
		}
		return o["count"], o["all_visible"] == true, states
	}

	// The policy in force: version 1, the 2022 practice.
	if p := obj(get("policy", opPolicy, "/accreditation/policy", "", 200)["current"]); p["version"] != json.Number("1") || p["disclosure"] != "to_chair" || p["effective_from"] == nil {
		t.Errorf("GET /accreditation/policy: current %s", short(p))
	}

	// A window for review conferences (the demo has plenary windows).
	win := send("open window", opCreateWin, "POST", "/accreditation/windows", "sec",
		map[string]any{"scope": "review_conference", "opens_date": "2026-03-02", "closes_date": "2026-03-20"}, 201, "")
	wid := str(win["id"])
	if wid != "review_conference-2026" || win["phase"] != "open" || win["opens"] != "2026-03-02T05:00:00Z" ||
		win["closes"] != "2026-03-20T22:00:00Z" || win["valid_until"] != "2027-01-01T05:00:00Z" || win["objection_deadline"] != nil {
		t.Errorf("POST /accreditation/windows: %v", win)
	}
	wpath := "/accreditation/windows/" + wid
	for _, c := range []struct {
		name   string
		as     string
		body   any
		status int
		field  string
	}{
		{"overlapping window", "sec", map[string]any{"scope": "review_conference", "opens_date": "2026-03-10", "closes_date": "2026-04-10"}, 409, "opens"},
		{"impossible opening date", "sec", map[string]any{"scope": "review_conference", "opens_date": "2027-02-30", "closes_date": "2027-03-20"}, 422, "opens_date"},
		{"malformed closing time", "sec", map[string]any{"scope": "review_conference", "opens_date": "2027-03-01", "closes_date": "2027-03-20", "closes_time": "25:00"}, 422, "closes_time"},
		{"skipped local time", "sec", map[string]any{"scope": "review_conference", "opens_date": "2027-03-14", "opens_time": "02:30", "closes_date": "2027-03-20"}, 422, "opens_time"},
		{"closes before it opens", "sec", map[string]any{"scope": "review_conference", "opens_date": "2027-03-20", "closes_date": "2027-03-01"}, 422, "closes"},
		{"scope without windows", "sec", map[string]any{"scope": "dtg", "body": "x", "opens_date": "2027-03-01", "closes_date": "2027-03-20"}, 422, "scope"},
		{"accreditation ending before the window closes", "sec", map[string]any{"scope": "plenary", "opens_date": "2027-03-01", "closes_date": "2027-03-20", "valid_until_date": "2027-03-19"}, 422, "valid_until"},
		{"malformed end of validity", "sec", map[string]any{"scope": "plenary", "opens_date": "2027-03-01", "closes_date": "2027-03-20", "valid_until_date": "2027-07-11", "valid_until_time": "7pm"}, 422, "valid_until_time"},
		{"window unknown field", "sec", map[string]any{"scope": "plenary", "opens_date": "2027-03-01", "closes_date": "2027-03-20", "colour": "red"}, 422, "colour"},
		{"window before any policy", "sec", map[string]any{"scope": "plenary", "opens_date": "2020-03-01", "closes_date": "2020-03-20"}, 404, "policy"},
		{"window by a focal point", "focal-a", map[string]any{"scope": "plenary", "opens_date": "2027-03-01", "closes_date": "2027-03-20"}, 403, ""},
		{"window unauthenticated", "", map[string]any{"scope": "plenary", "opens_date": "2027-03-01", "closes_date": "2027-03-20"}, 401, ""},
	} {
		send(c.name, opCreateWin, "POST", "/accreditation/windows", c.as, c.body, c.status, c.field)
	}
	// An explicit end of validity (a per-session policy needs one).
	if w := send("open window with its validity", opCreateWin, "POST", "/accreditation/windows", "sec",
		map[string]any{"scope": "plenary", "cycle": 2027, "opens_date": "2027-03-01", "opens_time": "09:00", "closes_date": "2027-03-19", "closes_time": "17:30",
			"valid_until_date": "2027-07-11"}, 201, ""); w["valid_until"] != "2027-07-11T04:00:00Z" || w["opens"] != "2027-03-01T14:00:00Z" || w["closes"] != "2027-03-19T21:30:00Z" || w["phase"] != "scheduled" {
		t.Errorf("window with its validity: %s", short(w))
	}
	e.do(call{name: "window as text", op: opCreateWin, method: "POST", path: "/accreditation/windows", as: "sec", ct: "text/plain", body: rawBody(`{}`), status: 415})
	if ws := get("windows", opWindows, "/accreditation/windows", "", 200); len(list(ws["items"])) != 4 || ws["total"] != json.Number("4") {
		t.Errorf("GET /accreditation/windows: %s", short(ws))
	}
	get("window", opWindow, wpath, "", 200)
	get("no such window", opWindow, "/accreditation/windows/nope", "", 404)

	// Organisation A applies through its focal point: a draft, seen by its
	// focal point and the Secretariat only.
	appA := send("apply", opApply, "POST", "/accreditation/applications", "focal-a", map[string]any{"window": wid}, 201, "")
	a := id(appA)
	if appA["status"] != "draft" || appA["route"] != "non_objection" || appA["organization_id"] != json.Number(strconv.FormatInt(orgA.ID, 10)) {
		t.Errorf("POST /accreditation/applications: %s", short(appA))
	}
	apath := "/accreditation/applications/" + a
	send("apply twice", opApply, "POST", "/accreditation/applications", "focal-a", map[string]any{"window": wid}, 409, "window")
	send("apply to no window", opApply, "POST", "/accreditation/applications", "focal-a", map[string]any{"window": "nope"}, 404, "")
	send("apply as a delegate", opApply, "POST", "/accreditation/applications", "fra", map[string]any{"window": wid}, 403, "")
	send("apply unauthenticated", opApply, "POST", "/accreditation/applications", "", map[string]any{"window": wid}, 401, "")
	send("apply for a group", opApply, "POST", "/accreditation/applications", "sec", map[string]any{"window": wid, "organization_id": eu(t, db)}, 422, "org")
	for _, who := range []string{"", "chair", "fra", "focal-d"} {
		get("draft seen by "+cmp.Or(who, "the public"), opApp, apath, who, 404)
	}
	get("draft, own", opApp, apath, "focal-a", 200)
	get("draft, Secretariat", opApp, apath, "sec", 200)
	get("application bad id", opApp, "/accreditation/applications/abc", "", 422, "id")

	// Content, submission, return and resubmission.
	letterA := upload(focalA, a)
	if b := send("edit", opEdit, "PUT", apath, "focal-a", content(letterA), 200, ""); b["letter"] != letterA || str(obj(b["purpose"])["en"]) == "" {
		t.Errorf("PUT %s: %s", apath, short(b))
	}
	// The letter through the API: multipart, sniffed, bounded.
	multipart := func(field, name string, data []byte) (string, *bytes.Reader) {
		var buf bytes.Buffer
		mw := multipartpkg.NewWriter(&buf)
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
		mw.Close()
		return mw.FormDataContentType(), bytes.NewReader(buf.Bytes())
	}
	letter := func(name, as string, data []byte, status int, field string) map[string]any {
		t.Helper()
		ct, body := multipart("file", "letter.pdf", data)
		return obj(e.do(call{name: name, op: opLetter, method: "POST", path: apath + "/documents", as: as, ct: ct, body: body, status: status, field: field}))
	}
	if b := letter("upload letter", "focal-a", []byte("%PDF-1.4\n%%EOF\n"), 200, ""); str(b["letter"]) == "" || b["letter"] == letterA {
		t.Errorf("API letter upload: %s", short(b))
	}
	letter("upload text as letter", "focal-a", []byte("just words"), 415, "file")
	letter("upload too large", "focal-a", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{' '}, accredit.MaxUpload)...), 413, "file")
	letter("upload to another organisation's draft", "focal-d", []byte("%PDF-1.4\n%%EOF\n"), 404, "")
	letter("upload unauthenticated", "", []byte("%PDF-1.4\n%%EOF\n"), 401, "")
	e.do(call{name: "upload as JSON", op: opLetter, method: "POST", path: apath + "/documents", as: "focal-a", ct: "application/json", body: rawBody(`{}`), status: 415})
	e.do(call{name: "upload malformed", op: opLetter, method: "POST", path: apath + "/documents", as: "focal-a", ct: "multipart/form-data; boundary=x", body: rawBody("--x\r\nbroken"), status: 400, field: "file"})
	// Uploads are bounded per application: the quota is reached, then refused.
	aID, _ := strconv.ParseInt(a, 10, 64)
	uploaded, err := db.ApplicationDocuments(ctx, aID)
	if err != nil {
		t.Fatal(err)
	}
	for ; uploaded < accredit.MaxDocuments; uploaded++ {
		letter("upload a corrected letter", "focal-a", []byte("%PDF-1.4\n%%EOF\n"), 200, "")
	}
	letter("upload over the quota", "focal-a", []byte("%PDF-1.4\n%%EOF\n"), 422, "file")
	if n, _ := db.ApplicationDocuments(ctx, aID); n != accredit.MaxDocuments {
		t.Errorf("%d documents stored for the application, want %d", n, accredit.MaxDocuments)
	}
	send("letter of nobody", opEdit, "PUT", apath, "focal-a", content("999999"), 422, "letter")
	send("unknown language", opEdit, "PUT", apath, "focal-a", map[string]any{"purpose": map[string]string{"xx": "?"}}, 422, "purpose")
	send("edit unknown field", opEdit, "PUT", apath, "focal-a", `{"purpose":{},"budget":1}`, 422, "budget")
	send("edit another organisation's draft", opEdit, "PUT", apath, "focal-d", content(letterA), 404, "")
	send("edit unauthenticated", opEdit, "PUT", apath, "", content(letterA), 401, "")
	e.do(call{name: "edit as form", op: opEdit, method: "PUT", path: apath, as: "focal-a", ct: "application/x-www-form-urlencoded", body: rawBody("letter=1"), status: 415})
	if b := act("submit", a, "focal-a", "submit", nil, 200, ""); b["status"] != "submitted" || b["submitted_at"] == nil {
		t.Errorf("submit: %s", short(b))
	}
	act("submit twice", a, "focal-a", "submit", nil, 409, "status")
	act("unknown action", a, "focal-a", "fly", nil, 422, "action")
	act("reject without reasons", a, "sec", "reject", nil, 422, "remarks")
	act("return by the applicant", a, "focal-a", "return", []string{"x"}, 403, "")
	act("act on nothing", "999999", "sec", "submit", nil, 404, "")
	if b := act("return", a, "sec", "return", []string{"Please add your funding sources."}, 200, ""); b["status"] != "returned" || len(list(b["remarks"])) != 1 {
		t.Errorf("return: %s", short(b))
	}
	act("resubmit", a, "focal-a", "resubmit", nil, 200, "")
	get("submitted, seen by the Chair", opApp, apath, "chair", 200)
	get("submitted, not yet by delegates", opApp, apath, "fra", 404)

	// Organisation B: the Secretariat applies on its written request.
	appB := send("apply for an organisation", opApply, "POST", "/accreditation/applications", "sec",
		map[string]any{"window": wid, "organization_id": orgB.ID}, 201, "")
	b := id(appB)
	send("edit for an organisation", opEdit, "PUT", "/accreditation/applications/"+b, "sec", content(upload(sec, b)), 200, "")
	act("submit for an organisation", b, "sec", "submit", nil, 200, "")

	// Organisation C has ECOSOC status: verified against the imported list,
	// it is accredited without circulation.
	appC := send("apply with ECOSOC status", opApply, "POST", "/accreditation/applications", "sec",
		map[string]any{"window": wid, "organization_id": ecosocOrg.ID}, 201, "")
	c := id(appC)
	if appC["route"] != "ecosoc" || appC["ecosoc"] != "special" {
		t.Errorf("ECOSOC application: %s", short(appC))
	}
	send("edit ECOSOC application", opEdit, "PUT", "/accreditation/applications/"+c, "sec", content(upload(sec, c)), 200, "")
	act("submit ECOSOC application", c, "sec", "submit", nil, 200, "")
	send("circulate with ECOSOC unverified", opCirculate, "POST", wpath+"/circulation", "sec", nil, 409, "window")
	csv := func(name, as, ct, body string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: opECOSOC, method: "POST", path: "/accreditation/ecosoc-list", as: as, ct: ct, body: rawBody(body), status: status, field: field}))
	}
	if r := csv("import ECOSOC list", "sec", "text/csv", "id,name,category\nD1,ICT4Peace Foundation,special\nD2,Some Other NGO,roster\n", 200, ""); r["entries"] != json.Number("2") {
		t.Errorf("ECOSOC import: %s", short(r))
	}
	csv("ECOSOC list as plain text", "sec", "text/plain", "name,category\n", 415, "")
	csv("ECOSOC list as JSON", "sec", "application/json", `{"name":"category"}`, 415, "")
	csv("ECOSOC list without header", "sec", "text/csv", "ICT4Peace Foundation,special\n", 422, "file")
	csv("ECOSOC list bad category", "sec", "text/csv", "id,name,category\nD1,X,consultative\n", 422, "file")
	csv("ECOSOC list oversized", "sec", "text/csv", "id,name,category\n"+strings.Repeat("D1,An NGO,special\n", 1<<20/18+1), 413, "")
	csv("ECOSOC list by a focal point", "focal-a", "text/csv", "name,category\n", 403, "")
	csv("ECOSOC list unauthenticated", "", "text/csv", "name,category\n", 401, "")
	// The Secretariat records the organisation's identifier on the list:
	// verification matches on it, not on a name.
	ecosocIn := map[string]any{"kind": "stakeholder", "names": ecosocOrg.Names, "type": ecosocOrg.Type, "country": ecosocOrg.Country,
		"ecosoc": ecosocOrg.ECOSOC, "ecosoc_id": "D1"}
	send("record ECOSOC identifier", "PUT /organizations/{id}", "PUT", "/organizations/"+strconv.FormatInt(ecosocOrg.ID, 10), "sec", ecosocIn, 200, "")
	if r := act("verify ECOSOC status", c, "sec", "verify", nil, 200, ""); r["status"] != "accredited" {
		t.Errorf("verify: %s", short(r))
	}
	if r := get("accredited, seen by the public", opApp, "/accreditation/applications/"+c, "", 200); r["status"] != "accredited" {
		t.Errorf("public application: %s", short(r))
	}

	// Organisation D withdraws its draft and starts again.
	d1 := id(send("apply D", opApply, "POST", "/accreditation/applications", "focal-d", map[string]any{"window": wid}, 201, ""))
	if r := act("withdraw draft", d1, "focal-d", "withdraw", nil, 200, ""); r["status"] != "withdrawn" {
		t.Errorf("withdraw: %s", short(r))
	}
	d2 := id(send("apply again after withdrawing", opApply, "POST", "/accreditation/applications", "focal-d", map[string]any{"window": wid}, 201, ""))

	send("circulate an open window", opCirculate, "POST", wpath+"/circulation", "sec", nil, 409, "window")
	send("circulate as the Chair", opCirculate, "POST", wpath+"/circulation", "chair", nil, 403, "")
	send("circulate unauthenticated", opCirculate, "POST", wpath+"/circulation", "", nil, 401, "")
	if s := get("simulation before circulation", opSimulate, wpath+"/simulation?rule=basis_only", "chair", 200); s["Rows"] != nil {
		t.Errorf("simulation before circulation: %s", short(s))
	}

	// The window has closed; the Secretariat circulates on Monday 23 March.
	at("2026-03-23T14:00:00Z")
	signInAll()
	act("submit after the window closed", d2, "focal-d", "submit", nil, 409, "window")
	send("edit after the window closed", opEdit, "PUT", "/accreditation/applications/"+d2, "focal-d", content(""), 409, "window")
	send("apply after the window closed", opApply, "POST", "/accreditation/applications", "sec", map[string]any{"window": wid, "organization_id": orgE.ID}, 409, "window")
	circ := send("circulate", opCirculate, "POST", wpath+"/circulation", "sec", nil, 200, "")
	// Ten working days after Monday 23 March, at 18:00 in New York (EDT).
	if cw := obj(circ["window"]); circ["circulated"] != json.Number("2") || cw["objection_deadline"] != "2026-04-06T22:00:00Z" || cw["phase"] != "objection_period" {
		t.Errorf("circulation: %s", short(circ))
	}
	send("circulate twice", opCirculate, "POST", wpath+"/circulation", "sec", nil, 409, "window")

	// A new policy version, public disclosure, comes into force now; the
	// round keeps the rules in force when its window opened.
	pol := map[string]any{"source": "Test decision", "objection_period_days": 15, "working_days": true, "deadline_clock": "18:00", "basis_required": true,
		"disclosure": "public", "validity": "annual", "objections_withdrawable": false, "scopes": []string{"plenary", "review_conference"}, "ecosoc_scopes": []string{"plenary"}}
	if p := send("add policy version", opAddPolicy, "POST", "/accreditation/policy", "sec", pol, 201, ""); p["version"] != json.Number("2") || p["process"] != concord.DefaultProcessCode ||
		p["effective_from"] != "2026-03-23T14:00:00Z" || p["disclosure"] != "public" || !slices.Equal(list(p["ecosoc_scopes"]), []any{"plenary"}) {
		t.Errorf("POST /accreditation/policy: %s", short(p))
	}
	bad := maps.Clone(pol)
	bad["disclosure"] = "secret"
	send("policy bad disclosure", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "disclosure")
	bad = maps.Clone(pol)
	bad["objection_period_days"] = 0
	send("policy without period", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "objection_period_days")
	bad = maps.Clone(pol)
	bad["colour"] = "red"
	send("policy unknown field", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "colour")
	bad = maps.Clone(pol)
	bad["ObjectionPeriodDays"] = 15
	send("policy under a Go field name", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "ObjectionPeriodDays")
	bad = maps.Clone(pol)
	bad["effective_from"] = "next Monday"
	send("policy from an unreadable time", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "effective_from")
	bad = maps.Clone(pol)
	bad["effective_from"] = "2026-01-01T00:00:00Z"
	send("policy backdated", opAddPolicy, "POST", "/accreditation/policy", "sec", bad, 422, "effective_from")
	send("policy by the Chair", opAddPolicy, "POST", "/accreditation/policy", "chair", pol, 403, "")
	send("policy unauthenticated", opAddPolicy, "POST", "/accreditation/policy", "", pol, 401, "")
	if p := get("policy, two versions", opPolicy, "/accreditation/policy", "", 200); obj(p["current"])["version"] != json.Number("2") || len(list(p["versions"])) != 2 {
		t.Errorf("GET /accreditation/policy: %s", short(p))
	}
	// Each window says which version governs it and its disclosure level:
	// the one in force when it opened (version 1 for this round, opened
	// before version 2), version 2 for the window of 2027.
	governs := map[string]string{}
	for _, w := range list(get("windows under two versions", opWindows, "/accreditation/windows", "", 200)["items"]) {
		p := obj(obj(w)["policy"])
		governs[str(obj(w)["id"])] = fmt.Sprint(p["version"], " ", p["disclosure"])
	}
	if governs[wid] != "1 to_chair" || governs["plenary-2027"] != "2 public" {
		t.Errorf("the windows' policies: %v, want %s under 1 to_chair and plenary-2027 under 2 public", governs, wid)
	}
	if p := obj(get("window under version 1", opWindow, wpath, "", 200)["policy"]); p["version"] != json.Number("1") || p["disclosure"] != "to_chair" {
		t.Errorf("window %s: policy %s, want version 1, to_chair", wid, short(p))
	}

	// Objections: France objects to A; Germany objects to B and withdraws.
	get("circulated, seen by delegates", opApp, apath, "fra", 200)
	if r := send("object", opObject, "POST", apath+"/objection", "fra", map[string]string{"basis": "Not relevant to the mandate."}, 201, ""); true {
		if n, all, states := objections(r); n != json.Number("1") || all || !slices.Equal(states, []string{"FRA"}) {
			t.Errorf("objection as seen by its State: count %v, all %v, %v", n, all, states)
		}
	}
	send("object twice", opObject, "POST", apath+"/objection", "fra", map[string]string{}, 409, "state")
	send("object as the Chair", opObject, "POST", apath+"/objection", "chair", map[string]string{}, 403, "")
	send("object as the Secretariat", opObject, "POST", apath+"/objection", "sec", map[string]string{}, 403, "")
	send("object unauthenticated", opObject, "POST", apath+"/objection", "", map[string]string{}, 401, "")
	send("object unknown field", opObject, "POST", apath+"/objection", "deu", `{"reason":"x"}`, 422, "reason")
	send("object to an accredited application", opObject, "POST", "/accreditation/applications/"+c+"/objection", "fra", map[string]string{}, 409, "status")
	send("object to a draft", opObject, "POST", "/accreditation/applications/"+d2+"/objection", "fra", map[string]string{}, 404, "")
	bpath := "/accreditation/applications/" + b
	send("object to B", opObject, "POST", bpath+"/objection", "deu", map[string]string{}, 201, "")
	if r := send("withdraw objection", opWithdraw, "DELETE", bpath+"/objection", "deu", nil, 200, ""); true {
		if n, _, states := objections(r); n != json.Number("0") || len(states) != 1 || obj(list(obj(r["objections"])["items"])[0])["withdrawn_at"] == nil {
			t.Errorf("withdrawn objection: %s", short(r["objections"]))
		}
	}
	send("withdraw twice", opWithdraw, "DELETE", bpath+"/objection", "deu", nil, 404, "state")
	send("withdraw another State's", opWithdraw, "DELETE", bpath+"/objection", "fra", nil, 404, "state")
	send("object again after withdrawing", opObject, "POST", bpath+"/objection", "deu", map[string]string{}, 409, "state")
	send("withdraw as the Chair", opWithdraw, "DELETE", bpath+"/objection", "chair", nil, 403, "")
	send("withdraw unauthenticated", opWithdraw, "DELETE", bpath+"/objection", "", nil, 401, "")
	send("withdraw bad id", opWithdraw, "DELETE", "/accreditation/applications/x/objection", "deu", nil, 422, "id")

	// Who sees what of A's objection under to_chair.
	for _, v := range []struct {
		who    string
		count  any
		all    bool
		states []string
	}{
		{"sec", json.Number("1"), true, []string{"FRA"}},
		{"chair", json.Number("1"), true, []string{"FRA"}},
		{"fra", json.Number("1"), false, []string{"FRA"}},
		{"deu", json.Number("1"), false, nil},
		{"focal-a", json.Number("1"), false, nil},
	} {
		r := get("objections seen by "+v.who, opApp, apath, v.who, 200)
		if n, all, states := objections(r); n != v.count || all != v.all || !slices.Equal(states, v.states) {
			t.Errorf("%s sees count %v, all %v, %v; want %v, %v, %v", v.who, n, all, states, v.count, v.all, v.states)
		}
	}
	get("circulated, not seen by the public", opApp, apath, "", 404)
	// The author of an objection is kept off the public log: the window's
	// policy (to_chair) governs, not the public one now in force.
	for _, l := range list(get("public log", "GET /log", "/log?limit=20", "", 200)["items"]) {
		if act := str(obj(l)["action"]); strings.Contains(act, "object") && obj(l)["redacted"] != true {
			t.Errorf("the public log shows who acted on an objection: %s", short(l))
		}
	}

	// Lists, simulation, statistics, inbox.
	if r := get("applications, public", opApps, wpath+"/applications", "", 200); r["total"] != json.Number("1") {
		t.Errorf("public list: %s", short(r))
	}
	if r := get("applications, Secretariat", opApps, wpath+"/applications", "sec", 200); r["total"] != json.Number("5") {
		t.Errorf("Secretariat's list: %s", short(r))
	}
	if r := get("applications, circulated", opApps, wpath+"/applications?status=circulated&limit=1&offset=1", "chair", 200); r["total"] != json.Number("2") || len(list(r["items"])) != 1 || id(list(r["items"])[0]) != b {
		t.Errorf("circulated, second page: %s", short(r))
	}
	get("applications, bad limit", opApps, wpath+"/applications?limit=0", "", 422, "limit")
	get("applications of no window", opApps, "/accreditation/windows/nope/applications", "", 404)
	if s := get("simulation", opSimulate, wpath+"/simulation?rule=joined_by_2", "chair", 200); s["changed"] != json.Number("1") || len(list(s["rows"])) != 2 ||
		obj(s["actual"])["blocked"] != json.Number("1") || obj(s["alternative"])["blocked"] != json.Number("0") || obj(s["rule"])["disclosure"] != nil {
		t.Errorf("simulation: %s", short(s))
	}
	get("simulation by a delegate", opSimulate, wpath+"/simulation?rule=basis_only", "fra", 403)
	get("simulation by the public", opSimulate, wpath+"/simulation?rule=basis_only", "", 403)
	get("simulation unknown rule", opSimulate, wpath+"/simulation?rule=nope", "chair", 422, "rule")
	get("simulation of no window", opSimulate, "/accreditation/windows/nope/simulation?rule=public", "chair", 404)
	if s := get("statistics", opStats, wpath+"/statistics", "", 200); len(list(s["cycles"])) != 1 ||
		obj(obj(list(s["cycles"])[0])["total"])["applied"] != json.Number("3") || obj(obj(list(s["cycles"])[0])["total"])["returned"] != json.Number("1") {
		t.Errorf("statistics: %s", short(s))
	}
	get("statistics of no window", opStats, "/accreditation/windows/nope/statistics", "", 404)
	inbox := func(who string, want ...string) {
		t.Helper()
		var keys []string
		for _, n := range list(get("inbox of "+who, opInbox, "/inbox?lang=fr", who, 200)["items"]) {
			keys = append(keys, str(obj(n)["key"]))
			if m := str(obj(n)["message"]); m == "" || m == str(obj(n)["key"]) {
				t.Errorf("inbox of %s: notice %s has no message", who, short(n))
			}
		}
		for _, k := range want {
			if !slices.Contains(keys, k) {
				t.Errorf("inbox of %s: %v, want %s", who, keys, k)
			}
		}
	}
	inbox("fra", "notice.circulated_state")
	inbox("focal-a", "notice.circulated_applicant", "notice.returned")
	inbox("sec")
	get("inbox unauthenticated", opInbox, "/inbox", "", 401)

	// The deadline instant: too late to object, withdraw an objection or
	// withdraw the application.
	at("2026-04-06T22:00:00Z")
	signInAll()
	send("object at the deadline", opObject, "POST", bpath+"/objection", "fra", map[string]string{}, 409, "deadline")
	send("withdraw objection at the deadline", opWithdraw, "DELETE", apath+"/objection", "fra", nil, 409, "deadline")
	act("withdraw application at the deadline", a, "focal-a", "withdraw", nil, 409, "deadline")

	// Reading the window decides the round: A is blocked, B accredited.
	if w := get("window after the deadline", opWindow, wpath, "", 200); w["phase"] != "decided" {
		t.Errorf("window after the deadline: %s", short(w))
	}
	if r := get("blocked, seen by its focal point", opApp, apath, "focal-a", 200); r["status"] != "blocked" || !slices.Contains(list(r["reasons"]), any("reason.objection_standing")) {
		t.Errorf("A after the deadline: %s", short(r))
	}
	get("blocked, not seen by the public", opApp, apath, "", 404)
	if r := get("accredited after the deadline, public", opApp, bpath, "", 200); true {
		if n, all, states := objections(r); r["status"] != "accredited" || n != json.Number("0") || all || len(states) != 0 {
			t.Errorf("B as the public sees it: %s", short(r))
		}
	}
	if r := get("applications, public, decided", opApps, wpath+"/applications", "", 200); r["total"] != json.Number("2") {
		t.Errorf("public list after the deadline: %s", short(r))
	}
	if s := get("statistics, decided", opStats, wpath+"/statistics", "", 200); true {
		total := obj(obj(list(s["cycles"])[0])["total"])
		if total["accredited"] != json.Number("2") || total["objected"] != json.Number("1") {
			t.Errorf("statistics after the deadline: %s", short(total))
		}
	}
	get("simulation, decided", opSimulate, wpath+"/simulation?rule=two_groups", "sec", 200)
	if pop := get("accredited, Popolo", "GET /accreditation/windows/{id}/popolo", wpath+"/popolo", "", 200); len(list(pop["memberships"])) != 2 || len(list(pop["organizations"])) != 3 {
		t.Errorf("Popolo of the accredited: %s", short(pop))
	}
	inbox("focal-a", "notice.blocked")

	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Accreditation")) })
}

// eu returns the id of the European Union, a named group of the demo data.
func eu(t *testing.T, db *store.DB) int64 {
	t.Helper()
	orgs, _, err := db.ListOrganizations(t.Context(), store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Acronym == "EU" {
			return o.ID
		}
	}
	t.Fatal("the demo data has no EU")
	return 0
}

func TestDecisionResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testDecisionResponses)
}

// testDecisionResponses plays the organisational session's agenda dispute
// through the API and checks every answer against the document.
func testDecisionResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "irn", Role: concord.RoleDelegate, State: "IRN"})
	e.signIn("chair")
	e.signIn("sec")
	e.signIn("irn")
	d := obj(e.do(call{name: "propose", op: "POST /decisions", method: "POST", path: "/decisions", as: "chair", ct: "application/json",
		body: jsonBody(map[string]any{"kind": "agenda_adoption", "title": map[string]string{"en": "Provisional agenda"}, "proposal": map[string]string{"en": "Adopt the provisional agenda."},
			"modality": "consensus", "proceed_informally": true}), status: 201}))
	id := fmt.Sprint(d["id"])
	e.do(call{name: "propose as a delegate", op: "POST /decisions", method: "POST", path: "/decisions", as: "irn", ct: "application/json",
		body: jsonBody(map[string]any{"title": map[string]string{"en": "x"}, "proposal": map[string]string{"en": "x"}, "modality": "consensus"}), status: 403})
	e.do(call{name: "propose without a title", op: "POST /decisions", method: "POST", path: "/decisions", as: "chair", ct: "application/json",
		body: jsonBody(map[string]any{"title": map[string]string{}, "proposal": map[string]string{"en": "x"}, "modality": "consensus"}), status: 422, field: "title"})
	e.do(call{name: "objection", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + id + "/positions", as: "irn", ct: "application/json",
		body: jsonBody(map[string]string{"kind": "objection", "text": "Item 5 must follow paragraph 9 of Annex C.", "lang": "en"}), status: 201})
	e.do(call{name: "for another State", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + id + "/positions", as: "irn", ct: "application/json",
		body: jsonBody(map[string]string{"actor": "FRA", "kind": "support"}), status: 403, field: "actor"})
	e.do(call{name: "group position", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + id + "/positions", as: "sec", ct: "application/json",
		body: jsonBody(map[string]string{"actor": "group-" + strconv.FormatInt(eu(t, db), 10), "kind": "support"}), status: 201})
	e.do(call{name: "unknown kind", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + id + "/positions", as: "sec", ct: "application/json",
		body: jsonBody(map[string]string{"actor": "USA", "kind": "veto"}), status: 422, field: "kind"})
	r := obj(e.do(call{name: "chair decides", op: "POST /decisions/{id}/acts", method: "POST", path: "/decisions/" + id + "/acts", as: "chair", ct: "application/json",
		body: jsonBody(map[string]any{"kind": "decide"}), status: 201}))
	if res := obj(r["result"]); res["outcome"] != "not_adopted" || res["proceed_informally"] != true {
		t.Errorf("outcome: %s", short(res))
	}
	e.do(call{name: "late position", op: "POST /decisions/{id}/positions", method: "POST", path: "/decisions/" + id + "/positions", as: "sec", ct: "application/json",
		body: jsonBody(map[string]string{"actor": "BRA", "kind": "support"}), status: 409, field: "at"})
	e.do(call{name: "decision", op: "GET /decisions/{id}", method: "GET", path: "/decisions/" + id, status: 200})
	e.do(call{name: "no such decision", op: "GET /decisions/{id}", method: "GET", path: "/decisions/99999", status: 404})
	e.do(call{name: "decisions", op: "GET /decisions", method: "GET", path: "/decisions", status: 200})
	sims := obj(e.do(call{name: "simulation", op: "GET /decisions/{id}/simulation", method: "GET", path: "/decisions/" + id + "/simulation", status: 200}))
	if n := len(list(sims["items"])); n != 6 {
		t.Errorf("%d simulations, want 6", n)
	}
	bal := obj(e.do(call{name: "balance", op: "POST /cofacilitators/balance", method: "POST", path: "/cofacilitators/balance?lang=fr", ct: "application/json",
		body: jsonBody(map[string]any{"dtg": "DTG-1", "pair": []map[string]any{{"person": "Ana", "state": "FRA", "gender": "female", "expertise": []string{"CERT"}},
			{"person": "Jonas", "state": "NOR", "gender": "male", "expertise": []string{"norms"}}}}), status: 200}))
	if bal["balanced"] != false {
		t.Errorf("France and Norway: both developed, both WEOG, yet balanced: %s", short(bal))
	}
	e.do(call{name: "balance without a name", op: "POST /cofacilitators/balance", method: "POST", path: "/cofacilitators/balance", ct: "application/json",
		body: jsonBody(map[string]any{"dtg": "DTG-1", "pair": []map[string]any{{"person": "", "state": "FRA"}}}), status: 422, field: "pair[0].person"})
	e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("Decisions")) })
}

// TestContractCheck makes sure the contract check can fail: Go field names,
// the zero time and camelCase are caught, and only the keys of a declared
// map are taken as data.
func TestContractCheck(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{
		"T": map[string]any{"type": "object", "properties": map[string]any{
			"ok_name": map[string]any{"type": "string"},
			"by_code": map[string]any{"type": "object", "additionalProperties": map[string]any{"$ref": "#/components/schemas/U"}},
		}},
		"U": map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer"}}},
	}}}
	e := &env{t: t, doc: doc}
	ref := map[string]any{"$ref": "#/components/schemas/T"}
	cases := []struct {
		json string
		bad  int
	}{
		{`{"ok_name":"2026-12-06T10:00:00Z","by_code":{"FRA":{"n":1},"WEOG":{"n":2}}}`, 0},
		{`{"Deadline":"x"}`, 1},
		{`{"okName":"x"}`, 1},
		{`{"ok_name":"0001-01-01T00:00:00Z"}`, 1},
		{`{"by_code":{"FRA":{"N":1}}}`, 1},             // inside a map value, names are names
		{`{"x":{"DecidedAt":null},"y":[{"ID":1}]}`, 2}, // undocumented places are checked too
	}
	for _, c := range cases {
		x, err := decodeJSON([]byte(c.json))
		if err != nil {
			t.Fatal(err)
		}
		if got := e.contract(x, ref, "body"); len(got) != c.bad {
			t.Errorf("%s: %d violations %v, want %d", c.json, len(got), got, c.bad)
		}
	}
}
