package idem_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"concord"
	"concord/internal/httperr"
	"concord/internal/idem"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestRepeatAfterLostResponse: a request whose write committed and that died
// before recording its response (simulated by ending its goroutine right
// after the write) leaves its provisional answer with the key, in the
// write's transaction; a repeat with the same key gets that answer, a 303 to
// where the result is seen, and writes nothing again, instead of "in
// progress" until the key expires. A handler that panics after its write
// leaves the same answer at once.
func TestRepeatAfterLostResponse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		u := &concord.User{Username: "sec", Role: concord.RoleSecretariat}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(u, "x") }); err != nil {
			t.Fatal(err)
		}
		writes := 0
		write := func(r *http.Request) {
			if err := db.Update(r.Context(), concord.Actor(u), func(tx *store.Tx) error {
				return tx.CreateOrganization(&concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": "Org " + string(rune('A'+writes))}})
			}); err != nil {
				t.Error(err)
			}
			writes++
		}
		lost := store.IdemResponse{Status: http.StatusSeeOther, Location: "/en/accreditation"}
		serve := func(key string, h http.HandlerFunc) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			r := httptest.NewRequestWithContext(ctx, "POST", "/en/accreditation/applications", nil)
			if err := idem.Serve(rec, r, db, u, key, "h", lost, h); err != nil {
				rec.Code = httperr.Status(concord.ErrorCode(err))
			}
			return rec
		}

		// The first request writes and dies before it answers.
		done := make(chan struct{})
		go func() {
			defer close(done)
			serve("k1", func(w http.ResponseWriter, r *http.Request) {
				write(r)
				runtime.Goexit()
			})
		}()
		<-done
		if writes != 1 {
			t.Fatalf("%d writes", writes)
		}
		// A repeat, once the first is past answering, gets the answer
		// recorded with the write.
		now = now.Add(time.Minute)
		again := serve("k1", func(w http.ResponseWriter, r *http.Request) { write(r); w.WriteHeader(http.StatusCreated) })
		if again.Code != http.StatusSeeOther || again.Header().Get("Location") != "/en/accreditation" || again.Header().Get(idem.ReplayedHeader) != "true" || writes != 1 {
			t.Errorf("repeat after a lost response: %d %q, %d writes", again.Code, again.Header().Get("Location"), writes)
		}

		// A handler that panics after its write: the repeat is answered at
		// once, without waiting for a response that will never come.
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic was swallowed")
				}
			}()
			serve("k2", func(w http.ResponseWriter, r *http.Request) { write(r); panic("after the write") })
		}()
		again = serve("k2", func(w http.ResponseWriter, r *http.Request) { write(r) })
		if again.Code != http.StatusSeeOther || writes != 2 {
			t.Errorf("repeat after a panic: %d, %d writes", again.Code, writes)
		}

		// A request that answers replaces the provisional answer with its own.
		first := serve("k3", func(w http.ResponseWriter, r *http.Request) {
			write(r)
			w.Header().Set("Location", "/en/accreditation/applications/9")
			w.WriteHeader(http.StatusSeeOther)
		})
		again = serve("k3", func(w http.ResponseWriter, r *http.Request) { write(r) })
		if first.Header().Get("Location") != "/en/accreditation/applications/9" || again.Header().Get("Location") != "/en/accreditation/applications/9" || writes != 3 {
			t.Errorf("answered: %q then %q, %d writes", first.Header().Get("Location"), again.Header().Get("Location"), writes)
		}
	})
}
