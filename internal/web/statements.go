package web

import (
	"concord/agenda"
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/markup"
	"concord/internal/statements"
)

// Lists of speakers and statements (issue 12): the lists and statements on
// a meeting's page with the forms that change them (inscribe, reorder, mark
// who spoke), a statement's page, the statements list filtered by speaker,
// meeting and item, the form that records a statement, and a State's
// statements on its page.

func (s *Server) statementRoutes() []Route {
	return []Route{
		{"POST", "/meetings/{id}/speakers", concord.ActSpeak, nil, "/meetings/1/speakers", s.speakersInscribe},
		{"POST", "/speakers/{id}/move", concord.ActOrderSpeakers, nil, "/speakers/1/move", s.speakersMove},
		{"POST", "/speakers/{id}/spoke", concord.ActRecordStatements, nil, "/speakers/1/spoke", s.speakersSpoke},
		{"GET", "/statements", concord.ActRead, nil, "/statements", s.statementsList},
		{"GET", "/meetings/{id}/statements/new", concord.ActSpeak, nil, "/meetings/1/statements/new", s.statementNew},
		{"POST", "/meetings/{id}/statements", concord.ActSpeak, nil, "/meetings/1/statements", s.statementCreate},
		{"GET", "/statements/{id}", concord.ActRead, nil, "/statements/1", s.statementPage},
	}
}

// statementsSvc is the statements service over the server's store.
func (s *Server) statementsSvc() *statements.Service {
	return &statements.Service{DB: s.DB, Process: s.Decide.Process, Agendas: s.agendas()}
}

// Markdown renders text written in CommonMark (a statement, a need, an
// offer), sanitised.
func (p *Page) Markdown(src string) template.HTML { return markup.Render(src) }

// Speaker names a speaker code in the page's language: a State's or an
// organisation's name from names, the Chair from the catalogue, else the
// code itself.
func (p *Page) Speaker(names statements.Names, code string) string {
	if code == statement.SpeakerChair {
		return p.T("documents.author.chair")
	}
	if t, ok := names[code]; ok {
		return p.L(t).Text
	}
	return code
}

// Seconds shows a duration as minutes and seconds ("3:05").
func (p *Page) Seconds(d time.Duration) string {
	s := int(d.Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// CanSpeak reports whether the page's user may inscribe or submit a
// statement for some delegation.
func (p *Page) CanSpeak() bool { return concord.Can(p.User, concord.ActSpeak, concord.Target{}) }

// CanOrderSpeakers reports whether the page's user reorders lists.
func (p *Page) CanOrderSpeakers() bool {
	return concord.Can(p.User, concord.ActOrderSpeakers, concord.Target{})
}

// CanRecordStatements reports whether the page's user marks who spoke and
// records statements (the Secretariat).
func (p *Page) CanRecordStatements() bool {
	return concord.Can(p.User, concord.ActRecordStatements, concord.Target{})
}

// itemOptions are the items of the working agenda as a select's options,
// the meeting generally first.
func itemOptions(p *Page, items []agenda.Item) []FieldOption {
	out := []FieldOption{{Value: "", Label: p.T("statements.no_item")}}
	for _, it := range items {
		out = append(out, FieldOption{Value: it.ID, Label: p.T("statements.item_n", "Number", it.Number) + " " + p.L(it.Title).Text})
	}
	return out
}

// ItemLabel names an item of a meeting's record by its number.
func (p *Page) ItemLabel(items []agenda.Item, id string) string {
	if id == "" {
		return p.T("statements.no_item")
	}
	for _, it := range items {
		if it.ID == id {
			return p.T("statements.item_n", "Number", it.Number)
		}
	}
	return id
}

// ItemOptions is the item select of the inscription form.
func (p *Page) ItemOptions(items []agenda.Item) []FieldOption { return itemOptions(p, items) }

// meetingStatements reads what a meeting's page shows of its lists of
// speakers and statements.
func (s *Server) meetingStatements(r *http.Request, m meeting.Meeting) (statements.MeetingRecord, error) {
	return s.statementsSvc().ForMeeting(r.Context(), m)
}

// showMeetingWith renders meeting id's page with err next to its form
// (a refused inscription, move or mark).
func (s *Server) showMeetingWith(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	de := formError(err)
	if de == nil {
		return err
	}
	res, gerr := s.meetingsSvc().Get(r.Context(), id)
	if gerr != nil {
		return gerr
	}
	v := meetingView{Result: res, Open: res.Meeting.OpenActs(s.DB.Now())}
	if v.Documents, gerr = s.meetingDocuments(r, id); gerr != nil {
		return gerr
	}
	if v.Record, gerr = s.meetingStatements(r, res.Meeting); gerr != nil {
		return gerr
	}
	p := s.newPage(r, "meetings.title", v)
	p.Title = p.L(res.Meeting.Title).Text
	p.Form = r.PostForm
	p.SetErr(err)
	return s.render(w, r, Status(de.Code), "meeting_page", p)
}

func (s *Server) speakersInscribe(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	_, err = s.statementsSvc().Inscribe(r.Context(), UserFrom(r.Context()), statements.InscribeInput{Meeting: id, Item: f.Get("item"),
		Speaker: f.Get("speaker"), Reply: f.Get("reply") != ""})
	if err != nil {
		return s.showMeetingWith(w, r, id, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1#speakers", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// inscriptionMeeting is the meeting of inscription id, to return to.
func (s *Server) inscriptionMeeting(r *http.Request, id int64) (int64, error) {
	in, err := s.DB.Read(r.Context()).Inscription(id)
	if err != nil || in.Process != s.Decide.Process {
		return 0, concord.ErrNotFound
	}
	return in.Meeting, nil
}

func (s *Server) speakersMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	mid, err := s.inscriptionMeeting(r, id)
	if err != nil {
		return err
	}
	to, perr := strconv.Atoi(r.PostForm.Get("place"))
	if perr != nil {
		return s.showMeetingWith(w, r, mid, concord.Errorf(concord.EInvalid, "place", "statement.error.place", "the place is a number"))
	}
	if _, err := s.statementsSvc().Move(r.Context(), UserFrom(r.Context()), id, to); err != nil {
		return s.showMeetingWith(w, r, mid, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1#speakers", LangFrom(r.Context()), mid), http.StatusSeeOther)
	return nil
}

// readDuration reads minutes and seconds fields ("3", "05").
func readDuration(f url.Values) (time.Duration, *concord.Error) {
	mins, e1 := strconv.Atoi(strings.TrimSpace(f.Get("minutes")))
	secs := 0
	var e2 error
	if raw := strings.TrimSpace(f.Get("seconds")); raw != "" {
		secs, e2 = strconv.Atoi(raw)
	}
	if e1 != nil || e2 != nil || mins < 0 || secs < 0 || secs > 59 {
		return 0, concord.Errorf(concord.EInvalid, "duration", "statement.error.duration_read", "the time spoken is minutes and seconds")
	}
	return time.Duration(mins)*time.Minute + time.Duration(secs)*time.Second, nil
}

func (s *Server) speakersSpoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	mid, err := s.inscriptionMeeting(r, id)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := statements.SpokeInput{}
	d, derr := readDuration(f)
	if derr != nil {
		in.Unread = append(in.Unread, derr)
	}
	in.Duration = d
	if text := strings.TrimSpace(f.Get("text")); text != "" {
		lang := f.Get("lang")
		if lang == "" {
			lang = LangFrom(r.Context())
		}
		in.Record, in.Texts = true, concord.Text{lang: text}
	}
	_, st, err := s.statementsSvc().MarkSpoke(r.Context(), UserFrom(r.Context()), id, in)
	if err != nil {
		return s.showMeetingWith(w, r, mid, err)
	}
	if st.ID != 0 {
		http.Redirect(w, r, fmt.Sprintf("/%s/statements/%d?saved=1", LangFrom(r.Context()), st.ID), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1#speakers", LangFrom(r.Context()), mid), http.StatusSeeOther)
	return nil
}

// statementView is the data of a statement's page.
type statementView struct {
	statements.Page
}

func (s *Server) statementPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pg, err := s.statementsSvc().Get(r.Context(), UserFrom(r.Context()), id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "statements.title", statementView{Page: pg})
	p.Title = p.T("statements.title_of", "Speaker", p.Speaker(pg.Names, pg.Speaker))
	return s.render(w, r, http.StatusOK, "statement_page", p)
}

// statementsData is the data of the statements list.
type statementsData struct {
	List    statements.List
	Pager   pager
	Speaker string
	Meeting string
	Session string
	Item    string
}

func (s *Server) statementsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := statementsData{Speaker: q.Get("speaker"), Meeting: q.Get("meeting"), Session: q.Get("session"), Item: q.Get("item")}
	f, ferr := readStatementFilter(q)
	status := http.StatusOK
	if ferr == nil {
		l, err := s.statementsSvc().List(r.Context(), f)
		if err != nil {
			return err
		}
		pg, _ := newPager(r, l.Total, statements.PageSize)
		d.List, d.Pager = l, pg
	}
	p := s.newPage(r, "statements.title", d)
	p.Feeds = []FeedLink{{p.URL("/statements/feed.atom"), p.T("feed.statements")}}
	if ferr != nil {
		p.SetErr(ferr)
		status = Status(concord.ErrorCode(ferr))
	}
	return s.render(w, r, status, "statement_list", p)
}

// readStatementFilter reads the list's filters, every problem at once.
func readStatementFilter(q url.Values) (statements.Filter, error) {
	f := statements.Filter{Speaker: strings.TrimSpace(q.Get("speaker")), Session: strings.TrimSpace(q.Get("session")), Item: strings.TrimSpace(q.Get("item"))}
	var errs concord.Errors
	if f.Speaker != "" && statement.SpeakerKind(normCode(f.Speaker)) == "" {
		errs = append(errs, concord.Errorf(concord.EInvalid, "speaker", "statement.error.speaker", "unknown speaker %q", f.Speaker))
	}
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

// normCode writes a speaker code as the service does.
func normCode(c string) string {
	if l := strings.ToLower(c); strings.HasPrefix(l, "group-") || strings.HasPrefix(l, "org-") || l == "chair" {
		return l
	}
	return strings.ToUpper(c)
}

// statementForm is the data of the form that records a statement.
type statementForm struct {
	Meeting   meeting.Meeting
	Items     []FieldOption
	Kinds     []statement.Kind
	Positions []decision.PositionKind
	Topics    []FieldOption // the DTG topics, "3/t2" each
	Speaker   string        // the delegation a delegate or focal point speaks for; "" for the Secretariat
	Recorder  bool          // the Secretariat records anyone's
}

func (s *Server) showStatementForm(w http.ResponseWriter, r *http.Request, status int, id int64, form url.Values, err error) error {
	m, gerr := s.meetingsSvc().Get(r.Context(), id)
	if gerr != nil {
		return gerr
	}
	rec, gerr := s.meetingStatements(r, m.Meeting)
	if gerr != nil {
		return gerr
	}
	u := UserFrom(r.Context())
	p := s.newPage(r, "statements.new", nil)
	v := statementForm{Meeting: m.Meeting, Items: itemOptions(p, rec.Items), Kinds: statement.Kinds, Positions: decision.PositionKinds,
		Recorder: concord.Can(u, concord.ActRecordStatements, concord.Target{})}
	if u != nil && u.Role == concord.RoleDelegate {
		v.Speaker = u.State
	}
	rounds, gerr := s.Decide.TopicRounds(r.Context(), "")
	if gerr != nil {
		return gerr
	}
	v.Topics = []FieldOption{{Value: "", Label: p.T("statements.no_topic")}}
	for _, rd := range rounds {
		for _, sg := range rd.Doc.Suggestions {
			v.Topics = append(v.Topics, FieldOption{Value: strconv.FormatInt(rd.ID, 10) + "/" + sg.ID,
				Label: p.DTG(rd.Doc.DTG) + " " + rd.Doc.Term + ": " + p.L(sg.Title).Text})
		}
	}
	p.Data = v
	p.Form = form
	if form == nil {
		loc, lerr := m.Meeting.Location()
		if lerr != nil {
			loc = time.UTC
		}
		at := s.DB.Now()
		if at.Before(m.Meeting.Start) || at.After(m.Meeting.End) {
			at = m.Meeting.Start
		}
		p.Form = url.Values{"at": {at.In(loc).Format(localLayout)}, "kind": {string(statement.Plain)}, "lang": {p.Lang}}
	}
	p.SetErr(err)
	return s.render(w, r, status, "statement_form", p)
}

func (s *Server) statementNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showStatementForm(w, r, http.StatusOK, id, nil, nil)
}

// readStatementForm reads the form: the delivery time in the meeting's
// zone, the text in one language, a document number, a position on a
// decision and one on the item.
func readStatementForm(f url.Values, m meeting.Meeting) statements.Input {
	in := statements.Input{Meeting: m.ID, Item: f.Get("item"), Speaker: f.Get("speaker"), Kind: statement.Kind(f.Get("kind"))}
	loc, err := m.Location()
	if err != nil {
		loc = time.UTC
	}
	if raw := strings.TrimSpace(f.Get("at")); raw != "" {
		t, err := time.ParseInLocation(localLayout, raw, loc)
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "at", "statement.error.at", "a statement needs the time it was delivered"))
		}
		in.At = t
	}
	if text := strings.TrimSpace(f.Get("text")); text != "" {
		lang := f.Get("lang")
		if !concord.IsLanguage(lang) {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "lang", "statement.error.language", "unknown language %q", lang))
		}
		in.Texts = concord.Text{lang: text}
	}
	if raw := strings.TrimSpace(f.Get("document")); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "document", "statement.error.document", "no document %s", raw))
		}
		in.Document = id
	}
	if k := f.Get("decision_position"); k != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(f.Get("decision")), 10, 64)
		if err != nil || id <= 0 {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "positions", "statement.error.decision", "no decision %s", f.Get("decision")))
		}
		in.Positions = append(in.Positions, statements.PositionInput{Decision: id, Kind: decision.PositionKind(k)})
	}
	if k := f.Get("topic_position"); k != "" {
		// The topic is checked in the transaction: it must exist then.
		t := strings.TrimSpace(f.Get("topic"))
		if t == "" {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, "positions", "statement.error.topic", "no topic %q", t))
		} else {
			in.Positions = append(in.Positions, statements.PositionInput{Topic: t, Kind: decision.PositionKind(k)})
		}
	}
	if k := f.Get("item_position"); k != "" {
		in.Positions = append(in.Positions, statements.PositionInput{Kind: decision.PositionKind(k)})
	}
	return in
}

func (s *Server) statementCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	m, err := s.meetingsSvc().Get(r.Context(), id)
	if err != nil {
		return err
	}
	st, err := s.statementsSvc().Record(r.Context(), UserFrom(r.Context()), readStatementForm(r.PostForm, m.Meeting))
	if de := formError(err); de != nil {
		return s.showStatementForm(w, r, Status(de.Code), id, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/statements/%d?saved=1", LangFrom(r.Context()), st.ID), http.StatusSeeOther)
	return nil
}

// StateStatements is how many of a State's statements its page shows.
const StateStatements = 10

// stateStatements reads a State's latest statements for its page.
func (s *Server) stateStatements(r *http.Request, iso3 string) (statements.List, error) {
	return s.statementsSvc().List(r.Context(), statements.Filter{Speaker: iso3, Limit: StateStatements, Latest: true})
}
