// Package refdata embeds the UN reference data that Concord needs: the 195
// States known to the UN registry (193 Member States and the two non-member
// observer States, the Holy See and the State of Palestine), their M49 codes
// and UN short names in the six official languages, and the five UN regional
// groups with the membership of each State.
//
// The data live in data/ and are compiled into the binary with go:embed, so
// nothing is read from disk or the network at run time. They are decoded once,
// on first use. Malformed embedded data are a build-time error: the decoder
// panics, and the package tests make sure it never does. See README.md for the
// sources, how to regenerate the files and the licences.
package refdata

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// State is one of the 195 States known to the UN registry.
type State struct {
	ISO2, ISO3 string
	M49        int               // numeric code, e.g. 4 for Afghanistan
	Status     string            // "member" or "observer"
	Region     int               // M49 region code (2 Africa, 19 Americas, 142 Asia, 150 Europe, 9 Oceania)
	SubRegion  int               // M49 sub-region code (e.g. 21 Northern America)
	Names      map[string]string // language code (ar, zh, en, fr, ru, es) -> UN short name
}

// RegionalGroup is one of the five UN regional groups.
type RegionalGroup struct {
	Code  string            // AG, APG, EEG, GRULAC, WEOG
	Names map[string]string // language code (ar, zh, en, fr, ru, es) -> name of the group
}

// GroupMembership says that a State belongs to a regional group, and how.
//
// Kind is "full", "observer" or "dual". In the embedded data the United
// States is an "observer" of WEOG (it is counted as WEOG for elections), and
// Türkiye has two rows: "full" in WEOG, where it is counted for elections,
// and "dual" in Asia-Pacific, where it also takes part. So the electoral
// strength of a group is the number of its "full" and "observer" rows, and
// every Member State has exactly one row that is not "dual".
type GroupMembership struct {
	ISO3, Group, Kind, Note string
	Since                   string // ISO 8601 date, or "" when not recorded
}

// Languages are the six official UN languages, in the UN's order, as the
// keys of the Names maps. Treat it as read-only; the package itself works
// from a private copy.
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// languages is the private copy of Languages used to validate the data.
var languages = [...]string{"ar", "zh", "en", "fr", "ru", "es"}

// Status values of a State.
const (
	statusMember   = "member"
	statusObserver = "observer"
)

// groupOrder is the order of RegionalGroups.
var groupOrder = []string{"AG", "APG", "EEG", "GRULAC", "WEOG"}

//go:embed data/states.csv data/names-base.json data/un-name-overrides.csv
//go:embed data/un-states-and-regional-groups.csv data/regional-groups.csv data/regional-group-names.csv
var embedded embed.FS

// dataset is the decoded content of data/.
type dataset struct {
	states      []State // sorted by ISO3
	groups      []RegionalGroup
	memberships []GroupMembership
}

var loadEmbedded = sync.OnceValue(func() *dataset { return mustLoad(embedded) })

// mustLoad decodes fsys and panics if the data are malformed.
func mustLoad(fsys fs.FS) *dataset {
	d, err := load(fsys)
	if err != nil {
		panic("refdata: malformed embedded data: " + err.Error())
	}
	return d
}

// States returns the 195 States sorted by ISO3. The slice and the maps in it
// are a fresh copy on each call; the caller may modify them.
func States() []State {
	src := loadEmbedded().states
	out := make([]State, len(src))
	for i, s := range src {
		s.Names = maps.Clone(s.Names)
		out[i] = s
	}
	return out
}

// RegionalGroups returns the five UN regional groups in the order AG, APG,
// EEG, GRULAC, WEOG, each named in the six languages. The result is a fresh
// copy on each call.
func RegionalGroups() []RegionalGroup {
	src := loadEmbedded().groups
	out := make([]RegionalGroup, len(src))
	for i, g := range src {
		g.Names = maps.Clone(g.Names)
		out[i] = g
	}
	return out
}

// GroupMemberships returns the regional group memberships of the States, in
// the order of the embedded copy of un-states-and-regional-groups.csv (by
// ISO3). The Holy See and the State of Palestine have none; Türkiye has two.
// The result is a fresh copy on each call.
func GroupMemberships() []GroupMembership {
	return slices.Clone(loadEmbedded().memberships)
}

// load decodes and validates the data files in fsys.
func load(fsys fs.FS) (*dataset, error) {
	d := &dataset{}
	var err error
	if d.states, err = loadStates(fsys); err != nil {
		return nil, err
	}
	if d.groups, err = loadGroups(fsys); err != nil {
		return nil, err
	}
	if d.memberships, err = loadMemberships(fsys, d.states); err != nil {
		return nil, err
	}
	return d, nil
}

// readCSV reads a whole CSV file and checks its header.
func readCSV(fsys fs.FS, name string, header ...string) ([][]string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(header)
	got, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	if !slices.Equal(got, header) {
		return nil, fmt.Errorf("%s: header is %q, want %q", name, got, header)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, rec)
	}
}

func isUpperASCII(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func positiveInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive integer", s)
	}
	return n, nil
}

func loadStates(fsys fs.FS) ([]State, error) {
	const name = "data/states.csv"
	rows, err := readCSV(fsys, name, "iso2", "iso3", "m49", "status", "region", "subregion")
	if err != nil {
		return nil, err
	}
	var states []State
	byISO2 := map[string]int{}
	seen3, seenM49 := map[string]bool{}, map[int]bool{}
	for i, r := range rows {
		line := i + 2
		s := State{ISO2: r[0], ISO3: r[1], Status: r[3]}
		if !isUpperASCII(s.ISO2, 2) || !isUpperASCII(s.ISO3, 3) {
			return nil, fmt.Errorf("%s:%d: bad codes %q %q", name, line, s.ISO2, s.ISO3)
		}
		if s.Status != statusMember && s.Status != statusObserver {
			return nil, fmt.Errorf("%s:%d: bad status %q", name, line, s.Status)
		}
		for _, f := range []struct {
			col int
			p   *int
		}{{2, &s.M49}, {4, &s.Region}, {5, &s.SubRegion}} {
			if *f.p, err = positiveInt(r[f.col]); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
		}
		if _, dup := byISO2[s.ISO2]; dup || seen3[s.ISO3] || seenM49[s.M49] {
			return nil, fmt.Errorf("%s:%d: duplicate code in %v", name, line, r)
		}
		if len(states) > 0 && states[len(states)-1].ISO3 >= s.ISO3 {
			return nil, fmt.Errorf("%s:%d: not sorted by ISO3", name, line)
		}
		byISO2[s.ISO2] = len(states)
		seen3[s.ISO3], seenM49[s.M49] = true, true
		s.Names = make(map[string]string, len(languages))
		states = append(states, s)
	}
	if len(states) == 0 {
		return nil, fmt.Errorf("%s: no States", name)
	}

	// Base names, then the UN short names on top.
	b, err := fs.ReadFile(fsys, "data/names-base.json")
	if err != nil {
		return nil, err
	}
	var base struct {
		Names map[string]map[string]string `json:"names"`
	}
	if err := json.Unmarshal(b, &base); err != nil {
		return nil, fmt.Errorf("data/names-base.json: %w", err)
	}
	for lang, names := range base.Names {
		if !slices.Contains(languages[:], lang) {
			return nil, fmt.Errorf("data/names-base.json: unknown language %q", lang)
		}
		for iso2, n := range names {
			i, ok := byISO2[iso2]
			if !ok {
				return nil, fmt.Errorf("data/names-base.json: unknown State %q", iso2)
			}
			states[i].Names[lang] = n
		}
	}
	const ovName = "data/un-name-overrides.csv"
	ov, err := readCSV(fsys, ovName, "iso2", "lang", "name")
	if err != nil {
		return nil, err
	}
	seenOv := map[[2]string]bool{}
	for i, r := range ov {
		idx, ok := byISO2[r[0]]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s:%d: unknown State %q", ovName, i+2, r[0])
		case !slices.Contains(languages[:], r[1]):
			return nil, fmt.Errorf("%s:%d: unknown language %q", ovName, i+2, r[1])
		case seenOv[[2]string{r[0], r[1]}]:
			return nil, fmt.Errorf("%s:%d: duplicate override %s/%s", ovName, i+2, r[0], r[1])
		}
		seenOv[[2]string{r[0], r[1]}] = true
		states[idx].Names[r[1]] = r[2]
	}
	for _, s := range states {
		for _, lang := range languages {
			if strings.TrimSpace(s.Names[lang]) == "" {
				return nil, fmt.Errorf("%s has no %s name", s.ISO3, lang)
			}
		}
	}
	return states, nil
}

func loadGroups(fsys fs.FS) ([]RegionalGroup, error) {
	const name = "data/regional-group-names.csv"
	rows, err := readCSV(fsys, name, "code", "lang", "name")
	if err != nil {
		return nil, err
	}
	groups := make([]RegionalGroup, len(groupOrder))
	for i, code := range groupOrder {
		groups[i] = RegionalGroup{Code: code, Names: map[string]string{}}
	}
	for i, r := range rows {
		g := slices.Index(groupOrder, r[0])
		switch {
		case g < 0:
			return nil, fmt.Errorf("%s:%d: unknown group %q", name, i+2, r[0])
		case !slices.Contains(languages[:], r[1]):
			return nil, fmt.Errorf("%s:%d: unknown language %q", name, i+2, r[1])
		case groups[g].Names[r[1]] != "":
			return nil, fmt.Errorf("%s:%d: duplicate name %s/%s", name, i+2, r[0], r[1])
		case strings.TrimSpace(r[2]) == "":
			return nil, fmt.Errorf("%s:%d: empty name", name, i+2)
		}
		groups[g].Names[r[1]] = r[2]
	}
	for _, g := range groups {
		if len(g.Names) != len(languages) {
			return nil, fmt.Errorf("%s: group %s has %d names, want %d", name, g.Code, len(g.Names), len(languages))
		}
	}

	// The shared list of groups must name the same five, in English alike.
	const listName = "data/regional-groups.csv"
	list, err := readCSV(fsys, listName, "code", "name", "member_count")
	if err != nil {
		return nil, err
	}
	if len(list) != len(groupOrder) {
		return nil, fmt.Errorf("%s: %d groups, want %d", listName, len(list), len(groupOrder))
	}
	for i, r := range list {
		if r[0] != groupOrder[i] || r[1] != groups[i].Names["en"] {
			return nil, fmt.Errorf("%s:%d: %q %q does not match %s %q", listName, i+2, r[0], r[1], groupOrder[i], groups[i].Names["en"])
		}
		if _, err := positiveInt(r[2]); err != nil {
			return nil, fmt.Errorf("%s:%d: member_count: %w", listName, i+2, err)
		}
	}
	return groups, nil
}

// Membership kinds.
const (
	kindFull     = "full"
	kindObserver = "observer"
	kindDual     = "dual"
)

func loadMemberships(fsys fs.FS, states []State) ([]GroupMembership, error) {
	const name = "data/un-states-and-regional-groups.csv"
	rows, err := readCSV(fsys, name, "iso3", "status", "regional_group", "membership", "note")
	if err != nil {
		return nil, err
	}
	status := map[string]string{}
	for _, s := range states {
		status[s.ISO3] = s.Status
	}
	csvStatus := map[string]string{"member": statusMember, "observer_state": statusObserver}
	var out []GroupMembership
	listed := map[string]bool{}
	seen := map[[2]string]bool{}
	for i, r := range rows {
		line := i + 2
		iso3, st, group, kind, note := r[0], r[1], r[2], r[3], r[4]
		want, ok := status[iso3]
		if !ok {
			return nil, fmt.Errorf("%s:%d: unknown State %q", name, line, iso3)
		}
		if csvStatus[st] != want {
			return nil, fmt.Errorf("%s:%d: status %q of %s disagrees with data/states.csv (%s)", name, line, st, iso3, want)
		}
		listed[iso3] = true
		if group == "" && kind == "" {
			continue // in no group
		}
		if !slices.Contains(groupOrder, group) {
			return nil, fmt.Errorf("%s:%d: unknown group %q", name, line, group)
		}
		if kind != kindFull && kind != kindObserver && kind != kindDual {
			return nil, fmt.Errorf("%s:%d: unknown membership kind %q", name, line, kind)
		}
		if seen[[2]string{iso3, group}] {
			return nil, fmt.Errorf("%s:%d: %s listed twice in %s", name, line, iso3, group)
		}
		seen[[2]string{iso3, group}] = true
		out = append(out, GroupMembership{ISO3: iso3, Group: group, Kind: kind, Note: note})
	}
	if len(listed) != len(states) {
		return nil, errors.New(name + ": does not list every State of data/states.csv")
	}
	return out, nil
}
