package concord

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text is content with language versions: language code -> text.
type Text map[string]string

// In returns the version in lang, or, when that version does not exist yet,
// the first available one in Languages order with pending set, so that pages
// can mark it "translation pending".
func (t Text) In(lang string) (s, shownLang string, pending bool) {
	if v := t[lang]; v != "" {
		return v, lang, false
	}
	for _, l := range []string{"en", "fr", "es", "ru", "zh", "ar"} {
		if v := t[l]; v != "" {
			return v, l, true
		}
	}
	return "", lang, false
}

// State is a UN Member State or observer State.
type State struct {
	ISO3      string
	ISO2      string
	M49       int
	Status    string // "member" or "observer"
	Region    int    // M49 region code
	SubRegion int    // M49 sub-region code
	Names     Text
	Groups    []GroupMembership
}

// Membership kinds of a State in a regional group.
const (
	KindFull     = "full"
	KindObserver = "observer"
	KindDual     = "dual" // full member of two groups (Türkiye)
)

// RegionalGroup is one of the five UN regional groups.
type RegionalGroup struct {
	Code  string
	Names Text
}

// GroupMembership is a dated fact: State in Group, of a kind, from Since
// until Until (zero when current).
type GroupMembership struct {
	State string
	Group string
	Kind  string
	Since time.Time
	Until time.Time
	Note  string
}

// Current reports whether the membership holds at t.
func (m GroupMembership) Current(t time.Time) bool {
	return !t.Before(m.Since) && (m.Until.IsZero() || t.Before(m.Until))
}

// Organisation kinds.
const (
	OrgStakeholder = "stakeholder" // non-governmental stakeholder
	OrgNamedGroup  = "group"       // a group speaking on behalf of members (EU, G-77 and China)
	OrgIGO         = "igo"         // inter-governmental organisation
)

// Stakeholder types.
var StakeholderTypes = []string{"ngo", "business", "academia", "technical", "other"}

// ECOSOC consultative status categories.
var ECOSOCCategories = []string{"", "general", "special", "roster"}

// Organization is a stakeholder organisation, a named group or an IGO.
type Organization struct {
	ID      int64
	Kind    string
	Names   Text
	Acronym string
	Type    string // stakeholder type, for stakeholders
	Country string // ISO3 of headquarters
	Website string
	ECOSOC  string // consultative status category, "" when none; set by the Secretariat
	// ECOSOCID is the organisation's identifier on the ECOSOC list, recorded
	// by the Secretariat; ECOSOC verification matches on it alone.
	ECOSOCID string
	Members  []string // ISO3 of member States, for named groups
	Updated  time.Time
}

var urlRE = regexp.MustCompile(`^https?://[^\s/$.?#].[^\s]*$`)

// Validate checks an organisation's fields and reports every problem at
// once (Errors), so a form shows them all together.
func (o *Organization) Validate() error {
	var errs Errors
	switch o.Kind {
	case OrgStakeholder, OrgNamedGroup, OrgIGO:
	default:
		errs = append(errs, Errorf(EInvalid, "kind", "error.org_kind", "unknown organisation kind %q", o.Kind))
	}
	hasName := false
	var nameErr *Error
	for _, l := range slices.Sorted(maps.Keys(o.Names)) { // the same error for the same names
		n := strings.TrimSpace(o.Names[l])
		if !IsLanguage(l) {
			nameErr = cmp.Or(nameErr, Errorf(EInvalid, "names", "error.language", "unknown language %q", l))
			continue
		}
		if n != "" {
			hasName = true
		}
		if utf8.RuneCountInString(n) > 300 {
			nameErr = cmp.Or(nameErr, Errorf(EInvalid, "names", "error.too_long", "name over 300 characters"))
		}
	}
	if nameErr == nil && !hasName {
		nameErr = Errorf(EInvalid, "names", "error.required", "a name is required in at least one language")
	}
	if nameErr != nil {
		errs = append(errs, nameErr)
	}
	if o.Kind == OrgStakeholder {
		if !contains(StakeholderTypes, o.Type) {
			errs = append(errs, Errorf(EInvalid, "type", "error.stakeholder_type", "unknown stakeholder type %q", o.Type))
		}
	} else if o.Type != "" {
		errs = append(errs, Errorf(EInvalid, "type", "error.stakeholder_type", "only stakeholders have a type"))
	}
	if !contains(ECOSOCCategories, o.ECOSOC) {
		errs = append(errs, Errorf(EInvalid, "ecosoc", "error.ecosoc", "unknown ECOSOC category %q", o.ECOSOC))
	}
	if !ValidECOSOCID(o.ECOSOCID) {
		errs = append(errs, Errorf(EInvalid, "ecosoc_id", "error.ecosoc_id", "the ECOSOC identifier is at most 40 characters, without spaces"))
	}
	if o.Website != "" && (len(o.Website) > 500 || !urlRE.MatchString(o.Website)) {
		errs = append(errs, Errorf(EInvalid, "website", "error.url", "website must be an http(s) address"))
	}
	if len(o.Acronym) > 30 {
		errs = append(errs, Errorf(EInvalid, "acronym", "error.too_long", "acronym over 30 characters"))
	}
	return errs.Err()
}

// ValidECOSOCID reports whether id can be an identifier on the ECOSOC list
// (empty for none): at most 40 characters, no spaces.
func ValidECOSOCID(id string) bool {
	return len(id) <= 40 && !strings.ContainsFunc(id, unicode.IsSpace)
}

// Person is someone who takes part: a delegate, a focal point, a briefer.
type Person struct {
	ID      int64
	Name    string
	Gender  string // "", "female", "male", "other"
	State   string // ISO3 if the person represents a State
	OrgID   int64  // organisation, if any
	Updated time.Time
}

// Validate checks a person's fields.
func (p *Person) Validate() error {
	n := strings.TrimSpace(p.Name)
	if n == "" {
		return Errorf(EInvalid, "name", "error.required", "name is required")
	}
	if utf8.RuneCountInString(n) > 200 {
		return Errorf(EInvalid, "name", "error.too_long", "name over 200 characters")
	}
	if !contains([]string{"", "female", "male", "other"}, p.Gender) {
		return Errorf(EInvalid, "gender", "error.gender", "unknown gender %q", p.Gender)
	}
	return nil
}

// Delegation is a State's person accredited to a session of the process.
type Delegation struct {
	ID       int64
	State    string
	Session  string // session code, e.g. "GM-2026-1"
	PersonID int64
	Person   string // person's name, for display
	Role     string // "head", "member", "adviser"
}

// DelegationRoles are the roles a person may have in a delegation.
var DelegationRoles = []string{"head", "member", "adviser"}

// Validate checks a delegation entry.
func (d *Delegation) Validate() error {
	if d.PersonID == 0 {
		return Errorf(EInvalid, "person", "error.required", "person is required")
	}
	if !contains(DelegationRoles, d.Role) {
		return Errorf(EInvalid, "role", "error.delegation_role", "unknown delegation role %q", d.Role)
	}
	if s := strings.TrimSpace(d.Session); s == "" || len(s) > 40 {
		return Errorf(EInvalid, "session", "error.required", "session code is required (at most 40 characters)")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
