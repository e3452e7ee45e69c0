// Package agenda runs the provisional agendas of a process's sessions
// (domain brief §7.3, §5 row 10): the Chair or the Secretariat issues
// numbered versions of a session's agenda, with items in up to six
// languages; a version is put to adoption at the opening of the session as
// a decision under the agenda rule in force; and the outcome (adopted, or not
// adopted and the session proceeds informally) decides which agenda the
// session works on. Pages and the API both call it; the rules of adoption
// are the pure agenda.Adopt.
package agendasvc

import (
	"cmp"
	"concord/agenda"
	"concord/decision"
	"concord/rule"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/internal/apply"
	"concord/internal/decide"
	"concord/internal/store"
)

// Limits on what a version may hold: a real agenda has a dozen items with
// one-line titles; the limits stop a runaway form or client, not a Chair.
const (
	MaxItems       = 200
	MaxNumberRunes = 20
	MaxTitleRunes  = 2000
)

// Service runs agendas. It shares the decision service's store and process,
// so that putting a version to adoption and the decision it opens are one
// transaction on one store.
type Service struct {
	Decide *decide.Service
}

func (s *Service) db() *store.DB { return s.Decide.DB }

func (s *Service) process() string { return s.Decide.Process }

// Version is one stored agenda version with its state now.
type Version struct {
	store.Record[agenda.Agenda]
	// Policy is the agenda rule the version was put to adoption under, or,
	// until then, the rule in force now.
	Policy agenda.Policy
	State  agenda.State
	// Adoption is the outcome of its adoption; nil until it is put to
	// adoption. Decision is the linked decision.
	Adoption *agenda.AdoptionResult
	Decision *store.Decision
	// Warnings are the translations still pending, when the rule requires
	// all six languages.
	Warnings []decision.Reason
}

// PutToAdoption reports whether the version was put to adoption.
func (v Version) PutToAdoption() bool { return v.DecisionID != 0 }

// Pending reports whether the version is under adoption with no outcome yet.
func (v Version) Pending() bool { return v.Adoption != nil && !v.Adoption.Decision.Final() }

// Session is a session's agenda: every version, and the one the session
// works on.
type Session struct {
	Code     string
	Versions []Version // oldest first
	// Basis is the version the session works on: the adopted version; the
	// version whose adoption failed when the session proceeds informally on
	// it; otherwise the latest version, provisional.
	Basis *Version
	// Informal: the agenda was not adopted and the session proceeds
	// informally on the basis of Basis.
	Informal bool
}

// Latest is the session's latest version.
func (s Session) Latest() *Version { return &s.Versions[len(s.Versions)-1] }

// State is the state of the agenda the session works on.
func (s Session) State() agenda.State { return s.Basis.State }

// Newer lists the versions issued after Basis (circulated, not yet the
// basis of the session's work).
func (s Session) Newer() []Version {
	for i := range s.Versions {
		if s.Versions[i].ID == s.Basis.ID {
			return s.Versions[i+1:]
		}
	}
	return nil
}

// Adopted reports whether a version of the session was adopted; no later
// version may then be issued or put to adoption.
func (s Session) Adopted() bool { return s.Basis.State == agenda.Adopted }

// CanPutToAdoption reports whether v may be put to adoption now: it is the
// latest version, it was not put to adoption yet, no version is under
// adoption and none was adopted. The error says which rule stands in the
// way.
func (s Session) CanPutToAdoption(v Version) error {
	st := agenda.Standing{Session: s.Code, Adopted: s.Adopted(), Latest: v.ID == s.Latest().ID,
		OtherPending: slices.ContainsFunc(s.Versions, Version.Pending)}
	return st.CanPutToAdoption(v.Doc, v.PutToAdoption())
}

// Item is an agenda item as entered: a number, an optional stable id (kept
// from the version it was copied from) and its title per language.
type Item struct {
	ID     string
	Number string
	Title  concord.Text
}

// Draft is a new version as entered.
type Draft struct {
	Session string
	Items   []Item
}

var (
	sessionRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]{1,39}$`)
	itemIDRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
)

// NormalizeSession returns a session code in its stored form (trimmed,
// upper case), or an error naming the field.
func NormalizeSession(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if !sessionRE.MatchString(c) {
		return "", concord.Errorf(concord.EInvalid, "session", "agendas.error.session", "a session code is 2 to 40 letters, digits, dots, hyphens or underscores")
	}
	return c, nil
}

func (s *Service) allowed(u *concord.User) error {
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair or the Secretariat issue agendas")
	}
	return nil
}

// clean checks and normalises the items as entered: trimmed numbers and
// titles, empty language versions dropped, numbers unique, limits kept. The
// pure Agenda.Validate checks the rest (at least one item, known languages).
func clean(in []Item) ([]agenda.Item, error) {
	if len(in) > MaxItems {
		return nil, concord.Errorf(concord.EInvalid, "items", "agendas.error.too_many_items", "an agenda has at most %d items", MaxItems)
	}
	// Every row's problems at once, so that the form marks each row.
	var errs concord.Errors
	out := make([]agenda.Item, len(in))
	numbers := map[string]bool{}
	ids := map[string]bool{}
	for i, it := range in {
		f := "items[" + strconv.Itoa(i) + "]"
		n := strings.TrimSpace(it.Number)
		if utf8.RuneCountInString(n) > MaxNumberRunes {
			errs.Add(concord.Errorf(concord.EInvalid, f+".number", "agendas.error.number_long", "an item number has at most %d characters", MaxNumberRunes))
		} else if n != "" && numbers[n] {
			errs.Add(concord.Errorf(concord.EInvalid, f+".number", "agendas.error.duplicate_number", "item number %q appears twice", n))
		}
		numbers[n] = true
		id := strings.TrimSpace(it.ID)
		if id != "" && (!itemIDRE.MatchString(id) || ids[id]) {
			errs.Add(concord.Errorf(concord.EInvalid, f+".id", "agendas.error.item_id", "item id %q is malformed or repeated", id))
		}
		ids[id] = id != ""
		title := concord.Text{}
		long := false
		for l, t := range it.Title {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			if utf8.RuneCountInString(t) > MaxTitleRunes {
				long = true
			}
			title[l] = t
		}
		if long {
			errs.Add(concord.Errorf(concord.EInvalid, f+".title", "agendas.error.title_long", "an item title has at most %d characters", MaxTitleRunes))
		} else if len(title) == 0 && n != "" {
			errs.Add(concord.Errorf(concord.EInvalid, f+".title", "agendas.error.title", "item %s needs a title in at least one language", n))
		}
		out[i] = agenda.Item{ID: id, Number: n, Title: title}
	}
	// The items as read go back with the errors, so that the caller can
	// check them as a version too.
	return out, errs.Err()
}

// assignIDs gives every item a stable id, so that the diff follows an item
// that is renumbered: an item without one takes the id of the previous
// version's item with the same number, or a new one.
func assignIDs(items []agenda.Item, prev []agenda.Item, all []store.Record[agenda.Agenda]) {
	used := map[string]bool{}
	next := 0
	note := func(id string) {
		if n, err := strconv.Atoi(strings.TrimPrefix(id, "item-")); err == nil && strings.HasPrefix(id, "item-") && n > next {
			next = n
		}
	}
	for _, it := range items {
		used[it.ID] = it.ID != ""
		note(it.ID)
	}
	for _, r := range all {
		for _, it := range r.Doc.Items {
			note(it.ID)
		}
	}
	byNumber := map[string]string{}
	for _, it := range prev {
		byNumber[it.Number] = it.ID
	}
	for i := range items {
		if items[i].ID != "" {
			continue
		}
		if id := byNumber[items[i].Number]; id != "" && !used[id] {
			items[i].ID = id
		} else {
			next++
			items[i].ID = "item-" + strconv.Itoa(next)
		}
		used[items[i].ID] = true
	}
}

// Create issues the next version of a session's agenda (numbered 1, 2, ...
// per session). No version may be issued once the session's agenda is
// adopted.
func (s *Service) Create(ctx context.Context, u *concord.User, in Draft) (Version, error) {
	if err := s.allowed(u); err != nil {
		return Version{}, err
	}
	// The session and every item at once; the items also as a version
	// would hold them (a row with a title and no number).
	var errs concord.Errors
	code, err := NormalizeSession(in.Session)
	errs.Add(err)
	items, err := clean(in.Items)
	errs.Add(err)
	if len(items) > 0 || err == nil {
		// An item clean already faulted is not reported twice (a repeated
		// number is also a repeated item).
		row := func(field string) string { r, _, _ := strings.Cut(field, "."); return r }
		var more concord.Errors
		more.Add(agenda.Agenda{Version: 1, Items: items}.Validate())
		for _, e := range more {
			if !slices.ContainsFunc(errs, func(x *concord.Error) bool { return row(x.Field) == row(e.Field) }) {
				errs.Add(e)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return Version{}, err
	}
	type issuing struct {
		sess Session
		rec  store.Record[agenda.Agenda]
	}
	x, err := apply.Write[issuing]{Actor: u,
		Load: func(r store.Reader, now time.Time) (issuing, error) {
			sess, err := s.loadSession(r, code, now)
			return issuing{sess: sess}, err
		},
		Change: func(x *issuing, now time.Time) error {
			sess := x.sess
			a := agenda.Agenda{Session: code, Version: 1, Issued: now.UTC(), Items: items}
			var prev []agenda.Item
			var all []store.Record[agenda.Agenda]
			if len(sess.Versions) > 0 {
				if sess.Adopted() {
					return concord.Errorf(concord.EConflict, "session", "agendas.error.adopted", "the agenda of %s is adopted", code)
				}
				latest := sess.Latest()
				a.Version = latest.Doc.Version + 1
				prev = latest.Doc.Items
				for _, v := range sess.Versions {
					all = append(all, v.Record)
				}
			}
			if err := a.Validate(); err != nil {
				return err
			}
			assignIDs(a.Items, prev, all)
			x.rec = store.Record[agenda.Agenda]{Process: s.process(), Kind: decide.KindAgenda, Scope: code, Doc: a}
			return nil
		},
		Save: func(tx *store.Tx, x *issuing) error { return store.SaveRecord(tx, &x.rec, "agenda.issue", true) }}.Run(ctx, s.db())
	if err != nil {
		return Version{}, err
	}
	return s.Get(ctx, x.rec.ID)
}

// Update replaces the items of a version not yet put to adoption; once it
// is, the version is part of the record and a new version must be issued.
func (s *Service) Update(ctx context.Context, u *concord.User, id int64, in []Item) (Version, error) {
	if err := s.allowed(u); err != nil {
		return Version{}, err
	}
	items, err := clean(in)
	if err != nil {
		return Version{}, err
	}
	type editing struct {
		rec store.Record[agenda.Agenda]
		all []store.Record[agenda.Agenda] // the session's versions
	}
	_, err = apply.Write[editing]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (editing, error) {
			var x editing
			var err error
			if x.rec, err = store.GetRecord[agenda.Agenda](r, decide.KindAgenda, id); err != nil {
				return x, err
			}
			if x.rec.Process != s.process() {
				return x, concord.ErrNotFound
			}
			x.all, err = store.Records[agenda.Agenda](r, s.process(), decide.KindAgenda, x.rec.Scope)
			return x, err
		},
		Change: func(x *editing, _ time.Time) error {
			if x.rec.DecisionID != 0 {
				return concord.Errorf(concord.EConflict, "id", "agendas.error.locked", "%s was put to adoption and can no longer be edited; issue a new version", x.rec.Doc.Label())
			}
			a := x.rec.Doc
			a.Items = items
			if err := a.Validate(); err != nil {
				return err
			}
			assignIDs(a.Items, x.rec.Doc.Items, x.all)
			x.rec.Doc = a
			return nil
		},
		Save: func(tx *store.Tx, x *editing) error { return store.SaveRecord(tx, &x.rec, "agenda.edit", true) }}.Run(ctx, s.db())
	if err != nil {
		return Version{}, err
	}
	return s.Get(ctx, id)
}

// decisionTitle names the adoption decision in the six languages.
func decisionTitle(a agenda.Agenda) concord.Text {
	c, n := a.Session, strconv.Itoa(a.Version)
	return concord.Text{
		"ar": "إقرار جدول الأعمال المؤقت للدورة " + c + "، النسخة " + n,
		"zh": "通过 " + c + " 会议临时议程第" + n + "版",
		"en": "Adoption of the provisional agenda of " + c + ", version " + n,
		"fr": "Adoption de l’ordre du jour provisoire de la session " + c + ", version " + n,
		"ru": "Утверждение предварительной повестки дня сессии " + c + ", версия " + n,
		"es": "Aprobación del programa provisional del período de sesiones " + c + ", versión " + n,
	}
}

// PutToAdoption opens the decision on a version's adoption, under the
// agenda rule in force now, and links it to the version with the rule's
// version. Positions and the Chair's act then go through the decision.
func (s *Service) PutToAdoption(ctx context.Context, u *concord.User, id int64) (Version, error) {
	if err := s.allowed(u); err != nil {
		return Version{}, err
	}
	type putting struct {
		sess   Session
		rule   rule.Version // the agenda rule in force
		policy *agenda.Policy
		parts  decide.Participants
		r      store.Record[agenda.Agenda]
	}
	_, err := apply.Write[putting]{Actor: u,
		Load: func(r store.Reader, now time.Time) (putting, error) {
			var x putting
			rec, err := store.GetRecord[agenda.Agenda](r, decide.KindAgenda, id)
			if err != nil {
				return x, err
			}
			if x.sess, err = s.loadSession(r, rec.Scope, now); err != nil {
				return x, err
			}
			if x.rule, x.policy, err = decide.RuleInForce[*agenda.Policy](r, s.process(), agenda.RuleCode, now); err != nil {
				return x, err
			}
			x.parts, err = decide.LoadParticipants(r)
			return x, err
		},
		Change: func(x *putting, _ time.Time) error {
			i := slices.IndexFunc(x.sess.Versions, func(v Version) bool { return v.ID == id })
			if i < 0 {
				return concord.ErrNotFound
			}
			if err := x.sess.CanPutToAdoption(x.sess.Versions[i]); err != nil {
				return err
			}
			x.r = x.sess.Versions[i].Record
			x.r.Doc.Rule = x.rule.Version
			return nil
		},
		Save: func(tx *store.Tx, x *putting) error {
			_, err := decide.Open(tx, x.parts, decide.Proposal{Kind: decision.KindAgendaAdoption, Title: decisionTitle(x.r.Doc),
				Proposal: x.r.Doc.Proposal(), Policy: x.policy.Decision(), ProposedBy: decision.ActorChair}, &x.r, "agenda.put_to_adoption")
			return err
		}}.Run(ctx, s.db())
	if err != nil {
		return Version{}, err
	}
	return s.Get(ctx, id)
}

// Get returns one version with its state now.
func (s *Service) Get(ctx context.Context, id int64) (Version, error) {
	rec, err := store.GetRecord[agenda.Agenda](s.db().Read(ctx), decide.KindAgenda, id)
	if err != nil {
		return Version{}, err
	}
	if rec.Process != s.process() {
		return Version{}, concord.ErrNotFound
	}
	vs, err := s.evaluate(s.db().Read(ctx), s.db().Now(), []store.Record[agenda.Agenda]{rec})
	if err != nil {
		return Version{}, err
	}
	return vs[0], nil
}

// WithSession returns one version and its session, each version with its
// state now.
func (s *Service) WithSession(ctx context.Context, id int64) (Version, Session, error) {
	rec, err := store.GetRecord[agenda.Agenda](s.db().Read(ctx), decide.KindAgenda, id)
	if err != nil {
		return Version{}, Session{}, err
	}
	if rec.Process != s.process() {
		return Version{}, Session{}, concord.ErrNotFound
	}
	sess, err := s.Session(ctx, rec.Scope)
	if err != nil {
		return Version{}, Session{}, err
	}
	for _, v := range sess.Versions {
		if v.ID == id {
			return v, sess, nil
		}
	}
	return Version{}, Session{}, concord.ErrNotFound
}

// Versions returns the versions of one session (every session when code is
// empty), oldest first, with their states.
func (s *Service) Versions(ctx context.Context, code string) ([]Version, error) {
	recs, err := store.Records[agenda.Agenda](s.db().Read(ctx), s.process(), decide.KindAgenda, code)
	if err != nil {
		return nil, err
	}
	return s.evaluate(s.db().Read(ctx), s.db().Now(), recs)
}

// Session returns a session's agenda (ErrNotFound when it has no version).
func (s *Service) Session(ctx context.Context, code string) (Session, error) {
	c, err := NormalizeSession(code)
	if err != nil {
		return Session{}, concord.ErrNotFound
	}
	vs, err := s.Versions(ctx, c)
	if err != nil {
		return Session{}, err
	}
	if len(vs) == 0 {
		return Session{}, concord.ErrNotFound
	}
	return inForce(c, vs), nil
}

// Sessions returns every session that has an agenda, by code.
func (s *Service) Sessions(ctx context.Context) ([]Session, error) {
	vs, err := s.Versions(ctx, "")
	if err != nil {
		return nil, err
	}
	by := map[string][]Version{}
	for _, v := range vs {
		by[v.Scope] = append(by[v.Scope], v)
	}
	out := make([]Session, 0, len(by))
	for code, list := range by {
		out = append(out, inForce(code, list))
	}
	slices.SortFunc(out, func(a, b Session) int { return cmp.Compare(a.Code, b.Code) })
	return out, nil
}

// loadSession reads a session's versions through r, with their states at
// now (an empty session when it has none yet): a write's Load step.
func (s *Service) loadSession(r store.Reader, code string, now time.Time) (Session, error) {
	recs, err := store.Records[agenda.Agenda](r, s.process(), decide.KindAgenda, code)
	if err != nil {
		return Session{}, err
	}
	vs, err := s.evaluate(r, now, recs)
	if err != nil || len(vs) == 0 {
		return Session{Code: code}, err
	}
	return inForce(code, vs), nil
}

// evaluate computes each record's state at now: one query for the rules
// and one for the linked decisions, whatever the number of versions.
func (s *Service) evaluate(r store.Reader, now time.Time, recs []store.Record[agenda.Agenda]) ([]Version, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	var ids []int64
	for _, r := range recs {
		if r.DecisionID != 0 {
			ids = append(ids, r.DecisionID)
		}
	}
	now = now.UTC()
	rules, err := r.RuleVersions(s.process())
	if err != nil {
		return nil, err
	}
	ds, err := r.DecisionsByID(ids)
	if err != nil {
		return nil, err
	}
	current := agenda.DefaultPolicy()
	if v, ok := rule.InForce(rules, agenda.RuleCode, now); ok {
		if p, ok := v.Policy.(*agenda.Policy); ok {
			current = *p
		}
	}
	out := make([]Version, len(recs))
	for i, r := range recs {
		v := Version{Record: r, Policy: current, State: agenda.Provisional}
		if r.DecisionID == 0 {
			if current.RequireAllLanguages {
				for _, m := range r.Doc.Missing() {
					v.Warnings = append(v.Warnings, decision.Reason{Key: "agenda.warning.translation_pending", Args: map[string]string{"item": m.Item, "lang": m.Lang}})
				}
			}
			out[i] = v
			continue
		}
		d, ok := ds[r.DecisionID]
		if !ok {
			return nil, concord.ErrNotFound
		}
		v.Policy = ruleVersion(rules, r.Doc.Rule, d.Policy)
		res, err := agenda.Adopt(v.Policy, r.Doc, d.Facts, now)
		if err != nil {
			return nil, err
		}
		v.State, v.Adoption, v.Decision, v.Warnings = res.State, &res, &d, res.Warnings
		out[i] = v
	}
	return out, nil
}

// ruleVersion finds the agenda rule of the given version; should it be gone,
// the decision's own policy stands for it (it was copied from the rule).
func ruleVersion(rules []rule.Version, version int, dp decision.Policy) agenda.Policy {
	for _, v := range rules {
		if p, ok := v.Policy.(*agenda.Policy); ok && v.Code == agenda.RuleCode && v.Version == version {
			return *p
		}
	}
	p := agenda.DefaultPolicy()
	p.Code, p.Version, p.Effective, p.Modality, p.Period, p.ProceedInformally, p.NoConsensus = dp.Code, dp.Version, dp.Effective, dp.Modality, dp.Period, dp.ProceedInformally, dp.NoConsensus
	return p
}

// inForce works out the agenda a session works on from its versions,
// oldest first (at least one).
func inForce(code string, vs []Version) Session {
	s := Session{Code: code, Versions: vs}
	latest := &s.Versions[len(vs)-1]
	var last *Version // the latest version put to adoption
	for i := range s.Versions {
		v := &s.Versions[i]
		if v.State == agenda.Adopted {
			s.Basis = v
			return s
		}
		if v.PutToAdoption() {
			last = v
		}
	}
	switch {
	case last != nil && last.Pending():
		s.Basis = last
	case last != nil && last.State == agenda.NotAdoptedProceedInformally:
		s.Basis, s.Informal = last, true
	default:
		s.Basis = latest
	}
	return s
}

// Diff compares two versions of a session, by number.
type Diff struct {
	Session  string
	From, To Version
	Changes  []agenda.Change
}

// Compare returns the changes from version from to version to of a
// session.
func (s *Service) Compare(ctx context.Context, code string, from, to int) (Diff, error) {
	sess, err := s.Session(ctx, code)
	if err != nil {
		return Diff{}, err
	}
	return sess.Compare(from, to)
}

// Compare returns the changes from version from to version to.
func (sess Session) Compare(from, to int) (Diff, error) {
	d := Diff{Session: sess.Code}
	for _, x := range []struct {
		field string
		n     int
		v     *Version
	}{{"from", from, &d.From}, {"to", to, &d.To}} {
		i := slices.IndexFunc(sess.Versions, func(v Version) bool { return v.Doc.Version == x.n })
		if i < 0 {
			return Diff{}, concord.Errorf(concord.EInvalid, x.field, "agendas.error.no_version", "%s has no version %d", sess.Code, x.n)
		}
		*x.v = sess.Versions[i]
	}
	d.Changes = agenda.Diff(d.From.Doc, d.To.Doc)
	return d, nil
}

// WorkingAgenda is the agenda session code works on, read through r at
// now (inside a write's Load, or the pool's Reader): what a statement or an
// inscription names its item against. An empty session (Basis nil) when
// it has no version.
func (s *Service) WorkingAgenda(r store.Reader, code string, now time.Time) (Session, error) {
	return s.loadSession(r, code, now)
}
