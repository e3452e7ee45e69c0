package seed

import (
	"concord/decision"
	"context"
	"fmt"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/store"
)

// AgendaSession is the session whose provisional agenda the demo holds:
// the first substantive plenary session, 20–24 July 2026.
const AgendaSession = "GM-2026-1"

// agendaItems is the Chair's draft provisional agenda for July, organised
// around the five pillars (DW-org). Item 6 has no Chinese version yet, so
// that the "translation pending" warning shows.
var agendaItems = []agendasvc.Item{
	{Number: "1", Title: concord.Text{"en": "Opening of the session", "fr": "Ouverture de la session", "es": "Apertura del período de sesiones",
		"ru": "Открытие сессии", "zh": "会议开幕", "ar": "افتتاح الدورة"}},
	{Number: "2", Title: concord.Text{"en": "Adoption of the agenda", "fr": "Adoption de l’ordre du jour", "es": "Aprobación del programa",
		"ru": "Утверждение повестки дня", "zh": "通过议程", "ar": "إقرار جدول الأعمال"}},
	{Number: "3", Title: concord.Text{"en": "Organization of work", "fr": "Organisation des travaux", "es": "Organización de los trabajos",
		"ru": "Организация работы", "zh": "工作安排", "ar": "تنظيم الأعمال"}},
	{Number: "4", Title: concord.Text{"en": "General exchange of views", "fr": "Échange de vues général", "es": "Intercambio general de opiniones",
		"ru": "Общий обмен мнениями", "zh": "一般性意见交换", "ar": "تبادل عام للآراء"}},
	{Number: "5", Title: concord.Text{
		"en": "Discussions on existing and potential threats; rules, norms and principles of responsible State behaviour; international law; confidence-building measures; and capacity-building, in accordance with the documents that established the Mechanism",
		"fr": "Débats sur les menaces existantes et potentielles ; les règles, normes et principes de comportement responsable des États ; le droit international ; les mesures de confiance ; et le renforcement des capacités, conformément aux documents portant création du Mécanisme",
		"es": "Debates sobre las amenazas existentes y potenciales; las reglas, normas y principios de comportamiento responsable de los Estados; el derecho internacional; las medidas de fomento de la confianza; y la creación de capacidad, de conformidad con los documentos por los que se estableció el Mecanismo",
		"ru": "Обсуждение существующих и потенциальных угроз; правил, норм и принципов ответственного поведения государств; международного права; мер укрепления доверия; и наращивания потенциала в соответствии с документами, учредившими Механизм",
		"zh": "讨论现有和潜在威胁；国家负责任行为的规则、规范和原则；国际法；建立信任措施；以及能力建设，依照设立本机制的各项文件",
		"ar": "مناقشات بشأن التهديدات القائمة والمحتملة؛ وقواعد سلوك الدول المسؤول ومعاييره ومبادئه؛ والقانون الدولي؛ وتدابير بناء الثقة؛ وبناء القدرات، وفقاً للوثائق المنشئة للآلية"}},
	{Number: "6", Title: concord.Text{"en": "Organization of the work of the dedicated thematic groups", "fr": "Organisation des travaux des groupes thématiques spécialisés",
		"es": "Organización de los trabajos de los grupos temáticos específicos", "ru": "Организация работы специальных тематических групп",
		"ar": "تنظيم أعمال الأفرقة المواضيعية المخصصة"}},
	{Number: "7", Title: concord.Text{"en": "Other matters", "fr": "Questions diverses", "es": "Otros asuntos", "ru": "Прочие вопросы", "zh": "其他事项", "ar": "مسائل أخرى"}},
	{Number: "8", Title: concord.Text{"en": "Adoption of the annual progress report", "fr": "Adoption du rapport d’activité annuel",
		"es": "Aprobación del informe anual sobre los progresos realizados", "ru": "Утверждение ежегодного доклада о ходе работы",
		"zh": "通过年度进展报告", "ar": "اعتماد التقرير المرحلي السنوي"}},
}

// agendaItem5Annex is item 5 as Iran and Russia asked: reflecting
// "paragraph 9 of Annex C" exactly.
var agendaItem5Annex = concord.Text{
	"en": "Discussions on substantive issues as set out in paragraph 9 of Annex C",
	"fr": "Débats sur les questions de fond énoncées au paragraphe 9 de l’annexe C",
	"es": "Debates sobre las cuestiones sustantivas enunciadas en el párrafo 9 del anexo C",
	"ru": "Обсуждение вопросов существа, изложенных в пункте 9 приложения C",
	"zh": "讨论附件C第9段所列的实质性问题",
	"ar": "مناقشات بشأن المسائل الموضوعية المبينة في الفقرة 9 من المرفق جيم",
}

// Agenda adds the provisional agenda of the July 2026 plenary as the
// organisational session handled it (DW-org): the Chair's draft (v1) was put
// to adoption on 31 March; Iran and Russia objected that item 5 did not
// precisely reflect paragraph 9 of Annex C; the EU and Canada supported the
// draft (it already referred to all the relevant documents, and isolating
// one paragraph would itself be renegotiation); the United States reserved
// its position, preferring that the July plenary adopt its own agenda. No
// consensus: not adopted, and under the agenda rule the session proceeds
// informally on the basis of v1. v2, with item 5 reworded as Iran and Russia
// asked, is circulated for the Chair's consultations before July (the
// sources report the request, not such a document; it shows the diff). It
// does nothing when the session has an agenda.
func Agenda(ctx context.Context, db *store.DB) error {
	dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	svc := &agendasvc.Service{Decide: dec}
	if vs, err := svc.Versions(ctx, AgendaSession); err != nil || len(vs) > 0 {
		return err
	}
	clock, at, restore := scriptedClock(db)
	defer restore()
	tick := func() { *clock = clock.Add(3 * time.Minute) }
	chair := &concord.User{Role: concord.RoleChair}
	sec := &concord.User{Role: concord.RoleSecretariat}

	at("2026-03-30T15:00:00Z")
	v1, err := svc.Create(ctx, chair, agendasvc.Draft{Session: AgendaSession, Items: agendaItems})
	if err != nil {
		return fmt.Errorf("seed agenda v1: %w", err)
	}
	at("2026-03-31T15:00:00Z")
	if v1, err = svc.PutToAdoption(ctx, chair, v1.ID); err != nil {
		return fmt.Errorf("seed agenda adoption: %w", err)
	}
	type pos struct {
		actor, lang, text string
		kind              decision.PositionKind
	}
	positions := []pos{
		{"IRN", "en", "The wording of agenda item 5 does not precisely reflect paragraph 9 of Annex C. It must be corrected at this session.", decision.PositionObjection},
		{"RUS", "ru", "Пункт 5 повестки дня должен в точности отражать пункт 9 приложения C.", decision.PositionObjection},
	}
	eu := ""
	groups, _, err := db.ListOrganizations(ctx, store.OrgFilter{Kind: concord.OrgNamedGroup, Limit: 100})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Acronym == "EU" {
			eu = decide.GroupCode(g.ID)
		}
	}
	const euText = "The draft already refers to all the relevant documents. Isolating one paragraph would itself be renegotiation."
	if eu != "" {
		positions = append(positions, pos{eu, "en", euText, decision.PositionSupport})
	} else {
		// Without the EU as a named group, its members speak for themselves.
		for _, iso := range euMembers {
			positions = append(positions, pos{iso, "en", euText, decision.PositionSupport})
		}
	}
	positions = append(positions,
		pos{"CAN", "en", "Canada supports the provisional agenda as circulated: changing item 5 would reopen agreed language.", decision.PositionSupport},
		pos{"USA", "en", "The United States reserves its position: the July plenary should adopt its own agenda.", decision.PositionReservation})
	for _, p := range positions {
		tick()
		if _, err := dec.TakePosition(ctx, sec, v1.DecisionID, decide.PositionInput{Actor: p.actor, Kind: p.kind, Text: p.text, Lang: p.lang}); err != nil {
			return fmt.Errorf("seed agenda position %s: %w", p.actor, err)
		}
	}
	tick()
	if _, err := dec.Act(ctx, chair, v1.DecisionID, decision.ActDecide, true, concord.Text{
		"en": "There is no consensus on the provisional agenda. The Chair will continue consultations before the July session.",
		"fr": "Il n’y a pas de consensus sur l’ordre du jour provisoire. La Présidente poursuivra ses consultations avant la session de juillet.",
		"es": "No hay consenso sobre el programa provisional. La Presidenta continuará sus consultas antes del período de sesiones de julio.",
		"ru": "Консенсуса по предварительной повестке дня нет. Председатель продолжит консультации до июльской сессии.",
		"zh": "临时议程未能达成协商一致。主席将在七月会议之前继续进行磋商。",
		"ar": "لا يوجد توافق في الآراء بشأن جدول الأعمال المؤقت. وستواصل الرئيسة مشاوراتها قبل دورة تموز/يوليه.",
	}); err != nil {
		return fmt.Errorf("seed agenda act: %w", err)
	}

	at("2026-04-20T15:00:00Z")
	items := make([]agendasvc.Item, len(v1.Doc.Items))
	for i, it := range v1.Doc.Items {
		items[i] = agendasvc.Item{ID: it.ID, Number: it.Number, Title: it.Title}
		if it.Number == "5" {
			items[i].Title = agendaItem5Annex
		}
	}
	if _, err := svc.Create(ctx, chair, agendasvc.Draft{Session: AgendaSession, Items: items}); err != nil {
		return fmt.Errorf("seed agenda v2: %w", err)
	}
	return nil
}
