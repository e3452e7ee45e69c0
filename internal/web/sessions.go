package web

import (
	"context"
	"time"

	"concord"

	"github.com/maypok86/otter/v2"
)

// sessionCacheSize bounds the sessions whose users are kept (a process has
// hundreds of delegates signed in at a time, not tens of thousands).
const sessionCacheSize = 10_000

// cachedSession is the user of a session as read at a data version.
type cachedSession struct {
	user    concord.User
	until   time.Time // the session's expiry
	version int64     // the data version it was read at (Server.version)
}

func newSessionCache() *otter.Cache[string, cachedSession] {
	return otter.Must(&otter.Options[string, cachedSession]{MaximumSize: sessionCacheSize})
}

// sessionUser returns the user of the session stored under tokenHash. The
// answer is kept and reused while the data version is the one it was read
// at and the session has not expired. Every change to a session or to its
// user (sign-out, revocation, a password, role or binding change) is a store
// write with an account-log entry, so it moves the data version: a revoked
// session is refused at once on this instance (its own write is seen at
// once) and within VersionTTL (20 ms) on any other instance sharing the
// database, the bound the page caches already live with. The version is
// read before the session, so an answer never outlives a write that
// committed after it was read. Unknown tokens are never kept.
func (s *Server) sessionUser(ctx context.Context, tokenHash string) (concord.User, error) {
	if !s.caching() {
		return s.DB.SessionUser(ctx, tokenHash)
	}
	ver, err := s.version(ctx)
	if err != nil {
		return concord.User{}, err
	}
	if c, ok := s.sessions.GetIfPresent(tokenHash); ok {
		if c.version == ver && s.DB.Now().Before(c.until) {
			return c.user, nil
		}
		s.sessions.Invalidate(tokenHash)
	}
	u, until, err := s.DB.SessionUserUntil(ctx, tokenHash)
	if err == nil {
		s.sessions.Set(tokenHash, cachedSession{user: u, until: until, version: ver})
	}
	return u, err
}
