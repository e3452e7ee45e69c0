package decide

import (
	"concord/rule"
	"context"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
)

// Rules returns every version of every procedure rule, oldest first.
func (s *Service) Rules(ctx context.Context) ([]rule.Version, error) {
	return s.DB.RuleVersions(ctx, s.Process)
}

// RuleAt returns the version of code in force at t (RuleInForce through
// the pool).
func (s *Service) RuleAt(ctx context.Context, code string, t time.Time) (rule.Version, error) {
	v, _, err := RuleInForce[rule.Policy](s.DB.Read(ctx), s.Process, code, t)
	return v, err
}

// RuleInForce is the one way to the rule in force: the version of code in
// process at t, read through r (a write's Load reads it in its
// transaction), with its policy as P (a pointer policy type such as
// *topic.Policy). No version in force, or one of another type, is a
// conflict: nothing can be put forward under it.
func RuleInForce[P rule.Policy](r store.Reader, process, code string, t time.Time) (rule.Version, P, error) {
	vs, err := r.RuleVersions(process)
	if err != nil {
		var p P
		return rule.Version{}, p, err
	}
	return inForce[P](vs, code, t)
}

// inForce is RuleInForce on versions already read.
func inForce[P rule.Policy](vs []rule.Version, code string, t time.Time) (rule.Version, P, error) {
	var p P
	v, ok := rule.InForce(vs, code, t)
	if ok {
		p, ok = v.Policy.(P)
	}
	if !ok {
		return v, p, concord.Errorf(concord.EConflict, "rule", "procrule.error.none", "no version of the rule %q is in force yet", code)
	}
	return v, p, nil
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
	return apply.Write[rule.Version]{Actor: u,
		Load: apply.Given(v),
		Save: func(tx *store.Tx, v *rule.Version) error { return tx.AddRuleVersion(s.Process, v) }}.Run(ctx, s.DB)
}
