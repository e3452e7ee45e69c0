package decide

import (
	"context"

	"concord"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"concord/decision"
	"concord/internal/apply"
	"concord/internal/store"
	"concord/procedure"
)

// Notices of decisions: a State is told when a decision opens to it, and
// reminded before the deadline (at the offsets of
// procedure.DecisionReminders) while it has taken no position. Each notice
// goes to the State's inbox and, when mail is on, to its delegates who
// receive notices by email, in the write's transaction (the outbox).

// Awaits reports whether decision d is open to state at now and the State
// has taken no position on it yet: what its delegates are asked for on
// their home page, and reminded of.
func Awaits(d store.Decision, state string, now time.Time) bool {
	if state == "" || !slices.Contains(d.Facts.Participants, state) {
		return false
	}
	for _, p := range d.Facts.Positions {
		if p.Actor == state {
			return false
		}
	}
	_, open := d.Facts.OpenPositionsFor(d.Policy, []string{state}, now)
	return len(open) > 0
}

// awaiting lists the participants of d that Awaits at now, evaluating the
// facts once.
func awaiting(d store.Decision, now time.Time) []string {
	took := map[string]bool{}
	for _, p := range d.Facts.Positions {
		took[p.Actor] = true
	}
	var cands []string
	for _, st := range d.Facts.Participants {
		if !took[st] {
			cands = append(cands, st)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	_, open := d.Facts.OpenPositionsFor(d.Policy, cands, now)
	return open
}

// openedNotices tell each State a decision opened to it.
func openedNotices(d store.Decision, now time.Time) []store.Notice {
	var out []store.Notice
	for _, st := range awaiting(d, now) {
		out = append(out, decisionNotice(d, st, "notice.decision_open", "decision-open:"+strconv.FormatInt(d.ID, 10)+":"+st))
	}
	return out
}

// reminderNotices remind each State that has not acted, once per offset.
func reminderNotices(d store.Decision, offset time.Duration, now time.Time) []store.Notice {
	var out []store.Notice
	for _, st := range awaiting(d, now) {
		out = append(out, decisionNotice(d, st, "notice.decision_due", reminderKey(d.ID, offset, st)))
	}
	return out
}

func reminderKey(id int64, offset time.Duration, state string) string {
	return "decision-remind:" + strconv.FormatInt(id, 10) + ":" + strconv.Itoa(int(offset.Hours())) + "h:" + state
}

func decisionNotice(d store.Decision, state, key, dedupe string) store.Notice {
	n := store.Notice{State: state, Key: key, Link: "/decisions/" + strconv.FormatInt(d.ID, 10), Dedupe: dedupe}
	if dl := decision.Deadline(d.Policy, d.Facts); !dl.IsZero() {
		n.Args = map[string]string{"Deadline": dl.UTC().Format(time.RFC3339)}
	}
	return n
}

// mail puts the emails of the notices just recorded into the outbox: one
// message per person the notice is addressed to (a State's delegates, the
// Chair, the Secretariat) who receives notices by email.
func (s *Service) mail(tx *store.Tx, added []store.Notice) error {
	if !s.Email {
		return nil
	}
	for _, n := range added {
		to, err := tx.NoticeRecipients(n)
		if err != nil {
			return err
		}
		for _, rc := range to {
			subject, body, err := apply.NoticeMail(rc.Lang, n, s.BaseURL)
			if err != nil {
				return err
			}
			if _, err := tx.Enqueue(store.Mail{Dedupe: "notice:" + n.Dedupe + ":" + rc.Email, To: []string{rc.Email},
				Subject: subject, Text: body, Unsubscribe: s.BaseURL + "/" + rc.Lang + "/account/email"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Remind sends the reminders due at the scheduler's now: for each decision
// with a deadline, at the offset ReminderDue names, a notice to each
// participating State that has taken no position. It reads the decisions
// and which reminders were already sent in two statements and writes only
// for a decision with a reminder missing; the dedupe keys make a second
// run, or a second instance, send nothing again. It returns the number of
// notices recorded.
func (s *Service) Remind(ctx context.Context) (int, error) {
	now := s.DB.Now()
	ds, err := s.DB.ListDecisions(ctx, s.Process)
	if err != nil {
		return 0, err
	}
	offsets := procedure.DecisionReminders()
	type due struct {
		d      store.Decision
		offset time.Duration
		keys   []string
	}
	var dues []due
	var keys []string
	for _, d := range ds {
		off, ok := decision.ReminderDue(d.Facts.ProposedAt, decision.Deadline(d.Policy, d.Facts), offsets, now)
		if !ok {
			continue
		}
		x := due{d: d, offset: off}
		for _, st := range awaiting(d, now) {
			x.keys = append(x.keys, reminderKey(d.ID, off, st))
		}
		if len(x.keys) > 0 {
			dues = append(dues, x)
			keys = append(keys, x.keys...)
		}
	}
	if len(dues) == 0 {
		return 0, nil
	}
	sent, err := s.DB.Read(ctx).NoticesSent(keys)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, x := range dues {
		if !slices.ContainsFunc(x.keys, func(k string) bool { return !sent[k] }) {
			continue
		}
		n, err := s.remind(ctx, x.d.ID, x.offset)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// remind records one decision's reminders at offset, in one write: the
// decision is read again in the transaction, so a position taken since the
// scheduler looked spares its State.
func (s *Service) remind(ctx context.Context, id int64, offset time.Duration) (int, error) {
	type reminding struct {
		d    store.Decision
		sent []store.Notice
	}
	x, err := apply.Write[reminding]{
		Load: func(r store.Reader, _ time.Time) (reminding, error) {
			d, err := r.Decision(id)
			return reminding{d: d}, err
		},
		// The audit entry counts the notices recorded, so Save records
		// them itself, with their emails.
		Save: func(tx *store.Tx, x *reminding) error {
			var err error
			if x.sent, err = apply.AddNotices(tx, reminderNotices(x.d, offset, tx.Now)); err != nil {
				return err
			}
			if err := s.mail(tx, x.sent); err != nil {
				return err
			}
			return tx.Audit("decision.remind", "decision", strconv.FormatInt(id, 10), nil,
				map[string]any{"offset_hours": int(offset.Hours()), "notices": len(x.sent)}, true)
		}}.Run(ctx, s.DB)
	return len(x.sent), err
}

// OutcomeNoticeWindow is how long after a decision's outcome its notices
// may still be sent: a scheduler that was down catches up, and the first
// run after an upgrade does not tell every State about every past decision.
const OutcomeNoticeWindow = 24 * time.Hour

// NotifyOutcomes tells the participants of each decision whose outcome came
// in the last OutcomeNoticeWindow (at its deadline, by the Chair's act, or
// when an objection broke a silence), once per decision and State: the
// outcome, or that the silence was broken. Like Remind, it reads in two
// statements and writes only for a decision not yet notified.
func (s *Service) NotifyOutcomes(ctx context.Context) (int, error) {
	now := s.DB.Now()
	ds, err := s.DB.ListDecisions(ctx, s.Process)
	if err != nil {
		return 0, err
	}
	var due []store.Decision
	var keys []string
	for _, d := range ds {
		res, err := decision.Decide(d.Policy, d.Facts, now.UTC())
		if err != nil || !res.Final() || now.Sub(res.DecidedAt) > OutcomeNoticeWindow || len(d.Facts.Participants) == 0 {
			continue
		}
		due = append(due, d)
		keys = append(keys, outcomeKey(d.ID, d.Facts.Participants[0]))
	}
	if len(due) == 0 {
		return 0, nil
	}
	sent, err := s.DB.Read(ctx).NoticesSent(keys)
	if err != nil {
		return 0, err
	}
	total := 0
	for i, d := range due {
		if sent[keys[i]] {
			continue
		}
		n, err := s.notifyOutcome(ctx, d.ID)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func outcomeKey(id int64, state string) string {
	return "decision-outcome:" + strconv.FormatInt(id, 10) + ":" + state
}

// notifyOutcome records one decision's outcome notices in one write.
func (s *Service) notifyOutcome(ctx context.Context, id int64) (int, error) {
	type notifying struct {
		d    store.Decision
		sent []store.Notice
	}
	x, err := apply.Write[notifying]{
		Load: func(r store.Reader, _ time.Time) (notifying, error) {
			d, err := r.Decision(id)
			return notifying{d: d}, err
		},
		Save: func(tx *store.Tx, x *notifying) error {
			res, err := decision.Decide(x.d.Policy, x.d.Facts, tx.Now.UTC())
			if err != nil {
				return err
			}
			key := "notice.decision_outcome"
			if res.Outcome == decision.OutcomeSilenceBroken {
				key = "notice.silence_broken"
			}
			var notices []store.Notice
			for _, st := range x.d.Facts.Participants {
				n := store.Notice{State: st, Key: key, Args: map[string]string{"Outcome": string(res.Outcome)},
					Link: "/decisions/" + strconv.FormatInt(id, 10), Dedupe: outcomeKey(id, st)}
				notices = append(notices, n)
			}
			if x.sent, err = apply.AddNotices(tx, notices); err != nil {
				return err
			}
			if err := s.mail(tx, x.sent); err != nil {
				return err
			}
			return tx.Audit("decision.notify_outcome", "decision", strconv.FormatInt(id, 10), nil,
				map[string]any{"outcome": res.Outcome, "notices": len(x.sent)}, true)
		}}.Run(ctx, s.DB)
	return len(x.sent), err
}

// RunReminders is the scheduler of decisions' notices: it sends the
// reminders and the outcome notices due every interval until ctx ends. Every instance runs it; the dedupe
// keys keep each reminder to one.
func (s *Service) RunReminders(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			log.Error("decisions: reminders", "err", err)
		}
		if _, err := s.NotifyOutcomes(ctx); err != nil && ctx.Err() == nil {
			log.Error("decisions: outcome notices", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// objectionNotices tell the Chair and the Secretariat that a State objected
// to decision d: consensus is blocked, or the silence broken. Positions on
// a decision are shown on its page, so the notice may say so much; it
// names no State all the same, as the inbox words every notice alike.
func objectionNotices(d store.Decision) []store.Notice {
	n := len(d.Facts.Positions)
	if n == 0 || d.Facts.Positions[n-1].Kind != decision.PositionObjection {
		return nil
	}
	var out []store.Notice
	for _, role := range []concord.Role{concord.RoleChair, concord.RoleSecretariat} {
		out = append(out, store.Notice{Role: role, Key: "notice.decision_objection", Link: "/decisions/" + strconv.FormatInt(d.ID, 10),
			Dedupe: "decision-objection:" + strconv.FormatInt(d.ID, 10) + ":" + strconv.Itoa(n) + ":" + string(role)})
	}
	return out
}
