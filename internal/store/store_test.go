package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

func TestReferenceData(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		states, err := db.ListStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) != 195 {
			t.Fatalf("got %d States, want 195", len(states))
		}
		members, observers := 0, 0
		counts := map[string]int{}
		for _, s := range states {
			switch s.Status {
			case "member":
				members++
			case "observer":
				observers++
				if len(s.Groups) != 0 {
					t.Errorf("%s: observer State in groups %v", s.ISO3, s.Groups)
				}
			}
			for _, g := range s.Groups {
				if g.Kind != concord.KindDual {
					counts[g.Group]++
				}
			}
			for _, l := range concord.Languages {
				if s.Names[l] == "" {
					t.Errorf("%s has no %s name", s.ISO3, l)
				}
			}
		}
		if members != 193 || observers != 2 {
			t.Errorf("members %d observers %d, want 193 and 2", members, observers)
		}
		want := map[string]int{"AG": 54, "APG": 54, "EEG": 23, "GRULAC": 33, "WEOG": 29}
		for g, n := range want {
			if counts[g] != n {
				t.Errorf("group %s: %d members, want %d", g, counts[g], n)
			}
		}
		tur, err := db.GetState(ctx, "TUR")
		if err != nil {
			t.Fatal(err)
		}
		if len(tur.Groups) != 2 {
			t.Errorf("Türkiye in %d groups, want 2", len(tur.Groups))
		}
		if _, err := db.GetState(ctx, "XXX"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown State: err %v, want not found", err)
		}
		_, cats, err := db.Classification(ctx, concord.SchemeUNCTAD)
		if err != nil {
			t.Fatal(err)
		}
		dev := 0
		for _, c := range cats {
			if c == concord.Developed {
				dev++
			}
		}
		if len(cats) != 193 || dev != 50 {
			t.Errorf("UNCTAD scheme: %d classified, %d developed; want 193 and 50", len(cats), dev)
		}
	})
}

func TestBootstrapIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		before, _ := db.AuditHead(ctx)
		if err := db.Bootstrap(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := db.AuditHead(ctx)
		if before != after {
			t.Errorf("second bootstrap wrote %d audit entries", after-before)
		}
		if states, _ := db.ListStates(ctx); len(states) != 195 {
			t.Errorf("got %d States after second bootstrap", len(states))
		}
	})
}

func TestOrganizationCRUDAndAudit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Country: "KEN", Names: concord.Text{"en": "Test Network", "fr": "Réseau test"}}
		if err := db.Update(ctx, "user:1", func(tx *store.Tx) error { return tx.CreateOrganization(&o) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetOrganization(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Names["fr"] != "Réseau test" || got.Country != "KEN" || got.Type != "ngo" {
			t.Errorf("round trip: %+v", got)
		}
		// A bad update changes nothing.
		bad := got
		bad.Names = concord.Text{}
		err = db.Update(ctx, "user:1", func(tx *store.Tx) error { return tx.UpdateOrganization(&bad) })
		if concord.ErrorCode(err) != concord.EInvalid {
			t.Fatalf("empty names: err %v, want invalid", err)
		}
		// An unknown country is a field error, not an internal one, and the
		// transaction leaves nothing behind.
		head, _ := db.AuditHead(ctx)
		bad = got
		bad.Country = "ZZZ"
		err = db.Update(ctx, "user:1", func(tx *store.Tx) error { return tx.UpdateOrganization(&bad) })
		var de *concord.Error
		if !errors.As(err, &de) || de.Field != "country" {
			t.Fatalf("unknown country: err %v, want a country field error", err)
		}
		if h, _ := db.AuditHead(ctx); h != head {
			t.Errorf("failed write left %d audit entries", h-head)
		}
		again, _ := db.GetOrganization(ctx, o.ID)
		if again.Country != "KEN" {
			t.Errorf("failed write changed country to %q", again.Country)
		}
		list, total, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Query: "test net", Limit: 10})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("search: %d/%d, err %v", len(list), total, err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUpdateWithoutAuditIsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		err := db.Update(ctx, "system", func(tx *store.Tx) error { return nil })
		if err == nil {
			t.Fatal("a write transaction without an audit entry committed")
		}
	})
}

func TestConcurrentWritesKeepTheChain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := concord.Person{Name: "Writer " + string(rune('A'+i%26))}
				errs <- db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreatePerson(&p) })
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("chain after concurrent writes: %v", err)
		}
		cp, err := db.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		vkey, _ := db.VerifierKey(ctx)
		tree, err := audit.VerifyCheckpoint(vkey, cp)
		if err != nil {
			t.Fatal(err)
		}
		head, _ := db.AuditHead(ctx)
		if tree.N != head {
			t.Errorf("checkpoint size %d, log size %d", tree.N, head)
		}
	})
}

func TestSessionsAndThrottle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := concord.User{Username: "delegate-fra", Role: concord.RoleDelegate, State: "FRA"}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&u, "x") }); err != nil {
			t.Fatal(err)
		}
		dup := concord.User{Username: "delegate-fra", Role: concord.RoleChair}
		err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&dup, "x") })
		if concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("duplicate username: err %v, want conflict", err)
		}
		exp := db.Now().Add(3600e9)
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateSession("h1", u.ID, exp) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionUser(ctx, "h1")
		if err != nil || got.State != "FRA" {
			t.Fatalf("session user %+v, err %v", got, err)
		}
		if _, err := db.SessionUser(ctx, "nope"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown session: %v", err)
		}
		// Changing the role ends sessions, so new permissions apply at once.
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetRole("delegate-fra", concord.RoleChair, "", 0) }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "h1"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("session survived a role change: %v", err)
		}
		// Sign-in counters: three free, then waits of one minute, then two.
		now := db.Now().UTC().Truncate(time.Second)
		db.Now = func() time.Time { return now }
		attempt := func(want bool, wantN int) {
			t.Helper()
			ok, n, retry, err := db.LoginAttempt(ctx, "user:x", time.Hour, 3, []time.Duration{time.Minute, 2 * time.Minute})
			if err != nil || ok != want || n != wantN {
				t.Fatalf("at %v: allowed %v, count %d, err %v; want %v, %d (retry at %v)", now, ok, n, err, want, wantN, retry)
			}
		}
		attempt(true, 1)
		attempt(true, 2)
		attempt(true, 3)
		attempt(false, 3) // waits a minute
		now = now.Add(time.Minute)
		attempt(true, 4)
		now = now.Add(time.Minute)
		attempt(false, 4) // now two minutes
		now = now.Add(time.Minute)
		attempt(true, 5)
		now = now.Add(2*time.Minute + time.Hour)
		attempt(true, 1) // forgotten after an hour past the wait
	})
}

func addPeople(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		p := concord.Person{Name: "Person " + string(rune('A'+i))}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreatePerson(&p) }); err != nil {
			t.Fatal(err)
		}
	}
}
