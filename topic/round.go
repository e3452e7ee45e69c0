package topic

// A round of DTG topic selection and its guards: pure, on the round's
// document and the instant.

import (
	"concord"
	"concord/decision"
	"slices"
	"strings"
	"time"
)

// Round is a round of topic selection for a DTG and term (stored by the
// topics service as a record of kind "topic-round", scope the DTG).
type Round struct {
	DTG  string
	Term string // "2026-2027"
	// Rule is the version of the Topics rule in force when the round
	// opened. The round keeps it to the end, so that a later version of
	// the rule never changes a round already under way.
	Rule        Policy
	Opened      time.Time
	Suggestions []Suggestion
	// Survey is the preference survey, when the rule selects by survey and
	// the Chair has opened it. Its Suggestions are the round's, frozen
	// when it opened.
	Survey *Survey `json:",omitempty"`
	// Proposals are the Chair's proposals, oldest first; the last one's
	// decision is the record's DecisionID. A new proposal is possible only
	// when the previous one ended without adoption.
	Proposals []Proposal `json:",omitempty"`
}

// Proposal is one proposal of topics by the Chair.
type Proposal struct {
	Topics     []string // suggestion IDs, in the order proposed
	At         time.Time
	DecisionID int64
	// Advice is the survey's advice when the proposal was made (nil
	// without a survey), so that the record shows whether the Chair
	// followed it.
	Advice []string `json:",omitempty"`
}

// Phase is where a round stands.
type Phase string

// NextChange is the earliest instant after now at which the round changes
// without anything written: its survey's close (the phase moves on and the
// tally is final). Zero when there is none. The store records it for any
// cache keeping an answer that shows the round.
func (r Round) NextChange(now time.Time) time.Time {
	if r.Survey != nil && r.Survey.Deadline.After(now) {
		return r.Survey.Deadline
	}
	return time.Time{}
}

// Phase returns where the round stands at now.
func (r Round) Phase(now time.Time) Phase {
	switch {
	case len(r.Proposals) > 0:
		return PhaseProposed
	case r.Survey == nil:
		return PhaseSuggestions
	case now.Before(r.Survey.Deadline):
		return PhaseSurvey
	}
	return PhaseSurveyClosed
}

// Proposal returns the latest proposal, if any.
func (r Round) Proposal() (Proposal, bool) {
	if len(r.Proposals) == 0 {
		return Proposal{}, false
	}
	return r.Proposals[len(r.Proposals)-1], true
}

// Suggestion returns the suggestion id, if any.
func (r Round) Suggestion(id string) (Suggestion, bool) {
	i := slices.IndexFunc(r.Suggestions, func(s Suggestion) bool { return s.ID == id })
	if i < 0 {
		return Suggestion{}, false
	}
	return r.Suggestions[i], true
}

// LatestBallot returns the latest ballot of a State (the one the tally
// counts while the survey is open), if any.
func (r Round) LatestBallot(state string) (Ballot, bool) {
	if r.Survey == nil {
		return Ballot{}, false
	}
	var best Ballot
	ok := false
	for _, b := range r.Survey.Ballots {
		if b.State == state && (!ok || b.At.After(best.At) || (b.At.Equal(best.At) && b.Seq > best.Seq)) {
			best, ok = b, true
		}
	}
	return best, ok
}

// The phases of a round.
const (
	PhaseSuggestions  Phase = "suggestions"   // collecting suggestions
	PhaseSurvey       Phase = "survey"        // the survey is open
	PhaseSurveyClosed Phase = "survey_closed" // awaiting the Chair's proposal
	PhaseProposed     Phase = "proposed"      // a proposal is before the States
)

// Limits of a round's input.
const (
	TitleMax        = 300 // runes per language version of a title
	SuggestionsMax  = 40  // suggestions per round
	SurveyMaxDays   = 90  // furthest survey deadline, in days from opening
	SurveyMinTopics = 2   // a survey needs something to choose between
)

// CanSuggest checks that the round takes a suggestion titled title at now:
// it is still collecting suggestions, has room, and has no suggestion of the
// same title (in any language version, whatever the case).
func (r Round) CanSuggest(title concord.Text, now time.Time) error {
	if ph := r.Phase(now); ph != PhaseSuggestions {
		return concord.Errorf(concord.EConflict, "title", "topics.error.suggestions_closed", "the round no longer takes suggestions (%s)", ph)
	}
	if len(r.Suggestions) >= SuggestionsMax {
		return concord.Errorf(concord.EConflict, "title", "topics.error.too_many_suggestions", "a round takes at most %d suggestions", SuggestionsMax)
	}
	for _, x := range r.Suggestions {
		for _, xt := range x.Title {
			for _, t := range title {
				if strings.EqualFold(xt, t) {
					return concord.Errorf(concord.EConflict, "title", "topics.error.duplicate_title", "%q is already suggested (%s)", t, x.ID)
				}
			}
		}
	}
	return nil
}

// SurveyDeadline checks that the round's survey may open at now and returns
// its deadline: the one asked for, or the rule's period from now when zero.
// The rule must select by survey, the round still collect suggestions and
// hold enough of them, and the deadline lie in the future within
// SurveyMaxDays.
func (r Round) SurveyDeadline(deadline, now time.Time) (time.Time, error) {
	if r.Rule.Selection != PreferenceSurvey {
		return time.Time{}, concord.Errorf(concord.EConflict, "selection", "topic.error.no_survey", "topics are not selected by survey under this round's rule")
	}
	if ph := r.Phase(now); ph != PhaseSuggestions {
		return time.Time{}, concord.Errorf(concord.EConflict, "deadline", "topics.error.survey_exists", "the survey is already open or over (%s)", ph)
	}
	if len(r.Suggestions) < SurveyMinTopics {
		return time.Time{}, concord.Errorf(concord.EConflict, "deadline", "topics.error.survey_needs_topics", "a survey needs at least %d suggested topics", SurveyMinTopics)
	}
	d := deadline.UTC()
	if d.IsZero() {
		d = now.Add(r.Rule.Period)
	}
	if !d.After(now) {
		return time.Time{}, concord.Errorf(concord.EInvalid, "deadline", "topics.error.deadline_past", "the deadline %s is not in the future", d.Format(time.RFC3339))
	}
	if d.After(now.Add(SurveyMaxDays * 24 * time.Hour)) {
		return time.Time{}, concord.Errorf(concord.EInvalid, "deadline", "topics.error.deadline_far", "the deadline is more than %d days away", SurveyMaxDays)
	}
	return d, nil
}

// CanBallot checks that the round has a survey to answer (whether the
// ballot is in time is the survey's to say).
func (r Round) CanBallot() error {
	if r.Survey != nil {
		return nil
	}
	if r.Rule.Selection != PreferenceSurvey {
		return concord.Errorf(concord.EConflict, "selection", "topic.error.no_survey", "topics are not selected by survey under this round's rule")
	}
	return concord.Errorf(concord.EConflict, "at", "topic.error.not_open", "the survey is not open yet")
}

// Proposable reports (nil) whether the round may receive a proposal at now,
// given the result at now of the decision on its latest proposal (nil when
// none; prevID names it): under the survey rule the survey must have closed;
// there must be suggestions; and the latest proposal, if any, must have
// ended without adoption.
func (r Round) Proposable(prevID int64, prev *decision.Result, now time.Time) error {
	if r.Rule.Selection == PreferenceSurvey {
		if r.Survey == nil {
			return concord.Errorf(concord.EConflict, "topics", "topics.error.survey_first", "under this rule the survey runs before the Chair proposes")
		}
		if now.Before(r.Survey.Deadline) {
			return concord.Errorf(concord.EConflict, "topics", "topics.error.survey_open", "the survey is open until %s", r.Survey.Deadline.Format(time.RFC3339))
		}
	}
	if len(r.Suggestions) == 0 {
		return concord.Errorf(concord.EConflict, "topics", "topics.error.no_suggestions", "no topic has been suggested")
	}
	if prev != nil {
		switch {
		case prev.Outcome == decision.OutcomePending:
			return concord.Errorf(concord.EConflict, "topics", "topics.error.proposal_pending", "the previous proposal (decision %d) is still before the States", prevID)
		case prev.Outcome.Adopted():
			return concord.Errorf(concord.EConflict, "topics", "topics.error.adopted", "the topics are already adopted (decision %d)", prevID)
		}
	}
	return nil
}

// CheckChoice checks the Chair's choice: at least one suggested topic,
// each once, no more than the rule's slots. Every problem is reported at
// once (too many, and each unknown or repeated topic).
func (r Round) CheckChoice(topics []string) error {
	if len(topics) == 0 {
		return concord.Errorf(concord.EInvalid, "topics", "topics.error.choose", "choose at least one topic")
	}
	var errs concord.Errors
	if len(topics) > r.Rule.Slots {
		errs.Add(concord.Errorf(concord.EInvalid, "topics", "topics.error.too_many_topics", "the rule allows %d topics, not %d", r.Rule.Slots, len(topics)))
	}
	seen := map[string]bool{}
	for _, t := range topics {
		if _, ok := r.Suggestion(t); !ok {
			errs.Add(concord.Errorf(concord.EInvalid, "topics", "topic.error.unknown_topic", "unknown topic %q", t))
			continue
		}
		if seen[t] {
			errs.Add(concord.Errorf(concord.EInvalid, "topics", "topic.error.duplicate", "topic %q chosen twice", t))
		}
		seen[t] = true
	}
	return errs.Err()
}
