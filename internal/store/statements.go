package store

import (
	"cmp"
	"concord"
	"concord/meeting"
	"concord/statement"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Lists of speakers and statements (issue 12): inscriptions one row each,
// unique per (meeting, item, speaker, reply); statements as JSON of
// statement.Statement with the columns the meeting's, the speaker's and the
// item's lists query.

const inscriptionColumns = "id, place, created_at, updated_at, doc"

func scanInscription(sc interface{ Scan(...any) error }) (statement.Inscription, error) {
	var in statement.Inscription
	var id int64
	var place int
	var created, updated time.Time
	var doc string
	if err := sc.Scan(&id, &place, &created, &updated, &doc); err != nil {
		return in, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &in); err != nil {
		return in, err
	}
	in.ID, in.Place = id, place
	return in, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// AddInscription inserts a place on a list of speakers, audited publicly
// (lists of speakers are public). A second place for the same speaker on
// the same list, even from a racing request, is refused by the unique key
// with statement.error.inscribed_twice.
func (tx *Tx) AddInscription(in *statement.Inscription) error {
	in.At = tx.Now.UTC().Truncate(time.Second)
	doc, err := docJSON(in)
	if err != nil {
		return err
	}
	err = tx.row(tx.ctx, `INSERT INTO inscriptions (process, meeting_id, item, speaker, reply, place, created_at, updated_at, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		in.Process, in.Meeting, in.Item, in.Speaker, boolInt(in.Reply()), in.Place, tx.Now, tx.Now, doc).Scan(&in.ID)
	if isUniqueViolation(err) {
		return concord.Errorf(concord.EConflict, "speaker", "statement.error.inscribed_twice", "%s is already on the list of speakers for this item", in.Speaker)
	}
	if err != nil {
		return err
	}
	return tx.Audit("speakers.inscribe", "inscription", itoa64(in.ID), nil, in, true)
}

// SaveInscription updates one place (spoke, duration, statement) under
// action, audited publicly.
func (tx *Tx) SaveInscription(in *statement.Inscription, action string) error {
	prev, err := tx.Inscription(in.ID)
	if err != nil {
		return err
	}
	doc, err := docJSON(in)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE inscriptions SET place = $1, updated_at = $2, doc = $3 WHERE id = $4", in.Place, tx.Now, doc, in.ID); err != nil {
		return err
	}
	return tx.Audit(action, "inscription", itoa64(in.ID), prev, in, true)
}

// SetPlaces writes the places of a list whose order changed (before is the
// list as read), one update per place that moved, and audits the new order
// under action as one entry on the list ("meeting/item").
func (tx *Tx) SetPlaces(before, after []statement.Inscription, action string) error {
	was := map[int64]int{}
	for _, in := range before {
		was[in.ID] = in.Place
	}
	var order, prev []string
	for _, in := range before {
		prev = append(prev, in.Speaker)
	}
	for _, in := range after {
		order = append(order, in.Speaker)
		if p, ok := was[in.ID]; ok && p != in.Place {
			if _, err := tx.exec(tx.ctx, "UPDATE inscriptions SET place = $1, updated_at = $2 WHERE id = $3", in.Place, tx.Now, in.ID); err != nil {
				return err
			}
		}
	}
	if len(after) == 0 {
		return nil
	}
	return tx.Audit(action, "speakers", itoa64(after[0].Meeting)+"/"+after[0].Item, prev, order, true)
}

// Inscription reads one place on a list.
func (r Reader) Inscription(id int64) (statement.Inscription, error) {
	return scanInscription(r.row(r.ctx, "SELECT "+inscriptionColumns+" FROM inscriptions WHERE id = $1", id))
}

// Inscriptions reads every list of speakers of a meeting, by item then
// place, in one statement.
func (r Reader) Inscriptions(meetingID int64) ([]statement.Inscription, error) {
	return queryAll(r.ctx, r.conn, scanInscription, "SELECT "+inscriptionColumns+" FROM inscriptions WHERE meeting_id = $1 ORDER BY item, place, id", meetingID)
}

// List reads one list of speakers, by place.
func (r Reader) List(meetingID int64, item string) ([]statement.Inscription, error) {
	return queryAll(r.ctx, r.conn, scanInscription, "SELECT "+inscriptionColumns+" FROM inscriptions WHERE meeting_id = $1 AND item = $2 ORDER BY place, id", meetingID, item)
}

const statementColumns = "id, created_at, updated_at, doc"

func scanStatement(sc interface{ Scan(...any) error }) (statement.Statement, error) {
	return scanDoc(sc, func(s *statement.Statement, id int64, created, updated time.Time) {
		s.ID, s.Created, s.Updated = id, created, updated
	})
}

func normaliseStatement(s *statement.Statement) {
	s.At = s.At.UTC().Truncate(time.Second)
}

// SaveStatement inserts (ID 0) or updates a statement under action,
// audited publicly: statements delivered in a meeting are public, those of
// informal segments included (kept, marked as not on the record).
func (tx *Tx) SaveStatement(s *statement.Statement, action string) error {
	normaliseStatement(s)
	var before any
	s.Updated = tx.Now.UTC()
	if s.ID == 0 {
		s.Created = s.Updated
	} else {
		prev, err := tx.Statement(s.ID)
		if err != nil {
			return err
		}
		before, s.Created = prev, prev.Created
	}
	doc, err := docJSON(s)
	if err != nil {
		return err
	}
	if s.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO statements (process, meeting_id, session, item, speaker, kind, delivered_at, created_at, updated_at, doc, positions)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			s.Process, s.Meeting, s.Session, s.Item, s.Speaker, string(s.Kind), s.At, s.Created, s.Updated, doc, s.Positions()).Scan(&s.ID)
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE statements SET session = $1, item = $2, speaker = $3, kind = $4, delivered_at = $5, updated_at = $6, doc = $7, positions = $8 WHERE id = $9`,
			s.Session, s.Item, s.Speaker, string(s.Kind), s.At, s.Updated, doc, s.Positions(), s.ID)
	}
	if err != nil {
		return err
	}
	if err := tx.saveStatementTopics(*s); err != nil {
		return err
	}
	bodies, err := tx.meetingBodies([]int64{s.Meeting})
	if err != nil {
		return err
	}
	if err := tx.IndexSearch(SearchStatement, itoa64(s.ID), statementEntries(*s, bodies)); err != nil {
		return err
	}
	return tx.Audit(action, "statement", itoa64(s.ID), before, s, true)
}

// statementTopics lists the topics ("3/t2") a statement's stances are on
// while it stands, once each.
func statementTopics(s statement.Statement) []string {
	if s.Positions() == 0 {
		return nil
	}
	var out []string
	for _, x := range s.Stances {
		if round, id := x.Topic(); round != 0 {
			if t := itoa64(round) + "/" + id; !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// saveStatementTopics replaces the rows of statement_topics of s (migration
// 00035): one per topic it carries a position on while it stands, with the
// session of its meeting.
func (tx *Tx) saveStatementTopics(s statement.Statement) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM statement_topics WHERE statement_id = $1", s.ID); err != nil {
		return err
	}
	for _, t := range statementTopics(s) {
		if _, err := tx.exec(tx.ctx, `INSERT INTO statement_topics (statement_id, process, topic, session, speaker)
			SELECT $1, $2, $3, session, $4 FROM meetings WHERE id = $5`, s.ID, s.Process, t, s.Speaker, s.Meeting); err != nil {
			return err
		}
	}
	return nil
}

// importBatch is how many rows one INSERT of ImportStatements carries.
const importBatch = 200

// ImportStatements inserts many statements at once (seed --scale): one
// multi-row INSERT per importBatch rows and one audit entry for the whole
// import, recording how many and the first and last id.
func (tx *Tx) ImportStatements(list []statement.Statement) error {
	first := int64(0)
	for start := 0; start < len(list); start += importBatch {
		part := list[start:min(start+importBatch, len(list))]
		var b strings.Builder
		b.WriteString("INSERT INTO statements (process, meeting_id, session, item, speaker, kind, delivered_at, created_at, updated_at, doc, positions) VALUES ")
		args := make([]any, 0, len(part)*11)
		for i := range part {
			s := &part[i]
			normaliseStatement(s)
			s.Created, s.Updated = tx.Now.UTC(), tx.Now.UTC()
			doc, err := docJSON(s)
			if err != nil {
				return err
			}
			if i > 0 {
				b.WriteString(", ")
			}
			n := len(args)
			b.WriteString("(")
			for j := 1; j <= 11; j++ {
				if j > 1 {
					b.WriteString(", ")
				}
				b.WriteString("$" + itoa64(int64(n+j)))
			}
			b.WriteString(")")
			args = append(args, s.Process, s.Meeting, s.Session, s.Item, s.Speaker, string(s.Kind), s.At, s.Created, s.Updated, doc, s.Positions())
		}
		if _, err := tx.exec(tx.ctx, b.String(), args...); err != nil {
			return err
		}
	}
	var last int64
	if err := tx.row(tx.ctx, "SELECT COALESCE(MAX(id), 0) FROM statements").Scan(&last); err != nil {
		return err
	}
	first = last - int64(len(list)) + 1
	for i := range list {
		if len(list[i].Stances) > 0 && statementTopics(list[i]) != nil {
			list[i].ID = first + int64(i)
			if err := tx.saveStatementTopics(list[i]); err != nil {
				return err
			}
		}
	}
	return tx.Audit("statement.import", "statements", itoa64(first)+"-"+itoa64(last), nil, map[string]int{"count": len(list)}, true)
}

// Statement reads one statement.
func (r Reader) Statement(id int64) (statement.Statement, error) {
	return scanStatement(r.row(r.ctx, "SELECT "+statementColumns+" FROM statements WHERE id = $1", id))
}

// StatementQuery selects statements of a process; zero fields match all.
type StatementQuery struct {
	Process string
	Meeting int64
	Speaker string
	Session string
	Item    string
	Limit   int
	Offset  int
}

func (q StatementQuery) where() (string, []any) {
	w := " WHERE process = $1"
	args := []any{q.Process}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa64(int64(len(args)))
	}
	if q.Meeting != 0 {
		w += " AND meeting_id = " + arg(q.Meeting)
	}
	if q.Speaker != "" {
		w += " AND speaker = " + arg(q.Speaker)
	}
	if q.Session != "" {
		w += " AND session = " + arg(q.Session)
	}
	if q.Item != "" {
		w += " AND item = " + arg(q.Item)
	}
	return w, args
}

// Statements lists the statements q selects in one bounded statement: a
// meeting's in the order delivered, any other selection latest first.
func (r Reader) Statements(q StatementQuery) ([]statement.Statement, error) {
	w, args := q.where()
	sql := "SELECT " + statementColumns + " FROM statements" + w
	if q.Meeting != 0 && q.Speaker == "" {
		sql += " ORDER BY delivered_at, id"
	} else {
		sql += " ORDER BY delivered_at DESC, id DESC"
	}
	sql += " LIMIT " + itoa64(int64(max(q.Limit, 1))) + " OFFSET " + itoa64(int64(max(q.Offset, 0)))
	return queryAll(r.ctx, r.conn, scanStatement, sql, args...)
}

// CountStatements counts the statements q selects (Limit and Offset aside).
func (r Reader) CountStatements(q StatementQuery) (int, error) {
	w, args := q.where()
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM statements"+w, args...).Scan(&n)
	return n, err
}

// MeetingsByID reads the meetings ids name, in one statement, by id.
func (r Reader) MeetingsByID(ids []int64) (map[int64]meeting.Meeting, error) {
	out := map[int64]meeting.Meeting{}
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + itoa64(int64(i+1)))
		args[i] = id
	}
	ms, err := queryAll(r.ctx, r.conn, scanMeeting, "SELECT "+meetingColumns+" FROM meetings WHERE id IN ("+b.String()+")", args...)
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, err
}

// OrgNames reads the names and acronyms of organisations (groups and
// stakeholders, for speakers' names) in one statement.
func (r Reader) OrgNames(ids []int64) (map[int64]concord.Organization, error) {
	out := map[int64]concord.Organization{}
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + itoa64(int64(i+1)))
		args[i] = id
	}
	os, err := queryAll(r.ctx, r.conn, scanOrg, "SELECT "+orgColumns+" FROM organizations WHERE id IN ("+b.String()+")", args...)
	for _, o := range os {
		out[o.ID] = o
	}
	return out, err
}

// PositionQuery selects the statements whose positions count in the
// register (positions > 0: carrying stances, not withdrawn); zero fields
// match all. Body restricts to meetings of one body.
type PositionQuery struct {
	Process string
	Session string
	Item    string
	Speaker string
	Body    string
	// Topics selects through statement_topics (migration 00035): the
	// statements carrying a position on a DTG topic, Session then being
	// the session of the meeting they were delivered at and Topic, when
	// set, one topic ("3/t2"); Item is ignored.
	Topics bool
	Topic  string
	// Speakers, with Topics, selects the statements of any of them (a
	// State and its groups).
	Speakers []string
	Limit    int
}

// MaxPositionStatements bounds one read of the register: the statements
// carrying positions on one item, one session or by one State.
const MaxPositionStatements = 5000

// PositionStatements reads the statements q selects, in the order
// delivered, from the partial indexes of migration 00026: one statement.
func (r Reader) PositionStatements(q PositionQuery) ([]statement.Statement, error) {
	w := " WHERE positions > 0 AND process = $1"
	args := []any{q.Process}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa64(int64(len(args)))
	}
	if q.Topics {
		sub := " AND id IN (SELECT statement_id FROM statement_topics WHERE process = $1"
		if q.Session == OutsideSessions {
			sub += " AND session = ''"
		} else if q.Session != "" {
			sub += " AND session = " + arg(q.Session)
		}
		if q.Topic != "" {
			sub += " AND topic = " + arg(q.Topic)
		}
		if q.Speaker != "" {
			sub += " AND speaker = " + arg(q.Speaker)
		}
		if len(q.Speakers) > 0 {
			marks := make([]string, len(q.Speakers))
			for i, sp := range q.Speakers {
				marks[i] = arg(sp)
			}
			sub += " AND speaker IN (" + strings.Join(marks, ", ") + ")"
		}
		w += sub + ")"
	} else {
		if q.Session != "" {
			w += " AND session = " + arg(q.Session)
		}
		if q.Item != "" {
			w += " AND item = " + arg(q.Item)
		}
		if q.Speaker != "" {
			w += " AND speaker = " + arg(q.Speaker)
		}
	}
	if q.Body != "" {
		w += " AND meeting_id IN (SELECT id FROM meetings WHERE body = " + arg(q.Body) + ")"
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxPositionStatements {
		limit = MaxPositionStatements
	}
	// Sorted here, not in SQL: an ORDER BY delivered_at lets the planner
	// walk statements_at over every statement of the process instead of
	// the small partial index.
	list, err := queryAll(r.ctx, r.conn, scanStatement, "SELECT "+statementColumns+" FROM statements"+w+
		" LIMIT "+itoa64(int64(limit)), args...)
	slices.SortFunc(list, func(a, b statement.Statement) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return list, err
}

// OutsideSessions stands for the meetings outside any session (a DTG's
// intersessional meetings) in PositionSessions and PositionQuery.Session
// with Topics: it sorts after every session code.
const OutsideSessions = "-"

// PositionSessions lists the sessions whose statements carry positions
// that count, on an item or on a DTG topic at one of the session's
// meetings, latest first by code (GM-2026-2 before GM-2026-1): one
// statement on the partial index and statement_topics alone.
func (r Reader) PositionSessions(process string) ([]string, error) {
	return queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (string, error) {
		var s string
		err := sc.Scan(&s)
		return s, err
	}, "SELECT session FROM (SELECT session FROM statements WHERE positions > 0 AND process = $1 AND session <> ''"+
		" UNION SELECT CASE WHEN session = '' THEN '"+OutsideSessions+"' ELSE session END FROM statement_topics WHERE process = $1) s ORDER BY session DESC LIMIT 100", process)
}
