// Package norms is the norms implementation checklist (issue 13, domain
// brief §3.2): the eleven norms of A/70/174 para 13(a)–(k), each with its
// practical actions, as data in the six languages; the report a State makes
// voluntarily on each action (status, evidence, contact), kept public or to
// States as the State chooses; who may write and read a report; and the
// progress figures per State, per norm and per region. It is pure: no
// store, no clock, no I/O.
package norms

import (
	"concord"
	"concord/capacity"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is how far a State has come with one action.
type Status string

// The statuses of an action.
const (
	NotStarted    Status = "not_started"
	InProgress    Status = "in_progress"
	Implemented   Status = "implemented"
	NotApplicable Status = "not_applicable"
)

// Statuses lists them in the order forms and charts show them.
var Statuses = []Status{Implemented, InProgress, NotStarted, NotApplicable}

// Visibility is who may read a report: the public, or States only (the
// portal's visibilities: one notion, not two).
type Visibility = capacity.Visibility

// Limits on what a report holds.
const (
	MaxEvidenceRunes = 5000
	MaxLinkBytes     = 2000
	MaxContactRunes  = 300
)

// Report is a State's report on one action of the checklist.
type Report struct {
	Process    string
	State      string // ISO3
	Action     string // "a1" … "k3"
	Status     Status
	Evidence   string // what the State did, plain text
	Link       string // an optional http(s) link to the evidence
	Contact    string // whom to ask about it
	Visibility Visibility
	Updated    time.Time
}

// Change is one entry of a State's history: an action's status set at a
// date, with the one before it (empty for the first report).
type Change struct {
	ID         int64
	State      string
	Action     string
	From       Status
	To         Status
	Visibility Visibility
	At         time.Time
}

type problems struct{ errs concord.Errors }

func (p *problems) bad(field, key, format string, args ...any) {
	p.errs = append(p.errs, concord.Errorf(concord.EInvalid, field, key, format, args...))
}

// Normalise trims the texts, so that equal content is stored equally.
func (r *Report) Normalise() {
	r.Evidence, r.Link, r.Contact = strings.TrimSpace(r.Evidence), strings.TrimSpace(r.Link), strings.TrimSpace(r.Contact)
}

// Validate checks the report and returns every problem at once
// (concord.Errors). An action reported implemented needs evidence: the
// checklist is there to be read by other States.
func (r Report) Validate() error {
	var p problems
	if len(r.State) != 3 || strings.ToUpper(r.State) != r.State {
		p.bad("state", "norms.error.state", "a report is made by a State")
	}
	if _, ok := LookupAction(r.Action); !ok {
		p.bad("action", "norms.error.action", "no action %q in the checklist", r.Action)
	}
	if !slices.Contains(Statuses, r.Status) {
		p.bad("status", "norms.error.status", "choose a status")
	}
	evidence := strings.TrimSpace(r.Evidence)
	switch n := utf8.RuneCountInString(evidence); {
	case n == 0 && r.Status == Implemented:
		p.bad("evidence", "norms.error.evidence", "say what shows the action is implemented")
	case n > MaxEvidenceRunes:
		p.bad("evidence", "norms.error.evidence_long", "evidence has at most %d characters", MaxEvidenceRunes)
	}
	if link := strings.TrimSpace(r.Link); link != "" {
		u, err := url.Parse(link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(link) > MaxLinkBytes {
			p.bad("link", "norms.error.link", "a link starts with https:// or http://")
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(r.Contact)) > MaxContactRunes {
		p.bad("contact", "norms.error.contact_long", "a contact has at most %d characters", MaxContactRunes)
	}
	if !slices.Contains(capacity.Visibilities, r.Visibility) {
		p.bad("visibility", "norms.error.visibility", "choose who may see the report")
	}
	return p.errs.Err()
}

// CanView says whether u may read report r: a report kept to States
// reaches the delegates of States and the Secretariat, never the public, a
// stakeholder's focal point, the Chair or a co-facilitator as such.
func CanView(u *concord.User, r Report) bool {
	return r.Visibility == capacity.Public || SeesStatesOnly(u)
}

// SeesStatesOnly says whether u reads the reports kept to States.
func SeesStatesOnly(u *concord.User) bool {
	return concord.Can(u, concord.ActViewStatesOnlyNorms, concord.Target{})
}

// CanReport says whether u may report for state: its own delegates the
// delegation lets speak for it, or the Secretariat.
func CanReport(u *concord.User, state string) bool {
	return concord.Can(u, concord.ActReportNorms, concord.Target{State: state})
}
