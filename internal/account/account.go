// Package account runs what a person does with their own account by email,
// for pages and API alike: setting and verifying an address, a password
// reset by emailed link, and accepting an invitation. Every link is single
// use and expires; only the SHA-256 of its token is stored, and its email
// is put in the outbox in the transaction that creates it.
package account

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/store"
)

// How long each kind of link lives.
const (
	VerifyTTL = 48 * time.Hour
	ResetTTL  = time.Hour
	InviteTTL = 7 * 24 * time.Hour
)

// Reset throttling: per client address and per address asked about, so
// that nobody floods a person's mailbox or sprays the form. Counted whether
// or not an account has the address, so the wait reveals nothing either.
var (
	ResetAddrRule  = auth.Rule{Scope: "reset-addr", Free: 10, Base: time.Minute, Cap: 15 * time.Minute}
	ResetEmailRule = auth.Rule{Scope: "reset-email", Free: 3, Base: 5 * time.Minute, Cap: time.Hour}
)

// Service sends and honours the links.
type Service struct {
	DB  *store.DB
	Cat *i18n.Catalog
	Log *slog.Logger
	// BaseURL prefixes the links ("https://concord.example.org"); never
	// taken from a request's Host, which a client chooses.
	BaseURL string
	// NoMail is set when this instance sends no email (no relay, no mail
	// directory): a reset request is refused, saying so, rather than
	// promised a link that never comes.
	NoMail bool
	// Background makes RequestReset answer once the request is counted and
	// send the link after answering, so that how long the answer takes
	// does not tell whether an account has the address (serve sets it;
	// Wait waits for the links still being made).
	Background bool
	pending    sync.WaitGroup
}

// Wait returns once every reset link requested in the background is in
// the outbox.
func (s *Service) Wait() { s.pending.Wait() }

// ErrNoMail refuses a reset request on an instance that sends no email.
var ErrNoMail = concord.Errorf(concord.EConflict, "email", "error.mail_off",
	"this Concord sends no email: ask the Secretariat to set a new password")

func (s *Service) link(lang, path, token string) string {
	return s.BaseURL + "/" + lang + path + "?" + url.Values{"token": {token}}.Encode()
}

// mail puts one message in the outbox; the dedupe key is the token's hash,
// so a retried transaction never sends a link twice.
func (s *Service) mail(tx *store.Tx, lang, kind, to, link, dedupe, name string, ttl time.Duration) error {
	data := map[string]any{"Link": link, "Hours": int(ttl.Hours()), "Days": int(ttl.Hours() / 24), "Username": name}
	_, err := tx.Enqueue(store.Mail{Dedupe: kind + ":" + dedupe, To: []string{to},
		Subject: s.Cat.T(lang, "mail."+kind+".subject", data), Text: s.Cat.T(lang, "mail."+kind+".body", data)})
	return err
}

// SetEmail sets the address of the account username, as its owner or the
// Secretariat, and emails a verification link to it (empty clears it).
func (s *Service) SetEmail(ctx context.Context, by *concord.User, username, email, lang string) error {
	if by == nil || (by.Username != username && !concord.Can(by, concord.ActManageUsers, concord.Target{})) {
		return concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed")
	}
	email = strings.TrimSpace(email)
	err := s.DB.Update(ctx, concord.Actor(by), func(tx *store.Tx) error {
		u, err := tx.UserForUpdate(username)
		if err != nil {
			return err
		}
		if strings.EqualFold(u.Email, email) {
			if u.EmailVerified || email == "" {
				return errUnchanged // the same verified address: nothing to do
			}
			// The same, unverified: a new link.
			if err := tx.AuditAccount("user.email_resend", "user", strconv.FormatInt(u.ID, 10), nil, nil); err != nil {
				return err
			}
			return s.sendVerify(tx, u, u.Email, lang)
		}
		if err := tx.SetEmail(u.ID, email); err != nil || email == "" {
			return err
		}
		return s.sendVerify(tx, u, email, lang)
	})
	if err == errUnchanged {
		return nil
	}
	return err
}

// errUnchanged ends a transaction that has nothing to write.
var errUnchanged = errors.New("account: unchanged")

func (s *Service) sendVerify(tx *store.Tx, u concord.User, email, lang string) error {
	token, hash := auth.NewToken()
	if err := tx.CreateAccountToken(hash, u.ID, store.TokenVerify, email, tx.Now.Add(VerifyTTL)); err != nil {
		return err
	}
	return s.mail(tx, lang, "verify", email, s.link(lang, "/account/email/verify", token), hash, u.Username, VerifyTTL)
}

// VerifyEmail spends a verification link and marks its address verified.
func (s *Service) VerifyEmail(ctx context.Context, token string) (concord.User, error) {
	var u concord.User
	err := s.DB.Update(ctx, "system", func(tx *store.Tx) error {
		id, email, _, err := tx.UseAccountToken(auth.TokenHash(token), store.TokenVerify)
		if err != nil {
			return err
		}
		if err := tx.VerifyEmail(id, email); err != nil {
			return err
		}
		u, err = tx.UserByID(id)
		return err
	})
	return u, err
}

// RequestReset emails a password-reset link to every enabled account
// whose verified address is email. Its answer is the same whether or not
// one exists: nil, or a *auth.Throttled when the address or the client
// asks too often.
func (s *Service) RequestReset(ctx context.Context, email, clientAddr, lang string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 {
		email = email[:254]
	}
	if email == "" {
		return concord.Errorf(concord.EInvalid, "email", "error.required", "email address required")
	}
	if s.NoMail {
		return ErrNoMail // the same for every address: reveals nothing
	}
	for _, c := range []struct {
		key  string
		rule auth.Rule
	}{{"reset-addr:" + clientAddr, ResetAddrRule}, {"reset-email:" + email, ResetEmailRule}} {
		ok, _, retry, err := s.DB.LoginAttempt(ctx, c.key, auth.Reset, c.rule.Free, c.rule.Waits())
		if err != nil {
			return err
		}
		if !ok {
			wait := max(retry.Sub(s.DB.Now()), time.Second).Round(time.Second)
			s.Log.Warn("password reset throttled", "scope", c.rule.Scope, "addr", clientAddr)
			return &auth.Throttled{Err: concord.Errorf(concord.ETooMany, "", "error.too_many_resets", "too many requests; try again in %v", wait), RetryAfter: wait}
		}
	}
	if !s.Background {
		return s.sendResets(ctx, email, lang)
	}
	s.pending.Add(1)
	go func() {
		defer s.pending.Done()
		if err := s.sendResets(context.WithoutCancel(ctx), email, lang); err != nil {
			s.Log.Error("password reset link", "err", err)
		}
	}()
	return nil
}

// sendResets makes a reset link for every account whose verified address
// is email and puts its mail in the outbox.
func (s *Service) sendResets(ctx context.Context, email, lang string) error {
	users, err := s.DB.UsersByVerifiedEmail(ctx, email)
	if err != nil || len(users) == 0 {
		return err
	}
	return s.DB.Update(ctx, "system", func(tx *store.Tx) error {
		for _, u := range users {
			token, hash := auth.NewToken()
			if err := tx.CreateAccountToken(hash, u.ID, store.TokenReset, u.Email, tx.Now.Add(ResetTTL)); err != nil {
				return err
			}
			if err := s.mail(tx, lang, "reset", u.Email, s.link(lang, "/password/reset", token), hash, u.Username, ResetTTL); err != nil {
				return err
			}
			if err := tx.AuditAccount("user.reset_request", "user", strconv.FormatInt(u.ID, 10), nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// LinkValid reports whether a reset or invitation link can still be used.
func (s *Service) LinkValid(ctx context.Context, token string) (bool, error) {
	return s.DB.AccountTokenValid(ctx, auth.TokenHash(token), store.TokenReset, store.TokenInvite)
}

// ResetPassword spends a reset or invitation link and sets the account's
// password under the password rule, ending every session of the account
// (someone who knew the old password is signed out). An invitation link
// also verifies the address it was sent to. A weak password leaves the
// link unspent.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (concord.User, error) {
	var u concord.User
	err := s.DB.Update(ctx, "system", func(tx *store.Tx) error {
		id, email, purpose, err := tx.UseAccountToken(auth.TokenHash(token), store.TokenReset, store.TokenInvite)
		if err != nil {
			return err
		}
		if u, err = tx.UserByID(id); err != nil {
			return err
		}
		if u.Disabled {
			return store.ErrLinkInvalid
		}
		hash, err := auth.HashUserPassword(password, u.Username)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(u.Username, hash); err != nil {
			return err
		}
		if purpose == store.TokenInvite && !u.EmailVerified {
			return tx.VerifyEmail(id, email)
		}
		return nil
	})
	return u, err
}

// Invite emails an invitation link to a new account's address, in the
// transaction that created it: following it, the person chooses their
// password, and the address counts as verified.
func (s *Service) Invite(tx *store.Tx, u concord.User, lang string) error {
	if u.Email == "" {
		return concord.Errorf(concord.EInvalid, "email", "error.invite_email", "an invitation needs an email address")
	}
	token, hash := auth.NewToken()
	if err := tx.CreateAccountToken(hash, u.ID, store.TokenInvite, u.Email, tx.Now.Add(InviteTTL)); err != nil {
		return err
	}
	return s.mail(tx, lang, "invite", u.Email, s.link(lang, "/password/reset", token), hash, u.Username, InviteTTL)
}

// InviteColleague is Invite for a colleague whom an organisation's focal
// point invites: the mail names the organisation (org, in lang), since the
// Secretariat did not create the account.
func (s *Service) InviteColleague(tx *store.Tx, u concord.User, org, lang string) error {
	return s.inviteFrom(tx, u, lang, "invite_org", "Org", org)
}

// InviteDelegate is Invite for a delegate whom a State's delegation
// manager invites: the mail names the State (state, in lang).
func (s *Service) InviteDelegate(tx *store.Tx, u concord.User, state, lang string) error {
	return s.inviteFrom(tx, u, lang, "invite_delegation", "State", state)
}

// inviteFrom is Invite with the mail "mail.<kind>", which names whom the
// invitation comes from as {{.<key>}}.
func (s *Service) inviteFrom(tx *store.Tx, u concord.User, lang, kind, key, from string) error {
	if u.Email == "" {
		return concord.Errorf(concord.EInvalid, "email", "error.invite_email", "an invitation needs an email address")
	}
	token, hash := auth.NewToken()
	if err := tx.CreateAccountToken(hash, u.ID, store.TokenInvite, u.Email, tx.Now.Add(InviteTTL)); err != nil {
		return err
	}
	data := map[string]any{"Link": s.link(lang, "/password/reset", token), "Days": int(InviteTTL.Hours() / 24), "Username": u.Username, key: from}
	_, err := tx.Enqueue(store.Mail{Dedupe: "invite:" + hash, To: []string{u.Email},
		Subject: s.Cat.T(lang, "mail."+kind+".subject", data), Text: s.Cat.T(lang, "mail."+kind+".body", data)})
	return err
}

// Welcome sends what a new account created with an address needs, in the
// transaction that created it: an invitation link to choose a password
// (invite), or else a link to verify the address. Nothing without an
// address.
func (s *Service) Welcome(tx *store.Tx, u concord.User, invite bool, lang string) error {
	if invite {
		return s.Invite(tx, u, lang)
	}
	if u.Email == "" {
		return nil
	}
	return s.sendVerify(tx, u, u.Email, lang)
}

// SetLang records the language the signed-in user reads Concord in: their
// notice emails and digests are written in it.
func (s *Service) SetLang(ctx context.Context, u *concord.User, lang string) error {
	return s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.SetLang(u.ID, lang) })
}

// SetNoticeDigest chooses, for the signed-in user, one email a day with the
// notices (a digest, sent by package digest) or one email per notice.
func (s *Service) SetNoticeDigest(ctx context.Context, u *concord.User, on bool) error {
	return s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.SetNoticeDigest(u.ID, on) })
}

// SetNoticeEmail turns notices by email on or off for the signed-in user.
func (s *Service) SetNoticeEmail(ctx context.Context, u *concord.User, on bool) error {
	return s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.SetNoticeEmail(u.ID, on) })
}
