package rule

import (
	"concord"
	"concord/agenda"
	"concord/briefer"
	"concord/decision"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRuleInForce(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC) }
	a1, a2, a3 := agenda.DefaultPolicy(), agenda.DefaultPolicy(), agenda.DefaultPolicy()
	a2.Modality = decision.ModalityChairDecision
	vs := []Version{
		{Code: CodeAgenda, Version: 1, Effective: d(1), Agenda: &a1},
		{Code: CodeAgenda, Version: 2, Effective: d(10), Agenda: &a2},
		{Code: CodeAgenda, Version: 3, Effective: d(10), Agenda: &a3}, // same instant: the later version wins
	}
	for _, c := range []struct {
		at   time.Time
		want int // 0: none
	}{{d(1).Add(-time.Nanosecond), 0}, {d(1), 1}, {d(10).Add(-time.Nanosecond), 1}, {d(10), 3}, {d(20), 3}} {
		v, ok := InForce(vs, CodeAgenda, c.at)
		if got := map[bool]int{false: 0, true: v.Version}[ok]; got != c.want {
			t.Errorf("at %s: version %d, want %d", c.at, got, c.want)
		}
	}
	if _, ok := InForce(vs, CodeBriefers, d(20)); ok {
		t.Error("a rule with no versions is in force")
	}
	if h := History(vs, CodeAgenda); len(h) != 3 || h[0].Version != 3 {
		t.Errorf("history %v", h)
	}
}

func TestRuleVersionValidate(t *testing.T) {
	b := briefer.DefaultPolicy()
	bad := b
	bad.Confirmation = "vote"
	for name, v := range map[string]Version{
		"unknown code":   {Code: "quorum", Briefers: &b},
		"no policy":      {Code: CodeBriefers},
		"wrong policy":   {Code: CodeAgenda, Briefers: &b},
		"two policies":   {Code: CodeBriefers, Briefers: &b, Agenda: &agenda.Policy{}},
		"invalid policy": {Code: CodeBriefers, Briefers: &bad},
		"long note":      {Code: CodeBriefers, Briefers: &b, Note: concord.Text{"en": strings.Repeat("x", noteMax+1)}},
		"note language":  {Code: CodeBriefers, Briefers: &b, Note: concord.Text{"xx": "?"}},
	} {
		if v.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestDefaultRulesAndTerms checks the defaults are valid, stamped, and
// summarised only with declared catalogue keys.
func TestDefaultRulesAndTerms(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	vs := Defaults(at)
	keys := TermKeys()
	for _, code := range Codes {
		v, ok := InForce(vs, code, at)
		if !ok {
			t.Fatalf("%s: no default", code)
		}
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", code, err)
		}
		terms := v.Terms()
		if len(terms) < 2 {
			t.Errorf("%s: %d terms", code, len(terms))
		}
		for _, tm := range terms {
			if !slices.Contains(keys, tm.Label) || (tm.Value != "" && !slices.Contains(keys, tm.Value)) || (tm.Value == "" && tm.Raw == "") {
				t.Errorf("%s: term %+v uses an undeclared key or has no value", code, tm)
			}
		}
	}
	if p := vs[0].Agenda; p == nil || p.Version != 1 || !p.Effective.Equal(at) || p.Code != CodeAgenda {
		t.Errorf("agenda default not stamped: %+v", p)
	}
}
