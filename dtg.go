package concord

import "slices"

// The Dedicated Thematic Groups of the Global Mechanism (domain brief §1.3,
// §5 row 12): the final report settled on two. Their exact mandate wording
// is not settled in the sources; the names below are descriptive. A process
// with other groups changes this list, nothing else.

// DTG is one Dedicated Thematic Group.
type DTG struct {
	Code  string // stable identifier used in records and URLs
	Names Text   // in the six languages
}

// DTGs lists the thematic groups in their official order.
var DTGs = []DTG{
	{Code: "DTG1", Names: Text{
		"en": "Dedicated thematic group 1: specific challenges",
		"fr": "Groupe thématique dédié 1 : défis spécifiques",
		"es": "Grupo temático específico 1: desafíos concretos",
		"ru": "Специальная тематическая группа 1: конкретные вызовы",
		"zh": "专门专题小组1：具体挑战",
		"ar": "الفريق المواضيعي المخصص 1: التحديات المحددة",
	}},
	{Code: "DTG2", Names: Text{
		"en": "Dedicated thematic group 2: ICT security capacity-building",
		"fr": "Groupe thématique dédié 2 : renforcement des capacités en matière de sécurité des TIC",
		"es": "Grupo temático específico 2: creación de capacidad en seguridad de las TIC",
		"ru": "Специальная тематическая группа 2: наращивание потенциала в области безопасности ИКТ",
		"zh": "专门专题小组2：信息通信技术安全能力建设",
		"ar": "الفريق المواضيعي المخصص 2: بناء القدرات في مجال أمن تكنولوجيا المعلومات والاتصالات",
	}},
}

// LookupDTG returns the thematic group with code.
func LookupDTG(code string) (DTG, bool) {
	i := slices.IndexFunc(DTGs, func(d DTG) bool { return d.Code == code })
	if i < 0 {
		return DTG{}, false
	}
	return DTGs[i], true
}
