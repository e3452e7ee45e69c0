package meetings_test

import (
	"concord/meeting"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/meetings"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	chair = &concord.User{ID: 1, Role: concord.RoleChair}
	sec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	fra   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
)

func setup(t *testing.T, db *store.DB) (*meetings.Service, *time.Time) {
	clock := time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	return &meetings.Service{DB: db, Process: concord.DefaultProcessCode}, &clock
}

func july() meetings.Input {
	ny, _ := time.LoadLocation(meeting.DefaultZone)
	return meetings.Input{Body: meeting.Plenary, Kind: meeting.Substantive, Title: concord.Text{"en": " First substantive session "},
		Start: time.Date(2026, 7, 20, 10, 0, 0, 0, ny), End: time.Date(2026, 7, 24, 18, 0, 0, 0, ny),
		Venue: "United Nations Headquarters, New York", Room: "Conference Room 4"}
}

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

func count(t *testing.T, db *store.DB) int {
	c, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Upcoming: true})
	if err != nil {
		t.Fatal(err)
	}
	return len(c)
}

func TestCreateEditStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := setup(t, db)
		res, err := svc.Create(ctx, sec, july())
		if err != nil {
			t.Fatal(err)
		}
		m := res.Meeting
		if m.Status != meeting.Scheduled || m.Attendance != meeting.StatesStakeholders || m.Zone != meeting.DefaultZone || m.Title["en"] != "First substantive session" {
			t.Errorf("created %+v", m)
		}
		// A second meeting in the room at the same time saves, with a warning.
		in := july()
		in.Body, in.Kind, in.Room = meeting.Chair, meeting.StakeholderDialogue, "conference room 4"
		res2, err := svc.Create(ctx, chair, in)
		if err != nil || len(res2.Warnings) != 1 || res2.Meeting.Attendance != meeting.Public {
			t.Fatalf("clash: %+v %v", res2, err)
		}
		// Edits and status changes bump the sequence; a cancelled meeting is locked.
		in = july()
		in.Title["fr"] = "Première session de fond"
		if res, err = svc.Update(ctx, sec, m.ID, in); err != nil || res.Meeting.Sequence != 1 {
			t.Fatalf("edit: %+v %v", res.Meeting, err)
		}
		if _, err := svc.SetStatus(ctx, sec, m.ID, meeting.InProgress); !slices.Equal(keys(err), []string{"meeting.error.too_early"}) {
			t.Errorf("opening three weeks early: %v", err)
		}
		*clock = m.Start.Add(-30 * time.Minute)
		if res, err = svc.SetStatus(ctx, sec, m.ID, meeting.InProgress); err != nil || res.Meeting.Sequence != 2 {
			t.Fatalf("open: %+v %v", res.Meeting, err)
		}
		if res, err = svc.SetStatus(ctx, sec, res2.Meeting.ID, meeting.Cancelled); err != nil || res.Meeting.Status != meeting.Cancelled {
			t.Fatalf("cancel: %v", err)
		}
		if _, err := svc.Update(ctx, chair, res2.Meeting.ID, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("the Chair moving its dialogue to the plenary: %v", err)
		}
		in2 := july()
		in2.Body, in2.Kind = meeting.Chair, meeting.StakeholderDialogue
		if _, err := svc.Update(ctx, chair, res2.Meeting.ID, in2); !slices.Equal(keys(err), []string{"meeting.error.cancelled"}) {
			t.Errorf("editing a cancelled meeting: %v", err)
		}
		if got, _ := svc.Get(ctx, res2.Meeting.ID); got.Meeting.Sequence != 1 || got.Meeting.Status != meeting.Cancelled {
			t.Errorf("after refused edit %+v", got.Meeting)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := setup(t, db)
		for _, c := range []struct {
			name string
			u    *concord.User
			edit func(*meetings.Input)
			want []string
		}{
			{"delegate", fra, func(*meetings.Input) {}, []string{"meeting.error.forbidden"}},
			{"chair, plenary", chair, func(*meetings.Input) {}, []string{"meeting.error.forbidden"}},
			{"public", nil, func(*meetings.Input) {}, []string{"meeting.error.forbidden"}},
			{"all at once", sec, func(in *meetings.Input) {
				in.End, in.Zone, in.Session = in.Start.Add(-time.Hour), "Mars/Base", "GM-2099-9"
				in.Unread = concord.Errors{concord.Errorf(concord.EInvalid, "segments[0].start", "meeting.error.datetime", "not a date")}
			}, []string{"meeting.error.datetime", "meeting.error.zone", "meeting.error.end_before_start", "meeting.error.session"}},
			{"unknown body", sec, func(in *meetings.Input) { in.Body = "council" }, []string{"meeting.error.body"}},
		} {
			in := july()
			c.edit(&in)
			_, err := svc.Create(ctx, c.u, in)
			if got := keys(err); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		if n := count(t, db); n != 0 {
			t.Errorf("%d meetings saved from bad input", n)
		}
	})
}

func TestSessionLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := setup(t, db)
		ag := &agendasvc.Service{Decide: &decide.Service{DB: db, Process: concord.DefaultProcessCode}}
		if _, err := ag.Create(ctx, sec, agendasvc.Draft{Session: "GM-2026-1", Items: []agendasvc.Item{{Number: "1", Title: concord.Text{"en": "Opening"}}}}); err != nil {
			t.Fatal(err)
		}
		in := july()
		in.Session = " gm-2026-1 "
		res, err := svc.Create(ctx, sec, in)
		if err != nil || res.Meeting.Session != "GM-2026-1" {
			t.Fatalf("%+v %v", res.Meeting, err)
		}
	})
}
