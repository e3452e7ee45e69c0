package concord

import (
	"testing"
	"time"
)

// Appointments grant their rights only in their term: before From and from
// Until on, the role, the management of a delegation or a group's voice is
// refused; a staff account with no appointment keeps an open term.
func TestCanAppointments(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	past := from.AddDate(0, -1, 0)
	during := from.AddDate(0, 6, 0)
	after := until
	term := func(p Post, scope string) []Appointment {
		return []Appointment{{Post: p, Scope: scope, From: from, Until: until}}
	}
	chair := func(at time.Time) *User {
		return &User{Role: RoleChair, Appointments: term(PostChair, ""), At: at}
	}
	sec := func(at time.Time) *User {
		return &User{Role: RoleSecretariat, Appointments: term(PostSecretariat, ""), At: at}
	}
	manager := func(at time.Time) *User {
		return &User{Role: RoleDelegate, State: "FRA", Appointments: term(PostDelegationManager, "FRA"), At: at}
	}
	speaker := func(at time.Time) *User {
		return &User{Role: RoleDelegate, State: "FRA", ReadOnly: true, Appointments: term(PostGroupSpeaker, "group-9"), At: at}
	}
	listener := &User{Role: RoleDelegate, State: "FRA", ReadOnly: true}
	fra := &User{Role: RoleDelegate, State: "FRA"}
	cases := []struct {
		name string
		u    *User
		a    Action
		t    Target
		want bool
	}{
		{"chair in term", chair(during), ActChairDecision, Target{}, true},
		{"chair before term", chair(past), ActChairDecision, Target{}, false},
		{"chair after term", chair(after), ActChairDecision, Target{}, false},
		{"chair after term keeps its account", chair(after), ActAccount, Target{}, false},
		{"chair without appointments", &User{Role: RoleChair}, ActChairDecision, Target{}, true},
		{"chair judged at no instant", chair(time.Time{}), ActChairDecision, Target{}, false},
		{"secretariat in term", sec(during), ActManageUsers, Target{}, true},
		{"secretariat term ended", sec(after), ActManageUsers, Target{}, false},
		{"secretariat future term", sec(past), ActAppoint, Target{}, false},
		{"secretariat appoints", sec(during), ActAppoint, Target{}, true},
		{"secretariat manages any delegation", sec(during), ActManageDelegation, Target{State: "DEU"}, true},
		{"manager own State", manager(during), ActManageDelegation, Target{State: "FRA"}, true},
		{"manager another State", manager(during), ActManageDelegation, Target{State: "DEU"}, false},
		{"manager before term", manager(past), ActManageDelegation, Target{State: "FRA"}, false},
		{"manager after term", manager(after), ActManageDelegation, Target{State: "FRA"}, false},
		{"manager no target", manager(during), ActManageDelegation, Target{}, true},
		{"delegate not a manager", fra, ActManageDelegation, Target{State: "FRA"}, false},
		{"chair not a manager", chair(during), ActManageDelegation, Target{State: "FRA"}, false},
		{"manager may not appoint", manager(during), ActAppoint, Target{}, false},
		{"delegate speaks", fra, ActTakePosition, Target{State: "FRA"}, true},
		{"read-only delegate takes no position", listener, ActTakePosition, Target{State: "FRA"}, false},
		{"read-only delegate no form", listener, ActTakePosition, Target{}, false},
		{"read-only delegate does not object", listener, ActObject, Target{State: "FRA"}, false},
		{"read-only delegate does not nominate", listener, ActNominate, Target{State: "FRA"}, false},
		{"read-only delegate reads POCs", listener, ActViewPOCs, Target{}, true},
		{"speaker for its group", speaker(during), ActTakePosition, Target{Group: "group-9"}, true},
		{"speaker by actor code", speaker(during), ActTakePosition, Target{State: "group-9"}, true},
		{"speaker offered a form", speaker(during), ActTakePosition, Target{}, true},
		{"speaker for another group", speaker(during), ActTakePosition, Target{Group: "group-8"}, false},
		{"speaker after term", speaker(after), ActTakePosition, Target{Group: "group-9"}, false},
		{"speaker before term", speaker(past), ActTakePosition, Target{Group: "group-9"}, false},
		{"delegate for a group", fra, ActTakePosition, Target{Group: "group-9"}, false},
		{"secretariat for a group", &User{Role: RoleSecretariat}, ActTakePosition, Target{Group: "group-9"}, true},
	}
	for _, c := range cases {
		if got := Can(c.u, c.a, c.t); got != c.want {
			t.Errorf("%s: Can(%s, %+v) = %v, want %v", c.name, c.a, c.t, got, c.want)
		}
	}
	if !IsDelegationManager(manager(during)) || IsDelegationManager(manager(after)) || IsDelegationManager(fra) || IsDelegationManager(nil) {
		t.Error("IsDelegationManager")
	}
	if got := speaker(during).SpeaksFor(); len(got) != 1 || got[0] != "group-9" {
		t.Errorf("SpeaksFor = %v", got)
	}
}

// An appointment is checked against the account it is made for; every
// problem is reported at once.
func TestAppointmentValidate(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fra := User{Role: RoleDelegate, State: "FRA"}
	cases := []struct {
		name string
		a    Appointment
		u    User
		want []string // fields
	}{
		{"manager", Appointment{Post: PostDelegationManager, Scope: "FRA", From: from}, fra, nil},
		{"manager of another State", Appointment{Post: PostDelegationManager, Scope: "DEU", From: from}, fra, []string{"scope"}},
		{"speaker", Appointment{Post: PostGroupSpeaker, Scope: "group-3", From: from}, fra, nil},
		{"speaker without group", Appointment{Post: PostGroupSpeaker, From: from}, fra, []string{"scope"}},
		{"chair", Appointment{Post: PostChair, From: from, Until: from.AddDate(1, 0, 0)}, User{Role: RoleChair}, nil},
		{"chair on a delegate", Appointment{Post: PostChair, From: from}, fra, []string{"post"}},
		{"co-facilitator of a DTG", Appointment{Post: PostCoFacilitator, Scope: "dtg-1", From: from}, User{Role: RoleCoFacilitator}, nil},
		{"everything wrong", Appointment{Post: PostSecretariat, Scope: "FRA", Until: from}, fra, []string{"post", "scope", "from"}},
		{"unknown post", Appointment{Post: "king", From: from}, fra, []string{"post"}},
		{"ends before it starts", Appointment{Post: PostChair, From: from, Until: from}, User{Role: RoleChair}, []string{"until"}},
	}
	for _, c := range cases {
		err := c.a.Validate(c.u)
		var got []string
		if es, ok := err.(Errors); ok {
			for _, e := range es {
				got = append(got, e.Field)
			}
		} else if e, ok := err.(*Error); ok {
			got = append(got, e.Field)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: fields %v, want %v (%v)", c.name, got, c.want, err)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
			}
		}
	}
}
