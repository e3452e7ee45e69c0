package topic

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
	"errors"
	"testing"
	"time"
)

// TestRoundGuards walks a round under the survey rule and under consensus
// through its phases, checking what each guard allows at each step.
func TestRoundGuards(t *testing.T) {
	t0 := decisiontest.T0
	survey := DefaultPolicy() // a preference survey
	consensus := Policy{Selection: Consensus, Slots: 2}
	one := []Suggestion{decisionTestTopics[0]}
	two := decisionTestTopics[:2]
	open := &Survey{Suggestions: two, Opened: t0, Deadline: t0.Add(48 * time.Hour)}
	pending, adopted, rejected := decision.Result{Outcome: decision.OutcomePending}, decision.Result{Outcome: decision.OutcomeAdopted}, decision.Result{Outcome: decision.OutcomeNotAdopted}
	code := func(err error) string {
		if err == nil {
			return ""
		}
		var e *concord.Error
		if !errors.As(err, &e) {
			return err.Error()
		}
		return e.Key
	}
	for _, c := range []struct {
		name  string
		r     Round
		now   time.Time
		phase Phase
		// the guards' refusals ("" allowed)
		suggest, survey, ballot string
		propose                 string
		prev                    *decision.Result
	}{
		{"empty survey round", Round{Rule: survey}, t0, PhaseSuggestions, "", "topics.error.survey_needs_topics", "topic.error.not_open", "topics.error.survey_first", nil},
		{"one suggestion", Round{Rule: survey, Suggestions: one}, t0, PhaseSuggestions, "topics.error.duplicate_title", "topics.error.survey_needs_topics", "topic.error.not_open", "topics.error.survey_first", nil},
		{"two suggestions", Round{Rule: survey, Suggestions: two}, t0, PhaseSuggestions, "topics.error.duplicate_title", "", "topic.error.not_open", "topics.error.survey_first", nil},
		{"survey open", Round{Rule: survey, Suggestions: two, Survey: open}, t0.Add(time.Hour), PhaseSurvey, "topics.error.suggestions_closed", "topics.error.survey_exists", "", "topics.error.survey_open", nil},
		{"survey closed", Round{Rule: survey, Suggestions: two, Survey: open}, t0.Add(48 * time.Hour), PhaseSurveyClosed, "topics.error.suggestions_closed", "topics.error.survey_exists", "", "", nil},
		{"proposal pending", Round{Rule: survey, Suggestions: two, Survey: open, Proposals: []Proposal{{Topics: []string{"x"}}}}, t0.Add(50 * time.Hour), PhaseProposed, "topics.error.suggestions_closed", "topics.error.survey_exists", "", "topics.error.proposal_pending", &pending},
		{"proposal adopted", Round{Rule: survey, Suggestions: two, Survey: open, Proposals: []Proposal{{Topics: []string{"x"}}}}, t0.Add(50 * time.Hour), PhaseProposed, "topics.error.suggestions_closed", "topics.error.survey_exists", "", "topics.error.adopted", &adopted},
		{"proposal rejected", Round{Rule: survey, Suggestions: two, Survey: open, Proposals: []Proposal{{Topics: []string{"x"}}}}, t0.Add(50 * time.Hour), PhaseProposed, "topics.error.suggestions_closed", "topics.error.survey_exists", "", "", &rejected},
		{"consensus, nothing suggested", Round{Rule: consensus}, t0, PhaseSuggestions, "", "topic.error.no_survey", "topic.error.no_survey", "topics.error.no_suggestions", nil},
		{"consensus", Round{Rule: consensus, Suggestions: one}, t0, PhaseSuggestions, "topics.error.duplicate_title", "topic.error.no_survey", "topic.error.no_survey", "", nil},
	} {
		if got := c.r.Phase(c.now); got != c.phase {
			t.Errorf("%s: phase %s, want %s", c.name, got, c.phase)
		}
		// the first suggestion's title again, in another case
		if got := code(c.r.CanSuggest(concord.Text{"en": "ransomware"}, c.now)); got != c.suggest {
			t.Errorf("%s: suggest %q, want %q", c.name, got, c.suggest)
		}
		if _, err := c.r.SurveyDeadline(time.Time{}, c.now); code(err) != c.survey {
			t.Errorf("%s: survey %q, want %q", c.name, code(err), c.survey)
		}
		if got := code(c.r.CanBallot()); got != c.ballot {
			t.Errorf("%s: ballot %q, want %q", c.name, got, c.ballot)
		}
		if got := code(c.r.Proposable(7, c.prev, c.now)); got != c.propose {
			t.Errorf("%s: propose %q, want %q", c.name, got, c.propose)
		}
	}
	r := Round{Rule: survey, Suggestions: two}
	for _, c := range []struct {
		deadline time.Time
		want     string
	}{{t0, "topics.error.deadline_past"}, {t0.Add(SurveyMaxDays*24*time.Hour + time.Second), "topics.error.deadline_far"}, {t0.Add(time.Hour), ""}} {
		if d, err := r.SurveyDeadline(c.deadline, t0); code(err) != c.want || (err == nil && !d.Equal(c.deadline)) {
			t.Errorf("deadline %s: %v %v", c.deadline, d, err)
		}
	}
	if d, _ := r.SurveyDeadline(time.Time{}, t0); !d.Equal(t0.Add(survey.Period)) {
		t.Errorf("default deadline %s", d)
	}
	r.Rule.Slots = 1
	for _, c := range []struct {
		topics []string
		want   string
	}{{nil, "topics.error.choose"}, {[]string{two[0].ID, two[1].ID}, "topics.error.too_many_topics"}, {[]string{"nope"}, "topic.error.unknown_topic"}, {[]string{two[0].ID}, ""}} {
		if got := code(r.CheckChoice(c.topics)); got != c.want {
			t.Errorf("choice %v: %q, want %q", c.topics, got, c.want)
		}
	}
}

// TestRoundNextChange: a round changes by itself only when its survey
// closes.
func TestRoundNextChange(t *testing.T) {
	t0 := decisiontest.T0
	dl := t0.Add(48 * time.Hour)
	for _, c := range []struct {
		name string
		r    Round
		now  time.Time
		want time.Time
	}{
		{"no survey", Round{}, t0, time.Time{}},
		{"survey open", Round{Survey: &Survey{Opened: t0, Deadline: dl}}, t0, dl},
		{"survey closed", Round{Survey: &Survey{Opened: t0, Deadline: dl}}, dl, time.Time{}},
	} {
		if got := c.r.NextChange(c.now); !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
