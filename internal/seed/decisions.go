package seed

import (
	"context"
	"fmt"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// Decisions adds the organisational session's procedural disputes as
// decisions run through the real engine: co-facilitator appointments under
// two modalities, an advisory topic survey and a briefer's non-objection
// round (the agenda not adopted is the agenda application's own, seeded by
// Agenda). Positions follow what the sources report where they report it;
// the rest is illustrative. It does nothing when decisions exist.
func Decisions(ctx context.Context, db *store.DB) error {
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	if ds, err := db.ListDecisions(ctx, svc.Process); err != nil || len(ds) > 0 {
		return err
	}
	realNow := db.Now
	defer func() { db.Now = realNow }()
	var clock time.Time
	db.Now = func() time.Time { return clock }
	at := func(s string) { clock, _ = time.Parse(time.RFC3339, s) }
	tick := func() { clock = clock.Add(3 * time.Minute) }
	chair := &concord.User{Role: concord.RoleChair}
	sec := &concord.User{Role: concord.RoleSecretariat}
	groups, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 100})
	if err != nil {
		return err
	}
	eu := ""
	for _, g := range groups {
		if g.Acronym == "EU" {
			eu = decide.GroupCode(g.ID)
		}
	}
	type pos struct {
		actor string
		kind  concord.PositionKind
		text  string
	}
	run := func(start string, in decide.NewDecision, positions []pos, act concord.DecisionActKind) error {
		at(start)
		d, err := svc.Create(ctx, chair, in)
		if err != nil {
			return fmt.Errorf("seed decision %q: %w", in.Title["en"], err)
		}
		for _, p := range positions {
			tick()
			if _, err := svc.TakePosition(ctx, sec, d.ID, decide.PositionInput{Actor: p.actor, Kind: p.kind, Text: p.text, Lang: "en"}); err != nil {
				return fmt.Errorf("seed position %s: %w", p.actor, err)
			}
		}
		if act != "" {
			tick()
			if _, err := svc.Act(ctx, chair, d.ID, act, true, nil); err != nil {
				return fmt.Errorf("seed act: %w", err)
			}
		}
		return nil
	}
	if err := run("2026-03-30T14:00:00Z", decide.NewDecision{Kind: concord.DecisionCoFacilitatorAppointment,
		Title:    concord.Text{"en": "Co-facilitators of the Dedicated Thematic Group on threats"},
		Proposal: concord.Text{"en": "The Chair proposes two co-facilitators after consultations, under a 72-hour silence procedure."},
		Modality: concord.ModalityChairProposalSilence, PeriodHours: 72},
		[]pos{{"IRN", concord.PositionObjection, "Co-facilitators must be approved by consensus."}}, ""); err != nil {
		return err
	}
	approve := []pos{{eu, concord.PositionSupport, ""}, {"MAR", concord.PositionSupport, ""}, {"SGP", concord.PositionSupport, ""}, {"RUS", concord.PositionReservation, "On the method, not the persons."}}
	if err := run("2026-03-31T14:00:00Z", decide.NewDecision{Kind: concord.DecisionCoFacilitatorAppointment,
		Title:    concord.Text{"en": "Co-facilitators of the Dedicated Thematic Group on capacity-building"},
		Proposal: concord.Text{"en": "The Chair proposes a pair from two regional groups, one developed and one developing State, for approval by consensus."},
		Modality: concord.ModalityChairProposalConsensusApproval}, approve, concord.DecisionActDecide); err != nil {
		return err
	}
	if err := run("2026-04-01T14:00:00Z", decide.NewDecision{Kind: concord.DecisionDTGTopics,
		Title:    concord.Text{"en": "Topics of the thematic groups: preference survey"},
		Proposal: concord.Text{"en": "States indicate their preferred topics; the result advises the Chair's proposal, with equal weight per regional group."},
		Modality: concord.ModalityAdvisorySurvey, PeriodHours: 240},
		[]pos{{"MAR", concord.PositionSupport, "Regional balance in the choice of topics."}, {"CHN", concord.PositionSupport, ""}, {"FRA", concord.PositionAbstention, ""}}, ""); err != nil {
		return err
	}
	return run("2026-04-02T14:00:00Z", decide.NewDecision{Kind: concord.DecisionBrieferConfirmation,
		Title:    concord.Text{"en": "External briefer nominated by Morocco for the first thematic meeting"},
		Proposal: concord.Text{"en": "Confirm the briefer unless a State objects within 72 hours."},
		Modality: concord.ModalityChairProposalSilence, PeriodHours: 72}, nil, "")
}
