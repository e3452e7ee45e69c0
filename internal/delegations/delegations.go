// Package delegations runs a State's delegation and the dated
// appointments, for pages and API alike. The Secretariat appoints, for a
// term, the Chair, co-facilitators, its own staff, each State's delegation
// managers and each named group's speakers; a delegation manager invites
// the State's delegates by emailed link, removes them (their sessions and
// API tokens end) and says which of them may speak for the State. Every
// permission is concord.Can on the real target: the State, judged at the
// request's instant.
package delegations

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/apply"
	"concord/internal/i18n"
	"concord/internal/store"
)

// Service runs delegations and appointments.
type Service struct {
	DB      *store.DB
	Cat     *i18n.Catalog
	Log     *slog.Logger
	Account *account.Service // invitation links and their outbox
}

// Errors of this package's guards.
var (
	ErrOtherState = concord.Errorf(concord.EForbidden, "", "error.delegation_other_state", "you act only for your own State's delegation")
	ErrSelf       = concord.Errorf(concord.EInvalid, "", "error.delegation_self", "you cannot remove yourself")
	ErrManager    = concord.Errorf(concord.EForbidden, "", "error.delegation_manager_removal", "a delegation manager is removed by the Secretariat, who ends the appointment first")
	ErrEmail      = concord.Errorf(concord.EInvalid, "email", "error.required", "email address required")
	ErrEnded      = concord.Errorf(concord.EConflict, "", "error.appointment_ended", "this appointment has already ended")
	ErrUnknown    = concord.Errorf(concord.EInvalid, "scope", "error.appointment_group", "name the group the speaker speaks for")
	ErrNoState    = concord.Errorf(concord.EInvalid, "state", "error.state_code", "unknown State")
)

// Delegation is a State's mission as its page shows it.
type Delegation struct {
	State     concord.State
	Delegates []store.Delegate // every account, removed ones last
	// Managers are the delegates managing the delegation at the instant
	// read (At).
	Managers []store.Delegate
	At       time.Time
}

// Pending reports whether d is invited and has not yet chosen a password.
func Pending(d store.Delegate) bool { return d.Invited && !d.Disabled }

// allow refuses by unless it may manage iso3's delegation.
func allow(by *concord.User, iso3 string) error {
	if !concord.Can(by, concord.ActManageDelegation, concord.Target{State: iso3}) {
		return ErrOtherState
	}
	return nil
}

// state finds iso3 among the States r reads.
func state(r store.Reader, iso3 string) (concord.State, error) {
	states, err := r.States()
	if err != nil {
		return concord.State{}, err
	}
	if i := slices.IndexFunc(states, func(s concord.State) bool { return s.ISO3 == iso3 }); i >= 0 {
		return states[i], nil
	}
	return concord.State{}, concord.ErrNotFound
}

// View returns State iso3's delegation for by: the State's own delegation
// managers and the Secretariat.
func (s *Service) View(ctx context.Context, by *concord.User, iso3 string) (Delegation, error) {
	if err := allow(by, iso3); err != nil {
		return Delegation{}, err
	}
	r := s.DB.Read(ctx)
	st, err := state(r, iso3)
	if err != nil {
		return Delegation{}, err
	}
	list, err := r.Delegation(iso3)
	if err != nil {
		return Delegation{}, err
	}
	d := Delegation{State: st, Delegates: list, At: s.DB.Now()}
	for _, x := range list {
		x.At = d.At
		if x.ManagesDelegation(iso3) {
			d.Managers = append(d.Managers, x)
		}
	}
	return d, nil
}

// Invitation is a delegate invited by a delegation manager.
type Invitation struct {
	Username, Name, Email string
	// MaySpeak lets the delegate take positions and objections and make
	// nominations for the State; without it they only read.
	MaySpeak bool
	Lang     string // the language of the email, and the account's
}

// inviting is what an invitation works on.
type inviting struct {
	state      concord.State
	emailInUse bool
	user       concord.User
}

// checkUser checks a new account's username and address, every problem
// at once.
func checkUser(u concord.User) error {
	var errs concord.Errors
	if u.Email == "" {
		errs.Add(ErrEmail)
	}
	errs.Add((&concord.User{Username: u.Username, Role: concord.RoleDelegate, State: u.State}).Validate())
	if u.Email != "" {
		errs.Add((&concord.User{Username: "someone", Email: u.Email, Role: concord.RoleDelegate, State: u.State}).Validate())
	}
	return errs.Err()
}

// Invite creates the account of a delegate of State iso3 and emails them
// an invitation link, by which they choose their password. An address
// another account uses is a conflict.
func (s *Service) Invite(ctx context.Context, by *concord.User, iso3 string, in Invitation) (concord.User, error) {
	u := concord.User{Username: strings.TrimSpace(in.Username), Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Role: concord.RoleDelegate, State: iso3, ReadOnly: !in.MaySpeak, Lang: in.Lang}
	if err := checkUser(u); err != nil {
		return u, err
	}
	x, err := apply.Write[inviting]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (inviting, error) {
			x := inviting{user: u}
			var err error
			if x.state, err = state(r, iso3); err != nil {
				return x, err
			}
			x.emailInUse, err = r.EmailInUse(u.Email)
			return x, err
		},
		Allow: func(inviting) error { return allow(by, iso3) },
		Change: func(x *inviting, _ time.Time) error {
			if x.emailInUse {
				return concord.Errorf(concord.EConflict, "email", "error.email_taken", "another account uses this email address")
			}
			return nil
		},
		Save: func(tx *store.Tx, x *inviting) error {
			if err := tx.CreateUser(&x.user, store.NoPassword); err != nil {
				return err
			}
			if err := tx.Audit("delegation.invite", "state", iso3, nil, nil, false); err != nil {
				return err
			}
			name, _, _ := x.state.Names.In(in.Lang)
			return s.Account.InviteDelegate(tx, x.user, name, in.Lang)
		},
	}.Run(ctx, s.DB)
	return x.user, err
}

// member is what a change to one delegate works on.
type member struct {
	state concord.State
	user  store.Delegate
}

// loadMember reads delegate userID of State iso3: a delegate of another
// State is not found.
func loadMember(iso3 string, userID int64) func(store.Reader, time.Time) (member, error) {
	return func(r store.Reader, now time.Time) (member, error) {
		var x member
		var err error
		if x.state, err = state(r, iso3); err != nil {
			return x, err
		}
		list, err := r.Delegation(iso3)
		if err != nil {
			return x, err
		}
		i := slices.IndexFunc(list, func(d store.Delegate) bool { return d.ID == userID && !d.Disabled })
		if i < 0 {
			return x, concord.ErrNotFound
		}
		x.user = list[i]
		x.user.At = now
		return x, nil
	}
}

// Remove ends the access of delegate userID of State iso3: the account is
// disabled, every session and API token it has ends, and its appointments
// end. A manager removes neither themselves nor another manager (the
// Secretariat does). The person is told by email.
func (s *Service) Remove(ctx context.Context, by *concord.User, iso3 string, userID int64) error {
	_, err := apply.Write[member]{Actor: by,
		Load:  loadMember(iso3, userID),
		Allow: func(member) error { return allow(by, iso3) },
		Change: func(x *member, _ time.Time) error {
			if by != nil && by.ID == userID {
				return ErrSelf
			}
			if x.user.ManagesDelegation(iso3) && !concord.Can(by, concord.ActAppoint, concord.Target{}) {
				return ErrManager
			}
			return nil
		},
		Save: func(tx *store.Tx, x *member) error {
			if err := tx.RemoveMember(x.user.ID); err != nil {
				return err
			}
			for _, a := range x.user.Appointments {
				if a.Until.IsZero() || a.Until.After(tx.Now) {
					if err := tx.EndAppointment(a, tx.Now); err != nil {
						return err
					}
				}
			}
			if err := tx.Audit("delegation.remove", "state", iso3, nil, nil, false); err != nil {
				return err
			}
			return s.mailPerson(tx, x.user.User, "delegation_removed", "removed:"+strconv.FormatInt(x.user.ID, 10), map[string]any{"State": stateName(x.state, x.user.Lang)})
		},
	}.Run(ctx, s.DB)
	return err
}

// SetSpeaker says whether delegate userID of State iso3 may speak for the
// State: take positions and objections, make nominations.
func (s *Service) SetSpeaker(ctx context.Context, by *concord.User, iso3 string, userID int64, maySpeak bool) error {
	_, err := apply.Write[member]{Actor: by,
		Load:  loadMember(iso3, userID),
		Allow: func(member) error { return allow(by, iso3) },
		Save: func(tx *store.Tx, x *member) error {
			if x.user.ReadOnly == !maySpeak {
				return tx.Audit("delegation.speak", "state", iso3, nil, nil, false) // the same again: recorded, nothing changes
			}
			if err := tx.SetReadOnly(x.user.ID, !maySpeak); err != nil {
				return err
			}
			return tx.Audit("delegation.speak", "state", iso3, nil, nil, false)
		},
	}.Run(ctx, s.DB)
	return err
}

func stateName(st concord.State, lang string) string { n, _, _ := st.Names.In(lang); return n }

// mailPerson puts one email to u (when it has a verified address) in the
// outbox, in u's language; dedupe makes it once per event.
func (s *Service) mailPerson(tx *store.Tx, u concord.User, kind, dedupe string, data map[string]any) error {
	if u.Email == "" || !u.EmailVerified {
		return nil
	}
	lang := u.Lang
	if lang == "" {
		lang = "en"
	}
	data["Link"] = s.Account.BaseURL + "/" + lang + "/home"
	_, err := tx.Enqueue(store.Mail{Dedupe: "delegation:" + dedupe + ":" + tx.Now.Format(time.RFC3339Nano), To: []string{u.Email},
		Subject: s.Cat.T(lang, "mail."+kind+".subject", data), Text: s.Cat.T(lang, "mail."+kind+".body", data)})
	return err
}

// Appointing is a new appointment as asked.
type Appointing struct {
	Username string
	Post     concord.Post
	Scope    string // ISO3 (taken from the delegate for a manager), "group-N" or "dtg-N"
	From     time.Time
	Until    time.Time
}

// appointing is what an appointment works on.
type appointing struct {
	a      concord.Appointment
	holder concord.User
	state  concord.State
	groups []concord.Organization
}

// Appoint records a dated appointment, as the Secretariat. The State's
// delegation is told in its inbox; the person by email.
func (s *Service) Appoint(ctx context.Context, by *concord.User, in Appointing) (concord.Appointment, error) {
	in.Username, in.Scope = strings.TrimSpace(in.Username), strings.TrimSpace(in.Scope)
	var errs concord.Errors
	if in.Username == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "username", "error.required", "required"))
	}
	if !slices.Contains(concord.Posts, in.Post) {
		errs.Add(concord.Errorf(concord.EInvalid, "post", "error.appointment_post", "choose a post"))
	}
	if in.From.IsZero() {
		errs.Add(concord.Errorf(concord.EInvalid, "from", "error.required", "required"))
	}
	if !in.Until.IsZero() && !in.Until.After(in.From) {
		errs.Add(concord.Errorf(concord.EInvalid, "until", "error.appointment_until", "the term ends after it starts"))
	}
	if err := errs.Err(); err != nil {
		return concord.Appointment{}, err
	}
	x, err := apply.Write[appointing]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (appointing, error) {
			x := appointing{a: concord.Appointment{Post: in.Post, Scope: in.Scope, From: in.From, Until: in.Until}}
			var err error
			if x.holder, err = r.UserNamed(in.Username); errors.Is(err, concord.ErrNotFound) {
				return x, concord.Errorf(concord.EInvalid, "username", "error.appointment_user", "no account has this username")
			} else if err != nil {
				return x, err
			}
			switch in.Post {
			case concord.PostDelegationManager:
				x.a.Scope = x.holder.State
				if x.holder.State != "" {
					x.state, err = state(r, x.holder.State)
				}
			case concord.PostGroupSpeaker:
				x.groups, _, err = r.Organizations(store.OrgFilter{Kind: concord.OrgNamedGroup})
			}
			return x, err
		},
		Allow: func(appointing) error {
			if !concord.Can(by, concord.ActAppoint, concord.Target{}) {
				return concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
			}
			return nil
		},
		Change: func(x *appointing, _ time.Time) error {
			if x.holder.Disabled {
				return concord.Errorf(concord.EInvalid, "username", "error.appointment_user", "no account has this username")
			}
			if x.a.Post == concord.PostGroupSpeaker && !slices.ContainsFunc(x.groups, func(o concord.Organization) bool { return GroupCode(o.ID) == x.a.Scope }) {
				return ErrUnknown
			}
			return x.a.Validate(x.holder)
		},
		Save: func(tx *store.Tx, x *appointing) error {
			if err := tx.CreateAppointment(&x.a, x.holder); err != nil {
				return err
			}
			return s.mailPerson(tx, x.holder, "appointed", "appointed:"+strconv.FormatInt(x.a.ID, 10),
				map[string]any{"Post": s.Cat.T(x.holder.Lang, "post."+string(x.a.Post), nil), "From": x.a.From.Format(time.DateOnly)})
		},
		Notices: func(x appointing) []store.Notice {
			if x.a.Post != concord.PostDelegationManager {
				return nil
			}
			return []store.Notice{{State: x.a.Scope, Key: "notice.delegation_manager", Args: map[string]string{"Username": x.holder.Username},
				Link: "/delegations/" + x.a.Scope, Dedupe: "appointment:" + strconv.FormatInt(x.a.ID, 10)}}
		},
	}.Run(ctx, s.DB)
	return x.a, err
}

// GroupCode names a named group (a registry organisation of kind group) as
// a decision actor, as decide.GroupCode does.
func GroupCode(orgID int64) string { return "group-" + strconv.FormatInt(orgID, 10) }

// End ends appointment id now, as the Secretariat: its rights end at once
// (one not yet begun never grants any).
func (s *Service) End(ctx context.Context, by *concord.User, id int64) (store.Held, error) {
	return apply.Write[store.Held]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (store.Held, error) { return r.Appointment(id) },
		Allow: func(store.Held) error {
			if !concord.Can(by, concord.ActAppoint, concord.Target{}) {
				return concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
			}
			return nil
		},
		Change: func(h *store.Held, now time.Time) error {
			if !h.Until.IsZero() && !h.Until.After(now) {
				return ErrEnded
			}
			return nil
		},
		Save: func(tx *store.Tx, h *store.Held) error {
			if err := tx.EndAppointment(h.Appointment, tx.Now); err != nil {
				return err
			}
			h.Until = tx.Now
			if h.Until.Before(h.From) {
				h.Until = h.From
			}
			return nil
		},
	}.Run(ctx, s.DB)
}

// Appointments lists the appointments not yet ended (all, with past), for
// the Secretariat.
func (s *Service) Appointments(ctx context.Context, by *concord.User, past bool) ([]store.Held, error) {
	if !concord.Can(by, concord.ActAppoint, concord.Target{}) {
		return nil, concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
	}
	return s.DB.Read(ctx).Appointments(s.DB.Now(), past)
}
