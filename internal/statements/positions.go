package statements

import (
	"cmp"
	"concord/decision"
	"concord/statement"
	"context"
	"slices"
	"strconv"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// The positions register and the map of agreement and divergence
// (doc/record.md, "Positions: one model"): a read model over the
// (subject, position) pairs statements carry, each subject's record built
// by decision.Standing, the tracker that builds a decision's record. A
// decision's own register is its page's record (decision.Decide), whose
// entries carry the same sources.

// Register is every State's position on one agenda item across the
// meetings of its session, with the source of each.
type Register struct {
	Session string
	Item    string
	Number  string
	Title   concord.Text
	Record  decision.Record
	// Statements are the statements the positions came from, by source
	// ("statement:12"), for links and dates.
	Statements map[string]statement.Statement
	Names      Names
}

// positionScope is who takes part (the Member States and the named groups,
// as for a decision) and the States of the registry.
type positionScope struct {
	parts  decide.Participants
	states []concord.State
}

func loadScope(r store.Reader) (positionScope, error) {
	var sc positionScope
	var err error
	if sc.parts, err = decide.LoadParticipants(r); err != nil {
		return sc, err
	}
	sc.states, err = r.States()
	return sc, err
}

// standings groups the stances of the live statements of list by subject
// and builds each subject's record at now; it returns the statements by
// source too.
func (sc positionScope) standings(list []statement.Statement, now time.Time) (map[string]decision.Record, map[string]statement.Statement) {
	bySubject := map[string][]decision.Position{}
	src := map[string]statement.Statement{}
	for _, st := range list {
		if !st.Live() {
			continue
		}
		src[statement.Source(st.ID)] = st
		for _, x := range st.Stances {
			p := x.Position
			if p.Source == "" {
				p.Source = statement.Source(st.ID)
			}
			bySubject[x.Subject] = append(bySubject[x.Subject], p)
		}
	}
	out := make(map[string]decision.Record, len(bySubject))
	for subj, ps := range bySubject {
		out[subj] = decision.Standing(sc.parts.States, sc.parts.Groups, ps, now)
	}
	return out, src
}

// speakerCodes lists the actors of a record's entries and the groups they
// came through, for their names.
func speakerCodes(recs ...decision.Record) []string {
	var codes []string
	for _, rec := range recs {
		for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Objected, rec.Reserved, rec.Dissociated, rec.Abstained, rec.Explanations, rec.Groups} {
			for _, e := range l {
				codes = append(codes, e.State)
				if e.Via != "" {
					codes = append(codes, e.Via)
				}
			}
		}
	}
	return codes
}

// ItemRegister reads the positions register of agenda item item of
// session: a fixed number of statements (the statements carrying
// positions on it, the participants, the session's agenda, the names).
func (s *Service) ItemRegister(ctx context.Context, session, item string) (Register, error) {
	r := s.DB.Read(ctx)
	out := Register{Session: session, Item: item}
	sess, err := s.Agendas.WorkingAgenda(r, session, s.DB.Now())
	if err != nil {
		return out, err
	}
	found := false
	if sess.Basis != nil {
		for _, it := range sess.Basis.Doc.Items {
			if it.ID == item {
				out.Number, out.Title, found = it.Number, it.Title, true
			}
		}
	}
	if !found {
		return out, concord.ErrNotFound
	}
	sc, err := loadScope(r)
	if err != nil {
		return out, err
	}
	list, err := r.PositionStatements(store.PositionQuery{Process: s.Process, Session: session, Item: item})
	if err != nil {
		return out, err
	}
	recs, src := sc.standings(list, s.DB.Now())
	out.Record, out.Statements = recs[statement.ItemSubject(session, item)], src
	out.Record.Silent = nil // every State not named: the page says how many
	out.Names, err = names(r, speakerCodes(out.Record))
	return out, err
}

// MapFilter selects the map's columns: the items of one session (empty:
// the session of the latest statement carrying positions) and the DTG
// topics States took positions on at its meetings, optionally only
// positions taken at meetings of one body; Show keeps only the items or
// only the topics. Session store.OutsideSessions selects the meetings
// outside any session (the DTGs' intersessional meetings): topics only.
type MapFilter struct {
	Session string
	Body    string
	Show    MapShow
}

// MapShow is which columns the map shows.
type MapShow string

// The map's columns.
const (
	ShowBoth   MapShow = ""
	ShowItems  MapShow = "items"
	ShowTopics MapShow = "topics"
)

// MapShows lists the choices, as the filter offers them.
var MapShows = []MapShow{ShowBoth, ShowItems, ShowTopics}

// Column is an item or a DTG topic of the map.
type Column struct {
	Item   string
	Number string
	Title  concord.Text
	// Topic is set on a topic's column (Item empty); Number is then its
	// key on the map ("T1", in the order of the columns).
	Topic *TopicInfo `json:",omitempty"`
}

// Cell is a State's standing position on a column's item ("" kind: none),
// with the group it comes through and its source.
type Cell struct {
	Kind   decision.PositionKind
	Via    string
	Source string
}

// MapRow is one State's row.
type MapRow struct {
	State string
	Names concord.Text
	Cells []Cell
}

// RowGroup is the rows of one regional group ("" : none).
type RowGroup struct {
	Group string
	Rows  []MapRow
}

// Map is the map of agreement and divergence: the States that hold a
// position on at least one column (grouped by regional group, by name
// within), × the items of the session that carry positions, then the DTG
// topics States took positions on at the session's meetings.
type Map struct {
	Session  string
	Body     string
	Show     MapShow
	Sessions []string
	Columns  []Column
	Groups   []RowGroup
	// Silent is how many Member States hold no position on any column.
	Silent int
	Names  Names
	// cells are the rows being built, by State.
	cells map[string][]Cell
}

// fill sets the cells of the columns from first on, each column's record
// in recs by its subject (an item's or a topic's).
func (m *Map) fill(sc positionScope, recs map[string]decision.Record, first int) {
	if m.cells == nil {
		m.cells = map[string][]Cell{}
	}
	for i := first; i < len(m.Columns); i++ {
		c := m.Columns[i]
		subj := statement.ItemSubject(m.Session, c.Item)
		if c.Topic != nil {
			subj = c.Topic.Subject()
		}
		rec := recs[subj]
		for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Objected, rec.Reserved, rec.Dissociated, rec.Abstained} {
			for _, e := range l {
				cs := m.cells[e.State]
				if len(cs) < len(m.Columns) {
					cs = append(cs, make([]Cell, len(m.Columns)-len(cs))...)
				}
				cs[i] = Cell{Kind: e.Kind, Via: e.Via, Source: e.Source}
				m.cells[e.State] = cs
			}
		}
	}
}

// PositionMap reads the map: a fixed number of statements whatever the
// data (the sessions with positions, the statements carrying positions in
// the session, on items and on topics, the participants and States, the
// session's agenda, the topic rounds).
func (s *Service) PositionMap(ctx context.Context, f MapFilter) (Map, error) {
	r := s.DB.Read(ctx)
	out := Map{Body: f.Body, Show: f.Show}
	var err error
	if out.Sessions, err = r.PositionSessions(s.Process); err != nil {
		return out, err
	}
	out.Session = f.Session
	if out.Session == "" && len(out.Sessions) > 0 {
		out.Session = out.Sessions[0]
	}
	if out.Session == "" {
		return out, nil
	}
	sc, err := loadScope(r)
	if err != nil {
		return out, err
	}
	now := s.DB.Now()
	// The meetings outside any session have no agenda: topics only.
	if f.Show != ShowTopics && out.Session != store.OutsideSessions {
		list, err := r.PositionStatements(store.PositionQuery{Process: s.Process, Session: out.Session, Body: f.Body})
		if err != nil {
			return out, err
		}
		recs, _ := sc.standings(list, now)
		sess, err := s.Agendas.WorkingAgenda(r, out.Session, now)
		if err != nil {
			return out, err
		}
		if sess.Basis != nil {
			for _, it := range sess.Basis.Doc.Items {
				if _, ok := recs[statement.ItemSubject(out.Session, it.ID)]; ok {
					out.Columns = append(out.Columns, Column{Item: it.ID, Number: it.Number, Title: it.Title})
				}
			}
		}
		out.fill(sc, recs, 0)
	}
	if f.Show != ShowItems {
		// What was said on topics at the session's meetings: the map is
		// the session's; the decisions that proposed a topic are on its
		// register, across sessions.
		list, err := r.PositionStatements(store.PositionQuery{Process: s.Process, Topics: true, Session: out.Session, Body: f.Body})
		if err != nil {
			return out, err
		}
		ix, err := s.loadTopics(r) // read even when empty: a fixed number of statements
		if err != nil {
			return out, err
		}
		recs, _ := sc.topicStandings(ix, list, false, now)
		first := len(out.Columns)
		byRef := map[string]decision.Record{}
		for _, rid := range ix.order {
			for _, sug := range ix.rounds[rid].Suggestions {
				t := TopicRef{rid, sug.ID}
				if rec, ok := recs[t]; ok {
					info, _ := ix.info(t)
					out.Columns = append(out.Columns, Column{Number: "T" + strconv.Itoa(len(out.Columns)-first+1), Title: info.Title, Topic: &info})
					byRef[t.Subject()] = rec
				}
			}
		}
		out.fill(sc, byRef, first)
	}
	cells := out.cells
	out.cells = nil
	for iso, cs := range cells {
		if len(cs) < len(out.Columns) {
			cells[iso] = append(cs, make([]Cell, len(out.Columns)-len(cs))...)
		}
	}
	groupOf := decision.GroupOf(sc.states, s.DB.Now())
	byGroup := map[string]*RowGroup{}
	var via []string
	for _, st := range sc.states {
		cs, ok := cells[st.ISO3]
		if !ok {
			continue
		}
		g := groupOf(st.ISO3)
		if byGroup[g] == nil {
			byGroup[g] = &RowGroup{Group: g}
		}
		byGroup[g].Rows = append(byGroup[g].Rows, MapRow{State: st.ISO3, Names: st.Names, Cells: cs})
		for _, c := range cs {
			if c.Via != "" && !slices.Contains(via, c.Via) {
				via = append(via, c.Via)
			}
		}
	}
	for _, g := range byGroup {
		slices.SortFunc(g.Rows, func(a, b MapRow) int { return cmp.Compare(a.Names["en"], b.Names["en"]) })
		out.Groups = append(out.Groups, *g)
	}
	slices.SortFunc(out.Groups, func(a, b RowGroup) int {
		if (a.Group == "") != (b.Group == "") {
			if a.Group == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Group, b.Group)
	})
	out.Silent = len(sc.parts.States)
	for _, iso := range sc.parts.States {
		if _, ok := cells[iso]; ok {
			out.Silent--
		}
	}
	out.Names, err = names(r, via)
	return out, err
}

// Timeline is one page of a State's record over time: its statements,
// latest first, each with the positions it carried.
type Timeline struct {
	State string
	Rows  []Row
	Page  int
	Total int
	Pages int
	Names Names
}

// StateRecord reads page (from 1) of a State's statements and the
// positions they carried: three bounded statements (the count, the page,
// their meetings) and the names of the speakers.
func (s *Service) StateRecord(ctx context.Context, iso3 string, page int) (Timeline, error) {
	page = max(page, 1)
	l, err := s.List(ctx, Filter{Speaker: iso3, Page: page})
	if err != nil {
		return Timeline{}, err
	}
	return Timeline{State: iso3, Rows: l.Rows, Page: page, Total: l.Total, Pages: max(1, (l.Total+PageSize-1)/PageSize), Names: l.Names}, nil
}

// FeedSize is how many statements a feed reads.
const FeedSize = 50

// FeedFilter selects a feed's statements: the whole process, one
// speaker's, or one agenda item's (Session and Item).
type FeedFilter struct {
	Speaker string
	Session string
	Item    string
}

// FeedList is the statements of a feed: the live ones among the newest
// FeedSize, and Changed, the latest change among all of those read (a
// withdrawal included, so that a feed that loses an entry says it
// changed).
type FeedList struct {
	List
	Changed time.Time
}

// Feed reads the newest statements of the process for its Atom feed: the
// public may see every statement (those of informal segments are marked,
// not hidden); withdrawn ones are left out. Bounded: one page of the
// latest-first index, their meetings and the speakers' names.
func (s *Service) Feed(ctx context.Context, f FeedFilter) (FeedList, error) {
	l, err := s.List(ctx, Filter{Speaker: f.Speaker, Session: f.Session, Item: f.Item, Limit: FeedSize, Latest: true})
	if err != nil {
		return FeedList{}, err
	}
	out := FeedList{List: List{Names: l.Names}}
	for _, row := range l.Rows {
		if row.Updated.After(out.Changed) {
			out.Changed = row.Updated
		}
		if row.Live() {
			out.Rows = append(out.Rows, row)
		}
	}
	out.Total = len(out.Rows)
	return out, nil
}
