package pocs_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"concord"
	"concord/internal/pocs"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/poc"
)

var gbr = &concord.User{ID: 6, Role: concord.RoleDelegate, State: "GBR"}

func incident(to string) pocs.MessageInput {
	return pocs.MessageInput{To: to, Template: poc.IncidentNotice, Lang: "en",
		Fields: map[string]string{"subject": "Ransomware at a hospital", "detected": "2026-05-30", "description": "Encrypted records.", "measures": " "}}
}

// TestMessages: France sends Germany's POCs an incident notification; it
// is emailed to each in its language and logged; Germany acknowledges and
// replies; the two States and the Secretariat read the thread, a third
// State, a stakeholder, the Chair and the public are told it does not
// exist; each State's list holds its own threads only.
func TestMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := setup(t, db)
		de1, _ := s.Nominate(ctx, deu, input("DEU", poc.Diplomatic, "d1@deu.test"))
		in := input("DEU", poc.Technical, "d2@deu.test")
		in.Languages = []string{"fr"}
		de2, _ := s.Nominate(ctx, deu, in)
		if _, err := s.Nominate(ctx, fra, input("FRA", poc.Diplomatic, "f1@fra.test")); err != nil {
			t.Fatal(err)
		}

		// Every problem at once; nothing saved.
		_, err := s.Send(ctx, fra, pocs.MessageInput{To: "FRA", Template: poc.RequestInformation, Lang: "en"})
		if got := keys(err); !slices.Equal(got, []string{"poc.error.to_self", "poc.error.field_required", "poc.error.field_required"}) {
			t.Errorf("bad message: %v", got)
		}
		if _, err := s.Send(ctx, fra, incident("XYZ")); !slices.Contains(keys(err), "poc.error.to") {
			t.Errorf("unknown State: %v", err)
		}
		for _, u := range []*concord.User{nil, sec, focal, chair} {
			if _, err := s.Send(ctx, u, incident("DEU")); concord.ErrorCode(err) != concord.EForbidden {
				t.Errorf("%v sends: %v", u, err)
			}
		}

		m, err := s.Send(ctx, fra, incident("DEU"))
		if err != nil || m.ID == 0 || m.Thread != m.ID || m.From != "FRA" || m.Mailed != 2 || m.SentBy != "" && m.SentBy != fra.Username {
			t.Fatalf("send %+v %v", m, err)
		}
		if _, ok := m.Fields["measures"]; ok {
			t.Error("a blank optional field was kept")
		}
		for _, p := range []poc.POC{de1, de2} {
			mail, err := db.MailByDedupe(ctx, "poc-message:"+strconv.FormatInt(m.ID, 10)+":"+strconv.FormatInt(p.ID, 10))
			if err != nil || !slices.Equal(mail.To, []string{p.Email}) || !strings.Contains(mail.Text, "Encrypted records.") {
				t.Fatalf("mail to %s: %+v %v", p.Email, mail, err)
			}
			if p.ID == de2.ID && !strings.Contains(mail.Text, "Description de l’incident") {
				t.Errorf("the French POC's mail is not in French: %s", mail.Text)
			}
		}
		if n, _ := db.Inbox(ctx, "DEU", 0, 10); len(n) != 1 || n[0].Key != "notice.poc_message" {
			t.Errorf("Germany's inbox %+v", n)
		}

		// Acknowledgement: the receiving State only, once.
		if _, err := s.AcknowledgeMessage(ctx, fra, m.ID); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("sender acknowledges: %v", err)
		}
		if _, err := s.AcknowledgeMessage(ctx, gbr, m.ID); err != concord.ErrNotFound {
			t.Errorf("third State acknowledges: %v", err)
		}
		a, err := s.AcknowledgeMessage(ctx, deu, m.ID)
		if err != nil || a.Acknowledged.IsZero() {
			t.Fatalf("ack %+v %v", a, err)
		}
		if _, err := s.AcknowledgeMessage(ctx, deu, m.ID); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("second ack: %v", err)
		}
		if n, _ := db.Inbox(ctx, "FRA", 0, 10); len(n) != 1 || n[0].Key != "notice.poc_message_ack" {
			t.Errorf("France's inbox %+v", n)
		}

		// Replies: both sides, not a third State.
		if _, err := s.Reply(ctx, gbr, m.ID, "me too", "en"); err != concord.ErrNotFound {
			t.Errorf("third State replies: %v", err)
		}
		if _, err := s.Reply(ctx, deu, m.ID, "", "en"); !slices.Contains(keys(err), "poc.error.field_required") {
			t.Errorf("empty reply: %v", err)
		}
		r, err := s.Reply(ctx, deu, m.ID, "We see it too.", "en")
		if err != nil || r.To != "FRA" || r.Thread != m.ID || r.Mailed != 1 {
			t.Fatalf("reply %+v %v", r, err)
		}

		// Reading: the two States and the Secretariat.
		for _, u := range []*concord.User{fra, deu, sec} {
			th, err := s.Thread(ctx, u, m.ID)
			if err != nil || len(th) != 2 || th[1].Fields["text"] != "We see it too." {
				t.Errorf("%s reads: %d %v", u.Role+concord.Role(u.State), len(th), err)
			}
			list, n, err := s.Threads(ctx, u)
			if err != nil || len(list) != 1 || n[m.ID] != 1 {
				t.Errorf("%v lists %d %v %v", u, len(list), n, err)
			}
		}
		for _, u := range []*concord.User{nil, gbr, focal, chair} {
			if _, err := s.Thread(ctx, u, m.ID); err != concord.ErrNotFound {
				t.Errorf("%v reads: %v", u, err)
			}
			if _, err := s.Thread(ctx, u, r.ID); err != concord.ErrNotFound {
				t.Errorf("%v reads the reply as a thread: %v", u, err)
			}
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
		if list, _, err := s.Threads(ctx, gbr); err != nil || len(list) != 0 {
			t.Errorf("a third State's list: %d %v", len(list), err)
		}
		for _, u := range []*concord.User{nil, focal, chair} {
			if _, _, err := s.Threads(ctx, u); concord.ErrorCode(err) != concord.EForbidden {
				t.Errorf("%v lists: %v", u, err)
			}
		}
	})
}

// TestBounces: the Secretariat (or its mail system) records a bounce; the
// POC and its unanswered ping in the open round are marked, its State is
// told; anyone else is refused; an unknown address records nothing; an
// edit by the State clears the mark.
func TestBounces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, c := setup(t, db)
		p, _ := s.Nominate(ctx, fra, input("FRA", poc.Diplomatic, "gone@fra.test"))
		if _, err := s.Nominate(ctx, fra, input("FRA", poc.Technical, "ok@fra.test")); err != nil {
			t.Fatal(err)
		}
		rd, err := s.Schedule(ctx, sec, pocs.RoundInput{Opens: c.t, Closes: c.t.Add(48 * 3600e9)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, sec, rd.ID); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*concord.User{nil, fra, focal, chair} {
			if _, err := s.RecordBounce(ctx, u, "gone@fra.test", "550"); concord.ErrorCode(err) != concord.EForbidden {
				t.Errorf("%v records a bounce: %v", u, err)
			}
		}
		if _, err := s.RecordBounce(ctx, sec, "", ""); len(keys(err)) != 2 {
			t.Errorf("empty bounce: %v", keys(err))
		}
		if _, err := s.RecordBounce(ctx, sec, "nobody@x.test", "550"); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("unknown address: %v", err)
		}
		marked, err := s.RecordBounce(ctx, sec, "GONE@fra.test", "550 5.1.1 no such user")
		if err != nil || len(marked) != 1 || marked[0].ID != p.ID {
			t.Fatalf("bounce %+v %v", marked, err)
		}
		got, _ := s.POC(ctx, sec, p.ID)
		if got.Bounced == nil || got.Bounced.Reason != "550 5.1.1 no such user" {
			t.Errorf("POC not marked: %+v", got.Bounced)
		}
		st, _ := s.StateResults(ctx, fra, rd.ID, "FRA")
		var bounced []string
		for _, x := range st.Pings {
			if !x.Bounced.IsZero() {
				bounced = append(bounced, x.Email)
			}
		}
		if !slices.Equal(bounced, []string{"gone@fra.test"}) {
			t.Errorf("bounced pings %v", bounced)
		}
		if n, _ := db.Inbox(ctx, "FRA", 0, 10); len(n) != 1 || n[0].Key != "notice.poc_bounced" {
			t.Errorf("France's inbox %+v", n)
		}
		e, err := s.Edit(ctx, fra, p.ID, input("FRA", poc.Diplomatic, "new@fra.test"))
		if err != nil || e.Bounced != nil {
			t.Errorf("edit keeps the bounce: %+v %v", e.Bounced, err)
		}
		// Every row written (the POC, the ping, the messages) matches its
		// log entry.
		if err := db.VerifyRows(ctx); err != nil {
			t.Error(err)
		}
	})
}
