package statements_test

import (
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/meetings"
	"concord/internal/search"
	"concord/internal/statements"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var ctx = context.Background()

var (
	chair = &concord.User{ID: 1, Role: concord.RoleChair}
	sec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	fra   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	irn   = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "IRN"}
)

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

type fixture struct {
	svc   *statements.Service
	m     meeting.Meeting
	group string // a named group's code
	clock *time.Time
}

// setup: the July plenary working on GM-2026-1 (items item-1 … item-3),
// in progress, its first 90 minutes formal, and a named group of FRA and
// DEU.
func setup(t *testing.T, db *store.DB) fixture {
	clock := time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	ag := &agendasvc.Service{Decide: dec}
	if _, err := ag.Create(ctx, sec, agendasvc.Draft{Session: "GM-2026-1", Items: []agendasvc.Item{
		{Number: "1", Title: concord.Text{"en": "Opening"}}, {Number: "2", Title: concord.Text{"en": "Agenda"}}, {Number: "3", Title: concord.Text{"en": "Threats"}}}}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)
	ms := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
	res, err := ms.Create(ctx, sec, meetings.Input{Body: meeting.Plenary, Kind: meeting.Substantive, Title: concord.Text{"en": "First session"},
		Start: start, End: start.Add(8 * time.Hour), Venue: "UNHQ", Session: "GM-2026-1",
		Segments: []meeting.Segment{{Formal: true, Start: start, End: start.Add(90 * time.Minute)}, {Start: start.Add(90 * time.Minute), End: start.Add(8 * time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	var g concord.Organization
	err = db.Update(ctx, "system", func(tx *store.Tx) error {
		g = concord.Organization{Kind: concord.OrgNamedGroup, Names: concord.Text{"en": "A group"}, Acronym: "AG", Members: []string{"FRA", "DEU"}}
		return tx.CreateOrganization(&g)
	})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{svc: &statements.Service{DB: db, Process: concord.DefaultProcessCode, Agendas: ag}, m: res.Meeting,
		group: decide.GroupCode(g.ID), clock: &clock}
}

func TestInscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		in, err := f.svc.Inscribe(ctx, fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"})
		if err != nil || in.Speaker != "FRA" || in.Place != 1 || in.Class != statement.ClassMember {
			t.Fatalf("%+v %v", in, err)
		}
		// The Secretariat inscribes a group and an observer; the group goes
		// first, the observer after the Member State.
		if _, err := f.svc.Inscribe(ctx, sec, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3", Speaker: "pse"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Inscribe(ctx, sec, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3", Speaker: f.group}); err != nil {
			t.Fatal(err)
		}
		list, err := db.Read(ctx).List(f.m.ID, "item-3")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range list {
			got = append(got, x.Speaker)
		}
		if want := []string{f.group, "FRA", "PSE"}; !slices.Equal(got, want) {
			t.Errorf("list %v, want %v", got, want)
		}
		for _, c := range []struct {
			name string
			u    *concord.User
			in   statements.InscribeInput
			want []string
		}{
			{"twice", fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"}, []string{"statement.error.inscribed_twice"}},
			{"another State", fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3", Speaker: "DEU"}, []string{"statement.error.forbidden"}},
			{"not a participant", sec, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3", Speaker: "group-999"}, []string{"statement.error.not_participant"}},
			{"item not on the agenda, and twice", fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-9"}, []string{"statement.error.item"}},
			{"no such meeting", fra, statements.InscribeInput{Meeting: 999, Item: "item-3"}, []string{"error.not_found"}},
			{"the public", nil, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"}, []string{"statement.error.forbidden"}},
			{"the Chair", chair, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3", Speaker: "FRA"}, []string{"statement.error.forbidden"}},
		} {
			if _, err := f.svc.Inscribe(ctx, c.u, c.in); !slices.Equal(keys(err), c.want) {
				t.Errorf("%s: %v, want %v", c.name, keys(err), c.want)
			}
		}
		// The Chair moves the observer first.
		moved, err := f.svc.Move(ctx, chair, list[2].ID, 1)
		if err != nil || moved.Place != 1 {
			t.Fatalf("%+v %v", moved, err)
		}
		if _, err := f.svc.Move(ctx, fra, list[2].ID, 2); err == nil {
			t.Error("a delegate reordered the list")
		}
		// Concluded: no more inscriptions.
		ms := &meetings.Service{DB: db, Process: concord.DefaultProcessCode}
		*f.clock = f.m.Start
		if _, err := ms.SetStatus(ctx, sec, f.m.ID, meeting.InProgress); err != nil {
			t.Fatal(err)
		}
		if _, err := ms.SetStatus(ctx, sec, f.m.ID, meeting.Concluded); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Inscribe(ctx, irn, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"}); !slices.Equal(keys(err), []string{"statement.error.meeting_concluded"}) {
			t.Errorf("concluded: %v", keys(err))
		}
	})
}

// Two requests inscribing the same delegation at once leave one place:
// the other is refused, as a conflict, never an internal error.
func TestParallelInscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Inscribe(ctx, fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case concord.ErrorCode(err) != concord.EConflict:
				t.Errorf("refused with %v, want a conflict", err)
			}
		}
		list, err := db.Read(ctx).List(f.m.ID, "item-3")
		if ok != 1 || err != nil || len(list) != 1 {
			t.Errorf("%d succeeded, %d places (%v)", ok, len(list), err)
		}
	})
}

// The store's unique key holds by itself: a second row for the same
// speaker is refused even when the service's check is bypassed.
func TestUniqueInscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		add := func() error {
			return db.Update(ctx, "system", func(tx *store.Tx) error {
				return tx.AddInscription(&statement.Inscription{Process: concord.DefaultProcessCode, Meeting: f.m.ID, Item: "item-3", Speaker: "FRA", Class: statement.ClassMember, Place: 1})
			})
		}
		if err := add(); err != nil {
			t.Fatal(err)
		}
		if err := add(); !slices.Equal(keys(err), []string{"statement.error.inscribed_twice"}) {
			t.Errorf("second row: %v", err)
		}
	})
}

func TestMarkSpokeRecordsTheStatement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		in, err := f.svc.Inscribe(ctx, fra, statements.InscribeInput{Meeting: f.m.ID, Item: "item-3"})
		if err != nil {
			t.Fatal(err)
		}
		at := f.m.Start.Add(30 * time.Minute)
		if _, _, err := f.svc.MarkSpoke(ctx, fra, in.ID, statements.SpokeInput{At: at, Duration: time.Minute}); err == nil {
			t.Error("a delegate marked itself as having spoken")
		}
		got, st, err := f.svc.MarkSpoke(ctx, sec, in.ID, statements.SpokeInput{At: at, Duration: 4 * time.Minute, Record: true, Texts: concord.Text{"fr": "La France **soutient**."}})
		if err != nil || !got.Spoke || got.Statement != st.ID || st.Inscription != in.ID || st.Item != "item-3" || st.Session != "GM-2026-1" {
			t.Fatalf("%+v %+v %v", got, st, err)
		}
		p, err := f.svc.Get(ctx, nil, st.ID)
		if err != nil || !p.OnRecord || p.Item == nil || p.Item.Number != "3" {
			t.Errorf("page: %+v %v", p, err)
		}
		// The statement is found by the one search, as a statement, in its
		// language (Markdown emphasis and case aside).
		found, err := (&search.Service{DB: db}).Search(ctx, nil, search.Query{Text: "SOUTIENT", Kind: store.SearchStatement})
		if err != nil || found.Total != 1 || found.Results[0].Ref != strconv.FormatInt(st.ID, 10) || found.Results[0].Lang != "fr" {
			t.Errorf("search for the statement: %+v %v", found, err)
		}
		if _, _, err := f.svc.MarkSpoke(ctx, sec, in.ID, statements.SpokeInput{At: at, Duration: time.Minute}); !slices.Equal(keys(err), []string{"statement.error.already_spoke"}) {
			t.Errorf("twice: %v", keys(err))
		}
	})
}

func TestRecordWithPositions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
		*f.clock = f.m.Start
		d, err := dec.Create(ctx, chair, decide.NewDecision{Kind: decision.KindGeneric, Title: concord.Text{"en": "Proposal"}, Proposal: concord.Text{"en": "Adopt"},
			Modality: decision.ModalityConsensus, NoConsensus: decision.OutcomeNotAdopted})
		if err != nil {
			t.Fatal(err)
		}
		at := f.m.Start.Add(3 * time.Hour) // informal segment
		*f.clock = at.Add(time.Minute)
		st, err := f.svc.Record(ctx, irn, statements.Input{Meeting: f.m.ID, Item: "item-3", Kind: statement.Plain, At: at,
			Texts:     concord.Text{"en": "Iran objects.", "xx": ""},
			Positions: []statements.PositionInput{{Decision: d.ID, Kind: decision.PositionObjection}, {Kind: decision.PositionReservation, Text: "on item 3"}}})
		if err != nil {
			t.Fatal(err)
		}
		if !st.Submitted || len(st.Stances) != 2 || st.Stances[0].Position.Source != statement.Source(st.ID) {
			t.Errorf("statement %+v", st)
		}
		if st.Stances[1].Subject != "item:GM-2026-1/item-3" {
			t.Errorf("item subject %q", st.Stances[1].Subject)
		}
		got, err := db.Read(ctx).Decision(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps := got.Facts.Positions
		if len(ps) != 1 || ps[0].Actor != "IRN" || ps[0].Kind != decision.PositionObjection || ps[0].Source != statement.Source(st.ID) {
			t.Fatalf("decision positions %+v", ps)
		}
		res, err := dec.Result(got)
		if err != nil || len(res.Record.Objected) != 1 || res.Record.Objected[0].State != "IRN" || res.Record.Objected[0].Source != statement.Source(st.ID) {
			t.Errorf("the decision's record does not show the objection from the statement: %+v %v", res.Record, err)
		}
		p, err := f.svc.Get(ctx, nil, st.ID)
		if err != nil || p.OnRecord {
			t.Errorf("a statement in the informal segment is on the record: %v", err)
		}
		// Every problem at once, and nothing saved.
		_, err = f.svc.Record(ctx, sec, statements.Input{Meeting: f.m.ID, Item: "item-9", Speaker: "XXX", Kind: "speech", At: f.m.End.Add(time.Hour),
			Document: 999, Positions: []statements.PositionInput{{Decision: 999, Kind: decision.PositionSupport}}})
		want := []string{"statement.error.item", "statement.error.not_participant", "statement.error.kind", "statement.error.at_outside",
			"statement.error.document", "statement.error.decision"}
		if !slices.Equal(keys(err), want) {
			t.Errorf("bad input: %v, want %v", keys(err), want)
		}
		if _, err := f.svc.Record(ctx, fra, statements.Input{Meeting: f.m.ID, Speaker: "IRN", Kind: statement.Plain, At: at, Texts: concord.Text{"en": "x"}}); !slices.Equal(keys(err), []string{"statement.error.forbidden"}) {
			t.Errorf("for another State: %v", keys(err))
		}
		l, err := f.svc.List(ctx, statements.Filter{Speaker: "irn"})
		if err != nil || l.Total != 1 || len(l.Rows) != 1 || l.Rows[0].OnRecord || l.Names["IRN"]["en"] == "" {
			t.Errorf("list %+v %v", l, err)
		}
		rec, err := f.svc.ForMeeting(ctx, f.m)
		if err != nil || rec.Total != 1 || len(rec.Items) != 3 {
			t.Errorf("meeting record %+v %v", rec, err)
		}
	})
}

// TestPositionsNeedTheRightToTakeThem: a statement's positions count for
// its speaker (a group's for each member), so recording them takes the
// right to take that speaker's positions, not only to speak: a group's
// focal point speaks for it, its positions are refused. Too many
// positions are refused before the write opens (each is looked up under
// the store's write lock).
func TestPositionsNeedTheRightToTakeThem(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		at := f.m.Start.Add(3 * time.Hour)
		*f.clock = at.Add(time.Minute)
		id, err := strconv.ParseInt(strings.TrimPrefix(f.group, "group-"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		focal := &concord.User{ID: 9, Role: concord.RoleFocalPoint, OrgID: id}
		in := statements.Input{Meeting: f.m.ID, Item: "item-3", Speaker: f.group, Kind: statement.Plain, At: at, Texts: concord.Text{"en": "The group objects."},
			Positions: []statements.PositionInput{{Kind: decision.PositionObjection}}}
		if _, err := f.svc.Record(ctx, focal, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a group's focal point records the group's position: %v", err)
		}
		in.Positions = nil
		if _, err := f.svc.Record(ctx, focal, in); err != nil {
			t.Errorf("the focal point speaks for its group: %v", err)
		}

		// A position on a decision and a topic at once is refused, not
		// silently kept on the decision alone.
		_, err = f.svc.Record(ctx, fra, statements.Input{Meeting: f.m.ID, Kind: statement.Plain, At: at, Texts: concord.Text{"en": "x"},
			Positions: []statements.PositionInput{{Decision: 1, Topic: "1/t1", Kind: decision.PositionSupport}}})
		if !slices.Contains(keys(err), "statement.error.subject") {
			t.Errorf("a position on a decision and a topic: %v", keys(err))
		}

		many := make([]statements.PositionInput, statement.MaxStances+1)
		for i := range many {
			many[i] = statements.PositionInput{Topic: "1/t1", Kind: decision.PositionSupport}
		}
		before := db.Queries()
		_, err = f.svc.Record(ctx, fra, statements.Input{Meeting: f.m.ID, Kind: statement.Plain, At: at, Texts: concord.Text{"en": "x"}, Positions: many})
		if !slices.Equal(keys(err), []string{"statement.error.positions_many"}) {
			t.Errorf("%d positions: %v", len(many), keys(err))
		}
		if q := db.Queries() - before; q != 0 {
			t.Errorf("%d statements before refusing %d positions, want 0", q, len(many))
		}
	})
}
