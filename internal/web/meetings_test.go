package web_test

import (
	"concord/meeting"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
)

// meetingForm is a valid form for a meeting of the plenary in July 2030.
func meetingForm() url.Values {
	return url.Values{"body": {"plenary"}, "kind": {"substantive"}, "title.en": {"Fifth substantive session"},
		"title.ar": {"الدورة الموضوعية الخامسة"}, "zone": {"America/New_York"}, "start": {"2030-07-15T10:00"}, "end": {"2030-07-19T18:00"},
		"venue": {"United Nations Headquarters, New York"}, "room": {"Conference Room 4"}, "segments": {"2"},
		"segments[0].formal": {"formal"}, "segments[0].start": {"2030-07-15T10:00"}, "segments[0].end": {"2030-07-15T11:00"}}
}

var meetingPath = regexp.MustCompile(`^/en/meetings/(\d+)\?saved=1$`)

// TestMeetingForm: the Secretariat's form reports every problem at once and
// keeps the input; a valid meeting is saved and the public finds it, in the
// venue's zone, in English and Arabic; a cancelled meeting cannot be edited;
// a delegate cannot create one.
func TestMeetingForm(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	bad := meetingForm()
	bad.Set("body", "council")
	bad.Set("zone", "Mars/Base")
	bad.Set("end", "2030-07-14T18:00")
	bad.Set("segments[0].start", "2030-07-13T10:00")
	resp, body := en.postForm("secretariat", "/en/meetings", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	for _, key := range []string{"meeting.error.body", "meeting.error.zone", "meeting.error.end_before_start", "meeting.error.segment_outside"} {
		if !strings.Contains(body, en.msg("en", key)) {
			t.Errorf("bad form does not say %s", key)
		}
	}
	if !strings.Contains(body, `<span id="end-err" class="field-error">`+en.msg("en", "meeting.error.end_before_start")+`</span>`) {
		t.Error("the end's error is not next to the end field")
	}
	if !strings.Contains(body, `value="Mars/Base"`) || !strings.Contains(body, "الدورة الموضوعية الخامسة") {
		t.Error("the form lost the input")
	}
	if resp, _ := en.postForm("delegate", "/en/meetings", meetingForm()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate creating: %d", resp.StatusCode)
	}
	resp, body = en.postForm("secretariat", "/en/meetings", meetingForm())
	m := meetingPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	id := m[1]
	// The public reads it in the venue's zone (EDT in July), labelled.
	_, page := en.get("", "/en/meetings/"+id)
	for _, want := range []string{"Fifth substantive session", `datetime="2030-07-15T14:00:00Z">2030-07-15 10:00 New York (UTC−4)`, en.msg("en", "meeting.attendance.states_stakeholders"), en.msg("en", "meetings.formal")} {
		if !strings.Contains(page, want) {
			t.Errorf("meeting page lacks %q", want)
		}
	}
	_, list := en.get("", "/ar/meetings")
	up, past := strings.Index(list, en.msg("ar", "meetings.upcoming")), strings.Index(list, en.msg("ar", "meetings.past"))
	mine, july := strings.Index(list, "الدورة الموضوعية الخامسة"), strings.Index(list, "الدورة الموضوعية الأولى")
	if up < 0 || past < up || mine < up || mine > past || july < past {
		t.Errorf("Arabic calendar order: upcoming %d, new meeting %d, past %d, July %d", up, mine, past, july)
	}
	if _, l := en.get("", "/en/meetings?body=dtg-1"); strings.Contains(l, "Fifth substantive session") {
		t.Error("the DTG 1 filter shows a plenary meeting")
	}
	if resp, _ := en.get("", "/en/meetings?body=council"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown body filter: %d", resp.StatusCode)
	}
	// A second meeting in the same room at the same time is saved, with a
	// warning on its page.
	other := meetingForm()
	other.Set("body", "chair")
	other.Set("kind", "stakeholder-dialogue")
	other.Set("room", "conference room 4")
	resp, _ = en.postForm("secretariat", "/en/meetings", other)
	m2 := meetingPath.FindStringSubmatch(resp.Header.Get("Location"))
	if m2 == nil {
		t.Fatalf("second meeting: %d", resp.StatusCode)
	}
	if _, p := en.get("", "/en/meetings/"+m2[1]); !strings.Contains(p, "Conference Room 4") || !strings.Contains(p, `class="warning"`) {
		t.Error("the room clash is not shown")
	}
	// Cancel, then editing is refused and nothing changes.
	if resp, _ := en.postForm("secretariat", "/en/meetings/"+id+"/status", url.Values{"status": {"cancelled"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}
	edit := meetingForm()
	edit.Set("title.en", "Renamed")
	resp, body = en.postForm("secretariat", "/en/meetings/"+id, edit)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "meeting.error.cancelled")) {
		t.Errorf("editing a cancelled meeting: %d", resp.StatusCode)
	}
	if resp, body := en.get("secretariat", "/en/meetings/"+id+"/edit"); resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "meeting.error.cancelled")) {
		t.Errorf("edit form of a cancelled meeting: %d", resp.StatusCode)
	}
	if _, p := en.get("", "/en/meetings/"+id); strings.Contains(p, "Renamed") || !strings.Contains(p, en.msg("en", "meeting.status.cancelled")) {
		t.Error("the refused edit changed the meeting")
	}
}

// TestCalendarFeed: the feed is iCalendar with one stable UID per meeting,
// the sequence and status as stored, folded CRLF lines; per body it keeps
// that body's meetings.
func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, ics := en.get("", "/fr/calendar.ics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
		t.Fatal("not CRLF iCalendar")
	}
	for _, l := range strings.Split(ics, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line over 75 octets: %q", l)
		}
	}
	unfolded := strings.ReplaceAll(ics, "\r\n ", "")
	for _, want := range []string{"SUMMARY:Première session de fond", "DTSTART:20260720T140000Z", "SEQUENCE:2", "STATUS:CONFIRMED", "X-WR-CALNAME:Réunions du Mécanisme mondial"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	ms, err := en.db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Upcoming: true})
	if err != nil || len(ms) == 0 {
		t.Fatal(err)
	}
	dtg := ms[0]
	uid := "UID:meeting-" + strconv.FormatInt(dtg.ID, 10) + "." + concord.DefaultProcessCode + "@concord"
	if !strings.Contains(ics, uid) {
		t.Fatalf("feed lacks %s", uid)
	}
	if resp, _ := en.postForm("secretariat", "/en/meetings/"+strconv.FormatInt(dtg.ID, 10)+"/status", url.Values{"status": {"cancelled"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}
	_, ics = en.get("", "/en/calendar/"+string(dtg.Body)+".ics")
	ev := ics[strings.Index(ics, uid):]
	ev = ev[:strings.Index(ev, "END:VEVENT")]
	if !strings.Contains(ev, "STATUS:CANCELLED") || !strings.Contains(ev, "SEQUENCE:1") {
		t.Errorf("cancelled DTG meeting:\n%s", ev)
	}
	if strings.Contains(ics, "DTSTART:20260720T140000Z") {
		t.Error("the DTG feed has the plenary")
	}
	if resp, _ := en.get("", "/en/calendar/council.ics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown body feed: %d", resp.StatusCode)
	}
}

// TestMeetingsStatementCount: the calendar page, a meeting page and the feed
// cost the same number of statements with 4 meetings as with 600.
func TestMeetingsStatementCount(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.s.SetCaching(false)
	count := func(path string) int64 {
		en.get("", path)
		before := en.db.Queries()
		resp, _ := en.get("", path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return en.db.Queries() - before
	}
	paths := []string{"/en/meetings", "/en/meetings/1", "/en/calendar.ics", "/en/meetings?body=plenary", "/en/meetings?when=upcoming&page=2"}
	small := map[string]int64{}
	for _, p := range paths {
		small[p] = count(p)
	}
	err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		start := time.Date(2027, 1, 4, 15, 0, 0, 0, time.UTC)
		for i := range 600 {
			s := start.Add(time.Duration(i-300) * 30 * time.Hour)
			m := meeting.Meeting{Process: concord.DefaultProcessCode, Body: meeting.Plenary, Kind: meeting.Substantive, Title: concord.Text{"en": "M" + strconv.Itoa(i)},
				Start: s, End: s.Add(3 * time.Hour), Zone: meeting.DefaultZone, Venue: "UNHQ", Room: "CR 4", Status: meeting.Scheduled, Attendance: meeting.StatesOnly}
			if err := tx.SaveMeeting(&m, "meeting.create"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The first page links to the rest; a page of one section has a pager.
	if _, body := en.get("", "/en/meetings"); !strings.Contains(body, `href="/en/meetings?when=upcoming"`) || strings.Count(body, `<li class="meeting `) != 30 {
		t.Errorf("the calendar's first page: %d meetings listed", strings.Count(body, `<li class="meeting `))
	}
	if _, body := en.get("", "/en/meetings?when=past&page=2"); !strings.Contains(body, `rel="prev"`) || strings.Count(body, `<li class="meeting `) != 50 {
		t.Errorf("page 2 of the past: %d meetings listed", strings.Count(body, `<li class="meeting `))
	}
	for _, p := range paths {
		if n := count(p); n != small[p] {
			t.Errorf("%s: %d statements with 4 meetings, %d with 604", p, small[p], n)
		} else {
			t.Logf("%s: %d statements", p, n)
		}
	}
}
