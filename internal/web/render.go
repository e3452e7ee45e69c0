package web

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"concord"
	"concord/internal/httperr"
	"concord/internal/i18n"
	"concord/internal/reqlog"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

type templates struct {
	layout *template.Template
	pages  map[string]*template.Template
}

// parseTemplates parses the layout with each page once at start-up, so a
// broken template stops the server instead of one request. The embedded
// templates are parsed once per process and shared: html/template is safe
// for concurrent execution, and nothing adds to them after the parse (a
// test binary starts hundreds of servers; parsing cost a tenth of its CPU).
func parseTemplates() (*templates, error) { return parsedTemplates() }

var parsedTemplates = sync.OnceValues(func() (*templates, error) {
	return parseTemplatesFS(templateFS)
})

// parseTemplatesFS parses the templates of fsys (laid out as templateFS)
// afresh.
func parseTemplatesFS(fsys fs.FS) (*templates, error) {
	funcs := template.FuncMap{
		"add":   func(a, b int) int { return a + b },
		"upper": strings.ToUpper,
		"list":  func(v ...string) []string { return v },
		"list2": func(a, b any) []any { return []any{a, b} },
		"hex": func(b []byte) string {
			if len(b) > 8 {
				b = b[:8]
			}
			return fmt.Sprintf("%x", b)
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "templates/shared/layout.html", "templates/shared/partials.html")
	if err != nil {
		return nil, err
	}
	// Pages are grouped in a folder per part of the procedure; a page is
	// rendered by its file's base name, which must therefore be unique.
	names, err := fs.Glob(fsys, "templates/*/*.html")
	if err != nil {
		return nil, err
	}
	// A page left at the top (say, from a branch older than the folders)
	// would be silently missing: refuse it.
	if flat, _ := fs.Glob(fsys, "templates/*.html"); len(flat) > 0 {
		return nil, fmt.Errorf("template %s: pages live in a folder of templates/ (shared/, accreditation/, …)", flat[0])
	}
	t := &templates{layout: base, pages: map[string]*template.Template{}}
	seen := map[string]string{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		if prev, dup := seen[name]; dup {
			return nil, fmt.Errorf("template %q is both %s and %s", name, prev, n)
		}
		seen[name] = n
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(fsys, n); err != nil {
			return nil, err
		}
		t.pages[name] = c
	}
	return t, nil
}

// Page is what every template receives.
type Page struct {
	Lang  string
	Dir   string
	Title string
	User  *concord.User
	Path  string // request path without the language prefix
	Query string
	Data  any
	// Form keeps what the user typed, and Err the problem, when a form is
	// shown again after a validation error.
	Form url.Values
	Err  *concord.Error
	// Errs is every problem of the submission (Err is the first); each is
	// shown next to its field and listed at the top.
	Errs []*concord.Error
	// Flash is a message id shown once, e.g. after a successful save.
	Flash string
	// Content is the rendered page body that the layout wraps.
	Content template.HTML
	// Feeds are the Atom feeds of what the page shows, offered in its head
	// and shown by the "feeds" partial.
	Feeds []FeedLink

	cat *i18n.Catalog
	ids map[string]bool // element ids of the content, when errors are shown
	// formPage is, for a page answering a POST, the page the form was on
	// (see LangURL).
	formPage string
	// restore names the input kept for the language switcher of a form
	// shown again with errors (drafts.go); restored marks a page showing
	// such input, which no cache keeps.
	restore  string
	restored bool
	// slots are the form slots of Content, when they were found already
	// (cachedContent); nil: not yet.
	slots []formSlot
	// zone gives the meeting venue's time zone, the one procedure deadlines
	// are set in (loaded once, when the page first shows a time).
	zone func() *time.Location
}

// When shows an instant in the meeting venue's time zone and says which
// zone: "2026-05-14 18:00 New York (UTC−4)". Every time on the pages goes
// through it (or accrTime, the same with the zone at hand), so a page never
// mixes zones without saying so.
func (p *Page) When(t time.Time) template.HTML { return zoned(t, p.location()) }

// Day is the date of t in the meeting venue's time zone, the zone of every
// time on the pages (When), so that a date and a time on one page never
// disagree and a date typed into a form (read in that zone) shows as typed;
// zero shows nothing.
func (p *Page) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d, _, _ := concord.Local(t, p.location())
	return d
}

// ZoneName names the meeting venue's time zone by its city ("New York"), or
// "UTC": what a form says a date is read in.
func (p *Page) ZoneName() string { return zoneCity(p.location()) }

// zoneCity is the city of loc's IANA name, "UTC" for UTC or no name.
func zoneCity(loc *time.Location) string {
	name := loc.String()
	if name == "UTC" || name == "" || name == "Local" {
		return "UTC"
	}
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}

// location is the page's time zone (UTC when it has none).
func (p *Page) location() *time.Location {
	if p.zone != nil {
		return p.zone()
	}
	return time.UTC
}

// zoned is an instant as it reads in loc, with the zone named by its city
// and its offset from UTC, marked up with its UTC value; zero shows nothing.
func zoned(t time.Time, loc *time.Location) template.HTML {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	return template.HTML(`<time dir="ltr" datetime="` + t.UTC().Format(time.RFC3339) + `">` +
		html.EscapeString(l.Format("2006-01-02 15:04")+" "+zoneLabel(l)) + `</time>`)
}

// zoneLabel names the zone of l: "UTC", or the city of its IANA name and
// the offset, "New York (UTC−4)", "Kathmandu (UTC+5:45)".
func zoneLabel(l time.Time) string {
	_, off := l.Zone()
	name := l.Location().String()
	if name == "UTC" || name == "" || name == "Local" {
		if off == 0 {
			return "UTC"
		}
		name = ""
	}
	sign := "+"
	if off < 0 {
		sign, off = "\u2212", -off
	}
	utc := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		utc += fmt.Sprintf(":%02d", m)
	}
	if off == 0 {
		utc = "UTC"
	}
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ReplaceAll(name, "_", " ")
	if name == "" {
		return utc
	}
	return name + " (" + utc + ")"
}

// T translates a message id; args are alternating keys and values.
func (p *Page) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return p.cat.T(p.Lang, id, data)
}

// Localised is content shown in a language, marked when it is a fallback.
type Localised struct {
	Text    string
	Lang    string
	Dir     string
	Pending bool
}

// L picks the page language's version of t.
func (p *Page) L(t concord.Text) Localised {
	s, l, pending := t.In(p.Lang)
	return Localised{Text: s, Lang: l, Dir: i18n.Dir(l), Pending: pending}
}

// Show renders a name or a text someone typed (an organisation, a person,
// a State's name, an applicant's answers, a proposal) in the page's language
// when it exists, else in the language it was written in, with that
// language marked. Names and free text are not translated, so a missing
// version is not "pending".
func (p *Page) Show(t concord.Text) template.HTML {
	l := p.L(t)
	return template.HTML(`<span lang="` + l.Lang + `" dir="` + l.Dir + `">` + html.EscapeString(l.Text) + `</span>`)
}

// Owed renders a text the process owes in the six languages (an agenda
// item, a rule's note) like Show, with a "translation pending" note when the
// page's language is still missing.
func (p *Page) Owed(t concord.Text) template.HTML {
	out := p.Show(t)
	if p.L(t).Pending {
		out += template.HTML(` <small class="pending">(` + html.EscapeString(p.T("content.pending")) + `)</small>`)
	}
	return out
}

// DTG is a Dedicated Thematic Group's name in the page's language (its code
// when unknown).
func (p *Page) DTG(code string) string {
	if d, ok := concord.DTGByCode(code); ok {
		return p.L(d.Names).Text
	}
	return code
}

// URL prefixes a path with the page's language.
func (p *Page) URL(path string) string { return "/" + p.Lang + path }

// LangURL is this page in another language. A page shown in answer to a
// form (a POST with an error) has no address of its own: its address is the
// form's action, which answers only POST, so the switcher leads to the page
// the form was on instead.
func (p *Page) LangURL(lang string) string {
	path, query := p.Path, p.Query
	if p.formPage != "" {
		path, query, _ = strings.Cut(p.formPage, "?")
	}
	if p.restore != "" {
		q, _ := url.ParseQuery(query)
		q.Set(RestoreParam, p.restore)
		query = q.Encode()
	}
	u := "/" + lang + path
	if query != "" {
		u += "?" + query
	}
	return u
}

// formPageField carries, in every form a signed-in user is shown, the page
// the form is on (after /{lang}, with its query): added by writeLayout
// beside the form token, so that the page is known without a Referer.
const formPageField = "form_page"

// formPageOf is the page (after /{lang}, with its query) a POST came from:
// the one its form names (formPageField), else its same-site Referer, else
// the home page.
func formPageOf(r *http.Request) string {
	fp := r.URL.Query().Get(formPageField)
	if !isMultipart(r) && r.PostForm != nil {
		fp = r.PostForm.Get(formPageField)
	}
	if u, err := url.Parse(fp); err == nil && strings.HasPrefix(fp, "/") && !strings.HasPrefix(fp, "//") &&
		!strings.Contains(fp, `\`) && u.Scheme == "" && u.Host == "" {
		q := u.Query()
		q.Del("saved")
		q.Del(RestoreParam)
		if e := q.Encode(); e != "" {
			return u.Path + "?" + e
		}
		return u.Path
	}
	ref, err := url.Parse(r.Referer())
	if err == nil && ref.Host == r.Host && ref.Path != "" {
		segs := strings.SplitN(ref.Path, "/", 3)
		if len(segs) >= 2 && concord.IsLanguage(segs[1]) {
			path := "/"
			if len(segs) == 3 {
				path += segs[2]
			}
			q := ref.Query()
			q.Del("saved") // a flash belongs to the moment, not the page
			if e := q.Encode(); e != "" {
				path += "?" + e
			}
			return path
		}
	}
	return "/"
}

// Languages lists the six languages for the switcher.
func (p *Page) Languages() []string { return concord.Languages }

// langNames are the languages' names in themselves (one map, not one per
// call: the switcher asks six times per page).
var langNames = map[string]string{"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español"}

// LangName is a language's name in itself.
func (p *Page) LangName(l string) string { return langNames[l] }

// FieldErr returns the error message for field, if an error concerns it.
func (p *Page) FieldErr(field string) string {
	for _, e := range p.errs() {
		if e.Field == field {
			return p.cat.T(p.Lang, e.Key, nil)
		}
	}
	return ""
}

// errs is every error shown: Errs, or Err alone.
func (p *Page) errs() []*concord.Error {
	if len(p.Errs) == 0 && p.Err != nil {
		return []*concord.Error{p.Err}
	}
	return p.Errs
}

// SetErr shows err's field errors (every one of a concord.Errors) with the
// form.
func (p *Page) SetErr(err error) {
	p.Errs = httperr.All(err)
	p.Err = nil
	if len(p.Errs) > 0 {
		p.Err = p.Errs[0]
	}
}

// HasField reports whether the form on the page has a control for an
// error's field, so that "Go to the field" is offered only where there is
// a field to go to.
func (p *Page) HasField(field string) bool {
	return field != "" && p.ids[p.FieldID(field)]
}

// elementID finds the id attributes of rendered content.
var elementID = regexp.MustCompile(`\sid="([^"]+)"`)

// FieldID is the id of the form control for an error's field, so that the
// error summary can link to it.
func (p *Page) FieldID(field string) string {
	if field == "names" {
		return "name_" + p.Lang
	}
	return field
}

// Can reports whether the page's user may do action on the target.
func (p *Page) Can(action string, state string, org int64) bool {
	return concord.Can(p.User, concord.Action(action), concord.Target{State: state, OrgID: org})
}

func (s *Server) newPage(r *http.Request, title string, data any) *Page {
	lang := LangFrom(r.Context())
	path := strings.TrimPrefix(r.URL.Path, "/"+lang)
	if path == "" {
		path = "/"
	}
	p := &Page{Lang: lang, Dir: i18n.Dir(lang), User: UserFrom(r.Context()), Path: path, Query: r.URL.RawQuery, Data: data, cat: s.Cat}
	p.Title = p.T(title)
	if r.Method == http.MethodPost {
		p.formPage = formPageOf(r)
	}
	ctx := r.Context()
	var loc *time.Location
	p.zone = func() *time.Location {
		if loc == nil {
			loc = time.UTC
			if s.Accredit != nil {
				if l, err := s.Accredit.Location(ctx); err == nil && l != nil {
					loc = l
				}
			}
		}
		return loc
	}
	if f := r.URL.Query().Get("saved"); f != "" {
		p.Flash = "flash.saved"
	}
	return p
}

// render executes a page's content, then the layout around it, each into a
// buffer, so that a template error never sends half a page. ETags and the
// shared anonymous cache are the conditional middleware's; for signed-in
// users the content of public pages is cached here (see cachedContent).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	if err := checkView(name, p.Data); err != nil {
		return err
	}
	s.keepInput(r, p)
	p.Errs = p.errs()
	var content bytes.Buffer
	if err := t.ExecuteTemplate(&content, "content", p); err != nil {
		return err
	}
	if len(p.Errs) > 0 {
		// The error summary links only to fields the form has: learn the
		// ids from a first rendering, then render again (error pages only).
		p.ids = map[string]bool{}
		for _, m := range elementID.FindAllSubmatch(content.Bytes(), -1) {
			p.ids[string(m[1])] = true
		}
		content.Reset()
		if err := t.ExecuteTemplate(&content, "content", p); err != nil {
			return err
		}
	}
	p.Content = template.HTML(content.String())
	if ck, ok := r.Context().Value(contentKey).(contentSlot); ok && status == http.StatusOK && !p.restored {
		p.slots = formSlots(string(p.Content))
		s.contents.put(ck.key, cachedContent{version: ck.version, until: ck.exp.Time(), title: p.Title, content: p.Content, slots: p.slots, feeds: p.Feeds})
	}
	return s.writeLayout(w, r, status, p)
}

// keepInput, on a form shown again with errors in answer to a POST, keeps
// what was typed for the language switcher; on a page asked for with
// ?restore=, shows the form as it was sent, with its errors.
func (s *Server) keepInput(r *http.Request, p *Page) {
	if p.User == nil {
		return
	}
	now := s.DB.Now()
	if r.Method == http.MethodPost {
		if errs := p.errs(); len(errs) > 0 && len(p.Form) > 0 {
			p.restore = s.drafts.put(p.User.ID, p.Form, errs, now)
		}
		return
	}
	if id := r.URL.Query().Get(RestoreParam); id != "" {
		if d, ok := s.drafts.get(id, p.User.ID, now); ok {
			p.Form, p.Errs, p.Err, p.restored = d.form, d.errs, d.errs[0], true
		}
	}
}

// contentMark stands for the content while the layout is executed: the
// layout is rendered around it, and the content is written in its place, so
// that the page is never copied whole and only the layout is scanned for
// forms. html/template escapes NUL in every value it prints, so no value
// can forge the mark.
const contentMark = "\x00concord:content\x00"

// layoutBufs are the layout's buffers, reused: a layout is a few kilobytes.
var layoutBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeLayout wraps p.Content in the layout and writes the page, with a
// fresh form token in each POST form for a signed-in user.
func (s *Server) writeLayout(w http.ResponseWriter, r *http.Request, status int, p *Page) error {
	buf := layoutBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			layoutBufs.Put(buf)
		}
	}()
	buf.Reset()
	content := p.Content
	p.Content = contentMark
	err := s.tmpl.layout.ExecuteTemplate(buf, "layout.html", p)
	p.Content = content
	if err != nil {
		return err
	}
	frame := buf.String()
	head, foot, ok := strings.Cut(frame, contentMark)
	if !ok {
		head, foot, content = frame, "", ""
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	session, formPage := "", ""
	if p.User != nil {
		h.Set("Cache-Control", "private, no-store")
		session, _ = r.Context().Value(tokenKey).(string)
		page := p.formPage
		if page == "" {
			page = p.Path
			if q := pageQueryWithout(p.Query); q != "" {
				page += "?" + q
			}
		}
		formPage = page
	}
	w.WriteHeader(status)
	if session == "" {
		io.WriteString(w, head)
		io.WriteString(w, string(content))
		io.WriteString(w, foot)
		return nil
	}
	slots := p.slots
	if slots == nil {
		slots = formSlots(string(content))
	}
	writeTokens(w, head, formSlots(head), session, formPage)
	writeTokens(w, string(content), slots, session, formPage)
	writeTokens(w, foot, formSlots(foot), session, formPage)
	return nil
}

// pageQueryWithout is a page's query without the one-time parameters
// (the saved notice, kept input), for the form_page of its forms.
func pageQueryWithout(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return ""
	}
	q.Del("saved")
	q.Del(RestoreParam)
	return q.Encode()
}

// renderError shows a localised error page with the status of the error's
// code. Internal errors are logged and shown without details.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r, err) {
		// Nobody is waiting for the page: note it, without an error.
		reqlog.Logger(r.Context(), s.Log).Info("client closed request", "method", r.Method, "path", r.URL.Path)
		w.WriteHeader(StatusClientClosed)
		return
	}
	de := AsDomain(err)
	if de.Code == concord.EInternal {
		reqlog.Logger(r.Context(), s.Log).Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if LangFrom(r.Context()) == "" || r.Context().Value(langKey) == nil {
		// Outside a language prefix: guess from the path, then the header.
		lang := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
		if !concord.IsLanguage(lang) {
			lang = "en"
		}
		r = r.WithContext(WithLang(r.Context(), lang))
	}
	p := s.newPage(r, "error.title", nil)
	p.Err = de
	p.Title = s.Cat.T(p.Lang, "status."+fmt.Sprint(Status(de.Code)), nil)
	if rerr := s.render(w, r, Status(de.Code), "error", p); rerr != nil {
		s.Log.Error("render error page", "err", rerr)
		http.Error(w, de.Message, Status(de.Code))
	}
}

// notFoundPage answers paths no route matches, including unknown language
// prefixes, with a localised 404.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	lang := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	if !concord.IsLanguage(lang) {
		lang = i18n.Match(r.Header.Get("Accept-Language"))
	}
	r = r.WithContext(WithLang(r.Context(), lang))
	s.renderError(w, r, concord.Errorf(concord.ENotFound, "", "error.not_found", "page not found"))
}
