package api

import (
	"concord/decision"
	"concord/topic"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/decide"
	"concord/internal/store"
)

// The API twin of the DTG topic pages: rounds, suggestions, the preference
// survey and its tally, and the Chair's proposal (which opens a decision
// that positions and acts then reach through /decisions/{id}).

func (a *API) topicRoutes() []Route {
	return []Route{
		{"GET", "/topics", concord.ActRead, nil, "/topics", a.listTopicRounds},
		{"POST", "/topics", concord.ActProposeDecision, nil, "/topics", a.openTopicRound},
		{"GET", "/topics/{id}", concord.ActRead, nil, "/topics/1", a.getTopicRound},
		{"POST", "/topics/{id}/suggestions", concord.ActNominate, nil, "/topics/1/suggestions", a.suggestTopic},
		{"POST", "/topics/{id}/survey", concord.ActProposeDecision, nil, "/topics/1/survey", a.openTopicSurvey},
		{"POST", "/topics/{id}/ballots", concord.ActTakePosition, nil, "/topics/1/ballots", a.submitTopicBallot},
		{"GET", "/topics/{id}/tally", concord.ActRead, nil, "/topics/1/tally", a.topicTally},
		{"POST", "/topics/{id}/proposal", concord.ActProposeDecision, nil, "/topics/1/proposal", a.proposeTopics},
	}
}

// TopicRoundJSON is a topic round: its rule, suggestions, the survey's
// state (never the individual ballots, except the caller's own State's),
// the Chair's proposals and the outcome of the latest.
type TopicRoundJSON struct {
	ID          int64                     `json:"id"`
	DTG         string                    `json:"dtg"`
	Term        string                    `json:"term"`
	Phase       topic.Phase               `json:"phase"`
	Rule        TopicPolicyJSON           `json:"rule"`
	Opened      time.Time                 `json:"opened"`
	Suggestions []TopicSuggestionJSON     `json:"suggestions"`
	Survey      *TopicSurveyJSON          `json:"survey"`
	Proposals   []TopicProposalRecordJSON `json:"proposals"`
	DecisionID  *int64                    `json:"decision_id"`
	Outcome     *decision.OutcomeKind     `json:"outcome"`   // null before a proposal
	MyBallot    *TopicBallotJSON          `json:"my_ballot"` // null but for a delegate whose State answered
}

// TopicSuggestionJSON is a suggested topic.
type TopicSuggestionJSON struct {
	ID    string       `json:"id"`
	Title concord.Text `json:"title"`
	By    string       `json:"by"` // the suggesting State's ISO3, or "chair"
	DTG   string       `json:"dtg"`
	At    time.Time    `json:"at"`
}

// TopicProposalRecordJSON is one proposal of topics by the Chair; advice
// is the survey's advice when it was made, null without a survey.
type TopicProposalRecordJSON struct {
	Topics     []string  `json:"topics"`
	At         time.Time `json:"at"`
	DecisionID int64     `json:"decision_id"`
	Advice     []string  `json:"advice"`
}

func topicSuggestionJSON(sg topic.Suggestion) TopicSuggestionJSON {
	return TopicSuggestionJSON{ID: sg.ID, Title: text(sg.Title), By: sg.By, DTG: sg.DTG, At: sg.At.UTC()}
}

func topicProposalRecordJSON(p topic.Proposal) TopicProposalRecordJSON {
	return TopicProposalRecordJSON{Topics: strs(p.Topics), At: p.At.UTC(), DecisionID: p.DecisionID, Advice: p.Advice}
}

// TopicSurveyJSON is the survey's state without its ballots.
type TopicSurveyJSON struct {
	Opened       time.Time `json:"opened"`
	Deadline     time.Time `json:"deadline"`
	Open         bool      `json:"open"`
	Participants int       `json:"participants"`
	Respondents  int       `json:"respondents"` // States with a ballot
}

func (a *API) topicRoundJSON(r *http.Request, rec store.Record[topic.Round]) (TopicRoundJSON, error) {
	var d *store.Decision
	if rec.DecisionID != 0 {
		x, err := a.DB.GetDecision(r.Context(), rec.DecisionID)
		if err != nil {
			return TopicRoundJSON{}, err
		}
		d = &x
	}
	return a.topicRoundWith(r, rec, d)
}

// topicRoundWith builds the round's JSON with the decision on its latest
// proposal (nil when none).
func (a *API) topicRoundWith(r *http.Request, rec store.Record[topic.Round], d *store.Decision) (TopicRoundJSON, error) {
	now := a.DB.Now()
	doc := rec.Doc
	out := TopicRoundJSON{ID: rec.ID, DTG: doc.DTG, Term: doc.Term, Phase: doc.Phase(now), Rule: topicPolicyJSON(doc.Rule), Opened: doc.Opened.UTC(),
		Suggestions: conv(doc.Suggestions, topicSuggestionJSON), Proposals: conv(doc.Proposals, topicProposalRecordJSON)}
	if sv := doc.Survey; sv != nil {
		seen := map[string]bool{}
		for _, b := range sv.Ballots {
			seen[b.State] = true
		}
		out.Survey = &TopicSurveyJSON{Opened: sv.Opened.UTC(), Deadline: sv.Deadline.UTC(), Open: now.Before(sv.Deadline), Participants: len(sv.Participants), Respondents: len(seen)}
	}
	if d != nil {
		id := d.ID
		out.DecisionID = &id
		res, err := a.Decide.Result(*d)
		if err != nil {
			return out, err
		}
		out.Outcome = &res.Outcome
	}
	if u := auth.UserFrom(r.Context()); u != nil && u.Role == concord.RoleDelegate {
		if b, ok := doc.LatestBallot(u.State); ok {
			mb := topicBallotJSON(b)
			out.MyBallot = &mb
		}
	}
	return out, nil
}

func (a *API) listTopicRounds(r *http.Request) (int, any, error) {
	dtg := r.URL.Query().Get("dtg")
	if dtg != "" && !concord.IsDTG(dtg) {
		return 0, nil, concord.Errorf(concord.EInvalid, "dtg", "topics.error.dtg", "unknown DTG %q", dtg)
	}
	recs, err := a.Decide.TopicRounds(r.Context(), dtg)
	if err != nil {
		return 0, nil, err
	}
	// One query for the rounds' decisions, not one per round.
	byID, err := store.DecisionsFor(r.Context(), a.DB, recs)
	if err != nil {
		return 0, nil, err
	}
	out := List[TopicRoundJSON]{Items: []TopicRoundJSON{}, Total: len(recs), Limit: len(recs)}
	for _, rec := range recs {
		var d *store.Decision
		if x, ok := byID[rec.DecisionID]; ok {
			d = &x
		}
		j, err := a.topicRoundWith(r, rec, d)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// TopicRoundRequest opens a round.
type TopicRoundRequest struct {
	DTG  string `json:"dtg"`
	Term string `json:"term"`
}

func (a *API) openTopicRound(r *http.Request) (int, any, error) {
	var in TopicRoundRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	rec, err := a.Decide.OpenTopicRound(r.Context(), auth.UserFrom(r.Context()), decide.TopicRoundInput{DTG: in.DTG, Term: in.Term})
	if err != nil {
		return 0, nil, err
	}
	j, err := a.topicRoundJSON(r, rec)
	return http.StatusCreated, j, err
}

func (a *API) topicRound(r *http.Request) (store.Record[topic.Round], error) {
	id, err := pathID(r)
	if err != nil {
		return store.Record[topic.Round]{}, err
	}
	return a.Decide.TopicRound(r.Context(), id)
}

func (a *API) getTopicRound(r *http.Request) (int, any, error) {
	rec, err := a.topicRound(r)
	if err != nil {
		return 0, nil, err
	}
	j, err := a.topicRoundJSON(r, rec)
	return http.StatusOK, j, err
}

// TopicSuggestionRequest suggests a topic: by is the State's ISO3 or
// "chair" (a delegate's own State, or the Chair's own name, by default).
type TopicSuggestionRequest struct {
	By    string            `json:"by"`
	Title map[string]string `json:"title"`
}

func (a *API) suggestTopic(r *http.Request) (int, any, error) {
	var in TopicSuggestionRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := a.Decide.SuggestTopic(r.Context(), auth.UserFrom(r.Context()), id, decide.TopicSuggestionInput{By: in.By, Title: in.Title})
	if err != nil {
		return 0, nil, err
	}
	j, err := a.topicRoundJSON(r, rec)
	return http.StatusCreated, j, err
}

// TopicSurveyRequest opens the survey; without a deadline it runs for the
// rule's period.
type TopicSurveyRequest struct {
	Deadline string `json:"deadline"` // RFC 3339
}

func (a *API) openTopicSurvey(r *http.Request) (int, any, error) {
	var in TopicSurveyRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	var deadline time.Time
	if s := strings.TrimSpace(in.Deadline); s != "" {
		if deadline, err = time.Parse(time.RFC3339, s); err != nil {
			return 0, nil, concord.Errorf(concord.EInvalid, "deadline", "topics.error.deadline_format", "the deadline must be an RFC 3339 time")
		}
	}
	rec, err := a.Decide.OpenTopicSurvey(r.Context(), auth.UserFrom(r.Context()), id, deadline)
	if err != nil {
		return 0, nil, err
	}
	j, err := a.topicRoundJSON(r, rec)
	return http.StatusCreated, j, err
}

// TopicBallotRequest is a State's answer: ranking (topic IDs, best first)
// or scores (topic ID -> 0..max), as the round's rule asks.
type TopicBallotRequest struct {
	State   string         `json:"state"`
	Ranking []string       `json:"ranking"`
	Scores  map[string]int `json:"scores"`
}

func (a *API) submitTopicBallot(r *http.Request) (int, any, error) {
	var in TopicBallotRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	_, b, err := a.Decide.SubmitTopicBallot(r.Context(), auth.UserFrom(r.Context()), id, decide.TopicBallotInput{State: in.State, Ranking: in.Ranking, Scores: in.Scores})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, topicBallotJSON(b), nil
}

// TopicBallotJSON is a State's ballot as the API shows it.
type TopicBallotJSON struct {
	State   string         `json:"state"`
	Ranking []string       `json:"ranking"`
	Scores  map[string]int `json:"scores"`
	At      time.Time      `json:"at"`
	Seq     int64          `json:"seq"`
}

// topicBallotJSON converts the domain's ballot to its API form.
func topicBallotJSON(b topic.Ballot) TopicBallotJSON {
	return TopicBallotJSON{State: b.State, Ranking: b.Ranking, Scores: b.Scores, At: b.At.UTC(), Seq: b.Seq}
}

// TopicTallyJSON is the survey's tally: advisory, interim while the survey
// is open. Advice is what the Chair's proposal would be by the rule
// (following the equal-weight order when the rule weights by regional
// group, else the points); ignored counts ballots left out, by reason (the
// ballots themselves are not published).
type TopicTallyJSON struct {
	Round               int64           `json:"round"`
	Interim             bool            `json:"interim"`
	Follows             string          `json:"follows"`
	Advice              []string        `json:"advice"`
	WeightingChangesTop bool            `json:"weighting_changes_top"`
	Ignored             map[string]int  `json:"ignored"`
	Result              TopicResultJSON `json:"result"`
}

// TopicResultJSON is the engine's tally of the survey (its ballots left
// out: ignored above counts those left out of it).
type TopicResultJSON struct {
	Open       bool               `json:"open"` // the deadline has not passed: interim figures
	Deadline   time.Time          `json:"deadline"`
	Topics     []TopicScoreJSON   `json:"topics"` // in suggestion order
	ByPoints   []string           `json:"by_points"`
	ByWeighted []string           `json:"by_weighted"`
	Groups     []TopicTurnoutJSON `json:"groups"`
	Counted    int                `json:"counted"`
	Reasons    []ReasonJSON       `json:"reasons"`
}

// TopicScoreJSON is one topic's result; groups is each responding
// regional group's share of its own points that went to the topic.
type TopicScoreJSON struct {
	Topic        string             `json:"topic"`
	Points       int                `json:"points"`
	Respondents  int                `json:"respondents"`
	Share        float64            `json:"share"`
	Weighted     float64            `json:"weighted"`
	PointsRank   int                `json:"points_rank"`
	WeightedRank int                `json:"weighted_rank"`
	Groups       map[string]float64 `json:"groups"`
}

// TopicTurnoutJSON is a regional group's participation in the survey.
type TopicTurnoutJSON struct {
	Group       string `json:"group"`
	Members     int    `json:"members"`
	Respondents int    `json:"respondents"`
	Points      int    `json:"points"`
}

func topicResultJSON(res topic.SurveyResult) TopicResultJSON {
	return TopicResultJSON{Open: res.Open, Deadline: res.Deadline.UTC(),
		Topics: conv(res.Topics, func(t topic.Tally) TopicScoreJSON {
			g := t.Groups
			if g == nil {
				g = map[string]float64{}
			}
			return TopicScoreJSON{Topic: t.Topic, Points: t.Points, Respondents: t.Respondents, Share: t.Share, Weighted: t.Weighted,
				PointsRank: t.PointsRank, WeightedRank: t.WeightedRank, Groups: g}
		}),
		ByPoints: strs(res.ByPoints), ByWeighted: strs(res.ByWeighted),
		Groups: conv(res.Groups, func(g topic.GroupTurnout) TopicTurnoutJSON {
			return TopicTurnoutJSON{Group: g.Group, Members: g.Members, Respondents: g.Respondents, Points: g.Points}
		}),
		Counted: res.Counted, Reasons: conv(res.Reasons, reasonJSON)}
}

func (a *API) topicTally(r *http.Request) (int, any, error) {
	rec, err := a.topicRound(r)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.Decide.TopicResults(r.Context(), rec.Doc)
	if err != nil {
		return 0, nil, err
	}
	out := TopicTallyJSON{Round: rec.ID, Interim: res.Open, Follows: "points", Advice: res.Proposal(rec.Doc.Rule),
		WeightingChangesTop: res.Counted > 0 && res.Top(true) != res.Top(false), Ignored: map[string]int{}}
	if rec.Doc.Rule.RegionalWeighting {
		out.Follows = "weighted"
	}
	if res.Counted == 0 {
		out.Advice = []string{}
	}
	for _, ig := range res.Ignored {
		out.Ignored[ig.Key]++
	}
	out.Result = topicResultJSON(res)
	return http.StatusOK, out, nil
}

// TopicProposalRequest is the Chair's choice of topics (suggestion IDs, in
// order, at most the rule's slots).
type TopicProposalRequest struct {
	Topics []string `json:"topics"`
}

// TopicProposalJSON is the round with the decision the proposal opened.
type TopicProposalJSON struct {
	Round    TopicRoundJSON `json:"round"`
	Decision DecisionJSON   `json:"decision"`
}

func (a *API) proposeTopics(r *http.Request) (int, any, error) {
	var in TopicProposalRequest
	id, err := idBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	rec, d, err := a.Decide.ProposeTopics(r.Context(), auth.UserFrom(r.Context()), id, in.Topics)
	if err != nil {
		return 0, nil, err
	}
	rj, err := a.topicRoundJSON(r, rec)
	if err != nil {
		return 0, nil, err
	}
	dj, err := a.decisionJSON(r, d)
	return http.StatusCreated, TopicProposalJSON{Round: rj, Decision: dj}, err
}
