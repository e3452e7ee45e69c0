package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"concord"
	"concord/capacity"
	"concord/internal/portal"
	"concord/internal/store"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Portal adds the demo's needs and offers once (nothing when the portal has
// a need): four needs (one kept to States), five offers by States, an IGO
// and a stakeholder that match them, and interest on both sides of one
// match (Kenya and France), on one side of another (Spain for Peru). It
// runs through the service, as delegates and focal points would.
func Portal(ctx context.Context, db *store.DB) error {
	p := concord.DefaultProcessCode
	if n, err := db.Read(ctx).CountNeeds(store.NeedQuery{Process: p, StatesOnly: true}); err != nil || n > 0 {
		return err
	}
	itu, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgIGO, Query: "ITU", Limit: 1})
	if err != nil || len(itu) == 0 {
		return fmt.Errorf("seed: the portal needs the demo's IGOs: %v", err)
	}
	ngo, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
	if err != nil || len(ngo) == 0 {
		return fmt.Errorf("seed: the portal needs the demo's stakeholders: %v", err)
	}
	// At fixed instants after the rest of the demo, as the other seeds do,
	// so that the demo's log is the same on every run.
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-11-16T10:00:00Z")
	svc := &portal.Service{DB: db, Process: p}
	del := func(iso string) *concord.User { return &concord.User{Role: concord.RoleDelegate, State: iso} }
	focal := func(id int64) *concord.User { return &concord.User{Role: concord.RoleFocalPoint, OrgID: id} }
	needs := []struct {
		u  *concord.User
		in portal.NeedInput
	}{
		{del("KEN"), portal.NeedInput{Area: "norm.g", Title: "Protecting hospitals from ransomware",
			Description: "Kenya's **national CERT** asks for help to protect public hospitals:\n\n- an assessment of the hospitals' networks\n- incident-response training for hospital IT staff\n- a sector playbook for ransomware\n\nSee the [national strategy](https://www.ict.go.ke) for context.",
			Languages:   []string{"en", "fr"}, From: day("2027-01-15"), Until: day("2027-09-30"), Visibility: capacity.Public}},
		{del("SEN"), portal.NeedInput{Area: "pillar.capacity", Title: "Training the staff of a new national CERT",
			Description: "Le Sénégal crée une équipe nationale de réponse aux incidents et cherche une formation pour **douze analystes**.",
			Languages:   []string{"fr"}, Regions: []string{"AG", "WEOG"}, From: day("2027-02-01"), Until: day("2027-12-31"), Visibility: capacity.StatesOnly}},
		{del("PER"), portal.NeedInput{Area: "norm.j", Title: "A coordinated vulnerability disclosure policy",
			Description: "El Perú busca apoyo para redactar una política nacional de **divulgación coordinada de vulnerabilidades**.",
			Languages:   []string{"es", "en"}, Regions: []string{"GRULAC"}, From: day("2027-03-01"), Until: day("2027-08-31"), Visibility: capacity.Public}},
		{del("JOR"), portal.NeedInput{Area: "pillar.cbm", Title: "A points-of-contact communication exercise",
			Description: "يرغب الأردن في تنظيم تمرين للتواصل بين جهات الاتصال مع دول المنطقة.",
			Languages:   []string{"ar", "en"}, From: day("2027-04-01"), Until: day("2027-06-30"), Visibility: capacity.Public}},
	}
	var ids []int64
	for _, n := range needs {
		x, err := svc.PostNeed(ctx, n.u, n.in)
		if err != nil {
			return fmt.Errorf("seed: need %q: %w", n.in.Title, err)
		}
		ids = append(ids, x.ID)
	}
	offers := []struct {
		u  *concord.User
		in portal.OfferInput
	}{
		{del("FRA"), portal.OfferInput{Kind: capacity.Training, Areas: []capacity.Area{"norm.g", "pillar.capacity"}, Title: "Incident-response course for CERT teams",
			Description: "A two-week course by France's national cybersecurity agency, in French or English, for up to **15 participants**.",
			Languages:   []string{"fr", "en"}, Regions: []string{"AG"}, From: day("2027-01-01"), Until: day("2027-12-31")}},
		{focal(itu[0].ID), portal.OfferInput{Kind: capacity.Programme, Areas: []capacity.Area{"norm.g", "pillar.capacity"}, Title: "CIRT assessment and establishment programme",
			Description: "The ITU assesses national readiness and helps establish computer incident response teams.",
			Languages:   []string{"en", "fr", "es", "ar"}, From: day("2026-09-01"), Until: day("2028-12-31")}},
		{del("ESP"), portal.OfferInput{Kind: capacity.Experts, Areas: []capacity.Area{"norm.j"}, Title: "Experts in vulnerability disclosure",
			Description: "Two experts of Spain's national cybersecurity institute, for missions of up to a month.",
			Languages:   []string{"es"}, Regions: []string{"GRULAC"}, From: day("2027-01-01"), Until: day("2027-06-30")}},
		{del("JPN"), portal.OfferInput{Kind: capacity.Funding, Areas: []capacity.Area{"pillar.capacity", "norm.j"}, Title: "Grants for cyber capacity-building",
			Description: "Grants of up to USD 200,000 for national projects.",
			Languages:   []string{"en"}, Regions: []string{"APG", "AG", "GRULAC"}, From: day("2027-04-01"), Until: day("2028-03-31")}},
		{focal(ngo[0].ID), portal.OfferInput{Kind: capacity.Training, Areas: []capacity.Area{"pillar.cbm"}, Title: "Tabletop exercises for points of contact",
			Description: "Scenario-based exercises (ransomware on a hospital network) run online.",
			Languages:   []string{"en", "ar"}, From: day("2027-01-01"), Until: day("2027-12-31")}},
	}
	var oids []int64
	for _, o := range offers {
		x, err := svc.PostOffer(ctx, o.u, o.in)
		if err != nil {
			return fmt.Errorf("seed: offer %q: %w", o.in.Title, err)
		}
		oids = append(oids, x.ID)
	}
	at("2026-11-18T15:30:00Z")
	for _, i := range []struct {
		u           *concord.User
		need, offer int64
	}{{del("KEN"), ids[0], oids[0]}, {del("FRA"), ids[0], oids[0]}, {del("ESP"), ids[2], oids[2]}} {
		if _, err := svc.ExpressInterest(ctx, i.u, i.need, i.offer); err != nil {
			return fmt.Errorf("seed: interest: %w", err)
		}
	}
	return portalProjects(ctx, svc, at, ids, oids, ngo[0])
}

// portalProjects adds the demo's two projects and its calendar: Kenya and
// France's agreed match made a project by France, under way, with its
// principles checklist partly reported; a project the Secretariat entered
// directly (the ITU for Jordan, completed, with outcomes); a roundtable and
// two trainings (one online).
func portalProjects(ctx context.Context, svc *portal.Service, at func(string), needs, offers []int64, ngo concord.Organization) error {
	at("2026-11-20T09:00:00Z")
	del := func(iso string) *concord.User { return &concord.User{Role: concord.RoleDelegate, State: iso} }
	sec := &concord.User{Role: concord.RoleSecretariat}
	p, err := svc.ProjectFromMatch(ctx, del("FRA"), needs[0], offers[0])
	if err != nil {
		return fmt.Errorf("seed: project from a match: %w", err)
	}
	at("2026-11-25T11:00:00Z")
	if _, err := svc.EditProject(ctx, del("KEN"), p.ID, portal.ProjectInput{Area: p.Area, Title: p.Title, Description: p.Description,
		From: p.From, Until: p.Until, Status: capacity.Ongoing, Visibility: p.Visibility,
		Checklist: []capacity.PrincipleReport{
			{Principle: "demand", Rating: capacity.Addressed, Note: "Requested by Kenya's national CERT through the portal."},
			{Principle: "ownership", Rating: capacity.Addressed, Note: "The Ministry of Health leads; France trains."},
			{Principle: "sustainable", Rating: capacity.Partly, Note: "Trainers of trainers in the second phase."},
			{Principle: "inclusive", Rating: capacity.Partly, Note: "Four of the fifteen participants are women."}}}); err != nil {
		return fmt.Errorf("seed: project checklist: %w", err)
	}
	itu := svc.DB.Read(ctx)
	o, err := itu.Offer(offers[1])
	if err != nil {
		return err
	}
	if _, err := svc.CreateProject(ctx, sec, portal.ProjectInput{Beneficiary: "JOR", Providers: []capacity.Provider{o.Provider}, Area: "pillar.capacity",
		Title: "National CIRT readiness assessment", Description: "The ITU assessed Jordan's readiness for a national computer incident response team.",
		From: day("2026-03-01"), Until: day("2026-07-31"), Status: capacity.Completed, Visibility: capacity.Public,
		Outcomes:  "An assessment report and a **two-year roadmap**, adopted by the national cybersecurity council.",
		Checklist: []capacity.PrincipleReport{{Principle: "purpose", Rating: capacity.Addressed}, {Principle: "confidentiality", Rating: capacity.Addressed, Note: "The report is not published."}}}); err != nil {
		return fmt.Errorf("seed: direct project: %w", err)
	}
	events := []struct {
		u  *concord.User
		in portal.EventInput
	}{
		{sec, portal.EventInput{Kind: capacity.RoundtableEvent, Title: "Global Roundtable on ICT security capacity-building",
			Description: "The second global roundtable: States, organisations and the private sector on **matching needs and offers**.",
			Start:       time.Date(2027, 5, 10, 13, 0, 0, 0, time.UTC), End: time.Date(2027, 5, 11, 21, 0, 0, 0, time.UTC), Zone: "America/New_York",
			Venue: "United Nations Headquarters, New York", OnlineURL: "https://webtv.un.org/", Organiser: "UNODA", Area: "pillar.capacity", Languages: []string{"ar", "en", "es", "fr", "ru", "zh"}}},
		{del("FRA"), portal.EventInput{Kind: capacity.TrainingEvent, Title: "Incident response for hospital networks",
			Description: "First session of the course for Kenya's hospital IT staff.",
			Start:       time.Date(2027, 3, 1, 6, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 12, 14, 0, 0, 0, time.UTC), Zone: "Africa/Nairobi",
			Venue: "Nairobi", Organiser: "ANSSI (France)", Area: "norm.g", Languages: []string{"en", "fr"}}},
		{&concord.User{Role: concord.RoleFocalPoint, OrgID: ngo.ID}, portal.EventInput{Kind: capacity.TrainingEvent, Title: "Tabletop exercise for points of contact",
			Description: "An online scenario-based exercise: ransomware on a hospital network.",
			Start:       time.Date(2027, 2, 3, 9, 0, 0, 0, time.UTC), End: time.Date(2027, 2, 3, 12, 0, 0, 0, time.UTC), Zone: "Asia/Amman",
			OnlineURL: "https://example.org/tabletop", Organiser: ngo.Names["en"], Area: "pillar.cbm", Languages: []string{"ar", "en"}}},
	}
	for _, e := range events {
		if _, err := svc.CreateEvent(ctx, e.u, e.in); err != nil {
			return fmt.Errorf("seed: event %q: %w", e.in.Title, err)
		}
	}
	return nil
}

// Per unit of seed --scale, the portal's needs and offers.
const (
	NeedsPerScale  = 2000
	OffersPerScale = 10000
)

// ScalePortal adds NeedsPerScale needs (one in five kept to States) and
// OffersPerScale offers for unit batch of scale, spread over every area,
// language, region and the years from 2027, in one write. Benchmarks call
// it alone.
func ScalePortal(ctx context.Context, db *store.DB, r *rand.Rand, batch int) error {
	states, err := db.ListStates(ctx)
	if err != nil {
		return err
	}
	pick := func(from []string, most int) []string {
		var out []string
		for range 1 + r.IntN(most) {
			out = append(out, from[r.IntN(len(from))])
		}
		return out
	}
	span := func() (time.Time, time.Time) {
		from := day("2027-01-01").AddDate(0, 0, r.IntN(3*365))
		return from, from.AddDate(0, 0, 30+r.IntN(540))
	}
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		for i := range NeedsPerScale {
			from, until := span()
			n := capacity.Need{Process: concord.DefaultProcessCode, State: states[r.IntN(len(states))].ISO3,
				Area: capacity.Areas[r.IntN(len(capacity.Areas))].Code, Title: fmt.Sprintf("Need %d: %s %s", batch*NeedsPerScale+i+1, word(r), word(r)),
				Description: word(r) + " " + word(r) + " " + word(r), Languages: pick(concord.Languages, 2), From: from, Until: until, Visibility: capacity.Public}
			if r.IntN(2) == 0 {
				n.Regions = pick(capacity.Regions, 2)
			}
			if r.IntN(5) == 0 {
				n.Visibility = capacity.StatesOnly
			}
			if err := tx.SaveNeed(&n, "portal.need.post"); err != nil {
				return err
			}
		}
		kinds := capacity.OfferKinds
		for i := range OffersPerScale {
			from, until := span()
			var areas []capacity.Area
			for range 1 + r.IntN(3) {
				areas = append(areas, capacity.Areas[r.IntN(len(capacity.Areas))].Code)
			}
			o := capacity.Offer{Process: concord.DefaultProcessCode, Provider: capacity.Provider{State: states[r.IntN(len(states))].ISO3},
				Kind: kinds[r.IntN(len(kinds))], Areas: areas, Title: fmt.Sprintf("Offer %d: %s %s", batch*OffersPerScale+i+1, word(r), word(r)),
				Description: word(r) + " " + word(r), Languages: pick(concord.Languages, 3), From: from, Until: until}
			if r.IntN(2) == 0 {
				o.Regions = pick(capacity.Regions, 3)
			}
			if err := tx.SaveOffer(&o, "portal.offer.post"); err != nil {
				return err
			}
		}
		return nil
	})
}
