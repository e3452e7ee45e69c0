package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// TestTwoFactorAPI plays two-factor sign-in through the API: a Chair
// without it can only set it up; enrolment, sign-in with a code, a replayed
// code, recovery codes (used once, regenerated), switching off; a delegate
// is offered it, not held to it; every answer checked against the document.
func TestTwoFactorAPI(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		hash, err := auth.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		chair := concord.User{Username: "chair2", Role: concord.RoleChair}
		if err := db.Update(t.Context(), "system", func(tx *store.Tx) error { return tx.CreateUser(&chair, hash) }); err != nil {
			t.Fatal(err)
		}
		createUser(t, db, concord.User{Username: "del-sen", Role: concord.RoleDelegate, State: "SEN"})
		e.signIn("chair2") // the password alone: it has no second factor yet
		e.signIn("del-sen")
		const json = "application/json"
		post := func(name, op, path, as, body string, status int, field string) map[string]any {
			c := call{name: name, op: op, method: "POST", path: path, as: as, status: status, field: field}
			if body != "" {
				c.ct, c.body = json, rawBody(body)
			}
			return obj(e.do(c))
		}
		code := func(secret string, step int64) string { return auth.TOTPCode(secret, step) }

		// Required, not set up: everything but setting it up is refused.
		refused := post("a Chair without a second factor", "POST /meetings", "/meetings", "chair2", `{}`, 403, "")
		if msg := str(obj(refused["error"])["message"]); !strings.Contains(msg, "two-factor") {
			t.Errorf("refusal does not say why: %q", msg)
		}
		e.do(call{name: "me, allowed", op: "GET /me", method: "GET", path: "/me", as: "chair2", status: 200})
		st := obj(e.do(call{name: "status, off", op: "GET /me/two-factor", method: "GET", path: "/me/two-factor", as: "chair2", status: 200}))
		if st["enabled"] != false || st["required"] != true || st["pending"] != false {
			t.Errorf("status: %v", st)
		}
		post("confirm before starting", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "chair2", `{"code":"123456"}`, 409, "")
		post("public", "POST /me/two-factor", "/me/two-factor", "", ``, 401, "")

		// Enrolment: a key, a wrong code, the right one.
		key := post("start", "POST /me/two-factor", "/me/two-factor", "chair2", ``, 201, "")
		secret := str(key["secret"])
		if !strings.HasPrefix(str(key["qr_png"]), "data:image/png;base64,") || !strings.Contains(str(key["otpauth_uri"]), "secret="+secret) {
			t.Errorf("key: %v", key)
		}
		now := auth.TOTPStep(time.Now())
		post("confirm, wrong code", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "chair2", `{"code":"`+code(secret, now-5)+`"}`, 401, "code")
		post("confirm, empty", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "chair2", `{"code":""}`, 422, "code")
		codes := list(post("confirm", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "chair2", `{"code":"`+code(secret, now)+`"}`, 200, "")["recovery_codes"])
		if len(codes) != 10 {
			t.Fatalf("recovery codes: %v", codes)
		}
		e.do(call{name: "the Chair, now with a second factor", op: "GET /meetings", method: "GET", path: "/meetings", as: "chair2", status: 200})
		post("start again while on", "POST /me/two-factor", "/me/two-factor", "chair2", ``, 409, "")

		// Sign-in: the code is required, a replay refused, a recovery
		// code works once.
		signIn := func(name, code string, status int, field string) map[string]any {
			return post(name, "POST /sessions", "/sessions", "", `{"username":"chair2","password":"`+testPassword+`","code":"`+code+`"}`, status, field)
		}
		noCode := post("sign in without a code", "POST /sessions", "/sessions", "", `{"username":"chair2","password":"`+testPassword+`"}`, 401, "code")
		if str(obj(noCode["error"])["field"]) != "code" {
			t.Errorf("no code: %v", noCode)
		}
		replay := signIn("the confirming code again", code(secret, now), 401, "code")
		if !strings.Contains(str(obj(replay["error"])["message"]), "already been used") {
			t.Errorf("replay: %v", replay)
		}
		e.tokens["chair2"] = str(signIn("sign in with the next code", code(secret, now+1), 201, "")["token"])
		rc := str(codes[0])
		signIn("sign in with a recovery code", strings.ToUpper(rc), 201, "")
		signIn("the recovery code again", rc, 401, "code")
		st = obj(e.do(call{name: "status, on", op: "GET /me/two-factor", method: "GET", path: "/me/two-factor", as: "chair2", status: 200}))
		if st["enabled"] != true || fmt.Sprint(st["recovery_codes_left"]) != "9" {
			t.Errorf("status after one recovery code: %v", st)
		}
		fresh := list(post("new recovery codes", "POST /me/two-factor/recovery-codes", "/me/two-factor/recovery-codes", "chair2", `{"code":"`+str(codes[1])+`"}`, 201, "")["recovery_codes"])
		if len(fresh) != 10 {
			t.Fatalf("new recovery codes: %v", fresh)
		}
		signIn("an old recovery code after regenerating", str(codes[2]), 401, "code")

		// Switching off: password and code, every problem at once.
		both := post("disable, nothing given", "POST /me/two-factor/disable", "/me/two-factor/disable", "chair2", `{"password":"","code":""}`, 422, "password")
		if len(list(both["errors"])) != 2 {
			t.Errorf("disable with two problems: %v", both)
		}
		post("disable, wrong password", "POST /me/two-factor/disable", "/me/two-factor/disable", "chair2", `{"password":"wrong password!","code":"`+str(fresh[0])+`"}`, 422, "password")
		e.do(call{name: "disable", op: "POST /me/two-factor/disable", method: "POST", path: "/me/two-factor/disable", as: "chair2", ct: json,
			body: rawBody(`{"password":"` + testPassword + `","code":"` + str(fresh[0]) + `"}`), status: 204})
		post("the Chair, off again", "POST /meetings", "/meetings", "chair2", `{}`, 403, "")

		// A delegate: offered, not held to it.
		st = obj(e.do(call{name: "delegate's status", op: "GET /me/two-factor", method: "GET", path: "/me/two-factor", as: "del-sen", status: 200}))
		if st["required"] != false || st["enabled"] != false {
			t.Errorf("delegate: %v", st)
		}
		e.do(call{name: "delegate without one", op: "GET /meetings", method: "GET", path: "/meetings", as: "del-sen", status: 200})

		// The delegate sets it up; wrong codes are throttled per account,
		// the right one too once the wait has begun.
		key = post("start for guessing", "POST /me/two-factor", "/me/two-factor", "del-sen", ``, 201, "")
		secret = str(key["secret"])
		post("confirm the delegate", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "del-sen", `{"code":"`+code(secret, auth.TOTPStep(time.Now()))+`"}`, 200, "")
		for i := range 5 {
			post("a wrong code", "POST /me/two-factor/recovery-codes", "/me/two-factor/recovery-codes", "del-sen", `{"code":"wrong-code-`+string(rune('a'+i))+`"}`, 401, "code")
		}
		r := post("one wrong code too many", "POST /me/two-factor/recovery-codes", "/me/two-factor/recovery-codes", "del-sen",
			`{"code":"`+code(secret, auth.TOTPStep(time.Now())+1)+`"}`, 429, "code")
		if str(obj(r["error"])["code"]) != concord.ETooMany {
			t.Errorf("throttled: %v", r)
		}
		e.checkCovered(func(o operation) bool { return list(o.op["tags"])[0] == "Two-factor sign-in" })
	})
}
