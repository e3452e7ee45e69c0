package account_test

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
	"concord/internal/i18n"
	"concord/internal/notify"
	"concord/internal/outbox"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var ctx = context.Background()

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

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
	clk  *clock
	svc  *account.Service
	mail *inbox
	out  *outbox.Sender
	sec  *concord.User
}

func setup(t *testing.T, db *store.DB) *fixture {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clk: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}, mail: &inbox{}}
	db.Now = f.clk.now
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc = &account.Service{DB: db, Cat: cat, Log: log, BaseURL: "https://concord.test"}
	f.out = &outbox.Sender{DB: db, Mail: f.mail, Log: log}
	f.sec = f.user(t, concord.User{Username: "sec", Role: concord.RoleSecretariat}, "")
	return f
}

// user creates an account with a password and, when email is set, a
// verified address.
func (f *fixture) user(t *testing.T, u concord.User, email string) *concord.User {
	t.Helper()
	hash, err := auth.HashPassword("old horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	u.Email = email
	if err := f.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, hash); err != nil || email == "" {
			return err
		}
		return tx.VerifyEmail(u.ID, email)
	}); err != nil {
		t.Fatal(err)
	}
	u.EmailVerified = email != ""
	return &u
}

var linkRE = regexp.MustCompile(`https://concord\.test/(\w\w)(/[a-z/]+)\?token=([A-Za-z0-9]+)`)

// links drains the outbox and returns the messages sent since the last
// call with the token of the link in each.
func (f *fixture) links(t *testing.T) (msgs []notify.Message, tokens []string) {
	t.Helper()
	if _, err := f.out.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	f.mail.mu.Lock()
	msgs, f.mail.msgs = f.mail.msgs, nil
	f.mail.mu.Unlock()
	for _, m := range msgs {
		mm := linkRE.FindStringSubmatch(m.Text)
		if mm == nil {
			t.Fatalf("no link in %q", m.Text)
		}
		tokens = append(tokens, mm[3])
	}
	return msgs, tokens
}

func code(err error) string { return concord.ErrorCode(err) }

// A reset link works once, ends the account's sessions, and leaves the
// link unspent when the new password is refused.
func TestResetLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		u := f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		token, th := auth.NewToken()
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			return tx.OpenSession(th, u.ID, f.clk.now().Add(time.Hour), auth.KindBrowser)
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RequestReset(ctx, "  Amina@Mission.test ", "10.0.0.1", "fr"); err != nil {
			t.Fatal(err)
		}
		msgs, tokens := f.links(t)
		if len(msgs) != 1 || msgs[0].To[0] != "amina@mission.test" || !strings.Contains(msgs[0].Subject, "mot de passe") ||
			msgs[0].Unsubscribe != "" || !strings.Contains(msgs[0].Text, "https://concord.test/fr/password/reset?token=") {
			t.Fatalf("reset mail %+v", msgs)
		}
		if ok, _ := f.svc.LinkValid(ctx, tokens[0]); !ok {
			t.Error("fresh link not valid")
		}
		if _, err := f.svc.ResetPassword(ctx, tokens[0], "amina2026"); code(err) != concord.EInvalid {
			t.Errorf("weak password: %v", err)
		}
		if _, err := f.svc.ResetPassword(ctx, tokens[0], "Amina1234567"); err == nil || err.(*concord.Error).Key != "error.common_password" {
			t.Errorf("username as password: %v", err)
		}
		if _, err := f.svc.ResetPassword(ctx, tokens[0], "new horse battery staple"); err != nil {
			t.Fatalf("reset after refused passwords: %v", err)
		}
		if _, err := db.SessionUser(ctx, auth.TokenHash(token)); err != concord.ErrNotFound {
			t.Errorf("session survived the reset: %v", err)
		}
		if _, _, _, err := auth.Login(ctx, db, nil, auth.Attempt{Username: "amina", Password: "new horse battery staple", Addr: "10.0.0.1"}); err != nil {
			t.Errorf("sign-in with the new password: %v", err)
		}
		// Reused.
		if _, err := f.svc.ResetPassword(ctx, tokens[0], "another horse battery"); err != store.ErrLinkInvalid {
			t.Errorf("reused link: %v", err)
		}
		if ok, _ := f.svc.LinkValid(ctx, tokens[0]); ok {
			t.Error("used link still valid")
		}
	})
}

// An expired link is refused, like a used or unknown one.
func TestResetLinkExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		if err := f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.1", "en"); err != nil {
			t.Fatal(err)
		}
		_, tokens := f.links(t)
		f.clk.add(account.ResetTTL + time.Second)
		if _, err := f.svc.ResetPassword(ctx, tokens[0], "new horse battery staple"); err != store.ErrLinkInvalid {
			t.Errorf("expired link: %v", err)
		}
		if _, err := f.svc.ResetPassword(ctx, "not-a-token", "new horse battery staple"); err != store.ErrLinkInvalid {
			t.Errorf("unknown link: %v", err)
		}
	})
}

// An address no account has (or one not verified) gets the same answer as
// a known one, and no mail; asking too often is throttled either way.
func TestResetUnknownSameAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		known := f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.1", "en")
		unknown := f.svc.RequestReset(ctx, "nobody@mission.test", "10.0.0.1", "en")
		if known != nil || unknown != nil {
			t.Errorf("answers differ or fail: known %v, unknown %v", known, unknown)
		}
		if msgs, _ := f.links(t); len(msgs) != 1 {
			t.Errorf("%d mails, want 1 (to the known address)", len(msgs))
		}
		var last [2]error
		for range account.ResetEmailRule.Free {
			last[0] = f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.2", "en")
			last[1] = f.svc.RequestReset(ctx, "nobody@mission.test", "10.0.0.2", "en")
		}
		if code(last[0]) != concord.ETooMany || code(last[1]) != concord.ETooMany {
			t.Errorf("not throttled alike: %v / %v", last[0], last[1])
		}
	})
}

// Two uses of one link at once: exactly one sets its password.
func TestResetParallelOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		if err := f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.1", "en"); err != nil {
			t.Fatal(err)
		}
		_, tokens := f.links(t)
		pws := []string{"first horse battery staple", "second horse battery staple"}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.ResetPassword(ctx, tokens[0], pws[i])
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			if err == nil {
				if won >= 0 {
					t.Fatal("both uses succeeded")
				}
				won = i
			} else if err != store.ErrLinkInvalid {
				t.Errorf("loser: %v", err)
			}
		}
		if won < 0 {
			t.Fatal("neither use succeeded")
		}
		if _, _, _, err := auth.Login(ctx, db, nil, auth.Attempt{Username: "amina", Password: pws[won], Addr: "10.0.0.9"}); err != nil {
			t.Errorf("the winner's password does not sign in: %v", err)
		}
	})
}

// Setting one's address sends a verification link in the page's language;
// it verifies once; an address in use elsewhere is a conflict; the
// Secretariat may set anyone's, another user nobody else's.
func TestEmailVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		u := f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "")
		other := f.user(t, concord.User{Username: "omar", Role: concord.RoleDelegate, State: "SEN"}, "omar@mission.test")
		if err := f.svc.SetEmail(ctx, u, "amina", "amina@mission.test", "ar"); err != nil {
			t.Fatal(err)
		}
		msgs, tokens := f.links(t)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "https://concord.test/ar/account/email/verify?token=") {
			t.Fatalf("verification mail %+v", msgs)
		}
		got, err := f.svc.VerifyEmail(ctx, tokens[0])
		if err != nil || !got.EmailVerified || got.Email != "amina@mission.test" {
			t.Errorf("verified: %+v %v", got, err)
		}
		if _, err := f.svc.VerifyEmail(ctx, tokens[0]); err != store.ErrLinkInvalid {
			t.Errorf("reused verification link: %v", err)
		}
		// The same verified address again changes nothing and sends nothing.
		if err := f.svc.SetEmail(ctx, u, "amina", "Amina@mission.test", "en"); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := f.links(t); len(msgs) != 0 {
			t.Errorf("re-entering the verified address sent %d mails", len(msgs))
		}
		if us, _ := db.UsersByVerifiedEmail(ctx, "amina@mission.test"); len(us) != 1 {
			t.Error("re-entering the verified address unverified it")
		}
		if err := f.svc.SetEmail(ctx, u, "amina", "OMAR@mission.test", "en"); code(err) != concord.EConflict {
			t.Errorf("address of another account: %v", err)
		}
		if err := f.svc.SetEmail(ctx, other, "amina", "x@mission.test", "en"); code(err) != concord.EForbidden {
			t.Errorf("another user's address: %v", err)
		}
		if err := f.svc.SetEmail(ctx, f.sec, "amina", "amina@gov.test", "en"); err != nil {
			t.Errorf("Secretariat: %v", err)
		}
		_, tokens = f.links(t)
		// The same unverified address again: a new link, the old one void.
		if err := f.svc.SetEmail(ctx, f.sec, "amina", "amina@gov.test", "en"); err != nil {
			t.Fatal(err)
		}
		_, again := f.links(t)
		if len(again) != 1 {
			t.Fatalf("resend: %d links", len(again))
		}
		if _, err := f.svc.VerifyEmail(ctx, tokens[0]); err != store.ErrLinkInvalid {
			t.Errorf("link replaced by a new one: %v", err)
		}
		tokens = again
		// A link sent to an address since replaced does not verify the new one.
		if err := f.svc.SetEmail(ctx, u, "amina", "amina@new.test", "en"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.VerifyEmail(ctx, tokens[0]); err != store.ErrLinkInvalid {
			t.Errorf("link of a replaced address: %v", err)
		}
		// Every change went through the account log: the chain and the
		// rows still match it.
		if err := f.svc.SetNoticeEmail(ctx, u, false); err != nil {
			t.Fatal(err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain: %v", err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("audited rows: %v", err)
		}
	})
}

// An invitation: an account without a password whose link sets the first
// password and verifies the address.
func TestInvitation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		u := concord.User{Username: "fatou", Role: concord.RoleFocalPoint, OrgID: 0, Email: "fatou@ngo.test"}
		u.Role = concord.RoleDelegate
		u.State = "SEN"
		if err := db.Update(ctx, "user:1", func(tx *store.Tx) error {
			if err := tx.CreateUser(&u, store.NoPassword); err != nil {
				return err
			}
			return f.svc.Welcome(tx, u, true, "es")
		}); err != nil {
			t.Fatal(err)
		}
		msgs, tokens := f.links(t)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "fatou") || !strings.Contains(msgs[0].Subject, "invitan") {
			t.Fatalf("invitation %+v", msgs)
		}
		if _, _, _, err := auth.Login(ctx, db, nil, auth.Attempt{Username: "fatou", Password: store.NoPassword, Addr: "10.0.0.1"}); err == nil {
			t.Error("an invited account signs in before choosing a password")
		}
		got, err := f.svc.ResetPassword(ctx, tokens[0], "fatou chooses a long password")
		if err != nil {
			t.Fatal(err)
		}
		users, _ := db.UsersByVerifiedEmail(ctx, "fatou@ngo.test")
		if got.Username != "fatou" || len(users) != 1 {
			t.Errorf("invitation accepted: %+v, verified %d", got, len(users))
		}
	})
}

// In the background (as serve runs it), the answer comes before the link
// is made, alike for every address; the link still arrives.
func TestResetInBackground(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		f.svc.Background = true
		if err := f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.1", "en"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RequestReset(ctx, "nobody@mission.test", "10.0.0.1", "en"); err != nil {
			t.Fatal(err)
		}
		f.svc.Wait()
		if msgs, tokens := f.links(t); len(msgs) != 1 || len(tokens) != 1 {
			t.Errorf("%d mails", len(msgs))
		}
	})
}

// An instance that sends no mail says so to every address alike, rather
// than promise a link that never comes.
func TestResetWithoutMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.user(t, concord.User{Username: "amina", Role: concord.RoleDelegate, State: "SEN"}, "amina@mission.test")
		f.svc.NoMail = true
		known := f.svc.RequestReset(ctx, "amina@mission.test", "10.0.0.1", "en")
		unknown := f.svc.RequestReset(ctx, "nobody@mission.test", "10.0.0.1", "en")
		if known != account.ErrNoMail || unknown != account.ErrNoMail {
			t.Errorf("known %v, unknown %v", known, unknown)
		}
		if msgs, _ := f.links(t); len(msgs) != 0 {
			t.Errorf("%d mails", len(msgs))
		}
	})
}
