// Package exercise is the scenario-based tabletop exercise (issue 13,
// domain brief §6 point 5): a scenario for a DTG meeting or the POC
// network, its facilitator (the Secretariat or the Chair), the
// participating States, injects released on a timetable from the start,
// the States' responses per inject, the facilitator's debrief and lessons
// linked to the norms with recommendations. An exercise is run live (an
// inject is seen by the participants from its release instant) or replayed
// after its end (the whole exercise in order). Who sees what is decided
// here, with `now` passed in; the store keeps what it says and
// internal/exercises runs it.
package exercise

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/capacity"
)

// Setting is what the exercise is run for.
type Setting string

// The two settings of the issue: a DTG meeting, or the POC network.
const (
	DTG        Setting = "dtg"
	POCNetwork Setting = "poc"
)

// Settings lists the settings in the order forms show them.
var Settings = []Setting{DTG, POCNetwork}

// Facilitator is who runs the exercise: the Secretariat or the Chair.
type Facilitator string

// The two facilitators.
const (
	BySecretariat Facilitator = "secretariat"
	ByChair       Facilitator = "chair"
)

// Facilitators lists the facilitators in the order forms show them.
var Facilitators = []Facilitator{BySecretariat, ByChair}

// Phase is where an exercise stands at an instant.
type Phase string

// The phases: before the start, running, after the end.
const (
	Scheduled Phase = "scheduled"
	Live      Phase = "live"
	Ended     Phase = "ended"
)

// Inject is one event of the scenario, released Offset after the start.
type Inject struct {
	No     int           `json:"no"` // 1, 2, … in the order added
	Offset time.Duration `json:"offset"`
	Text   string        `json:"text"`
}

// Lesson is one lesson of the debrief, linked to one or more of the
// eleven norms, with what the facilitator recommends.
type Lesson struct {
	Norms          []capacity.Area `json:"norms"`
	Text           string          `json:"text"`
	Recommendation string          `json:"recommendation"`
}

// Exercise is a tabletop exercise.
type Exercise struct {
	ID          int64        `json:"id"`
	Process     string       `json:"process"`
	Setting     Setting      `json:"setting"`
	Title       concord.Text `json:"title"`     // one or more languages
	Narrative   concord.Text `json:"narrative"` // the scenario, in the same or other languages
	Facilitator Facilitator  `json:"facilitator"`
	States      []string     `json:"states"` // ISO3 of the participants, sorted
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end"`
	Injects     []Inject     `json:"injects"`
	Debrief     string       `json:"debrief"`
	Lessons     []Lesson     `json:"lessons"`
	// Published makes the injects, the debrief and the lessons public
	// after the end; PublishedResponses the responses too.
	Published          bool      `json:"published"`
	PublishedResponses bool      `json:"published_responses"`
	Created            time.Time `json:"created"`
	Updated            time.Time `json:"updated"`
}

// Response is one participating State's answer to one inject (one per
// State and inject; answering again replaces it).
type Response struct {
	Exercise int64     `json:"exercise"`
	Inject   int       `json:"inject"`
	State    string    `json:"state"`
	Author   int64     `json:"author"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// Field limits.
const (
	maxTitle     = 200
	maxNarrative = 20000
	maxText      = 5000
	// MaxInjects bounds an exercise's injects (a page shows them all).
	MaxInjects = 50
	// MaxLessons bounds the lessons of a debrief.
	MaxLessons = 30
	// MaxLength is the longest an exercise may run.
	MaxLength = 7 * 24 * time.Hour
)

func invalid(field, key, msg string) *concord.Error {
	return concord.Errorf(concord.EInvalid, field, key, "%s", msg)
}

// Normalise trims the texts, upper-cases and sorts the States (each once)
// and drops empty language versions.
func (e *Exercise) Normalise() {
	for _, t := range []concord.Text{e.Title, e.Narrative} {
		for l, v := range t {
			if t[l] = strings.TrimSpace(v); t[l] == "" {
				delete(t, l)
			}
		}
	}
	var states []string
	for _, s := range e.States {
		if s = strings.ToUpper(strings.TrimSpace(s)); s != "" && !slices.Contains(states, s) {
			states = append(states, s)
		}
	}
	sort.Strings(states)
	e.States = states
	e.Debrief = strings.TrimSpace(e.Debrief)
}

func validText(t concord.Text, max int) bool {
	if len(t) == 0 {
		return false
	}
	for l, v := range t {
		if !slices.Contains(concord.Languages, l) || utf8.RuneCountInString(v) > max {
			return false
		}
	}
	return true
}

// Validate reports every problem of e at once.
func (e Exercise) Validate() error {
	var errs concord.Errors
	if !slices.Contains(Settings, e.Setting) {
		errs = append(errs, invalid("setting", "exercise.error.setting", "choose a DTG meeting or the POC network"))
	}
	if !validText(e.Title, maxTitle) {
		errs = append(errs, invalid("title", "exercise.error.title", "a title of 1 to 200 characters in at least one language"))
	}
	if !validText(e.Narrative, maxNarrative) {
		errs = append(errs, invalid("narrative", "exercise.error.narrative", "the scenario in at least one language"))
	}
	if !slices.Contains(Facilitators, e.Facilitator) {
		errs = append(errs, invalid("facilitator", "exercise.error.facilitator", "the Secretariat or the Chair facilitates"))
	}
	if len(e.States) == 0 {
		errs = append(errs, invalid("states", "exercise.error.states", "at least one participating State"))
	}
	for _, s := range e.States {
		if len(s) != 3 || strings.ToUpper(s) != s {
			errs = append(errs, invalid("states", "exercise.error.state_code", "States by their three-letter code (FRA, KEN)"))
			break
		}
	}
	switch {
	case e.Start.IsZero():
		errs = append(errs, invalid("start", "exercise.error.start", "a start is required"))
	case e.End.IsZero() || !e.End.After(e.Start) || e.End.Sub(e.Start) > MaxLength:
		errs = append(errs, invalid("end", "exercise.error.end", "the end comes after the start, within a week"))
	}
	if len(e.Injects) > MaxInjects {
		errs = append(errs, invalid("injects", "exercise.error.too_many_injects", "at most 50 injects"))
	}
	for _, in := range e.Injects {
		errs.Add(e.checkInject(in))
	}
	if utf8.RuneCountInString(e.Debrief) > maxNarrative {
		errs = append(errs, invalid("debrief", "exercise.error.debrief", "a debrief of at most 20,000 characters"))
	}
	for _, l := range e.Lessons {
		errs.Add(checkLesson(l))
	}
	if len(e.Lessons) > MaxLessons {
		errs = append(errs, invalid("lesson", "exercise.error.too_many_lessons", "at most 30 lessons"))
	}
	return errs.Err()
}

func (e Exercise) checkInject(in Inject) error {
	var errs concord.Errors
	if in.Offset < 0 || (!e.End.IsZero() && !e.Start.IsZero() && in.Offset >= e.End.Sub(e.Start)) {
		errs = append(errs, invalid("offset", "exercise.error.offset", "an inject is released between the start and the end"))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Text)); n == 0 || n > maxText {
		errs = append(errs, invalid("inject", "exercise.error.inject_text", "an inject of 1 to 5,000 characters"))
	}
	return errs.Err()
}

func checkLesson(l Lesson) error {
	var errs concord.Errors
	ok := len(l.Norms) > 0
	for _, n := range l.Norms {
		info, known := capacity.Lookup(n)
		ok = ok && known && info.Group == capacity.Norm
	}
	if !ok {
		errs = append(errs, invalid("norms", "exercise.error.norms", "link the lesson to at least one of the eleven norms"))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(l.Text)); n == 0 || n > maxText {
		errs = append(errs, invalid("lesson", "exercise.error.lesson", "a lesson of 1 to 5,000 characters"))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(l.Recommendation)); n == 0 || n > maxText {
		errs = append(errs, invalid("recommendation", "exercise.error.recommendation", "a recommendation of 1 to 5,000 characters"))
	}
	return errs.Err()
}

// PhaseAt says where the exercise stands at now.
func (e Exercise) PhaseAt(now time.Time) Phase {
	switch {
	case now.Before(e.Start):
		return Scheduled
	case now.Before(e.End):
		return Live
	}
	return Ended
}

// ReleaseAt is the instant inject in is released.
func (e Exercise) ReleaseAt(in Inject) time.Time { return e.Start.Add(in.Offset) }

// Released reports whether inject in is out at now.
func (e Exercise) Released(in Inject, now time.Time) bool { return !now.Before(e.ReleaseAt(in)) }

// NextChange is the first instant after now at which what anyone sees
// changes by the clock alone (the start, a release, the end; zero when
// none is left): pages cached before it hold until it.
func (e Exercise) NextChange(now time.Time) time.Time {
	var next time.Time
	note := func(at time.Time) {
		if at.After(now) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	note(e.Start)
	note(e.End)
	for _, in := range e.Injects {
		note(e.ReleaseAt(in))
	}
	return next
}

// Inject returns inject no.
func (e Exercise) Inject(no int) (Inject, bool) {
	for _, in := range e.Injects {
		if in.No == no {
			return in, true
		}
	}
	return Inject{}, false
}

// IsFacilitator reports whether u runs e.
func (e Exercise) IsFacilitator(u *concord.User) bool {
	return concord.Can(u, concord.ActFacilitateExercises, concord.Target{Body: string(e.Facilitator)})
}

// IsParticipant reports whether u is a delegate of a participating State.
func (e Exercise) IsParticipant(u *concord.User) bool {
	return u != nil && !u.Disabled && u.Role == concord.RoleDelegate && u.State != "" && slices.Contains(e.States, u.State)
}

// insider: the facilitator or a participant, who follow the exercise as
// it runs.
func (e Exercise) insider(u *concord.User) bool { return e.IsFacilitator(u) || e.IsParticipant(u) }

// CanSeeResponses reports whether u may read the responses: the
// facilitator and the participants always, everyone else after the end
// if the facilitator published them.
func (e Exercise) CanSeeResponses(u *concord.User, now time.Time) bool {
	return e.insider(u) || (e.PhaseAt(now) == Ended && e.Published && e.PublishedResponses)
}

// CanSeeDebrief reports whether u may read the debrief and lessons: the
// facilitator always (it writes them), the participants after the end,
// everyone after the end once published.
func (e Exercise) CanSeeDebrief(u *concord.User, now time.Time) bool {
	if e.IsFacilitator(u) {
		return true
	}
	return e.PhaseAt(now) == Ended && (e.Published || e.IsParticipant(u))
}

// VisibleInjects are the injects u may read at now, in release order: all
// for the facilitator; the released ones for the participants (all of
// them, in order, after the end: the replay); for everyone else all of
// them once the exercise ended and was published, none before.
func (e Exercise) VisibleInjects(u *concord.User, now time.Time) []Inject {
	var out []Inject
	fac, part, ended := e.IsFacilitator(u), e.IsParticipant(u), e.PhaseAt(now) == Ended
	for _, in := range e.Injects {
		if fac || (part && e.Released(in, now)) || (ended && e.Published) {
			out = append(out, in)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out
}

// For is e as u may see it at now: the injects u may not read yet left
// out, the debrief and the lessons only where CanSeeDebrief.
func (e Exercise) For(u *concord.User, now time.Time) Exercise {
	v := e
	v.Injects = e.VisibleInjects(u, now)
	if !e.CanSeeDebrief(u, now) {
		v.Debrief, v.Lessons = "", nil
	}
	return v
}

// VisibleResponses keeps the responses u may read at now: none unless
// CanSeeResponses, and only to injects u sees.
func (e Exercise) VisibleResponses(u *concord.User, now time.Time, rs []Response) []Response {
	if !e.CanSeeResponses(u, now) {
		return nil
	}
	seen := map[int]bool{}
	for _, in := range e.VisibleInjects(u, now) {
		seen[in.No] = true
	}
	var out []Response
	for _, r := range rs {
		if seen[r.Inject] {
			out = append(out, r)
		}
	}
	return out
}

func forbidden(key, msg string) *concord.Error {
	return concord.Errorf(concord.EForbidden, "", key, "%s", msg)
}

func conflict(key, msg string) *concord.Error {
	return concord.Errorf(concord.EConflict, "", key, "%s", msg)
}

// ErrNotFacilitator refuses an act that is the facilitator's.
var ErrNotFacilitator = forbidden("exercise.error.not_facilitator", "only the exercise's facilitator may do this")

// CanRespond says whether u may respond for its State at all: a delegate
// of a participating State whom its delegation lets speak.
func (e Exercise) CanRespond(u *concord.User) error {
	if !e.IsParticipant(u) {
		return forbidden("exercise.error.not_participant", "only the delegates of a participating State respond")
	}
	if !concord.Can(u, concord.ActRespondExercises, concord.Target{State: u.State}) {
		return forbidden("exercise.error.read_only", "your delegation has not let you speak for the State")
	}
	return nil
}

// Respond records u's State's response to inject no at now: only a
// participating State's delegate, only once the inject is released and
// before the end. The permission is reported first; then every problem of
// timing and text at once.
func (e Exercise) Respond(u *concord.User, no int, text string, now time.Time) (Response, error) {
	if err := e.CanRespond(u); err != nil {
		return Response{}, err
	}
	in, ok := e.Inject(no)
	if !ok {
		return Response{}, concord.ErrNotFound
	}
	var errs concord.Errors
	switch {
	case !e.Released(in, now):
		errs = append(errs, conflict("exercise.error.not_released", "this inject has not been released yet"))
	case e.PhaseAt(now) == Ended:
		errs = append(errs, conflict("exercise.error.ended", "the exercise has ended: responses are closed"))
	}
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n == 0 || n > maxText {
		errs = append(errs, invalid("response", "exercise.error.response_text", "a response of 1 to 5,000 characters"))
	}
	if err := errs.Err(); err != nil {
		return Response{}, err
	}
	return Response{Exercise: e.ID, Inject: no, State: u.State, Author: u.ID, Text: text, At: now}, nil
}

// AddInject adds an inject at the end of the list, by the facilitator,
// before the exercise ends. While it runs, an inject whose release would
// lie in the past is released at once (its offset becomes now's): the
// facilitator improvises, and the record never shows an inject as
// released before anyone could see it.
func (e *Exercise) AddInject(u *concord.User, offset time.Duration, text string, now time.Time) (Inject, error) {
	if !e.IsFacilitator(u) {
		return Inject{}, ErrNotFacilitator
	}
	if e.PhaseAt(now) == Ended {
		return Inject{}, conflict("exercise.error.ended_injects", "the exercise has ended: its injects are fixed")
	}
	in := Inject{Offset: offset, Text: strings.TrimSpace(text)}
	var errs concord.Errors
	errs.Add(e.checkInject(in))
	if e.PhaseAt(now) == Live && in.Offset >= 0 && e.Released(in, now) && now.After(e.ReleaseAt(in)) {
		in.Offset = now.Sub(e.Start).Truncate(time.Second)
	}
	if len(e.Injects) >= MaxInjects {
		errs = append(errs, invalid("offset", "exercise.error.too_many_injects", "at most 50 injects"))
	}
	if err := errs.Err(); err != nil {
		return Inject{}, err
	}
	for _, x := range e.Injects {
		in.No = max(in.No, x.No)
	}
	in.No++
	e.Injects = append(e.Injects, in)
	return in, nil
}

// SetDebrief sets the debrief and whether it (with the injects and the
// lessons) and the responses are public, by the facilitator; publishing
// waits for the end, and the responses are published only with the rest.
func (e *Exercise) SetDebrief(u *concord.User, text string, publish, publishResponses bool, now time.Time) error {
	if !e.IsFacilitator(u) {
		return ErrNotFacilitator
	}
	var errs concord.Errors
	if (publish || publishResponses) && e.PhaseAt(now) != Ended {
		errs = append(errs, invalid("published", "exercise.error.publish_early", "an exercise is published after its end"))
	}
	if publishResponses && !publish {
		errs = append(errs, invalid("published_responses", "exercise.error.responses_alone", "the responses are published with the debrief"))
	}
	e.Debrief, e.Published, e.PublishedResponses = strings.TrimSpace(text), publish, publishResponses
	if utf8.RuneCountInString(e.Debrief) > maxNarrative {
		errs = append(errs, invalid("debrief", "exercise.error.debrief", "a debrief of at most 20,000 characters"))
	}
	return errs.Err()
}

// AddLesson adds a lesson to the debrief, by the facilitator.
func (e *Exercise) AddLesson(u *concord.User, l Lesson) error {
	if !e.IsFacilitator(u) {
		return ErrNotFacilitator
	}
	l.Text, l.Recommendation = strings.TrimSpace(l.Text), strings.TrimSpace(l.Recommendation)
	var errs concord.Errors
	errs.Add(checkLesson(l))
	if len(e.Lessons) >= MaxLessons {
		errs = append(errs, invalid("lesson", "exercise.error.too_many_lessons", "at most 30 lessons"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	e.Lessons = append(e.Lessons, l)
	return nil
}

// MessageKeys lists every message the package raises and the names of its
// settings, facilitators and phases, for the catalogue test.
func MessageKeys() []string {
	keys := []string{"exercise.error.setting", "exercise.error.title", "exercise.error.narrative", "exercise.error.facilitator",
		"exercise.error.states", "exercise.error.state_code", "exercise.error.start", "exercise.error.end",
		"exercise.error.too_many_injects", "exercise.error.offset", "exercise.error.inject_text", "exercise.error.debrief",
		"exercise.error.norms", "exercise.error.lesson", "exercise.error.recommendation", "exercise.error.too_many_lessons",
		"exercise.error.not_facilitator", "exercise.error.not_participant", "exercise.error.read_only",
		"exercise.error.not_released", "exercise.error.ended", "exercise.error.response_text", "exercise.error.ended_injects",
		"exercise.error.publish_early", "exercise.error.responses_alone",
		"exercise.error.unknown_states", "exercise.error.start_unread", "exercise.error.offset_unread"}
	for _, s := range Settings {
		keys = append(keys, "exercise.setting."+string(s))
	}
	for _, f := range Facilitators {
		keys = append(keys, "exercise.facilitator."+string(f))
	}
	for _, p := range []Phase{Scheduled, Live, Ended} {
		keys = append(keys, "exercise.phase."+string(p))
	}
	return keys
}
