package statements

import (
	"concord/agenda"
	"concord/document"
	"concord/meeting"
	"concord/statement"
	"context"
	"slices"

	"concord"
	"concord/internal/store"
)

// Row is a statement as pages and the API show it: whether it is part of
// the official record (derived from its meeting's segments) and its
// meeting.
type Row struct {
	statement.Statement
	OnRecord bool
	Meeting  meeting.Meeting
}

// Names names speaker codes: a State's or an organisation's names in six
// languages (the Chair is named by the catalogue).
type Names map[string]concord.Text

// names reads the names of codes: States from the registry's cache,
// organisations in one statement.
func names(r store.Reader, codes []string) (Names, error) {
	out := Names{}
	var ids []int64
	needStates := false
	for _, c := range codes {
		switch statement.SpeakerKind(c) {
		case statement.SpeakerState:
			needStates = true
		case statement.SpeakerGroup, statement.SpeakerStakeholder:
			if id := statement.OrgID(c); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if needStates {
		states, err := r.States()
		if err != nil {
			return nil, err
		}
		for _, s := range states {
			if slices.Contains(codes, s.ISO3) {
				out[s.ISO3] = s.Names
			}
		}
	}
	orgs, err := r.OrgNames(ids)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		if o, ok := orgs[statement.OrgID(c)]; ok && statement.SpeakerKind(c) != statement.SpeakerState && statement.SpeakerKind(c) != "" {
			out[c] = o.Names
		}
	}
	return out, nil
}

// rows adds to each statement its meeting (one statement for all) and
// whether it is on the record.
func rows(r store.Reader, list []statement.Statement, known map[int64]meeting.Meeting) ([]Row, error) {
	var ids []int64
	for _, st := range list {
		if _, ok := known[st.Meeting]; !ok && !slices.Contains(ids, st.Meeting) {
			ids = append(ids, st.Meeting)
		}
	}
	ms, err := r.MeetingsByID(ids)
	if err != nil {
		return nil, err
	}
	for id, m := range known {
		ms[id] = m
	}
	out := make([]Row, len(list))
	for i, st := range list {
		m := ms[st.Meeting]
		out[i] = Row{Statement: st, Meeting: m, OnRecord: statement.OnRecord(m, st.At)}
	}
	return out, nil
}

// ItemList is one list of speakers of a meeting: its item (nil for the
// meeting generally) and its places in order.
type ItemList struct {
	Item     string
	Number   string
	Title    concord.Text
	Speakers []statement.Inscription
}

// MeetingRecord is what a meeting's page shows of what was said: its lists
// of speakers per item, its first statements, and the items of the agenda
// its session works on (for the forms).
type MeetingRecord struct {
	Lists      []ItemList
	Items      []agenda.Item
	Statements []Row
	Total      int
	Names      Names
}

// ForMeeting reads a meeting's lists of speakers and statements: a fixed
// number of statements whatever the number of items, places and
// statements (the lists, a page of statements, their count, the session's
// agenda, the speakers' names).
func (s *Service) ForMeeting(ctx context.Context, m meeting.Meeting) (MeetingRecord, error) {
	r := s.DB.Read(ctx)
	var out MeetingRecord
	ins, err := r.Inscriptions(m.ID)
	if err != nil {
		return out, err
	}
	q := store.StatementQuery{Process: s.Process, Meeting: m.ID, Limit: MeetingStatements}
	if out.Total, err = r.CountStatements(q); err != nil {
		return out, err
	}
	list, err := r.Statements(q)
	if err != nil {
		return out, err
	}
	if out.Statements, err = rows(r, list, map[int64]meeting.Meeting{m.ID: m}); err != nil {
		return out, err
	}
	if m.Session != "" {
		sess, err := s.Agendas.WorkingAgenda(r, m.Session, s.DB.Now())
		if err != nil {
			return out, err
		}
		if sess.Basis != nil {
			out.Items = sess.Basis.Doc.Items
		}
	}
	byItem := map[string]int{}
	for _, in := range ins {
		i, ok := byItem[in.Item]
		if !ok {
			l := ItemList{Item: in.Item}
			for _, it := range out.Items {
				if it.ID == in.Item {
					l.Number, l.Title = it.Number, it.Title
				}
			}
			out.Lists = append(out.Lists, l)
			i = len(out.Lists) - 1
			byItem[in.Item] = i
		}
		out.Lists[i].Speakers = append(out.Lists[i].Speakers, in)
	}
	var codes []string
	for _, in := range ins {
		codes = append(codes, in.Speaker)
	}
	for _, st := range list {
		codes = append(codes, st.Speaker)
	}
	out.Names, err = names(r, codes)
	return out, err
}

// Page is one statement as its page shows it: its meeting, whether it is
// on the record, its item on the session's working agenda, the document it
// links to when the reader may see it, and its speaker's name.
type Page struct {
	Row
	Item     *agenda.Item
	Document *document.Document
	Names    Names
}

// Get reads statement id for u.
func (s *Service) Get(ctx context.Context, u *concord.User, id int64) (Page, error) {
	r := s.DB.Read(ctx)
	st, err := r.Statement(id)
	if err != nil {
		return Page{}, err
	}
	if st.Process != s.Process {
		return Page{}, concord.ErrNotFound
	}
	m, err := r.Meeting(st.Meeting)
	if err != nil {
		return Page{}, err
	}
	p := Page{Row: Row{Statement: st, Meeting: m, OnRecord: statement.OnRecord(m, st.At)}}
	if st.Item != "" && st.Session != "" {
		sess, err := s.Agendas.WorkingAgenda(r, st.Session, s.DB.Now())
		if err != nil {
			return p, err
		}
		if sess.Basis != nil {
			for _, it := range sess.Basis.Doc.Items {
				if it.ID == st.Item {
					p.Item = &it
				}
			}
		}
	}
	if st.Document != 0 {
		if d, err := r.RecordDocument(st.Document); err == nil && document.CanView(u, d) {
			p.Document = &d
		}
	}
	p.Names, err = names(r, []string{st.Speaker})
	return p, err
}

// Filter selects the statements of a list.
type Filter struct {
	Speaker string
	Meeting int64
	Session string
	Item    string
	Page    int // from 1
	// Limit and Offset, when Limit is set, select the rows instead of Page
	// (the API's paging).
	Limit, Offset int
	// Latest reads only the first Limit rows and whether there are more,
	// without counting them all (a State's page).
	Latest bool
}

// List is one page of statements with the total the filter selects (with
// Latest: the rows read, and More when there are others).
type List struct {
	Rows  []Row
	Total int
	More  bool
	Names Names
}

// List reads one page of statements, latest first (a meeting's alone in
// the order delivered): four bounded statements whatever the data (the
// count, the page, their meetings, the speakers' organisations).
func (s *Service) List(ctx context.Context, f Filter) (List, error) {
	q := store.StatementQuery{Process: s.Process, Speaker: normSpeaker(f.Speaker), Meeting: f.Meeting, Session: f.Session, Item: f.Item,
		Limit: PageSize, Offset: (max(f.Page, 1) - 1) * PageSize}
	if f.Limit > 0 {
		q.Limit, q.Offset = f.Limit, max(f.Offset, 0)
	}
	r := s.DB.Read(ctx)
	var l List
	var err error
	if f.Latest {
		q.Limit++
	} else if l.Total, err = r.CountStatements(q); err != nil {
		return l, err
	}
	list, err := r.Statements(q)
	if err != nil {
		return l, err
	}
	if f.Latest {
		if l.More = len(list) == q.Limit; l.More {
			list = list[:len(list)-1]
		}
		l.Total = len(list)
	}
	if l.Rows, err = rows(r, list, nil); err != nil {
		return l, err
	}
	codes := make([]string, len(list))
	for i, st := range list {
		codes[i] = st.Speaker
	}
	l.Names, err = names(r, codes)
	return l, err
}

// StatementList is the meeting's statements as a list page shows them.
func (m MeetingRecord) StatementList() List {
	return List{Rows: m.Statements, Total: m.Total, Names: m.Names}
}

// Names names speaker codes (a response after a write names its speaker;
// the write has committed whatever this read answers).
func (s *Service) Names(ctx context.Context, codes ...string) (Names, error) {
	return names(s.DB.Read(ctx), codes)
}
