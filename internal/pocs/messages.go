package pocs

import (
	"context"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
	"concord/poc"
)

// The message log between POCs and the bounces (issue 13). A State's
// delegates send another State's POCs a message made from a standard
// template: it is kept here, emailed to every POC of the receiving State
// in the POC's language, and the receiving State's delegates are told in
// their inbox; the receiving State acknowledges it, and either side
// replies in the thread. Only the two States and the Secretariat read a
// message: anyone else is told it does not exist.

// MessageLimit is how many threads a list shows.
const MessageLimit = 200

// MessageInput is a first message as a form or the API gives it.
type MessageInput struct {
	To       string
	Template string
	Lang     string
	Fields   map[string]string
}

// errNoMessage is the answer to a message the reader may not see, the same
// as to one that does not exist.
var errNoMessage = concord.ErrNotFound

// sending is what a message write works on: the message, the POCs it is
// emailed to and whether the receiving State is a State.
type sending struct {
	m       poc.Message
	first   poc.Message // of the thread, for a reply
	to      []poc.POC
	unknown bool
}

func sendForbidden() error {
	return concord.Errorf(concord.EForbidden, "", "poc.error.send_forbidden", "messages are sent by a State's delegates, in its name")
}

// Send sends in from u's State and returns it as saved.
func (s *Service) Send(ctx context.Context, u *concord.User, in MessageInput) (poc.Message, error) {
	if u == nil || !poc.CanSendFrom(u, u.State) {
		return poc.Message{}, sendForbidden()
	}
	to := strings.ToUpper(strings.TrimSpace(in.To))
	fields := map[string]string{}
	for k, v := range in.Fields {
		if v = strings.TrimSpace(v); v != "" {
			fields[k] = v
		}
	}
	x, err := apply.Write[sending]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (sending, error) {
			x := sending{m: poc.Message{Process: s.Process, From: u.State, To: to, Template: in.Template, Lang: in.Lang, Fields: fields, SentBy: u.Username}}
			var err error
			if to != "" {
				if x.to, err = r.POCs(s.Process, to); err != nil {
					return x, err
				}
			}
			states, err := r.States()
			x.unknown = to != "" && !containsState(states, to)
			return x, err
		},
		Change: func(x *sending, now time.Time) error {
			var errs concord.Errors
			var err error
			x.m, err = poc.Send(x.m, now)
			errs.Add(err)
			if x.unknown {
				errs = append(errs, concord.Errorf(concord.EInvalid, "to", "poc.error.to", "no State %s", to))
			}
			return errs.Err()
		},
		Save: func(tx *store.Tx, x *sending) error {
			x.m.Mailed = len(x.to)
			if err := tx.SaveMessage(&x.m, "poc.message.send"); err != nil {
				return err
			}
			return s.mailMessage(tx, x.m, x.m, x.to)
		},
		Notices: func(x sending) []store.Notice { return messageNotice(x.m, "notice.poc_message") },
	}.Run(ctx, s.DB)
	return x.m, err
}

func containsState(states []concord.State, iso3 string) bool {
	for _, st := range states {
		if st.ISO3 == iso3 {
			return true
		}
	}
	return false
}

// messageNotice tells the receiving State's delegates of m.
func messageNotice(m poc.Message, key string) []store.Notice {
	return []store.Notice{{State: m.To, Key: key, Link: "/poc/messages/" + strconv.FormatInt(m.Thread, 10),
		Dedupe: key + ":" + strconv.FormatInt(m.ID, 10)}}
}

// mailMessage puts the email of m (of thread first) to each POC of to in
// the outbox, in the POC's language: the template's labels in it, the
// values as the sender wrote them, once per message and POC.
func (s *Service) mailMessage(tx *store.Tx, first, m poc.Message, to []poc.POC) error {
	t, _ := poc.TemplateOf(m.Template)
	for _, p := range to {
		l := lang(p)
		var b strings.Builder
		for _, f := range t.Fields {
			if v := m.Fields[f.Name]; v != "" {
				label, _, _ := f.Label.In(l)
				b.WriteString(label + ":\n" + v + "\n\n")
			}
		}
		name, _, _ := t.Name.In(l)
		firstT, _ := poc.TemplateOf(first.Template)
		firstName, _, _ := firstT.Name.In(l)
		data := map[string]any{"Name": p.Name, "From": m.From, "To": m.To, "Template": name, "Subject": first.Fields["subject"],
			"Kind": firstName, "Fields": b.String(), "Link": s.BaseURL + "/" + l + "/poc/messages/" + strconv.FormatInt(m.Thread, 10)}
		if _, err := tx.Enqueue(store.Mail{Dedupe: "poc-message:" + strconv.FormatInt(m.ID, 10) + ":" + strconv.FormatInt(p.ID, 10),
			To: []string{p.Email}, Subject: s.Cat.T(l, "mail.poc_message.subject", data), Text: s.Cat.T(l, "mail.poc_message.body", data)}); err != nil {
			return err
		}
	}
	return nil
}

// Reply answers thread in u's State's name: one side of the thread to the
// other, emailed to the other State's POCs.
func (s *Service) Reply(ctx context.Context, u *concord.User, thread int64, text, lang string) (poc.Message, error) {
	x, err := apply.Write[sending]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (sending, error) {
			first, err := r.Message(thread)
			if err != nil || first.Process != s.Process || first.Thread != first.ID || !poc.CanSee(u, first) {
				return sending{}, errNoMessage
			}
			other := first.To
			if u.State == first.To {
				other = first.From
			}
			to, err := r.POCs(s.Process, other)
			return sending{first: first, to: to}, err
		},
		Allow: func(x sending) error {
			if !poc.CanSendFrom(u, u.State) {
				return sendForbidden()
			}
			return nil
		},
		Change: func(x *sending, now time.Time) error {
			var err error
			x.m, err = poc.Answer(x.first, u.State, text, lang, now)
			x.m.SentBy = u.Username
			return err
		},
		Save: func(tx *store.Tx, x *sending) error {
			x.m.Mailed = len(x.to)
			if err := tx.SaveMessage(&x.m, "poc.message.reply"); err != nil {
				return err
			}
			return s.mailMessage(tx, x.first, x.m, x.to)
		},
		Notices: func(x sending) []store.Notice { return messageNotice(x.m, "notice.poc_reply") },
	}.Run(ctx, s.DB)
	return x.m, err
}

// AcknowledgeMessage records that u's State, the receiving one, has
// message id; the sending State is told.
func (s *Service) AcknowledgeMessage(ctx context.Context, u *concord.User, id int64) (poc.Message, error) {
	return apply.Write[poc.Message]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (poc.Message, error) {
			m, err := r.Message(id)
			if err != nil || m.Process != s.Process || !poc.CanSee(u, m) {
				return poc.Message{}, errNoMessage
			}
			return m, nil
		},
		Allow: func(m poc.Message) error {
			if !poc.CanSendFrom(u, u.State) {
				return sendForbidden()
			}
			return nil
		},
		Change: func(m *poc.Message, now time.Time) error {
			var err error
			*m, err = m.Acknowledge(u.State, u.Username, now)
			return err
		},
		Save: func(tx *store.Tx, m *poc.Message) error { return tx.SaveMessage(m, "poc.message.ack") },
		Notices: func(m poc.Message) []store.Notice {
			return []store.Notice{{State: m.From, Key: "notice.poc_message_ack", Link: "/poc/messages/" + strconv.FormatInt(m.Thread, 10),
				Dedupe: "poc-message-ack:" + strconv.FormatInt(m.ID, 10)}}
		},
	}.Run(ctx, s.DB)
}

// Threads lists the threads u may read with their replies counted: every
// thread for the Secretariat, its own State's sent and received for a
// delegate; ErrForbidden for anyone else.
func (s *Service) Threads(ctx context.Context, u *concord.User) ([]poc.Message, map[int64]int, error) {
	state := ""
	switch {
	case u != nil && u.Role == concord.RoleSecretariat && poc.CanView(u):
	case u != nil && poc.CanViewResults(u, u.State):
		state = u.State
	default:
		return nil, nil, ErrForbidden
	}
	r := s.DB.Read(ctx)
	list, err := r.Messages(s.Process, state, MessageLimit)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(list))
	for i, m := range list {
		ids[i] = m.ID
	}
	n, err := r.ThreadReplies(ids)
	return list, n, err
}

// Thread reads thread id (its first message's ID), oldest first, for one
// of its two States or the Secretariat; not found for anyone else.
func (s *Service) Thread(ctx context.Context, u *concord.User, id int64) ([]poc.Message, error) {
	r := s.DB.Read(ctx)
	first, err := r.Message(id)
	if err == concord.ErrNotFound || (err == nil && (first.Process != s.Process || first.Thread != first.ID || !poc.CanSee(u, first))) {
		return nil, errNoMessage
	}
	if err != nil {
		return nil, err
	}
	return r.Thread(id)
}

// bouncing is what recording a bounce works on.
type bouncing struct {
	b      poc.Bounce
	marked []poc.POC
}

// RecordBounce records that mail to email bounced, as the mail system or
// the Secretariat reports it: the POCs of that address are marked, the
// unanswered pings of open rounds to it show it, and each POC's State is
// asked in its inbox to update the directory. An address that is no POC's
// is not found (nothing recorded).
func (s *Service) RecordBounce(ctx context.Context, u *concord.User, email, reason string) ([]poc.POC, error) {
	if !concord.Can(u, concord.ActPingPOCs, concord.Target{}) {
		return nil, concord.Errorf(concord.EForbidden, "", "poc.error.bounce_forbidden", "bounces are recorded by the Secretariat or its mail system")
	}
	by := ""
	if u != nil {
		by = u.Username
	}
	x, err := apply.Write[bouncing]{Actor: u,
		Load: apply.Given(bouncing{b: poc.Bounce{Email: strings.TrimSpace(email), Reason: strings.TrimSpace(reason), By: by}}),
		Change: func(x *bouncing, now time.Time) error {
			x.b.At = now
			return poc.ValidateBounce(x.b)
		},
		Save: func(tx *store.Tx, x *bouncing) error {
			var err error
			if x.marked, err = tx.BouncePOCs(s.Process, x.b); err != nil {
				return err
			}
			if len(x.marked) == 0 {
				return concord.Errorf(concord.ENotFound, "email", "poc.error.bounce_unknown", "no point of contact has this address")
			}
			return nil
		},
		Notices: func(x bouncing) []store.Notice {
			var out []store.Notice
			for _, p := range x.marked {
				out = append(out, store.Notice{State: p.State, Key: "notice.poc_bounced", Link: "/poc/directory",
					Dedupe: "poc-bounce:" + strconv.FormatInt(p.ID, 10) + ":" + strconv.FormatInt(x.b.At.Unix(), 10)})
			}
			return out
		},
	}.Run(ctx, s.DB)
	return x.marked, err
}
