package api_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"concord"
	"concord/internal/auth/passkeytest"
	"concord/internal/store"
)

// TestPasskeyAPI plays the passkey ceremonies through the API with a
// software authenticator: add (a missing name is refused, nothing stored),
// list, sign in with it for a bearer token, a replayed answer refused,
// remove; the public cannot list; every answer checked against the
// document.
func TestPasskeyAPI(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "pk-sen", Role: concord.RoleDelegate, State: "SEN"})
		e.signIn("pk-sen")
		post := func(name, op, path, as string, body any, status int, field string) map[string]any {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			return obj(e.do(call{name: name, op: op, method: "POST", path: path, as: as, ct: "application/json", body: rawBody(string(b)), status: status, field: field}))
		}
		options := func(c map[string]any) []byte {
			return []byte(str(c["options"]))
		}
		dev := passkeytest.New("http://localhost:8080")
		c := obj(e.do(call{name: "registration options", op: "POST /me/passkeys/options", method: "POST", path: "/me/passkeys/options", as: "pk-sen", status: 200}))
		answer, err := dev.Create(options(c))
		if err != nil {
			t.Fatal(err)
		}
		post("no name", "POST /me/passkeys", "/me/passkeys", "pk-sen", map[string]any{"name": "", "state": c["state"], "credential": json.RawMessage(answer)}, 422, "name")
		added := post("add", "POST /me/passkeys", "/me/passkeys", "pk-sen", map[string]any{"name": "Phone", "state": c["state"], "credential": json.RawMessage(answer)}, 201, "")
		keys := e.do(call{name: "list", op: "GET /me/passkeys", method: "GET", path: "/me/passkeys", as: "pk-sen", status: 200}).([]any)
		if len(keys) != 1 || obj(keys[0])["name"] != "Phone" {
			t.Fatalf("list: %v", keys)
		}
		e.do(call{name: "public list", op: "GET /me/passkeys", method: "GET", path: "/me/passkeys", status: 401})
		// Sign in with it.
		l := obj(e.do(call{name: "sign-in options", op: "POST /login/passkey/options", method: "POST", path: "/login/passkey/options", status: 200}))
		a, err := dev.Get(options(l))
		if err != nil {
			t.Fatal(err)
		}
		s := post("sign in", "POST /login/passkey", "/login/passkey", "", map[string]any{"state": l["state"], "credential": json.RawMessage(a)}, 201, "")
		e.tokens["by-passkey"] = str(s["token"])
		if me := obj(e.do(call{name: "me by passkey", op: "GET /me", method: "GET", path: "/me", as: "by-passkey", status: 200})); me["username"] != "pk-sen" {
			t.Errorf("signed in as %v", me["username"])
		}
		post("replayed", "POST /login/passkey", "/login/passkey", "", map[string]any{"state": l["state"], "credential": json.RawMessage(a)}, 401, "")
		e.do(call{name: "remove", op: "DELETE /me/passkeys/{id}", method: "DELETE", path: fmt.Sprintf("/me/passkeys/%v", added["id"]), as: "pk-sen", status: 204})
		e.do(call{name: "remove again", op: "DELETE /me/passkeys/{id}", method: "DELETE", path: fmt.Sprintf("/me/passkeys/%v", added["id"]), as: "pk-sen", status: 404})
		e.checkCovered(func(o operation) bool { return list(o.op["tags"])[0] == "Passkeys" })
	})
}
