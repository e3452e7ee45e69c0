package concord

import (
	"strconv"
	"strings"
)

// erasedPrefix starts the username of an erased account; no username a
// person chooses may start with it (User.Validate).
const erasedPrefix = "erased~"

// Erased reports whether u is an erased account: its personal data gone,
// its id, role, State and organisation kept so that the record still says
// in which capacity it acted ("a former delegate of France").
func (u User) Erased() bool { return strings.HasPrefix(u.Username, erasedPrefix) }

// Erase returns the account u becomes when its owner (or the Secretariat
// for them) deletes it: username replaced by a tombstone made of its id,
// name and address cleared, disabled. others is the number of other
// Secretariat accounts that can still sign in: the last one is refused,
// or nobody could manage the accounts any more.
func Erase(u User, others int) (User, error) {
	if u.Erased() {
		return u, Errorf(EConflict, "", "error.erased", "this account was already deleted")
	}
	if u.Role == RoleSecretariat && !u.Disabled && others == 0 {
		return u, Errorf(EConflict, "", "error.last_secretariat", "the last Secretariat account cannot be deleted")
	}
	out := u
	out.Username = erasedPrefix + strconv.FormatInt(u.ID, 10)
	out.Name, out.Email, out.EmailVerified, out.Disabled = "", "", false, true
	return out, nil
}
