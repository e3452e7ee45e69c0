// Package normsvc runs the norms implementation checklist (issue 13) for
// pages and API alike: a State's delegates (those the delegation lets
// speak for it) or the Secretariat report on each action of the checklist,
// each report an apply.Write kept as history; the progress per State, per
// norm and per region counts only the reports the reader may see. Who sees
// a report kept to States is checked here on every read (norms.CanView and
// the store's filter), so that no page, API operation or list can forget
// it; the rules are the pure package norms.
package normsvc

import (
	"context"
	"errors"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/apply"
	"concord/internal/refdata"
	"concord/internal/store"
	"concord/norms"
)

// HistoryLimit bounds the changes a State's page lists: the page stays the
// same size however often a State reports.
const HistoryLimit = 200

// Service runs the checklist of one process.
type Service struct {
	DB      *store.DB
	Process string
}

// Input is a report as a form or the API gives it.
type Input struct {
	Status     norms.Status
	Evidence   string
	Link       string
	Contact    string
	Visibility norms.Visibility
}

func notOwn() error {
	return concord.Errorf(concord.EForbidden, "", "norms.error.not_own", "a State reports on its own implementation only")
}

// draft is what a report write works on: the report, the one it replaces
// (nil for a first report) and whether the State is in the registry.
type draft struct {
	rep     norms.Report
	prev    *norms.Report
	unknown bool
}

// Report records state's report on action.
func (s *Service) Report(ctx context.Context, u *concord.User, state, action string, in Input) (norms.Report, error) {
	state = strings.ToUpper(strings.TrimSpace(state))
	if !norms.CanReport(u, state) {
		return norms.Report{}, notOwn()
	}
	if _, ok := norms.LookupAction(action); !ok {
		return norms.Report{}, concord.ErrNotFound
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			d := draft{rep: norms.Report{Process: s.Process, State: state, Action: action}, unknown: true}
			states, err := r.States()
			if err != nil {
				return d, err
			}
			for _, st := range states {
				d.unknown = d.unknown && st.ISO3 != state
			}
			prev, err := r.NormReport(s.Process, state, action)
			switch {
			case err == nil:
				d.prev = &prev
			case !errors.Is(err, concord.ErrNotFound):
				return d, err
			}
			return d, nil
		},
		Allow: func(d draft) error {
			if d.unknown {
				return concord.ErrNotFound
			}
			if !norms.CanReport(u, d.rep.State) {
				return notOwn()
			}
			return nil
		},
		Change: func(d *draft, _ time.Time) error {
			d.rep.Status, d.rep.Evidence, d.rep.Link, d.rep.Contact, d.rep.Visibility = in.Status, in.Evidence, in.Link, in.Contact, in.Visibility
			d.rep.Normalise()
			return d.rep.Validate()
		},
		Save: func(tx *store.Tx, d *draft) error { return tx.SaveNormReport(&d.rep, d.prev) },
	}.Run(ctx, s.DB)
	return d.rep, err
}

// Get reads state's report on action as u may see it: one kept to
// States is not found for the others, its existence undisclosed.
func (s *Service) Get(ctx context.Context, u *concord.User, state, action string) (norms.Report, error) {
	rep, err := s.DB.Read(ctx).NormReport(s.Process, strings.ToUpper(state), action)
	if err != nil {
		return rep, err
	}
	if !norms.CanView(u, rep) {
		return norms.Report{}, concord.ErrNotFound
	}
	return rep, nil
}

// StateReport is one State's checklist as a reader may see it: its
// reports, its progress per norm and its history.
type StateReport struct {
	State   concord.State
	Reports map[string]norms.Report // by action code
	ByNorm  []norms.Row
	Overall norms.Counts
	History []norms.Change
}

// State reads state's checklist as u may see it: three statements (the
// registry's States are cached), whatever the number of reports.
func (s *Service) State(ctx context.Context, u *concord.User, state string) (StateReport, error) {
	state = strings.ToUpper(strings.TrimSpace(state))
	r := s.DB.Read(ctx)
	var out StateReport
	states, err := r.States()
	if err != nil {
		return out, err
	}
	found := false
	for _, st := range states {
		if st.ISO3 == state {
			out.State, found = st, true
		}
	}
	if !found {
		return out, concord.ErrNotFound
	}
	all := norms.SeesStatesOnly(u)
	reports, err := r.NormReports(s.Process, state, all)
	if err != nil {
		return out, err
	}
	out.Reports = make(map[string]norms.Report, len(reports))
	marks := make([]norms.Mark, 0, len(reports))
	for _, rep := range reports {
		out.Reports[rep.Action] = rep
		marks = append(marks, norms.Mark{State: rep.State, Action: rep.Action, Status: rep.Status})
	}
	out.ByNorm = norms.ForState(state, marks)
	for _, row := range out.ByNorm {
		out.Overall.Implemented += row.Counts.Implemented
		out.Overall.InProgress += row.Counts.InProgress
		out.Overall.NotStarted += row.Counts.NotStarted
		out.Overall.NotApplicable += row.Counts.NotApplicable
		out.Overall.NotReported += row.Counts.NotReported
	}
	out.History, err = r.NormHistory(s.Process, state, all, HistoryLimit)
	return out, err
}

// Progress is the checklist's progress as a reader may see it.
type Progress struct {
	ByNorm   []norms.Row
	ByRegion []norms.Row
	ByState  []norms.Row // the reporting States, by ISO3
	Recent   []norms.Change
}

// RecentLimit bounds the latest changes the overview lists.
const RecentLimit = 20

// regionOf is each State's regional group for the progress views (the
// group it is counted in for elections: the membership that is not "dual").
var regionOf = func() map[string]string {
	m := map[string]string{}
	for _, g := range refdata.GroupMemberships() {
		if g.Kind != "dual" {
			m[g.ISO3] = g.Group
		}
	}
	return m
}()

// RegionOf is the regional group state is counted in ("" for none).
func RegionOf(state string) string { return regionOf[state] }

// Progress reads the progress per norm, per region and per State over the
// reports u may see, and the latest changes: three statements.
func (s *Service) Progress(ctx context.Context, u *concord.User) (Progress, error) {
	r := s.DB.Read(ctx)
	all := norms.SeesStatesOnly(u)
	byState, byNorm, err := r.NormTallies(s.Process, all)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{ByState: norms.StateRows(byState)}
	p.ByNorm, p.ByRegion = norms.NormRows(byNorm, len(p.ByState)), norms.ByRegion(p.ByState, capacity.Regions, RegionOf)
	p.Recent, err = r.NormHistory(s.Process, "", all, RecentLimit)
	return p, err
}
