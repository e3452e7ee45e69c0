// Package meetings runs the process's calendar (issue 12): the Secretariat
// creates and edits meetings and changes their status, the Chair does the
// same for its own consultations and dialogues, and everyone reads the
// calendar. Pages, the API and the iCalendar feeds all call it; the rules
// (validation, the status machine, room clashes) are the pure package
// meeting.
package meetings

import (
	"concord/agenda"
	"concord/decision"
	"concord/meeting"
	"concord/procedure"
	"context"
	"strings"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/apply"
	"concord/internal/cachectl"
	"concord/internal/decide"
	"concord/internal/store"
)

// FeedLimit bounds each half of a calendar feed (upcoming, past): a
// process holds a few dozen meetings a year, and a feed stays two bounded
// queries however many years accumulate.
const FeedLimit = 200

// On the calendar page: the first upcoming and the latest past meetings,
// with links to each list in full, a page at a time.
const (
	PageUpcoming = 20
	PagePast     = 10
)

// FeedHistory is how far back the calendar feeds go: a client subscribed
// for a year already has the older meetings, and the feed stays bounded.
const FeedHistory = 400 * 24 * time.Hour

// Service runs the calendar of one process.
type Service struct {
	DB      *store.DB
	Process string
}

// Input is a meeting as the Secretariat enters it (instants already read
// in the venue's zone by the adapter).
type Input struct {
	Body     meeting.Body
	Kind     meeting.Kind
	Title    concord.Text
	Start    time.Time
	End      time.Time
	Zone     string
	Venue    string
	Room     string
	Online   string
	Segments []meeting.Segment
	Session  string
	// Unread are the problems the adapter met reading the input (a date
	// that is not a date); they are reported with the rest, all at once.
	Unread concord.Errors
}

// Result is a meeting as saved, with the warnings the save raised (the room
// is taken at that time).
type Result struct {
	Meeting  meeting.Meeting
	Warnings []decision.Reason
}

func forbidden() error {
	return concord.Errorf(concord.EForbidden, "", "meeting.error.forbidden", "only the Secretariat (or the Chair, for its own consultations) manages meetings")
}

// allowed checks the permission on the meeting's real body.
func allowed(u *concord.User, b meeting.Body) error {
	if !concord.Can(u, concord.ActManageMeetings, concord.Target{Body: string(b)}) {
		return forbidden()
	}
	return nil
}

// apply copies the input onto m, trimmed, and collects the problems the
// pure validation does not see (the session code).
func (in Input) apply(m *meeting.Meeting) {
	m.Body, m.Kind, m.Zone = in.Body, in.Kind, strings.TrimSpace(in.Zone)
	if m.Zone == "" {
		m.Zone = meeting.DefaultZone
	}
	m.Title = concord.Text{}
	for l, t := range in.Title {
		if t = strings.TrimSpace(t); t != "" {
			m.Title[l] = t
		}
	}
	m.Start, m.End = in.Start, in.End
	m.Venue, m.Room, m.Online = strings.TrimSpace(in.Venue), strings.TrimSpace(in.Room), strings.TrimSpace(in.Online)
	m.Segments = in.Segments
}

// draft is what a meeting write works on: the meeting, what Load found of
// the session it names, and the result with its warnings.
type draft struct {
	m          meeting.Meeting
	sessionErr error // the session code does not parse
	noSession  bool  // the code parses but names no agenda session
	res        Result
}

// loadSession reads, inside the write, whether the session the input names
// exists.
func (s *Service) loadSession(r store.Reader, in Input, d *draft) error {
	d.m.Session = ""
	raw := strings.TrimSpace(in.Session)
	if raw == "" {
		return nil
	}
	code, err := agendasvc.NormalizeSession(raw)
	if err != nil {
		d.sessionErr = err
		return nil
	}
	recs, err := store.Records[agenda.Agenda](r, s.Process, decide.KindAgenda, code)
	if err != nil {
		return err
	}
	d.noSession = len(recs) == 0
	d.m.Session = code
	return nil
}

// check validates the draft with the input's unread problems and the
// session link, every problem at once.
func check(in Input, d *draft) error {
	var errs concord.Errors
	errs = append(errs, in.Unread...)
	errs.Add(d.m.Validate())
	if d.sessionErr != nil {
		errs.Add(d.sessionErr)
	}
	if d.noSession {
		errs = append(errs, concord.Errorf(concord.EInvalid, "session", "meeting.error.session", "no agenda session %s", d.m.Session))
	}
	return errs.Err()
}

// save stores the meeting under action and adds its room clashes.
func save(action string) func(tx *store.Tx, d *draft) error {
	return func(tx *store.Tx, d *draft) error {
		if err := tx.SaveMeeting(&d.m, action); err != nil {
			return err
		}
		d.res.Meeting = d.m
		others, err := tx.RoomMeetings(d.m)
		d.res.Warnings = meeting.Clashes(d.m, others)
		return err
	}
}

// Create adds a meeting to the calendar, scheduled, with the attendance the
// process's rule gives its kind.
func (s *Service) Create(ctx context.Context, u *concord.User, in Input) (Result, error) {
	if err := allowed(u, in.Body); err != nil {
		return Result{}, err
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			d := draft{m: meeting.Meeting{Process: s.Process, Status: meeting.Scheduled}}
			in.apply(&d.m)
			d.m.Attendance = procedure.Attendance().For(d.m.Kind)
			return d, s.loadSession(r, in, &d)
		},
		Change: func(d *draft, _ time.Time) error { return check(in, d) },
		Save:   save("meeting.create"),
	}.Run(ctx, s.DB)
	return d.res, err
}

// Update changes a meeting's details (not its status): refused once it is
// cancelled. A change of kind takes the attendance the rule gives the new
// kind.
func (s *Service) Update(ctx context.Context, u *concord.User, id int64, in Input) (Result, error) {
	if !concord.Can(u, concord.ActManageMeetings, concord.Target{}) {
		return Result{}, forbidden()
	}
	var before meeting.Meeting
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			m, err := s.meeting(r, id)
			before = m
			return draft{m: m}, err
		},
		Allow: func(d draft) error {
			if err := allowed(u, d.m.Body); err != nil {
				return err
			}
			return allowed(u, in.Body)
		},
		Change: func(d *draft, _ time.Time) error {
			if err := d.m.CanEdit(); err != nil {
				return err
			}
			in.apply(&d.m)
			if d.m.Kind != before.Kind {
				d.m.Attendance = procedure.Attendance().For(d.m.Kind)
			}
			return check(in, d)
		},
		Save: save("meeting.edit"),
	}.Run(ctx, s.DB)
	return d.res, err
}

// SetStatus moves a meeting along its status machine (meeting.Transition).
func (s *Service) SetStatus(ctx context.Context, u *concord.User, id int64, to meeting.Status) (Result, error) {
	if !concord.Can(u, concord.ActManageMeetings, concord.Target{}) {
		return Result{}, forbidden()
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			m, err := s.meeting(r, id)
			return draft{m: m}, err
		},
		Allow: func(d draft) error { return allowed(u, d.m.Body) },
		Change: func(d *draft, now time.Time) error {
			m, err := d.m.Transition(to, now)
			d.m = m
			return err
		},
		Save: save("meeting.status"),
	}.Run(ctx, s.DB)
	return d.res, err
}

// meeting reads meeting id of the service's process.
func (s *Service) meeting(r store.Reader, id int64) (meeting.Meeting, error) {
	m, err := r.Meeting(id)
	if err != nil {
		return m, err
	}
	if m.Process != s.Process {
		return meeting.Meeting{}, concord.ErrNotFound
	}
	return m, nil
}

// Get returns a meeting of the process with the clashes it has now.
func (s *Service) Get(ctx context.Context, id int64) (Result, error) {
	m, err := s.DB.Meeting(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if m.Process != s.Process {
		return Result{}, concord.ErrNotFound
	}
	others, err := s.DB.RoomMeetings(ctx, m)
	return Result{Meeting: m, Warnings: meeting.Clashes(m, others)}, err
}

// Section is a part of the calendar: the meetings shown and how many there
// are in all.
type Section struct {
	Meetings []meeting.Meeting
	Total    int
}

// Calendar is the meetings of the process (or of one body): those still to
// come or under way, earliest first, then those past, latest first.
type Calendar struct {
	Upcoming Section
	Past     Section
}

// List reads one section of the calendar at now, limit meetings from
// offset, with the total: two bounded queries.
func (s *Service) List(ctx context.Context, body meeting.Body, upcoming bool, now time.Time, limit, offset int) (Section, error) {
	if err := s.holdUntilNextEnd(ctx, body, now); err != nil {
		return Section{}, err
	}
	return s.list(ctx, body, upcoming, now, limit, offset)
}

// Count is how many meetings List would page through: for a pager, which
// needs the total before the page.
func (s *Service) Count(ctx context.Context, body meeting.Body, upcoming bool, now time.Time) (int, error) {
	return s.DB.CountMeetings(ctx, store.MeetingQuery{Process: s.Process, Body: body, Now: now, Upcoming: upcoming})
}

// holdUntilNextEnd tells a cache building a response from the calendar
// that it holds until the next upcoming meeting ends (it then moves to the
// past), so that no handler has to declare it.
func (s *Service) holdUntilNextEnd(ctx context.Context, body meeting.Body, now time.Time) error {
	t, err := s.DB.NextMeetingEnd(ctx, s.Process, body, now)
	cachectl.Until(ctx, t)
	return err
}

func (s *Service) list(ctx context.Context, body meeting.Body, upcoming bool, now time.Time, limit, offset int) (Section, error) {
	q := store.MeetingQuery{Process: s.Process, Body: body, Now: now, Upcoming: upcoming, Limit: limit, Offset: offset}
	var sec Section
	var err error
	if sec.Total, err = s.DB.CountMeetings(ctx, q); err != nil {
		return sec, err
	}
	sec.Meetings, err = s.DB.Meetings(ctx, q)
	return sec, err
}

// Calendar reads the first page of the calendar at now: the first
// PageUpcoming meetings to come and the latest PagePast.
func (s *Service) Calendar(ctx context.Context, body meeting.Body, now time.Time) (Calendar, error) {
	var c Calendar
	err := s.holdUntilNextEnd(ctx, body, now)
	if err != nil {
		return c, err
	}
	if c.Upcoming, err = s.list(ctx, body, true, now, PageUpcoming, 0); err != nil {
		return c, err
	}
	c.Past, err = s.list(ctx, body, false, now, PagePast, 0)
	return c, err
}

// Feed is the calendar for the iCalendar feeds: the meetings to come and
// those that ended within FeedHistory, FeedLimit of each at most.
func (s *Service) Feed(ctx context.Context, body meeting.Body, now time.Time) ([]meeting.Meeting, error) {
	if err := s.holdUntilNextEnd(ctx, body, now); err != nil {
		return nil, err
	}
	q := store.MeetingQuery{Process: s.Process, Body: body, Now: now, Upcoming: true, Limit: FeedLimit}
	up, err := s.DB.Meetings(ctx, q)
	if err != nil {
		return nil, err
	}
	q.Upcoming, q.Since = false, now.Add(-FeedHistory)
	past, err := s.DB.Meetings(ctx, q)
	return append(up, past...), err
}

// ParseBody reads a body code, or says it is unknown (field "body").
func ParseBody(code string) (meeting.Body, error) {
	for _, b := range meeting.Bodies {
		if string(b) == code {
			return b, nil
		}
	}
	return "", concord.Errorf(concord.EInvalid, "body", "meeting.error.body", "unknown body %q", code)
}
