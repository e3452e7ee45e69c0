package capacity

import (
	"concord"
	"errors"
	"slices"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func need() Need {
	return Need{ID: 1, State: "KEN", Area: "norm.g", Title: "CERT training", Description: "We need *help*.",
		Languages: []string{"en", "fr"}, Regions: []string{"WEOG"}, From: day("2027-01-01"), Until: day("2027-06-30"), Visibility: Public}
}

func offer() Offer {
	return Offer{ID: 10, Provider: Provider{State: "FRA"}, Kind: Training, Areas: []Area{"norm.g", "pillar.capacity"},
		Title: "Incident response course", Description: "Two weeks.", Languages: []string{"fr"}, Regions: []string{"AG", "WEOG"},
		From: day("2027-03-01"), Until: day("2027-12-31")}
}

func fields(err error) []string {
	var es concord.Errors
	var out []string
	if errors.As(err, &es) {
		for _, e := range es {
			out = append(out, e.Field)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Field}
	}
	return nil
}

func TestNeedValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Need)
		want []string
	}{
		{"valid", func(*Need) {}, nil},
		{"everything wrong at once", func(n *Need) {
			*n = Need{State: "fr", Area: "norm.z", Languages: []string{"de"}, Regions: []string{"EU"}, Visibility: "secret"}
		}, []string{"state", "area", "title", "description", "languages", "regions", "from", "until", "visibility"}},
		{"ends before it starts", func(n *Need) { n.Until = day("2026-12-31") }, []string{"until"}},
		{"no language", func(n *Need) { n.Languages = nil }, []string{"languages"}},
		{"long title", func(n *Need) { n.Title = string(make([]rune, MaxTitleRunes+1)) + "x" }, []string{"title"}},
		{"any region", func(n *Need) { n.Regions = nil }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := need()
			c.edit(&n)
			if got := fields(n.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func TestOfferValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Offer)
		want []string
	}{
		{"valid", func(*Offer) {}, nil},
		{"both a State and an organisation", func(o *Offer) { o.Provider.OrgID = 3 }, []string{"provider"}},
		{"no provider, kind, area", func(o *Offer) { o.Provider, o.Kind, o.Areas = Provider{}, "gift", nil },
			[]string{"provider", "kind", "areas"}},
		{"unknown area", func(o *Offer) { o.Areas = []Area{"norm.a", "pillar.x"} }, []string{"areas"}},
		{"no dates", func(o *Offer) { o.From, o.Until = time.Time{}, time.Time{} }, []string{"from", "until"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := offer()
			c.edit(&o)
			if got := fields(o.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*Need, *Offer)
		score  int
		met    []Criterion
		common map[Criterion][]string
		days   int
	}{
		{"all met", func(*Need, *Offer) {}, 100, []Criterion{ByArea, ByLanguage, ByRegion, ByTimeframe},
			map[Criterion][]string{ByLanguage: {"fr"}, ByRegion: {"WEOG"}}, 122},
		{"other area", func(n *Need, _ *Offer) { n.Area = "norm.k" }, 60, []Criterion{ByLanguage, ByRegion, ByTimeframe}, nil, 122},
		{"no common language", func(n *Need, _ *Offer) { n.Languages = []string{"ar"} }, 75, []Criterion{ByArea, ByRegion, ByTimeframe}, nil, 122},
		{"region not served", func(n *Need, _ *Offer) { n.Regions = []string{"APG"} }, 80, []Criterion{ByArea, ByLanguage, ByTimeframe}, nil, 122},
		{"need names no region: the offer's count", func(n *Need, _ *Offer) { n.Regions = nil }, 100, []Criterion{ByArea, ByLanguage, ByRegion, ByTimeframe},
			map[Criterion][]string{ByRegion: {"AG", "WEOG"}}, 122},
		{"offer serves every region", func(_ *Need, o *Offer) { o.Regions = nil }, 100, []Criterion{ByArea, ByLanguage, ByRegion, ByTimeframe},
			map[Criterion][]string{ByRegion: {"WEOG"}}, 122},
		{"timeframes touch on one day", func(n *Need, o *Offer) { o.From = n.Until }, 100, []Criterion{ByArea, ByLanguage, ByRegion, ByTimeframe}, nil, 1},
		{"offer ends the day before", func(n *Need, o *Offer) { o.From, o.Until = day("2026-01-01"), day("2026-12-31") }, 85,
			[]Criterion{ByArea, ByLanguage, ByRegion}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, o := need(), offer()
			c.edit(&n, &o)
			m := Explain(n, o)
			if m.Score != c.score || !slices.Equal(m.Met(), c.met) {
				t.Errorf("score %d met %v, want %d %v", m.Score, m.Met(), c.score, c.met)
			}
			if len(m.Checks) != len(Criteria) {
				t.Fatalf("%d checks, want one per criterion", len(m.Checks))
			}
			for _, ch := range m.Checks {
				if want, ok := c.common[ch.Criterion]; ok && !slices.Equal(ch.Common, want) {
					t.Errorf("%s in common %v, want %v", ch.Criterion, ch.Common, want)
				}
				if ch.Criterion == ByTimeframe && ch.Days != c.days {
					t.Errorf("days %d, want %d", ch.Days, c.days)
				}
			}
		})
	}
}

func TestPropose(t *testing.T) {
	n := need()
	best := offer()
	noLang := offer()
	noLang.ID, noLang.Languages = 11, []string{"ru"}
	otherArea := offer()
	otherArea.ID, otherArea.Areas = 12, []Area{"norm.a"}
	own := offer()
	own.ID, own.Provider = 13, Provider{State: "KEN"}
	shorter := offer()
	shorter.ID, shorter.From = 14, day("2027-06-01") // same score, 30 days shared instead of 122
	org := offer()
	org.ID, org.Provider = 15, Provider{OrgID: 4}
	got := Propose(n, []Offer{noLang, otherArea, own, shorter, best, org}, 0)
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.Offer.ID)
	}
	if want := []int64{10, 15, 14, 11}; !slices.Equal(ids, want) {
		t.Errorf("proposed %v, want %v (another area and the State's own offer left out; score, shared days, age)", ids, want)
	}
	if got := Propose(n, []Offer{noLang, best, org}, 2); len(got) != 2 || got[0].Offer.ID != 10 {
		t.Errorf("limit 2: %v", got)
	}
}

func TestExpressInterest(t *testing.T) {
	n, o := need(), offer()
	now := day("2026-12-07")
	i, err := ExpressInterest(n, o, nil, SideBeneficiary, now)
	if err != nil || i.Side != SideBeneficiary || i.Need != 1 || i.Offer != 10 {
		t.Fatalf("%+v %v", i, err)
	}
	have := Interests{i}
	if have.Agreed() {
		t.Error("one side is no agreement")
	}
	if _, err := ExpressInterest(n, o, have, SideBeneficiary, now); fields(err)[0] != "offer" {
		t.Errorf("twice: %v", err)
	}
	j, err := ExpressInterest(n, o, have, SideProvider, now)
	if err != nil {
		t.Fatal(err)
	}
	if !append(have, j).Agreed() {
		t.Error("both sides agree")
	}
	o.Areas = []Area{"norm.a"}
	var ce *concord.Error
	if _, err := ExpressInterest(n, o, nil, SideProvider, now); !errors.As(err, &ce) || ce.Key != "portal.error.not_proposed" {
		t.Errorf("not proposed: %v", err)
	}
	if _, err := ExpressInterest(n, offer(), nil, "bystander", now); fields(err)[0] != "side" {
		t.Errorf("side: %v", err)
	}
}

func TestSideOfAndCanView(t *testing.T) {
	ken := &concord.User{ID: 1, Role: concord.RoleDelegate, State: "KEN"}
	fra := &concord.User{ID: 2, Role: concord.RoleDelegate, State: "FRA"}
	deu := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "DEU"}
	focal := &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 4}
	sec := &concord.User{ID: 5, Role: concord.RoleSecretariat}
	n, o := need(), offer()
	orgOffer := offer()
	orgOffer.Provider = Provider{OrgID: 4}
	cases := []struct {
		u    *concord.User
		o    Offer
		side Side
		ok   bool
	}{
		{ken, o, SideBeneficiary, true}, {fra, o, SideProvider, true}, {deu, o, "", false},
		{focal, orgOffer, SideProvider, true}, {focal, o, "", false}, {sec, o, "", false}, {nil, o, "", false},
	}
	for _, c := range cases {
		if s, ok := SideOf(c.u, n, c.o); s != c.side || ok != c.ok {
			t.Errorf("SideOf(%+v) = %s %v, want %s %v", c.u, s, ok, c.side, c.ok)
		}
	}
	n.Visibility = StatesOnly
	for _, c := range []struct {
		u    *concord.User
		want bool
	}{{ken, true}, {deu, true}, {sec, true}, {focal, false}, {nil, false}, {&concord.User{Role: concord.RoleChair}, false}} {
		if got := CanView(c.u, n); got != c.want {
			t.Errorf("CanView(%+v) on a States-only need = %v", c.u, got)
		}
	}
	if !CanView(nil, need()) {
		t.Error("a public need is public")
	}
}

func TestAreas(t *testing.T) {
	if len(Areas) != 16 || len(Norms()) != 11 {
		t.Fatalf("%d areas, %d norms", len(Areas), len(Norms()))
	}
	for _, a := range Areas {
		for _, l := range concord.Languages {
			if a.Name[l] == "" {
				t.Errorf("%s has no %s name", a.Code, l)
			}
		}
		if a.Name["en"] == a.Name["fr"] && a.Code != "pillar.law" {
			t.Errorf("%s: French copies English", a.Code)
		}
	}
}
