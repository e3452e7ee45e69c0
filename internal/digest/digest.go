// Package digest sends the daily digest of notices: one email a day to each
// person who chose it (store.SetNoticeDigest) instead of one email per
// notice, listing the notices of the previous day (UTC) for their State or
// organisation. The scheduler of serve runs it on every instance; the
// dedupe key per address and day keeps it to one email.
package digest

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"concord/internal/apply"
	"concord/internal/i18n"
	"concord/internal/store"
)

// Service builds and sends the digests.
type Service struct {
	DB      *store.DB
	Cat     *i18n.Catalog
	BaseURL string // starts the links in the emails
}

// Send puts into the outbox the digest of the UTC day before now's for
// every person who takes one and had notices that day, in one write when
// there is any; it returns the number of digests enqueued (0 when they
// were already sent).
func (s *Service) Send(ctx context.Context) (int, error) {
	now := s.DB.Now().UTC()
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	from := to.AddDate(0, 0, -1)
	day := from.Format(time.DateOnly)
	// Nobody to write to: no write, so no audit entry, on a quiet day.
	if ns, err := s.DB.Read(ctx).DigestNotices(from, to); err != nil || len(ns) == 0 {
		return 0, err
	}
	type sending struct {
		notices []store.DigestNotice
		sent    int
	}
	x, err := apply.Write[sending]{
		Load: func(r store.Reader, _ time.Time) (sending, error) {
			ns, err := r.DigestNotices(from, to)
			return sending{notices: ns}, err
		},
		Save: func(tx *store.Tx, x *sending) error {
			for i := 0; i < len(x.notices); {
				j := i
				for j < len(x.notices) && x.notices[j].Email == x.notices[i].Email {
					j++
				}
				// Each person's digest is in the language they read Concord in.
				lang := x.notices[i].Lang
				subject, body := s.text(day, lang, x.notices[i:j])
				added, err := tx.Enqueue(store.Mail{Dedupe: "digest:" + day + ":" + x.notices[i].Email, To: []string{x.notices[i].Email},
					Subject: subject, Text: body, Unsubscribe: s.BaseURL + "/" + lang + "/account/email"})
				if err != nil {
					return err
				}
				if added {
					x.sent++
				}
				i = j
			}
			return tx.Audit("notice.digest", "digest", day, nil, map[string]int{"digests": x.sent}, true)
		},
	}.Run(ctx, s.DB)
	return x.sent, err
}

// text is one person's digest of day: a line per notice, with its
// deadline and its link.
func (s *Service) text(day, lang string, ns []store.DigestNotice) (subject, body string) {
	subject = s.Cat.T(lang, "mail.digest.subject", map[string]any{"Day": day, "Count": len(ns)})
	var b strings.Builder
	b.WriteString(subject + "\n\n")
	for _, n := range ns {
		b.WriteString("- " + s.Cat.T(lang, n.Key, store.NoticeData(n.Args)) + "\n")
		if d := n.Args["Deadline"]; d != "" {
			b.WriteString("  " + s.Cat.T(lang, "mail.notice.deadline", map[string]any{"Deadline": d}) + "\n")
		}
		if n.Link != "" {
			b.WriteString("  " + s.BaseURL + "/" + lang + n.Link + "\n")
		}
	}
	return subject, b.String()
}

// Run sends yesterday's digests every interval until ctx ends; after the
// first run of a day it finds them sent and writes nothing.
func (s *Service) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last := ""
	for {
		if day := s.DB.Now().UTC().Format(time.DateOnly); day != last {
			if _, err := s.Send(ctx); err != nil && ctx.Err() == nil {
				log.Error("notices: daily digest", "err", err)
			} else if err == nil {
				last = day
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
