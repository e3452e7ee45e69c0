package notify

import (
	"context"
	"strings"
	"testing"

	"concord/internal/notify/smtptest"
)

func TestSendOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	c := SMTP{Addr: srv.Addr, From: "Concord <noreply@concord.test>"}
	ctx := context.Background()
	err := c.SendOne(ctx, Message{To: []string{"focal@ngo.test", "Délégation <fra@mission.test>"}, Subject: "Liste diffusée — objection avant le 1er mars",
		Text: "Bonjour,\nla liste est diffusée.\n.\nFin <b>"})
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
	for _, want := range []string{"=?UTF-8?q?", "la liste est diffus=C3=A9e.\r\n.\r\nFin <b>", "Fin &lt;b&gt;", "multipart/alternative", "User-Agent: Concord\r\n"} {
		if !strings.Contains(m.Data, want) {
			t.Errorf("data lacks %q:\n%s", want, m.Data)
		}
	}
	if strings.Contains(m.Data, "List-Unsubscribe") {
		t.Error("List-Unsubscribe on a message one cannot decline")
	}
	if err := (SMTP{}).SendOne(ctx, Message{To: []string{"a@b.c"}}); err == nil {
		t.Error("unconfigured SMTP sent")
	}
	if err := c.SendOne(ctx, Message{To: []string{"not an address"}}); err == nil || !Permanent(err) {
		t.Errorf("bad recipient: %v, want a permanent error", err)
	}
	srv.Fail(smtptest.Fault{Reply: "550 5.1.1 no such user"}, smtptest.Fault{Reply: "451 later"})
	if err := c.SendOne(ctx, Message{To: []string{"a@b.c"}, Text: "x"}); !Permanent(err) {
		t.Errorf("550: %v, want permanent", err)
	}
	if err := c.SendOne(ctx, Message{To: []string{"a@b.c"}, Text: "x"}); err == nil || Permanent(err) {
		t.Errorf("451: %v, want temporary", err)
	}
}
