package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/exercise"
	"concord/internal/auth"
	"concord/internal/exercises"
)

// Scenario-based exercises: the twins of the /{lang}/exercises pages. An
// exercise reads as its reader may see it at the server's instant: injects
// from their release for the participants, everything for the
// facilitator, the injects, debrief and lessons for everyone only once the
// facilitator published them after the end, the responses to the public
// only if published too. The service checks it on every read.

func (a *API) exerciseRoutes() []Route {
	return []Route{
		{"GET", "/exercises", concord.ActRead, nil, "/exercises", a.listExercises},
		{"POST", "/exercises", concord.ActFacilitateExercises, nil, "/exercises", a.createExercise},
		{"GET", "/exercises/{id}", concord.ActRead, nil, "/exercises/1", a.getExercise},
		{"POST", "/exercises/{id}/injects", concord.ActFacilitateExercises, nil, "/exercises/1/injects", a.addInject},
		{"PUT", "/exercises/{id}/injects/{no}/response", concord.ActRespondExercises, nil, "/exercises/1/injects/1/response", a.respondInject},
		{"PUT", "/exercises/{id}/debrief", concord.ActFacilitateExercises, nil, "/exercises/1/debrief", a.setDebrief},
		{"POST", "/exercises/{id}/lessons", concord.ActFacilitateExercises, nil, "/exercises/1/lessons", a.addLesson},
	}
}

func (a *API) exercises() *exercises.Service {
	return &exercises.Service{DB: a.Decide.DB, Process: a.Decide.Process}
}

// InjectJSON is an inject: released offset_minutes after the start, at
// release_at.
type InjectJSON struct {
	No            int       `json:"no"`
	OffsetMinutes int       `json:"offset_minutes"`
	ReleaseAt     time.Time `json:"release_at"`
	Released      bool      `json:"released"`
	Text          string    `json:"text"`
}

// ResponseJSON is a State's response to an inject.
type ResponseJSON struct {
	Inject int       `json:"inject"`
	State  string    `json:"state"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// LessonJSON is a lesson of the debrief with its norms.
type LessonJSON struct {
	Norms          []capacity.Area `json:"norms"`
	Text           string          `json:"text"`
	Recommendation string          `json:"recommendation"`
}

// ExerciseJSON is an exercise as its reader may see it now: injects,
// responses, debrief and lessons only where the reader may read them
// (empty lists and a null debrief otherwise).
type ExerciseJSON struct {
	ID                 int64                `json:"id"`
	Setting            exercise.Setting     `json:"setting"`
	Title              concord.Text         `json:"title"`
	Narrative          concord.Text         `json:"narrative"`
	Facilitator        exercise.Facilitator `json:"facilitator"`
	States             []string             `json:"states"`
	Start              time.Time            `json:"start"`
	End                time.Time            `json:"end"`
	Phase              exercise.Phase       `json:"phase"`
	Injects            []InjectJSON         `json:"injects"`
	Responses          []ResponseJSON       `json:"responses"`
	Debrief            *string              `json:"debrief"`
	Lessons            []LessonJSON         `json:"lessons"`
	Published          bool                 `json:"published"`
	PublishedResponses bool                 `json:"published_responses"`
}

func exerciseJSON(v exercises.View) ExerciseJSON {
	e := v.Exercise
	out := ExerciseJSON{ID: e.ID, Setting: e.Setting, Title: e.Title, Narrative: e.Narrative, Facilitator: e.Facilitator, States: strs(e.States),
		Start: e.Start.UTC(), End: e.End.UTC(), Phase: v.Phase, Injects: []InjectJSON{}, Responses: []ResponseJSON{}, Lessons: []LessonJSON{},
		Debrief: orNull(e.Debrief), Published: e.Published, PublishedResponses: e.PublishedResponses}
	for _, in := range e.Injects {
		out.Injects = append(out.Injects, injectJSON(e, in, v.Now))
	}
	for _, r := range v.Responses {
		out.Responses = append(out.Responses, ResponseJSON{Inject: r.Inject, State: r.State, Text: r.Text, At: r.At.UTC()})
	}
	for _, l := range e.Lessons {
		out.Lessons = append(out.Lessons, LessonJSON{Norms: l.Norms, Text: l.Text, Recommendation: l.Recommendation})
	}
	return out
}

func injectJSON(e exercise.Exercise, in exercise.Inject, now time.Time) InjectJSON {
	return InjectJSON{No: in.No, OffsetMinutes: int(in.Offset / time.Minute), ReleaseAt: e.ReleaseAt(in).UTC(), Released: e.Released(in, now), Text: in.Text}
}

func (a *API) listExercises(r *http.Request) (int, any, error) {
	l, err := a.exercises().List(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	out := List[ExerciseJSON]{Items: make([]ExerciseJSON, 0, len(l)), Total: len(l), Limit: exercises.ListLimit}
	for _, x := range l {
		// The list carries the scenario; the injects and the rest are on
		// the exercise itself.
		j := exerciseJSON(exercises.View{Exercise: x.Exercise, Phase: x.Phase})
		j.Injects, j.Lessons, j.Debrief = []InjectJSON{}, []LessonJSON{}, nil
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// ExerciseRequest sets up an exercise: title and narrative by language,
// instants in RFC 3339; facilitator "secretariat" (the default for the
// Secretariat) or "chair" (always, for the Chair).
type ExerciseRequest struct {
	Setting     string       `json:"setting"`
	Title       concord.Text `json:"title"`
	Narrative   concord.Text `json:"narrative"`
	Facilitator string       `json:"facilitator"`
	States      []string     `json:"states"`
	Start       string       `json:"start"`
	End         string       `json:"end"`
}

func instant(field, s string, unread *concord.Errors) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "exercise.error.start_unread", "%s must be an RFC 3339 instant", field))
	}
	return t
}

func (a *API) createExercise(r *http.Request) (int, any, error) {
	var req ExerciseRequest
	if err := decode(r, &req); err != nil {
		return 0, nil, err
	}
	in := exercises.Input{Setting: exercise.Setting(req.Setting), Title: req.Title, Narrative: req.Narrative,
		Facilitator: exercise.Facilitator(req.Facilitator), States: req.States}
	in.Start, in.End = instant("start", req.Start, &in.Unread), instant("end", req.End, &in.Unread)
	u := auth.UserFrom(r.Context())
	e, err := a.exercises().Create(r.Context(), u, in)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.exercises().Exercise(r.Context(), u, e.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, exerciseJSON(v), nil
}

func (a *API) getExercise(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.exercises().Exercise(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, exerciseJSON(v), nil
}

// InjectRequest adds an inject offset_minutes after the start.
type InjectRequest struct {
	OffsetMinutes int    `json:"offset_minutes"`
	Text          string `json:"text"`
}

func (a *API) addInject(r *http.Request) (int, any, error) {
	var req InjectRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	in, err := a.exercises().AddInject(r.Context(), u, id, time.Duration(req.OffsetMinutes)*time.Minute, req.Text, nil)
	if err != nil {
		return 0, nil, err
	}
	v, err := a.exercises().Exercise(r.Context(), u, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, injectJSON(v.Exercise, in, v.Now), nil
}

// ResponseRequest is a State's response to an inject.
type ResponseRequest struct {
	Text string `json:"text"`
}

func (a *API) respondInject(r *http.Request) (int, any, error) {
	var req ResponseRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	no, err := strconv.Atoi(r.PathValue("no"))
	if err != nil || no <= 0 {
		return 0, nil, concord.Errorf(concord.EInvalid, "no", "error.id", "no must be a positive integer")
	}
	res, err := a.exercises().Respond(r.Context(), auth.UserFrom(r.Context()), id, no, req.Text)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ResponseJSON{Inject: res.Inject, State: res.State, Text: res.Text, At: res.At.UTC()}, nil
}

// DebriefRequest sets the debrief and what is published.
type DebriefRequest struct {
	Debrief            string `json:"debrief"`
	Published          bool   `json:"published"`
	PublishedResponses bool   `json:"published_responses"`
}

func (a *API) setDebrief(r *http.Request) (int, any, error) {
	var req DebriefRequest
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if _, err := a.exercises().SetDebrief(r.Context(), u, id, req.Debrief, req.Published, req.PublishedResponses); err != nil {
		return 0, nil, err
	}
	v, err := a.exercises().Exercise(r.Context(), u, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, exerciseJSON(v), nil
}

func (a *API) addLesson(r *http.Request) (int, any, error) {
	var req LessonJSON
	id, err := idBody(r, &req)
	if err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if _, err := a.exercises().AddLesson(r.Context(), u, id, exercise.Lesson{Norms: req.Norms, Text: req.Text, Recommendation: req.Recommendation}); err != nil {
		return 0, nil, err
	}
	v, err := a.exercises().Exercise(r.Context(), u, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, exerciseJSON(v), nil
}
