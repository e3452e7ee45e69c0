// Package accredit runs stakeholder accreditation: it loads what the pure
// domain rules (package accreditation) need from the store, applies them in
// one audited transaction, records notices, and sends email after commit.
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
	if p.EffectiveFrom.IsZero() {
		p.EffectiveFrom = now
	} else if p.EffectiveFrom.Before(now.Add(-time.Minute)) {
		return p, concord.Errorf(concord.EInvalid, "effective_from", "error.policy_backdated", "a policy version cannot take effect in the past")
	}
	err := s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.AddAccreditationPolicy(&p) })
	return p, err
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
	opens, err := concord.LocalToUTC(in.OpensDate, in.OpensTime, loc)
	if err != nil {
		return w, fieldErr(err, "opens")
	}
	closes, err := concord.LocalToUTC(in.ClosesDate, in.ClosesTime, loc)
	if err != nil {
		return w, fieldErr(err, "closes")
	}
	var validUntil time.Time
	if in.ValidUntilDate != "" {
		if in.ValidUntilTime == "" {
			in.ValidUntilTime = "00:00"
		}
		if validUntil, err = concord.LocalToUTC(in.ValidUntilDate, in.ValidUntilTime, loc); err != nil {
			return w, fieldErr(err, "valid_until")
		}
	}
	w = accreditation.Window{Process: s.Process, Scope: in.Scope, Body: strings.ToUpper(strings.TrimSpace(in.Body)), Cycle: in.Cycle, Opens: opens, Closes: closes}
	if w.Cycle == 0 {
		w.Cycle = opens.In(loc).Year()
	}
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
		versions, err := tx.AccreditationPolicies(s.Process)
		if err != nil {
			return err
		}
		p, err := accreditation.PolicyForWindow(versions, w)
		if err != nil {
			return err
		}
		w.ValidUntil = accreditation.SuggestValidUntil(p.Validity, w.Cycle, loc)
		if !validUntil.IsZero() {
			w.ValidUntil = validUntil
		}
		if err := tx.CreateAccreditationWindow(&w); err != nil {
			return err
		}
		// After the window's own checks, so that a window closing before it
		// opens is reported as that, not as a validity problem.
		if err := w.ValidateValidity(p, loc); err != nil {
			return fieldErr(err, "valid_until")
		}
		return nil
	})
	return w, err
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
	org, err := s.DB.GetOrganization(ctx, orgID)
	if err != nil {
		return a, err
	}
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
		w, p, err := s.windowPolicy(tx, windowID)
		if err != nil {
			return err
		}
		existing, err := tx.Applications(store.ApplicationFilter{OrgID: org.ID})
		if err != nil {
			return err
		}
		a, err = accreditation.Apply(p, w, org, existing, u, tx.Now)
		if err != nil {
			return err
		}
		return tx.SaveApplication(&a, "accreditation.apply", true)
	})
	return a, err
}

// PolicyFor returns the policy version that governs window w: the one in
// force when it opened.
func (s *Service) PolicyFor(ctx context.Context, w accreditation.Window) (accreditation.Policy, error) {
	return s.policyFor(ctx, w)
}

func (s *Service) policyFor(ctx context.Context, w accreditation.Window) (accreditation.Policy, error) {
	versions, err := s.DB.AccreditationPolicies(ctx, s.Process)
	if err != nil {
		return accreditation.Policy{}, err
	}
	return accreditation.PolicyForWindow(versions, w)
}

// windowPolicy reads a window inside the transaction and the policy
// version it runs under.
func (s *Service) windowPolicy(tx *store.Tx, id string) (accreditation.Window, accreditation.Policy, error) {
	w, err := tx.Window(id)
	if err != nil {
		return w, accreditation.Policy{}, err
	}
	versions, err := tx.AccreditationPolicies(s.Process)
	if err != nil {
		return w, accreditation.Policy{}, err
	}
	p, err := accreditation.PolicyForWindow(versions, w)
	return w, p, err
}

// change is the one write shape of an application: load it inside the
// transaction once (with its window and the policy that governs it), check
// that u may see it at all, let f apply the pure transition, save it with
// its audit entry, and send the notices f returns after commit. The audit
// entry is public unless confidential is set and the policy keeps
// objections from the public (an objection names its State).
func (s *Service) change(ctx context.Context, u *concord.User, id int64, action string, confidential bool,
	f func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error)) (accreditation.Application, error) {
	var a accreditation.Application
	err := s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
		var err error
		a, err = tx.Application(id)
		if err != nil {
			return err
		}
		w, p, err := s.windowPolicy(tx, a.Window)
		if err != nil {
			return err
		}
		if !accreditation.CanView(u, a, p.Disclosure) {
			return concord.ErrNotFound // its existence is not disclosed either
		}
		before, err := store.Snapshot(a)
		if err != nil {
			return err
		}
		notices, err := f(tx, p, &w, &a)
		if err != nil {
			return err
		}
		public := !confidential || p.Disclosure == accreditation.ObjectionsPublic
		if err := tx.UpdateApplication(before, &a, action, public); err != nil {
			return err
		}
		_, err = s.addNotices(tx, notices)
		return err
	})
	return a, err
}

// addNotices adds the notices to the inbox and, when email is on, one
// message per recipient to the outbox, in the same transaction: a notice
// is emailed exactly when it is recorded, and once.
func (s *Service) addNotices(tx *store.Tx, notices []store.Notice) ([]store.Notice, error) {
	var added []store.Notice
	for i := range notices {
		ok, err := tx.AddNotice(&notices[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		added = append(added, notices[i])
		if !s.Email {
			continue
		}
		to, err := tx.NoticeEmails(notices[i].State, notices[i].OrgID)
		if err != nil {
			return nil, err
		}
		subject, body := EmailText(notices[i], s.BaseURL)
		for _, addr := range to {
			// One message per person: recipients do not see each other.
			if _, err := tx.Enqueue(store.Mail{Dedupe: "notice:" + notices[i].Dedupe + ":" + addr, To: []string{addr},
				Subject: subject, Text: body, Unsubscribe: s.BaseURL + "/en/account/email"}); err != nil {
				return nil, err
			}
		}
	}
	return added, nil
}

// Edit replaces an application's content.
func (s *Service) Edit(ctx context.Context, u *concord.User, id int64, c accreditation.Content) (accreditation.Application, error) {
	return s.change(ctx, u, id, "accreditation.edit", false, func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error) {
		if c.Letter != "" {
			// The letter must be a document this organisation uploaded.
			docID, err := strconv.ParseInt(c.Letter, 10, 64)
			if err != nil {
				return nil, concord.Errorf(concord.EInvalid, "letter", "error.letter", "unknown document %q", c.Letter)
			}
			d, err := tx.Document(docID)
			if err != nil || d.OrgID != a.OrgID {
				return nil, concord.Errorf(concord.EInvalid, "letter", "error.letter", "unknown document %q", c.Letter)
			}
		}
		return nil, a.Edit(c, *w, u, tx.Now)
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
	return s.change(ctx, u, id, "accreditation."+action, false, func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error) {
		link := fmt.Sprintf("/accreditation/applications/%d", a.ID)
		toOrg := func(key string) []store.Notice {
			return []store.Notice{{OrgID: a.OrgID, Key: key, Link: link, Dedupe: fmt.Sprintf("app:%d:%s:%d", a.ID, action, len(a.History))}}
		}
		switch action {
		case ActSubmit:
			return nil, a.Submit(*w, u, tx.Now)
		case ActResubmit:
			return nil, a.Resubmit(*w, u, tx.Now)
		case ActWithdraw:
			return nil, a.Withdraw(*w, u, tx.Now)
		case ActReturn:
			return toOrg("notice.returned"), a.Return(remarks, u, tx.Now)
		case ActReject:
			return toOrg("notice.rejected"), a.Reject(remarks, u, tx.Now)
		case ActVerify:
			org, err := tx.Organization(a.OrgID)
			if err != nil {
				return nil, err
			}
			// By the identifier the Secretariat recorded, never by a name.
			entry, on, err := tx.ECOSOCListed(org.ECOSOCID)
			if err != nil {
				return nil, err
			}
			verified, err := a.VerifyECOSOC(func(int64) (accreditation.ECOSOCEntry, bool) { return entry, on }, u, tx.Now)
			if err != nil {
				return nil, err
			}
			if verified {
				return toOrg("notice.accredited"), nil
			}
			return nil, nil
		}
		return nil, concord.Errorf(concord.EInvalid, "action", "error.action", "unknown action %q", action)
	})
}

// Circulate sends a closed window's screened applications to States and
// sets the objection deadline (Secretariat only).
func (s *Service) Circulate(ctx context.Context, u *concord.User, windowID string) (int, error) {
	loc, err := s.Location(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
		w, p, err := s.windowPolicy(tx, windowID)
		if err != nil {
			return err
		}
		apps, err := tx.Applications(store.ApplicationFilter{Window: w.ID})
		if err != nil {
			return err
		}
		before := make(map[int64]accreditation.ApplicationStatus, len(apps))
		for _, a := range apps {
			before[a.ID] = a.Status
		}
		n, err = accreditation.Circulate(p, &w, apps, loc, u, tx.Now)
		if err != nil {
			return err
		}
		if err := tx.SaveWindow(w, "accreditation.circulate"); err != nil {
			return err
		}
		var notices []store.Notice
		for i := range apps {
			if apps[i].Status != before[apps[i].ID] {
				if err := tx.SaveApplication(&apps[i], "accreditation.circulated", true); err != nil {
					return err
				}
				notices = append(notices, store.Notice{OrgID: apps[i].OrgID, Key: "notice.circulated_applicant",
					Args: map[string]string{"Deadline": w.ObjectionDeadline.Format(time.RFC3339)},
					Link: fmt.Sprintf("/accreditation/applications/%d", apps[i].ID), Dedupe: fmt.Sprintf("circulated:%s:%d", w.ID, apps[i].ID)})
			}
		}
		states, err := s.DB.ListStates(tx.Context())
		if err != nil {
			return err
		}
		for _, st := range states {
			notices = append(notices, store.Notice{State: st.ISO3, Key: "notice.circulated_state",
				Args: map[string]string{"Count": strconv.Itoa(n), "Deadline": w.ObjectionDeadline.Format(time.RFC3339)},
				Link: "/accreditation/windows/" + w.ID, Dedupe: "circulated:" + w.ID + ":" + st.ISO3})
		}
		_, err = s.addNotices(tx, notices)
		return err
	})
	return n, err
}

// Object files the delegate's State's objection to an application.
// Objections are confidential unless the disclosure policy is public, so the
// audit entry is too. The States taking part are the registry's (read
// before the transaction, from its cache).
func (s *Service) Object(ctx context.Context, u *concord.User, id int64, basis string) (accreditation.Application, error) {
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return accreditation.Application{}, err
	}
	participant := map[string]bool{}
	for _, st := range states {
		participant[st.ISO3] = true
	}
	state := ""
	if u != nil {
		state = u.State
	}
	return s.change(ctx, u, id, "accreditation.object", true, func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error) {
		return nil, a.Object(p, *w, state, basis, func(iso3 string) bool { return participant[iso3] }, u, tx.Now)
	})
}

// WithdrawObjection withdraws the delegate's State's objection.
func (s *Service) WithdrawObjection(ctx context.Context, u *concord.User, id int64) (accreditation.Application, error) {
	state := ""
	if u != nil {
		state = u.State
	}
	return s.change(ctx, u, id, "accreditation.withdraw_objection", true, func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error) {
		return nil, a.WithdrawObjection(p, *w, state, u, tx.Now)
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
		err = s.DB.Update(ctx, "system", func(tx *store.Tx) error {
			w, p, err := s.windowPolicy(tx, w.ID)
			if err != nil {
				return err
			}
			// Re-read inside the transaction: another instance may have
			// decided in between.
			apps, err := tx.Applications(store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationCirculated})
			if err != nil {
				return err
			}
			outcomes := accreditation.Decide(p, w, apps, tx.Now)
			n, err := accreditation.Settle(apps, outcomes, tx.Now)
			if err != nil {
				return err
			}
			total += n
			var notices []store.Notice
			for i, o := range outcomes {
				if !o.Changed {
					continue
				}
				if err := tx.SaveApplication(&apps[i], "accreditation.decide", true); err != nil {
					return err
				}
				key := "notice.accredited"
				if apps[i].Status == accreditation.ApplicationBlocked {
					key = "notice.blocked"
				}
				notices = append(notices, store.Notice{OrgID: apps[i].OrgID, Key: key, Link: fmt.Sprintf("/accreditation/applications/%d", apps[i].ID),
					Dedupe: fmt.Sprintf("decided:%d", apps[i].ID)})
			}
			if n == 0 {
				return tx.Audit("accreditation.decide.noop", "accreditation_window", w.ID, nil, nil, true)
			}
			_, err = s.addNotices(tx, notices)
			return err
		})
		if err != nil {
			return total, err
		}
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
		states, err := s.DB.ListStates(ctx)
		if err != nil {
			return err
		}
		var sent []store.Notice
		err = s.DB.Update(ctx, "system", func(tx *store.Tx) error {
			var notices []store.Notice
			for _, st := range states {
				notices = append(notices, store.Notice{State: st.ISO3, Key: "notice.deadline_soon",
					Args: map[string]string{"Deadline": w.ObjectionDeadline.Format(time.RFC3339)},
					Link: "/accreditation/windows/" + w.ID, Dedupe: "remind:" + w.ID + ":" + st.ISO3})
			}
			sent, err = s.addNotices(tx, notices)
			if err != nil {
				return err
			}
			return tx.Audit("accreditation.remind", "accreditation_window", w.ID, nil, map[string]int{"notices": len(sent)}, true)
		})
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

// emailSubjects are the English email subjects; the inbox shows every notice
// in the reader's language, and the email links to it.
var emailSubjects = map[string]string{
	"notice.circulated_state":     "Concord: applications circulated for objection",
	"notice.circulated_applicant": "Concord: your application was circulated to States",
	"notice.deadline_soon":        "Concord: objection deadline in less than 24 hours",
	"notice.accredited":           "Concord: your organisation is accredited",
	"notice.blocked":              "Concord: your application was not approved this cycle",
	"notice.returned":             "Concord: your application was returned for more information",
	"notice.rejected":             "Concord: your application was not accepted",
}

// EmailText renders a notice as an email subject and body.
func EmailText(n store.Notice, baseURL string) (subject, body string) {
	subject = emailSubjects[n.Key]
	if subject == "" {
		subject = "Concord notice"
	}
	var b strings.Builder
	b.WriteString(subject + "\n\n")
	if d := n.Args["Deadline"]; d != "" {
		b.WriteString("Deadline (UTC): " + d + "\n")
	}
	if c := n.Args["Count"]; c != "" {
		b.WriteString("Applications: " + c + "\n")
	}
	b.WriteString("\nDetails: " + baseURL + "/en" + n.Link + "\n")
	return subject, b.String()
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
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.ReplaceECOSOCList(entries) })
	return len(entries), err
}

// Upload limits for supporting documents.
const (
	MaxUpload = 5 << 20
)

// allowedUploads maps sniffed content types to what we accept: PDF and
// images of a letter on letterhead.
var allowedUploads = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true}

// Upload stores a supporting document for the user's organisation after
// checking its size and its actual content type (sniffed, not claimed).
func (s *Service) Upload(ctx context.Context, u *concord.User, orgID int64, name string, data []byte) (store.Document, error) {
	if u != nil && u.Role == concord.RoleFocalPoint {
		orgID = u.OrgID
	}
	if orgID == 0 || !concord.Can(u, concord.ActApplyAccreditation, concord.Target{OrgID: orgID}) {
		return store.Document{}, forbidden()
	}
	d, err := newDocument(orgID, name, data)
	if err != nil {
		return d, err
	}
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.AddDocument(&d) })
	return d, err
}

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
// the document to store; it stores nothing.
func newDocument(orgID int64, name string, data []byte) (store.Document, error) {
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
	return store.Document{OrgID: orgID, Name: name, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: bytes.Clone(data)}, nil
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
	n, err := s.DB.DocumentsSince(ctx, a.OrgID, a.CreatedAt)
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
	return s.change(ctx, u, id, "accreditation.letter", false, func(tx *store.Tx, p accreditation.Policy, w *accreditation.Window, a *accreditation.Application) ([]store.Notice, error) {
		c := a.Content
		c.Letter = "0"
		probe := *a
		if err := probe.Edit(c, *w, u, tx.Now); err != nil {
			return nil, err
		}
		// Counted in the write transaction, so parallel uploads cannot pass it.
		n, err := tx.DocumentsSince(a.OrgID, a.CreatedAt)
		if err != nil {
			return nil, err
		}
		if err := uploadQuota(n); err != nil {
			return nil, err
		}
		d, err := newDocument(a.OrgID, name, data)
		if err != nil {
			return nil, err
		}
		if err := tx.AddDocument(&d); err != nil {
			return nil, err
		}
		c.Letter = strconv.FormatInt(d.ID, 10)
		return nil, a.Edit(c, *w, u, tx.Now)
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
