// Package input refuses, at the boundary, strings no part of Concord
// should store: a NUL byte anywhere (PostgreSQL refuses it in text and
// SQLite keeps it, so the two databases disagree) and, in names, the
// bidirectional override and isolate characters that make a name display
// as something else (U+202A–U+202E, U+2066–U+2069). Forms, query strings
// and JSON bodies are checked before any handler sees them.
package input

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"concord"
)

// Check returns the error for the value of field, or nil: a NUL byte is a
// malformed request (400), a bidirectional control in a name an invalid
// field (422).
func Check(field, v string) *concord.Error {
	if strings.IndexByte(v, 0) >= 0 {
		return concord.Errorf(concord.EBadRequest, field, "error.nul", "NUL character in %s", field)
	}
	if IsName(field) && strings.ContainsFunc(v, isBidiControl) {
		return concord.Errorf(concord.EInvalid, field, "error.bidi", "bidirectional control character in %s", field)
	}
	return nil
}

// isBidiControl reports the explicit embedding, override and isolate
// characters. The marks U+200E and U+200F stay allowed: they only nudge
// neutral characters and are common in Arabic text.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// IsName reports whether a form or JSON field holds a name: of a person,
// an organisation (in any language), an account, or a candidate.
func IsName(field string) bool {
	f := strings.ToLower(field)
	last := f[strings.LastIndexAny(f, ".]")+1:] // "pair[1].person" -> "person"
	return strings.Contains(f, "name") || strings.HasPrefix(last, "person") || strings.HasSuffix(last, "acronym")
}

// Values checks every key and value of a form or query string, in key
// order so that the error named is the same each time.
func Values(v url.Values) *concord.Error {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if e := Check(k, k); e != nil && e.Code == concord.EBadRequest {
			return e
		}
		for _, s := range v[k] {
			if e := Check(k, s); e != nil {
				return e
			}
		}
	}
	return nil
}

// JSON checks every string of a decoded JSON request body; the field is
// named by its JSON path ("names.fr", "pair[1].person").
func JSON(v any) *concord.Error { return walk("", reflect.ValueOf(v)) }

var rawType = reflect.TypeFor[json.RawMessage]()

func walk(path string, v reflect.Value) *concord.Error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walk(path, v.Elem())
	case reflect.String:
		return Check(path, v.String())
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = "" // embedded: its fields are the parent's
			}
			if e := walk(join(path, name), v.Field(i)); e != nil {
				return e
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if e := Check(join(path, k.String()), k.String()); e != nil && e.Code == concord.EBadRequest {
					return e
				}
			}
			if e := walk(join(path, k.String()), v.MapIndex(k)); e != nil {
				return e
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type() == rawType {
			// Kept as JSON for later decoding: a NUL can only be escaped.
			if strings.Contains(string(v.Bytes()), `\u0000`) {
				return concord.Errorf(concord.EBadRequest, path, "error.nul", "NUL character in %s", path)
			}
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, not text
		}
		for i := range v.Len() {
			if e := walk(path+"["+strconv.Itoa(i)+"]", v.Index(i)); e != nil {
				return e
			}
		}
	}
	return nil
}

func join(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	}
	return path + "." + name
}
