package fund_test

import (
	"slices"
	"testing"
	"time"

	"concord/fund"
)

// TestCheckEdit plays the changes a fund manager makes to a call, before
// and after applications came in, and the problems reported all at once.
func TestCheckEdit(t *testing.T) {
	mid := opens.Add(10 * 24 * time.Hour) // the call is open
	none := fund.Usage{}
	used := fund.Usage{Applications: 2, Awarded: 120_000, Reviewed: []int64{3}}
	for _, tc := range []struct {
		name string
		use  fund.Usage
		now  time.Time
		edit func(*fund.Call)
		want []string
	}{
		{"nothing changed", used, mid, func(*fund.Call) {}, nil},
		{"title corrected", used, mid, func(c *fund.Call) { c.Title = "Incident response 2026 (revised)" }, nil},
		{"deadline extended", used, mid, func(c *fund.Call) { c.Closes = closes.AddDate(0, 1, 0) }, nil},
		{"closed call reopened by an extension", used, closes.Add(time.Hour), func(c *fund.Call) { c.Closes = closes.AddDate(0, 0, 7) }, nil},
		{"closed call's title corrected", used, closes.AddDate(1, 0, 0), func(c *fund.Call) { c.Title = "Typo fixed" }, nil},
		{"no applications: everything may move", none, mid, func(c *fund.Call) {
			c.Opens, c.Closes, c.Area, c.Amount, c.Reviewers = opens.AddDate(0, 0, 1), mid.AddDate(0, 0, 1), "pillar.norms", 1, nil
		}, nil},
		{"budget raised, reviewer added", used, mid, func(c *fund.Call) { c.Amount, c.Reviewers = 900_000, []int64{3, 4, 5} }, nil},
		{"reviewer without reviews removed", used, mid, func(c *fund.Call) { c.Reviewers = []int64{3} }, nil},
		{"budget down to what is awarded", used, mid, func(c *fund.Call) { c.Amount = 120_000 }, nil},
		{"deadline moved earlier", used, mid, func(c *fund.Call) { c.Closes = closes.AddDate(0, 0, -1) }, []string{"closes:fund.error.closes_earlier"}},
		{"deadline moved into the past", none, mid, func(c *fund.Call) { c.Closes = mid.Add(-time.Hour) }, []string{"closes:fund.error.closes_past"}},
		{"deadline set to now", none, mid, func(c *fund.Call) { c.Closes = mid }, []string{"closes:fund.error.closes_past"}},
		{"past extension of a closed call", used, closes.AddDate(0, 1, 0), func(c *fund.Call) { c.Closes = closes.AddDate(0, 0, 7) }, []string{"closes:fund.error.closes_past"}},
		{"opening moved after applications", used, mid, func(c *fund.Call) { c.Opens = opens.AddDate(0, 0, -1) }, []string{"opens:fund.error.opens_fixed"}},
		{"area changed after applications", used, mid, func(c *fund.Call) { c.Area = "pillar.norms" }, []string{"area:fund.error.area_fixed"}},
		{"budget below the awards", used, mid, func(c *fund.Call) { c.Amount = 119_999 }, []string{"amount:fund.error.below_awarded"}},
		{"reviewer with reviews removed", used, mid, func(c *fund.Call) { c.Reviewers = []int64{4} }, []string{"reviewers:fund.error.reviewer_reviewed"}},
		{"everything wrong at once", used, mid, func(c *fund.Call) {
			c.Title, c.Opens, c.Closes, c.Area, c.Amount, c.Reviewers = "", opens.AddDate(0, 0, 1), opens.AddDate(0, 0, 5), "pillar.norms", 5, nil
		}, []string{"title:error.required", "opens:fund.error.opens_fixed", "closes:fund.error.closes_earlier", "area:fund.error.area_fixed", "amount:fund.error.below_awarded", "reviewers:fund.error.reviewer_reviewed"}},
		{"the call's own rules first, once per field", used, mid, func(c *fund.Call) { c.Closes, c.Amount = opens.Add(-time.Hour), 0 }, []string{"closes:fund.error.closes", "amount:fund.error.amount"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := call()
			after := call()
			after.Reviewers = slices.Clone(before.Reviewers)
			tc.edit(&after)
			after.Normalise()
			if got := fields(fund.CheckEdit(before, after, tc.use, tc.now)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
