package delegations_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/auth"
	"concord/internal/delegations"
	"concord/internal/i18n"
	"concord/internal/notify"
	"concord/internal/outbox"
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
	now  time.Time
	acc  *account.Service
	svc  *delegations.Service
	mail *inbox
	out  *outbox.Sender
	sec  *concord.User
}

func setup(t *testing.T, db *store.DB) *fixture {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, mail: &inbox{}, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.now }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.acc = &account.Service{DB: db, Cat: cat, Log: log, BaseURL: "https://concord.test"}
	f.svc = &delegations.Service{DB: db, Cat: cat, Log: log, Account: f.acc}
	f.out = &outbox.Sender{DB: db, Mail: f.mail, Log: log}
	f.sec = f.user(t, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	return f
}

// user creates an account with a verified address (username@mission.test).
func (f *fixture) user(t *testing.T, u concord.User) *concord.User {
	t.Helper()
	u.Email = u.Username + "@mission.test"
	if err := f.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "!"); err != nil {
			return err
		}
		return tx.VerifyEmail(u.ID, u.Email)
	}); err != nil {
		t.Fatal(err)
	}
	u.EmailVerified = true
	return &u
}

// signedIn is u as a session reads it: with its appointments, judged now.
func (f *fixture) signedIn(t *testing.T, u *concord.User) *concord.User {
	t.Helper()
	token, th := auth.NewToken()
	_ = token
	if err := f.db.Update(ctx, "system", func(tx *store.Tx) error {
		return tx.OpenSession(th, u.ID, f.now.Add(time.Hour), auth.KindBrowser)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.SessionUser(ctx, th)
	if err != nil {
		t.Fatal(err)
	}
	got.At = f.now
	return &got
}

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

var linkRE = regexp.MustCompile(`https://concord\.test/(\w\w)(/[a-z/]+)\?token=([A-Za-z0-9]+)`)

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func code(err error) string { return concord.ErrorCode(err) }

// The Secretariat appoints a delegation manager; the manager invites a
// delegate (the link names the State and sets the password), says who may
// speak, removes one (sessions end); another State's manager is refused.
func TestDelegationManaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		amelie := f.user(t, concord.User{Username: "amelie", Role: concord.RoleDelegate, State: "FRA", Lang: "fr"})
		hans := f.user(t, concord.User{Username: "hans", Role: concord.RoleDelegate, State: "DEU"})
		// Not yet a manager: refused.
		if _, err := f.svc.View(ctx, f.signedIn(t, amelie), "FRA"); code(err) != concord.EForbidden {
			t.Fatalf("a delegate who is no manager: %v", err)
		}
		a, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "amelie", Post: concord.PostDelegationManager, From: day("2026-03-01")})
		if err != nil {
			t.Fatal(err)
		}
		if a.Scope != "FRA" || a.ID == 0 {
			t.Errorf("appointment %+v", a)
		}
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "hans", Post: concord.PostDelegationManager, From: day("2026-03-01")}); err != nil {
			t.Fatal(err)
		}
		msgs := f.drain(t)
		if len(msgs) != 2 || !strings.Contains(msgs[0].Subject, "Gestionnaire de délégation") {
			t.Errorf("appointment mails %+v", msgs)
		}
		mgr := f.signedIn(t, amelie)
		if !concord.IsDelegationManager(mgr) || !mgr.ManagesDelegation("FRA") {
			t.Fatal("the appointed manager is not one at the session")
		}
		// A delegation manager acting for another State.
		if _, err := f.svc.View(ctx, mgr, "DEU"); code(err) != concord.EForbidden {
			t.Errorf("FRA's manager viewed DEU: %v", err)
		}
		if _, err := f.svc.Invite(ctx, mgr, "DEU", delegations.Invitation{Username: "spy", Email: "spy@mission.test", Lang: "en"}); code(err) != concord.EForbidden {
			t.Errorf("FRA's manager invited to DEU: %v", err)
		}
		if err := f.svc.Remove(ctx, mgr, "DEU", hans.ID); code(err) != concord.EForbidden {
			t.Errorf("FRA's manager removed DEU's: %v", err)
		}
		// Every problem of an invitation at once; an address in use.
		_, err = f.svc.Invite(ctx, mgr, "FRA", delegations.Invitation{Username: "x", Email: "not an address"})
		if es, ok := err.(concord.Errors); !ok || len(es) != 2 {
			t.Errorf("bad invitation: %v", err)
		}
		if _, err := f.svc.Invite(ctx, mgr, "FRA", delegations.Invitation{Username: "claire", Email: "HANS@mission.test"}); code(err) != concord.EConflict {
			t.Errorf("address in use: %v", err)
		}
		claire, err := f.svc.Invite(ctx, mgr, "FRA", delegations.Invitation{Username: "claire", Name: "Claire M.", Email: "claire@mission.test", Lang: "ar"})
		if err != nil {
			t.Fatal(err)
		}
		if !claire.ReadOnly || claire.State != "FRA" || claire.Role != concord.RoleDelegate {
			t.Errorf("invited %+v (an invitation defaults to reading only)", claire)
		}
		msgs = f.drain(t)
		if len(msgs) != 1 || msgs[0].To[0] != "claire@mission.test" || !strings.Contains(msgs[0].Subject, "فرنسا") {
			t.Fatalf("invitation %+v", msgs)
		}
		m := linkRE.FindStringSubmatch(msgs[0].Text)
		if m == nil || m[1] != "ar" || m[2] != "/password/reset" {
			t.Fatalf("link in %q", msgs[0].Text)
		}
		d, err := f.svc.View(ctx, mgr, "FRA")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Managers) != 1 || d.Managers[0].Username != "amelie" || len(d.Delegates) != 2 {
			t.Fatalf("delegation %+v", d)
		}
		if c := d.Delegates[1]; c.Username != "claire" || !delegations.Pending(c) || !c.InviteExpires.Equal(f.now.Add(account.InviteTTL)) {
			t.Errorf("pending %+v", c)
		}
		if _, err := f.acc.ResetPassword(ctx, m[3], "a long enough passphrase"); err != nil {
			t.Fatal(err)
		}
		if d, _ = f.svc.View(ctx, mgr, "FRA"); delegations.Pending(d.Delegates[1]) {
			t.Error("still pending after choosing a password")
		}
		// Who may speak: claire reads only, then speaks.
		cs := f.signedIn(t, &claire)
		if concord.Can(cs, concord.ActTakePosition, concord.Target{State: "FRA"}) || concord.Can(cs, concord.ActObject, concord.Target{State: "FRA"}) {
			t.Error("a reading delegate may take positions")
		}
		if err := f.svc.SetSpeaker(ctx, mgr, "FRA", claire.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "x"); err == nil {
			t.Fatal("unknown session")
		}
		cs2 := f.signedIn(t, &claire)
		if !concord.Can(cs2, concord.ActTakePosition, concord.Target{State: "FRA"}) {
			t.Error("a delegate let speak may not take positions")
		}
		// Removal: not oneself, not another manager; removing ends sessions and appointments.
		if err := f.svc.Remove(ctx, mgr, "FRA", amelie.ID); code(err) != concord.EInvalid {
			t.Errorf("removed oneself: %v", err)
		}
		if err := f.svc.Remove(ctx, mgr, "FRA", 999999); err != concord.ErrNotFound {
			t.Errorf("unknown delegate: %v", err)
		}
		token, th := auth.NewToken()
		_ = token
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			return tx.OpenSession(th, claire.ID, f.now.Add(time.Hour), auth.KindAPI)
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Remove(ctx, mgr, "FRA", claire.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, th); err != concord.ErrNotFound {
			t.Errorf("the removed delegate's API token still works: %v", err)
		}
		if msgs := f.drain(t); len(msgs) != 1 || msgs[0].To[0] != "claire@mission.test" {
			t.Errorf("removal mail %+v", msgs)
		}
		if err := f.svc.Remove(ctx, mgr, "FRA", claire.ID); err != concord.ErrNotFound {
			t.Errorf("removed twice: %v", err)
		}
		// A second manager cannot be removed by the first; the Secretariat can.
		bruno := f.user(t, concord.User{Username: "bruno", Role: concord.RoleDelegate, State: "FRA"})
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "bruno", Post: concord.PostDelegationManager, From: day("2026-01-01")}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Remove(ctx, mgr, "FRA", bruno.ID); code(err) != concord.EForbidden {
			t.Errorf("a manager removed another: %v", err)
		}
		if err := f.svc.Remove(ctx, f.sec, "FRA", bruno.ID); err != nil {
			t.Errorf("the Secretariat removes a manager: %v", err)
		}
		list, err := f.svc.Appointments(ctx, f.sec, false)
		if err != nil || len(list) != 2 {
			t.Errorf("appointments in force: %d %v (the removed manager's ended)", len(list), err)
		}
		if _, err := f.svc.Appointments(ctx, mgr, false); code(err) != concord.EForbidden {
			t.Errorf("a manager listed appointments: %v", err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("audit verify: %v", err)
		}
	})
}

// A term grants nothing before it begins or once it has ended: a manager
// appointed from next month, and one whose term the Secretariat ended.
func TestTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		fut := f.user(t, concord.User{Username: "future", Role: concord.RoleDelegate, State: "FRA"})
		past := f.user(t, concord.User{Username: "past", Role: concord.RoleDelegate, State: "FRA"})
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "future", Post: concord.PostDelegationManager, From: day("2026-04-01")}); err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "past", Post: concord.PostDelegationManager, From: day("2026-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.View(ctx, f.signedIn(t, fut), "FRA"); code(err) != concord.EForbidden {
			t.Errorf("a future term acts: %v", err)
		}
		if _, err := f.svc.View(ctx, f.signedIn(t, past), "FRA"); err != nil {
			t.Errorf("a term in force: %v", err)
		}
		if _, err := f.svc.End(ctx, f.sec, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.End(ctx, f.sec, a.ID); code(err) != concord.EConflict {
			t.Errorf("ended twice: %v", err)
		}
		if _, err := f.svc.View(ctx, f.signedIn(t, past), "FRA"); code(err) != concord.EForbidden {
			t.Errorf("an ended term acts: %v", err)
		}
		f.now = day("2026-04-02")
		if _, err := f.svc.View(ctx, f.signedIn(t, fut), "FRA"); err != nil {
			t.Errorf("the future term, begun: %v", err)
		}
		// The Chair's own term: its role holds only while it runs.
		chair := f.user(t, concord.User{Username: "chair", Role: concord.RoleChair})
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "chair", Post: concord.PostChair, From: day("2025-01-01"), Until: day("2026-01-01")}); err != nil {
			t.Fatal(err)
		}
		if concord.Can(f.signedIn(t, chair), concord.ActChairDecision, concord.Target{}) {
			t.Error("a Chair whose term ended decides")
		}
		// Bad appointments: every problem at once, the holder checked in the transaction.
		_, err = f.svc.Appoint(ctx, f.sec, delegations.Appointing{Post: "king", Until: day("2020-01-01")})
		if es, ok := err.(concord.Errors); !ok || len(es) != 3 {
			t.Errorf("bad appointment: %v", err)
		}
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "nobody", Post: concord.PostChair, From: day("2026-01-01")}); code(err) != concord.EInvalid {
			t.Errorf("unknown holder: %v", err)
		}
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "future", Post: concord.PostGroupSpeaker, Scope: "group-999999", From: day("2026-01-01")}); code(err) != concord.EInvalid {
			t.Errorf("unknown group: %v", err)
		}
		if _, err := f.svc.Appoint(ctx, f.sec, delegations.Appointing{Username: "future", Post: concord.PostChair, From: day("2026-01-01")}); code(err) != concord.EInvalid {
			t.Errorf("a delegate as Chair: %v", err)
		}
		if _, err := f.svc.Appoint(ctx, f.signedIn(t, fut), delegations.Appointing{Username: "future", Post: concord.PostDelegationManager, From: day("2026-01-01")}); code(err) != concord.EForbidden {
			t.Errorf("a manager appointed: %v", err)
		}
	})
}
