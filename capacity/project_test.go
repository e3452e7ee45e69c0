package capacity

import (
	"concord"
	"slices"
	"testing"
	"time"
)

func project() Project {
	return Project{Beneficiary: "KEN", Providers: []Provider{{State: "FRA"}}, Area: "norm.g", Title: "CERT", Description: "d",
		From: day("2027-03-01"), Until: day("2027-06-30"), Status: Planned, Visibility: Public,
		Checklist: []PrincipleReport{{Principle: "demand", Rating: Addressed}}}
}

func TestProjectValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Project)
		want []string
	}{
		{"valid", func(*Project) {}, nil},
		{"everything wrong at once", func(p *Project) {
			*p = Project{Beneficiary: "ke", Area: "x", Status: "done", Visibility: "x",
				Checklist: []PrincipleReport{{Principle: "nope", Rating: Addressed}, {Principle: "trust", Rating: "maybe"}}}
		}, []string{"beneficiary", "providers", "area", "title", "description", "from", "until", "status", "visibility", "principle.nope", "principle.trust"}},
		{"the beneficiary provides to itself", func(p *Project) { p.Providers = []Provider{{State: "KEN"}} }, []string{"providers"}},
		{"a provider both State and organisation", func(p *Project) { p.Providers = []Provider{{State: "FRA", OrgID: 3}} }, []string{"providers"}},
		{"a principle twice", func(p *Project) {
			p.Checklist = append(p.Checklist, PrincipleReport{Principle: "demand", Rating: Partly})
		}, []string{"principle.demand"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := project()
			c.edit(&p)
			if got := fields(p.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func TestProjectNormaliseChecklist(t *testing.T) {
	p := project()
	p.Checklist = []PrincipleReport{{Principle: "inclusive", Rating: Partly, Note: " women trainers "}, {Principle: "trust"}, {Principle: "sustainable", Rating: NotYet}}
	p.Normalise()
	want := []PrincipleReport{{Principle: "sustainable", Rating: NotYet}, {Principle: "inclusive", Rating: Partly, Note: "women trainers"}}
	if !slices.Equal(p.Checklist, want) {
		t.Errorf("checklist %+v", p.Checklist)
	}
	if r, ok := p.Report("inclusive"); !ok || r.Rating != Partly {
		t.Errorf("report %+v %v", r, ok)
	}
	if len(Principles) != 10 {
		t.Errorf("%d principles, want the ten", len(Principles))
	}
	for _, pr := range Principles {
		for _, l := range []string{"ar", "zh", "en", "fr", "ru", "es"} {
			if pr.Name[l] == "" {
				t.Errorf("principle %s has no %s wording", pr.Code, l)
			}
		}
	}
}

func TestFromMatch(t *testing.T) {
	n, o := need(), offer()
	both := Interests{{Side: SideBeneficiary}, {Side: SideProvider}}
	if _, err := FromMatch(n, o, both[:1]); !slices.Equal(fields(err), []string{"offer"}) {
		t.Errorf("one side only: %v", err)
	}
	p, err := FromMatch(n, o, both)
	if err != nil {
		t.Fatal(err)
	}
	if p.Beneficiary != "KEN" || p.Providers[0].State != "FRA" || p.Need != 1 || p.Offer != 10 || !p.From.Equal(day("2027-03-01")) || !p.Until.Equal(day("2027-06-30")) || p.Status != Planned {
		t.Errorf("project %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
	n.Visibility = StatesOnly
	if p, _ := FromMatch(n, o, both); p.Visibility != StatesOnly {
		t.Error("a States-only need's project is public")
	}
	o.Areas = []Area{"norm.a"}
	if _, err := FromMatch(n, o, both); err == nil {
		t.Error("a project from an offer not proposed")
	}
}

func TestProjectAccess(t *testing.T) {
	p := project()
	p.Visibility = StatesOnly
	ken := &concord.User{Role: concord.RoleDelegate, State: "KEN"}
	fra := &concord.User{Role: concord.RoleDelegate, State: "FRA"}
	deu := &concord.User{Role: concord.RoleDelegate, State: "DEU"}
	ngo := &concord.User{Role: concord.RoleFocalPoint, OrgID: 4}
	sec := &concord.User{Role: concord.RoleSecretariat}
	for _, c := range []struct {
		u          *concord.User
		view, edit bool
	}{{nil, false, false}, {ngo, false, false}, {ken, true, true}, {fra, true, true}, {deu, true, false}, {sec, true, true}} {
		if CanViewProject(c.u, p) != c.view || CanEditProject(c.u, p) != c.edit {
			t.Errorf("%+v: view %v edit %v", c.u, CanViewProject(c.u, p), CanEditProject(c.u, p))
		}
	}
	p.Visibility = Public
	if !CanViewProject(nil, p) {
		t.Error("the public cannot read a public project")
	}
}

func TestEventValidate(t *testing.T) {
	ev := func() Event {
		return Event{Kind: TrainingEvent, Title: "Roundtable", Description: "d", Start: time.Date(2027, 5, 10, 7, 0, 0, 0, time.UTC),
			End: time.Date(2027, 5, 10, 15, 0, 0, 0, time.UTC), Zone: "Africa/Nairobi", Venue: "Nairobi", Organiser: "UNODA",
			Area: "pillar.capacity", Languages: []string{"en"}}
	}
	cases := []struct {
		name string
		edit func(*Event)
		want []string
	}{
		{"valid", func(*Event) {}, nil},
		{"online only", func(e *Event) { e.Venue, e.OnlineURL = "", "https://example.org/join" }, nil},
		{"everything wrong at once", func(e *Event) { *e = Event{Kind: "party", Zone: "Mars/Base", OnlineURL: "http://x"} },
			[]string{"kind", "title", "description", "start", "end", "zone", "online_url", "organiser", "area", "languages"}},
		{"ends before it starts", func(e *Event) { e.End = e.Start.Add(-time.Hour) }, []string{"end"}},
		{"nowhere", func(e *Event) { e.Venue = " " }, []string{"venue"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := ev()
			c.edit(&e)
			e.Normalise()
			if got := fields(e.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}
