// Package procedure lists the contested rules of procedure Concord runs
// under. Importing it registers them with package rule, in the order pages
// show them; a new contested rule is one more entry here.
package procedure

import (
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/fund"
	"concord/meeting"
	"concord/rule"
	"concord/statement"
	"concord/topic"
	"time"
)

func init() {
	rule.Register(agenda.Rule, cofacilitator.Rule, topic.Rule, briefer.Rule, fund.Rule)
}

// Attendance is who may attend each kind of meeting in the process. It is
// procedure data rather than a contested rule with dated versions (that
// would need a decision policy and the rules page's form for a setting that
// nobody has contested); a meeting keeps the level it was created under.
func Attendance() meeting.AttendanceRule { return meeting.DefaultAttendance() }

// DecisionReminders are the offsets before a decision's deadline at which
// the States that have not yet taken a position are reminded: a rule of
// the process (72 and 24 hours before, as the issue on notices asks),
// procedure data like Attendance.
func DecisionReminders() []time.Duration { return []time.Duration{72 * time.Hour, 24 * time.Hour} }

// SpeakersOrder is the order of a list of speakers: groups speaking on
// behalf of their members, then Member States, then observer States,
// stakeholders in their own segment, rights of reply at the end (UN
// practice). Procedure data like Attendance: a process that orders
// otherwise changes this, and lists already ordered keep their order.
func SpeakersOrder() statement.OrderRule { return statement.DefaultOrder() }
