package concord

import "time"

// Development categories used by classification schemes.
const (
	Developed  = "developed"
	Developing = "developing"
)

// ClassificationScheme is a dated, sourced way of calling States developed or
// developing. The UN has no convention for this (domain brief §4.3), so a
// process chooses one scheme and shows which.
type ClassificationScheme struct {
	Code     string
	Names    Text
	Source   string    // citation or URL
	Dated    time.Time // date of the rule or list
	Editable bool      // the Secretariat may change assignments (self-declared)
}

// Well-known scheme codes.
const (
	SchemeUNCTAD       = "unctad-m49"
	SchemeSelfDeclared = "self-declared"
)

// unctadDevelopedExtra are the States outside Northern America and Europe that
// UNCTADstat's M49-based rule counts as developed.
var unctadDevelopedExtra = map[string]bool{"ISR": true, "JPN": true, "KOR": true, "AUS": true, "NZL": true}

// M49 codes the UNCTAD rule uses.
const (
	m49Europe          = 150
	m49NorthernAmerica = 21
)

// UNCTADCategory applies UNCTADstat's rule: developed = Northern America,
// Europe, Israel, Japan, Republic of Korea, Australia, New Zealand.
func UNCTADCategory(s State) string {
	if s.Region == m49Europe || s.SubRegion == m49NorthernAmerica || unctadDevelopedExtra[s.ISO3] {
		return Developed
	}
	return Developing
}

// Process is a consensus-based body run on Concord, with its settings.
type Process struct {
	Code     string
	Names    Text
	TimeZone string // IANA name; deadlines are stored in UTC and shown here
	Scheme   string // classification scheme code
}

// DefaultProcessCode is the built-in Global Mechanism.
const DefaultProcessCode = "global-mechanism"
