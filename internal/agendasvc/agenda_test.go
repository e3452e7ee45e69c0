package agendasvc_test

import (
	"concord/agenda"
	"concord/decision"
	"concord/rule"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	chair = &concord.User{ID: 1, Role: concord.RoleChair}
	sec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	irn   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "IRN"}
)

// fixture is a store on a clock the test moves, with the services over it.
type fixture struct {
	t     *testing.T
	db    *store.DB
	clock time.Time
	dec   *decide.Service
	svc   *agendasvc.Service
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	f := &fixture{t: t, db: db, clock: time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.clock }
	f.dec = &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	f.svc = &agendasvc.Service{Decide: f.dec}
	return f
}

func (f *fixture) tick() { f.clock = f.clock.Add(time.Minute) }

// items builds items "1".."n" with English and French titles.
func items(n int) []agendasvc.Item {
	out := make([]agendasvc.Item, n)
	for i := range out {
		k := strconv.Itoa(i + 1)
		out[i] = agendasvc.Item{Number: k, Title: concord.Text{"en": "Item " + k, "fr": "Point " + k}}
	}
	return out
}

func (f *fixture) create(session string, its []agendasvc.Item) agendasvc.Version {
	f.t.Helper()
	f.tick()
	v, err := f.svc.Create(ctx, chair, agendasvc.Draft{Session: session, Items: its})
	if err != nil {
		f.t.Fatalf("create %s: %v", session, err)
	}
	return v
}

func (f *fixture) put(id int64) agendasvc.Version {
	f.t.Helper()
	f.tick()
	v, err := f.svc.PutToAdoption(ctx, sec, id)
	if err != nil {
		f.t.Fatalf("put %d to adoption: %v", id, err)
	}
	return v
}

func (f *fixture) position(v agendasvc.Version, actor string, k decision.PositionKind) {
	f.t.Helper()
	f.tick()
	if _, err := f.dec.TakePosition(ctx, sec, v.DecisionID, decide.PositionInput{Actor: actor, Kind: k}); err != nil {
		f.t.Fatalf("%s %s: %v", actor, k, err)
	}
}

func (f *fixture) act(v agendasvc.Version, k decision.ActKind) {
	f.t.Helper()
	f.tick()
	if _, err := f.dec.Act(ctx, chair, v.DecisionID, k, true, nil); err != nil {
		f.t.Fatalf("act %s: %v", k, err)
	}
}

func (f *fixture) session(code string) agendasvc.Session {
	f.t.Helper()
	s, err := f.svc.Session(ctx, code)
	if err != nil {
		f.t.Fatalf("session %s: %v", code, err)
	}
	return s
}

// wantErr checks a refusal's code, key and field.
func wantErr(t *testing.T, what string, err error, code, key, field string) {
	t.Helper()
	de, ok := err.(*concord.Error)
	if !ok {
		t.Errorf("%s: got %v, want %s %s", what, err, code, key)
		return
	}
	if de.Code != code || de.Key != key || de.Field != field {
		t.Errorf("%s: got %s %s field %q, want %s %s field %q", what, de.Code, de.Key, de.Field, code, key, field)
	}
}

func TestVersionsAndAdoption(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		v1 := f.create(" gm-2026-1 ", items(3))
		if v1.Doc.Version != 1 || v1.Scope != "GM-2026-1" || v1.Doc.Session != "GM-2026-1" || v1.State != agenda.Provisional {
			t.Fatalf("v1: %+v", v1)
		}
		// Every item got a stable id.
		for _, it := range v1.Doc.Items {
			if it.ID == "" {
				t.Errorf("item %s has no id", it.Number)
			}
		}
		// Translation pending: no Arabic, Chinese, Russian or Spanish.
		if len(v1.Warnings) != 3*4 || v1.Warnings[0].Key != "agenda.warning.translation_pending" {
			t.Errorf("warnings: %v", v1.Warnings)
		}
		other := f.create("GM-2026-ORG", items(1))
		if other.Doc.Version != 1 {
			t.Errorf("first version of another session is %d", other.Doc.Version)
		}

		// v2 renumbers: item 3 becomes 4 and a new 3 comes in. Copying the
		// ids keeps item 3 identified across versions.
		its := items(3)
		its[2].ID, its[2].Number = v1.Doc.Items[2].ID, "4"
		its = append(its, agendasvc.Item{Number: "3", Title: concord.Text{"en": "Dedicated thematic groups"}})
		its[1].Title = concord.Text{"en": "Item 2, reworded", "fr": "Point 2"}
		v2 := f.create("GM-2026-1", its)
		if v2.Doc.Version != 2 {
			t.Fatalf("v2 numbered %d", v2.Doc.Version)
		}
		if v2.Doc.Items[0].ID != v1.Doc.Items[0].ID || v2.Doc.Items[3].ID == v1.Doc.Items[2].ID {
			t.Errorf("ids: v1 %v, v2 %v", v1.Doc.Items, v2.Doc.Items)
		}
		d, err := f.svc.Compare(ctx, "gm-2026-1", 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[agenda.ChangeKind]int{}
		for _, c := range d.Changes {
			kinds[c.Kind]++
			if c.Kind == agenda.ItemChanged && c.ToNumber == "4" && !c.Renumbered {
				t.Errorf("item 3 -> 4 not marked renumbered: %+v", c)
			}
		}
		if kinds[agenda.ItemChanged] != 2 || kinds[agenda.ItemAdded] != 1 || kinds[agenda.ItemRemoved] != 0 {
			t.Errorf("diff v1 -> v2: %+v", d.Changes)
		}
		if _, err := f.svc.Compare(ctx, "GM-2026-1", 1, 9); err == nil {
			t.Error("diff with a version that does not exist")
		} else {
			wantErr(t, "diff to v9", err, concord.EInvalid, "agendas.error.no_version", "to")
		}

		// Editing before adoption is allowed.
		f.tick()
		its[0].Title = concord.Text{"en": "Opening of the session", "ar": "افتتاح الدورة"}
		v2, err = f.svc.Update(ctx, chair, v2.ID, its)
		if err != nil || v2.Doc.Items[0].Title["ar"] != "افتتاح الدورة" || v2.Doc.Version != 2 {
			t.Fatalf("edit v2: %v %+v", err, v2.Doc.Items[0])
		}

		// Only the latest version may be put to adoption.
		_, err = f.svc.PutToAdoption(ctx, chair, v1.ID)
		wantErr(t, "put the superseded v1", err, concord.EConflict, "agendas.error.superseded", "id")
		// A delegate may not.
		_, err = f.svc.PutToAdoption(ctx, irn, v2.ID)
		wantErr(t, "delegate puts to adoption", err, concord.EForbidden, "error.forbidden", "")

		v2 = f.put(v2.ID)
		if v2.DecisionID == 0 || v2.Doc.Rule != 1 || !v2.Pending() || v2.State != agenda.Provisional {
			t.Fatalf("v2 under adoption: decision %d rule %d pending %v state %s", v2.DecisionID, v2.Doc.Rule, v2.Pending(), v2.State)
		}
		dec, err := db.GetDecision(ctx, v2.DecisionID)
		if err != nil {
			t.Fatal(err)
		}
		if dec.Facts.Kind != decision.KindAgendaAdoption || dec.Facts.Subject != decide.SubjectOf(decide.KindAgenda, v2.ID) ||
			dec.Policy.Code != agenda.RuleCode || dec.Policy.Version != 1 || dec.Policy.Modality != decision.ModalityConsensus ||
			!strings.Contains(dec.Facts.Proposal["en"], "2. Item 2, reworded") || dec.Title["ar"] == "" {
			t.Errorf("decision: %+v", dec)
		}
		if s := f.session("GM-2026-1"); s.Basis.ID != v2.ID || s.Informal || s.State() != agenda.Provisional {
			t.Errorf("pending: basis %d informal %v state %s", s.Basis.ID, s.Informal, s.State())
		}

		// Locked once put to adoption; a second adoption is refused.
		_, err = f.svc.Update(ctx, chair, v2.ID, its)
		wantErr(t, "edit after adoption", err, concord.EConflict, "agendas.error.locked", "id")
		_, err = f.svc.PutToAdoption(ctx, chair, v2.ID)
		wantErr(t, "put twice", err, concord.EConflict, "agendas.error.already_put", "id")
		// A new version may be issued while v2 is pending, but not put to
		// adoption.
		v3 := f.create("GM-2026-1", its)
		_, err = f.svc.PutToAdoption(ctx, chair, v3.ID)
		wantErr(t, "second adoption while pending", err, concord.EConflict, "agendas.error.pending", "session")

		// Iran objects; the Chair finds no consensus: not adopted, and the
		// session proceeds informally on v2 (rule 1 allows it).
		f.position(v2, "IRN", decision.PositionObjection)
		f.position(v2, "CAN", decision.PositionSupport)
		f.act(v2, decision.ActDecide)
		s := f.session("GM-2026-1")
		if s.Basis.ID != v2.ID || !s.Informal || s.State() != agenda.NotAdoptedProceedInformally {
			t.Errorf("not adopted: basis %d informal %v state %s", s.Basis.ID, s.Informal, s.State())
		}
		if n := s.Newer(); len(n) != 1 || n[0].ID != v3.ID {
			t.Errorf("newer than the basis: %v", n)
		}
		if got := s.Versions[1].Adoption.Decision.Record.Objected; len(got) != 1 || got[0].State != "IRN" {
			t.Errorf("record of divergence: %+v", got)
		}

		// After "not adopted", the later v3 may be put to adoption; adopted.
		v3 = f.put(v3.ID)
		f.act(v3, decision.ActDecide)
		s = f.session("GM-2026-1")
		if s.Basis.ID != v3.ID || s.Informal || s.State() != agenda.Adopted || !s.Adopted() {
			t.Errorf("adopted: basis %d informal %v state %s", s.Basis.ID, s.Informal, s.State())
		}
		// Nothing after adoption.
		f.tick()
		_, err = f.svc.Create(ctx, chair, agendasvc.Draft{Session: "GM-2026-1", Items: items(1)})
		wantErr(t, "new version after adoption", err, concord.EConflict, "agendas.error.adopted", "session")

		// The whole list.
		all, err := f.svc.Sessions(ctx)
		if err != nil || len(all) != 2 || all[0].Code != "GM-2026-1" || len(all[0].Versions) != 3 || all[1].Code != "GM-2026-ORG" {
			t.Errorf("sessions: %v %+v", err, all)
		}
		if err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAgendaInForce covers the agenda a session works on in each state of
// its adoption, including under a rule without "proceed informally".
func TestAgendaInForce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, c := range []struct {
			session  string
			informal bool // the rule in force lets the session proceed informally
			act      decision.ActKind
			object   bool
			state    agenda.State
			basis    int // version number of the basis
			isInf    bool
		}{
			{"S-PROV", true, "", false, agenda.Provisional, 2, false},
			{"S-PENDING", true, "", true, agenda.Provisional, 1, false},
			{"S-ADOPTED", true, decision.ActDecide, false, agenda.Adopted, 1, false},
			{"S-INFORMAL", true, decision.ActDecide, true, agenda.NotAdoptedProceedInformally, 1, true},
			{"S-DEFERRED", true, decision.ActDefer, false, agenda.Deferred, 2, false},
			{"S-NOTADOPTED", false, decision.ActDecide, true, agenda.NotAdopted, 2, false},
		} {
			if !c.informal {
				p := agenda.DefaultPolicy()
				p.ProceedInformally = false
				f.tick()
				if _, err := f.dec.AddRule(ctx, sec, rule.Version{Code: agenda.RuleCode, Policy: &p, Note: concord.Text{"en": "No informal sessions."}}); err != nil {
					t.Fatal(err)
				}
				f.tick()
			}
			v1 := f.create(c.session, items(2))
			if c.session != "S-PROV" {
				v1 = f.put(v1.ID)
				if c.object {
					f.position(v1, "RUS", decision.PositionObjection)
				}
				if c.act != "" {
					f.act(v1, c.act)
				}
			}
			if c.basis == 2 || c.session == "S-PENDING" || c.session == "S-INFORMAL" {
				f.create(c.session, items(3)) // a newer provisional version
			}
			s := f.session(c.session)
			if s.Basis.Doc.Version != c.basis || s.Informal != c.isInf {
				t.Errorf("%s: basis v%d informal %v, want v%d %v", c.session, s.Basis.Doc.Version, s.Informal, c.basis, c.isInf)
			}
			state := s.State()
			if c.basis == 2 && c.session != "S-PROV" {
				// The newer version is provisional; the failed one carries
				// the outcome.
				state = s.Versions[0].State
			}
			if state != c.state {
				t.Errorf("%s: state %s, want %s", c.session, state, c.state)
			}
		}
		if _, err := f.svc.Session(ctx, "NO-SUCH"); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("unknown session: %v", err)
		}
		// The failed version recorded the rule it ran under (version 2,
		// without "proceed informally").
		s := f.session("S-NOTADOPTED")
		if s.Versions[0].Doc.Rule != 2 || s.Versions[0].Policy.ProceedInformally {
			t.Errorf("rule recorded: %d %+v", s.Versions[0].Doc.Rule, s.Versions[0].Policy)
		}
	})
}

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.create("GM-2026-1", items(2))
		dup := items(2)
		dup[1].Number = " 1 "
		long := items(1)
		long[0].Title["en"] = strings.Repeat("x", agendasvc.MaxTitleRunes+1)
		noTitle := items(2)
		noTitle[1].Title = concord.Text{"en": "  "}
		noNumber := items(2)
		noNumber[1].Number = ""
		badID := items(1)
		badID[0].ID = "Item 1!"
		for _, c := range []struct {
			name             string
			u                *concord.User
			in               agendasvc.Draft
			code, key, field string
		}{
			{"no items", chair, agendasvc.Draft{Session: "GM-2026-1"}, concord.EInvalid, "agenda.error.items", "items"},
			{"duplicate numbers", chair, agendasvc.Draft{Session: "GM-2026-1", Items: dup}, concord.EInvalid, "agendas.error.duplicate_number", "items[1].number"},
			{"unknown language", chair, agendasvc.Draft{Session: "GM-2026-1", Items: []agendasvc.Item{{Number: "1", Title: concord.Text{"la": "Ordo"}}}}, concord.EInvalid, "decision.error.language", "items[0].title"},
			{"no title", chair, agendasvc.Draft{Session: "GM-2026-1", Items: noTitle}, concord.EInvalid, "agendas.error.title", "items[1].title"},
			{"no number", chair, agendasvc.Draft{Session: "GM-2026-1", Items: noNumber}, concord.EInvalid, "agenda.error.number", "items[1].number"},
			{"title too long", chair, agendasvc.Draft{Session: "GM-2026-1", Items: long}, concord.EInvalid, "agendas.error.title_long", "items[0].title"},
			{"too many items", chair, agendasvc.Draft{Session: "GM-2026-1", Items: items(agendasvc.MaxItems + 1)}, concord.EInvalid, "agendas.error.too_many_items", "items"},
			{"malformed item id", chair, agendasvc.Draft{Session: "GM-2026-1", Items: badID}, concord.EInvalid, "agendas.error.item_id", "items[0].id"},
			{"bad session code", chair, agendasvc.Draft{Session: "GM 2026/1", Items: items(1)}, concord.EInvalid, "agendas.error.session", "session"},
			{"no session code", chair, agendasvc.Draft{Items: items(1)}, concord.EInvalid, "agendas.error.session", "session"},
			{"a delegate", irn, agendasvc.Draft{Session: "GM-2026-1", Items: items(1)}, concord.EForbidden, "error.forbidden", ""},
			{"the public", nil, agendasvc.Draft{Session: "GM-2026-1", Items: items(1)}, concord.EForbidden, "error.forbidden", ""},
			{"a co-facilitator", &concord.User{ID: 9, Role: concord.RoleCoFacilitator}, agendasvc.Draft{Session: "GM-2026-1", Items: items(1)}, concord.EForbidden, "error.forbidden", ""},
		} {
			_, err := f.svc.Create(ctx, c.u, c.in)
			wantErr(t, c.name, err, c.code, c.key, c.field)
		}
		// Nothing was saved: the session still has its one version.
		if s := f.session("GM-2026-1"); len(s.Versions) != 1 || len(s.Versions[0].Doc.Items) != 2 {
			t.Errorf("failed writes changed the session: %+v", s.Versions)
		}
		// Bad edits keep the version as it was.
		v := f.session("GM-2026-1").Versions[0]
		_, err := f.svc.Update(ctx, chair, v.ID, dup)
		wantErr(t, "duplicate numbers on edit", err, concord.EInvalid, "agendas.error.duplicate_number", "items[1].number")
		_, err = f.svc.Update(ctx, irn, v.ID, items(1))
		wantErr(t, "a delegate edits", err, concord.EForbidden, "error.forbidden", "")
		if _, err := f.svc.Update(ctx, chair, 999999, items(1)); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("edit of no version: %v", err)
		}
		if _, err := f.svc.PutToAdoption(ctx, chair, 999999); concord.ErrorCode(err) != concord.ENotFound {
			t.Errorf("adoption of no version: %v", err)
		}
		if got, _ := f.svc.Get(ctx, v.ID); len(got.Doc.Items) != 2 || got.Updated != v.Updated {
			t.Errorf("failed edits changed the version: %+v", got)
		}
	})
}
