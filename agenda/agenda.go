package agenda

// Agendas (domain brief §7.3, §5 row 10): versioned provisional agendas in six
// languages, a diff between versions, and adoption as a decision whose
// failure may let the meeting proceed informally.

import (
	"concord"
	"concord/decision"
	"concord/rule"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Item is one item of an agenda.
type Item struct {
	ID     string // stable across versions; Number is used when empty
	Number string // as printed: "5", "5 (a)"
	Title  concord.Text
}

// key identifies the item across versions.
func (it Item) key() string {
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
	Items   []Item
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
		return concord.Errorf(concord.EInvalid, "version", "agenda.error.version", "agenda versions start at 1")
	}
	if len(a.Items) == 0 {
		return concord.Errorf(concord.EInvalid, "items", "agenda.error.items", "an agenda needs at least one item")
	}
	// Every item's problems at once, so that a form marks each row.
	var errs concord.Errors
	seen := map[string]bool{}
	for i, it := range a.Items {
		f := "items[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(it.Number) == "" {
			errs.Add(concord.Errorf(concord.EInvalid, f+".number", "agenda.error.number", "an item needs a number"))
		} else if seen[it.key()] {
			errs.Add(concord.Errorf(concord.EInvalid, f+".id", "agenda.error.duplicate_item", "item %q appears twice", it.key()))
		}
		seen[it.key()] = true
		errs.Add(decision.CheckText(it.Title, f+".title"))
	}
	return errs.Err()
}

// Missing is a language version an item lacks ("translation pending").
type Missing struct {
	Item string // item key
	Lang string
}

// Missing lists the language versions the items lack, in item then
// Languages order.
func (a Agenda) Missing() []Missing {
	var out []Missing
	for _, it := range a.Items {
		for _, l := range concord.Languages {
			if strings.TrimSpace(it.Title[l]) == "" {
				out = append(out, Missing{Item: it.key(), Lang: l})
			}
		}
	}
	return out
}

// Proposal renders the agenda as a proposal text: one "number. title" line
// per item, in each language at least one item has; a missing version falls
// back as Text.In does.
func (a Agenda) Proposal() concord.Text {
	out := concord.Text{}
	for _, l := range concord.Languages {
		if !slices.ContainsFunc(a.Items, func(it Item) bool { return it.Title[l] != "" }) {
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

// ChangeKind is how an item changed between two versions.
type ChangeKind string

// Kinds of change.
const (
	ItemAdded   ChangeKind = "added"
	ItemRemoved ChangeKind = "removed"
	ItemChanged ChangeKind = "changed"
)

// LanguageChange is one language version of an item before and after
// ("" when absent).
type LanguageChange struct {
	Lang     string
	From, To string
}

// Change is one item's change between two versions. Languages lists,
// in Languages order, every language whose text differs (for an added or
// removed item: every language it has).
type Change struct {
	Kind       ChangeKind
	Item       string // item key
	FromNumber string // "" when added
	ToNumber   string // "" when removed
	Renumbered bool
	Languages  []LanguageChange
}

// In returns the change in one language, and whether that language changed.
func (c Change) In(lang string) (LanguageChange, bool) {
	for _, l := range c.Languages {
		if l.Lang == lang {
			return l, true
		}
	}
	return LanguageChange{Lang: lang}, false
}

// Diff compares two versions item by item (by ID, else Number): the
// items of to in their order (added or changed), then the items removed, in
// from's order. Unchanged items are left out.
func Diff(from, to Agenda) []Change {
	old := make(map[string]Item, len(from.Items))
	for _, it := range from.Items {
		old[it.key()] = it
	}
	inTo := make(map[string]bool, len(to.Items))
	var out []Change
	for _, it := range to.Items {
		k := it.key()
		inTo[k] = true
		prev, ok := old[k]
		if !ok {
			out = append(out, Change{Kind: ItemAdded, Item: k, ToNumber: it.Number, Languages: agendaLangs(concord.Text{}, it.Title)})
			continue
		}
		ls := agendaLangs(prev.Title, it.Title)
		if len(ls) > 0 || prev.Number != it.Number {
			out = append(out, Change{Kind: ItemChanged, Item: k, FromNumber: prev.Number, ToNumber: it.Number, Renumbered: prev.Number != it.Number, Languages: ls})
		}
	}
	for _, it := range from.Items {
		if !inTo[it.key()] {
			out = append(out, Change{Kind: ItemRemoved, Item: it.key(), FromNumber: it.Number, Languages: agendaLangs(it.Title, concord.Text{})})
		}
	}
	return out
}

func agendaLangs(a, b concord.Text) []LanguageChange {
	var out []LanguageChange
	for _, l := range concord.Languages {
		if a[l] != b[l] {
			out = append(out, LanguageChange{Lang: l, From: a[l], To: b[l]})
		}
	}
	return out
}

// Policy is how a provisional agenda is adopted (§5 row 10).
type Policy struct {
	// Stamped names the rule version the policy belongs to.
	rule.Stamped
	Modality decision.Modality // not advisory_survey: a survey adopts nothing
	Period   time.Duration
	// ProceedInformally: when the agenda is not adopted, the session goes on
	// informally (the OEWG did so in Dec 2021 and Mar 2022).
	ProceedInformally bool
	// RequireAllLanguages: warn while an item lacks one of the six versions
	// (the programme of work is issued "in all UN languages").
	RequireAllLanguages bool
	NoConsensus         decision.OutcomeKind
}

// DefaultPolicy is consensus adoption; if not adopted, proceed
// informally; warn about missing language versions.
func DefaultPolicy() Policy {
	return Policy{Stamped: rule.Stamped{Code: "agenda", Version: 1}, Modality: decision.ModalityConsensus, ProceedInformally: true, RequireAllLanguages: true}
}

// Validate checks the policy.
func (p Policy) Validate() error {
	if p.Modality == decision.ModalityAdvisorySurvey {
		return concord.Errorf(concord.EInvalid, "modality", "agenda.error.modality", "an agenda cannot be adopted by a survey")
	}
	return p.Decision().Validate()
}

// Decision is the policy as a decision.Policy.
func (p Policy) Decision() decision.Policy {
	return decision.Policy{Code: p.Code, Version: p.Version, Effective: p.Effective, Modality: p.Modality, Period: p.Period,
		NoConsensus: p.NoConsensus, ProceedInformally: p.ProceedInformally, LateExplanations: true}
}

// State is the agenda's place in the session machine (§7.3).
type State string

// Agenda states.
const (
	Provisional                 State = "provisional"
	Adopted                     State = "adopted"
	NotAdopted                  State = "not_adopted"
	NotAdoptedProceedInformally State = "not_adopted_proceed_informally"
	Deferred                    State = "deferred"
)

// AdoptionResult is an agenda version's adoption state.
type AdoptionResult struct {
	Version  int
	State    State
	Decision decision.Result
	Warnings []decision.Reason // e.g. translation pending
}

// Adopt decides on the adoption of agenda a. facts.Kind must be
// agenda_adoption; an empty facts.Proposal is filled from the agenda.
func Adopt(p Policy, a Agenda, facts decision.Facts, now time.Time) (AdoptionResult, error) {
	if err := p.Validate(); err != nil {
		return AdoptionResult{}, err
	}
	if err := a.Validate(); err != nil {
		return AdoptionResult{}, err
	}
	if facts.Kind != decision.KindAgendaAdoption {
		return AdoptionResult{}, concord.Errorf(concord.EInvalid, "kind", "agenda.error.kind", "the facts are not about an agenda")
	}
	if len(facts.Proposal) == 0 {
		facts.Proposal = a.Proposal()
	}
	if facts.Subject == "" {
		facts.Subject = a.Session + "/" + a.Label()
	}
	res, err := decision.Decide(p.Decision(), facts, now)
	if err != nil {
		return AdoptionResult{}, err
	}
	out := AdoptionResult{Version: a.Version, Decision: res}
	switch {
	case res.Outcome.Adopted():
		out.State = Adopted
	case res.Outcome == decision.OutcomeDeferred:
		out.State = Deferred
	case res.Outcome == decision.OutcomePending:
		out.State = Provisional
	case res.ProceedInformally:
		out.State = NotAdoptedProceedInformally
	default:
		out.State = NotAdopted
	}
	if p.RequireAllLanguages {
		for _, m := range a.Missing() {
			out.Warnings = append(out.Warnings, decision.Reason{Key: "agenda.warning.translation_pending", Args: map[string]string{"item": m.Item, "lang": m.Lang}})
		}
	}
	return out, nil
}

// RuleCode is the code of the agenda rule.
const RuleCode = "agenda"

// Rule is the agenda rule: how a provisional agenda is adopted, as a rule of procedure.
var Rule = rule.Kind{Code: RuleCode, Field: "Agenda",
	New:      func() rule.Policy { return new(Policy) },
	Default:  func() rule.Policy { p := DefaultPolicy(); return &p },
	TermKeys: []string{"procrule.modality", "procrule.proceed_informally", "procrule.all_languages"},
	Note: concord.Text{
		"en": "Consensus adoption at the opening of the session; if not adopted, the session proceeds informally (OEWG practice, December 2021).",
		"fr": "Adoption par consensus à l'ouverture de la session ; à défaut, la session se poursuit de manière informelle (pratique du GTCNL, décembre 2021).",
		"es": "Aprobación por consenso en la apertura del período de sesiones; de no aprobarse, el período de sesiones continúa de manera oficiosa (práctica del GTCA, diciembre de 2021).",
		"ru": "Утверждение консенсусом при открытии сессии; если повестка не утверждена, сессия продолжается в неофициальном формате (практика РГОС, декабрь 2021 года).",
		"zh": "在会议开幕时协商一致通过；如未通过，会议以非正式方式继续（不限成员名额工作组惯例，2021年12月）。",
		"ar": "الإقرار بتوافق الآراء عند افتتاح الدورة؛ وإن لم يُقر، تستمر الدورة بصورة غير رسمية (ممارسة الفريق العامل المفتوح العضوية، كانون الأول/ديسمبر 2021).",
	}}

// Terms summarises the policy, term by term.
func (p Policy) Terms() []rule.Term {
	out := []rule.Term{rule.ModalityTerm("procrule.modality", p.Modality)}
	if p.Period > 0 {
		out = append(out, rule.PeriodTerm(p.Period))
	}
	return append(out, rule.NewTerm("procrule.proceed_informally", rule.OnOff(p.ProceedInformally)),
		rule.NewTerm("procrule.all_languages", rule.OnOff(p.RequireAllLanguages)))
}

// Standing is where a session's agenda stands, as far as putting one of its
// versions to adoption is concerned.
type Standing struct {
	Session string
	// Adopted: a version of the session's agenda is adopted.
	Adopted bool
	// OtherPending: the adoption of a version is under way.
	OtherPending bool
	// Latest: the version concerned is the session's latest.
	Latest bool
}

// CanPutToAdoption reports (nil) whether version a may be put to adoption
// now; put tells whether it already was. Only the latest version of a
// session whose agenda is not adopted, while no adoption is under way, and
// only once: a revision is a new version.
func (st Standing) CanPutToAdoption(a Agenda, put bool) error {
	switch {
	case put:
		return concord.Errorf(concord.EConflict, "id", "agendas.error.already_put", "%s was already put to adoption; issue a new version", a.Label())
	case st.Adopted:
		return concord.Errorf(concord.EConflict, "session", "agendas.error.adopted", "the agenda of %s is adopted", st.Session)
	case st.OtherPending:
		return concord.Errorf(concord.EConflict, "session", "agendas.error.pending", "another version of %s is under adoption", st.Session)
	case !st.Latest:
		return concord.Errorf(concord.EConflict, "id", "agendas.error.superseded", "%s is not the latest version of %s", a.Label(), st.Session)
	}
	return nil
}
