package api_test

import (
	"context"
	"regexp"
	"sync"
	"testing"

	"concord"
	"concord/internal/notify"
	"concord/internal/outbox"
	"concord/internal/store"
)

// mailbox is a notify.Sender that keeps what the outbox sends.
type mailbox struct {
	mu   sync.Mutex
	msgs []notify.Message
}

func (b *mailbox) Send(_ context.Context, msgs []notify.Message) []error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, msgs...)
	return make([]error, len(msgs))
}

var linkToken = regexp.MustCompile(`\?token=([A-Za-z0-9]+)`)

// mailTokens drains the outbox and returns the token of each link sent.
func mailTokens(t *testing.T, db *store.DB) []string {
	t.Helper()
	b := &mailbox{}
	if _, err := (&outbox.Sender{DB: db, Mail: b}).Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range b.msgs {
		if mm := linkToken.FindStringSubmatch(m.Text); mm != nil {
			out = append(out, mm[1])
		}
	}
	return out
}

// TestAccountsResponsesMatchSchemas plays the email and password flows
// through the API (the twins of the pages) and checks every answer against
// the document, errors included.
func TestAccountsResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "del-sen", Role: concord.RoleDelegate, State: "SEN"})
		e.signIn("sec")
		e.signIn("del-sen")

		// One's own address: set, verify, notices off.
		me := obj(e.do(call{name: "my email", op: "GET /me/email", method: "GET", path: "/me/email", as: "del-sen", status: 200}))
		if me["email"] != nil || me["verified"] != false || me["notices"] != true || me["lang"] != "en" {
			t.Errorf("GET /me/email: %v", me)
		}
		// Issue 11: the language of notice emails; an unknown one is
		// refused before anything is written.
		e.do(call{name: "bad language", op: "PUT /me/email", method: "PUT", path: "/me/email", as: "del-sen", ct: "application/json",
			body: rawBody(`{"email":"del@sen.test","lang":"xx"}`), status: 422, field: "lang"})
		me = obj(e.do(call{name: "set language", op: "PUT /me/email", method: "PUT", path: "/me/email", as: "del-sen", ct: "application/json",
			body: rawBody(`{"email":null,"lang":"fr"}`), status: 200}))
		if me["lang"] != "fr" || me["email"] != nil {
			t.Errorf("PUT /me/email lang: %v", me)
		}
		e.do(call{name: "bad email", op: "PUT /me/email", method: "PUT", path: "/me/email", as: "del-sen", ct: "application/json",
			body: rawBody(`{"email":"not an address"}`), status: 422, field: "email"})
		me = obj(e.do(call{name: "set email", op: "PUT /me/email", method: "PUT", path: "/me/email", as: "del-sen", ct: "application/json",
			body: rawBody(`{"email":"del@sen.test","notices":false}`), status: 200}))
		if me["email"] != "del@sen.test" || me["verified"] != false || me["notices"] != false {
			t.Errorf("PUT /me/email: %v", me)
		}
		tokens := mailTokens(t, db)
		if len(tokens) != 1 {
			t.Fatalf("verification mails: %d", len(tokens))
		}
		v := obj(e.do(call{name: "verify", op: "POST /email/verify", method: "POST", path: "/email/verify", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0]}), status: 200}))
		if v["verified"] != true || v["email"] != "del@sen.test" {
			t.Errorf("POST /email/verify: %v", v)
		}
		e.do(call{name: "verify again", op: "POST /email/verify", method: "POST", path: "/email/verify", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0]}), status: 422, field: "token"})

		// Forgotten password: one answer, known or not; the link works once.
		known := obj(e.do(call{name: "forgot, known", op: "POST /password/forgot", method: "POST", path: "/password/forgot", ct: "application/json",
			body: rawBody(`{"email":"DEL@sen.test"}`), status: 202}))
		unknown := obj(e.do(call{name: "forgot, unknown", op: "POST /password/forgot", method: "POST", path: "/password/forgot", ct: "application/json",
			body: rawBody(`{"email":"nobody@sen.test"}`), status: 202}))
		if known["message"] != unknown["message"] || str(known["message"]) == "" {
			t.Errorf("answers differ: %v / %v", known, unknown)
		}
		tokens = mailTokens(t, db)
		if len(tokens) != 1 {
			t.Fatalf("reset mails: %d", len(tokens))
		}
		e.do(call{name: "reset, common password", op: "POST /password/reset", method: "POST", path: "/password/reset", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0], "password": "qwertyuiop123"}), status: 422, field: "password"})
		e.do(call{name: "reset", op: "POST /password/reset", method: "POST", path: "/password/reset", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0], "password": "a long new password here"}), status: 204})
		e.do(call{name: "reset again", op: "POST /password/reset", method: "POST", path: "/password/reset", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0], "password": "another long new password"}), status: 422, field: "token"})
		e.do(call{name: "old token after reset", op: "GET /me/email", method: "GET", path: "/me/email", as: "del-sen", status: 401})

		// The Secretariat: accounts, invitation, an account's address.
		e.do(call{name: "users, signed out by the reset", op: "GET /users", method: "GET", path: "/users", as: "del-sen", status: 401})
		users := obj(e.do(call{name: "users", op: "GET /users", method: "GET", path: "/users", as: "sec", status: 200}))
		if len(list(users["items"])) < 2 {
			t.Errorf("GET /users: %v", users)
		}
		bad := obj(e.do(call{name: "create, no role, common password", op: "POST /users", method: "POST", path: "/users", as: "sec", ct: "application/json",
			body: rawBody(`{"username":"newbie","role":"","password":"qwerty123456"}`), status: 422, field: "role"}))
		if n := len(list(bad["errors"])); n != 2 {
			t.Errorf("POST /users with two problems: %d errors reported, want both: %v", n, bad)
		}
		e.do(call{name: "create, email in use", op: "POST /users", method: "POST", path: "/users", as: "sec", ct: "application/json",
			body: rawBody(`{"username":"newbie","role":"delegate","state":"SEN","email":"del@sen.test"}`), status: 409, field: "email"})
		u := obj(e.do(call{name: "invite", op: "POST /users", method: "POST", path: "/users", as: "sec", ct: "application/json",
			body: rawBody(`{"username":"newbie","role":"delegate","state":"SEN","email":"newbie@sen.test"}`), status: 201}))
		if u["email"] != "newbie@sen.test" || u["email_verified"] != false || u["organization_id"] != nil {
			t.Errorf("POST /users: %v", u)
		}
		if tokens = mailTokens(t, db); len(tokens) != 1 {
			t.Fatalf("invitations: %d", len(tokens))
		}
		e.do(call{name: "accept invitation", op: "POST /password/reset", method: "POST", path: "/password/reset", ct: "application/json",
			body: jsonBody(map[string]string{"token": tokens[0], "password": "newbie picks a password"}), status: 204})
		u = obj(e.do(call{name: "set an account's email", op: "PUT /users/{username}/email", method: "PUT", path: "/users/newbie/email", as: "sec", ct: "application/json",
			body: rawBody(`{"email":"newbie@gov.test"}`), status: 200}))
		if u["email"] != "newbie@gov.test" || u["email_verified"] != false {
			t.Errorf("PUT /users/newbie/email: %v", u)
		}
		e.do(call{name: "set email, no account", op: "PUT /users/{username}/email", method: "PUT", path: "/users/nobody/email", as: "sec", ct: "application/json",
			body: rawBody(`{"email":null}`), status: 404})
		// The Secretariat deletes an account for its owner, confirming with
		// its own password (issue 11).
		e.do(call{name: "delete, wrong password", op: "POST /users/{username}/erase", method: "POST", path: "/users/newbie/erase", as: "sec", ct: "application/json",
			body: jsonBody(map[string]string{"password": "not the password"}), status: 422, field: "password"})
		e.do(call{name: "delete an account", op: "POST /users/{username}/erase", method: "POST", path: "/users/newbie/erase", as: "sec", ct: "application/json",
			body: jsonBody(map[string]string{"password": testPassword}), status: 204})
		e.do(call{name: "delete, no account", op: "POST /users/{username}/erase", method: "POST", path: "/users/newbie/erase", as: "sec", ct: "application/json",
			body: jsonBody(map[string]string{"password": testPassword}), status: 404})
		e.checkCovered(func(o operation) bool { return list(o.op["tags"])[0] == "Accounts" })
	})
}
