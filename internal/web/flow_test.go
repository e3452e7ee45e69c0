package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord/internal/account"
	"concord/internal/auth"
	"concord/internal/store"
)

// Issue 11's bad input on the pages, in Arabic: an organisation's focal
// point opens the verification link after it expired. The page says so in
// the reader's language (422), and nothing is lost: the sign-up waits in
// the Secretariat's queue, the account signs in, and asking again for the
// same address sends a new link that works.
func TestExpiredVerificationLinkLosesNothing(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, _ := en.postForm("", "/ar/signup", signupForm("Late Links Forum", "https://late.test", "late", "focal@late.test"))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
	_, tokens := en.mails()
	if len(tokens) != 1 {
		t.Fatalf("verification links: %v", tokens)
	}
	en.db.Now = func() time.Time { return time.Now().Add(account.VerifyTTL + time.Hour) }
	resp, body := en.postForm("", "/ar/account/email/verify", url.Values{"token": {tokens[0]}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), en.msg("ar", "error.link_invalid")) ||
		!strings.Contains(body, `dir="rtl"`) {
		t.Fatalf("expired link: %d, Arabic message shown: %v", resp.StatusCode, strings.Contains(html.UnescapeString(body), en.msg("ar", "error.link_invalid")))
	}
	queue, err := en.db.Read(ctx).Signups(store.SignupPending)
	if err != nil || len(queue) != 1 || queue[0].User.Username != "late" || queue[0].User.EmailVerified {
		t.Fatalf("the sign-up after the expired link: %+v %v", queue, err)
	}
	// The focal point signs in (a session from the moved clock's now).
	token, th := auth.NewToken()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateSession(th, queue[0].User.ID, en.db.Now().Add(time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	en.tokens["late"] = token
	tok := en.formToken("late", "/ar/account/email", "/ar/account/email")
	if resp, _ := en.postForm("late", "/ar/account/email", url.Values{"form_token": {tok}, "email": {"focal@late.test"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("asking for a new link: %d", resp.StatusCode)
	}
	if _, tokens = en.mails(); len(tokens) != 1 {
		t.Fatalf("new links: %v", tokens)
	}
	if resp, _ := en.postForm("", "/ar/account/email/verify", url.Values{"token": {tokens[0]}}); resp.StatusCode != http.StatusOK {
		t.Errorf("the new link: %d", resp.StatusCode)
	}
	if u, _, err := en.db.UserByUsername(ctx, "late"); err != nil || !u.EmailVerified {
		t.Errorf("the address after the new link: %+v %v", u, err)
	}
}
