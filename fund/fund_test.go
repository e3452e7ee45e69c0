package fund_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/fund"
)

var (
	opens  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	closes = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
)

func call() fund.Call {
	return fund.Call{ID: 7, Process: "p", Title: "Incident response 2026", Area: "pillar.capacity", Opens: opens, Closes: closes, Amount: 500_000, Reviewers: []int64{3, 4}}
}

func app() fund.Application {
	return fund.Application{State: "KEN", Project: "A national CERT", Summary: "Training and tools.", Area: "pillar.capacity", Amount: 100_000}
}

// fields lists the fields of every problem in err.
func fields(err error) []string {
	var all concord.Errors
	all.Add(err)
	var out []string
	for _, e := range all {
		out = append(out, e.Field+":"+e.Key)
	}
	return out
}

func TestCallValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*fund.Call)
		want []string
	}{
		{"valid", func(*fund.Call) {}, nil},
		{"everything wrong at once", func(c *fund.Call) { c.Title, c.Area, c.Closes, c.Amount = " ", "x", opens, 0 },
			[]string{"title:error.required", "area:portal.error.area", "closes:fund.error.closes", "amount:fund.error.amount"}},
		{"no dates", func(c *fund.Call) { c.Opens, c.Closes = time.Time{}, time.Time{} }, []string{"opens:error.required", "closes:error.required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := call()
			tc.edit(&c)
			if got := fields(c.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSubmit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*fund.Application)
		eligible bool
		at       time.Time
		want     []string
	}{
		{"open and eligible", func(*fund.Application) {}, true, opens, nil},
		{"at the closing instant", func(*fund.Application) {}, true, closes, []string{"call:fund.error.closed"}},
		{"before it opens", func(*fund.Application) {}, true, opens.Add(-time.Second), []string{"call:fund.error.not_open"}},
		{"closed, not eligible, too much, no project: every problem", func(a *fund.Application) { a.Amount, a.Project = 600_000, "" }, false, closes.Add(time.Hour),
			[]string{"project:error.required", "call:fund.error.closed", "state:fund.error.not_eligible", "amount:fund.error.above_call"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := app()
			tc.edit(&a)
			err := a.Submit(call(), tc.eligible, 2, tc.at)
			if got := fields(err); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if err == nil && (a.Status != fund.Submitted || a.Call != 7 || a.RuleVersion != 2) {
				t.Errorf("submitted as %+v", a)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	c, a := call(), app()
	if err := a.Submit(c, true, 1, opens); err != nil {
		t.Fatal(err)
	}
	if err := a.MakeAward(c, 10, 0, 1, opens); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("award before screening: %v", err)
	}
	if got := fields(a.Screen(false, "", 1, opens)); !slices.Equal(got, []string{"reasons:error.required"}) {
		t.Errorf("return without reasons: %v", got)
	}
	if err := a.Screen(true, "", 1, opens); err != nil || a.Status != fund.Eligible {
		t.Fatalf("screen: %v %v", err, a.Status)
	}
	if err := a.Screen(true, "", 1, opens); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("screened twice: %v", err)
	}
	if got := fields(a.MakeAward(c, 200_000, 450_000, 1, opens)); !slices.Equal(got, []string{"amount:fund.error.above_request", "amount:fund.error.above_left"}) {
		t.Errorf("award too large: %v", got)
	}
	if err := a.Disburse(1, "", 1, opens); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("disbursement before the award: %v", err)
	}
	if err := a.MakeAward(c, 80_000, 0, 1, opens); err != nil || a.Status != fund.Awarded {
		t.Fatalf("award: %v", err)
	}
	if err := a.Disburse(50_000, "first tranche", 1, opens); err != nil {
		t.Fatal(err)
	}
	if got := fields(a.Disburse(40_000, "", 1, opens)); !slices.Equal(got, []string{"amount:fund.error.above_award"}) {
		t.Errorf("beyond the award: %v", got)
	}
	if got := fields(a.AddReport(" ", 5, opens)); !slices.Equal(got, []string{"text:error.required"}) {
		t.Errorf("empty report: %v", got)
	}
	if err := a.AddReport("Six trainers trained.", 5, opens); err != nil || len(a.Reports) != 1 || a.Disbursed() != 50_000 {
		t.Errorf("report: %v %+v", err, a)
	}
}

func TestReviewAndVisibility(t *testing.T) {
	c, a := call(), app()
	a.Status = fund.Eligible
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	applicant := &concord.User{ID: 2, Role: concord.RoleDelegate, State: "KEN"}
	reviewer := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "NOR"}
	ownReviewer := &concord.User{ID: 4, Role: concord.RoleDelegate, State: "KEN"}
	other := &concord.User{ID: 5, Role: concord.RoleDelegate, State: "FRA"}
	stakeholder := &concord.User{ID: 6, Role: concord.RoleFocalPoint, OrgID: 1}
	for _, tc := range []struct {
		u            *concord.User
		view, review bool
	}{
		{nil, false, false}, {sec, true, true}, {applicant, true, false}, {reviewer, true, true},
		{ownReviewer, true, false}, {other, false, false}, {stakeholder, false, false},
	} {
		if got := fund.CanView(tc.u, c, a); got != tc.view {
			t.Errorf("CanView(%v) = %v", tc.u, got)
		}
		if got := fund.CanSeeReviews(tc.u, c, a); got != tc.review {
			t.Errorf("CanSeeReviews(%v) = %v", tc.u, got)
		}
	}
	r := fund.Review{Application: 1, Reviewer: 3, Score: 4}
	if err := fund.CheckReview(c, a, r, "NOR"); err != nil {
		t.Error(err)
	}
	if err := fund.CheckReview(c, a, fund.Review{Reviewer: 4, Score: 4}, "KEN"); concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("own State's reviewer: %v", err)
	}
	if err := fund.CheckReview(c, a, fund.Review{Reviewer: 5, Score: 4}, "FRA"); concord.ErrorCode(err) != concord.EForbidden {
		t.Errorf("not a reviewer: %v", err)
	}
	if got := fields(fund.CheckReview(c, a, fund.Review{Reviewer: 3, Score: 9}, "NOR")); !slices.Equal(got, []string{"score:fund.error.score"}) {
		t.Errorf("score: %v", got)
	}
	a.Status = fund.Returned
	if err := fund.CheckReview(c, a, r, "NOR"); !errors.Is(err, err) || concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("returned application reviewed: %v", err)
	}
}

func TestEligibilityAndTotals(t *testing.T) {
	p := fund.DefaultPolicy()
	cats := map[string]string{"KEN": concord.Developing, "NOR": concord.Developed}
	if !p.Eligible("KEN", cats) || p.Eligible("NOR", cats) || p.Eligible("XXX", cats) {
		t.Error("developing States only")
	}
	p.Eligibility = fund.AllStates
	if !p.Eligible("NOR", cats) {
		t.Error("all States")
	}
	if got := fields(fund.Policy{}.Validate()); !slices.Equal(got, []string{"eligibility:fund.error.eligibility", "scheme:cofacilitator.error.scheme"}) {
		t.Errorf("empty policy: %v", got)
	}
	a1, a2, a3 := app(), app(), app()
	a1.Award, a1.Disbursements = &fund.Award{Amount: 100}, []fund.Disbursement{{Amount: 40}}
	a2.State, a2.Area, a2.Award = "BRA", "norm.g", &fund.Award{Amount: 50}
	tot := fund.Sum([]fund.Application{a1, a2, a3}, func(s string) string { return map[string]string{"KEN": "AG", "BRA": "GRULAC"}[s] })
	if tot.Awards != 2 || tot.Amount != 150 || tot.Disbursed != 40 || len(tot.ByRegion) != 2 || tot.ByRegion[0].Key != "AG" || len(tot.ByArea) != 2 || tot.ByArea[0].Key != "pillar.capacity" {
		t.Errorf("totals %+v", tot)
	}
}
