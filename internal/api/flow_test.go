package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/notify"
	"concord/internal/outbox"
	"concord/internal/store"
)

// TestWholeFlowThroughAPI is issue 11's "Done when" through the API, one
// documented call after another (every answer checked against the
// document): an organisation signs up and verifies its address, the
// Secretariat verifies it, its focal point invites a colleague who accepts,
// and applies; the Secretariat appoints France's delegation manager, who
// sets up two-factor sign-in and invites a delegate who accepts; past the
// window's close the Secretariat circulates; a day before the deadline the
// scheduler reminds France's delegates (inbox and email) and the delegate
// objects; past the deadline the organisation is told the outcome (inbox
// and email). Bad input on the way: a second sign-up for the organisation,
// a reused and an expired link, an invitation to an address in use, the
// manager acting for another State: each refused with a translated
// message, and nothing already done is lost.
func TestWholeFlowThroughAPI(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		var clock atomic.Int64
		at := func(tm time.Time) { clock.Store(tm.UnixNano()) }
		at(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)) // Monday, 09:00 in New York
		db.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
		// The scheduler of serve: it decides rounds and sends reminders.
		sched := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Email: true, BaseURL: "https://concord.test",
			Log: slog.New(slog.NewTextHandler(logWriter{t}, nil))}
		// mail drains the outbox: the messages sent since the last call.
		mail := func() []notify.Message {
			t.Helper()
			b := &mailbox{}
			if _, err := (&outbox.Sender{DB: db, Mail: b}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			return b.msgs
		}
		tokenTo := func(addr string) string {
			t.Helper()
			for _, m := range mail() {
				if mm := linkToken.FindStringSubmatch(m.Text); mm != nil && len(m.To) == 1 && strings.EqualFold(m.To[0], addr) {
					return mm[1]
				}
			}
			t.Fatalf("no link mailed to %s", addr)
			return ""
		}
		send := func(name, op, path, as string, body any, status int, field string) map[string]any {
			t.Helper()
			method, _, _ := strings.Cut(op, " ")
			c := call{name: name, op: op, method: method, path: path, as: as, status: status, field: field}
			switch b := body.(type) {
			case nil:
			case string:
				c.ct, c.body = "application/json", rawBody(b)
			default:
				c.ct, c.body = "application/json", jsonBody(b)
			}
			return obj(e.do(c))
		}
		get := func(name, op, path, as string, status int) map[string]any {
			t.Helper()
			return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status}))
		}
		inboxKeys := func(as string) []string {
			t.Helper()
			var keys []string
			for _, n := range list(get("inbox of "+as, "GET /inbox", "/inbox", as, 200)["items"]) {
				keys = append(keys, str(obj(n)["key"]))
			}
			return keys
		}
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		e.signIn("sec")

		// 1. The organisation signs up; the same organisation again is a
		//    likely duplicate, refused with its candidates.
		signup := map[string]any{"names": map[string]string{"en": "Flow Cyber Commons", "fr": "Communs cyber du flux"}, "type": "ngo",
			"country": "SEN", "website": "https://flow.test", "name": "Aminata D.", "username": "flow-focal",
			"email": "focal@flow.test", "password": testPassword}
		s := send("sign up", "POST /signup", "/signup", "", signup, 201, "")
		org := strconv.FormatInt(idOf(obj(s["organization"])["id"]), 10)
		signup["username"], signup["email"], signup["names"] = "flow-twin", "twin@flow.test", map[string]string{"fr": "Communs Cyber du Flux"}
		dup := send("sign up the same organisation again", "POST /signup", "/signup", "", signup, 409, "names")
		if c := list(dup["candidates"]); len(c) != 1 || strconv.FormatInt(idOf(obj(c[0])["id"]), 10) != org {
			t.Errorf("second sign-up: candidates %v", dup)
		}
		if n, _, err := db.UserByUsername(ctx, "flow-twin"); err == nil {
			t.Errorf("the refused sign-up made an account: %v", n)
		}

		// 2. The address is verified; the link a second time is refused.
		verify := tokenTo("focal@flow.test")
		if v := send("verify the address", "POST /email/verify", "/email/verify", "", map[string]string{"token": verify}, 200, ""); v["verified"] != true {
			t.Errorf("verify: %v", v)
		}
		send("the verification link again", "POST /email/verify", "/email/verify", "", map[string]string{"token": verify}, 422, "token")

		// 3. The Secretariat verifies the organisation.
		if v := send("the Secretariat verifies", "POST /signups/{id}/verify", "/signups/"+org+"/verify", "sec", nil, 200, ""); v["status"] != "verified" {
			t.Errorf("verify the organisation: %v", v)
		}
		e.signIn("flow-focal")
		if keys := inboxKeys("flow-focal"); len(keys) == 0 || keys[0] != "notice.signup_verified" {
			t.Errorf("the focal point's inbox after verification: %v", keys)
		}

		// 4. The focal point invites a colleague (an address in use first),
		//    who accepts and signs in.
		send("invite to an address in use", "POST /organizations/{id}/members", "/organizations/"+org+"/members", "flow-focal",
			map[string]string{"username": "flow-colleague", "email": "FOCAL@flow.test"}, 409, "email")
		send("invite a colleague", "POST /organizations/{id}/members", "/organizations/"+org+"/members", "flow-focal",
			map[string]string{"username": "flow-colleague", "name": "Moussa S.", "email": "colleague@flow.test"}, 201, "")
		send("the colleague accepts", "POST /password/reset", "/password/reset", "",
			map[string]string{"token": tokenTo("colleague@flow.test"), "password": testPassword}, 204, "")
		e.signIn("flow-colleague")

		// 5. The Secretariat opens a window; the focal point applies with
		//    its letter and submits.
		w := send("open a window", "POST /accreditation/windows", "/accreditation/windows", "sec",
			map[string]any{"scope": "review_conference", "opens_date": "2026-03-02", "closes_date": "2026-03-20"}, 201, "")
		wid := str(w["id"])
		app := strconv.FormatInt(idOf(send("apply", "POST /accreditation/applications", "/accreditation/applications", "flow-focal",
			map[string]any{"window": wid}, 201, "")["id"]), 10)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "letter.pdf")
		fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
		mw.Close()
		letter := str(obj(e.do(call{name: "the letter", op: "POST /accreditation/applications/{id}/documents", method: "POST",
			path: "/accreditation/applications/" + app + "/documents", as: "flow-focal", ct: mw.FormDataContentType(), body: &buf, status: 200}))["letter"])
		send("the application's text", "PUT /accreditation/applications/{id}", "/accreditation/applications/"+app, "flow-focal",
			map[string]any{"purpose": map[string]string{"en": "We train incident responders."}, "letter": letter}, 200, "")
		if a := send("submit", "POST /accreditation/applications/{id}/actions", "/accreditation/applications/"+app+"/actions", "flow-focal",
			map[string]string{"action": "submit"}, 200, ""); a["status"] != "submitted" {
			t.Errorf("submit: %v", a)
		}

		// 6. France's delegation manager: appointed by the Secretariat, held
		//    to two-factor sign-in, then inviting a delegate who may speak.
		createUser(t, db, concord.User{Username: "flow-mgr", Role: concord.RoleDelegate, State: "FRA"})
		e.signIn("flow-mgr")
		send("appoint the manager", "POST /appointments", "/appointments", "sec",
			map[string]string{"username": "flow-mgr", "post": "delegation-manager", "starts_at": "2026-03-01T00:00:00Z"}, 201, "")
		send("invite before two-factor sign-in", "POST /delegations/{iso3}/delegates", "/delegations/FRA/delegates", "flow-mgr",
			map[string]any{"username": "flow-del", "email": "del@fra.test", "may_speak": true}, 403, "")
		key := send("set up two-factor sign-in", "POST /me/two-factor", "/me/two-factor", "flow-mgr", nil, 201, "")
		mgrSecret, mgrStep := str(key["secret"]), auth.TOTPStep(time.Now())
		send("confirm two-factor sign-in", "POST /me/two-factor/confirm", "/me/two-factor/confirm", "flow-mgr",
			map[string]string{"code": auth.TOTPCode(mgrSecret, mgrStep)}, 200, "")
		send("invite for another State", "POST /delegations/{iso3}/delegates", "/delegations/DEU/delegates", "flow-mgr",
			map[string]any{"username": "flow-spy", "email": "spy@deu.test"}, 403, "")
		send("invite to an address in use", "POST /delegations/{iso3}/delegates", "/delegations/FRA/delegates", "flow-mgr",
			map[string]any{"username": "flow-del", "email": "colleague@flow.test"}, 409, "email")
		send("invite a delegate", "POST /delegations/{iso3}/delegates", "/delegations/FRA/delegates", "flow-mgr",
			map[string]any{"username": "flow-del", "name": "Camille L.", "email": "del@fra.test", "may_speak": true}, 201, "")
		send("invite another delegate", "POST /delegations/{iso3}/delegates", "/delegations/FRA/delegates", "flow-mgr",
			map[string]any{"username": "flow-late", "email": "late@fra.test"}, 201, "")
		links := map[string]string{}
		for _, m := range mail() {
			if mm := linkToken.FindStringSubmatch(m.Text); mm != nil && len(m.To) == 1 {
				links[m.To[0]] = mm[1]
			}
		}
		if links["del@fra.test"] == "" || links["late@fra.test"] == "" {
			t.Fatalf("invitation links: %v", links)
		}
		send("the delegate accepts", "POST /password/reset", "/password/reset", "",
			map[string]string{"token": links["del@fra.test"], "password": testPassword}, 204, "")
		send("the invitation link again", "POST /password/reset", "/password/reset", "",
			map[string]string{"token": links["del@fra.test"], "password": "yet another long password"}, 422, "token")
		e.signIn("flow-del")

		// 7. The window has closed: the Secretariat circulates. The second
		//    invitation, three weeks old, has expired: refused, and the
		//    delegation still lists the invited delegate.
		at(time.Date(2026, 3, 23, 14, 0, 0, 0, time.UTC))
		send("an expired invitation link", "POST /password/reset", "/password/reset", "",
			map[string]string{"token": links["late@fra.test"], "password": testPassword}, 422, "token")
		for _, u := range []string{"sec", "flow-focal", "flow-del"} {
			e.signIn(u) // sessions last 12 hours of the store's clock
		}
		// The manager signs in with the code of its own authenticator (the
		// step after the one that confirmed it: a code is accepted once).
		e.tokens["flow-mgr"] = str(send("the manager signs in with a code", "POST /sessions", "/sessions", "",
			map[string]string{"username": "flow-mgr", "password": testPassword, "code": auth.TOTPCode(mgrSecret, mgrStep+1)}, 201, "")["token"])
		found := false
		for _, d := range list(get("the mission", "GET /delegations/{iso3}", "/delegations/FRA", "flow-mgr", 200)["delegates"]) {
			found = found || obj(d)["username"] == "flow-late"
		}
		if !found {
			t.Error("the delegate with the expired invitation is no longer listed")
		}
		circ := send("circulate", "POST /accreditation/windows/{id}/circulation", "/accreditation/windows/"+wid+"/circulation", "sec", nil, 200, "")
		deadline, err := time.Parse(time.RFC3339, str(obj(circ["window"])["objection_deadline"]))
		if err != nil {
			t.Fatalf("circulation: %v (%v)", err, circ)
		}
		mail() // the circulation's notices

		// 8. Twelve hours before the deadline the scheduler reminds France's
		//    delegates, in the inbox and by email; the delegate objects.
		at(deadline.Add(-12 * time.Hour))
		e.signIn("flow-del")
		if err := sched.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		reminded := false
		for _, m := range mail() {
			reminded = reminded || (len(m.To) == 1 && m.To[0] == "del@fra.test" && strings.Contains(m.Text, "/accreditation/windows/"+wid))
		}
		if !reminded {
			t.Error("no reminder emailed to the delegate")
		}
		if keys := inboxKeys("flow-del"); len(keys) == 0 || keys[0] != "notice.deadline_soon" {
			t.Errorf("the delegate's inbox before the deadline: %v", keys)
		}
		send("the delegate objects", "POST /accreditation/applications/{id}/objection", "/accreditation/applications/"+app+"/objection", "flow-del",
			map[string]string{"basis": "Outside the mandate."}, 201, "")

		// 9. Past the deadline the round is decided; the organisation is
		//    told, in its inbox and by email, and its colleague sees it too.
		at(deadline.Add(10 * time.Minute))
		e.signIn("flow-focal")
		e.signIn("flow-colleague")
		if _, err := sched.DecideDue(ctx, ""); err != nil {
			t.Fatal(err)
		}
		told := false
		for _, m := range mail() {
			told = told || (len(m.To) == 1 && m.To[0] == "focal@flow.test" && strings.Contains(m.Text, "/accreditation/applications/"+app))
		}
		if !told {
			t.Error("the outcome was not emailed to the focal point")
		}
		for _, who := range []string{"flow-focal", "flow-colleague"} {
			if keys := inboxKeys(who); len(keys) == 0 || keys[0] != "notice.blocked" {
				t.Errorf("%s's inbox after the deadline: %v", who, keys)
			}
		}
		if a := get("the outcome", "GET /accreditation/applications/{id}", "/accreditation/applications/"+app, "flow-focal", 200); a["status"] != "blocked" {
			t.Errorf("application after the deadline: %v", a["status"])
		}
	})
}

// TestNoticeKeysDocumented keeps the inbox's documented message keys in
// step with the notices Concord sends (each has its message in the
// catalogues): the flow above found the sign-up's notice missing, so a
// focal point's inbox broke the API's own contract.
func TestNoticeKeysDocumented(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	enum := map[string]bool{}
	for _, k := range list(obj(obj(obj(obj(obj(doc["components"])["schemas"])["Notice"])["properties"])["key"])["enum"]) {
		enum[str(k)] = true
	}
	raw, err := os.ReadFile(filepath.Join("..", "i18n", "locales", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]any
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatal(err)
	}
	for k := range cat {
		if strings.HasPrefix(k, "notice.") && !enum[k] {
			t.Errorf("notice key %s is not in the Notice schema's enum of openapi.json", k)
		}
	}
	if len(enum) == 0 {
		t.Fatal("no enum of notice keys in the document")
	}
}
