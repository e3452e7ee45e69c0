package decide_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// demoStore is the demo data, seeded once per test binary and engine.
var demoStore = storetest.NewTemplate("decide-demo", seed.Demo)

// addDelegate creates a delegate of state with a verified address (notices
// by email are on by default).
func addDelegate(t *testing.T, db *store.DB, username, state string) concord.User {
	t.Helper()
	u := concord.User{Username: username, Role: concord.RoleDelegate, State: state}
	err := db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "unused-hash"); err != nil {
			return err
		}
		if err := tx.SetEmail(u.ID, username+"@example.org"); err != nil {
			return err
		}
		return tx.VerifyEmail(u.ID, username+"@example.org")
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// noticesOn counts a State's notices of key about decision id.
func noticesOn(t *testing.T, db *store.DB, state, key string, id int64) int {
	t.Helper()
	ns, err := db.Inbox(ctx, state, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ns {
		if x.Key == key && x.Link == "/decisions/"+itoa(id) {
			n++
		}
	}
	return n
}

// TestDecisionNotices: a State is told when a decision opens to it, then
// reminded 72 and 24 hours before the deadline (procedure data) while it has
// taken no position: once per offset, not when it has acted, not again on a
// second run of the scheduler nor by a second instance running at once; its
// delegates get each notice by email, once.
func TestDecisionNotices(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		t0 := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		clock := t0
		var mu sync.Mutex
		db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		set := func(at time.Time) { mu.Lock(); clock = at; mu.Unlock() }
		fra := addDelegate(t, db, "del-fra", "FRA")
		deu := addDelegate(t, db, "del-deu", "DEU")
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		chair := &concord.User{ID: 1, Role: concord.RoleChair}
		d, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Programme of work"},
			Proposal: concord.Text{"en": "Adopt the programme of work."}, Modality: decision.ModalityConsensus, PeriodHours: 7 * 24, NoConsensus: decision.OutcomeDeferred})
		if err != nil {
			t.Fatal(err)
		}
		participants := len(d.Facts.Participants)
		deadline := t0.Add(7 * 24 * time.Hour)
		for _, st := range []string{"FRA", "DEU", "BRA"} {
			if n := noticesOn(t, db, st, "notice.decision_open", d.ID); n != 1 {
				t.Errorf("%s: %d notices that the decision opened, want 1", st, n)
			}
		}
		if _, err := db.MailByDedupe(ctx, "notice:decision-open:"+itoa(d.ID)+":FRA:del-fra@example.org"); err != nil {
			t.Errorf("no email to FRA's delegate that the decision opened: %v", err)
		}
		remind := func(s *decide.Service) int {
			t.Helper()
			n, err := s.Remind(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Long before the deadline: nothing due.
		set(t0.Add(time.Hour))
		if n := remind(svc); n != 0 {
			t.Errorf("a week before: %d reminders", n)
		}
		// Germany takes a position; at 72 hours every other State is
		// reminded, once, whoever runs the scheduler.
		set(t0.Add(2 * time.Hour))
		if _, err := svc.TakePosition(ctx, &deu, d.ID, decide.PositionInput{Kind: decision.PositionSupport}); err != nil {
			t.Fatal(err)
		}
		set(deadline.Add(-72 * time.Hour))
		if n := remind(svc); n != participants-1 {
			t.Errorf("at 72 hours: %d reminders, want %d (every State but Germany)", n, participants-1)
		}
		other := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		set(deadline.Add(-71 * time.Hour))
		if n := remind(svc) + remind(other); n != 0 {
			t.Errorf("72-hour reminders sent again: %d", n)
		}
		if n := noticesOn(t, db, "DEU", "notice.decision_due", d.ID); n != 0 {
			t.Errorf("Germany, which took a position, was reminded %d times", n)
		}
		// France takes a position; at 24 hours two instances run at once:
		// every State but France and Germany is reminded once more.
		set(deadline.Add(-30 * time.Hour))
		if _, err := svc.TakePosition(ctx, &fra, d.ID, decide.PositionInput{Kind: decision.PositionSupport}); err != nil {
			t.Fatal(err)
		}
		set(deadline.Add(-24 * time.Hour))
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i, s := range []*decide.Service{svc, other} {
			wg.Go(func() {
				n, err := s.Remind(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		if n := counts[0] + counts[1]; n != participants-2 {
			t.Errorf("at 24 hours, two instances: %d reminders, want %d", n, participants-2)
		}
		for st, want := range map[string]int{"FRA": 1, "DEU": 0, "BRA": 2} {
			if n := noticesOn(t, db, st, "notice.decision_due", d.ID); n != want {
				t.Errorf("%s: %d reminders, want %d", st, n, want)
			}
		}
		if _, err := db.MailByDedupe(ctx, "notice:decision-remind:"+itoa(d.ID)+":72h:FRA:del-fra@example.org"); err != nil {
			t.Errorf("no 72-hour reminder email to FRA's delegate: %v", err)
		}
		if _, err := db.MailByDedupe(ctx, "notice:decision-remind:"+itoa(d.ID)+":24h:FRA:del-fra@example.org"); err == nil {
			t.Errorf("a 24-hour reminder email to FRA's delegate after France took a position")
		}
		// After the deadline, nothing.
		set(deadline.Add(time.Minute))
		if n := remind(svc); n != 0 {
			t.Errorf("after the deadline: %d reminders", n)
		}
	})
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// TestDecisionOutcomeNotices: when an objection breaks a silence, every
// participating State is told so, once; a decision that ends at its
// deadline tells its outcome after it, once; an outcome older than
// OutcomeNoticeWindow (the scheduler was down, or an upgrade) is not told.
func TestDecisionOutcomeNotices(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		t0 := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		clock := t0
		db.Now = func() time.Time { return clock }
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		chair := &concord.User{ID: 1, Role: concord.RoleChair}
		create := func(m decision.Modality, hours int) store.Decision {
			t.Helper()
			d, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "D"},
				Proposal: concord.Text{"en": "Adopt."}, Modality: m, PeriodHours: hours, NoConsensus: decision.OutcomeDeferred})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		notify := func() int {
			t.Helper()
			n, err := svc.NotifyOutcomes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		old := create(decision.ModalityChairProposalSilence, 24) // ends at t0+24h, told only within a day
		silence := create(decision.ModalityChairProposalSilence, 72)
		timed := create(decision.ModalityChairProposalSilence, 48)
		if n := notify(); n != 0 {
			t.Errorf("before any outcome: %d notices", n)
		}
		clock = t0.Add(50 * time.Hour) // old ended 26 hours ago, timed 2 hours ago
		if _, err := svc.TakePosition(ctx, &concord.User{ID: 9, Role: concord.RoleDelegate, State: "FRA"}, silence.ID,
			decide.PositionInput{Kind: decision.PositionObjection, Text: "France objects.", Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		participants := len(silence.Facts.Participants)
		if n := notify(); n != 2*participants {
			t.Errorf("%d outcome notices, want %d (the broken silence and the one ended at its deadline)", n, 2*participants)
		}
		if n := notify(); n != 0 {
			t.Errorf("outcome notices sent again: %d", n)
		}
		for id, key := range map[int64]string{silence.ID: "notice.silence_broken", timed.ID: "notice.decision_outcome"} {
			if n := noticesOn(t, db, "BRA", key, id); n != 1 {
				t.Errorf("decision %d: Brazil has %d %s, want 1", id, n, key)
			}
		}
		if n := noticesOn(t, db, "BRA", "notice.decision_outcome", old.ID); n != 0 {
			t.Errorf("an outcome of 26 hours ago was told")
		}
	})
}

// TestDecisionNoticesInLanguage: each delegate's notice and reminder emails
// are written in the language they read Concord in (issue 11), with links
// into it; one who never chose reads English.
func TestDecisionNoticesInLanguage(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		t0 := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
		clock := t0
		db.Now = func() time.Time { return clock }
		fra := addDelegate(t, db, "del-fra", "FRA")
		egy := addDelegate(t, db, "del-egy", "EGY")
		addDelegate(t, db, "del-deu", "DEU")
		for _, u := range []struct {
			id   int64
			lang string
		}{{fra.ID, "fr"}, {egy.ID, "ar"}} {
			if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetLang(u.id, u.lang) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetLang(fra.ID, "xx") }); err == nil {
			t.Error("an unknown language was accepted")
		}
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		chair := &concord.User{ID: 1, Role: concord.RoleChair}
		d, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Programme of work"},
			Proposal: concord.Text{"en": "Adopt the programme of work."}, Modality: decision.ModalityConsensus, PeriodHours: 7 * 24, NoConsensus: decision.OutcomeDeferred})
		if err != nil {
			t.Fatal(err)
		}
		clock = t0.Add(7*24*time.Hour - 72*time.Hour)
		if _, err := svc.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		id := itoa(d.ID)
		for _, c := range []struct{ dedupe, subject, body string }{
			{"decision-open:" + id + ":FRA:del-fra@example.org", "Concord : Une décision", "https://concord.example/fr/decisions/" + id},
			{"decision-remind:" + id + ":72h:FRA:del-fra@example.org", "Concord : Rappel", "Date limite (UTC) : "},
			{"decision-open:" + id + ":EGY:del-egy@example.org", "إشعار من Concord: ", "https://concord.example/ar/decisions/" + id},
			{"decision-remind:" + id + ":72h:EGY:del-egy@example.org", "إشعار من Concord: ", "الموعد النهائي"},
			{"decision-open:" + id + ":DEU:del-deu@example.org", "Concord: A decision is open to your State", "https://concord.example/en/decisions/" + id},
		} {
			m, err := db.MailByDedupe(ctx, "notice:"+c.dedupe)
			if err != nil {
				t.Errorf("%s: %v", c.dedupe, err)
				continue
			}
			if !strings.HasPrefix(m.Subject, c.subject) || !strings.Contains(m.Text, c.body) {
				t.Errorf("%s: subject %q, body %q; want %q and %q", c.dedupe, m.Subject, m.Text, c.subject, c.body)
			}
		}
		m, _ := db.MailByDedupe(ctx, "notice:decision-open:"+id+":EGY:del-egy@example.org")
		if !strings.Contains(m.Subject, "قرار") || m.Unsubscribe != "https://concord.example/ar/account/email" {
			t.Errorf("Arabic notice: subject %q, unsubscribe %q", m.Subject, m.Unsubscribe)
		}
	})
}

// addOfficer creates an account of role (the Chair, the Secretariat) with a
// verified address, reading Concord in lang.
func addOfficer(t *testing.T, db *store.DB, username string, role concord.Role, lang string) concord.User {
	t.Helper()
	u := concord.User{Username: username, Role: role, Lang: lang}
	err := db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "unused-hash"); err != nil {
			return err
		}
		if err := tx.SetEmail(u.ID, username+"@example.org"); err != nil {
			return err
		}
		return tx.VerifyEmail(u.ID, username+"@example.org")
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestChairAndSecretariatNotices (issue 11): a State's objection breaking a
// silence procedure is a notice to the Chair and to the Secretariat, in
// their inboxes and by email in each one's language; a State's delegates
// do not get it, and a position that is no objection tells nobody.
func TestChairAndSecretariatNotices(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		fra := addDelegate(t, db, "del-fra", "FRA")
		chair := addOfficer(t, db, "the-chair", concord.RoleChair, "fr")
		sec := addOfficer(t, db, "the-secretariat", concord.RoleSecretariat, "ar")
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.example"}
		d, err := svc.Create(ctx, &chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Programme of work"},
			Proposal: concord.Text{"en": "Adopt the programme of work."}, Modality: decision.ModalityChairProposalSilence, PeriodHours: 72, NoConsensus: decision.OutcomeDeferred})
		if err != nil {
			t.Fatal(err)
		}
		count := func(u concord.User) int {
			ns, err := db.InboxFor(ctx, u, 100)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range ns {
				if x.Key == "notice.decision_objection" && x.Link == "/decisions/"+itoa(d.ID) {
					n++
				}
			}
			return n
		}
		if _, err := svc.TakePosition(ctx, &fra, d.ID, decide.PositionInput{Kind: decision.PositionSupport}); err != nil {
			t.Fatal(err)
		}
		if count(chair)+count(sec) != 0 {
			t.Fatal("a position of support was a notice to the Chair")
		}
		if _, err := svc.TakePosition(ctx, &fra, d.ID, decide.PositionInput{Kind: decision.PositionObjection}); err != nil {
			t.Fatal(err)
		}
		if count(chair) != 1 || count(sec) != 1 || count(fra) != 0 {
			t.Errorf("objection notices: Chair %d, Secretariat %d, France %d", count(chair), count(sec), count(fra))
		}
		for _, c := range []struct{ dedupe, subject string }{
			{"decision-objection:" + itoa(d.ID) + ":2:chair:the-chair@example.org", "Concord : Un État"},
			{"decision-objection:" + itoa(d.ID) + ":2:secretariat:the-secretariat@example.org", "إشعار من Concord: "},
		} {
			m, err := db.MailByDedupe(ctx, "notice:"+c.dedupe)
			if err != nil || !strings.HasPrefix(m.Subject, c.subject) {
				t.Errorf("%s: %q %v", c.dedupe, m.Subject, err)
			}
		}
	})
}
