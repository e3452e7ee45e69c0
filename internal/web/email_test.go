package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"concord/internal/auth"
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

var tokenRE = regexp.MustCompile(`\?token=([A-Za-z0-9]+)`)

// mails drains the outbox and returns what it sent, with each link's token.
func (en *env) mails() (msgs []notify.Message, tokens []string) {
	en.t.Helper()
	b := &mailbox{}
	if _, err := (&outbox.Sender{DB: en.db, Mail: b}).Drain(ctx); err != nil {
		en.t.Fatal(err)
	}
	for _, m := range b.msgs {
		if mm := tokenRE.FindStringSubmatch(m.Text); mm != nil {
			tokens = append(tokens, mm[1])
		}
	}
	return b.msgs, tokens
}

// Issue 11: "Forgot password?" on the sign-in page; the answer is the same
// for an address no account has; the emailed link opens a form (kept out
// of caches), sets the password once, and sends to the sign-in page.
func TestPasswordResetPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	u := en.addOwner("owner")
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.SetEmail(u.ID, "owner@mission.test"); err != nil {
			return err
		}
		return tx.VerifyEmail(u.ID, "owner@mission.test")
	}); err != nil {
		t.Fatal(err)
	}
	if _, body := en.get("", "/en/login"); !strings.Contains(body, `href="/en/password/forgot"`) {
		t.Error("no Forgot password link on the sign-in page")
	}
	known, kb := en.postForm("", "/en/password/forgot", url.Values{"email": {"owner@mission.test"}})
	unknown, ub := en.postForm("", "/en/password/forgot", url.Values{"email": {"nobody@mission.test"}})
	if known.StatusCode != 200 || unknown.StatusCode != 200 ||
		strings.ReplaceAll(kb, "owner@mission.test", "X") != strings.ReplaceAll(ub, "nobody@mission.test", "X") {
		t.Errorf("answers differ: %d / %d", known.StatusCode, unknown.StatusCode)
	}
	if !strings.Contains(kb, "If an account has this verified address") {
		t.Error("no confirmation shown")
	}
	msgs, tokens := en.mails()
	if len(msgs) != 1 || len(tokens) != 1 {
		t.Fatalf("mails %+v", msgs)
	}
	resp, body := en.get("", "/en/password/reset?token="+tokens[0])
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(body, `name="password"`) {
		t.Fatalf("reset form: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp, body = en.postForm("", "/en/password/reset", url.Values{"token": {tokens[0]}, "password": {"qwerty123456"}})
	if resp.StatusCode != 422 || !strings.Contains(html.UnescapeString(body), "too common") {
		t.Errorf("common password: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("", "/en/password/reset", url.Values{"token": {tokens[0]}, "password": {"a brand new long password"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/login?reset=1" {
		t.Fatalf("reset: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := en.get("", "/en/login?reset=1"); !strings.Contains(body, "Your password has been changed") {
		t.Error("sign-in page does not say the password changed")
	}
	resp, body = en.postForm("", "/en/password/reset", url.Values{"token": {tokens[0]}, "password": {"yet another long password"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "already been used") {
		t.Errorf("reused link: %d", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/password/reset?token="+tokens[0]); resp.StatusCode != 422 {
		t.Errorf("used link's form: %d", resp.StatusCode)
	}
	if r, _ := en.signIn("owner", "a brand new long password", "", nil); r.StatusCode != 303 {
		t.Errorf("sign-in with the new password: %d", r.StatusCode)
	}
}

// One's own address: set, verification mail, verify by a button (a GET
// does not spend the link), status shown.
func TestAccountEmailPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	tok := en.formToken("delegate", "/en/account/email", "/en/account/email")
	resp, _ := en.postForm("delegate", "/en/account/email", url.Values{"form_token": {tok}, "email": {"me@mission.test"}})
	if resp.StatusCode != 303 {
		t.Fatalf("set email: %d", resp.StatusCode)
	}
	if _, body := en.get("delegate", "/en/account/email"); !strings.Contains(body, "me@mission.test") || !strings.Contains(body, "not yet verified") {
		t.Error("pending address not shown")
	}
	_, tokens := en.mails()
	if len(tokens) != 1 {
		t.Fatalf("tokens %v", tokens)
	}
	en.get("", "/en/account/email/verify?token="+tokens[0])
	en.get("", "/en/account/email/verify?token="+tokens[0])
	resp, body := en.postForm("", "/en/account/email/verify", url.Values{"token": {tokens[0]}})
	if resp.StatusCode != 200 || !strings.Contains(body, "me@mission.test is verified") {
		t.Errorf("verify: %d", resp.StatusCode)
	}
	if _, body := en.get("delegate", "/en/account/email"); !strings.Contains(body, "verified") || strings.Contains(body, "not yet verified") {
		t.Error("verified address not shown")
	}
	if resp, _ := en.postForm("", "/en/account/email/verify", url.Values{"token": {tokens[0]}}); resp.StatusCode != 422 {
		t.Errorf("reused verification link: %d", resp.StatusCode)
	}
}

// Issue 11: the account form has no default role and explains each; an
// account with an address and no password is invited by email.
func TestUserFormRolesAndInvitation(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, body := en.get("secretariat", "/en/admin/users")
	sel := regexp.MustCompile(`(?s)<select id="role".*?</select>`).FindString(body)
	// The empty choice is the one selected, never a role.
	if !strings.Contains(sel, `<option value=""`) || regexp.MustCompile(`value="[a-z-]+" selected`).MatchString(sel) {
		t.Errorf("role select defaults to a role: %s", sel)
	}
	if !strings.Contains(body, "The most powerful role") {
		t.Error("roles not explained")
	}
	tok := en.formToken("secretariat", "/en/admin/users", "/en/admin/users")
	resp, body := en.postForm("secretariat", "/en/admin/users", url.Values{"form_token": {tok}, "username": {"newbie"}, "password": {"qwerty123456"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Choose a role.") || !strings.Contains(html.UnescapeString(body), "too common") {
		t.Errorf("no role and a common password, both reported: %d", resp.StatusCode)
	}
	tok = en.formToken("secretariat", "/en/admin/users", "/en/admin/users")
	resp, _ = en.postForm("secretariat", "/en/admin/users", url.Values{"form_token": {tok}, "username": {"newbie"}, "role": {"delegate"}, "state": {"FRA"}, "email": {"newbie@mission.test"}})
	if resp.StatusCode != 303 {
		t.Fatalf("invite: %d", resp.StatusCode)
	}
	msgs, tokens := en.mails()
	if len(msgs) != 1 || msgs[0].To[0] != "newbie@mission.test" || !strings.Contains(msgs[0].Text, "/en/password/reset?token=") {
		t.Fatalf("invitation %+v", msgs)
	}
	resp, _ = en.postForm("", "/en/password/reset", url.Values{"token": {tokens[0]}, "password": {"newbie's own long password"}})
	if resp.StatusCode != 303 {
		t.Errorf("accepting: %d", resp.StatusCode)
	}
	if _, _, _, err := auth.Login(ctx, en.db, nil, auth.Attempt{Username: "newbie", Password: "newbie's own long password", Addr: "10.1.1.1"}); err != nil {
		t.Errorf("invited account signs in: %v", err)
	}
	// The Secretariat sets and sees an account's address.
	tok = en.formToken("secretariat", "/en/admin/users", "/en/admin/users/email")
	if resp, _ := en.postForm("secretariat", "/en/admin/users/email", url.Values{"form_token": {tok}, "username": {"newbie"}, "email": {"newbie@gov.test"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("set email: %d", resp.StatusCode)
	}
	if _, body := en.get("secretariat", "/en/admin/users"); !strings.Contains(body, "newbie@gov.test (not yet verified") {
		t.Error("address not listed")
	}
}

// TestAccountEmailLanguage: the notices form sets the language notice
// emails are written in (issue 11), shows it chosen, and refuses an
// unknown one with a field error, writing nothing.
func TestAccountEmailLanguage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	_, body := en.get("delegate", "/en/account/email")
	if !strings.Contains(body, `<option value="fr">Français</option>`) || !strings.Contains(body, `<option value="en" selected>English</option>`) {
		t.Errorf("language select: %s", body)
	}
	tok := en.formToken("delegate", "/en/account/email", "/en/account/email/notices")
	resp, _ := en.postForm("delegate", "/en/account/email/notices", url.Values{"form_token": {tok}, "notices": {"on"}, "lang": {"fr"}})
	if resp.StatusCode != 303 {
		t.Fatalf("set language: %d", resp.StatusCode)
	}
	u, _, err := en.db.UserByUsername(t.Context(), "del-fra")
	if err != nil || u.Lang != "fr" {
		t.Fatalf("language %q, %v", u.Lang, err)
	}
	if _, body := en.get("delegate", "/en/account/email"); !strings.Contains(body, `<option value="fr" selected>Français</option>`) {
		t.Error("chosen language not shown")
	}
	tok = en.formToken("delegate", "/en/account/email", "/en/account/email/notices")
	resp, body = en.postForm("delegate", "/en/account/email/notices", url.Values{"form_token": {tok}, "lang": {"xx"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Unknown language.") {
		t.Errorf("unknown language: %d", resp.StatusCode)
	}
	if u, _, _ := en.db.UserByUsername(t.Context(), "del-fra"); u.Lang != "fr" {
		t.Errorf("language after refusal %q", u.Lang)
	}
}
