package seed

import (
	"context"
	"time"

	"concord"
	"concord/internal/fundsvc"
	"concord/internal/store"
)

// FundReviewers are the demo's review committee of the Voluntary Fund:
// delegates of two donor States, accounts without a password (set one with
// `concord user password` to sign in as them).
var FundReviewers = []string{"fund-reviewer-nor", "fund-reviewer-jpn"}

func instant(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Fund adds the demo's Voluntary Fund once (nothing when it has a call): a
// call that closed, with Kenya's application awarded, part paid and
// reported on; and an open call with Senegal's application screened
// eligible and reviewed by the committee, Peru's awaiting screening. It
// runs through the service, as the Secretariat and delegates would.
func Fund(ctx context.Context, db *store.DB) error {
	p := concord.DefaultProcessCode
	if calls, err := db.Read(ctx).FundCalls(p); err != nil || len(calls) > 0 {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-11-17T09:00:00Z")
	reviewers := map[string]*concord.User{}
	if err := db.Update(ctx, "system", func(tx *store.Tx) error {
		for i, name := range FundReviewers {
			u := concord.User{Username: name, Name: []string{"Ingrid Solberg", "Kenji Watanabe"}[i], Role: concord.RoleDelegate,
				State: []string{"NOR", "JPN"}[i], Email: name + "@mission.example"}
			if err := tx.CreateUser(&u, store.NoPassword); err != nil {
				return err
			}
			reviewers[name] = &u
		}
		return nil
	}); err != nil {
		return err
	}
	svc := &fundsvc.Service{DB: db, Process: p}
	sec := &concord.User{Username: "seed", Role: concord.RoleSecretariat}
	del := func(iso string) *concord.User { return &concord.User{Role: concord.RoleDelegate, State: iso} }
	closed, err := svc.SaveCall(ctx, sec, 0, fundsvc.CallInput{Title: "Incident response teams 2026", Area: "pillar.capacity",
		Opens: instant("2026-11-17T05:00:00Z"), Closes: instant("2026-11-21T04:59:00Z"), Amount: 500_000, Reviewers: FundReviewers})
	if err != nil {
		return err
	}
	open, err := svc.SaveCall(ctx, sec, 0, fundsvc.CallInput{Title: "Protecting critical infrastructure 2027", Area: "norm.g",
		Opens: instant("2026-11-17T05:00:00Z"), Closes: instant("2027-04-01T03:59:00Z"), Amount: 1_200_000, Reviewers: FundReviewers})
	if err != nil {
		return err
	}
	at("2026-11-18T10:00:00Z")
	ken, err := svc.Apply(ctx, del("KEN"), closed.ID, fundsvc.ApplicationInput{Project: "A sector CERT for Kenya's hospitals", Area: "pillar.capacity", Amount: 180_000,
		Summary: "Set up a health-sector incident response team at the national CERT, train twelve analysts and run two exercises with public hospitals."})
	if err != nil {
		return err
	}
	sen, err := svc.Apply(ctx, del("SEN"), open.ID, fundsvc.ApplicationInput{Project: "Protéger le réseau électrique du Sénégal", Area: "norm.g", Amount: 250_000,
		Summary: "Cartographier les systèmes de contrôle industriels du réseau électrique et former les opérateurs à la détection des intrusions."})
	if err != nil {
		return err
	}
	if _, err := svc.Apply(ctx, del("PER"), open.ID, fundsvc.ApplicationInput{Project: "Seguridad de los sistemas de agua potable", Area: "norm.g", Amount: 90_000,
		Summary: "Evaluar la seguridad de los sistemas de control de las empresas de agua potable de Lima y Arequipa."}); err != nil {
		return err
	}
	at("2026-11-23T14:00:00Z")
	for _, id := range []int64{ken.ID, sen.ID} {
		if _, err := svc.Screen(ctx, sec, id, true, ""); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		who   string
		id    int64
		score int
		note  string
	}{
		{FundReviewers[0], ken.ID, 5, "Clear plan, realistic budget; the hospitals have committed staff."},
		{FundReviewers[1], ken.ID, 4, "Sound; the exercises should include the ministry of health."},
		{FundReviewers[0], sen.ID, 4, "Strong need; the operator training could be shared with the region."},
	} {
		if _, err := svc.Review(ctx, reviewers[r.who], r.id, r.score, r.note, nil); err != nil {
			return err
		}
	}
	at("2026-11-30T15:00:00Z")
	if _, err := svc.Award(ctx, sec, ken.ID, 160_000, nil); err != nil {
		return err
	}
	at("2026-12-02T09:00:00Z")
	if _, err := svc.Disburse(ctx, sec, ken.ID, 80_000, "First tranche, on signature of the agreement", nil); err != nil {
		return err
	}
	at("2026-12-04T11:00:00Z")
	_, err = svc.Report(ctx, del("KEN"), ken.ID, "The sector team is staffed: six analysts recruited, the first training held in Nairobi.")
	return err
}
