package apply_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// counter is a test aggregate: a number, the steps that saw it, and whether
// Load read inside the transaction.
type counter struct {
	N     int
	Steps []string
	InTx  bool
}

// write counts up once, auditing, noticing FRA under dedupe, refusing with
// allow or change when given, and records what Mail got (and puts it in
// the outbox).
func write(dedupe string, allow, change error, sent *[]store.Notice) apply.Write[counter] {
	return apply.Write[counter]{
		Load: func(r store.Reader, now time.Time) (counter, error) {
			return counter{Steps: []string{"load"}, InTx: r.InTx()}, nil
		},
		Allow: func(v counter) error { return allow },
		Change: func(v *counter, now time.Time) error {
			v.N++
			v.Steps = append(v.Steps, "change")
			return change
		},
		Save: func(tx *store.Tx, v *counter) error {
			v.Steps = append(v.Steps, "save")
			return tx.Audit("test.count", "counter", "1", nil, v.N, true)
		},
		Notices: func(v counter) []store.Notice {
			return []store.Notice{{State: "FRA", Key: "notice.deadline_soon", Link: "/", Dedupe: dedupe}}
		},
		Mail: func(tx *store.Tx, added []store.Notice) error {
			*sent = append(*sent, added...)
			for _, n := range added {
				if _, err := tx.Enqueue(store.Mail{Dedupe: "notice:" + n.Dedupe, To: []string{"fra@example.org"}, Subject: "s", Text: "t"}); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// TestWriteRuns checks the order of the steps, that Load reads inside the
// transaction, and that notices and their mails are kept with a commit
// only, once each.
func TestWriteRuns(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var sent []store.Notice
		head, _ := db.AuditHead(ctx)
		v, err := write("n1", nil, nil, &sent).Run(ctx, db)
		if err != nil || v.N != 1 || !v.InTx || !slices.Equal(v.Steps, []string{"load", "change", "save"}) {
			t.Fatalf("run: %+v %v", v, err)
		}
		if len(sent) != 1 || sent[0].Dedupe != "n1" {
			t.Fatalf("sent %+v, want the one notice recorded", sent)
		}
		if h, _ := db.AuditHead(ctx); h != head+1 {
			t.Errorf("audit head %d, want %d", h, head+1)
		}

		// The same notice again is recorded once and sent once.
		sent = nil
		if _, err := write("n1", nil, nil, &sent).Run(ctx, db); err != nil || len(sent) != 0 {
			t.Errorf("repeat: sent %+v %v", sent, err)
		}

		// A refusal by the permission or the transition keeps and sends
		// nothing.
		head, _ = db.AuditHead(ctx)
		forbidden := concord.Errorf(concord.EForbidden, "", "error.forbidden", "no")
		for _, w := range []apply.Write[counter]{write("n2", forbidden, nil, &sent), write("n3", nil, forbidden, &sent)} {
			if _, err := w.Run(ctx, db); !errors.Is(err, forbidden) {
				t.Errorf("refusal: %v", err)
			}
		}
		// A dry run (a confirmation page) reaches the commit and keeps
		// nothing either: the mail it enqueued is rolled back with it.
		sent = nil
		dry := &store.DryRun{}
		if _, err := write("n4", nil, nil, &sent).Run(store.WithDryRun(ctx, dry), db); !errors.Is(err, store.ErrDryRun) || !dry.Reached() {
			t.Errorf("dry run: %v", err)
		}
		if h, _ := db.AuditHead(ctx); h != head {
			t.Errorf("a refused write kept something: head %d (was %d)", h, head)
		}
		if _, err := db.MailByDedupe(ctx, "notice:n4"); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("the dry run's mail is in the outbox: %v", err)
		}
		if m, err := db.MailByDedupe(ctx, "notice:n1"); err != nil || m.Status != store.MailPending {
			t.Errorf("the committed write's mail: %+v %v", m, err)
		}
	})
}

// TestGiven checks the Load of a write that reads nothing.
func TestGiven(t *testing.T) {
	v, err := apply.Given(42)(store.Reader{}, time.Time{})
	if v != 42 || err != nil {
		t.Errorf("%v %v", v, err)
	}
}

// A notice's email words it with all its arguments: the appointed
// delegation manager's name, not "<no value>"; a count as a number.
func TestNoticeMailArguments(t *testing.T) {
	_, body, err := apply.NoticeMail("en", store.Notice{Key: "notice.delegation_manager", Args: map[string]string{"Username": "mgr-fra"}, Link: "/delegations/FRA"}, "https://c.test")
	if err != nil || !strings.Contains(body, "mgr-fra was appointed manager") {
		t.Errorf("delegation manager notice: %v %q", err, body)
	}
	if d := store.NoticeData(map[string]string{"Count": "3", "Deadline": "x"}); d["Count"] != 3 || d["Deadline"] != "x" {
		t.Errorf("NoticeData: %v", d)
	}
	if d := store.NoticeData(nil); d != nil {
		t.Errorf("NoticeData without arguments: %v", d)
	}
}
