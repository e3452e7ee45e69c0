package capacity

import "concord"

// PrincipleGroup is one of the three groups of the capacity-building
// principles.
type PrincipleGroup string

// The three groups of A/75/816 para 56.
const (
	ProcessPurpose PrincipleGroup = "process"
	Partnerships   PrincipleGroup = "partnerships"
	People         PrincipleGroup = "people"
)

// PrincipleGroups lists them in the report's order.
var PrincipleGroups = []PrincipleGroup{ProcessPurpose, Partnerships, People}

// Principle is one capacity-building principle with its group and its
// wording in the six languages.
type Principle struct {
	Code  string
	Group PrincipleGroup
	Name  concord.Text
}

// Principles are the ten capacity-building principles of the 2021 OEWG
// report (A/75/816 para 56; domain brief §3.4) in their three groups, in
// the report's order: the voluntary checklist a project reports against
// (the second annual progress report, 2023, called for such checklists).
// They are data, so that a change of wording is a change here only.
var Principles = []Principle{
	{"sustainable", ProcessPurpose, concord.Text{"en": "A sustainable process", "fr": "Un processus durable", "es": "Un proceso sostenible",
		"ru": "Устойчивый процесс", "zh": "可持续的进程", "ar": "عملية مستدامة"}},
	{"purpose", ProcessPurpose, concord.Text{"en": "A clear purpose and a focus on results", "fr": "Un objectif clair et axé sur les résultats", "es": "Un propósito claro y orientado a los resultados",
		"ru": "Чёткая цель и ориентация на результаты", "zh": "目标明确、注重成果", "ar": "غرض واضح وتركيز على النتائج"}},
	{"neutral", ProcessPurpose, concord.Text{"en": "Evidence-based, politically neutral, transparent, accountable and without conditions", "fr": "Fondé sur des données factuelles, politiquement neutre, transparent, responsable et sans conditions",
		"es": "Basado en datos empíricos, políticamente neutral, transparente, responsable y sin condiciones", "ru": "Основанность на фактических данных, политическая нейтральность, прозрачность, подотчётность и отсутствие условий",
		"zh": "循证、政治中立、透明、负责且不附加条件", "ar": "قائم على الأدلة ومحايد سياسياً وشفاف وخاضع للمساءلة ودون شروط"}},
	{"sovereignty", ProcessPurpose, concord.Text{"en": "Full respect for State sovereignty", "fr": "Le plein respect de la souveraineté des États", "es": "El pleno respeto de la soberanía de los Estados",
		"ru": "Полное уважение государственного суверенитета", "zh": "充分尊重国家主权", "ar": "الاحترام الكامل لسيادة الدول"}},
	{"trust", Partnerships, concord.Text{"en": "Mutual trust", "fr": "La confiance mutuelle", "es": "La confianza mutua",
		"ru": "Взаимное доверие", "zh": "相互信任", "ar": "الثقة المتبادلة"}},
	{"demand", Partnerships, concord.Text{"en": "Demand-driven, matching nationally identified needs and priorities", "fr": "Axé sur la demande, en fonction des besoins et priorités définis au niveau national",
		"es": "Impulsado por la demanda, conforme a las necesidades y prioridades definidas a nivel nacional", "ru": "Ориентация на спрос и соответствие национальным потребностям и приоритетам",
		"zh": "需求驱动，符合国家确定的需要和优先事项", "ar": "قائم على الطلب ومتوافق مع الاحتياجات والأولويات المحددة وطنياً"}},
	{"ownership", Partnerships, concord.Text{"en": "National ownership", "fr": "L'appropriation nationale", "es": "La implicación nacional",
		"ru": "Национальная ответственность", "zh": "国家自主", "ar": "الملكية الوطنية"}},
	{"confidentiality", Partnerships, concord.Text{"en": "Confidentiality of national policies and plans", "fr": "La confidentialité des politiques et plans nationaux", "es": "La confidencialidad de las políticas y planes nacionales",
		"ru": "Конфиденциальность национальной политики и планов", "zh": "国家政策和计划的保密", "ar": "سرية السياسات والخطط الوطنية"}},
	{"rights", People, concord.Text{"en": "Respect for human rights and fundamental freedoms", "fr": "Le respect des droits de l'homme et des libertés fondamentales",
		"es": "El respeto de los derechos humanos y las libertades fundamentales", "ru": "Уважение прав человека и основных свобод",
		"zh": "尊重人权和基本自由", "ar": "احترام حقوق الإنسان والحريات الأساسية"}},
	{"inclusive", People, concord.Text{"en": "Gender-sensitive, inclusive, universal and non-discriminatory", "fr": "Tenant compte des questions de genre, inclusif, universel et non discriminatoire",
		"es": "Con perspectiva de género, inclusivo, universal y no discriminatorio", "ru": "Учёт гендерных аспектов, инклюзивность, универсальность и недискриминация",
		"zh": "促进性别平等、包容、普遍和非歧视", "ar": "مراعٍ للمنظور الجنساني وشامل وعالمي وغير تمييزي"}},
}

// LookupPrinciple returns the principle with code c.
func LookupPrinciple(c string) (Principle, bool) {
	for _, p := range Principles {
		if p.Code == c {
			return p, true
		}
	}
	return Principle{}, false
}

// Rating is how far a project says it addressed a principle.
type Rating string

// The ratings of the checklist; a principle not reported is simply absent.
const (
	Addressed Rating = "addressed"
	Partly    Rating = "partly"
	NotYet    Rating = "not"
)

// Ratings lists them, most first.
var Ratings = []Rating{Addressed, Partly, NotYet}

// MaxNoteRunes bounds a checklist note.
const MaxNoteRunes = 2000

// PrincipleReport is a project's answer on one principle.
type PrincipleReport struct {
	Principle string
	Rating    Rating
	Note      string `json:",omitzero"`
}
