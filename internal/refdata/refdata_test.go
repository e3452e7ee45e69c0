package refdata

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestEmbeddedDataLoads(t *testing.T) {
	if _, err := load(embedded); err != nil {
		t.Fatalf("embedded data do not decode: %v", err)
	}
}

func TestStates(t *testing.T) {
	states := States()
	if len(states) != 195 {
		t.Fatalf("len(States()) = %d, want 195", len(states))
	}
	status := map[string]int{}
	var observers []string
	iso2, iso3, m49 := map[string]bool{}, map[string]bool{}, map[int]bool{}
	for i, s := range states {
		status[s.Status]++
		if s.Status == "observer" {
			observers = append(observers, s.ISO2+"/"+s.ISO3)
		}
		if len(s.ISO2) != 2 || len(s.ISO3) != 3 || s.M49 <= 0 {
			t.Errorf("%+v: bad codes", s)
		}
		if iso2[s.ISO2] || iso3[s.ISO3] || m49[s.M49] {
			t.Errorf("%s: duplicate code (%s, %s, %d)", s.ISO3, s.ISO2, s.ISO3, s.M49)
		}
		iso2[s.ISO2], iso3[s.ISO3], m49[s.M49] = true, true, true
		if i > 0 && states[i-1].ISO3 >= s.ISO3 {
			t.Errorf("States() not sorted by ISO3 at %s, %s", states[i-1].ISO3, s.ISO3)
		}
		if len(s.Names) != len(Languages) {
			t.Errorf("%s: %d names, want %d: %v", s.ISO3, len(s.Names), len(Languages), s.Names)
		}
		for _, l := range Languages {
			if strings.TrimSpace(s.Names[l]) == "" {
				t.Errorf("%s: no %s name", s.ISO3, l)
			}
		}
	}
	if diff := cmp.Diff(map[string]int{"member": 193, "observer": 2}, status); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"PS/PSE", "VA/VAT"}, observers); diff != "" {
		t.Errorf("observer States (-want +got):\n%s", diff)
	}
}

func TestLanguages(t *testing.T) {
	want := []string{"ar", "zh", "en", "fr", "ru", "es"}
	if diff := cmp.Diff(want, Languages); diff != "" {
		t.Errorf("Languages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, languages[:]); diff != "" {
		t.Errorf("languages (-want +got):\n%s", diff)
	}
}

func TestRegionsAndSubRegions(t *testing.T) {
	// M49 sub-regions (and Sub-Saharan Africa / Latin America and the
	// Caribbean) with their region.
	parent := map[int]int{
		15: 2, 202: 2,
		21: 19, 419: 19,
		143: 142, 145: 142, 30: 142, 34: 142, 35: 142,
		151: 150, 154: 150, 155: 150, 39: 150,
		53: 9, 54: 9, 57: 9, 61: 9,
	}
	spot := map[string][3]int{ // ISO3 -> M49, region, sub-region
		"AFG": {4, 142, 34},
		"USA": {840, 19, 21},
		"CAN": {124, 19, 21},
		"RUS": {643, 150, 151},
		"TUR": {792, 142, 145},
		"BRA": {76, 19, 419},
		"NGA": {566, 2, 202},
		"AUS": {36, 9, 53},
		"VAT": {336, 150, 39},
		"PSE": {275, 142, 145},
	}
	for _, s := range States() {
		if p, ok := parent[s.SubRegion]; !ok || p != s.Region {
			t.Errorf("%s: region %d, sub-region %d: not an M49 region/sub-region pair", s.ISO3, s.Region, s.SubRegion)
		}
		if w, ok := spot[s.ISO3]; ok {
			if got := [3]int{s.M49, s.Region, s.SubRegion}; got != w {
				t.Errorf("%s: M49, region, sub-region = %v, want %v", s.ISO3, got, w)
			}
			delete(spot, s.ISO3)
		}
	}
	for iso3 := range spot {
		t.Errorf("%s missing", iso3)
	}
}

func TestStatesReturnsFreshCopy(t *testing.T) {
	a := States()
	a[0].ISO3 = "XXX"
	a[0].Names["en"] = "changed"
	a[1].Names = nil
	b := States()
	if b[0].ISO3 == "XXX" || b[0].Names["en"] == "changed" || b[1].Names == nil {
		t.Error("States() shares memory between calls")
	}
	g := RegionalGroups()
	g[0].Names["en"] = "changed"
	if RegionalGroups()[0].Names["en"] == "changed" {
		t.Error("RegionalGroups() shares memory between calls")
	}
	m := GroupMemberships()
	m[0].Group = "changed"
	if GroupMemberships()[0].Group == "changed" {
		t.Error("GroupMemberships() shares memory between calls")
	}
}

// TestMembersMatchCLDR compares the Member States with the CLDR "UN"
// grouping (testdata/cldr-un-group.json, from cldr-core 48.2.0).
func TestMembersMatchCLDR(t *testing.T) {
	b, err := os.ReadFile("testdata/cldr-un-group.json")
	if err != nil {
		t.Fatal(err)
	}
	var cldr struct {
		Source string
		UN     []string
	}
	if err := json.Unmarshal(b, &cldr); err != nil {
		t.Fatal(err)
	}
	if cldr.Source != "cldr-core@48.2.0" {
		t.Errorf("testdata source = %q, want cldr-core@48.2.0", cldr.Source)
	}
	if len(cldr.UN) != 193 {
		t.Errorf("CLDR UN grouping has %d codes, want 193", len(cldr.UN))
	}
	var members []string
	for _, s := range States() {
		if s.Status == "member" {
			members = append(members, s.ISO2)
		}
	}
	sort.Strings(members)
	want := slices.Clone(cldr.UN)
	sort.Strings(want)
	if diff := cmp.Diff(want, members); diff != "" {
		t.Errorf("member ISO2 codes differ from the CLDR UN grouping (-cldr +ours):\n%s", diff)
	}
}

func TestRegionalGroups(t *testing.T) {
	groups := RegionalGroups()
	var codes []string
	for _, g := range groups {
		codes = append(codes, g.Code)
		for _, l := range Languages {
			if strings.TrimSpace(g.Names[l]) == "" {
				t.Errorf("group %s: no %s name", g.Code, l)
			}
		}
		if len(g.Names) != len(Languages) {
			t.Errorf("group %s: %d names", g.Code, len(g.Names))
		}
	}
	if diff := cmp.Diff([]string{"AG", "APG", "EEG", "GRULAC", "WEOG"}, codes); diff != "" {
		t.Fatalf("group codes (-want +got):\n%s", diff)
	}
	wantEN := []string{"African States", "Asia-Pacific States", "Eastern European States",
		"Latin American and Caribbean States", "Western European and other States"}
	wantFR := []string{"États d'Afrique", "États d'Asie et du Pacifique", "États d'Europe orientale",
		"États d'Amérique latine et des Caraïbes", "États d'Europe occidentale et autres États"}
	wantES := []string{"Estados de África", "Estados de Asia y el Pacífico", "Estados de Europa Oriental",
		"Estados de América Latina y el Caribe", "Estados de Europa Occidental y otros Estados"}
	for i, g := range groups {
		if g.Names["en"] != wantEN[i] || g.Names["fr"] != wantFR[i] || g.Names["es"] != wantES[i] {
			t.Errorf("group %s names = %v", g.Code, g.Names)
		}
	}
}

// domainGroups is the electoral membership of each group as listed in
// notes/domain.md §4.2 (Türkiye and the United States in WEOG).
var domainGroups = map[string]string{
	"AG":     "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE",
	"APG":    "AFG ARE BGD BHR BRN BTN CHN CYP FJI FSM IDN IND IRN IRQ JOR JPN KAZ KGZ KHM KIR KOR KWT LAO LBN LKA MDV MHL MMR MNG MYS NPL NRU OMN PAK PHL PLW PNG PRK QAT SAU SGP SLB SYR THA TJK TKM TLS TON TUV UZB VNM VUT WSM YEM",
	"EEG":    "ALB ARM AZE BGR BIH BLR CZE EST GEO HRV HUN LTU LVA MDA MKD MNE POL ROU RUS SRB SVK SVN UKR",
	"GRULAC": "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR TTO URY VCT VEN",
	"WEOG":   "AND AUS AUT BEL CAN CHE DEU DNK ESP FIN FRA GBR GRC IRL ISL ISR ITA LIE LUX MCO MLT NLD NOR NZL PRT SMR SWE TUR USA",
}

// countsForElections reports whether a membership counts towards its
// group's strength. The CSV marks the United States "observer" of WEOG
// (counted as WEOG for elections) and Türkiye "full" in WEOG and "dual" in
// Asia-Pacific (counted as WEOG), so only "dual" rows are left out.
func countsForElections(m GroupMembership) bool { return m.Kind != "dual" }

func TestGroupCounts(t *testing.T) {
	ms := GroupMemberships()
	if len(ms) != 194 {
		t.Errorf("len(GroupMemberships()) = %d, want 194 (193 members, Türkiye twice)", len(ms))
	}

	// What the CSV encodes, kind by kind.
	raw := map[string]map[string]int{}
	for _, m := range ms {
		if raw[m.Group] == nil {
			raw[m.Group] = map[string]int{}
		}
		raw[m.Group][m.Kind]++
	}
	wantRaw := map[string]map[string]int{
		"AG":     {"full": 54},
		"APG":    {"full": 54, "dual": 1},
		"EEG":    {"full": 23},
		"GRULAC": {"full": 33},
		"WEOG":   {"full": 28, "observer": 1},
	}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("memberships by group and kind (-want +got):\n%s", diff)
	}

	// Electoral strength, as in domain.md §4.2 and data/regional-groups.csv.
	count := map[string]int{}
	sets := map[string][]string{}
	perState := map[string]int{}
	for _, m := range ms {
		if countsForElections(m) {
			count[m.Group]++
			sets[m.Group] = append(sets[m.Group], m.ISO3)
			perState[m.ISO3]++
		}
	}
	want := map[string]int{"AG": 54, "APG": 54, "EEG": 23, "GRULAC": 33, "WEOG": 29}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("electoral group counts (-want +got):\n%s", diff)
	}
	for g, list := range domainGroups {
		got := slices.Sorted(slices.Values(sets[g]))
		if diff := cmp.Diff(strings.Fields(list), got); diff != "" {
			t.Errorf("group %s differs from domain.md §4.2 (-domain +ours):\n%s", g, diff)
		}
	}

	// The member_count column of the shared regional-groups.csv agrees.
	rows, err := readCSV(embedded, "data/regional-groups.csv", "code", "name", "member_count")
	if err != nil {
		t.Fatal(err)
	}
	fromCSV := map[string]int{}
	for _, r := range rows {
		n, err := positiveInt(r[2])
		if err != nil {
			t.Fatal(err)
		}
		fromCSV[r[0]] = n
	}
	if diff := cmp.Diff(want, fromCSV); diff != "" {
		t.Errorf("data/regional-groups.csv member_count (-want +got):\n%s", diff)
	}

	// Every member counts in exactly one group; the observer States in none.
	for _, s := range States() {
		n := perState[s.ISO3]
		switch {
		case s.Status == "member" && n != 1:
			t.Errorf("member %s counts in %d groups, want 1", s.ISO3, n)
		case s.Status == "observer" && n != 0:
			t.Errorf("observer State %s counts in %d groups, want 0", s.ISO3, n)
		}
	}

	byState := map[string][]string{}
	for _, m := range ms {
		byState[m.ISO3] = append(byState[m.ISO3], m.Group+":"+m.Kind)
	}
	for iso3, want := range map[string][]string{
		"TUR": {"APG:dual", "WEOG:full"},
		"USA": {"WEOG:observer"},
		"ISR": {"WEOG:full"},
		"KIR": {"APG:full"},
		"VAT": nil,
		"PSE": nil,
	} {
		if diff := cmp.Diff(want, byState[iso3]); diff != "" {
			t.Errorf("%s memberships (-want +got):\n%s", iso3, diff)
		}
	}
	for _, m := range ms {
		if m.Since != "" {
			t.Errorf("%s/%s: Since = %q, want \"\" (no dates in the source)", m.ISO3, m.Group, m.Since)
		}
	}
}

func stateByISO2(t *testing.T) map[string]State {
	t.Helper()
	m := map[string]State{}
	for _, s := range States() {
		m[s.ISO2] = s
	}
	return m
}

func TestUNShortNames(t *testing.T) {
	by := stateByISO2(t)
	for _, c := range []struct{ iso2, lang, want string }{
		{"BO", "en", "Bolivia (Plurinational State of)"},
		{"KR", "en", "Republic of Korea"},
		{"TR", "en", "Türkiye"},
		{"RU", "en", "Russian Federation"},
		{"VN", "en", "Viet Nam"},
		{"NL", "en", "Netherlands (Kingdom of the)"},
		{"PS", "en", "State of Palestine"},
		{"VA", "en", "Holy See"},
		{"IR", "en", "Iran (Islamic Republic of)"},
		{"KP", "en", "Democratic People's Republic of Korea"},
		{"GB", "en", "United Kingdom of Great Britain and Northern Ireland"},
		{"US", "en", "United States of America"},
		{"CI", "en", "Côte d'Ivoire"},
		{"CZ", "en", "Czechia"},
		{"CN", "en", "China"},
		{"BO", "fr", "Bolivie (État plurinational de)"},
		{"IR", "fr", "Iran (République islamique d')"},
		{"KR", "fr", "République de Corée"},
		{"RU", "fr", "Fédération de Russie"},
		{"VN", "fr", "Viet Nam"},
		{"TR", "fr", "Türkiye"},
		{"BO", "es", "Bolivia (Estado Plurinacional de)"},
		{"IR", "es", "Irán (República Islámica del)"},
		{"KR", "es", "República de Corea"},
		{"RU", "es", "Federación de Rusia"},
		{"TR", "es", "Türkiye"},
		{"BO", "ru", "Боливия (Многонациональное Государство)"},
		{"IR", "ru", "Иран (Исламская Республика)"},
		{"KR", "ru", "Республика Корея"},
		{"RU", "ru", "Российская Федерация"},
		{"VN", "ru", "Вьетнам"},
		{"TR", "ru", "Турция"},
		{"KR", "ar", "جمهورية كوريا"},
		{"RU", "ar", "الاتحاد الروسي"},
		{"PS", "ar", "دولة فلسطين"},
		{"VA", "ar", "الكرسي الرسولي"},
		{"TR", "ar", "تركيا"},
		{"KR", "zh", "大韩民国"},
		{"RU", "zh", "俄罗斯联邦"},
		{"VA", "zh", "教廷"},
	} {
		if got := by[c.iso2].Names[c.lang]; got != c.want {
			t.Errorf("%s %s name = %q, want %q", c.iso2, c.lang, got, c.want)
		}
	}
}

// TestOverrideTable checks that the curated table covers, in all six
// languages, the States whose UN short name differs from the common name,
// and that every override is what States() returns.
func TestOverrideTable(t *testing.T) {
	rows, err := readCSV(embedded, "data/un-name-overrides.csv", "iso2", "lang", "name")
	if err != nil {
		t.Fatal(err)
	}
	by := stateByISO2(t)
	langs := map[string][]string{}
	for _, r := range rows {
		langs[r[0]] = append(langs[r[0]], r[1])
		if got := by[r[0]].Names[r[1]]; got != r[2] {
			t.Errorf("%s %s: States() name %q, override %q", r[0], r[1], got, r[2])
		}
	}
	required := strings.Fields("BO IR TR KR KP RU VN NL PS VA VE MD LA TZ SY CI FM GB US CZ CD CG BN CV SZ MK TL")
	for _, c := range required {
		got := slices.Sorted(slices.Values(langs[c]))
		if diff := cmp.Diff(slices.Sorted(slices.Values(Languages)), got); diff != "" {
			t.Errorf("%s: override languages (-want +got):\n%s", c, diff)
		}
	}
}

// TestNameHygiene catches common-name forms that the UN does not use.
func TestNameHygiene(t *testing.T) {
	for _, s := range States() {
		for _, l := range Languages {
			n := s.Names[l]
			if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
				t.Errorf("%s %s name %q: stray spaces", s.ISO2, l, n)
			}
			if strings.ContainsRune(n, '\u2019') {
				t.Errorf("%s %s name %q: use the ASCII apostrophe", s.ISO2, l, n)
			}
			if isAbbreviation(n) {
				t.Errorf("%s %s name %q: an abbreviation, not a UN short name", s.ISO2, l, n)
			}
		}
		// UN short names are never inverted ("Moldova, Republic of").
		if strings.Contains(s.Names["en"], ",") {
			t.Errorf("%s en name %q is inverted", s.ISO2, s.Names["en"])
		}
	}
}

// isAbbreviation reports whether n starts with a word of two or more
// capital letters, such as "США" or "КНР (…)".
func isAbbreviation(n string) bool {
	word, _, _ := strings.Cut(n, " ")
	letters := 0
	for _, r := range word {
		if !unicode.IsUpper(r) {
			return false
		}
		letters++
	}
	return letters >= 2
}

// isDevelopedUNCTAD applies UNCTADstat's M49-based rule (domain.md §4.3):
// Northern America, Europe, Israel, Japan, the Republic of Korea, Australia
// and New Zealand are developed; everyone else is developing. The real rule
// lives elsewhere; this is a check of the M49 data.
func isDevelopedUNCTAD(s State) bool {
	if s.SubRegion == 21 || s.Region == 150 {
		return true
	}
	switch s.ISO3 {
	case "ISR", "JPN", "KOR", "AUS", "NZL":
		return true
	}
	return false
}

func TestUNCTADDevelopedCount(t *testing.T) {
	developed, developing := 0, 0
	for _, s := range States() {
		if s.Status != "member" {
			continue
		}
		if isDevelopedUNCTAD(s) {
			developed++
		} else {
			developing++
		}
	}
	if developed != 50 || developing != 143 {
		t.Errorf("UNCTAD rule: %d developed, %d developing; want 50, 143", developed, developing)
	}
}

// TestMalformedData checks that broken data files are rejected and that
// mustLoad panics on them.
func TestMalformedData(t *testing.T) {
	good := fstest.MapFS{}
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		good[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load(good); err != nil {
		t.Fatalf("copy of the embedded data: %v", err)
	}
	edit := func(file, old, new string) fstest.MapFS {
		t.Helper()
		s := string(good[file].Data)
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not contain %q", file, old)
		}
		m := maps.Clone(good)
		m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		return m
	}
	missing := maps.Clone(good)
	delete(missing, "data/names-base.json")
	cases := map[string]fstest.MapFS{
		"missing file":          missing,
		"bad header":            edit("data/states.csv", "iso2,iso3", "alpha2,iso3"),
		"bad status":            edit("data/states.csv", "AF,AFG,4,member", "AF,AFG,4,memberr"),
		"bad M49":               edit("data/states.csv", "AF,AFG,4,", "AF,AFG,x,"),
		"zero region":           edit("data/states.csv", "AF,AFG,4,member,142,34", "AF,AFG,4,member,0,34"),
		"duplicate ISO2":        edit("data/states.csv", "AO,AGO", "AF,AGO"),
		"unsorted":              edit("data/states.csv", "AF,AFG", "AF,ZZZ"),
		"short row":             edit("data/states.csv", "AF,AFG,4,member,142,34", "AF,AFG,4,member,142"),
		"bad JSON":              edit("data/names-base.json", "{", "["),
		"empty name":            edit("data/names-base.json", `"AF": "Afghanistan"`, `"AF": ""`),
		"unknown name State":    edit("data/names-base.json", `"AF": "Afghanistan"`, `"XX": "Afghanistan"`),
		"override unknown":      edit("data/un-name-overrides.csv", "BO,en,", "XX,en,"),
		"override language":     edit("data/un-name-overrides.csv", "BO,en,", "BO,de,"),
		"override duplicate":    edit("data/un-name-overrides.csv", "BO,fr,", "BO,en,"),
		"group name missing":    edit("data/regional-group-names.csv", "WEOG,es,", "WEOG,en,"),
		"group unknown":         edit("data/regional-group-names.csv", "WEOG,es,", "WEO,es,"),
		"group list mismatch":   edit("data/regional-groups.csv", "AG,African States", "AG,Africa"),
		"membership kind":       edit("data/un-states-and-regional-groups.csv", "AFG,member,APG,full", "AFG,member,APG,fulll"),
		"membership group":      edit("data/un-states-and-regional-groups.csv", "AFG,member,APG,full", "AFG,member,ASIA,full"),
		"membership status":     edit("data/un-states-and-regional-groups.csv", "AFG,member,", "AFG,observer_state,"),
		"membership unknown":    edit("data/un-states-and-regional-groups.csv", "AFG,member,", "AFX,member,"),
		"membership State gone": edit("data/un-states-and-regional-groups.csv", "AFG,member,APG,full,\n", ""),
	}
	for name, fsys := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := load(fsys); err == nil {
				t.Fatal("load accepted malformed data")
			}
			defer func() {
				if recover() == nil {
					t.Error("mustLoad did not panic")
				}
			}()
			mustLoad(fsys)
		})
	}
}
