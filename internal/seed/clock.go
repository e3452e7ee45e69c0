package seed

import (
	"context"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// scriptedClock makes db.Now return *clock, so that a seed plays past
// events at the instants it sets (at parses RFC 3339). restore gives db its
// real clock back.
func scriptedClock(db *store.DB) (clock *time.Time, at func(string), restore func()) {
	real := db.Now
	clock = new(time.Time)
	db.Now = func() time.Time { return *clock }
	return clock, func(s string) { *clock, _ = time.Parse(time.RFC3339, s) }, func() { db.Now = real }
}

// euGroup is the decision actor code of the European Union's named group,
// "" when the registry has none.
func euGroup(ctx context.Context, db *store.DB) (string, error) {
	groups, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 100})
	if err != nil {
		return "", err
	}
	for _, g := range groups {
		if g.Acronym == "EU" {
			return decide.GroupCode(g.ID), nil
		}
	}
	return "", nil
}
