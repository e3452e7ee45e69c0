// Package fundsvc runs the Voluntary Fund (issue 13) for pages and API
// alike: the Secretariat opens calls and names their review committee, a
// State's delegates apply while a call is open and the State is eligible
// under the Fund's rule in force that day, the Secretariat screens, the
// committee reviews, the Secretariat awards and disburses, and the
// beneficiary reports. Who sees an application and its confidential
// reviews is checked here on every read (fund.CanView, fund.CanSeeReviews);
// the rules are the pure package fund.
package fundsvc

import (
	"context"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/capacity"
	"concord/fund"
	"concord/internal/apply"
	"concord/internal/decide"
	"concord/internal/store"
)

// Service runs the Fund of one process.
type Service struct {
	DB      *store.DB
	Process string
}

// CallInput is a call as a form or the API gives it (instants already
// read; what could not be read is in Unread, reported with the rest).
type CallInput struct {
	Title     string
	Area      string
	Opens     time.Time
	Closes    time.Time
	Amount    int64
	Reviewers []string // usernames of the review committee
	Unread    concord.Errors
}

func notSecretariat() error {
	return concord.Errorf(concord.EForbidden, "", "fund.error.secretariat", "only the Secretariat manages the Fund")
}

// merge is the object's own validation with the adapter's unread fields,
// every problem at once; a field the adapter could not read is reported
// once, by the adapter.
func merge(unread concord.Errors, err error) error {
	errs := append(concord.Errors{}, unread...)
	var all concord.Errors
	all.Add(err)
	for _, e := range all {
		dup := false
		for _, u := range unread {
			dup = dup || (u.Field != "" && u.Field == e.Field)
		}
		if !dup {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

// callDraft is what a call write works on: the call as it was, the call
// changed, what it already carries (for an edit) and the reviewers the
// registry does not know.
type callDraft struct {
	before  fund.Call
	c       fund.Call
	use     fund.Usage
	unknown []string
}

// SaveCall opens a call (id 0) or changes call id, with its committee.
// A change follows fund.CheckEdit: once applications were received the
// opening date and the area are fixed and the deadline is only extended,
// the budget stays above what is awarded, and a reviewer with reviews
// stays on the committee; every problem at once. An unknown call is not
// found; only the Secretariat opens or changes a call. Audited publicly
// as "fund.call.open" or "fund.call.edit".
func (s *Service) SaveCall(ctx context.Context, u *concord.User, id int64, in CallInput) (fund.Call, error) {
	if !concord.Can(u, concord.ActManageFund, concord.Target{}) {
		return fund.Call{}, notSecretariat()
	}
	d, err := apply.Write[callDraft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (callDraft, error) {
			d := callDraft{c: fund.Call{Process: s.Process}}
			if id != 0 {
				c, err := s.call(r, id)
				if err != nil {
					return d, err
				}
				if d.use, err = s.usage(r, id); err != nil {
					return d, err
				}
				d.before, d.c = c, c
				d.c.Reviewers = nil
			}
			for _, name := range in.Reviewers {
				if name = strings.TrimSpace(name); name == "" {
					continue
				}
				// A disabled account (removed, or erased on request) cannot
				// join a committee, but one already on it stays: a
				// reviewer with reviews may not leave, and the call must
				// remain editable.
				ru, err := r.UserByName(name)
				if err != nil || ru.Disabled && !slices.Contains(d.before.Reviewers, ru.ID) {
					d.unknown = append(d.unknown, name)
					continue
				}
				d.c.Reviewers = append(d.c.Reviewers, ru.ID)
			}
			return d, nil
		},
		// The call belongs to the process the Secretariat manages: the
		// permission on the loaded call is the Fund's management.
		Allow: func(callDraft) error {
			if !concord.Can(u, concord.ActManageFund, concord.Target{}) {
				return notSecretariat()
			}
			return nil
		},
		Change: func(d *callDraft, now time.Time) error {
			d.c.Title, d.c.Area, d.c.Opens, d.c.Closes, d.c.Amount = in.Title, fundArea(in.Area), in.Opens.UTC(), in.Closes.UTC(), in.Amount
			d.c.Normalise()
			unread := in.Unread
			if len(d.unknown) > 0 {
				unread = append(unread, concord.Errorf(concord.EInvalid, "reviewers", "fund.error.reviewers", "no such accounts: %s", strings.Join(d.unknown, ", ")))
			}
			if d.c.ID == 0 {
				return merge(unread, d.c.Validate())
			}
			return merge(unread, fund.CheckEdit(d.before, d.c, d.use, now))
		},
		Save: func(tx *store.Tx, d *callDraft) error {
			action := "fund.call.edit"
			if d.c.ID == 0 {
				action = "fund.call.open"
			}
			return tx.SaveFundCall(&d.c, action)
		},
	}.Run(ctx, s.DB)
	return d.c, err
}

// usage counts what call id already carries: its applications, the sum
// awarded, the reviewers who wrote a review.
func (s *Service) usage(r store.Reader, id int64) (fund.Usage, error) {
	var use fund.Usage
	apps, err := r.FundApplications(s.Process, id, "")
	if err != nil {
		return use, err
	}
	use.Applications = len(apps)
	for _, a := range apps {
		if a.Award != nil {
			use.Awarded += a.Award.Amount
		}
		reviews, err := r.FundReviews(a.ID)
		if err != nil {
			return use, err
		}
		for _, rv := range reviews {
			if !slices.Contains(use.Reviewed, rv.Reviewer) {
				use.Reviewed = append(use.Reviewed, rv.Reviewer)
			}
		}
	}
	return use, nil
}

// Usage is what call id already carries, for the edit form to say what
// no longer changes.
func (s *Service) Usage(ctx context.Context, id int64) (fund.Usage, error) {
	r := s.DB.Read(ctx)
	if _, err := s.call(r, id); err != nil {
		return fund.Usage{}, err
	}
	return s.usage(r, id)
}

func (s *Service) call(r store.Reader, id int64) (fund.Call, error) {
	c, err := r.FundCall(id)
	if err != nil {
		return c, err
	}
	if c.Process != s.Process {
		return fund.Call{}, concord.ErrNotFound
	}
	return c, nil
}

// Call reads call id (calls are public).
func (s *Service) Call(ctx context.Context, id int64) (fund.Call, error) {
	return s.call(s.DB.Read(ctx), id)
}

// Calls lists the calls, the latest to open first.
func (s *Service) Calls(ctx context.Context) ([]fund.Call, error) {
	return s.DB.Read(ctx).FundCalls(s.Process)
}

// ApplicationInput is an application as a form or the API gives it.
type ApplicationInput struct {
	Project string
	Summary string
	Area    string
	Amount  int64
	Unread  concord.Errors
}

// applyDraft is what an application write works on.
type applyDraft struct {
	call     fund.Call
	a        fund.Application
	eligible bool
	version  int
}

// Eligibility is the Fund's rule in force at t and whether the State is
// eligible under it.
func Eligibility(r store.Reader, process, state string, t time.Time) (policy *fund.Policy, version int, eligible bool, err error) {
	v, p, err := decide.RuleInForce[*fund.Policy](r, process, fund.RuleCode, t)
	if err != nil {
		return nil, 0, false, err
	}
	var cats map[string]string
	if p.Eligibility == fund.DevelopingStates {
		if _, cats, err = r.Classification(p.Scheme); err != nil {
			return nil, 0, false, err
		}
	}
	return p, v.Version, p.Eligible(state, cats), nil
}

// Apply submits u's State's application to call id: refused, with every
// problem at once, after the call closed or when the State is not eligible
// on that day; a second application of the State to the call is a
// conflict (a double submission saves nothing twice).
func (s *Service) Apply(ctx context.Context, u *concord.User, id int64, in ApplicationInput) (fund.Application, error) {
	if !concord.Can(u, concord.ActApplyFund, concord.Target{}) {
		return fund.Application{}, concord.Errorf(concord.EForbidden, "", "fund.error.delegate", "a State applies through its delegates")
	}
	d, err := apply.Write[applyDraft]{Actor: u,
		Load: func(r store.Reader, now time.Time) (applyDraft, error) {
			d := applyDraft{a: fund.Application{State: u.State}}
			var err error
			if d.call, err = s.call(r, id); err != nil {
				return d, err
			}
			_, d.version, d.eligible, err = Eligibility(r, s.Process, u.State, now)
			return d, err
		},
		Allow: func(d applyDraft) error {
			if !concord.Can(u, concord.ActApplyFund, concord.Target{State: d.a.State}) {
				return concord.Errorf(concord.EForbidden, "", "fund.error.delegate", "a State applies through its delegates")
			}
			return nil
		},
		Change: func(d *applyDraft, now time.Time) error {
			d.a.Project, d.a.Summary, d.a.Area, d.a.Amount = in.Project, in.Summary, fundArea(in.Area), in.Amount
			return merge(in.Unread, d.a.Submit(d.call, d.eligible, d.version, now))
		},
		Save: func(tx *store.Tx, d *applyDraft) error { return tx.SaveFundApplication(&d.a, "fund.apply") },
	}.Run(ctx, s.DB)
	return d.a, err
}

// View is an application as one reader sees it.
type View struct {
	Call fund.Call
	App  fund.Application
	// Full: the reader sees the whole application (fund.CanView); else
	// only its public award (Public).
	Full bool
	// Reviews are the committee's scores and comments, only for those
	// fund.CanSeeReviews lets read them (nil otherwise).
	Reviews     []fund.Review
	SeesReviews bool
}

// Public is what everyone sees of an awarded application: the project,
// State, area, amounts and payments, not the screening or the reports.
func Public(a fund.Application) fund.Application {
	a.Screening, a.Reports = nil, nil
	for i := range a.Disbursements {
		a.Disbursements[i].By, a.Disbursements[i].Note = 0, ""
	}
	if a.Award != nil {
		aw := *a.Award
		aw.By = 0
		a.Award = &aw
	}
	return a
}

func (s *Service) view(r store.Reader, u *concord.User, id int64) (View, error) {
	a, err := r.FundApplication(id)
	if err != nil {
		return View{}, err
	}
	if a.Process != s.Process {
		return View{}, concord.ErrNotFound
	}
	c, err := s.call(r, a.Call)
	if err != nil {
		return View{}, err
	}
	v := View{Call: c, App: a, Full: fund.CanView(u, c, a)}
	switch {
	case !v.Full && a.Status != fund.Awarded:
		// Another State's application, or any before its award for the
		// public: not found, its existence undisclosed.
		return View{}, concord.ErrNotFound
	case !v.Full:
		v.App = Public(a)
	}
	if fund.CanSeeReviews(u, c, a) {
		v.SeesReviews = true
		if v.Reviews, err = r.FundReviews(a.ID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// Application reads application id as u may see it.
func (s *Service) Application(ctx context.Context, u *concord.User, id int64) (View, error) {
	return s.view(s.DB.Read(ctx), u, id)
}

// Applications lists the applications to call id u sees: all of them for
// the Secretariat and the committee, the State's own for its delegates,
// and the awards for everyone (as Public).
func (s *Service) Applications(ctx context.Context, u *concord.User, id int64) ([]fund.Application, error) {
	r := s.DB.Read(ctx)
	c, err := s.call(r, id)
	if err != nil {
		return nil, err
	}
	all, err := r.FundApplications(s.Process, id, "")
	if err != nil {
		return nil, err
	}
	out := []fund.Application{}
	for _, a := range all {
		switch {
		case fund.CanView(u, c, a):
			out = append(out, a)
		case a.Status == fund.Awarded:
			out = append(out, Public(a))
		}
	}
	return out, nil
}

// Summary is the Fund's public page: the calls, every award, the totals.
type Summary struct {
	Calls  []fund.Call
	Awards []fund.Application // as Public, oldest first
	Totals fund.Totals
}

// Summarise reads the Fund's public figures: the totals by regional group
// (the group the State belongs to now) and by area.
func (s *Service) Summarise(ctx context.Context) (Summary, error) {
	r := s.DB.Read(ctx)
	var out Summary
	var err error
	if out.Calls, err = r.FundCalls(s.Process); err != nil {
		return out, err
	}
	awards, err := r.FundApplications(s.Process, 0, fund.Awarded)
	if err != nil {
		return out, err
	}
	states, err := r.States()
	if err != nil {
		return out, err
	}
	out.Totals = fund.Sum(awards, groupOf(states, s.DB.Now()))
	out.Awards = make([]fund.Application, 0, len(awards))
	for _, a := range awards {
		out.Awards = append(out.Awards, Public(a))
	}
	return out, nil
}

// groupOf is the regional group each State is a full member of at t.
func groupOf(states []concord.State, t time.Time) func(string) string {
	m := make(map[string]string, len(states))
	for _, s := range states {
		for _, g := range s.Groups {
			if g.Kind != concord.KindDual && g.Current(t) {
				m[s.ISO3] = g.Group
			}
		}
	}
	return func(iso3 string) string { return m[iso3] }
}

// step is a write on one application by u: load it as u sees it (not
// found when u may not), check the permission, change it and save it under
// action.
func (s *Service) step(ctx context.Context, u *concord.User, id int64, action string, allow func(View) error, change func(*View, time.Time) error) (fund.Application, error) {
	v, err := apply.Write[View]{Actor: u,
		Load:   func(r store.Reader, _ time.Time) (View, error) { return s.view(r, u, id) },
		Allow:  allow,
		Change: change,
		Save:   func(tx *store.Tx, v *View) error { return tx.SaveFundApplication(&v.App, action) },
	}.Run(ctx, s.DB)
	return v.App, err
}

func secretariat(u *concord.User) func(View) error {
	return func(View) error {
		if !concord.Can(u, concord.ActManageFund, concord.Target{}) {
			return notSecretariat()
		}
		return nil
	}
}

// Screen records the Secretariat's screening: eligible, or returned with
// reasons.
func (s *Service) Screen(ctx context.Context, u *concord.User, id int64, eligible bool, reasons string) (fund.Application, error) {
	return s.step(ctx, u, id, "fund.screen", secretariat(u), func(v *View, now time.Time) error {
		return v.App.Screen(eligible, reasons, u.ID, now)
	})
}

// Award grants amount on an eligible application, within what its call
// has left.
func (s *Service) Award(ctx context.Context, u *concord.User, id int64, amount int64, unread concord.Errors) (fund.Application, error) {
	type draft struct {
		View
		awarded int64
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			v, err := s.view(r, u, id)
			if err != nil {
				return draft{}, err
			}
			d := draft{View: v}
			others, err := r.FundApplications(s.Process, v.Call.ID, fund.Awarded)
			for _, o := range others {
				d.awarded += o.Award.Amount
			}
			return d, err
		},
		Allow: func(d draft) error { return secretariat(u)(d.View) },
		Change: func(d *draft, now time.Time) error {
			return merge(unread, d.App.MakeAward(d.Call, amount, d.awarded, u.ID, now))
		},
		Save: func(tx *store.Tx, d *draft) error { return tx.SaveFundApplication(&d.App, "fund.award") },
	}.Run(ctx, s.DB)
	return d.App, err
}

// Disburse records a payment against the award.
func (s *Service) Disburse(ctx context.Context, u *concord.User, id int64, amount int64, note string, unread concord.Errors) (fund.Application, error) {
	return s.step(ctx, u, id, "fund.disburse", secretariat(u), func(v *View, now time.Time) error {
		return merge(unread, v.App.Disburse(amount, note, u.ID, now))
	})
}

// Report records the beneficiary's report against its award.
func (s *Service) Report(ctx context.Context, u *concord.User, id int64, text string) (fund.Application, error) {
	return s.step(ctx, u, id, "fund.report", func(v View) error {
		if !v.Full || !fund.CanReport(u, v.App) {
			return concord.Errorf(concord.EForbidden, "", "fund.error.not_beneficiary", "the beneficiary State reports against its award")
		}
		return nil
	}, func(v *View, now time.Time) error { return v.App.AddReport(text, u.ID, now) })
}

// Review records u's score and comment, as a reviewer named for the call
// (replacing u's earlier review of the application).
func (s *Service) Review(ctx context.Context, u *concord.User, id int64, score int, comment string, unread concord.Errors) (fund.Review, error) {
	type draft struct {
		View
		r fund.Review
	}
	d, err := apply.Write[draft]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (draft, error) {
			v, err := s.view(r, u, id)
			return draft{View: v}, err
		},
		Change: func(d *draft, _ time.Time) error {
			d.r = fund.Review{Application: d.App.ID, Reviewer: u.ID, Score: score, Comment: strings.TrimSpace(comment)}
			err := fund.CheckReview(d.Call, d.App, d.r, u.State)
			if err == nil || concord.ErrorCode(err) == concord.EInvalid {
				return merge(unread, err) // with the fields the adapter could not read
			}
			return err
		},
		Save: func(tx *store.Tx, d *draft) error { return tx.SaveFundReview(&d.r) },
	}.Run(ctx, s.DB)
	return d.r, err
}

// fundArea reads an area code as given (the domain checks it).
func fundArea(s string) capacity.Area { return capacity.Area(strings.TrimSpace(s)) }
