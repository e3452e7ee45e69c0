package cofacilitator

import (
	"concord"
	"concord/decision"
	"time"
)

// ContextFor builds the reference data the pair rules need:
// each State's category under the process's classification (category maps
// ISO3 to developed/developing) and its electoral regional group at t.
func ContextFor(states []concord.State, category map[string]string, t time.Time) Context {
	return Context{
		Category: func(iso3 string) string { return category[iso3] },
		Group:    decision.GroupOf(states, t),
	}
}
