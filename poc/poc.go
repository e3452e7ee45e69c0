// Package poc is the Points of Contact directory (issue 13, domain brief
// §3.3, §7.7): each State's diplomatic and technical POCs, who may see the
// directory, and the ping test that checks the POCs answer. A ping round is
// scheduled, opened (every POC receives a personal acknowledgement link)
// and closed at its deadline; an acknowledgement counts once, and only
// before the deadline. The package is pure: the store keeps what it says,
// internal/pocs runs it.
package poc

import (
	"net/mail"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
)

// Kind is what a POC is for.
type Kind string

// The two kinds of POC of GA decision 78/541.
const (
	Diplomatic Kind = "diplomatic"
	Technical  Kind = "technical"
)

// Kinds lists the kinds in the order pages show them.
var Kinds = []Kind{Diplomatic, Technical}

// POC is one point of contact of a State.
type POC struct {
	ID        int64    `json:"id"`
	Process   string   `json:"process"`
	State     string   `json:"state"` // ISO3
	Kind      Kind     `json:"kind"`
	Name      string   `json:"name"`
	Function  string   `json:"function"` // title and office
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Languages []string `json:"languages"` // the six languages it works in
	Hours     string   `json:"hours"`     // when it answers, as the State words it
	// Bounced is the last bounce of its address, until the State edits
	// the POC (a new address, or the same one confirmed).
	Bounced *Bounce   `json:"bounced,omitempty"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Rule is how many POCs a State may nominate: data of the process, so that
// another body may allow more.
type Rule struct {
	MaxPerKind int `json:"max_per_kind"`
	// RemindBefore is how long before a round's deadline the POCs that
	// have not answered are reminded, once.
	RemindBefore time.Duration `json:"remind_before"`
}

// DefaultRule is the Global Mechanism's: two of each kind (a POC and an
// alternate), reminders a day before the deadline.
var DefaultRule = Rule{MaxPerKind: 2, RemindBefore: 24 * time.Hour}

// Field limits.
const (
	maxName  = 200
	maxPhone = 40
	maxHours = 200
)

func invalid(field, key, msg string) *concord.Error {
	return concord.Errorf(concord.EInvalid, field, key, "%s", msg)
}

// Validate reports every problem of p at once.
func (p POC) Validate() error {
	var errs concord.Errors
	if len(p.State) != 3 || strings.ToUpper(p.State) != p.State {
		errs = append(errs, invalid("state", "poc.error.state", "a POC belongs to a State"))
	}
	if !slices.Contains(Kinds, p.Kind) {
		errs = append(errs, invalid("kind", "poc.error.kind", "choose diplomatic or technical"))
	}
	if n := utf8.RuneCountInString(p.Name); n == 0 || n > maxName {
		errs = append(errs, invalid("name", "poc.error.name", "a name of 1 to 200 characters is required"))
	}
	if n := utf8.RuneCountInString(p.Function); n == 0 || n > maxName {
		errs = append(errs, invalid("function", "poc.error.function", "a function of 1 to 200 characters is required"))
	}
	if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || len(p.Email) > 254 {
		errs = append(errs, invalid("email", "poc.error.email", "not an email address"))
	}
	if !validPhone(p.Phone) {
		errs = append(errs, invalid("phone", "poc.error.phone", "a telephone number in international form (+41 22 917 1234)"))
	}
	if len(p.Languages) == 0 {
		errs = append(errs, invalid("languages", "poc.error.languages", "choose at least one language"))
	}
	for _, l := range p.Languages {
		if !slices.Contains(concord.Languages, l) {
			errs = append(errs, invalid("languages", "poc.error.languages", "unknown language "+l))
			break
		}
	}
	if utf8.RuneCountInString(p.Hours) > maxHours {
		errs = append(errs, invalid("hours", "poc.error.hours", "hours of at most 200 characters"))
	}
	return errs.Err()
}

// validPhone accepts "+" then digits, spaces, dots, dashes and brackets,
// 7 to 15 digits (E.164).
func validPhone(s string) bool {
	if !strings.HasPrefix(s, "+") || len(s) > maxPhone {
		return false
	}
	digits := 0
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" .-()", r):
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// CheckNomination says whether u may save p (new, or an edit of an
// existing POC) beside the State's other POCs: a State nominates its own,
// at most MaxPerKind of each kind. It reports the permission first (a
// nomination for another State is refused whatever it holds), then every
// problem of the POC at once.
func (r Rule) CheckNomination(u *concord.User, p POC, others []POC) error {
	if !concord.Can(u, concord.ActManagePOCs, concord.Target{State: p.State}) {
		return concord.Errorf(concord.EForbidden, "", "poc.error.not_own", "a State nominates its own points of contact only")
	}
	var errs concord.Errors
	errs.Add(p.Validate())
	n := 0
	for _, o := range others {
		if o.ID != p.ID && o.State == p.State && o.Kind == p.Kind {
			n++
		}
		if o.ID != p.ID && o.State == p.State && strings.EqualFold(o.Email, p.Email) && p.Email != "" {
			errs = append(errs, concord.Errorf(concord.EConflict, "email", "poc.error.duplicate", "this State already has a POC with this address"))
		}
	}
	if n >= r.MaxPerKind {
		errs = append(errs, concord.Errorf(concord.EConflict, "kind", "poc.error.too_many", "at most %d POCs of this kind per State", r.MaxPerKind))
	}
	return errs.Err()
}

// CanView reports whether u may see the directory (names, addresses,
// telephones): the kernel's rule.
func CanView(u *concord.User) bool {
	return concord.Can(u, concord.ActViewPOCs, concord.Target{})
}

// CanViewResults reports whether u may see state's results in ping rounds.
func CanViewResults(u *concord.User, state string) bool {
	return state != "" && concord.Can(u, concord.ActViewPingResults, concord.Target{State: state})
}

// Status is where a ping round is.
type Status string

// The states of a ping round (§7.7): scheduled, then open (the pings are
// sent), then closed (after the deadline, or by the Secretariat).
const (
	Scheduled Status = "scheduled"
	Open      Status = "open"
	Closed    Status = "closed"
)

// Round is one ping test.
type Round struct {
	ID      int64     `json:"id"`
	Process string    `json:"process"`
	Status  Status    `json:"status"`
	Opens   time.Time `json:"opens"`    // when the Secretariat means to open it
	Closes  time.Time `json:"deadline"` // the deadline for acknowledgements
	Note    string    `json:"note"`     // what the ping says, besides the link
	Opened  time.Time `json:"opened,omitzero"`
	Closed  time.Time `json:"closed,omitzero"`
	Created time.Time `json:"created"`
}

// Validate reports every problem of a round as scheduled.
func (r Round) Validate() error {
	var errs concord.Errors
	if r.Opens.IsZero() {
		errs = append(errs, invalid("opens", "poc.error.opens", "the round needs an opening date"))
	}
	if r.Closes.IsZero() {
		errs = append(errs, invalid("deadline", "poc.error.deadline", "the round needs a deadline"))
	} else if !r.Opens.IsZero() && !r.Closes.After(r.Opens) {
		errs = append(errs, invalid("deadline", "poc.error.deadline_order", "the deadline comes after the opening"))
	}
	if utf8.RuneCountInString(r.Note) > 2000 {
		errs = append(errs, invalid("note", "poc.error.note", "a note of at most 2,000 characters"))
	}
	return errs.Err()
}

// Schedule checks a new round at now: valid, and its deadline still ahead.
func Schedule(r Round, now time.Time) (Round, error) {
	r.Status, r.Created = Scheduled, now
	var errs concord.Errors
	errs.Add(r.Validate())
	if !r.Closes.IsZero() && !r.Closes.After(now) {
		errs = append(errs, invalid("deadline", "poc.error.deadline_past", "the deadline has passed"))
	}
	return r, errs.Err()
}

func conflict(key, msg string) *concord.Error {
	return concord.Errorf(concord.EConflict, "", key, "%s", msg)
}

// Open sends the round at now: only a scheduled round whose deadline is
// still ahead.
func (r Round) Open(now time.Time) (Round, error) {
	if r.Status != Scheduled {
		return r, conflict("poc.error.not_scheduled", "only a scheduled round opens")
	}
	if !now.Before(r.Closes) {
		return r, conflict("poc.error.deadline_past", "the deadline has passed")
	}
	r.Status, r.Opened = Open, now
	return r, nil
}

// Close ends an open round at now (at or after its deadline, or earlier
// when the Secretariat closes it).
func (r Round) Close(now time.Time) (Round, error) {
	if r.Status != Open {
		return r, conflict("poc.error.not_open", "only an open round closes")
	}
	r.Status, r.Closed = Closed, now
	return r, nil
}

// Accepting reports whether acknowledgements count at now: open, and the
// deadline not reached.
func (r Round) Accepting(now time.Time) bool { return r.Status == Open && now.Before(r.Closes) }

// RemindFrom is when the reminders of the round go out under rule.
func (r Round) RemindFrom(rule Rule) time.Time { return r.Closes.Add(-rule.RemindBefore) }

// RemindersDue reports whether the reminders go out at now: the round
// accepts answers and the reminder time has come.
func (r Round) RemindersDue(rule Rule, now time.Time) bool {
	return r.Accepting(now) && !now.Before(r.RemindFrom(rule))
}

// Ping is one POC's part in a round: the message it was sent and its
// answer.
type Ping struct {
	Round    int64     `json:"round"`
	POC      int64     `json:"poc"`
	State    string    `json:"state"`
	Kind     Kind      `json:"kind"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Answered time.Time `json:"answered,omitzero"`
	// By is who answered, as they gave their name on the page.
	By       string `json:"by"`
	Reminded bool   `json:"reminded"`
	// Bounced is when the mail system reported the ping's mail undelivered.
	Bounced time.Time `json:"bounced,omitzero"`
}

// Acknowledge records the answer of p at now by name: refused once the
// round no longer accepts answers, and when the link was already used
// (the first answer stands).
func (r Round) Acknowledge(p Ping, by string, now time.Time) (Ping, error) {
	var errs concord.Errors
	if !p.Answered.IsZero() {
		errs = append(errs, conflict("poc.error.answered", "this acknowledgement was already recorded"))
	} else if !r.Accepting(now) {
		errs = append(errs, conflict("poc.error.late", "the deadline of this ping test has passed"))
	}
	by = strings.TrimSpace(by)
	if n := utf8.RuneCountInString(by); n > maxName {
		errs = append(errs, invalid("by", "poc.error.by", "a name of at most 200 characters"))
	}
	if err := errs.Err(); err != nil {
		return p, err
	}
	if by == "" {
		by = p.Name
	}
	p.Answered, p.By = now, by
	return p, nil
}

// StateResult is one State's results in a round.
type StateResult struct {
	State    string `json:"state"`
	Sent     int    `json:"sent"`
	Answered int    `json:"answered"`
	Pings    []Ping `json:"pings"`
}

// Results groups a round's pings per State, by State code.
func Results(pings []Ping) []StateResult {
	idx := map[string]int{}
	var out []StateResult
	for _, p := range pings {
		i, ok := idx[p.State]
		if !ok {
			i = len(out)
			idx[p.State] = i
			out = append(out, StateResult{State: p.State})
		}
		out[i].Sent++
		if !p.Answered.IsZero() {
			out[i].Answered++
		}
		out[i].Pings = append(out[i].Pings, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].State < out[j].State })
	return out
}

// Aggregate is what the public sees of a round: counts, no State named.
type Aggregate struct {
	Sent           int `json:"sent"`
	Answered       int `json:"answered"`
	States         int `json:"states"`
	StatesAnswered int `json:"states_answered"` // States of which every POC answered
}

// Rate is the share of pings answered, in percent (0 with none sent).
func (a Aggregate) Rate() int {
	if a.Sent == 0 {
		return 0
	}
	return a.Answered * 100 / a.Sent
}

// Total counts the results.
func Total(rs []StateResult) Aggregate {
	var a Aggregate
	for _, r := range rs {
		a.Sent += r.Sent
		a.Answered += r.Answered
		a.States++
		if r.Answered == r.Sent {
			a.StatesAnswered++
		}
	}
	return a
}
