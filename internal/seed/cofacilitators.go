package seed

import (
	"concord/cofacilitator"
	"concord/decision"
	"concord/rule"
	"context"
	"fmt"
	"time"

	"concord"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/store"
)

// The demo's co-facilitator candidates. The States and the disputes are the
// Global Mechanism's (domain brief §5 rows 1–2); the candidates' names are
// invented, so that no real person is shown as nominated.
type demoCandidate struct {
	dtg, term, state, person, gender string
	expertise                        []string
}

var demoCandidates = []demoCandidate{
	// DTG 1, 2026-2027.
	{"DTG-1", "2026-2027", "SGP", "Tan Wei Ling", "female", []string{"critical infrastructure protection", "CERT cooperation"}},
	{"DTG-1", "2026-2027", "NLD", "Pieter van Dijk", "male", []string{"international law", "norms implementation"}},
	{"DTG-1", "2026-2027", "KEN", "Wanjiru Kamau", "female", []string{"incident response", "capacity-building"}},
	{"DTG-1", "2026-2027", "EST", "Kadri Tamm", "female", []string{"cyber diplomacy", "confidence-building measures"}},
	{"DTG-1", "2026-2027", "BRA", "Rafael Almeida", "male", []string{"ransomware", "international law"}},
	{"DTG-1", "2026-2027", "RUS", "Dmitry Orlov", "male", []string{"international information security"}},
	// DTG 2, 2026-2027.
	{"DTG-2", "2026-2027", "CAN", "Jean-François Roy", "male", []string{"cyber capacity-building", "project design"}},
	{"DTG-2", "2026-2027", "IND", "Priya Raman", "female", []string{"CERT development", "digital public infrastructure"}},
	{"DTG-2", "2026-2027", "MAR", "Leila Bennani", "female", []string{"capacity-building", "gender and cyber"}},
	{"DTG-2", "2026-2027", "JPN", "Haruto Sato", "male", []string{"incident response training"}},
	{"DTG-2", "2026-2027", "COL", "Catalina Restrepo", "female", []string{"capacity needs assessment"}},
	{"DTG-2", "2026-2027", "EGY", "Karim Mansour", "male", []string{"cybercrime legislation", "capacity-building"}},
	{"DTG-2", "2026-2027", "CHN", "Zhang Min", "female", []string{"ICT infrastructure", "capacity-building"}},
	// DTG 1, the next term: early nominations, on which rotation bites.
	{"DTG-1", "2028-2029", "SGP", "Ravi Menon", "male", []string{"critical infrastructure protection"}},
	{"DTG-1", "2028-2029", "DEU", "Anna Weber", "female", []string{"norms implementation", "ransomware"}},
	{"DTG-1", "2028-2029", "CHL", "Valentina Soto", "female", []string{"confidence-building measures"}},
	{"DTG-1", "2028-2029", "NGA", "Chinedu Okeke", "male", []string{"incident response", "international law"}},
}

// CoFacilitators adds the co-facilitator dispute of 2026 as it could have
// run under each appointment rule, through the real services and on a
// clock moved to each step: nominations by the States for both DTGs, one
// withdrawn; a DTG 1 set appointed by the Chair under the rules of March
// 2026 (Iran objecting, Russia reserving); a new version of the rules
// (consensus approval, after consultations) under which a DTG 2 set is
// blocked by Russia's objection; a third version (the Chair's proposal under
// a 72-hour silence procedure) under which another DTG 2 set is approved
// unbroken; and early nominations for 2028-2029, where the seats of 2026-2027
// bar their States under the rotation rule. It does nothing when
// nominations exist.
func CoFacilitators(ctx context.Context, db *store.DB) error {
	dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	svc := &cofac.Service{DB: db, Decide: dec, Process: concord.DefaultProcessCode}
	if ns, err := svc.Nominations(ctx, "", ""); err != nil || len(ns) > 0 {
		return err
	}
	clock, at, restore := scriptedClock(db)
	defer restore()
	tick := func() { *clock = clock.Add(7 * time.Minute) }
	chair := &concord.User{Role: concord.RoleChair}
	sec := &concord.User{Role: concord.RoleSecretariat}
	eu, err := euGroup(ctx, db)
	if err != nil {
		return err
	}

	ids := map[string]int64{} // term/state -> nomination
	nominate := func(start string, term string) error {
		at(start)
		for _, c := range demoCandidates {
			if c.term != term {
				continue
			}
			tick()
			n, err := svc.Nominate(ctx, &concord.User{Role: concord.RoleDelegate, State: c.state}, cofac.NominationInput{DTG: c.dtg, Term: c.term,
				Person: c.person, Gender: c.gender, Expertise: c.expertise})
			if err != nil {
				return fmt.Errorf("seed nomination %s: %w", c.person, err)
			}
			ids[c.term+"/"+c.state] = n.ID
		}
		return nil
	}
	type pos struct {
		actor string
		kind  decision.PositionKind
		text  string
	}
	propose := func(start, dtg string, states []string, positions []pos, act decision.ActKind) error {
		at(start)
		var noms []int64
		for _, s := range states {
			noms = append(noms, ids["2026-2027/"+s])
		}
		v, err := svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: dtg, Nominations: noms})
		if err != nil {
			return fmt.Errorf("seed set %v: %w", states, err)
		}
		for _, p := range positions {
			tick()
			if _, err := dec.TakePosition(ctx, sec, v.DecisionID, decide.PositionInput{Actor: p.actor, Kind: p.kind, Text: p.text, Lang: "en"}); err != nil {
				return fmt.Errorf("seed position %s: %w", p.actor, err)
			}
		}
		if act != "" {
			at(start)
			*clock = clock.Add(72 * time.Hour)
			if _, err := dec.Act(ctx, chair, v.DecisionID, act, true, nil); err != nil {
				return fmt.Errorf("seed act: %w", err)
			}
		}
		return nil
	}
	rule := func(start string, mode cofacilitator.Appointment, note string) error {
		at(start)
		p := cofacilitator.DefaultPolicy()
		p.Appointment = mode
		_, err := dec.AddRule(ctx, sec, rule.Version{Code: cofacilitator.RuleCode, Policy: &p, Effective: *clock, Note: concord.Text{"en": note}})
		return err
	}

	if err := nominate("2026-04-08T14:00:00Z", "2026-2027"); err != nil {
		return err
	}
	// Brazil withdraws its candidate before the Chair proposes.
	at("2026-04-15T15:00:00Z")
	if _, err := svc.Withdraw(ctx, &concord.User{Role: concord.RoleDelegate, State: "BRA"}, ids["2026-2027/BRA"]); err != nil {
		return fmt.Errorf("seed withdrawal: %w", err)
	}
	// Rules of March 2026: the Chair appoints after consultations.
	if err := propose("2026-04-20T14:00:00Z", "DTG-1", []string{"SGP", "NLD"}, []pos{
		{eu, decision.PositionSupport, "The European Union and its member States welcome the Chair's appointment, in line with General Assembly practice."},
		{"IRN", decision.PositionObjection, "Co-facilitators must be approved by consensus; a clause authorising the Chair was deliberately deleted from the OEWG draft."},
		{"RUS", decision.PositionReservation, "The Russian Federation reserves its position on the method, not on the persons."},
		{"EGY", decision.PositionSupport, ""},
		{"MYS", decision.PositionNoObjection, ""},
	}, decision.ActDecide); err != nil {
		return err
	}
	if err := rule("2026-05-04T14:00:00Z", cofacilitator.ConsensusApproval,
		"After intersessional consultations: the Chair proposes each remaining set after consulting the regional groups, and the States approve it by consensus, as Russia, Iran, China, Belarus, Nicaragua and Cuba asked."); err != nil {
		return err
	}
	if err := propose("2026-05-11T14:00:00Z", "DTG-2", []string{"CAN", "IND"}, []pos{
		{eu, decision.PositionSupport, ""},
		{"SEN", decision.PositionSupport, "Senegal asks that both agreement and divergence be recorded."},
		{"RUS", decision.PositionObjection, "The proposal was not the outcome of consultations with all regional groups."},
		{"CHN", decision.PositionReservation, "China reserves its position pending further consultations."},
	}, decision.ActDecide); err != nil {
		return err
	}
	if err := rule("2026-06-01T14:00:00Z", cofacilitator.ChairProposalSilence,
		"Compromise reached in consultations: the Chair proposes each set, which stands unless a State breaks silence within 72 hours."); err != nil {
		return err
	}
	if err := propose("2026-06-08T14:00:00Z", "DTG-2", []string{"MAR", "JPN"}, []pos{
		{"MAR", decision.PositionSupport, "Regional balance and gender balance are both met."},
		{"AUS", decision.PositionSupport, ""},
		{"IRN", decision.PositionExplanation, "Iran does not break silence; this does not prejudge how future co-facilitators are appointed."},
	}, ""); err != nil {
		return err
	}
	return nominate("2026-10-20T14:00:00Z", "2028-2029")
}
