// Package meeting is the process's calendar (issue 12, domain brief §1.3,
// §6): meetings of the plenary, the two DTGs and the Chair, with their
// dates in the venue's time zone, who may attend, their formal and informal
// segments, their status and the acts open next. Documents, lists of
// speakers and statements attach to a meeting (and to an item of the agenda
// of its session), so that the record of a meeting day has one anchor; see
// doc/record.md.
package meeting

import (
	"concord"
	"concord/decision"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Body is the body that meets.
type Body string

// The bodies of the Global Mechanism (§1.3).
const (
	Plenary Body = "plenary"
	DTG1    Body = "dtg-1"
	DTG2    Body = "dtg-2"
	Chair   Body = "chair" // the Chair's consultations and dialogues
)

// Bodies lists the bodies in the order pages show them.
var Bodies = []Body{Plenary, DTG1, DTG2, Chair}

// Kind is what sort of meeting it is.
type Kind string

// Kinds of meeting.
const (
	Organisational      Kind = "organisational"        // the organisational session
	Substantive         Kind = "substantive"           // a substantive plenary session
	DTGMeeting          Kind = "dtg"                   // a meeting of a Dedicated Thematic Group
	ReviewConference    Kind = "review"                // a review conference
	InformalConsult     Kind = "informal-consultation" // the Chair's informal consultations
	StakeholderDialogue Kind = "stakeholder-dialogue"  // the Chair's dialogue with stakeholders
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []Kind{Organisational, Substantive, DTGMeeting, ReviewConference, InformalConsult, StakeholderDialogue}

// kindBodies says which bodies hold each kind of meeting: sessions and
// review conferences are the plenary's, a DTG meeting a DTG's, the
// consultations and dialogues the Chair's (the plenary may also hold a
// stakeholder dialogue as a segment of its own).
var kindBodies = map[Kind][]Body{
	Organisational:      {Plenary},
	Substantive:         {Plenary},
	ReviewConference:    {Plenary},
	DTGMeeting:          {DTG1, DTG2},
	InformalConsult:     {Chair},
	StakeholderDialogue: {Chair, Plenary},
}

// Status is where a meeting stands.
type Status string

// Statuses of a meeting.
const (
	Scheduled  Status = "scheduled"
	InProgress Status = "in_progress"
	Concluded  Status = "concluded"
	Postponed  Status = "postponed"
	Cancelled  Status = "cancelled"
)

// Statuses lists the statuses in the order of the machine.
var Statuses = []Status{Scheduled, InProgress, Concluded, Postponed, Cancelled}

// next is the state machine: the statuses each status may change to.
// Concluded and cancelled are final; a postponed meeting is scheduled again
// (with new dates) or cancelled.
var next = map[Status][]Status{
	Scheduled:  {InProgress, Postponed, Cancelled},
	InProgress: {Concluded, Postponed},
	Postponed:  {Scheduled, Cancelled},
}

// OpenEarly is how long before its start a meeting may be opened: the
// Secretariat opens the room before the gavel.
const OpenEarly = time.Hour

// NextChange is when m changes with the clock alone: a scheduled meeting
// may be opened from OpenEarly before its start, so the acts a page offers
// change then. Zero when nothing changes without a write.
func (m Meeting) NextChange(now time.Time) time.Time {
	if at := m.Start.Add(-OpenEarly); m.Status == Scheduled && now.Before(at) {
		return at
	}
	return time.Time{}
}

// Attendance is who may attend a meeting.
type Attendance string

// Attendance levels.
const (
	Public             Attendance = "public"              // anyone; webcast
	StatesOnly         Attendance = "states"              // delegations of States only
	StatesStakeholders Attendance = "states_stakeholders" // States and accredited stakeholders
)

// Attendances lists the levels, most open first.
var Attendances = []Attendance{Public, StatesStakeholders, StatesOnly}

// AttendanceRule is who may attend each kind of meeting, as the process
// decided it. It is procedure data (see package procedure), not a
// contested rule with versions: a meeting takes the level in force when it
// is created and keeps it.
type AttendanceRule map[Kind]Attendance

// DefaultAttendance is the Global Mechanism's reading of A/80/257 and the
// OEWG modalities (domain brief §2.1): accredited stakeholders attend the
// formal meetings of the plenary and the review conferences; DTG meetings
// and the Chair's consultations are among States (stakeholder attendance at
// DTGs is contested, §5 row 4); the stakeholder dialogues are public.
func DefaultAttendance() AttendanceRule {
	return AttendanceRule{
		Organisational:      StatesStakeholders,
		Substantive:         StatesStakeholders,
		ReviewConference:    StatesStakeholders,
		DTGMeeting:          StatesOnly,
		InformalConsult:     StatesOnly,
		StakeholderDialogue: Public,
	}
}

// For returns the attendance of kind k (States only when the rule is silent,
// the most closed level, so an omission never opens a meeting).
func (r AttendanceRule) For(k Kind) Attendance {
	if a, ok := r[k]; ok {
		return a
	}
	return StatesOnly
}

// Segment is a formal or informal part of a meeting: a DTG meeting may have
// a short formal segment for decisions; a session that cannot adopt its
// agenda goes on informally (§1.4 point 5). Statements in an informal
// segment are kept but are not part of the official record.
type Segment struct {
	Formal bool
	Start  time.Time
	End    time.Time
}

// Meeting is one meeting of the process's calendar.
type Meeting struct {
	ID      int64
	Process string
	Body    Body
	Kind    Kind
	Title   concord.Text
	// Start and End are instants (UTC); Zone is the venue's IANA zone, in
	// which pages and the calendar show them.
	Start time.Time
	End   time.Time
	Zone  string
	Venue string // "United Nations Headquarters, New York"
	Room  string `json:",omitzero"` // "Conference Room 4"; overlaps are checked per room
	// Online is the link to follow or join the meeting (webcast or video
	// conference), if any.
	Online     string `json:",omitzero"`
	Status     Status
	Attendance Attendance
	Segments   []Segment `json:",omitzero"`
	// Session is the code of the agenda session the meeting works on
	// (agendasvc), when there is one: its agenda items are the meeting's.
	Session string `json:",omitzero"`
	// Sequence counts the changes since creation (RFC 5545 SEQUENCE).
	Sequence int
	Created  time.Time
	Updated  time.Time
}

// Limits on what a meeting holds.
const (
	MaxTitleRunes = 500
	MaxVenueRunes = 200
	MaxSegments   = 50
	MaxURLBytes   = 2000
)

// DefaultZone is UN Headquarters' zone.
const DefaultZone = "America/New_York"

// zones keeps the zones loaded: time.LoadLocation reads and parses the
// zone database on every call, and a calendar page shows dozens of times.
var zones sync.Map // name → *time.Location

// Zone loads an IANA zone (DefaultZone when empty) through
// concord.LoadLocation, once per name.
func Zone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := concord.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, l)
	return l, nil
}

// Location loads the meeting's zone (DefaultZone when empty).
func (m Meeting) Location() (*time.Location, error) { return Zone(m.Zone) }

// Validate checks the meeting and returns every problem at once
// (concord.Errors).
func (m Meeting) Validate() error {
	var errs concord.Errors
	bad := func(field, key, format string, args ...any) {
		errs = append(errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
	}
	if !slices.Contains(Bodies, m.Body) {
		bad("body", "meeting.error.body", "unknown body %q", m.Body)
	}
	if !slices.Contains(Kinds, m.Kind) {
		bad("kind", "meeting.error.kind", "unknown kind of meeting %q", m.Kind)
	} else if slices.Contains(Bodies, m.Body) && !slices.Contains(kindBodies[m.Kind], m.Body) {
		bad("kind", "meeting.error.kind_body", "a %s is not a meeting of %s", m.Kind, m.Body)
	}
	if err := decision.CheckText(m.Title, "title"); err != nil {
		errs.Add(err)
	}
	for _, t := range m.Title {
		if utf8.RuneCountInString(t) > MaxTitleRunes {
			bad("title", "meeting.error.title_long", "a title has at most %d characters", MaxTitleRunes)
			break
		}
	}
	if m.Zone != "" {
		if _, err := Zone(m.Zone); err != nil || m.Zone != strings.TrimSpace(m.Zone) {
			bad("zone", "meeting.error.zone", "unknown time zone %q", m.Zone)
		}
	}
	switch {
	case m.Start.IsZero():
		bad("start", "meeting.error.start", "the meeting needs a start")
	case m.End.IsZero():
		bad("end", "meeting.error.end", "the meeting needs an end")
	case !m.End.After(m.Start):
		bad("end", "meeting.error.end_before_start", "the meeting ends before it starts")
	}
	if strings.TrimSpace(m.Venue) == "" && m.Online == "" {
		bad("venue", "meeting.error.venue", "a meeting needs a venue or an online link")
	}
	if utf8.RuneCountInString(m.Venue) > MaxVenueRunes || utf8.RuneCountInString(m.Room) > MaxVenueRunes {
		bad("venue", "meeting.error.venue_long", "a venue or room has at most %d characters", MaxVenueRunes)
	}
	if m.Online != "" {
		u, err := url.Parse(m.Online)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(m.Online) > MaxURLBytes {
			bad("online", "meeting.error.online", "the online link must be an http or https address")
		}
	}
	if !slices.Contains(Statuses, m.Status) {
		bad("status", "meeting.error.status", "unknown status %q", m.Status)
	}
	if !slices.Contains(Attendances, m.Attendance) {
		bad("attendance", "meeting.error.attendance", "unknown attendance %q", m.Attendance)
	}
	if len(m.Segments) > MaxSegments {
		bad("segments", "meeting.error.segments", "a meeting has at most %d segments", MaxSegments)
	}
	for i, s := range m.Segments {
		f := "segments[" + strconv.Itoa(i) + "]"
		switch {
		case s.Start.IsZero() || s.End.IsZero() || !s.End.After(s.Start):
			bad(f+".end", "meeting.error.segment_order", "segment %d ends before it starts", i+1)
		case !m.Start.IsZero() && !m.End.IsZero() && (s.Start.Before(m.Start) || s.End.After(m.End)):
			bad(f+".start", "meeting.error.segment_outside", "segment %d lies outside the meeting", i+1)
		}
		for j := range i {
			o := m.Segments[j]
			if s.Start.Before(o.End) && o.Start.Before(s.End) {
				bad(f+".start", "meeting.error.segment_overlap", "segment %d overlaps segment %d", i+1, j+1)
				break
			}
		}
	}
	return errs.Err()
}

// Compatible reports whether kind k is a meeting body b holds.
func Compatible(k Kind, b Body) bool { return slices.Contains(kindBodies[k], b) }

// Final reports whether the meeting's status admits no further change.
func (m Meeting) Final() bool { return m.Status == Concluded || m.Status == Cancelled }

// CanEdit says whether the meeting's details may still be changed: not
// once cancelled (the calendar keeps it as it was called off).
func (m Meeting) CanEdit() error {
	if m.Status == Cancelled {
		return concord.Errorf(concord.EConflict, "status", "meeting.error.cancelled", "the meeting is cancelled and can no longer be edited")
	}
	return nil
}

// OpenActs lists the statuses the meeting may change to at now, in the
// order of the machine: a meeting opens (in progress) from OpenEarly before
// its start.
func (m Meeting) OpenActs(now time.Time) []Status {
	var out []Status
	for _, s := range next[m.Status] {
		if s == InProgress && now.Before(m.Start.Add(-OpenEarly)) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Transition changes the status to to at now, or says why it may not.
func (m Meeting) Transition(to Status, now time.Time) (Meeting, error) {
	if !slices.Contains(Statuses, to) {
		return m, concord.Errorf(concord.EInvalid, "status", "meeting.error.status", "unknown status %q", to)
	}
	if !slices.Contains(m.OpenActs(now), to) {
		if to == InProgress && slices.Contains(next[m.Status], to) {
			return m, concord.Errorf(concord.EConflict, "status", "meeting.error.too_early", "the meeting cannot be opened before it starts")
		}
		return m, concord.Errorf(concord.EConflict, "status", "meeting.error.transition", "a %s meeting cannot become %s", m.Status, to)
	}
	m.Status = to
	return m, nil
}

// Blocks reports whether the meeting holds its room: a postponed or
// cancelled meeting frees it.
func (m Meeting) Blocks() bool { return m.Status != Postponed && m.Status != Cancelled }

// RoomKey names the meeting's room for comparison: venue and room without
// case or extra spaces; empty when the meeting has no room (online, or a
// room not yet assigned), which shares no room with any other.
func (m Meeting) RoomKey() string {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	if norm(m.Room) == "" {
		return ""
	}
	return norm(m.Venue) + "|" + norm(m.Room)
}

// SameRoom reports whether two meetings are in the same room of the same
// venue.
func SameRoom(a, b Meeting) bool { return a.RoomKey() != "" && a.RoomKey() == b.RoomKey() }

// Clashes returns a warning for each other meeting that holds the same room
// at an overlapping time. It is a warning, not an error: two bodies may
// agree to share a room, and the Secretariat decides.
func Clashes(m Meeting, others []Meeting) []decision.Reason {
	if !m.Blocks() {
		return nil
	}
	var out []decision.Reason
	for _, o := range others {
		if (m.ID != 0 && o.ID == m.ID) || !o.Blocks() || !SameRoom(m, o) {
			continue
		}
		if m.Start.Before(o.End) && o.Start.Before(m.End) {
			out = append(out, decision.Reason{Key: "meeting.warning.room_overlap", Args: map[string]string{"id": strconv.FormatInt(o.ID, 10), "room": o.Room}})
		}
	}
	return out
}

// Upcoming reports whether the meeting is still to come or under way at now
// (its end is after now), for the calendar's "upcoming first".
func (m Meeting) Upcoming(now time.Time) bool { return m.End.After(now) }

// MessageKeys lists every catalogue key the package may raise, for the
// catalogue test.
func MessageKeys() []string {
	keys := []string{"meeting.error.body", "meeting.error.kind", "meeting.error.kind_body", "meeting.error.title_long",
		"meeting.error.zone", "meeting.error.start", "meeting.error.end", "meeting.error.end_before_start",
		"meeting.error.venue", "meeting.error.venue_long", "meeting.error.online", "meeting.error.status",
		"meeting.error.attendance", "meeting.error.segments", "meeting.error.segment_order", "meeting.error.segment_outside",
		"meeting.error.segment_overlap", "meeting.error.cancelled", "meeting.error.too_early", "meeting.error.transition",
		"meeting.warning.room_overlap"}
	for _, b := range Bodies {
		keys = append(keys, "meeting.body."+string(b))
	}
	for _, k := range Kinds {
		keys = append(keys, "meeting.kind."+string(k))
	}
	for _, s := range Statuses {
		keys = append(keys, "meeting.status."+string(s))
	}
	for _, a := range Attendances {
		keys = append(keys, "meeting.attendance."+string(a))
	}
	return keys
}
