// Package statements runs the lists of speakers and the statements of the
// process's meetings (issue 12, doc/record.md): delegations inscribe, the
// Chair reorders, the Secretariat marks who spoke and records statements,
// a delegation submits its own statement's text; a statement's positions on
// a decision enter the decision's facts through decide.SubmitPosition, the
// same call the decision page uses. Pages and the API call it; the rules
// are the pure package statement, the order of a list procedure data.
package statements

import (
	"concord/agenda"
	"concord/decision"
	"concord/meeting"
	"concord/procedure"
	"concord/statement"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/apply"
	"concord/internal/decide"
	"concord/internal/store"
)

// PageSize is how many statements a list shows at a time; a meeting's page
// shows its first MeetingStatements.
const (
	PageSize          = 50
	MeetingStatements = 100
)

// Service runs the lists of speakers and statements of one process.
type Service struct {
	DB      *store.DB
	Process string
	Agendas *agendasvc.Service
}

// Target is the permission target of a speaker code: a State, or the
// organisation of a group or a stakeholder.
func Target(code string) concord.Target {
	switch statement.SpeakerKind(code) {
	case statement.SpeakerState:
		return concord.Target{State: code}
	case statement.SpeakerGroup, statement.SpeakerStakeholder:
		return concord.Target{OrgID: statement.OrgID(code)}
	}
	return concord.Target{}
}

// CanSpeakFor reports whether u may inscribe code or submit its statement.
func CanSpeakFor(u *concord.User, code string) bool {
	if statement.SpeakerKind(code) == statement.SpeakerChair {
		return concord.Can(u, concord.ActRecordStatements, concord.Target{})
	}
	return concord.Can(u, concord.ActSpeak, Target(code))
}

func forbidden(field string) error {
	return concord.Errorf(concord.EForbidden, field, "statement.error.forbidden", "a delegation speaks for itself only; the Secretariat inscribes and records anyone")
}

// normSpeaker writes a speaker code as decisions write it: ISO3 in
// capitals, group-N and org-N in lower case.
func normSpeaker(code string) string {
	code = strings.TrimSpace(code)
	if l := strings.ToLower(code); strings.HasPrefix(l, "group-") || strings.HasPrefix(l, "org-") || l == "chair" {
		return l
	}
	return strings.ToUpper(code)
}

// defaultSpeaker is whom u speaks for when the input names nobody: a
// delegate its State, a focal point its organisation (a group or a
// stakeholder, read through r).
func defaultSpeaker(r store.Reader, u *concord.User) (string, error) {
	switch {
	case u == nil:
		return "", nil
	case u.Role == concord.RoleDelegate:
		return u.State, nil
	case u.Role == concord.RoleFocalPoint && u.OrgID != 0:
		o, err := r.Organization(u.OrgID)
		if err != nil {
			return "", err
		}
		if o.Kind == concord.OrgNamedGroup {
			return decide.GroupCode(o.ID), nil
		}
		return "org-" + itoa(o.ID), nil
	}
	return "", nil
}

// participant reads what the process knows of a speaker: a registered
// State (member or observer), a named group of the registry, a stakeholder
// accredited to the process, the Chair.
func participant(r store.Reader, code string) (statement.Participant, error) {
	p := statement.Participant{Code: code}
	switch statement.SpeakerKind(code) {
	case statement.SpeakerChair:
		p.Known = true
	case statement.SpeakerState:
		states, err := r.States()
		if err != nil {
			return p, err
		}
		if i := slices.IndexFunc(states, func(s concord.State) bool { return s.ISO3 == code }); i >= 0 {
			p.Known, p.Observer = true, states[i].Status == "observer"
		}
	case statement.SpeakerGroup, statement.SpeakerStakeholder:
		o, err := r.Organization(statement.OrgID(code))
		if err != nil {
			if concord.ErrorCode(err) == concord.ENotFound {
				return p, nil
			}
			return p, err
		}
		if statement.SpeakerKind(code) == statement.SpeakerGroup {
			p.Known = o.Kind == concord.OrgNamedGroup
			break
		}
		if o.Kind != concord.OrgStakeholder {
			break
		}
		apps, err := r.Applications(store.ApplicationFilter{OrgID: o.ID, Status: "accredited"})
		if err != nil {
			return p, err
		}
		p.Known = len(apps) > 0
	}
	return p, nil
}

// itemOf finds item id on the agenda meeting m's session works on at now
// (agendasvc): nil with an error when the meeting has no agenda or the item
// is not on it.
func (s *Service) itemOf(r store.Reader, m meeting.Meeting, id string, now time.Time) (*agenda.Item, error) {
	noItem := concord.Errorf(concord.EInvalid, "item", "statement.error.item", "item %s is not on the agenda the meeting's session works on", id)
	if m.Session == "" {
		return nil, noItem
	}
	sess, err := s.Agendas.WorkingAgenda(r, m.Session, now)
	if err != nil {
		return nil, err
	}
	if sess.Basis == nil {
		return nil, noItem
	}
	for _, it := range sess.Basis.Doc.Items {
		if it.ID == id {
			return &it, nil
		}
	}
	return nil, noItem
}

// meeting reads a meeting of this process.
func (s *Service) meeting(r store.Reader, id int64) (meeting.Meeting, error) {
	m, err := r.Meeting(id)
	if err == nil && m.Process != s.Process {
		return m, concord.ErrNotFound
	}
	return m, err
}

// InscribeInput is a request for a place on a list of speakers.
type InscribeInput struct {
	Meeting int64
	Item    string // the item's stable id; "" for the meeting generally
	Speaker string // actor code; empty: the delegation u speaks for
	Reply   bool   // a right of reply
}

// inscribing is what an inscription works on.
type inscribing struct {
	m     meeting.Meeting
	p     statement.Participant
	list  []statement.Inscription
	after []statement.Inscription
	in    statement.Inscription
	errs  concord.Errors
}

// Inscribe puts a speaker on the list of a meeting's item at the place the
// process's order rule gives it. Every problem at once: a meeting cancelled
// or concluded, an item not on the session's working agenda, a speaker that
// does not take part, a speaker already inscribed (the unique key holds
// against a racing request too).
func (s *Service) Inscribe(ctx context.Context, u *concord.User, in InscribeInput) (statement.Inscription, error) {
	if !concord.Can(u, concord.ActSpeak, concord.Target{}) {
		return statement.Inscription{}, forbidden("")
	}
	w, err := apply.Write[inscribing]{Actor: u,
		Load: func(r store.Reader, now time.Time) (inscribing, error) {
			var v inscribing
			var err error
			if v.m, err = s.meeting(r, in.Meeting); err != nil {
				return v, err
			}
			code := normSpeaker(in.Speaker)
			if code == "" {
				if code, err = defaultSpeaker(r, u); err != nil {
					return v, err
				}
			}
			if v.p, err = participant(r, code); err != nil {
				return v, err
			}
			in.Item = strings.TrimSpace(in.Item)
			if in.Item != "" {
				if _, err := s.itemOf(r, v.m, in.Item, now); err != nil {
					v.errs.Add(err)
				}
			}
			v.list, err = r.List(v.m.ID, in.Item)
			return v, err
		},
		Allow: func(v inscribing) error {
			if !CanSpeakFor(u, v.p.Code) || statement.SpeakerKind(v.p.Code) == statement.SpeakerChair {
				return forbidden("speaker")
			}
			return nil
		},
		Change: func(v *inscribing, now time.Time) error {
			errs := v.errs
			errs.Add(statement.CanInscribe(v.m, v.list, v.p, in.Reply))
			if err := errs.Err(); err != nil {
				return err
			}
			v.in = statement.Inscription{Process: s.Process, Meeting: v.m.ID, Item: in.Item, Speaker: v.p.Code,
				Class: statement.ClassOf(v.p, in.Reply)}
			v.after = statement.Insert(procedure.SpeakersOrder(), v.list, v.in)
			for _, x := range v.after {
				if x.ID == 0 {
					v.in.Place = x.Place
				}
			}
			return nil
		},
		Save: func(tx *store.Tx, v *inscribing) error {
			if err := tx.AddInscription(&v.in); err != nil {
				return err
			}
			return tx.SetPlaces(v.list, v.after, "speakers.order")
		},
	}.Run(ctx, s.DB)
	return w.in, err
}

// reordering is what a move on a list works on.
type reordering struct {
	m     meeting.Meeting
	in    statement.Inscription
	list  []statement.Inscription
	after []statement.Inscription
	moved statement.Inscription
}

// Move puts inscription id at place to on its list: the Chair's (or the
// Secretariat's for the Chair) reordering. Not on a cancelled or concluded
// meeting, and not a speaker who has spoken.
func (s *Service) Move(ctx context.Context, u *concord.User, id int64, to int) (statement.Inscription, error) {
	if !concord.Can(u, concord.ActOrderSpeakers, concord.Target{}) {
		return statement.Inscription{}, concord.Errorf(concord.EForbidden, "", "statement.error.order_forbidden", "only the Chair (or the Secretariat) reorders a list of speakers")
	}
	v, err := apply.Write[reordering]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (reordering, error) {
			var v reordering
			var err error
			if v.in, err = r.Inscription(id); err != nil || v.in.Process != s.Process {
				return v, concord.ErrNotFound
			}
			if v.m, err = s.meeting(r, v.in.Meeting); err != nil {
				return v, err
			}
			v.list, err = r.List(v.in.Meeting, v.in.Item)
			return v, err
		},
		Change: func(v *reordering, _ time.Time) error {
			if v.m.Final() {
				key := map[meeting.Status]string{meeting.Cancelled: "statement.error.meeting_cancelled", meeting.Concluded: "statement.error.meeting_concluded"}[v.m.Status]
				return concord.Errorf(concord.EConflict, "meeting", key, "the meeting is %s", v.m.Status)
			}
			var err error
			if v.after, err = statement.Move(v.list, id, to); err != nil {
				return err
			}
			for _, x := range v.after {
				if x.ID == id {
					v.moved = x
				}
			}
			return nil
		},
		Save: func(tx *store.Tx, v *reordering) error { return tx.SetPlaces(v.list, v.after, "speakers.order") },
	}.Run(ctx, s.DB)
	return v.moved, err
}

// SpokeInput is the Secretariat's note that a speaker took the floor: when
// (zero: now), for how long, and optionally the statement to record.
type SpokeInput struct {
	At       time.Time
	Duration time.Duration
	// Record, when set, records the statement delivered with Texts (and
	// Kind; a right of reply's by default).
	Record bool
	Kind   statement.Kind
	Texts  concord.Text
	Unread concord.Errors
}

type speaking struct {
	m  meeting.Meeting
	in statement.Inscription
	st statement.Statement
	p  statement.Participant
}

// MarkSpoke records that an inscribed speaker spoke, and for how long; with
// Record it records the statement in the same write, linked both ways.
func (s *Service) MarkSpoke(ctx context.Context, u *concord.User, id int64, in SpokeInput) (statement.Inscription, Row, error) {
	if !concord.Can(u, concord.ActRecordStatements, concord.Target{}) {
		return statement.Inscription{}, Row{}, forbidden("")
	}
	v, err := apply.Write[speaking]{Actor: u,
		Load: func(r store.Reader, now time.Time) (speaking, error) {
			var v speaking
			var err error
			if v.in, err = r.Inscription(id); err != nil || v.in.Process != s.Process {
				return v, concord.ErrNotFound
			}
			if v.m, err = s.meeting(r, v.in.Meeting); err != nil {
				return v, err
			}
			v.p, err = participant(r, v.in.Speaker)
			return v, err
		},
		Change: func(v *speaking, now time.Time) error {
			at := in.At
			if at.IsZero() {
				at = now
			}
			var errs concord.Errors
			errs = append(errs, in.Unread...)
			var err error
			v.in, err = v.in.MarkSpoke(v.m, at, in.Duration)
			errs.Add(err)
			if in.Record {
				kind := in.Kind
				if kind == "" {
					kind = statement.Plain
					if v.in.Reply() {
						kind = statement.RightOfReply
					}
				}
				v.st = statement.Statement{Process: s.Process, Meeting: v.m.ID, Item: v.in.Item, Speaker: v.in.Speaker, Kind: kind,
					At: at, Texts: cleanTexts(in.Texts), Inscription: v.in.ID}
				if v.in.Item != "" {
					v.st.Session = v.m.Session
				}
				errs.Add(v.st.Validate(v.m, v.p))
			}
			return dedupe(errs).Err()
		},
		Save: func(tx *store.Tx, v *speaking) error {
			if in.Record {
				if err := tx.SaveStatement(&v.st, "statement.record"); err != nil {
					return err
				}
				v.in.Statement = v.st.ID
			}
			return tx.SaveInscription(&v.in, "speakers.spoke")
		},
	}.Run(ctx, s.DB)
	return v.in, Row{Statement: v.st, Meeting: v.m, OnRecord: statement.OnRecord(v.m, v.st.At)}, err
}

func cleanTexts(t concord.Text) concord.Text {
	out := concord.Text{}
	for l, s := range t {
		if s = strings.TrimSpace(s); s != "" {
			out[l] = s
		}
	}
	return out
}

// PositionInput is a structured position a statement carries: on a
// decision (Decision set), on a DTG topic (Topic set: "3/t2", a round's
// record id and the suggestion's id, or "topic:3/t2"), or on the
// statement's own agenda item.
type PositionInput struct {
	Decision int64
	Topic    string
	Kind     decision.PositionKind
	Text     string
}

// Input is a statement as recorded or submitted.
type Input struct {
	Meeting   int64
	Item      string
	Speaker   string // empty: the delegation u speaks for
	Kind      statement.Kind
	At        time.Time
	Texts     concord.Text
	Document  int64
	Positions []PositionInput
	Unread    concord.Errors
}

type recording struct {
	st        statement.Statement
	m         meeting.Meeting
	p         statement.Participant
	decisions map[int64]*store.Decision
	topics    map[string]TopicRef // by the input's reference, the topics found
	errs      concord.Errors
}

// Record stores a statement: the Secretariat any, a delegation its own
// (marked as submitted by it). The positions it carries on a decision enter
// the decision's facts in the same write, through decide.SubmitPosition
// with the statement as their source; those on its agenda item and on DTG
// topics (each checked to exist in the transaction) are kept with it.
// Every problem at once.
func (s *Service) Record(ctx context.Context, u *concord.User, in Input) (Row, error) {
	if !concord.Can(u, concord.ActSpeak, concord.Target{}) {
		return Row{}, forbidden("")
	}
	// Refused before the write opens: each position is looked up inside
	// it, under the store's write lock, and a body of 1 MiB holds tens of
	// thousands of them (Validate says the same later, with the rest).
	if len(in.Positions) > statement.MaxStances {
		return Row{}, concord.Errors{concord.Errorf(concord.EInvalid, "positions", "statement.error.positions_many", "at most %d positions", statement.MaxStances)}
	}
	v, err := apply.Write[recording]{Actor: u,
		Load: func(r store.Reader, now time.Time) (recording, error) {
			v := recording{decisions: map[int64]*store.Decision{}, topics: map[string]TopicRef{}}
			var err error
			if v.m, err = s.meeting(r, in.Meeting); err != nil {
				return v, err
			}
			code := normSpeaker(in.Speaker)
			if code == "" {
				if code, err = defaultSpeaker(r, u); err != nil {
					return v, err
				}
			}
			if v.p, err = participant(r, code); err != nil {
				return v, err
			}
			v.st = statement.Statement{Process: s.Process, Meeting: v.m.ID, Speaker: code, Kind: in.Kind, At: in.At,
				Texts: cleanTexts(in.Texts), Document: in.Document,
				Submitted: !concord.Can(u, concord.ActRecordStatements, concord.Target{})}
			v.errs = append(v.errs, in.Unread...)
			if it := strings.TrimSpace(in.Item); it != "" {
				v.st.Session, v.st.Item = v.m.Session, it
				if _, err := s.itemOf(r, v.m, it, now); err != nil {
					v.errs.Add(err)
				}
			}
			if in.Document != 0 {
				d, err := r.RecordDocument(in.Document)
				if err != nil || d.Process != s.Process {
					v.errs = append(v.errs, concord.Errorf(concord.EInvalid, "document", "statement.error.document", "no document %d", in.Document))
				}
			}
			for _, p := range in.Positions {
				if p.Topic != "" && p.Decision != 0 {
					// One subject a position: the topic would be dropped.
					v.errs = append(v.errs, concord.Errorf(concord.EInvalid, "positions", "statement.error.subject", "a position on decision %d and topic %s", p.Decision, p.Topic))
					continue
				}
				if _, seen := v.topics[p.Topic]; p.Topic == "" || seen {
					continue
				}
				// The topic must exist when the statement is written:
				// checked in the transaction.
				if t, err := s.checkTopic(r, p.Topic); err != nil {
					v.errs.Add(err)
				} else {
					v.topics[p.Topic] = t
				}
			}
			for _, p := range in.Positions {
				if p.Decision == 0 || v.decisions[p.Decision] != nil {
					continue
				}
				d, err := r.Decision(p.Decision)
				if err != nil || d.Process != s.Process {
					v.errs = append(v.errs, concord.Errorf(concord.EInvalid, "positions", "statement.error.decision", "no decision %d", p.Decision))
					continue
				}
				v.decisions[p.Decision] = &d
			}
			return v, nil
		},
		Allow: func(v recording) error {
			if !CanSpeakFor(u, v.st.Speaker) {
				return forbidden("speaker")
			}
			// A position, on a decision, an item or a topic, counts for
			// the speaker (and a group's for its members): it takes the
			// right to take positions for that speaker, not only to speak
			// (a group's focal point speaks for it; its appointed speaker
			// takes its positions).
			if len(in.Positions) > 0 {
				return decide.AllowPosition(u, v.st.Speaker)
			}
			return nil
		},
		Change: func(v *recording, now time.Time) error {
			errs := v.errs
			lang := firstLang(v.st.Texts)
			for _, p := range in.Positions {
				pos := decision.Position{Actor: v.st.Speaker, Kind: p.Kind, Text: strings.TrimSpace(p.Text)}
				if pos.Text != "" {
					pos.Lang = lang
				}
				if p.Decision == 0 && p.Topic != "" {
					t, ok := v.topics[p.Topic]
					if !ok {
						continue
					}
					pos.At = v.st.At.UTC().Truncate(time.Second)
					v.st.Stances = append(v.st.Stances, statement.Stance{Subject: t.Subject(), Position: pos})
					continue
				}
				if p.Decision == 0 {
					if v.st.Item == "" {
						errs = append(errs, concord.Errorf(concord.EInvalid, "positions", "statement.error.subject", "a position on an item needs the statement's item"))
						continue
					}
					pos.At = v.st.At.UTC().Truncate(time.Second)
					v.st.Stances = append(v.st.Stances, statement.Stance{Subject: statement.ItemSubject(v.st.Session, v.st.Item), Position: pos})
					continue
				}
				d := v.decisions[p.Decision]
				if d == nil {
					continue
				}
				// The decision page's own call: the engine checks the
				// position against the decision's policy and its time.
				taken, err := decide.SubmitPosition(d, decide.PositionInput{Actor: pos.Actor, Kind: pos.Kind, Text: pos.Text, Lang: pos.Lang}, now)
				if err != nil {
					errs.Add(err)
					continue
				}
				v.st.Stances = append(v.st.Stances, statement.Stance{Subject: statement.DecisionSubject(d.ID), Position: taken})
			}
			errs.Add(v.st.Validate(v.m, v.p))
			return dedupe(errs).Err()
		},
		Save: func(tx *store.Tx, v *recording) error {
			action := "statement.record"
			if v.st.Submitted {
				action = "statement.submit"
			}
			if err := tx.SaveStatement(&v.st, action); err != nil {
				return err
			}
			// The statement's id is the positions' source: set it on the
			// positions just appended (and on the statement's copy).
			src := statement.Source(v.st.ID)
			dirty := false
			for i := range v.st.Stances {
				st := &v.st.Stances[i]
				st.Position.Source = src
				if id := st.Decision(); id != 0 {
					facts := &v.decisions[id].Facts
					for j := range facts.Positions {
						if facts.Positions[j].Seq == st.Position.Seq {
							facts.Positions[j].Source = src
						}
					}
				}
				dirty = true
			}
			ids := make([]int64, 0, len(v.decisions))
			for id := range v.decisions {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				if err := tx.SaveDecision(v.decisions[id], "decision.position"); err != nil {
					return err
				}
			}
			if dirty {
				return tx.SaveStatement(&v.st, action)
			}
			return nil
		},
	}.Run(ctx, s.DB)
	return Row{Statement: v.st, Meeting: v.m, OnRecord: statement.OnRecord(v.m, v.st.At)}, err
}

func firstLang(t concord.Text) string {
	for _, l := range concord.Languages {
		if t[l] != "" {
			return l
		}
	}
	return ""
}

// fieldOrder is the order of the fields on the forms.
var fieldOrder = []string{"meeting", "item", "speaker", "kind", "at", "duration", "texts", "document", "positions"}

// dedupe drops an error repeated on the same field and key, in the forms'
// order.
func dedupe(errs concord.Errors) concord.Errors {
	seen := map[string]bool{}
	var out concord.Errors
	for _, e := range errs {
		k := e.Field + "\x00" + e.Key
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	rank := func(f string) int {
		f, _, _ = strings.Cut(f, ".")
		if i := slices.Index(fieldOrder, f); i >= 0 {
			return i
		}
		return len(fieldOrder)
	}
	slices.SortStableFunc(out, func(a, b *concord.Error) int { return rank(a.Field) - rank(b.Field) })
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type withdrawing struct {
	st        statement.Statement
	m         meeting.Meeting
	decisions []*store.Decision
	changed   []*store.Decision
}

// Withdraw withdraws statement id: by its speaker's delegation (or the
// organisation's focal point) or the Secretariat. The statement is kept,
// marked withdrawn (the audit holds what it was); its positions on its
// agenda item stop counting in the register, and each position it carried
// on a decision is withdrawn there with the existing withdrawal kind,
// sourced to the statement, when it is still the speaker's standing
// position and the decision still takes positions (a decision already
// taken keeps its record: a later withdrawal does not rewrite it).
func (s *Service) Withdraw(ctx context.Context, u *concord.User, id int64) (Row, error) {
	if !concord.Can(u, concord.ActSpeak, concord.Target{}) {
		return Row{}, forbidden("")
	}
	v, err := apply.Write[withdrawing]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (withdrawing, error) {
			var v withdrawing
			var err error
			if v.st, err = r.Statement(id); err != nil || v.st.Process != s.Process {
				return v, concord.ErrNotFound
			}
			if v.m, err = s.meeting(r, v.st.Meeting); err != nil {
				return v, err
			}
			for _, sc := range v.st.Stances {
				if did := sc.Decision(); did != 0 && !slices.ContainsFunc(v.decisions, func(d *store.Decision) bool { return d.ID == did }) {
					d, err := r.Decision(did)
					if err != nil {
						return v, err
					}
					v.decisions = append(v.decisions, &d)
				}
			}
			return v, nil
		},
		Allow: func(v withdrawing) error {
			if !CanSpeakFor(u, v.st.Speaker) {
				return forbidden("")
			}
			return nil
		},
		Change: func(v *withdrawing, now time.Time) error {
			var err error
			if v.st, err = v.st.Withdraw(now); err != nil {
				return err
			}
			src := statement.Source(v.st.ID)
			for _, d := range v.decisions {
				if !standing(d.Facts.Positions, v.st.Speaker, src) {
					continue
				}
				// Refused when the decision no longer takes positions: the
				// statement is withdrawn all the same.
				if _, err := decide.SubmitPosition(d, decide.PositionInput{Actor: v.st.Speaker, Kind: decision.PositionWithdrawal, Source: src}, now); err == nil {
					v.changed = append(v.changed, d)
				}
			}
			return nil
		},
		Save: func(tx *store.Tx, v *withdrawing) error {
			if err := tx.SaveStatement(&v.st, "statement.withdraw"); err != nil {
				return err
			}
			for _, d := range v.changed {
				if err := tx.SaveDecision(d, "decision.position"); err != nil {
					return err
				}
			}
			return nil
		},
	}.Run(ctx, s.DB)
	return Row{Statement: v.st, Meeting: v.m, OnRecord: statement.OnRecord(v.m, v.st.At)}, err
}

// standing reports whether actor's latest stance among positions (leaving
// explanations aside) is the one taken from source.
func standing(positions []decision.Position, actor, source string) bool {
	last := -1
	for i, p := range positions {
		if p.Actor == actor && p.Kind != decision.PositionExplanation && (last < 0 || !p.At.Before(positions[last].At)) {
			last = i
		}
	}
	return last >= 0 && positions[last].Source == source && positions[last].Kind != decision.PositionWithdrawal
}
