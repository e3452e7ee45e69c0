// Package rule holds the rules of procedure as data (DESIGN.md "procedure as
// data"): each contested point of procedure an application runs under —
// agenda adoption, co-facilitator appointment, DTG topic selection, briefer
// confirmation — is a dated, versioned rule. A process keeps every version;
// the version in force at an instant is the latest whose Effective is not
// after it. A subject (an agenda version, a nomination) records the version it
// was put forward under, so a later change never rewrites what already
// happened.
//
// A rule is one Version type for any policy: the policy validates itself,
// says the decision policy it puts decisions under and its terms. A new
// contested rule is a new Policy type and its Kind, registered once
// (package procedure lists them).
package rule

import (
	"bytes"
	"cmp"
	"concord"
	"concord/decision"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Policy is the settings of one contested rule.
type Policy interface {
	// Validate checks the settings.
	Validate() error
	// Decision is the policy decisions taken under the rule follow.
	Decision() decision.Policy
	// Terms summarises the settings, term by term, for pages.
	Terms() []Term
	// Stamp records in the policy the version it belongs to, so that
	// decisions taken under it name the version.
	Stamp(code string, version int, effective time.Time)
}

// Kind describes one contested rule.
type Kind struct {
	Code string // e.g. "agenda"
	// Field is the name of the JSON member a version carries its policy in
	// (stored in procedure_rules and returned by the API), e.g. "Agenda".
	Field string
	// New returns an empty policy of the rule, to decode into.
	New func() Policy
	// Default is the policy a process starts with.
	Default func() Policy
	// Note says why the default was chosen, in up to six languages.
	Note concord.Text
	// TermKeys lists every catalogue key the policy's Terms may return
	// (besides the common ones of this package), for the catalogue test.
	TermKeys []string
}

// kinds are the registered rules, in the order pages show them.
var kinds []Kind

// Register adds rules, in the order pages show them. A code registered twice
// is a programming error.
func Register(ks ...Kind) {
	for _, k := range ks {
		if _, ok := KindOf(k.Code); ok {
			panic("rule: " + k.Code + " registered twice")
		}
		kinds = append(kinds, k)
	}
}

// KindOf returns the registered rule with code.
func KindOf(code string) (Kind, bool) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.Code == code })
	if i < 0 {
		return Kind{}, false
	}
	return kinds[i], true
}

// Codes lists the registered rules in the order pages show them.
func Codes() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Code
	}
	return out
}

// Version is one dated version of one procedure rule.
type Version struct {
	Code      string
	Version   int
	Effective time.Time    // from when it applies (UTC)
	Recorded  time.Time    // when the Secretariat entered it
	Note      concord.Text `json:",omitempty"` // why: the decision or consultation behind it, in up to six languages
	// Policy is the rule's settings, of the Kind Code names. In JSON it is
	// the member named by the Kind's Field.
	Policy Policy `json:"-"`
}

// versionJSON is Version without its methods, for encoding/json.
type versionJSON Version

// MarshalJSON writes the version with its policy in the member its kind
// names ({"Code": "agenda", ..., "Agenda": {...}}).
func (v Version) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(versionJSON(v))
	if err != nil || v.Policy == nil {
		return b, err
	}
	k, ok := KindOf(v.Code)
	if !ok {
		return b, nil
	}
	p, err := json.Marshal(v.Policy)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	fmt.Fprintf(&buf, ",%q:", k.Field)
	buf.Write(p)
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a version written by MarshalJSON. The policy member is
// matched without regard to case, like encoding/json's fields; a member of
// another rule is ignored (Validate then reports the missing policy).
func (v *Version) UnmarshalJSON(b []byte) error {
	var base versionJSON
	if err := json.Unmarshal(b, &base); err != nil {
		return err
	}
	*v = Version(base)
	k, ok := KindOf(v.Code)
	if !ok {
		return nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	for name, raw := range members {
		if strings.EqualFold(name, k.Field) && !bytes.Equal(raw, []byte("null")) {
			p := k.New()
			if err := json.Unmarshal(raw, p); err != nil {
				return err
			}
			v.Policy = p
		}
	}
	return nil
}

// noteMax bounds a version's note (runes).
const noteMax = 1000

// Validate checks that the version carries the policy its code names, and
// that policy.
func (v Version) Validate() error {
	k, ok := KindOf(v.Code)
	if !ok {
		return concord.Errorf(concord.EInvalid, "code", "procrule.error.code", "unknown rule %q", v.Code)
	}
	if v.Policy == nil || reflect.ValueOf(v.Policy).IsNil() || reflect.TypeOf(v.Policy) != reflect.TypeOf(k.New()) {
		return concord.Errorf(concord.EInvalid, "policy", "procrule.error.policy", "a version of %q carries exactly that rule", v.Code)
	}
	var errs concord.Errors // the note's problems and the policy's, together
	for l, s := range v.Note {
		if !concord.IsLanguage(l) {
			errs.Add(concord.Errorf(concord.EInvalid, "note", "decision.error.language", "unknown language %q", l))
			break
		}
		if len([]rune(s)) > noteMax {
			errs.Add(concord.Errorf(concord.EInvalid, "note", "error.too_long", "the note is over %d characters", noteMax))
			break
		}
	}
	errs.Add(v.Policy.Validate())
	return errs.Err()
}

// Refs is the reference data a rule's settings may name (classification
// schemes, ...), so that a version naming something unknown is refused when
// it is recorded rather than failing every page that reads it later.
type Refs struct {
	Schemes []string // classification scheme codes
}

// Referring is a Policy whose settings name reference data.
type Referring interface {
	// CheckRefs reports every name the settings use that refs lacks.
	CheckRefs(refs Refs) error
}

// CheckRefs checks that every name the version's policy uses resolves in
// refs (nil when the policy names none).
func (v Version) CheckRefs(refs Refs) error {
	if v.Policy == nil || reflect.ValueOf(v.Policy).IsNil() {
		return nil // Validate reports the missing policy
	}
	if p, ok := v.Policy.(Referring); ok {
		return p.CheckRefs(refs)
	}
	return nil
}

// Stamped is the rule version a policy belongs to. Every policy embeds it,
// which gives the policy its Stamp method; stored JSON keeps the three
// fields at the policy's top level.
type Stamped struct {
	Code      string
	Version   int
	Effective time.Time
}

// Stamp records the rule version the policy belongs to.
func (s *Stamped) Stamp(code string, version int, effective time.Time) {
	s.Code, s.Version, s.Effective = code, version, effective
}

// Stamp copies the version's number and date into the policy it carries, so
// that decisions taken under it name the version.
func (v *Version) Stamp() {
	if v.Policy != nil {
		v.Policy.Stamp(v.Code, v.Version, v.Effective)
	}
}

// Terms summarises the version's rule, term by term.
func (v Version) Terms() []Term {
	if v.Policy == nil {
		return nil
	}
	return v.Policy.Terms()
}

// InForce returns the version of code in force at t: the latest
// Effective not after t (a later version number wins a tie). ok is false
// when no version applies yet.
func InForce(versions []Version, code string, t time.Time) (Version, bool) {
	var best Version
	ok := false
	for _, v := range versions {
		if v.Code != code || v.Effective.After(t) {
			continue
		}
		if !ok || v.Effective.After(best.Effective) || (v.Effective.Equal(best.Effective) && v.Version > best.Version) {
			best, ok = v, true
		}
	}
	return best, ok
}

// NextChange is the earliest Effective after now (zero when no version
// is scheduled): when the rules in force change without any write.
func NextChange(versions []Version, now time.Time) time.Time {
	var t time.Time
	for _, v := range versions {
		if v.Effective.After(now) && (t.IsZero() || v.Effective.Before(t)) {
			t = v.Effective
		}
	}
	return t
}

// History returns the versions of code, newest first.
func History(versions []Version, code string) []Version {
	var out []Version
	for _, v := range versions {
		if v.Code == code {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Version) int { return cmp.Compare(b.Version, a.Version) })
	return out
}

// Defaults are the first versions a process starts with, one per registered
// rule: the Chair's proposals of March 2026 where there was one, and
// otherwise the reading that needs least agreement (domain brief §5).
func Defaults(effective time.Time) []Version {
	out := make([]Version, len(kinds))
	for i, k := range kinds {
		out[i] = Version{Code: k.Code, Version: 1, Effective: effective, Recorded: effective, Note: k.Note, Policy: k.Default()}
		out[i].Stamp()
	}
	return out
}

// Term is one line of a rule's summary: a label key and a value key of
// the catalogues, with the value's arguments. Pages render the terms in
// every language; the API returns the policy itself.
type Term struct {
	Label string
	Value string // catalogue key; "" when Raw is the value
	Args  map[string]string
	Raw   string // a value shown as is (a number, a scheme's code)
}

// NewTerm is a term with a catalogue value and its arguments as key, value
// pairs.
func NewTerm(label, value string, kv ...string) Term {
	t := Term{Label: label, Value: value}
	if len(kv) > 0 {
		t.Args = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			t.Args[kv[i]] = kv[i+1]
		}
	}
	return t
}

// RawTerm is a term whose value is shown as is.
func RawTerm(label string, n int) Term { return Term{Label: label, Raw: strconv.Itoa(n)} }

// PeriodTerm is the "period" term: d in whole hours.
func PeriodTerm(d time.Duration) Term {
	return NewTerm("procrule.period", "procrule.hours", "Count", strconv.Itoa(int(d/time.Hour)))
}

// ModalityTerm is a term whose value is a decision modality.
func ModalityTerm(label string, m decision.Modality) Term {
	return NewTerm(label, "modality."+string(m))
}

// OnOff is the catalogue key of a yes/no setting.
func OnOff(b bool) string {
	if b {
		return "procrule.yes"
	}
	return "procrule.no"
}

// TermKeys lists every catalogue key Terms may return and the rule pages
// use, for the catalogue test.
func TermKeys() []string {
	keys := []string{"procrule.period", "procrule.hours", "procrule.yes", "procrule.no", "procrule.error.code", "procrule.error.policy"}
	for _, m := range decision.Modalities {
		keys = append(keys, "modality."+string(m))
	}
	for _, k := range kinds {
		keys = append(keys, k.TermKeys...)
		keys = append(keys, "procrule.code."+k.Code, "procrule.about."+k.Code)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
