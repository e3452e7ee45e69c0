package api

import (
	"concord/meeting"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/meetings"
)

// The process's calendar: the twins of the meetings pages. The iCalendar
// feeds are served as pages (/{lang}/calendar.ics).

func (a *API) meetingRoutes() []Route {
	return []Route{
		{"GET", "/meetings", concord.ActRead, nil, "/meetings", a.listMeetings},
		{"POST", "/meetings", concord.ActManageMeetings, nil, "/meetings", a.createMeeting},
		{"GET", "/meetings/{id}", concord.ActRead, nil, "/meetings/1", a.getMeeting},
		{"PATCH", "/meetings/{id}", concord.ActManageMeetings, nil, "/meetings/1", a.updateMeeting},
		{"POST", "/meetings/{id}/status", concord.ActManageMeetings, nil, "/meetings/1/status", a.meetingStatus},
	}
}

func (a *API) meetings() *meetings.Service {
	return &meetings.Service{DB: a.Decide.DB, Process: a.Decide.Process}
}

// MeetingJSON is a meeting: instants in UTC, the same instants as the
// venue's wall clock (RFC 3339 with the venue's offset), the status acts
// open now and the room clashes.
type MeetingJSON struct {
	ID         int64              `json:"id"`
	Body       meeting.Body       `json:"body"`
	Kind       meeting.Kind       `json:"kind"`
	Title      concord.Text       `json:"title"`
	Start      time.Time          `json:"start"`
	End        time.Time          `json:"end"`
	Zone       string             `json:"zone"`
	StartLocal string             `json:"start_local"`
	EndLocal   string             `json:"end_local"`
	Venue      *string            `json:"venue"`
	Room       *string            `json:"room"`
	Online     *string            `json:"online"`
	Status     meeting.Status     `json:"status"`
	Attendance meeting.Attendance `json:"attendance"`
	Segments   []SegmentJSON      `json:"segments"`
	Session    *string            `json:"session"`
	Sequence   int                `json:"sequence"`
	Created    time.Time          `json:"created"`
	Updated    time.Time          `json:"updated"`
	OpenActs   []meeting.Status   `json:"open_acts"`
	Warnings   []ReasonJSON       `json:"warnings"`
}

// SegmentJSON is a formal or informal part of a meeting.
type SegmentJSON struct {
	Formal bool      `json:"formal"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func meetingJSON(res meetings.Result, now time.Time) MeetingJSON {
	m := res.Meeting
	loc, err := m.Location()
	if err != nil {
		loc = time.UTC
	}
	acts := m.OpenActs(now)
	if acts == nil {
		acts = []meeting.Status{}
	}
	return MeetingJSON{ID: m.ID, Body: m.Body, Kind: m.Kind, Title: text(m.Title), Start: m.Start.UTC(), End: m.End.UTC(), Zone: m.Zone,
		StartLocal: m.Start.In(loc).Format(time.RFC3339), EndLocal: m.End.In(loc).Format(time.RFC3339),
		Venue: orNull(m.Venue), Room: orNull(m.Room), Online: orNull(m.Online), Status: m.Status, Attendance: m.Attendance,
		Segments: conv(m.Segments, func(s meeting.Segment) SegmentJSON {
			return SegmentJSON{Formal: s.Formal, Start: s.Start.UTC(), End: s.End.UTC()}
		}),
		Session: orNull(m.Session), Sequence: m.Sequence, Created: m.Created.UTC(), Updated: m.Updated.UTC(),
		OpenActs: acts, Warnings: conv(res.Warnings, reasonJSON)}
}

func (a *API) listMeetings(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	var body meeting.Body
	if s := q.Get("body"); s != "" {
		b, err := meetings.ParseBody(s)
		if err != nil {
			return 0, nil, err
		}
		body = b
	}
	when := q.Get("when")
	if when != "" && when != "upcoming" && when != "past" {
		return 0, nil, concord.Errorf(concord.EInvalid, "when", "meeting.error.when", "when is upcoming or past")
	}
	limit, offset, err := page(q)
	if err != nil {
		return 0, nil, err
	}
	now := a.Decide.DB.Now()
	sec, err := a.meetings().List(r.Context(), body, when != "past", now, limit, offset)
	if err != nil {
		return 0, nil, err
	}
	ms := sec.Meetings
	out := List[MeetingJSON]{Items: make([]MeetingJSON, 0, len(ms)), Total: sec.Total, Limit: limit, Offset: offset}
	for _, m := range ms {
		out.Items = append(out.Items, meetingJSON(meetings.Result{Meeting: m}, now))
	}
	return http.StatusOK, out, nil
}

// SegmentInput is a segment as submitted: instants in RFC 3339.
type SegmentInput struct {
	Formal bool   `json:"formal"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

// MeetingRequest creates a meeting (every field but room, online, session
// and segments required) or, in a PATCH, changes the fields present.
// Instants are RFC 3339 with an offset; zone is the venue's IANA zone.
type MeetingRequest struct {
	Body     *string         `json:"body"`
	Kind     *string         `json:"kind"`
	Title    *concord.Text   `json:"title"`
	Start    *string         `json:"start"`
	End      *string         `json:"end"`
	Zone     *string         `json:"zone"`
	Venue    *string         `json:"venue"`
	Room     *string         `json:"room"`
	Online   *string         `json:"online"`
	Session  *string         `json:"session"`
	Segments *[]SegmentInput `json:"segments"`
}

// input overlays the request on in, reading every instant and keeping each
// problem for the service to report with the rest.
func (req MeetingRequest) input(in meetings.Input) meetings.Input {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	var body, kind string = string(in.Body), string(in.Kind)
	set(&body, req.Body)
	set(&kind, req.Kind)
	in.Body, in.Kind = meeting.Body(body), meeting.Kind(kind)
	if req.Title != nil {
		in.Title = *req.Title
	}
	set(&in.Zone, req.Zone)
	set(&in.Venue, req.Venue)
	set(&in.Room, req.Room)
	set(&in.Online, req.Online)
	set(&in.Session, req.Session)
	instant := func(field string, s *string, dst *time.Time) {
		if s == nil {
			return
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*s))
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, field, "meeting.error.datetime", "%s must be an RFC 3339 date and time", field))
			return
		}
		*dst = t
	}
	instant("start", req.Start, &in.Start)
	instant("end", req.End, &in.End)
	if req.Segments != nil {
		in.Segments = make([]meeting.Segment, len(*req.Segments))
		for i, s := range *req.Segments {
			f := "segments[" + strconv.Itoa(i) + "]."
			in.Segments[i].Formal = s.Formal
			instant(f+"start", &s.Start, &in.Segments[i].Start)
			instant(f+"end", &s.End, &in.Segments[i].End)
		}
	}
	return in
}

func (a *API) createMeeting(r *http.Request) (int, any, error) {
	var req MeetingRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	res, err := a.meetings().Create(r.Context(), auth.UserFrom(r.Context()), req.input(meetings.Input{}))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, meetingJSON(res, a.Decide.DB.Now()), nil
}

func (a *API) getMeeting(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.meetings().Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, meetingJSON(res, a.Decide.DB.Now()), nil
}

func (a *API) updateMeeting(r *http.Request) (int, any, error) {
	var req MeetingRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.meetings().Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	m := cur.Meeting
	in := meetings.Input{Body: m.Body, Kind: m.Kind, Title: m.Title, Start: m.Start, End: m.End, Zone: m.Zone, Venue: m.Venue,
		Room: m.Room, Online: m.Online, Segments: m.Segments, Session: m.Session}
	res, err := a.meetings().Update(r.Context(), auth.UserFrom(r.Context()), id, req.input(in))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, meetingJSON(res, a.Decide.DB.Now()), nil
}

// MeetingStatusRequest moves a meeting along its status machine.
type MeetingStatusRequest struct {
	Status meeting.Status `json:"status"`
}

func (a *API) meetingStatus(r *http.Request) (int, any, error) {
	var req MeetingStatusRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.meetings().SetStatus(r.Context(), auth.UserFrom(r.Context()), id, req.Status)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, meetingJSON(res, a.Decide.DB.Now()), nil
}
