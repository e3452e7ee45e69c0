package concord

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRuleInForce(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC) }
	a1, a2, a3 := AgendaDefaultPolicy(), AgendaDefaultPolicy(), AgendaDefaultPolicy()
	a2.Modality = ModalityChairDecision
	vs := []RuleVersion{
		{Code: RuleAgenda, Version: 1, Effective: d(1), Agenda: &a1},
		{Code: RuleAgenda, Version: 2, Effective: d(10), Agenda: &a2},
		{Code: RuleAgenda, Version: 3, Effective: d(10), Agenda: &a3}, // same instant: the later version wins
	}
	for _, c := range []struct {
		at   time.Time
		want int // 0: none
	}{{d(1).Add(-time.Nanosecond), 0}, {d(1), 1}, {d(10).Add(-time.Nanosecond), 1}, {d(10), 3}, {d(20), 3}} {
		v, ok := RuleInForce(vs, RuleAgenda, c.at)
		if got := map[bool]int{false: 0, true: v.Version}[ok]; got != c.want {
			t.Errorf("at %s: version %d, want %d", c.at, got, c.want)
		}
	}
	if _, ok := RuleInForce(vs, RuleBriefers, d(20)); ok {
		t.Error("a rule with no versions is in force")
	}
	if h := RuleHistory(vs, RuleAgenda); len(h) != 3 || h[0].Version != 3 {
		t.Errorf("history %v", h)
	}
}

func TestRuleVersionValidate(t *testing.T) {
	b := BrieferDefaultPolicy()
	bad := b
	bad.Confirmation = "vote"
	for name, v := range map[string]RuleVersion{
		"unknown code":   {Code: "quorum", Briefers: &b},
		"no policy":      {Code: RuleBriefers},
		"wrong policy":   {Code: RuleAgenda, Briefers: &b},
		"two policies":   {Code: RuleBriefers, Briefers: &b, Agenda: &AgendaPolicy{}},
		"invalid policy": {Code: RuleBriefers, Briefers: &bad},
		"long note":      {Code: RuleBriefers, Briefers: &b, Note: Text{"en": strings.Repeat("x", ruleNoteMax+1)}},
		"note language":  {Code: RuleBriefers, Briefers: &b, Note: Text{"xx": "?"}},
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
	vs := DefaultRules(at)
	keys := RuleTermKeys()
	for _, code := range RuleCodes {
		v, ok := RuleInForce(vs, code, at)
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
	if p := vs[0].Agenda; p == nil || p.Version != 1 || !p.Effective.Equal(at) || p.Code != RuleAgenda {
		t.Errorf("agenda default not stamped: %+v", p)
	}
}
