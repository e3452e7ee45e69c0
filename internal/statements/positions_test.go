package statements_test

import (
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"errors"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/meetings"
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

// TestTopicPositions: positions on DTG topics (topic:ROUND/TOPIC). An
// unknown or malformed topic is refused; the topic's register applies the
// group's support to DEU while FRA speaks for itself; the map shows topic
// columns (only them, only items, or both), and the DTG meeting outside
// any session under store.OutsideSessions; a State's record lists its
// topic positions; withdrawing IRN's statement takes its objection out.
func TestTopicPositions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		round, err := dec.OpenTopicRound(ctx, chair, decide.TopicRoundInput{DTG: concord.DTGs[0].Code, Term: "2026-2027"})
		if err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Ransomware", "Critical infrastructure"} {
			if _, _, err := dec.SuggestTopic(ctx, chair, round.ID, decide.TopicSuggestionInput{Title: concord.Text{"en": title}}); err != nil {
				t.Fatal(err)
			}
		}
		t1 := statements.TopicRef{Round: round.ID, ID: "t1"}
		t2 := statements.TopicRef{Round: round.ID, ID: "t2"}
		ms := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
		start := f.m.Start.Add(48 * time.Hour)
		dtg, err := ms.Create(ctx, sec, meetings.Input{Body: meeting.DTG1, Kind: meeting.DTGMeeting, Title: concord.Text{"en": "DTG 1"},
			Start: start, End: start.Add(8 * time.Hour), Venue: "UNHQ"})
		if err != nil {
			t.Fatal(err)
		}
		say := func(u *concord.User, m int64, at time.Time, speaker string, ps ...statements.PositionInput) (statements.Row, error) {
			t.Helper()
			*f.clock = at.Add(time.Minute)
			return f.svc.Record(ctx, u, statements.Input{Meeting: m, Speaker: speaker, Kind: statement.Plain, At: at,
				Texts: concord.Text{"en": "On the topics."}, Positions: ps})
		}
		// Refused: an unknown round, an unknown topic of a known round, a
		// malformed reference; nothing is recorded.
		for _, ref := range []string{"999/t1", t1.String()[:len(t1.String())-1] + "9", "abc", "0/t1"} {
			_, err := say(fra, f.m.ID, f.m.Start.Add(5*time.Minute), "", statements.PositionInput{Topic: ref, Kind: decision.PositionSupport})
			if concord.ErrorCode(err) != concord.EInvalid || !hasKey(err, "statement.error.topic") {
				t.Errorf("topic %q: %v", ref, err)
			}
		}
		if _, err := say(sec, f.m.ID, f.m.Start.Add(10*time.Minute), f.group, statements.PositionInput{Topic: t1.String(), Kind: decision.PositionSupport},
			statements.PositionInput{Topic: "topic:" + t2.String(), Kind: decision.PositionSupport}); err != nil {
			t.Fatal(err)
		}
		fraSt, err := say(fra, f.m.ID, f.m.Start.Add(20*time.Minute), "", statements.PositionInput{Topic: t1.String(), Kind: decision.PositionReservation})
		if err != nil || fraSt.Stances[0].Subject != t1.Subject() {
			t.Fatalf("%+v %v", fraSt.Stances, err)
		}
		irnSt, err := say(irn, f.m.ID, f.m.Start.Add(30*time.Minute), "", statements.PositionInput{Topic: t1.String(), Kind: decision.PositionObjection})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := say(irn, dtg.Meeting.ID, start.Add(time.Hour), "", statements.PositionInput{Topic: t2.String(), Kind: decision.PositionObjection}); err != nil {
			t.Fatal(err)
		}

		reg, err := f.svc.TopicRegister(ctx, t1)
		if err != nil {
			t.Fatal(err)
		}
		if got := entries(reg.Record.Supported) + " " + entries(reg.Record.Reserved) + " " + entries(reg.Record.Objected); got != "DEU<"+f.group+" FRA IRN" {
			t.Errorf("register of t1 %q", got)
		}
		if reg.Topic.Title["en"] != "Ransomware" || reg.Topic.DTG != concord.DTGs[0].Code || reg.Statements[reg.Record.Objected[0].Source].ID != irnSt.ID {
			t.Errorf("register %+v", reg.Topic)
		}
		if _, err := f.svc.TopicRegister(ctx, statements.TopicRef{Round: round.ID, ID: "t7"}); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("unknown topic: %v", err)
		}

		cols := func(fl statements.MapFilter) (string, map[string][]decision.PositionKind) {
			t.Helper()
			m, err := f.svc.PositionMap(ctx, fl)
			if err != nil {
				t.Fatal(err)
			}
			var c []string
			for _, x := range m.Columns {
				c = append(c, x.Number)
			}
			rows := map[string][]decision.PositionKind{}
			for _, g := range m.Groups {
				for _, r := range g.Rows {
					for _, cell := range r.Cells {
						rows[r.State] = append(rows[r.State], cell.Kind)
					}
				}
			}
			return strings.Join(c, ","), rows
		}
		if c, rows := cols(statements.MapFilter{Show: statements.ShowTopics}); c != "T1,T2" || len(rows["DEU"]) != 2 || rows["DEU"][0] != decision.PositionSupport ||
			rows["FRA"][0] != decision.PositionReservation || rows["IRN"][1] != "" {
			t.Errorf("topics: %s %v", c, rows)
		}
		if c, _ := cols(statements.MapFilter{Show: statements.ShowItems}); c != "" {
			t.Errorf("items: %s", c)
		}
		if c, rows := cols(statements.MapFilter{Session: store.OutsideSessions}); c != "T1" || len(rows) != 1 || rows["IRN"][0] != decision.PositionObjection {
			t.Errorf("outside sessions: %s %v", c, rows)
		}
		if c, _ := cols(statements.MapFilter{Show: statements.ShowTopics, Body: string(meeting.DTG1)}); c != "" {
			t.Errorf("the session's DTG 1 meetings: %s", c)
		}

		tp, names, err := f.svc.StateTopics(ctx, "DEU")
		if err != nil || len(tp) != 2 || tp[0].Entry.Via != f.group || tp[0].Topic.ID != "t1" || names[f.group]["en"] != "A group" {
			t.Errorf("DEU's topics %+v %v %v", tp, names, err)
		}

		// Withdrawn: IRN's objection on t1 no longer counts.
		*f.clock = start.Add(2 * time.Hour)
		if _, err := f.svc.Withdraw(ctx, irn, irnSt.ID); err != nil {
			t.Fatal(err)
		}
		if reg, _ := f.svc.TopicRegister(ctx, t1); len(reg.Record.Objected) != 0 {
			t.Errorf("the withdrawn objection counts: %+v", reg.Record.Objected)
		}
		if tp, _, _ := f.svc.StateTopics(ctx, "IRN"); len(tp) != 1 || tp[0].Topic.ID != "t2" {
			t.Errorf("IRN's topics after withdrawing %+v", tp)
		}
	})
}

// hasKey reports whether err holds a problem with message key key.
func hasKey(err error, key string) bool {
	var errs concord.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			if e.Key == key {
				return true
			}
		}
	}
	var e *concord.Error
	return errors.As(err, &e) && e.Key == key
}
