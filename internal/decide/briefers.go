package decide

// External briefers at the meetings of the Dedicated Thematic Groups (issue
// 5, application 4; domain brief §5 row 4, §7.6). A State nominates a
// briefer for a DTG meeting; the nomination opens at once its confirmation
// under the briefers rule in force, as a decision of kind
// briefer_confirmation: confirmed when made (state_nomination_automatic), at
// the end of a non-objection round unless a State objects
// (non_objection_per_briefer), or by consensus ascertained by the Chair or at
// the deadline (consensus_per_briefer). Positions and Chair acts are taken on
// the generic decision; the nomination's state is always recomputed by
// briefer.Confirm from the decision's facts and the clock.
//
// Where things are kept:
//   - The nomination is a store.Record[briefer.Nomination] of kind
//     KindBriefer whose Scope is the meeting code ("DTG-1-2026-12-07"): the
//     list is read per meeting and a person may be nominated only once per
//     meeting, so the meeting is the unit both read; the code starts with the
//     DTG, so the DTG is never lost.
//   - The nomination carries the version of the rule it was made under; the
//     decision carries that version's policy.
//
// Withdrawal: while the round is under way, the nominating State (or the
// Secretariat for it) may withdraw the nomination. The record gets the
// instant and the State's explanation, and the decision is closed with a
// "defer" act carrying that explanation, so that no position can be taken on
// it any more and its outcome reads "deferred" (not taken), never
// "adopted". Once the round has an outcome (confirmed, rejected, deferred by
// the Chair) there is nothing left to withdraw.

import (
	"concord/briefer"
	"concord/decision"
	"concord/rule"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/cachectl"
	"concord/internal/store"
)

// BrieferInput is a nomination as a State (or the Secretariat) enters it.
type BrieferInput struct {
	Name        string
	Affiliation string
	Expertise   string // optional
	NominatedBy string // ISO3; empty means a delegate's own State
	DTG         string // a code of concord.DTGs
	MeetingDate string // the meeting's first day, YYYY-MM-DD, in the process time zone
}

// Briefer is a nomination with what the engine makes of it now.
type Briefer struct {
	Record   store.Record[briefer.Nomination]
	Decision store.Decision
	// Policy is the briefers rule version the nomination runs under.
	Policy briefer.Policy
	Result briefer.Result
	// MeetingStart is 00:00 of the meeting's first day in the process time
	// zone; LateForMeeting reports a round that ends after the meeting opens.
	MeetingStart   time.Time
	LateForMeeting bool
	// Location is the process time zone the meeting date was read in, for
	// showing times.
	Location *time.Location
	// Changes is when the state, or its simulation under the other
	// confirmation modes, changes without any write (the deadline of a
	// round under way); zero when only a write can change it. Reading the
	// nomination records it for the caches (cachectl).
	Changes time.Time
}

// ID is the nomination's record id.
func (b Briefer) ID() int64 { return b.Record.ID }

// CanNominateBriefers reports whether u nominates briefers for some State:
// a delegate for its own State, the Secretariat for any (concord.Can with a
// State target). The Chair, who nominates only in its own name, does not: a
// briefer is always a State's nominee.
func CanNominateBriefers(u *concord.User) bool {
	return u != nil && (u.Role == concord.RoleDelegate || u.Role == concord.RoleSecretariat) &&
		concord.Can(u, concord.ActNominate, concord.Target{State: u.State})
}

// brieferForbidden refuses a role that does not nominate briefers; field
// names the request field concerned ("" for a withdrawal).
func brieferForbidden(field string) error {
	return concord.Errorf(concord.EForbidden, field, "briefers.error.forbidden", "briefers are nominated by a State: a delegate for its own State, the Secretariat for any")
}

// brieferNominator returns the State u nominates for: the one named, or a
// delegate's own. Permission comes before validation, so that a role that
// may not nominate is refused whatever it sent.
func brieferNominator(u *concord.User, state string) (string, error) {
	state = strings.ToUpper(strings.TrimSpace(state))
	if !CanNominateBriefers(u) {
		return "", brieferForbidden("nominated_by")
	}
	if state == "" {
		state = u.State
	}
	if state == "" {
		return "", concord.Errorf(concord.EInvalid, "nominated_by", "briefer.error.nominated_by", "name the nominating State")
	}
	if !concord.Can(u, concord.ActNominate, concord.Target{State: state}) {
		return "", brieferForbidden("nominated_by")
	}
	return state, nil
}

// normName is a name as compared for duplicates: case and spacing ignored.
func normName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Location is the process time zone, in which meeting dates are read and
// deadlines shown.
func (s *Service) Location(ctx context.Context) (*time.Location, error) {
	p, err := s.DB.GetProcess(ctx, s.Process)
	if err != nil {
		return nil, err
	}
	return concord.LoadLocation(p.TimeZone)
}

// brieferTexts are the decision's title and proposal: the briefer's name
// and affiliation (the same in every language) with the thematic group's
// name in each language, so that no language shows a pending translation.
func brieferTexts(n briefer.Nomination) (title, proposal concord.Text) {
	who := n.Name + " (" + n.Affiliation + ")"
	dtg, _ := concord.DTGByCode(n.DTG)
	title, proposal = concord.Text{}, concord.Text{}
	for _, l := range concord.Languages {
		title[l] = who
		proposal[l] = who + " — " + dtg.Names[l] + ", " + n.MeetingDate + " — " + n.NominatedBy
	}
	return title, proposal
}

// NominateBriefer records a State's nomination and opens its confirmation
// under the briefers rule in force now, in one transaction.
func (s *Service) NominateBriefer(ctx context.Context, u *concord.User, in BrieferInput) (Briefer, error) {
	// A refusal (not the user's State) stops here; every problem of the
	// form itself is collected and reported at once.
	state, err := brieferNominator(u, in.NominatedBy)
	if err != nil && concord.ErrorCode(err) != concord.EInvalid {
		return Briefer{}, err
	}
	var errs concord.Errors
	errs.Add(err)
	n, err := briefer.Entry(briefer.Nomination{Name: in.Name, Affiliation: in.Affiliation, Expertise: in.Expertise, NominatedBy: state, DTG: in.DTG, MeetingDate: in.MeetingDate})
	errs.Add(err)
	if state != "" {
		err := s.CheckMember(ctx, state, "nominated_by", "briefers.error.not_member")
		if concord.ErrorCode(err) == concord.EInternal && err != nil {
			return Briefer{}, err
		}
		errs.Add(err)
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return Briefer{}, err
	}
	var start time.Time
	if !slices.ContainsFunc(errs, func(e *concord.Error) bool { return e.Field == "meeting_date" }) {
		if start, err = concord.LocalToUTC(n.MeetingDate, "00:00", loc); err != nil {
			errs.Add(concord.Errorf(concord.EInvalid, "meeting_date", "error.date", "%v", err))
		} else {
			// Checked again in the transaction, at its instant.
			errs.Add(briefer.CheckMeeting(start, s.DB.Now()))
		}
	}
	if err := errs.Err(); err != nil {
		return Briefer{}, err
	}
	type nominating struct {
		rule  rule.Version
		same  []store.Record[briefer.Nomination] // the meeting's nominations
		parts Participants
		rec   store.Record[briefer.Nomination]
		b     Briefer
	}
	out, err := apply.Write[nominating]{Actor: u,
		Load: func(r store.Reader, now time.Time) (nominating, error) {
			var x nominating
			var err error
			if x.rule, _, err = RuleInForce[*briefer.Policy](r, s.Process, briefer.RuleCode, now); err != nil {
				return x, err
			}
			if x.same, err = store.Records[briefer.Nomination](r, s.Process, KindBriefer, n.Meeting); err != nil {
				return x, err
			}
			x.parts, err = LoadParticipants(r)
			return x, err
		},
		Change: func(x *nominating, now time.Time) error {
			if err := briefer.CheckMeeting(start, now); err != nil {
				return err
			}
			for _, r := range x.same {
				if r.Doc.Withdrawn.IsZero() && normName(r.Doc.Name) == normName(n.Name) {
					return concord.Errorf(concord.EConflict, "name", "briefers.error.duplicate", "%s is already nominated for %s (nomination %d)", n.Name, n.Meeting, r.ID)
				}
			}
			n.At, n.RuleVersion = now, x.rule.Version
			x.rec = store.Record[briefer.Nomination]{Process: s.Process, Kind: KindBriefer, Scope: n.Meeting, Doc: n}
			return n.Validate()
		},
		Save: func(tx *store.Tx, x *nominating) error {
			if err := store.SaveRecord(tx, &x.rec, "briefer.nominate", true); err != nil {
				return err
			}
			x.rec.Doc.ID = strconv.FormatInt(x.rec.ID, 10)
			title, proposal := brieferTexts(x.rec.Doc)
			p := *x.rule.Policy.(*briefer.Policy)
			d, err := Open(tx, x.parts, Proposal{Kind: decision.KindBrieferConfirmation, Title: title, Proposal: proposal,
				Policy: p.Decision(), ProposedBy: state}, &x.rec, "briefer.decision")
			if err != nil {
				return err
			}
			x.b, err = brieferView(x.rec, d, p, start, loc, tx.Now)
			return err
		}}.Run(ctx, s.DB)
	return out.b, err
}

// WithdrawBriefer withdraws a nomination while its round is under way: the
// nominating State's delegate, or the Secretariat for it. note is the
// State's explanation (optional), in lang.
func (s *Service) WithdrawBriefer(ctx context.Context, u *concord.User, id int64, note, lang string) (Briefer, error) {
	if !CanNominateBriefers(u) {
		return Briefer{}, brieferForbidden("")
	}
	note = strings.TrimSpace(note)
	if err := briefer.CheckNote(note); err != nil {
		return Briefer{}, err
	}
	if !concord.IsLanguage(lang) {
		lang = "en"
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return Briefer{}, err
	}
	type withdrawal struct {
		rec    store.Record[briefer.Nomination]
		d      store.Decision
		policy briefer.Policy
		b      Briefer
	}
	out, err := apply.Write[withdrawal]{Actor: u,
		Load: func(r store.Reader, _ time.Time) (withdrawal, error) {
			var x withdrawal
			var err error
			if x.rec, err = store.GetRecord[briefer.Nomination](r, KindBriefer, id); err != nil {
				return x, err
			}
			if x.rec.Process != s.Process {
				return x, concord.ErrNotFound
			}
			if x.d, err = r.Decision(x.rec.DecisionID); err != nil {
				return x, err
			}
			vs, err := r.RuleVersions(s.Process)
			if err != nil {
				return x, err
			}
			x.policy, err = brieferPolicy(vs, x.rec.Doc.RuleVersion)
			return x, err
		},
		Allow: func(x withdrawal) error {
			if !concord.Can(u, concord.ActNominate, concord.Target{State: x.rec.Doc.NominatedBy}) {
				return concord.Errorf(concord.EForbidden, "", "briefers.error.not_yours", "only the nominating State withdraws its nomination")
			}
			return nil
		},
		Change: func(x *withdrawal, now time.Time) error {
			if err := briefer.CanWithdraw(x.rec.Doc, nil); err != nil {
				return err
			}
			res, err := briefer.Confirm(x.policy, x.rec.Doc, x.d.Facts, now)
			if err != nil {
				return err
			}
			if err := briefer.CanWithdraw(x.rec.Doc, &res); err != nil {
				return err
			}
			var stmt concord.Text
			if note != "" {
				stmt = concord.Text{lang: note}
			}
			if _, err := x.d.Facts.SubmitAct(x.d.Policy, decision.Act{Kind: decision.ActDefer, Text: stmt}, now); err != nil {
				return err
			}
			x.rec.Doc.Withdrawn, x.rec.Doc.WithdrawalNote = now, note
			return nil
		},
		Save: func(tx *store.Tx, x *withdrawal) error {
			if err := tx.SaveDecision(&x.d, "decision.act"); err != nil {
				return err
			}
			if err := store.SaveRecord(tx, &x.rec, "briefer.withdraw", true); err != nil {
				return err
			}
			start, err := concord.LocalToUTC(x.rec.Doc.MeetingDate, "00:00", loc)
			if err != nil {
				return err
			}
			x.b, err = brieferView(x.rec, x.d, x.policy, start, loc, tx.Now)
			return err
		}}.Run(ctx, s.DB)
	return out.b, err
}

// brieferPolicy is the briefers rule of the given version.
func brieferPolicy(vs []rule.Version, version int) (briefer.Policy, error) {
	for _, v := range vs {
		if p, ok := v.Policy.(*briefer.Policy); ok && v.Code == briefer.RuleCode && v.Version == version {
			return *p, nil
		}
	}
	return briefer.Policy{}, concord.Errorf(concord.EInternal, "", "error.internal", "no version %d of the briefers rule", version)
}

// brieferView computes the nomination's state at now.
func brieferView(rec store.Record[briefer.Nomination], d store.Decision, p briefer.Policy, start time.Time, loc *time.Location, now time.Time) (Briefer, error) {
	res, err := briefer.Confirm(p, rec.Doc, d.Facts, now)
	if err != nil {
		return Briefer{}, err
	}
	dl := res.Decision.Deadline
	return Briefer{Record: rec, Decision: d, Policy: p, Result: res, MeetingStart: start,
		LateForMeeting: !dl.IsZero() && dl.After(start), Location: loc, Changes: briefer.NextChange(p, rec.Doc, d.Facts, now)}, nil
}

// Briefer returns one nomination with its state now. A response built
// from it holds until its next change (cachectl), which covers its
// simulation (SimulateBriefer).
func (s *Service) Briefer(ctx context.Context, id int64) (Briefer, error) {
	rec, err := store.GetRecord[briefer.Nomination](s.DB.Read(ctx), KindBriefer, id)
	if err != nil {
		return Briefer{}, err
	}
	if rec.Process != s.Process {
		return Briefer{}, concord.ErrNotFound
	}
	d, err := s.DB.GetDecision(ctx, rec.DecisionID)
	if err != nil {
		return Briefer{}, err
	}
	vs, err := s.DB.RuleVersions(ctx, s.Process)
	if err != nil {
		return Briefer{}, err
	}
	p, err := brieferPolicy(vs, rec.Doc.RuleVersion)
	if err != nil {
		return Briefer{}, err
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return Briefer{}, err
	}
	start, err := concord.LocalToUTC(rec.Doc.MeetingDate, "00:00", loc)
	if err != nil {
		return Briefer{}, err
	}
	b, err := brieferView(rec, d, p, start, loc, s.DB.Now().UTC())
	cachectl.Until(ctx, b.Changes)
	return b, err
}

// BrieferFilter selects nominations: by thematic group, by meeting code, or
// (both empty) all of them.
type BrieferFilter struct {
	DTG     string
	Meeting string
}

// BrieferMeeting is one DTG meeting with its nominations, oldest first.
type BrieferMeeting struct {
	Code     string
	DTG      string
	Date     string // YYYY-MM-DD
	Briefers []Briefer
}

// BrieferList is what the list of nominations shows: the meetings with
// their nominations, the latest meeting first, the rule in force now and the
// process time zone.
type BrieferList struct {
	Meetings []BrieferMeeting
	Rule     rule.Version
	Location *time.Location
	// Changes is when the list changes without any write: the first
	// deadline of a round under way, or a new rule version taking effect.
	// It is what reading the list recorded for the caches (cachectl).
	Changes time.Time
}

// Briefers returns the nominations grouped by meeting, at a fixed cost of
// queries whatever their number.
func (s *Service) Briefers(ctx context.Context, f BrieferFilter) (BrieferList, error) {
	f.DTG, f.Meeting = strings.ToUpper(strings.TrimSpace(f.DTG)), strings.TrimSpace(f.Meeting)
	if f.DTG != "" {
		if _, ok := concord.DTGByCode(f.DTG); !ok {
			return BrieferList{}, concord.Errorf(concord.EInvalid, "dtg", "briefers.error.dtg", "unknown thematic group %q", f.DTG)
		}
	}
	all, err := s.allBriefers(ctx)
	if err != nil {
		return BrieferList{}, err
	}
	if f.DTG == "" && f.Meeting == "" {
		return all, nil
	}
	out := all
	out.Meetings = nil
	for _, m := range all.Meetings {
		if (f.DTG == "" || m.DTG == f.DTG) && (f.Meeting == "" || m.Code == f.Meeting) {
			out.Meetings = append(out.Meetings, m)
		}
	}
	return out, nil
}

// brieferCache keeps the last computed list of every nomination. It holds
// while no write has happened (the audit head, read on each call, is the
// one it was computed at: several instances stay in step) and the clock has
// not reached the earliest next change its reads recorded; serving it
// again records that instant for the caches outside. Its values are
// shared: read-only.
type brieferCache struct {
	mu   sync.Mutex
	head int64
	at   time.Time
	list BrieferList
}

// allBriefers is every nomination with its state now: from the cache, or
// read and decided again. The head is read before the data, so a write in
// between can only make the cached data newer than its key, never older.
func (s *Service) allBriefers(ctx context.Context) (BrieferList, error) {
	head, err := s.DB.AuditHead(ctx)
	if err != nil {
		return BrieferList{}, err
	}
	now := s.DB.Now().UTC()
	c := &s.briefers
	c.mu.Lock()
	if c.at != (time.Time{}) && c.head == head && !now.Before(c.at) && cachectl.Fresh(c.list.Changes, now) {
		l := c.list
		c.mu.Unlock()
		cachectl.Until(ctx, l.Changes)
		return l, nil
	}
	c.mu.Unlock()
	lctx, exp := cachectl.Capture(ctx)
	l, err := s.loadBriefers(lctx, now)
	if err != nil {
		return BrieferList{}, err
	}
	l.Changes = exp.Time()
	c.mu.Lock()
	c.head, c.at, c.list = head, now, l
	c.mu.Unlock()
	return l, nil
}

// loadBriefers reads every nomination with its decision and decides each.
func (s *Service) loadBriefers(ctx context.Context, now time.Time) (BrieferList, error) {
	rows, err := store.RecordsWithDecisions[briefer.Nomination](s.DB.Read(ctx), s.Process, KindBriefer, "")
	if err != nil {
		return BrieferList{}, err
	}
	vs, err := s.DB.RuleVersions(ctx, s.Process)
	if err != nil {
		return BrieferList{}, err
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return BrieferList{}, err
	}
	inForce, _, err := inForce[rule.Policy](vs, briefer.RuleCode, now)
	if err != nil {
		return BrieferList{}, err
	}
	var out []BrieferMeeting
	at := map[string]int{}
	for _, r := range rows {
		n := r.Record.Doc
		p, err := brieferPolicy(vs, n.RuleVersion)
		if err != nil {
			return BrieferList{}, err
		}
		start, err := concord.LocalToUTC(n.MeetingDate, "00:00", loc)
		if err != nil {
			return BrieferList{}, err
		}
		b, err := brieferView(r.Record, r.Decision, p, start, loc, now)
		if err != nil {
			return BrieferList{}, err
		}
		cachectl.Until(ctx, b.Changes)
		i, ok := at[n.Meeting]
		if !ok {
			i = len(out)
			at[n.Meeting] = i
			out = append(out, BrieferMeeting{Code: n.Meeting, DTG: n.DTG, Date: n.MeetingDate})
		}
		out[i].Briefers = append(out[i].Briefers, b)
	}
	slices.SortStableFunc(out, func(a, b BrieferMeeting) int {
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.DTG, b.DTG)
	})
	return BrieferList{Meetings: out, Rule: inForce, Location: loc}, nil
}

// BrieferSimulation is the nomination's state under one confirmation mode.
type BrieferSimulation struct {
	Policy briefer.Policy
	Result briefer.Result
	Err    error
}

// SimulateBriefer replays the nomination's facts under each confirmation
// mode (automatic, non-objection round, consensus), side by side.
func (s *Service) SimulateBriefer(b Briefer) []BrieferSimulation {
	now := s.DB.Now().UTC()
	alts := briefer.Alternatives(b.Policy)
	out := make([]BrieferSimulation, len(alts))
	for i, p := range alts {
		r, err := briefer.Confirm(p, b.Record.Doc, b.Decision.Facts, now)
		out[i] = BrieferSimulation{Policy: p, Result: r, Err: err}
	}
	return out
}
