package fundsvc_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"concord"
	"concord/fund"
	"concord/internal/fundsvc"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/rule"
)

var ctx = context.Background()

var (
	now = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	sec = &concord.User{ID: 1, Role: concord.RoleSecretariat}
	ken = &concord.User{ID: 2, Role: concord.RoleDelegate, State: "KEN"}
	nor = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "NOR"}
	bra = &concord.User{ID: 4, Role: concord.RoleDelegate, State: "BRA"}
)

func keys(err error) []string {
	var es concord.Errors
	es.Add(err)
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// TestFund runs a call from opening to the report against its award, and
// checks at each step who may act and that the committee's scores and
// comments reach no one but the Secretariat and the committee.
func TestFund(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := now
		db.Now = func() time.Time { return clock }
		s := &fundsvc.Service{DB: db, Process: concord.DefaultProcessCode}
		reviewer := concord.User{Username: "reviewer", Name: "R. Viewer", Role: concord.RoleDelegate, State: "NOR"}
		if err := db.Update(ctx, concord.Actor(sec), func(tx *store.Tx) error { return tx.CreateUser(&reviewer, "x") }); err != nil {
			t.Fatal(err)
		}
		in := fundsvc.CallInput{Title: "CERTs 2027", Area: "pillar.capacity", Opens: now.Add(-time.Hour), Closes: now.Add(48 * time.Hour),
			Amount: 300_000, Reviewers: []string{"reviewer", "nobody"}}
		if _, err := s.SaveCall(ctx, sec, 0, in); !slices.Equal(keys(err), []string{"fund.error.reviewers"}) {
			t.Errorf("unknown reviewer: %v", keys(err))
		}
		if _, err := s.SaveCall(ctx, ken, 0, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a delegate opens a call: %v", err)
		}
		in.Reviewers = []string{"reviewer"}
		c, err := s.SaveCall(ctx, sec, 0, in)
		if err != nil || !slices.Equal(c.Reviewers, []int64{reviewer.ID}) {
			t.Fatalf("%+v %v", c, err)
		}
		ain := fundsvc.ApplicationInput{Project: "A national CERT", Summary: "Training.", Area: "pillar.capacity", Amount: 120_000}
		if _, err := s.Apply(ctx, nor, c.ID, ain); !slices.Equal(keys(err), []string{"fund.error.not_eligible"}) {
			t.Errorf("a developed State applies: %v", keys(err))
		}
		a, err := s.Apply(ctx, ken, c.ID, ain)
		if err != nil || a.Status != fund.Submitted || a.RuleVersion != 1 {
			t.Fatalf("%+v %v", a, err)
		}
		if _, err := s.Apply(ctx, ken, c.ID, ain); !slices.Equal(keys(err), []string{"fund.error.applied"}) {
			t.Errorf("double submission: %v", keys(err))
		}
		// Seen by the applicant, the Secretariat and the committee; not
		// found for another State or the public before the award.
		for _, u := range []*concord.User{nil, bra, nor} {
			if _, err := s.Application(ctx, u, a.ID); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%v reads the application: %v", u, err)
			}
		}
		if v, err := s.Application(ctx, &reviewer, a.ID); err != nil || !v.Full {
			t.Errorf("reviewer: %+v %v", v, err)
		}
		if _, err := s.Review(ctx, &reviewer, a.ID, 4, "Sound plan.", nil); concord.ErrorCode(err) != concord.EConflict {
			t.Errorf("review before screening: %v", err)
		}
		if _, err := s.Screen(ctx, ken, a.ID, true, ""); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("the applicant screens: %v", err)
		}
		if _, err := s.Screen(ctx, sec, a.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Review(ctx, ken, a.ID, 5, "Ours is great.", nil); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("the applicant reviews: %v", err)
		}
		if _, err := s.Review(ctx, &reviewer, a.ID, 4, "Sound plan; budget thin.", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Award(ctx, sec, a.ID, 400_000, nil); !slices.Equal(keys(err), []string{"fund.error.above_request", "fund.error.above_left"}) {
			t.Errorf("award too large: %v", keys(err))
		}
		if _, err := s.Award(ctx, sec, a.ID, 100_000, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Disburse(ctx, sec, a.ID, 60_000, "first tranche", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Report(ctx, bra, a.ID, "Not ours."); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("another State reports: %v", err)
		}
		if _, err := s.Report(ctx, ken, a.ID, "Twelve analysts trained."); err != nil {
			t.Fatal(err)
		}
		// Reviews: the Secretariat and the committee only.
		for _, tc := range []struct {
			u    *concord.User
			sees bool
		}{{sec, true}, {&reviewer, true}, {ken, false}, {bra, false}, {nil, false}} {
			v, err := s.Application(ctx, tc.u, a.ID)
			if err != nil {
				t.Fatalf("%v: %v", tc.u, err)
			}
			if v.SeesReviews != tc.sees || (len(v.Reviews) > 0) != tc.sees {
				t.Errorf("%v sees reviews: %v %v", tc.u, v.SeesReviews, v.Reviews)
			}
			if tc.u == nil && (v.Full || v.App.Reports != nil || v.App.Screening != nil) {
				t.Errorf("the public sees more than the award: %+v", v.App)
			}
		}
		sum, err := s.Summarise(ctx)
		if err != nil || sum.Totals.Amount != 100_000 || sum.Totals.Disbursed != 60_000 || len(sum.Totals.ByRegion) != 1 || sum.Totals.ByRegion[0].Key != "AG" {
			t.Errorf("totals %+v %v", sum.Totals, err)
		}
		// The rule is dated: a version letting every State apply, from an
		// hour on, changes nothing now and admits Norway once in force; the
		// application records the version.
		v := rule.Version{Code: fund.RuleCode, Version: 2, Effective: now.Add(time.Hour), Recorded: now,
			Policy: &fund.Policy{Eligibility: fund.AllStates, Scheme: concord.SchemeUNCTAD}}
		v.Stamp()
		if err := db.Update(ctx, concord.Actor(sec), func(tx *store.Tx) error { return tx.AddRuleVersion(concord.DefaultProcessCode, &v) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(ctx, nor, c.ID, ain); !slices.Equal(keys(err), []string{"fund.error.not_eligible"}) {
			t.Errorf("before the new version: %v", keys(err))
		}
		clock = now.Add(2 * time.Hour)
		if a, err := s.Apply(ctx, nor, c.ID, ain); err != nil || a.RuleVersion != 2 {
			t.Errorf("under version 2: %+v %v", a, err)
		}
		// After the close: refused, saying why.
		clock = now.Add(72 * time.Hour)
		if _, err := s.Apply(ctx, bra, c.ID, ain); !slices.Equal(keys(err), []string{"fund.error.closed"}) {
			t.Errorf("after the close: %v", keys(err))
		}
	})
}

// TestEditCall changes a call before and after applications came in: the
// corrections a fund manager makes are saved and audited as an edit, each
// change the rules refuse is refused with its key (and all of them at
// once), another role is refused and an unknown call is not found.
func TestEditCall(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return now }
		s := &fundsvc.Service{DB: db, Process: concord.DefaultProcessCode}
		first := concord.User{Username: "first", Role: concord.RoleDelegate, State: "NOR"}
		second := concord.User{Username: "second", Role: concord.RoleDelegate, State: "DEU"}
		if err := db.Update(ctx, concord.Actor(sec), func(tx *store.Tx) error {
			if err := tx.CreateUser(&first, "x"); err != nil {
				return err
			}
			return tx.CreateUser(&second, "x")
		}); err != nil {
			t.Fatal(err)
		}
		in := fundsvc.CallInput{Title: "CERTs 2027", Area: "pillar.capacity", Opens: now.Add(-time.Hour), Closes: now.Add(48 * time.Hour),
			Amount: 300_000, Reviewers: []string{"first", "second"}}
		c, err := s.SaveCall(ctx, sec, 0, in)
		if err != nil {
			t.Fatal(err)
		}
		// Before any application, everything may move.
		early := in
		early.Title, early.Area, early.Opens = "CERTs 2027 (typo fixed)", "pillar.norms", now.Add(-2*time.Hour)
		if got, err := s.SaveCall(ctx, sec, c.ID, early); err != nil || got.ID != c.ID || got.Title != early.Title || got.Area != "pillar.norms" {
			t.Fatalf("edit before applications: %+v %v", got, err)
		}
		in = early
		in.Area = "pillar.capacity"
		if _, err := s.SaveCall(ctx, sec, c.ID, in); err != nil {
			t.Fatal(err)
		}
		// An application, screened, reviewed by "first", awarded 100,000.
		a, err := s.Apply(ctx, ken, c.ID, fundsvc.ApplicationInput{Project: "A national CERT", Summary: "Training.", Area: "pillar.capacity", Amount: 120_000})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Screen(ctx, sec, a.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Review(ctx, &first, a.ID, 4, "Sound.", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Award(ctx, sec, a.ID, 100_000, nil); err != nil {
			t.Fatal(err)
		}
		if use, err := s.Usage(ctx, c.ID); err != nil || use.Applications != 1 || use.Awarded != 100_000 || !slices.Equal(use.Reviewed, []int64{first.ID}) {
			t.Errorf("usage %+v %v", use, err)
		}
		// Allowed: the deadline extended, the budget down to the awards,
		// the reviewer without reviews dropped, the title corrected.
		ok := in
		ok.Title, ok.Closes, ok.Amount, ok.Reviewers = "CERTs 2027, extended", in.Closes.Add(7*24*time.Hour), 100_000, []string{"first"}
		got, err := s.SaveCall(ctx, sec, c.ID, ok)
		if err != nil || !got.Closes.Equal(ok.Closes) || got.Amount != 100_000 || !slices.Equal(got.Reviewers, []int64{first.ID}) {
			t.Fatalf("edit after applications: %+v %v", got, err)
		}
		if read, err := s.Call(ctx, c.ID); err != nil || read.Title != ok.Title || !read.Created.Equal(c.Created) {
			t.Errorf("read back %+v %v", read, err)
		}
		edits := 0
		for e, err := range db.AuditEntries(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Action == "fund.call.edit" && e.ObjectID == strconv.FormatInt(c.ID, 10) && e.Public {
				edits++
			}
		}
		if edits != 3 {
			t.Errorf("%d public edits audited, want 3", edits)
		}
		// Refused, one by one and all at once; nothing saved.
		for _, tc := range []struct {
			name string
			edit func(*fundsvc.CallInput)
			want []string
		}{
			{"deadline earlier", func(i *fundsvc.CallInput) { i.Closes = ok.Closes.Add(-time.Hour) }, []string{"fund.error.closes_earlier"}},
			{"deadline in the past", func(i *fundsvc.CallInput) { i.Closes = now.Add(-time.Minute) }, []string{"fund.error.closes_earlier"}},
			{"opening moved", func(i *fundsvc.CallInput) { i.Opens = ok.Opens.Add(time.Hour) }, []string{"fund.error.opens_fixed"}},
			{"area changed", func(i *fundsvc.CallInput) { i.Area = "pillar.norms" }, []string{"fund.error.area_fixed"}},
			{"budget below the awards", func(i *fundsvc.CallInput) { i.Amount = 99_999 }, []string{"fund.error.below_awarded"}},
			{"reviewer with a review removed", func(i *fundsvc.CallInput) { i.Reviewers = []string{"second"} }, []string{"fund.error.reviewer_reviewed"}},
			{"unknown reviewer and unread amount", func(i *fundsvc.CallInput) {
				i.Reviewers = []string{"first", "ghost"}
				i.Unread = concord.Errors{concord.Errorf(concord.EInvalid, "amount", "fund.error.amount", "unread")}
			}, []string{"fund.error.amount", "fund.error.reviewers"}},
			{"everything at once", func(i *fundsvc.CallInput) {
				i.Title, i.Opens, i.Closes, i.Area, i.Amount, i.Reviewers = "", ok.Opens.Add(time.Hour), ok.Closes.Add(-time.Hour), "pillar.norms", 5, nil
			}, []string{"error.required", "fund.error.opens_fixed", "fund.error.closes_earlier", "fund.error.area_fixed", "fund.error.below_awarded", "fund.error.reviewer_reviewed"}},
		} {
			bad := ok
			tc.edit(&bad)
			if _, err := s.SaveCall(ctx, sec, c.ID, bad); !slices.Equal(keys(err), tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, keys(err), tc.want)
			}
		}
		if read, _ := s.Call(ctx, c.ID); read.Title != ok.Title || !read.Closes.Equal(ok.Closes) || read.Amount != 100_000 {
			t.Errorf("a refused edit saved something: %+v", read)
		}
		// A call without applications is not closed retroactively either.
		other, err := s.SaveCall(ctx, sec, 0, in)
		if err != nil {
			t.Fatal(err)
		}
		past := in
		past.Closes = now.Add(-time.Minute)
		if _, err := s.SaveCall(ctx, sec, other.ID, past); !slices.Equal(keys(err), []string{"fund.error.closes_past"}) {
			t.Errorf("closed retroactively: %v", keys(err))
		}
		// Another role; an unknown call.
		for _, u := range []*concord.User{ken, &first, nil} {
			if _, err := s.SaveCall(ctx, u, c.ID, ok); concord.ErrorCode(err) != concord.EForbidden {
				t.Errorf("%v edits the call: %v", u, err)
			}
		}
		if _, err := s.SaveCall(ctx, sec, c.ID+1000, ok); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("unknown call: %v", err)
		}
		if _, err := s.Usage(ctx, c.ID+1000); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("usage of an unknown call: %v", err)
		}
		// The reviewer with reviews leaves the Secretariat's lists (its
		// account disabled): it stays on the committee and the call can
		// still be changed; a disabled account cannot join one.
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.RemoveMember(first.ID) }); err != nil {
			t.Fatal(err)
		}
		later := ok
		later.Closes = ok.Closes.Add(24 * time.Hour)
		if got, err := s.SaveCall(ctx, sec, c.ID, later); err != nil || !slices.Equal(got.Reviewers, []int64{first.ID}) {
			t.Errorf("edit after the reviewer's account was disabled: %+v %v", got, err)
		}
		if _, err := s.SaveCall(ctx, sec, 0, in); !slices.Contains(keys(err), "fund.error.reviewers") {
			t.Errorf("a new call with a disabled reviewer: %v", keys(err))
		}
	})
}
