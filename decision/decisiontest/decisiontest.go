// Package decisiontest holds the fixtures the tests of the applications
// built on the decision engine share (agenda, briefer, co-facilitator,
// topic): the regional groups as counted for elections, the EU, every
// State, the opening of the organisational session, its agenda dispute,
// and a check that a result's message keys are declared. The engine's own
// tests keep a copy inside package decision, which cannot import this one.
package decisiontest

import (
	"concord"
	"concord/decision"
	"slices"
	"strings"
	"testing"
	"time"
)

// Fixtures for the decision engine, built from the domain brief (§4.2) and
// the Digital Watch report on the organisational session (30–31 March 2026).

// Regional is the five regional groups as counted for elections
// (domain brief §4.2; Türkiye and the USA count in WEOG).
var Regional = map[string]string{
	"AG":     "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE",
	"APG":    "AFG ARE BGD BHR BRN BTN CHN CYP FJI FSM IDN IND IRN IRQ JOR JPN KAZ KGZ KHM KIR KOR KWT LAO LBN LKA MDV MHL MMR MNG MYS NPL NRU OMN PAK PHL PLW PNG PRK QAT SAU SGP SLB SYR THA TJK TKM TLS TON TUV UZB VNM VUT WSM YEM",
	"EEG":    "ALB ARM AZE BGR BIH BLR CZE EST GEO HRV HUN LTU LVA MDA MKD MNE POL ROU RUS SRB SVK SVN UKR",
	"GRULAC": "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR TTO URY VCT VEN",
	"WEOG":   "AND AUS AUT BEL CAN CHE DEU DNK ESP FIN FRA GBR GRC IRL ISL ISR ITA LIE LUX MCO MLT NLD NOR NZL PRT SMR SWE TUR USA",
}

// EU is the European Union's 27 member States.
const EU = "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE"

// All is the 193 Member States and the 2 observer States, sorted.
var All = func() []string {
	var out []string
	for _, list := range Regional {
		out = append(out, strings.Fields(list)...)
	}
	out = append(out, "VAT", "PSE")
	slices.Sort(out)
	return out
}()

// T0 is the opening of the organisational session (10:00 in New
// York, 14:00 UTC).
var T0 = time.Date(2026, 3, 30, 14, 0, 0, 0, time.UTC)

// At is T0 plus d.
func At(d time.Duration) time.Time { return T0.Add(d) }

// EUGroup is the EU as a named group.
func EUGroup() decision.Group {
	return decision.Group{Code: "EU", Names: concord.Text{"en": "European Union"}, Members: strings.Fields(EU)}
}

// AgendaFacts are the organisational session's positions on
// the draft agenda: Iran and Russia object (item 5 must reflect paragraph 9
// of Annex C); the EU (on behalf of its members) and Canada oppose reopening
// it; the USA reserves its position; the Chair tries to adopt it on the
// second day, in a formal meeting.
func AgendaFacts() decision.Facts {
	return decision.Facts{
		Kind:         decision.KindAgendaAdoption,
		Subject:      "GM-2026-1/v1",
		Proposal:     concord.Text{"en": "1. Opening of the session\n2. Adoption of the agenda\n3. Organization of work\n4. Existing and potential threats\n5. Norms, international law, CBMs and capacity-building, as referred to in the relevant documents\n6. Other matters"},
		ProposedBy:   decision.ActorChair,
		ProposedAt:   T0,
		Participants: All,
		Groups:       []decision.Group{EUGroup()},
		Positions: []decision.Position{
			{Actor: "IRN", Kind: decision.PositionObjection, Text: "The wording of item 5 does not precisely reflect paragraph 9 of Annex C; it must be corrected at this session.", Lang: "en", Paragraphs: []string{"item 5"}, At: At(1 * time.Hour), Seq: 1},
			{Actor: "RUS", Kind: decision.PositionObjection, Text: "Пункт 5 должен точно отражать пункт 9 приложения C.", Lang: "ru", Paragraphs: []string{"item 5"}, At: At(1*time.Hour + 10*time.Minute), Seq: 2},
			{Actor: "EU", Kind: decision.PositionSupport, Text: "The draft already references all relevant documents; isolating one paragraph would be renegotiation.", Lang: "en", At: At(1*time.Hour + 20*time.Minute), Seq: 3},
			{Actor: "CAN", Kind: decision.PositionSupport, Text: "Changing item 5 would amount to renegotiation.", Lang: "en", At: At(1*time.Hour + 30*time.Minute), Seq: 4},
			{Actor: "USA", Kind: decision.PositionReservation, Text: "We reserve our position; the July plenary should adopt its own agenda.", Lang: "en", At: At(1*time.Hour + 40*time.Minute), Seq: 5},
		},
		Acts: []decision.Act{{Kind: decision.ActDecide, At: At(27 * time.Hour), Seq: 1, Formal: true}},
	}
}

// CheckReasons fails when a result carries a key or an argument
// that decision.MessageKeys does not declare.
func CheckReasons(t *testing.T, r decision.Result) {
	t.Helper()
	check := func(key string, args map[string]string) {
		names, ok := decision.MessageKeys[key]
		if !ok {
			t.Errorf("key %q not in DecisionMessageKeys", key)
		}
		for a := range args {
			if !slices.Contains(names, a) {
				t.Errorf("key %q: argument %q not declared", key, a)
			}
		}
	}
	for _, x := range r.Reasons {
		check(x.Key, x.Args)
	}
	for _, n := range r.Next {
		check(n.Key, n.Args)
	}
	for _, e := range r.History {
		if e.Key != "" {
			check(e.Key, nil)
		}
	}
}

// GroupOf maps ISO3 to its electoral regional group.
var GroupOf = func() func(string) string {
	m := map[string]string{}
	for g, list := range Regional {
		for _, s := range strings.Fields(list) {
			m[s] = g
		}
	}
	return func(s string) string { return m[s] }
}()

// States lists the States of entries, comma separated.
func States(es []decision.Entry) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.State
	}
	return strings.Join(out, ", ")
}
