// Package outbox sends the mail that writes put in the store's outbox:
// after commit, from any instance (claims with a lease), retried with
// exponential backoff and given up after a number of attempts, recorded.
package outbox

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"concord/internal/notify"
	"concord/internal/store"
)

// Sender drains the outbox into a notify.Sender.
type Sender struct {
	DB   *store.DB
	Mail notify.Sender
	Log  *slog.Logger
	// Batch is how many messages one claim takes (one SMTP connection).
	Batch int
	// Lease is how long a claim holds: longer than a batch takes to send.
	Lease time.Duration
	// MaxAttempts is how many attempts a message gets before it is given up.
	MaxAttempts int
	// Backoff is the wait after the first failed attempt; it doubles after
	// each further one, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
}

// Defaults: eight attempts over about four hours.
const (
	DefaultBatch       = 50
	DefaultLease       = 15 * time.Minute // a batch of 50 at the relay's 15 s timeout per step stays within it
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Minute
	DefaultMaxBackoff  = 2 * time.Hour
)

func (s *Sender) defaults() {
	if s.Batch <= 0 {
		s.Batch = DefaultBatch
	}
	if s.Lease <= 0 {
		s.Lease = DefaultLease
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = DefaultMaxAttempts
	}
	if s.Backoff <= 0 {
		s.Backoff = DefaultBackoff
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = DefaultMaxBackoff
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
}

// Wait returns the wait after the given number of failed attempts.
func (s *Sender) Wait(attempts int) time.Duration {
	s.defaults()
	d := s.Backoff
	for i := 1; i < attempts && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// Result counts what one Drain did.
type Result struct{ Sent, Retried, Failed int }

// Drain sends every message due now, batch after batch, until none is left
// to claim.
func (s *Sender) Drain(ctx context.Context) (Result, error) {
	s.defaults()
	var r Result
	for {
		batch, err := s.DB.ClaimMail(ctx, s.Batch, s.Lease)
		if err != nil || len(batch) == 0 {
			return r, err
		}
		msgs := make([]notify.Message, len(batch))
		for i, m := range batch {
			msgs[i] = notify.Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, Unsubscribe: m.Unsubscribe,
				ID: "outbox." + strconv.FormatInt(m.ID, 10)}
		}
		errs := s.Mail.Send(ctx, msgs)
		var sent []int64
		for i, m := range batch {
			if errs[i] == nil {
				sent = append(sent, m.ID)
				continue
			}
			giveUp := notify.Permanent(errs[i]) || m.Attempts >= s.MaxAttempts
			if err := s.DB.MailRetry(ctx, m, errs[i].Error(), s.DB.Now().Add(s.Wait(m.Attempts)), giveUp); err != nil {
				return r, err
			}
			if giveUp {
				r.Failed++
				s.Log.Error("outbox: message given up", "id", m.ID, "attempts", m.Attempts, "err", errs[i])
			} else {
				r.Retried++
				s.Log.Warn("outbox: message will be retried", "id", m.ID, "attempts", m.Attempts, "err", errs[i])
			}
		}
		n, err := s.DB.MailsSent(ctx, batch[0].Claim, sent)
		if err != nil {
			return r, err
		}
		if n < len(sent) {
			s.Log.Warn("outbox: sent after the claim ran out", "messages", len(sent)-n)
		}
		r.Sent += len(sent)
	}
}

// Run drains the outbox every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
