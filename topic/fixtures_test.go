package topic

import (
	"slices"
	"strings"
	"time"
)

// Fixtures for the decision engine, built from the domain brief (§4.2) and
// the Digital Watch report on the organisational session (30–31 March 2026).

// decisionTestRegional is the five regional groups as counted for elections
// (domain brief §4.2; Türkiye and the USA count in WEOG).
var decisionTestRegional = map[string]string{
	"AG":     "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE",
	"APG":    "AFG ARE BGD BHR BRN BTN CHN CYP FJI FSM IDN IND IRN IRQ JOR JPN KAZ KGZ KHM KIR KOR KWT LAO LBN LKA MDV MHL MMR MNG MYS NPL NRU OMN PAK PHL PLW PNG PRK QAT SAU SGP SLB SYR THA TJK TKM TLS TON TUV UZB VNM VUT WSM YEM",
	"EEG":    "ALB ARM AZE BGR BIH BLR CZE EST GEO HRV HUN LTU LVA MDA MKD MNE POL ROU RUS SRB SVK SVN UKR",
	"GRULAC": "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR TTO URY VCT VEN",
	"WEOG":   "AND AUS AUT BEL CAN CHE DEU DNK ESP FIN FRA GBR GRC IRL ISL ISR ITA LIE LUX MCO MLT NLD NOR NZL PRT SMR SWE TUR USA",
}

// decisionTestGroupOf maps ISO3 to its electoral regional group.
var decisionTestGroupOf = func() func(string) string {
	m := map[string]string{}
	for g, list := range decisionTestRegional {
		for _, s := range strings.Fields(list) {
			m[s] = g
		}
	}
	return func(s string) string { return m[s] }
}()

// decisionTestAll is the 193 Member States and the 2 observer States, sorted.
var decisionTestAll = func() []string {
	var out []string
	for _, list := range decisionTestRegional {
		out = append(out, strings.Fields(list)...)
	}
	out = append(out, "VAT", "PSE")
	slices.Sort(out)
	return out
}()

// decisionTestT0 is the opening of the organisational session (10:00 in New
// York, 14:00 UTC).
var decisionTestT0 = time.Date(2026, 3, 30, 14, 0, 0, 0, time.UTC)

// decisionTestAt is T0 plus d.
func decisionTestAt(d time.Duration) time.Time { return decisionTestT0.Add(d) }
