package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

func newOrg(name string) *concord.Organization {
	return &concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": name}}
}

// TestIdempotencyKeyCommitsWithItsWrite: of parallel writes under one key
// exactly one commits, the others write nothing; a write that fails leaves no
// key; system writes on the way do not take it; keys expire; a dry run
// reaches the commit and keeps nothing.
func TestIdempotencyKeyCommitsWithItsWrite(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u := concord.User{Username: "sec", Role: concord.RoleSecretariat}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&u, "x") }); err != nil {
			t.Fatal(err)
		}
		actor := concord.Actor(&u)
		claim := func(key string) *store.IdemClaim {
			return &store.IdemClaim{UserID: u.ID, Actor: actor, Key: key, Hash: "h", TTL: time.Hour}
		}
		count := func(name string) int {
			_, n, err := db.ListOrganizations(ctx, store.OrgFilter{Query: name})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		const n = 12
		errs := make([]error, n)
		claims := make([]*store.IdemClaim, n)
		var wg sync.WaitGroup
		for i := range n {
			claims[i] = claim("k1")
			wg.Go(func() {
				errs[i] = db.Update(store.WithIdemClaim(ctx, claims[i]), actor, func(tx *store.Tx) error { return tx.CreateOrganization(newOrg("Parallel Org")) })
			})
		}
		wg.Wait()
		ok, dup := 0, 0
		for i, err := range errs {
			switch {
			case err == nil && claims[i].Taken():
				ok++
			case errors.Is(err, store.ErrDuplicateRequest) && claims[i].Lost():
				dup++
			default:
				t.Errorf("request %d: %v (taken %v, lost %v)", i, err, claims[i].Taken(), claims[i].Lost())
			}
		}
		if ok != 1 || dup != n-1 || count("Parallel Org") != 1 {
			t.Errorf("%d committed, %d refused as duplicates, %d organisations: want 1, %d, 1", ok, dup, count("Parallel Org"), n-1)
		}
		rec, found, err := db.IdemLookup(ctx, u.ID, "k1")
		if err != nil || !found || rec.Hash != "h" || rec.Status != 0 {
			t.Errorf("k1 after its write: %+v %v %v", rec, found, err)
		}
		if err := db.IdemComplete(ctx, u.ID, "k1", store.IdemResponse{Status: 201, ContentType: "application/json", Body: []byte(`{"id":1}`)}); err != nil {
			t.Fatal(err)
		}
		if rec, _, _ := db.IdemLookup(ctx, u.ID, "k1"); rec.Status != 201 || string(rec.Body) != `{"id":1}` {
			t.Errorf("completed k1: %+v", rec)
		}

		// A write that fails keeps no key; a system write does not take it.
		c := claim("k2")
		cctx := store.WithIdemClaim(ctx, c)
		if err := db.Update(cctx, actor, func(tx *store.Tx) error { return tx.CreateOrganization(&concord.Organization{}) }); err == nil {
			t.Fatal("an invalid organisation was created")
		}
		if err := db.Update(cctx, "system", func(tx *store.Tx) error { return tx.CreateOrganization(newOrg("System Org")) }); err != nil || c.Taken() {
			t.Errorf("system write: %v, key taken %v", err, c.Taken())
		}
		if _, found, _ := db.IdemLookup(ctx, u.ID, "k2"); found {
			t.Error("k2 recorded without a write of its user")
		}

		// A dry run goes as far as the commit and keeps nothing, key included.
		dry := &store.DryRun{}
		err = db.Update(store.WithDryRun(cctx, dry), actor, func(tx *store.Tx) error { return tx.CreateOrganization(newOrg("Dry Org")) })
		if !errors.Is(err, store.ErrDryRun) || !dry.Reached() || count("Dry Org") != 0 || c.Taken() {
			t.Errorf("dry run: %v, reached %v, %d organisations, key taken %v", err, dry.Reached(), count("Dry Org"), c.Taken())
		}
		if _, found, _ := db.IdemLookup(ctx, u.ID, "k2"); found {
			t.Error("k2 recorded by a dry run")
		}

		// Past the TTL the key is forgotten and may be used again.
		now := db.Now
		db.Now = func() time.Time { return now().Add(2 * time.Hour) }
		defer func() { db.Now = now }()
		if _, found, _ := db.IdemLookup(ctx, u.ID, "k1"); found {
			t.Error("k1 still answered after it expired")
		}
		if err := db.Update(store.WithIdemClaim(ctx, claim("k1")), actor, func(tx *store.Tx) error { return tx.CreateOrganization(newOrg("Later Org")) }); err != nil {
			t.Errorf("expired key used again: %v", err)
		}
	})
}

// TestOrganizationDuplicates: names meet after case, accents, punctuation and
// spaces are set aside, in any script and any language; websites by domain.
func TestOrganizationDuplicates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		first := &concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Website: "https://www.libre.example/about",
			Names: concord.Text{"fr": "Société Numérique Libre", "ru": "Цифровая свобода"}}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateOrganization(first) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			o    concord.Organization
			want bool
		}{
			{concord.Organization{Names: concord.Text{"en": "SOCIETE  numerique-libre."}}, true},
			{concord.Organization{Names: concord.Text{"es": "ЦИФРОВАЯ СВОБОДА!"}}, true},
			{concord.Organization{Names: concord.Text{"en": "Other"}, Website: "libre.example"}, true},
			{concord.Organization{Names: concord.Text{"en": "Other"}, Website: "http://WWW.LIBRE.EXAMPLE"}, true},
			{concord.Organization{Names: concord.Text{"en": "Société Numérique"}, Website: "https://libre.example.org"}, false},
		} {
			var got []concord.Organization
			err := db.Update(ctx, "system", func(tx *store.Tx) error {
				var err error
				got, err = tx.OrganizationDuplicates(c.o)
				if err != nil {
					return err
				}
				return tx.Audit("test.read", "organization", "0", nil, nil, false)
			})
			if err != nil {
				t.Fatal(err)
			}
			if (len(got) == 1 && got[0].ID == first.ID) != c.want || len(got) > 1 {
				t.Errorf("%v %q: candidates %v, want the first: %v", c.o.Names, c.o.Website, got, c.want)
			}
		}
	})
}
