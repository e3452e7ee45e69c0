package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"concord"
	"concord/internal/pocs"
	"concord/poc"
)

// The message log between POCs and the bounces (issue 13): the threads a
// State sent and received (every thread for the Secretariat), a message
// made from a standard communication, a thread with its acknowledgement
// and replies, and the Secretariat's form to record a bounced address.
// The service answers "not found" for a thread the reader is not a party
// to; the routes send the public to sign in first.

func (s *Server) pocMessageRoutes() []Route {
	return []Route{
		{"GET", "/poc/messages", concord.ActViewPOCs, nil, "/poc/messages", s.pocMessages},
		{"GET", "/poc/messages/new", concord.ActManagePOCs, nil, "/poc/messages/new", s.pocMessageNew},
		{"POST", "/poc/messages", concord.ActManagePOCs, nil, "/poc/messages", s.pocMessageSend},
		{"GET", "/poc/messages/{id}", concord.ActViewPOCs, nil, "/poc/messages/1", s.pocThread},
		{"POST", "/poc/messages/{id}/reply", concord.ActManagePOCs, nil, "/poc/messages/1/reply", s.pocReply},
		{"POST", "/poc/messages/{id}/ack", concord.ActManagePOCs, nil, "/poc/messages/1/ack", s.pocMessageAck},
		{"GET", "/poc/bounces/new", concord.ActPingPOCs, nil, "/poc/bounces/new", s.pocBounceNew},
		{"POST", "/poc/bounces", concord.ActPingPOCs, nil, "/poc/bounces", s.pocBounce},
	}
}

// pocTemplateRow is a standard communication as a list shows it.
type pocTemplateRow struct {
	Code          string
	Name, Purpose template.HTML
}

// pocThreadRow is a thread in the list.
type pocThreadRow struct {
	poc.Message
	FromName, ToName, Kind template.HTML
	Replies                int
}

// pocMessagesView is the list of threads.
type pocMessagesView struct {
	Threads   []pocThreadRow
	Templates []pocTemplateRow
	CanSend   bool
	CanBounce bool
}

func (s *Server) pocTemplates(p *Page) []pocTemplateRow {
	out := make([]pocTemplateRow, 0, len(poc.Templates))
	for _, t := range poc.Templates {
		out = append(out, pocTemplateRow{Code: t.Code, Name: p.Show(t.Name), Purpose: p.Show(t.Purpose)})
	}
	return out
}

func templateName(p *Page, code string) template.HTML {
	t, _ := poc.TemplateOf(code)
	return p.Show(t.Name)
}

func (s *Server) pocMessages(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	list, replies, err := s.pocsSvc().Threads(r.Context(), u)
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "poc.messages", nil)
	v := pocMessagesView{Templates: s.pocTemplates(p), CanSend: poc.CanSendFrom(u, u.State),
		CanBounce: concord.Can(u, concord.ActPingPOCs, concord.Target{})}
	for _, m := range list {
		v.Threads = append(v.Threads, pocThreadRow{Message: m, FromName: p.Show(names[m.From]), ToName: p.Show(names[m.To]),
			Kind: templateName(p, m.Template), Replies: replies[m.ID]})
	}
	p.Data = v
	return s.render(w, r, http.StatusOK, "poc_messages", p)
}

// pocFieldRow is one field of the chosen template in the form.
type pocFieldRow struct {
	Name, Label string
	Kind        poc.FieldKind
	Required    bool
}

// pocMessageFormView is the form of a message: the communication chosen
// (a GET form changes it) and its fields.
type pocMessageFormView struct {
	Template  string
	Name      template.HTML
	Purpose   template.HTML
	Templates []FieldOption
	States    []FieldOption
	Langs     []FieldOption
	Fields    []pocFieldRow
}

func (s *Server) showMessageForm(w http.ResponseWriter, r *http.Request, status int, code string, form url.Values, err error) error {
	u := UserFrom(r.Context())
	if !poc.CanSendFrom(u, u.State) {
		return concord.Errorf(concord.EForbidden, "", "poc.error.send_forbidden", "messages are sent by a State's delegates")
	}
	t, ok := poc.TemplateOf(code)
	if !ok || t.Code == poc.Reply {
		t = poc.Templates[0]
	}
	p := s.newPage(r, "poc.message_new", nil)
	f := pocMessageFormView{Template: t.Code, Name: p.Show(t.Name), Purpose: p.Show(t.Purpose)}
	for _, x := range poc.Templates {
		f.Templates = append(f.Templates, FieldOption{Value: x.Code, Label: p.L(x.Name).Text, Selected: x.Code == t.Code})
	}
	names, states, e := s.stateNames(r)
	if e != nil {
		return e
	}
	for _, st := range states {
		if st.ISO3 != u.State {
			f.States = append(f.States, FieldOption{Value: st.ISO3, Label: p.L(names[st.ISO3]).Text + " (" + st.ISO3 + ")", Selected: form.Get("to") == st.ISO3})
		}
	}
	lang := form.Get("lang")
	if lang == "" {
		lang = p.Lang
	}
	for _, l := range concord.Languages {
		f.Langs = append(f.Langs, FieldOption{Value: l, Label: p.LangLabel(l), Selected: l == lang})
	}
	for _, x := range t.Fields {
		f.Fields = append(f.Fields, pocFieldRow{Name: x.Name, Label: p.L(x.Label).Text, Kind: x.Kind, Required: x.Required})
	}
	p.Data, p.Form = f, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_message_form", p)
}

func (s *Server) pocMessageNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.showMessageForm(w, r, http.StatusOK, q.Get("template"), url.Values{"to": {q.Get("to")}}, nil)
}

func (s *Server) pocMessageSend(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	code := r.PostForm.Get("template")
	in := pocs.MessageInput{To: r.PostForm.Get("to"), Template: code, Lang: r.PostForm.Get("lang"), Fields: map[string]string{}}
	if t, ok := poc.TemplateOf(code); ok {
		for _, f := range t.Fields {
			in.Fields[f.Name] = r.PostForm.Get(f.Name)
		}
	}
	m, err := s.pocsSvc().Send(r.Context(), UserFrom(r.Context()), in)
	if de := formError(err); de != nil {
		return s.showMessageForm(w, r, Status(de.Code), code, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/poc/messages/%d?saved=1", LangFrom(r.Context()), m.ID), http.StatusSeeOther)
	return nil
}

// pocFieldValue is a field of a message as written.
type pocFieldValue struct {
	Label string
	Value string
	Long  bool
}

// pocMessageRow is one message of a thread.
type pocMessageRow struct {
	poc.Message
	FromName template.HTML
	Kind     template.HTML
	Values   []pocFieldValue
}

// pocThreadView is a thread: its first message, the replies, and what the
// reader's State may do.
type pocThreadView struct {
	First    pocMessageRow
	Replies  []pocMessageRow
	ToName   template.HTML
	Langs    []FieldOption // of the reply
	CanAck   bool
	CanReply bool
}

func messageRow(p *Page, names map[string]concord.Text, m poc.Message) pocMessageRow {
	t, _ := poc.TemplateOf(m.Template)
	row := pocMessageRow{Message: m, FromName: p.Show(names[m.From]), Kind: p.Show(t.Name)}
	for _, f := range t.Fields {
		if v := m.Fields[f.Name]; v != "" {
			row.Values = append(row.Values, pocFieldValue{Label: p.L(f.Label).Text, Value: v, Long: f.Kind == poc.FieldLong})
		}
	}
	return row
}

func (s *Server) showThread(w http.ResponseWriter, r *http.Request, status int, id int64, form url.Values, err error) error {
	u := UserFrom(r.Context())
	th, e := s.pocsSvc().Thread(r.Context(), u, id)
	if e != nil {
		return e
	}
	names, _, e := s.stateNames(r)
	if e != nil {
		return e
	}
	p := s.newPage(r, "poc.messages", nil)
	p.Title = p.T("poc.message_n", "ID", id)
	first := th[0]
	v := pocThreadView{First: messageRow(p, names, first), ToName: p.Show(names[first.To]),
		CanAck:   first.Acknowledged.IsZero() && u.State == first.To && poc.CanSendFrom(u, u.State),
		CanReply: poc.CanSendFrom(u, u.State)}
	for _, m := range th[1:] {
		v.Replies = append(v.Replies, messageRow(p, names, m))
	}
	if form == nil {
		form = url.Values{"lang": {p.Lang}}
	}
	for _, l := range concord.Languages {
		v.Langs = append(v.Langs, FieldOption{Value: l, Label: p.LangLabel(l), Selected: l == form.Get("lang")})
	}
	p.Data, p.Form = v, form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_thread", p)
}

func (s *Server) pocThread(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showThread(w, r, http.StatusOK, id, nil, nil)
}

func (s *Server) pocReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	lang := r.PostForm.Get("lang")
	if lang == "" {
		lang = LangFrom(r.Context())
	}
	_, err = s.pocsSvc().Reply(r.Context(), UserFrom(r.Context()), id, r.PostForm.Get("text"), lang)
	if de := formError(err); de != nil && de.Code != concord.ENotFound {
		return s.showThread(w, r, Status(de.Code), id, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/poc/messages/%d?saved=1#replies", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

func (s *Server) pocMessageAck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.pocsSvc().AcknowledgeMessage(r.Context(), UserFrom(r.Context()), id)
	if de := formError(err); de != nil && de.Code != concord.ENotFound {
		return s.showThread(w, r, Status(de.Code), id, nil, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/poc/messages/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// pocBounceFormView is the Secretariat's form to record a bounce, and
// what the last one marked.
type pocBounceFormView struct {
	Marked []poc.POC
}

func (s *Server) showBounceForm(w http.ResponseWriter, r *http.Request, status int, v pocBounceFormView, form url.Values, err error) error {
	p := s.newPage(r, "poc.bounce_title", v)
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_bounce_form", p)
}

func (s *Server) pocBounceNew(w http.ResponseWriter, r *http.Request) error {
	return s.showBounceForm(w, r, http.StatusOK, pocBounceFormView{}, url.Values{}, nil)
}

func (s *Server) pocBounce(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	marked, err := s.pocsSvc().RecordBounce(r.Context(), UserFrom(r.Context()), r.PostForm.Get("email"), strings.TrimSpace(r.PostForm.Get("reason")))
	if de := formError(err); de != nil || concord.ErrorCode(err) == concord.ENotFound {
		if de == nil {
			de = AsDomain(err)
		}
		return s.showBounceForm(w, r, Status(de.Code), pocBounceFormView{}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	return s.showBounceForm(w, r, http.StatusOK, pocBounceFormView{Marked: marked}, url.Values{}, nil)
}
