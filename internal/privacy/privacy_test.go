package privacy_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/privacy"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/poc"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var ctx = context.Background()

const password = "old horse battery staple"

// fixture: two delegates (France, Germany) with addresses, sessions,
// links, mail, notices and log entries each, and one Secretariat account.
type fixture struct {
	db            *store.DB
	svc           *privacy.Service
	sec, fra, deu *concord.User
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, svc: &privacy.Service{DB: db}}
	f.sec = f.user(t, concord.User{Username: "sec", Role: concord.RoleSecretariat}, "")
	f.fra = f.user(t, concord.User{Username: "fra-delegate", Name: "Marie Curie", Role: concord.RoleDelegate, State: "FRA"}, "marie@example.org")
	f.deu = f.user(t, concord.User{Username: "deu-delegate", Name: "Lise Meitner", Role: concord.RoleDelegate, State: "DEU"}, "lise@example.org")
	for _, u := range []*concord.User{f.fra, f.deu} {
		err := db.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
			if err := tx.OpenSession(strings.Repeat(u.State[:1], 64), u.ID, tx.Now.Add(time.Hour), "api"); err != nil {
				return err
			}
			if err := tx.CreateAccountToken(strings.Repeat(strings.ToLower(u.State[:1]), 64), u.ID, store.TokenReset, u.Email, tx.Now.Add(time.Hour)); err != nil {
				return err
			}
			if _, err := tx.Enqueue(store.Mail{Dedupe: "test:" + u.State, To: []string{u.Email}, Subject: "Notice for " + u.Name, Text: "Dear " + u.Name}); err != nil {
				return err
			}
			if _, err := tx.AddNotice(&store.Notice{State: u.State, Key: "notice.decision_open", Link: "/decisions/1", Dedupe: "n:" + u.State}); err != nil {
				return err
			}
			// A position of the State, as the procedural log records it.
			return tx.Audit("decision.position", "decision", "1", nil, nil, true)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) user(t *testing.T, u concord.User, email string) *concord.User {
	t.Helper()
	hash, err := auth.HashPassword(password)
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

// TestExportOnlyOwnRows: the export holds the person's own rows, every
// kind, and nothing of another person nor any secret.
func TestExportOnlyOwnRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		before := db.Queries()
		d, err := f.svc.Export(ctx, f.fra)
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Queries() - before; n > 7 {
			t.Errorf("export took %d statements, want at most 7 (one per list)", n)
		}
		if d.User.Username != "fra-delegate" || d.User.Email != "marie@example.org" || len(d.Sessions) != 1 || len(d.Links) != 1 ||
			len(d.Mail) != 1 || len(d.Inbox) != 1 || len(d.Audit) != 1 || len(d.Account) == 0 {
			t.Fatalf("export: %+v", d)
		}
		for _, e := range append(d.Audit, d.Account...) {
			if e.Actor != concord.Actor(f.fra) {
				t.Errorf("entry %d by %s in France's export", e.Seq, e.Actor)
			}
		}
		b, err := json.Marshal(privacy.ExportJSON(d, db.Now()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, no := range []string{"deu-delegate", "Lise", "lise@example.org", "argon2", strings.Repeat("F", 64), strings.Repeat("f", 64), "DEU", `"sec"`} {
			if strings.Contains(s, no) {
				t.Errorf("export contains %q: %s", no, s)
			}
		}
		for _, yes := range []string{"Marie Curie", "marie@example.org", "Notice for Marie Curie", "decision.position", `"kind":"api"`, `"purpose":"reset"`} {
			if !strings.Contains(s, yes) {
				t.Errorf("export lacks %q: %s", yes, s)
			}
		}
	})
}

// TestEraseKeepsTheRecord: a deletion erases the person, ends what hangs
// on the account, leaves the other person untouched, and both logs and
// every row still verify.
func TestEraseKeepsTheRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		if ok, _, _, err := db.LoginAttempt(ctx, "user:fra-delegate", time.Hour, 5, []time.Duration{time.Minute}); !ok || err != nil {
			t.Fatal(ok, err)
		}
		// A wrong password, another delegate: refused, nothing written.
		if _, err := f.svc.Erase(ctx, f.fra, f.fra.ID, "wrong password here"); concord.ErrorCode(err) != concord.EInvalid {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := f.svc.Erase(ctx, f.deu, f.fra.ID, password); concord.ErrorCode(err) != concord.ENotFound {
			t.Fatalf("another delegate: %v", err)
		}
		// A message between POCs France's delegate sent, and one it
		// acknowledged: both name it by username.
		sent := poc.Message{Process: concord.DefaultProcessCode, From: "FRA", To: "DEU", Template: poc.IncidentNotice, Lang: "en",
			Fields: map[string]string{"subject": "Ransomware", "detected": "2026-05-30", "description": "Encrypted records."},
			SentBy: "fra-delegate", Sent: db.Now()}
		got := poc.Message{Process: concord.DefaultProcessCode, From: "DEU", To: "FRA", Template: poc.IncidentNotice, Lang: "en",
			Fields: map[string]string{"subject": "Phishing", "detected": "2026-05-31", "description": "Mails."},
			SentBy: "deu-delegate", Sent: db.Now(), Acknowledged: db.Now(), AckBy: "fra-delegate"}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error {
			if err := tx.SaveMessage(&sent, "poc.message.send"); err != nil {
				return err
			}
			return tx.SaveMessage(&got, "poc.message.send")
		}); err != nil {
			t.Fatal(err)
		}
		after, err := f.svc.Erase(ctx, f.fra, f.fra.ID, password)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{sent.ID, got.ID} {
			m, err := db.Read(ctx).Message(id)
			if err != nil {
				t.Fatal(err)
			}
			if m.SentBy == "fra-delegate" || m.AckBy == "fra-delegate" || (m.SentBy != after.Username && m.AckBy != after.Username) {
				t.Errorf("message %d still names the deleted account: sent by %q, acknowledged by %q", id, m.SentBy, m.AckBy)
			}
		}
		if !after.Erased() || after.Name != "" || after.Email != "" || after.Role != concord.RoleDelegate || after.State != "FRA" || !after.Disabled {
			t.Fatalf("erased account: %+v", after)
		}
		d, err := f.svc.Export(ctx, &after)
		if err != nil {
			t.Fatal(err)
		}
		if d.User.Username != after.Username || len(d.Sessions) != 0 || len(d.Mail) != 0 || d.Links[0].Email != "" || d.Links[0].Used.IsZero() {
			t.Errorf("left after erasure: %+v", d)
		}
		// The acts stay, under the same pseudonymous actor.
		// (With the rewrites of the two messages that named the account.)
		if !slices.ContainsFunc(d.Audit, func(e audit.Entry) bool { return e.Action == "decision.position" }) {
			t.Errorf("the record lost the position: %+v", d.Audit)
		}
		if _, _, err := db.UserByUsername(ctx, "fra-delegate"); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("the username still finds the account: %v", err)
		}
		if _, n, _, _ := db.LoginAttempt(ctx, "user:fra-delegate", time.Hour, 5, []time.Duration{time.Minute}); n != 1 {
			t.Errorf("sign-in counter kept: %d", n)
		}
		other, err := f.svc.Export(ctx, f.deu)
		if err != nil {
			t.Fatal(err)
		}
		if len(other.Sessions) != 1 || len(other.Mail) != 1 || other.Links[0].Email == "" {
			t.Errorf("the other delegate lost data: %+v", other)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain after erasure: %v", err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("rows after erasure: %v", err)
		}
		// Once is enough: the Secretariat is told it is done already.
		if _, err := f.svc.Erase(ctx, f.sec, f.fra.ID, password); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("second erasure: %v", err)
		}
	})
}

// TestLastSecretariat: the last Secretariat account cannot be deleted;
// with a second one it can, by the Secretariat for its owner.
func TestLastSecretariat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		// The bootstrap's administrator may exist: erase every other
		// Secretariat account first, through the service.
		users, err := db.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.Role == concord.RoleSecretariat && u.ID != f.sec.ID && !u.Disabled {
				if _, err := f.svc.Erase(ctx, f.sec, u.ID, password); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := f.svc.Erase(ctx, f.sec, f.sec.ID, password); !isKey(err, "error.last_secretariat") {
			t.Fatalf("last Secretariat: %v", err)
		}
		sec2 := f.user(t, concord.User{Username: "sec2", Role: concord.RoleSecretariat}, "")
		if _, err := f.svc.Erase(ctx, f.sec, sec2.ID, password); err != nil {
			t.Fatalf("Secretariat for another: %v", err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}

func isKey(err error, key string) bool {
	var e *concord.Error
	return errors.As(err, &e) && e.Key == key
}
