package web

// viewsB maps each template the decision, rule, topic, briefer, agenda and
// co-facilitator pages render to the zero value of its view, so that the
// templates can be checked against the fields their view really has.
var viewsB = map[string]any{
	"decisions":   decisionsView{},
	"decision":    decisionView{},
	"rules":       rulesView{},
	"rule_form":   ruleFormView{},
	"topics":      topicsView{},
	"topic":       topicView{},
	"briefers":    briefersView{},
	"briefer":     brieferView{},
	"briefer_new": brieferNewView{},
	"agendas":     agendasView{},
	"agenda":      agendaView{},
	"agenda_form": agendaFormView{},
	"agenda_diff": agendaDiffView{},
	"session":     sessionView{},
	"cofac_index": cofacIndexView{},
	"cofac_board": cofacBoardView{},
	"cofac_set":   cofacSetView{},
	"cofac_check": cofacCheckView{},
}
