package web

import (
	"concord/decision"
	"concord/meeting"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/documents"
	"concord/internal/i18n"
	"concord/internal/ical"
	"concord/internal/meetings"
	"concord/internal/statements"
)

// The process's calendar (issue 12): the meetings, upcoming first, one
// meeting with its dates in the venue's zone, the Secretariat's form and
// status acts, and the calendar as iCalendar feeds for the whole process
// and per body.

func (s *Server) meetingRoutes() []Route {
	return []Route{
		{"GET", "/meetings", concord.ActRead, nil, "/meetings", s.meetingsList},
		{"GET", "/meetings/new", concord.ActManageMeetings, nil, "/meetings/new", s.meetingNew},
		{"POST", "/meetings", concord.ActManageMeetings, nil, "/meetings", s.meetingCreate},
		{"GET", "/meetings/{id}", concord.ActRead, nil, "/meetings/1", s.meetingPage},
		{"GET", "/meetings/{id}/edit", concord.ActManageMeetings, nil, "/meetings/1/edit", s.meetingEdit},
		{"POST", "/meetings/{id}", concord.ActManageMeetings, nil, "/meetings/1", s.meetingUpdate},
		{"POST", "/meetings/{id}/status", concord.ActManageMeetings, nil, "/meetings/1/status", s.meetingStatus},
		{"GET", "/calendar.ics", concord.ActRead, nil, "/calendar.ics", s.calendarFeed},
		{"GET", "/calendar/{file}", concord.ActRead, nil, "/calendar/plenary.ics", s.calendarFeed},
	}
}

// meetingsSvc is the calendar service over the server's store and process.
func (s *Server) meetingsSvc() *meetings.Service {
	return &meetings.Service{DB: s.DB, Process: s.Decide.Process}
}

// At shows an instant in the zone named (a meeting's venue), labelled with
// the zone as When labels the process's: "2026-07-20 10:00 New York
// (UTC−4)".
func (p *Page) At(t time.Time, zone string) template.HTML {
	loc, err := meeting.Zone(zone)
	if err != nil {
		loc = time.UTC
	}
	return zoned(t, loc)
}

// Warning renders a warning of the domain in the page's language.
func (p *Page) Warning(w decision.Reason) string { return p.Reason(w.Key, w.Args) }

// CanManageMeeting reports whether the page's user may manage meetings of
// body b.
func (p *Page) CanManageMeeting(b meeting.Body) bool {
	return concord.Can(p.User, concord.ActManageMeetings, concord.Target{Body: string(b)})
}

// meetingsData is the data of the calendar page: both sections (first
// page), or one section in full a page at a time (When).
type meetingsData struct {
	Body     meeting.Body
	Bodies   []meeting.Body
	When     string // "", "upcoming" or "past"
	Calendar meetings.Calendar
	Pager    pager
	Feed     string // the iCalendar feed of what is shown
}

// meetingsPageSize is how many meetings a page of one section shows.
const meetingsPageSize = 50

func (s *Server) meetingsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	var body meeting.Body
	if raw := q.Get("body"); raw != "" {
		b, err := meetings.ParseBody(raw)
		if err != nil {
			return concord.Errorf(concord.ENotFound, "body", "meeting.error.body", "unknown body %q", raw)
		}
		body = b
	}
	when := q.Get("when")
	if when != "" && when != "upcoming" && when != "past" {
		return concord.Errorf(concord.ENotFound, "when", "meeting.error.when", "when is upcoming or past")
	}
	now := s.DB.Now()
	d := meetingsData{Body: body, Bodies: meeting.Bodies, When: when, Feed: "/calendar.ics"}
	svc := s.meetingsSvc()
	var err error
	switch when {
	case "":
		d.Calendar, err = svc.Calendar(ctx, body, now)
	default:
		// The total first, for the pager; then the page it points to.
		var total int
		if total, err = svc.Count(ctx, body, when == "upcoming", now); err != nil {
			return err
		}
		pg, offset := newPager(r, total, meetingsPageSize)
		d.Pager = pg
		var sec meetings.Section
		sec, err = svc.List(ctx, body, when == "upcoming", now, meetingsPageSize, offset)
		if when == "upcoming" {
			d.Calendar.Upcoming = sec
		} else {
			d.Calendar.Past = sec
		}
	}
	if err != nil {
		return err
	}
	if body != "" {
		d.Feed = "/calendar/" + string(body) + ".ics"
	}
	p := s.newPage(r, "meetings.title", d)
	if body != "" {
		p.Title = p.T("meetings.title_body", "Body", p.T("meeting.body."+string(body)))
	}
	return s.render(w, r, http.StatusOK, "meeting_list", p)
}

// meetingView is the data of one meeting's page.
type meetingView struct {
	meetings.Result
	Open      []meeting.Status // the status acts open now
	Documents documents.List   // the meeting's documents the reader may see
	// Record is the meeting's lists of speakers and statements.
	Record statements.MeetingRecord
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.meetingsSvc().Get(r.Context(), id)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	v := meetingView{Result: res, Open: res.Meeting.OpenActs(now)}
	if v.Documents, err = s.meetingDocuments(r, id); err != nil {
		return err
	}
	if v.Record, err = s.meetingStatements(r, res.Meeting); err != nil {
		return err
	}
	p := s.newPage(r, "meetings.title", v)
	p.Title = p.L(res.Meeting.Title).Text
	p.Feeds = []FeedLink{{p.URL(fmt.Sprintf("/meetings/%d/feed.atom", id)), p.T("feed.meeting", "Meeting", p.Title)}}
	return s.render(w, r, http.StatusOK, "meeting_page", p)
}

// --- the form -------------------------------------------------------------

// segmentRows is how many segment rows the form offers beyond the filled.
const segmentRows = 2

// segmentRow is one segment row of the form.
type segmentRow struct {
	Index             int
	Formal            string // "formal", "informal", "" (empty row)
	Start, End        string // datetime-local values
	FormalF, StartF   string // field names
	EndF              string
	FormalID, StartID string
}

// meetingForm is the data of the form page.
type meetingForm struct {
	Meeting  *meeting.Meeting // the meeting edited; nil for a new one
	Action   string
	Bodies   []meeting.Body
	Kinds    []meeting.Kind
	Titles   []formTitle
	Segments []segmentRow
	Warnings []decision.Reason
}

const localLayout = "2006-01-02T15:04"

// meetingValues turns a meeting into the form's values, times in its zone.
func meetingValues(m meeting.Meeting) url.Values {
	loc, err := m.Location()
	if err != nil {
		loc = time.UTC
	}
	local := func(t time.Time) string { return t.In(loc).Format(localLayout) }
	v := url.Values{"body": {string(m.Body)}, "kind": {string(m.Kind)}, "zone": {m.Zone}, "start": {local(m.Start)}, "end": {local(m.End)},
		"venue": {m.Venue}, "room": {m.Room}, "online": {m.Online}, "session": {m.Session}}
	for l, t := range m.Title {
		v.Set("title."+l, t)
	}
	for i, sg := range m.Segments {
		f := "segments[" + strconv.Itoa(i) + "]."
		v.Set(f+"formal", map[bool]string{true: "formal", false: "informal"}[sg.Formal])
		v.Set(f+"start", local(sg.Start))
		v.Set(f+"end", local(sg.End))
	}
	v.Set("segments", strconv.Itoa(len(m.Segments)+segmentRows))
	return v
}

func (s *Server) showMeetingForm(w http.ResponseWriter, r *http.Request, status int, f meetingForm, form url.Values, err error) error {
	lang := LangFrom(r.Context())
	f.Bodies, f.Kinds = meeting.Bodies, meeting.Kinds
	for _, l := range append([]string{lang}, slices.DeleteFunc(slices.Clone(concord.Languages), func(l string) bool { return l == lang })...) {
		f.Titles = append(f.Titles, formTitle{Lang: l, Dir: i18n.Dir(l), Name: "title." + l, Value: form.Get("title." + l)})
	}
	n, _ := strconv.Atoi(form.Get("segments"))
	n = min(max(n, segmentRows), meeting.MaxSegments)
	for i := range n {
		f0 := "segments[" + strconv.Itoa(i) + "]."
		f.Segments = append(f.Segments, segmentRow{Index: i, Formal: form.Get(f0 + "formal"), Start: form.Get(f0 + "start"), End: form.Get(f0 + "end"),
			FormalF: f0 + "formal", StartF: f0 + "start", EndF: f0 + "end", FormalID: f0 + "formal", StartID: f0 + "start"})
	}
	title := "meetings.new_title"
	if f.Meeting != nil {
		title = "meetings.edit_title"
	}
	p := s.newPage(r, title, f)
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "meeting_form", p)
}

// readMeetingForm reads the form into the service's input: times are read
// in the zone entered (UTC when the zone is unknown, so that the other
// checks still run), and each value that cannot be read is reported with
// the rest.
func readMeetingForm(form url.Values) meetings.Input {
	in := meetings.Input{Body: meeting.Body(strings.TrimSpace(form.Get("body"))), Kind: meeting.Kind(strings.TrimSpace(form.Get("kind"))),
		Title: concord.Text{}, Zone: strings.TrimSpace(form.Get("zone")), Venue: form.Get("venue"), Room: form.Get("room"),
		Online: form.Get("online"), Session: form.Get("session")}
	for _, l := range concord.Languages {
		if t := form.Get("title." + l); t != "" {
			in.Title[l] = t
		}
	}
	loc, err := meeting.Zone(in.Zone)
	if err != nil {
		loc = time.UTC
	}
	read := func(field string, required bool) time.Time {
		raw := strings.TrimSpace(form.Get(field))
		if raw == "" {
			if required {
				in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, field, "meeting.error.datetime", "%s: a date and time are required", field))
			}
			return time.Time{}
		}
		date, clock, _ := strings.Cut(raw, "T")
		t, err := concord.LocalToUTC(date, clock, loc)
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, field, "meeting.error.datetime", "%s: not a date and time", field))
		}
		return t
	}
	in.Start, in.End = read("start", false), read("end", false)
	n, _ := strconv.Atoi(form.Get("segments"))
	for i := range min(n, meeting.MaxSegments) {
		f := "segments[" + strconv.Itoa(i) + "]."
		if strings.TrimSpace(form.Get(f+"start")+form.Get(f+"end")) == "" {
			continue
		}
		in.Segments = append(in.Segments, meeting.Segment{Formal: form.Get(f+"formal") == "formal", Start: read(f+"start", true), End: read(f+"end", true)})
	}
	return in
}

func (s *Server) meetingNew(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{"zone": {meeting.DefaultZone}, "venue": {"United Nations Headquarters, New York"}, "segments": {strconv.Itoa(segmentRows)}}
	if !concord.Can(UserFrom(r.Context()), concord.ActManageMeetings, concord.Target{Body: string(meeting.Plenary)}) {
		form.Set("body", string(meeting.Chair))
	}
	return s.showMeetingForm(w, r, http.StatusOK, meetingForm{Action: "/meetings"}, form, nil)
}

func (s *Server) meetingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	res, err := s.meetingsSvc().Create(r.Context(), UserFrom(r.Context()), readMeetingForm(r.PostForm))
	if formError(err) != nil {
		return s.showMeetingForm(w, r, Status(formError(err).Code), meetingForm{Action: "/meetings"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1", LangFrom(r.Context()), res.Meeting.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) meetingEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.meetingsSvc().Get(r.Context(), id)
	if err != nil {
		return err
	}
	m := res.Meeting
	f := meetingForm{Meeting: &m, Action: fmt.Sprintf("/meetings/%d", id)}
	if err := m.CanEdit(); err != nil {
		// Shown, so that the user reads why; saving is refused.
		return s.showMeetingForm(w, r, http.StatusConflict, f, meetingValues(m), err)
	}
	return s.showMeetingForm(w, r, http.StatusOK, f, meetingValues(m), nil)
}

func (s *Server) meetingUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.meetingsSvc().Get(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	m := res.Meeting
	_, err = s.meetingsSvc().Update(r.Context(), UserFrom(r.Context()), id, readMeetingForm(r.PostForm))
	if formError(err) != nil {
		return s.showMeetingForm(w, r, Status(formError(err).Code), meetingForm{Meeting: &m, Action: fmt.Sprintf("/meetings/%d", id)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

func (s *Server) meetingStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.meetingsSvc().SetStatus(r.Context(), UserFrom(r.Context()), id, meeting.Status(r.PostForm.Get("status")))
	if de := formError(err); de != nil {
		res, gerr := s.meetingsSvc().Get(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		p := s.newPage(r, "meetings.title", meetingView{Result: res, Open: res.Meeting.OpenActs(s.DB.Now())})
		p.Title = p.L(res.Meeting.Title).Text
		p.SetErr(err)
		return s.render(w, r, Status(de.Code), "meeting_page", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/meetings/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// --- iCalendar ------------------------------------------------------------

// calendarFeed serves the calendar as iCalendar: /{lang}/calendar.ics for
// the whole process, /{lang}/calendar/{body}.ics for one body, titles in
// the path's language.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var body meeting.Body
	if file := r.PathValue("file"); file != "" {
		code, ok := strings.CutSuffix(file, ".ics")
		b, err := meetings.ParseBody(code)
		if !ok || err != nil {
			return concord.Errorf(concord.ENotFound, "body", "meeting.error.body", "unknown body %q", file)
		}
		body = b
	}
	now := s.DB.Now()
	ms, err := s.meetingsSvc().Feed(ctx, body, now)
	if err != nil {
		return err
	}
	p := s.newPage(r, "meetings.title", nil)
	name := p.T("meetings.feed_name")
	if body != "" {
		name = p.T("meetings.feed_name_body", "Body", p.T("meeting.body."+string(body)))
	}
	c := ical.Calendar{Name: name}
	base := s.baseURL(r)
	for _, m := range ms {
		c.Events = append(c.Events, s.icalEvent(p, m, base))
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="calendar.ics"`)
	h.Set("Content-Language", p.Lang)
	w.Write(c.Encode())
	return nil
}

// icalEvent is a meeting as a VEVENT: its UID is the meeting's id in the
// process, which never changes.
func (s *Server) icalEvent(p *Page, m meeting.Meeting, base string) ical.Event {
	loc, err := m.Location()
	if err != nil {
		loc = time.UTC
	}
	title, _, _ := m.Title.In(p.Lang)
	local := func(t time.Time) string { l := t.In(loc); return l.Format("2006-01-02 15:04") + " " + zoneLabel(l) }
	desc := []string{
		p.T("meeting.body."+string(m.Body)) + " · " + p.T("meeting.kind."+string(m.Kind)),
		p.T("meetings.venue_time") + ": " + local(m.Start) + " – " + local(m.End),
		p.T("meetings.attendance") + ": " + p.T("meeting.attendance."+string(m.Attendance)),
		p.T("meetings.status") + ": " + p.T("meeting.status."+string(m.Status)),
	}
	if m.Online != "" {
		desc = append(desc, p.T("meetings.online")+": "+m.Online)
	}
	loc2 := m.Venue
	if m.Room != "" {
		loc2 = strings.TrimPrefix(m.Venue+", "+m.Room, ", ")
	}
	return ical.Event{UID: fmt.Sprintf("meeting-%d.%s@concord", m.ID, m.Process), Sequence: m.Sequence, Created: m.Created, Modified: m.Updated,
		Start: m.Start, End: m.End, Summary: title, Description: strings.Join(desc, "\n"), Location: loc2,
		URL: base + "/" + p.Lang + "/meetings/" + strconv.FormatInt(m.ID, 10), Categories: []string{p.T("meeting.body." + string(m.Body))},
		Cancelled: m.Status == meeting.Cancelled, Tentative: m.Status == meeting.Postponed}
}

// baseURL is the instance's public address: the configured one, else the
// request's host.
func (s *Server) baseURL(r *http.Request) string {
	if s.Accredit != nil && s.Accredit.BaseURL != "" {
		return s.Accredit.BaseURL
	}
	scheme := "http"
	if s.Secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
