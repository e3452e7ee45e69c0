package agenda

import (
	"concord"
	"concord/decision"
	"concord/decision/decisiontest"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// decisionTestAgendaV1 is the Chair's draft provisional agenda for July,
// built on the five pillars (item 5 is the disputed one).
func decisionTestAgendaV1() Agenda {
	return Agenda{Session: "GM-2026-1", Version: 1, Issued: decisiontest.At(-72 * time.Hour), Items: []Item{
		{ID: "opening", Number: "1", Title: concord.Text{"en": "Opening of the session", "fr": "Ouverture de la session", "es": "Apertura del período de sesiones"}},
		{ID: "agenda", Number: "2", Title: concord.Text{"en": "Adoption of the agenda", "fr": "Adoption de l'ordre du jour"}},
		{ID: "organisation", Number: "3", Title: concord.Text{"en": "Organization of work", "fr": "Organisation des travaux"}},
		{ID: "threats", Number: "4", Title: concord.Text{"en": "Existing and potential threats", "fr": "Menaces existantes et potentielles"}},
		{ID: "pillars", Number: "5", Title: concord.Text{"en": "Norms, international law, CBMs and capacity-building, as referred to in the relevant documents", "fr": "Normes, droit international, mesures de confiance et renforcement des capacités"}},
		{ID: "other", Number: "6", Title: concord.Text{"en": "Other matters", "fr": "Questions diverses"}},
	}}
}

// decisionTestAgendaV2 is a revision: item 5 quotes paragraph 9 of Annex C,
// a new item on the Voluntary Fund, and the Arabic title of item 1.
func decisionTestAgendaV2() Agenda {
	a := decisionTestAgendaV1()
	a.Version, a.Issued = 2, decisiontest.At(30*24*time.Hour)
	items := slices.Clone(a.Items)
	items[0].Title = concord.Text{"en": "Opening of the session", "fr": "Ouverture de la session", "es": "Apertura del período de sesiones", "ar": "افتتاح الدورة"}
	items[4].Title = concord.Text{"en": "Norms, international law, CBMs and capacity-building, as set out in paragraph 9 of Annex C", "fr": "Normes, droit international, mesures de confiance et renforcement des capacités"}
	items[5].Number = "7"
	a.Items = append(items[:5:5], Item{ID: "fund", Number: "6", Title: concord.Text{"en": "Operationalisation of the Voluntary Fund"}}, items[5])
	return a
}

// --- Agenda -----------------------------------------------------------------

func TestAgendaDiff(t *testing.T) {
	v1, v2 := decisionTestAgendaV1(), decisionTestAgendaV2()
	if err := v1.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := v2.Validate(); err != nil {
		t.Fatal(err)
	}
	ch := Diff(v1, v2)
	type row struct {
		kind       ChangeKind
		item       string
		langs      string
		renumbered bool
	}
	var got []row
	for _, c := range ch {
		var ls []string
		for _, l := range c.Languages {
			ls = append(ls, l.Lang)
		}
		got = append(got, row{c.Kind, c.Item, strings.Join(ls, ","), c.Renumbered})
	}
	want := []row{
		{ItemChanged, "opening", "ar", false}, // Arabic version added
		{ItemChanged, "pillars", "en", false}, // only the English wording changed
		{ItemAdded, "fund", "en", false},
		{ItemChanged, "other", "", true}, // renumbered 6 -> 7, same text
	}
	if !slices.Equal(got, want) {
		t.Fatalf("diff\n got %+v\nwant %+v", got, want)
	}
	en, ok := ch[1].In("en")
	if !ok || !strings.Contains(en.To, "paragraph 9 of Annex C") || strings.Contains(en.From, "paragraph 9") {
		t.Errorf("item 5 in English: %+v", en)
	}
	if _, ok := ch[1].In("fr"); ok {
		t.Error("French unchanged")
	}
	if ar, _ := ch[0].In("ar"); ar.From != "" || ar.To == "" {
		t.Errorf("Arabic added: %+v", ar)
	}
	if ch[3].FromNumber != "6" || ch[3].ToNumber != "7" {
		t.Errorf("renumbering %+v", ch[3])
	}
	// Reverse: the fund item is removed.
	back := Diff(v2, v1)
	if last := back[len(back)-1]; last.Kind != ItemRemoved || last.Item != "fund" || last.ToNumber != "" {
		t.Errorf("reverse diff ends with %+v", last)
	}
	if d := Diff(v1, v1); len(d) != 0 {
		t.Errorf("self diff %+v", d)
	}
	// Items without IDs are matched by number.
	a := Agenda{Version: 1, Items: []Item{{Number: "1", Title: concord.Text{"en": "A"}}}}
	b := Agenda{Version: 2, Items: []Item{{Number: "1", Title: concord.Text{"en": "B"}}}}
	if d := Diff(a, b); len(d) != 1 || d[0].Kind != ItemChanged {
		t.Errorf("by number: %+v", d)
	}
}

func TestAgendaValidateAndProposal(t *testing.T) {
	bad := []struct {
		a     Agenda
		field string
	}{
		{Agenda{Version: 0, Items: []Item{{Number: "1", Title: concord.Text{"en": "x"}}}}, "version"},
		{Agenda{Version: 1}, "items"},
		{Agenda{Version: 1, Items: []Item{{Number: " ", Title: concord.Text{"en": "x"}}}}, "items[0].number"},
		{Agenda{Version: 1, Items: []Item{{Number: "1", Title: concord.Text{"en": "x"}}, {Number: "1", Title: concord.Text{"en": "y"}}}}, "items[1].id"},
		{Agenda{Version: 1, Items: []Item{{Number: "1", Title: concord.Text{"xx": "x"}}}}, "items[0].title"},
	}
	for _, b := range bad {
		var de *concord.Error
		if err := b.a.Validate(); !errors.As(err, &de) || de.Field != b.field {
			t.Errorf("want %s, got %v", b.field, err)
		}
	}
	p := decisionTestAgendaV1().Proposal()
	if !strings.HasPrefix(p["en"], "1. Opening of the session\n2. Adoption") || p["fr"] == "" || p["ar"] != "" {
		t.Errorf("proposal %q", p)
	}
	if !strings.Contains(p["es"], "2. Adoption of the agenda") { // fallback for missing Spanish titles
		t.Errorf("Spanish falls back: %q", p["es"])
	}
	if m := decisionTestAgendaV1().Missing(); len(m) != 6*6-3-5*2 { // item 1 has three versions, the others two
		t.Errorf("missing %d", len(m))
	}
}

func TestAgendaAdoptStates(t *testing.T) {
	v1 := decisionTestAgendaV1()
	f := decisiontest.AgendaFacts()
	for _, c := range []struct {
		name string
		pol  func(Policy) Policy
		mut  func(*decision.Facts)
		now  time.Duration
		want State
	}{
		{"provisional", nil, nil, 2 * time.Hour, Provisional},
		{"not adopted, proceed informally", nil, nil, 28 * time.Hour, NotAdoptedProceedInformally},
		{"not adopted", func(p Policy) Policy { p.ProceedInformally = false; return p }, nil, 28 * time.Hour, NotAdopted},
		{"adopted once the objections are withdrawn", nil, func(f *decision.Facts) {
			f.Positions = append(slices.Clone(f.Positions), decision.Position{Actor: "IRN", Kind: decision.PositionWithdrawal, At: decisiontest.At(20 * time.Hour), Seq: 6}, decision.Position{Actor: "RUS", Kind: decision.PositionReservation, At: decisiontest.At(20 * time.Hour), Seq: 7})
		}, 28 * time.Hour, Adopted},
		{"deferred to July", nil, func(f *decision.Facts) {
			f.Acts = []decision.Act{{Kind: decision.ActDefer, At: decisiontest.At(26 * time.Hour)}}
		}, 28 * time.Hour, Deferred},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultPolicy()
			if c.pol != nil {
				p = c.pol(p)
			}
			ff := f
			if c.mut != nil {
				c.mut(&ff)
			}
			r, err := Adopt(p, v1, ff, decisiontest.At(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if r.State != c.want {
				t.Errorf("state %s, want %s (%s)", r.State, c.want, r.Decision.Outcome)
			}
			decisiontest.CheckReasons(t, r.Decision)
		})
	}
	// Wrong subject, survey modality.
	g := f
	g.Kind = decision.KindGeneric
	if _, err := Adopt(DefaultPolicy(), v1, g, decisiontest.T0); concord.ErrorCode(err) != concord.EInvalid {
		t.Errorf("generic facts: %v", err)
	}
	p := DefaultPolicy()
	p.Modality = decision.ModalityAdvisorySurvey
	if err := p.Validate(); err == nil {
		t.Error("agenda by survey accepted")
	}
}

// TestAgendaAdoptOrganisationalSession: the March 2026 dispute under the
// agenda rule: not adopted, the session proceeds informally, and the draft
// lacks Arabic, Chinese and Russian versions.
func TestAgendaAdoptOrganisationalSession(t *testing.T) {
	res, err := Adopt(DefaultPolicy(), decisionTestAgendaV1(), decisiontest.AgendaFacts(), decisiontest.At(28*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.State != NotAdoptedProceedInformally || res.Decision.Outcome != decision.OutcomeNotAdopted {
		t.Fatalf("state %s outcome %s", res.State, res.Decision.Outcome)
	}
	if len(res.Warnings) == 0 {
		t.Error("the draft lacks Arabic, Chinese and Russian versions: warnings expected")
	}
}

// TestCanPutToAdoption: only the latest version, once, while the agenda is
// not adopted and no adoption is under way; the first reason that applies is
// the one given.
func TestCanPutToAdoption(t *testing.T) {
	a := decisionTestAgendaV2()
	key := func(err error) string {
		var e *concord.Error
		if err == nil || !errors.As(err, &e) {
			return ""
		}
		return e.Key
	}
	for _, c := range []struct {
		name string
		st   Standing
		put  bool
		want string
	}{
		{"latest, untouched", Standing{Session: "GM-2026-1", Latest: true}, false, ""},
		{"put already", Standing{Session: "GM-2026-1", Latest: true, Adopted: true}, true, "agendas.error.already_put"},
		{"adopted", Standing{Session: "GM-2026-1", Latest: true, Adopted: true, OtherPending: true}, false, "agendas.error.adopted"},
		{"another under way", Standing{Session: "GM-2026-1", OtherPending: true}, false, "agendas.error.pending"},
		{"superseded", Standing{Session: "GM-2026-1"}, false, "agendas.error.superseded"},
	} {
		if got := key(c.st.CanPutToAdoption(a, c.put)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
