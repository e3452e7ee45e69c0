package web_test

import (
	"concord"
	"concord/cofacilitator"
	"concord/rule"
	"context"
	"net/url"
	"strings"
	"testing"

	"concord/internal/store"
)

// TestCoFacilitatorCheck: a balanced pair passes; a pair from one regional
// group, both developed, fails and says why; a missing name comes back with
// the form.
func TestCoFacilitatorCheck(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	q := url.Values{"dtg": {"DTG-1"}, "person1": {"Amina Diallo"}, "state1": {"SEN"}, "gender1": {"female"}, "expertise1": {"CERT"},
		"person2": {"Jonas Berg"}, "state2": {"NOR"}, "gender2": {"male"}, "expertise2": {"norms"}}
	resp, body := en.get("", "/en/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "cofac.balanced")) {
		t.Errorf("balanced pair: %d", resp.StatusCode)
	}
	q.Set("state1", "FRA")
	q.Set("gender1", "male")
	resp, body = en.get("", "/ar/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("ar", "cofac.unbalanced")) || !strings.Contains(body, "verdict-fail") || !strings.Contains(body, "verdict-warning") {
		t.Errorf("France and Norway, two men: %d", resp.StatusCode)
	}
	q.Set("person2", "")
	resp, body = en.get("", "/en/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 422 || !strings.Contains(body, `id="person2-err"`) || !strings.Contains(body, `value="Amina Diallo"`) {
		t.Errorf("missing name: %d", resp.StatusCode)
	}
}

// TestCoFacilitatorCheckUsesRuleScheme: the checker counts developed and
// developing States under the scheme of the co-facilitator rule in force,
// not the process's, so it accepts the pair the Chair may propose under
// that rule (Republic of Korea, self-declared developing, with Norway) and
// says which scheme it used; the API twin agrees.
func TestCoFacilitatorCheckUsesRuleScheme(t *testing.T) {
	t.Parallel()
	en := newEnv(t, store.SQLite)
	ctx := context.Background()
	p := cofacilitator.DefaultPolicy()
	p.Scheme = concord.SchemeSelfDeclared
	v := rule.Version{Code: cofacilitator.RuleCode, Policy: &p, Note: concord.Text{"en": "self-declared"}}
	err := en.db.Update(ctx, "test", func(tx *store.Tx) error {
		if err := tx.SetSelfDeclared("KOR", concord.Developing); err != nil {
			return err
		}
		if err := tx.SetSelfDeclared("NOR", concord.Developed); err != nil {
			return err
		}
		return tx.AddRuleVersion(concord.DefaultProcessCode, &v)
	})
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"dtg": {"DTG-1"}, "person1": {"Kim Min-ji"}, "state1": {"KOR"}, "gender1": {"female"}, "expertise1": {"CERT"},
		"person2": {"Jonas Berg"}, "state2": {"NOR"}, "gender2": {"male"}, "expertise2": {"norms"}}
	resp, body := en.get("", "/en/cofacilitators/check?"+q.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, en.msg("en", "cofac.balanced")) || strings.Contains(body, "verdict-fail") {
		t.Errorf("Korea (self-declared developing) and Norway under the self-declared rule: %d", resp.StatusCode)
	}
	resp, body = en.do("", "POST", "/api/v1/cofacilitators/balance", "application/json",
		`{"dtg":"DTG-1","pair":[{"person":"Kim Min-ji","state":"KOR","gender":"female","expertise":["CERT"]},{"person":"Jonas Berg","state":"NOR","gender":"male","expertise":["norms"]}]}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"balanced":true`) || !strings.Contains(body, `"scheme":"self-declared"`) {
		t.Errorf("API: %d %s", resp.StatusCode, body)
	}
}
