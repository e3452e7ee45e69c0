package api

import (
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/statements"
)

// The positions register, the map of agreement and divergence and
// withdrawing a statement: the twins of the pages in internal/web
// (positions.go). A State's record over time is GET /statements?speaker=.

func (a *API) positionRoutes() []Route {
	return []Route{
		{"GET", "/sessions/{code}/items/{item}/positions", concord.ActRead, nil, "/sessions/GM-2026-1/items/item-1/positions", a.itemRegister},
		{"GET", "/topics/{id}/{topic}/positions", concord.ActRead, nil, "/topics/1/t1/positions", a.topicRegister},
		{"GET", "/positions/map", concord.ActRead, nil, "/positions/map", a.positionMap},
		{"GET", "/states/{iso3}/topic-positions", concord.ActRead, nil, "/states/FRA/topic-positions", a.stateTopics},
		{"POST", "/statements/{id}/withdraw", concord.ActSpeak, nil, "/statements/1/withdraw", a.withdrawStatement},
	}
}

// RegisterEntryJSON is one State's (or group's) standing position with its
// source.
type RegisterEntryJSON struct {
	State string                `json:"state"`
	Via   *string               `json:"via"`
	Kind  decision.PositionKind `json:"kind"`
	Text  string                `json:"text"`
	At    time.Time             `json:"at"`
	// Source is the statement it came from ("statement:12"), or on a
	// DTG topic the decision that proposed it ("decision:7").
	Source    *string `json:"source"`
	Statement *int64  `json:"statement"`
}

// RegisterJSON is the positions register of one agenda item.
type RegisterJSON struct {
	Session   string              `json:"session"`
	Item      string              `json:"item"`
	Number    string              `json:"number"`
	Title     concord.Text        `json:"title"`
	Positions []RegisterEntryJSON `json:"positions"`
	Groups    []RegisterEntryJSON `json:"groups"`
}

func registerEntry(src map[string]statement.Statement, e decision.Entry) RegisterEntryJSON {
	out := RegisterEntryJSON{State: e.State, Via: orNull(e.Via), Kind: e.Kind, Text: e.Text, At: e.At.UTC(), Source: orNull(e.Source)}
	if st, ok := src[e.Source]; ok {
		out.Statement = nonZero(st.ID)
	}
	return out
}

// registerEntries lists a record's positions by State and the groups'.
func registerEntries(rec decision.Record, src map[string]statement.Statement) (positions, groups []RegisterEntryJSON) {
	positions, groups = []RegisterEntryJSON{}, []RegisterEntryJSON{}
	for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Reserved, rec.Dissociated, rec.Abstained, rec.Objected} {
		for _, e := range l {
			positions = append(positions, registerEntry(src, e))
		}
	}
	slices.SortFunc(positions, func(a, b RegisterEntryJSON) int { return strings.Compare(a.State, b.State) })
	for _, e := range rec.Groups {
		groups = append(groups, registerEntry(src, e))
	}
	return positions, groups
}

// TopicRegisterJSON is the positions register of one DTG topic, across
// sessions.
type TopicRegisterJSON struct {
	Round int64        `json:"round"`
	Topic string       `json:"topic"`
	DTG   string       `json:"dtg"`
	Term  string       `json:"term"`
	Title concord.Text `json:"title"`
	// Decisions are the decisions that proposed the topic.
	Decisions []int64             `json:"decisions"`
	Positions []RegisterEntryJSON `json:"positions"`
	Groups    []RegisterEntryJSON `json:"groups"`
}

func (a *API) topicRegister(r *http.Request) (int, any, error) {
	round, id, ok := statement.ParseTopic(r.PathValue("id") + "/" + r.PathValue("topic"))
	if !ok {
		return 0, nil, concord.ErrNotFound
	}
	reg, err := a.statements().TopicRegister(r.Context(), statements.TopicRef{Round: round, ID: id})
	if err != nil {
		return 0, nil, err
	}
	t := reg.Topic
	out := TopicRegisterJSON{Round: t.Round, Topic: t.ID, DTG: t.DTG, Term: t.Term, Title: text(t.Title), Decisions: append([]int64{}, reg.Decisions...)}
	out.Positions, out.Groups = registerEntries(reg.Record, reg.Statements)
	return http.StatusOK, out, nil
}

func (a *API) itemRegister(r *http.Request) (int, any, error) {
	reg, err := a.statements().ItemRegister(r.Context(), r.PathValue("code"), r.PathValue("item"))
	if err != nil {
		return 0, nil, err
	}
	out := RegisterJSON{Session: reg.Session, Item: reg.Item, Number: reg.Number, Title: text(reg.Title)}
	out.Positions, out.Groups = registerEntries(reg.Record, reg.Statements)
	return http.StatusOK, out, nil
}

// StateTopicJSON is a State's standing position on one DTG topic.
type StateTopicJSON struct {
	Round    int64             `json:"round"`
	Topic    string            `json:"topic"`
	DTG      string            `json:"dtg"`
	Term     string            `json:"term"`
	Title    concord.Text      `json:"title"`
	Position RegisterEntryJSON `json:"position"`
}

// StateTopicsJSON is a State's standing positions on the DTG topics, the
// twin of the topics part of its record page.
type StateTopicsJSON struct {
	State     string           `json:"state"`
	Positions []StateTopicJSON `json:"positions"`
}

func (a *API) stateTopics(r *http.Request) (int, any, error) {
	st, err := a.DB.GetState(r.Context(), strings.ToUpper(r.PathValue("iso3")))
	if err != nil {
		return 0, nil, err
	}
	list, _, err := a.statements().StateTopics(r.Context(), st.ISO3)
	if err != nil {
		return 0, nil, err
	}
	out := StateTopicsJSON{State: st.ISO3, Positions: []StateTopicJSON{}}
	for _, tp := range list {
		e := registerEntry(nil, tp.Entry)
		if id, ok := strings.CutPrefix(tp.Entry.Source, "statement:"); ok {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				e.Statement = nonZero(n)
			}
		}
		out.Positions = append(out.Positions, StateTopicJSON{Round: tp.Topic.Round, Topic: tp.Topic.ID, DTG: tp.Topic.DTG, Term: tp.Topic.Term,
			Title: text(tp.Topic.Title), Position: e})
	}
	return http.StatusOK, out, nil
}

// MapColumnJSON is an item or a DTG topic of the map: item set on an
// item's column, topic ("3/t2"), dtg and term on a topic's, whose number
// is its key on the map ("T1").
type MapColumnJSON struct {
	Item   *string      `json:"item"`
	Topic  *string      `json:"topic"`
	DTG    *string      `json:"dtg"`
	Term   *string      `json:"term"`
	Number string       `json:"number"`
	Title  concord.Text `json:"title"`
}

// MapCellJSON is a State's standing position on a column (kind null: none).
type MapCellJSON struct {
	Kind   *decision.PositionKind `json:"kind"`
	Via    *string                `json:"via"`
	Source *string                `json:"source"`
}

// MapRowJSON is one State's row.
type MapRowJSON struct {
	State string        `json:"state"`
	Names concord.Text  `json:"names"`
	Cells []MapCellJSON `json:"cells"`
}

// MapGroupJSON is a regional group's rows (group null: none).
type MapGroupJSON struct {
	Group *string      `json:"group"`
	Rows  []MapRowJSON `json:"rows"`
}

// MapJSON is the map of agreement and divergence: the same matrix as the
// page.
type MapJSON struct {
	Session  *string         `json:"session"`
	Body     *string         `json:"body"`
	Show     string          `json:"show"`
	Sessions []string        `json:"sessions"`
	Columns  []MapColumnJSON `json:"columns"`
	Groups   []MapGroupJSON  `json:"groups"`
	Silent   int             `json:"silent"`
}

func (a *API) positionMap(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	f := statements.MapFilter{Session: strings.TrimSpace(q.Get("session")), Body: strings.TrimSpace(q.Get("body")), Show: statements.MapShow(strings.TrimSpace(q.Get("show")))}
	var errs concord.Errors
	if f.Body != "" && !slices.Contains(meeting.Bodies, meeting.Body(f.Body)) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "body", "meeting.error.body", "unknown body %q", f.Body))
	}
	if f.Show == "both" {
		f.Show = statements.ShowBoth
	}
	if !slices.Contains(statements.MapShows, f.Show) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "show", "positions.error.show", "show items, topics or both, not %q", f.Show))
	}
	if err := errs.Err(); err != nil {
		return 0, nil, err
	}
	m, err := a.statements().PositionMap(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	out := MapJSON{Session: orNull(m.Session), Body: orNull(m.Body), Show: string(m.Show), Sessions: strs(m.Sessions), Columns: []MapColumnJSON{}, Groups: []MapGroupJSON{}, Silent: m.Silent}
	if out.Show == "" {
		out.Show = "both"
	}
	for _, c := range m.Columns {
		cj := MapColumnJSON{Item: orNull(c.Item), Number: c.Number, Title: text(c.Title)}
		if c.Topic != nil {
			cj.Topic, cj.DTG, cj.Term = orNull(c.Topic.String()), orNull(c.Topic.DTG), orNull(c.Topic.Term)
		}
		out.Columns = append(out.Columns, cj)
	}
	for _, g := range m.Groups {
		gj := MapGroupJSON{Group: orNull(g.Group), Rows: []MapRowJSON{}}
		for _, row := range g.Rows {
			rj := MapRowJSON{State: row.State, Names: text(row.Names), Cells: []MapCellJSON{}}
			for _, c := range row.Cells {
				cj := MapCellJSON{Via: orNull(c.Via), Source: orNull(c.Source)}
				if c.Kind != "" {
					k := c.Kind
					cj.Kind = &k
				}
				rj.Cells = append(rj.Cells, cj)
			}
			gj.Rows = append(gj.Rows, rj)
		}
		out.Groups = append(out.Groups, gj)
	}
	return http.StatusOK, out, nil
}

func (a *API) withdrawStatement(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	row, err := a.statements().Withdraw(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	names, _ := a.statements().Names(r.Context(), row.Speaker)
	return http.StatusOK, statementJSON(row, names), nil
}
