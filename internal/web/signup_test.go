package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord/internal/auth"
	"concord/internal/store"
)

// signupForm is a complete sign-up as the form posts it.
func signupForm(name, site, user, email string) url.Values {
	return url.Values{"name_en": {name}, "name_ar": {"منتدى " + name}, "type": {"ngo"}, "country": {"KEN"}, "website": {site},
		"ecosoc_id": {"ON-77"}, "name": {"Focal " + user}, "username": {user}, "email": {email}, "password": {"a long enough passphrase"}}
}

// Issue 11: an organisation signs up on the page, is warned of likely
// duplicates, stays out of public view (as the public, a delegate and
// another organisation's focal point) until the Secretariat verifies it
// from the queue, and its focal point manages its colleagues.
func TestSignupPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	if _, body := en.get("", "/en/login"); !strings.Contains(body, `href="/en/signup"`) {
		t.Error("no sign-up link on the sign-in page")
	}
	resp, body := en.get("", "/ar/signup")
	if resp.StatusCode != 200 || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, en.msg("ar", "signup.heading")) {
		t.Fatalf("Arabic sign-up page: %d", resp.StatusCode)
	}
	// Every problem at once, the input kept but never the password.
	bad := signupForm("", "nope", "x", "bad")
	bad.Set("name_ar", "")
	bad.Set("password", "short")
	resp, body = en.postForm("", "/en/signup", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, `value="short"`) || !strings.Contains(body, `value="nope"`) {
		t.Errorf("bad sign-up: %d", resp.StatusCode)
	}
	for _, f := range []string{"name_en", "website", "username", "email", "password"} {
		if !strings.Contains(body, `id="`+f+`" `) || !strings.Contains(body, `href="#`+f+`"`) {
			t.Errorf("no error linked to %s", f)
		}
	}
	resp, body = en.postForm("", "/en/signup", signupForm("Open Networks Forum", "https://opennetworks.test", "onf", "focal@opennetworks.test"))
	if resp.StatusCode != http.StatusCreated || !strings.Contains(body, "focal@opennetworks.test") {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
	msgs, tokens := en.mails()
	if len(msgs) != 1 || len(tokens) != 1 || msgs[0].To[0] != "focal@opennetworks.test" {
		t.Fatalf("verification mail %+v", msgs)
	}
	queue, err := en.db.Read(ctx).Signups(store.SignupPending)
	if err != nil || len(queue) != 1 {
		t.Fatalf("queue %v %v", queue, err)
	}
	id := strconv.FormatInt(queue[0].Org.ID, 10)

	// Hidden while pending.
	en.tokens["onf"] = sessionFor(t, en, queue[0].User.ID)
	for _, as := range []string{"", "delegate", "focal-point"} {
		if resp, _ := en.get(as, "/en/organizations/"+id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("pending organisation's page as %q: %d", as, resp.StatusCode)
		}
		if _, body := en.get(as, "/en/organizations?q=open"); strings.Contains(body, "Open Networks Forum") {
			t.Errorf("pending organisation listed as %q", as)
		}
	}
	if resp, _ := en.get("onf", "/en/organizations/"+id); resp.StatusCode != 200 {
		t.Errorf("own pending organisation: %d", resp.StatusCode)
	}

	// A second sign-up of the same body: warned, with the candidate; then confirmed.
	again := signupForm("OPEN-NETWORKS forum", "", "onf2", "second@opennetworks.test")
	resp, body = en.postForm("", "/en/signup", again)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="duplicates"`) || !strings.Contains(body, "Open Networks Forum") {
		t.Errorf("duplicate not flagged: %d", resp.StatusCode)
	}
	again.Set("email", "FOCAL@opennetworks.test")
	again.Set("confirm_duplicate", "1")
	if resp, body = en.postForm("", "/en/signup", again); resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "error.email_taken")) {
		t.Errorf("same address: %d", resp.StatusCode)
	}
	again.Set("email", "second@opennetworks.test")
	if resp, _ = en.postForm("", "/en/signup", again); resp.StatusCode != http.StatusCreated {
		t.Fatalf("confirmed duplicate: %d", resp.StatusCode)
	}
	en.mails()

	// The queue, with its evidence.
	resp, body = en.get("secretariat", "/en/admin/signups")
	if resp.StatusCode != 200 || !strings.Contains(body, "Open Networks Forum") || !strings.Contains(body, "OPEN-NETWORKS forum") ||
		!strings.Contains(body, "ON-77") || !strings.Contains(body, `href="/en/organizations/`+id+`"`) {
		t.Errorf("queue page: %d", resp.StatusCode)
	}
	if _, body = en.get("secretariat", "/en/admin/signups?status=verified"); strings.Contains(body, "Open Networks Forum") {
		t.Error("the filter by status shows pending sign-ups")
	}
	second, _ := en.db.Read(ctx).Signups(store.SignupPending)
	sid := strconv.FormatInt(second[1].Org.ID, 10)
	if resp, body = en.postForm("secretariat", "/en/admin/signups/"+sid+"/reject", url.Values{"reason": {""}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, en.msg("en", "error.signup_reason")) {
		t.Errorf("rejection without reason: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("secretariat", "/en/admin/signups/"+sid+"/reject", url.Values{"reason": {"The same body as Open Networks Forum."}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reject: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("secretariat", "/en/admin/signups/"+id+"/verify", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("verify: %d", resp.StatusCode)
	}
	if resp, body = en.postForm("secretariat", "/en/admin/signups/"+id+"/verify", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(body, en.msg("en", "error.signup_decided")) {
		t.Errorf("verify twice: %d", resp.StatusCode)
	}
	if resp, _ = en.get("", "/en/organizations/"+id); resp.StatusCode != 200 {
		t.Errorf("verified organisation's page: %d", resp.StatusCode)
	}
	if resp, _ = en.get("delegate", "/en/organizations/"+sid); resp.StatusCode != http.StatusNotFound {
		t.Errorf("rejected organisation's page: %d", resp.StatusCode)
	}
	if _, body = en.get("secretariat", "/en/admin/signups?status=verified"); !strings.Contains(body, "Open Networks Forum") {
		t.Error("the verified sign-up is not under its status")
	}
	if _, body = en.get("onf", "/en/inbox"); !strings.Contains(body, en.msg("en", "notice.signup_verified")) {
		t.Error("no notice of the verification in the inbox")
	}

	// Colleagues: an address in use, another organisation, then an invitation and a removal.
	members := "/en/organizations/" + id + "/members"
	if resp, body = en.postForm("onf", members, url.Values{"username": {"col"}, "email": {"second@opennetworks.test"}}); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(body, en.msg("en", "error.email_taken")) {
		t.Errorf("invitation to an address in use: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("focal-point", members, url.Values{"username": {"col"}, "email": {"col@x.test"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("invitation by another organisation: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("onf", members, url.Values{"username": {"col"}, "name": {"Col League"}, "email": {"col@opennetworks.test"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", resp.StatusCode)
	}
	if msgs, tokens := en.mails(); len(msgs) != 1 || len(tokens) != 1 || msgs[0].To[0] != "col@opennetworks.test" {
		t.Errorf("invitation mail %+v", msgs)
	}
	users, _ := en.db.Read(ctx).OrgMembers(queue[0].Org.ID)
	var colID int64
	for _, u := range users {
		if u.Username == "col" {
			colID = u.ID
		}
	}
	en.tokens["col"] = sessionFor(t, en, colID)
	if resp, _ = en.get("col", "/en/account"); resp.StatusCode != 200 {
		t.Fatalf("colleague signed in: %d", resp.StatusCode)
	}
	if resp, _ = en.postForm("onf", members+"/"+strconv.FormatInt(colID, 10)+"/remove", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("remove: %d", resp.StatusCode)
	}
	if resp, _ = en.get("col", "/en/account"); resp.StatusCode == 200 {
		t.Error("a removed colleague still signed in")
	}
	if _, body = en.get("onf", members); !strings.Contains(body, en.msg("en", "members.removed")) {
		t.Error("removal not shown")
	}
}

// sessionFor opens a browser session for the account id.
func sessionFor(t *testing.T, en *env, id int64) string {
	token, th := auth.NewToken()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateSession(th, id, time.Now().Add(time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	return token
}
