package web

import (
	"concord/rule"
	"fmt"
	"reflect"
)

// pageViews maps each typed page (its template's name) to its view type: the
// type of Page.Data its handlers pass. TestPageViews checks every .Data field
// chain of the template against that type, and render refuses to execute a
// typed page with data of any other type, so a renamed field or a misspelt
// key fails a test instead of rendering an empty string. A nil entry is a
// page with no data.
// Every page is typed: a test fails on a page missing here.
var pageViews = map[string]any{
	// decisions, rules, topics, briefers, agendas, co-facilitators
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
	// meetings
	"meeting_list": meetingsData{},
	"meeting_page": meetingView{},
	"meeting_form": meetingForm{},
	// points of contact
	"poc_index":         pocIndexView{},
	"poc_directory":     pocDirectoryView{},
	"poc_form":          pocFormView{},
	"poc_round_form":    pocRoundFormView{},
	"poc_round":         pocRoundView{},
	"poc_ack":           pocAckView{},
	"poc_messages":      pocMessagesView{},
	"poc_message_form":  pocMessageFormView{},
	"poc_thread":        pocThreadView{},
	"poc_bounce_form":   pocBounceFormView{},
	"portal_needs":      portalNeedsView{},
	"portal_need":       portalNeedView{},
	"portal_need_form":  portalNeedFormView{},
	"portal_offers":     portalOffersView{},
	"portal_offer":      portalOfferView{},
	"portal_offer_form": portalOfferFormView{},
	"fund":              fundView{},
	"fund_call_form":    fundCallFormView{},
	"fund_call_edit":    fundCallEditView{},
	"fund_call":         fundCallView{},
	"fund_application":  fundAppView{},
	"exercise_list":     exercisesView{},
	"exercise_page":     exerciseView{},
	"exercise_form":     exerciseFormView{},
	"norms_index":       normsIndexView{},
	"norms_state":       normsStateView{},
	"norms_report_form": normsReportFormView{},
	"projects":          projectsView{},
	"project":           projectView{},
	"project_form":      projectFormView{},
	"events":            eventsView{},
	"event":             eventView{},
	"event_form":        eventFormView{},
	// documents
	"document_list": documentsData{},
	"search":        searchView{},
	"document_page": documentView{},
	"document_form": documentForm{},
	// statements
	"statement_list":    statementsData{},
	"statement_page":    statementView{},
	"position_map":      mapView{},
	"position_register": registerView{},
	"state_record":      stateRecordView{},
	"statement_form":    statementForm{},
	// shared
	"error":   nil,
	"home":    homeView{},
	"log":     &logView{},
	"confirm": confirmView{},
	// account
	"account":            nil,
	"mine":               mineView{},
	"account_sessions":   sessionsView{},
	"login":              loginView{},
	"login_code":         loginCodeView{},
	"account_two_factor": twoFactorView{},
	"account_passkeys":   passkeysView{},
	"users":              usersView{},
	"account_email":      accountEmailView{},
	"account_data":       dataView{},
	"account_delete":     deleteView{},
	"email_verify":       emailVerifyView{},
	"password_forgot":    forgotView{},
	"password_reset":     resetView{},
	// signup
	"signup":  signupView{},
	"signups": signupQueueView{},
	"members": membersView{},
	// delegations and appointments
	"delegation":   delegationView{},
	"appointments": appointmentsView{},
	// registry
	"states":     statesView{},
	"state":      stateView{},
	"state_edit": stateView{},
	"groups":     groupsView{},
	"group":      groupView{},
	"orgs":       orgsView{},
	"org":        orgView{},
	"org_edit":   orgEditView{},
	"persons":    personsView{},
	"person":     personView{},
	// accreditation
	"accr_overview": accrOverviewView{},
	"accr_rules":    accrRulesView{},
	"accr_window":   accrWindowPageView{},
	"accr_stats":    accrStatsView{},
	"accr_sim":      accrSimView{},
	"accr_app":      accrAppView{},
	"accr_inbox":    inboxView{},
}

// policyOf is a rule version's settings at their own type, for a view: a
// template reading them through the rule.Policy interface could not be
// checked against their fields. nil when the version is of another kind.
func policyOf[P rule.Policy](v rule.Version) P {
	p, _ := v.Policy.(P)
	return p
}

// checkView refuses data of another type than the page's view, for a typed
// page.
func checkView(name string, data any) error {
	want, ok := pageViews[name]
	if ok && reflect.TypeOf(data) != reflect.TypeOf(want) {
		return fmt.Errorf("page %q: data is %T, its view is %T", name, data, want)
	}
	return nil
}
