package decide

// The Dedicated Thematic Groups of the Global Mechanism (A/80/257 annex I;
// domain brief §1.3): one on specific challenges to an open, secure, stable,
// accessible, peaceful and interoperable ICT environment, one on ICT security
// capacity-building. Their codes are what records are scoped by and what
// URLs and the API carry; pages name them through the "topics.dtg.<code>"
// catalogue keys. Kept in this one place so that every application of the
// DTGs (co-facilitators, topics, briefers) can share it.
const (
	DTGChallenges = "DTG-1"
	DTGCapacity   = "DTG-2"
)

// DTGs lists the Dedicated Thematic Groups in the order pages show them.
var DTGs = []string{DTGChallenges, DTGCapacity}

// IsDTG reports whether code names a Dedicated Thematic Group.
func IsDTG(code string) bool {
	for _, d := range DTGs {
		if d == code {
			return true
		}
	}
	return false
}
