package cofac_test

import (
	"concord/cofacilitator"
	"concord/decision"
	"concord/rule"
	"context"
	"errors"
	"testing"
	"time"

	"concord"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	chair = &concord.User{ID: 1, Role: concord.RoleChair}
	sec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
)

func delegate(iso3 string) *concord.User {
	return &concord.User{ID: 10, Role: concord.RoleDelegate, State: iso3}
}

// fixture is a service over a fresh store with a clock the test moves.
type fixture struct {
	t     *testing.T
	db    *store.DB
	svc   *cofac.Service
	clock time.Time
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	f := &fixture{t: t, db: db, clock: time.Date(2026, 4, 1, 14, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.clock }
	dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	f.svc = &cofac.Service{DB: db, Decide: dec, Process: concord.DefaultProcessCode}
	return f
}

func (f *fixture) at(s string) {
	f.t.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock = t
}

func (f *fixture) nominate(u *concord.User, dtg, term, person, state, gender string, expertise ...string) cofac.Nomination {
	f.t.Helper()
	n, err := f.svc.Nominate(ctx, u, cofac.NominationInput{DTG: dtg, Term: term, Person: person, State: state, Gender: gender, Expertise: expertise})
	if err != nil {
		f.t.Fatalf("nominate %s (%s): %v", person, state, err)
	}
	return n
}

// rule records a new version of the co-facilitator rule with mode,
// effective at the fixture's clock.
func (f *fixture) rule(mode cofacilitator.Appointment) {
	f.t.Helper()
	p := cofacilitator.DefaultPolicy()
	p.Appointment = mode
	v := rule.Version{Code: cofacilitator.RuleCode, Policy: &p, Effective: f.clock, Note: concord.Text{"en": "test: " + string(mode)}}
	if err := f.db.Update(ctx, "test", func(tx *store.Tx) error { return tx.AddRuleVersion(concord.DefaultProcessCode, &v) }); err != nil {
		f.t.Fatal(err)
	}
}

// counts is what the store holds of the feature, to prove a refusal saved
// nothing.
func (f *fixture) counts() [4]int64 {
	f.t.Helper()
	noms, err := f.svc.Nominations(ctx, "", "")
	if err != nil {
		f.t.Fatal(err)
	}
	sets, err := f.svc.Sets(ctx, "")
	if err != nil {
		f.t.Fatal(err)
	}
	ds, err := f.db.ListDecisions(ctx, concord.DefaultProcessCode)
	if err != nil {
		f.t.Fatal(err)
	}
	head, err := f.db.AuditHead(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return [4]int64{int64(len(noms)), int64(len(sets)), int64(len(ds)), head}
}

func wantErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	var de *concord.Error
	if !errors.As(err, &de) || de.Code != code || de.Field != field {
		t.Errorf("%s: %v, want %s on %q", what, err, code, field)
	}
}

func TestNominateAndWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		fra := delegate("FRA")
		n := f.nominate(fra, "DTG-1", "2026-2027", "Camille Laurent", "", "female", " norms ", "CERT cooperation", "Norms")
		if n.ID == 0 || n.Doc.ID == "" || n.Doc.State != "FRA" || n.Scope != "DTG-1" || n.Kind != decide.KindCoFacNominee {
			t.Fatalf("nomination %+v", n)
		}
		if len(n.Doc.Expertise) != 2 || n.Doc.Expertise[0] != "norms" {
			t.Errorf("expertise trimmed and deduplicated: %q", n.Doc.Expertise)
		}
		sen := f.nominate(sec, "DTG-1", "2026-2027", "Awa Diop", "sen", "female", "capacity-building")
		if sen.Doc.State != "SEN" {
			t.Errorf("the Secretariat enters Senegal's nomination: %+v", sen.Doc)
		}
		before := f.counts()
		refusals := []struct {
			what        string
			u           *concord.User
			in          cofac.NominationInput
			code, field string
		}{
			{"a delegate for another State", fra, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Hans Weber", State: "DEU"}, concord.EForbidden, "state"},
			{"the Chair, for a State", chair, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Hans Weber", State: "DEU"}, concord.EForbidden, "state"},
			{"the Chair, without a State", chair, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Hans Weber"}, concord.EForbidden, "state"},
			{"a focal point", &concord.User{ID: 5, Role: concord.RoleFocalPoint, OrgID: 3}, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "X", State: "DEU"}, concord.EForbidden, "state"},
			{"the public", nil, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "X", State: "DEU"}, concord.EForbidden, "state"},
			{"the same person twice", fra, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "camille  LAURENT", Gender: "female"}, concord.EConflict, "person"},
			{"no name", fra, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "  "}, concord.EInvalid, "person"},
			{"no term", fra, cofac.NominationInput{DTG: "DTG-1", Person: "Luc Moreau"}, concord.EInvalid, "term"},
			{"a malformed term", fra, cofac.NominationInput{DTG: "DTG-1", Term: "2026/27", Person: "Luc Moreau"}, concord.EInvalid, "term"},
			{"an unknown DTG", fra, cofac.NominationInput{DTG: "DTG-9", Term: "2026-2027", Person: "Luc Moreau"}, concord.EInvalid, "dtg"},
			{"an unknown gender", fra, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Luc Moreau", Gender: "m"}, concord.EInvalid, "gender"},
			{"an observer State", sec, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Luca Bianchi", State: "VAT"}, concord.EInvalid, "state"},
			{"an unknown State", sec, cofac.NominationInput{DTG: "DTG-1", Term: "2026-2027", Person: "Luca Bianchi", State: "XXX"}, concord.EInvalid, "state"},
		}
		for _, c := range refusals {
			_, err := f.svc.Nominate(ctx, c.u, c.in)
			wantErr(t, c.what, err, c.code, c.field)
		}
		if after := f.counts(); after != before {
			t.Errorf("refusals saved something: %v -> %v", before, after)
		}
		// The same person for another DTG or another term is a new nomination.
		f.nominate(fra, "DTG-2", "2026-2027", "Camille Laurent", "", "female", "capacity-building")
		f.nominate(fra, "DTG-1", "2028-2029", "Camille Laurent", "", "female", "norms")

		// Withdrawal: only by the nominating State (or the Secretariat).
		_, err := f.svc.Withdraw(ctx, delegate("DEU"), n.ID)
		wantErr(t, "another State withdraws", err, concord.EForbidden, "")
		_, err = f.svc.Withdraw(ctx, chair, n.ID)
		wantErr(t, "the Chair withdraws", err, concord.EForbidden, "")
		_, err = f.svc.Withdraw(ctx, fra, 999999)
		wantErr(t, "no such nomination", err, concord.ENotFound, "")
		f.clock = f.clock.Add(time.Hour)
		w, err := f.svc.Withdraw(ctx, fra, n.ID)
		if err != nil || w.Doc.Standing() || !w.Doc.WithdrawnAt.Equal(f.clock) || w.Doc.ID != n.Doc.ID {
			t.Fatalf("withdraw: %+v %v", w.Doc, err)
		}
		_, err = f.svc.Withdraw(ctx, fra, n.ID)
		wantErr(t, "withdrawn twice", err, concord.EConflict, "")
		if _, err := f.svc.Withdraw(ctx, sec, sen.ID); err != nil {
			t.Errorf("the Secretariat withdraws Senegal's nomination: %v", err)
		}
		// Once withdrawn, the State may nominate the person again.
		f.nominate(fra, "DTG-1", "2026-2027", "Camille Laurent", "", "female", "norms")
		list, err := f.svc.Nominations(ctx, "DTG-1", "2026-2027")
		if err != nil || len(list) != 3 || list[0].Doc.Standing() || !list[2].Doc.Standing() {
			t.Errorf("DTG-1 2026-2027: %d nominations, %v", len(list), err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestProposeSetUnderEachRule: an unbalanced set is refused with every rule
// explained and nothing saved; a balanced one opens the decision under the
// mode of the rule in force when it is proposed.
func TestProposeSetUnderEachRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const term = "2026-2027"
		sen := f.nominate(delegate("SEN"), "DTG-1", term, "Awa Diop", "", "female", "capacity-building")
		nor := f.nominate(delegate("NOR"), "DTG-1", term, "Jonas Berg", "", "male", "norms")
		fra := f.nominate(delegate("FRA"), "DTG-1", term, "Luc Moreau", "", "male", "critical infrastructure")
		other := f.nominate(delegate("KEN"), "DTG-1", "2028-2029", "Grace Wanjiru", "", "female", "CERT cooperation")

		before := f.counts()
		_, err := f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{fra.ID, nor.ID}})
		ue, ok := cofac.IsUnbalanced(err)
		if !ok {
			t.Fatalf("France and Norway: %v", err)
		}
		wantErr(t, "unbalanced", err, concord.EInvalid, "nominations")
		failed := map[cofacilitator.Criterion]bool{}
		for _, c := range ue.Set.Checks {
			if c.Status == cofacilitator.Fail {
				failed[c.Rule] = true
			}
			if c.Key == "" {
				t.Errorf("check %s has no explanation", c.Rule)
			}
		}
		if len(ue.Set.Checks) != 8 || !failed[cofacilitator.CriterionDevelopedDeveloping] || !failed[cofacilitator.CriterionRegionalGroups] || len(failed) != 2 {
			t.Errorf("checks %+v", ue.Set.Checks)
		}
		for _, c := range []struct {
			what        string
			u           *concord.User
			in          cofac.SetInput
			code, field string
		}{
			{"a delegate proposes", delegate("FRA"), cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, nor.ID}}, concord.EForbidden, ""},
			{"no nominations", chair, cofac.SetInput{DTG: "DTG-1"}, concord.EInvalid, "nominations"},
			{"a nomination twice", chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, sen.ID}}, concord.EInvalid, "nominations"},
			{"an unknown nomination", chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, 999999}}, concord.EInvalid, "nominations"},
			{"two terms", chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, other.ID}}, concord.EInvalid, "nominations"},
			{"an unknown DTG", chair, cofac.SetInput{DTG: "DTG-3", Nominations: []int64{sen.ID, nor.ID}}, concord.EInvalid, "dtg"},
		} {
			_, err := f.svc.ProposeSet(ctx, c.u, c.in)
			wantErr(t, c.what, err, c.code, c.field)
		}
		if after := f.counts(); after != before {
			t.Errorf("refused sets saved something: %v -> %v", before, after)
		}

		// Version 1 (chair_appoints): the Chair's act appoints.
		f.clock = f.clock.Add(time.Hour)
		v, err := f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, nor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if v.DecisionID == 0 || v.Decision.Policy.Modality != decision.ModalityChairDecision || v.Doc.Policy.Version != 1 ||
			v.Decision.Facts.Kind != decision.KindCoFacilitatorAppointment || v.Decision.Facts.Subject != decide.SubjectOf(decide.KindCoFacSet, v.ID) {
			t.Fatalf("set %+v, decision %+v", v.Set, v.Decision)
		}
		if v.Result.State != cofacilitator.Proposed || v.Doc.Categories["SEN"] != concord.Developing || v.Doc.Groups["NOR"] != "WEOG" {
			t.Errorf("state %s, facts %v %v", v.Result.State, v.Doc.Categories, v.Doc.Groups)
		}
		if v.Decision.Title["ar"] == "" || v.Decision.Facts.Proposal["zh"] == "" {
			t.Errorf("the decision's texts are in six languages: %v", v.Decision.Title)
		}
		_, err = f.svc.Withdraw(ctx, delegate("SEN"), sen.ID)
		wantErr(t, "withdraw a proposed candidate", err, concord.EConflict, "")
		_, err = f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, fra.ID}})
		wantErr(t, "a second set while one is proposed", err, concord.EConflict, "nominations")
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.Decide.Act(ctx, chair, v.DecisionID, decision.ActDecide, true, nil); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Set(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Result.State != cofacilitator.Appointed || len(d.Simulation) != 3 {
			t.Errorf("after the Chair's act: %s, %d simulations", d.Result.State, len(d.Simulation))
		}
		_, err = f.svc.Withdraw(ctx, delegate("SEN"), sen.ID)
		wantErr(t, "withdraw an appointed candidate", err, concord.EConflict, "")

		// Version 2 (consensus_approval): one objection blocks.
		f.at("2026-05-01T14:00:00Z")
		f.rule(cofacilitator.ConsensusApproval)
		mex := f.nominate(delegate("MEX"), "DTG-2", term, "Sofía Ramírez", "", "female", "capacity-building")
		jpn := f.nominate(delegate("JPN"), "DTG-2", term, "Kenji Sato", "", "male", "incident response")
		f.clock = f.clock.Add(time.Hour)
		v2, err := f.svc.ProposeSet(ctx, sec, cofac.SetInput{DTG: "DTG-2", Nominations: []int64{mex.ID, jpn.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if v2.Decision.Policy.Modality != decision.ModalityChairProposalConsensusApproval || v2.Doc.Policy.Version != 2 || !v2.Decision.Facts.Deadline.IsZero() {
			t.Errorf("consensus approval: %+v", v2.Decision.Policy)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.Decide.TakePosition(ctx, delegate("RUS"), v2.DecisionID, decide.PositionInput{Kind: decision.PositionObjection, Text: "Not consulted.", Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.Decide.Act(ctx, chair, v2.DecisionID, decision.ActDecide, true, nil); err != nil {
			t.Fatal(err)
		}
		d2, err := f.svc.Set(ctx, v2.ID)
		if err != nil || d2.Result.State != cofacilitator.Blocked || d2.Result.Decision.Outcome != decision.OutcomeNotAdopted {
			t.Fatalf("blocked: %+v %v", d2.Result.State, err)
		}
		sims := map[cofacilitator.Appointment]cofacilitator.State{}
		for _, s := range d2.Simulation {
			sims[s.Policy.Appointment] = s.Result.State
		}
		if sims[cofacilitator.ChairAppoints] != cofacilitator.Appointed || sims[cofacilitator.ChairProposalSilence] != cofacilitator.Blocked {
			t.Errorf("simulation of the blocked set: %v", sims)
		}
		// A blocked set frees its candidates.
		if _, err := f.svc.Withdraw(ctx, delegate("JPN"), jpn.ID); err != nil {
			t.Errorf("withdraw from a blocked set: %v", err)
		}

		// Version 3 (chair_proposal_silence): adopted when the period ends unbroken.
		f.at("2026-06-01T14:00:00Z")
		f.rule(cofacilitator.ChairProposalSilence)
		aus := f.nominate(delegate("AUS"), "DTG-2", term, "Olivia Clarke", "", "female", "capacity-building")
		_, err = f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-2", Nominations: []int64{mex.ID, jpn.ID}})
		wantErr(t, "a withdrawn nomination in a set", err, concord.EInvalid, "nominations")
		f.clock = f.clock.Add(time.Hour)
		v3, err := f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-2", Nominations: []int64{mex.ID, aus.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if v3.Decision.Policy.Modality != decision.ModalityChairProposalSilence || v3.Result.Decision.Deadline != f.clock.Add(72*time.Hour) || v3.Result.State != cofacilitator.Proposed {
			t.Errorf("silence: %+v, deadline %v, %s", v3.Decision.Policy, v3.Result.Decision.Deadline, v3.Result.State)
		}
		f.clock = f.clock.Add(72 * time.Hour)
		d3, err := f.svc.Set(ctx, v3.ID)
		if err != nil || d3.Result.State != cofacilitator.Approved {
			t.Errorf("silence unbroken: %s %v", d3.Result.State, err)
		}
		sets, err := f.svc.Sets(ctx, "DTG-2")
		if err != nil || len(sets) != 2 || sets[0].ID != v3.ID {
			t.Errorf("DTG-2 sets, newest first: %d %v", len(sets), err)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRotationFromEarlierTerms: the seats of the sets appointed for
// 2026-2027 bar their States from the next term's sets (one-term rotation),
// on the board's suggested pairs and when the Chair proposes.
func TestRotationFromEarlierTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sen := f.nominate(delegate("SEN"), "DTG-1", "2026-2027", "Awa Diop", "", "female", "capacity-building")
		nor := f.nominate(delegate("NOR"), "DTG-1", "2026-2027", "Jonas Berg", "", "male", "norms")
		v, err := f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen.ID, nor.ID}})
		if err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(time.Hour)
		if _, err := f.svc.Decide.Act(ctx, chair, v.DecisionID, decision.ActDecide, true, nil); err != nil {
			t.Fatal(err)
		}
		// The next term: Senegal nominates again, with Kenya and Japan.
		f.at("2027-11-01T14:00:00Z")
		sen2 := f.nominate(delegate("SEN"), "DTG-1", "2028-2029", "Moussa Ndiaye", "", "male", "norms")
		ken := f.nominate(delegate("KEN"), "DTG-1", "2028-2029", "Grace Wanjiru", "", "female", "CERT cooperation")
		jpn := f.nominate(delegate("JPN"), "DTG-1", "2028-2029", "Kenji Sato", "", "male", "incident response")
		b, err := f.svc.Board(ctx, "DTG-1", "2028-2029")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Previous) != 2 || b.Previous[0].TermsAgo != 1 || b.Previous[0].Term != "2026-2027" || len(b.Nominations) != 3 || b.Open != nil {
			t.Errorf("board: previous %+v, %d nominations", b.Previous, len(b.Nominations))
		}
		pairs, err := b.Pairs(10)
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != 1 || pairs[0].Nominations[0].ID != ken.ID || pairs[0].Nominations[1].ID != jpn.ID {
			t.Errorf("balanced pairs: %+v", pairs)
		}
		_, err = f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{sen2.ID, jpn.ID}})
		ue, ok := cofac.IsUnbalanced(err)
		if !ok {
			t.Fatalf("Senegal again: %v", err)
		}
		for _, c := range ue.Set.Checks {
			if (c.Status == cofacilitator.Fail) != (c.Rule == cofacilitator.CriterionRotation) {
				t.Errorf("%s: %s", c.Rule, c.Status)
			}
			if c.Rule == cofacilitator.CriterionRotation && c.Args["states"] != "SEN (2026-2027)" {
				t.Errorf("rotation explained with %v", c.Args)
			}
		}
		v2, err := f.svc.ProposeSet(ctx, chair, cofac.SetInput{DTG: "DTG-1", Nominations: []int64{ken.ID, jpn.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(v2.Doc.Previous) != 2 {
			t.Errorf("the set keeps the seats it was checked against: %+v", v2.Doc.Previous)
		}
		// The earlier term's board is unchanged and has no suggestions
		// (its set holds the seats).
		b0, err := f.svc.Board(ctx, "DTG-1", "2026-2027")
		if err != nil || b0.Open == nil || b0.Open.ID != v.ID || len(b0.Previous) != 0 || len(b0.Terms) != 2 {
			t.Errorf("2026-2027 board: %+v %v", b0.Open, err)
		}
		if p, _ := b0.Pairs(10); len(p) != 0 {
			t.Errorf("pairs while a set holds the seats: %d", len(p))
		}
		if _, err := f.svc.Board(ctx, "DTG-9", ""); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("unknown DTG: %v", err)
		}
		if _, err := f.svc.Board(ctx, "DTG-1", "later"); concord.ErrorCode(err) != concord.EInvalid {
			t.Errorf("malformed term: %v", err)
		}
	})
}
