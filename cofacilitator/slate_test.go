package cofacilitator

import (
	"slices"
	"testing"
	"time"

	"concord"
)

// slateFixture: SEN and BRA nominated for DTG-1 2026-2027 (1, 2), FRA's
// nomination withdrawn (3), CAN for 2028-2029 (4), JPN for DTG-2 (5); set 7
// (1 and 2) is proposed, set 8 (DTG-2, 2024-2025) was blocked.
func slateFixture() Slate {
	n := func(id, person, state, dtg, term string) Nomination {
		return Nomination{ID: id, Person: person, State: state, DTG: dtg, Term: term}
	}
	withdrawn := n("3", "Jean Dupont", "FRA", "DTG-1", "2026-2027")
	withdrawn.WithdrawnAt = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	noms := []Nomination{
		n("1", "Amina Diallo", "SEN", "DTG-1", "2026-2027"),
		n("2", "Ana Souza", "BRA", "DTG-1", "2026-2027"),
		withdrawn,
		n("4", "Mary Smith", "CAN", "DTG-1", "2028-2029"),
		n("5", "Kenji Sato", "JPN", "DTG-2", "2026-2027"),
	}
	return Slate{Nominations: noms, Sets: []Placed{
		{ID: 7, Set: Set{DTG: "DTG-1", Term: "2026-2027", Pair: noms[:2]}, State: Proposed},
		{ID: 8, Set: Set{DTG: "DTG-2", Term: "2024-2025", Pair: noms[4:5]}, State: Blocked},
	}}
}

func TestSlateCanNominate(t *testing.T) {
	sl := slateFixture()
	for _, c := range []struct {
		name string
		n    Nomination
		key  string
	}{
		{"same person, State, group and term", Nomination{Person: "  amina  DIALLO", State: "SEN", DTG: "DTG-1", Term: "2026-2027"}, "cofac.error.duplicate"},
		{"another term", Nomination{Person: "Amina Diallo", State: "SEN", DTG: "DTG-1", Term: "2028-2029"}, ""},
		{"another group", Nomination{Person: "Amina Diallo", State: "SEN", DTG: "DTG-2", Term: "2026-2027"}, ""},
		{"another State", Nomination{Person: "Amina Diallo", State: "GHA", DTG: "DTG-1", Term: "2026-2027"}, ""},
		{"the first was withdrawn", Nomination{Person: "Jean Dupont", State: "FRA", DTG: "DTG-1", Term: "2026-2027"}, ""},
	} {
		checkKey(t, c.name, sl.CanNominate(c.n), concord.EConflict, c.key)
	}
}

func TestSlateCanWithdraw(t *testing.T) {
	sl := slateFixture()
	for _, c := range []struct {
		name string
		i    int
		key  string
	}{
		{"in the proposed set", 0, "cofac.error.in_set"},
		{"already withdrawn", 2, "cofac.error.withdrawn"},
		{"standing, in no set", 3, ""},
		{"only in a blocked set", 4, ""},
	} {
		checkKey(t, c.name, sl.CanWithdraw(sl.Nominations[c.i]), concord.EConflict, c.key)
	}
	held := slateFixture()
	held.Sets[0].State = Appointed
	checkKey(t, "in a set that holds the seats", held.CanWithdraw(held.Nominations[1]), concord.EConflict, "cofac.error.in_set")
	deferred := slateFixture()
	deferred.Sets[0].State = Deferred
	checkKey(t, "in a deferred set", deferred.CanWithdraw(deferred.Nominations[1]), concord.EConflict, "")
}

func TestSlateChoose(t *testing.T) {
	sl := slateFixture()
	free := slateFixture()
	free.Sets[0].State = Blocked // the term's set ended: a new one may be put forward
	for _, c := range []struct {
		name string
		sl   Slate
		dtg  string
		ids  []string
		code string
		key  string
		want []string
	}{
		{"unknown nomination", free, "DTG-1", []string{"1", "99"}, concord.EInvalid, "cofac.error.nomination", nil},
		{"withdrawn nomination", free, "DTG-1", []string{"1", "3"}, concord.EInvalid, "cofac.error.nomination_withdrawn", nil},
		{"two terms", free, "DTG-1", []string{"1", "4"}, concord.EInvalid, "cofac.error.terms", nil},
		{"none", free, "DTG-1", nil, concord.EInvalid, "cofac.error.nominations", nil},
		{"the term has an open set", sl, "DTG-1", []string{"1", "2"}, concord.EConflict, "cofac.error.open_set", nil},
		{"chosen in order", free, "DTG-1", []string{"2", "1"}, "", "", []string{"2", "1"}},
		// The other group's nomination is the pair rules' to report.
		{"another group's nomination", free, "DTG-1", []string{"1", "5"}, "", "", []string{"1", "5"}},
		{"another term of the group with an open set", sl, "DTG-1", []string{"4"}, "", "", []string{"4"}},
	} {
		pair, err := c.sl.Choose(c.dtg, c.ids)
		checkKey(t, c.name, err, c.code, c.key)
		var got []string
		for _, n := range pair {
			got = append(got, n.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: chose %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSlateOpenActs(t *testing.T) {
	sl := slateFixture()
	for _, c := range []struct {
		dtg, term string
		want      []string
	}{
		{"DTG-1", "2026-2027", []string{ActNominate}},             // set 7 is proposed
		{"DTG-1", "2028-2029", []string{ActNominate, ActPropose}}, // no set yet
		{"DTG-2", "2024-2025", []string{ActNominate, ActPropose}}, // set 8 was blocked
	} {
		if got := sl.OpenActs(c.dtg, c.term); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.dtg, c.term, got, c.want)
		}
	}
	if p, ok := sl.OpenSet("DTG-1", "2026-2027"); !ok || p.ID != 7 {
		t.Errorf("open set %+v %v", p, ok)
	}
}

// checkKey fails unless err is nil (key "") or a *concord.Error with code
// and key.
func checkKey(t *testing.T, name string, err error, code string, key string) {
	t.Helper()
	if key == "" {
		if err != nil {
			t.Errorf("%s: %v, want no error", name, err)
		}
		return
	}
	e, ok := err.(*concord.Error)
	if !ok || e.Code != code || e.Key != key {
		t.Errorf("%s: %v, want %s %s", name, err, code, key)
	}
}
