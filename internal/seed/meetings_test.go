package seed_test

import (
	"concord/meeting"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/meetings"
	"concord/internal/seed"
	"concord/internal/store"
)

// TestDemoMeetings checks the demo calendar: the organisational session and
// the July plenary concluded (the plenary linked to its agenda session,
// formal then informal), the December DTG meetings scheduled; seeding again
// adds nothing, and the rows match the audit log.
func TestDemoMeetings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
	cal, err := svc.Calendar(ctx, "", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Past.Meetings) != 2 || len(cal.Upcoming.Meetings) != 2 {
		t.Fatalf("past %d, upcoming %d", len(cal.Past.Meetings), len(cal.Upcoming.Meetings))
	}
	july, org := cal.Past.Meetings[0], cal.Past.Meetings[1]
	if org.Kind != meeting.Organisational || org.Status != meeting.Concluded || org.Sequence != 2 {
		t.Errorf("organisational session %+v", org)
	}
	if july.Session != seed.AgendaSession || july.Status != meeting.Concluded || len(july.Segments) != 2 || !july.Segments[0].Formal || july.Segments[1].Formal {
		t.Errorf("July plenary %+v", july)
	}
	for i, b := range []meeting.Body{meeting.DTG1, meeting.DTG2} {
		if m := cal.Upcoming.Meetings[i]; m.Body != b || m.Status != meeting.Scheduled || m.Attendance != meeting.StatesOnly {
			t.Errorf("December meeting %d: %+v", i, m)
		}
	}
	if err := seed.Meetings(ctx, db); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.Calendar(ctx, "", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); again.Upcoming.Total != 4 {
		t.Errorf("seeding twice: %d meetings", again.Upcoming.Total)
	}
	if err := db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}
