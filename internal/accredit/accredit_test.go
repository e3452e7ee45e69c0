package accredit_test

import (
	"concord/accreditation"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/notify"
	"concord/internal/notify/smtptest"
	"concord/internal/outbox"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

// clock is a settable clock for the store (and so the service).
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type fixture struct {
	svc             *accredit.Service
	db              *store.DB
	clk             *clock
	sec, chair      *concord.User
	fra, deu, focal *concord.User
	org, org2       concord.Organization
	mail            *smtptest.Server
	outbox          *outbox.Sender
}

// setupTime is when the fixture's story starts.
var setupTime = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// demo is the demo seeded at setupTime once per test binary and engine; a
// test copies it, and setup's own seed then finds the data there.
var demo = storetest.NewTemplate("demo at setupTime", func(ctx context.Context, db *store.DB) error {
	db.Now = func() time.Time { return setupTime }
	return seed.Demo(ctx, db)
})

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, clk: &clock{setupTime}}
	db.Now = f.clk.now
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	f.mail = smtptest.Start(t)
	f.svc = &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Email: true, BaseURL: "https://concord.test"}
	f.outbox = &outbox.Sender{DB: db, Mail: notify.SMTP{Addr: f.mail.Addr, From: "Concord <noreply@concord.test>"}, Log: f.svc.Log}
	orgs, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.ECOSOC == "" && f.org.ID == 0 {
			f.org = o
		} else if o.ECOSOC == "" && f.org2.ID == 0 {
			f.org2 = o
		}
	}
	mk := func(u concord.User) *concord.User {
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			if err := tx.CreateUser(&u, "x"); err != nil || u.Email == "" {
				return err
			}
			return tx.VerifyEmail(u.ID, u.Email) // notices go to verified addresses only
		}); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	f.sec = mk(concord.User{Username: "sec", Role: concord.RoleSecretariat})
	f.chair = mk(concord.User{Username: "chair", Role: concord.RoleChair})
	f.fra = mk(concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA", Email: "fra@mission.test"})
	f.deu = mk(concord.User{Username: "deu", Role: concord.RoleDelegate, State: "DEU"})
	f.focal = mk(concord.User{Username: "focal", Role: concord.RoleFocalPoint, OrgID: f.org.ID, Email: "focal@ngo.test"})
	return f
}

func code(err error) string { return concord.ErrorCode(err) }

func TestRoundEndToEnd(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		w, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-10", ClosesDate: "2026-03-25"}); code(err) != concord.EInvalid && code(err) != concord.EConflict {
			t.Errorf("overlapping window: %v", err)
		}
		if _, err := f.svc.CreateWindow(ctx, f.focal, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2027-03-01", ClosesDate: "2027-03-20"}); code(err) != concord.EForbidden {
			t.Errorf("focal point opened a window: %v", err)
		}
		a, err := f.svc.Apply(ctx, f.focal, w.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Apply(ctx, f.focal, w.ID, 0); code(err) != concord.EConflict {
			t.Errorf("second application in one window: %v", err)
		}
		withLetter, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "letter.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		content := accreditation.Content{Purpose: concord.Text{"en": "Cyber capacity in East Africa."}, Programmes: concord.Text{"en": "CERT training."},
			UNHistory: concord.Text{"en": "IGF since 2010."}, Letter: withLetter.Content.Letter}
		if _, err := f.svc.Edit(ctx, f.focal, a.ID, content); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, f.focal, a.ID, accredit.ActSubmit, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, f.sec, a.ID, accredit.ActReturn, []string{"Please add your funding sources."}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, f.focal, a.ID, accredit.ActResubmit, nil); err != nil {
			t.Fatal(err)
		}
		// A second organisation applies with no objection to come.
		focal2 := &concord.User{Role: concord.RoleFocalPoint, OrgID: f.org2.ID, ID: 999}
		b, err := f.svc.Apply(ctx, focal2, w.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		withLetter2, err := f.svc.UploadLetter(ctx, focal2, b.ID, "letter.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		content2 := content
		content2.Letter = withLetter2.Content.Letter
		if _, err := f.svc.Edit(ctx, focal2, b.ID, content); code(err) != concord.EInvalid {
			t.Errorf("another organisation's letter accepted: %v", err)
		}
		if _, err := f.svc.Edit(ctx, focal2, b.ID, content2); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, focal2, b.ID, accredit.ActSubmit, nil); err != nil {
			t.Fatal(err)
		}
		// Circulation needs the window closed.
		if _, err := f.svc.Circulate(ctx, f.sec, w.ID); code(err) != concord.EConflict {
			t.Errorf("circulated an open window: %v", err)
		}
		f.clk.t = time.Date(2026, 3, 23, 15, 0, 0, 0, time.UTC)
		n, err := f.svc.Circulate(ctx, f.sec, w.ID)
		if err != nil || n != 2 {
			t.Fatalf("circulate: %d, %v", n, err)
		}
		if _, err := f.svc.Edit(ctx, f.focal, a.ID, content); code(err) != concord.EConflict {
			t.Errorf("edit after circulation: %v", err)
		}
		w, _ = f.db.AccreditationWindow(ctx, w.ID)
		loc, _ := f.svc.Location(ctx)
		if got := w.ObjectionDeadline.In(loc).Format("15:04"); got != "18:00" {
			t.Errorf("deadline %s local, want 18:00 New York", got)
		}
		// Objections.
		if _, err := f.svc.Object(ctx, f.chair, a.ID, ""); code(err) != concord.EForbidden {
			t.Errorf("chair objected: %v", err)
		}
		if _, err := f.svc.Object(ctx, f.fra, a.ID, "Not relevant to ICT security."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Object(ctx, f.fra, a.ID, "again"); code(err) != concord.EConflict {
			t.Errorf("second objection: %v", err)
		}
		if _, err := f.svc.WithdrawObjection(ctx, f.fra, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Object(ctx, f.deu, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		// Before the deadline nothing is decided.
		if n, err := f.svc.DecideDue(ctx, ""); err != nil || n != 0 {
			t.Errorf("decided before the deadline: %d %v", n, err)
		}
		// At the deadline exactly: late.
		f.clk.t = w.ObjectionDeadline
		if _, err := f.svc.Object(ctx, f.fra, b.ID, ""); code(err) != concord.EConflict {
			t.Errorf("objection at the deadline: %v", err)
		}
		n, err = f.svc.DecideDue(ctx, "")
		if err != nil || n != 2 {
			t.Fatalf("decide at the deadline: %d, %v", n, err)
		}
		if n, _ := f.svc.DecideDue(ctx, ""); n != 0 {
			t.Errorf("second decision changed %d", n)
		}
		got, _ := f.db.GetApplication(ctx, a.ID)
		if got.Status != accreditation.ApplicationBlocked {
			t.Errorf("objected application: %s, want blocked", got.Status)
		}
		got, _ = f.db.GetApplication(ctx, b.ID)
		if got.Status != accreditation.ApplicationAccredited {
			t.Errorf("unobjected application: %s, want accredited", got.Status)
		}
		// Notices: in the inbox always, by email to those with an address.
		inbox, err := f.db.Inbox(ctx, "FRA", 0, 50)
		if err != nil || len(inbox) == 0 || inbox[len(inbox)-1].Key != "notice.circulated_state" {
			t.Errorf("FRA inbox: %+v %v", inbox, err)
		}
		// The Secretariat is told of applications to screen and of
		// objections; the Chair of objections as the disclosure rule lets
		// it know of them; neither names the objecting State.
		for _, c := range []struct {
			u    *concord.User
			want map[string]int
		}{
			{f.sec, map[string]int{"notice.to_screen": 3, "notice.objection_received": 2}}, // two submissions and a resubmission
			{f.chair, map[string]int{"notice.to_screen": 0, "notice.objection_received": 2}},
		} {
			ns, err := f.db.InboxFor(ctx, *c.u, 100)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, n := range ns {
				// The demo's own round sent some too: count this round's.
				if n.Link == fmt.Sprintf("/accreditation/applications/%d", a.ID) || n.Link == fmt.Sprintf("/accreditation/applications/%d", b.ID) {
					got[n.Key]++
				}
			}
			for k, n := range c.want {
				if got[k] != n {
					t.Errorf("%s inbox: %d %s, want %d", c.u.Role, got[k], k, n)
				}
			}
		}
		mine, _ := f.db.Inbox(ctx, "", f.org.ID, 50)
		keys := map[string]bool{}
		for _, n := range mine {
			keys[n.Key] = true
		}
		for _, k := range []string{"notice.returned", "notice.circulated_applicant", "notice.blocked"} {
			if !keys[k] {
				t.Errorf("applicant inbox lacks %s", k)
			}
		}
		// The notices' emails wait in the outbox, written with them.
		if _, err := f.outbox.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		var toFRA, toFocal int
		for _, m := range f.mail.Messages() {
			for _, r := range m.To {
				switch r {
				case "fra@mission.test":
					toFRA++
				case "focal@ngo.test":
					toFocal++
				}
			}
		}
		if toFRA != 1 || toFocal != 3 {
			t.Errorf("emails: %d to FRA (want 1: circulated), %d to the focal point (want 3)", toFRA, toFocal)
		}
		// The public procedural log never names who objected.
		entries, _, err := f.db.ListAudit(ctx, 200, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Action, "object") && e.Public {
				t.Errorf("objection entry %d is public under to_chair disclosure", e.Seq)
			}
		}
		if err := f.db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestECOSOCImportAndUpload(t *testing.T) {
	t.Parallel()
	f := setup(t, demo.Open(t, store.SQLite))
	n, err := f.svc.ImportECOSOC(ctx, f.sec, strings.NewReader("id,name,category\nD1,Access Now,special\nD2,Internet Society,general\n"))
	if err != nil || n != 2 {
		t.Fatalf("import: %d %v", n, err)
	}
	for _, bad := range []string{"", "nom,catégorie\nX,special\n", "id,name,category\nD1,X,platinum\n", "id,name,category\nD1,X\n",
		"name,category\nX,special\n", "id,name,category\n,X,special\n", "id,name,category\nD 1,X,special\n", "id,name,category\nD1,X,special\nD1,Y,roster\n"} {
		if _, err := f.svc.ImportECOSOC(ctx, f.sec, strings.NewReader(bad)); code(err) != concord.EInvalid {
			t.Errorf("bad CSV %q: %v", bad, err)
		}
	}
	if size, _ := f.db.ECOSOCListSize(ctx); size != 2 {
		t.Errorf("a bad import changed the list: %d entries", size)
	}
	if _, err := f.svc.ImportECOSOC(ctx, f.chair, strings.NewReader("name,category\n")); code(err) != concord.EForbidden {
		t.Errorf("chair imported: %v", err)
	}
	w, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.svc.Apply(ctx, f.focal, w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	got, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "../../letter.pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.db.GetDocument(ctx, docID(t, got.Content.Letter))
	if err != nil || d.Name != "letter.pdf" || d.ContentType != "application/pdf" || d.ApplicationID != a.ID {
		t.Fatalf("upload: %+v %v", d, err)
	}
	if _, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "x.pdf", []byte("just text, named .pdf")); code(err) != concord.EUnsupported {
		t.Errorf("text as PDF: %v", err)
	}
	if _, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "big.pdf", append(pdf, make([]byte, accredit.MaxUpload)...)); code(err) != concord.ETooLarge {
		t.Errorf("oversized upload: %v", err)
	}
	// A delegate cannot see a draft, let alone upload to it.
	if _, err := f.svc.UploadLetter(ctx, f.fra, a.ID, "x.pdf", pdf); code(err) != concord.ENotFound {
		t.Errorf("delegate uploaded for an organisation: %v", err)
	}
}

// docID is the document a letter reference names.
func docID(t *testing.T, letter string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(letter, 10, 64)
	if err != nil {
		t.Fatalf("letter %q: %v", letter, err)
	}
	return id
}

// TestUploadQuotaPerApplication: the upload quota counts the files of the
// application they were uploaded for, not everything its organisation
// uploaded since the application was created: an organisation applying in
// two windows open at once fills one application's quota without touching
// the other's. A document cannot be stored without an existing
// application, on either engine.
func TestUploadQuotaPerApplication(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		plenary, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		conf, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopeReviewConference, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.Apply(ctx, f.focal, plenary.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.svc.Apply(ctx, f.focal, conf.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.4\n%%EOF\n")
		for range accredit.MaxDocuments {
			if _, err := f.svc.UploadLetter(ctx, f.focal, b.ID, "letter.pdf", pdf); err != nil {
				t.Fatal(err)
			}
		}
		var ce *concord.Error
		if _, err := f.svc.UploadLetter(ctx, f.focal, b.ID, "letter.pdf", pdf); !errors.As(err, &ce) || ce.Key != "error.upload_quota" {
			t.Errorf("upload over the quota: %v", err)
		}
		if err := f.svc.LetterEditable(ctx, f.focal, a.ID); err != nil {
			t.Errorf("the other application is refused: %v", err)
		}
		got, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "letter.pdf", pdf)
		if err != nil {
			t.Fatalf("the other application's upload: %v", err)
		}
		if d, err := f.db.GetDocument(ctx, docID(t, got.Content.Letter)); err != nil || d.ApplicationID != a.ID {
			t.Errorf("document %+v %v, want application %d", d, err, a.ID)
		}
		// A letter uploaded for one application is not the other's, though
		// the organisation is the same.
		other := got.Content
		if _, err := f.svc.Edit(ctx, f.focal, b.ID, other); !errors.As(err, &ce) || ce.Field != "letter" {
			t.Errorf("application %d took the letter uploaded for application %d: %v", b.ID, a.ID, err)
		}
		if _, err := f.svc.Edit(ctx, f.focal, a.ID, other); err != nil {
			t.Errorf("application %d keeps its own letter: %v", a.ID, err)
		}
		for id, want := range map[int64]int{a.ID: 1, b.ID: accredit.MaxDocuments} {
			if n, err := f.db.ApplicationDocuments(ctx, id); err != nil || n != want {
				t.Errorf("application %d: %d documents (%v), want %d", id, n, err, want)
			}
		}
		// No orphans: the schema refuses a document without an application,
		// or for one that does not exist.
		for _, app := range []int64{0, 1 << 40} {
			err := db.Update(ctx, "system", func(tx *store.Tx) error {
				return tx.AddDocument(&store.Document{OrgID: f.org.ID, ApplicationID: app, Name: "x.pdf", ContentType: "application/pdf", Size: 4, SHA256: "x", Data: pdf})
			})
			if err == nil {
				t.Errorf("document for application %d stored", app)
			}
		}
		if err := f.db.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestSchedulerDecidesWithoutAnyoneLooking runs the scheduler loop and moves
// the clock past the deadline: the round is decided with no request.
func TestSchedulerDecidesWithoutAnyoneLooking(t *testing.T) {
	t.Parallel()
	f := setup(t, demo.Open(t, store.SQLite))
	w, err := f.svc.CreateWindow(ctx, f.sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, OpensDate: "2026-03-01", ClosesDate: "2026-03-20"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.svc.Apply(ctx, f.focal, w.ID, 0)
	content := accreditation.Content{Purpose: concord.Text{"en": "p"}, Programmes: concord.Text{"en": "p"}, UNHistory: concord.Text{"en": "p"}, Letter: "999"}
	if _, err := f.svc.Edit(ctx, f.focal, a.ID, content); code(err) != concord.EInvalid {
		t.Errorf("letter that is not the organisation's document: %v", err)
	}
	withLetter, err := f.svc.UploadLetter(ctx, f.focal, a.ID, "letter.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	content.Letter = withLetter.Content.Letter
	if _, err := f.svc.Edit(ctx, f.focal, a.ID, content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Act(ctx, f.focal, a.ID, accredit.ActSubmit, nil); err != nil {
		t.Fatal(err)
	}
	f.clk.t = time.Date(2026, 3, 21, 12, 0, 0, 0, time.UTC)
	if _, err := f.svc.Circulate(ctx, f.sec, w.ID); err != nil {
		t.Fatal(err)
	}
	w, _ = f.db.AccreditationWindow(ctx, w.ID)
	f.clk.t = w.ObjectionDeadline.Add(time.Second)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.svc.Run(runCtx, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got, _ := f.db.GetApplication(ctx, a.ID); got.Status == accreditation.ApplicationAccredited {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got, _ := f.db.GetApplication(ctx, a.ID); got.Status != accreditation.ApplicationAccredited {
		t.Errorf("scheduler left the application %s", got.Status)
	}
}

// TestWriteOnUnknownApplication: a write on an application that does not
// exist is "not found", like one the user may not see (the application and
// its window are read in one statement).
func TestWriteOnUnknownApplication(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		if _, err := f.svc.Object(ctx, f.fra, 987654, "Concerns."); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("objection: %v, want not found", err)
		}
		if _, err := f.svc.Act(ctx, f.sec, 987654, accredit.ActReturn, []string{"More."}); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("return: %v, want not found", err)
		}
	})
}
