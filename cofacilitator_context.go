package concord

import "time"

// CoFacilitatorContextFor builds the reference data the pair rules need:
// each State's category under the process's classification (category maps
// ISO3 to developed/developing) and its electoral regional group at t.
func CoFacilitatorContextFor(states []State, category map[string]string, t time.Time) CoFacilitatorContext {
	return CoFacilitatorContext{
		Category: func(iso3 string) string { return category[iso3] },
		Group:    DecisionGroupOf(states, t),
	}
}
