package capacity

import "concord"

// Group is the kind of an area: one of the five pillars of the framework
// of responsible State behaviour, or one of the eleven norms.
type Group string

// The groups of areas.
const (
	Pillar Group = "pillar"
	Norm   Group = "norm"
)

// Area is what a need, an offer or a project is about: a pillar
// ("pillar.threats") or a norm ("norm.a" … "norm.k").
type Area string

// AreaInfo is an area with its group and its name in the six languages.
type AreaInfo struct {
	Code  Area
	Group Group
	// Letter is a norm's letter in A/70/174 para 13 ("a" … "k"); empty for
	// a pillar.
	Letter string
	Name   concord.Text
}

// Areas are the five pillars (GA res. 75/240; domain brief §3.1) and the
// eleven norms of A/70/174 para 13(a)–(k) (§3.2), named in the six
// languages, in the order pages show them. They are data, so that the
// norms checklist can list the same norms.
var Areas = []AreaInfo{
	{"pillar.threats", Pillar, "", concord.Text{"en": "Existing and potential threats", "fr": "Menaces existantes et potentielles", "es": "Amenazas existentes y potenciales",
		"ru": "Существующие и потенциальные угрозы", "zh": "现有和潜在威胁", "ar": "التهديدات القائمة والمحتملة"}},
	{"pillar.norms", Pillar, "", concord.Text{"en": "Norms, rules and principles", "fr": "Normes, règles et principes", "es": "Normas, reglas y principios",
		"ru": "Нормы, правила и принципы", "zh": "规范、规则和原则", "ar": "القواعد والمعايير والمبادئ"}},
	{"pillar.law", Pillar, "", concord.Text{"en": "International law", "fr": "Droit international", "es": "Derecho internacional",
		"ru": "Международное право", "zh": "国际法", "ar": "القانون الدولي"}},
	{"pillar.cbm", Pillar, "", concord.Text{"en": "Confidence-building measures", "fr": "Mesures de confiance", "es": "Medidas de fomento de la confianza",
		"ru": "Меры укрепления доверия", "zh": "建立信任措施", "ar": "تدابير بناء الثقة"}},
	{"pillar.capacity", Pillar, "", concord.Text{"en": "Capacity-building", "fr": "Renforcement des capacités", "es": "Creación de capacidad",
		"ru": "Наращивание потенциала", "zh": "能力建设", "ar": "بناء القدرات"}},
	{"norm.a", Norm, "a", concord.Text{"en": "Interstate cooperation on security", "fr": "Coopération entre États en matière de sécurité", "es": "Cooperación entre Estados en materia de seguridad",
		"ru": "Межгосударственное сотрудничество в сфере безопасности", "zh": "国家间安全合作", "ar": "التعاون بين الدول في مجال الأمن"}},
	{"norm.b", Norm, "b", concord.Text{"en": "Consider all relevant information", "fr": "Prendre en compte toutes les informations pertinentes", "es": "Considerar toda la información pertinente",
		"ru": "Учитывать всю соответствующую информацию", "zh": "考虑所有相关信息", "ar": "النظر في جميع المعلومات ذات الصلة"}},
	{"norm.c", Norm, "c", concord.Text{"en": "Prevent misuse of ICTs in your territory", "fr": "Empêcher l'utilisation abusive des TIC sur son territoire", "es": "Prevenir el uso indebido de las TIC en su territorio",
		"ru": "Предотвращать неправомерное использование ИКТ на своей территории", "zh": "防止本国领土内滥用信通技术", "ar": "منع إساءة استخدام تكنولوجيا المعلومات والاتصالات في إقليمها"}},
	{"norm.d", Norm, "d", concord.Text{"en": "Cooperate against crime and terrorism", "fr": "Coopérer contre la criminalité et le terrorisme", "es": "Cooperar contra la delincuencia y el terrorismo",
		"ru": "Сотрудничать в борьбе с преступностью и терроризмом", "zh": "合作打击犯罪和恐怖主义", "ar": "التعاون في مكافحة الجريمة والإرهاب"}},
	{"norm.e", Norm, "e", concord.Text{"en": "Respect human rights and privacy", "fr": "Respecter les droits de l'homme et la vie privée", "es": "Respetar los derechos humanos y la privacidad",
		"ru": "Уважать права человека и неприкосновенность частной жизни", "zh": "尊重人权和隐私", "ar": "احترام حقوق الإنسان والخصوصية"}},
	{"norm.f", Norm, "f", concord.Text{"en": "Do not damage critical infrastructure", "fr": "Ne pas endommager les infrastructures critiques", "es": "No dañar las infraestructuras críticas",
		"ru": "Не повреждать критически важную инфраструктуру", "zh": "不损害关键基础设施", "ar": "عدم الإضرار بالبنية التحتية الحيوية"}},
	{"norm.g", Norm, "g", concord.Text{"en": "Protect critical infrastructure", "fr": "Protéger les infrastructures critiques", "es": "Proteger las infraestructuras críticas",
		"ru": "Защищать критически важную инфраструктуру", "zh": "保护关键基础设施", "ar": "حماية البنية التحتية الحيوية"}},
	{"norm.h", Norm, "h", concord.Text{"en": "Respond to requests for assistance", "fr": "Répondre aux demandes d'assistance", "es": "Responder a las solicitudes de asistencia",
		"ru": "Отвечать на просьбы о помощи", "zh": "回应援助请求", "ar": "الاستجابة لطلبات المساعدة"}},
	{"norm.i", Norm, "i", concord.Text{"en": "Ensure supply-chain security", "fr": "Assurer la sécurité de la chaîne d'approvisionnement", "es": "Garantizar la seguridad de la cadena de suministro",
		"ru": "Обеспечивать безопасность цепочки поставок", "zh": "确保供应链安全", "ar": "ضمان أمن سلسلة الإمداد"}},
	{"norm.j", Norm, "j", concord.Text{"en": "Report ICT vulnerabilities", "fr": "Signaler les vulnérabilités des TIC", "es": "Notificar las vulnerabilidades de las TIC",
		"ru": "Сообщать об уязвимостях ИКТ", "zh": "报告信通技术漏洞", "ar": "الإبلاغ عن مواطن الضعف في تكنولوجيا المعلومات والاتصالات"}},
	{"norm.k", Norm, "k", concord.Text{"en": "Do no harm to response teams", "fr": "Ne pas nuire aux équipes d'intervention", "es": "No perjudicar a los equipos de respuesta",
		"ru": "Не наносить вред группам реагирования", "zh": "不损害应急响应小组", "ar": "عدم الإضرار بأفرقة الاستجابة للطوارئ"}},
}

var areaIndex = func() map[Area]int {
	m := make(map[Area]int, len(Areas))
	for i, a := range Areas {
		m[a.Code] = i
	}
	return m
}()

// Lookup returns the area with code c.
func Lookup(c Area) (AreaInfo, bool) {
	i, ok := areaIndex[c]
	if !ok {
		return AreaInfo{}, false
	}
	return Areas[i], true
}

// Norms returns the eleven norms, in order (for the norms checklist).
func Norms() []AreaInfo {
	var out []AreaInfo
	for _, a := range Areas {
		if a.Group == Norm {
			out = append(out, a)
		}
	}
	return out
}

// Regions are the five regional groups of the United Nations (domain brief
// §4.2), the regions a need names and an offer serves.
var Regions = []string{"AG", "APG", "EEG", "GRULAC", "WEOG"}
