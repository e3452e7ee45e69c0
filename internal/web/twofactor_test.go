package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// browser is a client with its own cookies that does not follow redirects.
type browser struct {
	t   testing.TB
	c   *http.Client
	url string
}

func newBrowser(t testing.TB, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, url: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// withPassword creates an account with a real password (and, with enrol,
// two-factor sign-in with storetest.TOTPSecret).
func (en *env) withPassword(u concord.User, enrol bool) concord.User {
	en.t.Helper()
	return createWithPassword(en.t, en, u, enrol)
}

// withPasswordTB is withPassword, enrolled, for benchmarks.
func (en *env) withPasswordTB(tb testing.TB, u concord.User) concord.User {
	return createWithPassword(tb, en, u, true)
}

func createWithPassword(tb testing.TB, en *env, u concord.User, enrol bool) concord.User {
	tb.Helper()
	hash, err := auth.HashPassword("a-long-test-password")
	if err != nil {
		tb.Fatal(err)
	}
	err = en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, hash); err != nil {
			return err
		}
		if enrol {
			return storetest.EnrolTOTP(tx, u.ID)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// TestTwoFactorSignIn: the password leads to the second step, bound to the
// browser's cookie; a wrong code says so, a replayed one too; the right
// code or a recovery code signs in and goes where sign-in was asked from.
func TestTwoFactorSignIn(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	u := en.withPassword(concord.User{Username: "sec-2fa", Role: concord.RoleSecretariat}, true)
	b := newBrowser(t, en.srv.URL)
	login := url.Values{"username": {"sec-2fa"}, "password": {"a-long-test-password"}, "next": {"/fr/states?x=1"}}
	resp, _ := b.do("POST", "/fr/login", login)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/fr/login/code" {
		t.Fatalf("password step: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, c := range resp.Cookies() {
		if c.Name == "concord_session" {
			t.Fatal("a session before the second step")
		}
	}
	resp, body := b.do("GET", "/fr/login/code", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="code"`) || !strings.Contains(body, en.msg("fr", "twofactor.step_intro")) {
		t.Fatalf("second step page: %d", resp.StatusCode)
	}
	// Another browser (no pending cookie) cannot finish it.
	other := newBrowser(t, en.srv.URL)
	if resp, body := other.do("POST", "/fr/login/code", url.Values{"code": {storetest.TOTPCode(t, en.db, u.ID)}}); resp.StatusCode != 401 ||
		!strings.Contains(body, en.msg("fr", "error.pending_expired")) {
		t.Errorf("second step without the cookie: %d", resp.StatusCode)
	}
	resp, body = b.do("POST", "/fr/login/code", url.Values{"code": {"000000"}})
	if resp.StatusCode != 401 || !strings.Contains(body, en.msg("fr", "error.bad_code")) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("wrong code: %d", resp.StatusCode)
	}
	code := storetest.TOTPCode(t, en.db, u.ID)
	resp, _ = b.do("POST", "/fr/login/code", url.Values{"code": {code}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/fr/states?x=1" {
		t.Fatalf("right code: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := b.do("GET", "/fr/account", nil); resp.StatusCode != 200 {
		t.Errorf("signed in: %d", resp.StatusCode)
	}
	// The same code in another sign-in: a replay.
	c := newBrowser(t, en.srv.URL)
	c.do("POST", "/en/login", login)
	if resp, body := c.do("POST", "/en/login/code", url.Values{"code": {code}}); resp.StatusCode != 401 || !strings.Contains(body, en.msg("en", "error.code_used")) {
		t.Errorf("replayed code: %d", resp.StatusCode)
	}
	// A recovery code, once.
	codes := en.regenerate(b, u)
	resp, _ = c.do("POST", "/en/login/code", url.Values{"code": {strings.ToUpper(codes[0])}})
	if resp.StatusCode != 303 {
		t.Errorf("recovery code: %d", resp.StatusCode)
	}
	d := newBrowser(t, en.srv.URL)
	d.do("POST", "/en/login", login)
	if resp, _ := d.do("POST", "/en/login/code", url.Values{"code": {codes[0]}}); resp.StatusCode != 401 {
		t.Errorf("a recovery code twice: %d", resp.StatusCode)
	}
	// The account log has the recovery code's use.
	if n := en.accountActions()["user.recovery_used"]; n != 1 {
		t.Errorf("recovery codes used in the account log: %d, want 1", n)
	}
}

// accountActions counts the account log's entries by action.
func (en *env) accountActions() map[string]int {
	en.t.Helper()
	out := map[string]int{}
	for e, err := range en.db.AccountEntries(ctx) {
		if err != nil {
			en.t.Fatal(err)
		}
		out[e.Action]++
	}
	return out
}

var recoveryCode = regexp.MustCompile(`<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>`)

// regenerate makes new recovery codes through the page, as b (signed in
// as u), and returns them.
func (en *env) regenerate(b *browser, u concord.User) []string {
	en.t.Helper()
	resp, body := b.do("POST", "/en/account/two-factor/recovery", url.Values{"code": {storetest.TOTPCode(en.t, en.db, u.ID)}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		en.t.Fatalf("new recovery codes: %d %s", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	var codes []string
	for _, m := range recoveryCode.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		en.t.Fatalf("recovery codes shown: %d", len(codes))
	}
	return codes
}

// TestTwoFactorRequired: a Chair without a second factor who signs in is
// sent to set one up, every page and write refused until then (sign-out
// allowed); enrolment through the page, confirmed by a code, shows the
// recovery codes once and lets everything work; switching off needs the
// password and a code. A delegate is offered it, not held to it.
func TestTwoFactorRequired(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	en.withPassword(concord.User{Username: "chair-new", Role: concord.RoleChair}, false)
	b := newBrowser(t, en.srv.URL)
	resp, _ := b.do("POST", "/en/login", url.Values{"username": {"chair-new"}, "password": {"a-long-test-password"}, "next": {"/en/meetings"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/en/meetings" {
		t.Fatalf("sign-in without a second factor: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = b.do("GET", "/en/meetings", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/en/account/two-factor?next=%2Fen%2Fmeetings" {
		t.Fatalf("a page before enrolment: %d %s", resp.StatusCode, loc)
	}
	if resp, body := b.do("POST", "/en/meetings", url.Values{}); resp.StatusCode != 403 || !strings.Contains(body, en.msg("en", "error.two_factor_required")) {
		t.Errorf("a write before enrolment: %d", resp.StatusCode)
	}
	resp, body := b.do("GET", "/en/account/two-factor?next=%2Fen%2Fmeetings", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "twofactor.required")) {
		t.Fatalf("enrolment page: %d", resp.StatusCode)
	}
	resp, _ = b.do("POST", "/en/account/two-factor/start", url.Values{"next": {"/en/meetings"}})
	if resp.StatusCode != 303 {
		t.Fatalf("start: %d", resp.StatusCode)
	}
	_, body = b.do("GET", "/en/account/two-factor?next=%2Fen%2Fmeetings", nil)
	if !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Error("no QR code")
	}
	m := regexp.MustCompile(`<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no secret shown as text")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	step := auth.TOTPStep(time.Now())
	if resp, body := b.do("POST", "/en/account/two-factor/confirm", url.Values{"code": {auth.TOTPCode(secret, step-4)}, "next": {"/en/meetings"}}); resp.StatusCode != 401 ||
		!strings.Contains(body, en.msg("en", "error.bad_code")) {
		t.Errorf("confirm with a wrong code: %d", resp.StatusCode)
	}
	resp, body = b.do("POST", "/en/account/two-factor/confirm", url.Values{"code": {auth.TOTPCode(secret, step)}, "next": {"/en/meetings"}})
	if resp.StatusCode != 200 || len(recoveryCode.FindAllString(body, -1)) != 10 || !strings.Contains(body, `href="/en/meetings"`) {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	if resp, _ := b.do("GET", "/en/meetings", nil); resp.StatusCode != 200 {
		t.Errorf("a page after enrolment: %d", resp.StatusCode)
	}
	// Off: the password and a code, both problems at once when missing.
	resp, body = b.do("POST", "/en/account/two-factor/disable", url.Values{})
	if resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "error.password_required")) || !strings.Contains(body, en.msg("en", "error.code_empty")) {
		t.Errorf("disable with nothing: %d", resp.StatusCode)
	}
	resp, _ = b.do("POST", "/en/account/two-factor/disable", url.Values{"password": {"a-long-test-password"}, "code": {auth.TOTPCode(secret, step+1)}})
	if resp.StatusCode != 303 {
		t.Errorf("disable: %d", resp.StatusCode)
	}
	if resp, _ := b.do("GET", "/en/meetings", nil); resp.StatusCode != 303 {
		t.Errorf("switched off, the Chair is sent to set it up again: %d", resp.StatusCode)
	}
	if resp, _ := b.do("POST", "/en/logout", url.Values{}); resp.StatusCode != 303 {
		t.Errorf("sign-out before enrolment: %d", resp.StatusCode)
	}
	// (The Secretariat and the Chair of the test's accounts were enrolled
	// too: two more of each.)
	if acts := en.accountActions(); acts["user.two_factor_start"] != 3 || acts["user.two_factor_on"] != 3 || acts["user.two_factor_off"] != 1 {
		t.Errorf("account log: %v", acts)
	}

	// A delegate: offered, not required.
	if resp, body := en.get("delegate", "/en/account/two-factor"); resp.StatusCode != 200 || strings.Contains(body, en.msg("en", "twofactor.required")) ||
		!strings.Contains(body, en.msg("en", "twofactor.start")) {
		t.Errorf("delegate's page: %d", resp.StatusCode)
	}
	if resp, _ := en.get("delegate", "/en/home"); resp.StatusCode != 200 {
		t.Errorf("delegate without a second factor: %d", resp.StatusCode)
	}
}
