package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// withOwnerPassword creates u with ownerPW and a session, under label.
func (en *env) withOwnerPassword(label string, u concord.User) concord.User {
	en.t.Helper()
	h, err := auth.HashPassword(ownerPW)
	if err != nil {
		en.t.Fatal(err)
	}
	token, th := auth.NewToken()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, h); err != nil {
			return err
		}
		if concord.RequiresTwoFactor(&u) {
			if err := storetest.EnrolTOTP(tx, u.ID); err != nil {
				return err
			}
		}
		return tx.CreateSession(th, u.ID, time.Now().Add(time.Hour))
	}); err != nil {
		en.t.Fatal(err)
	}
	en.tokens[label] = token
	return u
}

// TestPersonalDataPages: the page says what is kept in every language
// (right to left in Arabic), the export downloads the person's own data
// only, and deleting the account signs the person out and leaves the log
// naming "a former delegate of France".
func TestPersonalDataPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	marie := en.withOwnerPassword("marie", concord.User{Username: "marie", Name: "Marie Curie", Role: concord.RoleDelegate, State: "FRA"})
	// A position of France taken by Marie, as the public log shows it.
	if err := en.db.Update(ctx, concord.Actor(&marie), func(tx *store.Tx) error {
		return tx.Audit("decision.position", "decision", "1", nil, nil, true)
	}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ar", "fr", "zh", "ru", "es"} {
		resp, body := en.get("marie", "/"+lang+"/account/data")
		if resp.StatusCode != 200 || !strings.Contains(body, en.msg(lang, "data.positions.what")) || !strings.Contains(body, en.msg(lang, "data.export")) {
			t.Errorf("%s: data page %d", lang, resp.StatusCode)
		}
		if lang == "ar" && !strings.Contains(body, `dir="rtl"`) {
			t.Error("Arabic data page is not right to left")
		}
	}
	resp, body := en.get("marie", "/en/account/data/export")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	var got struct {
		Account struct {
			Username, Name, State string
		}
		Audit []struct{ Action string }
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Account.Username != "marie" || got.Account.Name != "Marie Curie" || len(got.Audit) != 1 || strings.Contains(body, "del-fra") || strings.Contains(body, "unused-hash") {
		t.Errorf("export: %s", body)
	}
	// The API twin gives the same document.
	resp, api := en.get("marie", "/api/v1/me/export")
	if resp.StatusCode != 200 || !strings.Contains(api, `"username":"marie"`) || strings.Contains(api, "del-fra") {
		t.Errorf("API export: %d %s", resp.StatusCode, api)
	}

	// A wrong password: the form again, with the error at the field.
	resp, body = en.postForm("marie", "/en/account/delete", url.Values{"password": {"not my password at all"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "error.password_confirm")) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("marie", "/en/account/delete", url.Values{"password": {ownerPW}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/en/login?deleted=1" {
		t.Fatalf("delete: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := en.get("", "/en/login?deleted=1"); !strings.Contains(body, en.msg("en", "delete.done")) {
		t.Error("the sign-in page does not say the account was deleted")
	}
	if resp, _ := en.get("marie", "/en/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the deleted account's session still works: %d", resp.StatusCode)
	}
	_, body = en.get("", "/en/log")
	if !strings.Contains(body, "a former delegate of France") || strings.Contains(body, "Marie") {
		t.Error("the log does not name the former delegate by State")
	}
	_, body = en.get("secretariat", "/en/admin/users")
	if !strings.Contains(body, en.msg("en", "users.erased")) {
		t.Error("the accounts list does not show the deleted account")
	}
	if err := en.db.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	if err := en.db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}

// TestSecretariatDeletes: the Secretariat deletes an account for its
// owner (page and API), confirming with its own password; a delegate
// cannot use either route, and the last Secretariat account stays.
func TestSecretariatDeletes(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.withOwnerPassword("admin", concord.User{Username: "sec-admin", Role: concord.RoleSecretariat})
	a := en.withOwnerPassword("a", concord.User{Username: "del-a", Role: concord.RoleDelegate, State: "DEU"})
	en.withOwnerPassword("b", concord.User{Username: "del-b", Role: concord.RoleDelegate, State: "DEU"})
	path := "/en/admin/users/" + itoa(a.ID) + "/delete"
	if resp, body := en.get("admin", path); resp.StatusCode != 200 || !strings.Contains(body, "del-a") || !strings.Contains(body, en.msg("en", "delete.warning")) {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("b", path, url.Values{"password": {ownerPW}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a delegate deleting another: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("admin", path, url.Values{"password": {ownerPW}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	resp, body := en.do("admin", "POST", "/api/v1/users/del-b/erase", "application/json", `{"password":"wrong password, surely"}`)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"password"`) {
		t.Errorf("API wrong password: %d %s", resp.StatusCode, body)
	}
	if resp, body := en.do("admin", "POST", "/api/v1/users/del-b/erase", "application/json", `{"password":"`+ownerPW+`"}`); resp.StatusCode != http.StatusNoContent {
		t.Errorf("API delete: %d %s", resp.StatusCode, body)
	}
	if resp, _ := en.get("b", "/api/v1/me/export"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the deleted account's token still works: %d", resp.StatusCode)
	}
	if err := en.db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}
