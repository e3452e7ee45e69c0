package pocs_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/i18n"
	"concord/internal/pocs"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/poc"
)

var ctx = context.Background()

var (
	sec   = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	fra   = &concord.User{ID: 2, Role: concord.RoleDelegate, State: "FRA"}
	deu   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "DEU"}
	focal = &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 1}
	chair = &concord.User{ID: 5, Role: concord.RoleChair}
)

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T, db *store.DB) (*pocs.Service, *clock) {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	return &pocs.Service{DB: db, Process: concord.DefaultProcessCode, Cat: cat, BaseURL: "https://concord.test"}, c
}

func input(state string, kind poc.Kind, email string) pocs.Input {
	return pocs.Input{State: state, Kind: kind, Name: "Amina Diallo", Function: "Cyber ambassador", Email: email,
		Phone: "+33 1 43 17 53 53", Languages: []string{"en", "fr"}, Hours: "Mon-Fri 9-18"}
}

// TestNominations: a State nominates its own, within the rule; another
// State's nomination is refused whatever it holds, and keeps nothing.
func TestNominations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := setup(t, db)
		p, err := s.Nominate(ctx, fra, input("fra", poc.Diplomatic, "a@fra.test"))
		if err != nil || p.ID == 0 || p.State != "FRA" {
			t.Fatalf("nominate %+v %v", p, err)
		}
		if _, err := s.Nominate(ctx, fra, input("FRA", poc.Diplomatic, "b@fra.test")); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			u    *concord.User
			in   pocs.Input
			want []string
		}{
			{"third diplomatic", fra, input("FRA", poc.Diplomatic, "c@fra.test"), []string{"poc.error.too_many"}},
			{"for another State", deu, input("FRA", poc.Technical, "d@fra.test"), []string{"poc.error.not_own"}},
			{"by a stakeholder", focal, input("FRA", poc.Technical, "d@fra.test"), []string{"poc.error.not_own"}},
			{"by the public", nil, input("FRA", poc.Technical, "d@fra.test"), []string{"poc.error.not_own"}},
			{"every problem at once", fra, pocs.Input{State: "FRA", Kind: "x", Email: "no", Phone: "1"},
				[]string{"poc.error.kind", "poc.error.name", "poc.error.function", "poc.error.email", "poc.error.phone", "poc.error.languages"}},
			{"no such State", sec, input("XXX", poc.Technical, "x@x.test"), []string{"poc.error.state"}},
		}
		for _, c := range cases {
			if _, err := s.Nominate(ctx, c.u, c.in); !slices.Equal(keys(err), c.want) {
				t.Errorf("%s: %v, want %v", c.name, keys(err), c.want)
			}
		}
		// Editing and removing: the State's own, or the Secretariat.
		in := input("FRA", poc.Diplomatic, "a@fra.test")
		in.Name = "Amina Diallo-Martin"
		if _, err := s.Edit(ctx, deu, p.ID, in); !slices.Equal(keys(err), []string{"poc.error.not_own"}) {
			t.Errorf("edit by DEU: %v", err)
		}
		if got, err := s.Edit(ctx, fra, p.ID, in); err != nil || got.Name != in.Name || got.State != "FRA" {
			t.Errorf("edit: %+v %v", got, err)
		}
		if err := s.Remove(ctx, deu, p.ID); !slices.Equal(keys(err), []string{"poc.error.not_own"}) {
			t.Errorf("remove by DEU: %v", err)
		}
		if err := s.Remove(ctx, sec, p.ID); err != nil {
			t.Fatal(err)
		}
		all, _ := db.POCs(ctx, concord.DefaultProcessCode, "")
		if len(all) != 1 || all[0].Email != "b@fra.test" {
			t.Errorf("directory %+v", all)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("verify rows: %v", err)
		}
	})
}

// TestDirectoryAccess: the directory reaches the Secretariat and the
// States' delegates only; the public sees a count.
func TestDirectoryAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := setup(t, db)
		if _, err := s.Nominate(ctx, fra, input("FRA", poc.Technical, "t@fra.test")); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			u    *concord.User
			ok   bool
		}{{"Secretariat", sec, true}, {"own delegate", fra, true}, {"other delegate", deu, true},
			{"stakeholder", focal, false}, {"Chair", chair, false}, {"public", nil, false}} {
			list, err := s.Directory(ctx, c.u, "")
			if c.ok != (err == nil) || (!c.ok && list != nil) {
				t.Errorf("%s: %d %v", c.name, len(list), err)
			}
			if _, err := s.POC(ctx, c.u, 1); c.ok != (err == nil) {
				t.Errorf("%s POC: %v", c.name, err)
			}
		}
		if sum, err := s.Summary(ctx); err != nil || sum.Nominated != 1 {
			t.Errorf("summary %+v %v", sum, err)
		}
	})
}

var linkRE = regexp.MustCompile(`https://concord\.test/(\w\w)/poc/ack\?token=([A-Za-z0-9]+)`)

// token reads the acknowledgement token of the mail kind sent for POC id
// in round.
func token(t *testing.T, db *store.DB, kind string, round, id int64) string {
	t.Helper()
	m, err := db.MailByDedupe(ctx, "poc-"+kind+":"+strconv.FormatInt(round, 10)+":"+strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatalf("mail %s %d: %v", kind, id, err)
	}
	mm := linkRE.FindStringSubmatch(m.Text)
	if mm == nil {
		t.Fatalf("no link in %q", m.Text)
	}
	return mm[2]
}

// TestPingRound: scheduled, opened (one mail per POC with a personal
// link), acknowledged once each, reminders once to those who did not
// answer, refused late or twice with the first answer kept, closed at the
// deadline by the sweep; results for the State and the Secretariat only.
func TestPingRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, c := setup(t, db)
		pf, _ := s.Nominate(ctx, fra, input("FRA", poc.Diplomatic, "d@fra.test"))
		pd, _ := s.Nominate(ctx, deu, input("DEU", poc.Technical, "t@deu.test"))
		deadline := c.t.Add(72 * time.Hour)
		if _, err := s.Schedule(ctx, fra, pocs.RoundInput{Opens: c.t, Closes: deadline}); !slices.Equal(keys(err), []string{"poc.error.ping_forbidden"}) {
			t.Errorf("schedule by a delegate: %v", err)
		}
		if _, err := s.Schedule(ctx, sec, pocs.RoundInput{Opens: c.t, Closes: c.t.Add(-time.Hour)}); !slices.Equal(keys(err), []string{"poc.error.deadline_order", "poc.error.deadline_past"}) {
			t.Errorf("bad round: %v", keys(err))
		}
		r, err := s.Schedule(ctx, sec, pocs.RoundInput{Opens: c.t, Closes: deadline, Note: "First ping"})
		if err != nil || r.Status != poc.Scheduled {
			t.Fatalf("schedule %+v %v", r, err)
		}
		// A POC added after the opening is not pinged in this round.
		r, n, err := s.Open(ctx, sec, r.ID)
		if err != nil || n != 2 || r.Status != poc.Open {
			t.Fatalf("open %+v %d %v", r, n, err)
		}
		if _, _, err := s.Open(ctx, sec, r.ID); !slices.Equal(keys(err), []string{"poc.error.not_scheduled"}) {
			t.Errorf("open twice: %v", err)
		}
		tf := token(t, db, "ping", r.ID, pf.ID)
		if _, err := s.Acknowledge(ctx, "forged", ""); !slices.Equal(keys(err), []string{"poc.error.link"}) {
			t.Errorf("forged link: %v", err)
		}
		c.t = c.t.Add(time.Hour)
		a, err := s.Acknowledge(ctx, tf, "Duty officer")
		if err != nil || a.Ping.By != "Duty officer" || !a.Ping.Answered.Equal(c.t) {
			t.Fatalf("ack %+v %v", a, err)
		}
		first := a.Ping.Answered
		c.t = c.t.Add(time.Hour)
		if _, err := s.Acknowledge(ctx, tf, "Someone else"); !slices.Equal(keys(err), []string{"poc.error.answered"}) {
			t.Errorf("second use: %v", err)
		}
		if _, err := s.Check(ctx, tf); !slices.Equal(keys(err), []string{"poc.error.answered"}) {
			t.Errorf("check after use: %v", err)
		}
		// Reminders: none before their time; once to DEU when it comes.
		if err := s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MailByDedupe(ctx, "poc-remind:"+strconv.FormatInt(r.ID, 10)+":"+strconv.FormatInt(pd.ID, 10)); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("reminder before its time: %v", err)
		}
		c.t = deadline.Add(-12 * time.Hour)
		for range 2 {
			if err := s.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.MailByDedupe(ctx, "poc-remind:"+strconv.FormatInt(r.ID, 10)+":"+strconv.FormatInt(pf.ID, 10)); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("a POC that answered was reminded: %v", err)
		}
		tdRemind := token(t, db, "remind", r.ID, pd.ID)
		tdPing := token(t, db, "ping", r.ID, pd.ID)
		// Late: the link is refused and nothing changes.
		c.t = deadline
		if _, err := s.Acknowledge(ctx, tdRemind, ""); !slices.Equal(keys(err), []string{"poc.error.late"}) {
			t.Errorf("late: %v", err)
		}
		if err := s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if rd, _ := s.Round(ctx, r.ID); rd.Status != poc.Closed {
			t.Errorf("not closed at the deadline: %+v", rd)
		}
		if _, err := s.Acknowledge(ctx, tdPing, ""); !slices.Equal(keys(err), []string{"poc.error.late"}) {
			t.Errorf("late after closing: %v", err)
		}
		// Who sees what.
		all, _ := s.Results(ctx, sec, r.ID)
		if len(all.States) != 2 || all.Total != (poc.Aggregate{Sent: 2, Answered: 1, States: 2, StatesAnswered: 1}) {
			t.Errorf("Secretariat results %+v", all)
		}
		if !all.States[1].Pings[0].Answered.Equal(first) || all.States[1].Pings[0].By != "Duty officer" {
			t.Errorf("the first answer did not stand: %+v", all.States[1])
		}
		own, _ := s.Results(ctx, fra, r.ID)
		if len(own.States) != 1 || own.States[0].State != "FRA" {
			t.Errorf("FRA sees %+v", own.States)
		}
		for _, u := range []*concord.User{nil, focal, chair} {
			res, err := s.Results(ctx, u, r.ID)
			if err != nil || res.States != nil || res.Total.Sent != 2 {
				t.Errorf("%+v sees %+v %v", u, res, err)
			}
		}
		for _, c := range []struct {
			u  *concord.User
			ok bool
		}{{sec, true}, {fra, true}, {deu, false}, {focal, false}, {chair, false}, {nil, false}} {
			if _, err := s.StateResults(ctx, c.u, r.ID, "FRA"); c.ok != (err == nil) {
				t.Errorf("%+v FRA results: %v", c.u, err)
			}
		}
		// The log: the rounds are public, every POC and ping entry is
		// confidential.
		for e, err := range db.AuditEntries(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			round := strings.HasPrefix(e.Action, "poc.round.")
			if strings.HasPrefix(e.Action, "poc.") && e.Public != round {
				t.Errorf("entry %d %s public=%v", e.Seq, e.Action, e.Public)
			}
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("verify rows: %v", err)
		}
	})
}
