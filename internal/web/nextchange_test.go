package web_test

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/briefer"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
	"concord/rule"
)

// TestDecisionCachedUntilDeadline: a silence procedure's page, list and
// JSON are served from the caches while it runs, and show the outcome at
// the deadline without any write, though no handler declares the deadline:
// reading the stored decision records it for the caches.
func TestDecisionCachedUntilDeadline(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	d, err := svc.Create(ctx, sec, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Silence on the calendar"},
		Proposal: concord.Text{"en": "Adopt the calendar."}, Modality: decision.ModalityChairProposalSilence, PeriodHours: 24})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/en/decisions/" + itoa(d.ID), "/en/decisions", "/api/v1/decisions/" + itoa(d.ID)}
	pending, adopted := map[bool]string{false: en.msg("en", "outcome.pending"), true: `"outcome":"pending"`},
		map[bool]string{false: en.msg("en", "outcome.adopted"), true: `"outcome":"adopted"`}
	for _, role := range []string{"", "chair"} {
		for _, p := range paths {
			api := strings.HasPrefix(p, "/api/")
			if _, body := en.get(role, p); !strings.Contains(body, pending[api]) {
				t.Errorf("%q %s: not pending before the deadline", role, p)
			}
		}
	}
	before := en.db.Queries()
	en.get("", paths[0])
	if n := en.db.Queries() - before; n > 1 {
		t.Errorf("running silence procedure not cached: %d queries", n)
	}
	deadline := time.Now().Add(25 * time.Hour)
	en.db.Now = func() time.Time { return deadline }
	t.Cleanup(func() { en.db.Now = time.Now })
	for _, role := range []string{"", "chair"} {
		for _, p := range paths {
			api := strings.HasPrefix(p, "/api/")
			if _, body := en.get(role, p); !strings.Contains(body, adopted[api]) {
				t.Errorf("%q %s after the deadline: the cached pending answer is still served", role, p)
			}
		}
	}
}

// TestDecisionSimulationCachedUntilDeadline: a decision by consensus with
// no period has no deadline of its own, but its simulation under the
// silence procedure runs for the default period and ends then, without any
// write. The decision page and the simulation JSON are cached meanwhile
// and show the simulated silence adopted at its deadline, though no
// handler declares it: reading the decision records the deadlines of its
// simulation too.
func TestDecisionSimulationCachedUntilDeadline(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	en.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	t.Cleanup(func() { en.db.Now = time.Now })
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	d, err := svc.Create(ctx, sec, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Consensus on the calendar"},
		Proposal: concord.Text{"en": "Adopt the calendar."}, Modality: decision.ModalityConsensus})
	if err != nil {
		t.Fatal(err)
	}
	page, sim := "/en/decisions/"+itoa(d.ID), "/api/v1/decisions/"+itoa(d.ID)+"/simulation"
	// silence is the outcome of the simulated silence procedure.
	silence := func(role, p string) string {
		t.Helper()
		resp, body := en.get(role, p)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		if p == page {
			if strings.Contains(body, `outcome-adopted`) {
				return "adopted"
			}
			return "pending"
		}
		var l struct {
			Items []struct {
				Policy struct{ Modality string } `json:"policy"`
				Result *struct{ Outcome string } `json:"result"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		for _, it := range l.Items {
			if it.Policy.Modality == string(decision.ModalityChairProposalSilence) && it.Result != nil {
				return it.Result.Outcome
			}
		}
		return "?"
	}
	for _, p := range []string{page, sim} {
		for _, role := range []string{"", "chair"} {
			if got := silence(role, p); got != "pending" {
				t.Errorf("%s as %q before the simulated deadline: %s", p, role, got)
			}
		}
		before := en.db.Queries()
		silence("", p)
		if n := en.db.Queries() - before; n > 1 {
			t.Errorf("%s: a repeated public request cost %d queries: not cached", p, n)
		}
	}
	clock.Store(d.Facts.ProposedAt.Add(decision.DefaultPeriod).UnixNano()) // no write
	for _, p := range []string{page, sim} {
		for _, role := range []string{"", "chair"} {
			if got := silence(role, p); got != "adopted" {
				t.Errorf("%s as %q at the simulated deadline: %s (served stale)", p, role, got)
			}
		}
	}
}

// TestBrieferSimulationCachedUntilDeadline: under a rule that confirms
// briefers at once, a nomination never changes by itself, but its
// simulation as a non-objection round ends at the rule's period. The
// nomination's page and its simulation JSON, cached meanwhile, show that
// round confirmed at its end, though no handler declares it: reading the
// nomination records its next change under every mode.
func TestBrieferSimulationCachedUntilDeadline(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	en.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	t.Cleanup(func() { en.db.Now = time.Now })
	svc := &decide.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	period := 2 * 24 * time.Hour
	if _, err := svc.AddRule(ctx, sec, rule.Version{Code: briefer.RuleCode, Policy: &briefer.Policy{Confirmation: briefer.Automatic, Period: period}}); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(time.Second)) // the rule is in force
	b, err := svc.NominateBriefer(ctx, &concord.User{ID: 1, Role: concord.RoleDelegate, State: "KEN"}, decide.BrieferInput{Name: "Wanjiru Kamau",
		Affiliation: "Strathmore University", DTG: "DTG-1", MeetingDate: time.Now().AddDate(0, 0, 40).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Result.State != briefer.Confirmed {
		t.Fatalf("under automatic confirmation: %s", b.Result.State)
	}
	page, sim := "/en/briefers/"+itoa(b.ID()), "/api/v1/briefers/"+itoa(b.ID())+"/simulation"
	// round is the state of the simulated non-objection round.
	round := func(role, p string) string {
		t.Helper()
		resp, body := en.get(role, p)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		if p == page {
			if strings.Contains(body, "status-nominated") {
				return "nominated"
			}
			return "confirmed"
		}
		var l struct {
			Items []struct {
				Policy struct{ Confirmation string } `json:"policy"`
				State  string                        `json:"state"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		for _, it := range l.Items {
			if it.Policy.Confirmation == string(briefer.NonObjection) {
				return it.State
			}
		}
		return "?"
	}
	for _, p := range []string{page, sim} {
		for _, role := range []string{"", "chair"} {
			if got := round(role, p); got != "nominated" {
				t.Errorf("%s as %q before the simulated round ends: %s", p, role, got)
			}
		}
		before := en.db.Queries()
		round("", p)
		if n := en.db.Queries() - before; n > 1 {
			t.Errorf("%s: a repeated public request cost %d queries: not cached", p, n)
		}
	}
	clock.Store(b.Record.Doc.At.Add(period).UnixNano()) // no write
	for _, p := range []string{page, sim} {
		for _, role := range []string{"", "chair"} {
			if got := round(role, p); got != "confirmed" {
				t.Errorf("%s as %q when the simulated round ends: %s (served stale)", p, role, got)
			}
		}
	}
}
