package web

import (
	"concord/document"
	"concord/meeting"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/documents"
	"concord/internal/i18n"
)

// The process's documents (issue 12): the list with its filters, one
// document with its language versions (the reader's first), the files,
// and the form on which the Secretariat publishes and a delegate submits
// its State's national contribution. A document the reader may not see is
// "not found" everywhere, its existence undisclosed.

func (s *Server) documentRoutes() []Route {
	return []Route{
		{"GET", "/documents", concord.ActRead, nil, "/documents", s.documentsList},
		{"GET", "/documents/new", concord.ActContribute, nil, "/documents/new", s.documentNew},
		{"POST", "/documents", concord.ActContribute, nil, "/documents", s.documentCreate},
		{"GET", "/documents/{id}", concord.ActRead, nil, "/documents/1", s.documentPage},
		{"GET", "/documents/files/{id}", concord.ActRead, nil, "/documents/files/1", s.documentFile},
	}
}

// documentsSvc is the documents service over the server's store and
// process.
func (s *Server) documentsSvc() *documents.Service {
	return &documents.Service{DB: s.DB, Process: s.Decide.Process, Pattern: document.GlobalMechanism}
}

// DocDate shows a document's date (a calendar day, not an instant).
func (p *Page) DocDate(d document.Document) string { return d.Date.UTC().Format(time.DateOnly) }

// Author names an author code in the page's language: the Chair, the
// Secretariat, or the code itself (a State's ISO3, a group, an
// organisation).
func (p *Page) Author(code string) string {
	switch code {
	case document.AuthorChair, document.AuthorSecretariat:
		return p.T("documents.author." + code)
	}
	return code
}

// LangDir is the writing direction of language l.
func (p *Page) LangDir(l string) string { return i18n.Dir(l) }

// Langs is the process's six languages, for filters.
func (p *Page) Langs() []string { return concord.Languages }

// FileSize shows a size in kilobytes.
func (p *Page) FileSize(n int64) string { return p.T("documents.kb", "Size", (n+1023)/1024) }

// documentsData is the data of the list page.
type documentsData struct {
	List     documents.List
	Pager    pager
	Types    []document.Type
	Type     string
	Meeting  string
	Language string
	CanAdd   bool
}

// readDocFilter reads the list's filters; an unknown type, language or
// meeting id is an error (every one at once).
func readDocFilter(q url.Values) (documents.Filter, error) {
	f := documents.Filter{Type: document.Type(q.Get("type")), Lang: q.Get("language")}
	var errs concord.Errors
	errs.Add(documents.CheckFilter(q.Get("type"), f.Lang))
	if raw := q.Get("meeting"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "meeting", "document.error.meeting_id", "not a meeting number: %q", raw))
		}
		f.Meeting = id
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	return f, errs.Err()
}

func (s *Server) documentsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u := UserFrom(r.Context())
	d := documentsData{Types: document.Types, Type: q.Get("type"), Meeting: q.Get("meeting"), Language: q.Get("language"),
		CanAdd: concord.Can(u, concord.ActContribute, concord.Target{})}
	f, ferr := readDocFilter(q)
	status := http.StatusOK
	if ferr == nil {
		// One count and one page, asked for as requested; a page past the
		// end (the pager clamps it) is read again.
		svc := s.documentsSvc()
		l, err := svc.List(r.Context(), u, f)
		if err != nil {
			return err
		}
		pg, offset := newPager(r, l.Total, documents.PageSize)
		d.Pager = pg
		if page := offset/documents.PageSize + 1; page != max(f.Page, 1) {
			f.Page = page
			if l, err = svc.List(r.Context(), u, f); err != nil {
				return err
			}
		}
		d.List = l
	} else {
		status = Status(concord.EInvalid)
	}
	p := s.newPage(r, "documents.title", d)
	p.Feeds = []FeedLink{{p.URL("/documents/feed.atom"), p.T("feed.documents")}}
	if ferr != nil {
		p.SetErr(ferr)
	}
	return s.render(w, r, status, "document_list", p)
}

// documentView is the data of one document's page.
type documentView struct {
	documents.Page
	Versions []document.Version // the reader's language first
	Meetings []documentMeeting
}

// documentMeeting is a meeting the document concerns, named.
type documentMeeting struct {
	ID    int64
	Title concord.Text
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pg, err := s.documentsSvc().Get(r.Context(), UserFrom(r.Context()), id)
	if err != nil {
		return err
	}
	v := documentView{Page: pg, Versions: pg.Document.ReaderOrder(LangFrom(r.Context()))}
	for _, mid := range pg.Document.Meetings {
		m, err := s.DB.Meeting(r.Context(), mid)
		if err != nil {
			return err
		}
		v.Meetings = append(v.Meetings, documentMeeting{ID: m.ID, Title: m.Title})
	}
	p := s.newPage(r, "documents.title", v)
	p.Title = pg.Document.Symbol
	return s.render(w, r, http.StatusOK, "document_page", p)
}

// documentFile serves a version's file as an attachment, with the type its
// content was found to be, never rendered by the browser; a file of a
// document the reader may not see is not found.
func (s *Server) documentFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := s.documentsSvc().File(r.Context(), UserFrom(r.Context()), id)
	if err != nil {
		return err
	}
	serveRecordFile(w, f.ContentType, f.Name, f.Data)
	return nil
}

// serveRecordFile writes a document's file as a download: the sniffed type,
// attachment with the name quoted (RFC 6266/2231 through mime), nosniff, and
// kept out of shared caches (a cached copy would lose the disposition).
func serveRecordFile(w http.ResponseWriter, contentType, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// --- the form -------------------------------------------------------------

// docVersionRow is one language's row of the form.
type docVersionRow struct {
	Lang, Dir        string
	StatusF, FileF   string
	Status           string
	StatusID, FileID string
}

// documentForm is the data of the form page.
type documentForm struct {
	Types         []document.Type
	Distributions []document.Distribution
	Statuses      []document.Status
	Titles        []formTitle
	Versions      []docVersionRow
	Contribution  bool // a delegate's form: type and author are fixed
	State         string
}

func (s *Server) showDocumentForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	lang := LangFrom(r.Context())
	u := UserFrom(r.Context())
	f := documentForm{Types: document.Types, Distributions: document.Distributions, Statuses: document.Statuses,
		Contribution: !concord.Can(u, concord.ActPublishDocuments, concord.Target{})}
	if f.Contribution && u != nil {
		f.State = u.State
	}
	order := append([]string{lang}, slices.DeleteFunc(slices.Clone(concord.Languages), func(l string) bool { return l == lang })...)
	for _, l := range order {
		f.Titles = append(f.Titles, formTitle{Lang: l, Dir: i18n.Dir(l), Name: "title." + l, Value: form.Get("title." + l)})
		f.Versions = append(f.Versions, docVersionRow{Lang: l, Dir: i18n.Dir(l), StatusF: "versions." + l, FileF: "file." + l,
			Status: form.Get("versions." + l), StatusID: "versions." + l, FileID: "file." + l})
	}
	p := s.newPage(r, "documents.new_title", f)
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "document_form", p)
}

func (s *Server) documentNew(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	// Today at UN Headquarters, where the process's documents are dated
	// (in UTC, the form offered tomorrow's date from 19:00 New York time).
	today := s.DB.Now().UTC()
	if hq, err := meeting.Zone(meeting.DefaultZone); err == nil {
		today = today.In(hq)
	}
	form := url.Values{"distribution": {string(document.General)}, "date": {today.Format(time.DateOnly)}}
	if !concord.Can(u, concord.ActPublishDocuments, concord.Target{}) {
		form.Set("type", string(document.NationalContribution))
		form.Set("authors", u.State)
	}
	return s.showDocumentForm(w, r, http.StatusOK, form, nil)
}

// docFieldLimit bounds one text field of the form (a version's text runs
// to document.MaxTextRunes characters, up to 4 bytes each).
const docFieldLimit = 4 * document.MaxTextRunes

// readDocumentForm reads the multipart form: its fields and the files
// chosen per language ("file.en"); a file part with no file chosen is none.
func readDocumentForm(r *http.Request) (url.Values, map[string]documents.VersionInput, error) {
	form := url.Values{}
	files := map[string]documents.VersionInput{}
	mr, err := r.MultipartReader()
	if err != nil {
		return form, files, concord.Errorf(concord.EInvalid, "versions", "error.multipart", "malformed multipart body")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return form, files, nil
		}
		if err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return form, files, concord.Errorf(concord.ETooLarge, "versions", "document.error.files_large", "the files together are limited to %d MB", documents.MaxFile>>20)
			}
			return form, files, concord.Errorf(concord.EInvalid, "versions", "error.multipart", "malformed multipart body")
		}
		name := part.FormName()
		if l, ok := strings.CutPrefix(name, "file."); ok {
			if part.FileName() == "" {
				continue
			}
			data, err := io.ReadAll(io.LimitReader(part, documents.MaxFile+1))
			if err != nil {
				if errors.As(err, new(*http.MaxBytesError)) {
					return form, files, concord.Errorf(concord.ETooLarge, "versions", "document.error.files_large", "the files together are limited to %d MB", documents.MaxFile>>20)
				}
				return form, files, concord.Errorf(concord.EInvalid, "versions", "error.multipart", "malformed multipart body")
			}
			files[l] = documents.VersionInput{Lang: l, FileName: part.FileName(), Data: data}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, docFieldLimit+1))
		if err != nil || len(v) > docFieldLimit {
			return form, files, concord.Errorf(concord.EInvalid, name, "error.too_long", "%s is too long", name)
		}
		form.Add(name, strings.ReplaceAll(string(v), "\r\n", "\n"))
	}
}

// documentInput turns the form into the service's input. A version is
// submitted for each language given a status; a file or text without a
// status is reported on that language.
func documentInput(form url.Values, files map[string]documents.VersionInput) documents.Input {
	in := documents.Input{Symbol: form.Get("symbol"), Type: document.Type(strings.TrimSpace(form.Get("type"))), Title: concord.Text{},
		Distribution: document.Distribution(strings.TrimSpace(form.Get("distribution")))}
	for _, l := range concord.Languages {
		if t := form.Get("title." + l); t != "" {
			in.Title[l] = t
		}
	}
	for _, a := range strings.FieldsFunc(form.Get("authors"), func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		in.Authors = append(in.Authors, strings.TrimSpace(a))
	}
	if raw := strings.TrimSpace(form.Get("date")); raw != "" {
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "date", "document.error.date", "not a date: %q", raw))
		}
		in.Date = t
	}
	if raw := strings.TrimSpace(form.Get("meeting")); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "meeting", "document.error.meeting_id", "not a meeting number: %q", raw))
		} else {
			in.Meetings = []int64{id}
		}
	}
	for _, l := range concord.Languages {
		st := document.Status(form.Get("versions." + l))
		f, hasFile := files[l]
		text := form.Get("text." + l)
		if st == "" {
			if hasFile || strings.TrimSpace(text) != "" {
				in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "versions."+l, "document.error.status", "choose what the %s version is", l))
			}
			continue
		}
		in.Versions = append(in.Versions, documents.VersionInput{Lang: l, Status: st, Text: text, FileName: f.FileName, Data: f.Data})
	}
	for l := range files {
		if !concord.IsLanguage(l) {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "versions", "document.error.language", "unknown language %q", l))
		}
	}
	return in
}

// docFormError is the error of a refused submission that the form shows
// (input, conflicts, files), or nil.
func docFormError(err error) *concord.Error {
	if err == nil {
		return nil
	}
	de := AsDomain(err)
	switch de.Code {
	case concord.EInvalid, concord.EConflict, concord.EUnsupported, concord.ETooLarge:
		return de
	}
	return nil
}

func (s *Server) documentCreate(w http.ResponseWriter, r *http.Request) error {
	form, files, err := readDocumentForm(r)
	if err == nil {
		var d document.Document
		d, err = s.documentsSvc().Publish(r.Context(), UserFrom(r.Context()), documentInput(form, files))
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/%s/documents/%d?saved=1", LangFrom(r.Context()), d.ID), http.StatusSeeOther)
			return nil
		}
	}
	if de := docFormError(err); de != nil {
		status := Status(de.Code)
		var all concord.Errors
		if errors.As(err, &all) && len(all) > 1 {
			status = http.StatusUnprocessableEntity
		}
		return s.showDocumentForm(w, r, status, form, err)
	}
	return err
}

// meetingDocuments lists the documents of meeting id that the reader may
// see, for the meeting's page (one page of them, newest first).
func (s *Server) meetingDocuments(r *http.Request, id int64) (documents.List, error) {
	return s.documentsSvc().List(r.Context(), UserFrom(r.Context()), documents.Filter{Meeting: id})
}
