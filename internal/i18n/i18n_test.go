package i18n

import (
	"concord/accreditation"
	"concord/capacity"
	"concord/decision"
	"concord/document"
	"concord/exercise"
	"concord/internal/search"
	"concord/meeting"
	_ "concord/procedure" // registers the rules whose keys are checked
	"concord/rule"
	"concord/statement"
	"encoding/json"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"concord"
)

// placeholderRE matches a template placeholder: messages may use only plain
// named fields, {{.Name}}. "Count" is special: it selects the plural form.
var placeholderRE = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// placeholders returns the set of placeholder names a text uses.
func placeholders(s string) map[string]bool {
	out := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = true
	}
	return out
}

// sortedNames lists a set of placeholder names in order, for messages.
func sortedNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// englishPlaceholders is the union of the placeholder names over every
// form of an English message.
func englishPlaceholders(t *testing.T, id string, v any) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, s := range forms(t, "en", id, v) {
		for k := range placeholders(s) {
			out[k] = true
		}
	}
	return out
}

// sampleValue is the template data the rendering test passes for a
// placeholder other than Count: distinct per name, so that a translation
// that swaps two placeholders still renders every value.
func sampleValue(name string) string { return "X" + name + "X" }

// sameAsEnglish lists values that may legitimately be identical to English
// in every language: proper nouns, codes and acronyms.
var sameAsEnglish = map[string]bool{
	"Concord": true,
	"ISO":     true,
	"M49":     true,
	"API":     true,
	"JSON":    true,
	"Popolo":  true,
	"ECOSOC":  true,
	"URL":     true,
}

// cognates lists, per language, ids whose correct translation happens to be
// spelled exactly as in English. Keep this short and justified: anything not
// listed here that equals English is treated as an untranslated copy.
var cognates = map[string]map[string]bool{
	"fr": {
		"portal.kind.programme": true, // Programme
		"portal.kind.experts":   true, // Experts
		"portal.description":    true, // Description
		"agendas.version":       true, // Version {{.N}}
		"decisions.position":    true, // Position
		"positions.position":    true, // Position
		"positions.source":      true, // Source
		"groups.code":           true, // Code
		"log.kind.document":     true, // Documents
		"log.kind.organization": true, // Organisations
		"modality.consensus":    true, // Consensus (UN French term)
		"orgs.count":            true, // {{.Count}} organisation(s)
		"orgs.title":            true, // Organisations
		"orgs.type":             true, // Type
		"persons.org":           true, // Organisation
		"position.abstention":   true, // Abstention
		"search.kind.document":  true, // Document
		"position.dissociation": true, // Dissociation (UN French term)
		"position.objection":    true, // Objection
		"stance.abstain":        true, // Abstention
		"stance.dissociate":     true, // Dissociation
		"stance.object":         true, // Objection
		"state.session":         true, // Session
		"states.scheme":         true, // Classification
	},
	"es": {
		"error.title": true, // Error
		"procrule.no": true, // No
	},
}

// pluralForms are the CLDR plural categories go-i18n v2.7.0 selects for each
// language (internal/plural/rule_gen.go). A plural message must define all
// of them: go-i18n fails at run time when the selected form is missing.
var pluralForms = map[string][]string{
	"ar": {"few", "many", "one", "other", "two", "zero"},
	"zh": {"other"},
	"en": {"one", "other"},
	"fr": {"many", "one", "other"},
	"ru": {"few", "many", "one", "other"},
	"es": {"many", "one", "other"},
}

// pluralCounts exercise every category of the six languages: Arabic zero
// (0), one (1), two (2), few (3, 5), many (11, 21), other (100, 1000000);
// Russian one (1, 21), few (2, 3), many (0, 5, 11, 100); French and Spanish
// many (1000000).
var pluralCounts = []int{0, 1, 2, 3, 5, 11, 21, 100, 1000000}

// rawCatalogue reads a catalogue file as JSON: each value is either a string
// or a map of plural category to string.
func rawCatalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	data, err := locales.ReadFile(path.Join("locales", lang+".json"))
	if err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// forms returns the text(s) of a message value: a single string, or the
// plural forms keyed by category.
func forms(t *testing.T, lang, id string, v any) map[string]string {
	t.Helper()
	switch v := v.(type) {
	case string:
		return map[string]string{"": v}
	case map[string]any:
		out := map[string]string{}
		for k, f := range v {
			s, ok := f.(string)
			if !ok {
				t.Errorf("%s %s: form %q is %T, want string", lang, id, k, f)
				continue
			}
			out[k] = s
		}
		return out
	default:
		t.Errorf("%s %s: value is %T, want string or plural object", lang, id, v)
		return nil
	}
}

func isPlural(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func newCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func others() []string {
	var out []string
	for _, l := range concord.Languages {
		if l != "en" {
			out = append(out, l)
		}
	}
	return out
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCataloguesHaveSameIDs(t *testing.T) {
	c := newCatalog(t)
	en := rawCatalogue(t, "en")
	if len(en) == 0 {
		t.Fatal("en.json is empty")
	}
	enIDs := keys(en)
	if got := c.IDs("en"); !reflect.DeepEqual(got, enIDs) {
		t.Errorf("Catalog.IDs(en) has %d ids, en.json has %d", len(got), len(enIDs))
	}
	for _, lang := range others() {
		tr := rawCatalogue(t, lang)
		for _, id := range enIDs {
			if _, ok := tr[id]; !ok {
				t.Errorf("%s.json: missing id %q", lang, id)
			}
		}
		for _, id := range keys(tr) {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.json: extra id %q not in en.json", lang, id)
			}
		}
		// What go-i18n actually loaded must agree with the file.
		if got := c.IDs(lang); !reflect.DeepEqual(got, keys(tr)) {
			t.Errorf("Catalog.IDs(%s) = %d ids, %s.json has %d", lang, len(got), lang, len(tr))
		}
	}
}

func TestCataloguesAreTranslated(t *testing.T) {
	en := rawCatalogue(t, "en")
	for _, lang := range others() {
		tr := rawCatalogue(t, lang)
		for id, ev := range en {
			tv, ok := tr[id]
			if !ok {
				continue // reported by TestCataloguesHaveSameIDs
			}
			english := map[string]bool{}
			for _, s := range forms(t, "en", id, ev) {
				english[s] = true
			}
			for form, s := range forms(t, lang, id, tv) {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s %s %s: empty translation", lang, id, form)
					continue
				}
				if english[s] && !sameAsEnglish[s] && !cognates[lang][id] {
					t.Errorf("%s %s: %q is identical to English (untranslated copy?)", lang, id, s)
				}
			}
		}
	}
}

func TestPluralCategories(t *testing.T) {
	en := rawCatalogue(t, "en")
	for _, lang := range concord.Languages {
		want := pluralForms[lang]
		if want == nil {
			t.Fatalf("no plural categories known for %s", lang)
		}
		tr := rawCatalogue(t, lang)
		for id, ev := range en {
			tv, ok := tr[id]
			if !ok {
				continue
			}
			if isPlural(ev) != isPlural(tv) {
				t.Errorf("%s %s: plural in English is %v, here %v", lang, id, isPlural(ev), isPlural(tv))
				continue
			}
			if !isPlural(tv) {
				continue
			}
			var got []string
			for k := range forms(t, lang, id, tv) {
				got = append(got, k)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: plural forms %v, want %v", lang, id, got, want)
			}
		}
	}
}

func TestEveryMessageRenders(t *testing.T) {
	c := newCatalog(t)
	en := rawCatalogue(t, "en")
	for _, lang := range concord.Languages {
		for _, id := range keys(en) {
			names := englishPlaceholders(t, id, en[id])
			var data map[string]any
			for name := range names {
				if name == "Count" {
					continue // set below, per plural count
				}
				if data == nil {
					data = map[string]any{}
				}
				data[name] = sampleValue(name)
			}
			// check reports a rendering that fell back to the id, is empty,
			// misses template data or drops one of the sample values.
			check := func(s, label string) {
				t.Helper()
				bad := s == id || strings.TrimSpace(s) == "" || strings.Contains(s, "<no value>")
				for name := range names {
					if name != "Count" && !strings.Contains(s, sampleValue(name)) {
						bad = true
					}
				}
				if bad {
					t.Errorf("T(%s, %s%s) = %q", lang, id, label, s)
				}
			}
			if !isPlural(en[id]) && !names["Count"] {
				check(c.T(lang, id, data), "")
				continue
			}
			withCount := func(n any) map[string]any {
				d := map[string]any{"Count": n}
				for k, v := range data {
					d[k] = v
				}
				return d
			}
			for _, n := range pluralCounts {
				s := c.T(lang, id, withCount(n))
				check(s, ", Count="+strconv.Itoa(n))
				if !strings.Contains(s, strconv.Itoa(n)) {
					t.Errorf("T(%s, %s, Count=%d) = %q lacks the count", lang, id, n, s)
				}
			}
			// A fraction selects "other" in Russian, Spanish and Arabic,
			// which no whole number reaches in Russian.
			s := c.T(lang, id, withCount("1.5"))
			check(s, ", Count=1.5")
			if !strings.Contains(s, "1.5") {
				t.Errorf("T(%s, %s, Count=1.5) = %q lacks the count", lang, id, s)
			}
		}
	}
}

// TestPlaceholdersAreSimple keeps template syntax in the catalogues to plain
// {{.Name}} fields: no functions, pipelines or conditionals, which
// translators could break without the other tests noticing.
func TestPlaceholdersAreSimple(t *testing.T) {
	for _, lang := range concord.Languages {
		tr := rawCatalogue(t, lang)
		for _, id := range keys(tr) {
			for form, s := range forms(t, lang, id, tr[id]) {
				actions := strings.Count(s, "{{")
				if n := len(placeholderRE.FindAllString(s, -1)); actions != n || strings.Count(s, "}}") != n {
					t.Errorf("%s %s %s: %q uses template syntax other than {{.Name}}", lang, id, form, s)
				}
			}
		}
	}
}

func TestPlaceholdersKept(t *testing.T) {
	en := rawCatalogue(t, "en")
	for _, lang := range others() {
		tr := rawCatalogue(t, lang)
		for _, id := range keys(en) {
			tv, ok := tr[id]
			if !ok {
				continue
			}
			want := englishPlaceholders(t, id, en[id])
			for form, s := range forms(t, lang, id, tv) {
				got := placeholders(s)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s %s: %q uses placeholders %v, English uses %v", lang, id, form, s, sortedNames(got), sortedNames(want))
				}
			}
		}
	}
}

func TestUnknownLanguageFallsBackToEnglish(t *testing.T) {
	c := newCatalog(t)
	if got, want := c.T("de", "form.save", nil), c.T("en", "form.save", nil); got != want {
		t.Errorf("T(de, form.save) = %q, want English %q", got, want)
	}
	if got := c.T("fr", "no.such.id", nil); got != "no.such.id" {
		t.Errorf("T(fr, unknown id) = %q, want the id", got)
	}
}

func TestDir(t *testing.T) {
	for _, lang := range concord.Languages {
		want := "ltr"
		if lang == "ar" {
			want = "rtl"
		}
		if got := Dir(lang); got != want {
			t.Errorf("Dir(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"ar-EG,ar;q=0.9", "ar"},
		{"zh-TW", "zh"},
		{"zh-CN", "zh"},
		{"de-DE", "en"},
		{"", "en"},
		{"fr-CA,en;q=0.5", "fr"},
		{"ru", "ru"},
		{"es-419", "es"},
		{"en-GB", "en"},
		{"garbage;;q=x", "en"},
	} {
		if got := Match(tc.header); got != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

// TestDomainKeysAreInTheCatalogue checks that every message key the domain
// code can emit has an English entry (the other languages follow from
// TestCataloguesHaveSameIDs).
func TestDomainKeysAreInTheCatalogue(t *testing.T) {
	en := rawCatalogue(t, "en")
	keys := slices.Concat(rule.TermKeys(), accreditation.ErrorKeys, accreditation.ReasonKeys, meeting.MessageKeys(), document.MessageKeys(), search.MessageKeys(), statement.MessageKeys(), capacity.MessageKeys(), capacity.ProjectMessageKeys(), exercise.MessageKeys())
	for k := range decision.MessageKeys {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: emitted by the domain code, missing from the catalogue", k)
		}
	}
}
