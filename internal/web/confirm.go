package web

import (
	"concord/accreditation"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/cofacilitator"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
)

// confirmations lists the acts with consequences that one click must not
// take: each route's ConfirmFunc says what will happen, from a dry run of
// the same rules on the current data (nothing is written). Keys are
// "METHOD path" as in the route table.
func (s *Server) confirmations() map[string]ConfirmFunc {
	return map[string]ConfirmFunc{
		"POST /accreditation/windows/{id}/circulate": s.confirmCirculate,
		"POST /decisions/{id}/acts":                  s.confirmAct,
		"POST /decisions/{id}/positions":             s.confirmObjection,
		"POST /cofacilitators/sets":                  s.confirmSet,
	}
}

// minutes formats an instant for people, with its zone.
func minutes(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	return l.Format("2006-01-02 15:04") + " " + zoneLabel(l)
}

// confirmCirculate: "Circulate 98 applications to 195 States; the objection
// period ends on …".
func (s *Server) confirmCirculate(r *http.Request, p *Page) (*Confirmation, error) {
	ctx := r.Context()
	win, err := s.DB.AccreditationWindow(ctx, r.PathValue("id"))
	if err != nil {
		return nil, nil
	}
	pol, err := s.Accredit.PolicyFor(ctx, win)
	if err != nil {
		return nil, err
	}
	loc, err := s.Accredit.Location(ctx)
	if err != nil {
		return nil, err
	}
	apps, err := s.DB.ListApplications(ctx, store.ApplicationFilter{Window: win.ID})
	if err != nil {
		return nil, err
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return nil, err
	}
	n, err := accreditation.Circulate(pol, &win, apps, loc, p.User, s.DB.Now().UTC())
	if err != nil {
		return nil, nil // the handler shows why on the window's page
	}
	return &Confirmation{
		Heading: p.T("confirm.circulate.heading"),
		Lines: []string{p.T("confirm.circulate.what", "Count", n, "States", len(states), "Deadline", minutes(win.ObjectionDeadline, loc)),
			p.T("confirm.irreversible")},
		Button: p.T("confirm.circulate.button"),
		Back:   "/accreditation/windows/" + win.ID,
	}, nil
}

// dryDecision is the decision of the request's path and its outcome if
// change were applied now (nil, nil when the handler will refuse it).
func (s *Server) dryDecision(r *http.Request, change func(d *store.Decision, now time.Time) error) (*store.Decision, *decision.Result, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, nil, nil
	}
	d, err := s.DB.GetDecision(r.Context(), id)
	if err != nil {
		return nil, nil, nil
	}
	now := s.DB.Now().UTC()
	if err := change(&d, now); err != nil {
		return nil, nil, nil
	}
	res, err := decision.Decide(d.Policy, d.Facts, now)
	if err != nil {
		return nil, nil, nil
	}
	return &d, &res, nil
}

// confirmAct: the Chair's "decide" ends a decision with the outcome it
// would have now; deferring needs no confirmation.
func (s *Server) confirmAct(r *http.Request, p *Page) (*Confirmation, error) {
	if r.PostForm.Get("kind") != string(decision.ActDecide) {
		return nil, nil
	}
	d, res, err := s.dryDecision(r, func(d *store.Decision, now time.Time) error {
		_, err := d.Facts.SubmitAct(d.Policy, decision.Act{Kind: decision.ActDecide, Formal: r.PostForm.Get("formal") == "on"}, now)
		return err
	})
	if d == nil || err != nil {
		return nil, err
	}
	return &Confirmation{
		Heading: p.T("confirm.decide.heading"),
		Lines: []string{p.T("confirm.decide.what", "Title", p.L(d.Title).Text, "Outcome", p.T("outcome."+string(res.Outcome))),
			p.T("confirm.irreversible")},
		Button: p.T("confirm.decide.button"),
		Back:   "/decisions/" + strconv.FormatInt(d.ID, 10),
	}, nil
}

// confirmObjection: an objection blocks consensus, and under a silence
// procedure breaks the silence.
func (s *Server) confirmObjection(r *http.Request, p *Page) (*Confirmation, error) {
	if r.PostForm.Get("kind") != string(decision.PositionObjection) {
		return nil, nil
	}
	actor := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("actor")))
	if strings.HasPrefix(strings.ToLower(actor), "group-") {
		actor = strings.ToLower(actor)
	}
	if actor == "" && p.User != nil {
		actor = p.User.State
	}
	d, res, err := s.dryDecision(r, func(d *store.Decision, now time.Time) error {
		_, err := d.Facts.SubmitPosition(d.Policy, decision.Position{Actor: actor, Kind: decision.PositionObjection}, now)
		return err
	})
	if d == nil || err != nil {
		return nil, err
	}
	title := p.L(d.Title).Text
	lines := []string{p.T("confirm.object.what", "Title", title, "Outcome", p.T("outcome."+string(res.Outcome)))}
	if d.Policy.Modality == decision.ModalityChairProposalSilence {
		lines = append([]string{p.T("confirm.object.silence", "Title", title)}, lines...)
	}
	return &Confirmation{
		Heading: p.T("confirm.object.heading"),
		Lines:   lines,
		Button:  p.T("confirm.object.button"),
		Back:    "/decisions/" + strconv.FormatInt(d.ID, 10),
	}, nil
}

// confirmSet: proposing a set of co-facilitators opens the appointment
// decision under the rule in force.
func (s *Server) confirmSet(r *http.Request, p *Page) (*Confirmation, error) {
	ctx := r.Context()
	dtg, ok := concord.DTGByCode(strings.TrimSpace(r.PostForm.Get("dtg")))
	if !ok || len(r.PostForm["nomination"]) == 0 {
		return nil, nil
	}
	noms, err := store.Records[cofacilitator.Nomination](s.DB.Read(ctx), concord.DefaultProcessCode, decide.KindCoFacNominee, "")
	if err != nil {
		return nil, err
	}
	var names []string
	term := ""
	for _, v := range r.PostForm["nomination"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		i := slices.IndexFunc(noms, func(n store.Record[cofacilitator.Nomination]) bool { return n.ID == id })
		if i < 0 {
			return nil, nil
		}
		n := noms[i].Doc
		names = append(names, n.Person+" ("+n.State+")")
		term = n.Term
	}
	rule, err := s.Decide.RuleAt(ctx, cofacilitator.RuleCode, s.DB.Now())
	policy, ok := rule.Policy.(*cofacilitator.Policy)
	if err != nil || !ok {
		return nil, err
	}
	pol := policy.Decision()
	lines := []string{p.T("confirm.set.what", "Pair", strings.Join(names, "; "), "DTG", p.L(dtg.Names).Text, "Term", term,
		"Modality", p.T("modality."+string(pol.Modality)))}
	if pol.Period > 0 {
		lines = append(lines, p.T("confirm.set.deadline", "Deadline", minutes(s.DB.Now().Add(pol.Period), nil)))
	}
	return &Confirmation{
		Heading: p.T("confirm.set.heading"),
		Lines:   lines,
		Button:  p.T("confirm.set.button"),
		Back:    "/cofacilitators/" + dtg.Code,
	}, nil
}
