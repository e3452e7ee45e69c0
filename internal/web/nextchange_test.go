package web_test

import (
	"strings"
	"testing"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// TestDecisionCachedUntilDeadline: a silence procedure's page, list and
// JSON are served from the caches while it runs, and show the outcome at
// the deadline without any write, though no handler declares the deadline:
// reading the stored decision records it for the caches.
func TestDecisionCachedUntilDeadline(t *testing.T) {
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
