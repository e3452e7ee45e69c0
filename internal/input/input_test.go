package input

import (
	"encoding/json"
	"net/url"
	"testing"

	"concord"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		field, v, code string
	}{
		{"name", "Ada Lovelace", ""},
		{"name", "عبد الله\u200f", ""}, // a right-to-left mark is fine
		{"name", "a\x00b", concord.EBadRequest},
		{"statement", "a\x00b", concord.EBadRequest},
		{"name_ar", "\u202bنص", concord.EInvalid},
		{"names.fr", "\u2066x\u2069", concord.EInvalid},
		{"person1", "\u202eevil", concord.EInvalid},
		{"statement", "\u202eoverride in a statement", ""},
	} {
		e := Check(c.field, c.v)
		if got := ""; e != nil {
			got = e.Code
			if got != c.code || e.Field != c.field {
				t.Errorf("Check(%q, %q) = %v, want %q", c.field, c.v, e, c.code)
			}
		} else if c.code != "" {
			t.Errorf("Check(%q, %q) = nil, want %q", c.field, c.v, c.code)
		}
	}
}

func TestJSONAndValues(t *testing.T) {
	type pair struct {
		Person string `json:"person"`
	}
	var in struct {
		Names    map[string]string `json:"names"`
		Pair     []pair            `json:"pair"`
		Settings json.RawMessage   `json:"settings"`
	}
	if err := json.Unmarshal([]byte(`{"names":{"en":"X"},"pair":[{"person":"a"},{"person":"\u202eb"}],"settings":{}}`), &in); err != nil {
		t.Fatal(err)
	}
	if e := JSON(&in); e == nil || e.Field != "pair[1].person" {
		t.Errorf("JSON: %v, want pair[1].person", e)
	}
	in.Pair = nil
	in.Settings = json.RawMessage(`{"label":"a\u0000"}`)
	if e := JSON(&in); e == nil || e.Code != concord.EBadRequest || e.Field != "settings" {
		t.Errorf("JSON raw: %v", e)
	}
	if e := Values(url.Values{"q": {"ok"}, "x\x00": {"v"}}); e == nil || e.Code != concord.EBadRequest {
		t.Errorf("Values: %v", e)
	}
}
