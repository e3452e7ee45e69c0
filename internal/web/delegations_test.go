package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// Issue 11: the Secretariat appoints France's delegation manager on the
// delegation page; the manager invites a delegate (the emailed link sets
// the password), lets them speak, removes them; the manager's own page
// and API answer, another State's are refused; the page reads a fixed
// number of statements whatever the number of delegates.
func TestDelegationPages(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	mgr := concord.User{Username: "mgr-fra", Role: concord.RoleDelegate, State: "FRA", Email: "mgr@fra.test"}
	en.session(mgr)
	// A delegation manager must sign in with a second factor: set it up now,
	// before the appointment makes it required (which ends the sessions),
	// then sign in.
	enrol(t, en.db, "mgr-fra")
	en.tokens["mgr"] = en.sessionFor("mgr-fra")
	// The Secretariat's page offers the delegates who could manage.
	resp, body := en.get("secretariat", "/en/delegations/FRA")
	if resp.StatusCode != 200 || !strings.Contains(body, `<option value="mgr-fra"`) || !strings.Contains(body, "manager-fra") {
		t.Fatalf("delegation page as Secretariat: %d", resp.StatusCode)
	}
	// Every problem at once: no delegate chosen, a bad date.
	resp, body = en.postForm("secretariat", "/en/delegations/FRA/managers", url.Values{"from": {"tomorrow"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#from"`) {
		t.Errorf("bad appointment: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("secretariat", "/en/delegations/FRA/managers", url.Values{"username": {"mgr-fra"}, "from": {"2020-01-01"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("appoint: %d", resp.StatusCode)
	}
	// France's delegates are told who was appointed, by name: the inbox
	// rendered only a notice's Count and showed "<no value>" here.
	if _, body := en.get("mgr", "/en/inbox"); !strings.Contains(body, "mgr-fra was appointed manager") || strings.Contains(body, "no value") {
		t.Errorf("the appointment's notice in the inbox does not name the manager")
	}
	// The manager: own page yes, another State's page and API no.
	if resp, body = en.get("mgr", "/en/delegations/FRA"); resp.StatusCode != 200 || !strings.Contains(body, "mgr-fra") {
		t.Fatalf("own delegation: %d", resp.StatusCode)
	}
	for _, p := range []string{"/en/delegations/DEU", "/api/v1/delegations/DEU", "/en/admin/appointments", "/api/v1/appointments"} {
		if resp, _ := en.get("mgr", p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as FRA's manager: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := en.postForm("mgr", "/en/delegations/DEU/invitations", url.Values{"username": {"spy"}, "email": {"spy@x.test"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("invite to DEU as FRA's manager: %d", resp.StatusCode)
	}
	if resp, _ := en.do("mgr", "POST", "/api/v1/delegations/DEU/delegates", "application/json", `{"username":"spy","email":"spy@x.test"}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("API invite to DEU as FRA's manager: %d", resp.StatusCode)
	}
	if resp, _ := en.get("", "/en/delegations/FRA"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("public: %d", resp.StatusCode)
	}
	// Invite on the page: reading only unless ticked.
	resp, _ = en.postForm("mgr", "/en/delegations/FRA/invitations", url.Values{"username": {"claire"}, "name": {"Claire"}, "email": {"claire@fra.test"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", resp.StatusCode)
	}
	msgs, tokens := en.mails()
	var link string
	for i, m := range msgs {
		if m.To[0] == "claire@fra.test" && i < len(tokens) {
			link = tokens[len(tokens)-1]
		}
	}
	if link == "" {
		t.Fatalf("no invitation to claire in %d mails", len(msgs))
	}
	_, body = en.get("mgr", "/en/delegations/FRA")
	if !strings.Contains(body, en.msg("en", "delegation.pending")) || !strings.Contains(body, en.msg("en", "delegation.reads")) {
		t.Error("the invited delegate is not pending and reading only")
	}
	// The API twin lists the same.
	resp, body = en.get("mgr", "/api/v1/delegations/FRA")
	var m struct {
		Managers  []string `json:"managers"`
		Delegates []struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
			Status   string `json:"status"`
			MaySpeak bool   `json:"may_speak"`
		} `json:"delegates"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("API mission: %d %v", resp.StatusCode, err)
	}
	var claire int64
	for _, d := range m.Delegates {
		if d.Username == "claire" {
			claire = d.ID
			if d.Status != "invited" || d.MaySpeak {
				t.Errorf("claire in the API %+v", d)
			}
		}
	}
	if len(m.Managers) != 2 || !slices.Contains(m.Managers, "mgr-fra") || !slices.Contains(m.Managers, "manager-fra") || claire == 0 {
		t.Fatalf("API mission %+v", m)
	}
	id := strconv.FormatInt(claire, 10)
	if resp, _ := en.do("mgr", "PUT", "/api/v1/delegations/FRA/delegates/"+id+"/speaker", "application/json", `{"may_speak":true}`); resp.StatusCode != http.StatusNoContent {
		t.Errorf("let speak by API: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("mgr", "/en/delegations/FRA/people/"+id+"/speaker", url.Values{"may_speak": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reading only on the page: %d", resp.StatusCode)
	}
	// Removing through another State's URL: refused; through one's own: done.
	if resp, _ := en.do("mgr", "DELETE", "/api/v1/delegations/DEU/delegates/"+id, "", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("remove through DEU: %d", resp.StatusCode)
	}
	if resp, _ := en.postForm("mgr", "/en/delegations/FRA/people/"+id+"/remove", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("remove: %d", resp.StatusCode)
	}
	if resp, _ := en.do("mgr", "DELETE", "/api/v1/delegations/FRA/delegates/"+id, "", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("removed twice: %d", resp.StatusCode)
	}
	// Queries per page: the same with 1 and with 30 more delegates.
	count := func() int64 {
		before := en.db.Queries()
		if resp, _ := en.get("mgr", "/en/delegations/FRA"); resp.StatusCode != 200 {
			t.Fatalf("page: %d", resp.StatusCode)
		}
		return en.db.Queries() - before
	}
	count() // warm: the registry's cache refills after the last public write
	few := count()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		for i := range 30 {
			u := concord.User{Username: "fra-" + strconv.Itoa(i), Role: concord.RoleDelegate, State: "FRA"}
			if err := tx.CreateUser(&u, store.NoPassword); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	count() // warm again: the write moved the data version the session is kept at
	if many := count(); many != few {
		t.Errorf("delegation page: %d statements with 2 delegates, %d with 32", few, many)
	}
	// The Secretariat ends the manager's term: the page is refused at once.
	list, err := en.db.Read(ctx).Appointments(en.db.Now(), false)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(h store.Held) bool { return h.User.Username == "mgr-fra" })
	if i < 0 {
		t.Fatal("no appointment of mgr-fra")
	}
	resp, _ = en.postForm("secretariat", "/en/admin/appointments/"+strconv.FormatInt(list[i].ID, 10)+"/end", url.Values{"back": {"delegation"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/en/delegations/FRA?saved=1" {
		t.Errorf("end: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := en.get("mgr", "/en/delegations/FRA"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after the term: %d", resp.StatusCode)
	}
}

// The appointments page lists the posts with what each does, defaults to
// none, and refuses a bad appointment with every problem at once; in
// Arabic it is right-to-left.
func TestAppointmentsPage(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	resp, body := en.get("secretariat", "/ar/admin/appointments")
	if resp.StatusCode != 200 || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, en.msg("ar", "post_about.secretariat")) {
		t.Fatalf("Arabic appointments page: %d", resp.StatusCode)
	}
	_, body = en.get("secretariat", "/en/admin/appointments")
	if !strings.Contains(body, `<option value="" selected>`) {
		t.Error("the post is not unchosen by default")
	}
	resp, body = en.postForm("secretariat", "/en/admin/appointments", url.Values{"username": {"chair"}, "post": {"chair"}, "from": {"2026-02-01"}, "until": {"2026-01-01"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, en.msg("en", "error.appointment_until")) {
		t.Errorf("term ending before it starts: %d", resp.StatusCode)
	}
	resp, _ = en.postForm("secretariat", "/en/admin/appointments", url.Values{"username": {"chair"}, "post": {"chair"}, "from": {"2020-01-01"}, "until": {"2021-01-01"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("appoint: %d", resp.StatusCode)
	}
	// The Chair's only term has ended: its role grants nothing now.
	if resp, _ := en.get("chair", "/en/home"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a Chair out of term: %d", resp.StatusCode)
	}
	_, body = en.get("secretariat", "/en/admin/appointments?past=1")
	if !strings.Contains(body, en.msg("en", "appointments.status_ended")) {
		t.Error("the ended term is not listed with the past")
	}
}

// enrol sets up two-factor sign-in for the account username.
func enrol(t *testing.T, db *store.DB, username string) {
	t.Helper()
	u, _, err := db.UserByUsername(ctx, username)
	if err == nil {
		err = db.Update(ctx, "system", func(tx *store.Tx) error { return storetest.EnrolTOTP(tx, u.ID) })
	}
	if err != nil {
		t.Fatal(err)
	}
}

// sessionFor opens a session for the existing account username.
func (en *env) sessionFor(username string) string {
	en.t.Helper()
	u, _, err := en.db.UserByUsername(ctx, username)
	if err != nil {
		en.t.Fatal(err)
	}
	token, th := auth.NewToken()
	if err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		return tx.CreateSession(th, u.ID, time.Now().AddDate(1, 0, 0))
	}); err != nil {
		en.t.Fatal(err)
	}
	return token
}
