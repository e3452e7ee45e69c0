package concord

// Agendas (domain brief §7.3, §5 row 10): versioned provisional agendas in six
// languages, a diff between versions, and adoption as a decision whose
// failure may let the meeting proceed informally.

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// AgendaItem is one item of an agenda.
type AgendaItem struct {
	ID     string // stable across versions; Number is used when empty
	Number string // as printed: "5", "5 (a)"
	Title  Text
}

// key identifies the item across versions.
func (it AgendaItem) key() string {
	if it.ID != "" {
		return it.ID
	}
	return it.Number
}

// Agenda is one version of a (provisional) agenda.
type Agenda struct {
	Session string // session code, e.g. "GM-2026-1"
	Version int    // 1, 2, ...
	Issued  time.Time
	Items   []AgendaItem
	// Rule is the version of the agenda rule the version was put to
	// adoption under (0 until then), so that a later rule never rewrites
	// what happened to it.
	Rule int `json:",omitempty"`
}

// Label is the version's display label ("v2").
func (a Agenda) Label() string { return "v" + strconv.Itoa(a.Version) }

// Validate checks the agenda: a version, items with numbers, unique keys,
// titles in known languages.
func (a Agenda) Validate() error {
	if a.Version < 1 {
		return Errorf(EInvalid, "version", "agenda.error.version", "agenda versions start at 1")
	}
	if len(a.Items) == 0 {
		return Errorf(EInvalid, "items", "agenda.error.items", "an agenda needs at least one item")
	}
	seen := map[string]bool{}
	for i, it := range a.Items {
		f := "items[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(it.Number) == "" {
			return Errorf(EInvalid, f+".number", "agenda.error.number", "an item needs a number")
		}
		if seen[it.key()] {
			return Errorf(EInvalid, f+".id", "agenda.error.duplicate_item", "item %q appears twice", it.key())
		}
		seen[it.key()] = true
		if err := DecisionCheckText(it.Title, f+".title"); err != nil {
			return err
		}
	}
	return nil
}

// AgendaMissing is a language version an item lacks ("translation pending").
type AgendaMissing struct {
	Item string // item key
	Lang string
}

// Missing lists the language versions the items lack, in item then
// Languages order.
func (a Agenda) Missing() []AgendaMissing {
	var out []AgendaMissing
	for _, it := range a.Items {
		for _, l := range Languages {
			if strings.TrimSpace(it.Title[l]) == "" {
				out = append(out, AgendaMissing{Item: it.key(), Lang: l})
			}
		}
	}
	return out
}

// Proposal renders the agenda as a proposal text: one "number. title" line
// per item, in each language at least one item has; a missing version falls
// back as Text.In does.
func (a Agenda) Proposal() Text {
	out := Text{}
	for _, l := range Languages {
		if !slices.ContainsFunc(a.Items, func(it AgendaItem) bool { return it.Title[l] != "" }) {
			continue
		}
		var b strings.Builder
		for i, it := range a.Items {
			if i > 0 {
				b.WriteByte('\n')
			}
			s, _, _ := it.Title.In(l)
			b.WriteString(it.Number + ". " + s)
		}
		out[l] = b.String()
	}
	return out
}

// AgendaChangeKind is how an item changed between two versions.
type AgendaChangeKind string

// Kinds of change.
const (
	AgendaItemAdded   AgendaChangeKind = "added"
	AgendaItemRemoved AgendaChangeKind = "removed"
	AgendaItemChanged AgendaChangeKind = "changed"
)

// AgendaLanguageChange is one language version of an item before and after
// ("" when absent).
type AgendaLanguageChange struct {
	Lang     string
	From, To string
}

// AgendaChange is one item's change between two versions. Languages lists,
// in Languages order, every language whose text differs (for an added or
// removed item: every language it has).
type AgendaChange struct {
	Kind       AgendaChangeKind
	Item       string // item key
	FromNumber string // "" when added
	ToNumber   string // "" when removed
	Renumbered bool
	Languages  []AgendaLanguageChange
}

// In returns the change in one language, and whether that language changed.
func (c AgendaChange) In(lang string) (AgendaLanguageChange, bool) {
	for _, l := range c.Languages {
		if l.Lang == lang {
			return l, true
		}
	}
	return AgendaLanguageChange{Lang: lang}, false
}

// AgendaDiff compares two versions item by item (by ID, else Number): the
// items of to in their order (added or changed), then the items removed, in
// from's order. Unchanged items are left out.
func AgendaDiff(from, to Agenda) []AgendaChange {
	old := make(map[string]AgendaItem, len(from.Items))
	for _, it := range from.Items {
		old[it.key()] = it
	}
	inTo := make(map[string]bool, len(to.Items))
	var out []AgendaChange
	for _, it := range to.Items {
		k := it.key()
		inTo[k] = true
		prev, ok := old[k]
		if !ok {
			out = append(out, AgendaChange{Kind: AgendaItemAdded, Item: k, ToNumber: it.Number, Languages: agendaLangs(Text{}, it.Title)})
			continue
		}
		ls := agendaLangs(prev.Title, it.Title)
		if len(ls) > 0 || prev.Number != it.Number {
			out = append(out, AgendaChange{Kind: AgendaItemChanged, Item: k, FromNumber: prev.Number, ToNumber: it.Number, Renumbered: prev.Number != it.Number, Languages: ls})
		}
	}
	for _, it := range from.Items {
		if !inTo[it.key()] {
			out = append(out, AgendaChange{Kind: AgendaItemRemoved, Item: it.key(), FromNumber: it.Number, Languages: agendaLangs(it.Title, Text{})})
		}
	}
	return out
}

func agendaLangs(a, b Text) []AgendaLanguageChange {
	var out []AgendaLanguageChange
	for _, l := range Languages {
		if a[l] != b[l] {
			out = append(out, AgendaLanguageChange{Lang: l, From: a[l], To: b[l]})
		}
	}
	return out
}

// AgendaPolicy is how a provisional agenda is adopted (§5 row 10).
type AgendaPolicy struct {
	Code      string
	Version   int
	Effective time.Time
	Modality  Modality // not advisory_survey: a survey adopts nothing
	Period    time.Duration
	// ProceedInformally: when the agenda is not adopted, the session goes on
	// informally (the OEWG did so in Dec 2021 and Mar 2022).
	ProceedInformally bool
	// RequireAllLanguages: warn while an item lacks one of the six versions
	// (the programme of work is issued "in all UN languages").
	RequireAllLanguages bool
	NoConsensus         OutcomeKind
}

// AgendaDefaultPolicy is consensus adoption; if not adopted, proceed
// informally; warn about missing language versions.
func AgendaDefaultPolicy() AgendaPolicy {
	return AgendaPolicy{Code: "agenda", Version: 1, Modality: ModalityConsensus, ProceedInformally: true, RequireAllLanguages: true}
}

// Validate checks the policy.
func (p AgendaPolicy) Validate() error {
	if p.Modality == ModalityAdvisorySurvey {
		return Errorf(EInvalid, "modality", "agenda.error.modality", "an agenda cannot be adopted by a survey")
	}
	return p.Decision().Validate()
}

// Decision is the policy as a DecisionPolicy.
func (p AgendaPolicy) Decision() DecisionPolicy {
	return DecisionPolicy{Code: p.Code, Version: p.Version, Effective: p.Effective, Modality: p.Modality, Period: p.Period,
		NoConsensus: p.NoConsensus, ProceedInformally: p.ProceedInformally, LateExplanations: true}
}

// AgendaState is the agenda's place in the session machine (§7.3).
type AgendaState string

// Agenda states.
const (
	AgendaProvisional                 AgendaState = "provisional"
	AgendaAdopted                     AgendaState = "adopted"
	AgendaNotAdopted                  AgendaState = "not_adopted"
	AgendaNotAdoptedProceedInformally AgendaState = "not_adopted_proceed_informally"
	AgendaDeferred                    AgendaState = "deferred"
)

// AgendaAdoptionResult is an agenda version's adoption state.
type AgendaAdoptionResult struct {
	Version  int
	State    AgendaState
	Decision DecisionResult
	Warnings []DecisionReason // e.g. translation pending
}

// AgendaAdopt decides on the adoption of agenda a. facts.Kind must be
// agenda_adoption; an empty facts.Proposal is filled from the agenda.
func AgendaAdopt(p AgendaPolicy, a Agenda, facts DecisionFacts, now time.Time) (AgendaAdoptionResult, error) {
	if err := p.Validate(); err != nil {
		return AgendaAdoptionResult{}, err
	}
	if err := a.Validate(); err != nil {
		return AgendaAdoptionResult{}, err
	}
	if facts.Kind != DecisionAgendaAdoption {
		return AgendaAdoptionResult{}, Errorf(EInvalid, "kind", "agenda.error.kind", "the facts are not about an agenda")
	}
	if len(facts.Proposal) == 0 {
		facts.Proposal = a.Proposal()
	}
	if facts.Subject == "" {
		facts.Subject = a.Session + "/" + a.Label()
	}
	res, err := Decide(p.Decision(), facts, now)
	if err != nil {
		return AgendaAdoptionResult{}, err
	}
	out := AgendaAdoptionResult{Version: a.Version, Decision: res}
	switch {
	case res.Outcome.Adopted():
		out.State = AgendaAdopted
	case res.Outcome == OutcomeDeferred:
		out.State = AgendaDeferred
	case res.Outcome == OutcomePending:
		out.State = AgendaProvisional
	case res.ProceedInformally:
		out.State = AgendaNotAdoptedProceedInformally
	default:
		out.State = AgendaNotAdopted
	}
	if p.RequireAllLanguages {
		for _, m := range a.Missing() {
			out.Warnings = append(out.Warnings, DecisionReason{Key: "agenda.warning.translation_pending", Args: map[string]string{"item": m.Item, "lang": m.Lang}})
		}
	}
	return out, nil
}
