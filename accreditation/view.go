package accreditation

import (
	"concord"
)

// CanView reports whether u may see application a at all: the Secretariat
// always; the applicant's focal points always; the Chair and co-facilitators
// once submitted; State delegates once circulated; everyone once it is (or
// was) accredited, and, under the public disclosure level, everyone also
// sees what was circulated, or "objections are public" would publish
// nothing. Pages and the API answer "not found" otherwise, so that the
// existence of an application is not disclosed either.
func CanView(u *concord.User, a Application, level ObjectionDisclosure) bool {
	if a.Status == ApplicationAccredited || a.Status == ApplicationExpired {
		return true
	}
	if level == ObjectionsPublic && !a.CirculatedAt.IsZero() {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	switch u.Role {
	case concord.RoleSecretariat:
		return true
	case concord.RoleFocalPoint:
		return u.OrgID != 0 && u.OrgID == a.OrgID
	case concord.RoleChair, concord.RoleCoFacilitator:
		return !a.SubmittedAt.IsZero()
	case concord.RoleDelegate:
		return !a.CirculatedAt.IsZero()
	}
	return false
}
