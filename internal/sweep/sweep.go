// Package sweep deletes, periodically, what Concord keeps no longer than
// it serves: expired sessions, spent and expired single-use links, and
// mail sent before the retention period (doc/personal-data.md).
package sweep

import (
	"context"
	"log/slog"
	"time"

	"concord/internal/auth"
	"concord/internal/store"
)

// DefaultMailRetention is how long sent mail stays in the outbox: long
// enough to answer "was I told?", short enough not to become an archive
// of who was written to.
const DefaultMailRetention = 90 * 24 * time.Hour

// Service sweeps DB.
type Service struct {
	DB            *store.DB
	MailRetention time.Duration
	Log           *slog.Logger
}

// Once sweeps now and returns what went.
func (s *Service) Once(ctx context.Context) (store.Swept, error) {
	r := s.MailRetention
	if r <= 0 {
		r = DefaultMailRetention
	}
	return s.DB.Sweep(ctx, r, auth.Reset)
}

// Run sweeps at start and then every interval until ctx ends. Every
// instance may run it: each DELETE removes only rows nobody can use, so
// two sweeps at once agree.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if sw, err := s.Once(ctx); err != nil {
			if ctx.Err() == nil {
				s.Log.Error("sweep", "err", err)
			}
		} else if sw != (store.Swept{}) {
			s.Log.Info("sweep", "sessions", sw.Sessions, "pending_logins", sw.PendingLogins, "challenges", sw.Challenges, "links", sw.Links,
				"mail", sw.Mail, "throttles", sw.Throttles, "sealed", sw.Sealed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
