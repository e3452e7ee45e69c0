package api

import (
	"concord/decision"
	"concord/statement"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/auth"
	"concord/internal/markup"
	"concord/internal/statements"
)

// Lists of speakers and statements: the twins of the meeting page's lists
// and forms, the statements list and a statement's page.

func (a *API) statementRoutes() []Route {
	return []Route{
		{"GET", "/meetings/{id}/speakers", concord.ActRead, nil, "/meetings/1/speakers", a.listSpeakers},
		{"POST", "/meetings/{id}/speakers", concord.ActSpeak, nil, "/meetings/1/speakers", a.inscribe},
		{"POST", "/speakers/{id}/move", concord.ActOrderSpeakers, nil, "/speakers/1/move", a.moveSpeaker},
		{"POST", "/speakers/{id}/spoke", concord.ActRecordStatements, nil, "/speakers/1/spoke", a.markSpoke},
		{"GET", "/statements", concord.ActRead, nil, "/statements", a.listStatements},
		{"POST", "/statements", concord.ActSpeak, nil, "/statements", a.recordStatement},
		{"GET", "/statements/{id}", concord.ActRead, nil, "/statements/1", a.getStatement},
	}
}

func (a *API) statements() *statements.Service {
	return &statements.Service{DB: a.Decide.DB, Process: a.Decide.Process, Agendas: &agendasvc.Service{Decide: a.Decide}}
}

// InscriptionJSON is one place on a list of speakers.
type InscriptionJSON struct {
	ID        int64           `json:"id"`
	Meeting   int64           `json:"meeting"`
	Item      *string         `json:"item"`
	Speaker   string          `json:"speaker"`
	Class     statement.Class `json:"class"`
	Place     int             `json:"place"`
	At        time.Time       `json:"at"`
	Spoke     bool            `json:"spoke"`
	SpokeAt   *time.Time      `json:"spoke_at,omitempty"`
	Duration  *int64          `json:"duration,omitempty"` // seconds
	Statement *int64          `json:"statement,omitempty"`
}

func inscriptionJSON(in statement.Inscription) InscriptionJSON {
	out := InscriptionJSON{ID: in.ID, Meeting: in.Meeting, Item: orNull(in.Item), Speaker: in.Speaker, Class: in.Class, Place: in.Place,
		At: in.At.UTC(), Spoke: in.Spoke}
	if in.Spoke {
		at, d := in.SpokeAt.UTC(), int64(in.Duration.Seconds())
		out.SpokeAt, out.Duration = &at, &d
	}
	if in.Statement != 0 {
		out.Statement = &in.Statement
	}
	return out
}

// SpeakersListJSON is one list of speakers of a meeting.
type SpeakersListJSON struct {
	Item     *string           `json:"item"`
	Number   *string           `json:"number"`
	Title    concord.Text      `json:"title"`
	Speakers []InscriptionJSON `json:"speakers"`
}

// SpeakersJSON is a meeting's lists of speakers.
type SpeakersJSON struct {
	Meeting int64              `json:"meeting"`
	Lists   []SpeakersListJSON `json:"lists"`
}

func (a *API) listSpeakers(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	m, err := a.meetings().Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	rec, err := a.statements().ForMeeting(r.Context(), m.Meeting)
	if err != nil {
		return 0, nil, err
	}
	out := SpeakersJSON{Meeting: id, Lists: make([]SpeakersListJSON, 0, len(rec.Lists))}
	for _, l := range rec.Lists {
		out.Lists = append(out.Lists, SpeakersListJSON{Item: orNull(l.Item), Number: orNull(l.Number), Title: text(l.Title),
			Speakers: conv(l.Speakers, inscriptionJSON)})
	}
	return http.StatusOK, out, nil
}

// InscribeRequest asks for a place on a list of speakers.
type InscribeRequest struct {
	Item    string `json:"item"`
	Speaker string `json:"speaker"`
	Reply   bool   `json:"reply"`
}

func (a *API) inscribe(r *http.Request) (int, any, error) {
	var req InscribeRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	in, err := a.statements().Inscribe(r.Context(), auth.UserFrom(r.Context()), statements.InscribeInput{Meeting: id, Item: req.Item, Speaker: req.Speaker, Reply: req.Reply})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, inscriptionJSON(in), nil
}

// MoveRequest puts a speaker at a place.
type MoveRequest struct {
	Place int `json:"place"`
}

func (a *API) moveSpeaker(r *http.Request) (int, any, error) {
	var req MoveRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	in, err := a.statements().Move(r.Context(), auth.UserFrom(r.Context()), id, req.Place)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, inscriptionJSON(in), nil
}

// SpokeRequest records that a speaker spoke; with texts, the statement
// delivered.
type SpokeRequest struct {
	At       *time.Time     `json:"at"`
	Duration int64          `json:"duration"` // seconds
	Kind     statement.Kind `json:"kind"`
	Texts    concord.Text   `json:"texts"`
}

// SpokeJSON is the place marked and the statement recorded, if any.
type SpokeJSON struct {
	Inscription InscriptionJSON `json:"inscription"`
	Statement   *StatementJSON  `json:"statement"`
}

func (a *API) markSpoke(r *http.Request) (int, any, error) {
	var req SpokeRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	in := statements.SpokeInput{Duration: time.Duration(req.Duration) * time.Second, Kind: req.Kind, Texts: req.Texts, Record: len(req.Texts) > 0}
	if req.At != nil {
		in.At = *req.At
	}
	ins, st, err := a.statements().MarkSpoke(r.Context(), auth.UserFrom(r.Context()), id, in)
	if err != nil {
		return 0, nil, err
	}
	out := SpokeJSON{Inscription: inscriptionJSON(ins)}
	if st.ID != 0 {
		// The write committed: a failed read of the speaker's name leaves
		// the name out rather than answer an error.
		names, _ := a.statements().Names(r.Context(), st.Speaker)
		sj := statementJSON(st, names)
		out.Statement = &sj
	}
	return http.StatusOK, out, nil
}

// StanceJSON is a position a statement carries with its subject: the
// position is the decisions' PositionJSON (one model of positions).
type StanceJSON struct {
	Subject  string       `json:"subject"`
	Decision *int64       `json:"decision"`
	Topic    *string      `json:"topic"`
	Position PositionJSON `json:"position"`
}

// StatementTextJSON is a statement's text in one language: the CommonMark
// source and its sanitised HTML.
type StatementTextJSON struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
	HTML string `json:"html"`
}

// StatementJSON is a statement: whether it is on the record is derived
// from its meeting's segments.
type StatementJSON struct {
	ID          int64               `json:"id"`
	Meeting     int64               `json:"meeting"`
	Session     *string             `json:"session"`
	Item        *string             `json:"item"`
	Speaker     string              `json:"speaker"`
	SpeakerName concord.Text        `json:"speaker_name"`
	Kind        statement.Kind      `json:"kind"`
	At          time.Time           `json:"at"`
	OnRecord    bool                `json:"on_record"`
	Texts       []StatementTextJSON `json:"texts"`
	Document    *int64              `json:"document"`
	Positions   []StanceJSON        `json:"positions"`
	Inscription *int64              `json:"inscription"`
	Submitted   bool                `json:"submitted"`
	// Withdrawn is when the statement was withdrawn (null: it stands).
	Withdrawn *time.Time `json:"withdrawn"`
	Created   time.Time  `json:"created"`
	Updated   time.Time  `json:"updated"`
}

func nonZero(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func statementJSON(row statements.Row, names statements.Names) StatementJSON {
	st := row.Statement
	out := StatementJSON{ID: st.ID, Meeting: st.Meeting, Session: orNull(st.Session), Item: orNull(st.Item), Speaker: st.Speaker,
		SpeakerName: text(names[st.Speaker]), Kind: st.Kind, At: st.At.UTC(), OnRecord: row.OnRecord, Document: nonZero(st.Document),
		Inscription: nonZero(st.Inscription), Submitted: st.Submitted, Withdrawn: timeOrNull(st.Withdrawn), Created: st.Created.UTC(), Updated: st.Updated.UTC(),
		Texts: []StatementTextJSON{}, Positions: []StanceJSON{}}
	for _, l := range concord.Languages {
		if t := st.Texts[l]; t != "" {
			out.Texts = append(out.Texts, StatementTextJSON{Lang: l, Text: t, HTML: string(markup.Render(t))})
		}
	}
	for _, s := range st.Stances {
		sj := StanceJSON{Subject: s.Subject, Decision: nonZero(s.Decision()), Position: positionJSON(s.Position)}
		if round, id := s.Topic(); round != 0 {
			sj.Topic = orNull(statements.TopicRef{Round: round, ID: id}.String())
		}
		out.Positions = append(out.Positions, sj)
	}
	return out
}

func (a *API) listStatements(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	var errs concord.Errors
	f := statements.Filter{Speaker: strings.TrimSpace(q.Get("speaker")), Session: strings.TrimSpace(q.Get("session")), Item: strings.TrimSpace(q.Get("item"))}
	if f.Speaker != "" && statement.SpeakerKind(f.Speaker) == "" && statement.SpeakerKind(strings.ToUpper(f.Speaker)) == "" {
		errs = append(errs, concord.Errorf(concord.EInvalid, "speaker", "statement.error.speaker", "unknown speaker %q", f.Speaker))
	}
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
	l, err := a.statements().List(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	out := List[StatementJSON]{Items: make([]StatementJSON, 0, len(l.Rows)), Total: l.Total, Limit: limit, Offset: offset}
	for _, row := range l.Rows {
		out.Items = append(out.Items, statementJSON(row, l.Names))
	}
	return http.StatusOK, out, nil
}

func (a *API) getStatement(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	p, err := a.statements().Get(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, statementJSON(p.Row, p.Names), nil
}

// StatementPositionRequest is a position a statement carries: on a
// decision, on a DTG topic ("3/t2": the topic round's id and the topic's),
// or (neither) on the statement's agenda item.
type StatementPositionRequest struct {
	Decision int64                 `json:"decision"`
	Topic    string                `json:"topic"`
	Kind     decision.PositionKind `json:"kind"`
	Text     string                `json:"text"`
}

// StatementRequest records or submits a statement.
type StatementRequest struct {
	Meeting   int64                      `json:"meeting"`
	Item      string                     `json:"item"`
	Speaker   string                     `json:"speaker"`
	Kind      statement.Kind             `json:"kind"`
	At        time.Time                  `json:"at"`
	Texts     concord.Text               `json:"texts"`
	Document  int64                      `json:"document"`
	Positions []StatementPositionRequest `json:"positions"`
}

func (a *API) recordStatement(r *http.Request) (int, any, error) {
	var req StatementRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	in := statements.Input{Meeting: req.Meeting, Item: req.Item, Speaker: req.Speaker, Kind: req.Kind, At: req.At, Texts: req.Texts, Document: req.Document}
	for _, p := range req.Positions {
		in.Positions = append(in.Positions, statements.PositionInput{Decision: p.Decision, Topic: p.Topic, Kind: p.Kind, Text: p.Text})
	}
	u := auth.UserFrom(r.Context())
	row, err := a.statements().Record(r.Context(), u, in)
	if err != nil {
		return 0, nil, err
	}
	// The write committed: a failed read of the speaker's name leaves the
	// name out rather than answer an error.
	names, _ := a.statements().Names(r.Context(), row.Speaker)
	return http.StatusCreated, statementJSON(row, names), nil
}
