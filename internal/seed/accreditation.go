package seed

import (
	"concord/accreditation"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/accredit"
	"concord/internal/store"
)

// The 2022 precedent: 86 applicants without ECOSOC status were circulated,
// 32 were blocked by objections, 54 accredited. The objecting States were not
// made public; the demo's objections come from a fixed, arbitrary set of
// States and stand for the shape of the round, not for what any State did.
const (
	precedentNonECOSOC = 86
	precedentBlocked   = 32
	precedentECOSOC    = 12
)

var demoObjectors = []string{"ARG", "BRA", "CHN", "EGY", "IND", "IRN", "PAK", "RUS", "SAU", "ZAF"}

// Accreditation adds a completed 2025 plenary round shaped like the 2022
// precedent, and an open 2026 round with applications in progress. It runs
// the real service with a moving clock, so every step is audited and every
// rule applies as in production. It does nothing when windows exist.
func Accreditation(ctx context.Context, db *store.DB) error {
	svc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode}
	if ws, err := db.AccreditationWindows(ctx, svc.Process); err != nil || len(ws) > 0 {
		return err
	}
	realNow := db.Now
	defer func() { db.Now = realNow }()
	at := func(s string) { t, _ := time.Parse(time.RFC3339, s); db.Now = func() time.Time { return t } }
	sec := &concord.User{Username: "seed", Role: concord.RoleSecretariat}
	r := rand.New(rand.NewPCG(2022, 86))

	// The completed round. A round held in one year accredits for the
	// sessions of the next (the 2025 round for the July 2026 plenary), so
	// its accreditations last until the end of that year: the annual
	// pre-fill (the end of the round's own year) would end them before the
	// sessions they were granted for.
	at("2025-08-01T12:00:00Z")
	w, err := svc.CreateWindow(ctx, sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, Cycle: 2025, OpensDate: "2025-08-01", ClosesDate: "2025-09-15",
		ValidUntilDate: "2027-01-01"})
	if err != nil {
		return fmt.Errorf("seed window: %w", err)
	}
	var ecosocList []concord.Organization
	var apps []int64
	for i := range precedentNonECOSOC + precedentECOSOC {
		ecosoc := ""
		if i >= precedentNonECOSOC {
			ecosoc = "special"
		}
		org, err := demoStakeholder(ctx, db, r, i, ecosoc)
		if err != nil {
			return err
		}
		if ecosoc != "" {
			ecosocList = append(ecosocList, org)
		}
		id, err := applyAndSubmit(ctx, svc, sec, w.ID, org)
		if err != nil {
			return err
		}
		apps = append(apps, id)
	}
	// Two returned for more information, both corrected in time.
	for _, id := range apps[:2] {
		if _, err := svc.Act(ctx, sec, id, accredit.ActReturn, []string{"Please describe your work on ICT security and attach the signed letter."}); err != nil {
			return err
		}
		if _, err := svc.Act(ctx, sec, id, accredit.ActResubmit, nil); err != nil {
			return err
		}
	}
	csv := "id,name,category\n"
	for _, o := range ecosocList {
		csv += o.ECOSOCID + `,"` + strings.ReplaceAll(o.Names["en"], `"`, `""`) + `",special` + "\n"
	}
	if _, err := svc.ImportECOSOC(ctx, sec, strings.NewReader(csv)); err != nil {
		return err
	}
	at("2025-09-16T14:00:00Z")
	for _, id := range apps[precedentNonECOSOC:] {
		if _, err := svc.Act(ctx, sec, id, accredit.ActVerify, nil); err != nil {
			return err
		}
	}
	if _, err := svc.Circulate(ctx, sec, w.ID); err != nil {
		return fmt.Errorf("seed circulate: %w", err)
	}
	// Objections on 32 of the 86 circulated applications.
	at("2025-09-20T15:00:00Z")
	circulated, err := db.ListApplications(ctx, store.ApplicationFilter{Window: w.ID, Status: accreditation.ApplicationCirculated})
	if err != nil {
		return err
	}
	for k, a := range circulated[:precedentBlocked] {
		state := demoObjectors[k%len(demoObjectors)]
		basis := ""
		if k%3 == 0 {
			basis = "Activities not relevant to the mandate."
		}
		if _, err := svc.Object(ctx, &concord.User{Role: concord.RoleDelegate, State: state}, a.ID, basis); err != nil {
			return fmt.Errorf("seed objection: %w", err)
		}
	}
	// One objection withdrawn, then filed again by another State.
	if _, err := svc.Object(ctx, &concord.User{Role: concord.RoleDelegate, State: "MEX"}, circulated[40].ID, ""); err != nil {
		return err
	}
	if _, err := svc.WithdrawObjection(ctx, &concord.User{Role: concord.RoleDelegate, State: "MEX"}, circulated[40].ID); err != nil {
		return err
	}
	w, err = db.AccreditationWindow(ctx, w.ID)
	if err != nil {
		return err
	}
	db.Now = func() time.Time { return w.ObjectionDeadline.Add(time.Minute) }
	if _, err := svc.DecideDue(ctx, w.ID); err != nil {
		return err
	}

	// The open round of 2026.
	at("2026-11-02T14:00:00Z")
	w2, err := svc.CreateWindow(ctx, sec, accredit.WindowInput{Scope: accreditation.ScopePlenary, Cycle: 2026, OpensDate: "2026-11-02", ClosesDate: "2026-12-31",
		ValidUntilDate: "2028-01-01"})
	if err != nil {
		return err
	}
	for i := range 6 {
		org, err := demoStakeholder(ctx, db, r, 200+i, "")
		if err != nil {
			return err
		}
		if i >= 4 { // two drafts
			if _, err := svc.Apply(ctx, sec, w2.ID, org.ID); err != nil {
				return err
			}
			continue
		}
		id, err := applyAndSubmit(ctx, svc, sec, w2.ID, org)
		if err != nil {
			return err
		}
		if i == 0 { // one returned, awaiting correction
			if _, err := svc.Act(ctx, sec, id, accredit.ActReturn, []string{"Please add the list of your member organisations."}); err != nil {
				return err
			}
		}
	}
	return nil
}

var demoWords = [][]string{
	{"Digital", "Cyber", "Open", "Secure", "Civic", "Global", "Regional", "African", "Pacific", "Andean", "Nordic", "Arab"},
	{"Rights", "Resilience", "Security", "Policy", "Peace", "Internet", "Commons", "Trust", "Futures", "Governance"},
	{"Network", "Institute", "Foundation", "Centre", "Alliance", "Forum", "Lab", "Initiative", "Council", "Association"},
}

func demoStakeholder(ctx context.Context, db *store.DB, r *rand.Rand, i int, ecosoc string) (concord.Organization, error) {
	states, err := db.ListStates(ctx)
	if err != nil {
		return concord.Organization{}, err
	}
	name := demoWords[0][r.IntN(len(demoWords[0]))] + " " + demoWords[1][r.IntN(len(demoWords[1]))] + " " +
		demoWords[2][r.IntN(len(demoWords[2]))] + " " + strconv.Itoa(i+1)
	o := concord.Organization{Kind: concord.OrgStakeholder, Type: concord.StakeholderTypes[r.IntN(len(concord.StakeholderTypes))],
		Country: states[r.IntN(len(states))].ISO3, ECOSOC: ecosoc, Names: concord.Text{"en": name}}
	if ecosoc != "" {
		// The identifier the ECOSOC list gives it, as the Secretariat records it.
		o.ECOSOCID = "D" + strconv.Itoa(40000+i)
	}
	err = db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateOrganization(&o) })
	return o, err
}

func applyAndSubmit(ctx context.Context, svc *accredit.Service, sec *concord.User, window string, org concord.Organization) (int64, error) {
	a, err := svc.Apply(ctx, sec, window, org.ID)
	if err != nil {
		return 0, fmt.Errorf("seed apply: %w", err)
	}
	a, err = svc.UploadLetter(ctx, sec, a.ID, "letter.pdf", []byte("%PDF-1.4\n% letter on letterhead\n%%EOF\n"))
	if err != nil {
		return 0, fmt.Errorf("seed letter: %w", err)
	}
	name := org.Names["en"]
	c := accreditation.Content{
		Purpose:    concord.Text{"en": name + " works on the security of ICT and its use in line with the framework of responsible State behaviour."},
		Programmes: concord.Text{"en": "Research, training of incident responders, and public reports."},
		UNHistory:  concord.Text{"en": "Took part in the OEWG 2021-2025 informal consultations."},
		Letter:     a.Content.Letter,
	}
	if _, err := svc.Edit(ctx, sec, a.ID, c); err != nil {
		return 0, fmt.Errorf("seed edit: %w", err)
	}
	if _, err := svc.Act(ctx, sec, a.ID, accredit.ActSubmit, nil); err != nil {
		return 0, fmt.Errorf("seed submit: %w", err)
	}
	return a.ID, nil
}

// AccreditationScale adds a closed and circulated plenary window with n
// stakeholder applications and the given number of objections spread over
// the 193 Member States, for benchmarks. It writes through the store in one
// transaction (each application still audited) rather than through the
// service step by step, which would take minutes at this size. It returns
// the window, whose deadline has not passed at the store's clock.
func AccreditationScale(ctx context.Context, db *store.DB, n, objections int) (accreditation.Window, error) {
	states, err := db.ListStates(ctx)
	if err != nil {
		return accreditation.Window{}, err
	}
	var members []string
	for _, s := range states {
		if s.Status == "member" {
			members = append(members, s.ISO3)
		}
	}
	now := db.Now().UTC()
	w := accreditation.Window{Process: concord.DefaultProcessCode, Scope: accreditation.ScopeReviewConference,
		Cycle: now.Year(), Opens: now.Add(-60 * 24 * time.Hour), Closes: now.Add(-30 * 24 * time.Hour),
		CirculatedAt: now.Add(-24 * time.Hour), ObjectionDeadline: now.Add(24 * time.Hour), ValidUntil: now.Add(365 * 24 * time.Hour)}
	r := rand.New(rand.NewPCG(uint64(n), uint64(objections)))
	err = db.Update(ctx, "system", func(tx *store.Tx) error {
		if err := tx.CreateAccreditationWindow(&w); err != nil {
			return err
		}
		if err := tx.SaveWindow(w, "accreditation.circulate"); err != nil {
			return err
		}
		apps := make([]*accreditation.Application, 0, n)
		for i := range n {
			o := concord.Organization{Kind: concord.OrgStakeholder, Type: concord.StakeholderTypes[r.IntN(len(concord.StakeholderTypes))],
				Country: members[r.IntN(len(members))], Names: concord.Text{"en": fmt.Sprintf("Scale Stakeholder %05d", i+1)}}
			if err := tx.CreateOrganization(&o); err != nil {
				return err
			}
			a := &accreditation.Application{OrgID: o.ID, Window: w.ID, Route: accreditation.RouteNonObjection,
				Status: accreditation.ApplicationCirculated, OrgType: o.Type, OrgCountry: o.Country, CreatedAt: w.Opens,
				SubmittedAt: w.Opens.Add(time.Hour), CirculatedAt: w.CirculatedAt,
				Content: accreditation.Content{Purpose: concord.Text{"en": "Scale test."}}}
			apps = append(apps, a)
		}
		for k := range objections {
			a := apps[r.IntN(len(apps))]
			st := members[r.IntN(len(members))]
			dup := false
			for _, o := range a.Objections {
				dup = dup || o.State == st
			}
			if !dup {
				a.Objections = append(a.Objections, accreditation.Objection{State: st, At: w.CirculatedAt.Add(time.Duration(k) * time.Second)})
			}
		}
		for _, a := range apps {
			if err := tx.SaveApplication(a, "accreditation.circulated", true); err != nil {
				return err
			}
		}
		return nil
	})
	return w, err
}
