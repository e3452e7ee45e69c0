package statements

import (
	"context"
	"slices"
	"strconv"
	"time"

	"concord"
	"concord/decision"
	"concord/internal/decide"
	"concord/internal/store"
	"concord/statement"
	"concord/topic"
)

// Positions on DTG topics (issue 12): a statement may carry a position on a
// topic of a topic round ("topic:3/t2", statement.TopicSubject), whatever
// item it was delivered on, and a topic's record across sessions adds what
// States said on the decisions that proposed it: a position on the Chair's
// proposal of a set of topics is a position on each topic of the set (the
// proposal is decided as one). Both go through decision.Standing, as an
// item's positions do, so a group's position applies to its members unless
// a member spoke for itself, and a withdrawn statement does not count.

// TopicRef names a topic: its round's record id and its suggestion id.
type TopicRef struct {
	Round int64
	ID    string
}

// String is the reference as subjects and URLs carry it: "3/t2".
func (t TopicRef) String() string { return strconv.FormatInt(t.Round, 10) + "/" + t.ID }

// Subject is the stance subject of a position on the topic.
func (t TopicRef) Subject() string { return statement.TopicSubject(t.Round, t.ID) }

// TopicInfo is what the pages show of a topic: its round's DTG and term,
// its title.
type TopicInfo struct {
	TopicRef
	DTG   string
	Term  string
	Title concord.Text
}

// TopicRegister is every State's position on one DTG topic across the
// sessions, with the source of each: a statement, or the decision that
// proposed the topic.
type TopicRegister struct {
	Topic  TopicInfo
	Record decision.Record
	// Statements are the statements the positions came from, by source
	// ("statement:12").
	Statements map[string]statement.Statement
	// Decisions are the ids of the decisions that proposed the topic.
	Decisions []int64
	Names     Names
}

// topicIndex is the process's topic rounds (few: one per DTG and term) and
// the decisions their proposals opened, read in two statements.
type topicIndex struct {
	rounds    map[int64]topic.Round
	order     []int64 // round ids, oldest first
	decisions map[int64]store.Decision
}

func (s *Service) loadTopics(r store.Reader) (topicIndex, error) {
	ix := topicIndex{rounds: map[int64]topic.Round{}}
	recs, err := store.Records[topic.Round](r, s.Process, decide.KindTopicRound, "")
	if err != nil {
		return ix, err
	}
	var ids []int64
	for _, rec := range recs {
		ix.rounds[rec.ID] = rec.Doc
		ix.order = append(ix.order, rec.ID)
		for _, p := range rec.Doc.Proposals {
			if p.DecisionID != 0 {
				ids = append(ids, p.DecisionID)
			}
		}
	}
	ix.decisions, err = r.DecisionsByID(ids)
	return ix, err
}

// info is the topic t names, ok false when its round or suggestion is
// unknown.
func (ix topicIndex) info(t TopicRef) (TopicInfo, bool) {
	rd, ok := ix.rounds[t.Round]
	if !ok {
		return TopicInfo{}, false
	}
	sug, ok := rd.Suggestion(t.ID)
	return TopicInfo{TopicRef: t, DTG: rd.DTG, Term: rd.Term, Title: sug.Title}, ok
}

// decisionPositions are the positions taken on the decisions that proposed
// t, each sourced to its statement or, taken on the decision's page, to the
// decision ("decision:7"); and those decisions' ids.
func (ix topicIndex) decisionPositions(t TopicRef) ([]decision.Position, []int64) {
	var out []decision.Position
	var ids []int64
	for _, p := range ix.rounds[t.Round].Proposals {
		d, ok := ix.decisions[p.DecisionID]
		if !ok || !slices.Contains(p.Topics, t.ID) || slices.Contains(ids, d.ID) {
			continue
		}
		ids = append(ids, d.ID)
		for _, pos := range d.Facts.Positions {
			if pos.Source == "" {
				pos.Source = statement.DecisionSubject(d.ID)
			}
			out = append(out, pos)
		}
	}
	return out, ids
}

// topicStandings builds the record of every topic the live statements of
// list carry positions on, with the positions of the decisions that
// proposed it (only when withDecisions), at now. It returns the records by
// topic and the statements by source.
func (sc positionScope) topicStandings(ix topicIndex, list []statement.Statement, withDecisions bool, now time.Time) (map[TopicRef]decision.Record, map[string]statement.Statement) {
	byTopic := map[TopicRef][]decision.Position{}
	src := map[string]statement.Statement{}
	for _, st := range list {
		if !st.Live() {
			continue
		}
		for _, x := range st.Stances {
			round, id := x.Topic()
			if round == 0 {
				continue
			}
			p := x.Position
			if p.Source == "" {
				p.Source = statement.Source(st.ID)
			}
			src[statement.Source(st.ID)] = st
			t := TopicRef{round, id}
			byTopic[t] = append(byTopic[t], p)
		}
	}
	if withDecisions {
		for _, rid := range ix.order {
			for _, sug := range ix.rounds[rid].Suggestions {
				t := TopicRef{rid, sug.ID}
				if ps, _ := ix.decisionPositions(t); len(ps) > 0 {
					byTopic[t] = append(byTopic[t], ps...)
				}
			}
		}
	}
	out := make(map[TopicRef]decision.Record, len(byTopic))
	for t, ps := range byTopic {
		out[t] = decision.Standing(sc.parts.States, sc.parts.Groups, ps, now)
	}
	return out, src
}

// TopicRegister reads the positions register of topic t: a fixed number
// of statements (the topic rounds, their decisions, the participants, the
// statements carrying positions on the topic, the names).
func (s *Service) TopicRegister(ctx context.Context, t TopicRef) (TopicRegister, error) {
	r := s.DB.Read(ctx)
	out := TopicRegister{}
	ix, err := s.loadTopics(r)
	if err != nil {
		return out, err
	}
	info, ok := ix.info(t)
	if !ok {
		return out, concord.ErrNotFound
	}
	out.Topic = info
	sc, err := loadScope(r)
	if err != nil {
		return out, err
	}
	list, err := r.PositionStatements(store.PositionQuery{Process: s.Process, Topics: true, Topic: t.String()})
	if err != nil {
		return out, err
	}
	now := s.DB.Now()
	src := map[string]statement.Statement{}
	var ps []decision.Position
	for _, st := range list {
		for _, x := range st.Stances {
			if x.Subject == t.Subject() {
				p := x.Position
				p.Source = statement.Source(st.ID)
				ps = append(ps, p)
				src[p.Source] = st
			}
		}
	}
	dps, ids := ix.decisionPositions(t)
	out.Decisions = ids
	out.Record = decision.Standing(sc.parts.States, sc.parts.Groups, append(ps, dps...), now)
	out.Record.Silent = nil
	out.Statements = src
	out.Names, err = names(r, speakerCodes(out.Record))
	return out, err
}

// TopicPosition is a State's standing position on one topic, with the
// group it comes through and its source.
type TopicPosition struct {
	Topic TopicInfo
	Entry decision.Entry
}

// StateTopics reads a State's standing position on every DTG topic it or
// one of its groups took a position on, in the rounds' order: a fixed
// number of statements (the rounds, their decisions, the participants,
// the statements of the State and its groups carrying topic positions,
// the names of the groups), with the names of the groups the positions
// came through.
func (s *Service) StateTopics(ctx context.Context, iso3 string) ([]TopicPosition, Names, error) {
	r := s.DB.Read(ctx)
	ix, err := s.loadTopics(r)
	if err != nil || len(ix.rounds) == 0 {
		return nil, Names{}, err
	}
	sc, err := loadScope(r)
	if err != nil {
		return nil, nil, err
	}
	speakers := []string{iso3}
	for _, g := range sc.parts.Groups {
		if slices.Contains(g.Members, iso3) {
			speakers = append(speakers, g.Code)
		}
	}
	list, err := r.PositionStatements(store.PositionQuery{Process: s.Process, Topics: true, Speakers: speakers})
	if err != nil {
		return nil, nil, err
	}
	recs, _ := sc.topicStandings(ix, list, true, s.DB.Now())
	var out []TopicPosition
	var via []string
	for _, rid := range ix.order {
		for _, sug := range ix.rounds[rid].Suggestions {
			t := TopicRef{rid, sug.ID}
			rec, ok := recs[t]
			if !ok {
				continue
			}
			if e, ok := entryOf(rec, iso3); ok {
				info, _ := ix.info(t)
				out = append(out, TopicPosition{Topic: info, Entry: e})
				if e.Via != "" && !slices.Contains(via, e.Via) {
					via = append(via, e.Via)
				}
			}
		}
	}
	nm, err := names(r, via)
	return out, nm, err
}

// entryOf is State iso3's entry in a record's positions.
func entryOf(rec decision.Record, iso3 string) (decision.Entry, bool) {
	for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Objected, rec.Reserved, rec.Dissociated, rec.Abstained} {
		for _, e := range l {
			if e.State == iso3 {
				return e, true
			}
		}
	}
	return decision.Entry{}, false
}

// checkTopic is the Load step's check of a topic position: the reference
// well formed, its round one of the process's, the suggestion in it.
func (s *Service) checkTopic(r store.Reader, ref string) (TopicRef, error) {
	round, id, ok := statement.ParseTopic(ref)
	if !ok {
		return TopicRef{}, concord.Errorf(concord.EInvalid, "positions", "statement.error.topic", "no topic %q", ref)
	}
	rec, err := store.GetRecord[topic.Round](r, decide.KindTopicRound, round)
	if err != nil || rec.Process != s.Process {
		return TopicRef{}, concord.Errorf(concord.EInvalid, "positions", "statement.error.topic", "no topic %q", ref)
	}
	if _, ok := rec.Doc.Suggestion(id); !ok {
		return TopicRef{}, concord.Errorf(concord.EInvalid, "positions", "statement.error.topic", "no topic %q", ref)
	}
	return TopicRef{round, id}, nil
}
