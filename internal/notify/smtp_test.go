package notify

import (
	"strings"
	"testing"

	"concord/internal/notify/smtptest"
)

func TestSendOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	c := SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}
	err := c.Send(Message{To: []string{"focal@ngo.test", "Délégation <fra@mission.test>"}, Subject: "Liste diffusée — objection avant le 1er mars",
		Body: "Bonjour,\nla liste est diffusée.\n.\nFin"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages received", len(got))
	}
	m := got[0]
	if m.From != "noreply@concord.test" || len(m.To) != 2 || m.To[1] != "fra@mission.test" {
		t.Errorf("envelope %+v", m)
	}
	if !strings.Contains(m.Data, "Subject: =?utf-8?q?") || !strings.Contains(m.Data, "la liste est diffusée.\r\n.\r\nFin") {
		t.Errorf("data:\n%s", m.Data)
	}
	if err := (SMTP{}).Send(Message{To: []string{"a@b.c"}}); err == nil {
		t.Error("unconfigured SMTP sent")
	}
	if err := c.Send(Message{To: []string{"not an address"}}); err == nil {
		t.Error("bad recipient accepted")
	}
}
