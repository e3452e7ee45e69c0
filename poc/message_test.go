package poc

import (
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
)

func errKeys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Field+":"+e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Field + ":" + e.Key}
	}
	return nil
}

// TestTemplatesAreData: every template and field is named in the six
// languages, field names are unique, and every template asks a subject.
func TestTemplatesAreData(t *testing.T) {
	all := append(slices.Clone(Templates), replyTemplate)
	for _, tp := range all {
		for _, l := range concord.Languages {
			if tp.Name[l] == "" {
				t.Errorf("%s: no name in %s", tp.Code, l)
			}
			if tp.Code != Reply && tp.Purpose[l] == "" {
				t.Errorf("%s: no purpose in %s", tp.Code, l)
			}
		}
		seen := map[string]bool{}
		for _, f := range tp.Fields {
			if seen[f.Name] {
				t.Errorf("%s: field %s twice", tp.Code, f.Name)
			}
			seen[f.Name] = true
			for _, l := range concord.Languages {
				if f.Label[l] == "" {
					t.Errorf("%s.%s: no label in %s", tp.Code, f.Name, l)
				}
			}
		}
		if tp.Code != Reply && !seen["subject"] {
			t.Errorf("%s: no subject", tp.Code)
		}
		if got, ok := TemplateOf(tp.Code); !ok || got.Code != tp.Code {
			t.Errorf("TemplateOf(%s)", tp.Code)
		}
	}
	if _, ok := TemplateOf("nope"); ok {
		t.Error("unknown template found")
	}
}

// TestMessageValidate reports every problem at once.
func TestMessageValidate(t *testing.T) {
	ok := Message{From: "FRA", To: "DEU", Template: IncidentNotice, Lang: "fr",
		Fields: map[string]string{"subject": "Rançongiciel", "detected": "2026-06-01", "description": "Un hôpital touché."}}
	cases := []struct {
		name string
		edit func(m *Message)
		want []string
	}{
		{"valid", func(*Message) {}, nil},
		{"to self", func(m *Message) { m.To = "FRA" }, []string{"to:poc.error.to_self"}},
		{"everything wrong", func(m *Message) {
			m.To, m.Lang = "", "xx"
			m.Fields = map[string]string{"detected": "1 June", "extra": "x", "subject": "a\nb"}
		}, []string{"to:poc.error.to", "lang:poc.error.lang", "extra:poc.error.field_unknown", "subject:poc.error.field_line",
			"detected:poc.error.field_date", "description:poc.error.field_required"}},
		{"unknown template", func(m *Message) { m.Template = "x" }, []string{"template:poc.error.template"}},
	}
	for _, c := range cases {
		m := ok
		m.Fields = map[string]string{}
		for k, v := range ok.Fields {
			m.Fields[k] = v
		}
		c.edit(&m)
		got := errKeys(m.Validate())
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", c.name, got, want)
		}
	}
}

// TestThread: a reply goes from one side to the other; a third State
// does not write in the thread; only the receiving State acknowledges,
// once; a reply is no first message.
func TestThread(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	first, err := Send(Message{ID: 7, From: "FRA", To: "DEU", Template: RequestInformation, Lang: "en",
		Fields: map[string]string{"subject": "Scan", "question": "Seen this?"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	first.ID, first.Thread = 7, 7
	r, err := Answer(first, "DEU", " Yes. ", "de", now)
	if got := errKeys(err); !slices.Equal(got, []string{"lang:poc.error.lang"}) {
		t.Errorf("reply in an unknown language: %v", got)
	}
	r, err = Answer(first, "DEU", " Yes. ", "en", now)
	if err != nil || r.From != "DEU" || r.To != "FRA" || r.Thread != 7 || r.Fields["text"] != "Yes." {
		t.Errorf("reply %+v %v", r, err)
	}
	if _, err := Answer(first, "GBR", "x", "en", now); concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("third State replies: %v", err)
	}
	if _, err := first.Acknowledge("FRA", "fra1", now); concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("sender acknowledges: %v", err)
	}
	a, err := first.Acknowledge("DEU", "deu1", now)
	if err != nil || !a.Acknowledged.Equal(now) || a.AckBy != "deu1" {
		t.Fatalf("ack %+v %v", a, err)
	}
	if _, err := a.Acknowledge("DEU", "deu2", now); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("second ack: %v", err)
	}
	if _, err := Send(r, now); err == nil {
		t.Error("a reply sent as a first message")
	}
}

// TestMessageAccess: the two States' delegates and the Secretariat see a
// message; a third State, a stakeholder, the Chair and the public do not;
// only a State's own delegates send in its name.
func TestMessageAccess(t *testing.T) {
	m := Message{From: "FRA", To: "DEU"}
	users := []struct {
		u          *concord.User
		see, sendF bool
	}{
		{nil, false, false},
		{&concord.User{Role: concord.RoleSecretariat}, true, false},
		{&concord.User{Role: concord.RoleDelegate, State: "FRA"}, true, true},
		{&concord.User{Role: concord.RoleDelegate, State: "DEU"}, true, false},
		{&concord.User{Role: concord.RoleDelegate, State: "GBR"}, false, false},
		{&concord.User{Role: concord.RoleFocalPoint, OrgID: 1}, false, false},
		{&concord.User{Role: concord.RoleChair}, false, false},
	}
	for _, c := range users {
		if got := CanSee(c.u, m); got != c.see {
			t.Errorf("%+v sees: %v", c.u, got)
		}
		if got := CanSendFrom(c.u, "FRA"); got != c.sendF {
			t.Errorf("%+v sends for FRA: %v", c.u, got)
		}
	}
}

// TestValidateBounce reports both problems at once.
func TestValidateBounce(t *testing.T) {
	if got := errKeys(ValidateBounce(Bounce{})); !slices.Equal(got, []string{"email:poc.error.email", "reason:poc.error.bounce_reason"}) {
		t.Errorf("got %v", got)
	}
	if err := ValidateBounce(Bounce{Email: "a@b.test", Reason: "550 no such user"}); err != nil {
		t.Error(err)
	}
}
