// Package signup runs what an organisation does to join Concord by
// itself, for pages and API alike: it signs up with its details and a
// focal point, the focal point verifies their email address, the
// Secretariat verifies or rejects the organisation from its queue, and the
// focal point invites and removes colleagues. Until the Secretariat has
// verified it, the organisation is not public and cannot apply.
package signup

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/apply"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/store"
)

// AddrRule throttles sign-ups per client address: a few are free (a
// colleague's office shares an address), then each waits longer, so that
// nobody fills the Secretariat's queue or sprays verification mail.
var AddrRule = auth.Rule{Scope: "signup-addr", Free: 5, Base: time.Minute, Cap: time.Hour}

// Service runs sign-ups, the Secretariat's verification and an
// organisation's members.
type Service struct {
	DB      *store.DB
	Cat     *i18n.Catalog
	Log     *slog.Logger
	Account *account.Service // sends the verification and invitation links
	// Email is true when this instance sends mail: the decision on a
	// sign-up is emailed as well as put in the inbox.
	Email bool
}

// Application is what an organisation gives when it signs up.
type Application struct {
	Org concord.Organization // names, acronym, type, country, website
	// ECOSOCClaim is the ECOSOC identifier the organisation claims; the
	// Secretariat checks it and records the status itself.
	ECOSOCClaim string
	// The focal point's account.
	Name, Username, Email, Password string
	// ConfirmDuplicate: the applicant saw the likely duplicates and signs
	// up anyway (they are recorded for the Secretariat).
	ConfirmDuplicate bool
	Lang             string
}

// Errors of this package's own guards.
var (
	ErrDecided       = concord.Errorf(concord.EConflict, "", "error.signup_decided", "this sign-up was already decided")
	ErrReason        = concord.Errorf(concord.EInvalid, "reason", "error.signup_reason", "give the reason for the rejection")
	ErrOtherOrg      = concord.Errorf(concord.EForbidden, "", "error.signup_other_org", "you act only for your own organisation")
	ErrSelf          = concord.Errorf(concord.EInvalid, "", "error.signup_self", "you cannot remove yourself")
	ErrEmailRequired = concord.Errorf(concord.EInvalid, "email", "error.required", "email address required")
)

// validate checks every field of a, reporting every problem at once.
func validate(a *Application) error {
	var errs concord.Errors
	a.Org.Kind, a.Org.ECOSOC, a.Org.ECOSOCID = concord.OrgStakeholder, "", ""
	errs = collect(errs, a.Org.Validate())
	if len(a.ECOSOCClaim) > 40 {
		errs = append(errs, concord.Errorf(concord.EInvalid, "ecosoc_id", "error.too_long", "too long"))
	}
	a.Username, a.Email = strings.TrimSpace(a.Username), strings.TrimSpace(a.Email)
	if a.Email == "" {
		errs = append(errs, ErrEmailRequired)
	}
	errs = collect(errs, checkUser(a.Username, a.Email))
	errs = collect(errs, auth.CheckPassword(a.Password, a.Username))
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// checkUser checks a new account's username and address, both problems
// at once (User.Validate stops at the first).
func checkUser(username, email string) error {
	var errs concord.Errors
	errs = collect(errs, (&concord.User{Username: username, Role: concord.RoleFocalPoint, OrgID: 1}).Validate())
	if email != "" {
		errs = collect(errs, (&concord.User{Username: "someone", Email: email, Role: concord.RoleFocalPoint, OrgID: 1}).Validate())
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// collect adds err's problems to errs.
func collect(errs concord.Errors, err error) concord.Errors {
	if err == nil {
		return errs
	}
	if es, ok := err.(concord.Errors); ok {
		return append(errs, es...)
	}
	if e, ok := errors.AsType[*concord.Error](err); ok {
		return append(errs, e)
	}
	return append(errs, concord.Errorf(concord.EInvalid, "", "error.internal", "%v", err))
}

// signingUp is what a sign-up writes: the organisation and its focal
// point, and what the transaction found.
type signingUp struct {
	s          store.Signup
	dups       []concord.Organization
	emailInUse bool
}

// SignUp records a new organisation and its focal point, pending the
// Secretariat's verification, and emails the focal point a link to verify
// their address. Likely duplicates of registered organisations are a
// *store.DuplicatesError unless a.ConfirmDuplicate; an address another
// account uses is a conflict. clientAddr is throttled (*auth.Throttled).
func (s *Service) SignUp(ctx context.Context, a Application, clientAddr string) (store.Signup, error) {
	ok, _, retry, err := s.DB.LoginAttempt(ctx, "signup-addr:"+clientAddr, auth.Reset, AddrRule.Free, AddrRule.Waits())
	if err != nil {
		return store.Signup{}, err
	}
	if !ok {
		wait := max(retry.Sub(s.DB.Now()), time.Second).Round(time.Second)
		s.Log.Warn("sign-up throttled", "addr", clientAddr)
		return store.Signup{}, &auth.Throttled{Err: concord.Errorf(concord.ETooMany, "", "error.too_many_signups", "too many sign-ups; try again in %v", wait), RetryAfter: wait}
	}
	if err := validate(&a); err != nil {
		return store.Signup{}, err
	}
	// argon2 is slow on purpose: hashed before the transaction, never in it.
	hash, err := auth.HashUserPassword(a.Password, a.Username)
	if err != nil {
		return store.Signup{}, err
	}
	x, err := apply.Write[signingUp]{
		Load: func(r store.Reader, _ time.Time) (signingUp, error) {
			x := signingUp{s: store.Signup{Org: a.Org, ECOSOCClaim: strings.TrimSpace(a.ECOSOCClaim), Lang: a.Lang,
				User: concord.User{Username: a.Username, Name: strings.TrimSpace(a.Name), Email: a.Email, Role: concord.RoleFocalPoint, Lang: a.Lang}}}
			var err error
			if x.dups, err = r.OrganizationDuplicates(a.Org); err != nil {
				return x, err
			}
			x.emailInUse, err = r.EmailInUse(a.Email)
			return x, err
		},
		Change: func(x *signingUp, _ time.Time) error {
			if x.emailInUse {
				return concord.Errorf(concord.EConflict, "email", "error.email_taken", "another account uses this email address")
			}
			if len(x.dups) > 0 && !a.ConfirmDuplicate {
				return &store.DuplicatesError{Candidates: x.dups}
			}
			for _, d := range x.dups {
				x.s.Duplicates = append(x.s.Duplicates, d.ID)
			}
			return nil
		},
		Save: func(tx *store.Tx, x *signingUp) error {
			if err := tx.CreateSignedUpOrganization(&x.s.Org); err != nil {
				return err
			}
			x.s.User.OrgID = x.s.Org.ID
			if err := tx.CreateUser(&x.s.User, hash); err != nil {
				return err
			}
			if err := tx.CreateSignup(&x.s); err != nil {
				return err
			}
			return s.Account.Welcome(tx, x.s.User, false, a.Lang)
		},
	}.Run(ctx, s.DB)
	return x.s, err
}

// Decide verifies (verify) or rejects, with a reason, a pending sign-up,
// as the Secretariat; the focal point is told in the inbox and by email.
func (s *Service) Decide(ctx context.Context, by *concord.User, orgID int64, verify bool, reason string) (store.Signup, error) {
	reason = strings.TrimSpace(reason)
	var before store.Signup
	return apply.Write[store.Signup]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (store.Signup, error) { return r.Signup(orgID) },
		Allow: func(store.Signup) error {
			if !concord.Can(by, concord.ActManageUsers, concord.Target{}) {
				return concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
			}
			return nil
		},
		Change: func(v *store.Signup, _ time.Time) error {
			if v.Status != store.SignupPending {
				return ErrDecided
			}
			before = *v
			if verify {
				v.Status, v.Reason = store.SignupVerified, ""
				return nil
			}
			if reason == "" {
				return ErrReason
			}
			if len(reason) > 2000 {
				return concord.Errorf(concord.EInvalid, "reason", "error.too_long", "too long")
			}
			v.Status, v.Reason = store.SignupRejected, reason
			return nil
		},
		Save: func(tx *store.Tx, v *store.Signup) error { return tx.DecideSignup(v, before) },
		Notices: func(v store.Signup) []store.Notice {
			return []store.Notice{{OrgID: v.Org.ID, Key: "notice.signup_" + v.Status, Args: map[string]string{"Reason": v.Reason},
				Link: "/account", Dedupe: "signup:" + strconv.FormatInt(v.Org.ID, 10) + ":" + v.Status}}
		},
		Mail: func(tx *store.Tx, added []store.Notice) error { return s.mail(tx, added, orgID) },
	}.Run(ctx, s.DB)
}

// mail emails the decision to the organisation's focal points with a
// verified address, in the applicant's language.
func (s *Service) mail(tx *store.Tx, added []store.Notice, orgID int64) error {
	if !s.Email {
		return nil
	}
	sg, err := tx.Signup(orgID)
	if err != nil {
		return err
	}
	for _, n := range added {
		to, err := tx.NoticeEmails("", n.OrgID)
		if err != nil {
			return err
		}
		data := map[string]any{"Reason": n.Args["Reason"], "Link": s.Account.BaseURL + "/" + sg.Lang + n.Link}
		for _, rc := range to {
			if _, err := tx.Enqueue(store.Mail{Dedupe: "notice:" + n.Dedupe + ":" + rc.Email, To: []string{rc.Email},
				Subject: s.Cat.T(sg.Lang, "mail."+n.Key+".subject", data), Text: s.Cat.T(sg.Lang, "mail."+n.Key+".body", data),
				Unsubscribe: s.Account.BaseURL + "/" + sg.Lang + "/account/email"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// members is what a change to an organisation's members works on.
type members struct {
	org        concord.Organization
	list       []concord.User
	emailInUse bool
	user       concord.User
}

// Members returns the focal points and representatives of organisation
// orgID, for its focal points and the Secretariat.
func (s *Service) Members(ctx context.Context, by *concord.User, orgID int64) ([]concord.User, error) {
	if !concord.Can(by, concord.ActEditOrg, concord.Target{OrgID: orgID}) {
		return nil, ErrOtherOrg
	}
	return s.DB.Read(ctx).OrgMembers(orgID)
}

// Invite creates the account of a colleague of organisation orgID and
// emails them an invitation link, by which they choose their password.
// An address another account uses is a conflict.
func (s *Service) Invite(ctx context.Context, by *concord.User, orgID int64, username, name, email, lang string) (concord.User, error) {
	email = strings.TrimSpace(email)
	// The invitation is written in the inviter's language: the account
	// starts reading Concord in it too.
	u := concord.User{Username: strings.TrimSpace(username), Name: strings.TrimSpace(name), Email: email, Role: concord.RoleFocalPoint, OrgID: orgID, Lang: lang}
	var errs concord.Errors
	if email == "" {
		errs = append(errs, ErrEmailRequired)
	}
	if errs = collect(errs, checkUser(u.Username, email)); len(errs) > 0 {
		return u, errs
	}
	x, err := apply.Write[members]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (members, error) {
			x := members{user: u}
			var err error
			if x.org, err = r.Organization(orgID); err != nil {
				return x, err
			}
			x.emailInUse, err = r.EmailInUse(email)
			return x, err
		},
		Allow: func(members) error {
			if !concord.Can(by, concord.ActEditOrg, concord.Target{OrgID: orgID}) {
				return ErrOtherOrg
			}
			return nil
		},
		Change: func(x *members, _ time.Time) error {
			if x.emailInUse {
				return concord.Errorf(concord.EConflict, "email", "error.email_taken", "another account uses this email address")
			}
			return nil
		},
		Save: func(tx *store.Tx, x *members) error {
			if err := tx.CreateUser(&x.user, store.NoPassword); err != nil {
				return err
			}
			name, _, _ := x.org.Names.In(lang)
			return s.Account.InviteColleague(tx, x.user, name, lang)
		},
	}.Run(ctx, s.DB)
	return x.user, err
}

// Remove ends the access of member userID of organisation orgID: the
// account is disabled and every session and token it has is revoked.
func (s *Service) Remove(ctx context.Context, by *concord.User, orgID, userID int64) error {
	_, err := apply.Write[members]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (members, error) {
			list, err := r.OrgMembers(orgID)
			return members{list: list}, err
		},
		Allow: func(members) error {
			if !concord.Can(by, concord.ActEditOrg, concord.Target{OrgID: orgID}) {
				return ErrOtherOrg
			}
			return nil
		},
		Change: func(x *members, _ time.Time) error {
			if by != nil && by.ID == userID {
				return ErrSelf
			}
			for _, m := range x.list {
				if m.ID == userID && !m.Disabled {
					x.user = m
					return nil
				}
			}
			return concord.ErrNotFound
		},
		Save: func(tx *store.Tx, x *members) error { return tx.RemoveMember(x.user.ID) },
	}.Run(ctx, s.DB)
	return err
}

// Evidence is a sign-up with the registered organisations it likely
// duplicates, as they are now (one that was since deleted is left out).
type Evidence struct {
	store.Signup
	Duplicates []concord.Organization
}

// Queue returns one page of the sign-ups in status ("" for all), oldest
// first, with their evidence, and how many there are, for the Secretariat.
func (s *Service) Queue(ctx context.Context, status string, limit, offset int) ([]Evidence, int, error) {
	r := s.DB.Read(ctx)
	list, total, err := r.SignupPage(status, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	known := map[int64]concord.Organization{}
	out := make([]Evidence, len(list))
	for i, sg := range list {
		out[i].Signup = sg
		for _, id := range sg.Duplicates {
			o, ok := known[id]
			if !ok {
				if o, err = r.Organization(id); errors.Is(err, concord.ErrNotFound) {
					continue
				} else if err != nil {
					return nil, 0, err
				}
				known[id] = o
			}
			out[i].Duplicates = append(out[i].Duplicates, o)
		}
	}
	return out, total, nil
}

// Visible reports whether u may see organisation orgID whose sign-up
// status is status: a verified or Secretariat-registered one is public;
// a pending or rejected one only to the Secretariat and its own people.
func Visible(status string, u *concord.User, orgID int64) bool {
	return status == "" || status == store.SignupVerified ||
		u != nil && !u.Disabled && (u.Role == concord.RoleSecretariat || u.Role == concord.RoleFocalPoint && u.OrgID == orgID)
}
