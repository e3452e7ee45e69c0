package digest_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/digest"
	"concord/internal/i18n"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var demo = storetest.NewTemplate("digest-demo", seed.Demo)

// delegate creates a delegate of France with a verified address, taking
// notices as a digest or one by one.
func delegate(t *testing.T, db *store.DB, name string, asDigest bool) {
	t.Helper()
	u := concord.User{Username: name, Role: concord.RoleDelegate, State: "FRA"}
	err := db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "unused-hash"); err != nil {
			return err
		}
		if err := tx.SetEmail(u.ID, name+"@example.org"); err != nil {
			return err
		}
		if err := tx.VerifyEmail(u.ID, name+"@example.org"); err != nil {
			return err
		}
		return tx.SetNoticeDigest(u.ID, asDigest)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDailyDigest: a delegate who chose the digest gets no email per
// notice but one email the next day listing the day's notices, once
// whatever the runs; a delegate who did not gets the notice at once and no
// digest.
func TestDailyDigest(t *testing.T) {
	demo.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		delegate(t, db, "daily", true)
		delegate(t, db, "each", false)
		// Issue 11: a reader of Arabic gets the digest in Arabic.
		delegate(t, db, "yawmi", true)
		yawmi, _, err := db.UserByUsername(ctx, "yawmi")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetLang(yawmi.ID, "ar") }); err != nil {
			t.Fatal(err)
		}
		dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		d, err := dec.Create(ctx, &concord.User{ID: 1, Role: concord.RoleChair}, decide.NewDecision{Kind: decision.KindGeneric,
			Title: concord.Text{"en": "Programme"}, Proposal: concord.Text{"en": "Adopt."}, Modality: decision.ModalityConsensus,
			PeriodHours: 240, NoConsensus: decision.OutcomeDeferred})
		if err != nil {
			t.Fatal(err)
		}
		open := "notice:decision-open:" + itoaID(d.ID) + ":FRA:"
		if _, err := db.MailByDedupe(ctx, open+"each@example.org"); err != nil {
			t.Errorf("the immediate reader got no email: %v", err)
		}
		if _, err := db.MailByDedupe(ctx, open+"daily@example.org"); err == nil {
			t.Errorf("the digest reader got an email per notice")
		}
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		svc := &digest.Service{DB: db, Cat: cat, BaseURL: "https://concord.example"}
		// The same day: yesterday had no notices.
		if n, err := svc.Send(ctx); err != nil || n != 0 {
			t.Errorf("same day: %d digests, %v", n, err)
		}
		clock = time.Date(2026, 9, 2, 0, 1, 0, 0, time.UTC)
		for run := range 2 {
			n, err := svc.Send(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := 2 * (1 - run); n != want {
				t.Errorf("run %d: %d digests, want %d", run+1, n, want)
			}
		}
		m, err := db.MailByDedupe(ctx, "digest:2026-09-01:daily@example.org")
		if err != nil {
			t.Fatalf("no digest: %v", err)
		}
		if !strings.Contains(m.Text, cat.T("en", "notice.decision_open", nil)) || !strings.Contains(m.Text, "https://concord.example/en/decisions/"+itoaID(d.ID)) {
			t.Errorf("digest text:\n%s", m.Text)
		}
		m, err = db.MailByDedupe(ctx, "digest:2026-09-01:yawmi@example.org")
		if err != nil {
			t.Fatalf("no Arabic digest: %v", err)
		}
		if !strings.Contains(m.Text, cat.T("ar", "notice.decision_open", nil)) || !strings.Contains(m.Text, "https://concord.example/ar/decisions/"+itoaID(d.ID)) ||
			m.Subject != cat.T("ar", "mail.digest.subject", map[string]any{"Day": "2026-09-01", "Count": 1}) {
			t.Errorf("Arabic digest: %s\n%s", m.Subject, m.Text)
		}
		if _, err := db.MailByDedupe(ctx, "digest:2026-09-01:each@example.org"); err == nil {
			t.Errorf("a digest for the immediate reader")
		}
	})
}

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }

// TestChairDigest (issue 11): the Chair, who chose the digest, finds a
// State's objection to a decision (a notice to the role) in the next
// day's digest, and gets no email for it at once.
func TestChairDigest(t *testing.T) {
	demo.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		chair := concord.User{Username: "the-chair", Role: concord.RoleChair}
		fra := concord.User{Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"}
		err := db.Update(ctx, "system", func(tx *store.Tx) error {
			if err := tx.CreateUser(&fra, "unused-hash"); err != nil {
				return err
			}
			if err := tx.CreateUser(&chair, "unused-hash"); err != nil {
				return err
			}
			if err := tx.SetEmail(chair.ID, "chair@example.org"); err != nil {
				return err
			}
			if err := tx.VerifyEmail(chair.ID, "chair@example.org"); err != nil {
				return err
			}
			return tx.SetNoticeDigest(chair.ID, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		d, err := dec.Create(ctx, &chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Programme"},
			Proposal: concord.Text{"en": "Adopt."}, Modality: decision.ModalityChairProposalSilence, PeriodHours: 72, NoConsensus: decision.OutcomeDeferred})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dec.TakePosition(ctx, &fra, d.ID, decide.PositionInput{Kind: decision.PositionObjection}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MailByDedupe(ctx, "notice:decision-objection:"+itoaID(d.ID)+":1:chair:chair@example.org"); err == nil {
			t.Error("the Chair, who chose the digest, got an email per notice")
		}
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		clock = time.Date(2026, 9, 2, 0, 1, 0, 0, time.UTC)
		if _, err := (&digest.Service{DB: db, Cat: cat, BaseURL: "https://concord.example"}).Send(ctx); err != nil {
			t.Fatal(err)
		}
		m, err := db.MailByDedupe(ctx, "digest:2026-09-01:chair@example.org")
		if err != nil {
			t.Fatalf("no digest for the Chair: %v", err)
		}
		if !strings.Contains(m.Text, cat.T("en", "notice.decision_objection", nil)) {
			t.Errorf("the Chair's digest:\n%s", m.Text)
		}
	})
}
