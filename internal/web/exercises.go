package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/exercise"
	"concord/internal/exercises"
	"concord/internal/i18n"
)

// Scenario-based exercises (issue 13): the list, an exercise's page (the
// scenario; the injects, responses, debrief and lessons as the reader may
// see them now; the facilitator's and the participants' forms), and the
// form that sets one up. The service decides who sees what on every read;
// the routes only say who may write at all.

func (s *Server) exerciseRoutes() []Route {
	return []Route{
		{"GET", "/exercises", concord.ActRead, nil, "/exercises", s.exercisesList},
		{"GET", "/exercises/new", concord.ActFacilitateExercises, nil, "/exercises/new", s.exerciseNew},
		{"POST", "/exercises", concord.ActFacilitateExercises, nil, "/exercises", s.exerciseCreate},
		{"GET", "/exercises/{id}", concord.ActRead, nil, "/exercises/1", s.exercisePage},
		{"POST", "/exercises/{id}/injects", concord.ActFacilitateExercises, nil, "/exercises/1/injects", s.exerciseInject},
		{"POST", "/exercises/{id}/injects/{no}/responses", concord.ActRespondExercises, nil, "/exercises/1/injects/1/responses", s.exerciseRespond},
		{"POST", "/exercises/{id}/debrief", concord.ActFacilitateExercises, nil, "/exercises/1/debrief", s.exerciseDebrief},
		{"POST", "/exercises/{id}/lessons", concord.ActFacilitateExercises, nil, "/exercises/1/lessons", s.exerciseLesson},
	}
}

func (s *Server) exercisesSvc() *exercises.Service {
	return &exercises.Service{DB: s.DB, Process: s.Decide.Process}
}

// exerciseRow is an exercise in the list.
type exerciseRow struct {
	ID      int64
	Title   template.HTML
	Setting exercise.Setting
	Phase   exercise.Phase
	Start   time.Time
	End     time.Time
	States  int
}

// exercisesView is the list of exercises.
type exercisesView struct {
	Rows      []exerciseRow
	CanCreate bool
}

func (s *Server) exercisesList(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	l, err := s.exercisesSvc().List(r.Context(), u)
	if err != nil {
		return err
	}
	p := s.newPage(r, "exercise.title", nil)
	v := exercisesView{CanCreate: concord.Can(u, concord.ActFacilitateExercises, concord.Target{})}
	for _, x := range l {
		e := x.Exercise
		v.Rows = append(v.Rows, exerciseRow{ID: e.ID, Title: p.Show(e.Title), Setting: e.Setting, Phase: x.Phase, Start: e.Start, End: e.End, States: len(e.States)})
	}
	p.Data = v
	return s.render(w, r, http.StatusOK, "exercise_list", p)
}

// injectRow is an inject as the page shows it, with the responses the
// reader may read and, for a participant, its State's answer form.
type injectRow struct {
	exercise.Inject
	At        time.Time
	Released  bool
	Responses []responseRow
	// CanRespond: the reader answers for its State now; Own is its
	// State's current answer (the form's starting text).
	CanRespond bool
	Own        string
	Err        string // the error of the reader's last answer to it
	Saved      bool
}

// responseRow is a State's response.
type responseRow struct {
	StateName template.HTML
	Text      string
	At        time.Time
}

// lessonRow is a lesson with its norms named.
type lessonRow struct {
	exercise.Lesson
	NormNames []template.HTML
}

// exerciseView is an exercise's page.
type exerciseView struct {
	Exercise    exercise.Exercise
	Phase       exercise.Phase
	Narrative   template.HTML
	States      string // the participating States' names, joined in the page's language
	Injects     []injectRow
	Lessons     []lessonRow
	Facilitator bool
	Participant bool
	ReadOnly    bool // a participant its delegation does not let answer
	NextChange  time.Time
	Norms       []portalCheck
	Saved       string // what was just saved ("inject", "debrief", "lesson")
}

func (s *Server) exercisePage(w http.ResponseWriter, r *http.Request) error {
	return s.showExercise(w, r, http.StatusOK, nil, 0)
}

// showExercise renders exercise {id} as the reader sees it; after a failed
// write, with its error (on the form of inject errInject when it was an
// answer) and the typed text kept.
func (s *Server) showExercise(w http.ResponseWriter, r *http.Request, status int, werr error, errInject int) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	v, err := s.exercisesSvc().Exercise(r.Context(), u, id)
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	e := v.Exercise
	p := s.newPage(r, "exercise.title", nil)
	p.Title = p.L(e.Title).Text
	ev := exerciseView{Exercise: e, Phase: v.Phase, Narrative: p.Markdown(p.L(e.Narrative).Text), Facilitator: v.Facilitator, Participant: v.Participant,
		ReadOnly: v.Participant && e.CanRespond(u) != nil, NextChange: v.NextChange, Saved: r.URL.Query().Get("saved")}
	var states []string
	for _, st := range e.States {
		states = append(states, p.L(names[st]).Text)
	}
	ev.States = p.Join(states)
	saved, _ := strconv.Atoi(r.URL.Query().Get("answered"))
	shown := false // the answer's error is shown on its inject's form
	for _, in := range e.Injects {
		row := injectRow{Inject: in, At: e.ReleaseAt(in), Released: e.Released(in, v.Now), Saved: saved == in.No}
		row.CanRespond = v.Participant && !ev.ReadOnly && row.Released && v.Phase == exercise.Live
		for _, rs := range v.Responses {
			if rs.Inject != in.No {
				continue
			}
			row.Responses = append(row.Responses, responseRow{StateName: p.Show(names[rs.State]), Text: rs.Text, At: rs.At})
			if u != nil && rs.State == u.State {
				row.Own = rs.Text
			}
		}
		if errInject == in.No && werr != nil {
			row.Err = p.T(AsDomain(werr).Key)
			row.Own = r.PostForm.Get("response")
			shown = true
		}
		ev.Injects = append(ev.Injects, row)
	}
	for _, l := range e.Lessons {
		lr := lessonRow{Lesson: l}
		for _, n := range l.Norms {
			lr.NormNames = append(lr.NormNames, p.Area(n))
		}
		ev.Lessons = append(ev.Lessons, lr)
	}
	if v.Facilitator {
		for _, n := range capacity.Norms() {
			ev.Norms = append(ev.Norms, portalCheck{Value: string(n.Code), Label: p.Area(n.Code), Checked: slices.Contains(r.PostForm["norms"], string(n.Code))})
		}
	}
	p.Data = ev
	if werr != nil {
		p.Form = r.PostForm
		if !shown {
			// A write of the facilitator, or an answer to an inject the
			// reader does not see (not released): at the top.
			p.SetErr(werr)
		}
	} else if v.Facilitator {
		p.Form = url.Values{"debrief": {e.Debrief}}
		if e.Published {
			p.Form.Set("published", "on")
		}
		if e.PublishedResponses {
			p.Form.Set("published_responses", "on")
		}
	}
	return s.render(w, r, status, "exercise_page", p)
}

// exerciseFormView is the form that sets up an exercise.
type exerciseFormView struct {
	Settings     []exercise.Setting
	Facilitators []exercise.Facilitator
	ChooseFac    bool // the Secretariat chooses who facilitates; the Chair is itself
	Titles       []formTitle
	Narratives   []formTitle
}

func (s *Server) showExerciseForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	lang := LangFrom(r.Context())
	u := UserFrom(r.Context())
	f := exerciseFormView{Settings: exercise.Settings, Facilitators: exercise.Facilitators, ChooseFac: u != nil && u.Role == concord.RoleSecretariat}
	for _, l := range append([]string{lang}, slices.DeleteFunc(slices.Clone(concord.Languages), func(l string) bool { return l == lang })...) {
		f.Titles = append(f.Titles, formTitle{Lang: l, Dir: i18n.Dir(l), Name: "title." + l, Value: form.Get("title." + l)})
		f.Narratives = append(f.Narratives, formTitle{Lang: l, Dir: i18n.Dir(l), Name: "narrative." + l, Value: form.Get("narrative." + l)})
	}
	p := s.newPage(r, "exercise.new", f)
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "exercise_form", p)
}

func (s *Server) exerciseNew(w http.ResponseWriter, r *http.Request) error {
	return s.showExerciseForm(w, r, http.StatusOK, url.Values{"setting": {string(exercise.POCNetwork)}}, nil)
}

// readExerciseForm reads the form; the instants are read in the process's
// time zone, and each value that cannot be read is reported with the rest.
func readExerciseForm(form url.Values, loc *time.Location) exercises.Input {
	in := exercises.Input{Setting: exercise.Setting(strings.TrimSpace(form.Get("setting"))), Facilitator: exercise.Facilitator(form.Get("facilitator")),
		Title: concord.Text{}, Narrative: concord.Text{}, States: strings.FieldsFunc(form.Get("states"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' })}
	for _, l := range concord.Languages {
		in.Title[l], in.Narrative[l] = form.Get("title."+l), form.Get("narrative."+l)
	}
	read := func(field string) time.Time {
		raw := strings.TrimSpace(form.Get(field))
		if raw == "" {
			return time.Time{}
		}
		date, clock, _ := strings.Cut(raw, "T")
		t, err := concord.LocalToUTC(date, clock, loc)
		if err != nil {
			in.Unread = append(in.Unread, concord.Errorf(concord.EInvalid, field, "exercise.error.start_unread", "%s: not a date and time", field))
		}
		return t
	}
	in.Start, in.End = read("start"), read("end")
	return in
}

func (s *Server) exerciseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := s.newPage(r, "exercise.new", nil)
	e, err := s.exercisesSvc().Create(r.Context(), UserFrom(r.Context()), readExerciseForm(r.PostForm, p.location()))
	if de := formError(err); de != nil {
		return s.showExerciseForm(w, r, Status(de.Code), r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/exercises/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
	return nil
}

// afterWrite redirects to the exercise's page after a write, or shows the
// page again with the write's error.
func (s *Server) afterWrite(w http.ResponseWriter, r *http.Request, id int64, err error, inject int, query string) error {
	if de := formError(err); de != nil {
		return s.showExercise(w, r, Status(de.Code), err, inject)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/exercises/"+strconv.FormatInt(id, 10)+query, http.StatusSeeOther)
	return nil
}

func (s *Server) exerciseInject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var unread concord.Errors
	minutes, perr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("offset")))
	if perr != nil {
		unread = append(unread, concord.Errorf(concord.EInvalid, "offset", "exercise.error.offset_unread", "the release is a number of minutes after the start"))
	}
	_, err = s.exercisesSvc().AddInject(r.Context(), UserFrom(r.Context()), id, time.Duration(minutes)*time.Minute, r.PostForm.Get("inject"), unread)
	return s.afterWrite(w, r, id, err, 0, "?saved=inject#injects")
}

func (s *Server) exerciseRespond(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	no, err := strconv.Atoi(r.PathValue("no"))
	if err != nil {
		return concord.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.exercisesSvc().Respond(r.Context(), UserFrom(r.Context()), id, no, r.PostForm.Get("response"))
	return s.afterWrite(w, r, id, err, no, "?answered="+strconv.Itoa(no)+"#inject-"+strconv.Itoa(no))
}

func (s *Server) exerciseDebrief(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.exercisesSvc().SetDebrief(r.Context(), UserFrom(r.Context()), id, r.PostForm.Get("debrief"),
		r.PostForm.Get("published") != "", r.PostForm.Get("published_responses") != "")
	return s.afterWrite(w, r, id, err, 0, "?saved=debrief#debrief-section")
}

func (s *Server) exerciseLesson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	l := exercise.Lesson{Text: r.PostForm.Get("lesson"), Recommendation: r.PostForm.Get("recommendation")}
	for _, n := range r.PostForm["norms"] {
		l.Norms = append(l.Norms, capacity.Area(n))
	}
	_, err = s.exercisesSvc().AddLesson(r.Context(), UserFrom(r.Context()), id, l)
	return s.afterWrite(w, r, id, err, 0, "?saved=lesson#lessons-section")
}
