package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/pocs"
	"concord/poc"
)

// The Points of Contact directory (issue 13): the public summary (how many
// States have nominated, each ping test's response rate), the directory
// for the States and the Secretariat, a State's nominations, the
// Secretariat's ping rounds and the acknowledgement page a POC reaches
// from its email. The service checks who may see what on every read; the
// routes only send the public to the login page first.

func (s *Server) pocRoutes() []Route {
	return []Route{
		{"GET", "/poc", concord.ActRead, nil, "/poc", s.pocIndex},
		{"GET", "/poc/directory", concord.ActViewPOCs, nil, "/poc/directory", s.pocDirectory},
		{"GET", "/poc/new", concord.ActManagePOCs, nil, "/poc/new", s.pocNew},
		{"POST", "/poc", concord.ActManagePOCs, nil, "/poc", s.pocCreate},
		{"GET", "/poc/contacts/{id}/edit", concord.ActManagePOCs, nil, "/poc/contacts/1/edit", s.pocEdit},
		{"POST", "/poc/contacts/{id}", concord.ActManagePOCs, nil, "/poc/contacts/1", s.pocUpdate},
		{"POST", "/poc/contacts/{id}/remove", concord.ActManagePOCs, nil, "/poc/contacts/1/remove", s.pocRemove},
		{"GET", "/poc/rounds/new", concord.ActPingPOCs, nil, "/poc/rounds/new", s.pocRoundNew},
		{"POST", "/poc/rounds", concord.ActPingPOCs, nil, "/poc/rounds", s.pocRoundCreate},
		{"GET", "/poc/rounds/{id}", concord.ActRead, nil, "/poc/rounds/1", s.pocRound},
		{"POST", "/poc/rounds/{id}/open", concord.ActPingPOCs, nil, "/poc/rounds/1/open", s.pocRoundAct},
		{"POST", "/poc/rounds/{id}/close", concord.ActPingPOCs, nil, "/poc/rounds/1/close", s.pocRoundAct},
		{"GET", "/poc/ack", concord.ActRead, nil, "/poc/ack", s.pocAckForm},
		{"POST", "/poc/ack", concord.ActRead, nil, "/poc/ack", s.pocAck},
	}
}

// pocsSvc is the directory service over the server's store and process.
func (s *Server) pocsSvc() *pocs.Service {
	base := ""
	if s.Account != nil {
		base = s.Account.BaseURL
	}
	return &pocs.Service{DB: s.DB, Process: s.Decide.Process, Cat: s.Cat, BaseURL: base}
}

// pocIndexView is the public page: counts only, and the links the reader
// may follow.
type pocIndexView struct {
	Summary   pocs.Summary
	CanView   bool // the directory
	CanManage bool // nominate for some State
	CanPing   bool // schedule rounds
}

func (s *Server) pocIndex(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.pocsSvc().Summary(r.Context())
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	v := pocIndexView{Summary: sum, CanView: poc.CanView(u),
		CanManage: concord.Can(u, concord.ActManagePOCs, concord.Target{}), CanPing: concord.Can(u, concord.ActPingPOCs, concord.Target{})}
	return s.render(w, r, http.StatusOK, "poc_index", s.newPage(r, "poc.title", v))
}

// pocRow is a POC in the directory with what the reader may do with it.
type pocRow struct {
	poc.POC
	StateName template.HTML
	CanEdit   bool
}

// pocDirectoryView is the directory.
type pocDirectoryView struct {
	Rows      []pocRow
	States    int
	CanManage bool
}

// stateNames maps the States' codes to their names.
func (s *Server) stateNames(r *http.Request) (map[string]concord.Text, []concord.State, error) {
	states, err := s.DB.Read(r.Context()).States()
	m := make(map[string]concord.Text, len(states))
	for _, st := range states {
		m[st.ISO3] = st.Names
	}
	return m, states, err
}

func (s *Server) pocDirectory(w http.ResponseWriter, r *http.Request) error {
	u := UserFrom(r.Context())
	list, err := s.pocsSvc().Directory(r.Context(), u, "")
	if err != nil {
		return err
	}
	names, _, err := s.stateNames(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "poc.directory", nil)
	v := pocDirectoryView{CanManage: concord.Can(u, concord.ActManagePOCs, concord.Target{})}
	seen := map[string]bool{}
	for _, x := range list {
		seen[x.State] = true
		v.Rows = append(v.Rows, pocRow{POC: x, StateName: p.Show(names[x.State]),
			CanEdit: concord.Can(u, concord.ActManagePOCs, concord.Target{State: x.State})})
	}
	v.States = len(seen)
	p.Data = v
	return s.render(w, r, http.StatusOK, "poc_directory", p)
}

// pocFormView is the nomination form.
type pocFormView struct {
	POC       *poc.POC // the POC edited; nil for a new one
	Action    string
	States    []FieldOption // for the Secretariat; empty for a delegate (own State)
	Kinds     []poc.Kind
	Languages []pocLang
}

// pocLang is one language checkbox.
type pocLang struct {
	Code, Label string
	Checked     bool
}

func (s *Server) showPOCForm(w http.ResponseWriter, r *http.Request, status int, f pocFormView, form url.Values, err error) error {
	u := UserFrom(r.Context())
	p := s.newPage(r, "poc.new_title", nil)
	if f.POC != nil {
		p.Title = p.T("poc.edit_title")
	}
	f.Kinds = poc.Kinds
	if u.Role == concord.RoleSecretariat && f.POC == nil {
		names, states, e := s.stateNames(r)
		if e != nil {
			return e
		}
		for _, st := range states {
			f.States = append(f.States, FieldOption{Value: st.ISO3, Label: p.L(names[st.ISO3]).Text + " (" + st.ISO3 + ")", Selected: form.Get("state") == st.ISO3})
		}
	}
	for _, l := range concord.Languages {
		f.Languages = append(f.Languages, pocLang{Code: l, Label: p.LangLabel(l), Checked: slices.Contains(form["languages"], l)})
	}
	p.Data = f
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_form", p)
}

func pocValues(x poc.POC) url.Values {
	return url.Values{"state": {x.State}, "kind": {string(x.Kind)}, "name": {x.Name}, "function": {x.Function}, "email": {x.Email},
		"phone": {x.Phone}, "hours": {x.Hours}, "languages": x.Languages}
}

func readPOCForm(u *concord.User, form url.Values) pocs.Input {
	in := pocs.Input{State: form.Get("state"), Kind: poc.Kind(form.Get("kind")), Name: form.Get("name"), Function: form.Get("function"),
		Email: form.Get("email"), Phone: form.Get("phone"), Languages: form["languages"], Hours: form.Get("hours")}
	if u != nil && u.Role == concord.RoleDelegate {
		in.State = u.State // a delegate nominates for its own State
	}
	return in
}

func (s *Server) pocNew(w http.ResponseWriter, r *http.Request) error {
	return s.showPOCForm(w, r, http.StatusOK, pocFormView{Action: "/poc"}, url.Values{"kind": {string(poc.Diplomatic)}}, nil)
}

func (s *Server) pocCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := UserFrom(r.Context())
	_, err := s.pocsSvc().Nominate(r.Context(), u, readPOCForm(u, r.PostForm))
	if de := formError(err); de != nil {
		return s.showPOCForm(w, r, Status(de.Code), pocFormView{Action: "/poc"}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/poc/directory?saved=1", http.StatusSeeOther)
	return nil
}

// ownPOC reads POC id for an edit, refusing another State's.
func (s *Server) ownPOC(r *http.Request) (poc.POC, error) {
	id, err := pathID(r)
	if err != nil {
		return poc.POC{}, err
	}
	u := UserFrom(r.Context())
	x, err := s.pocsSvc().POC(r.Context(), u, id)
	if err != nil {
		return x, err
	}
	if !concord.Can(u, concord.ActManagePOCs, concord.Target{State: x.State}) {
		return x, concord.Errorf(concord.EForbidden, "", "poc.error.not_own", "a State nominates its own points of contact only")
	}
	return x, nil
}

func (s *Server) pocEdit(w http.ResponseWriter, r *http.Request) error {
	x, err := s.ownPOC(r)
	if err != nil {
		return err
	}
	return s.showPOCForm(w, r, http.StatusOK, pocFormView{POC: &x, Action: fmt.Sprintf("/poc/contacts/%d", x.ID)}, pocValues(x), nil)
}

func (s *Server) pocUpdate(w http.ResponseWriter, r *http.Request) error {
	x, err := s.ownPOC(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.pocsSvc().Edit(r.Context(), UserFrom(r.Context()), x.ID, readPOCForm(UserFrom(r.Context()), r.PostForm))
	if de := formError(err); de != nil {
		return s.showPOCForm(w, r, Status(de.Code), pocFormView{POC: &x, Action: fmt.Sprintf("/poc/contacts/%d", x.ID)}, r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/poc/directory?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) pocRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.pocsSvc().Remove(r.Context(), UserFrom(r.Context()), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/poc/directory?saved=1", http.StatusSeeOther)
	return nil
}

// pocRoundFormView is the Secretariat's form for a new round.
type pocRoundFormView struct{}

func (s *Server) showRoundForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, err error) error {
	p := s.newPage(r, "poc.round_new", pocRoundFormView{})
	p.Form = form
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_round_form", p)
}

func (s *Server) pocRoundNew(w http.ResponseWriter, r *http.Request) error {
	return s.showRoundForm(w, r, http.StatusOK, url.Values{}, nil)
}

// readLocal reads a datetime-local value in loc, reporting a problem under
// field.
func readLocal(form url.Values, field string, loc *time.Location, unread *concord.Errors) time.Time {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		return time.Time{} // reported by the domain as missing
	}
	date, clock, _ := strings.Cut(raw, "T")
	t, err := concord.LocalToUTC(date, clock, loc)
	if err != nil {
		*unread = append(*unread, concord.Errorf(concord.EInvalid, field, "poc.error.datetime", "%s: not a date and time", field))
	}
	return t
}

func (s *Server) pocRoundCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	loc := time.UTC
	if s.Accredit != nil {
		if l, err := s.Accredit.Location(r.Context()); err == nil && l != nil {
			loc = l
		}
	}
	in := pocs.RoundInput{Note: r.PostForm.Get("note")}
	in.Opens = readLocal(r.PostForm, "opens", loc, &in.Unread)
	in.Closes = readLocal(r.PostForm, "deadline", loc, &in.Unread)
	rd, err := s.pocsSvc().Schedule(r.Context(), UserFrom(r.Context()), in)
	if de := formError(err); de != nil {
		return s.showRoundForm(w, r, Status(de.Code), r.PostForm, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/poc/rounds/%d?saved=1", LangFrom(r.Context()), rd.ID), http.StatusSeeOther)
	return nil
}

// pocRoundView is a round's page: the public aggregate, and the results
// per State the reader may see (every State's for the Secretariat, its
// own for a State's delegate, none for anyone else).
type pocRoundView struct {
	pocs.Results
	Names   map[string]template.HTML
	CanPing bool
}

func (s *Server) showRound(w http.ResponseWriter, r *http.Request, status int, id int64, err error) error {
	u := UserFrom(r.Context())
	res, e := s.pocsSvc().Results(r.Context(), u, id)
	if e != nil {
		return e
	}
	names, _, e := s.stateNames(r)
	if e != nil {
		return e
	}
	p := s.newPage(r, "poc.round_title", nil)
	p.Title = p.T("poc.round_n", "ID", res.Round.ID)
	v := pocRoundView{Results: res, Names: map[string]template.HTML{}, CanPing: concord.Can(u, concord.ActPingPOCs, concord.Target{})}
	for _, st := range res.States {
		v.Names[st.State] = p.Show(names[st.State])
	}
	p.Data = v
	if err != nil {
		p.SetErr(err)
	}
	return s.render(w, r, status, "poc_round", p)
}

func (s *Server) pocRound(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showRound(w, r, http.StatusOK, id, nil)
}

// pocRoundAct opens or closes a round (the last segment of the path).
func (s *Server) pocRoundAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := UserFrom(r.Context())
	if strings.HasSuffix(r.URL.Path, "/open") {
		_, _, err = s.pocsSvc().Open(r.Context(), u, id)
	} else {
		_, err = s.pocsSvc().Close(r.Context(), u, id)
	}
	if de := formError(err); de != nil {
		return s.showRound(w, r, Status(de.Code), id, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/poc/rounds/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// pocAckView is the acknowledgement page: the form, or what was recorded,
// or why the link no longer counts.
type pocAckView struct {
	Token string
	Ack   pocs.Ack
	Done  bool
	Valid bool // the form is offered
}

// pocAckForm shows a button rather than acknowledging on GET: mail
// scanners open links, and must not spend them.
func (s *Server) pocAckForm(w http.ResponseWriter, r *http.Request) error {
	private(w)
	token := r.URL.Query().Get("token")
	a, err := s.pocsSvc().Check(r.Context(), token)
	p := s.newPage(r, "poc.ack_title", pocAckView{Token: token, Ack: a, Valid: err == nil})
	if de := formError(err); de != nil || concord.ErrorCode(err) == concord.ENotFound {
		p.SetErr(err)
		return s.render(w, r, http.StatusOK, "poc_ack", p)
	}
	if err != nil {
		return err
	}
	p.Form = url.Values{"by": {a.Ping.Name}}
	return s.render(w, r, http.StatusOK, "poc_ack", p)
}

func (s *Server) pocAck(w http.ResponseWriter, r *http.Request) error {
	private(w)
	if err := r.ParseForm(); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	a, err := s.pocsSvc().Acknowledge(r.Context(), token, r.PostForm.Get("by"))
	v := pocAckView{Token: token, Ack: a, Done: err == nil}
	p := s.newPage(r, "poc.ack_title", v)
	if de := formError(err); de != nil || concord.ErrorCode(err) == concord.ENotFound {
		// Said plainly; a first answer stays recorded.
		if de == nil {
			de = AsDomain(err)
		}
		if de.Field == "by" {
			v.Valid = true
			p.Data = v
			p.Form = r.PostForm
		}
		p.SetErr(err)
		return s.render(w, r, Status(de.Code), "poc_ack", p)
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "poc_ack", p)
}
