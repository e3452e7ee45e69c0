package rule

// Procedure rules (DESIGN.md "procedure as data"): each contested point of
// procedure the four applications run under — agenda adoption, co-facilitator
// appointment, DTG topic selection, briefer confirmation — is a dated,
// versioned rule. A process keeps every version; the version in force at an
// instant is the latest whose Effective is not after it. A subject (an agenda
// version, a nomination) records the version it was put forward under, so a
// later change never rewrites what already happened.

import (
	"cmp"
	"concord"
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/decision"
	"concord/topic"
	"slices"
	"strconv"
	"time"
)

// The codes of the procedure rules, one per application.
const (
	CodeAgenda         = "agenda"
	CodeCoFacilitators = "cofacilitators"
	CodeTopics         = "dtg-topics"
	CodeBriefers       = "briefers"
)

// Codes lists the procedure rules in the order pages show them.
var Codes = []string{CodeAgenda, CodeCoFacilitators, CodeTopics, CodeBriefers}

// Version is one dated version of one procedure rule. Exactly the field
// that matches Code is set.
type Version struct {
	Code      string
	Version   int
	Effective time.Time    // from when it applies (UTC)
	Recorded  time.Time    // when the Secretariat entered it
	Note      concord.Text `json:",omitempty"` // why: the decision or consultation behind it, in up to six languages

	Agenda         *agenda.Policy        `json:",omitempty"`
	CoFacilitators *cofacilitator.Policy `json:",omitempty"`
	Topics         *topic.Policy         `json:",omitempty"`
	Briefers       *briefer.Policy       `json:",omitempty"`
}

// ruleNoteMax bounds a version's note (runes).
const noteMax = 1000

// Validate checks that the version carries the policy its code names, and
// that policy.
func (v Version) Validate() error {
	set := 0
	for _, p := range []bool{v.Agenda != nil, v.CoFacilitators != nil, v.Topics != nil, v.Briefers != nil} {
		if p {
			set++
		}
	}
	if !slices.Contains(Codes, v.Code) {
		return concord.Errorf(concord.EInvalid, "code", "procrule.error.code", "unknown rule %q", v.Code)
	}
	if set != 1 || v.policy() == nil {
		return concord.Errorf(concord.EInvalid, "policy", "procrule.error.policy", "a version of %q carries exactly that rule", v.Code)
	}
	for l, s := range v.Note {
		if !concord.IsLanguage(l) {
			return concord.Errorf(concord.EInvalid, "note", "decision.error.language", "unknown language %q", l)
		}
		if len([]rune(s)) > noteMax {
			return concord.Errorf(concord.EInvalid, "note", "error.too_long", "the note is over %d characters", noteMax)
		}
	}
	return v.policy().Validate()
}

// policy returns the rule the version carries, nil when it does not match
// its code.
func (v Version) policy() interface{ Validate() error } {
	switch {
	case v.Code == CodeAgenda && v.Agenda != nil:
		return v.Agenda
	case v.Code == CodeCoFacilitators && v.CoFacilitators != nil:
		return v.CoFacilitators
	case v.Code == CodeTopics && v.Topics != nil:
		return v.Topics
	case v.Code == CodeBriefers && v.Briefers != nil:
		return v.Briefers
	}
	return nil
}

// Stamp copies the version's number and date into the policy it carries, so
// that decisions taken under it name the version.
func (v *Version) Stamp() {
	switch {
	case v.Agenda != nil:
		v.Agenda.Code, v.Agenda.Version, v.Agenda.Effective = v.Code, v.Version, v.Effective
	case v.CoFacilitators != nil:
		v.CoFacilitators.Code, v.CoFacilitators.Version, v.CoFacilitators.Effective = v.Code, v.Version, v.Effective
	case v.Topics != nil:
		v.Topics.Code, v.Topics.Version, v.Topics.Effective = v.Code, v.Version, v.Effective
	case v.Briefers != nil:
		v.Briefers.Code, v.Briefers.Version, v.Briefers.Effective = v.Code, v.Version, v.Effective
	}
}

// InForce returns the version of code in force at t: the latest
// Effective not after t (a later version number wins a tie). ok is false
// when no version applies yet.
func InForce(versions []Version, code string, t time.Time) (Version, bool) {
	var best Version
	ok := false
	for _, v := range versions {
		if v.Code != code || v.Effective.After(t) {
			continue
		}
		if !ok || v.Effective.After(best.Effective) || (v.Effective.Equal(best.Effective) && v.Version > best.Version) {
			best, ok = v, true
		}
	}
	return best, ok
}

// NextChange is the earliest Effective after now (zero when no version
// is scheduled): when the rules in force change without any write.
func NextChange(versions []Version, now time.Time) time.Time {
	var t time.Time
	for _, v := range versions {
		if v.Effective.After(now) && (t.IsZero() || v.Effective.Before(t)) {
			t = v.Effective
		}
	}
	return t
}

// History returns the versions of code, newest first.
func History(versions []Version, code string) []Version {
	var out []Version
	for _, v := range versions {
		if v.Code == code {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Version) int { return cmp.Compare(b.Version, a.Version) })
	return out
}

// Defaults are the first versions a process starts with: the Chair's
// proposals of March 2026 where there was one, and otherwise the reading that
// needs least agreement (domain brief §5).
func Defaults(effective time.Time) []Version {
	a, c, t, b := agenda.DefaultPolicy(), cofacilitator.DefaultPolicy(), topic.DefaultPolicy(), briefer.DefaultPolicy()
	out := []Version{
		{Code: CodeAgenda, Agenda: &a, Note: concord.Text{
			"en": "Consensus adoption at the opening of the session; if not adopted, the session proceeds informally (OEWG practice, December 2021).",
			"fr": "Adoption par consensus à l'ouverture de la session ; à défaut, la session se poursuit de manière informelle (pratique du GTCNL, décembre 2021).",
			"es": "Aprobación por consenso en la apertura del período de sesiones; de no aprobarse, el período de sesiones continúa de manera oficiosa (práctica del GTCA, diciembre de 2021).",
			"ru": "Утверждение консенсусом при открытии сессии; если повестка не утверждена, сессия продолжается в неофициальном формате (практика РГОС, декабрь 2021 года).",
			"zh": "在会议开幕时协商一致通过；如未通过，会议以非正式方式继续（不限成员名额工作组惯例，2021年12月）。",
			"ar": "الإقرار بتوافق الآراء عند افتتاح الدورة؛ وإن لم يُقر، تستمر الدورة بصورة غير رسمية (ممارسة الفريق العامل المفتوح العضوية، كانون الأول/ديسمبر 2021).",
		}},
		{Code: CodeCoFacilitators, CoFacilitators: &c, Note: concord.Text{
			"en": "The Chair's proposal of March 2026: two per DTG, one developed and one developing State, different regional groups, gender parity where practicable, appointed by the Chair.",
			"fr": "Proposition de la présidence de mars 2026 : deux par groupe thématique, un État développé et un État en développement, de groupes régionaux différents, parité entre les genres dans la mesure du possible, nommés par la présidence.",
			"es": "Propuesta de la Presidencia de marzo de 2026: dos por grupo temático, un Estado desarrollado y uno en desarrollo, de grupos regionales distintos, paridad de género en la medida de lo posible, nombrados por la Presidencia.",
			"ru": "Предложение Председателя от марта 2026 года: по два на тематическую группу, одно развитое и одно развивающееся государство, из разных региональных групп, гендерный паритет по мере возможности, назначаются Председателем.",
			"zh": "主席2026年3月的提议：每个专题小组两名，一名来自发达国家、一名来自发展中国家，来自不同区域组，尽可能实现性别均等，由主席任命。",
			"ar": "اقتراح الرئيس في آذار/مارس 2026: اثنان لكل فريق مواضيعي، من دولة متقدمة ودولة نامية، ومن مجموعتين إقليميتين مختلفتين، مع التكافؤ بين الجنسين قدر الإمكان، ويعيّنهما الرئيس.",
		}},
		{Code: CodeTopics, Topics: &t, Note: concord.Text{
			"en": "Morocco's proposal: an advisory preference survey with equal weight per regional group, feeding a Chair decision on two topics.",
			"fr": "Proposition du Maroc : une enquête indicative sur les préférences, avec un poids égal pour chaque groupe régional, qui éclaire une décision de la présidence sur deux thèmes.",
			"es": "Propuesta de Marruecos: una encuesta indicativa de preferencias con igual peso para cada grupo regional, que orienta una decisión de la Presidencia sobre dos temas.",
			"ru": "Предложение Марокко: консультативный опрос предпочтений с равным весом каждой региональной группы, на основе которого Председатель принимает решение о двух темах.",
			"zh": "摩洛哥的提议：进行咨询性偏好调查，各区域组权重相等，据此由主席就两个议题作出决定。",
			"ar": "اقتراح المغرب: استطلاع استشاري للتفضيلات بوزن متساوٍ لكل مجموعة إقليمية، يستنير به الرئيس في اتخاذ قرار بشأن موضوعين.",
		}},
		{Code: CodeBriefers, Briefers: &b, Note: concord.Text{
			"en": "A non-objection round of five days per briefer nominated by a State.",
			"fr": "Une procédure de non-objection de cinq jours pour chaque intervenant désigné par un État.",
			"es": "Un procedimiento de no objeción de cinco días para cada ponente propuesto por un Estado.",
			"ru": "Процедура отсутствия возражений продолжительностью пять дней по каждому докладчику, выдвинутому государством.",
			"zh": "对一国提名的每位通报人进行为期五天的无异议程序。",
			"ar": "جولة عدم اعتراض مدتها خمسة أيام لكل مقدم إحاطة ترشحه دولة.",
		}},
	}
	for i := range out {
		out[i].Version, out[i].Effective, out[i].Recorded = 1, effective, effective
		out[i].Stamp()
	}
	return out
}

// Term is one line of a rule's summary: a label key and a value key of
// the catalogues, with the value's arguments. Pages render the terms in
// every language; the API returns the policy itself.
type Term struct {
	Label string
	Value string // catalogue key; "" when Raw is the value
	Args  map[string]string
	Raw   string // a value shown as is (a number, a scheme's code)
}

func hours(d time.Duration) string { return strconv.Itoa(int(d / time.Hour)) }

func term(label, value string, kv ...string) Term {
	t := Term{Label: label, Value: value}
	if len(kv) > 0 {
		t.Args = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			t.Args[kv[i]] = kv[i+1]
		}
	}
	return t
}

func onOff(b bool) string {
	if b {
		return "procrule.yes"
	}
	return "procrule.no"
}

// Terms summarises the version's rule, term by term.
func (v Version) Terms() []Term {
	var out []Term
	switch {
	case v.Agenda != nil:
		p := v.Agenda
		out = append(out, term("procrule.modality", "modality."+string(p.Modality)))
		if p.Period > 0 {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
		out = append(out, term("procrule.proceed_informally", onOff(p.ProceedInformally)),
			term("procrule.all_languages", onOff(p.RequireAllLanguages)))
	case v.CoFacilitators != nil:
		p := v.CoFacilitators
		out = append(out, term("procrule.appointment", "appointment."+string(p.Appointment)))
		if p.Appointment == cofacilitator.ChairProposalSilence {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
		out = append(out, Term{Label: "procrule.per_dtg", Raw: strconv.Itoa(p.PerDTG)},
			term("procrule.developed_developing", onOff(p.DevelopedDeveloping)),
			term("procrule.scheme", "procrule.scheme."+p.Scheme),
			term("procrule.distinct_groups", onOff(p.DistinctRegionalGroups)),
			term("procrule.gender_parity", "level."+levelOr(p.GenderParity)),
			term("procrule.expertise", "level."+levelOr(p.Expertise)),
			Term{Label: "procrule.rotation", Raw: strconv.Itoa(p.RotationTerms)})
	case v.Topics != nil:
		p := v.Topics
		out = append(out, term("procrule.selection", "selection."+string(p.Selection)))
		if p.Selection == topic.PreferenceSurvey {
			out = append(out, term("procrule.method", "method."+string(p.Method)))
			if p.Method == topic.Scores {
				out = append(out, Term{Label: "procrule.max_score", Raw: strconv.Itoa(p.MaxScore)})
			}
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)),
				term("procrule.regional_weighting", onOff(p.RegionalWeighting)),
				term("procrule.after_survey", "modality."+string(cmp.Or(p.AfterSurvey, decision.ModalityChairDecision))))
		}
		out = append(out, Term{Label: "procrule.slots", Raw: strconv.Itoa(p.Slots)})
	case v.Briefers != nil:
		p := v.Briefers
		out = append(out, term("procrule.confirmation", "confirmation."+string(p.Confirmation)))
		if p.Period > 0 && p.Confirmation != briefer.Automatic {
			out = append(out, term("procrule.period", "procrule.hours", "Count", hours(p.Period)))
		}
	}
	return out
}

func levelOr(l cofacilitator.Level) string {
	if l == "" {
		return string(cofacilitator.LevelOff)
	}
	return string(l)
}

// TermKeys lists every catalogue key Terms may return, for the
// catalogue test.
func TermKeys() []string {
	keys := []string{"procrule.modality", "procrule.period", "procrule.hours", "procrule.proceed_informally", "procrule.all_languages", "procrule.yes", "procrule.no",
		"procrule.appointment", "procrule.per_dtg", "procrule.developed_developing", "procrule.scheme", "procrule.distinct_groups",
		"procrule.gender_parity", "procrule.expertise", "procrule.rotation", "procrule.selection", "procrule.method", "procrule.max_score", "procrule.regional_weighting",
		"procrule.after_survey", "procrule.slots", "procrule.confirmation", "procrule.error.code", "procrule.error.policy"}
	for _, m := range decision.Modalities {
		keys = append(keys, "modality."+string(m))
	}
	for _, a := range cofacilitator.Appointments {
		keys = append(keys, "appointment."+string(a))
	}
	for _, l := range []cofacilitator.Level{cofacilitator.LevelOff, cofacilitator.LevelWarning, cofacilitator.LevelError} {
		keys = append(keys, "level."+string(l))
	}
	for _, s := range topic.Selections {
		keys = append(keys, "selection."+string(s))
	}
	for _, m := range []topic.Method{topic.Ranking, topic.Scores} {
		keys = append(keys, "method."+string(m))
	}
	for _, c := range briefer.Confirmations {
		keys = append(keys, "confirmation."+string(c))
	}
	for _, sc := range []string{concord.SchemeUNCTAD, concord.SchemeSelfDeclared} {
		keys = append(keys, "procrule.scheme."+sc)
	}
	for _, c := range Codes {
		keys = append(keys, "procrule.code."+c, "procrule.about."+c)
	}
	return keys
}
