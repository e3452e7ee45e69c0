package rule_test

import (
	"concord"
	"concord/agenda"
	"concord/briefer"
	"concord/decision"
	_ "concord/procedure"
	"concord/rule"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRuleInForce(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC) }
	a1, a2, a3 := agenda.DefaultPolicy(), agenda.DefaultPolicy(), agenda.DefaultPolicy()
	a2.Modality = decision.ModalityChairDecision
	vs := []rule.Version{
		{Code: agenda.RuleCode, Version: 1, Effective: d(1), Policy: &a1},
		{Code: agenda.RuleCode, Version: 2, Effective: d(10), Policy: &a2},
		{Code: agenda.RuleCode, Version: 3, Effective: d(10), Policy: &a3}, // same instant: the later version wins
	}
	for _, c := range []struct {
		at   time.Time
		want int // 0: none
	}{{d(1).Add(-time.Nanosecond), 0}, {d(1), 1}, {d(10).Add(-time.Nanosecond), 1}, {d(10), 3}, {d(20), 3}} {
		v, ok := rule.InForce(vs, agenda.RuleCode, c.at)
		if got := map[bool]int{false: 0, true: v.Version}[ok]; got != c.want {
			t.Errorf("at %s: version %d, want %d", c.at, got, c.want)
		}
	}
	if _, ok := rule.InForce(vs, briefer.RuleCode, d(20)); ok {
		t.Error("a rule with no versions is in force")
	}
	if h := rule.History(vs, agenda.RuleCode); len(h) != 3 || h[0].Version != 3 {
		t.Errorf("history %v", h)
	}
}

func TestRuleVersionValidate(t *testing.T) {
	b := briefer.DefaultPolicy()
	bad := b
	bad.Confirmation = "vote"
	var none *briefer.Policy
	for name, v := range map[string]rule.Version{
		"unknown code":   {Code: "quorum", Policy: &b},
		"no policy":      {Code: briefer.RuleCode},
		"nil policy":     {Code: briefer.RuleCode, Policy: none},
		"wrong policy":   {Code: agenda.RuleCode, Policy: &b},
		"invalid policy": {Code: briefer.RuleCode, Policy: &bad},
		"long note":      {Code: briefer.RuleCode, Policy: &b, Note: concord.Text{"en": strings.Repeat("x", 1001)}},
		"note language":  {Code: briefer.RuleCode, Policy: &b, Note: concord.Text{"xx": "?"}},
	} {
		if v.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if v := (rule.Version{Code: briefer.RuleCode, Policy: &b}); v.Validate() != nil {
		t.Errorf("valid version refused: %v", v.Validate())
	}
}

// TestDefaultRulesAndTerms checks the defaults are valid, stamped, and
// summarised only with declared catalogue keys.
func TestDefaultRulesAndTerms(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	vs := rule.Defaults(at)
	keys := rule.TermKeys()
	if codes := rule.Codes(); !slices.Equal(codes, []string{"agenda", "cofacilitators", "dtg-topics", "briefers", "fund-eligibility"}) {
		t.Errorf("codes %v", codes)
	}
	for _, code := range rule.Codes() {
		v, ok := rule.InForce(vs, code, at)
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
	if p, ok := vs[0].Policy.(*agenda.Policy); !ok || p.Version != 1 || !p.Effective.Equal(at) || p.Code != agenda.RuleCode {
		t.Errorf("agenda default not stamped: %+v", vs[0].Policy)
	}
}

// TestVersionJSON: a version is stored and served with its policy in the
// member its rule names, as before the rule became one generic type, and
// reads back to the same policy; a member of another rule is not read.
func TestVersionJSON(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range rule.Defaults(at) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := rule.KindOf(v.Code)
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil || members[k.Field] == nil || members["Code"] == nil || members["Policy"] != nil {
			t.Errorf("%s: %s", v.Code, b)
		}
		var back rule.Version
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if again, _ := json.Marshal(back); string(again) != string(b) || back.Validate() != nil {
			t.Errorf("%s: read back as %s", v.Code, again)
		}
	}
	// the stored form of a version written before: the policy member named
	// after the rule, in any case
	var old rule.Version
	if err := json.Unmarshal([]byte(`{"Code":"briefers","Version":2,"briefers":{"Confirmation":"consensus_per_briefer"},"Agenda":{"Modality":"consensus"}}`), &old); err != nil {
		t.Fatal(err)
	}
	if p, ok := old.Policy.(*briefer.Policy); !ok || p.Confirmation != briefer.Consensus || old.Version != 2 {
		t.Errorf("old form read as %+v", old)
	}
	var wrong rule.Version
	if err := json.Unmarshal([]byte(`{"Code":"agenda","Briefers":{"Confirmation":"consensus"}}`), &wrong); err != nil || wrong.Policy != nil || wrong.Validate() == nil {
		t.Errorf("another rule's member read: %+v", wrong)
	}
}
