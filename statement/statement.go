// Package statement is what is said in the room (issue 12, doc/record.md):
// the list of speakers of a meeting's agenda item, ordered under the
// process's rule (groups on behalf of their members, then Member States,
// then observer States, stakeholders in their own segment, rights of reply
// at the end), and the statements delivered, each with its speaker as an
// actor code, its kind, the instant it was delivered, its texts in up to six
// languages (CommonMark) or a record document, and the structured positions
// it carries, which are decision.Position values: one model of positions.
// Whether a statement is part of the official record is derived from the
// meeting's segments, never stored. Pure: no I/O, no clock.
package statement

import (
	"concord"
	"concord/decision"
	"concord/document"
	"concord/meeting"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what sort of statement it is.
type Kind string

// Kinds of statement.
const (
	Plain                 Kind = "statement"
	GeneralStatement      Kind = "general_statement"
	ExplanationOfPosition Kind = "explanation_of_position"
	RightOfReply          Kind = "right_of_reply"
	PointOfOrder          Kind = "point_of_order"
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []Kind{Plain, GeneralStatement, ExplanationOfPosition, RightOfReply, PointOfOrder}

// Class is which segment of the list of speakers a speaker belongs to.
type Class string

// Classes of speaker, as UN practice orders them.
const (
	ClassGroup       Class = "group"       // a group speaking on behalf of its members
	ClassMember      Class = "member"      // a Member State
	ClassObserver    Class = "observer"    // an observer State
	ClassStakeholder Class = "stakeholder" // an accredited stakeholder, in its own segment
	ClassReply       Class = "reply"       // a right of reply, at the end of the day
)

// Classes lists every class.
var Classes = []Class{ClassGroup, ClassMember, ClassObserver, ClassStakeholder, ClassReply}

// OrderRule is the order of the segments of a list of speakers: a rule of
// the process, kept as procedure data (package procedure), so that a
// process that orders otherwise changes data, not code.
type OrderRule struct {
	Segments []Class
}

// DefaultOrder is UN practice: groups speaking on behalf of their members
// first, then Member States, then observer States; stakeholders in their
// own segment after the States; rights of reply at the end of the day.
func DefaultOrder() OrderRule {
	return OrderRule{Segments: []Class{ClassGroup, ClassMember, ClassObserver, ClassStakeholder, ClassReply}}
}

// Rank is the place of class c in the rule (an unknown class last).
func (r OrderRule) Rank(c Class) int {
	if i := slices.Index(r.Segments, c); i >= 0 {
		return i
	}
	return len(r.Segments)
}

var (
	iso3  = regexp.MustCompile(`^[A-Z]{3}$`)
	group = regexp.MustCompile(`^group-[1-9][0-9]*$`)
	org   = regexp.MustCompile(`^org-[1-9][0-9]*$`)
)

// Speaker kinds, as SpeakerKind names them.
const (
	SpeakerState       = "state"
	SpeakerGroup       = "group"
	SpeakerStakeholder = "stakeholder"
	SpeakerChair       = "chair"
)

// SpeakerKind says what a speaker code names: a State's ISO3, a group
// ("group-12"), a stakeholder ("org-34") or the Chair ("chair"); "" for
// anything else. The codes are the ones decisions and documents use.
func SpeakerKind(code string) string {
	switch {
	case code == document.AuthorChair:
		return SpeakerChair
	case iso3.MatchString(code):
		return SpeakerState
	case group.MatchString(code):
		return SpeakerGroup
	case org.MatchString(code):
		return SpeakerStakeholder
	}
	return ""
}

// OrgID is the registry id a group or stakeholder code names (0 otherwise).
func OrgID(code string) int64 {
	_, n, ok := strings.Cut(code, "-")
	if !ok {
		return 0
	}
	id, _ := strconv.ParseInt(n, 10, 64)
	return id
}

// Participant is what the process knows of a speaker: whether it takes
// part in the meeting and, for a State, whether it is a Member State or an
// observer. The service reads it from the registry and accreditation.
type Participant struct {
	Code     string
	Known    bool // a registered State, a named group, an accredited stakeholder
	Observer bool // an observer State
}

// ClassOf is the segment a participant speaks in (reply: a right of reply).
func ClassOf(p Participant, reply bool) Class {
	switch {
	case reply:
		return ClassReply
	case SpeakerKind(p.Code) == SpeakerGroup:
		return ClassGroup
	case SpeakerKind(p.Code) == SpeakerStakeholder:
		return ClassStakeholder
	case p.Observer:
		return ClassObserver
	}
	return ClassMember
}

// Inscription is one place on the list of speakers of a meeting's item.
type Inscription struct {
	ID      int64
	Process string
	Meeting int64
	Item    string // the item's stable id ("" : the meeting generally)
	Speaker string // actor code
	Class   Class
	Place   int // 1-based, the order of the list
	At      time.Time
	// Spoke is set by the Secretariat once the speaker took the floor, with
	// how long it spoke and the statement recorded, if any.
	Spoke     bool
	SpokeAt   time.Time     `json:",omitzero"`
	Duration  time.Duration `json:",omitzero"`
	Statement int64         `json:",omitzero"`
}

// Reply reports whether the inscription is for a right of reply.
func (in Inscription) Reply() bool { return in.Class == ClassReply }

// CanInscribe says whether a speaker may be inscribed on a meeting's list
// (m) for an item, given the list as it stands: not on a cancelled or
// concluded meeting, only a participant, not twice for the same item (a
// right of reply is a place of its own). Every problem at once.
func CanInscribe(m meeting.Meeting, list []Inscription, p Participant, reply bool) error {
	var errs concord.Errors
	switch m.Status {
	case meeting.Cancelled:
		errs = append(errs, concord.Errorf(concord.EConflict, "meeting", "statement.error.meeting_cancelled", "the meeting is cancelled"))
	case meeting.Concluded:
		errs = append(errs, concord.Errorf(concord.EConflict, "meeting", "statement.error.meeting_concluded", "the meeting is concluded"))
	}
	errs = append(errs, checkSpeaker(m, p, false)...)
	for _, in := range list {
		if in.Speaker == p.Code && in.Reply() == reply {
			errs = append(errs, concord.Errorf(concord.EConflict, "speaker", "statement.error.inscribed_twice", "%s is already on the list of speakers for this item", p.Code))
			break
		}
	}
	return errs.Err()
}

// checkSpeaker: a known speaker code, a participant, a stakeholder only at
// a meeting stakeholders attend, the Chair only when chair is allowed (it
// delivers statements; it is not inscribed).
func checkSpeaker(m meeting.Meeting, p Participant, chair bool) concord.Errors {
	var errs concord.Errors
	k := SpeakerKind(p.Code)
	switch {
	case k == "" || (k == SpeakerChair && !chair):
		errs = append(errs, concord.Errorf(concord.EInvalid, "speaker", "statement.error.speaker", "unknown speaker %q", p.Code))
	case k == SpeakerChair:
	case !p.Known:
		errs = append(errs, concord.Errorf(concord.EInvalid, "speaker", "statement.error.not_participant", "%s does not take part in this meeting", p.Code))
	case k == SpeakerStakeholder && m.Attendance == meeting.StatesOnly:
		errs = append(errs, concord.Errorf(concord.EInvalid, "speaker", "statement.error.states_only", "only States attend this meeting"))
	}
	return errs
}

// Place is where a new inscription of class c goes on list (ordered by
// Place): after every place of its segment or an earlier one, before the
// first of a later segment that has not spoken yet. 1-based.
func Place(r OrderRule, list []Inscription, c Class) int {
	rank := r.Rank(c)
	at := len(list) + 1
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Spoke || r.Rank(list[i].Class) <= rank {
			break
		}
		at = i + 1
	}
	return at
}

// Insert puts in at the place the rule gives it and renumbers the list;
// it returns the new list, ordered.
func Insert(r OrderRule, list []Inscription, in Inscription) []Inscription {
	p := Place(r, list, in.Class)
	out := slices.Insert(slices.Clone(list), p-1, in)
	for i := range out {
		out[i].Place = i + 1
	}
	return out
}

// Move puts inscription id at place to (1-based, clamped to the list): the
// Chair's reordering. It returns the list renumbered, or an error when id
// is not on it or has already spoken.
func Move(list []Inscription, id int64, to int) ([]Inscription, error) {
	i := slices.IndexFunc(list, func(in Inscription) bool { return in.ID == id })
	if i < 0 {
		return nil, concord.ErrNotFound
	}
	if list[i].Spoke {
		return nil, concord.Errorf(concord.EConflict, "place", "statement.error.already_spoke", "%s has already spoken", list[i].Speaker)
	}
	to = min(max(to, 1), len(list))
	in := list[i]
	out := slices.Delete(slices.Clone(list), i, i+1)
	out = slices.Insert(out, to-1, in)
	for j := range out {
		out[j].Place = j + 1
	}
	return out, nil
}

// MaxDuration bounds the time a speaker is recorded to have spoken.
const MaxDuration = 4 * time.Hour

// MarkSpoke records that in's speaker took the floor at at for d.
func (in Inscription) MarkSpoke(m meeting.Meeting, at time.Time, d time.Duration) (Inscription, error) {
	var errs concord.Errors
	if in.Spoke {
		errs = append(errs, concord.Errorf(concord.EConflict, "", "statement.error.already_spoke", "%s has already spoken", in.Speaker))
	}
	if m.Status == meeting.Cancelled {
		errs = append(errs, concord.Errorf(concord.EConflict, "meeting", "statement.error.meeting_cancelled", "the meeting is cancelled"))
	}
	if d <= 0 || d > MaxDuration {
		errs = append(errs, concord.Errorf(concord.EInvalid, "duration", "statement.error.duration", "the time spoken is from 1 second to %d hours", int(MaxDuration.Hours())))
	}
	if err := errs.Err(); err != nil {
		return in, err
	}
	in.Spoke, in.SpokeAt, in.Duration = true, at.UTC().Truncate(time.Second), d.Truncate(time.Second)
	return in, nil
}

// Texts is a statement's text per language, CommonMark.
type Texts = concord.Text

// ItemSubject is the subject string of a position on an agenda item:
// "item:GM-2026-1/item-5".
func ItemSubject(session, item string) string { return "item:" + session + "/" + item }

// DecisionSubject is the subject string of a position on a decision.
func DecisionSubject(id int64) string { return "decision:" + strconv.FormatInt(id, 10) }

// TopicSubject is the subject string of a position on a DTG topic: the
// topic round's record id and the suggestion's id within it,
// "topic:3/t2" (topic.Suggestion.ID). The topics service names a topic
// this way on its pages.
func TopicSubject(round int64, id string) string {
	return "topic:" + strconv.FormatInt(round, 10) + "/" + id
}

// topicRef is the form of a topic reference after "topic:".
var topicRef = regexp.MustCompile(`^([1-9][0-9]{0,17})/(t[1-9][0-9]{0,5})$`)

// ParseTopic reads a topic reference, "3/t2" or "topic:3/t2", into the
// round's id and the suggestion's id; ok is false when it is malformed.
func ParseTopic(ref string) (round int64, id string, ok bool) {
	m := topicRef.FindStringSubmatch(strings.TrimPrefix(strings.TrimSpace(ref), "topic:"))
	if m == nil {
		return 0, "", false
	}
	round, err := strconv.ParseInt(m[1], 10, 64)
	return round, m[2], err == nil
}

// Source is the source of a position a statement carries ("statement:12"),
// as decision.Position.Source records it.
func Source(id int64) string { return "statement:" + strconv.FormatInt(id, 10) }

// Stance is a position a statement carries with the subject it is on: the
// position itself is a decision.Position (one model of positions). On a
// decision it is also appended to the decision's facts.
type Stance struct {
	Subject  string
	Position decision.Position
}

// Decision is the decision id a subject names (0 when it names none).
func (s Stance) Decision() int64 {
	n, ok := strings.CutPrefix(s.Subject, "decision:")
	if !ok {
		return 0
	}
	id, _ := strconv.ParseInt(n, 10, 64)
	return id
}

// Topic is the topic round and suggestion a subject names (0 and "" when
// it names none or is malformed).
func (s Stance) Topic() (round int64, id string) {
	ref, ok := strings.CutPrefix(s.Subject, "topic:")
	if !ok {
		return 0, ""
	}
	round, id, _ = ParseTopic(ref)
	return round, id
}

// Statement is one statement delivered at a meeting.
type Statement struct {
	ID      int64
	Process string
	Meeting int64
	// Session and Item name the agenda item it was delivered on, when any.
	Session string `json:",omitzero"`
	Item    string `json:",omitzero"`
	Speaker string
	Kind    Kind
	At      time.Time
	Texts   Texts `json:",omitzero"`
	// Document is the record document that holds the statement, if any.
	Document int64 `json:",omitzero"`
	// Stances are the structured positions it carries.
	Stances []Stance `json:",omitzero"`
	// Inscription is the place on the list of speakers it was delivered
	// from, when there was one.
	Inscription int64 `json:",omitzero"`
	// Submitted is set when the delegation submitted its own text (rather
	// than the Secretariat recording it).
	Submitted bool `json:",omitzero"`
	// Withdrawn is when its speaker's delegation (or the Secretariat)
	// withdrew it: kept, marked, and its positions no longer count.
	Withdrawn time.Time `json:",omitzero"`
	Created   time.Time
	Updated   time.Time
}

// Limits on a statement.
const (
	MaxTextRunes = 100000
	MaxStances   = 20
)

// Validate checks a statement against its meeting and returns every
// problem at once: a known kind and speaker who takes part, a delivery
// time within the meeting, text in known languages and/or a document, its
// positions well formed.
func (s Statement) Validate(m meeting.Meeting, p Participant) error {
	var errs concord.Errors
	bad := func(field, key, format string, args ...any) {
		errs = append(errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
	}
	if m.Status == meeting.Cancelled {
		errs = append(errs, concord.Errorf(concord.EConflict, "meeting", "statement.error.meeting_cancelled", "the meeting is cancelled"))
	}
	errs = append(errs, checkSpeaker(m, p, true)...)
	if !slices.Contains(Kinds, s.Kind) {
		bad("kind", "statement.error.kind", "unknown kind of statement %q", s.Kind)
	}
	switch {
	case s.At.IsZero():
		bad("at", "statement.error.at", "a statement needs the time it was delivered")
	case s.At.Before(m.Start) || s.At.After(m.End):
		bad("at", "statement.error.at_outside", "the statement was not delivered during the meeting")
	}
	has := s.Document != 0
	for l, t := range s.Texts {
		if !concord.IsLanguage(l) {
			bad("texts", "statement.error.language", "unknown language %q", l)
			continue
		}
		if strings.TrimSpace(t) != "" {
			has = true
		}
		if utf8.RuneCountInString(t) > MaxTextRunes {
			bad("texts."+l, "statement.error.text_long", "a text has at most %d characters", MaxTextRunes)
		}
	}
	if !has {
		bad("texts", "statement.error.content", "a statement needs a text in one language or a document")
	}
	if len(s.Stances) > MaxStances {
		bad("positions", "statement.error.positions_many", "at most %d positions", MaxStances)
	}
	for _, st := range s.Stances {
		switch {
		case strings.HasPrefix(st.Subject, "topic:") && !topicRef.MatchString(strings.TrimPrefix(st.Subject, "topic:")):
			bad("positions", "statement.error.topic", "no topic %q", strings.TrimPrefix(st.Subject, "topic:"))
		case st.Decision() == 0 && !strings.HasPrefix(st.Subject, "item:") && !strings.HasPrefix(st.Subject, "topic:"):
			bad("positions", "statement.error.subject", "unknown subject %q", st.Subject)
		case !slices.Contains(decision.PositionKinds, st.Position.Kind):
			bad("positions", "statement.error.position_kind", "unknown position %q", st.Position.Kind)
		case st.Position.Actor != s.Speaker:
			bad("positions", "statement.error.position_actor", "a statement carries its speaker's positions only")
		}
	}
	return errs.Err()
}

// Live reports whether the statement stands (not withdrawn).
func (s Statement) Live() bool { return s.Withdrawn.IsZero() }

// Positions is how many positions the statement counts for in the
// positions register: its stances while it stands, none once withdrawn.
func (s Statement) Positions() int {
	if !s.Live() {
		return 0
	}
	return len(s.Stances)
}

// Withdraw marks the statement withdrawn at now. Its stances stay as the
// history of what it said; the register stops counting them, and the
// service withdraws its positions on decisions with the withdrawal kind.
func (s Statement) Withdraw(now time.Time) (Statement, error) {
	if !s.Live() {
		return s, concord.Errorf(concord.EConflict, "", "statement.error.withdrawn", "the statement was already withdrawn")
	}
	s.Withdrawn = now.UTC().Truncate(time.Second)
	return s, nil
}

// OnRecord reports whether a statement delivered at at is part of the
// official record of meeting m: not when at lies inside an informal segment
// (§1.4 point 5; a session that could not adopt its agenda goes on
// informally). Derived, never stored.
func OnRecord(m meeting.Meeting, at time.Time) bool {
	for _, sg := range m.Segments {
		if !sg.Formal && !at.Before(sg.Start) && at.Before(sg.End) {
			return false
		}
	}
	return true
}

// Order sorts a list by place (then id), as stored.
func Order(list []Inscription) {
	slices.SortFunc(list, func(a, b Inscription) int {
		if a.Place != b.Place {
			return a.Place - b.Place
		}
		return int(a.ID - b.ID)
	})
}

// MessageKeys lists every message key this package emits and the labels of
// its kinds and classes, for the catalogue test.
func MessageKeys() []string {
	keys := []string{"statement.error.meeting_cancelled", "statement.error.meeting_concluded", "statement.error.inscribed_twice",
		"statement.error.speaker", "statement.error.not_participant", "statement.error.states_only", "statement.error.already_spoke",
		"statement.error.duration", "statement.error.kind", "statement.error.at", "statement.error.at_outside", "statement.error.language",
		"statement.error.text_long", "statement.error.content", "statement.error.positions_many", "statement.error.subject",
		"statement.error.position_kind", "statement.error.position_actor", "statement.error.withdrawn", "statement.error.topic"}
	for _, k := range Kinds {
		keys = append(keys, "statement.kind."+string(k))
	}
	for _, c := range Classes {
		keys = append(keys, "statement.class."+string(c))
	}
	return keys
}
