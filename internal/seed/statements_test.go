package seed_test

import (
	"concord/decision"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/statements"
	"concord/internal/store"
)

// TestDemoStatements checks item 5 of the July plenary: the list of
// speakers in the rule's order (the EU for its members first), each marked
// as having spoken with its statement, every statement outside the record
// (the informal segment) and carrying its position on the item; seeding
// again adds nothing.
func TestDemoStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &statements.Service{DB: db, Process: concord.DefaultProcessCode, Agendas: &agendasvc.Service{Decide: &decide.Service{DB: db, Process: concord.DefaultProcessCode}}}
	l, err := svc.List(ctx, statements.Filter{Session: seed.AgendaSession, Item: "item-5"})
	if err != nil || l.Total != 5 {
		t.Fatalf("%d statements on item 5: %v", l.Total, err)
	}
	for _, row := range l.Rows {
		if row.OnRecord || len(row.Stances) != 1 || row.Stances[0].Subject != "item:GM-2026-1/item-5" || row.Inscription == 0 {
			t.Errorf("%s: on record %v, stances %+v", row.Speaker, row.OnRecord, row.Stances)
		}
	}
	rec, err := svc.ForMeeting(ctx, l.Rows[0].Meeting)
	if err != nil || len(rec.Lists) != 1 {
		t.Fatalf("%+v %v", rec.Lists, err)
	}
	var order []string
	for _, in := range rec.Lists[0].Speakers {
		order = append(order, in.Speaker)
		if !in.Spoke || in.Statement == 0 || in.Duration < time.Minute {
			t.Errorf("%s not marked: %+v", in.Speaker, in)
		}
	}
	if len(order) != 5 || order[0][:6] != "group-" || order[1] != "IRN" || order[4] != "USA" {
		t.Errorf("order %v", order)
	}
	if err := seed.Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	// Iran's statement on item 5 and, at DTG 1's first meeting, the one
	// on a topic.
	if l, _ := svc.List(ctx, statements.Filter{Speaker: "IRN", Session: seed.AgendaSession}); l.Total != 1 || l.Rows[0].Stances[0].Position.Kind != decision.PositionReservation {
		t.Errorf("seeding twice: %d statements by Iran on the session", l.Total)
	}
	if l, _ := svc.List(ctx, statements.Filter{Speaker: "IRN"}); l.Total != 2 {
		t.Errorf("seeding twice: %d statements by Iran", l.Total)
	}
	// The topics: the EU's support of ransomware applied to its members,
	// Iran's objection, China's reservation; the register adds the
	// positions on the decision that proposed the topic.
	rounds, err := (&decide.Service{DB: db, Process: concord.DefaultProcessCode}).TopicRounds(ctx, "")
	if err != nil || len(rounds) == 0 {
		t.Fatal(err)
	}
	reg, err := svc.TopicRegister(ctx, statements.TopicRef{Round: rounds[0].ID, ID: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]decision.Entry{}
	for _, l := range [][]decision.Entry{reg.Record.Supported, reg.Record.Objected, reg.Record.Reserved, reg.Record.NoObjection} {
		for _, e := range l {
			kinds[e.State] = e
		}
	}
	if e := kinds["DEU"]; e.Kind != decision.PositionSupport || e.Via == "" {
		t.Errorf("Germany on t1: %+v", e)
	}
	if kinds["IRN"].Kind != decision.PositionObjection || kinds["CHN"].Kind != decision.PositionReservation {
		t.Errorf("t1: %+v", kinds)
	}
	if len(reg.Decisions) != 1 || kinds["MAR"].Source == "" {
		t.Errorf("decisions %v, Morocco %+v", reg.Decisions, kinds["MAR"])
	}
	if err := db.VerifyRows(ctx); err != nil {
		t.Error(err)
	}
}

// TestScaleStatements adds one unit's statements in one write.
func TestScaleStatements(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("scale")
	}
	ctx := context.Background()
	db := demo.Open(t, store.SQLite)
	r := rand.New(rand.NewPCG(1, 42))
	before, err := db.Read(ctx).CountStatements(store.StatementQuery{Process: concord.DefaultProcessCode})
	if err != nil {
		t.Fatal(err)
	}
	defer seed.SetScaleStatements(10000)()
	t0 := time.Now()
	if err := seed.ScaleMeetings(ctx, db, r, 0); err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	if err := seed.ScaleStatements(ctx, db, r, 0); err != nil {
		t.Fatal(err)
	}
	t.Logf("meetings %s, statements %s", t1.Sub(t0), time.Since(t1))
	n, err := db.Read(ctx).CountStatements(store.StatementQuery{Process: concord.DefaultProcessCode})
	if err != nil || n-before != 10000 {
		t.Errorf("%d statements: %v", n, err)
	}
}
