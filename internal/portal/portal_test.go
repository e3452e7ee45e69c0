package portal_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	sec   = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	ken   = &concord.User{ID: 2, Role: concord.RoleDelegate, State: "KEN"}
	fra   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	deu   = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "DEU"}
	chair = &concord.User{ID: 5, Role: concord.RoleChair}
)

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func needIn(v capacity.Visibility) portal.NeedInput {
	return portal.NeedInput{Area: "norm.g", Title: "Protecting hospitals", Description: "A national CERT for **hospitals**.",
		Languages: []string{"en", "fr"}, Regions: []string{"WEOG"}, From: day("2027-01-01"), Until: day("2027-06-30"), Visibility: v}
}

func offerIn() portal.OfferInput {
	return portal.OfferInput{Kind: capacity.Training, Areas: []capacity.Area{"norm.g"}, Title: "CERT course", Description: "Two weeks",
		Languages: []string{"fr"}, Regions: []string{"AG", "WEOG"}, From: day("2027-03-01"), Until: day("2027-12-31")}
}

// setup returns the service and a focal point of a registered NGO.
func setup(t *testing.T, db *store.DB) (*portal.Service, *concord.User) {
	t.Helper()
	db.Now = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	org := concord.Organization{Kind: concord.OrgStakeholder, Type: "ngo", Names: concord.Text{"en": "CERT Friends"}, Country: "CHE"}
	if err := db.Update(ctx, concord.Actor(sec), func(tx *store.Tx) error { return tx.CreateOrganization(&org) }); err != nil {
		t.Fatal(err)
	}
	return &portal.Service{DB: db, Process: concord.DefaultProcessCode}, &concord.User{ID: 6, Role: concord.RoleFocalPoint, OrgID: org.ID}
}

// TestNeeds: a State posts its own needs; bad input is refused with every
// problem at once; another State cannot edit them; a States-only need
// reaches no one outside the States and the Secretariat, one by one or in
// a list.
func TestNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, focal := setup(t, db)
		pub, err := s.PostNeed(ctx, ken, needIn(capacity.Public))
		if err != nil || pub.State != "KEN" || pub.ID == 0 {
			t.Fatalf("%+v %v", pub, err)
		}
		closed, err := s.PostNeed(ctx, ken, needIn(capacity.StatesOnly))
		if err != nil {
			t.Fatal(err)
		}
		bad := portal.NeedInput{Area: "norm.z", Languages: []string{"xx"}, Visibility: "secret",
			Unread: concord.Errors{concord.Errorf(concord.EInvalid, "from", "portal.error.date", "not a date")}}
		_, err = s.PostNeed(ctx, ken, bad)
		want := []string{"portal.error.date", "portal.error.area", "portal.error.title", "portal.error.description",
			"portal.error.language", "portal.error.until", "portal.error.visibility"}
		if !slices.Equal(keys(err), want) {
			t.Errorf("all at once: %v, want %v", keys(err), want)
		}
		for _, u := range []*concord.User{sec, focal, chair, nil} {
			if _, err := s.PostNeed(ctx, u, needIn(capacity.Public)); !slices.Equal(keys(err), []string{"portal.error.not_own_need"}) {
				t.Errorf("%+v posts a need: %v", u, err)
			}
		}
		in := needIn(capacity.Public)
		in.Title = "Hijacked"
		if _, err := s.EditNeed(ctx, fra, pub.ID, in); !slices.Equal(keys(err), []string{"portal.error.not_own_need"}) {
			t.Errorf("France edits Kenya's need: %v", err)
		}
		if n, _ := s.Need(ctx, nil, pub.ID); n.Title != "Protecting hospitals" {
			t.Errorf("edit by another State kept: %q", n.Title)
		}
		in.Title = "Protecting hospitals and clinics"
		if n, err := s.EditNeed(ctx, ken, pub.ID, in); err != nil || n.Title != in.Title {
			t.Errorf("own edit: %+v %v", n, err)
		}
		for _, u := range []*concord.User{nil, focal, chair} {
			if _, err := s.Need(ctx, u, closed.ID); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%+v reads a States-only need: %v", u, err)
			}
			if _, err := s.Matches(ctx, u, closed.ID); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%+v reads a States-only need's matches: %v", u, err)
			}
			if _, err := s.EditNeed(ctx, u, closed.ID, needIn(capacity.Public)); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%+v edits a States-only need: %v", u, err)
			}
			l, err := s.Needs(ctx, u, "", "", 50, 0)
			if err != nil || l.Total != 1 || len(l.Needs) != 1 || l.Needs[0].ID != pub.ID {
				t.Errorf("%+v lists %+v %v, want the public need only", u, l, err)
			}
		}
		for _, u := range []*concord.User{ken, deu, sec} {
			if _, err := s.Need(ctx, u, closed.ID); err != nil {
				t.Errorf("%+v cannot read a States-only need: %v", u, err)
			}
			if l, _ := s.Needs(ctx, u, "norm.g", "", 50, 0); l.Total != 2 {
				t.Errorf("%+v lists %d needs, want 2", u, l.Total)
			}
		}
		if l, _ := s.Needs(ctx, sec, "norm.a", "", 50, 0); l.Total != 0 {
			t.Errorf("area filter: %d", l.Total)
		}
	})
}

// TestOffersMatchesInterest: States and organisations offer and edit only
// their own offers; the matching proposes an offer for the need with its
// explanation; each side expresses interest once and both make an
// agreement; a bystander cannot.
func TestOffersMatchesInterest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, focal := setup(t, db)
		n, err := s.PostNeed(ctx, ken, needIn(capacity.Public))
		if err != nil {
			t.Fatal(err)
		}
		byFRA, err := s.PostOffer(ctx, fra, offerIn())
		if err != nil || byFRA.Provider.State != "FRA" {
			t.Fatalf("%+v %v", byFRA, err)
		}
		oi := offerIn()
		oi.Languages = []string{"ar"}
		oi.Provider = capacity.Provider{State: "KEN"} // ignored: a focal point offers for its organisation
		byOrg, err := s.PostOffer(ctx, focal, oi)
		if err != nil || byOrg.Provider.OrgID != focal.OrgID || byOrg.Provider.State != "" {
			t.Fatalf("%+v %v", byOrg, err)
		}
		oi.Areas = []capacity.Area{"norm.a"}
		if _, err := s.PostOffer(ctx, deu, oi); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EditOffer(ctx, fra, byOrg.ID, offerIn()); !slices.Equal(keys(err), []string{"portal.error.not_own_offer"}) {
			t.Errorf("a State edits an organisation's offer: %v", err)
		}
		if _, err := s.EditOffer(ctx, focal, byFRA.ID, offerIn()); !slices.Equal(keys(err), []string{"portal.error.not_own_offer"}) {
			t.Errorf("an organisation edits a State's offer: %v", err)
		}
		sin := offerIn()
		sin.Provider = capacity.Provider{OrgID: 999999}
		if _, err := s.PostOffer(ctx, sec, sin); !slices.Contains(keys(err), "portal.error.provider") {
			t.Errorf("offer for an unknown organisation: %v", err)
		}
		if _, err := s.PostOffer(ctx, chair, offerIn()); !slices.Equal(keys(err), []string{"portal.error.not_own_offer"}) {
			t.Errorf("the Chair offers: %v", err)
		}

		before := db.Queries()
		m, err := s.Matches(ctx, nil, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The need, the narrow offers of its area, the interests, the shown offers in full.
		if q := db.Queries() - before; q != 4 {
			t.Errorf("matches took %d statements, want 4", q)
		}
		if m.Proposals[0].Offer.Description == "" {
			t.Error("a proposed offer is shown without its description")
		}
		if len(m.Proposals) != 2 || m.Proposals[0].Offer.ID != byFRA.ID || m.Proposals[0].Score != 100 || m.Proposals[1].Score != 75 {
			t.Fatalf("proposals %+v", m.Proposals)
		}
		if c := m.Proposals[1].Checks[1]; c.Criterion != capacity.ByLanguage || c.Met {
			t.Errorf("the organisation's offer shares no language: %+v", c)
		}
		if m.Proposals[0].Side != "" {
			t.Error("the public acts for no side")
		}

		if _, err := s.ExpressInterest(ctx, deu, n.ID, byFRA.ID); !slices.Equal(keys(err), []string{"portal.error.not_a_side"}) {
			t.Errorf("a bystander State: %v", err)
		}
		have, err := s.ExpressInterest(ctx, ken, n.ID, byFRA.ID)
		if err != nil || len(have) != 1 || have.Agreed() {
			t.Fatalf("%+v %v", have, err)
		}
		if _, err := s.ExpressInterest(ctx, ken, n.ID, byFRA.ID); !slices.Equal(keys(err), []string{"portal.error.interest_twice"}) {
			t.Errorf("twice: %v", err)
		}
		if have, err = s.ExpressInterest(ctx, fra, n.ID, byFRA.ID); err != nil || !have.Agreed() {
			t.Errorf("both sides: %+v %v", have, err)
		}
		if _, err := s.ExpressInterest(ctx, focal, n.ID, byFRA.ID); !slices.Equal(keys(err), []string{"portal.error.not_a_side"}) {
			t.Errorf("another provider: %v", err)
		}
		m, _ = s.Matches(ctx, ken, n.ID)
		if p := m.Proposals[0]; !p.Interests.Agreed() || p.Side != capacity.SideBeneficiary || p.CanExpress() {
			t.Errorf("after: %+v", p)
		}
		if p := m.Proposals[1]; !p.CanExpress() {
			t.Errorf("Kenya may still express interest in the organisation's offer: %+v", p)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("the rows do not match the log: %v", err)
		}
		if types, err := db.UncheckedObjectTypes(ctx); err != nil || len(types) != 0 {
			t.Errorf("unchecked object types %v %v", types, err)
		}
	})
}

// TestNeedKeptToStatesKeepsItsProjects: a State that keeps to States a
// need it had made public takes its projects with it (a project repeats
// the need's beneficiary, area and purpose): the public no longer reads
// them, one by one or listed, and the log records why. Opening the need
// again leaves the projects to their own editors.
func TestNeedKeptToStatesKeepsItsProjects(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := setup(t, db)
		n, err := s.PostNeed(ctx, ken, needIn(capacity.Public))
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.PostOffer(ctx, fra, offerIn())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*concord.User{ken, fra} {
			if _, err := s.ExpressInterest(ctx, u, n.ID, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.ProjectFromMatch(ctx, ken, n.ID, o.ID)
		if err != nil || p.Visibility != capacity.Public {
			t.Fatalf("%+v %v", p, err)
		}
		if _, err := s.Project(ctx, nil, p.ID); err != nil {
			t.Fatalf("the public reads the project of a public need: %v", err)
		}

		in := needIn(capacity.StatesOnly)
		if _, err := s.EditNeed(ctx, ken, n.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Project(ctx, nil, p.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("the public still reads the project of a need kept to States: %v", err)
		}
		if l, err := s.Projects(ctx, nil, portal.ProjectFilter{}, 50, 0); err != nil || l.Total != 0 || len(l.Projects) != 0 {
			t.Errorf("the public lists %+v (%v)", l, err)
		}
		if v, err := s.Project(ctx, deu, p.ID); err != nil || v.Project.Visibility != capacity.StatesOnly {
			t.Errorf("a State reads %+v (%v)", v.Project, err)
		}
		restricted := 0
		for e, err := range db.AuditEntries(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Action == "portal.project.restrict" && e.ObjectID == strconv.FormatInt(p.ID, 10) && !e.Public {
				restricted++
			}
		}
		if restricted != 1 {
			t.Errorf("%d confidential restrict entries in the log, want 1", restricted)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("the restricted project differs from its last logged state: %v", err)
		}

		if _, err := s.EditNeed(ctx, ken, n.ID, needIn(capacity.Public)); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Project(ctx, deu, p.ID); err != nil || v.Project.Visibility != capacity.StatesOnly {
			t.Errorf("opening the need opened its project: %+v (%v)", v.Project, err)
		}
	})
}
