package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/apply"
	"concord/internal/store"
)

// ProjectInput is a project as a form or the API gives it. Beneficiary
// and Providers are read when the project is entered directly (a
// provider's delegate or focal point is always among the providers);
// an edit keeps them.
type ProjectInput struct {
	Beneficiary string
	Providers   []capacity.Provider
	Area        capacity.Area
	Title       string
	Description string
	From, Until time.Time
	Status      capacity.ProjectStatus
	Outcomes    string
	Visibility  capacity.Visibility
	Checklist   []capacity.PrincipleReport
	Unread      concord.Errors
}

func (in ProjectInput) apply(p *capacity.Project) {
	p.Area, p.Title, p.Description = capacity.Area(strings.TrimSpace(string(in.Area))), in.Title, in.Description
	p.From, p.Until, p.Status, p.Outcomes, p.Visibility = in.From, in.Until, in.Status, in.Outcomes, in.Visibility
	p.Checklist = in.Checklist
	p.Normalise()
}

func notProjectEditor() error {
	return concord.Errorf(concord.EForbidden, "", "project.error.not_editor", "a project is edited by its beneficiary, its providers or the Secretariat")
}

// projectDraft is what a project write works on: the project, and what
// the registry and the need say of it.
type projectDraft struct {
	p           capacity.Project
	unknown     concord.Errors // beneficiary or providers the registry does not know
	needPrivate bool           // the need it came from is kept to States
}

func (d *projectDraft) check(in ProjectInput) error {
	unread := append(append(concord.Errors{}, in.Unread...), d.unknown...)
	if d.needPrivate && d.p.Visibility == capacity.Public {
		unread = append(unread, concord.Errorf(concord.EInvalid, "visibility", "project.error.need_private", "the need this project came from is kept to States: so is the project"))
	}
	return check(unread, d.p.Validate())
}

// checkParties reads the beneficiary and the providers in the registry.
func checkParties(r store.Reader, d *projectDraft) error {
	states, err := r.States()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, st := range states {
		known[st.ISO3] = true
	}
	if d.p.Beneficiary != "" && !known[d.p.Beneficiary] {
		d.unknown = append(d.unknown, concord.Errorf(concord.EInvalid, "beneficiary", "project.error.beneficiary", "a project has a beneficiary State"))
	}
	for _, v := range d.p.Providers {
		var sub offerDraft
		if v.State != "" && v.OrgID == 0 && !known[v.State] {
			sub.noProvider = true
		} else if v.OrgID != 0 && v.State == "" {
			if err := loadProvider(r, v, &sub); err != nil {
				return err
			}
		}
		if sub.noProvider {
			d.unknown = append(d.unknown, concord.Errorf(concord.EInvalid, "providers", "project.error.provider", "each provider is one State (not the beneficiary) or one organisation"))
			break
		}
	}
	return nil
}

// CreateProject enters a project directly: the Secretariat in anyone's
// name, a State's delegate or an organisation's focal point as one of its
// providers.
func (s *Service) CreateProject(ctx context.Context, u *concord.User, in ProjectInput) (capacity.Project, error) {
	if !concord.Can(u, concord.ActOffer, concord.Target{}) {
		return capacity.Project{}, notProjectEditor()
	}
	d, err := apply.Write[projectDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (projectDraft, error) {
			p := capacity.Project{Process: s.Process, Beneficiary: strings.ToUpper(strings.TrimSpace(in.Beneficiary)), Providers: in.Providers}
			if u.Role != concord.RoleSecretariat {
				own := provider(u, OfferInput{})
				p.Providers = []capacity.Provider{own}
				for _, v := range in.Providers {
					if v != own {
						p.Providers = append(p.Providers, v)
					}
				}
			}
			d := projectDraft{p: p}
			return d, checkParties(r, &d)
		},
		Allow: func(d projectDraft) error {
			if !capacity.CanEditProject(u, d.p) {
				return notProjectEditor()
			}
			return nil
		},
		Change: func(d *projectDraft, _ time.Time) error {
			in.apply(&d.p)
			return d.check(in)
		},
		Save: func(tx *store.Tx, d *projectDraft) error { return tx.SaveProject(&d.p, "portal.project.create") },
	}.Run(ctx, s.DB)
	return d.p, err
}

// matchDraft is what turning a match into a project works on.
type matchDraft struct {
	n    capacity.Need
	o    capacity.Offer
	have capacity.Interests
	p    capacity.Project
}

// ProjectFromMatch turns the match of need and offer, which both sides
// agreed to, into a planned project: either side or the Secretariat may.
// A match becomes one project: the second request is told which.
func (s *Service) ProjectFromMatch(ctx context.Context, u *concord.User, need, offer int64) (capacity.Project, error) {
	d, err := apply.Write[matchDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (matchDraft, error) {
			var d matchDraft
			var err error
			if d.n, err = s.need(r, u, need); err != nil {
				return d, err
			}
			if d.o, err = s.offer(r, offer); err != nil {
				return d, concord.Errorf(concord.ENotFound, "offer", "portal.error.no_offer", "no offer %d", offer)
			}
			if p, err := r.ProjectOfMatch(need, offer); err == nil {
				d.p = p
				return d, nil
			} else if !errors.Is(err, concord.ErrNotFound) {
				return d, err
			}
			d.have, err = r.NeedInterests(need, offer)
			return d, err
		},
		Allow: func(d matchDraft) error {
			if !capacity.CanCreateFromMatch(u, d.n, d.o) {
				return concord.Errorf(concord.EForbidden, "", "project.error.not_a_side", "only the two sides of a match or the Secretariat make it a project")
			}
			return nil
		},
		Change: func(d *matchDraft, _ time.Time) error {
			if d.p.ID != 0 {
				return concord.Errorf(concord.EConflict, "offer", "project.error.exists", "this match is already a project")
			}
			var err error
			d.p, err = capacity.FromMatch(d.n, d.o, d.have)
			return err
		},
		Save: func(tx *store.Tx, d *matchDraft) error { return tx.SaveProject(&d.p, "portal.project.from_match") },
	}.Run(ctx, s.DB)
	return d.p, err
}

// project reads project id of the process as u may see it: one u may not
// see is not found.
func (s *Service) project(r store.Reader, u *concord.User, id int64) (capacity.Project, error) {
	p, err := r.Project(id)
	if err != nil {
		return p, err
	}
	if p.Process != s.Process || !capacity.CanViewProject(u, p) {
		return capacity.Project{}, concord.ErrNotFound
	}
	return p, nil
}

// EditProject changes a project's details, status, outcomes and principles
// checklist (not its beneficiary or providers): its beneficiary's
// delegates, its providers and the Secretariat may.
func (s *Service) EditProject(ctx context.Context, u *concord.User, id int64, in ProjectInput) (capacity.Project, error) {
	d, err := apply.Write[projectDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (projectDraft, error) {
			p, err := s.project(r, u, id)
			if err != nil || p.Need == 0 {
				return projectDraft{p: p}, err
			}
			n, err := r.Need(p.Need)
			return projectDraft{p: p, needPrivate: err == nil && n.Visibility != capacity.Public}, err
		},
		Allow: func(d projectDraft) error {
			if !capacity.CanEditProject(u, d.p) {
				return notProjectEditor()
			}
			return nil
		},
		Change: func(d *projectDraft, _ time.Time) error {
			in.apply(&d.p)
			return d.check(in)
		},
		Save: func(tx *store.Tx, d *projectDraft) error { return tx.SaveProject(&d.p, "portal.project.edit") },
	}.Run(ctx, s.DB)
	return d.p, err
}

// ProjectView is a project as u may see it, with whether u may see the
// need it came from (a need kept to States is not named to the public,
// even when the project was later opened).
type ProjectView struct {
	Project capacity.Project
	// Need is the need it came from, when there is one u may read.
	Need *capacity.Need
}

// Project reads project id as u may see it.
func (s *Service) Project(ctx context.Context, u *concord.User, id int64) (ProjectView, error) {
	r := s.DB.Read(ctx)
	p, err := s.project(r, u, id)
	if err != nil {
		return ProjectView{}, err
	}
	v := ProjectView{Project: p}
	if p.Need != 0 {
		if n, err := s.need(r, u, p.Need); err == nil {
			v.Need = &n
		} else if !errors.Is(err, concord.ErrNotFound) {
			return v, err
		}
	}
	return v, nil
}

// ProjectOfMatch reads the project made from the match of need and offer,
// as u may see it (not found when there is none).
func (s *Service) ProjectOfMatch(ctx context.Context, u *concord.User, need, offer int64) (capacity.Project, error) {
	r := s.DB.Read(ctx)
	p, err := r.ProjectOfMatch(need, offer)
	if err != nil || p.Process != s.Process || !capacity.CanViewProject(u, p) {
		return capacity.Project{}, concord.ErrNotFound
	}
	return p, nil
}

// ProjectFilter selects projects of the catalogue.
type ProjectFilter struct {
	Area        capacity.Area
	Status      capacity.ProjectStatus
	Beneficiary string
}

// ProjectList is a page of projects and how many there are in all.
type ProjectList struct {
	Projects []capacity.Project
	Total    int
}

// Projects lists the projects u may see, newest first: two statements.
func (s *Service) Projects(ctx context.Context, u *concord.User, f ProjectFilter, limit, offset int) (ProjectList, error) {
	q := store.ProjectQuery{Process: s.Process, StatesOnly: concord.Can(u, concord.ActViewStatesOnlyNeeds, concord.Target{}),
		Area: f.Area, Status: f.Status, Beneficiary: f.Beneficiary, Limit: limit, Offset: offset}
	r := s.DB.Read(ctx)
	var l ProjectList
	var err error
	if l.Total, err = r.CountProjects(q); err != nil {
		return l, err
	}
	l.Projects, err = r.Projects(q)
	return l, err
}

// EventInput is a calendar event as a form or the API gives it.
type EventInput struct {
	Kind        capacity.EventKind
	Title       string
	Description string
	Start, End  time.Time
	Zone        string
	Venue       string
	OnlineURL   string
	Organiser   string
	Area        capacity.Area
	Languages   []string
	Unread      concord.Errors
}

func (in EventInput) apply(e *capacity.Event) {
	e.Kind, e.Title, e.Description, e.Start, e.End, e.Zone = in.Kind, in.Title, in.Description, in.Start, in.End, in.Zone
	e.Venue, e.OnlineURL, e.Organiser, e.Area, e.Languages = in.Venue, in.OnlineURL, in.Organiser, in.Area, in.Languages
	e.Normalise()
}

func notEventEditor() error {
	return concord.Errorf(concord.EForbidden, "", "event.error.not_editor", "an event is edited by who put it on the calendar or the Secretariat")
}

// CreateEvent puts an event on the calendar: the Secretariat, or a State
// or an organisation (as its owner).
func (s *Service) CreateEvent(ctx context.Context, u *concord.User, in EventInput) (capacity.Event, error) {
	if !capacity.CanManageEvent(u) {
		return capacity.Event{}, notEventEditor()
	}
	return apply.Write[capacity.Event]{Actor: u,
		Load: func(store.Reader, time.Time) (capacity.Event, error) {
			e := capacity.Event{Process: s.Process}
			if u.Role != concord.RoleSecretariat {
				e.Owner = provider(u, OfferInput{})
			}
			return e, nil
		},
		Allow: func(e capacity.Event) error {
			if !capacity.CanEditEvent(u, e) {
				return notEventEditor()
			}
			return nil
		},
		Change: func(e *capacity.Event, _ time.Time) error {
			in.apply(e)
			return check(in.Unread, e.Validate())
		},
		Save: func(tx *store.Tx, e *capacity.Event) error { return tx.SaveEvent(e, "portal.event.create") },
	}.Run(ctx, s.DB)
}

func (s *Service) event(r store.Reader, id int64) (capacity.Event, error) {
	e, err := r.Event(id)
	if err == nil && e.Process != s.Process {
		return capacity.Event{}, concord.ErrNotFound
	}
	return e, err
}

// EditEvent changes an event: its owner or the Secretariat.
func (s *Service) EditEvent(ctx context.Context, u *concord.User, id int64, in EventInput) (capacity.Event, error) {
	return apply.Write[capacity.Event]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (capacity.Event, error) { return s.event(r, id) },
		Allow: func(e capacity.Event) error {
			if !capacity.CanEditEvent(u, e) {
				return notEventEditor()
			}
			return nil
		},
		Change: func(e *capacity.Event, _ time.Time) error {
			in.apply(e)
			return check(in.Unread, e.Validate())
		},
		Save: func(tx *store.Tx, e *capacity.Event) error { return tx.SaveEvent(e, "portal.event.edit") },
	}.Run(ctx, s.DB)
}

// Event reads event id (the calendar is public).
func (s *Service) Event(ctx context.Context, id int64) (capacity.Event, error) {
	return s.event(s.DB.Read(ctx), id)
}

// Events lists the events that end at or after since, by start, at most
// limit (all when limit ≤ 0).
func (s *Service) Events(ctx context.Context, since time.Time, limit int) ([]capacity.Event, error) {
	return s.DB.Read(ctx).Events(s.Process, since, limit)
}

// ProjectMessageKeys lists the catalogue keys the project and event
// services raise besides the domain's.
func ProjectMessageKeys() []string {
	return []string{"project.error.not_editor", "project.error.need_private", "project.error.not_a_side", "project.error.exists", "event.error.not_editor"}
}
