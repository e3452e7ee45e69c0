package api_test

// These tests keep openapi.json honest: the document must list exactly the
// routes of (*API).Routes, be a well-formed OpenAPI 3.1 document, and every
// response the real server sends (successes and errors) must match the
// schema the document gives for that operation and status.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"concord"
	"concord/internal/api"
	"concord/internal/app"
	"concord/internal/auth"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
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
		if rt.Method == "POST" || rt.Method == "PUT" {
			rb, err := deref(doc, o.op["requestBody"])
			if err != nil || rb["required"] != true || obj(obj(rb["content"])["application/json"]) == nil {
				t.Errorf("%s: needs a required application/json requestBody", k)
			} else if s, err := deref(doc, obj(obj(rb["content"])["application/json"])["schema"]); err != nil || s["additionalProperties"] != false {
				t.Errorf("%s: request schema must refuse unknown fields (additionalProperties: false), as the decoder does", k)
			}
			for _, st := range []string{"413", "415", "422"} {
				if responses[st] == nil {
					t.Errorf("%s: takes a JSON body, but %s is not documented", k, st)
				}
			}
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

func TestOpenAPIIsValidJSON3_1(t *testing.T) {
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

	// The schema checker below understands every keyword the document uses,
	// so that no constraint is silently skipped.
	v := newValidator(doc)
	forEachSchema(doc, func(at string, s map[string]any) {
		for kw := range s {
			if !knownKeywords[kw] {
				t.Errorf("%s: schema keyword %q is not supported by the test's checker", at, kw)
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

// knownKeywords are the JSON Schema keywords the checker enforces, plus
// annotations that constrain nothing.
var knownKeywords = map[string]bool{
	// enforced
	"$ref": true, "type": true, "required": true, "properties": true, "additionalProperties": true,
	"items": true, "enum": true, "pattern": true, "minimum": true, "maximum": true,
	"minLength": true, "maxLength": true,
	// annotations
	"description": true, "examples": true, "default": true, "format": true, "readOnly": true, "title": true,
}

// validator checks JSON values against the subset of JSON Schema 2020-12
// that openapi.json uses.
type validator struct {
	doc map[string]any
	mu  sync.Mutex
	res map[string]*regexp.Regexp
}

func newValidator(doc map[string]any) *validator {
	return &validator{doc: doc, res: map[string]*regexp.Regexp{}}
}

func (v *validator) regexp(p string) (*regexp.Regexp, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if re, ok := v.res[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	v.res[p] = re
	return re, nil
}

// jsonType names the JSON type of a value decoded with UseNumber.
func jsonType(x any) string {
	switch n := x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if r, ok := new(big.Rat).SetString(n.String()); ok && r.IsInt() {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", x)
}

func number(x any) (*big.Rat, bool) {
	var s string
	switch n := x.(type) {
	case json.Number:
		s = n.String()
	case float64:
		s = strconv.FormatFloat(n, 'g', -1, 64)
	case int:
		s = strconv.Itoa(n)
	default:
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func equalJSON(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x.Cmp(y) == 0
	}
	return reflect.DeepEqual(a, b)
}

// check returns one message per violation of schema by x, located at "at".
func (v *validator) check(schema, x any, at string) []string {
	s := obj(schema)
	if s == nil {
		if schema == true {
			return nil
		}
		return []string{fmt.Sprintf("%s: schema is not an object: %v", at, schema)}
	}
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, at+": "+fmt.Sprintf(format, args...))
	}
	for kw := range s {
		if !knownKeywords[kw] {
			fail("unsupported schema keyword %q", kw)
		}
	}
	if r, ok := s["$ref"].(string); ok {
		target, err := pointer(v.doc, r)
		if err != nil {
			fail("%v", err)
		} else {
			errs = append(errs, v.check(target, x, at)...)
		}
	}
	if t, ok := s["type"]; ok {
		var types []string
		if ts, ok := t.(string); ok {
			types = []string{ts}
		} else {
			for _, e := range list(t) {
				types = append(types, str(e))
			}
		}
		got := jsonType(x)
		if !slices.Contains(types, got) && !(got == "integer" && slices.Contains(types, "number")) {
			fail("type %s, want %v (value %s)", got, types, short(x))
			return errs // other keywords would only add noise
		}
	}
	if e, ok := s["enum"]; ok {
		if !slices.ContainsFunc(list(e), func(c any) bool { return equalJSON(c, x) }) {
			fail("%s not in enum %v", short(x), e)
		}
	}
	switch val := x.(type) {
	case map[string]any:
		for _, r := range list(s["required"]) {
			if _, ok := val[str(r)]; !ok {
				fail("required property %q missing", r)
			}
		}
		props := obj(s["properties"])
		for k, pv := range val {
			if ps, ok := props[k]; ok {
				errs = append(errs, v.check(ps, pv, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q not allowed", k)
				}
			case map[string]any:
				errs = append(errs, v.check(ap, pv, at+"."+k)...)
			}
		}
	case []any:
		if it, ok := s["items"]; ok {
			for i, e := range val {
				errs = append(errs, v.check(it, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case string:
		if p, ok := s["pattern"].(string); ok {
			re, err := v.regexp(p)
			if err != nil {
				fail("bad pattern %q: %v", p, err)
			} else if !re.MatchString(val) {
				fail("%q does not match pattern %s", val, p)
			}
		}
		n := utf8.RuneCountInString(val)
		if m, ok := number(s["minLength"]); ok && big.NewRat(int64(n), 1).Cmp(m) < 0 {
			fail("%q shorter than %s", val, m.RatString())
		}
		if m, ok := number(s["maxLength"]); ok && big.NewRat(int64(n), 1).Cmp(m) > 0 {
			fail("%s longer than %s", short(val), m.RatString())
		}
	case json.Number:
		n, _ := number(val)
		if m, ok := number(s["minimum"]); ok && n.Cmp(m) < 0 {
			fail("%s below minimum %s", val, m.RatString())
		}
		if m, ok := number(s["maximum"]); ok && n.Cmp(m) > 0 {
			fail("%s above maximum %s", val, m.RatString())
		}
	}
	return errs
}

func short(x any) string {
	b, _ := json.Marshal(x)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// TestSchemaChecker makes sure the checker can fail: a checker that accepts
// everything would make TestResponsesMatchSchemas worthless.
func TestSchemaChecker(t *testing.T) {
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
	if errs := v.check(map[string]any{"type": "string", "const": "x"}, "x", "$"); len(errs) == 0 {
		t.Errorf("an unsupported keyword was silently accepted")
	}
}

// TestOpenAPIDocumentsQueryParameters finds the query parameters the
// package's handlers read (q.Get("x"), r.URL.Query().Get("x")) and checks
// that the document declares each of them.
func TestOpenAPIDocumentsQueryParameters(t *testing.T) {
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
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

const testPassword = "a-long-test-password"

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
		tokens: map[string]string{}, covered: map[string]bool{}}
}

func createUser(t *testing.T, db *store.DB, u concord.User) {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), "system", func(tx *store.Tx) error { return tx.CreateUser(&u, hash) }); err != nil {
		t.Fatal(err)
	}
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

var codeOf = map[int]string{401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
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
			x, err := decodeJSON(b)
			if err != nil {
				t.Fatalf("%s: test body: %v", c.name, err)
			}
			for _, msg := range e.v.check(obj(obj(rbd["content"])["application/json"])["schema"], x, "request") {
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
	storetest.Each(t, testResponses)
}

func testResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})

	// Sign in: the one way to a token.
	login := func(user string) {
		t.Helper()
		b := e.do(call{name: "sign in " + user, op: "POST /sessions", method: "POST", path: "/sessions", ct: "application/json",
			body: jsonBody(map[string]string{"username": user, "password": testPassword}), status: 201})
		e.tokens[user] = str(obj(b)["token"])
	}
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

	// The log: redacted for the public, whole for the Secretariat.
	pub := obj(e.do(call{name: "public log", op: "GET /log", method: "GET", path: "/log?limit=200", status: 200}))
	redacted := 0
	for _, l := range list(pub["items"]) {
		if obj(l)["redacted"] == true {
			redacted++
			if _, ok := obj(l)["actor"]; ok {
				t.Errorf("redacted entry shows its actor: %s", short(l))
			}
		}
	}
	if redacted == 0 {
		t.Errorf("the public log redacts nothing (user and session entries are confidential)")
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

	// Every operation answered with success at least once.
	for k := range e.ops {
		if !e.covered[k] {
			t.Errorf("%s was never exercised with a successful request", k)
		}
	}
}
