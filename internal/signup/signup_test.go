package signup_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/accreditation"
	"concord/internal/account"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/notify"
	"concord/internal/outbox"
	"concord/internal/signup"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var ctx = context.Background()

// inbox is a notify.Sender that keeps what it is given.
type inbox struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (b *inbox) Send(_ context.Context, msgs []notify.Message) []error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, msgs...)
	return make([]error, len(msgs))
}

type fixture struct {
	db   *store.DB
	acc  *account.Service
	svc  *signup.Service
	mail *inbox
	out  *outbox.Sender
	sec  *concord.User
}

func setup(t *testing.T, db *store.DB) *fixture {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &fixture{db: db, mail: &inbox{}}
	f.acc = &account.Service{DB: db, Cat: cat, Log: log, BaseURL: "https://concord.test"}
	f.svc = &signup.Service{DB: db, Cat: cat, Log: log, Account: f.acc, Email: true}
	f.out = &outbox.Sender{DB: db, Mail: f.mail, Log: log}
	f.sec = &concord.User{Username: "sec", Role: concord.RoleSecretariat}
	if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(f.sec, "!") }); err != nil {
		t.Fatal(err)
	}
	return f
}

var linkRE = regexp.MustCompile(`https://concord\.test/(\w\w)(/[a-z/]+)\?token=([A-Za-z0-9]+)`)

// drain sends the outbox and returns the messages sent since the last call.
func (f *fixture) drain(t *testing.T) []notify.Message {
	t.Helper()
	if _, err := f.out.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	f.mail.mu.Lock()
	defer f.mail.mu.Unlock()
	msgs := f.mail.msgs
	f.mail.msgs = nil
	return msgs
}

func app(name, site, user, email string) signup.Application {
	return signup.Application{Org: concord.Organization{Names: concord.Text{"en": name, "ar": "معهد " + name}, Type: "ngo", Website: site},
		ECOSOCClaim: "D-123", Name: "Focal " + user, Username: user, Email: email, Password: "correct horse battery staple", Lang: "fr"}
}

// A sign-up is pending and hidden, verified by its link and the
// Secretariat, and only then applies; the decision reaches the focal point.
func TestSignUpVerifyApply(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		s, err := f.svc.SignUp(ctx, app("Cyber Peace Lab", "https://cyberpeace.test", "lab", "lab@cyberpeace.test"), "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != store.SignupPending || s.Org.ECOSOC != "" || s.Org.ECOSOCID != "" || s.ECOSOCClaim != "D-123" {
			t.Errorf("sign-up %+v", s)
		}
		orgs, total, err := db.ListOrganizations(ctx, store.OrgFilter{Limit: 100})
		if err != nil || total != 0 || len(orgs) != 0 {
			t.Errorf("a pending organisation is listed: %v %d %v", orgs, total, err)
		}
		msgs := f.drain(t)
		if len(msgs) != 1 || msgs[0].To[0] != "lab@cyberpeace.test" {
			t.Fatalf("verification mail %+v", msgs)
		}
		m := linkRE.FindStringSubmatch(msgs[0].Text)
		if m == nil || m[1] != "fr" || m[2] != "/account/email/verify" {
			t.Fatalf("verification link in %q", msgs[0].Text)
		}
		// Applying: refused while neither the address nor the organisation is verified.
		acc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		w, err := acc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		u := s.User
		_, err = acc.Apply(ctx, &u, w.ID, 0)
		var errs concord.Errors
		if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Key != "error.signup_email_unverified" || errs[1].Key != "error.signup_unverified" {
			t.Errorf("apply before verification: %v", err)
		}
		if _, err := f.acc.VerifyEmail(ctx, m[3]); err != nil {
			t.Fatal(err)
		}
		u.EmailVerified = true
		if _, err := acc.Apply(ctx, &u, w.ID, 0); !errors.Is(err, accreditation.ErrOrgUnverified) || errors.Is(err, accreditation.ErrEmailUnverified) {
			t.Errorf("apply before the Secretariat verified: %v", err)
		}
		q, _, err := f.svc.Queue(ctx, store.SignupPending, 50, 0)
		if err != nil || len(q) != 1 || !q[0].User.EmailVerified {
			t.Fatalf("queue %+v %v", q, err)
		}
		fp := u
		if _, err := f.svc.Decide(ctx, &fp, s.Org.ID, true, ""); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a focal point verifies: %v", err)
		}
		if _, err := f.svc.Decide(ctx, f.sec, s.Org.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(ctx, f.sec, s.Org.ID, false, "late"); err != signup.ErrDecided {
			t.Errorf("decided twice: %v", err)
		}
		if _, total, _ := db.ListOrganizations(ctx, store.OrgFilter{Limit: 100}); total != 1 {
			t.Errorf("verified organisation not listed: %d", total)
		}
		msgs = f.drain(t)
		if len(msgs) != 1 || msgs[0].To[0] != "lab@cyberpeace.test" || msgs[0].Subject == "" {
			t.Errorf("decision mail %+v", msgs)
		}
		if a, err := acc.Apply(ctx, &u, w.ID, 0); err != nil || a.OrgID != s.Org.ID {
			t.Errorf("apply after verification: %+v %v", a, err)
		}
	})
}

// Bad input: every problem at once, likely duplicates flagged until
// confirmed and recorded, an address in use a conflict, a rejection needs
// a reason, and sign-ups from one address are throttled.
func TestSignUpBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		bad := app("", "not a url", "x", "nope")
		bad.Org.Names = concord.Text{}
		bad.Password = "short"
		_, err := f.svc.SignUp(ctx, bad, "10.0.0.2")
		fields := map[string]bool{}
		var errs concord.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fields[e.Field] = true
			}
		}
		for _, want := range []string{"names", "website", "username", "email", "password"} {
			if !fields[want] {
				t.Errorf("no error at %s: %v", want, err)
			}
		}
		first, err := f.svc.SignUp(ctx, app("Cyber Peace Lab", "https://cyberpeace.test", "lab", "lab@cyberpeace.test"), "10.0.0.2")
		if err != nil {
			t.Fatal(err)
		}
		// The same body in another script's case and spacing, same site.
		second := app("CYBER-PEACE  lab", "http://www.cyberpeace.test/about", "lab2", "other@cyberpeace.test")
		if _, err := f.svc.SignUp(ctx, second, "10.0.0.2"); err == nil {
			t.Fatal("duplicate accepted")
		} else if de, ok := errors.AsType[*store.DuplicatesError](err); !ok || len(de.Candidates) != 1 || de.Candidates[0].ID != first.Org.ID {
			t.Fatalf("duplicate: %v", err)
		}
		same := app("Another Body", "", "lab3", "LAB@cyberpeace.test")
		if _, err := f.svc.SignUp(ctx, same, "10.0.0.2"); concord.ErrorCode(err) != concord.EConflict || err.(*concord.Error).Field != "email" {
			t.Errorf("same email: %v", err)
		}
		second.ConfirmDuplicate = true
		got, err := f.svc.SignUp(ctx, second, "10.0.0.2")
		if err != nil {
			t.Fatal(err)
		}
		q, total, _ := f.svc.Queue(ctx, "", 1, 1)
		if total != 2 {
			t.Errorf("queue total %d", total)
		}
		if len(q) != 1 || len(q[0].Duplicates) != 1 || q[0].Duplicates[0].ID != first.Org.ID || q[0].Signup.Duplicates[0] != first.Org.ID || q[0].Org.ID != got.Org.ID {
			t.Errorf("duplicates not recorded: %+v", q)
		}
		if _, err := f.svc.Decide(ctx, f.sec, got.Org.ID, false, " "); err != signup.ErrReason {
			t.Errorf("rejection without reason: %v", err)
		}
		if _, err := f.svc.Decide(ctx, f.sec, got.Org.ID, false, "the same body as Cyber Peace Lab"); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := db.ListOrganizations(ctx, store.OrgFilter{Limit: 100}); total != 0 {
			t.Errorf("rejected or pending organisations listed: %d", total)
		}
		// The throttle: five were free from this address.
		_, err = f.svc.SignUp(ctx, app("Third", "", "third", "third@x.test"), "10.0.0.2")
		if _, ok := errors.AsType[*auth.Throttled](err); !ok {
			t.Errorf("sixth sign-up from one address: %v", err)
		}
		if _, err := f.svc.SignUp(ctx, app("Third", "", "third", "third@x.test"), "10.0.0.3"); err != nil {
			t.Errorf("another address: %v", err)
		}
	})
}

// A focal point invites a colleague by link and removes them, which ends
// their sessions; an address in use and another organisation's member are
// refused.
func TestMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		a, err := f.svc.SignUp(ctx, app("Alpha", "", "alpha", "alpha@a.test"), "10.0.0.4")
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.svc.SignUp(ctx, app("Beta", "", "beta", "beta@b.test"), "10.0.0.4")
		if err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		fa, fb := a.User, b.User
		if _, err := f.svc.Invite(ctx, &fa, a.Org.ID, "colleague", "Col League", "beta@b.test", "en"); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("invitation to an address in use: %v", err)
		}
		if _, err := f.svc.Invite(ctx, &fb, a.Org.ID, "intruder", "", "i@b.test", "en"); err != signup.ErrOtherOrg {
			t.Errorf("invitation for another organisation: %v", err)
		}
		col, err := f.svc.Invite(ctx, &fa, a.Org.ID, "colleague", "Col League", "col@a.test", "en")
		if err != nil {
			t.Fatal(err)
		}
		msgs := f.drain(t)
		if len(msgs) != 1 || msgs[0].To[0] != "col@a.test" || !strings.Contains(msgs[0].Subject, "Alpha") {
			t.Fatalf("invitation %+v", msgs)
		}
		m := linkRE.FindStringSubmatch(msgs[0].Text)
		if m == nil || m[2] != "/password/reset" {
			t.Fatalf("invitation link %q", msgs[0].Text)
		}
		if _, err := f.acc.ResetPassword(ctx, m[3], "colleague horse battery"); err != nil {
			t.Fatal(err)
		}
		token, hash := auth.NewToken()
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			return tx.OpenSession(hash, col.ID, db.Now().Add(time.Hour), auth.KindBrowser)
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Remove(ctx, &fb, a.Org.ID, col.ID); err != signup.ErrOtherOrg {
			t.Errorf("removal by another organisation: %v", err)
		}
		if err := f.svc.Remove(ctx, &fb, b.Org.ID, col.ID); err != concord.ErrNotFound {
			t.Errorf("removal of another organisation's member: %v", err)
		}
		if err := f.svc.Remove(ctx, &fa, a.Org.ID, fa.ID); err != signup.ErrSelf {
			t.Errorf("removing oneself: %v", err)
		}
		if err := f.svc.Remove(ctx, &fa, a.Org.ID, col.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, auth.TokenHash(token)); err != concord.ErrNotFound {
			t.Errorf("removed member's session survived: %v", err)
		}
		list, err := f.svc.Members(ctx, &fa, a.Org.ID)
		if err != nil || len(list) != 2 || !list[1].Disabled {
			t.Errorf("members %+v %v", list, err)
		}
	})
}

// An expired verification link is refused with the localised link error,
// and the sign-up stays pending with its address unverified: nothing lost,
// a new link can be asked for on the account's email page.
func TestSignUpExpiredLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		s, err := f.svc.SignUp(ctx, app("Late Lab", "", "late", "late@lab.test"), "10.0.0.9")
		if err != nil {
			t.Fatal(err)
		}
		msgs := f.drain(t)
		m := linkRE.FindStringSubmatch(msgs[0].Text)
		later := db.Now().Add(account.VerifyTTL + time.Minute)
		db.Now = func() time.Time { return later }
		if _, err := f.acc.VerifyEmail(ctx, m[3]); err != store.ErrLinkInvalid {
			t.Errorf("expired link: %v", err)
		}
		q, _, err := f.svc.Queue(ctx, store.SignupPending, 10, 0)
		if err != nil || len(q) != 1 || q[0].Org.ID != s.Org.ID || q[0].User.EmailVerified {
			t.Errorf("after the expired link: %+v %v", q, err)
		}
	})
}

// TestSignUpKeepsLanguage: the focal point who signed up in French, and the
// colleague invited from a page in Spanish, read their notice emails in
// that language (issue 11).
func TestSignUpKeepsLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		s, err := f.svc.SignUp(ctx, app("Gamma", "", "gamma", "gamma@g.test"), "10.0.0.5")
		if err != nil {
			t.Fatal(err)
		}
		fu := s.User
		if _, err := f.svc.Invite(ctx, &fu, s.Org.ID, "colega", "", "colega@g.test", "es"); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{"gamma": "fr", "colega": "es"} {
			if u, _, err := db.UserByUsername(ctx, name); err != nil || u.Lang != want {
				t.Errorf("%s: language %q, want %q (%v)", name, u.Lang, want, err)
			}
		}
	})
}
