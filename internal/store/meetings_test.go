package store_test

import (
	"concord/meeting"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func TestMeetingsStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day := time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)
		m := meeting.Meeting{Process: concord.DefaultProcessCode, Body: meeting.Plenary, Kind: meeting.Substantive,
			Title: concord.Text{"en": "First substantive session"}, Start: day, End: day.Add(4*24*time.Hour + 4*time.Hour),
			Zone: meeting.DefaultZone, Venue: "UNHQ", Room: "CR 4", Status: meeting.Scheduled, Attendance: meeting.StatesStakeholders,
			Session: "GM-2026-1"}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveMeeting(&m, "meeting.create") }); err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Sequence != 0 {
			t.Fatalf("created %+v", m)
		}
		// Every change bumps the sequence.
		for i := 1; i <= 2; i++ {
			m.Title["fr"] = "Première session " + string(rune('0'+i))
			if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveMeeting(&m, "meeting.edit") }); err != nil {
				t.Fatal(err)
			}
			if got, err := db.Meeting(ctx, m.ID); err != nil || got.Sequence != i || got.Title["fr"] != m.Title["fr"] || got.ID != m.ID {
				t.Fatalf("after edit %d: %+v %v", i, got, err)
			}
		}
		// An invalid meeting is refused and the stored one stays as it was.
		bad := m
		bad.End = bad.Start.Add(-time.Hour)
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveMeeting(&bad, "meeting.edit") }); concord.ErrorCode(err) != concord.EInvalid {
			t.Fatalf("end before start: %v", err)
		}
		if got, _ := db.Meeting(ctx, m.ID); got.Sequence != 2 {
			t.Errorf("refused edit changed the meeting: %+v", got)
		}
		// Lists: upcoming before the end, past after it; body filter.
		up, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Upcoming: true, Now: day})
		if err != nil || len(up) != 1 {
			t.Fatalf("upcoming %v %v", up, err)
		}
		past, _ := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Now: m.End})
		dtg, _ := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Body: meeting.DTG1, Upcoming: true, Now: day})
		if len(past) != 1 || len(dtg) != 0 {
			t.Errorf("past %d, DTG 1 %d", len(past), len(dtg))
		}
		// The room check finds the other meeting in the same room.
		o := m
		o.ID, o.Start, o.End = 0, day.Add(time.Hour), day.Add(2*time.Hour)
		o.Room = " cr  4"
		err = db.Update(ctx, "test", func(tx *store.Tx) error {
			in, err := tx.RoomMeetings(o)
			if len(in) != 1 || in[0].ID != m.ID {
				t.Errorf("room meetings %v", in)
			}
			return err
		})
		if err == nil {
			t.Error("a read-only closure committed without an audit entry")
		}
		// The audited rows match the log.
		if err := db.VerifyRows(ctx); err != nil {
			t.Fatal(err)
		}
		if un, err := db.UncheckedObjectTypes(ctx); err != nil || len(un) != 0 {
			t.Errorf("unchecked object types %v %v", un, err)
		}
	})
}
