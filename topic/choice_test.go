package topic

import (
	"errors"
	"slices"
	"testing"

	"concord"
)

// TestCheckChoiceAllErrors: a choice with too many topics, an unknown one
// and one twice is refused with all three problems.
func TestCheckChoiceAllErrors(t *testing.T) {
	r := Round{Rule: Policy{Selection: Consensus, Slots: 2}, Suggestions: decisionTestTopics[:2]}
	id := decisionTestTopics[0].ID
	err := r.CheckChoice([]string{id, "t9", id})
	var all concord.Errors
	if !errors.As(err, &all) {
		t.Fatalf("%v: not every error", err)
	}
	var keys []string
	for _, e := range all {
		keys = append(keys, e.Key)
	}
	if want := []string{"topics.error.too_many_topics", "topic.error.unknown_topic", "topic.error.duplicate"}; !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if err := r.CheckChoice([]string{id}); err != nil {
		t.Errorf("a good choice: %v", err)
	}
}
