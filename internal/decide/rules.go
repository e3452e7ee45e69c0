package decide

import (
	"concord/rule"
	"context"
	"time"

	"concord"
	"concord/internal/store"
)

// Rules returns every version of every procedure rule, oldest first.
func (s *Service) Rules(ctx context.Context) ([]rule.Version, error) {
	return s.DB.RuleVersions(ctx, s.Process)
}

// RuleAt returns the version of code in force at t.
func (s *Service) RuleAt(ctx context.Context, code string, t time.Time) (rule.Version, error) {
	vs, err := s.DB.RuleVersions(ctx, s.Process)
	if err != nil {
		return rule.Version{}, err
	}
	return ruleAt(vs, code, t)
}

// TxRuleAt is RuleAt inside a transaction.
func (s *Service) TxRuleAt(tx *store.Tx, code string, t time.Time) (rule.Version, error) {
	vs, err := tx.RuleVersions(s.Process)
	if err != nil {
		return rule.Version{}, err
	}
	return ruleAt(vs, code, t)
}

func ruleAt(vs []rule.Version, code string, t time.Time) (rule.Version, error) {
	v, ok := rule.InForce(vs, code, t)
	if !ok {
		return v, concord.Errorf(concord.EConflict, "rule", "procrule.error.none", "no version of the rule %q is in force yet", code)
	}
	return v, nil
}

// AddRule records a new version of a procedure rule (Secretariat only),
// effective from v.Effective or now. Like the accreditation rules, a version
// never takes effect in the past: subjects already put forward keep the
// version they ran under, and a backdated version would change the record.
func (s *Service) AddRule(ctx context.Context, u *concord.User, v rule.Version) (rule.Version, error) {
	if !concord.Can(u, concord.ActManageRules, concord.Target{}) {
		return v, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Secretariat records the rules")
	}
	now := s.DB.Now()
	if v.Effective.IsZero() {
		v.Effective = now
	} else if v.Effective.Before(now.Add(-time.Minute)) {
		return v, concord.Errorf(concord.EInvalid, "effective_from", "error.policy_backdated", "a policy version cannot take effect in the past")
	}
	err := s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.AddRuleVersion(s.Process, &v) })
	return v, err
}
