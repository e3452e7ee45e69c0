package poc

import (
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
)

func keys(err error) []string {
	var es concord.Errors
	var e *concord.Error
	switch {
	case errors.As(err, &es):
		var out []string
		for _, x := range es {
			out = append(out, x.Key)
		}
		return out
	case errors.As(err, &e):
		return []string{e.Key}
	}
	return nil
}

func good() POC {
	return POC{ID: 1, State: "FRA", Kind: Diplomatic, Name: "Amina Diallo", Function: "Cyber ambassador",
		Email: "poc@diplomatie.gouv.fr", Phone: "+33 1 43 17 53 53", Languages: []string{"fr", "en"}, Hours: "Mon-Fri 9-18 CET"}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*POC)
		want []string
	}{
		{"good", func(*POC) {}, nil},
		{"everything wrong at once", func(p *POC) {
			*p = POC{State: "fr", Kind: "military", Email: "nope", Phone: "01 23", Languages: []string{"de"}}
		}, []string{"poc.error.state", "poc.error.kind", "poc.error.name", "poc.error.function", "poc.error.email", "poc.error.phone", "poc.error.languages"}},
		{"no language", func(p *POC) { p.Languages = nil }, []string{"poc.error.languages"}},
		{"phone letters", func(p *POC) { p.Phone = "+33 CALL ME" }, []string{"poc.error.phone"}},
		{"phone too short", func(p *POC) { p.Phone = "+33 12" }, []string{"poc.error.phone"}},
		{"email with name", func(p *POC) { p.Email = "A <a@b.org>" }, []string{"poc.error.email"}},
	}
	for _, c := range cases {
		p := good()
		c.edit(&p)
		if got := keys(p.Validate()); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckNomination(t *testing.T) {
	sec := &concord.User{Role: concord.RoleSecretariat}
	fra := &concord.User{Role: concord.RoleDelegate, State: "FRA"}
	deu := &concord.User{Role: concord.RoleDelegate, State: "DEU"}
	focal := &concord.User{Role: concord.RoleFocalPoint, OrgID: 3}
	second := good()
	second.ID, second.Email = 2, "alt@diplomatie.gouv.fr"
	newOne := good()
	newOne.ID, newOne.Email = 0, "third@diplomatie.gouv.fr"
	cases := []struct {
		name   string
		u      *concord.User
		p      POC
		others []POC
		want   []string
	}{
		{"own State", fra, good(), nil, nil},
		{"Secretariat for a State", sec, good(), nil, nil},
		{"another State", deu, good(), nil, []string{"poc.error.not_own"}},
		{"stakeholder", focal, good(), nil, []string{"poc.error.not_own"}},
		{"public", nil, good(), nil, []string{"poc.error.not_own"}},
		{"another State, even invalid", deu, POC{State: "FRA"}, nil, []string{"poc.error.not_own"}},
		{"third of a kind", fra, newOne, []POC{good(), second}, []string{"poc.error.too_many"}},
		{"edit of one of two", fra, second, []POC{good(), second}, nil},
		{"other kind free", fra, func() POC { p := newOne; p.Kind = Technical; return p }(), []POC{good(), second}, nil},
		{"same address twice and bad phone", fra, func() POC { p := newOne; p.Email = "POC@diplomatie.gouv.fr"; p.Phone = "x"; return p }(), []POC{good()},
			[]string{"poc.error.phone", "poc.error.duplicate"}},
	}
	for _, c := range cases {
		if got := keys(DefaultRule.CheckNomination(c.u, c.p, c.others)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestWhoSees(t *testing.T) {
	cases := []struct {
		u            *concord.User
		dir, fra, de bool
	}{
		{nil, false, false, false},
		{&concord.User{Role: concord.RoleSecretariat}, true, true, true},
		{&concord.User{Role: concord.RoleDelegate, State: "FRA"}, true, true, false},
		{&concord.User{Role: concord.RoleDelegate, State: "DEU"}, true, false, true},
		{&concord.User{Role: concord.RoleFocalPoint, OrgID: 1}, false, false, false},
		{&concord.User{Role: concord.RoleChair}, false, false, false},
		{&concord.User{Role: concord.RoleCoFacilitator}, false, false, false},
		{&concord.User{Role: concord.RoleSecretariat, Disabled: true}, false, false, false},
	}
	for _, c := range cases {
		if CanView(c.u) != c.dir || CanViewResults(c.u, "FRA") != c.fra || CanViewResults(c.u, "DEU") != c.de {
			t.Errorf("%+v: directory %v FRA %v DEU %v", c.u, CanView(c.u), CanViewResults(c.u, "FRA"), CanViewResults(c.u, "DEU"))
		}
	}
	if CanViewResults(&concord.User{Role: concord.RoleDelegate, State: "FRA"}, "") {
		t.Error("results with no State named are nobody's")
	}
}

var (
	t0       = time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	deadline = t0.Add(72 * time.Hour)
)

func TestRoundMachine(t *testing.T) {
	if _, err := Schedule(Round{}, t0); !slices.Equal(keys(err), []string{"poc.error.opens", "poc.error.deadline"}) {
		t.Errorf("empty round: %v", keys(err))
	}
	if _, err := Schedule(Round{Opens: t0, Closes: t0}, t0); !slices.Equal(keys(err), []string{"poc.error.deadline_order", "poc.error.deadline_past"}) {
		t.Errorf("deadline at opening: %v", keys(err))
	}
	r, err := Schedule(Round{Opens: t0, Closes: deadline}, t0.Add(-time.Hour))
	if err != nil || r.Status != Scheduled {
		t.Fatalf("schedule: %+v %v", r, err)
	}
	steps := []struct {
		name string
		do   func(Round) (Round, error)
		want Status
		err  string
	}{
		{"close before open", func(r Round) (Round, error) { return r.Close(t0) }, Scheduled, "poc.error.not_open"},
		{"open after deadline", func(r Round) (Round, error) { return r.Open(deadline) }, Scheduled, "poc.error.deadline_past"},
		{"open", func(r Round) (Round, error) { return r.Open(t0) }, Open, ""},
		{"open twice", func(r Round) (Round, error) { return r.Open(t0) }, Open, "poc.error.not_scheduled"},
		{"close", func(r Round) (Round, error) { return r.Close(deadline) }, Closed, ""},
		{"close twice", func(r Round) (Round, error) { return r.Close(deadline) }, Closed, "poc.error.not_open"},
	}
	for _, s := range steps {
		next, err := s.do(r)
		if got := keys(err); (s.err == "" && got != nil) || (s.err != "" && !slices.Equal(got, []string{s.err})) {
			t.Errorf("%s: %v, want %q", s.name, got, s.err)
		}
		if err == nil {
			r = next
		}
		if r.Status != s.want {
			t.Errorf("%s: status %s, want %s", s.name, r.Status, s.want)
		}
	}
}

func TestAcknowledge(t *testing.T) {
	open := Round{Status: Open, Opens: t0, Closes: deadline}
	p := Ping{Name: "Amina Diallo"}
	cases := []struct {
		name string
		r    Round
		p    Ping
		at   time.Time
		want []string
	}{
		{"in time", open, p, deadline.Add(-time.Second), nil},
		{"at the deadline", open, p, deadline, []string{"poc.error.late"}},
		{"closed early", Round{Status: Closed, Closes: deadline}, p, t0, []string{"poc.error.late"}},
		{"twice", open, Ping{Answered: t0}, t0.Add(time.Hour), []string{"poc.error.answered"}},
		{"twice and late", open, Ping{Answered: t0}, deadline.Add(time.Hour), []string{"poc.error.answered"}},
	}
	for _, c := range cases {
		got, err := c.r.Acknowledge(c.p, "", c.at)
		if !slices.Equal(keys(err), c.want) {
			t.Errorf("%s: %v, want %v", c.name, keys(err), c.want)
		}
		if err == nil && (!got.Answered.Equal(c.at) || got.By != "Amina Diallo") {
			t.Errorf("%s: %+v", c.name, got)
		}
		if err != nil && !got.Answered.Equal(c.p.Answered) {
			t.Errorf("%s: a refused answer changed the ping: %+v", c.name, got)
		}
	}
}

func TestReminders(t *testing.T) {
	r := Round{Status: Open, Opens: t0, Closes: deadline}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{t0, false}, {deadline.Add(-25 * time.Hour), false}, {deadline.Add(-24 * time.Hour), true}, {deadline.Add(-time.Minute), true}, {deadline, false}} {
		if got := r.RemindersDue(DefaultRule, c.at); got != c.want {
			t.Errorf("at %v: %v, want %v", c.at, got, c.want)
		}
	}
}

func TestResults(t *testing.T) {
	pings := []Ping{{State: "FRA", Answered: t0}, {State: "DEU"}, {State: "FRA", Answered: t0}, {State: "DEU", Answered: t0}}
	rs := Results(pings)
	if len(rs) != 2 || rs[0].State != "DEU" || rs[0].Sent != 2 || rs[0].Answered != 1 || rs[1].Answered != 2 {
		t.Fatalf("%+v", rs)
	}
	a := Total(rs)
	if a != (Aggregate{Sent: 4, Answered: 3, States: 2, StatesAnswered: 1}) || a.Rate() != 75 {
		t.Errorf("%+v rate %d", a, a.Rate())
	}
	if (Aggregate{}).Rate() != 0 {
		t.Error("rate of nothing")
	}
}
