package statements_test

import (
	"concord/decision"
	"concord/statement"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/statements"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestRegisterMapAndWithdraw: positions on an agenda item from statements
// make the register and the map with the decision record's rule (the
// group's position applies to DEU, FRA speaks for itself); withdrawing
// FRA's statement lets the group's position apply to it again, and
// withdrawing IRN's withdraws its objection on the decision too.
func TestRegisterMapAndWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		*f.clock = f.m.Start
		d, err := dec.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Proposal"}, Proposal: concord.Text{"en": "Adopt"},
			Modality: decision.ModalityConsensus, NoConsensus: decision.OutcomeNotAdopted})
		if err != nil {
			t.Fatal(err)
		}
		say := func(u *concord.User, speaker string, min int, ps ...statements.PositionInput) statements.Row {
			t.Helper()
			at := f.m.Start.Add(time.Duration(min) * time.Minute)
			*f.clock = at.Add(time.Minute)
			row, err := f.svc.Record(ctx, u, statements.Input{Meeting: f.m.ID, Item: "item-3", Speaker: speaker, Kind: statement.Plain, At: at,
				Texts: concord.Text{"en": "On item 3."}, Positions: ps})
			if err != nil {
				t.Fatal(err)
			}
			return row
		}
		say(sec, f.group, 10, statements.PositionInput{Kind: decision.PositionSupport})
		fraSt := say(fra, "", 20, statements.PositionInput{Kind: decision.PositionReservation})
		irnSt := say(irn, "", 30, statements.PositionInput{Kind: decision.PositionObjection}, statements.PositionInput{Decision: d.ID, Kind: decision.PositionObjection})

		reg, err := f.svc.ItemRegister(ctx, "GM-2026-1", "item-3")
		if err != nil {
			t.Fatal(err)
		}
		if got := entries(reg.Record.Supported); got != "DEU<"+f.group {
			t.Errorf("supported %q", got)
		}
		if got := entries(reg.Record.Reserved) + " " + entries(reg.Record.Objected); got != "FRA IRN" {
			t.Errorf("reserved, objected %q", got)
		}
		if src := reg.Record.Objected[0].Source; reg.Statements[src].ID != irnSt.ID {
			t.Errorf("source %q", src)
		}
		if _, err := f.svc.ItemRegister(ctx, "GM-2026-1", "item-9"); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("unknown item: %v", err)
		}
		m, err := f.svc.PositionMap(ctx, statements.MapFilter{})
		if err != nil || m.Session != "GM-2026-1" || len(m.Columns) != 1 || m.Columns[0].Item != "item-3" {
			t.Fatalf("map %+v %v", m, err)
		}
		kinds := map[string]decision.PositionKind{}
		for _, g := range m.Groups {
			for _, r := range g.Rows {
				kinds[r.State] = r.Cells[0].Kind
			}
		}
		if len(kinds) != 3 || kinds["DEU"] != decision.PositionSupport || kinds["FRA"] != decision.PositionReservation || kinds["IRN"] != decision.PositionObjection {
			t.Errorf("map cells %v", kinds)
		}

		// Only the speaker's delegation or the Secretariat withdraws.
		if _, err := f.svc.Withdraw(ctx, irn, fraSt.ID); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("another State withdraws: %v", err)
		}
		*f.clock = f.m.Start.Add(time.Hour)
		if _, err := f.svc.Withdraw(ctx, fra, fraSt.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Withdraw(ctx, sec, fraSt.ID); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("withdrawn twice: %v", err)
		}
		if _, err := f.svc.Withdraw(ctx, sec, irnSt.ID); err != nil {
			t.Fatal(err)
		}
		reg, err = f.svc.ItemRegister(ctx, "GM-2026-1", "item-3")
		if err != nil {
			t.Fatal(err)
		}
		if got := entries(reg.Record.Supported); got != "DEU<"+f.group+" FRA<"+f.group {
			t.Errorf("after the withdrawals, supported %q", got)
		}
		if len(reg.Record.Objected)+len(reg.Record.Reserved) != 0 {
			t.Errorf("withdrawn positions still count: %+v", reg.Record)
		}
		got, err := db.Read(ctx).Decision(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := dec.Result(got)
		if err != nil || len(res.Record.Objected) != 0 {
			t.Errorf("the objection from the withdrawn statement still stands on the decision: %+v %v", res.Record, err)
		}
		ps := got.Facts.Positions
		if last := ps[len(ps)-1]; last.Kind != decision.PositionWithdrawal || last.Source != statement.Source(irnSt.ID) {
			t.Errorf("withdrawal %+v", last)
		}
		p, err := f.svc.Get(ctx, nil, irnSt.ID)
		if err != nil || p.Live() || len(p.Stances) != 2 {
			t.Errorf("the withdrawn statement is kept, marked: %+v %v", p.Statement, err)
		}
	})
}

func entries(es []decision.Entry) string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += " "
		}
		s += e.State
		if e.Via != "" {
			s += "<" + e.Via
		}
	}
	return s
}
