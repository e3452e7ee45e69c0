package fund

import (
	"cmp"
	"slices"

	"concord/capacity"
)

// Total is what the Fund awarded to one region or in one area.
type Total struct {
	Key    string // a regional group's code, or an area's
	Awards int
	Amount int64
}

// Totals are the Fund's public figures: the awards by regional group and
// by area, and the sums.
type Totals struct {
	ByRegion  []Total // in the order of capacity.Regions, then any other
	ByArea    []Total // in the order of capacity.Areas
	Awards    int
	Amount    int64
	Disbursed int64
}

// Sum adds up the awarded applications among apps, with groupOf the
// regional group of a State ("" when none).
func Sum(apps []Application, groupOf func(iso3 string) string) Totals {
	var t Totals
	region, area := map[string]*Total{}, map[string]*Total{}
	add := func(m map[string]*Total, key string, n int64) {
		x, ok := m[key]
		if !ok {
			x = &Total{Key: key}
			m[key] = x
		}
		x.Awards++
		x.Amount += n
	}
	for _, a := range apps {
		if a.Award == nil {
			continue
		}
		t.Awards++
		t.Amount += a.Award.Amount
		t.Disbursed += a.Disbursed()
		add(region, groupOf(a.State), a.Award.Amount)
		add(area, string(a.Area), a.Award.Amount)
	}
	for _, r := range capacity.Regions {
		if x, ok := region[r]; ok {
			t.ByRegion = append(t.ByRegion, *x)
			delete(region, r)
		}
	}
	var rest []Total
	for _, x := range region {
		rest = append(rest, *x)
	}
	slices.SortFunc(rest, func(a, b Total) int { return cmp.Compare(a.Key, b.Key) })
	t.ByRegion = append(t.ByRegion, rest...)
	for _, a := range capacity.Areas {
		if x, ok := area[string(a.Code)]; ok {
			t.ByArea = append(t.ByArea, *x)
		}
	}
	return t
}
