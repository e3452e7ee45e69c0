package api_test

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"testing"

	"concord"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestIdempotencyKey: a write repeated with its Idempotency-Key gets the
// first answer and writes nothing; the same key with another body is a 422;
// parallel duplicates create one organisation and all get the same answer.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		e.signIn("sec")
		count := func(name string) int {
			_, n, err := db.ListOrganizations(t.Context(), store.OrgFilter{Query: name})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		org := func(name string) map[string]any {
			return map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"en": name}}
		}
		key := map[string]string{"Idempotency-Key": "create-retry-1"}
		first := obj(e.do(call{name: "create with a key", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(org("Retry Network")), header: key, status: 201}))
		again := obj(e.do(call{name: "the same again", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(org("Retry Network")), header: key, status: 201}))
		if first["id"] == nil || first["id"] != again["id"] || first["updated"] != again["updated"] {
			t.Errorf("repeat answered %v, first %v", again, first)
		}
		if n := count("Retry Network"); n != 1 {
			t.Errorf("%d organisations after a repeat, want 1", n)
		}
		e.do(call{name: "the key with another body", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(org("Another Network")), header: key, status: 422, field: "Idempotency-Key"})
		e.do(call{name: "the key on another path", op: "PUT /organizations/{id}", method: "PUT", path: "/organizations/1", as: "sec",
			ct: "application/json", body: jsonBody(org("Retry Network")), header: key, status: 422, field: "Idempotency-Key"})
		e.do(call{name: "a key too long", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(org("Long Key Network")), header: map[string]string{"Idempotency-Key": string(bytes.Repeat([]byte("k"), 256))},
			status: 422, field: "Idempotency-Key"})
		if n := count("Another Network") + count("Long Key Network"); n != 0 {
			t.Errorf("%d organisations created by refused requests", n)
		}
		// A refused write is not recorded: its key is still free.
		bad := org("")
		e.do(call{name: "invalid with a key", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(bad), header: map[string]string{"Idempotency-Key": "fix-and-retry"}, status: 422, field: "names"})
		e.do(call{name: "the same key, corrected", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec",
			ct: "application/json", body: jsonBody(org("Corrected Network")), header: map[string]string{"Idempotency-Key": "fix-and-retry"}, status: 201})

		// Parallel duplicates: one write, one answer.
		const n = 10
		body, _ := io.ReadAll(jsonBody(org("Parallel Network")))
		statuses := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/organizations", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens["sec"])
				req.Header.Set("Idempotency-Key", "parallel-1")
				resp, err := e.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				statuses[i], bodies[i] = resp.StatusCode, string(b)
			})
		}
		wg.Wait()
		for i := range n {
			if statuses[i] != 201 || bodies[i] != bodies[0] {
				t.Errorf("parallel request %d: %d %s, want 201 %s", i, statuses[i], bodies[i], bodies[0])
			}
		}
		if got := count("Parallel Network"); got != 1 {
			t.Errorf("%d organisations from %d parallel duplicates, want 1", got, n)
		}
	})
}

// TestLikelyDuplicateOrganization: the API refuses a likely duplicate with
// 409 and the candidates, and creates it when confirmed.
func TestLikelyDuplicateOrganization(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		e.signIn("sec")
		first := obj(e.do(call{name: "first", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"fr": "Réseau Numérique Équitable"}, "website": "https://www.equitable.example"}), status: 201}))
		dup := obj(e.do(call{name: "same name, other case and accents", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"en": "RESEAU NUMERIQUE  EQUITABLE"}}), status: 409, field: "names"}))
		cands := list(dup["candidates"])
		if len(cands) != 1 || obj(cands[0])["id"] != first["id"] {
			t.Errorf("candidates %v, want the first organisation %v", cands, first["id"])
		}
		e.do(call{name: "same website domain", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"en": "Equity Lab"}, "website": "equitable.example/lab"}), status: 409, field: "names"})
		e.do(call{name: "confirmed", op: "POST /organizations", method: "POST", path: "/organizations", as: "sec", ct: "application/json",
			body: jsonBody(map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"en": "RESEAU NUMERIQUE  EQUITABLE"}, "confirm_duplicate": true}), status: 201})
	})
}
