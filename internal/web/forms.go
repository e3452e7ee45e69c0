package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"concord/internal/idem"
	"concord/internal/store"
)

// Writes safe against double submission, for every form at once:
//
//   - One-time form tokens. Every POST form a signed-in user is shown gets a
//     fresh token, added to the finished page by writeLayout (so no template
//     needs to remember it, and cached page content never carries one). The
//     token is bound to the session by an HMAC. A POST carrying it runs under
//     it as an idempotency key (idem.Serve): its first write records the
//     token in the same transaction, and a second POST with the same token
//     writes nothing and gets the first one's answer (the same redirect).
//   - Confirmation steps. A route listed in confirmations first answers a
//     page that says what will happen, with a form that posts the same
//     fields again with confirm=1; only that second POST writes. It needs no
//     JavaScript. The API takes the same acts in one call.

// FormTokenField is the name of the hidden field that carries a form token.
const FormTokenField = "form_token"

// formAction finds the action of a form tag, to carry the token of a
// multipart form.
var formAction = regexp.MustCompile(`\baction="([^"?]*)(\?[^"]*)?"`)

// injectFormTokens adds a fresh token bound to session to every POST form of
// page (formSlots, then writeTokens), with the page it is on (formPage).
func injectFormTokens(page []byte, session, formPage string) []byte {
	var out bytes.Buffer
	writeTokens(&out, string(page), formSlots(string(page)), session, formPage)
	return out.Bytes()
}

// formSlot is where a POST form of a page takes its token: after the form
// tag (a hidden field) or, for a multipart form (whose handlers stream the
// body and cannot have it parsed first), before the closing quote of its
// action, as a parameter of the action's URL (sep is "?" or "&amp;").
type formSlot struct {
	at  int
	sep string // "" for a hidden field
}

// formSlots finds the slots of page's POST forms. The templates write <form
// and method="post" literally; html/template escapes any ">" in attribute
// values, so the first ">" ends the tag. A plain scan, not a regular
// expression over the page: pages run to hundreds of kilobytes. The slots of
// a page's content are found once, when the content is cached (see
// cachedContent), and only the layout around it is scanned per request.
func formSlots(page string) []formSlot {
	slots := []formSlot{} // not nil: "scanned, no forms"
	for off := 0; ; {
		i := strings.Index(page[off:], "<form")
		if i < 0 {
			return slots
		}
		i += off
		j := strings.IndexByte(page[i:], '>')
		if j < 0 {
			return slots
		}
		tag := page[i : i+j+1]
		off = i + j + 1
		if !strings.Contains(tag, `method="post"`) {
			continue
		}
		if !strings.Contains(tag, `enctype="multipart/form-data"`) {
			slots = append(slots, formSlot{at: off})
			continue
		}
		if m := formAction.FindStringIndex(tag); m != nil {
			sep := "?"
			if strings.Contains(tag[m[0]:m[1]], "?") {
				sep = "&amp;"
			}
			slots = append(slots, formSlot{at: i + m[1] - 1, sep: sep})
		}
	}
}

// writeTokens writes page with a fresh token bound to session in each slot.
// Each form also names the page it is on (formPageField, formPage: a path
// after the language, with its query), so that its answer knows where it
// came from without a Referer.
func writeTokens(w io.Writer, page string, slots []formSlot, session, formPage string) {
	if len(slots) == 0 {
		io.WriteString(w, page)
		return
	}
	fpHidden := `<input type="hidden" name="` + formPageField + `" value="` + html.EscapeString(formPage) + `">`
	fpParam := "&amp;" + formPageField + "=" + html.EscapeString(url.QueryEscape(formPage))
	last := 0
	for _, sl := range slots {
		io.WriteString(w, page[last:sl.at])
		tok := newFormToken(session)
		if sl.sep == "" {
			io.WriteString(w, `<input type="hidden" name="`+FormTokenField+`" value="`+tok+`">`+fpHidden)
		} else {
			io.WriteString(w, sl.sep+FormTokenField+"="+tok+fpParam)
		}
		last = sl.at
	}
	io.WriteString(w, page[last:])
}

// newFormToken is a random nonce with its MAC under the session's token hash.
func newFormToken(session string) string {
	nonce := rand.Text()
	return nonce + "." + formMAC(session, nonce)
}

func formMAC(session, nonce string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("concord form token\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// formTokenOf returns the nonce of the request's form token when it was made
// for this session. A token of another session (the user signed in again
// with the page open) is ignored: the POST is then an ordinary one.
func formTokenOf(r *http.Request) (string, bool) {
	session, _ := r.Context().Value(tokenKey).(string)
	if session == "" {
		return "", false
	}
	tok := r.URL.Query().Get(FormTokenField)
	if !isMultipart(r) {
		tok = r.PostFormValue(FormTokenField)
	}
	nonce, mac, ok := strings.Cut(tok, ".")
	if !ok || nonce == "" || len(tok) > 128 {
		return "", false
	}
	return nonce, hmac.Equal([]byte(mac), []byte(formMAC(session, nonce)))
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
}

// serveWrite runs a POST handler, under its form token when it has one, and
// through its confirmation step when its route has one.
func (s *Server) serveWrite(w http.ResponseWriter, r *http.Request, confirm ConfirmFunc, h HandlerFunc) {
	run := func(w http.ResponseWriter, r *http.Request) {
		if confirm != nil && r.PostFormValue("confirm") != "1" {
			if err := s.askConfirmation(w, r, confirm, h); err != nil {
				s.renderError(w, r, err)
			}
			return
		}
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
	u := UserFrom(r.Context())
	if u == nil {
		run(w, r)
		return
	}
	if !isMultipart(r) {
		// Parsed here, so a body that cannot be is refused as the handler
		// would (413 over the limit), not read as an empty form.
		if err := r.ParseForm(); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	nonce, ok := formTokenOf(r)
	if !ok || secretAnswers[strings.TrimPrefix(r.URL.Path, "/"+LangFrom(r.Context()))] {
		run(w, r)
		return
	}
	// The token is one per rendered form; the method and path only guard
	// against a token moved to another form.
	hash := idem.Hash([]byte(r.Method), []byte(r.URL.Path))
	// Should the answer be lost after the write, a repeat goes back to the
	// page the form was on, which shows what was written.
	lost := store.IdemResponse{Status: http.StatusSeeOther, Location: "/" + LangFrom(r.Context()) + formPageOf(r)}
	if err := idem.Serve(w, r, s.DB, u, "form:"+nonce, hash, lost, http.HandlerFunc(run)); err != nil {
		s.renderError(w, r, err)
	}
}

// Confirmation is what a confirmation page says: a heading, what will
// happen, and the label of the button that does it, all in the page's
// language; Back is where cancelling goes (a path after the language).
type Confirmation struct {
	Heading string
	Lines   []string
	Button  string
	Back    string
}

// ConfirmFunc describes what a POST will do, for its confirmation page. It
// returns nil when the request needs no confirmation, or when the handler
// will refuse it anyway (the handler then shows the error with the form).
type ConfirmFunc func(r *http.Request, p *Page) (*Confirmation, error)

type hiddenField struct{ Name, Value string }

// confirmView is a confirmation page: what will happen, and the form that
// posts the same fields again to Action with confirm=1.
type confirmView struct {
	Confirm *Confirmation
	Action  string
	Fields  []hiddenField
}

// askConfirmation runs the handler as a dry run (store.DryRun: every write
// rolled back). A request the handler refuses gets the handler's own answer,
// the error next to the form, at once; one that would write gets the
// confirmation page instead.
func (s *Server) askConfirmation(w http.ResponseWriter, r *http.Request, confirm ConfirmFunc, h HandlerFunc) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	dry := &store.DryRun{}
	buf := &pending{header: http.Header{}}
	if err := h(buf, r.WithContext(store.WithDryRun(r.Context(), dry))); err != nil && !errors.Is(err, store.ErrDryRun) {
		s.renderError(buf, r, err)
	}
	if !dry.Reached() {
		buf.flush(w)
		return nil
	}
	p := s.newPage(r, "confirm.title", nil)
	c, err := confirm(r, p)
	if err != nil {
		return err
	}
	if c == nil {
		// Nothing to confirm (a deferral, a position that is no objection).
		return h(w, r)
	}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		if k != FormTokenField && k != "confirm" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var fields []hiddenField
	for _, k := range keys {
		for _, v := range r.PostForm[k] {
			fields = append(fields, hiddenField{k, v})
		}
	}
	p.Title = c.Heading
	p.Data = confirmView{Confirm: c, Action: r.URL.Path, Fields: fields}
	return s.render(w, r, http.StatusOK, "confirm", p)
}

// pending holds a response of a dry run until it is known to be the answer.
type pending struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *pending) Header() http.Header { return b.header }
func (b *pending) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *pending) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *pending) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}
