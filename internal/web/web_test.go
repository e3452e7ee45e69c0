package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/app"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/internal/web"
)

var ctx = context.Background()

// env is a running server over a real store, with one account per role.
type env struct {
	t      *testing.T
	tb     testing.TB // set instead of t by benchmarks
	db     *store.DB
	srv    *httptest.Server
	tokens map[string]string // role label -> session token
	orgID  int64             // the focal point's organisation
	s      *web.Server
}

func newEnv(t *testing.T, e store.Dialect) *env {
	t.Helper()
	return newEnvOn(t, demo.Open(t, e))
}

// demo is a store with the demo data, seeded once per test binary and
// engine and copied for each test (seeding is most of a test's cost).
var demo = storetest.NewTemplate("demo", seed.Demo)

// msg is a catalogue message as a page shows it (HTML-escaped).
func (en *env) msg(lang, id string) string { return html.EscapeString(en.rawMsg(lang, id)) }

// rawMsg is a catalogue message as the JSON API sends it.
func (en *env) rawMsg(lang, id string) string {
	cat, err := i18n.New()
	if err != nil {
		en.t.Fatal(err)
	}
	return cat.T(lang, id, nil)
}

func newEnvOn(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvWith(t, db, nil)
}

// newEnvWith is newEnvOn with the server adjusted by set before it starts.
func newEnvWith(t *testing.T, db *store.DB, set func(*web.Server)) *env {
	t.Helper()
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, err := app.NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	// Read the data version on every request: query counts stay exact and
	// writes by the test show at once.
	s.VersionTTL = 0
	if set != nil {
		set(s)
	}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	en := &env{t: t, db: db, srv: srv, tokens: map[string]string{}, s: s}
	orgs, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("demo has no stakeholders: %v", err)
	}
	en.orgID = orgs[0].ID
	users := map[string]concord.User{
		"secretariat":    {Username: "sec", Role: concord.RoleSecretariat},
		"chair":          {Username: "chair", Role: concord.RoleChair},
		"co-facilitator": {Username: "cofac", Role: concord.RoleCoFacilitator},
		"delegate":       {Username: "del-fra", Role: concord.RoleDelegate, State: "FRA"},
		"focal-point":    {Username: "focal", Role: concord.RoleFocalPoint, OrgID: en.orgID},
	}
	for label, u := range users {
		en.tokens[label] = en.session(u)
	}
	return en
}

// session creates u and a session for it, returning the cookie token.
func (en *env) session(u concord.User) string {
	token, th := auth.NewToken()
	err := en.db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, "unused-hash"); err != nil {
			return err
		}
		if concord.RequiresTwoFactor(&u) {
			// Its role requires a second factor: without one, every page
			// but setting it up is refused.
			if err := storetest.EnrolTOTP(tx, u.ID); err != nil {
				return err
			}
		}
		// A year, not an hour: tests move the store's clock up to days past
		// the demo's last entry, and a session that expired on that clock
		// would turn a role's request into the public's.
		return tx.CreateSession(th, u.ID, time.Now().AddDate(1, 0, 0))
	})
	if err != nil {
		en.fatal(err)
	}
	return token
}

func (en *env) fatal(err error) {
	if en.tb != nil {
		en.tb.Fatal(err)
	}
	en.t.Fatal(err)
}

// do sends a request as a role ("" for the public) without following
// redirects.
func (en *env) do(role, method, path, contentType, body string) (*http.Response, string) {
	en.t.Helper()
	req, err := http.NewRequest(method, en.srv.URL+path, strings.NewReader(body))
	if err != nil {
		en.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok := en.tokens[role]; tok != "" {
		req.AddCookie(&http.Cookie{Name: "concord_session", Value: tok})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		en.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (en *env) get(role, path string) (*http.Response, string) {
	return en.do(role, "GET", path, "", "")
}

func (en *env) postForm(role, path string, v url.Values) (*http.Response, string) {
	return en.do(role, "POST", path, "application/x-www-form-urlencoded", v.Encode())
}

var roles = []string{"", "secretariat", "chair", "co-facilitator", "delegate", "focal-point"}

// TestPermissionMatrix checks every HTML and API route against every role.
// The expectations are written out here, not derived from concord.Can, so
// that a change to the rules must be a deliberate change to this table.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	org := func(p string) string { return strings.ReplaceAll(p, "{org}", itoa(en.orgID)) }
	all := []string{"", "secretariat", "chair", "co-facilitator", "delegate", "focal-point"}
	signedIn := all[1:]
	cases := []struct {
		method, path string
		allowed      []string
	}{
		{"GET", "/en/", all},
		{"GET", "/en/states", all},
		{"GET", "/en/states/FRA", all},
		{"GET", "/en/states/FRA/edit", []string{"secretariat", "delegate"}},
		{"GET", "/en/states/DEU/edit", []string{"secretariat"}},
		{"POST", "/en/states/FRA/delegation", []string{"secretariat", "delegate"}},
		{"POST", "/en/states/DEU/delegation", []string{"secretariat"}},
		{"POST", "/en/states/FRA/classification", []string{"secretariat", "delegate"}},
		{"GET", "/en/groups", all},
		{"GET", "/en/groups/WEOG", all},
		{"GET", "/en/organizations", all},
		{"GET", "/en/organizations/new", []string{"secretariat"}},
		{"POST", "/en/organizations", []string{"secretariat"}},
		{"GET", org("/en/organizations/{org}"), all},
		{"GET", org("/en/organizations/{org}/edit"), []string{"secretariat", "focal-point"}},
		{"GET", "/en/organizations/1/edit", []string{"secretariat"}},
		{"POST", org("/en/organizations/{org}"), []string{"secretariat", "focal-point"}},
		{"GET", "/en/persons", all},
		{"GET", "/en/persons/1", all},
		{"GET", "/en/log", all},
		{"GET", "/en/login", all},
		{"POST", "/en/login", all},
		{"GET", "/en/account", signedIn},
		{"GET", "/en/home", signedIn},
		{"GET", "/en/account/sessions", signedIn},
		{"POST", "/en/account/sessions/0000000000000000/revoke", signedIn},
		{"GET", "/en/admin/users", []string{"secretariat"}},
		{"POST", "/en/admin/users", []string{"secretariat"}},
		{"POST", "/en/admin/users/email", []string{"secretariat"}},
		{"GET", "/en/account/data", signedIn},
		{"GET", "/en/account/data/export", signedIn},
		{"GET", "/en/account/delete", signedIn},
		{"POST", "/en/account/delete", signedIn}, // no password: refused, nothing deleted
		{"GET", "/en/admin/users/1/delete", []string{"secretariat"}},
		{"POST", "/en/admin/users/1/delete", []string{"secretariat"}},
		{"GET", "/api/v1/me/export", signedIn},
		{"POST", "/api/v1/me/erase", signedIn},
		{"POST", "/api/v1/users/admin/erase", []string{"secretariat"}},
		{"GET", "/en/account/email", signedIn},
		{"POST", "/en/account/email", signedIn},
		{"POST", "/en/account/email/notices", signedIn},
		{"GET", "/en/account/email/verify", all},
		{"POST", "/en/account/email/verify", all},
		{"GET", "/en/password/forgot", all},
		{"POST", "/en/password/forgot", all},
		{"GET", "/en/password/reset", all},
		{"POST", "/en/password/reset", all},
		{"GET", "/en/signup", all},
		{"POST", "/en/signup", all},
		{"GET", "/en/admin/signups", []string{"secretariat"}},
		{"POST", "/en/admin/signups/999999/verify", []string{"secretariat"}},
		{"POST", "/en/admin/signups/999999/reject", []string{"secretariat"}},
		{"GET", org("/en/organizations/{org}/members"), []string{"secretariat", "focal-point"}},
		{"GET", "/en/organizations/1/members", []string{"secretariat"}},
		{"POST", org("/en/organizations/{org}/members"), []string{"secretariat", "focal-point"}},
		{"POST", org("/en/organizations/{org}/members/999999/remove"), []string{"secretariat", "focal-point"}},
		// Accreditation pages: plenary-2025 is the demo's decided round
		// (disclosure to the Chair, so only the Chair and the Secretariat
		// may simulate it); application and document 999999 do not exist,
		// so those rows check the route's permission alone (404 is allowed).
		{"GET", "/en/accreditation", all},
		{"GET", "/en/accreditation/rules", all},
		{"POST", "/en/accreditation/rules", []string{"secretariat"}},
		{"POST", "/en/accreditation/windows", []string{"secretariat"}},
		{"POST", "/en/accreditation/ecosoc", []string{"secretariat"}},
		{"GET", "/en/accreditation/windows/plenary-2025", all},
		{"POST", "/en/accreditation/windows/plenary-2025/circulate", []string{"secretariat"}},
		{"GET", "/en/accreditation/windows/plenary-2025/accredited.csv", all},
		{"GET", "/en/accreditation/windows/plenary-2025/accredited.xlsx", all},
		{"GET", "/en/accreditation/windows/plenary-2025/statistics", all},
		{"GET", "/en/accreditation/windows/plenary-2025/simulation", []string{"secretariat", "chair"}},
		{"POST", "/en/accreditation/applications", []string{"secretariat", "focal-point"}},
		{"GET", "/en/accreditation/applications/999999", all},
		{"POST", "/en/accreditation/applications/999999", []string{"secretariat", "focal-point"}},
		{"POST", "/en/accreditation/applications/999999/documents", []string{"secretariat", "focal-point"}},
		{"POST", "/en/accreditation/applications/999999/submit", []string{"secretariat", "focal-point"}},
		{"POST", "/en/accreditation/applications/999999/resubmit", []string{"secretariat", "focal-point"}},
		{"POST", "/en/accreditation/applications/999999/withdraw", []string{"secretariat", "focal-point"}},
		{"POST", "/en/accreditation/applications/999999/return", []string{"secretariat"}},
		{"POST", "/en/accreditation/applications/999999/reject", []string{"secretariat"}},
		{"POST", "/en/accreditation/applications/999999/verify", []string{"secretariat"}},
		{"POST", "/en/accreditation/applications/999999/objection", []string{"delegate"}},
		{"POST", "/en/accreditation/applications/999999/objection/withdraw", []string{"delegate"}},
		{"GET", "/en/inbox", signedIn},
		{"GET", "/en/accreditation/documents/999999", []string{"secretariat", "focal-point"}},
		{"GET", "/en/documents", all},
		{"GET", "/en/search", all},
		{"GET", "/api/v1/search", all},
		{"GET", "/en/documents/new", []string{"secretariat", "delegate"}},
		{"POST", "/en/documents", []string{"secretariat", "delegate"}},
		{"GET", "/en/documents/999999", all},
		{"GET", "/en/documents/files/999999", all},
		{"GET", "/api/v1/documents", all},
		{"POST", "/api/v1/documents", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/documents/999999", all},
		{"GET", "/api/v1/documents/files/999999", all},
		{"POST", "/en/meetings/999999/speakers", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/speakers/999999/move", []string{"secretariat", "chair"}},
		{"POST", "/en/speakers/999999/spoke", []string{"secretariat"}},
		{"GET", "/en/statements", all},
		{"GET", "/en/meetings/999999/statements/new", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/meetings/999999/statements", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/en/statements/999999", all},
		{"GET", "/api/v1/meetings/999999/speakers", all},
		{"POST", "/api/v1/meetings/999999/speakers", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/api/v1/speakers/999999/move", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/speakers/999999/spoke", []string{"secretariat"}},
		{"GET", "/api/v1/statements", all},
		{"POST", "/api/v1/statements", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/statements/999999", all},
		{"GET", "/en/sessions/GM-2026-1/items/item-5/positions", all},
		{"GET", "/en/positions/map", all},
		{"GET", "/en/topics/3/t1/positions", all},
		{"GET", "/en/states/FRA/record", all},
		{"POST", "/en/statements/999999/withdraw", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/en/statements/feed.atom", all},
		{"GET", "/en/states/FRA/statements.atom", all},
		{"GET", "/en/sessions/GM-2026-1/items/item-5/statements.atom", all},
		{"GET", "/api/v1/sessions/GM-2026-1/items/item-5/positions", all},
		{"GET", "/api/v1/positions/map", all},
		{"GET", "/api/v1/topics/3/t1/positions", all},
		{"GET", "/api/v1/states/FRA/topic-positions", all},
		{"POST", "/api/v1/statements/999999/withdraw", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/states", all},
		{"GET", "/api/v1/states/FRA", all},
		{"GET", "/api/v1/regional-groups", all},
		{"GET", "/api/v1/regional-groups/WEOG", all},
		{"GET", "/api/v1/states/FRA/delegations", all},
		{"PUT", "/api/v1/states/FRA/classification", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/classification-schemes/unctad-m49", all},
		{"GET", "/api/v1/organizations", all},
		{"POST", "/api/v1/organizations", []string{"secretariat"}},
		{"GET", org("/api/v1/organizations/{org}"), all},
		{"PUT", org("/api/v1/organizations/{org}"), []string{"secretariat", "focal-point"}},
		{"PUT", "/api/v1/organizations/1", []string{"secretariat"}},
		{"GET", "/api/v1/persons", all},
		{"GET", "/api/v1/persons/1", all},
		{"GET", "/api/v1/log", all},
		{"GET", "/api/v1/popolo", all},
		{"GET", "/api/v1/openapi.json", all},
		{"POST", "/api/v1/sessions", all},
		{"GET", "/api/v1/me", signedIn},
		{"GET", "/api/v1/me/sessions", signedIn},
		{"GET", "/api/v1/me/waiting", signedIn},
		{"DELETE", "/api/v1/me/sessions/0000000000000000", signedIn},
		{"GET", "/api/v1/me/email", signedIn},
		{"PUT", "/api/v1/me/email", signedIn},
		{"POST", "/api/v1/email/verify", all},
		{"POST", "/api/v1/password/forgot", all},
		{"POST", "/api/v1/password/reset", all},
		{"POST", "/api/v1/signup", all},
		{"GET", "/api/v1/signups", []string{"secretariat"}},
		{"POST", "/api/v1/signups/999999/verify", []string{"secretariat"}},
		{"POST", "/api/v1/signups/999999/reject", []string{"secretariat"}},
		{"GET", org("/api/v1/organizations/{org}/members"), []string{"secretariat", "focal-point"}},
		{"POST", org("/api/v1/organizations/{org}/members"), []string{"secretariat", "focal-point"}},
		{"DELETE", org("/api/v1/organizations/{org}/members/999999"), []string{"secretariat", "focal-point"}},
		// A delegate who is no delegation manager manages nothing (the
		// managers' own State and another's: TestDelegationPages).
		{"GET", "/en/delegations/FRA", []string{"secretariat"}},
		{"POST", "/en/delegations/FRA/invitations", []string{"secretariat"}},
		{"POST", "/en/delegations/FRA/people/999999/remove", []string{"secretariat"}},
		{"POST", "/en/delegations/FRA/people/999999/speaker", []string{"secretariat"}},
		{"POST", "/en/delegations/FRA/managers", []string{"secretariat"}},
		{"GET", "/en/admin/appointments", []string{"secretariat"}},
		{"POST", "/en/admin/appointments", []string{"secretariat"}},
		{"POST", "/en/admin/appointments/999999/end", []string{"secretariat"}},
		{"GET", "/api/v1/delegations/FRA", []string{"secretariat"}},
		{"POST", "/api/v1/delegations/FRA/delegates", []string{"secretariat"}},
		{"DELETE", "/api/v1/delegations/FRA/delegates/999999", []string{"secretariat"}},
		{"PUT", "/api/v1/delegations/FRA/delegates/999999/speaker", []string{"secretariat"}},
		{"GET", "/api/v1/appointments", []string{"secretariat"}},
		{"POST", "/api/v1/appointments", []string{"secretariat"}},
		{"POST", "/api/v1/appointments/999999/end", []string{"secretariat"}},
		{"GET", "/api/v1/users", []string{"secretariat"}},
		{"POST", "/api/v1/users", []string{"secretariat"}},
		{"PUT", "/api/v1/users/admin/email", []string{"secretariat"}},
		{"GET", "/api/v1/accreditation/policy", all},
		{"POST", "/api/v1/accreditation/policy", []string{"secretariat"}},
		{"GET", "/api/v1/accreditation/windows", all},
		{"POST", "/api/v1/accreditation/windows", []string{"secretariat"}},
		{"GET", "/api/v1/accreditation/windows/plenary-2025", all},
		{"POST", "/api/v1/accreditation/windows/plenary-2025/circulation", []string{"secretariat"}},
		{"GET", "/api/v1/accreditation/windows/plenary-2025/applications", all},
		{"GET", "/api/v1/accreditation/windows/plenary-2025/statistics", all},
		{"GET", "/api/v1/accreditation/windows/plenary-2025/popolo", all},
		{"GET", "/api/v1/accreditation/windows/plenary-2025/simulation?rule=two_groups", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/accreditation/applications", []string{"secretariat", "focal-point"}},
		{"GET", "/api/v1/accreditation/applications/999999", all},
		{"PUT", "/api/v1/accreditation/applications/999999", []string{"secretariat", "focal-point"}},
		{"POST", "/api/v1/accreditation/applications/999999/documents", []string{"secretariat", "focal-point"}},
		{"POST", "/api/v1/accreditation/applications/999999/actions", signedIn},
		{"POST", "/api/v1/accreditation/applications/999999/objection", []string{"delegate"}},
		{"DELETE", "/api/v1/accreditation/applications/999999/objection", []string{"delegate"}},
		{"POST", "/api/v1/accreditation/ecosoc-list", []string{"secretariat"}},
		{"GET", "/api/v1/inbox", signedIn},
		{"GET", "/en/cofacilitators/check", all},
		// Co-facilitators: a State nominates (its delegate, or the
		// Secretariat for it; the Chair is refused by the service, which
		// knows the State); the Chair proposes sets. Nomination and set
		// 999999 do not exist (404 is allowed).
		{"GET", "/en/cofacilitators", all},
		{"GET", "/en/cofacilitators/DTG-1", all},
		{"POST", "/en/cofacilitators/nominations", []string{"secretariat", "delegate"}},
		{"POST", "/en/cofacilitators/nominations/999999/withdraw", []string{"secretariat", "delegate"}},
		{"POST", "/en/cofacilitators/sets", []string{"secretariat", "chair"}},
		{"GET", "/en/cofacilitators/sets/999999", all},
		{"GET", "/api/v1/cofacilitators", all},
		{"GET", "/api/v1/cofacilitators/nominations", all},
		{"POST", "/api/v1/cofacilitators/nominations", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/cofacilitators/nominations/999999/withdrawal", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/cofacilitators/pairs", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/cofacilitators/sets", all},
		{"POST", "/api/v1/cofacilitators/sets", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/cofacilitators/sets/999999", all},
		{"GET", "/en/decisions", all},
		{"POST", "/en/decisions", []string{"secretariat", "chair"}},
		{"GET", "/en/decisions/999999", all},
		{"POST", "/en/decisions/999999/positions", []string{"secretariat", "delegate"}},
		{"POST", "/en/decisions/999999/acts", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/decisions", all},
		{"POST", "/api/v1/cofacilitators/balance", all},
		{"POST", "/api/v1/decisions", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/decisions/999999", all},
		{"POST", "/api/v1/decisions/999999/positions", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/decisions/999999/acts", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/decisions/999999/simulation", all},
		{"GET", "/en/rules", all},
		{"GET", "/en/rules/briefers/new", []string{"secretariat"}},
		{"POST", "/en/rules/briefers", []string{"secretariat"}},
		{"GET", "/api/v1/rules", all},
		{"GET", "/api/v1/rules/briefers", all},
		{"POST", "/api/v1/rules/briefers", []string{"secretariat"}},
		// DTG topics: round 999999 does not exist, so these rows check the
		// route's permission alone (404 and 422 are allowed).
		{"GET", "/en/topics", all},
		{"POST", "/en/topics", []string{"secretariat", "chair"}},
		{"GET", "/en/topics/999999", all},
		{"POST", "/en/topics/999999/suggestions", []string{"secretariat", "chair", "delegate"}},
		{"POST", "/en/topics/999999/survey", []string{"secretariat", "chair"}},
		{"POST", "/en/topics/999999/ballots", []string{"secretariat", "delegate"}},
		{"POST", "/en/topics/999999/proposal", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/topics", all},
		{"POST", "/api/v1/topics", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/topics/999999", all},
		{"POST", "/api/v1/topics/999999/suggestions", []string{"secretariat", "chair", "delegate"}},
		{"POST", "/api/v1/topics/999999/survey", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/topics/999999/ballots", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/topics/999999/tally", all},
		{"POST", "/api/v1/topics/999999/proposal", []string{"secretariat", "chair"}},
		// Agendas: 999999 does not exist, so those rows check the
		// permission alone (404 is allowed); GM-2026-1 is the demo session.
		{"GET", "/en/agendas", all},
		{"GET", "/en/agendas/new", []string{"secretariat", "chair"}},
		{"POST", "/en/agendas", []string{"secretariat", "chair"}},
		{"GET", "/en/agendas/999999", all},
		{"GET", "/en/agendas/999999/edit", []string{"secretariat", "chair"}},
		{"POST", "/en/agendas/999999", []string{"secretariat", "chair"}},
		{"POST", "/en/agendas/999999/adoption", []string{"secretariat", "chair"}},
		{"GET", "/en/sessions/GM-2026-1", all},
		{"GET", "/en/sessions/GM-2026-1/diff", all},
		{"GET", "/api/v1/agendas", all},
		{"POST", "/api/v1/agendas", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/agendas/999999", all},
		{"PUT", "/api/v1/agendas/999999", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/agendas/999999/adoption", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/sessions/GM-2026-1/agenda", all},
		{"GET", "/api/v1/sessions/GM-2026-1/diff", all},
		// Briefers: a State's nomination (a delegate for its own State, the
		// Secretariat for any); the Chair passes the route's permission
		// (it may nominate in its own name) but the service refuses it:
		// a briefer is always a State's nominee.
		{"GET", "/en/briefers", all},
		{"GET", "/en/briefers/new", []string{"secretariat", "delegate"}},
		{"POST", "/en/briefers", []string{"secretariat", "delegate"}},
		{"GET", "/en/briefers/999999", all},
		{"POST", "/en/briefers/999999/withdrawal", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/briefers", all},
		{"POST", "/api/v1/briefers", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/briefers/999999", all},
		{"GET", "/api/v1/briefers/999999/simulation", all},
		{"POST", "/api/v1/briefers/999999/withdrawal", []string{"secretariat", "delegate"}},
		// Meetings: the Secretariat keeps the calendar; the Chair passes
		// the route's permission (it manages its own consultations) and the
		// service checks the meeting's body.
		{"GET", "/en/meetings", all},
		{"GET", "/en/meetings/new", []string{"secretariat", "chair"}},
		{"POST", "/en/meetings", []string{"secretariat", "chair"}},
		{"GET", "/en/meetings/999999", all},
		{"GET", "/en/meetings/999999/edit", []string{"secretariat", "chair"}},
		{"POST", "/en/meetings/999999", []string{"secretariat", "chair"}},
		{"POST", "/en/meetings/999999/status", []string{"secretariat", "chair"}},
		{"GET", "/en/calendar.ics", all},
		{"GET", "/en/calendar/plenary.ics", all},
		{"GET", "/en/documents/feed.atom", all},
		{"GET", "/en/meetings/999999/feed.atom", all},
		{"GET", "/en/states/FRA/feed.atom", all},
		{"GET", "/en/sessions/GM-2026-1/items/item-5/feed.atom", all},
		{"GET", "/en/decisions/feed.atom", all},
		{"GET", "/api/v1/meetings", all},
		{"POST", "/api/v1/meetings", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/meetings/999999", all},
		{"PATCH", "/api/v1/meetings/999999", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/meetings/999999/status", []string{"secretariat", "chair"}},
		// Points of contact: the directory is the States' delegates' and
		// the Secretariat's; a State's nominations are its own (POC 999999
		// does not exist, so those rows check the route's permission
		// alone); ping rounds are the Secretariat's; the counts and the
		// acknowledgement link are everyone's.
		// The portal: needs and offers are read by everyone (a need kept
		// to States is not found by the others: the service's check, tested
		// in portal_test.go); a State's delegates post needs; delegates,
		// focal points and the Secretariat make offers; any signed-in
		// person may try to express interest, the service says whether
		// they are a side of the match.
		// Exercises: the list and an exercise's page are everyone's (what
		// each reader sees of it is tested in exercises_test.go); the
		// Secretariat and the Chair facilitate; delegates respond.
		{"GET", "/en/exercises", all},
		{"GET", "/en/exercises/new", []string{"secretariat", "chair"}},
		{"POST", "/en/exercises", []string{"secretariat", "chair"}},
		{"GET", "/en/exercises/999999", all},
		{"POST", "/en/exercises/999999/injects", []string{"secretariat", "chair"}},
		{"POST", "/en/exercises/999999/injects/1/responses", []string{"delegate"}},
		{"POST", "/en/exercises/999999/debrief", []string{"secretariat", "chair"}},
		{"POST", "/en/exercises/999999/lessons", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/exercises", all},
		{"POST", "/api/v1/exercises", []string{"secretariat", "chair"}},
		{"GET", "/api/v1/exercises/999999", all},
		{"POST", "/api/v1/exercises/999999/injects", []string{"secretariat", "chair"}},
		{"PUT", "/api/v1/exercises/999999/injects/1/response", []string{"delegate"}},
		{"PUT", "/api/v1/exercises/999999/debrief", []string{"secretariat", "chair"}},
		{"POST", "/api/v1/exercises/999999/lessons", []string{"secretariat", "chair"}},
		{"GET", "/en/portal", all},
		{"GET", "/en/portal/needs/new", []string{"delegate"}},
		{"POST", "/en/portal/needs", []string{"delegate"}},
		{"GET", "/en/portal/needs/999999", all},
		{"GET", "/en/portal/needs/999999/edit", []string{"delegate"}},
		{"POST", "/en/portal/needs/999999", []string{"delegate"}},
		{"POST", "/en/portal/needs/999999/interest", signedIn},
		{"GET", "/en/portal/offers", all},
		{"GET", "/en/portal/offers/new", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/portal/offers", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/en/portal/offers/999999", all},
		{"GET", "/en/portal/offers/999999/edit", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/portal/offers/999999", []string{"secretariat", "delegate", "focal-point"}},
		// Projects and events: read by everyone (a project kept to States
		// is checked in projects_test.go); entered by those who may offer;
		// edited by the project's parties, checked by the service.
		{"GET", "/en/portal/projects", all},
		{"GET", "/en/portal/projects/new", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/portal/projects", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/en/portal/projects/999999", all},
		{"GET", "/en/portal/projects/999999/edit", signedIn},
		{"POST", "/en/portal/projects/999999", signedIn},
		{"POST", "/en/portal/needs/999999/project", signedIn},
		{"GET", "/en/portal/events", all},
		{"GET", "/en/portal/events.ics", all},
		{"GET", "/en/portal/events/new", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/portal/events", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/en/portal/events/999999", all},
		{"GET", "/en/portal/events/999999/edit", []string{"secretariat", "delegate", "focal-point"}},
		{"POST", "/en/portal/events/999999", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/portal/principles", all},
		{"GET", "/api/v1/portal/projects", all},
		{"POST", "/api/v1/portal/projects", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/portal/projects/999999", all},
		{"PUT", "/api/v1/portal/projects/999999", signedIn},
		{"POST", "/api/v1/portal/needs/999999/projects", signedIn},
		{"GET", "/api/v1/portal/events", all},
		{"POST", "/api/v1/portal/events", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/portal/events/999999", all},
		{"PUT", "/api/v1/portal/events/999999", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/portal/areas", all},
		{"GET", "/api/v1/portal/needs", all},
		{"POST", "/api/v1/portal/needs", []string{"delegate"}},
		{"GET", "/api/v1/portal/needs/999999", all},
		{"PUT", "/api/v1/portal/needs/999999", []string{"delegate"}},
		{"GET", "/api/v1/portal/needs/999999/matches", all},
		{"POST", "/api/v1/portal/needs/999999/interests", signedIn},
		{"GET", "/api/v1/portal/offers", all},
		{"POST", "/api/v1/portal/offers", []string{"secretariat", "delegate", "focal-point"}},
		{"GET", "/api/v1/portal/offers/999999", all},
		{"PUT", "/api/v1/portal/offers/999999", []string{"secretariat", "delegate", "focal-point"}},
		// The Voluntary Fund: calls, awards and totals are public; the
		// Secretariat opens calls, screens, awards and disburses; a State's
		// delegates apply; reviews and reports are checked per application
		// (fund_test.go), so any signed-in user reaches them.
		{"GET", "/en/fund", all},
		{"GET", "/en/fund/calls/new", []string{"secretariat"}},
		{"POST", "/en/fund/calls", []string{"secretariat"}},
		{"GET", "/en/fund/calls/999999", all},
		{"GET", "/en/fund/calls/999999/edit", []string{"secretariat"}},
		{"POST", "/en/fund/calls/999999", []string{"secretariat"}},
		{"POST", "/en/fund/calls/999999/applications", []string{"delegate"}},
		{"GET", "/en/fund/applications/999999", all},
		{"POST", "/en/fund/applications/999999/screening", []string{"secretariat"}},
		{"POST", "/en/fund/applications/999999/reviews", signedIn},
		{"POST", "/en/fund/applications/999999/award", []string{"secretariat"}},
		{"POST", "/en/fund/applications/999999/disbursements", []string{"secretariat"}},
		{"POST", "/en/fund/applications/999999/reports", signedIn},
		{"GET", "/api/v1/fund", all},
		{"POST", "/api/v1/fund/calls", []string{"secretariat"}},
		{"GET", "/api/v1/fund/calls/999999", all},
		{"PUT", "/api/v1/fund/calls/999999", []string{"secretariat"}},
		{"POST", "/api/v1/fund/calls/999999/applications", []string{"delegate"}},
		{"GET", "/api/v1/fund/applications/999999", all},
		{"POST", "/api/v1/fund/applications/999999/screening", []string{"secretariat"}},
		{"POST", "/api/v1/fund/applications/999999/reviews", signedIn},
		{"POST", "/api/v1/fund/applications/999999/award", []string{"secretariat"}},
		{"POST", "/api/v1/fund/applications/999999/disbursements", []string{"secretariat"}},
		{"POST", "/api/v1/fund/applications/999999/reports", signedIn},
		// The norms checklist: read by everyone (a report kept to States is
		// "not found" or left out for the others: norms_test.go); a State's
		// speaking delegates and the Secretariat report (for FRA here).
		{"GET", "/en/norms", all},
		{"GET", "/en/norms/states/FRA", all},
		{"GET", "/en/norms/states/FRA/actions/a1", []string{"secretariat", "delegate"}},
		{"POST", "/en/norms/states/FRA/actions/a1", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/norms", all},
		{"GET", "/api/v1/norms/progress", all},
		{"GET", "/api/v1/norms/states/FRA", all},
		{"GET", "/api/v1/norms/states/FRA/actions/a1", all},
		{"PUT", "/api/v1/norms/states/FRA/actions/a1", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc", all},
		{"GET", "/en/poc/directory", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc/new", []string{"secretariat", "delegate"}},
		{"POST", "/en/poc", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc/contacts/999999/edit", []string{"secretariat", "delegate"}},
		{"POST", "/en/poc/contacts/999999", []string{"secretariat", "delegate"}},
		{"POST", "/en/poc/contacts/999999/remove", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc/rounds/new", []string{"secretariat"}},
		{"POST", "/en/poc/rounds", []string{"secretariat"}},
		{"GET", "/en/poc/rounds/999999", all},
		{"POST", "/en/poc/rounds/999999/open", []string{"secretariat"}},
		{"POST", "/en/poc/rounds/999999/close", []string{"secretariat"}},
		{"GET", "/en/poc/ack", all},
		{"POST", "/en/poc/ack", all},
		{"GET", "/api/v1/poc", all},
		{"GET", "/api/v1/poc/directory", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc", []string{"secretariat", "delegate"}},
		{"GET", "/api/v1/poc/contacts/999999", []string{"secretariat", "delegate"}},
		{"PUT", "/api/v1/poc/contacts/999999", []string{"secretariat", "delegate"}},
		{"DELETE", "/api/v1/poc/contacts/999999", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc/rounds", []string{"secretariat"}},
		{"GET", "/api/v1/poc/rounds/999999", all},
		{"POST", "/api/v1/poc/rounds/999999/open", []string{"secretariat"}},
		{"POST", "/api/v1/poc/rounds/999999/close", []string{"secretariat"}},
		{"POST", "/api/v1/poc/ack", all},
		// The message log between POCs: the States' delegates and the
		// Secretariat read (a thread not theirs is not found); only a
		// delegate sends in its State's name; the Secretariat records
		// bounces. The templates are public.
		{"GET", "/en/poc/messages", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc/messages/new", []string{"delegate"}},
		{"POST", "/en/poc/messages", []string{"delegate"}},
		{"GET", "/en/poc/messages/999999", []string{"secretariat", "delegate"}},
		{"POST", "/en/poc/messages/999999/reply", []string{"secretariat", "delegate"}},
		{"POST", "/en/poc/messages/999999/ack", []string{"secretariat", "delegate"}},
		{"GET", "/en/poc/bounces/new", []string{"secretariat"}},
		{"POST", "/en/poc/bounces", []string{"secretariat"}},
		{"GET", "/api/v1/poc/templates", all},
		{"GET", "/api/v1/poc/messages", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc/messages", []string{"delegate"}},
		{"GET", "/api/v1/poc/messages/999999", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc/messages/999999/replies", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc/messages/999999/ack", []string{"secretariat", "delegate"}},
		{"POST", "/api/v1/poc/bounces", []string{"secretariat"}},
		// Two-factor sign-in: the second step is anyone's (it answers
		// 401 without a pending sign-in), the set-up each account's own.
		{"GET", "/en/login/code", all},
		{"POST", "/en/login/code", all},
		{"GET", "/en/account/two-factor", signedIn},
		{"POST", "/en/account/two-factor/start", signedIn},
		{"POST", "/en/account/two-factor/confirm", signedIn},
		{"POST", "/en/account/two-factor/recovery", signedIn},
		{"POST", "/en/account/two-factor/disable", signedIn},
		{"GET", "/api/v1/me/two-factor", signedIn},
		{"POST", "/api/v1/me/two-factor", signedIn},
		{"POST", "/api/v1/me/two-factor/confirm", signedIn},
		{"POST", "/api/v1/me/two-factor/disable", signedIn},
		{"POST", "/api/v1/me/two-factor/recovery-codes", signedIn},
		{"GET", "/en/account/passkeys", signedIn},
		{"POST", "/en/account/passkeys", signedIn},
		{"POST", "/en/account/passkeys/1/remove", signedIn},
		{"POST", "/en/login/passkey", all},
		{"POST", "/en/login/code/passkey", all},
		{"GET", "/api/v1/me/passkeys", signedIn},
		{"POST", "/api/v1/me/passkeys/options", signedIn},
		{"POST", "/api/v1/me/passkeys", signedIn},
		{"DELETE", "/api/v1/me/passkeys/1", signedIn},
		{"POST", "/api/v1/login/passkey/options", all},
		{"POST", "/api/v1/login/passkey", all},
		// Last: signing out ends each role's session.
		{"POST", "/en/logout", signedIn},
	}
	if en.orgID == 1 {
		t.Fatal("test assumes the focal point's organisation is not organisation 1")
	}
	// Not found stays not found for those allowed to look.
	for _, p := range []string{"/en/states/XXX/edit", "/en/organizations/999999/edit"} {
		if resp, _ := en.get("secretariat", p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as secretariat: %d, want 404", p, resp.StatusCode)
		}
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.method+" "+pattern(strings.SplitN(c.path, "?", 2)[0])] = true
		for _, role := range roles {
			allowed := contains(c.allowed, role)
			ct := "application/x-www-form-urlencoded"
			if strings.HasPrefix(c.path, "/api/") {
				ct = "application/json"
			}
			body := ""
			if c.method != "GET" {
				body = "{}"
				if ct != "application/json" {
					body = "x=1"
				}
			}
			resp, _ := en.do(role, c.method, c.path, ct, body)
			// POST /login answers 401 to wrong credentials, and the code
			// step without a pending sign-in: that is the route working,
			// not a permission refusal.
			unauthorized := resp.StatusCode == http.StatusUnauthorized && c.path != "/en/login" && c.path != "/en/login/code" &&
				!strings.HasSuffix(c.path, "/passkey") // a sign-in with no passkey answer
			denied := resp.StatusCode == http.StatusForbidden || unauthorized ||
				(resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "/login?"))
			if allowed && denied {
				t.Errorf("%s %s as %q: status %d, want allowed", c.method, c.path, role, resp.StatusCode)
			}
			if !allowed && !denied {
				t.Errorf("%s %s as %q: status %d, want denied", c.method, c.path, role, resp.StatusCode)
			}
			if !allowed && role != "" && resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %q: status %d, want 403", c.method, c.path, role, resp.StatusCode)
			}
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s as %q: status %d", c.method, c.path, role, resp.StatusCode)
			}
		}
	}
	// Every route of both surfaces must appear in the table above.
	s := app.RouteList()
	for _, r := range s {
		if !covered[r] {
			t.Errorf("route %s is not in the permission matrix", r)
		}
	}
}

// pattern turns a concrete test path into the route pattern it exercises.
func pattern(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		switch {
		case s == "en":
			segs[i] = "{lang}"
		case i > 0 && segs[i-1] == "injects":
			segs[i] = "{no}"
		case i > 0 && (segs[i-1] == "members" || segs[i-1] == "people" || segs[i-1] == "delegates"):
			segs[i] = "{user}"
		case len(s) == 3 && strings.ToUpper(s) == s && i > 0 && (segs[i-1] == "states" || segs[i-1] == "delegations"):
			segs[i] = "{iso3}"
		case s != "" && strings.Trim(s, "0123456789") == "":
			segs[i] = "{id}"
		case i > 0 && segs[i-1] == "windows":
			segs[i] = "{id}"
		case i > 0 && slices.Contains([]string{"groups", "regional-groups", "classification-schemes", "rules", "sessions"}, segs[i-1]):
			segs[i] = "{code}"
		case i > 1 && segs[i-1] == "users" && segs[i-2] == "v1":
			segs[i] = "{username}"
		case i > 0 && segs[i-1] == "cofacilitators" && strings.HasPrefix(s, "DTG-"):
			segs[i] = "{dtg}"
		case i > 0 && segs[i-1] == "calendar":
			segs[i] = "{file}"
		case i > 1 && segs[i-2] == "topics" && i+1 < len(segs) && segs[i+1] == "positions":
			segs[i] = "{topic}"
		case i > 2 && segs[i-1] == "actions" && segs[i-3] == "states":
			segs[i] = "{action}"
		case i > 2 && segs[i-1] == "items" && segs[i-3] == "sessions":
			segs[i] = "{item}"
		}
	}
	return strings.Join(segs, "/")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
