package capacity

import (
	"concord"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EventKind is what a calendar event is.
type EventKind string

// The kinds of event the calendar lists.
const (
	TrainingEvent   EventKind = "training"
	RoundtableEvent EventKind = "roundtable"
)

// EventKinds lists them.
var EventKinds = []EventKind{TrainingEvent, RoundtableEvent}

// MaxEventDays bounds how long one event lasts.
const MaxEventDays = 60

// Event is a training or a roundtable of the capacity-building calendar:
// public, for everyone to find and attend.
type Event struct {
	ID          int64
	Process     string
	Kind        EventKind
	Title       string
	Description string
	Start, End  time.Time // instants
	// Zone is the IANA zone of the venue (or of the organiser, online),
	// in which pages show the local times.
	Zone      string
	Venue     string `json:",omitzero"` // a place; empty when online only
	OnlineURL string `json:",omitzero"`
	Organiser string
	// Owner is who put the event on the calendar (empty: the
	// Secretariat); the owner and the Secretariat edit it.
	Owner     Provider `json:",omitzero"`
	Area      Area
	Languages []string
	// Sequence counts the changes, for the iCalendar feed's SEQUENCE (a
	// client replaces its copy when it grows).
	Sequence int
	Created  time.Time
	Updated  time.Time
}

// Validate checks the event and returns every problem at once.
func (e Event) Validate() error {
	var p problems
	if !slices.Contains(EventKinds, e.Kind) {
		p.bad("kind", "event.error.kind", "choose a training or a roundtable")
	}
	p.text(e.Title, e.Description)
	if e.Start.IsZero() {
		p.bad("start", "event.error.start", "an event needs a start")
	}
	if e.End.IsZero() {
		p.bad("end", "event.error.end", "an event needs an end")
	}
	if !e.Start.IsZero() && !e.End.IsZero() {
		if !e.End.After(e.Start) {
			p.bad("end", "event.error.end_before_start", "the event ends before it starts")
		} else if e.End.Sub(e.Start) > MaxEventDays*24*time.Hour {
			p.bad("end", "event.error.too_long", "an event lasts at most %d days", MaxEventDays)
		}
	}
	if _, err := time.LoadLocation(e.Zone); e.Zone == "" || e.Zone == "Local" || err != nil {
		p.bad("zone", "event.error.zone", "choose the time zone of the venue")
	}
	if strings.TrimSpace(e.Venue) == "" && e.OnlineURL == "" {
		p.bad("venue", "event.error.venue", "give a venue, an online link, or both")
	}
	if e.OnlineURL != "" {
		if u, err := url.Parse(e.OnlineURL); err != nil || u.Scheme != "https" || u.Host == "" {
			p.bad("online_url", "event.error.online_url", "the online link is an https address")
		}
	}
	if n := utf8.RuneCountInString(e.Organiser); n == 0 || n > MaxTitleRunes {
		p.bad("organiser", "event.error.organiser", "name the organiser")
	}
	if _, ok := Lookup(e.Area); !ok {
		p.bad("area", "portal.error.area", "choose an area")
	}
	p.lists(e.Languages, nil)
	return p.errs.Err()
}

// Normalise trims the texts, keeps the instants in UTC to the second and
// sorts the languages.
func (e *Event) Normalise() {
	e.Title, e.Description = strings.TrimSpace(e.Title), strings.TrimSpace(e.Description)
	e.Venue, e.OnlineURL, e.Organiser = strings.TrimSpace(e.Venue), strings.TrimSpace(e.OnlineURL), strings.TrimSpace(e.Organiser)
	e.Zone = strings.TrimSpace(e.Zone)
	e.Start, e.End = e.Start.UTC().Truncate(time.Second), e.End.UTC().Truncate(time.Second)
	e.Languages = set(e.Languages)
}

// Local returns t in the event's zone (UTC if the zone is unknown).
func (e Event) Local(t time.Time) time.Time {
	if loc, err := time.LoadLocation(e.Zone); err == nil {
		return t.In(loc)
	}
	return t.UTC()
}

// CanManageEvent says whether u may put an event on the calendar or edit
// one: the Secretariat, and those who may offer (States' delegates,
// organisations' focal points), who organise trainings.
func CanManageEvent(u *concord.User) bool {
	return concord.Can(u, concord.ActOffer, concord.Target{})
}

// CanEditEvent says whether u may edit event e: the Secretariat or its
// owner.
func CanEditEvent(u *concord.User, e Event) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == concord.RoleSecretariat || (e.Owner != (Provider{}) && concord.Can(u, concord.ActOffer, e.Owner.Target()))
}

// EventMessageKeys lists the catalogue keys of events.
func EventMessageKeys() []string {
	keys := []string{"event.error.kind", "event.error.start", "event.error.end", "event.error.end_before_start", "event.error.too_long",
		"event.error.zone", "event.error.venue", "event.error.online_url", "event.error.organiser"}
	for _, k := range EventKinds {
		keys = append(keys, "event.kind."+string(k))
	}
	return keys
}
