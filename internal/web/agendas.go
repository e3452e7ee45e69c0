package web

import (
	"concord/agenda"
	"concord/decision"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/i18n"
)

// The provisional agendas of the sessions (issue 5, application 1): the
// sessions and their versions, one version with its adoption, a session's
// agenda in force, the changes between two versions, and the forms to issue,
// edit and put a version to adoption. Positions and the Chair's act are on
// the linked decision's page.

func (s *Server) agendaRoutes() []Route {
	return []Route{
		{"GET", "/agendas", concord.ActRead, nil, "/agendas", s.agendasList},
		{"GET", "/agendas/new", concord.ActProposeDecision, nil, "/agendas/new", s.agendaNew},
		{"POST", "/agendas", concord.ActProposeDecision, nil, "/agendas", s.agendaCreate},
		{"GET", "/agendas/{id}", concord.ActRead, nil, "/agendas/1", s.agendaPage},
		{"GET", "/agendas/{id}/edit", concord.ActProposeDecision, nil, "/agendas/1/edit", s.agendaEdit},
		{"POST", "/agendas/{id}", concord.ActProposeDecision, nil, "/agendas/1", s.agendaUpdate},
		{"POST", "/agendas/{id}/adoption", concord.ActProposeDecision, nil, "/agendas/1/adoption", s.agendaPut},
		{"GET", "/sessions/{code}", concord.ActRead, nil, "/sessions/GM-2026-1", s.sessionPage},
		{"GET", "/sessions/{code}/diff", concord.ActRead, nil, "/sessions/GM-2026-1/diff", s.agendaDiff},
	}
}

// agendas is the agenda service over the server's decision service.
func (s *Server) agendas() *agendasvc.Service { return &agendasvc.Service{Decide: s.Decide} }

// agendasView lists the sessions and their agenda versions.
//
// view of template "agendas"
type agendasView struct {
	Sessions []agendasvc.Session
}

func (s *Server) agendasList(w http.ResponseWriter, r *http.Request) error {
	sessions, err := s.agendas().Sessions(r.Context())
	if err != nil {
		return err
	}
	p := s.newPage(r, "agendas.title", agendasView{Sessions: sessions})
	return s.render(w, r, http.StatusOK, "agendas", p)
}

// --- the form -------------------------------------------------------------

// formTitle is one language input of an item row.
type formTitle struct {
	Lang, Dir, Name, Value string
}

// formRow is one item row of the form.
type formRow struct {
	Index      int
	ID, Number string
	Titles     []formTitle
}

// Field names of a row, as the service names its fields ("items[2].number").
func rowField(i int, f string) string { return "items[" + strconv.Itoa(i) + "]." + f }

const (
	blankRows = 3 // empty rows offered below the items
	moreRows  = 5 // rows "Add rows" adds
	maxRows   = agendasvc.MaxItems + 20
)

// itemValues turns items into the form's values, with blank rows after.
func itemValues(items []agenda.Item) url.Values {
	v := url.Values{}
	for i, it := range items {
		v.Set(rowField(i, "id"), it.ID)
		v.Set(rowField(i, "number"), it.Number)
		for l, t := range it.Title {
			v.Set(rowField(i, "title."+l), t)
		}
	}
	v.Set("rows", strconv.Itoa(len(items)+blankRows))
	return v
}

// formRows reads the number of rows the form had (bounded) and builds them
// from the values; each row offers the page's language first.
func formRows(v url.Values, lang string) []formRow {
	langs := append([]string{lang}, slices.DeleteFunc(slices.Clone(concord.Languages), func(l string) bool { return l == lang })...)
	n, err := strconv.Atoi(v.Get("rows"))
	if err != nil || n < 1 {
		n = blankRows
	}
	if v.Get("more") != "" {
		n += moreRows
	}
	n = min(n, maxRows)
	rows := make([]formRow, n)
	for i := range rows {
		rows[i] = formRow{Index: i, ID: v.Get(rowField(i, "id")), Number: v.Get(rowField(i, "number"))}
		for _, l := range langs {
			rows[i].Titles = append(rows[i].Titles, formTitle{Lang: l, Dir: i18n.Dir(l), Name: rowField(i, "title."+l), Value: v.Get(rowField(i, "title."+l))})
		}
	}
	return rows
}

// rowItems turns the filled rows into items, skipping empty rows; at[k] is
// the row of item k, to put an error back on the row the user filled.
func rowItems(rows []formRow) (items []agendasvc.Item, at []int) {
	for _, row := range rows {
		it := agendasvc.Item{ID: row.ID, Number: row.Number, Title: concord.Text{}}
		empty := strings.TrimSpace(row.Number) == ""
		for _, t := range row.Titles {
			if strings.TrimSpace(t.Value) != "" {
				it.Title[t.Lang] = t.Value
				empty = false
			}
		}
		if !empty {
			items = append(items, it)
			at = append(at, row.Index)
		}
	}
	return items, at
}

var itemFieldRE = regexp.MustCompile(`^items\[(\d+)\]\.(.*)$`)

// rowError names the form control of a service error: the item's row, and
// for a title the page language's input.
func rowError(de *concord.Error, at []int, lang string) *concord.Error {
	c := *de
	if c.Field == "id" {
		c.Field = "" // the version itself: no control to point to
	}
	if m := itemFieldRE.FindStringSubmatch(c.Field); m != nil {
		k, _ := strconv.Atoi(m[1])
		if k < len(at) {
			c.Field = rowField(at[k], m[2])
		}
		if m[2] == "title" {
			c.Field += "." + lang
		}
	}
	return &c
}

// rowErrors is every error of err with its field named as the form's
// control (rowError).
func rowErrors(err error, at []int, lang string) error {
	var all, out concord.Errors
	all.Add(err)
	for _, de := range all {
		out.Add(rowError(de, at, lang))
	}
	return out.Err()
}

// agendaFormView is the form that issues or edits a version.
//
// view of template "agenda_form"
type agendaFormView struct {
	Session string
	Version *agendasvc.Version // the version edited; nil for a new one
	From    int                // the version a new one starts from (0: none)
	Rows    []formRow
	Action  string
}

// showAgendaForm shows the form with form's values, and every problem of a
// refused submission (perr) next to its row.
func (s *Server) showAgendaForm(w http.ResponseWriter, r *http.Request, status int, f agendaFormView, form url.Values, perr error) error {
	f.Rows = formRows(form, LangFrom(r.Context()))
	p := s.newPage(r, "agendas.new_title", f)
	if f.Version != nil {
		p.Title = p.T("agendas.edit_heading", "Session", f.Session, "N", f.Version.Doc.Version)
	} else if f.Session != "" {
		p.Title = p.T("agendas.new_heading", "Session", f.Session)
	}
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "agenda_form", p)
}

// agendaNew shows the form for a new version: pre-filled from the latest
// version of the session when there is one.
func (s *Server) agendaNew(w http.ResponseWriter, r *http.Request) error {
	raw := r.URL.Query().Get("session")
	f := agendaFormView{Action: "/agendas"}
	code, err := agendasvc.NormalizeSession(raw)
	if err != nil {
		v := url.Values{"session": {raw}, "rows": {strconv.Itoa(blankRows + 2)}}
		if raw == "" {
			return s.showAgendaForm(w, r, http.StatusOK, f, v, nil)
		}
		return s.showAgendaForm(w, r, http.StatusUnprocessableEntity, f, v, AsDomain(err))
	}
	f.Session = code
	v := url.Values{"rows": {strconv.Itoa(blankRows + 2)}}
	if sess, err := s.agendas().Session(r.Context(), code); err == nil {
		latest := sess.Latest()
		v = itemValues(latest.Doc.Items)
		f.From = latest.Doc.Version
	} else if concord.ErrorCode(err) != concord.ENotFound {
		return err
	}
	v.Set("session", code)
	return s.showAgendaForm(w, r, http.StatusOK, f, v, nil)
}

func (s *Server) agendaCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := r.PostForm
	f := agendaFormView{Action: "/agendas", Session: strings.TrimSpace(form.Get("session"))}
	if n, err := strconv.Atoi(form.Get("from")); err == nil {
		f.From = n
	}
	if form.Get("more") != "" {
		return s.showAgendaForm(w, r, http.StatusOK, f, form, nil)
	}
	items, at := rowItems(formRows(form, LangFrom(r.Context())))
	v, err := s.agendas().Create(r.Context(), UserFrom(r.Context()), agendasvc.Draft{Session: form.Get("session"), Items: items})
	if de := formError(err); de != nil {
		return s.showAgendaForm(w, r, Status(de.Code), f, form, rowErrors(err, at, LangFrom(r.Context())))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/agendas/%d?saved=1", LangFrom(r.Context()), v.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) agendaVersion(r *http.Request) (agendasvc.Version, error) {
	id, err := pathID(r)
	if err != nil {
		return agendasvc.Version{}, err
	}
	return s.agendas().Get(r.Context(), id)
}

func (s *Server) agendaEdit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.agendaVersion(r)
	if err != nil {
		return err
	}
	f := agendaFormView{Session: v.Scope, Version: &v, Action: fmt.Sprintf("/agendas/%d", v.ID)}
	if v.PutToAdoption() {
		// Shown, so that the user reads why; saving is refused.
		return s.showAgendaForm(w, r, http.StatusConflict, f, itemValues(v.Doc.Items),
			concord.Errorf(concord.EConflict, "", "agendas.error.locked", "put to adoption"))
	}
	return s.showAgendaForm(w, r, http.StatusOK, f, itemValues(v.Doc.Items), nil)
}

func (s *Server) agendaUpdate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.agendaVersion(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := r.PostForm
	f := agendaFormView{Session: v.Scope, Version: &v, Action: fmt.Sprintf("/agendas/%d", v.ID)}
	if form.Get("more") != "" {
		return s.showAgendaForm(w, r, http.StatusOK, f, form, nil)
	}
	items, at := rowItems(formRows(form, LangFrom(r.Context())))
	_, err = s.agendas().Update(r.Context(), UserFrom(r.Context()), v.ID, items)
	if de := formError(err); de != nil {
		return s.showAgendaForm(w, r, Status(de.Code), f, form, rowErrors(err, at, LangFrom(r.Context())))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/agendas/%d?saved=1", LangFrom(r.Context()), v.ID), http.StatusSeeOther)
	return nil
}

// --- one version ----------------------------------------------------------

// recordEntry is one State or group in the summary of the record.
type recordEntry struct {
	Names   concord.Text
	Code    string
	Members int // for a group: the members its position applies to
	Text    string
	Lang    string
}

// recordLine is one kind of position in the summary: the groups that took
// it, the States that took it themselves, and how many States it covers.
type recordLine struct {
	Kind    decision.PositionKind
	Class   string
	States  int
	Entries []recordEntry
}

// recordSummary condenses the record of agreement and divergence: a group's
// position is one line with the number of members it speaks for, not one
// line per member.
func recordSummary(rec decision.Record, states map[string]concord.State, groups []decision.Group) []recordLine {
	groupNames := map[string]concord.Text{}
	for _, g := range groups {
		groupNames[g.Code] = g.Names
	}
	var out []recordLine
	for _, c := range []struct {
		kind    decision.PositionKind
		entries []decision.Entry
	}{
		{decision.PositionSupport, rec.Supported}, {decision.PositionNoObjection, rec.NoObjection}, {decision.PositionObjection, rec.Objected},
		{decision.PositionReservation, rec.Reserved}, {decision.PositionDissociation, rec.Dissociated}, {decision.PositionAbstention, rec.Abstained},
	} {
		if len(c.entries) == 0 {
			continue
		}
		line := recordLine{Kind: c.kind, Class: positionClass(c.kind), States: len(c.entries)}
		via := map[string]int{}
		for _, e := range c.entries {
			if e.Via != "" {
				via[e.Via]++
			}
		}
		for _, g := range rec.Groups {
			if g.Kind == c.kind && via[g.State] > 0 {
				line.Entries = append(line.Entries, recordEntry{Names: groupNames[g.State], Code: g.State, Members: via[g.State], Text: g.Text, Lang: g.Lang})
			}
		}
		for _, e := range c.entries {
			if e.Via == "" {
				line.Entries = append(line.Entries, recordEntry{Names: states[e.State].Names, Code: e.State, Text: e.Text, Lang: e.Lang})
			}
		}
		out = append(out, line)
	}
	return out
}

// pendingLine is one language an agenda version still lacks, with the
// numbers of the items concerned.
type pendingLine struct {
	Lang  string
	Items []string
}

// pendingByLanguage groups translation-pending warnings by language.
func pendingByLanguage(a agenda.Agenda, warnings []decision.Reason) []pendingLine {
	number := map[string]string{}
	for _, it := range a.Items {
		number[it.ID] = it.Number
		if it.ID == "" {
			number[it.Number] = it.Number
		}
	}
	var out []pendingLine
	for _, l := range concord.Languages {
		var items []string
		for _, w := range warnings {
			if w.Key == "agenda.warning.translation_pending" && w.Args["lang"] == l {
				items = append(items, number[w.Args["item"]])
			}
		}
		if len(items) > 0 {
			out = append(out, pendingLine{Lang: l, Items: items})
		}
	}
	return out
}

// agendaView is one version with its adoption.
//
// view of template "agenda"
type agendaView struct {
	V       agendasvc.Version
	Session agendasvc.Session
	Pending []pendingLine
	Basis   bool // the version is the one the session works on
	// The record of the adoption decision, once put to adoption.
	Record []recordLine
	Silent int
	// CanPut offers putting the version to adoption; WhyNot is the
	// message id of why not, for those who could.
	CanPut    bool
	WhyNot    string
	Outcome   string
	Statement concord.Text // the Chair's statement with the deciding act
}

func (s *Server) agendaPage(w http.ResponseWriter, r *http.Request) error {
	return s.showAgenda(w, r, http.StatusOK, nil)
}

func (s *Server) showAgenda(w http.ResponseWriter, r *http.Request, status int, perr *concord.Error) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, sess, err := s.agendas().WithSession(ctx, id)
	if err != nil {
		return err
	}
	data := agendaView{V: v, Session: sess, Pending: pendingByLanguage(v.Doc, v.Warnings), Basis: sess.Basis.ID == v.ID}
	if v.Decision != nil {
		states, err := s.DB.ListStates(ctx)
		if err != nil {
			return err
		}
		byCode := make(map[string]concord.State, len(states))
		for _, st := range states {
			byCode[st.ISO3] = st
		}
		data.Record = recordSummary(v.Adoption.Decision.Record, byCode, v.Decision.Facts.Groups)
		data.Silent = len(v.Adoption.Decision.Record.Silent)
	}
	if err := sess.CanPutToAdoption(v); err == nil {
		data.CanPut = true
	} else if de := AsDomain(err); concord.Can(UserFrom(ctx), concord.ActProposeDecision, concord.Target{}) {
		data.WhyNot = de.Key
	}
	p := s.newPage(r, "agendas.title", nil)
	p.Title = p.T("agendas.version_heading", "Session", v.Scope, "N", v.Doc.Version)
	if v.Adoption != nil {
		res := v.Adoption.Decision
		at := res.DecidedAt
		if at.IsZero() {
			at = v.Decision.Facts.ProposedAt
		}
		key := "agendas.outcome." + string(v.State)
		if v.Pending() {
			key = "agendas.outcome.pending"
		}
		// The date is isolated left to right: in an Arabic sentence its
		// hyphens would otherwise reverse the order of its parts.
		data.Outcome = p.T(key, "Date", "\u2066"+p.Day(at)+"\u2069")
		// The Chair's statement with the act that decided, if any.
		if acts := v.Decision.Facts.Acts; len(acts) > 0 && len(acts[len(acts)-1].Text) > 0 {
			data.Statement = acts[len(acts)-1].Text
		}
	}
	p.Data = data
	p.Err = perr
	return s.render(w, r, status, "agenda", p)
}

func (s *Server) agendaPut(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.agendas().PutToAdoption(r.Context(), UserFrom(r.Context()), id)
	if de := formError(err); de != nil {
		return s.showAgenda(w, r, Status(de.Code), de)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/%s/agendas/%d?saved=1", LangFrom(r.Context()), id), http.StatusSeeOther)
	return nil
}

// --- a session ------------------------------------------------------------

// basisMessage says in one sentence which agenda the session works on.
func basisMessage(sess agendasvc.Session) (key string, args []any) {
	b := sess.Basis
	n := b.Doc.Version
	switch {
	case b.State == agenda.Adopted:
		return "agendas.basis.adopted", []any{"N", n}
	case sess.Informal:
		return "agendas.basis.informal", []any{"N", n}
	case b.Pending():
		return "agendas.basis.pending", []any{"N", n}
	}
	// The latest version is the basis; an earlier attempt may have failed.
	for i := len(sess.Versions) - 1; i >= 0; i-- {
		if v := sess.Versions[i]; v.PutToAdoption() {
			if v.State == agenda.Deferred {
				return "agendas.basis.deferred", []any{"N", n, "M", v.Doc.Version}
			}
			return "agendas.basis.not_adopted", []any{"N", n, "M", v.Doc.Version}
		}
	}
	return "agendas.basis.provisional", []any{"N", n}
}

// sessionView is a session with the agenda it works on.
//
// view of template "session"
type sessionView struct {
	Session  agendasvc.Session
	Basis    string // which agenda the session works on, in a sentence
	Pending  []pendingLine
	Newer    []agendasvc.Version
	From, To int // the versions the diff link compares
}

func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.agendas().Session(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	key, args := basisMessage(sess)
	p := s.newPage(r, "agendas.title", nil)
	p.Title = p.T("agendas.session_heading", "Session", sess.Code)
	p.Data = sessionView{Session: sess, Basis: p.T(key, args...), Pending: pendingByLanguage(sess.Basis.Doc, sess.Basis.Warnings),
		Newer: sess.Newer(), From: max(1, sess.Latest().Doc.Version-1), To: sess.Latest().Doc.Version}
	for _, it := range sess.Basis.Doc.Items {
		p.Feeds = append(p.Feeds, FeedLink{p.URL(itemFeedPath(sess.Code, it)),
			p.T("feed.item", "Number", it.Number, "Session", sess.Code, "Item", p.L(it.Title).Text)})
	}
	return s.render(w, r, http.StatusOK, "session", p)
}

// --- the diff ---------------------------------------------------------------

// segment is a run of text kept, deleted or inserted.
type segment struct {
	Op   string // "eq", "del", "ins"
	Text string
}

// tokens splits a title into words, spaces and punctuation, and Han, kana
// and Hangul characters one by one (those scripts write no spaces), so that
// the diff marks whole words.
func tokens(s string) []string {
	var out []string
	var cur strings.Builder
	kind := 0 // 1 word, 2 space
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
		kind = 0
	}
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if kind != 1 {
				flush()
				kind = 1
			}
			cur.WriteRune(r)
		case unicode.IsSpace(r):
			if kind != 2 {
				flush()
				kind = 2
			}
			cur.WriteRune(r)
		default:
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

// maxDiffCells bounds the word diff's table; longer texts are shown as one
// deletion and one insertion.
const maxDiffCells = 1 << 20

// wordDiff marks what changed from a to b, word by word (longest common
// subsequence), then folds short runs of common words between two changes
// into the changes, so that a reworded phrase reads as one deletion and one
// insertion rather than a patchwork of words.
func wordDiff(a, b string) []segment {
	x, y := tokens(a), tokens(b)
	if (len(x)+1)*(len(y)+1) > maxDiffCells {
		return foldDiff([]diffBlock{{del: a, ins: b}})
	}
	// at(i, j): length of the common subsequence of x[i:] and y[j:], in
	// one flat table.
	w := len(y) + 1
	l := make([]int32, (len(x)+1)*w)
	at := func(i, j int) int32 { return l[i*w+j] }
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i*w+j] = at(i+1, j+1) + 1
			} else {
				l[i*w+j] = max(at(i+1, j), at(i, j+1))
			}
		}
	}
	var blocks []diffBlock
	change := func() *diffBlock {
		if n := len(blocks); n > 0 && !blocks[n-1].same {
			return &blocks[n-1]
		}
		blocks = append(blocks, diffBlock{})
		return &blocks[len(blocks)-1]
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			if n := len(blocks); n > 0 && blocks[n-1].same {
				blocks[n-1].eq += x[i]
			} else {
				blocks = append(blocks, diffBlock{same: true, eq: x[i]})
			}
			i, j = i+1, j+1
		case j == len(y) || (i < len(x) && at(i+1, j) >= at(i, j+1)):
			change().del += x[i]
			i++
		default:
			change().ins += y[j]
			j++
		}
	}
	return foldDiff(blocks)
}

// diffBlock is a run of common text (same) or a change: what was deleted
// and what was inserted in its place.
type diffBlock struct {
	same     bool
	eq       string
	del, ins string
}

func (b diffBlock) size() int {
	return max(utf8.RuneCountInString(b.del), utf8.RuneCountInString(b.ins))
}

// foldDiff merges a common run into the changes around it when it is no
// longer than either of them (the semantic clean-up of diff-match-patch),
// then writes the segments: each change as its deletion, then its
// insertion.
func foldDiff(blocks []diffBlock) []segment {
	for folded := true; folded; {
		folded = false
		for k := 1; k+1 < len(blocks); k++ {
			prev, eq, next := blocks[k-1], blocks[k], blocks[k+1]
			if !eq.same || prev.same || next.same {
				continue
			}
			n := utf8.RuneCountInString(eq.eq)
			if n <= prev.size() && n <= next.size() || strings.TrimFunc(eq.eq, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) == "" {
				blocks[k-1] = diffBlock{del: prev.del + eq.eq + next.del, ins: prev.ins + eq.eq + next.ins}
				blocks = append(blocks[:k], blocks[k+2:]...)
				folded = true
				k--
			}
		}
	}
	var out []segment
	for _, b := range blocks {
		if b.same {
			out = append(out, segment{"eq", b.eq})
			continue
		}
		if b.del != "" {
			out = append(out, segment{"del", b.del})
		}
		if b.ins != "" {
			out = append(out, segment{"ins", b.ins})
		}
	}
	return out
}

// diffLang is one language of one changed item.
type diffLang struct {
	Lang, Dir string
	Segments  []segment
}

// diffItem is one changed item as the page shows it.
type diffItem struct {
	agenda.Change
	Langs []diffLang
}

// agendaDiffView is the changes between two versions of a session's agenda.
//
// view of template "agenda_diff"
type agendaDiffView struct {
	Session  agendasvc.Session
	From, To int
	Only     string          // the one language shown, "" for all
	Diff     *agendasvc.Diff // nil when the versions could not be compared
	Items    []diffItem
}

func (s *Server) agendaDiff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, err := s.agendas().Session(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	to, from := sess.Latest().Doc.Version, 0
	status := http.StatusOK
	var perr *concord.Error
	for _, x := range []struct {
		name string
		n    *int
	}{{"to", &to}, {"from", &from}} {
		if v := q.Get(x.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil && perr == nil {
				perr = concord.Errorf(concord.EInvalid, x.name, "agendas.error.no_version", "not a version number")
			}
			*x.n = n
		}
	}
	if from == 0 {
		from = max(1, to-1)
	}
	only := q.Get("language")
	if only != "" && !concord.IsLanguage(only) {
		only = ""
	}
	p := s.newPage(r, "agendas.title", nil)
	data := agendaDiffView{Session: sess, From: from, To: to, Only: only}
	if perr == nil {
		d, err := sess.Compare(from, to)
		if de := formError(err); de != nil {
			perr = de
		} else if err != nil {
			return err
		} else {
			var items []diffItem
			for _, c := range d.Changes {
				it := diffItem{Change: c}
				for _, l := range c.Languages {
					if only != "" && l.Lang != only {
						continue
					}
					it.Langs = append(it.Langs, diffLang{Lang: l.Lang, Dir: i18n.Dir(l.Lang), Segments: wordDiff(l.From, l.To)})
				}
				if len(it.Langs) > 0 || c.Renumbered {
					items = append(items, it)
				}
			}
			data.Diff = &d
			data.Items = items
		}
	}
	if perr != nil {
		status = Status(perr.Code)
		p.Err = perr
	}
	p.Title = p.T("agendas.diff_heading", "Session", sess.Code, "From", from, "To", to)
	p.Form = q
	p.Data = data
	return s.render(w, r, status, "agenda_diff", p)
}

// LangLabel is a language's name in the page's language.
func (p *Page) LangLabel(l string) string { return p.T("agendas.lang." + l) }

// Join lists short values (item numbers) with the page language's
// separator.
func (p *Page) Join(items []string) string {
	sep := ", "
	switch p.Lang {
	case "ar":
		sep = "، "
	case "zh":
		sep = "、"
	}
	return strings.Join(items, sep)
}

// PendingItems names the items a language still lacks ("item 6", "items
// 5, 6").
func (p *Page) PendingItems(items []string) string {
	if len(items) == 1 {
		return p.T("agendas.pending_item", "Items", items[0])
	}
	return p.T("agendas.pending_items", "Items", p.Join(items))
}
