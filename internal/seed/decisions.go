package seed

import (
	"concord/decision"
	"context"
	"fmt"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// Decisions adds the organisational session's procedural proposals that are
// not one of the four applications' subjects (agendas, co-facilitators,
// topics and briefers seed their own): Colombia's time-limited mandates,
// Senegal's record of divergence and Brazil's elevation protocol (domain
// brief §5 rows 5–7), run through the real engine. Positions follow what the
// sources report where they report it; the rest is illustrative. It does
// nothing when decisions exist.
func Decisions(ctx context.Context, db *store.DB) error {
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	if ds, err := db.ListDecisions(ctx, svc.Process); err != nil || len(ds) > 0 {
		return err
	}
	clock, at, restore := scriptedClock(db)
	defer restore()
	tick := func() { *clock = clock.Add(3 * time.Minute) }
	chair := &concord.User{Role: concord.RoleChair}
	sec := &concord.User{Role: concord.RoleSecretariat}
	eu, err := euGroup(ctx, db)
	if err != nil {
		return err
	}
	type pos struct {
		actor string
		kind  decision.PositionKind
		text  string
	}
	run := func(start string, in decide.NewDecision, positions []pos, act decision.ActKind) error {
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
	// Colombia's time-limited mandates, widely welcomed (domain brief §5
	// row 5): adopted by consensus, with one reservation.
	if err := run("2026-04-01T15:00:00Z", decide.NewDecision{Kind: decision.KindGeneric,
		Title:    concord.Text{"en": "Time-limited mandates for the thematic groups", "fr": "Mandats limités dans le temps pour les groupes thématiques", "es": "Mandatos de duración limitada para los grupos temáticos"},
		Proposal: concord.Text{"en": "Each Dedicated Thematic Group works under a time-limited mandate with defined, measurable outputs; DTG 1 takes rotating subjects; outputs separate consensus recommendations from those still under development."},
		Modality: decision.ModalityConsensus},
		[]pos{{"COL", decision.PositionSupport, "Colombia proposes time-limited mandates with measurable outputs."}, {eu, decision.PositionSupport, ""},
			{"BRA", decision.PositionSupport, ""}, {"ZAF", decision.PositionSupport, ""}, {"RUS", decision.PositionReservation, "The outputs must not prejudge the plenary's decisions."}},
		decision.ActDecide); err != nil {
		return err
	}
	// Senegal: reports record both agreement and divergence (row 6), under
	// a ten-day silence procedure that nobody broke.
	if err := run("2026-04-02T15:00:00Z", decide.NewDecision{Kind: decision.KindGeneric,
		Title:    concord.Text{"en": "Reports record agreement and divergence", "fr": "Les rapports consignent les convergences et les divergences", "es": "Los informes recogen los acuerdos y las divergencias"},
		Proposal: concord.Text{"en": "Reports of the thematic groups and of the plenary document both agreement and divergence, keeping a record even where there is no consensus."},
		Modality: decision.ModalityChairProposalSilence, PeriodHours: 240},
		[]pos{{"SEN", decision.PositionSupport, "Senegal asks that every report keep a record of divergence."}}, ""); err != nil {
		return err
	}
	// Brazil's elevation protocol (row 7), not yet supported by others: the
	// Chair defers it to the intersessional period.
	return run("2026-04-02T16:00:00Z", decide.NewDecision{Kind: decision.KindGeneric,
		Title:    concord.Text{"en": "Elevation protocol from the thematic groups to the plenary", "fr": "Protocole de transmission des groupes thématiques à la plénière", "es": "Protocolo de elevación de los grupos temáticos al plenario"},
		Proposal: concord.Text{"en": "Thematic group discussions stay mostly informal, with a short formal segment in which recommendations are elevated to the plenary."},
		Modality: decision.ModalityPlenaryDecision},
		[]pos{{"BRA", decision.PositionSupport, "Brazil proposes a defined elevation protocol."}, {"IRN", decision.PositionObjection, "Informal discussions cannot produce outcomes for the plenary."}},
		decision.ActDefer)
}
