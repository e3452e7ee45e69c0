package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestPOCMessagesMatchSchemas plays a message between two States' POCs, its
// acknowledgement and a reply, and a bounce through the API, checking every
// answer against the document: the two States and the Secretariat read the
// thread, a third State and the public do not (404, 401), and a third
// State's list leaves it out.
func TestPOCMessagesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		createUser(t, db, concord.User{Username: "deu", Role: concord.RoleDelegate, State: "DEU"})
		createUser(t, db, concord.User{Username: "gbr", Role: concord.RoleDelegate, State: "GBR"})
		for _, u := range []string{"sec", "fra", "deu", "gbr"} {
			e.signIn(u)
		}
		send := func(name, op, method, path, as string, body any, status int, field string) any {
			t.Helper()
			c := call{name: name, op: op, method: method, path: path, as: as, status: status, field: field}
			if body != nil {
				c.ct, c.body = "application/json", jsonBody(body)
			}
			return e.do(c)
		}
		tpls := send("templates", "GET /poc/templates", "GET", "/poc/templates", "", nil, 200, "")
		if len(list(tpls)) != 3 {
			t.Errorf("templates %v", tpls)
		}
		msg := map[string]any{"to": "DEU", "template": "request-assistance", "lang": "fr",
			"fields": map[string]string{"subject": "Rançongiciel", "assistance": "Analyse d’un échantillon.", "affected": "Hôpitaux"}}
		send("bad message", "POST /poc/messages", "POST", "/poc/messages", "fra", map[string]any{"to": "FRA", "template": "request-assistance", "lang": "xx", "fields": map[string]string{}}, 422, "to")
		send("message by the Secretariat", "POST /poc/messages", "POST", "/poc/messages", "sec", msg, 403, "")
		send("message by the public", "POST /poc/messages", "POST", "/poc/messages", "", msg, 401, "")
		m := obj(send("send", "POST /poc/messages", "POST", "/poc/messages", "fra", msg, 201, ""))
		id := fmt.Sprint(m["id"])
		if m["from"] != "FRA" || fmt.Sprint(m["mailed"]) == "0" {
			t.Errorf("sent %v", m)
		}
		send("ack by the sender", "POST /poc/messages/{id}/ack", "POST", "/poc/messages/"+id+"/ack", "fra", nil, 403, "")
		send("ack by a third State", "POST /poc/messages/{id}/ack", "POST", "/poc/messages/"+id+"/ack", "gbr", nil, 404, "")
		send("ack", "POST /poc/messages/{id}/ack", "POST", "/poc/messages/"+id+"/ack", "deu", nil, 200, "")
		send("ack twice", "POST /poc/messages/{id}/ack", "POST", "/poc/messages/"+id+"/ack", "deu", nil, 409, "")
		send("empty reply", "POST /poc/messages/{id}/replies", "POST", "/poc/messages/"+id+"/replies", "deu", map[string]any{"text": "", "lang": "en"}, 422, "text")
		send("reply by a third State", "POST /poc/messages/{id}/replies", "POST", "/poc/messages/"+id+"/replies", "gbr", map[string]any{"text": "x", "lang": "en"}, 404, "")
		send("reply", "POST /poc/messages/{id}/replies", "POST", "/poc/messages/"+id+"/replies", "deu", map[string]any{"text": "Oui.", "lang": "fr"}, 201, "")
		for _, as := range []string{"fra", "deu", "sec"} {
			th := obj(send("thread as "+as, "GET /poc/messages/{id}", "GET", "/poc/messages/"+id, as, nil, 200, ""))
			if len(list(th["messages"])) != 2 {
				t.Errorf("%s reads %v", as, th)
			}
			l := obj(send("list as "+as, "GET /poc/messages", "GET", "/poc/messages", as, nil, 200, ""))
			if !slices.ContainsFunc(list(l["items"]), func(x any) bool { return fmt.Sprint(obj(obj(x)["message"])["id"]) == id }) {
				t.Errorf("%s does not list the thread: %v", as, l)
			}
		}
		send("thread as a third State", "GET /poc/messages/{id}", "GET", "/poc/messages/"+id, "gbr", nil, 404, "")
		send("thread as the public", "GET /poc/messages/{id}", "GET", "/poc/messages/"+id, "", nil, 401, "")
		send("list as the public", "GET /poc/messages", "GET", "/poc/messages", "", nil, 401, "")
		if l := obj(send("list as a third State", "GET /poc/messages", "GET", "/poc/messages", "gbr", nil, 200, "")); len(list(l["items"])) != 0 {
			t.Errorf("a third State lists %v", l)
		}

		// A bounce on one of Germany's addresses, from the directory.
		dir := obj(send("directory", "GET /poc/directory", "GET", "/poc/directory?state=DEU", "sec", nil, 200, ""))
		addr := str(obj(list(dir["items"])[0])["email"])
		send("bounce by a delegate", "POST /poc/bounces", "POST", "/poc/bounces", "deu", map[string]any{"email": addr, "reason": "550"}, 403, "")
		send("bad bounce", "POST /poc/bounces", "POST", "/poc/bounces", "sec", map[string]any{"email": "", "reason": ""}, 422, "email")
		send("unknown address", "POST /poc/bounces", "POST", "/poc/bounces", "sec", map[string]any{"email": "nobody@x.test", "reason": "550"}, 404, "email")
		b := obj(send("bounce", "POST /poc/bounces", "POST", "/poc/bounces", "sec", map[string]any{"email": addr, "reason": "550 5.1.1 no such user"}, 201, ""))
		marked := list(b["marked"])
		if len(marked) != 1 || obj(obj(marked[0])["bounced"])["reason"] != "550 5.1.1 no such user" {
			t.Errorf("marked %v", b)
		}
		if s := fmt.Sprint(send("public summary", "GET /poc", "GET", "/poc", "", nil, 200, "")); strings.Contains(s, "@") || strings.Contains(s, "Rançongiciel") {
			t.Error("the public summary names an address or a message")
		}
		e.checkCovered(func(o operation) bool { return slices.Contains(list(o.op["tags"]), any("POC messages")) })
	})
}
