// Package pocs runs the Points of Contact directory (issue 13) for pages
// and API alike: a State's delegates (or the Secretariat) nominate, edit
// and remove the State's POCs; the Secretariat schedules, opens and closes
// ping rounds; every POC answers through a personal link; reminders go out
// before the deadline. Who sees what is the kernel's rule (concord.Can,
// through poc.CanView and poc.CanViewResults), checked here on every read
// so that no adapter can forget it; the rules themselves are the pure
// package poc.
package pocs

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/store"
	"concord/poc"
)

// Service runs the directory of one process.
type Service struct {
	DB      *store.DB
	Process string
	Cat     *i18n.Catalog
	Log     *slog.Logger
	// BaseURL prefixes the acknowledgement links; never taken from a
	// request's Host.
	BaseURL string
	// Rule is the nomination and reminder rule (poc.DefaultRule if zero).
	Rule poc.Rule
}

func (s *Service) rule() poc.Rule {
	if s.Rule.MaxPerKind == 0 {
		return poc.DefaultRule
	}
	return s.Rule
}

// ErrForbidden refuses the directory, or a State's results, to whoever the
// rule keeps them from; the same answer whether or not anything exists.
var ErrForbidden = concord.Errorf(concord.EForbidden, "", "poc.error.forbidden", "the directory of points of contact is restricted to States and the Secretariat")

// Input is a POC as a form or the API gives it.
type Input struct {
	State     string
	Kind      poc.Kind
	Name      string
	Function  string
	Email     string
	Phone     string
	Languages []string
	Hours     string
}

// apply copies the input onto p, trimmed.
func (in Input) apply(p *poc.POC) {
	p.Kind = in.Kind
	p.Name, p.Function = strings.TrimSpace(in.Name), strings.TrimSpace(in.Function)
	p.Email, p.Phone, p.Hours = strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone), strings.TrimSpace(in.Hours)
	// The State has looked at the POC: a bounce is answered by the edit
	// (a new address, or the same one confirmed).
	p.Bounced = nil
	// In the order given (the first is the language its mail is in),
	// each once; an unknown one is kept for Validate to report.
	p.Languages = nil
	for _, l := range in.Languages {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(p.Languages, l) {
			p.Languages = append(p.Languages, l)
		}
	}
}

// nomination is what a POC write works on: the POC and its State's others.
type nomination struct {
	p       poc.POC
	others  []poc.POC
	unknown bool // the State named is not a State of the registry
}

func (s *Service) allowState(u *concord.User, state string) error {
	if !concord.Can(u, concord.ActManagePOCs, concord.Target{State: state}) {
		return concord.Errorf(concord.EForbidden, "state", "poc.error.not_own", "a State nominates its own points of contact only")
	}
	return nil
}

// Nominate adds a POC to in.State's: refused for another State than the
// delegate's own, and beyond the rule's number of each kind.
func (s *Service) Nominate(ctx context.Context, u *concord.User, in Input) (poc.POC, error) {
	state := strings.ToUpper(strings.TrimSpace(in.State))
	if state == "" && u != nil && u.Role == concord.RoleDelegate {
		state = u.State // a delegate's nomination is its own State's
	}
	if err := s.allowState(u, state); err != nil {
		return poc.POC{}, err
	}
	n, err := apply.Write[nomination]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (nomination, error) {
			n := nomination{p: poc.POC{Process: s.Process, State: state}}
			in.apply(&n.p)
			var err error
			if n.others, err = r.POCs(s.Process, state); err != nil {
				return n, err
			}
			states, err := r.States()
			n.unknown = !slices.ContainsFunc(states, func(st concord.State) bool { return st.ISO3 == state })
			return n, err
		},
		Allow: func(n nomination) error { return s.allowState(u, state) },
		Change: func(n *nomination, _ time.Time) error {
			var errs concord.Errors
			errs.Add(s.rule().CheckNomination(u, n.p, n.others))
			if n.unknown {
				errs = append(errs, concord.Errorf(concord.EInvalid, "state", "poc.error.state", "no State %s", state))
			}
			return errs.Err()
		},
		Save: func(tx *store.Tx, n *nomination) error { return tx.SavePOC(&n.p, "poc.nominate") },
	}.Run(ctx, s.DB)
	return n.p, err
}

// load reads POC id of the service's process with its State's others.
func (s *Service) load(r store.Reader, id int64) (nomination, error) {
	p, err := r.POC(id)
	if err != nil {
		return nomination{}, err
	}
	if p.Process != s.Process {
		return nomination{}, concord.ErrNotFound
	}
	others, err := r.POCs(s.Process, p.State)
	return nomination{p: p, others: others}, err
}

// Edit changes POC id (its State stays).
func (s *Service) Edit(ctx context.Context, u *concord.User, id int64, in Input) (poc.POC, error) {
	n, err := apply.Write[nomination]{Actor: u,
		Load:  func(r store.Reader, _ time.Time) (nomination, error) { return s.load(r, id) },
		Allow: func(n nomination) error { return s.allowState(u, n.p.State) },
		Change: func(n *nomination, _ time.Time) error {
			in.apply(&n.p)
			return s.rule().CheckNomination(u, n.p, n.others)
		},
		Save: func(tx *store.Tx, n *nomination) error { return tx.SavePOC(&n.p, "poc.edit") },
	}.Run(ctx, s.DB)
	return n.p, err
}

// Remove takes POC id out of the directory.
func (s *Service) Remove(ctx context.Context, u *concord.User, id int64) error {
	_, err := apply.Write[nomination]{Actor: u,
		Load:  func(r store.Reader, _ time.Time) (nomination, error) { return s.load(r, id) },
		Allow: func(n nomination) error { return s.allowState(u, n.p.State) },
		Save:  func(tx *store.Tx, n *nomination) error { return tx.DeletePOC(n.p) },
	}.Run(ctx, s.DB)
	return err
}

// Directory lists the POCs (of one State, or all with "") for whoever may
// see the directory; ErrForbidden for anyone else.
func (s *Service) Directory(ctx context.Context, u *concord.User, state string) ([]poc.POC, error) {
	if !poc.CanView(u) {
		return nil, ErrForbidden
	}
	return s.DB.POCs(ctx, s.Process, strings.ToUpper(state))
}

// POC reads one POC for whoever may see the directory.
func (s *Service) POC(ctx context.Context, u *concord.User, id int64) (poc.POC, error) {
	if !poc.CanView(u) {
		return poc.POC{}, ErrForbidden
	}
	p, err := s.DB.Read(ctx).POC(id)
	if err == nil && p.Process != s.Process {
		err = concord.ErrNotFound
	}
	return p, err
}

// Summary is what everyone may know of the directory and its ping tests.
type Summary struct {
	Nominated int // States with at least one POC
	Rounds    []RoundSummary
}

// RoundSummary is a round with its public aggregate.
type RoundSummary struct {
	Round poc.Round
	Total poc.Aggregate
}

// Summary reads the public counts: no name, no address, no State.
func (s *Service) Summary(ctx context.Context) (Summary, error) {
	var sum Summary
	var err error
	if sum.Nominated, err = s.DB.NominatedStates(ctx, s.Process); err != nil {
		return sum, err
	}
	rounds, err := s.DB.Rounds(ctx, s.Process)
	if err != nil {
		return sum, err
	}
	for _, r := range rounds {
		a, err := s.DB.PingCounts(ctx, r.ID)
		if err != nil {
			return sum, err
		}
		sum.Rounds = append(sum.Rounds, RoundSummary{Round: r, Total: a})
	}
	return sum, nil
}

// RoundInput is a round as the Secretariat schedules it.
type RoundInput struct {
	Opens, Closes time.Time
	Note          string
	// Unread are the problems the adapter met reading the input.
	Unread concord.Errors
}

func pingForbidden() error {
	return concord.Errorf(concord.EForbidden, "", "poc.error.ping_forbidden", "only the Secretariat runs ping tests")
}

// Schedule adds a ping round.
func (s *Service) Schedule(ctx context.Context, u *concord.User, in RoundInput) (poc.Round, error) {
	if !concord.Can(u, concord.ActPingPOCs, concord.Target{}) {
		return poc.Round{}, pingForbidden()
	}
	return apply.Write[poc.Round]{Actor: u,
		Load: apply.Given(poc.Round{Process: s.Process, Opens: in.Opens, Closes: in.Closes, Note: strings.TrimSpace(in.Note)}),
		Change: func(r *poc.Round, now time.Time) error {
			var errs concord.Errors
			errs = append(errs, in.Unread...)
			var err error
			*r, err = poc.Schedule(*r, now)
			if len(in.Unread) == 0 {
				errs.Add(err)
			}
			return errs.Err()
		},
		Save: func(tx *store.Tx, r *poc.Round) error { return tx.SaveRound(r, "poc.round.schedule") },
	}.Run(ctx, s.DB)
}

// round reads round id of the service's process.
func (s *Service) round(r store.Reader, id int64) (poc.Round, error) {
	rd, err := r.Round(id)
	if err == nil && rd.Process != s.Process {
		err = concord.ErrNotFound
	}
	return rd, err
}

// Round reads round id (public: its dates and status).
func (s *Service) Round(ctx context.Context, id int64) (poc.Round, error) {
	return s.round(s.DB.Read(ctx), id)
}

// opening is what opening a round works on: the round and every POC.
type opening struct {
	r    poc.Round
	pocs []poc.POC
	sent int
}

// Open sends round id: one email per POC in the directory, with a personal
// link, in the transaction that opens it.
func (s *Service) Open(ctx context.Context, u *concord.User, id int64) (poc.Round, int, error) {
	if !concord.Can(u, concord.ActPingPOCs, concord.Target{}) {
		return poc.Round{}, 0, pingForbidden()
	}
	o, err := apply.Write[opening]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (opening, error) {
			rd, err := s.round(r, id)
			if err != nil {
				return opening{}, err
			}
			ps, err := r.POCs(s.Process, "")
			return opening{r: rd, pocs: ps}, err
		},
		Change: func(o *opening, now time.Time) error {
			var err error
			o.r, err = o.r.Open(now)
			return err
		},
		Save: func(tx *store.Tx, o *opening) error {
			if err := tx.SaveRound(&o.r, "poc.round.open"); err != nil {
				return err
			}
			for _, p := range o.pocs {
				ping := poc.Ping{Round: o.r.ID, POC: p.ID, State: p.State, Kind: p.Kind, Name: p.Name, Email: p.Email}
				if err := tx.AddPing(ping); err != nil {
					return err
				}
				if err := s.mail(tx, o.r, ping, lang(p), "ping"); err != nil {
					return err
				}
				o.sent++
			}
			return nil
		},
	}.Run(ctx, s.DB)
	return o.r, o.sent, err
}

// lang is the language a POC's mail is in: the first it works in.
func lang(p poc.POC) string {
	if len(p.Languages) > 0 && slices.Contains(concord.Languages, p.Languages[0]) {
		return p.Languages[0]
	}
	return "en"
}

// Link is the acknowledgement page of token, in lang.
func (s *Service) Link(lang, token string) string {
	return s.BaseURL + "/" + lang + "/poc/ack?" + url.Values{"token": {token}}.Encode()
}

// mail makes a link for ping, keeps its hash, and puts the email (kind
// "ping" or "remind") in the outbox; the dedupe key is the round, the POC
// and the kind, so a retried transaction never sends one twice.
func (s *Service) mail(tx *store.Tx, r poc.Round, p poc.Ping, lang, kind string) error {
	token, hash := auth.NewToken()
	if err := tx.AddPingToken(p, hash, r.Closes); err != nil {
		return err
	}
	data := map[string]any{"Name": p.Name, "State": p.State, "Link": s.Link(lang, token),
		"Deadline": r.Closes.UTC().Format("2006-01-02 15:04") + " UTC", "Note": r.Note}
	_, err := tx.Enqueue(store.Mail{Dedupe: "poc-" + kind + ":" + strconv.FormatInt(r.ID, 10) + ":" + strconv.FormatInt(p.POC, 10),
		To: []string{p.Email}, Subject: s.Cat.T(lang, "mail.poc_"+kind+".subject", data), Text: s.Cat.T(lang, "mail.poc_"+kind+".body", data)})
	return err
}

// Close ends round id (the Secretariat, before or at the deadline; the
// scheduler closes it at the deadline otherwise).
func (s *Service) Close(ctx context.Context, u *concord.User, id int64) (poc.Round, error) {
	if !concord.Can(u, concord.ActPingPOCs, concord.Target{}) {
		return poc.Round{}, pingForbidden()
	}
	return s.close(ctx, u, id)
}

func (s *Service) close(ctx context.Context, u *concord.User, id int64) (poc.Round, error) {
	return apply.Write[poc.Round]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (poc.Round, error) { return s.round(r, id) },
		Change: func(r *poc.Round, now time.Time) error {
			var err error
			*r, err = r.Close(now)
			return err
		},
		Save: func(tx *store.Tx, r *poc.Round) error { return tx.SaveRound(r, "poc.round.close") },
	}.Run(ctx, s.DB)
}

// Ack is a link's ping with its round, for the acknowledgement page.
type Ack struct {
	Ping  poc.Ping
	Round poc.Round
}

// errBadLink answers a token that names no ping.
var errBadLink = concord.Errorf(concord.ENotFound, "token", "poc.error.link", "this acknowledgement link is not valid: use the link of the email as it is")

// Check reads the ping of token and says whether it may still be
// acknowledged (the page shows the form, or why not).
func (s *Service) Check(ctx context.Context, token string) (Ack, error) {
	r := s.DB.Read(ctx)
	p, err := r.PingByToken(auth.TokenHash(token))
	if err == concord.ErrNotFound {
		return Ack{}, errBadLink
	}
	if err != nil {
		return Ack{}, err
	}
	rd, err := s.round(r, p.Round)
	if err != nil {
		return Ack{}, err
	}
	a := Ack{Ping: p, Round: rd}
	_, err = rd.Acknowledge(p, "", s.DB.Now())
	return a, err
}

// Acknowledge records the answer of the POC the link of token was sent
// to, by name: once, before the deadline. A second use or a late one is
// refused with the reason, and the first answer stands.
func (s *Service) Acknowledge(ctx context.Context, token, by string) (Ack, error) {
	return apply.Write[Ack]{
		Load: func(r store.Reader, _ time.Time) (Ack, error) {
			p, err := r.PingByToken(auth.TokenHash(token))
			if err == concord.ErrNotFound {
				return Ack{}, errBadLink
			}
			if err != nil {
				return Ack{}, err
			}
			rd, err := s.round(r, p.Round)
			return Ack{Ping: p, Round: rd}, err
		},
		Change: func(a *Ack, now time.Time) error {
			var err error
			a.Ping, err = a.Round.Acknowledge(a.Ping, by, now)
			return err
		},
		Save: func(tx *store.Tx, a *Ack) error { return tx.SavePing(&a.Ping, "poc.ack") },
	}.Run(ctx, s.DB)
}

// Results are a round's results as one reader may see them: every State's
// for the Secretariat, the reader's own State's for its delegates.
type Results struct {
	Round  poc.Round
	States []poc.StateResult
	Total  poc.Aggregate // the public aggregate of the whole round
}

// Results reads round id's results for u: the Secretariat sees every
// State's, a delegate its own State's, anyone else only the aggregate.
func (s *Service) Results(ctx context.Context, u *concord.User, id int64) (Results, error) {
	rd, err := s.Round(ctx, id)
	if err != nil {
		return Results{}, err
	}
	res := Results{Round: rd}
	if res.Total, err = s.DB.PingCounts(ctx, id); err != nil {
		return res, err
	}
	var state string
	switch {
	case concord.Can(u, concord.ActPingPOCs, concord.Target{}):
		state = "" // every State
	case u != nil && poc.CanViewResults(u, u.State):
		state = u.State
	default:
		return res, nil
	}
	pings, err := s.DB.Pings(ctx, id, state)
	res.States = poc.Results(pings)
	return res, err
}

// StateResults reads one State's results in round id, for that State's
// delegates and the Secretariat only.
func (s *Service) StateResults(ctx context.Context, u *concord.User, id int64, state string) (poc.StateResult, error) {
	state = strings.ToUpper(state)
	if !poc.CanViewResults(u, state) {
		return poc.StateResult{}, ErrForbidden
	}
	if _, err := s.Round(ctx, id); err != nil {
		return poc.StateResult{}, err
	}
	pings, err := s.DB.Pings(ctx, id, state)
	if err != nil {
		return poc.StateResult{}, err
	}
	if rs := poc.Results(pings); len(rs) == 1 {
		return rs[0], nil
	}
	return poc.StateResult{State: state}, nil
}

// Sweep closes the open rounds past their deadline and reminds, once, the
// POCs that have not answered when the reminder time has come (the
// scheduler runs it; each step is idempotent).
func (s *Service) Sweep(ctx context.Context) error {
	now := s.DB.Now()
	rule := s.rule()
	rounds, err := s.DB.OpenRoundsDue(ctx, s.Process, now, rule.RemindBefore)
	if err != nil {
		return err
	}
	for _, rd := range rounds {
		if !now.Before(rd.Closes) {
			if _, err := s.close(ctx, nil, rd.ID); err != nil && concord.ErrorCode(err) != concord.EConflict {
				return err
			}
			continue
		}
		if err := s.remind(ctx, rd.ID); err != nil {
			return err
		}
	}
	return nil
}

// reminding is what a reminder write works on.
type reminding struct {
	r     poc.Round
	pings []poc.Ping
	pocs  map[int64]poc.POC
}

// remind sends the reminders of round id in one write.
func (s *Service) remind(ctx context.Context, id int64) error {
	_, err := apply.Write[reminding]{
		Load: func(r store.Reader, _ time.Time) (reminding, error) {
			rd, err := s.round(r, id)
			if err != nil {
				return reminding{}, err
			}
			ps, err := r.Pings(id, "")
			if err != nil {
				return reminding{}, err
			}
			all, err := r.POCs(s.Process, "")
			m := map[int64]poc.POC{}
			for _, p := range all {
				m[p.ID] = p
			}
			return reminding{r: rd, pings: ps, pocs: m}, err
		},
		Change: func(x *reminding, now time.Time) error {
			if !x.r.RemindersDue(s.rule(), now) {
				x.pings = nil
				return nil
			}
			var due []poc.Ping
			for _, p := range x.pings {
				if p.Answered.IsZero() && !p.Reminded {
					p.Reminded = true
					due = append(due, p)
				}
			}
			x.pings = due
			return nil
		},
		Save: func(tx *store.Tx, x *reminding) error {
			for i := range x.pings {
				p := &x.pings[i]
				if err := tx.SavePing(p, "poc.remind"); err != nil {
					return err
				}
				if err := s.mail(tx, x.r, *p, lang(x.pocs[p.POC]), "remind"); err != nil {
					return err
				}
			}
			if len(x.pings) == 0 {
				return errNothing
			}
			return nil
		},
	}.Run(ctx, s.DB)
	if err == errNothing {
		return nil
	}
	return err
}

// errNothing ends a write that has nothing to do (no reminder due).
var errNothing = concord.Errorf(concord.EConflict, "", "poc.error.nothing", "nothing to do")

// Run is the scheduler: it sweeps every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Sweep(ctx); err != nil && ctx.Err() == nil && s.Log != nil {
			s.Log.Error("pocs: sweeping ping rounds", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
