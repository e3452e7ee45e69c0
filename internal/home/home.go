// Package home gathers what is waiting for a signed-in person and by when:
// the items of their home page and of GET /api/v1/me/waiting. It reads only,
// in a fixed number of statements whatever the data (each list is one
// query), so the page's cost does not grow with the number of
// applications, decisions or meetings beyond the rows it reads.
package home

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"concord"
	"concord/accreditation"
	"concord/cofacilitator"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// Kind says what an item asks of its reader; pages and the API name it.
type Kind string

// The kinds of item.
const (
	KindScreen      Kind = "screen"      // Secretariat: a submitted application to screen
	KindNominations Kind = "nominations" // Secretariat, Chair: co-facilitator nominations standing for a DTG
	KindObjection   Kind = "objection"   // delegate: an application circulated to my State, objections until the deadline
	KindPosition    Kind = "position"    // delegate: a decision open to my State, no position taken yet
	KindChairAct    Kind = "chair_act"   // Chair: a decision awaiting the Chair's act
	KindApplication Kind = "application" // focal point: my organisation's application and its next step
	KindMeeting     Kind = "meeting"     // everyone: a meeting coming up
)

// Item is one thing waiting for the reader.
type Item struct {
	Kind     Kind
	Title    concord.Text // what it is about, in up to six languages
	Status   string       // the subject's status (an application's, a meeting's); "" when none
	Count    int          // KindNominations: how many nominations stand
	Deadline time.Time    // by when (exclusive); zero when none
	Path     string       // the page, without the language prefix ("/decisions/12")
}

// UpcomingMeetings is how many meetings coming up a home page lists.
const UpcomingMeetings = 5

// Service lists what is waiting for one process.
type Service struct {
	DB      *store.DB
	Process string
}

// Waiting lists what is waiting for u at now: its deadlines first (earliest
// first), then the items without one, then the meetings coming up.
func (s *Service) Waiting(ctx context.Context, u *concord.User, now time.Time) ([]Item, error) {
	if u == nil {
		return nil, nil
	}
	r := s.DB.Read(ctx)
	var items []Item
	switch u.Role {
	case concord.RoleSecretariat:
		apps, err := r.Applications(store.ApplicationFilter{Status: accreditation.ApplicationSubmitted})
		if err != nil {
			return nil, err
		}
		names, err := s.orgNames(r, apps)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			items = append(items, Item{Kind: KindScreen, Title: names[a.OrgID], Status: string(a.Status), Path: appPath(a.ID)})
		}
		ns, err := s.nominations(r)
		if err != nil {
			return nil, err
		}
		items = append(items, ns...)
	case concord.RoleChair:
		ds, err := s.DB.ListDecisions(ctx, s.Process)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			// Awaiting the Chair: the Chair's decision is open (a silence
			// procedure ends by itself at its deadline; deferring is
			// always open and asks nothing).
			if slices.Contains(d.Facts.OpenActs(d.Policy, now), decision.ActDecide) {
				items = append(items, decisionItem(KindChairAct, d))
			}
		}
		ns, err := s.nominations(r)
		if err != nil {
			return nil, err
		}
		items = append(items, ns...)
	case concord.RoleDelegate:
		apps, err := r.Applications(store.ApplicationFilter{Status: accreditation.ApplicationCirculated})
		if err != nil {
			return nil, err
		}
		if len(apps) > 0 {
			ws, err := r.Windows(s.Process)
			if err != nil {
				return nil, err
			}
			deadline := map[string]time.Time{}
			for _, w := range ws {
				deadline[w.ID] = w.ObjectionDeadline
			}
			names, err := s.orgNames(r, apps)
			if err != nil {
				return nil, err
			}
			for _, a := range apps {
				dl := deadline[a.Window]
				if !accreditation.InTime(now, dl) || objected(a, u.State) {
					continue
				}
				items = append(items, Item{Kind: KindObjection, Title: names[a.OrgID], Status: string(a.Status), Deadline: dl, Path: appPath(a.ID)})
			}
		}
		ds, err := s.DB.ListDecisions(ctx, s.Process)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if decide.Awaits(d, u.State, now) {
				items = append(items, decisionItem(KindPosition, d))
			}
		}
	case concord.RoleFocalPoint:
		apps, err := r.Applications(store.ApplicationFilter{OrgID: u.OrgID})
		if err != nil {
			return nil, err
		}
		ws, err := r.Windows(s.Process)
		if err != nil {
			return nil, err
		}
		byID := map[string]accreditation.Window{}
		for _, w := range ws {
			byID[w.ID] = w
		}
		org, err := r.Organization(u.OrgID)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			w := byID[a.Window]
			var dl time.Time
			switch a.Status {
			case accreditation.ApplicationDraft, accreditation.ApplicationReturned:
				dl = w.Closes // the application must be (re)submitted before the window closes
			case accreditation.ApplicationCirculated:
				dl = w.ObjectionDeadline // decided at the objection deadline
			default:
				if !w.ObjectionDeadline.IsZero() && !accreditation.InTime(now, w.ObjectionDeadline) {
					continue // decided: nothing waits
				}
			}
			if !dl.IsZero() && !accreditation.InTime(now, dl) {
				continue
			}
			items = append(items, Item{Kind: KindApplication, Title: org.Names, Status: string(a.Status), Deadline: dl, Path: appPath(a.ID)})
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		switch {
		case a.Deadline.IsZero() != b.Deadline.IsZero():
			if a.Deadline.IsZero() {
				return 1
			}
			return -1
		}
		return a.Deadline.Compare(b.Deadline)
	})
	ms, err := s.DB.Meetings(ctx, store.MeetingQuery{Process: s.Process, Upcoming: true, Now: now, Limit: UpcomingMeetings})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		items = append(items, Item{Kind: KindMeeting, Title: m.Title, Status: string(m.Status), Deadline: m.Start, Path: "/meetings/" + strconv.FormatInt(m.ID, 10)})
	}
	return items, nil
}

// objected reports whether state has an objection standing on a.
func objected(a accreditation.Application, state string) bool {
	for _, o := range a.Objections {
		if o.State == state && o.WithdrawnAt.IsZero() {
			return true
		}
	}
	return false
}

func decisionItem(k Kind, d store.Decision) Item {
	return Item{Kind: k, Title: d.Title, Deadline: decision.Deadline(d.Policy, d.Facts), Path: "/decisions/" + strconv.FormatInt(d.ID, 10)}
}

func appPath(id int64) string { return "/accreditation/applications/" + strconv.FormatInt(id, 10) }

// orgNames reads the names of the applicants in one statement.
func (s *Service) orgNames(r store.Reader, apps []accreditation.Application) (map[int64]concord.Text, error) {
	out := map[int64]concord.Text{}
	if len(apps) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.OrgID)
	}
	orgs, err := r.OrganizationsByID(ids)
	if err != nil {
		return nil, err
	}
	for id, o := range orgs {
		out[id] = o.Names
	}
	return out, nil
}

// nominations is one item per DTG with standing co-facilitator
// nominations, read in one statement.
func (s *Service) nominations(r store.Reader) ([]Item, error) {
	all, err := store.Records[cofacilitator.Nomination](r, s.Process, decide.KindCoFacNominee, "")
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, n := range all {
		if n.Doc.WithdrawnAt.IsZero() {
			count[n.Scope]++
		}
	}
	var out []Item
	for dtg, n := range count {
		title := concord.Text{"en": dtg}
		if d, ok := concord.DTGByCode(dtg); ok {
			title = d.Names
		}
		out = append(out, Item{Kind: KindNominations, Title: title, Count: n, Path: "/cofacilitators/" + dtg})
	}
	slices.SortFunc(out, func(a, b Item) int { return cmp.Compare(a.Path, b.Path) })
	return out, nil
}
