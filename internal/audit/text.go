package audit

import "strings"

// Kinds are the kinds of action the procedural log can be filtered by: the
// first segment of an action ("decision" for "decision.position"), in the
// order a filter lists them.
var Kinds = []string{
	"accreditation", "decision", "agenda", "cofac", "briefer", "topics",
	"meeting", "poc", "portal", "fund", "norms", "rule", "organization", "person", "delegation", "classification", "document", "process",
}

// KindOf returns the kind of an action: its first segment.
func KindOf(action string) string {
	k, _, _ := strings.Cut(action, ".")
	return k
}

// IsKind reports whether k is one of Kinds.
func IsKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// actions are the actions the application writes, each with a sentence in
// the message catalogue under "log.do.<action>". Sign-ins and account
// changes are listed for logs written before they moved to the account log.
var actions = map[string]bool{
	"organization.create": true, "organization.update": true, "person.create": true,
	"delegation.add": true, "delegation.appoint": true, "delegation.appoint_end": true, "delegation.invite": true, "delegation.remove": true, "delegation.speak": true,
	"classification.set": true, "process.load": true, "document.upload": true, "document.publish": true,
	"rule.version": true, "accreditation.policy": true,
	"accreditation.window.create": true, "accreditation.circulate": true, "accreditation.circulated": true,
	"accreditation.apply": true, "accreditation.edit": true, "accreditation.letter": true, "accreditation.submit": true,
	"accreditation.resubmit": true, "accreditation.withdraw": true, "accreditation.return": true,
	"accreditation.reject": true, "accreditation.verify": true, "accreditation.object": true,
	"accreditation.withdraw_objection": true, "accreditation.decide": true, "accreditation.decide.noop": true,
	"accreditation.remind": true, "accreditation.ecosoc_import": true,
	"decision.propose": true, "decision.position": true, "decision.act": true, "decision.remind": true, "decision.notify_outcome": true, "notice.digest": true,
	"meeting.create": true, "meeting.edit": true, "meeting.status": true,
	"speakers.inscribe": true, "speakers.order": true, "speakers.spoke": true, "statement.record": true, "statement.submit": true, "statement.import": true,
	"poc.round.schedule": true, "poc.round.open": true, "poc.round.close": true,
	"poc.nominate": true, "poc.edit": true, "poc.remove": true, "poc.ping": true, "poc.ack": true, "poc.remind": true,
	"poc.message.send": true, "poc.message.reply": true, "poc.message.ack": true, "poc.message.erase": true, "poc.bounce": true,
	"portal.need.post": true, "portal.need.edit": true, "portal.offer.post": true, "portal.offer.edit": true, "portal.interest": true,
	"fund.call.open": true, "fund.call.edit": true, "fund.apply": true, "fund.screen": true, "fund.review": true, "fund.award": true,
	"fund.disburse": true, "fund.report": true,
	"norms.report": true, "norms.report.edit": true,
	"portal.project.create": true, "portal.project.from_match": true, "portal.project.edit": true, "portal.project.restrict": true, "portal.event.create": true, "portal.event.edit": true,
	"agenda.issue": true, "agenda.edit": true, "agenda.put_to_adoption": true,
	"cofac.nominate": true, "cofac.withdraw": true, "cofac.propose": true, "cofac.decision": true,
	"briefer.nominate": true, "briefer.withdraw": true, "briefer.decision": true,
	"topics.open": true, "topics.suggest": true, "topics.survey": true, "topics.ballot": true, "topics.propose": true,
	"user.create": true, "user.password": true, "user.role": true, "user.erase": true, "session.create": true, "session.delete": true,
	// Two-factor sign-in (account log).
	"user.two_factor_start": true, "user.two_factor_on": true, "user.two_factor_off": true,
	"user.recovery_codes": true, "user.recovery_used": true, "session.pending": true,
}

// TextID is the message id of the sentence that says what an action did,
// with the object's id as {{.ID}}; "log.do.other" (which also shows the raw
// action as {{.Action}} and object type as {{.Type}}) for an action without
// a sentence of its own.
func TextID(action string) string {
	if action == ConfidentialAction {
		return "log.do.confidential"
	}
	if actions[action] {
		return "log.do." + action
	}
	return "log.do.other"
}

// TextData is the data for the sentence of TextID(e.Action).
func TextData(e Entry) map[string]any {
	return map[string]any{"ID": e.ObjectID, "Action": e.Action, "Type": e.ObjectType}
}

// TextIDs lists every message id TextID can return and the kinds' names
// ("log.kind.<kind>"), for the test that the catalogue has them all.
func TextIDs() []string {
	ids := []string{"log.do.confidential", "log.do.other"}
	for a := range actions {
		ids = append(ids, "log.do."+a)
	}
	for _, k := range Kinds {
		ids = append(ids, "log.kind."+k)
	}
	return ids
}
