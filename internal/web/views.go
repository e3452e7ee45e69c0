package web

import (
	"fmt"
	"reflect"
)

// pageViews maps each typed page (its template's name) to its view type: the
// type of Page.Data its handlers pass. TestPageViews checks every .Data field
// chain of the template against that type, and render refuses to execute a
// typed page with data of any other type, so a renamed field or a misspelt
// key fails a test instead of rendering an empty string. A nil entry is a
// page with no data.
var pageViews = map[string]any{
	// meetings
	"meeting_list": meetingsData{},
	"meeting_page": meetingView{},
	"meeting_form": meetingForm{},
	// shared
	"error":   nil,
	"home":    homeView{},
	"log":     &logView{},
	"confirm": confirmView{},
	// account
	"account":          nil,
	"account_sessions": sessionsView{},
	"login":            loginView{},
	"users":            usersView{},
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

// untypedPages still take any Data (maps read back by key); each leaves this
// list for pageViews when its handlers pass a view struct.
var untypedPages = []string{
	"agenda", "agenda_diff", "agenda_form", "agendas", "session",
	"briefer", "briefer_new", "briefers",
	"cofac_board", "cofac_check", "cofac_index", "cofac_set",
	"decision", "decisions",
	"rule_form", "rules",
	"topic", "topics",
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
