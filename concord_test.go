package concord

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCan(t *testing.T) {
	sec := &User{Role: RoleSecretariat}
	fra := &User{Role: RoleDelegate, State: "FRA"}
	focal := &User{Role: RoleFocalPoint, OrgID: 7}
	chair := &User{Role: RoleChair}
	disabled := &User{Role: RoleSecretariat, Disabled: true}
	cases := []struct {
		u    *User
		a    Action
		t    Target
		want bool
	}{
		{nil, ActRead, Target{}, true},
		{nil, ActAccount, Target{}, false},
		{chair, ActAccount, Target{}, true},
		{sec, ActManageUsers, Target{}, true},
		{chair, ActManageUsers, Target{}, false},
		{fra, ActEditState, Target{State: "FRA"}, true},
		{fra, ActEditState, Target{State: "DEU"}, false},
		{fra, ActEditState, Target{}, false},
		{sec, ActEditState, Target{State: "DEU"}, true},
		{sec, ActManageMeetings, Target{Body: "plenary"}, true},
		{chair, ActManageMeetings, Target{Body: "chair"}, true},
		{chair, ActManageMeetings, Target{Body: "plenary"}, false},
		{fra, ActManageMeetings, Target{Body: "chair"}, false},
		{nil, ActManageMeetings, Target{}, false},
		{sec, ActViewPOCs, Target{}, true},
		{fra, ActViewPOCs, Target{}, true},
		{focal, ActViewPOCs, Target{}, false},
		{chair, ActViewPOCs, Target{}, false},
		{nil, ActViewPOCs, Target{}, false},
		{fra, ActManagePOCs, Target{State: "FRA"}, true},
		{fra, ActManagePOCs, Target{State: "DEU"}, false},
		{sec, ActManagePOCs, Target{State: "DEU"}, true},
		{focal, ActManagePOCs, Target{}, false},
		{sec, ActPingPOCs, Target{}, true},
		{fra, ActPingPOCs, Target{}, false},
		{fra, ActViewPingResults, Target{State: "FRA"}, true},
		{fra, ActViewPingResults, Target{State: "DEU"}, false},
		{sec, ActViewPingResults, Target{State: "DEU"}, true},
		{chair, ActViewPingResults, Target{State: "DEU"}, false},
		{nil, ActViewPingResults, Target{State: "DEU"}, false},
		{sec, ActPublishDocuments, Target{}, true},
		{chair, ActPublishDocuments, Target{}, false},
		{fra, ActContribute, Target{State: "FRA"}, true},
		{fra, ActContribute, Target{State: "DEU"}, false},
		{focal, ActContribute, Target{}, false},
		{sec, ActContribute, Target{State: "DEU"}, true},
		{fra, ActPostNeed, Target{State: "FRA"}, true},
		{fra, ActPostNeed, Target{State: "DEU"}, false},
		{sec, ActPostNeed, Target{State: "FRA"}, false},
		{focal, ActPostNeed, Target{}, false},
		{nil, ActPostNeed, Target{}, false},
		{fra, ActOffer, Target{State: "FRA"}, true},
		{fra, ActOffer, Target{State: "DEU"}, false},
		{fra, ActOffer, Target{OrgID: 7}, false},
		{focal, ActOffer, Target{OrgID: 7}, true},
		{focal, ActOffer, Target{OrgID: 8}, false},
		{focal, ActOffer, Target{State: "FRA"}, false},
		{focal, ActOffer, Target{}, true},
		{chair, ActOffer, Target{}, false},
		{sec, ActOffer, Target{OrgID: 8}, true},
		{fra, ActViewStatesOnlyNeeds, Target{}, true},
		{sec, ActViewStatesOnlyNeeds, Target{}, true},
		{focal, ActViewStatesOnlyNeeds, Target{}, false},
		{chair, ActViewStatesOnlyNeeds, Target{}, false},
		{nil, ActViewStatesOnlyNeeds, Target{}, false},
		{sec, ActFacilitateExercises, Target{Body: "chair"}, true},
		{chair, ActFacilitateExercises, Target{Body: "chair"}, true},
		{chair, ActFacilitateExercises, Target{Body: "secretariat"}, false},
		{fra, ActFacilitateExercises, Target{}, false},
		{fra, ActRespondExercises, Target{State: "FRA"}, true},
		{fra, ActRespondExercises, Target{State: "DEU"}, false},
		{sec, ActRespondExercises, Target{}, false},
		{focal, ActRespondExercises, Target{}, false},
		{fra, ActReportNorms, Target{State: "FRA"}, true},
		{fra, ActReportNorms, Target{State: "DEU"}, false},
		{sec, ActReportNorms, Target{State: "DEU"}, true},
		{focal, ActReportNorms, Target{}, false},
		{chair, ActReportNorms, Target{}, false},
		{&User{Role: RoleDelegate, State: "FRA", ReadOnly: true}, ActReportNorms, Target{State: "FRA"}, false},
		{fra, ActViewStatesOnlyNorms, Target{}, true},
		{sec, ActViewStatesOnlyNorms, Target{}, true},
		{focal, ActViewStatesOnlyNorms, Target{}, false},
		{chair, ActViewStatesOnlyNorms, Target{}, false},
		{nil, ActViewStatesOnlyNorms, Target{}, false},
		{focal, ActEditOrg, Target{OrgID: 7}, true},
		{focal, ActEditOrg, Target{OrgID: 8}, false},
		{focal, ActEditOrg, Target{}, false},
		{fra, ActEditOrg, Target{OrgID: 7}, false},
		{disabled, ActManageUsers, Target{}, false},
		{disabled, ActRead, Target{}, true},
		{sec, Action("no-such-action"), Target{}, false},
	}
	for _, c := range cases {
		if got := Can(c.u, c.a, c.t); got != c.want {
			t.Errorf("Can(%+v, %s, %+v) = %v, want %v", c.u, c.a, c.t, got, c.want)
		}
	}
}

func TestUserValidate(t *testing.T) {
	cases := []struct {
		u     User
		field string
	}{
		{User{Username: "ok-user", Role: RoleChair}, ""},
		{User{Username: "ab", Role: RoleChair}, "username"},
		{User{Username: "ok-user", Role: "king"}, "role"},
		{User{Username: "ok-user", Role: RoleDelegate}, "state"},
		{User{Username: "ok-user", Role: RoleChair, State: "FRA"}, "state"},
		{User{Username: "ok-user", Role: RoleFocalPoint}, "org"},
		{User{Username: "ok-user", Role: RoleFocalPoint, OrgID: 3}, ""},
	}
	for _, c := range cases {
		err := c.u.Validate()
		var de *Error
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &de) || de.Field != c.field) {
			t.Errorf("%+v: err %v, want field %q", c.u, err, c.field)
		}
	}
}

func TestOrganizationValidate(t *testing.T) {
	ok := Organization{Kind: OrgStakeholder, Type: "ngo", Names: Text{"en": "X"}}
	cases := []struct {
		mod   func(o *Organization)
		field string
	}{
		{func(o *Organization) {}, ""},
		{func(o *Organization) { o.Kind = "club" }, "kind"},
		{func(o *Organization) { o.Names = Text{"en": "  "} }, "names"},
		{func(o *Organization) { o.Names = Text{"de": "X"} }, "names"},
		{func(o *Organization) { o.Type = "" }, "type"},
		{func(o *Organization) { o.Kind, o.Type = OrgIGO, "ngo" }, "type"},
		{func(o *Organization) { o.Kind, o.Type = OrgIGO, "" }, ""},
		{func(o *Organization) { o.ECOSOC = "platinum" }, "ecosoc"},
		{func(o *Organization) { o.Website = "javascript:alert(1)" }, "website"},
		{func(o *Organization) { o.Website = "https://example.org/a" }, ""},
	}
	for i, c := range cases {
		o := ok
		o.Names = Text{"en": "X"}
		c.mod(&o)
		err := o.Validate()
		var de *Error
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &de) || de.Field != c.field) {
			t.Errorf("case %d: err %v, want field %q", i, err, c.field)
		}
	}
}

// TestOrganizationValidateAll: every problem of an organisation is reported
// at once, each on its field.
func TestOrganizationValidateAll(t *testing.T) {
	o := Organization{Kind: OrgStakeholder, Type: "club", Names: Text{"en": " "}, Website: "ftp://x", ECOSOCID: "a b"}
	var all Errors
	if !errors.As(o.Validate(), &all) {
		t.Fatalf("err %v, want Errors", o.Validate())
	}
	var fields []string
	for _, e := range all {
		fields = append(fields, e.Field)
	}
	if got := strings.Join(fields, ","); got != "names,type,ecosoc_id,website" {
		t.Errorf("fields %s, want names,type,ecosoc_id,website", got)
	}
}

func TestTextFallback(t *testing.T) {
	txt := Text{"fr": "Réseau", "en": "Network"}
	if s, l, p := txt.In("fr"); s != "Réseau" || l != "fr" || p {
		t.Errorf("fr: %q %q %v", s, l, p)
	}
	if s, l, p := txt.In("ar"); s != "Network" || l != "en" || !p {
		t.Errorf("ar falls back to English, pending: %q %q %v", s, l, p)
	}
	if s, l, p := (Text{"zh": "网络"}).In("ru"); s != "网络" || l != "zh" || !p {
		t.Errorf("only Chinese: %q %q %v", s, l, p)
	}
}

func TestUNCTADCategory(t *testing.T) {
	cases := map[string]State{
		Developed:  {ISO3: "FRA", Region: 150, SubRegion: 155},
		Developing: {ISO3: "BRA", Region: 19, SubRegion: 419},
	}
	for want, s := range cases {
		if got := UNCTADCategory(s); got != want {
			t.Errorf("%s: %s, want %s", s.ISO3, got, want)
		}
	}
	for _, iso := range []string{"ISR", "JPN", "KOR", "AUS", "NZL"} {
		if UNCTADCategory(State{ISO3: iso, Region: 142}) != Developed {
			t.Errorf("%s should be developed", iso)
		}
	}
	if UNCTADCategory(State{ISO3: "USA", Region: 19, SubRegion: 21}) != Developed {
		t.Error("Northern America is developed")
	}
}

func TestMembershipCurrent(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	m := GroupMembership{Since: d("2000-05-01"), Until: d("2004-01-01")}
	if m.Current(d("1999-01-01")) || !m.Current(d("2000-05-01")) || m.Current(d("2004-01-01")) {
		t.Error("dated membership bounds wrong: since is inclusive, until exclusive")
	}
	if !(GroupMembership{Since: d("2000-01-01")}).Current(d("2030-01-01")) {
		t.Error("open-ended membership should be current")
	}
}

func TestDelegationValidate(t *testing.T) {
	if err := (&Delegation{PersonID: 1, Role: "head", Session: "GM-1"}).Validate(); err != nil {
		t.Error(err)
	}
	for _, d := range []Delegation{{Role: "head", Session: "S"}, {PersonID: 1, Role: "boss", Session: "S"}, {PersonID: 1, Role: "head", Session: " "}} {
		if err := d.Validate(); ErrorCode(err) != EInvalid {
			t.Errorf("%+v: %v, want invalid", d, err)
		}
	}
}
