package api

import (
	"time"

	"concord"
	"concord/decision"
)

// The API form of the decision engine's types: snake_case names, times in
// UTC, null for a time that is not set and durations in whole seconds. The
// domain types carry no JSON tags; these convert them at the boundary.

// FactsJSON is what a decision is about and what was said in it.
type FactsJSON struct {
	Kind         decision.Kind       `json:"kind"`
	Subject      string              `json:"subject"`
	Proposal     concord.Text        `json:"proposal"`
	ProposedBy   string              `json:"proposed_by"`
	ProposedAt   *time.Time          `json:"proposed_at"`
	Deadline     *time.Time          `json:"deadline"`
	Participants []string            `json:"participants"`
	Groups       []DecisionGroupJSON `json:"groups"`
	Positions    []PositionJSON      `json:"positions"`
	Acts         []ActJSON           `json:"acts"`
}

// DecisionGroupJSON is a group of States that may take a position as such.
type DecisionGroupJSON struct {
	Code    string       `json:"code"`
	Names   concord.Text `json:"names"`
	Members []string     `json:"members"`
}

// PositionJSON is one position a State or group took.
type PositionJSON struct {
	Actor      string                `json:"actor"`
	Kind       decision.PositionKind `json:"kind"`
	Text       string                `json:"text"`
	Lang       string                `json:"lang"`
	Paragraphs []string              `json:"paragraphs"`
	At         time.Time             `json:"at"`
	Seq        int64                 `json:"seq"`
	// Source is where it was taken when not on the decision page: a
	// statement ("statement:12"); absent otherwise.
	Source *string `json:"source,omitempty"`
}

// ActJSON is one act of the Chair.
type ActJSON struct {
	Kind   decision.ActKind `json:"kind"`
	At     time.Time        `json:"at"`
	Seq    int64            `json:"seq"`
	Formal bool             `json:"formal"`
	Text   concord.Text     `json:"text"`
}

// DecisionPolicyJSON is the modality and settings a decision runs under.
type DecisionPolicyJSON struct {
	Code                      string               `json:"code"`
	Version                   int                  `json:"version"`
	Effective                 *time.Time           `json:"effective"`
	Modality                  decision.Modality    `json:"modality"`
	PeriodSeconds             int64                `json:"period_seconds"`
	NoConsensus               decision.OutcomeKind `json:"no_consensus"`
	ProceedInformally         bool                 `json:"proceed_informally"`
	SilenceWithdrawalRestores bool                 `json:"silence_withdrawal_restores"`
	AdoptOnProposal           bool                 `json:"adopt_on_proposal"`
	LateExplanations          bool                 `json:"late_explanations"`
}

// ResultJSON is what the engine makes of the facts under the policy.
type ResultJSON struct {
	Outcome           decision.OutcomeKind `json:"outcome"`
	DecidedAt         *time.Time           `json:"decided_at"`
	Deadline          *time.Time           `json:"deadline"`
	ProceedInformally bool                 `json:"proceed_informally"`
	Reasons           []ReasonJSON         `json:"reasons"`
	Next              []NextJSON           `json:"next"`
	Record            RecordJSON           `json:"record"`
	History           []DecisionEventJSON  `json:"history"`
}

// ReasonJSON is a message key with its arguments.
type ReasonJSON struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args"`
}

// NextJSON is one thing an actor may still do; until is null when the
// engine sets no limit.
type NextJSON struct {
	Actor  string            `json:"actor"`
	Action decision.Action   `json:"action"`
	Until  *time.Time        `json:"until"`
	Key    string            `json:"key"`
	Args   map[string]string `json:"args"`
}

// RecordJSON is the record of agreement and divergence.
type RecordJSON struct {
	Supported    []EntryJSON `json:"supported"`
	NoObjection  []EntryJSON `json:"no_objection"`
	Objected     []EntryJSON `json:"objected"`
	Reserved     []EntryJSON `json:"reserved"`
	Dissociated  []EntryJSON `json:"dissociated"`
	Abstained    []EntryJSON `json:"abstained"`
	Explanations []EntryJSON `json:"explanations"`
	Groups       []EntryJSON `json:"groups"`
	Silent       []string    `json:"silent"`
}

// EntryJSON is one line of the record.
type EntryJSON struct {
	State      string                `json:"state"`
	IsGroup    bool                  `json:"is_group"`
	Via        string                `json:"via"`
	Kind       decision.PositionKind `json:"kind"`
	Text       string                `json:"text"`
	Lang       string                `json:"lang"`
	Paragraphs []string              `json:"paragraphs"`
	At         time.Time             `json:"at"`
	Seq        int64                 `json:"seq"`
}

// DecisionEventJSON is what became of one position.
type DecisionEventJSON struct {
	Position PositionJSON         `json:"position"`
	Status   decision.EventStatus `json:"status"`
	Key      string               `json:"key"`
}

// conv maps f over a list, giving [] (not null) for an empty one.
func conv[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

// text gives {} for a text in no language.
func text(t concord.Text) concord.Text {
	if t == nil {
		return concord.Text{}
	}
	return t
}

// strs gives [] for a nil list.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func factsJSON(f decision.Facts) FactsJSON {
	return FactsJSON{Kind: f.Kind, Subject: f.Subject, Proposal: text(f.Proposal), ProposedBy: f.ProposedBy,
		ProposedAt: timeOrNull(f.ProposedAt), Deadline: timeOrNull(f.Deadline), Participants: strs(f.Participants),
		Groups: conv(f.Groups, func(g decision.Group) DecisionGroupJSON {
			return DecisionGroupJSON{Code: g.Code, Names: text(g.Names), Members: strs(g.Members)}
		}),
		Positions: conv(f.Positions, positionJSON),
		Acts: conv(f.Acts, func(a decision.Act) ActJSON {
			return ActJSON{Kind: a.Kind, At: a.At.UTC(), Seq: a.Seq, Formal: a.Formal, Text: text(a.Text)}
		})}
}

func positionJSON(p decision.Position) PositionJSON {
	return PositionJSON{Actor: p.Actor, Kind: p.Kind, Text: p.Text, Lang: p.Lang, Paragraphs: strs(p.Paragraphs), At: p.At.UTC(), Seq: p.Seq, Source: orNull(p.Source)}
}

func decisionPolicyJSON(p decision.Policy) DecisionPolicyJSON {
	return DecisionPolicyJSON{Code: p.Code, Version: p.Version, Effective: timeOrNull(p.Effective), Modality: p.Modality,
		PeriodSeconds: int64(p.Period / time.Second), NoConsensus: p.NoConsensus, ProceedInformally: p.ProceedInformally,
		SilenceWithdrawalRestores: p.SilenceWithdrawalRestores, AdoptOnProposal: p.AdoptOnProposal, LateExplanations: p.LateExplanations}
}

func reasonJSON(r decision.Reason) ReasonJSON {
	args := r.Args
	if args == nil {
		args = map[string]string{}
	}
	return ReasonJSON{Key: r.Key, Args: args}
}

func entryJSON(e decision.Entry) EntryJSON {
	return EntryJSON{State: e.State, IsGroup: e.IsGroup, Via: e.Via, Kind: e.Kind, Text: e.Text, Lang: e.Lang,
		Paragraphs: strs(e.Paragraphs), At: e.At.UTC(), Seq: e.Seq}
}

func resultJSON(r decision.Result) ResultJSON {
	rec := r.Record
	return ResultJSON{Outcome: r.Outcome, DecidedAt: timeOrNull(r.DecidedAt), Deadline: timeOrNull(r.Deadline),
		ProceedInformally: r.ProceedInformally, Reasons: conv(r.Reasons, reasonJSON),
		Next: conv(r.Next, func(n decision.Next) NextJSON {
			args := n.Args
			if args == nil {
				args = map[string]string{}
			}
			return NextJSON{Actor: n.Actor, Action: n.Action, Until: timeOrNull(n.Until), Key: n.Key, Args: args}
		}),
		Record: RecordJSON{Supported: conv(rec.Supported, entryJSON), NoObjection: conv(rec.NoObjection, entryJSON),
			Objected: conv(rec.Objected, entryJSON), Reserved: conv(rec.Reserved, entryJSON),
			Dissociated: conv(rec.Dissociated, entryJSON), Abstained: conv(rec.Abstained, entryJSON),
			Explanations: conv(rec.Explanations, entryJSON), Groups: conv(rec.Groups, entryJSON), Silent: strs(rec.Silent)},
		History: conv(r.History, func(e decision.Event) DecisionEventJSON {
			return DecisionEventJSON{Position: positionJSON(e.Position), Status: e.Status, Key: e.Key}
		})}
}

// resultOrNull converts an optional result.
func resultOrNull(r *decision.Result) *ResultJSON {
	if r == nil {
		return nil
	}
	j := resultJSON(*r)
	return &j
}
