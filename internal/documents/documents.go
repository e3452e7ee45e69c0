// Package documents runs the process's documents (issue 12): the
// Secretariat publishes them, a State's delegate submits its own national
// contribution, and everyone reads what its distribution lets them see.
// Pages and the API call it; the rules (symbols, validation, who sees what,
// who may submit) are the pure package document.
package documents

import (
	"archive/zip"
	"bytes"
	"concord/document"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
)

// MaxFile bounds the files of one submission together: the request body
// limit of uploads (web limitBody) is the same figure.
const MaxFile = 5 << 20

// PageSize is how many documents a list shows at a time.
const PageSize = 20

// Service runs the documents of one process.
type Service struct {
	DB      *store.DB
	Process string
	Pattern document.Pattern
}

// VersionInput is one language version as submitted: its status and a
// text and/or a file (its name as the client gave it, and its bytes).
type VersionInput struct {
	Lang     string
	Status   document.Status
	Text     string
	FileName string
	Data     []byte
}

// Input is a document as submitted.
type Input struct {
	Symbol       string
	Type         document.Type
	Title        concord.Text
	Authors      []string
	Date         time.Time
	Distribution document.Distribution
	Meetings     []int64
	Items        []document.ItemRef
	Versions     []VersionInput
	// Unread are the problems the adapter met reading the input (a date
	// that is not a date); they are reported with the rest, all at once.
	Unread concord.Errors
}

// The file types accepted, by sniffed content type, with the extensions a
// file of that type may carry.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeODT  = "application/vnd.oasis.opendocument.text"
)

var extensions = map[string][]string{TypePDF: {".pdf"}, TypeDOCX: {".docx"}, TypeODT: {".odt"}}

// Sniff says what data is, from its content alone: a PDF, a DOCX (an
// Office Open XML package with a word/document.xml part) or an ODT (an
// OpenDocument package whose mimetype entry says text); "" for anything
// else.
func Sniff(data []byte) string {
	if http.DetectContentType(data) == TypePDF {
		return TypePDF
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ""
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	var hasTypes, hasWord bool
	for _, f := range z.File {
		switch f.Name {
		case "[Content_Types].xml":
			hasTypes = true
		case "word/document.xml":
			hasWord = true
		case "mimetype":
			if r, err := f.Open(); err == nil {
				b := make([]byte, 64)
				n, _ := r.Read(b)
				r.Close()
				if string(b[:n]) == TypeODT {
					return TypeODT
				}
			}
		}
	}
	if hasTypes && hasWord {
		return TypeDOCX
	}
	return ""
}

// checkFile checks one version's file: not empty, what its content says it
// is (PDF, DOCX, ODT) and named accordingly. It returns the file's
// metadata (safe base name, sniffed type, size, SHA-256).
func checkFile(lang, name string, data []byte) (*document.File, error) {
	field := "versions." + lang
	if len(data) == 0 {
		return nil, concord.Errorf(concord.EInvalid, field, "document.error.file_empty", "the %s file is empty", lang)
	}
	ct := Sniff(data)
	if ct == "" {
		return nil, concord.Errorf(concord.EUnsupported, field, "document.error.file_type", "the %s file is not a PDF, DOCX or ODT file", lang)
	}
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	ext := strings.ToLower(path.Ext(name))
	if name != "" && ext != "" && !contains(extensions[ct], ext) {
		return nil, concord.Errorf(concord.EUnsupported, field, "document.error.file_name", "the %s file is named %s but its content is not", lang, ext)
	}
	if name == "" || len(name) > 200 {
		name = "document" + extensions[ct][0]
	} else if ext == "" {
		name += extensions[ct][0]
	}
	sum := sha256.Sum256(data)
	return &document.File{Name: name, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func forbidden() error {
	return concord.Errorf(concord.EForbidden, "", "document.error.forbidden", "only the Secretariat publishes documents; a delegate submits its own State's national contributions")
}

// draft is what a publication works on: the document, its files' bytes by
// language, and the problems Load found against the store.
type draft struct {
	d     document.Document
	files map[string][]byte
	errs  concord.Errors
}

// build turns the input into a document and its files, collecting every
// problem of the input.
func (s *Service) build(in Input) draft {
	dr := draft{files: map[string][]byte{}}
	dr.errs = append(dr.errs, in.Unread...)
	d := document.Document{Process: s.Process, Symbol: strings.TrimSpace(in.Symbol), Type: in.Type, Date: in.Date,
		Distribution: in.Distribution, Meetings: in.Meetings, Items: in.Items, Title: concord.Text{}}
	for l, t := range in.Title {
		if t = strings.TrimSpace(t); t != "" {
			d.Title[l] = t
		}
	}
	for _, a := range in.Authors {
		if a = strings.TrimSpace(a); a != "" {
			d.Authors = append(d.Authors, a)
		}
	}
	total := 0
	for _, v := range in.Versions {
		ver := document.Version{Lang: v.Lang, Status: v.Status, Text: strings.TrimSpace(v.Text)}
		if len(v.Data) > 0 || v.FileName != "" {
			total += len(v.Data)
			f, err := checkFile(v.Lang, v.FileName, v.Data)
			if err != nil {
				dr.errs.Add(err)
				// The version keeps a placeholder so validation does not
				// also report it as empty.
				f = &document.File{Name: v.FileName}
			} else {
				dr.files[v.Lang] = v.Data
			}
			ver.File = f
		}
		d.Versions = append(d.Versions, ver)
	}
	if total > MaxFile {
		dr.errs = append(dr.errs, concord.Errorf(concord.ETooLarge, "versions", "document.error.files_large", "the files together are limited to %d MB", MaxFile>>20))
	}
	dr.d = d
	return dr
}

// Publish stores a new document: the Secretariat any, a delegate its own
// State's national contribution (document.CanSubmit on the document as
// submitted). Every problem is reported at once: the input's, the
// domain's, a symbol already used, a meeting that does not exist.
func (s *Service) Publish(ctx context.Context, u *concord.User, in Input) (document.Document, error) {
	if !concord.Can(u, concord.ActPublishDocuments, concord.Target{}) && !concord.Can(u, concord.ActContribute, concord.Target{}) {
		return document.Document{}, forbidden()
	}
	dr, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			dr := s.build(in)
			if dr.d.Symbol != "" {
				taken, err := r.SymbolTaken(s.Process, dr.d.Symbol, 0)
				if err != nil {
					return dr, err
				}
				if taken {
					dr.errs = append(dr.errs, concord.Errorf(concord.EConflict, "symbol", "document.error.symbol_taken", "the symbol %s is already used", dr.d.Symbol))
				}
			}
			for _, id := range dr.d.Meetings {
				m, err := r.Meeting(id)
				if err != nil || m.Process != s.Process {
					dr.errs = append(dr.errs, concord.Errorf(concord.EInvalid, "meetings", "document.error.meeting", "no meeting %d", id))
				}
			}
			return dr, nil
		},
		Allow: func(dr draft) error {
			// Whose the document is shows only once its type and authors
			// are given; until then its problems are reported (422) and
			// nothing is saved, since a valid document has both.
			if slices.Contains(document.Types, dr.d.Type) && len(dr.d.Authors) > 0 && !document.CanSubmit(u, dr.d) {
				return forbidden()
			}
			return nil
		},
		Change: func(dr *draft, _ time.Time) error {
			errs := dr.errs
			if err := dr.d.Validate(s.Pattern); err != nil {
				errs.Add(err)
			}
			return dedupe(errs).Err()
		},
		Save: func(tx *store.Tx, dr *draft) error {
			return tx.SaveRecordDocument(&dr.d, s.Pattern, dr.files, "document.publish")
		},
	}.Run(ctx, s.DB)
	return dr.d, err
}

// fieldOrder is the order of the fields on the form: problems are reported
// in it, so the first (whose code answers the API's status) is the first a
// reader meets.
var fieldOrder = []string{"symbol", "type", "title", "authors", "date", "distribution", "meetings", "items", "versions"}

func fieldRank(f string) int {
	f, _, _ = strings.Cut(f, ".")
	if i := slices.Index(fieldOrder, f); i >= 0 {
		return i
	}
	return len(fieldOrder)
}

// dedupe drops an error repeated on the same field with the same key (a
// file refused and the same version then checked again) and puts the rest
// in the form's order.
func dedupe(errs concord.Errors) concord.Errors {
	seen := map[string]bool{}
	var out concord.Errors
	for _, e := range errs {
		k := e.Field + "\x00" + e.Key
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b *concord.Error) int { return fieldRank(a.Field) - fieldRank(b.Field) })
	return out
}

// Page is a document as a reader sees it: its family (revisions and
// corrigenda, with the ids of those the reader may open).
type Page struct {
	Document document.Document
	Family   document.Family
	IDs      map[string]int64
}

// Get returns document id for u, with its family; a document u may not see
// is not found, so its existence is not disclosed. Three statements.
func (s *Service) Get(ctx context.Context, u *concord.User, id int64) (Page, error) {
	r := s.DB.Read(ctx)
	d, err := r.RecordDocument(id)
	if err != nil {
		return Page{}, err
	}
	if d.Process != s.Process || !document.CanView(u, d) {
		return Page{}, concord.ErrNotFound
	}
	sym, _ := s.Pattern.Parse(d.Symbol)
	fam, err := r.DocumentFamily(s.Process, sym.Base, document.Visible(u))
	if err != nil {
		return Page{}, err
	}
	p := Page{Document: d, Family: s.Pattern.Relate(d.Symbol, fam)}
	if len(fam) > 1 {
		p.IDs, err = r.DocumentIDs(s.Process, fam)
	}
	return p, err
}

// File returns the file id of a document u may see; any other is not
// found.
func (s *Service) File(ctx context.Context, u *concord.User, id int64) (store.RecordFile, error) {
	r := s.DB.Read(ctx)
	f, err := r.RecordFile(id)
	if err != nil {
		return f, err
	}
	d, err := r.RecordDocument(f.DocumentID)
	if err != nil {
		return store.RecordFile{}, err
	}
	if d.Process != s.Process || !document.CanView(u, d) {
		return store.RecordFile{}, concord.ErrNotFound
	}
	return f, nil
}

// Filter selects the documents of a list.
type Filter struct {
	Type    document.Type
	Meeting int64
	Lang    string
	Page    int // from 1, PageSize documents a page
	// Limit and Offset, when Limit is set, select the rows instead of Page
	// (the API's paging).
	Limit, Offset int
}

// List is one page of documents with the total the filter selects.
type List struct {
	Documents []document.Document
	Total     int
}

// List reads one page of the documents u may see, newest first: two
// bounded statements whatever the number of documents.
func (s *Service) List(ctx context.Context, u *concord.User, f Filter) (List, error) {
	q := store.DocumentQuery{Process: s.Process, Visible: document.Visible(u), Type: f.Type, Meeting: f.Meeting, Lang: f.Lang,
		Limit: PageSize, Offset: (max(f.Page, 1) - 1) * PageSize}
	if f.Limit > 0 {
		q.Limit, q.Offset = f.Limit, max(f.Offset, 0)
	}
	r := s.DB.Read(ctx)
	var l List
	var err error
	if l.Total, err = r.CountRecordDocuments(q); err != nil {
		return l, err
	}
	l.Documents, err = r.RecordDocuments(q)
	return l, err
}

// CheckFilter reads a list's filter, every problem at once (an unknown
// type or language).
func CheckFilter(typ, lang string) error {
	var errs concord.Errors
	if typ != "" && !contains(typeCodes(), typ) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "type", "document.error.type", "unknown type of document %q", typ))
	}
	if lang != "" && !concord.IsLanguage(lang) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "language", "document.error.language", "unknown language %q", lang))
	}
	return errs.Err()
}

func typeCodes() []string {
	out := make([]string, len(document.Types))
	for i, t := range document.Types {
		out[i] = string(t)
	}
	return out
}

// FeedSize is how many documents a feed lists, newest first.
const FeedSize = 50

// FeedFilter names a documents feed: the process's (zero), one meeting's,
// one author's (a State's ISO3, "chair", …) or one agenda item's.
type FeedFilter struct {
	Meeting int64
	Author  string
	Item    document.ItemRef
}

// Feed lists the FeedSize newest documents of a feed, in one bounded
// statement. A feed is public whoever asks for it: readers fetch it
// without credentials, and its address is shared, so it never holds a
// limited or restricted document, whatever the user's role.
func (s *Service) Feed(ctx context.Context, f FeedFilter) ([]document.Document, error) {
	q := store.FeedQuery{Process: s.Process, Visible: document.Visible(nil), Meeting: f.Meeting, Limit: FeedSize}
	switch {
	case f.Author != "":
		q.Ref = document.AuthorRef(f.Author)
	case f.Item != document.ItemRef{}:
		q.Ref = f.Item.String()
	}
	return s.DB.Read(ctx).DocumentFeed(q)
}
