package web_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
	"concord/internal/store"
)

// TestProjectOfStatesOnlyNeedNeverLeaks: Senegal's need is kept to States;
// France's course is proposed for it, both sides agree and France makes it
// a project. The public, a stakeholder's focal point, the Chair and a
// co-facilitator find neither the project nor the need through it: not on
// its page, in the catalogue (pages and API) or the log; a delegate of
// another State and the Secretariat do. A public project never names a
// need the reader may not read.
func TestProjectOfStatesOnlyNeedNeverLeaks(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	needs, offers := portalDemo(t, en)
	sen, fra := needs["SEN"], offers["FRA"]
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	for _, u := range []*concord.User{{Role: concord.RoleDelegate, State: "SEN"}, {Role: concord.RoleDelegate, State: "FRA"}} {
		if _, err := svc.ExpressInterest(ctx, u, sen.ID, fra.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The second side's press, after the first made it: it lands on the
	// project made (no second project, no error page).
	resp, _ := en.postForm("secretariat", "/en/portal/needs/"+strconv.FormatInt(sen.ID, 10)+"/project", url.Values{"offer": {strconv.FormatInt(fra.ID, 10)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("make the project: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if again, _ := en.postForm("secretariat", "/en/portal/needs/"+strconv.FormatInt(sen.ID, 10)+"/project", url.Values{"offer": {strconv.FormatInt(fra.ID, 10)}}); again.Header.Get("Location") != loc {
		t.Errorf("second press: %d %s, want %s", again.StatusCode, again.Header.Get("Location"), loc)
	}
	id := loc[strings.LastIndex(loc, "/")+1:]
	for _, role := range []string{"", "focal-point", "chair", "co-facilitator", "delegate", "secretariat"} {
		sees := role == "delegate" || role == "secretariat"
		for _, p := range []string{"/en/portal/projects/" + id, "/ar/portal/projects/" + id, "/api/v1/portal/projects/" + id} {
			resp, body := en.get(role, p)
			if sees && (resp.StatusCode != http.StatusOK || !strings.Contains(body, fra.Title)) {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if !sees && (resp.StatusCode != http.StatusNotFound || strings.Contains(body, sen.Title) || strings.Contains(body, fra.Title)) {
				t.Errorf("%s as %q: %d, want 404 with nothing of the project", p, role, resp.StatusCode)
			}
		}
		for _, p := range []string{"/en/portal/projects", "/en/portal/projects?area=pillar.capacity", "/api/v1/portal/projects", "/api/v1/portal/projects?beneficiary=SEN", "/en/log", "/api/v1/log"} {
			resp, body := en.get(role, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s as %q: %d", p, role, resp.StatusCode)
			}
			if strings.Contains(body, "/portal/projects/"+id+`"`) || strings.Contains(body, `"id":`+id+`,"beneficiary":"SEN"`) || strings.Contains(body, sen.Title) {
				if !sees {
					t.Errorf("%s as %q shows the States-only project", p, role)
				}
			}
		}
	}
	// Opened to the public by no one: the service refuses to make it public.
	if resp, body := en.postForm("secretariat", "/en/portal/projects/"+id, url.Values{"area": {"pillar.capacity"}, "title": {"x"}, "description": {"y"},
		"from": {"2027-02-01"}, "until": {"2027-03-01"}, "status": {"planned"}, "visibility": {"public"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, en.msg("en", "project.error.need_private")) {
		t.Errorf("made public: %d", resp.StatusCode)
	}
}

// TestProjectPages: the demo's catalogue lists both projects and filters
// by status; the project from Kenya's match shows its checklist in three
// groups and links its (public) need; a bad form reports every problem at
// once in English and Arabic and keeps what was typed; then the events
// calendar (eventsCalendar).
func TestProjectPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, body := en.get("", "/en/portal/projects")
	if !strings.Contains(body, "National CIRT readiness assessment") || !strings.Contains(body, "Incident-response course") {
		t.Fatal("the catalogue lacks the demo's projects")
	}
	if _, body := en.get("", "/en/portal/projects?status=completed"); strings.Contains(body, "Incident-response course") {
		t.Error("the status filter keeps an ongoing project")
	}
	if resp, _ := en.get("", "/en/portal/projects?status=done"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad filter: %d", resp.StatusCode)
	}
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	l, err := svc.Projects(ctx, nil, portal.ProjectFilter{Status: capacity.Ongoing}, 10, 0)
	if err != nil || len(l.Projects) != 1 {
		t.Fatal(err)
	}
	p := l.Projects[0]
	id := strconv.FormatInt(p.ID, 10)
	_, body = en.get("", "/en/portal/projects/"+id)
	for _, want := range []string{"Partnerships", "Demand-driven", "Requested by Kenya", "/portal/needs/" + strconv.FormatInt(p.Need, 10)} {
		if !strings.Contains(body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
	for _, lang := range []string{"en", "ar"} {
		resp, body := en.postForm("secretariat", "/"+lang+"/portal/projects", url.Values{"title": {"Kept title"}, "from": {"soon"}, "rating.trust": {"maybe"}, "visibility": {"public"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s bad project: %d", lang, resp.StatusCode)
		}
		for _, k := range []string{"project.error.beneficiary", "project.error.providers", "portal.error.area", "portal.error.description", "portal.error.date", "project.error.status", "project.error.rating"} {
			if !strings.Contains(body, en.msg(lang, k)) {
				t.Errorf("%s: the form does not say %s", lang, k)
			}
		}
		if !strings.Contains(body, `value="Kept title"`) {
			t.Errorf("%s: the form lost the title", lang)
		}
	}
	// The calendar on the same demo (one environment: the tests stay fast).
	eventsCalendar(t, en)
}

// eventsCalendar: the calendar lists the demo's events in their
// venue's zone; the feed is CRLF iCalendar with a stable UID per event, its
// SEQUENCE bumped by an edit, and (when python3-vobject is installed, as
// for the meetings feed) a strict parser reads it.
func eventsCalendar(t *testing.T, en *env) {
	_, body := en.get("", "/ar/portal/events")
	if !strings.Contains(body, "Global Roundtable") || !strings.Contains(body, "New York (UTC−4)") {
		t.Errorf("calendar page lacks the roundtable in New York time")
	}
	resp, ics := en.get("", "/en/portal/events.ics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, l := range strings.Split(ics, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line over 75 octets: %q", l)
		}
	}
	svc := &portal.Service{DB: en.db, Process: concord.DefaultProcessCode}
	evs, err := svc.Events(ctx, en.db.Now().AddDate(0, -1, 0), 0)
	if err != nil || len(evs) != 3 {
		t.Fatalf("events %d %v", len(evs), err)
	}
	e := evs[len(evs)-1]
	uid := "UID:portal-event-" + strconv.FormatInt(e.ID, 10) + "." + concord.DefaultProcessCode + "@concord"
	unfolded := strings.ReplaceAll(ics, "\r\n ", "")
	for _, want := range []string{uid, "DTSTART:20270510T130000Z", "SUMMARY:Global Roundtable on ICT security capacity-building", "SEQUENCE:0"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	form := eventForm(e)
	form.Set("title", "Global Roundtable, moved")
	if resp, _ := en.postForm("secretariat", "/en/portal/events/"+strconv.FormatInt(e.ID, 10), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	_, ics = en.get("", "/en/portal/events.ics")
	if ev := ics[strings.Index(ics, uid):]; !strings.Contains(ev[:strings.Index(ev, "END:VEVENT")], "SEQUENCE:1") {
		t.Error("the edit did not bump the SEQUENCE")
	}
	// Every problem of a bad event at once.
	resp, body = en.postForm("secretariat", "/en/portal/events", url.Values{"zone": {"Mars/Base"}, "start": {"tomorrow"}, "online_url": {"http://x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad event: %d", resp.StatusCode)
	}
	for _, k := range []string{"event.error.kind", "event.error.zone", "poc.error.datetime", "event.error.end", "event.error.online_url", "event.error.organiser"} {
		if !strings.Contains(body, en.msg("en", k)) {
			t.Errorf("the form does not say %s", k)
		}
	}
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		if os.Getenv("CONCORD_REQUIRE_VALIDATORS") == "1" {
			t.Fatal("python3-vobject is not installed and CONCORD_REQUIRE_VALIDATORS=1")
		}
		t.Log("python3-vobject is not installed: the strict parse is skipped")
		return
	}
	f := filepath.Join(t.TempDir(), "events.ics")
	if err := os.WriteFile(f, []byte(ics), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "../ical/testdata/vobject-check.py", f).CombinedOutput()
	if err != nil || strings.Count(string(out), "\n") != 3 {
		t.Fatalf("vobject: %v\n%s", err, out)
	}
}

func eventForm(e capacity.Event) url.Values {
	return url.Values{"kind": {string(e.Kind)}, "title": {e.Title}, "description": {e.Description}, "zone": {e.Zone}, "venue": {e.Venue},
		"online_url": {e.OnlineURL}, "organiser": {e.Organiser}, "area": {string(e.Area)}, "languages": e.Languages,
		"start": {e.Local(e.Start).Format("2006-01-02T15:04")}, "end": {e.Local(e.End).Format("2006-01-02T15:04")}}
}
