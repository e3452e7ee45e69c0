package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"concord"
	"concord/internal/store"
)

// DemoManagers are the demo's delegation managers: a delegate of France
// and one of Germany, each managing their State's delegation from the
// start of 2026 (accounts without a password: invited, as a manager's own
// delegates are).
var DemoManagers = map[string]string{"FRA": "manager-fra", "DEU": "manager-deu"}

// demoManagerNames are their names.
var demoManagerNames = map[string]string{"FRA": "Hélène Moreau", "DEU": "Jonas Weber"}

// Delegations gives France and Germany a delegation manager. Running it
// twice adds nothing.
func Delegations(ctx context.Context, db *store.DB) error {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Read(ctx).UserNamed(DemoManagers["FRA"]); err == nil {
		return nil // seeded already
	} else if !errors.Is(err, concord.ErrNotFound) {
		return err
	}
	// Appointed at the start of their term, like the other past events the
	// demo plays: the log keeps the order in which things happened.
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-01-01T09:00:00Z")
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		for _, iso3 := range []string{"FRA", "DEU"} {
			name := DemoManagers[iso3]
			if _, err := tx.UserNamed(name); err == nil {
				continue
			} else if !errors.Is(err, concord.ErrNotFound) {
				return err
			}
			u := concord.User{Username: name, Name: demoManagerNames[iso3], Role: concord.RoleDelegate, State: iso3,
				Email: name + "@mission.example"}
			if err := tx.CreateUser(&u, store.NoPassword); err != nil {
				return err
			}
			if err := tx.CreateAppointment(&concord.Appointment{Post: concord.PostDelegationManager, Scope: iso3, From: from}, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// DelegatesPerScale is how many delegates each unit of seed --scale adds,
// spread over the States at random, with one manager per State that has
// any: a year's thousand delegates.
const DelegatesPerScale = 1000

// ScaleDelegates adds DelegatesPerScale delegates (batch numbers the
// usernames) and a manager for each State that got one.
func ScaleDelegates(ctx context.Context, db *store.DB, r *rand.Rand, batch int) error {
	states, err := db.ListStates(ctx)
	if err != nil {
		return err
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		managed := map[string]bool{}
		for i := range DelegatesPerScale {
			st := states[r.IntN(len(states))].ISO3
			u := concord.User{Username: fmt.Sprintf("delegate-%d-%d", batch+1, i+1), Role: concord.RoleDelegate, State: st,
				ReadOnly: r.IntN(3) == 0, Email: fmt.Sprintf("delegate-%d-%d@mission.example", batch+1, i+1)}
			if err := tx.CreateUser(&u, store.NoPassword); err != nil {
				return err
			}
			if !managed[st] {
				managed[st] = true
				if err := tx.CreateAppointment(&concord.Appointment{Post: concord.PostDelegationManager, Scope: st, From: from}, u); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
