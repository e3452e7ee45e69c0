package seed

import (
	"concord/meeting"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"concord"
	"concord/internal/meetings"
	"concord/internal/store"
)

// The demo's calendar (domain brief §6): the organisational session
// (30–31 March 2026), the first substantive plenary (20–24 July 2026), which
// could not adopt its agenda and went on informally after a short formal
// opening, and the December 2026 DTG meetings, each with a short formal
// segment for decisions at its close. All at UN Headquarters, New York.

const unhq = "United Nations Headquarters, New York"

// MeetingsPerScale is the meetings seed --scale adds per unit.
const MeetingsPerScale = 1000

// Meetings adds the demo's meetings once, playing their status changes at
// the instants they happened; it does nothing when the calendar has any.
func Meetings(ctx context.Context, db *store.DB) error {
	svc := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
	far := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if cal, err := svc.Calendar(ctx, "", far); err != nil || cal.Upcoming.Total > 0 {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	sec := &concord.User{Role: concord.RoleSecretariat}
	ny, err := time.LoadLocation(meeting.DefaultZone)
	if err != nil {
		return err
	}
	local := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			panic(err)
		}
		return t
	}
	type step struct {
		at string
		to meeting.Status
	}
	for _, d := range []struct {
		created string
		in      meetings.Input
		steps   []step
	}{
		{"2026-02-16T15:00:00Z", meetings.Input{Body: meeting.Plenary, Kind: meeting.Organisational,
			Title: concord.Text{"en": "Organisational session", "fr": "Session d’organisation", "es": "Período de sesiones de organización",
				"ru": "Организационная сессия", "zh": "组织会议", "ar": "الدورة التنظيمية"},
			Start: local("2026-03-30 10:00"), End: local("2026-03-31 18:00"), Venue: unhq, Room: "Conference Room 4", Online: "https://webtv.un.org/"},
			[]step{{"2026-03-30T13:45:00Z", meeting.InProgress}, {"2026-03-31T22:10:00Z", meeting.Concluded}}},
		{"2026-04-15T15:00:00Z", meetings.Input{Body: meeting.Plenary, Kind: meeting.Substantive, Session: AgendaSession,
			Title: concord.Text{"en": "First substantive session", "fr": "Première session de fond", "es": "Primer período de sesiones sustantivo",
				"ru": "Первая основная сессия", "zh": "第一届实质性会议", "ar": "الدورة الموضوعية الأولى"},
			Start: local("2026-07-20 10:00"), End: local("2026-07-24 18:00"), Venue: unhq, Room: "Conference Room 4", Online: "https://webtv.un.org/",
			Segments: []meeting.Segment{{Formal: true, Start: local("2026-07-20 10:00"), End: local("2026-07-20 11:30")},
				{Formal: false, Start: local("2026-07-20 11:30"), End: local("2026-07-24 18:00")}}},
			[]step{{"2026-07-20T13:50:00Z", meeting.InProgress}, {"2026-07-24T22:15:00Z", meeting.Concluded}}},
		{"2026-10-01T15:00:00Z", meetings.Input{Body: meeting.DTG1, Kind: meeting.DTGMeeting,
			Title: concord.Text{"en": "First meeting of DTG 1", "fr": "Première réunion du GTS 1", "es": "Primera reunión del GTE 1",
				"ru": "Первое заседание ТТГ 1", "zh": "专题小组1第一次会议", "ar": "الاجتماع الأول للفريق المواضيعي 1"},
			Start: local("2026-12-07 10:00"), End: local("2026-12-08 18:00"), Venue: unhq, Room: "Conference Room 1",
			Segments: []meeting.Segment{{Formal: false, Start: local("2026-12-07 10:00"), End: local("2026-12-08 17:00")},
				{Formal: true, Start: local("2026-12-08 17:00"), End: local("2026-12-08 18:00")}}}, nil},
		{"2026-10-01T15:05:00Z", meetings.Input{Body: meeting.DTG2, Kind: meeting.DTGMeeting,
			Title: concord.Text{"en": "First meeting of DTG 2", "fr": "Première réunion du GTS 2", "es": "Primera reunión del GTE 2",
				"ru": "Первое заседание ТТГ 2", "zh": "专题小组2第一次会议", "ar": "الاجتماع الأول للفريق المواضيعي 2"},
			Start: local("2026-12-09 10:00"), End: local("2026-12-10 18:00"), Venue: unhq, Room: "Conference Room 1",
			Segments: []meeting.Segment{{Formal: false, Start: local("2026-12-09 10:00"), End: local("2026-12-10 17:00")},
				{Formal: true, Start: local("2026-12-10 17:00"), End: local("2026-12-10 18:00")}}}, nil},
	} {
		at(d.created)
		res, err := svc.Create(ctx, sec, d.in)
		if err != nil {
			return fmt.Errorf("demo meeting %q: %w", d.in.Title["en"], err)
		}
		for _, s := range d.steps {
			at(s.at)
			if _, err := svc.SetStatus(ctx, sec, res.Meeting.ID, s.to); err != nil {
				return fmt.Errorf("demo meeting %q → %s: %w", d.in.Title["en"], s.to, err)
			}
		}
	}
	return nil
}

// ScaleMeetings adds MeetingsPerScale meetings for unit batch of scale: a
// calendar spread over the years from 2027, every body and kind, some
// postponed or cancelled, in one write. Benchmarks call it alone.
func ScaleMeetings(ctx context.Context, db *store.DB, r *rand.Rand, batch int) error {
	base := time.Date(2027, 1, 4, 15, 0, 0, 0, time.UTC)
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		for i := range MeetingsPerScale {
			n := batch*MeetingsPerScale + i
			k := meeting.Kinds[r.IntN(len(meeting.Kinds))]
			var b meeting.Body
			switch k {
			case meeting.DTGMeeting:
				b = []meeting.Body{meeting.DTG1, meeting.DTG2}[r.IntN(2)]
			case meeting.InformalConsult, meeting.StakeholderDialogue:
				b = meeting.Chair
			default:
				b = meeting.Plenary
			}
			start := base.Add(time.Duration(n) * 26 * time.Hour)
			m := meeting.Meeting{Process: concord.DefaultProcessCode, Body: b, Kind: k,
				Title: concord.Text{"en": fmt.Sprintf("Meeting %d: %s %s", n+1, word(r), word(r)), "fr": fmt.Sprintf("Réunion %d", n+1)},
				Start: start, End: start.Add(time.Duration(2+r.IntN(7)) * time.Hour), Zone: meeting.DefaultZone,
				Venue: unhq, Room: fmt.Sprintf("Conference Room %d", 1+r.IntN(12)),
				Status:     []meeting.Status{meeting.Scheduled, meeting.Scheduled, meeting.Scheduled, meeting.Postponed, meeting.Cancelled}[r.IntN(5)],
				Attendance: meeting.DefaultAttendance().For(k)}
			if err := tx.SaveMeeting(&m, "meeting.create"); err != nil {
				return err
			}
		}
		return nil
	})
}
