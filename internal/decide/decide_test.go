package decide_test

import (
	"concord/decision"
	"context"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

var ctx = context.Background()

// TestOrganisationalSessionAgenda replays the July agenda dispute: Iran and
// Russia object, the EU (as a group) and Canada support, the USA reserves;
// under consensus the Chair finds none: not adopted, proceed informally.
func TestOrganisationalSessionAgenda(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 7, 6, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		chair := &concord.User{ID: 1, Role: concord.RoleChair}
		sec := &concord.User{ID: 2, Role: concord.RoleSecretariat}
		d, err := svc.Create(ctx, chair, decide.NewDecision{Kind: decision.KindAgendaAdoption, Title: concord.Text{"en": "Provisional agenda, July session"},
			Proposal: concord.Text{"en": "Adopt the provisional agenda (A/AC.301/2026/1)."}, Modality: decision.ModalityConsensus, ProceedInformally: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Create(ctx, &concord.User{Role: concord.RoleDelegate, State: "FRA"}, decide.NewDecision{Title: concord.Text{"en": "x"}, Modality: decision.ModalityConsensus}); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("delegate proposed: %v", err)
		}
		step := func() { clock = clock.Add(time.Minute) }
		pos := func(u *concord.User, actor string, k decision.PositionKind, text string) {
			t.Helper()
			step()
			if _, err := svc.TakePosition(ctx, u, d.ID, decide.PositionInput{Actor: actor, Kind: k, Text: text, Lang: "en"}); err != nil {
				t.Fatalf("%s %s: %v", actor, k, err)
			}
		}
		irn := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "IRN"}
		pos(irn, "", decision.PositionObjection, "Item 5 must reflect paragraph 9 of Annex C exactly.")
		pos(&concord.User{ID: 4, Role: concord.RoleDelegate, State: "RUS"}, "", decision.PositionObjection, "Same as Iran.")
		orgs, _, _ := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 10})
		var eu int64
		for _, o := range orgs {
			if o.Acronym == "EU" {
				eu = o.ID
			}
		}
		pos(sec, decide.GroupCode(eu), decision.PositionSupport, "Changing item 5 would renegotiate agreed text.")
		pos(sec, "CAN", decision.PositionSupport, "")
		pos(sec, "USA", decision.PositionReservation, "The United States reserves its position.")
		// A delegate cannot speak for another State.
		if _, err := svc.TakePosition(ctx, irn, d.ID, decide.PositionInput{Actor: "FRA", Kind: decision.PositionSupport}); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("delegate spoke for another State: %v", err)
		}
		step()
		if _, err := svc.Act(ctx, irn, d.ID, decision.ActDecide, false, nil); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("delegate acted as Chair: %v", err)
		}
		d, err = svc.Act(ctx, chair, d.ID, decision.ActDecide, false, concord.Text{"en": "There is no consensus; we proceed informally."})
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.Result(d)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != decision.OutcomeNotAdopted || !res.ProceedInformally {
			t.Errorf("outcome %s, proceed informally %v", res.Outcome, res.ProceedInformally)
		}
		if len(res.Record.Objected) != 2 || len(res.Record.Reserved) != 1 || len(res.Record.Supported) < 28 {
			t.Errorf("record: %d objected, %d reserved, %d supported (EU members + Canada)", len(res.Record.Objected), len(res.Record.Reserved), len(res.Record.Supported))
		}
		// Late position after the outcome is refused.
		step()
		if _, err := svc.TakePosition(ctx, sec, d.ID, decide.PositionInput{Actor: "BRA", Kind: decision.PositionSupport}); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("position after the outcome: %v", err)
		}
		sims := svc.Simulate(d)
		if len(sims) != 6 {
			t.Fatalf("%d simulations", len(sims))
		}
		outcomes := map[decision.Modality]decision.OutcomeKind{}
		for _, s := range sims {
			outcomes[s.Policy.Modality] = s.Result.Outcome
		}
		if outcomes[decision.ModalityChairDecision] == decision.OutcomeNotAdopted || outcomes[decision.ModalityChairProposalSilence] != decision.OutcomeSilenceBroken {
			t.Errorf("simulated outcomes: %v", outcomes)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestGroupSpeaker: a delegate appointed speaker of the EU takes the
// group's position while in term, not after it; a delegate its delegation
// does not let speak takes none for its State.
func TestGroupSpeaker(t *testing.T) {
	t.Parallel()
	demoStore.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Date(2026, 7, 6, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		d, err := svc.Create(ctx, &concord.User{ID: 1, Role: concord.RoleChair}, decide.NewDecision{Kind: decision.KindAgendaAdoption,
			Title: concord.Text{"en": "Agenda"}, Proposal: concord.Text{"en": "Adopt the agenda."}, Modality: decision.ModalityConsensus})
		if err != nil {
			t.Fatal(err)
		}
		orgs, _, _ := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 10})
		var eu string
		for _, o := range orgs {
			if o.Acronym == "EU" {
				eu = decide.GroupCode(o.ID)
			}
		}
		term := []concord.Appointment{{Post: concord.PostGroupSpeaker, Scope: eu, From: clock.Add(-time.Hour), Until: clock.Add(time.Hour)}}
		speaker := &concord.User{ID: 5, Role: concord.RoleDelegate, State: "FRA", ReadOnly: true, Appointments: term, At: clock}
		if _, err := svc.TakePosition(ctx, speaker, d.ID, decide.PositionInput{Actor: eu, Kind: decision.PositionSupport, Lang: "en"}); err != nil {
			t.Fatalf("the EU's speaker: %v", err)
		}
		if _, err := svc.TakePosition(ctx, speaker, d.ID, decide.PositionInput{Kind: decision.PositionSupport, Lang: "en"}); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a reading delegate spoke for its State: %v", err)
		}
		late := *speaker
		late.At = clock.Add(2 * time.Hour)
		if _, err := svc.TakePosition(ctx, &late, d.ID, decide.PositionInput{Actor: eu, Kind: decision.PositionReservation, Lang: "en"}); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a speaker whose term ended: %v", err)
		}
		got, err := db.GetDecision(ctx, d.ID)
		if err != nil || len(got.Facts.Positions) != 1 || got.Facts.Positions[0].Actor != eu {
			t.Errorf("positions %+v %v", got.Facts.Positions, err)
		}
	})
}
