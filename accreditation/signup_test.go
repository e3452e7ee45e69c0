package accreditation

import (
	"errors"
	"testing"

	"concord"
)

// TestCanApplyAfterSignup: an organisation that signed up itself applies
// once the Secretariat verified it and its focal point verified their
// address; both reasons are given at once; one the Secretariat registered
// passes.
func TestCanApplyAfterSignup(t *testing.T) {
	unverified := &concord.User{Role: concord.RoleFocalPoint, OrgID: 7}
	verified := &concord.User{Role: concord.RoleFocalPoint, OrgID: 7, EmailVerified: true}
	sec := &concord.User{Role: concord.RoleSecretariat}
	for _, c := range []struct {
		name             string
		self, orgChecked bool
		u                *concord.User
		want             []error
	}{
		{"registered by the Secretariat", false, false, unverified, nil},
		{"both verified", true, true, verified, nil},
		{"organisation pending", true, false, verified, []error{ErrOrgUnverified}},
		{"address unverified", true, true, unverified, []error{ErrEmailUnverified}},
		{"both missing", true, false, unverified, []error{ErrEmailUnverified, ErrOrgUnverified}},
		{"the Secretariat for a pending organisation", true, false, sec, []error{ErrOrgUnverified}},
	} {
		err := CanApplyAfterSignup(c.self, c.orgChecked, c.u)
		if (err == nil) != (len(c.want) == 0) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v lacks %v", c.name, err, w)
			}
		}
	}
}
