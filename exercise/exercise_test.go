package exercise

import (
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/capacity"
)

var (
	sec      = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	chair    = &concord.User{ID: 2, Role: concord.RoleChair}
	ken      = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "KEN"}
	fra      = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "FRA"}
	deu      = &concord.User{ID: 5, Role: concord.RoleDelegate, State: "DEU"}
	kenRead  = &concord.User{ID: 6, Role: concord.RoleDelegate, State: "KEN", ReadOnly: true}
	focal    = &concord.User{ID: 7, Role: concord.RoleFocalPoint, OrgID: 9}
	start    = time.Date(2026, 12, 8, 14, 0, 0, 0, time.UTC)
	minute   = time.Minute
	duration = 2 * time.Hour
)

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

func sample() Exercise {
	e := Exercise{ID: 1, Setting: POCNetwork, Title: concord.Text{"en": "Ransomware"}, Narrative: concord.Text{"en": "A hospital", "fr": "Un hôpital"},
		Facilitator: BySecretariat, States: []string{"ken", "FRA", "KEN"}, Start: start, End: start.Add(duration)}
	e.Normalise()
	e.Injects = []Inject{{No: 1, Offset: 0, Text: "Systems down"}, {No: 2, Offset: 30 * minute, Text: "Ransom note"}}
	return e
}

func TestValidate(t *testing.T) {
	e := sample()
	if err := e.Validate(); err != nil || !slices.Equal(e.States, []string{"FRA", "KEN"}) {
		t.Fatalf("%v %v", err, e.States)
	}
	bad := Exercise{Setting: "x", Title: concord.Text{"xx": "T"}, Facilitator: "ngo", States: []string{"Kenya"},
		Start: start, End: start, Injects: []Inject{{Offset: -minute}}, Lessons: []Lesson{{Norms: []capacity.Area{"pillar.law"}}}}
	want := []string{"exercise.error.setting", "exercise.error.title", "exercise.error.narrative", "exercise.error.facilitator",
		"exercise.error.state_code", "exercise.error.end", "exercise.error.offset", "exercise.error.inject_text",
		"exercise.error.norms", "exercise.error.lesson", "exercise.error.recommendation"}
	if got := keys(bad.Validate()); !slices.Equal(got, want) {
		t.Errorf("every problem at once:\n got %v\nwant %v", got, want)
	}
}

func TestRespond(t *testing.T) {
	e := sample()
	for _, c := range []struct {
		name string
		u    *concord.User
		no   int
		text string
		at   time.Time
		want []string
	}{
		{"participant, released", ken, 1, "We isolate", start.Add(minute), nil},
		{"before release", ken, 2, "Early", start.Add(minute), []string{"exercise.error.not_released"}},
		{"before release, empty", ken, 2, " ", start.Add(minute), []string{"exercise.error.not_released", "exercise.error.response_text"}},
		{"at release", fra, 2, "Noted", start.Add(30 * minute), nil},
		{"after the end", ken, 1, "Late", start.Add(duration), []string{"exercise.error.ended"}},
		{"not a participant", deu, 1, "Us too", start.Add(minute), []string{"exercise.error.not_participant"}},
		{"the facilitator", sec, 1, "Hint", start.Add(minute), []string{"exercise.error.not_participant"}},
		{"the public", nil, 1, "x", start.Add(minute), []string{"exercise.error.not_participant"}},
		{"read-only delegate", kenRead, 1, "x", start.Add(minute), []string{"exercise.error.read_only"}},
		{"no such inject", ken, 9, "x", start.Add(minute), []string{"error.not_found"}},
	} {
		r, err := e.Respond(c.u, c.no, c.text, c.at)
		if got := keys(err); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if err == nil && (r.State != c.u.State || r.Inject != c.no || r.At != c.at) {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
}

func nos(ins []Inject) []int {
	var out []int
	for _, in := range ins {
		out = append(out, in.No)
	}
	return out
}

// TestWhoSeesWhat: live, a participant sees an inject from its release
// instant; the facilitator sees all; the public and other States nothing
// until the end and publication; responses only when published too.
func TestWhoSeesWhat(t *testing.T) {
	e := sample()
	e.Debrief = "Went well"
	rs := []Response{{Inject: 1, State: "KEN", Text: "a"}, {Inject: 2, State: "FRA", Text: "b"}}
	before, mid, after := start.Add(-minute), start.Add(29*minute), start.Add(duration)
	for _, c := range []struct {
		name               string
		u                  *concord.User
		at                 time.Time
		published, withRes bool
		injects            []int
		responses          int
		debrief            bool
	}{
		{"participant before start", ken, before, false, false, nil, 0, false},
		{"participant live", ken, mid, false, false, []int{1}, 1, false},
		{"participant at second release", ken, start.Add(30 * minute), false, false, []int{1, 2}, 2, false},
		{"facilitator before start", sec, before, false, false, []int{1, 2}, 2, true},
		{"chair, not its exercise", chair, mid, false, false, nil, 0, false},
		{"other State live", deu, mid, false, false, nil, 0, false},
		{"public live", nil, mid, false, false, nil, 0, false},
		{"participant replay", ken, after, false, false, []int{1, 2}, 2, true},
		{"public after, unpublished", nil, after, false, false, nil, 0, false},
		{"public after, published", nil, after, true, false, []int{1, 2}, 0, true},
		{"stakeholder after, with responses", focal, after, true, true, []int{1, 2}, 2, true},
		{"other State after, published", deu, after, true, false, []int{1, 2}, 0, true},
	} {
		e.Published, e.PublishedResponses = c.published, c.withRes
		v := e.For(c.u, c.at)
		if got := nos(v.Injects); !slices.Equal(got, c.injects) {
			t.Errorf("%s: injects %v, want %v", c.name, got, c.injects)
		}
		if got := len(e.VisibleResponses(c.u, c.at, rs)); got != c.responses {
			t.Errorf("%s: %d responses, want %d", c.name, got, c.responses)
		}
		if (v.Debrief != "") != c.debrief {
			t.Errorf("%s: debrief %q", c.name, v.Debrief)
		}
	}
}

func TestFacilitatorActs(t *testing.T) {
	e := sample()
	if _, err := e.AddInject(ken, time.Hour, "x", before(e)); !slices.Equal(keys(err), []string{"exercise.error.not_facilitator"}) {
		t.Errorf("participant adds inject: %v", err)
	}
	if _, err := e.AddInject(chair, time.Hour, "x", before(e)); !slices.Equal(keys(err), []string{"exercise.error.not_facilitator"}) {
		t.Errorf("chair adds to the Secretariat's: %v", err)
	}
	in, err := e.AddInject(sec, time.Hour, "Press asks", before(e))
	if err != nil || in.No != 3 || len(e.Injects) != 3 {
		t.Fatalf("%+v %v", in, err)
	}
	if in, err := e.AddInject(sec, 10*minute, "Improvised", start.Add(20*minute)); err != nil || in.Offset != 20*minute {
		t.Errorf("an inject added live with a past release is released at once: %+v %v", in, err)
	}
	if _, err := e.AddInject(sec, 3*time.Hour, "", start); !slices.Equal(keys(err), []string{"exercise.error.offset", "exercise.error.inject_text"}) {
		t.Errorf("all at once: %v", err)
	}
	if _, err := e.AddInject(sec, minute, "x", start.Add(duration)); !slices.Equal(keys(err), []string{"exercise.error.ended_injects"}) {
		t.Errorf("after end: %v", err)
	}
	if err := e.SetDebrief(sec, "Notes", true, true, start); !slices.Equal(keys(err), []string{"exercise.error.publish_early"}) {
		t.Errorf("publish before end: %v", err)
	}
	if err := e.SetDebrief(sec, "Notes", false, true, start.Add(duration)); !slices.Equal(keys(err), []string{"exercise.error.responses_alone"}) {
		t.Errorf("responses alone: %v", err)
	}
	if err := e.SetDebrief(sec, "Notes", true, false, start.Add(duration)); err != nil || !e.Published {
		t.Errorf("publish: %v", err)
	}
	if err := e.AddLesson(sec, Lesson{Norms: []capacity.Area{"norm.g", "norm.h"}, Text: "Call early", Recommendation: "Test POCs"}); err != nil {
		t.Error(err)
	}
	if err := e.AddLesson(ken, Lesson{}); !slices.Equal(keys(err), []string{"exercise.error.not_facilitator"}) {
		t.Errorf("participant lesson: %v", err)
	}
	if got := e.NextChange(start.Add(minute)); !got.Equal(start.Add(20 * minute)) {
		t.Errorf("next release %v", got)
	}
	ch := sample()
	ch.Facilitator = ByChair
	if !ch.IsFacilitator(chair) || !ch.IsFacilitator(sec) || ch.IsFacilitator(ken) {
		t.Error("the Chair facilitates its own exercise, the Secretariat any")
	}
}

func before(e Exercise) time.Time { return e.Start.Add(-time.Hour) }
