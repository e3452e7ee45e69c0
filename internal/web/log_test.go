package web_test

import (
	"bytes"
	"concord/accreditation"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/store"

	"golang.org/x/mod/sumdb/tlog"
)

// publicLog is /api/v1/log as a reader gets it.
type publicLog struct {
	Items []struct {
		Seq        *int64
		At, Day    string
		Action     string
		ObjectType string `json:"object_type"`
		ObjectID   string `json:"object_id"`
		Actor      string
		Redacted   bool
		Hash       string
		PrevHash   *string `json:"prev_hash"`
	}
	Total        int
	Confidential []struct {
		Day   string
		Count int
	}
}

func readPublicLog(t *testing.T, en *env) publicLog {
	t.Helper()
	return readLog(t, en, "")
}

// readLog is the log as role reads it through the API.
func readLog(t *testing.T, en *env, role string) publicLog {
	t.Helper()
	resp, body := en.get(role, "/api/v1/log?limit=200")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("public log: %d %s", resp.StatusCode, excerpt(body))
	}
	var l publicLog
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// hiddenObjection opens a round under the "hidden" disclosure level, in
// which France's delegate objects to one application through the page, and
// returns the application's id.
func hiddenObjection(t *testing.T, en *env) int64 {
	t.Helper()
	clk, a := circulatedApplication(t, en, accreditation.ObjectionsHidden)
	clk.set(time.Date(2026, 5, 5, 9, 30, 17, 123456000, time.UTC))
	path := "/en/accreditation/applications/" + strconv.FormatInt(a, 10) + "/objection"
	redirected(t, "object")(en.postForm("delegate", path, url.Values{"basis": {"A basis"}}))
	return a
}

// circulatedApplication opens a 2026 window (under disclosure, when given),
// has the Tech Accord apply with a letter and submit, and circulates it on
// 4 May: France's delegate may then object. It returns the test clock and
// the application's id.
func circulatedApplication(t *testing.T, en *env, disclosure accreditation.ObjectionDisclosure) (*testClock, int64) {
	t.Helper()
	clk := useClock(en, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	svc := &accredit.Service{DB: en.db, Process: concord.DefaultProcessCode}
	sec := &concord.User{ID: userID(t, en, "sec"), Role: concord.RoleSecretariat}
	if disclosure != "" {
		p := accreditation.DefaultPolicy(concord.DefaultProcessCode, clk.now())
		p.Disclosure, p.Source = disclosure, "Test decision"
		if _, err := svc.SetPolicy(ctx, sec, p); err != nil {
			t.Fatal(err)
		}
	}
	w, err := svc.CreateWindow(ctx, sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, Cycle: 2026, OpensDate: "2026-04-01", ClosesDate: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	clk.set(time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC))
	org := orgNamed(t, en, "Tech Accord")
	a, err := svc.Apply(ctx, sec, w.ID, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	la, err := svc.UploadLetter(ctx, sec, a.ID, "letter.pdf", tinyPDF)
	if err != nil {
		t.Fatal(err)
	}
	c := accreditation.Content{Purpose: concord.Text{"en": "Purpose"}, Letter: la.Content.Letter}
	if _, err := svc.Edit(ctx, sec, a.ID, c); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, sec, a.ID, accredit.ActSubmit, nil); err != nil {
		t.Fatal(err)
	}
	clk.set(time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC))
	if _, err := svc.Circulate(ctx, sec, w.ID); err != nil {
		t.Fatal(err)
	}
	return clk, a.ID
}

// TestPublicLogResistsGuessing plays the attacker of the public log: it
// tries to recover a sign-in by brute force and to attribute a hidden
// objection to the State whose delegate filed it. Both used to work: a
// confidential entry showed its time to the microsecond and a hash over
// fields a reader can guess.
func TestPublicLogResistsGuessing(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	appID := hiddenObjection(t, en)

	// A delegate signs in, with a real password, through the login form.
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	u := concord.User{Username: "del-ita", Role: concord.RoleDelegate, State: "ITA"}
	if err := en.db.Update(ctx, concord.Actor(nil), func(tx *store.Tx) error { return tx.CreateUser(&u, hash) }); err != nil {
		t.Fatal(err)
	}
	before := readPublicLog(t, en)
	resp, body := en.postForm("", "/en/login", url.Values{"username": {"del-ita"}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", resp.StatusCode, excerpt(body))
	}
	after := readPublicLog(t, en)
	// Sign-ins and account changes are not on the public log at all: not
	// even as a redacted row or a gap in the sequence.
	if after.Total != before.Total {
		t.Errorf("a sign-in added %d entries to the public log", after.Total-before.Total)
	}
	users, err := en.db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// The attacker's guesses for every redacted entry: every user, every
	// action on accounts and objections, every object id up to 100. For the
	// objection, the attacker is given more than the page shows: the exact
	// time and the digests of the application before and after, taken from
	// the database. Only the salt is missing.
	full := map[int64]audit.Entry{}
	for e, err := range en.db.AuditEntries(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		full[e.Seq] = e
	}
	for _, it := range after.Items {
		if it.Redacted || it.Seq != nil || it.PrevHash != nil {
			t.Errorf("public log lists a confidential entry or a position: %+v", it)
		}
		if it.Actor == "user:"+strconv.FormatInt(u.ID, 10) || strings.HasPrefix(it.Action, "session.") || strings.HasPrefix(it.Action, "user.") {
			t.Errorf("public log shows an account entry: %+v", it)
		}
	}
	// The public gets no hash of a confidential entry at all now; should
	// one reach a reader (an auditor's copy of the full log), the salt
	// still keeps it from being decoded.
	redacted, objection := 0, false
	for _, it := range readLog(t, en, "secretariat").Items {
		truth := full[*it.Seq]
		if truth.Public {
			continue
		}
		redacted++
		published, err := hex.DecodeString(it.Hash)
		if err != nil {
			t.Fatal(err)
		}
		prev, _ := hex.DecodeString(*it.PrevHash)
		if truth.Action == "accreditation.object" && truth.ObjectID == strconv.FormatInt(appID, 10) {
			objection = true
		}
		day, err := time.Parse(time.DateOnly, it.Day)
		if err != nil {
			t.Fatalf("redacted entry %d: day %q", it.Seq, it.Day)
		}
		if !day.Equal(audit.Day(truth.At)) {
			t.Errorf("confidential entry %d: day %s, want %s", *it.Seq, it.Day, truth.At)
		}
		guess := audit.Entry{Seq: *it.Seq, PrevHash: prev}
		for _, who := range users {
			guess.Actor = concord.Actor(&who)
			// A sign-in: nothing but the user and the time.
			for _, action := range []string{"session.create", "session.delete", "user.password"} {
				for _, at := range []time.Time{day, truth.At} {
					g := guess
					g.Action, g.ObjectType, g.ObjectID, g.At = action, "user", strconv.FormatInt(who.ID, 10), at
					g.Seal(prev)
					if bytes.Equal(g.Hash, published) {
						t.Errorf("entry %d decoded: %s by %s", *it.Seq, action, g.Actor)
					}
				}
			}
			// The objection: everything but the salt.
			g := truth
			g.Actor, g.Salt = guess.Actor, nil
			g.Seal(prev)
			if bytes.Equal(g.Hash, published) {
				t.Errorf("entry %d attributed: %s by %s (State %s)", *it.Seq, truth.Action, g.Actor, who.State)
			}
		}
	}
	if redacted == 0 || !objection {
		t.Fatalf("the full log shows %d confidential entries, objection among them %v: nothing to attack", redacted, objection)
	}

	// The page shows no exact time for a confidential entry either.
	_, page := en.get("", "/en/log")
	if strings.Contains(page, "09:30:17") {
		t.Error("the log page shows the time of the hidden objection")
	}

	// The redacted log still verifies: chain links and the signed checkpoint.
	if err := en.db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	// The live checkpoint, as a reader of the full log gets it (the public
	// gets the log as of the last midnight: TestPublicCheckpointByDay).
	resp, note := en.get("secretariat", "/audit/checkpoint")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("checkpoint: %d", resp.StatusCode)
	}
	vkey, err := en.db.VerifierKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := audit.VerifyCheckpoint(vkey, note)
	if err != nil {
		t.Fatal(err)
	}
	// A reader of the full log rebuilds the signed root from its hashes
	// alone. (The public cannot: the leaves' order would date the
	// confidential entries among the public ones.)
	var stored []tlog.Hash
	reader := audit.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	var leaves [][]byte
	for off := 0; int64(len(leaves)) < tree.N; off += 200 {
		_, body := en.get("secretariat", "/api/v1/log?limit=200&offset="+strconv.Itoa(off))
		var l publicLog
		if err := json.Unmarshal([]byte(body), &l); err != nil || len(l.Items) == 0 {
			t.Fatalf("public log at %d: %v", off, err)
		}
		for _, it := range l.Items {
			h, _ := hex.DecodeString(it.Hash)
			leaves = append([][]byte{h}, leaves...)
		}
	}
	for i, h := range leaves[int64(len(leaves))-tree.N:] {
		hs, err := audit.StoredHashesFor(int64(i), h, reader)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
	}
	root, err := tlog.TreeHash(tree.N, reader)
	if err != nil || root != tree.Hash {
		t.Errorf("root rebuilt from the public log %v (%v), checkpoint says %v", root, err, tree.Hash)
	}
}

// TestLogPageReadable: the log says what happened in sentences in the
// page's language, not raw codes; confidential entries are one count per
// day; it filters by kind, subject and days, on the page and in the API.
func TestLogPageReadable(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	appID := hiddenObjection(t, en)
	app := strconv.FormatInt(appID, 10)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// Every sentence and kind exists in the six catalogues.
	for _, lang := range concord.Languages {
		for _, id := range audit.TextIDs() {
			if cat.T(lang, id, map[string]any{"ID": "1"}) == id {
				t.Errorf("%s: no message %s", lang, id)
			}
		}
	}

	for _, lang := range concord.Languages {
		_, body := en.get("", "/"+lang+"/log")
		if strings.Contains(body, "decision.position") || strings.Contains(body, "accreditation.circulated") || strings.Contains(body, "<table") {
			t.Errorf("%s log shows raw action codes or a table: %s", lang, excerpt(body))
		}
		if want := en.msg(lang, "log.filter.kind"); !strings.Contains(body, want) {
			t.Errorf("%s log has no kind filter %q", lang, want)
		}
	}
	_, body := en.get("", "/ar/log")
	if want := cat.T("ar", "log.do.accreditation.circulated", map[string]any{"ID": app}); !strings.Contains(body, want) {
		t.Errorf("Arabic log does not say %q", want)
	}

	// The hidden objection of 5 May is a count on that day, not a row,
	// once the day is over.
	_, body = en.get("", "/en/log?from=2026-05-05&to=2026-05-05")
	count := cat.T("en", "log.confidential_count", map[string]any{"Count": 1})
	if strings.Contains(body, count) {
		t.Errorf("5 May, during the day: the count is published: %s", excerpt(body))
	}
	en.db.Now = func() time.Time { return time.Date(2026, 5, 6, 0, 0, 1, 0, time.UTC) }
	_, body = en.get("", "/en/log?from=2026-05-05&to=2026-05-05")
	if i := strings.Index(body, `<ul class="log">`); i < 0 || !strings.Contains(body, `<time datetime="2026-05-05">`) ||
		!strings.Contains(body, count) || strings.Count(body[i:], "<li") != 1 {
		t.Errorf("5 May as the public: want one line, %q: %s", count, excerpt(body))
	}
	// The Secretariat sees the entry itself.
	_, body = en.get("secretariat", "/en/log?from=2026-05-05&to=2026-05-05")
	if want := "Objection to application " + app + " filed"; !strings.Contains(body, want) || strings.Contains(body, "confidential entry") {
		t.Errorf("5 May as the Secretariat: want %q: %s", want, excerpt(body))
	}

	// Filters.
	_, body = en.get("", "/en/log?kind=accreditation")
	if !strings.Contains(body, "Application "+app+" circulated to States") || strings.Contains(body, "added to the registry") || strings.Contains(body, "confidential entr") {
		t.Errorf("kind=accreditation: %s", excerpt(body))
	}
	_, body = en.get("", "/en/log?subject=accreditation_application/"+app)
	for _, want := range []string{"Application " + app + " started", "Application " + app + " submitted", "Application " + app + " circulated to States", `href="/en/accreditation/applications/` + app + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("subject=application %s: no %q", app, want)
		}
	}
	if strings.Contains(body, "Objection to application") || strings.Contains(body, "Accreditation window") {
		t.Errorf("subject=application %s shows other subjects or the hidden objection: %s", app, excerpt(body))
	}
	_, body = en.get("", "/en/log?from=2026-04-02&to=2026-04-02")
	if !strings.Contains(body, "Application "+app+" submitted") || strings.Contains(body, "circulated to States") {
		t.Errorf("2 April: %s", excerpt(body))
	}
	for _, q := range []string{"kind=nothing", "from=tomorrow", "subject=Bad/1"} {
		if resp, _ := en.get("", "/en/log?"+q); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("/en/log?%s: status %d, want 422", q, resp.StatusCode)
		}
	}

	// The API twin takes the same filters.
	_, body = en.get("", "/api/v1/log?subject=accreditation_application/"+app+"&lang=fr")
	var l publicLog
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, it := range l.Items {
		if it.Redacted || it.ObjectID != app {
			t.Errorf("API subject filter: %+v", it)
		}
		texts = append(texts, it.Action)
	}
	if len(l.Items) < 3 || !strings.Contains(body, "Demande "+app+" déposée") {
		t.Errorf("API subject filter in French: %v %s", texts, excerpt(body))
	}
}

// TestLogPageFollowsAccountChanges: the log names actors by their account's
// role, which only the account log records; a cached page must not outlive
// a role change.
func TestLogPageFollowsAccountChanges(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	hiddenObjection(t, en)
	path := "/en/log?kind=accreditation&from=2026-04-02&to=2026-04-02"
	_, body := en.get("", path)
	if want := "By " + en.msg("en", "role.secretariat"); !strings.Contains(body, want) {
		t.Fatalf("no %q: %s", want, excerpt(body))
	}
	if err := en.db.Update(ctx, concord.Actor(nil), func(tx *store.Tx) error { return tx.SetRole("sec", concord.RoleChair, "", 0) }); err != nil {
		t.Fatal(err)
	}
	_, body = en.get("", path)
	if want := "By " + en.msg("en", "role.chair"); !strings.Contains(body, want) {
		t.Errorf("after the role change, no %q: %s", want, excerpt(body))
	}
}

// TestPublicLogOrderRevealsOnlyTheDay: a hidden objection filed between two
// public acts of 5 May, or after both, leaves the same public log, in the
// API and on the page, during the day and after it: no position, no
// previous hash, no row among the public ones, and a count that appears
// only once the day is over. Only the hashes of public entries differ (they
// chain over everything), and the public cannot recompute them.
func TestPublicLogOrderRevealsOnlyTheDay(t *testing.T) {
	t.Parallel()
	world := func(objectionAt time.Time) (api, page []string) {
		en := newEnv(t, store.SQLite)
		clk, a := circulatedApplication(t, en, accreditation.ObjectionsHidden)
		public := func(at time.Time, name string) {
			t.Helper()
			clk.set(at)
			o := concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": name}}
			if err := en.db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateOrganization(&o) }); err != nil {
				t.Fatal(err)
			}
		}
		object := func() {
			clk.set(objectionAt)
			path := "/en/accreditation/applications/" + strconv.FormatInt(a, 10) + "/objection"
			redirected(t, "object")(en.postForm("delegate", path, url.Values{"basis": {"A basis"}}))
		}
		nine, ten := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC), time.Date(2026, 5, 5, 10, 0, 0, 0, time.UTC)
		public(nine, "Before Org")
		if objectionAt.Before(ten) {
			object()
			public(ten, "After Org")
		} else {
			public(ten, "After Org")
			object()
		}
		// The hashes of public entries chain over everything, and the test
		// accounts are made in another order in each world.
		hashes, users := regexp.MustCompile(`"hash":"[0-9a-f]{64}"`), regexp.MustCompile(`"actor":"user:[0-9]+"`)
		for _, now := range []time.Time{time.Date(2026, 5, 5, 23, 59, 0, 0, time.UTC), time.Date(2026, 5, 6, 0, 0, 1, 0, time.UTC)} {
			clk.set(now)
			_, body := en.get("", "/api/v1/log?limit=200")
			api = append(api, users.ReplaceAllString(hashes.ReplaceAllString(body, `"hash":""`), `"actor":"user"`))
			_, body = en.get("", "/en/log")
			page = append(page, body)
		}
		return api, page
	}
	api1, page1 := world(time.Date(2026, 5, 5, 9, 30, 17, 0, time.UTC))
	api2, page2 := world(time.Date(2026, 5, 5, 11, 45, 0, 0, time.UTC))
	for i, when := range []string{"during 5 May", "after 5 May"} {
		if d := firstDiff(api1[i], api2[i]); d != "" {
			t.Errorf("%s: the public API tells where in the day the objection was: %s", when, d)
		}
		if d := firstDiff(page1[i], page2[i]); d != "" {
			t.Errorf("%s: the public page tells where in the day the objection was: %s", when, d)
		}
	}
	if strings.Contains(api1[0], `"day":"2026-05-05","count"`) || !strings.Contains(api1[1], `{"day":"2026-05-05","count":1}`) {
		t.Errorf("the count of 5 May is not published once, at the end of the day:\n%s\n%s", api1[0], api1[1])
	}
}

// firstDiff shows where a and b first differ, or "" when they are equal.
func firstDiff(a, b string) string {
	if a == b {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("at byte %d:\n%s\n%s", i, a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}
