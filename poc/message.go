package poc

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
)

// The standard communication templates of the POC network (GA decision
// 78/541, domain brief §3.3) and the message log between POCs kept in
// Concord: a State sends another State's POCs a message made from a
// template; the receiving State acknowledges it and either side replies
// in the thread. Only the two States and the Secretariat see it.

// FieldKind is how a template's field is entered.
type FieldKind string

// The kinds of field.
const (
	FieldText FieldKind = "text" // one line
	FieldLong FieldKind = "long" // paragraphs
	FieldDate FieldKind = "date" // YYYY-MM-DD
)

// Field is one field of a template.
type Field struct {
	Name     string       `json:"name"`
	Kind     FieldKind    `json:"kind"`
	Required bool         `json:"required"`
	Label    concord.Text `json:"label"`
}

// Template is a standard communication: its code, its name and purpose in
// the six languages, and its fields in the order a form shows them.
type Template struct {
	Code    string       `json:"code"`
	Name    concord.Text `json:"name"`
	Purpose concord.Text `json:"purpose"`
	Fields  []Field      `json:"fields"`
}

// The template codes. Reply is the free text of an answer in a thread.
const (
	RequestInformation = "request-information"
	RequestAssistance  = "request-assistance"
	IncidentNotice     = "incident-notification"
	Reply              = "reply"
)

// Shared fields.
var (
	fieldSubject = Field{Name: "subject", Kind: FieldText, Required: true, Label: concord.Text{
		"ar": "الموضوع", "zh": "主题", "en": "Subject", "fr": "Objet", "ru": "Тема", "es": "Asunto"}}
	fieldRespondBy = Field{Name: "respond_by", Kind: FieldDate, Label: concord.Text{
		"ar": "الرد مطلوب قبل", "zh": "请在此日期前答复", "en": "Answer requested by", "fr": "Réponse souhaitée avant le", "ru": "Ответ запрашивается до", "es": "Respuesta solicitada antes del"}}
	fieldReference = Field{Name: "reference", Kind: FieldText, Label: concord.Text{
		"ar": "المرجع الوطني", "zh": "本国参考编号", "en": "National reference", "fr": "Référence nationale", "ru": "Национальный номер", "es": "Referencia nacional"}}
)

// Templates are the standard communications, in the order pages list them.
var Templates = []Template{
	{Code: RequestInformation,
		Name: concord.Text{"ar": "طلب معلومات", "zh": "信息请求", "en": "Request for information", "fr": "Demande d’informations", "ru": "Запрос информации", "es": "Solicitud de información"},
		Purpose: concord.Text{"ar": "لطلب معلومات عن نشاط أو حادث يتعلق بتكنولوجيا المعلومات والاتصالات.", "zh": "就信通技术活动或事件请求信息。",
			"en": "To ask for information about an ICT activity or incident.", "fr": "Pour demander des informations sur une activité ou un incident lié aux TIC.",
			"ru": "Чтобы запросить информацию о деятельности или инциденте в сфере ИКТ.", "es": "Para pedir información sobre una actividad o un incidente relacionado con las TIC."},
		Fields: []Field{fieldSubject, fieldReference,
			{Name: "question", Kind: FieldLong, Required: true, Label: concord.Text{"ar": "المعلومات المطلوبة", "zh": "所需信息", "en": "Information requested", "fr": "Informations demandées", "ru": "Запрашиваемая информация", "es": "Información solicitada"}},
			{Name: "context", Kind: FieldLong, Label: concord.Text{"ar": "السياق", "zh": "背景", "en": "Context", "fr": "Contexte", "ru": "Контекст", "es": "Contexto"}},
			fieldRespondBy}},
	{Code: RequestAssistance,
		Name: concord.Text{"ar": "طلب مساعدة", "zh": "援助请求", "en": "Request for assistance", "fr": "Demande d’assistance", "ru": "Запрос о помощи", "es": "Solicitud de asistencia"},
		Purpose: concord.Text{"ar": "لطلب المساعدة في التخفيف من حادث يمس البنية التحتية الحيوية.", "zh": "请求协助减轻影响关键基础设施的事件。",
			"en": "To ask for help in mitigating an incident that affects critical infrastructure.", "fr": "Pour demander de l’aide afin d’atténuer un incident touchant une infrastructure critique.",
			"ru": "Чтобы запросить помощь в смягчении инцидента, затрагивающего критически важную инфраструктуру.", "es": "Para pedir ayuda a fin de mitigar un incidente que afecta a infraestructuras críticas."},
		Fields: []Field{fieldSubject, fieldReference,
			{Name: "assistance", Kind: FieldLong, Required: true, Label: concord.Text{"ar": "المساعدة المطلوبة", "zh": "所需援助", "en": "Assistance requested", "fr": "Assistance demandée", "ru": "Запрашиваемая помощь", "es": "Asistencia solicitada"}},
			{Name: "affected", Kind: FieldText, Required: true, Label: concord.Text{"ar": "الأنظمة أو القطاعات المتأثرة", "zh": "受影响的系统或部门", "en": "Systems or sectors affected", "fr": "Systèmes ou secteurs touchés", "ru": "Затронутые системы или сектора", "es": "Sistemas o sectores afectados"}},
			fieldRespondBy}},
	{Code: IncidentNotice,
		Name: concord.Text{"ar": "إخطار بحادث", "zh": "事件通报", "en": "Notification of an incident", "fr": "Notification d’un incident", "ru": "Уведомление об инциденте", "es": "Notificación de un incidente"},
		Purpose: concord.Text{"ar": "لإبلاغ دولة أخرى بحادث قد يمسها.", "zh": "向另一国家通报可能影响该国的事件。",
			"en": "To tell another State of an incident that may affect it.", "fr": "Pour informer un autre État d’un incident qui peut le toucher.",
			"ru": "Чтобы сообщить другому государству об инциденте, который может его затронуть.", "es": "Para informar a otro Estado de un incidente que puede afectarlo."},
		Fields: []Field{fieldSubject, fieldReference,
			{Name: "detected", Kind: FieldDate, Required: true, Label: concord.Text{"ar": "تاريخ الاكتشاف", "zh": "发现日期", "en": "Date detected", "fr": "Date de détection", "ru": "Дата обнаружения", "es": "Fecha de detección"}},
			{Name: "description", Kind: FieldLong, Required: true, Label: concord.Text{"ar": "وصف الحادث", "zh": "事件描述", "en": "Description of the incident", "fr": "Description de l’incident", "ru": "Описание инцидента", "es": "Descripción del incidente"}},
			{Name: "measures", Kind: FieldLong, Label: concord.Text{"ar": "التدابير المتخذة", "zh": "已采取的措施", "en": "Measures taken", "fr": "Mesures prises", "ru": "Принятые меры", "es": "Medidas adoptadas"}}}},
}

// replyTemplate is the answer in a thread: one text.
var replyTemplate = Template{Code: Reply,
	Name:   concord.Text{"ar": "رد", "zh": "答复", "en": "Reply", "fr": "Réponse", "ru": "Ответ", "es": "Respuesta"},
	Fields: []Field{{Name: "text", Kind: FieldLong, Required: true, Label: concord.Text{"ar": "الرد", "zh": "答复", "en": "Reply", "fr": "Réponse", "ru": "Ответ", "es": "Respuesta"}}}}

// TemplateOf returns the template of code (the reply's included).
func TemplateOf(code string) (Template, bool) {
	if code == Reply {
		return replyTemplate, true
	}
	i := slices.IndexFunc(Templates, func(t Template) bool { return t.Code == code })
	if i < 0 {
		return Template{}, false
	}
	return Templates[i], true
}

// Message is one message between two States' POCs, or a reply in its
// thread.
type Message struct {
	ID       int64  `json:"id"`
	Process  string `json:"process"`
	Thread   int64  `json:"thread"` // the first message's ID; its own for a first message
	From     string `json:"from"`   // ISO3
	To       string `json:"to"`     // ISO3
	Template string `json:"template"`
	// Lang is the language the sender wrote in.
	Lang   string            `json:"lang"`
	Fields map[string]string `json:"fields"`
	// SentBy is the username of the delegate who sent it.
	SentBy string    `json:"sent_by"`
	Sent   time.Time `json:"sent"`
	// Acknowledged is when the receiving State acknowledged it, and by whom.
	Acknowledged time.Time `json:"acknowledged,omitzero"`
	AckBy        string    `json:"ack_by,omitempty"`
	// Mailed counts the POCs of the receiving State it was emailed to.
	Mailed int `json:"mailed"`
}

// Field limits of a message.
const (
	maxLine = 300
	maxLong = 10000
)

// Validate reports every problem of m at once against its template.
func (m Message) Validate() error {
	var errs concord.Errors
	if len(m.From) != 3 || strings.ToUpper(m.From) != m.From {
		errs = append(errs, invalid("from", "poc.error.from", "a message is sent by a State"))
	}
	if len(m.To) != 3 || strings.ToUpper(m.To) != m.To {
		errs = append(errs, invalid("to", "poc.error.to", "choose the State the message is for"))
	} else if m.To == m.From {
		errs = append(errs, invalid("to", "poc.error.to_self", "a message goes to another State"))
	}
	if !slices.Contains(concord.Languages, m.Lang) {
		errs = append(errs, invalid("lang", "poc.error.lang", "choose the language of the message"))
	}
	t, ok := TemplateOf(m.Template)
	if !ok {
		return append(errs, invalid("template", "poc.error.template", "choose a standard communication")).Err()
	}
	for name := range m.Fields {
		if !slices.ContainsFunc(t.Fields, func(f Field) bool { return f.Name == name }) {
			errs = append(errs, invalid(name, "poc.error.field_unknown", "the template has no field "+name))
		}
	}
	for _, f := range t.Fields {
		v := m.Fields[f.Name]
		n := utf8.RuneCountInString(v)
		switch {
		case n == 0 && f.Required:
			errs = append(errs, invalid(f.Name, "poc.error.field_required", f.Name+" is required"))
		case f.Kind == FieldText && (n > maxLine || strings.ContainsAny(v, "\r\n")):
			errs = append(errs, invalid(f.Name, "poc.error.field_line", f.Name+": one line of at most 300 characters"))
		case f.Kind == FieldLong && n > maxLong:
			errs = append(errs, invalid(f.Name, "poc.error.field_long", f.Name+": at most 10,000 characters"))
		case f.Kind == FieldDate && n > 0:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				errs = append(errs, invalid(f.Name, "poc.error.field_date", f.Name+": a date as YYYY-MM-DD"))
			}
		}
	}
	return errs.Err()
}

// CanSendFrom reports whether u may send a message in state's name: the
// State's own delegates (who act for its POCs, having accounts where the
// POCs have none). The Secretariat keeps the log, it does not write in a
// State's name.
func CanSendFrom(u *concord.User, state string) bool {
	return u != nil && u.Role == concord.RoleDelegate && state != "" && u.State == state &&
		concord.Can(u, concord.ActManagePOCs, concord.Target{State: state})
}

// CanSee reports whether u may see m: the delegates of the two States it
// is between, and the Secretariat. Nobody else, whoever they are.
func CanSee(u *concord.User, m Message) bool {
	if u == nil {
		return false
	}
	if u.Role == concord.RoleSecretariat {
		return concord.Can(u, concord.ActViewPOCs, concord.Target{})
	}
	return (u.State == m.From || u.State == m.To) && CanViewResults(u, u.State)
}

// Send checks a first message at now: valid, its own thread (set once
// saved).
func Send(m Message, now time.Time) (Message, error) {
	m.Sent, m.Thread = now, 0
	m.Acknowledged, m.AckBy = time.Time{}, ""
	if m.Template == Reply {
		return m, invalid("template", "poc.error.template", "choose a standard communication")
	}
	return m, m.Validate()
}

// Answer makes the reply by u's State to thread (its first message) at now:
// from one side of the thread to the other.
func Answer(first Message, from string, text, lang string, now time.Time) (Message, error) {
	to := first.To
	if from == first.To {
		to = first.From
	} else if from != first.From {
		return Message{}, concord.Errorf(concord.EForbidden, "", "poc.error.not_party", "only the two States of a thread write in it")
	}
	m := Message{Process: first.Process, Thread: first.ID, From: from, To: to, Template: Reply, Lang: lang,
		Fields: map[string]string{"text": strings.TrimSpace(text)}, Sent: now}
	return m, m.Validate()
}

// Acknowledge records at now, by username, that the receiving State has the
// message: once, and by the receiving State only.
func (m Message) Acknowledge(state, by string, now time.Time) (Message, error) {
	if state != m.To {
		return m, concord.Errorf(concord.EForbidden, "", "poc.error.not_recipient", "only the State the message was sent to acknowledges it")
	}
	if !m.Acknowledged.IsZero() {
		return m, conflict("poc.error.acknowledged", "this message was already acknowledged")
	}
	m.Acknowledged, m.AckBy = now, by
	return m, nil
}

// Bounce is a POC's address that mail could not be delivered to.
type Bounce struct {
	Email  string    `json:"email"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	By     string    `json:"by"` // who recorded it: a username, or the mail system's account
}

// ValidateBounce reports every problem of a bounce as recorded.
func ValidateBounce(b Bounce) error {
	var errs concord.Errors
	if b.Email == "" || len(b.Email) > 254 || !strings.Contains(b.Email, "@") {
		errs = append(errs, invalid("email", "poc.error.email", "not an email address"))
	}
	if n := utf8.RuneCountInString(b.Reason); n == 0 || n > 500 {
		errs = append(errs, invalid("reason", "poc.error.bounce_reason", "the reason the mail system gave, 1 to 500 characters"))
	}
	return errs.Err()
}
