package decide_test

import (
	"concord/briefer"
	"concord/decision"
	"concord/rule"
	"errors"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/decide"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// brieferEnv is a store with a clock the test moves, and the users of a
// briefer round.
type brieferEnv struct {
	t     *testing.T
	db    *store.DB
	svc   *decide.Service
	clock time.Time
	sec   *concord.User
	chair *concord.User
	fra   *concord.User
	deu   *concord.User
	rus   *concord.User
}

func newBrieferEnv(t *testing.T, db *store.DB) *brieferEnv {
	e := &brieferEnv{t: t, db: db, svc: &decide.Service{DB: db, Process: concord.DefaultProcessCode},
		clock: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC), // 09:00 in New York, five weeks before the DTG meetings
		sec:   &concord.User{ID: 1, Role: concord.RoleSecretariat}, chair: &concord.User{ID: 2, Role: concord.RoleChair},
		fra: &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}, deu: &concord.User{ID: 4, Role: concord.RoleDelegate, State: "DEU"},
		rus: &concord.User{ID: 5, Role: concord.RoleDelegate, State: "RUS"}}
	db.Now = func() time.Time { return e.clock }
	return e
}

func (e *brieferEnv) at(d time.Time) { e.clock = d }

func (e *brieferEnv) step(d time.Duration) { e.clock = e.clock.Add(d) }

// in is a valid nomination of name for the DTG 1 meeting of 7 December 2026.
func in(name string) decide.BrieferInput {
	return decide.BrieferInput{Name: name, Affiliation: "CERT.br", Expertise: "Incident response for critical infrastructure.", DTG: "DTG-1", MeetingDate: "2026-12-07"}
}

func (e *brieferEnv) nominate(u *concord.User, x decide.BrieferInput) decide.Briefer {
	e.t.Helper()
	b, err := e.svc.NominateBriefer(ctx, u, x)
	if err != nil {
		e.t.Fatalf("nominate %s: %v", x.Name, err)
	}
	return b
}

func (e *brieferEnv) state(id int64) decide.Briefer {
	e.t.Helper()
	b, err := e.svc.Briefer(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *brieferEnv) position(u *concord.User, id int64, actor string, k decision.PositionKind, text string) error {
	_, err := e.svc.TakePosition(ctx, u, id, decide.PositionInput{Actor: actor, Kind: k, Text: text, Lang: "en"})
	return err
}

// setRule records a new version of the briefers rule, effective now.
func (e *brieferEnv) setRule(c briefer.Confirmation, period time.Duration) {
	e.t.Helper()
	p := briefer.Policy{Confirmation: c, Period: period}
	if _, err := e.svc.AddRule(ctx, e.sec, rule.Version{Code: briefer.RuleCode, Policy: &p, Note: concord.Text{"en": "test"}}); err != nil {
		e.t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err error, code, field, key string) {
	t.Helper()
	var de *concord.Error
	if !errors.As(err, &de) || de.Code != code || de.Field != field || (key != "" && de.Key != key) {
		t.Errorf("%s: %v, want %s on %q (%s)", what, err, code, field, key)
	}
}

func (e *brieferEnv) count() int {
	e.t.Helper()
	rs, err := store.Records[briefer.Nomination](e.db.Read(ctx), concord.DefaultProcessCode, decide.KindBriefer, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return len(rs)
}

// TestBrieferWhoNominates: a delegate for its own State, the Secretariat for
// any; never for another State, never the Chair or a co-facilitator, and
// only Member States.
func TestBrieferWhoNominates(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		b := e.nominate(e.fra, in("Ana Beatriz Costa"))
		if n := b.Record.Doc; n.NominatedBy != "FRA" || n.Meeting != "DTG-1-2026-12-07" || n.RuleVersion != 1 || n.ID == "" || b.Record.Scope != n.Meeting {
			t.Errorf("nomination %+v, scope %q", n, b.Record.Scope)
		}
		if b.Decision.Facts.Kind != decision.KindBrieferConfirmation || b.Decision.Facts.ProposedBy != "FRA" ||
			b.Decision.Facts.Subject != decide.SubjectOf(decide.KindBriefer, b.ID()) || b.Record.DecisionID != b.Decision.ID {
			t.Errorf("decision %+v", b.Decision.Facts)
		}
		other := in("Kenji Sato")
		other.NominatedBy = "DEU"
		_, err := e.svc.NominateBriefer(ctx, e.fra, other)
		wantErr(t, "France for Germany", err, concord.EForbidden, "nominated_by", "briefers.error.forbidden")
		for _, u := range []*concord.User{e.chair, {ID: 9, Role: concord.RoleCoFacilitator}, {ID: 10, Role: concord.RoleFocalPoint, OrgID: 1}, nil} {
			_, err := e.svc.NominateBriefer(ctx, u, in("Kenji Sato"))
			wantErr(t, "no State to nominate for", err, concord.EForbidden, "nominated_by", "")
		}
		if b := e.nominate(e.sec, other); b.Record.Doc.NominatedBy != "DEU" {
			t.Errorf("Secretariat for Germany: %s", b.Record.Doc.NominatedBy)
		}
		_, err = e.svc.NominateBriefer(ctx, e.sec, in("Lucía Hernández"))
		wantErr(t, "Secretariat without a State", err, concord.EInvalid, "nominated_by", "briefer.error.nominated_by")
		obs := in("Lucía Hernández")
		obs.NominatedBy = "vat"
		_, err = e.svc.NominateBriefer(ctx, e.sec, obs)
		wantErr(t, "observer State", err, concord.EInvalid, "nominated_by", "briefers.error.not_member")
		obs.NominatedBy = "XXX"
		_, err = e.svc.NominateBriefer(ctx, e.sec, obs)
		wantErr(t, "unknown State", err, concord.EInvalid, "nominated_by", "error.state_code")
		if n := e.count(); n != 2 {
			t.Errorf("%d nominations stored, want 2", n)
		}
	})
}

// TestBrieferNonObjection runs the default rule: a five-day silence round.
// An objection made exactly at the deadline is late; silence then confirms.
// An objection before the deadline rejects the other nomination.
func TestBrieferNonObjection(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		a := e.nominate(e.fra, in("Ana Beatriz Costa"))
		e.step(time.Minute)
		x := in("Sofia Lindqvist")
		x.Affiliation = "CyberPeace Institute"
		b := e.nominate(e.fra, x)
		dl := a.Result.Decision.Deadline
		if a.Policy.Confirmation != briefer.NonObjection || !dl.Equal(a.Record.Doc.At.Add(5*24*time.Hour)) || a.Result.State != briefer.Nominated {
			t.Fatalf("policy %s, deadline %s, state %s", a.Policy.Confirmation, dl, a.Result.State)
		}
		e.step(time.Hour)
		if err := e.position(e.deu, a.Decision.ID, "", decision.PositionSupport, "Germany welcomes the briefer."); err != nil {
			t.Fatal(err)
		}
		if err := e.position(e.rus, b.Decision.ID, "", decision.PositionObjection, "External briefers need the case-by-case agreement of Member States."); err != nil {
			t.Fatal(err)
		}
		if got := e.state(b.ID()); got.Result.State != briefer.Rejected || len(got.Result.Decision.Record.Objected) != 1 ||
			got.Result.Decision.Record.Objected[0].State != "RUS" || !strings.Contains(got.Result.Decision.Record.Objected[0].Text, "case-by-case") {
			t.Errorf("objected nomination: %s, record %+v", got.Result.State, got.Result.Decision.Record.Objected)
		}
		e.at(dl.Add(-time.Microsecond))
		if got := e.state(a.ID()); got.Result.State != briefer.Nominated {
			t.Errorf("just before the deadline: %s", got.Result.State)
		}
		e.at(dl)
		err := e.position(e.rus, a.Decision.ID, "", decision.PositionObjection, "Too late.")
		wantErr(t, "objection at the deadline", err, concord.EConflict, "at", "decision.error.late")
		if got := e.state(a.ID()); got.Result.State != briefer.Confirmed || len(got.Result.Decision.Record.Objected) != 0 {
			t.Errorf("at the deadline: %s", got.Result.State)
		}
		// Simulated on the objected nomination: automatic confirms it when
		// made; silence was broken by the objection; consensus is
		// ascertained only at its own deadline (a minute after the first
		// nomination's), when the objection rejects it.
		for _, c := range []struct {
			at   time.Time
			want []briefer.State
		}{
			{dl, []briefer.State{briefer.Confirmed, briefer.Rejected, briefer.Nominated}},
			{dl.Add(time.Minute), []briefer.State{briefer.Confirmed, briefer.Rejected, briefer.Rejected}},
		} {
			e.at(c.at)
			sims := e.svc.SimulateBriefer(e.state(b.ID()))
			if len(sims) != 3 {
				t.Fatalf("%d simulations", len(sims))
			}
			for i, s := range sims {
				if s.Err != nil || s.Result.State != c.want[i] {
					t.Errorf("at %s, %s: %s, %v; want %s", c.at, s.Policy.Confirmation, s.Result.State, s.Err, c.want[i])
				}
			}
		}
	})
}

// TestBrieferConsensus: under consensus case by case (Russia's reading), the
// Chair ascertains consensus on the decision; an objection then rejects. A
// nomination made before the rule changed keeps the rule it was made under.
func TestBrieferConsensus(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		before := e.nominate(e.fra, in("Ana Beatriz Costa"))
		e.step(time.Minute)
		e.setRule(briefer.Consensus, 0)
		e.step(time.Minute)
		a := e.nominate(e.fra, in("Wanjiru Kamau"))
		b := e.nominate(e.deu, in("Daniel Lim"))
		if a.Policy.Confirmation != briefer.Consensus || a.Record.Doc.RuleVersion != 2 || a.Decision.Policy.Modality != decision.ModalityChairProposalConsensusApproval {
			t.Fatalf("rule %d %s %s", a.Record.Doc.RuleVersion, a.Policy.Confirmation, a.Decision.Policy.Modality)
		}
		if got := e.state(before.ID()); got.Policy.Confirmation != briefer.NonObjection || got.Record.Doc.RuleVersion != 1 {
			t.Errorf("the earlier nomination changed rule: %s", got.Policy.Confirmation)
		}
		e.step(24 * time.Hour)
		if err := e.position(e.rus, b.Decision.ID, "", decision.PositionObjection, "No agreement on this briefer."); err != nil {
			t.Fatal(err)
		}
		if err := e.position(e.sec, a.Decision.ID, "CHN", decision.PositionNoObjection, ""); err != nil {
			t.Fatal(err)
		}
		e.step(10 * 24 * time.Hour) // no deadline: pending until the Chair acts
		if got := e.state(a.ID()); got.Result.State != briefer.Nominated || !got.Result.Decision.Deadline.IsZero() {
			t.Errorf("before the Chair acts: %s", got.Result.State)
		}
		if _, err := e.svc.Act(ctx, e.fra, a.Decision.ID, decision.ActDecide, true, nil); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a delegate acted for the Chair: %v", err)
		}
		for _, id := range []int64{a.Decision.ID, b.Decision.ID} {
			if _, err := e.svc.Act(ctx, e.chair, id, decision.ActDecide, true, nil); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.state(a.ID()); got.Result.State != briefer.Confirmed {
			t.Errorf("consensus: %s", got.Result.State)
		}
		if got := e.state(b.ID()); got.Result.State != briefer.Rejected || got.Result.Decision.Outcome != decision.OutcomeNotAdopted {
			t.Errorf("objection under consensus: %s (%s)", got.Result.State, got.Result.Decision.Outcome)
		}
	})
}

// TestBrieferAutomatic: under Canada's reading, a State's nomination is
// confirmed when made; the engine then refuses objections as after the
// outcome, and explanations of position are recorded beside it.
func TestBrieferAutomatic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		e.setRule(briefer.Automatic, 0)
		e.step(time.Minute)
		b := e.nominate(e.fra, in("Ana Beatriz Costa"))
		if b.Result.State != briefer.Confirmed || !b.Result.Decision.Outcome.Adopted() {
			t.Fatalf("automatic: %s (%s)", b.Result.State, b.Result.Decision.Outcome)
		}
		e.step(time.Hour)
		err := e.position(e.rus, b.Decision.ID, "", decision.PositionObjection, "No.")
		wantErr(t, "objection after automatic confirmation", err, concord.EConflict, "at", "decision.error.after_outcome")
		if err := e.position(e.rus, b.Decision.ID, "", decision.PositionExplanation, "Russia does not accept briefers without the agreement of Member States."); err != nil {
			t.Fatal(err)
		}
		got := e.state(b.ID())
		if got.Result.State != briefer.Confirmed || len(got.Result.Decision.Record.Explanations) != 1 {
			t.Errorf("after an explanation: %s, %+v", got.Result.State, got.Result.Decision.Record.Explanations)
		}
		// Withdrawal is for rounds under way: this one ended when it began.
		_, err = e.svc.WithdrawBriefer(ctx, e.fra, b.ID(), "", "en")
		wantErr(t, "withdraw a confirmed nomination", err, concord.EConflict, "", "briefers.error.not_open")
	})
}

// TestBrieferWithdraw: the nominating State withdraws during the round; the
// decision is closed (deferred) and takes no more positions; the same person
// may then be nominated again.
func TestBrieferWithdraw(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		b := e.nominate(e.fra, in("Ana Beatriz Costa"))
		e.step(time.Hour)
		_, err := e.svc.WithdrawBriefer(ctx, e.deu, b.ID(), "", "en")
		wantErr(t, "Germany withdraws France's nomination", err, concord.EForbidden, "", "briefers.error.not_yours")
		_, err = e.svc.WithdrawBriefer(ctx, e.chair, b.ID(), "", "en")
		wantErr(t, "the Chair withdraws", err, concord.EForbidden, "", "briefers.error.forbidden")
		_, err = e.svc.WithdrawBriefer(ctx, e.fra, 999999, "", "en")
		if !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("no such nomination: %v", err)
		}
		_, err = e.svc.WithdrawBriefer(ctx, e.fra, b.ID(), strings.Repeat("x", briefer.NoteMax+1), "en")
		wantErr(t, "note too long", err, concord.EInvalid, "note", "error.too_long")
		w, err := e.svc.WithdrawBriefer(ctx, e.fra, b.ID(), "The briefer is no longer available.", "fr")
		if err != nil {
			t.Fatal(err)
		}
		if w.Result.State != briefer.Withdrawn || w.Result.Decision.Outcome != decision.OutcomeDeferred || !w.Record.Doc.Withdrawn.Equal(e.clock) ||
			w.Record.Doc.WithdrawalNote != "The briefer is no longer available." {
			t.Errorf("withdrawn: %s %s %+v", w.Result.State, w.Result.Decision.Outcome, w.Record.Doc)
		}
		if acts := w.Decision.Facts.Acts; len(acts) != 1 || acts[0].Kind != decision.ActDefer || acts[0].Text["fr"] == "" {
			t.Errorf("decision acts %+v", acts)
		}
		e.step(time.Minute)
		err = e.position(e.rus, b.Decision.ID, "", decision.PositionObjection, "")
		wantErr(t, "position on a withdrawn nomination", err, concord.EConflict, "at", "decision.error.deferred")
		_, err = e.svc.WithdrawBriefer(ctx, e.sec, b.ID(), "", "en")
		wantErr(t, "withdraw twice", err, concord.EConflict, "", "briefers.error.withdrawn")
		// After the deadline it is still withdrawn, not confirmed by silence.
		e.step(6 * 24 * time.Hour)
		if got := e.state(b.ID()); got.Result.State != briefer.Withdrawn {
			t.Errorf("after the deadline: %s", got.Result.State)
		}
		again := e.nominate(e.fra, in("ana beatriz  COSTA"))
		if again.ID() == b.ID() {
			t.Error("renomination reused the record")
		}
		// The Secretariat withdraws for the State; a rejected one cannot be withdrawn.
		if err := e.position(e.rus, again.Decision.ID, "", decision.PositionObjection, ""); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.WithdrawBriefer(ctx, e.sec, again.ID(), "", "en")
		wantErr(t, "withdraw a rejected nomination", err, concord.EConflict, "", "briefers.error.not_open")
	})
}

// TestBrieferBadInput: each problem names its field, and nothing is saved.
func TestBrieferBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		e.nominate(e.fra, in("Ana Beatriz Costa"))
		mod := func(f func(*decide.BrieferInput)) decide.BrieferInput { x := in("Kenji Sato"); f(&x); return x }
		for _, c := range []struct {
			name        string
			x           decide.BrieferInput
			code, field string
			key         string
		}{
			{"missing name", mod(func(x *decide.BrieferInput) { x.Name = "  " }), concord.EInvalid, "name", "briefer.error.name"},
			{"missing affiliation", mod(func(x *decide.BrieferInput) { x.Affiliation = "" }), concord.EInvalid, "affiliation", "error.required"},
			{"missing DTG", mod(func(x *decide.BrieferInput) { x.DTG = "" }), concord.EInvalid, "dtg", "briefer.error.dtg"},
			{"unknown DTG", mod(func(x *decide.BrieferInput) { x.DTG = "DTG3" }), concord.EInvalid, "dtg", "briefers.error.dtg"},
			{"bad date", mod(func(x *decide.BrieferInput) { x.MeetingDate = "7 December" }), concord.EInvalid, "meeting_date", "error.date"},
			{"impossible date", mod(func(x *decide.BrieferInput) { x.MeetingDate = "2026-02-30" }), concord.EInvalid, "meeting_date", "error.date"},
			{"meeting begun", mod(func(x *decide.BrieferInput) { x.MeetingDate = "2026-11-02" }), concord.EInvalid, "meeting_date", "briefers.error.meeting_date"},
			{"meeting decades ahead", mod(func(x *decide.BrieferInput) { x.MeetingDate = "2062-12-07" }), concord.EInvalid, "meeting_date", "briefers.error.meeting_date"},
			{"huge name", mod(func(x *decide.BrieferInput) { x.Name = strings.Repeat("Ana ", 100) }), concord.EInvalid, "name", "error.too_long"},
			{"huge expertise", mod(func(x *decide.BrieferInput) { x.Expertise = strings.Repeat("é", briefer.ExpertiseMax+1) }), concord.EInvalid, "expertise", "error.too_long"},
			{"huge affiliation", mod(func(x *decide.BrieferInput) { x.Affiliation = strings.Repeat("x", 1<<20) }), concord.EInvalid, "affiliation", "error.too_long"},
			{"duplicate", in("  ana BEATRIZ costa "), concord.EConflict, "name", "briefers.error.duplicate"},
		} {
			_, err := e.svc.NominateBriefer(ctx, e.fra, c.x)
			wantErr(t, c.name, err, c.code, c.field, c.key)
		}
		if n := e.count(); n != 1 {
			t.Errorf("%d nominations stored after refused ones, want 1", n)
		}
		// The same person for another meeting is another nomination.
		other := in("Ana Beatriz Costa")
		other.DTG = "dtg-2"
		if b := e.nominate(e.fra, other); b.Record.Doc.Meeting != "DTG-2-2026-12-07" {
			t.Errorf("meeting %s", b.Record.Doc.Meeting)
		}
	})
}

// TestBrieferList: nominations grouped by meeting, filtered by DTG, at a
// fixed number of queries whatever their number.
func TestBrieferList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newBrieferEnv(t, db)
		e.nominate(e.fra, in("Ana Beatriz Costa"))
		x := in("Daniel Lim")
		x.DTG, x.MeetingDate = "DTG-2", "2026-12-09"
		e.nominate(e.deu, x)
		list := func(f decide.BrieferFilter) ([]decide.BrieferMeeting, int64) {
			t.Helper()
			q := db.Queries()
			l, err := e.svc.Briefers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if l.Rule.Version != 1 || l.Location == nil {
				t.Errorf("rule %+v, location %v", l.Rule, l.Location)
			}
			return l.Meetings, db.Queries() - q
		}
		ms, small := list(decide.BrieferFilter{})
		if len(ms) != 2 || ms[0].Code != "DTG-2-2026-12-09" || ms[1].Code != "DTG-1-2026-12-07" || len(ms[1].Briefers) != 1 {
			t.Errorf("meetings %+v", ms)
		}
		for i := range 20 {
			e.step(time.Second)
			e.nominate(e.sec, decide.BrieferInput{Name: "Briefer " + string(rune('A'+i)), Affiliation: "University", NominatedBy: "BRA", DTG: "DTG-1", MeetingDate: "2026-12-07"})
		}
		ms, large := list(decide.BrieferFilter{DTG: "dtg-1"})
		if len(ms) != 1 || len(ms[0].Briefers) != 21 {
			t.Errorf("DTG 1: %d meetings", len(ms))
		}
		if large != small || small > 4 {
			t.Errorf("queries: %d with 2 nominations, %d with 22", small, large)
		}
		if ms, _ := list(decide.BrieferFilter{Meeting: "DTG-2-2026-12-09"}); len(ms) != 1 || len(ms[0].Briefers) != 1 {
			t.Errorf("one meeting: %+v", ms)
		}
		_, err := e.svc.Briefers(ctx, decide.BrieferFilter{DTG: "DTG9"})
		wantErr(t, "unknown DTG filter", err, concord.EInvalid, "dtg", "briefers.error.dtg")
	})
}
