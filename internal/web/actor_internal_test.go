package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"concord"
	"concord/internal/auth"
)

// TestActorOneName: a write with no signed-in user is audited under the
// same name everywhere (it was "public" here and "system" in the services).
func TestActorOneName(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/en/login", nil)
	if got, want := actor(r), concord.Actor(nil); got != want {
		t.Errorf("anonymous actor %q, want %q", got, want)
	}
	u := &concord.User{ID: 12}
	r = r.WithContext(auth.WithUser(context.Background(), u))
	if got, want := actor(r), concord.Actor(u); got != want {
		t.Errorf("actor %q, want %q", got, want)
	}
}
