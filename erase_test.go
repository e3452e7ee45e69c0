package concord

import "testing"

func TestErase(t *testing.T) {
	fra := User{ID: 7, Username: "marie", Name: "Marie", Email: "m@example.org", EmailVerified: true, Role: RoleDelegate, State: "FRA"}
	sec := User{ID: 1, Username: "admin", Role: RoleSecretariat}
	for _, c := range []struct {
		name   string
		u      User
		others int
		key    string // the refusal's message id, "" when allowed
	}{
		{"a delegate", fra, 0, ""},
		{"the last Secretariat account", sec, 0, "error.last_secretariat"},
		{"a Secretariat account among others", sec, 1, ""},
		{"an account already erased", User{ID: 7, Username: "erased~7", Role: RoleDelegate, State: "FRA", Disabled: true}, 3, "error.erased"},
	} {
		got, err := Erase(c.u, c.others)
		if c.key != "" {
			if e, ok := err.(*Error); !ok || e.Key != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !got.Erased() || got.Name != "" || got.Email != "" || got.EmailVerified || !got.Disabled || got.ID != c.u.ID || got.Role != c.u.Role || got.State != c.u.State {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
	// Nobody may choose a tombstone as a username.
	u := User{Username: "erased~3", Role: RoleChair}
	if e, ok := u.Validate().(*Error); !ok || e.Key != "error.username_reserved" {
		t.Errorf("tombstone username accepted: %v", u.Validate())
	}
}
