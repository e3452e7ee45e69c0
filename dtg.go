package concord

import "slices"

// DTG is a Dedicated Thematic Group of a process. Every application of the
// DTGs (co-facilitators, topics, briefers) takes them from here.
type DTG struct {
	Code  string
	Names Text
}

// DTGs are the two Dedicated Thematic Groups of the Global Mechanism
// (A/80/257, annex I; domain brief §1.3): one on specific challenges, across
// the pillars of the framework, and one on ICT security capacity-building.
// The exact mandate wording is not settled in the sources, so the names are
// short descriptive titles. Every page, form and record names a DTG by its
// Code.
var DTGs = []DTG{
	{Code: "DTG-1", Names: Text{
		"en": "DTG 1: specific challenges in the sphere of ICT security",
		"fr": "GTS 1 : défis particuliers dans le domaine de la sécurité du numérique",
		"es": "GTE 1: desafíos concretos en la esfera de la seguridad de las TIC",
		"ru": "СТГ 1: конкретные вызовы в сфере безопасности ИКТ",
		"zh": "专题小组1：信息和通信技术安全领域的具体挑战",
		"ar": "الفريق المواضيعي المخصص 1: التحديات المحددة في مجال أمن تكنولوجيا المعلومات والاتصالات",
	}},
	{Code: "DTG-2", Names: Text{
		"en": "DTG 2: ICT security capacity-building",
		"fr": "GTS 2 : renforcement des capacités en matière de sécurité du numérique",
		"es": "GTE 2: creación de capacidad en materia de seguridad de las TIC",
		"ru": "СТГ 2: наращивание потенциала в области безопасности ИКТ",
		"zh": "专题小组2：信息和通信技术安全能力建设",
		"ar": "الفريق المواضيعي المخصص 2: بناء القدرات في مجال أمن تكنولوجيا المعلومات والاتصالات",
	}},
}

// DTGByCode returns the DTG with code.
func DTGByCode(code string) (DTG, bool) {
	i := slices.IndexFunc(DTGs, func(d DTG) bool { return d.Code == code })
	if i < 0 {
		return DTG{}, false
	}
	return DTGs[i], true
}

// IsDTG reports whether code names a Dedicated Thematic Group.
func IsDTG(code string) bool { _, ok := DTGByCode(code); return ok }
