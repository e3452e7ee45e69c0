package api

import (
	"concord/document"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/documents"
)

// The process's documents: the twins of the documents pages. A document
// the caller may not see is "not found" in lists, reads and downloads.

func (a *API) documentRoutes() []Route {
	return []Route{
		{"GET", "/documents", concord.ActRead, nil, "/documents", a.listDocuments},
		{"POST", "/documents", concord.ActContribute, nil, "/documents", a.publishDocument},
		{"GET", "/documents/{id}", concord.ActRead, nil, "/documents/1", a.getDocument},
		{"GET", "/documents/files/{id}", concord.ActRead, nil, "/documents/files/1", a.documentFile},
	}
}

func (a *API) documents() *documents.Service {
	return &documents.Service{DB: a.Decide.DB, Process: a.Decide.Process, Pattern: document.GlobalMechanism}
}

// DocumentFileJSON is a version's file: where to download it, as what.
type DocumentFileJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
}

// DocumentVersionJSON is a document in one language.
type DocumentVersionJSON struct {
	Lang   string            `json:"lang"`
	Status document.Status   `json:"status"`
	File   *DocumentFileJSON `json:"file"`
	Text   *string           `json:"text"`
}

// DocumentItemJSON is an agenda item a document concerns.
type DocumentItemJSON struct {
	Session string `json:"session"`
	Item    string `json:"item"`
}

// DocumentJSON is a document with its versions and, on a single read, its
// family (revisions and corrigenda, both ways).
type DocumentJSON struct {
	ID           int64                 `json:"id"`
	Symbol       string                `json:"symbol"`
	Type         document.Type         `json:"type"`
	Title        concord.Text          `json:"title"`
	Authors      []string              `json:"authors"`
	Date         string                `json:"date"`
	Distribution document.Distribution `json:"distribution"`
	Meetings     []int64               `json:"meetings"`
	Items        []DocumentItemJSON    `json:"items"`
	Versions     []DocumentVersionJSON `json:"versions"`
	Supersedes   *string               `json:"supersedes"`
	RevisedBy    []string              `json:"revised_by"`
	Corrigenda   []string              `json:"corrigenda"`
	Superseded   bool                  `json:"superseded"`
	Created      time.Time             `json:"created"`
	Updated      time.Time             `json:"updated"`
}

func documentJSON(d document.Document, f document.Family) DocumentJSON {
	out := DocumentJSON{ID: d.ID, Symbol: d.Symbol, Type: d.Type, Title: text(d.Title), Authors: d.Authors, Date: d.Date.UTC().Format(time.DateOnly),
		Distribution: d.Distribution, Meetings: d.Meetings, Supersedes: orNull(f.Supersedes), RevisedBy: f.RevisedBy, Corrigenda: f.Corrigenda,
		Superseded: f.IsSuperseded, Created: d.Created.UTC(), Updated: d.Updated.UTC(),
		Items: conv(d.Items, func(i document.ItemRef) DocumentItemJSON { return DocumentItemJSON{Session: i.Session, Item: i.Item} }),
		Versions: conv(d.Versions, func(v document.Version) DocumentVersionJSON {
			vj := DocumentVersionJSON{Lang: v.Lang, Status: v.Status, Text: orNull(v.Text)}
			if v.File != nil {
				vj.File = &DocumentFileJSON{ID: v.File.ID, Name: v.File.Name, ContentType: v.File.ContentType, Size: v.File.Size, SHA256: v.File.SHA256,
					URL: "/api/v1/documents/files/" + strconv.FormatInt(v.File.ID, 10)}
			}
			return vj
		})}
	for _, p := range []*[]string{&out.Authors, &out.RevisedBy, &out.Corrigenda} {
		if *p == nil {
			*p = []string{}
		}
	}
	if out.Meetings == nil {
		out.Meetings = []int64{}
	}
	return out
}

func (a *API) listDocuments(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	var errs concord.Errors
	errs.Add(documents.CheckFilter(q.Get("type"), q.Get("language")))
	f := documents.Filter{Type: document.Type(q.Get("type")), Lang: q.Get("language")}
	if s := q.Get("meeting"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "meeting", "document.error.meeting_id", "meeting must be a positive integer"))
		}
		f.Meeting = id
	}
	limit, offset, err := page(q)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return 0, nil, err
	}
	f.Limit, f.Offset = limit, offset
	l, err := a.documents().List(r.Context(), auth.UserFrom(r.Context()), f)
	if err != nil {
		return 0, nil, err
	}
	out := List[DocumentJSON]{Items: make([]DocumentJSON, 0, len(l.Documents)), Total: l.Total, Limit: limit, Offset: offset}
	for _, d := range l.Documents {
		out.Items = append(out.Items, documentJSON(d, a.documents().Pattern.Relate(d.Symbol, nil)))
	}
	return http.StatusOK, out, nil
}

func (a *API) getDocument(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.documents().Get(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, documentJSON(p.Document, p.Family), nil
}

// fileBody is a response that is a file, served as an attachment.
type fileBody struct {
	contentType, name string
	data              []byte
}

// serveFile writes a file as a download: its sniffed type, attachment with
// the name quoted, nosniff, sandboxed, kept out of shared caches.
func serveFile(w http.ResponseWriter, status int, f fileBody) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.name})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(status)
	w.Write(f.data)
}

func (a *API) documentFile(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	f, err := a.documents().File(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, fileBody{f.ContentType, f.Name, f.Data}, nil
}

// DocumentVersionRequest is a language version as submitted: its status and
// a text and/or a file (its name and its bytes in base64).
type DocumentVersionRequest struct {
	Lang     string          `json:"lang"`
	Status   document.Status `json:"status"`
	Text     string          `json:"text"`
	FileName string          `json:"file_name"`
	File     []byte          `json:"file"`
}

// DocumentRequest publishes a document.
type DocumentRequest struct {
	Symbol       string                   `json:"symbol"`
	Type         document.Type            `json:"type"`
	Title        concord.Text             `json:"title"`
	Authors      []string                 `json:"authors"`
	Date         string                   `json:"date"`
	Distribution document.Distribution    `json:"distribution"`
	Meetings     []int64                  `json:"meetings"`
	Items        []DocumentItemJSON       `json:"items"`
	Versions     []DocumentVersionRequest `json:"versions"`
}

func (req DocumentRequest) input() documents.Input {
	in := documents.Input{Symbol: req.Symbol, Type: req.Type, Title: req.Title, Authors: req.Authors, Distribution: req.Distribution,
		Meetings: req.Meetings}
	if s := strings.TrimSpace(req.Date); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "date", "document.error.date", "date must be YYYY-MM-DD"))
		}
		in.Date = t
	}
	for _, it := range req.Items {
		in.Items = append(in.Items, document.ItemRef{Session: it.Session, Item: it.Item})
	}
	for _, v := range req.Versions {
		in.Versions = append(in.Versions, documents.VersionInput{Lang: v.Lang, Status: v.Status, Text: v.Text, FileName: v.FileName, Data: v.File})
	}
	return in
}

func (a *API) publishDocument(r *http.Request) (int, any, error) {
	var req DocumentRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	d, err := a.documents().Publish(r.Context(), auth.UserFrom(r.Context()), req.input())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, documentJSON(d, a.documents().Pattern.Relate(d.Symbol, []string{d.Symbol})), nil
}
