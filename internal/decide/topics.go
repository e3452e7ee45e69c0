package decide

// DTG topics (domain brief §5 row 3, §7.6), the third application of the
// decision engine: a topic round per Dedicated Thematic Group and term, in
// which States and the Chair suggest topics; under the preference-survey
// rule the States then rank or score them (advisory, tallied per State and
// with equal weight per regional group); and the Chair proposes the topics,
// which opens a dtg_topics decision under the rule's modality. The pure
// rules are topic.Policy, TopicSurvey, TopicSurveyTally and
// TopicProposalText; this file keeps the facts in the store and checks who
// may do what, when.

import (
	"concord/decision"
	"concord/topic"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"concord"
	"concord/internal/apply"
	"concord/internal/store"
)

const (
	topicTermMax     = 9 // "2026-2027"
	topicAuditAction = "topics"
)

var topicTermRE = regexp.MustCompile(`^[0-9]{4}(-[0-9]{4})?$`)

// TopicRounds returns the process's topic rounds, oldest first; an empty
// dtg means every DTG.
func (s *Service) TopicRounds(ctx context.Context, dtg string) ([]store.Record[topic.Round], error) {
	return store.Records[topic.Round](s.DB.Read(ctx), s.Process, KindTopicRound, dtg)
}

// TopicRound returns one round.
func (s *Service) TopicRound(ctx context.Context, id int64) (store.Record[topic.Round], error) {
	r, err := s.topicRound(s.DB.Read(ctx), id)
	return r, err
}

// topicRound reads round id of the process through r.
func (s *Service) topicRound(r store.Reader, id int64) (store.Record[topic.Round], error) {
	rec, err := store.GetRecord[topic.Round](r, KindTopicRound, id)
	if err == nil && rec.Process != s.Process {
		return store.Record[topic.Round]{}, concord.ErrNotFound
	}
	return rec, err
}

// loadRound is the Load step of a write on round id.
func (s *Service) loadRound(id int64) func(store.Reader, time.Time) (store.Record[topic.Round], error) {
	return func(r store.Reader, _ time.Time) (store.Record[topic.Round], error) { return s.topicRound(r, id) }
}

// saveRound is the Save step of a write on a round, audited as topics.<what>.
func saveRound(what string, public bool) func(*store.Tx, *store.Record[topic.Round]) error {
	return func(tx *store.Tx, r *store.Record[topic.Round]) error {
		return store.SaveRecord(tx, r, topicAuditAction+"."+what, public)
	}
}

// TopicRoundInput opens a round.
type TopicRoundInput struct {
	DTG  string
	Term string // a year or two ("2026-2027")
}

// OpenTopicRound opens the topic round of a DTG for a term (Chair or
// Secretariat), under the version of the Topics rule in force now. One round
// per DTG and term.
func (s *Service) OpenTopicRound(ctx context.Context, u *concord.User, in TopicRoundInput) (store.Record[topic.Round], error) {
	var r store.Record[topic.Round]
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return r, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair or the Secretariat open a topic round")
	}
	dtg, term := strings.TrimSpace(in.DTG), strings.TrimSpace(in.Term)
	// Every problem of the input at once.
	var errs concord.Errors
	switch {
	case dtg == "":
		errs = append(errs, concord.Errorf(concord.EInvalid, "dtg", "error.required", "a DTG is required"))
	case !concord.IsDTG(dtg):
		errs = append(errs, concord.Errorf(concord.EInvalid, "dtg", "topics.error.dtg", "unknown DTG %q", dtg))
	}
	if term == "" {
		errs = append(errs, concord.Errorf(concord.EInvalid, "term", "error.required", "a term is required"))
	} else if len(term) > topicTermMax || !topicTermRE.MatchString(term) {
		errs = append(errs, concord.Errorf(concord.EInvalid, "term", "topics.error.term", "a term is a year or two years (2026-2027), not %q", term))
	} else if a, b, two := strings.Cut(term, "-"); two {
		y1, _ := strconv.Atoi(a)
		y2, _ := strconv.Atoi(b)
		if y2 != y1+1 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "term", "topics.error.term", "a two-year term runs over consecutive years, not %q", term))
		}
	}
	if err := errs.Err(); err != nil {
		return r, err
	}
	type opening struct {
		existing []store.Record[topic.Round] // the DTG's rounds
		policy   *topic.Policy
		r        store.Record[topic.Round]
	}
	o, err := apply.Write[opening]{Actor: u,
		Load: func(r store.Reader, now time.Time) (opening, error) {
			var o opening
			var err error
			if o.existing, err = store.Records[topic.Round](r, s.Process, KindTopicRound, dtg); err != nil {
				return o, err
			}
			_, o.policy, err = RuleInForce[*topic.Policy](r, s.Process, topic.RuleCode, now)
			return o, err
		},
		Change: func(o *opening, now time.Time) error {
			for _, e := range o.existing {
				if e.Doc.Term == term {
					return concord.Errorf(concord.EConflict, "term", "topics.error.round_exists", "%s already has a topic round for %s (round %d)", dtg, term, e.ID)
				}
			}
			o.r = store.Record[topic.Round]{Process: s.Process, Kind: KindTopicRound, Scope: dtg,
				Doc: topic.Round{DTG: dtg, Term: term, Rule: *o.policy, Opened: now}}
			return nil
		},
		Save: func(tx *store.Tx, o *opening) error { return saveRound("open", true)(tx, &o.r) }}.Run(ctx, s.DB)
	return o.r, err
}

// TopicSuggestionInput is a suggested topic.
type TopicSuggestionInput struct {
	// By is the suggesting State's ISO3, or decision.ActorChair.
	// A delegate suggests for its own State (the default); the Chair only
	// in its own name (the default); the Secretariat enters suggestions
	// received from any State or from the Chair and must say whose.
	By    string
	Title concord.Text
}

// SuggestTopic adds a suggestion to a round that is collecting them.
func (s *Service) SuggestTopic(ctx context.Context, u *concord.User, id int64, in TopicSuggestionInput) (store.Record[topic.Round], topic.Suggestion, error) {
	var r store.Record[topic.Round] // the zero round of a refusal
	var sug topic.Suggestion
	by := strings.TrimSpace(in.By)
	if strings.EqualFold(by, decision.ActorChair) {
		by = decision.ActorChair
	} else {
		by = strings.ToUpper(by)
	}
	if by == "" && u != nil {
		switch u.Role {
		case concord.RoleDelegate:
			by = u.State
		case concord.RoleChair:
			by = decision.ActorChair
		}
	}
	target := concord.Target{State: by}
	if by == decision.ActorChair {
		target.State = ""
	}
	if !concord.Can(u, concord.ActNominate, target) || (by == decision.ActorChair && u.Role == concord.RoleDelegate) {
		return r, sug, concord.Errorf(concord.EForbidden, "by", "error.forbidden", "a delegate suggests for its own State, the Chair in its own name")
	}
	if by == "" {
		return r, sug, concord.Errorf(concord.EInvalid, "by", "error.required", "say which State (or the Chair) suggests the topic")
	}
	if by != decision.ActorChair {
		if err := s.memberState(ctx, by, "by"); err != nil {
			return r, sug, err
		}
	}
	title := concord.Text{}
	for l, t := range in.Title {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			title[l] = t
		}
	}
	if len(title) == 0 {
		return r, sug, concord.Errorf(concord.EInvalid, "title", "error.required", "a title is required")
	}
	for l, t := range title {
		if !concord.IsLanguage(l) {
			return r, sug, concord.Errorf(concord.EInvalid, "title", "decision.error.language", "unknown language %q", l)
		}
		if utf8.RuneCountInString(t) > topic.TitleMax {
			return r, sug, concord.Errorf(concord.EInvalid, "title", "error.too_long", "a title is at most %d characters", topic.TitleMax)
		}
	}
	r, err := apply.Write[store.Record[topic.Round]]{Actor: u, Load: s.loadRound(id),
		Change: func(r *store.Record[topic.Round], now time.Time) error {
			if err := r.Doc.CanSuggest(title, now); err != nil {
				return err
			}
			sug = topic.Suggestion{ID: "t" + strconv.Itoa(len(r.Doc.Suggestions)+1), Title: title, By: by, DTG: r.Doc.DTG, At: now}
			if err := sug.Validate(); err != nil {
				return err
			}
			r.Doc.Suggestions = append(r.Doc.Suggestions, sug)
			return nil
		},
		Save: saveRound("suggest", true)}.Run(ctx, s.DB)
	return r, sug, err
}

// memberState refuses a suggestion by anything but a Member State, with one
// message for unknown codes and observers alike (CheckMember tells them
// apart).
func (s *Service) memberState(ctx context.Context, iso3, field string) error {
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	for _, st := range states {
		if st.ISO3 == iso3 && st.Status == "member" {
			return nil
		}
	}
	return concord.Errorf(concord.EInvalid, field, "topics.error.state", "%q is not a Member State", iso3)
}

// members lists the Member States' ISO3 codes, read through r.
func members(r store.Reader) ([]string, error) {
	states, err := r.States()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, st := range states {
		if st.Status == "member" {
			out = append(out, st.ISO3)
		}
	}
	return out, nil
}

// OpenTopicSurvey opens the preference survey of a round (Chair or
// Secretariat), when the round's rule selects by survey. The suggestions
// then close. A zero deadline means the rule's period from now.
func (s *Service) OpenTopicSurvey(ctx context.Context, u *concord.User, id int64, deadline time.Time) (store.Record[topic.Round], error) {
	var r store.Record[topic.Round]
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return r, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair or the Secretariat open the survey")
	}
	type opening struct {
		r       store.Record[topic.Round]
		members []string // who answers the survey: the Member States
	}
	o, err := apply.Write[opening]{Actor: u,
		Load: func(rd store.Reader, _ time.Time) (opening, error) {
			var o opening
			var err error
			if o.r, err = s.topicRound(rd, id); err != nil {
				return o, err
			}
			o.members, err = members(rd)
			return o, err
		},
		Change: func(o *opening, now time.Time) error {
			d, err := o.r.Doc.SurveyDeadline(deadline, now)
			if err != nil {
				return err
			}
			sv := topic.Survey{DTG: o.r.Doc.DTG, Suggestions: slices.Clone(o.r.Doc.Suggestions), Participants: o.members, Opened: now, Deadline: d}
			if err := sv.Validate(o.r.Doc.Rule); err != nil {
				return err
			}
			o.r.Doc.Survey = &sv
			return nil
		},
		Save: func(tx *store.Tx, o *opening) error { return saveRound("survey", true)(tx, &o.r) }}.Run(ctx, s.DB)
	return o.r, err
}

// TopicBallotInput is a State's answer to the survey: a ranking (best
// first) or scores, as the round's rule asks.
type TopicBallotInput struct {
	State   string // ISO3; a delegate's own State by default
	Ranking []string
	Scores  map[string]int
}

// SubmitTopicBallot records a State's ballot: a delegate for its own State,
// the Secretariat for any State (an answer received by note verbale). A
// later ballot of the same State replaces the earlier in the tally; a ballot
// at or after the deadline is refused. Individual ballots are not published:
// the audit entry is not public, and pages and the API show only the tally
// (and a delegate its own State's ballot).
func (s *Service) SubmitTopicBallot(ctx context.Context, u *concord.User, id int64, in TopicBallotInput) (store.Record[topic.Round], topic.Ballot, error) {
	var r store.Record[topic.Round]
	var b topic.Ballot
	state := strings.ToUpper(strings.TrimSpace(in.State))
	if state == "" && u != nil && u.Role == concord.RoleDelegate {
		state = u.State
	}
	if !concord.Can(u, concord.ActTakePosition, concord.Target{State: state}) {
		return r, b, concord.Errorf(concord.EForbidden, "state", "error.forbidden", "a delegate answers for its own State only")
	}
	// Every problem at once: what the request lacks, and what the survey
	// says of the rest (the write then fails and stores nothing).
	var missing concord.Errors
	if state == "" {
		missing = append(missing, concord.Errorf(concord.EInvalid, "state", "error.required", "say which State answers"))
	}
	if len(in.Ranking) == 0 && len(in.Scores) == 0 {
		missing = append(missing, concord.Errorf(concord.EInvalid, "ranking", "topics.error.empty_ballot", "rank or score at least one topic"))
	}
	r, err := apply.Write[store.Record[topic.Round]]{Actor: u, Load: s.loadRound(id),
		Change: func(r *store.Record[topic.Round], now time.Time) error {
			if err := r.Doc.CanBallot(); err != nil {
				return err
			}
			ballot := topic.Ballot{State: state, Ranking: in.Ranking, Scores: in.Scores}
			if len(missing) > 0 {
				errs := slices.Clone(missing)
				var more concord.Errors
				more.Add(r.Doc.Survey.CheckBallot(r.Doc.Rule, ballot, now))
				for _, e := range more {
					if state != "" || e.Field != "state" { // no State: said once
						errs = append(errs, e)
					}
				}
				return errs
			}
			var err error
			b, err = r.Doc.Survey.SubmitBallot(r.Doc.Rule, ballot, now)
			return err
		},
		Save: saveRound("ballot", false)}.Run(ctx, s.DB)
	return r, b, err
}

// TopicResults tallies the round's survey now: interim while it is open.
// It needs the States' regional groups for the equal-weight figures.
func (s *Service) TopicResults(ctx context.Context, r topic.Round) (topic.SurveyResult, error) {
	if r.Survey == nil {
		return topic.SurveyResult{}, concord.Errorf(concord.EConflict, "survey", "topics.error.no_survey_yet", "the round has no survey")
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return topic.SurveyResult{}, err
	}
	return s.TopicTally(r, states)
}

// TopicTally is TopicResults with the States (and so their regional
// groups) already read.
func (s *Service) TopicTally(r topic.Round, states []concord.State) (topic.SurveyResult, error) {
	if r.Survey == nil {
		return topic.SurveyResult{}, concord.Errorf(concord.EConflict, "survey", "topics.error.no_survey_yet", "the round has no survey")
	}
	return topicTally(r, states, s.DB.Now().UTC())
}

func topicTally(r topic.Round, states []concord.State, now time.Time) (topic.SurveyResult, error) {
	if r.Survey == nil {
		return topic.SurveyResult{}, concord.Errorf(concord.EConflict, "survey", "topics.error.no_survey_yet", "the round has no survey")
	}
	return topic.SurveyTally(r.Rule, *r.Survey, decision.GroupOf(states, now), now)
}

// TopicAdvice is the survey's advice for the Chair's proposal (nil without a
// survey, or while it is open).
func (s *Service) TopicAdvice(ctx context.Context, r topic.Round) ([]string, error) {
	if r.Survey == nil || r.Phase(s.DB.Now()) == topic.PhaseSurvey {
		return nil, nil
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return nil, err
	}
	return topicAdvice(r, states, s.DB.Now())
}

// topicAdvice is the survey's advice at now, with the States read.
func topicAdvice(r topic.Round, states []concord.State, now time.Time) ([]string, error) {
	if r.Survey == nil || r.Phase(now) == topic.PhaseSurvey {
		return nil, nil
	}
	res, err := topicTally(r, states, now.UTC())
	if err != nil || res.Counted == 0 {
		return nil, err
	}
	return res.Proposal(r.Rule), nil
}

// topicTitleFormats name a topic decision in each language: DTG code, term.
var topicTitleFormats = map[string]string{
	"en": "Topics of %s for %s",
	"fr": "Thèmes du %s pour %s",
	"es": "Temas del %s para %s",
	"ru": "Темы %s на %s",
	"zh": "%s %s 议题",
	"ar": "مواضيع %s للفترة %s",
}

func topicDecisionTitle(dtg, term string) concord.Text {
	t := concord.Text{}
	for l, f := range topicTitleFormats {
		t[l] = strings.Replace(strings.Replace(f, "%s", dtg, 1), "%s", term, 1)
	}
	return t
}

// ProposeTopics records the Chair's proposal of topics (Chair or
// Secretariat) and opens the dtg_topics decision on it, under the
// modality the round's rule gives (TopicPolicy.Decision). Under the survey
// rule the survey must have run and closed; its advice is kept with the
// proposal. A new proposal is allowed only when the previous one ended
// without adoption.
func (s *Service) ProposeTopics(ctx context.Context, u *concord.User, id int64, topics []string) (store.Record[topic.Round], store.Decision, error) {
	var r store.Record[topic.Round]
	var d store.Decision
	if !concord.Can(u, concord.ActProposeDecision, concord.Target{}) {
		return r, d, concord.Errorf(concord.EForbidden, "", "error.forbidden", "only the Chair (or the Secretariat for the Chair) proposes topics")
	}
	type proposing struct {
		r      store.Record[topic.Round]
		prev   *store.Decision // the decision on the latest proposal
		states []concord.State // for the survey's advice
		parts  Participants
		advice []string
		d      store.Decision
	}
	out, err := apply.Write[proposing]{Actor: u,
		Load: func(rd store.Reader, _ time.Time) (proposing, error) {
			var x proposing
			var err error
			if x.r, err = s.topicRound(rd, id); err != nil {
				return x, err
			}
			if p, ok := x.r.Doc.Proposal(); ok {
				d, err := rd.Decision(p.DecisionID)
				if err != nil {
					return x, err
				}
				x.prev = &d
			}
			if x.states, err = rd.States(); err != nil {
				return x, err
			}
			x.parts, err = LoadParticipants(rd)
			return x, err
		},
		Change: func(x *proposing, now time.Time) error {
			// A concurrent proposal wins once: the previous one is read in
			// the same transaction.
			if err := s.TopicProposable(x.r.Doc, x.prev, now); err != nil {
				return err
			}
			if err := x.r.Doc.CheckChoice(topics); err != nil {
				return err
			}
			var err error
			x.advice, err = topicAdvice(x.r.Doc, x.states, now)
			return err
		},
		Save: func(tx *store.Tx, x *proposing) error {
			var err error
			x.d, err = Propose(tx, x.parts, s.Process, Proposal{Kind: decision.KindDTGTopics, Title: topicDecisionTitle(x.r.Doc.DTG, x.r.Doc.Term),
				Proposal: topic.ProposalText(x.r.Doc.Suggestions, topics), Policy: x.r.Doc.Rule.Decision(),
				ProposedBy: decision.ActorChair, Subject: SubjectOf(KindTopicRound, id)})
			if err != nil {
				return err
			}
			x.r.Doc.Proposals = append(x.r.Doc.Proposals, topic.Proposal{Topics: slices.Clone(topics), At: tx.Now, DecisionID: x.d.ID, Advice: x.advice})
			x.r.DecisionID = x.d.ID
			return saveRound("propose", true)(tx, &x.r)
		}}.Run(ctx, s.DB)
	return out.r, out.d, err
}

// TopicProposable reports (nil) whether the round may receive a proposal
// at now, given the decision on its latest proposal (nil when none); the
// rule is TopicRound.Proposable.
func (s *Service) TopicProposable(r topic.Round, prev *store.Decision, now time.Time) error {
	if prev == nil {
		return r.Proposable(0, nil, now)
	}
	res, err := decision.Decide(prev.Policy, prev.Facts, now)
	if err != nil {
		return err
	}
	return r.Proposable(prev.ID, &res, now)
}
