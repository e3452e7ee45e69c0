package web

import (
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"concord"
	"concord/internal/atom"
	"concord/internal/statements"
	"concord/internal/store"
)

// The positions register, the map of agreement and divergence, a State's
// record over time, withdrawing a statement and the statements feed
// (issue 12, doc/record.md "Positions: one model"). The register and the
// map are read models the statements service builds with decision.Standing.

func (s *Server) positionRoutes() []Route {
	return []Route{
		{"GET", "/sessions/{code}/items/{item}/positions", concord.ActRead, nil, "/sessions/GM-2026-1/items/item-1/positions", s.itemRegister},
		{"GET", "/topics/{id}/{topic}/positions", concord.ActRead, nil, "/topics/1/t1/positions", s.topicRegister},
		{"GET", "/positions/map", concord.ActRead, nil, "/positions/map", s.positionMap},
		{"GET", "/states/{iso3}/record", concord.ActRead, nil, "/states/FRA/record", s.stateRecord},
		{"POST", "/statements/{id}/withdraw", concord.ActSpeak, nil, "/statements/1/withdraw", s.statementWithdraw},
		{"GET", "/statements/feed.atom", concord.ActRead, nil, "/statements/feed.atom", s.statementsFeed},
		{"GET", "/states/{iso3}/statements.atom", concord.ActRead, nil, "/states/FRA/statements.atom", s.stateStatementsFeed},
		{"GET", "/sessions/{code}/items/{item}/statements.atom", concord.ActRead, nil, "/sessions/GM-2026-1/items/item-1/statements.atom", s.itemStatementsFeed},
	}
}

// registerLine is one State's (or group's) line of the register.
type registerLine struct {
	Entry     decision.Entry
	Statement statement.Statement // the source statement, when known
}

// registerView is the data of an item's or a DTG topic's register page.
type registerView struct {
	Reg statements.Register
	// Topic is set on a topic's register (Reg then has only its names),
	// with the decisions that proposed the topic.
	Topic     *statements.TopicInfo
	Decisions []int64
	Lines     []registerLine // agreement then divergence, by State
	// Groups are the positions groups took as such.
	Groups []registerLine
}

func (s *Server) itemRegister(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.statementsSvc().ItemRegister(r.Context(), r.PathValue("code"), r.PathValue("item"))
	if err != nil {
		return err
	}
	v := registerView{Reg: reg}
	v.lines(reg.Record, reg.Statements)
	p := s.newPage(r, "positions.register", v)
	p.Title = p.T("positions.register_of", "Number", reg.Number, "Title", p.L(reg.Title).Text)
	p.Feeds = []FeedLink{{p.URL("/sessions/" + reg.Session + "/items/" + reg.Item + "/statements.atom"),
		p.T("feed.item_statements", "Number", reg.Number, "Session", reg.Session, "Item", p.L(reg.Title).Text)}}
	return s.render(w, r, http.StatusOK, "position_register", p)
}

// lines lists a record's entries, agreement then divergence, and the
// groups' own, each with its source statement when there is one.
func (v *registerView) lines(rec decision.Record, src map[string]statement.Statement) {
	line := func(e decision.Entry) registerLine {
		return registerLine{Entry: e, Statement: src[e.Source]}
	}
	for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Reserved, rec.Dissociated, rec.Abstained, rec.Objected} {
		for _, e := range l {
			v.Lines = append(v.Lines, line(e))
		}
	}
	for _, e := range rec.Groups {
		v.Groups = append(v.Groups, line(e))
	}
}

// topicRef reads a topic's reference from the path: the round's id and
// the suggestion's id ("not found" when malformed).
func topicRef(r *http.Request) (statements.TopicRef, error) {
	round, id, ok := statement.ParseTopic(r.PathValue("id") + "/" + r.PathValue("topic"))
	if !ok {
		return statements.TopicRef{}, concord.ErrNotFound
	}
	return statements.TopicRef{Round: round, ID: id}, nil
}

// topicRegister is a DTG topic's positions register, across sessions.
func (s *Server) topicRegister(w http.ResponseWriter, r *http.Request) error {
	t, err := topicRef(r)
	if err != nil {
		return err
	}
	reg, err := s.statementsSvc().TopicRegister(r.Context(), t)
	if err != nil {
		return err
	}
	v := registerView{Reg: statements.Register{Names: reg.Names}, Topic: &reg.Topic, Decisions: reg.Decisions}
	v.lines(reg.Record, reg.Statements)
	p := s.newPage(r, "positions.register", v)
	// The title in its own direction (an English title on an Arabic page):
	// first-strong isolate ... pop directional isolate.
	p.Title = p.T("positions.topic_register_of", "Title", "\u2068"+p.L(reg.Topic.Title).Text+"\u2069")
	return s.render(w, r, http.StatusOK, "position_register", p)
}

// Map cell sizes of the SVG, in user units.
const (
	mapLabel  = 200
	mapCell   = 44
	mapRow    = 24
	mapHeader = 28
)

// svgCell is one rectangle of the map.
type svgCell struct {
	X, Y  int
	Class string
	Title string
}

// svgText is one label of the map.
type svgText struct {
	X, Y   int
	Text   string
	Anchor string
	Class  string
}

// mapView is the data of the map page: the matrix, its SVG drawing (laid
// out in the page's direction: columns run right to left in Arabic) and
// the filters.
type mapView struct {
	Map    statements.Map
	Bodies []meeting.Body
	Shows  []statements.MapShow
	Topics []statements.Column // the topic columns, for their key
	// MapTitle is the SVG's title and the table's caption.
	MapTitle string
	Width    int
	Height   int
	Cells    []svgCell
	Texts    []svgText
	Classes  []string // the legend: the decision chart's position classes
	Span     int      // the table twin's columns
}

// layoutMap draws m: a header row of item numbers, then per regional group
// a label row and a row per State.
func layoutMap(p *Page, m statements.Map) mapView {
	v := mapView{Map: m, Bodies: meeting.Bodies, Shows: statements.MapShows, Classes: chartClasses, Span: len(m.Columns) + 1,
		MapTitle: p.T("positions.map_title", "Session", m.Session)}
	if m.Session == store.OutsideSessions {
		v.MapTitle = p.T("positions.map_title_outside")
	}
	for _, c := range m.Columns {
		if c.Topic != nil {
			v.Topics = append(v.Topics, c)
		}
	}
	rtl := p.Dir == "rtl"
	v.Width = mapLabel + mapCell*len(m.Columns) + 8
	x := func(col int) int { // the left edge of column col
		if rtl {
			return v.Width - mapLabel - mapCell*(col+1) - 4
		}
		return mapLabel + mapCell*col + 4
	}
	labelX, anchor := 4, "start"
	if rtl {
		labelX = v.Width - 4
	}
	for i, c := range m.Columns {
		v.Texts = append(v.Texts, svgText{X: x(i) + mapCell/2, Y: mapHeader - 8, Text: c.Number, Anchor: "middle", Class: "map-head"})
	}
	y := mapHeader
	for _, g := range m.Groups {
		name := p.T("positions.no_group")
		if g.Group != "" {
			name = p.T("portal.region." + g.Group)
		}
		v.Texts = append(v.Texts, svgText{X: labelX, Y: y + mapRow - 7, Text: name, Anchor: anchor, Class: "map-group"})
		y += mapRow
		for _, row := range g.Rows {
			state := p.L(row.Names).Text
			v.Texts = append(v.Texts, svgText{X: labelX, Y: y + mapRow - 7, Text: state, Anchor: anchor, Class: "map-state"})
			for i, c := range row.Cells {
				// The decision chart's classes, so that a colour means one
				// kind of position across the pages.
				kind, class := p.T("positions.none"), "pos-"+positionClass(c.Kind)
				if c.Kind != "" {
					kind = p.T("position." + string(c.Kind))
				}
				v.Cells = append(v.Cells, svgCell{X: x(i) + 2, Y: y + 2, Class: class,
					Title: state + " — " + p.ColumnName(m.Columns[i]) + ": " + kind})
			}
			y += mapRow
		}
	}
	v.Height = y + 4
	return v
}

// ColumnName names a column of the map: "Item 5", or a topic's key and
// title ("Topic T1: Ransomware").
func (p *Page) ColumnName(c statements.Column) string {
	if c.Topic != nil {
		return p.T("positions.topic_n", "Key", c.Number) + ": " + p.L(c.Title).Text
	}
	return p.T("statements.item_n", "Number", c.Number)
}

// TopicURL is the register of a DTG topic.
func (p *Page) TopicURL(t statements.TopicRef) string {
	return p.URL("/topics/" + t.String() + "/positions")
}

// CellText is what the table twin shows in a cell: the position, and the
// group it comes through.
func (p *Page) CellText(names statements.Names, c statements.Cell) string {
	if c.Kind == "" {
		return "—"
	}
	t := p.T("position." + string(c.Kind))
	if c.Via != "" {
		t += " (" + p.T("positions.via", "Group", p.Speaker(names, c.Via)) + ")"
	}
	return t
}

// SourceURL links a position's source ("statement:12", "decision:7") to
// its page.
func (p *Page) SourceURL(source string) string {
	if id, ok := strings.CutPrefix(source, "statement:"); ok {
		return p.URL("/statements/" + id)
	}
	if id, ok := strings.CutPrefix(source, "decision:"); ok {
		return p.URL("/decisions/" + id)
	}
	return ""
}

// SourceText names a position's source for its link: the statement, or
// the decision.
func (p *Page) SourceText(source string) string {
	if id, ok := strings.CutPrefix(source, "decision:"); ok {
		return p.T("statements.on_decision", "ID", id)
	}
	return p.T("positions.statement_of")
}

// SubjectURL links a statement's position subject on an agenda item
// ("item:GM-2026-1/item-5") or a DTG topic ("topic:3/t2") to its
// register; "" for others.
func (p *Page) SubjectURL(subject string) string {
	if ref, ok := strings.CutPrefix(subject, "topic:"); ok {
		if round, id, ok := statement.ParseTopic(ref); ok {
			return p.TopicURL(statements.TopicRef{Round: round, ID: id})
		}
		return ""
	}
	ref, ok := strings.CutPrefix(subject, "item:")
	session, item, ok2 := strings.Cut(ref, "/")
	if !ok || !ok2 {
		return ""
	}
	return p.URL("/sessions/" + session + "/items/" + item + "/positions")
}

// SubjectText names the register a stance's subject links to: the agenda
// item's or the DTG topic's.
func (p *Page) SubjectText(subject string) string {
	if strings.HasPrefix(subject, "topic:") {
		return p.T("positions.on_topic")
	}
	return p.T("positions.on_item")
}

func (s *Server) positionMap(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := statements.MapFilter{Session: strings.TrimSpace(q.Get("session")), Body: strings.TrimSpace(q.Get("body")), Show: statements.MapShow(strings.TrimSpace(q.Get("show")))}
	var errs concord.Errors
	if f.Body != "" && !slices.Contains(meeting.Bodies, meeting.Body(f.Body)) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "body", "meeting.error.body", "unknown body %q", f.Body))
		f.Body = ""
	}
	if f.Show == "both" {
		f.Show = statements.ShowBoth
	}
	if !slices.Contains(statements.MapShows, f.Show) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "show", "positions.error.show", "show items, topics or both, not %q", f.Show))
		f.Show = statements.ShowBoth
	}
	m, err := s.statementsSvc().PositionMap(r.Context(), f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "positions.map", nil)
	p.Data = layoutMap(p, m)
	status := http.StatusOK
	if err := errs.Err(); err != nil {
		p.SetErr(err)
		status = Status(concord.ErrorCode(err))
	}
	return s.render(w, r, status, "position_map", p)
}

// stateRecordView is a State's record over time, with its standing
// positions on DTG topics.
type stateRecordView struct {
	State  concord.State
	Rec    statements.Timeline
	Topics []statements.TopicPosition
	// TopicNames are the names of the groups the topic positions came
	// through.
	TopicNames statements.Names
	Pager      pager
}

func (s *Server) stateRecord(w http.ResponseWriter, r *http.Request) error {
	iso3 := strings.ToUpper(r.PathValue("iso3"))
	st, err := s.DB.GetState(r.Context(), iso3)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	rec, err := s.statementsSvc().StateRecord(r.Context(), iso3, page)
	if err != nil {
		return err
	}
	topics, tnames, err := s.statementsSvc().StateTopics(r.Context(), iso3)
	if err != nil {
		return err
	}
	pg, _ := newPager(r, rec.Total, statements.PageSize)
	p := s.newPage(r, "positions.state_record", stateRecordView{State: st, Rec: rec, Topics: topics, TopicNames: tnames, Pager: pg})
	p.Title = p.T("positions.state_record_of", "State", p.L(st.Names).Text)
	p.Feeds = []FeedLink{{p.URL("/states/" + st.ISO3 + "/statements.atom"), p.T("feed.state_statements", "State", p.L(st.Names).Text)}}
	return s.render(w, r, http.StatusOK, "state_record", p)
}

func (s *Server) statementWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.statementsSvc().Withdraw(r.Context(), UserFrom(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/statements/%d?withdrawn=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// CanWithdraw reports whether the page's user may withdraw a statement
// by speaker: its own delegation, or the Secretariat.
func (p *Page) CanWithdraw(speaker string) bool { return statements.CanSpeakFor(p.User, speaker) }

// statementsFeed: the process's newest statements.
func (s *Server) statementsFeed(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "feed.statements", nil)
	return s.statementFeed(w, r, p, s.newFeed(r, p, "statements", p.Title, "/statements"), statements.FeedFilter{})
}

// stateStatementsFeed: the newest statements a State delivered.
func (s *Server) stateStatementsFeed(w http.ResponseWriter, r *http.Request) error {
	st, err := s.DB.GetState(r.Context(), strings.ToUpper(r.PathValue("iso3")))
	if err != nil {
		return err
	}
	p := s.newPage(r, "", nil)
	f := s.newFeed(r, p, "state-statements/"+st.ISO3, p.T("feed.state_statements", "State", p.L(st.Names).Text), "/states/"+st.ISO3+"/record")
	return s.statementFeed(w, r, p, f, statements.FeedFilter{Speaker: st.ISO3})
}

// itemStatementsFeed: the newest statements on an item of a session's
// agenda, named as the agenda the session works on numbers it.
func (s *Server) itemStatementsFeed(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.agendas().Session(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	it, ok := findItem(sess.Basis.Doc.Items, r.PathValue("item"))
	if !ok || it.ID == "" {
		return concord.Errorf(concord.ENotFound, "item", "error.not_found", "no item %q on the agenda of %s", r.PathValue("item"), sess.Code)
	}
	p := s.newPage(r, "", nil)
	f := s.newFeed(r, p, "item-statements/"+sess.Code+"/"+it.ID,
		p.T("feed.item_statements", "Number", it.Number, "Session", sess.Code, "Item", p.L(it.Title).Text), "/sessions/"+sess.Code+"/items/"+it.ID+"/positions")
	f.Since = sess.Versions[0].Doc.Issued
	return s.statementFeed(w, r, p, f, statements.FeedFilter{Session: sess.Code, Item: it.ID})
}

// statementFeed fills f with the statements ff selects and serves it:
// public (statements are public, those of informal segments marked as not
// on the record), withdrawn ones left out, and the feed's updated the
// latest change among those read, a withdrawal included, so that a reader
// asking with If-Modified-Since loses the entry.
func (s *Server) statementFeed(w http.ResponseWriter, r *http.Request, p *Page, f atom.Feed, ff statements.FeedFilter) error {
	l, err := s.statementsSvc().Feed(r.Context(), ff)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	for _, row := range l.Rows {
		id := strconv.FormatInt(row.ID, 10)
		who := p.Speaker(l.Names, row.Speaker)
		kind := p.T("statement.kind." + string(row.Kind))
		summary := kind
		if !row.OnRecord {
			summary += " · " + p.T("statements.not_on_record")
		}
		f.Entries = append(f.Entries, atom.Entry{ID: atom.ID(row.Process, "statement", id, p.Lang),
			Title:   p.T("feed.statement_title", "Speaker", who, "Meeting", p.L(row.Meeting.Title).Text),
			Updated: row.Updated, Published: row.At, Link: base + p.URL("/statements/"+id), Authors: []string{who},
			Summary: summary, Category: []atom.Category{{Term: string(row.Kind), Label: kind}}})
	}
	if l.Changed.After(f.Latest()) {
		f.Updated = l.Changed
	}
	return serveFeed(w, f)
}
