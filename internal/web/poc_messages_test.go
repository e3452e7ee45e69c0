package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// TestPOCMessages: France's delegate sends Germany's POCs an incident
// notification (every problem of a bad one at once, nothing saved), which
// is emailed to them; Germany acknowledges and replies, a third State
// cannot. Then the pages, the API, search, feeds, the log and the inbox
// are walked as every role: the message reaches France, Germany and the
// Secretariat only. Last, the Secretariat records a bounce on one of
// Germany's addresses, which Germany sees in the directory.
func TestPOCMessages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.tokens["delegate-deu"] = en.session(concord.User{Username: "del-deu", Role: concord.RoleDelegate, State: "DEU"})
	en.tokens["delegate-gbr"] = en.session(concord.User{Username: "del-gbr", Role: concord.RoleDelegate, State: "GBR"})

	resp, body := en.postForm("delegate", "/en/poc/messages", url.Values{"template": {"incident-notification"}, "to": {"FRA"}, "lang": {"en"}, "detected": {"June"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad message: %d", resp.StatusCode)
	}
	for _, f := range []string{"to", "subject", "detected", "description"} {
		if !strings.Contains(body, `id="`+f+`-err"`) {
			t.Errorf("bad message: %s not reported", f)
		}
	}
	if !strings.Contains(body, `value="June"`) {
		t.Error("the input was lost")
	}
	const subject = "Zq7 ransomware at a hospital"
	good := url.Values{"template": {"incident-notification"}, "to": {"DEU"}, "lang": {"en"}, "subject": {subject},
		"detected": {"2026-05-30"}, "description": {"Records encrypted.\nBackups intact."}}
	resp, _ = en.postForm("delegate", "/en/poc/messages", good)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	thread := strings.TrimSuffix(resp.Header.Get("Location"), "?saved=1")
	id := thread[strings.LastIndex(thread, "/")+1:]
	if n, _ := en.db.OutboxCounts(ctx); n["pending"] == 0 {
		t.Errorf("no mail to Germany's POCs: %v", n)
	}
	if resp, _ = en.postForm("secretariat", "/en/poc/messages", good); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the Secretariat sends in a State's name: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate-gbr", thread+"/ack", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a third State acknowledges: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate", thread+"/ack", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the sender acknowledges: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate-deu", thread+"/ack", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("ack: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate-deu", thread+"/ack", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("second ack: %d", resp.StatusCode)
	}
	if resp, body = en.postForm("delegate-deu", thread+"/reply", url.Values{"text": {""}, "lang": {"en"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="text-err"`) {
		t.Errorf("empty reply: %d", resp.StatusCode)
	}
	const reply = "Kx4 we see the same strain"
	if resp, _ = en.postForm("delegate-deu", thread+"/reply", url.Values{"text": {reply}, "lang": {"en"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reply: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate-gbr", thread+"/reply", url.Values{"text": {"x"}, "lang": {"en"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a third State replies: %d", resp.StatusCode)
	}

	parties := map[string]bool{"secretariat": true, "delegate": true, "delegate-deu": true}
	everyone := []string{"", "secretariat", "chair", "co-facilitator", "delegate", "delegate-deu", "delegate-gbr", "focal-point"}
	for _, c := range []struct {
		path    string
		private bool // the parties see the message there
	}{
		{"/en/poc/messages", true}, {"/ar/poc/messages", true}, {thread, true}, {"/ar/poc/messages/" + id, true},
		{"/api/v1/poc/messages", true}, {"/api/v1/poc/messages/" + id, true},
		{"/en/poc", false}, {"/api/v1/poc", false}, {"/en/search?q=Zq7", false}, {"/api/v1/search?q=Zq7", false},
		{"/en/log", false}, {"/en/log?kind=poc", false}, {"/api/v1/log", false},
		{"/en/states/FRA/feed.atom", false}, {"/en/states/DEU/feed.atom", false}, {"/en/documents/feed.atom", false}, {"/en/home", false},
	} {
		for _, role := range everyone {
			resp, body := en.get(role, c.path)
			if resp.StatusCode >= 500 {
				t.Errorf("%s as %q: %d", c.path, role, resp.StatusCode)
			}
			want := c.private && parties[role]
			if got := strings.Contains(body, subject); got != want {
				t.Errorf("%s as %q: message shown %v, want %v (%d)", c.path, role, got, want, resp.StatusCode)
			}
			if strings.Contains(body, reply) && !parties[role] {
				t.Errorf("%s as %q: the reply is shown", c.path, role)
			}
		}
	}
	for _, path := range []string{thread, "/en/poc/messages", "/ar/poc/messages"} {
		if _, body := en.get("delegate", path); strings.Contains(body, "&lt;") {
			t.Errorf("%s: markup escaped into the text", path)
		}
	}
	_, body = en.get("delegate", thread)
	if !strings.Contains(body, reply) || !strings.Contains(body, "del-deu") || strings.Contains(body, `action="/en/poc/messages/`+id+`/ack"`) {
		t.Errorf("France's view of the thread lacks the reply or the acknowledgement")
	}
	// Each side is told in its inbox.
	if n, _ := en.db.Inbox(ctx, "DEU", 0, 1); len(n) != 1 || n[0].Key != "notice.poc_message" {
		t.Errorf("Germany's inbox %+v", n)
	}
	if n, _ := en.db.Inbox(ctx, "FRA", 0, 2); len(n) != 2 || n[0].Key != "notice.poc_reply" || n[1].Key != "notice.poc_message_ack" {
		t.Errorf("France's inbox %+v", n)
	}

	// A bounce: the Secretariat's form, every problem at once, then one of
	// Germany's addresses.
	if resp, body = en.postForm("secretariat", "/en/poc/bounces", url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="email-err"`) || !strings.Contains(body, `id="reason-err"`) {
		t.Errorf("empty bounce: %d", resp.StatusCode)
	}
	deu, _ := en.db.POCs(ctx, concord.DefaultProcessCode, "DEU")
	if resp, body = en.postForm("secretariat", "/en/poc/bounces", url.Values{"email": {deu[0].Email}, "reason": {"550 mailbox unavailable"}}); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, en.msg("en", "poc.bounce_done")) {
		t.Errorf("bounce: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("delegate", "/en/poc/bounces", url.Values{"email": {deu[0].Email}, "reason": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate records a bounce: %d", resp.StatusCode)
	}
	_, body = en.get("delegate-deu", "/en/poc/directory")
	if !strings.Contains(body, "550 mailbox unavailable") || strings.Contains(body, "&lt;time") {
		t.Error("the directory does not show the bounce, or shows it escaped")
	}
	if n, _ := en.db.Inbox(ctx, "DEU", 0, 1); len(n) != 1 || n[0].Key != "notice.poc_bounced" {
		t.Errorf("Germany is not asked to update: %+v", n)
	}
}
