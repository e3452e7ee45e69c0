// Package procedure lists the contested rules of procedure Concord runs
// under. Importing it registers them with package rule, in the order pages
// show them; a new contested rule is one more entry here.
package procedure

import (
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/rule"
	"concord/topic"
)

func init() {
	rule.Register(agenda.Rule, cofacilitator.Rule, topic.Rule, briefer.Rule)
}
