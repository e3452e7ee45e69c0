package api

import (
	"net/http"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/pocs"
	"concord/poc"
)

// The message log between POCs and the bounces: the twins of the
// /{lang}/poc/messages and /{lang}/poc/bounces pages. A thread is the two
// States' and the Secretariat's: the service answers 404 to anyone else.
// The mail system reports bounces with an API token of a Secretariat
// account.

func (a *API) pocMessageRoutes() []Route {
	return []Route{
		{"GET", "/poc/templates", concord.ActRead, nil, "/poc/templates", a.pocTemplates},
		{"GET", "/poc/messages", concord.ActViewPOCs, nil, "/poc/messages", a.pocThreads},
		{"POST", "/poc/messages", concord.ActManagePOCs, nil, "/poc/messages", a.sendPOCMessage},
		{"GET", "/poc/messages/{id}", concord.ActViewPOCs, nil, "/poc/messages/1", a.pocThread},
		{"POST", "/poc/messages/{id}/replies", concord.ActManagePOCs, nil, "/poc/messages/1/replies", a.replyPOCMessage},
		{"POST", "/poc/messages/{id}/ack", concord.ActManagePOCs, nil, "/poc/messages/1/ack", a.ackPOCMessage},
		{"POST", "/poc/bounces", concord.ActPingPOCs, nil, "/poc/bounces", a.recordBounce},
	}
}

// TemplateFieldJSON is one field of a standard communication.
type TemplateFieldJSON struct {
	Name     string        `json:"name"`
	Kind     poc.FieldKind `json:"kind"`
	Required bool          `json:"required"`
	Label    concord.Text  `json:"label"`
}

// TemplateJSON is a standard communication in the six languages.
type TemplateJSON struct {
	Code    string              `json:"code"`
	Name    concord.Text        `json:"name"`
	Purpose concord.Text        `json:"purpose"`
	Fields  []TemplateFieldJSON `json:"fields"`
}

func (a *API) pocTemplates(r *http.Request) (int, any, error) {
	out := make([]TemplateJSON, 0, len(poc.Templates))
	for _, t := range poc.Templates {
		tj := TemplateJSON{Code: t.Code, Name: t.Name, Purpose: t.Purpose, Fields: []TemplateFieldJSON{}}
		for _, f := range t.Fields {
			tj.Fields = append(tj.Fields, TemplateFieldJSON{Name: f.Name, Kind: f.Kind, Required: f.Required, Label: f.Label})
		}
		out = append(out, tj)
	}
	return http.StatusOK, out, nil
}

// MessageJSON is a message between two States' POCs, or a reply in its
// thread (restricted to the two States and the Secretariat).
type MessageJSON struct {
	ID             int64             `json:"id"`
	Thread         int64             `json:"thread"`
	From           string            `json:"from"`
	To             string            `json:"to"`
	Template       string            `json:"template"`
	Lang           string            `json:"lang"`
	Fields         map[string]string `json:"fields"`
	SentBy         *string           `json:"sent_by"`
	Sent           time.Time         `json:"sent"`
	Acknowledged   *time.Time        `json:"acknowledged"`
	AcknowledgedBy *string           `json:"acknowledged_by"`
	Mailed         int               `json:"mailed"`
}

func messageJSON(m poc.Message) MessageJSON {
	f := m.Fields
	if f == nil {
		f = map[string]string{}
	}
	return MessageJSON{ID: m.ID, Thread: m.Thread, From: m.From, To: m.To, Template: m.Template, Lang: m.Lang, Fields: f,
		SentBy: orNull(m.SentBy), Sent: m.Sent.UTC(), Acknowledged: timeOrNull(m.Acknowledged), AcknowledgedBy: orNull(m.AckBy), Mailed: m.Mailed}
}

// ThreadItemJSON is a thread in a list: its first message and how many
// replies follow.
type ThreadItemJSON struct {
	Message MessageJSON `json:"message"`
	Replies int         `json:"replies"`
}

func (a *API) pocThreads(r *http.Request) (int, any, error) {
	list, n, err := a.pocs().Threads(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	out := List[ThreadItemJSON]{Items: make([]ThreadItemJSON, 0, len(list)), Total: len(list), Limit: pocs.MessageLimit}
	for _, m := range list {
		out.Items = append(out.Items, ThreadItemJSON{Message: messageJSON(m), Replies: n[m.ID]})
	}
	return http.StatusOK, out, nil
}

// MessageRequest sends a message made from a standard communication to
// another State's POCs, in the caller's State's name.
type MessageRequest struct {
	To       string            `json:"to"`
	Template string            `json:"template"`
	Lang     string            `json:"lang"`
	Fields   map[string]string `json:"fields"`
}

func (a *API) sendPOCMessage(r *http.Request) (int, any, error) {
	var req MessageRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	m, err := a.pocs().Send(r.Context(), auth.UserFrom(r.Context()), pocs.MessageInput{To: req.To, Template: req.Template, Lang: req.Lang, Fields: req.Fields})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, messageJSON(m), nil
}

// ThreadJSON is a thread, its first message first.
type ThreadJSON struct {
	Messages []MessageJSON `json:"messages"`
}

func (a *API) pocThread(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	th, err := a.pocs().Thread(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	out := ThreadJSON{Messages: make([]MessageJSON, 0, len(th))}
	for _, m := range th {
		out.Messages = append(out.Messages, messageJSON(m))
	}
	return http.StatusOK, out, nil
}

// ReplyRequest answers a thread in the caller's State's name.
type ReplyRequest struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
}

func (a *API) replyPOCMessage(r *http.Request) (int, any, error) {
	var req ReplyRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	m, err := a.pocs().Reply(r.Context(), auth.UserFrom(r.Context()), id, req.Text, req.Lang)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, messageJSON(m), nil
}

func (a *API) ackPOCMessage(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	m, err := a.pocs().AcknowledgeMessage(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, messageJSON(m), nil
}

// BounceRequest reports that mail to a POC's address bounced.
type BounceRequest struct {
	Email  string `json:"email"`
	Reason string `json:"reason"`
}

// BounceResultJSON lists the POCs a bounce marked.
type BounceResultJSON struct {
	Marked []POCJSON `json:"marked"`
}

func (a *API) recordBounce(r *http.Request) (int, any, error) {
	var req BounceRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	marked, err := a.pocs().RecordBounce(r.Context(), auth.UserFrom(r.Context()), req.Email, req.Reason)
	if err != nil {
		return 0, nil, err
	}
	out := BounceResultJSON{Marked: make([]POCJSON, 0, len(marked))}
	for _, p := range marked {
		out.Marked = append(out.Marked, pocJSON(p))
	}
	return http.StatusCreated, out, nil
}
