// Package accredit runs stakeholder accreditation: it loads what the pure
// domain rules (package accreditation) need from the store, applies them in
// one audited transaction, records notices and puts their emails in the outbox.
// The HTML pages and the JSON API both call it, so every rule and every
// disclosure decision has one path.
package accredit

import (
	"bytes"
	"concord/accreditation"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/input"
	"concord/internal/store"
)

// Service is the accreditation process of one Concord process.
type Service struct {
	DB      *store.DB
	Process string
	// Email puts every notice in the outbox for its recipients' verified
	// addresses, in the notice's transaction (set when a sender runs).
	Email bool
	Log   *slog.Logger
	// BaseURL prefixes links in emails ("https://concord.example.org").
	BaseURL string
}

// Location returns the process time zone, in which deadlines are shown.
func (s *Service) Location(ctx context.Context) (*time.Location, error) {
	p, err := s.DB.GetProcess(ctx, s.Process)
	if err != nil {
		return nil, err
	}
	return concord.LoadLocation(p.TimeZone)
}

// Policy returns the policy version in force at t, and all versions.
func (s *Service) Policy(ctx context.Context, t time.Time) (accreditation.Policy, []accreditation.Policy, error) {
	versions, err := s.DB.AccreditationPolicies(ctx, s.Process)
	if err != nil {
		return accreditation.Policy{}, nil, err
	}
	p, err := accreditation.PolicyAt(versions, t)
	return p, versions, err
}

// SetPolicy adds a new policy version (Secretariat only), effective from
// p.EffectiveFrom or now.
func (s *Service) SetPolicy(ctx context.Context, u *concord.User, p accreditation.Policy) (accreditation.Policy, error) {
	if !concord.Can(u, concord.ActManageAccreditation, concord.Target{}) {
		return p, forbidden()
	}
	p.Process = s.Process
	// A version takes effect now or later, never in the past: a window keeps
	// the rules in force when it opened, and a backdated version would
	// change them under it.
	now := s.DB.Now()
	var errs concord.Errors
	if p.EffectiveFrom.IsZero() {
		p.EffectiveFrom = now
	} else if p.EffectiveFrom.Before(now.Add(-time.Minute)) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "effective_from", "error.policy_backdated", "a policy version cannot take effect in the past"))
	}
	// Every problem at once, before the write: the version number is the
	// store's to give, so any valid one stands in for it here.
	check := p
	check.Version = max(p.Version, 1)
	errs.Add(check.Validate())
	if err := errs.Err(); err != nil {
		return p, err
	}
	return apply.Write[accreditation.Policy]{Actor: u,
		Load: apply.Given(p),
		Save: func(tx *store.Tx, p *accreditation.Policy) error { return tx.AddAccreditationPolicy(p) }}.Run(ctx, s.DB)
}

func forbidden() error {
	return concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
}

// WindowInput is a new window as the Secretariat enters it: local dates and
// times in the process time zone.
type WindowInput struct {
	Scope      accreditation.Scope
	Body       string
	Cycle      int
	OpensDate  string // YYYY-MM-DD
	OpensTime  string // HH:MM
	ClosesDate string
	ClosesTime string
	// ValidUntilDate and ValidUntilTime (default 00:00) end the window's
	// accreditations (exclusive). Optional under an annual policy, which
	// suggests 1 January after the cycle; needed under per_session and cycle.
	ValidUntilDate string
	ValidUntilTime string
}

// CreateWindow opens a new accreditation window (Secretariat only).
func (s *Service) CreateWindow(ctx context.Context, u *concord.User, in WindowInput) (accreditation.Window, error) {
	var w accreditation.Window
	if !concord.Can(u, concord.ActManageAccreditation, concord.Target{}) {
		return w, forbidden()
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return w, err
	}
	if in.OpensTime == "" {
		in.OpensTime = "00:00"
	}
	if in.ClosesTime == "" {
		in.ClosesTime = "18:00"
	}
	// Every problem at once: each instant that does not parse, and then
	// what the window says besides its instants.
	var errs concord.Errors
	instant := func(date, clock, field string, required bool) time.Time {
		if strings.TrimSpace(date) == "" {
			if required {
				errs = append(errs, concord.Errorf(concord.EInvalid, field+"_date", "error.required", "%s date is required", field))
			}
			return time.Time{}
		}
		// The date and the time are each checked, so that both are said
		// when both are wrong.
		_, derr := time.Parse(time.DateOnly, strings.TrimSpace(date))
		if derr != nil {
			errs = append(errs, concord.Errorf(concord.EInvalid, field+"_date", "error.date", "date must be YYYY-MM-DD"))
		}
		if _, _, cerr := concord.ParseClock(clock); cerr != nil {
			errs = append(errs, concord.Errorf(concord.EInvalid, field+"_time", "error.clock", "time must be HH:MM"))
			return time.Time{}
		}
		if derr != nil {
			return time.Time{}
		}
		t, err := concord.LocalToUTC(date, clock, loc)
		if err != nil {
			errs.Add(fieldErr(err, field))
		}
		return t
	}
	opens := instant(in.OpensDate, in.OpensTime, "opens", true)
	closes := instant(in.ClosesDate, in.ClosesTime, "closes", true)
	if in.ValidUntilDate != "" && in.ValidUntilTime == "" {
		in.ValidUntilTime = "00:00"
	}
	validUntil := instant(in.ValidUntilDate, in.ValidUntilTime, "valid_until", false)
	w = accreditation.Window{Process: s.Process, Scope: in.Scope, Body: strings.ToUpper(strings.TrimSpace(in.Body)), Cycle: in.Cycle, Opens: opens, Closes: closes}
	if len(errs) > 0 {
		// Checked against the rules in force now: without its opening,
		// the window has no rules of its own yet.
		p, _, err := s.Policy(ctx, s.DB.Now())
		if err == nil {
			errs = append(errs, w.CheckFields(p)...)
		} else if concord.ErrorCode(err) != concord.ENotFound {
			return w, err
		}
		return w, errs.Err()
	}
	if w.Cycle == 0 {
		w.Cycle = opens.In(loc).Year()
	}
	type creating struct {
		w accreditation.Window
		p accreditation.Policy // the version the window opens under
	}
	x, err := apply.Write[creating]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (creating, error) {
			p, err := s.windowsPolicy(r, w)
			return creating{w: w, p: p}, err
		},
		Change: func(x *creating, _ time.Time) error {
			x.w.ValidUntil = accreditation.SuggestValidUntil(x.p.Validity, x.w.Cycle, loc)
			if !validUntil.IsZero() {
				x.w.ValidUntil = validUntil
			}
			return nil
		},
		Save: func(tx *store.Tx, x *creating) error {
			if err := tx.CreateAccreditationWindow(&x.w); err != nil {
				return err
			}
			// After the window's own checks (in the store, against the
			// other windows), so that a window closing before it opens is
			// reported as that, not as a validity problem.
			if err := x.w.ValidateValidity(x.p, loc); err != nil {
				return fieldErr(err, "valid_until")
			}
			return nil
		}}.Run(ctx, s.DB)
	return x.w, err
}

// fieldErr names the input field of a date or time error: the domain says
// "date" or "clock", the input has opens_date, opens_time, closes_date,
// closes_time, valid_until_date and valid_until_time (field is "opens",
// "closes" or "valid_until").
func fieldErr(err error, field string) error {
	var de *concord.Error
	if !errors.As(err, &de) {
		return concord.Errorf(concord.EInvalid, field+"_date", "error.date", "%v", err)
	}
	c := *de
	switch de.Field {
	case "", "date":
		c.Field = field + "_date"
	case "clock":
		c.Field = field + "_time"
	default:
		return err
	}
	return &c
}

// Apply starts a draft application of the user's organisation in a window.
// The Secretariat may apply on an organisation's behalf (orgID).
func (s *Service) Apply(ctx context.Context, u *concord.User, windowID string, orgID int64) (accreditation.Application, error) {
	var a accreditation.Application
	if u != nil && u.Role == concord.RoleFocalPoint {
		orgID = u.OrgID
	}
	type applying struct {
		org      concord.Organization
		w        accreditation.Window
		p        accreditation.Policy
		existing []accreditation.Application // the organisation's
		a        accreditation.Application
		signup   string // the organisation's sign-up status, "" when registered by the Secretariat
	}
	x, err := apply.Write[applying]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (applying, error) {
			var x applying
			var err error
			if x.org, err = r.Organization(orgID); err != nil {
				return x, err
			}
			if x.w, x.p, err = s.windowPolicy(r, windowID); err != nil {
				return x, err
			}
			if x.signup, err = r.SignupStatus(x.org.ID); err != nil {
				return x, err
			}
			x.existing, err = r.Applications(store.ApplicationFilter{OrgID: x.org.ID})
			return x, err
		},
		Change: func(x *applying, now time.Time) error {
			// An organisation that signed up itself applies once verified.
			if err := accreditation.CanApplyAfterSignup(x.signup != "", x.signup == store.SignupVerified, u); err != nil {
				return err
			}
			var err error
			x.a, err = accreditation.Apply(x.p, x.w, x.org, x.existing, u, now)
			return err
		},
		Save: func(tx *store.Tx, x *applying) error { return tx.SaveApplication(&x.a, "accreditation.apply", true) }}.Run(ctx, s.DB)
	if err != nil {
		return a, err
	}
	return x.a, nil
}

// PolicyFor returns the policy version that governs window w: the one in
// force when it opened.
func (s *Service) PolicyFor(ctx context.Context, w accreditation.Window) (accreditation.Policy, error) {
	return s.policyFor(ctx, w)
}

func (s *Service) policyFor(ctx context.Context, w accreditation.Window) (accreditation.Policy, error) {
	return s.windowsPolicy(s.DB.Read(ctx), w)
}

// windowsPolicy reads through r the policy version that governs w.
func (s *Service) windowsPolicy(r store.Reader, w accreditation.Window) (accreditation.Policy, error) {
	versions, err := r.AccreditationPolicies(s.Process)
	if err != nil {
		return accreditation.Policy{}, err
	}
	return accreditation.PolicyForWindow(versions, w)
}

// windowPolicy reads a window through r (a write's, in its transaction)
// and the policy version it runs under.
func (s *Service) windowPolicy(r store.Reader, id string) (accreditation.Window, accreditation.Policy, error) {
	w, err := r.Window(id)
	if err != nil {
		return w, accreditation.Policy{}, err
	}
	p, err := s.windowsPolicy(r, w)
	return w, p, err
}

// appWrite is what a write on one application works on: the application
// as loaded (and its audit digest), its window, the policy that governs it,
// what some transitions need besides, and the notices the transition
// raises.
type appWrite struct {
	a      accreditation.Application
	w      accreditation.Window
	p      accreditation.Policy
	before json.RawMessage
	// acts is how many acts the application had when loaded: a notice's
	// dedupe key names the act by it.
	acts int
	// letter is the document Edit names, when it is this organisation's.
	letter *store.Document
	// ecosoc is the ECOSOC list entry of the organisation (Verify).
	ecosoc struct {
		entry  accreditation.ECOSOCEntry
		listed bool
	}
	// states are the States taking part (Object).
	states map[string]bool
	// docs counts the organisation's uploads since the application began,
	// and upload is a new letter to store and refer to (UploadLetter).
	docs   int
	upload *store.Document
	// notices go out after the commit.
	notices []store.Notice
}

// change is the one write on an application, an apply.Write: load it inside
// the transaction once (with its window, the policy that governs it, and
// what more needs), check that u may see it at all (the permission on the
// real target), let f apply the pure transition at now, save it with its
// audit entry, record f's notices and email them after commit. The audit
// entry is public unless confidential is set and the policy keeps
// objections from the public (an objection names its State).
func (s *Service) change(ctx context.Context, u *concord.User, id int64, action string, confidential bool,
	more func(r store.Reader, x *appWrite) error, f func(x *appWrite, now time.Time) error) (accreditation.Application, error) {
	x, err := apply.Write[appWrite]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (appWrite, error) {
			var x appWrite
			var err error
			if x.a, x.w, err = r.ApplicationInWindow(id); err != nil {
				return x, err
			}
			if x.p, err = s.windowsPolicy(r, x.w); err != nil {
				return x, err
			}
			if x.before, err = store.Snapshot(x.a); err != nil {
				return x, err
			}
			x.acts = len(x.a.History)
			if more != nil {
				err = more(r, &x)
			}
			return x, err
		},
		Allow: func(x appWrite) error {
			if !accreditation.CanView(u, x.a, x.p.Disclosure) {
				return concord.ErrNotFound // its existence is not disclosed either
			}
			return nil
		},
		Change: f,
		Save: func(tx *store.Tx, x *appWrite) error {
			if x.upload != nil {
				// The letter's id exists once it is stored: the edit that
				// refers to it follows (the transition checked it may).
				if err := tx.AddDocument(x.upload); err != nil {
					return err
				}
				c := x.a.Content
				c.Letter = strconv.FormatInt(x.upload.ID, 10)
				if err := x.a.Edit(c, x.w, u, tx.Now); err != nil {
					return err
				}
			}
			public := !confidential || x.p.Disclosure == accreditation.ObjectionsPublic
			return tx.UpdateApplication(x.before, &x.a, action, public)
		},
		Notices: func(x appWrite) []store.Notice { return x.notices },
		Mail:    s.mail}.Run(ctx, s.DB)
	return x.a, err
}

// mail puts, when email is on, one message per recipient of each notice
// recorded into the outbox, in the write's transaction: a notice is emailed
// exactly when it is recorded, and once.
func (s *Service) mail(tx *store.Tx, added []store.Notice) error {
	if !s.Email {
		return nil
	}
	for _, n := range added {
		to, err := tx.NoticeRecipients(n)
		if err != nil {
			return err
		}
		for _, rc := range to {
			subject, body, err := apply.NoticeMail(rc.Lang, n, s.BaseURL)
			if err != nil {
				return err
			}
			// One message per person: recipients do not see each other.
			if _, err := tx.Enqueue(store.Mail{Dedupe: "notice:" + n.Dedupe + ":" + rc.Email, To: []string{rc.Email},
				Subject: subject, Text: body, Unsubscribe: s.BaseURL + "/" + rc.Lang + "/account/email"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Edit replaces an application's content.
func (s *Service) Edit(ctx context.Context, u *concord.User, id int64, c accreditation.Content) (accreditation.Application, error) {
	loadLetter := func(r store.Reader, x *appWrite) error {
		docID, err := strconv.ParseInt(c.Letter, 10, 64)
		if c.Letter == "" || err != nil {
			return nil
		}
		if d, err := r.Document(docID); err == nil {
			x.letter = &d
		} else if !errors.Is(err, concord.ErrNotFound) {
			return err
		}
		return nil
	}
	return s.change(ctx, u, id, "accreditation.edit", false, loadLetter, func(x *appWrite, now time.Time) error {
		// The letter must be a document uploaded for this application (or
		// the one it already has, which a legacy upload may not name): an
		// organisation's letter for one window is not its letter for another.
		if c.Letter != "" && c.Letter != x.a.Content.Letter && (x.letter == nil || x.letter.ApplicationID != x.a.ID) {
			return concord.Errorf(concord.EInvalid, "letter", "error.letter", "unknown document %q", c.Letter)
		}
		return x.a.Edit(c, x.w, u, now)
	})
}

// Actions an applicant or the Secretariat take on an application.
const (
	ActSubmit   = "submit"
	ActResubmit = "resubmit"
	ActWithdraw = "withdraw"
	ActReturn   = "return"
	ActReject   = "reject"
	ActVerify   = "verify"
)

// Act applies one of the actions above; remarks go with return and reject.
func (s *Service) Act(ctx context.Context, u *concord.User, id int64, action string, remarks []string) (accreditation.Application, error) {
	var more func(store.Reader, *appWrite) error
	if action == ActVerify {
		more = func(r store.Reader, x *appWrite) error {
			org, err := r.Organization(x.a.OrgID)
			if err != nil {
				return err
			}
			// By the identifier the Secretariat recorded, never by a name.
			x.ecosoc.entry, x.ecosoc.listed, err = r.ECOSOCListed(org.ECOSOCID)
			return err
		}
	}
	return s.change(ctx, u, id, "accreditation."+action, false, more, func(x *appWrite, now time.Time) error {
		a := &x.a
		toOrg := func(key string) {
			x.notices = append(x.notices, store.Notice{OrgID: a.OrgID, Key: key, Link: fmt.Sprintf("/accreditation/applications/%d", a.ID),
				Dedupe: fmt.Sprintf("app:%d:%s:%d", a.ID, action, x.acts)})
		}
		switch action {
		case ActSubmit, ActResubmit:
			// The Secretariat is told an application waits to be screened.
			x.notices = append(x.notices, store.Notice{Role: concord.RoleSecretariat, Key: "notice.to_screen",
				Link: fmt.Sprintf("/accreditation/applications/%d", a.ID), Dedupe: fmt.Sprintf("app:%d:%s:%d:secretariat", a.ID, action, x.acts)})
			if action == ActSubmit {
				return a.Submit(x.w, u, now)
			}
			return a.Resubmit(x.w, u, now)
		case ActWithdraw:
			return a.Withdraw(x.w, u, now)
		case ActReturn:
			toOrg("notice.returned")
			return a.Return(remarks, u, now)
		case ActReject:
			toOrg("notice.rejected")
			return a.Reject(remarks, u, now)
		case ActVerify:
			verified, err := a.VerifyECOSOC(func(int64) (accreditation.ECOSOCEntry, bool) { return x.ecosoc.entry, x.ecosoc.listed }, u, now)
			if verified {
				toOrg("notice.accredited")
			}
			return err
		}
		return concord.Errorf(concord.EInvalid, "action", "error.action", "unknown action %q", action)
	})
}

// Circulate sends a closed window's screened applications to States and
// sets the objection deadline (Secretariat only).
func (s *Service) Circulate(ctx context.Context, u *concord.User, windowID string) (int, error) {
	loc, err := s.Location(ctx)
	if err != nil {
		return 0, err
	}
	type circulating struct {
		w       accreditation.Window
		p       accreditation.Policy
		apps    []accreditation.Application // the window's
		states  []concord.State             // every State is notified
		n       int
		changed []int // indexes of apps circulated
	}
	x, err := apply.Write[circulating]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (circulating, error) {
			var x circulating
			var err error
			if x.w, x.p, err = s.windowPolicy(r, windowID); err != nil {
				return x, err
			}
			if x.apps, err = r.Applications(store.ApplicationFilter{Window: x.w.ID}); err != nil {
				return x, err
			}
			x.states, err = r.States()
			return x, err
		},
		Change: func(x *circulating, now time.Time) error {
			before := make([]accreditation.ApplicationStatus, len(x.apps))
			for i, a := range x.apps {
				before[i] = a.Status
			}
			var err error
			if x.n, err = accreditation.Circulate(x.p, &x.w, x.apps, loc, u, now); err != nil {
				return err
			}
			for i := range x.apps {
				if x.apps[i].Status != before[i] {
					x.changed = append(x.changed, i)
				}
			}
			return nil
		},
		Save: func(tx *store.Tx, x *circulating) error {
			if err := tx.SaveWindow(x.w, "accreditation.circulate"); err != nil {
				return err
			}
			for _, i := range x.changed {
				if err := tx.SaveApplication(&x.apps[i], "accreditation.circulated", true); err != nil {
					return err
				}
			}
			return nil
		},
		Notices: func(x circulating) []store.Notice {
			var notices []store.Notice
			deadline := x.w.ObjectionDeadline.Format(time.RFC3339)
			for _, i := range x.changed {
				a := x.apps[i]
				notices = append(notices, store.Notice{OrgID: a.OrgID, Key: "notice.circulated_applicant",
					Args: map[string]string{"Deadline": deadline},
					Link: fmt.Sprintf("/accreditation/applications/%d", a.ID), Dedupe: fmt.Sprintf("circulated:%s:%d", x.w.ID, a.ID)})
			}
			for _, st := range x.states {
				notices = append(notices, store.Notice{State: st.ISO3, Key: "notice.circulated_state",
					Args: map[string]string{"Count": strconv.Itoa(x.n), "Deadline": deadline},
					Link: "/accreditation/windows/" + x.w.ID, Dedupe: "circulated:" + x.w.ID + ":" + st.ISO3})
			}
			return notices
		},
		Mail: s.mail}.Run(ctx, s.DB)
	return x.n, err
}

// Object files the delegate's State's objection to an application.
// Objections are confidential unless the disclosure policy is public, so the
// audit entry is too. The States taking part are the registry's (read in
// the transaction, from the registry's cache while the log's head holds).
func (s *Service) Object(ctx context.Context, u *concord.User, id int64, basis string) (accreditation.Application, error) {
	state := ""
	if u != nil {
		state = u.State
	}
	loadStates := func(r store.Reader, x *appWrite) error {
		states, err := r.States()
		x.states = map[string]bool{}
		for _, st := range states {
			x.states[st.ISO3] = true
		}
		return err
	}
	return s.change(ctx, u, id, "accreditation.object", true, loadStates, func(x *appWrite, now time.Time) error {
		if err := x.a.Object(x.p, x.w, state, basis, func(iso3 string) bool { return x.states[iso3] }, u, now); err != nil {
			return err
		}
		x.notices = objectionNotices(x.a.ID, len(x.a.Objections), x.p.Disclosure)
		return nil
	})
}

// objectionNotices tell the Secretariat, and the Chair when the disclosure
// rule lets the Chair know of objections at all, that application id
// received one, its nth. The notice names no State: who objected is on the
// application's page, for those the rule lets see it.
func objectionNotices(id int64, nth int, level accreditation.ObjectionDisclosure) []store.Notice {
	var out []store.Notice
	for _, role := range []concord.Role{concord.RoleSecretariat, concord.RoleChair} {
		if !accreditation.Disclose(level, &concord.User{Role: role}, nil).CountVisible {
			continue
		}
		out = append(out, store.Notice{Role: role, Key: "notice.objection_received", Link: fmt.Sprintf("/accreditation/applications/%d", id),
			Dedupe: fmt.Sprintf("objection:%d:%d:%s", id, nth, role)})
	}
	return out
}

// WithdrawObjection withdraws the delegate's State's objection.
func (s *Service) WithdrawObjection(ctx context.Context, u *concord.User, id int64) (accreditation.Application, error) {
	state := ""
	if u != nil {
		state = u.State
	}
	return s.change(ctx, u, id, "accreditation.withdraw_objection", true, nil, func(x *appWrite, now time.Time) error {
		return x.a.WithdrawObjection(x.p, x.w, state, u, now)
	})
}

// DecideDue decides every circulated window whose deadline has passed and
// records the outcomes. It is idempotent and safe to run from several
// instances at once (writes are serialised and outcomes settle only once):
// the scheduler calls it every few seconds and pages call it for the window
// they show, so the transition happens at the deadline whether or not
// anyone is looking. It returns how many applications changed.
func (s *Service) DecideDue(ctx context.Context, windowID string) (int, error) {
	windows, err := s.DB.AccreditationWindows(ctx, s.Process)
	if err != nil {
		return 0, err
	}
	now := s.DB.Now()
	total := 0
	for _, w := range windows {
		if (windowID != "" && w.ID != windowID) || !w.Circulated() || accreditation.InTime(now, w.ObjectionDeadline) {
			continue
		}
		pending, err := s.DB.ListApplications(ctx, store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationCirculated})
		if err != nil {
			return total, err
		}
		if len(pending) == 0 {
			continue
		}
		type deciding struct {
			w        accreditation.Window
			p        accreditation.Policy
			apps     []accreditation.Application // circulated, undecided
			outcomes []accreditation.Outcome
			n        int
		}
		x, err := apply.Write[deciding]{
			Load: func(r store.Reader, _ time.Time) (deciding, error) {
				var x deciding
				var err error
				if x.w, x.p, err = s.windowPolicy(r, w.ID); err != nil {
					return x, err
				}
				// Re-read inside the transaction: another instance may have
				// decided in between.
				x.apps, err = r.Applications(store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationCirculated})
				return x, err
			},
			Change: func(x *deciding, now time.Time) error {
				x.outcomes = accreditation.Decide(x.p, x.w, x.apps, now)
				var err error
				x.n, err = accreditation.Settle(x.apps, x.outcomes, now)
				return err
			},
			Save: func(tx *store.Tx, x *deciding) error {
				if x.n == 0 {
					return tx.Audit("accreditation.decide.noop", "accreditation_window", x.w.ID, nil, nil, true)
				}
				for i, o := range x.outcomes {
					if o.Changed {
						if err := tx.SaveApplication(&x.apps[i], "accreditation.decide", true); err != nil {
							return err
						}
					}
				}
				return nil
			},
			Notices: func(x deciding) []store.Notice {
				if x.n == 0 {
					return nil
				}
				var notices []store.Notice
				for i, o := range x.outcomes {
					if !o.Changed {
						continue
					}
					key := "notice.accredited"
					if x.apps[i].Status == accreditation.ApplicationBlocked {
						key = "notice.blocked"
					}
					notices = append(notices, store.Notice{OrgID: x.apps[i].OrgID, Key: key, Link: fmt.Sprintf("/accreditation/applications/%d", x.apps[i].ID),
						Dedupe: fmt.Sprintf("decided:%d", x.apps[i].ID)})
				}
				return notices
			},
			Mail: s.mail}.Run(ctx, s.DB)
		if err != nil {
			return total, err
		}
		total += x.n
	}
	return total, nil
}

// Remind sends States a notice once a round's deadline is less than a day
// away (idempotent through the notices' dedupe keys).
func (s *Service) Remind(ctx context.Context) error {
	windows, err := s.DB.AccreditationWindows(ctx, s.Process)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	for _, w := range windows {
		if !w.Circulated() || !accreditation.InTime(now, w.ObjectionDeadline) || w.ObjectionDeadline.Sub(now) > 24*time.Hour {
			continue
		}
		// The audit entry counts the notices recorded, so Save records
		// them itself, with their emails.
		type reminding struct {
			states []concord.State
			sent   []store.Notice
		}
		_, err := apply.Write[reminding]{
			Load: func(r store.Reader, _ time.Time) (reminding, error) {
				states, err := r.States()
				return reminding{states: states}, err
			},
			Save: func(tx *store.Tx, x *reminding) error {
				var notices []store.Notice
				for _, st := range x.states {
					notices = append(notices, store.Notice{State: st.ISO3, Key: "notice.deadline_soon",
						Args: map[string]string{"Deadline": w.ObjectionDeadline.Format(time.RFC3339)},
						Link: "/accreditation/windows/" + w.ID, Dedupe: "remind:" + w.ID + ":" + st.ISO3})
				}
				var err error
				if x.sent, err = apply.AddNotices(tx, notices); err != nil {
					return err
				}
				if err := s.mail(tx, x.sent); err != nil {
					return err
				}
				return tx.Audit("accreditation.remind", "accreditation_window", w.ID, nil, map[string]int{"notices": len(x.sent)}, true)
			}}.Run(ctx, s.DB)
		if err != nil {
			return err
		}
	}
	return nil
}

// Run is the scheduler: it decides due rounds and sends reminders every
// interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.DecideDue(ctx, ""); err != nil && ctx.Err() == nil {
			s.Log.Error("accreditation: deciding due rounds", "err", err)
		}
		if err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("accreditation: reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ImportECOSOC replaces the ECOSOC consultative-status list from a CSV with
// the columns id,name,category (a header row is required): id is the
// identifier the list gives the organisation, which the Secretariat records
// on the organisation and verification matches on.
func (s *Service) ImportECOSOC(ctx context.Context, u *concord.User, r io.Reader) (int, error) {
	if !concord.Can(u, concord.ActManageAccreditation, concord.Target{}) {
		return 0, forbidden()
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	var mbe *http.MaxBytesError
	head, err := cr.Read()
	if errors.As(err, &mbe) {
		return 0, err // over the body limit: 413, not a CSV problem
	}
	header := func(i int, want string) bool {
		return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))) == want
	}
	if err != nil || !header(0, "id") || !header(1, "name") || !header(2, "category") {
		return 0, concord.Errorf(concord.EInvalid, "file", "error.ecosoc_csv", "the CSV must start with the header id,name,category")
	}
	var entries []store.ECOSOCEntry
	seen, dup := map[string]bool{}, 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if errors.As(err, &mbe) {
			return 0, err
		}
		if err != nil {
			return 0, concord.Errorf(concord.EInvalid, "file", "error.ecosoc_csv", "line %d: %v", line, err)
		}
		e := store.ECOSOCEntry{ID: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), Category: strings.ToLower(strings.TrimSpace(rec[2]))}
		if seen[e.ID] && dup == 0 {
			dup = line // reported once the whole body is read: an oversized list is a 413 first
		}
		if e.ID == "" || !concord.ValidECOSOCID(e.ID) || e.Name == "" || (e.Category != "general" && e.Category != "special" && e.Category != "roster") {
			return 0, concord.Errorf(concord.EInvalid, "file", "error.ecosoc_csv", "line %d: need a unique identifier, a name and a category general, special or roster", line)
		}
		seen[e.ID] = true
		entries = append(entries, e)
	}
	if dup > 0 {
		return 0, concord.Errorf(concord.EInvalid, "file", "error.ecosoc_csv", "line %d: identifier listed twice", dup)
	}
	_, err = apply.Write[[]store.ECOSOCEntry]{Actor: u,
		Load: apply.Given(entries),
		Save: func(tx *store.Tx, entries *[]store.ECOSOCEntry) error { return tx.ReplaceECOSOCList(*entries) }}.Run(ctx, s.DB)
	return len(entries), err
}

// Upload limits for supporting documents.
const (
	MaxUpload = 5 << 20
)

// allowedUploads maps sniffed content types to what we accept: PDF and
// images of a letter on letterhead.
var allowedUploads = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true}

// FilePart returns the part named "file" of a multipart/form-data body,
// streamed: the body is read no further than the caller reads. A request
// that is not multipart, or whose envelope is malformed, is the client's
// error (EInvalid on "file"); a body over the limit stays a
// *http.MaxBytesError, answered 413.
func FilePart(contentType string, r io.Reader) (name string, body io.Reader, err error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", nil, concord.Errorf(concord.EInvalid, "file", "error.multipart", "send the file as multipart/form-data")
	}
	mr := multipart.NewReader(r, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, concord.Errorf(concord.EInvalid, "file", "error.required", "choose a file")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, err
		}
		if err != nil {
			// A body that is not the multipart it claims: the client's fault.
			return "", nil, concord.Errorf(concord.EBadRequest, "file", "error.malformed", "malformed multipart body: %v", err)
		}
		if part.FormName() == "file" {
			if e := input.Check("file", part.FileName()); e != nil {
				return "", nil, e
			}
			return part.FileName(), part, nil
		}
	}
}

// ReadUpload reads an upload body up to MaxUpload+1 bytes, so that
// newDocument can tell a file over the limit.
func ReadUpload(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxUpload+1))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, concord.Errorf(concord.ETooLarge, "file", "error.upload_too_large", "files are limited to %d MB", MaxUpload>>20)
	}
	if err != nil {
		return nil, concord.Errorf(concord.EInvalid, "file", "error.multipart", "malformed multipart body: %v", err)
	}
	return data, nil
}

// newDocument checks an upload (size, sniffed type, file name) and returns
// the document of application a to store; it stores nothing.
func newDocument(a *accreditation.Application, name string, data []byte) (store.Document, error) {
	if len(data) == 0 {
		return store.Document{}, concord.Errorf(concord.EInvalid, "file", "error.required", "choose a file")
	}
	if len(data) > MaxUpload {
		return store.Document{}, concord.Errorf(concord.ETooLarge, "file", "error.upload_too_large", "files are limited to 5 MB")
	}
	ct := http.DetectContentType(data)
	if !allowedUploads[ct] {
		return store.Document{}, concord.Errorf(concord.EUnsupported, "file", "error.upload_type", "only PDF, PNG and JPEG files are accepted, not %s", ct)
	}
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || len(name) > 200 {
		name = "document"
	}
	sum := sha256.Sum256(data)
	return store.Document{OrgID: a.OrgID, ApplicationID: a.ID, Name: name, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: bytes.Clone(data)}, nil
}

// LetterEditable reports, without storing anything, whether u may replace
// the letter of application id now: the check a handler makes before it
// reads an upload, so that a refused upload is neither read nor stored.
// UploadLetter checks again inside its transaction.
func (s *Service) LetterEditable(ctx context.Context, u *concord.User, id int64) error {
	a, err := s.DB.GetApplication(ctx, id)
	if err != nil {
		return err
	}
	w, err := s.DB.AccreditationWindow(ctx, a.Window)
	if err != nil {
		return err
	}
	c := a.Content
	c.Letter = "0" // any reference: only whether the content may change is asked
	if err := a.Edit(c, w, u, s.DB.Now()); err != nil {
		return err
	}
	n, err := s.DB.ApplicationDocuments(ctx, a.ID)
	if err != nil {
		return err
	}
	return uploadQuota(n)
}

// MaxDocuments is the most files one application may have uploaded, every
// replaced letter included: a few corrections fit, and no account can fill
// the database with uploads.
const MaxDocuments = 10

// uploadQuota refuses an upload when n documents were already uploaded for
// the application.
func uploadQuota(n int) error {
	if n >= MaxDocuments {
		return concord.Errorf(concord.EInvalid, "file", "error.upload_quota", "%d files were uploaded for this application, the most allowed", n)
	}
	return nil
}

// UploadLetter stores the letter on letterhead of application id and makes
// it the application's letter, in one transaction: the application is
// checked as editable by u before the document is added, and a refusal
// stores nothing (no orphan documents).
func (s *Service) UploadLetter(ctx context.Context, u *concord.User, id int64, name string, data []byte) (accreditation.Application, error) {
	countDocs := func(r store.Reader, x *appWrite) error {
		// Counted in the write transaction, so parallel uploads cannot pass it.
		var err error
		x.docs, err = r.ApplicationDocuments(x.a.ID)
		return err
	}
	return s.change(ctx, u, id, "accreditation.letter", false, countDocs, func(x *appWrite, now time.Time) error {
		c := x.a.Content
		c.Letter = "0"
		probe := x.a
		if err := probe.Edit(c, x.w, u, now); err != nil {
			return err
		}
		if err := uploadQuota(x.docs); err != nil {
			return err
		}
		d, err := newDocument(&x.a, name, data)
		if err != nil {
			return err
		}
		x.upload = &d // stored by change, then made the letter
		return nil
	})
}

// Visible reports whether u may see the application at all, under the
// disclosure level of its window.
func (s *Service) Visible(ctx context.Context, u *concord.User, a accreditation.Application) (bool, error) {
	w, err := s.DB.AccreditationWindow(ctx, a.Window)
	if err != nil {
		return false, err
	}
	level, err := s.Disclosure(ctx, w)
	if err != nil {
		return false, err
	}
	return accreditation.CanView(u, a, level), nil
}

// Disclosure returns the disclosure level that governs a window's
// objections: the policy version in force when it opened.
func (s *Service) Disclosure(ctx context.Context, w accreditation.Window) (accreditation.ObjectionDisclosure, error) {
	p, err := s.policyFor(ctx, w)
	return p.Disclosure, err
}

// StatesByCode returns the States keyed by ISO3, as simulation and
// statistics need them.
func (s *Service) StatesByCode(ctx context.Context) (map[string]concord.State, error) {
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]concord.State, len(states))
	for _, st := range states {
		m[st.ISO3] = st
	}
	return m, nil
}
