package meeting

import (
	"concord"
	"errors"
	"slices"
	"testing"
	"time"
)

var ny, _ = time.LoadLocation("America/New_York")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func plenary() Meeting {
	return Meeting{Body: Plenary, Kind: Substantive, Title: concord.Text{"en": "First substantive session"},
		Start: at("2026-07-20 10:00"), End: at("2026-07-24 18:00"), Zone: DefaultZone,
		Venue: "United Nations Headquarters, New York", Room: "Conference Room 4", Status: Scheduled, Attendance: StatesStakeholders}
}

func fields(err error) []string {
	var es concord.Errors
	var e *concord.Error
	switch {
	case errors.As(err, &es):
		var out []string
		for _, x := range es {
			out = append(out, x.Key)
		}
		return out
	case errors.As(err, &e):
		return []string{e.Key}
	}
	return nil
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Meeting)
		want []string
	}{
		{"valid", func(*Meeting) {}, nil},
		{"end before start", func(m *Meeting) { m.End = m.Start.Add(-time.Hour) }, []string{"meeting.error.end_before_start"}},
		{"no start", func(m *Meeting) { m.Start = time.Time{} }, []string{"meeting.error.start"}},
		{"unknown zone", func(m *Meeting) { m.Zone = "Mars/Olympus" }, []string{"meeting.error.zone"}},
		{"unknown body", func(m *Meeting) { m.Body = "council" }, []string{"meeting.error.body"}},
		{"kind not of body", func(m *Meeting) { m.Body = DTG1 }, []string{"meeting.error.kind_body"}},
		{"no title", func(m *Meeting) { m.Title = concord.Text{"en": " "} }, []string{"decision.error.proposal"}},
		{"no venue nor link", func(m *Meeting) { m.Venue = "" }, []string{"meeting.error.venue"}},
		{"online only", func(m *Meeting) { m.Venue, m.Online = "", "https://webtv.un.org/" }, nil},
		{"bad link", func(m *Meeting) { m.Online = "javascript:alert(1)" }, []string{"meeting.error.online"}},
		{"segment inside", func(m *Meeting) {
			m.Segments = []Segment{{Formal: true, Start: at("2026-07-20 10:00"), End: at("2026-07-20 11:00")}, {Start: at("2026-07-20 11:00"), End: at("2026-07-24 18:00")}}
		}, nil},
		{"segment outside", func(m *Meeting) {
			m.Segments = []Segment{{Formal: true, Start: at("2026-07-19 10:00"), End: at("2026-07-20 11:00")}}
		}, []string{"meeting.error.segment_outside"}},
		{"segment reversed", func(m *Meeting) {
			m.Segments = []Segment{{Start: at("2026-07-21 10:00"), End: at("2026-07-20 11:00")}}
		}, []string{"meeting.error.segment_order"}},
		{"segments overlap", func(m *Meeting) {
			m.Segments = []Segment{{Start: at("2026-07-20 10:00"), End: at("2026-07-20 13:00")}, {Formal: true, Start: at("2026-07-20 12:00"), End: at("2026-07-20 14:00")}}
		}, []string{"meeting.error.segment_overlap"}},
		{"every problem at once", func(m *Meeting) {
			m.Body, m.Zone, m.End, m.Status, m.Attendance = "council", "Nowhere/Town", m.Start.Add(-time.Minute), "adjourned", "members"
		}, []string{"meeting.error.body", "meeting.error.zone", "meeting.error.end_before_start", "meeting.error.status", "meeting.error.attendance"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := plenary()
			c.edit(&m)
			if got := fields(m.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestOpenActsAndTransition(t *testing.T) {
	before := at("2026-07-01 09:00")
	opening := at("2026-07-20 09:15")
	cases := []struct {
		from Status
		now  time.Time
		want []Status
	}{
		{Scheduled, before, []Status{Postponed, Cancelled}},
		{Scheduled, opening, []Status{InProgress, Postponed, Cancelled}},
		{InProgress, opening, []Status{Concluded, Postponed}},
		{Postponed, before, []Status{Scheduled, Cancelled}},
		{Concluded, opening, nil},
		{Cancelled, opening, nil},
	}
	for _, c := range cases {
		m := plenary()
		m.Status = c.from
		if got := m.OpenActs(c.now); !slices.Equal(got, c.want) {
			t.Errorf("%s at %s: open %v, want %v", c.from, c.now, got, c.want)
		}
		for _, to := range Statuses {
			_, err := m.Transition(to, c.now)
			if ok := slices.Contains(c.want, to); ok != (err == nil) {
				t.Errorf("%s → %s: err %v, open %v", c.from, to, err, ok)
			}
		}
	}
	m := plenary()
	if _, err := m.Transition(InProgress, before); fields(err)[0] != "meeting.error.too_early" {
		t.Errorf("opening early: %v", err)
	}
}

func TestCanEdit(t *testing.T) {
	m := plenary()
	for _, s := range Statuses {
		m.Status = s
		if err := m.CanEdit(); (err != nil) != (s == Cancelled) {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func TestClashes(t *testing.T) {
	m := plenary()
	m.ID = 1
	other := func(id int64, room, from, to string, st Status) Meeting {
		o := plenary()
		o.ID, o.Room, o.Start, o.End, o.Status = id, room, at(from), at(to), st
		return o
	}
	others := []Meeting{
		m, // itself
		other(2, "conference room 4 ", "2026-07-24 17:00", "2026-07-24 19:00", Scheduled), // overlaps, same room written otherwise
		other(3, "Conference Room 4", "2026-07-24 18:00", "2026-07-24 19:00", Scheduled),  // touches: no overlap
		other(4, "Conference Room 2", "2026-07-21 10:00", "2026-07-21 13:00", Scheduled),  // other room
		other(5, "Conference Room 4", "2026-07-21 10:00", "2026-07-21 13:00", Cancelled),  // frees the room
		other(6, "", "2026-07-21 10:00", "2026-07-21 13:00", Scheduled),                   // no room
	}
	got := Clashes(m, others)
	if len(got) != 1 || got[0].Args["id"] != "2" || got[0].Key != "meeting.warning.room_overlap" {
		t.Errorf("clashes %v", got)
	}
	m.Status = Cancelled
	if got := Clashes(m, others); got != nil {
		t.Errorf("a cancelled meeting clashes: %v", got)
	}
}

func TestAttendanceRule(t *testing.T) {
	r := DefaultAttendance()
	for _, k := range Kinds {
		if !slices.Contains(Attendances, r.For(k)) {
			t.Errorf("%s: %q", k, r.For(k))
		}
	}
	if (AttendanceRule{}).For(Substantive) != StatesOnly {
		t.Error("a silent rule must not open a meeting")
	}
}
