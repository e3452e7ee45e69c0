package api_test

import (
	"testing"

	"concord"
	"concord/internal/store"
)

// TestWaitingMatchesSchema: GET /me/waiting answers each role with what is
// waiting for it, in the documented shape (the demo has applications to
// screen and co-facilitator nominations for the Secretariat, meetings for
// everyone), and 401 to the public.
func TestWaitingMatchesSchema(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "del-sen", Role: concord.RoleDelegate, State: "SEN"})
		createUser(t, db, concord.User{Username: "the-chair", Role: concord.RoleChair})
		for _, u := range []string{"sec", "del-sen", "the-chair"} {
			e.signIn(u)
		}
		kinds := map[string]bool{}
		for _, u := range []string{"sec", "del-sen", "the-chair"} {
			got := obj(e.do(call{name: "waiting " + u, op: "GET /me/waiting", method: "GET", path: "/me/waiting", as: u, status: 200}))
			items, _ := got["items"].([]any)
			for _, it := range items {
				kinds[u+" "+it.(map[string]any)["kind"].(string)] = true
			}
		}
		for _, k := range []string{"sec screen", "sec nominations", "the-chair nominations"} {
			if !kinds[k] {
				t.Errorf("no %q item: %v", k, kinds)
			}
		}
		e.do(call{name: "waiting signed out", op: "GET /me/waiting", method: "GET", path: "/me/waiting", status: 401})
	})
}
