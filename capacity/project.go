package capacity

import (
	"concord"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ProjectStatus is where a project stands.
type ProjectStatus string

// The statuses of a project.
const (
	Planned   ProjectStatus = "planned"
	Ongoing   ProjectStatus = "ongoing"
	Completed ProjectStatus = "completed"
	Cancelled ProjectStatus = "cancelled"
)

// ProjectStatuses lists them in a project's order of life.
var ProjectStatuses = []ProjectStatus{Planned, Ongoing, Completed, Cancelled}

// MaxProviders bounds the providers of one project.
const MaxProviders = 10

// Project is capacity-building under way or done: a beneficiary State,
// its providers, an area, dates, a status, outcomes, and its voluntary
// report against the principles. One made from a match keeps the need and
// the offer it came from.
type Project struct {
	ID          int64
	Process     string
	Beneficiary string // ISO3
	Providers   []Provider
	Area        Area
	Title       string
	Description string
	From, Until time.Time
	Status      ProjectStatus
	Outcomes    string `json:",omitzero"`
	// Visibility: a project from a need kept to States is kept to States
	// too (its beneficiary, area and purpose are the need's).
	Visibility Visibility
	Need       int64 `json:",omitzero"`
	Offer      int64 `json:",omitzero"`
	Checklist  []PrincipleReport
	Created    time.Time
	Updated    time.Time
}

// Validate checks the project and returns every problem at once.
func (p Project) Validate() error {
	var pr problems
	if len(p.Beneficiary) != 3 || strings.ToUpper(p.Beneficiary) != p.Beneficiary {
		pr.bad("beneficiary", "project.error.beneficiary", "a project has a beneficiary State")
	}
	if len(p.Providers) == 0 || len(p.Providers) > MaxProviders {
		pr.bad("providers", "project.error.providers", "a project has between one and %d providers", MaxProviders)
	}
	for _, v := range p.Providers {
		if (v.State == "") == (v.OrgID == 0) || (v.State != "" && v.State == p.Beneficiary) {
			pr.bad("providers", "project.error.provider", "each provider is one State (not the beneficiary) or one organisation")
			break
		}
	}
	if _, ok := Lookup(p.Area); !ok {
		pr.bad("area", "portal.error.area", "choose an area")
	}
	pr.text(p.Title, p.Description)
	pr.timeframe(p.From, p.Until)
	if !slices.Contains(ProjectStatuses, p.Status) {
		pr.bad("status", "project.error.status", "choose a status")
	}
	if utf8.RuneCountInString(p.Outcomes) > MaxDescriptionRunes {
		pr.bad("outcomes", "project.error.outcomes_long", "the outcomes have at most %d characters", MaxDescriptionRunes)
	}
	if !slices.Contains(Visibilities, p.Visibility) {
		pr.bad("visibility", "portal.error.visibility", "choose who may see the need")
	}
	seen := map[string]bool{}
	for _, r := range p.Checklist {
		field := "principle." + r.Principle
		if _, ok := LookupPrinciple(r.Principle); !ok || seen[r.Principle] {
			pr.bad(field, "project.error.principle", "unknown or repeated principle %q", r.Principle)
			continue
		}
		seen[r.Principle] = true
		if !slices.Contains(Ratings, r.Rating) {
			pr.bad(field, "project.error.rating", "choose addressed, partly or not")
		}
		if utf8.RuneCountInString(r.Note) > MaxNoteRunes {
			pr.bad(field, "project.error.note_long", "a note has at most %d characters", MaxNoteRunes)
		}
	}
	return pr.errs.Err()
}

// Normalise trims the texts, puts the dates at midnight UTC, drops the
// principles left unanswered and orders the checklist as Principles.
func (p *Project) Normalise() {
	p.Title, p.Description, p.Outcomes = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description), strings.TrimSpace(p.Outcomes)
	p.From, p.Until = Day(p.From), Day(p.Until)
	var list []PrincipleReport
	for _, r := range p.Checklist {
		r.Note = strings.TrimSpace(r.Note)
		if r.Rating == "" && r.Note == "" {
			continue
		}
		list = append(list, r)
	}
	order := func(c string) int {
		return slices.IndexFunc(Principles, func(x Principle) bool { return x.Code == c })
	}
	slices.SortStableFunc(list, func(a, b PrincipleReport) int { return order(a.Principle) - order(b.Principle) })
	p.Checklist = list
}

// Report returns the project's answer on principle c, if it gave one.
func (p Project) Report(c string) (PrincipleReport, bool) {
	i := slices.IndexFunc(p.Checklist, func(r PrincipleReport) bool { return r.Principle == c })
	if i < 0 {
		return PrincipleReport{}, false
	}
	return p.Checklist[i], true
}

// FromMatch makes the project of the match of need n and offer o, which
// both sides agreed to (have): the need's beneficiary, area and
// visibility, the offer's provider, title and description (what is
// provided: the need's own text stays with the need, whoever may read it),
// the dates both timeframes share (the need's when they share none),
// planned.
func FromMatch(n Need, o Offer, have Interests) (Project, error) {
	if len(Propose(n, []Offer{o}, 0)) == 0 {
		return Project{}, concord.Errorf(concord.EConflict, "offer", "portal.error.not_proposed", "the offer is not proposed for this need")
	}
	if !have.Agreed() {
		return Project{}, concord.Errorf(concord.EConflict, "offer", "project.error.not_agreed", "both sides must express interest before the match becomes a project")
	}
	p := Project{Process: n.Process, Beneficiary: n.State, Providers: []Provider{o.Provider}, Area: n.Area,
		Title: o.Title, Description: o.Description, From: n.From, Until: n.Until, Status: Planned,
		Visibility: n.Visibility, Need: n.ID, Offer: o.ID}
	if overlapDays(n.From, n.Until, o.From, o.Until) > 0 {
		p.From, p.Until = maxTime(n.From, o.From), minTime(n.Until, o.Until)
	}
	p.Normalise()
	return p, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// CanViewProject says whether u may read project p: one kept to States
// reaches only those who may read the needs kept to States.
func CanViewProject(u *concord.User, p Project) bool {
	return p.Visibility == Public || concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{})
}

// CanEditProject says whether u may edit project p and report its
// checklist: the Secretariat, the beneficiary State's delegates, and each
// provider.
func CanEditProject(u *concord.User, p Project) bool {
	if u == nil || u.Disabled {
		return false
	}
	if u.Role == concord.RoleSecretariat || concord.Can(u, concord.ActPostNeed, concord.Target{State: p.Beneficiary}) {
		return true
	}
	return slices.ContainsFunc(p.Providers, func(v Provider) bool { return concord.Can(u, concord.ActOffer, v.Target()) })
}

// CanCreateFromMatch says whether u may turn the match of n and o into a
// project: either side, or the Secretariat.
func CanCreateFromMatch(u *concord.User, n Need, o Offer) bool {
	if _, ok := SideOf(u, n, o); ok {
		return true
	}
	return u != nil && !u.Disabled && u.Role == concord.RoleSecretariat
}

// ProjectMessageKeys lists the catalogue keys of projects, the
// principles and events, for the catalogue test.
func ProjectMessageKeys() []string {
	keys := []string{"project.error.beneficiary", "project.error.providers", "project.error.provider", "project.error.status",
		"project.error.outcomes_long", "project.error.principle", "project.error.rating", "project.error.note_long", "project.error.not_agreed"}
	for _, s := range ProjectStatuses {
		keys = append(keys, "project.status."+string(s))
	}
	for _, r := range Ratings {
		keys = append(keys, "project.rating."+string(r))
	}
	for _, g := range PrincipleGroups {
		keys = append(keys, "project.group."+string(g))
	}
	return append(keys, EventMessageKeys()...)
}
