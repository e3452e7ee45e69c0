package seed

import (
	"concord/briefer"
	"concord/decision"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
)

// demoBriefer is one nomination of the demo's briefer round, with what
// States then said on its decision.
type demoBriefer struct {
	at, state, name, affiliation, expertise, dtg, meeting string
	positions                                             []demoBrieferPosition
}

type demoBrieferPosition struct {
	at, actor string // actor "EU" is the European Union as a group
	kind      decision.PositionKind
	text      string
}

// demoBriefers is a briefer round for the first meeting of DTG 1 (7
// December 2026) under the default rule, a five-day non-objection round,
// plus one nomination for DTG 2. The persons are fictitious; the
// institutions are of the kinds States named in the OEWG (a national CERT, a
// university, an industry body, an NGO). The objection stands for Russia's
// stated position (case-by-case agreement of Member States, domain brief §5
// row 4), not for anything said about these people.
var demoBriefers = []demoBriefer{
	{at: "2026-11-02T15:00:00Z", state: "BRA", name: "Ana Beatriz Costa", affiliation: "CERT.br (Brazilian National Computer Emergency Response Team)",
		expertise: "Coordinates incident response for Brazil's internet; ransomware against hospitals and energy operators.", dtg: "DTG-1", meeting: "2026-12-07",
		positions: []demoBrieferPosition{{"2026-11-03T14:00:00Z", "EU", decision.PositionSupport, "The European Union and its member States welcome the nomination."},
			{"2026-11-04T10:00:00Z", "KEN", decision.PositionNoObjection, ""}}},
	{at: "2026-11-03T14:30:00Z", state: "KEN", name: "Wanjiru Kamau", affiliation: "Strathmore University, Nairobi",
		expertise: "Research on the protection of critical information infrastructure and on cyber capacity in East Africa.", dtg: "DTG-1", meeting: "2026-12-07",
		positions: []demoBrieferPosition{{"2026-11-04T09:00:00Z", "SEN", decision.PositionSupport, "Senegal supports a briefer from the region."},
			{"2026-11-05T16:00:00Z", "MAR", decision.PositionSupport, ""}}},
	{at: "2026-11-04T16:00:00Z", state: "SGP", name: "Daniel Lim", affiliation: "GSMA (association of mobile network operators)",
		expertise: "Security of mobile networks: signalling attacks, fraud and SIM swapping.", dtg: "DTG-1", meeting: "2026-12-07",
		positions: []demoBrieferPosition{{"2026-11-06T15:00:00Z", "IRN", decision.PositionReservation, "Iran recalls that the stakeholder modalities agreed for the Mechanism apply to its thematic groups."}}},
	{at: "2026-11-05T15:00:00Z", state: "NLD", name: "Sofia Lindqvist", affiliation: "CyberPeace Institute, Geneva",
		expertise: "Analysis of cyberattacks against humanitarian and health organisations.", dtg: "DTG-1", meeting: "2026-12-07",
		positions: []demoBrieferPosition{{"2026-11-07T13:00:00Z", "RUS", decision.PositionObjection, "The Russian Federation has not agreed to this briefer: external briefers at the thematic groups need the case-by-case agreement of Member States."},
			{"2026-11-11T15:00:00Z", "NLD", decision.PositionExplanation, "The Netherlands regrets that one objection kept the thematic group from hearing this expertise."}}},
	{at: "2026-11-06T14:00:00Z", state: "GHA", name: "Abena Owusu", affiliation: "Cyber Security Authority of Ghana (CERT-GH)",
		expertise: "Building national incident-response teams; the African Union's cyber capacity programmes.", dtg: "DTG-2", meeting: "2026-12-09",
		positions: []demoBrieferPosition{{"2026-11-07T10:00:00Z", "EU", decision.PositionSupport, ""}}},
}

// demoOpenBriefer is nominated a day before the demo is loaded, so that its
// round is still under way whenever the demo is looked at.
var demoOpenBriefer = demoBriefer{state: "MEX", name: "Lucía Hernández", affiliation: "Universidad Nacional Autónoma de México (UNAM)",
	expertise: "Cybersecurity of elections and public services in Latin America.", dtg: "DTG-1", meeting: "2026-12-07",
	positions: []demoBrieferPosition{{"", "COL", decision.PositionSupport, "Colombia supports the nomination."}}}

// Briefers adds the demo's briefer round through the real service on a
// moving clock, so every nomination, position and deadline is what the rule
// makes of it: four nominations for DTG 1 confirmed or rejected in
// November 2026, one for DTG 2, and one (Mexico's) still open. It does
// nothing when nominations exist.
func Briefers(ctx context.Context, db *store.DB) error {
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	if rs, err := store.Records[briefer.Nomination](db.Read(ctx), svc.Process, decide.KindBriefer, ""); err != nil || len(rs) > 0 {
		return err
	}
	now := db.Now().UTC()
	clock, at, restore := scriptedClock(db)
	defer restore()
	eu, err := euGroup(ctx, db)
	if err != nil {
		return err
	}
	sec := &concord.User{Role: concord.RoleSecretariat}
	nominate := func(d demoBriefer) (int64, error) {
		b, err := svc.NominateBriefer(ctx, &concord.User{Role: concord.RoleDelegate, State: d.state}, decide.BrieferInput{Name: d.name,
			Affiliation: d.affiliation, Expertise: d.expertise, DTG: d.dtg, MeetingDate: d.meeting})
		if err != nil {
			return 0, fmt.Errorf("seed briefer %s: %w", d.name, err)
		}
		return b.Decision.ID, nil
	}
	take := func(p demoBrieferPosition, decision int64) error {
		actor := p.actor
		if actor == "EU" {
			if eu == "" {
				return nil // a registry without the EU: its position is left out
			}
			actor = eu
		}
		// The Secretariat records each position as the State took it.
		if _, err := svc.TakePosition(ctx, sec, decision, decide.PositionInput{Actor: actor, Kind: p.kind, Text: p.text, Lang: "en"}); err != nil {
			return fmt.Errorf("seed briefer position %s: %w", p.actor, err)
		}
		return nil
	}
	// Every nomination and position in the order they happened.
	type event struct {
		at      string
		briefer int
		pos     *demoBrieferPosition
	}
	var events []event
	for i, d := range demoBriefers {
		events = append(events, event{at: d.at, briefer: i})
		for k := range d.positions {
			events = append(events, event{at: d.positions[k].at, briefer: i, pos: &d.positions[k]})
		}
	}
	slices.SortStableFunc(events, func(a, b event) int { return strings.Compare(a.at, b.at) })
	decisions := make([]int64, len(demoBriefers))
	for _, e := range events {
		at(e.at)
		var err error
		if e.pos == nil {
			decisions[e.briefer], err = nominate(demoBriefers[e.briefer])
		} else {
			err = take(*e.pos, decisions[e.briefer])
		}
		if err != nil {
			return err
		}
	}
	// The open round: a day old on the real clock. Its meeting is DTG 1's of
	// 7 December 2026 while that is still ahead, otherwise one three weeks
	// on, so that a demo loaded later stays coherent.
	o := demoOpenBriefer
	*clock = now.Add(-26 * time.Hour).Truncate(time.Minute)
	if opens := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC); !clock.Before(opens.Add(-time.Hour)) {
		o.meeting = clock.AddDate(0, 0, 21).Format(time.DateOnly)
	}
	id, err := nominate(o)
	if err != nil {
		return err
	}
	*clock = clock.Add(3 * time.Hour)
	return take(o.positions[0], id)
}
