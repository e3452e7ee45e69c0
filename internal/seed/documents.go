package seed

import (
	"concord/document"
	"concord/meeting"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"concord"
	"concord/internal/documents"
	"concord/internal/store"
)

// The demo's documents: those of the first substantive plenary (July 2026)
// and of the December 2026 DTG meetings, published by the Secretariat at
// the dates they carry, some translations still pending, one revision, one
// restricted conference room paper and France's national contribution.

// DocumentsPerScale is the documents seed --scale adds per unit.
const DocumentsPerScale = 10000

// scaleDocuments is DocumentsPerScale unless a test lowers it.
var scaleDocuments = DocumentsPerScale

// SetScaleDocuments sets how many documents a scale unit adds (tests that
// count queries need hundreds, not ten thousand) and returns the function
// that restores it.
func SetScaleDocuments(n int) func() {
	old := scaleDocuments
	scaleDocuments = n
	return func() { scaleDocuments = old }
}

// demoPDF is a small valid PDF for the demo's files.
func demoPDF(title string) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n%% %s\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", title)
}

// Documents adds the demo's documents once (nothing when there are any).
func Documents(ctx context.Context, db *store.DB) error {
	svc := &documents.Service{DB: db, Process: concord.DefaultProcessCode, Pattern: document.GlobalMechanism}
	if l, err := svc.List(ctx, &concord.User{Role: concord.RoleSecretariat}, documents.Filter{}); err != nil || l.Total > 0 {
		return err
	}
	ms, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Upcoming: true, Now: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 50})
	if err != nil {
		return err
	}
	find := func(b meeting.Body, month time.Month) []int64 {
		for _, m := range ms {
			if m.Body == b && m.Start.Year() == 2026 && m.Start.Month() == month {
				return []int64{m.ID}
			}
		}
		return nil
	}
	july, dtg1, dtg2 := find(meeting.Plenary, time.July), find(meeting.DTG1, time.December), find(meeting.DTG2, time.December)
	_, at, restore := scriptedClock(db)
	defer restore()
	sec := &concord.User{Role: concord.RoleSecretariat}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	file := func(l string, st document.Status, title string) documents.VersionInput {
		return documents.VersionInput{Lang: l, Status: st, FileName: title + "-" + l + ".pdf", Data: demoPDF(title + " " + l)}
	}
	pending := func(ls ...string) []documents.VersionInput {
		var out []documents.VersionInput
		for _, l := range ls {
			out = append(out, documents.VersionInput{Lang: l, Status: document.Pending})
		}
		return out
	}
	for _, d := range []documents.Input{
		{Symbol: "A/AC.GM/2026/1", Type: document.ProvisionalAgenda, Authors: []string{"secretariat"}, Date: day("2026-06-19"), Meetings: july,
			Title: concord.Text{"en": "Provisional agenda of the first substantive session", "fr": "Ordre du jour provisoire de la première session de fond",
				"es": "Programa provisional del primer período de sesiones sustantivo", "ru": "Предварительная повестка дня первой основной сессии",
				"zh": "第一届实质性会议临时议程", "ar": "جدول الأعمال المؤقت للدورة الموضوعية الأولى"},
			Versions: []documents.VersionInput{file("en", document.Original, "agenda"), file("fr", document.Official, "agenda"), file("es", document.Official, "agenda"),
				file("ru", document.Official, "agenda"), file("zh", document.Official, "agenda"), file("ar", document.Official, "agenda")}},
		{Symbol: "A/AC.GM/2026/2", Type: document.ChairsLetter, Authors: []string{"chair"}, Date: day("2026-06-26"), Meetings: july,
			Title:    concord.Text{"en": "Letter from the Chair on the organisation of work", "fr": "Lettre de la présidence sur l'organisation des travaux"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "letter"), file("fr", document.Official, "letter")}, pending("ar", "zh", "ru", "es")...)},
		{Symbol: "A/AC.GM/2026/WP.1", Type: document.WorkingPaper, Authors: []string{"chair"}, Date: day("2026-07-10"), Meetings: july,
			Title:    concord.Text{"en": "Elements for the programme of work of the Dedicated Thematic Groups"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "wp1")}, pending("ar", "zh", "fr", "ru", "es")...)},
		{Symbol: "A/AC.GM/2026/WP.1/Rev.1", Type: document.WorkingPaper, Authors: []string{"chair"}, Date: day("2026-07-22"), Meetings: july, Items: []document.ItemRef{{Session: AgendaSession, Item: "item-6"}},
			Title:    concord.Text{"en": "Elements for the programme of work of the Dedicated Thematic Groups", "es": "Elementos para el programa de trabajo de los Grupos Temáticos Especializados"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "wp1-rev1"), file("es", document.Unofficial, "wp1-rev1")}, pending("ar", "fr")...)},
		{Symbol: "A/AC.GM/2026/NC.1", Type: document.NationalContribution, Authors: []string{"FRA"}, Date: day("2026-07-15"), Meetings: july, Items: []document.ItemRef{{Session: AgendaSession, Item: "item-5"}},
			Title:    concord.Text{"fr": "Contribution de la France sur le renforcement des capacités", "en": "Contribution of France on capacity-building"},
			Versions: []documents.VersionInput{file("fr", document.Original, "fra"), file("en", document.Unofficial, "fra")}},
		{Symbol: "A/AC.GM/2026/CRP.1", Type: document.ConferenceRoomPaper, Authors: []string{"chair"}, Date: day("2026-07-23"), Meetings: july, Items: []document.ItemRef{{Session: AgendaSession, Item: "item-5"}}, Distribution: document.Restricted,
			Title:    concord.Text{"en": "Draft elements of the report (for consultation among States)"},
			Versions: []documents.VersionInput{file("en", document.Original, "crp1")}},
		{Symbol: "A/AC.GM/2026/3", Type: document.ChairsSummary, Authors: []string{"chair"}, Date: day("2026-08-14"), Meetings: july,
			Title:    concord.Text{"en": "Chair's summary of the first substantive session", "ar": "موجز الرئيس للدورة الموضوعية الأولى"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "summary")}, pending("ar", "zh", "fr", "ru", "es")...)},
		{Symbol: "A/AC.GM/2026/INF.1", Type: document.InformationNote, Authors: []string{"secretariat"}, Date: day("2026-11-20"), Meetings: append(dtg1, dtg2...),
			Title: concord.Text{"en": "Information note for the meetings of the Dedicated Thematic Groups", "fr": "Note d'information pour les réunions des groupes thématiques spécialisés",
				"ar": "مذكرة إعلامية لاجتماعات الأفرقة المواضيعية المخصصة"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "inf1"), file("fr", document.Official, "inf1"), file("ar", document.Official, "inf1")}, pending("zh", "ru", "es")...)},
		{Symbol: "A/AC.GM/2026/4", Type: document.ProvisionalAgenda, Authors: []string{"secretariat"}, Date: day("2026-11-23"), Meetings: dtg1,
			Title:    concord.Text{"en": "Provisional agenda of the first meeting of DTG 1"},
			Versions: append([]documents.VersionInput{file("en", document.Original, "agenda-dtg1")}, pending("ar", "zh", "fr", "ru", "es")...)},
	} {
		if d.Distribution == "" {
			d.Distribution = document.General
		}
		at(d.Date.Add(15 * time.Hour).Format(time.RFC3339))
		if _, err := svc.Publish(ctx, sec, d); err != nil {
			return fmt.Errorf("demo document %s: %w", d.Symbol, err)
		}
	}
	return nil
}

// ScaleDocuments adds DocumentsPerScale documents (fewer under
// SetScaleDocuments) for unit batch of scale, in one write: every type, most general, some limited or restricted, texts
// in one to six languages, the rest pending, a few linked to meetings.
func ScaleDocuments(ctx context.Context, db *store.DB, r *rand.Rand, batch int) error {
	ms, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Upcoming: true, Now: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 200})
	if err != nil {
		return err
	}
	base := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	statuses := []document.Status{document.Official, document.Official, document.Unofficial, document.Pending, document.Pending}
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		// The search index of the new documents in bulk, at the end.
		tx.BulkSearch()
		for i := range scaleDocuments {
			n := batch*scaleDocuments + i
			t := document.Types[r.IntN(len(document.Types))]
			authors := []string{"secretariat"}
			switch t {
			case document.ChairsLetter, document.ChairsSummary:
				authors = []string{"chair"}
			case document.NationalContribution:
				authors = []string{[]string{"FRA", "BRA", "KEN", "IND", "MEX", "NOR"}[r.IntN(6)]}
			case document.StakeholderInput:
				authors = []string{fmt.Sprintf("org-%d", 1+r.IntN(500))}
			}
			// A title and four to six sentences, the same in every
			// language (translations of one another), for search.
			ti := r.IntN(len(titles["en"]))
			picks := r.Perm(len(sentences["en"]))[:4+r.IntN(3)]
			title := concord.Text{}
			for _, l := range concord.Languages {
				title[l] = fmt.Sprintf("%s (%d)", titles[l][ti], n+1)
			}
			d := document.Document{Process: concord.DefaultProcessCode, Symbol: fmt.Sprintf("A/AC.GM/S/%d", n+1), Type: t, Authors: authors,
				Title: title,
				Date:  base.Add(time.Duration(n/20) * 24 * time.Hour), Distribution: []document.Distribution{document.General, document.General, document.General, document.Limited, document.Restricted}[r.IntN(5)]}
			orig := concord.Languages[r.IntN(len(concord.Languages))]
			for _, l := range concord.Languages {
				text := make([]string, len(picks))
				for k, p := range picks {
					text[k] = sentences[l][p]
				}
				sep := " "
				if l == "zh" {
					sep = ""
				}
				v := document.Version{Lang: l, Status: document.Original, Text: strings.Join(text, sep)}
				if l != orig {
					v.Status = statuses[r.IntN(len(statuses))]
					if v.Status == document.Pending {
						v.Text = ""
					}
				}
				d.Versions = append(d.Versions, v)
			}
			if n%3 == 0 {
				// An agenda item of the July session, derived from n so that
				// the random draws (and the rest of the data) stay as they were.
				d.Items = []document.ItemRef{{Session: AgendaSession, Item: fmt.Sprintf("item-%d", 1+n/3%6)}}
			}
			if len(ms) > 0 && r.IntN(4) == 0 {
				d.Meetings = []int64{ms[r.IntN(len(ms))].ID}
			}
			if err := tx.SaveRecordDocument(&d, document.GlobalMechanism, nil, "document.publish"); err != nil {
				return err
			}
		}
		return tx.FlushSearch()
	})
}
