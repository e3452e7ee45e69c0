// Package i18n holds the interface catalogues in the six UN languages and
// picks a language for a request. Catalogues are JSON files in go-i18n's
// format (a string, or plural forms "one", "few", "many", "other", ...).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"concord"
)

//go:embed locales/*.json
var locales embed.FS

// Catalog translates message ids into the six languages.
type Catalog struct {
	loc map[string]*goi18n.Localizer
	ids map[string][]string // language -> message ids present
	// plain memoises messages without template data: pages ask for the same
	// labels thousands of times, and go-i18n's lookup costs microseconds.
	plain sync.Map // lang + "\x00" + id -> string
}

// New returns the embedded catalogues, parsed once per process: a Catalog
// is read-only once loaded (its memo is a sync.Map), and parsing the six
// files costs about 0.1 s, which every server and test paid again.
// English is the source language.
func New() (*Catalog, error) {
	catalogOnce.Do(func() { catalog, catalogErr = load() })
	return catalog, catalogErr
}

var (
	catalogOnce sync.Once
	catalog     *Catalog
	catalogErr  error
)

// load parses the embedded catalogues.
func load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{loc: map[string]*goi18n.Localizer{}, ids: map[string][]string{}}
	for _, l := range concord.Languages {
		name := path.Join("locales", l+".json")
		data, err := locales.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, m := range f.Messages {
			c.ids[l] = append(c.ids[l], m.ID)
		}
		sort.Strings(c.ids[l])
		// Only this language: a missing message falls back to the id, which
		// the completeness test catches, rather than silently to English.
		c.loc[l] = goi18n.NewLocalizer(b, l)
	}
	return c, nil
}

// IDs returns the message ids a language's catalogue defines.
func (c *Catalog) IDs(lang string) []string { return c.ids[lang] }

// T translates id into lang; data is a map for {{.Name}} placeholders, and
// a "Count" key selects the plural form.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	if data == nil {
		k := lang + "\x00" + id
		if v, ok := c.plain.Load(k); ok {
			return v.(string)
		}
		v := c.localize(lang, id, nil)
		c.plain.Store(k, v)
		return v
	}
	return c.localize(lang, id, data)
}

func (c *Catalog) localize(lang, id string, data map[string]any) string {
	l, ok := c.loc[lang]
	if !ok {
		l = c.loc["en"]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := l.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// Dir returns the text direction of lang.
func Dir(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

var matcher = language.NewMatcher([]language.Tag{
	language.Arabic, language.Chinese, language.English, language.French, language.Russian, language.Spanish,
})

// Match picks one of the six languages for an Accept-Language header,
// English when nothing matches.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return concord.Languages[i]
}
