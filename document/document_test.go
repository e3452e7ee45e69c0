package document

import (
	"concord"
	"errors"
	"slices"
	"testing"
	"time"
)

func valid() Document {
	return Document{Process: "global-mechanism", Symbol: "A/AC.GM/2026/1", Type: WorkingPaper,
		Title: concord.Text{"en": "Working paper"}, Authors: []string{"secretariat"},
		Date: time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC), Distribution: General,
		Versions: []Version{{Lang: "en", Status: Original, Text: "Text"}, {Lang: "ar", Status: Pending}}}
}

func keys(err error) []string {
	var all concord.Errors
	if !errors.As(err, &all) {
		var e *concord.Error
		if errors.As(err, &e) {
			return []string{e.Key}
		}
		return nil
	}
	var out []string
	for _, e := range all {
		out = append(out, e.Key)
	}
	return out
}

func TestParseSymbol(t *testing.T) {
	p := GlobalMechanism
	for _, c := range []struct {
		in       string
		ok       bool
		base     string
		rev, cor int
	}{
		{"A/AC.GM/2026/1", true, "A/AC.GM/2026/1", 0, 0},
		{"A/AC.GM/2026/WP.3", true, "A/AC.GM/2026/WP.3", 0, 0},
		{"A/AC.GM/2026/1/Rev.2", true, "A/AC.GM/2026/1", 2, 0},
		{"A/AC.GM/2026/1/Corr.1", true, "A/AC.GM/2026/1", 0, 1},
		{"A/AC.GM/2026/1/Rev.1/Corr.1", true, "A/AC.GM/2026/1", 1, 1},
		{"A/AC.GM/2026/1/Corr.1/Rev.1", false, "", 0, 0},
		{"A/AC.GM/2026/1/Rev.1/Rev.2", false, "", 0, 0},
		{"A/AC.GM/Rev.1", false, "", 0, 0},
		{"A/AC.290/2026/1", false, "", 0, 0},
		{"A/AC.GM/2026//1", false, "", 0, 0},
		{"A/AC.GM/2026/1 ", false, "", 0, 0},
		{"", false, "", 0, 0},
	} {
		s, err := p.Parse(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok %v", c.in, err, c.ok)
			continue
		}
		if c.ok && (s.Base != c.base || s.Rev != c.rev || s.Corr != c.cor || s.String() != c.in) {
			t.Errorf("%q: %+v", c.in, s)
		}
	}
}

func TestRelate(t *testing.T) {
	fam := []string{"A/AC.GM/2026/1", "A/AC.GM/2026/1/Corr.1", "A/AC.GM/2026/1/Rev.1", "A/AC.GM/2026/1/Rev.2", "A/AC.GM/2026/1/Rev.1/Corr.1"}
	for _, c := range []struct {
		sym        string
		supersedes string
		revised    []string
		corr       []string
		superseded bool
	}{
		{"A/AC.GM/2026/1", "", []string{"A/AC.GM/2026/1/Rev.1", "A/AC.GM/2026/1/Rev.2"}, []string{"A/AC.GM/2026/1/Corr.1"}, true},
		{"A/AC.GM/2026/1/Rev.1", "A/AC.GM/2026/1", []string{"A/AC.GM/2026/1/Rev.2"}, []string{"A/AC.GM/2026/1/Rev.1/Corr.1"}, true},
		{"A/AC.GM/2026/1/Rev.2", "A/AC.GM/2026/1/Rev.1", nil, nil, false},
		{"A/AC.GM/2026/1/Corr.1", "A/AC.GM/2026/1", []string{"A/AC.GM/2026/1/Rev.1", "A/AC.GM/2026/1/Rev.2"}, nil, true},
	} {
		f := GlobalMechanism.Relate(c.sym, fam)
		if f.Supersedes != c.supersedes || !slices.Equal(f.RevisedBy, c.revised) || !slices.Equal(f.Corrigenda, c.corr) || f.IsSuperseded != c.superseded || f.Latest != "A/AC.GM/2026/1/Rev.2" {
			t.Errorf("%s: %+v", c.sym, f)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Document)
		want []string
	}{
		{"valid", func(*Document) {}, nil},
		{"everything wrong at once", func(d *Document) {
			d.Symbol, d.Type, d.Title, d.Authors, d.Date, d.Distribution = "X/1", "memo", nil, nil, time.Time{}, "secret"
			d.Versions = []Version{{Lang: "xx", Status: Original, Text: "t"}}
		}, []string{"document.error.symbol", "document.error.type", "decision.error.proposal", "document.error.authors", "document.error.date", "document.error.distribution", "document.error.language", "document.error.original"}},
		{"pending with a file, original without content", func(d *Document) {
			d.Versions = []Version{{Lang: "en", Status: Original}, {Lang: "fr", Status: Pending, File: &File{ID: 1}}}
		}, []string{"document.error.content", "document.error.pending_content"}},
		{"two originals, a language twice", func(d *Document) {
			d.Versions = []Version{{Lang: "en", Status: Original, Text: "a"}, {Lang: "en", Status: Original, Text: "b"}}
		}, []string{"document.error.language_twice", "document.error.originals"}},
		{"national contribution by the Secretariat", func(d *Document) { d.Type = NationalContribution }, []string{"document.error.author_type"}},
		{"national contribution by a State and a group", func(d *Document) { d.Type, d.Authors = NationalContribution, []string{"FRA", "group-3"} }, nil},
		{"Chair's letter by a State", func(d *Document) { d.Type, d.Authors = ChairsLetter, []string{"FRA"} }, []string{"document.error.author_type"}},
		{"unknown and repeated authors", func(d *Document) { d.Authors = []string{"fra", "chair", "chair"} }, []string{"document.error.author", "document.error.author_twice"}},
		{"stakeholder input", func(d *Document) { d.Type, d.Authors = StakeholderInput, []string{"org-4", "org-5"} }, nil},
		{"unknown status", func(d *Document) { d.Versions[1].Status = "draft" }, []string{"document.error.status"}},
	} {
		d := valid()
		c.edit(&d)
		if got := keys(d.Validate(GlobalMechanism)); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCanView(t *testing.T) {
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	chair := &concord.User{ID: 2, Role: concord.RoleChair}
	fra := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	fp := &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 7}
	cof := &concord.User{ID: 5, Role: concord.RoleCoFacilitator}
	off := &concord.User{ID: 6, Role: concord.RoleSecretariat, Disabled: true}
	for _, c := range []struct {
		u    *concord.User
		dist Distribution
		want bool
	}{
		{nil, General, true}, {fp, General, true},
		{nil, Limited, false}, {fp, Limited, true}, {fra, Limited, true}, {off, Limited, false},
		{nil, Restricted, false}, {fp, Restricted, false}, {off, Restricted, false},
		{sec, Restricted, true}, {chair, Restricted, true}, {fra, Restricted, true}, {cof, Restricted, true},
	} {
		d := valid()
		d.Distribution = c.dist
		if got := CanView(c.u, d); got != c.want {
			t.Errorf("%v %s: %v", c.u, c.dist, got)
		}
		if got := slices.Contains(Visible(c.u), c.dist); got != c.want {
			t.Errorf("Visible %v %s: %v", c.u, c.dist, got)
		}
	}
}

func TestCanSubmit(t *testing.T) {
	sec := &concord.User{ID: 1, Role: concord.RoleSecretariat}
	fra := &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	fp := &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 7}
	nc := func(authors ...string) Document {
		d := valid()
		d.Type, d.Authors = NationalContribution, authors
		return d
	}
	for _, c := range []struct {
		name string
		u    *concord.User
		d    Document
		want bool
	}{
		{"Secretariat, any", sec, valid(), true},
		{"delegate, own State", fra, nc("FRA"), true},
		{"delegate, another State", fra, nc("DEU"), false},
		{"delegate, jointly", fra, nc("FRA", "DEU"), false},
		{"delegate, working paper", fra, valid(), false},
		{"stakeholder", fp, nc("FRA"), false},
		{"public", nil, nc("FRA"), false},
	} {
		if got := CanSubmit(c.u, c.d); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

func TestReaderOrder(t *testing.T) {
	d := valid()
	d.Versions = []Version{{Lang: "fr", Status: Official, Text: "x"}, {Lang: "ar", Status: Pending}, {Lang: "en", Status: Original, Text: "y"}, {Lang: "zh", Status: Unofficial, Text: "z"}}
	var got []string
	for _, v := range d.ReaderOrder("ar") {
		got = append(got, v.Lang)
	}
	if want := []string{"ar", "en", "zh", "fr"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if l := d.Languages(); !slices.Equal(l, []string{"fr", "en", "zh"}) {
		t.Errorf("languages %v", l)
	}
}

func TestRefs(t *testing.T) {
	for _, c := range []struct {
		d    Document
		want []string
	}{
		{Document{}, nil},
		{Document{Authors: []string{"FRA", "chair", "FRA"}}, []string{"author:FRA", "author:chair"}},
		{Document{Authors: []string{"org-3"}, Items: []ItemRef{{"GM-2026-1", "item-5"}, {"GM-2026-1", "item-5"}, {"GM-2026-2", "item-1"}}},
			[]string{"author:org-3", "item:GM-2026-1/item-5", "item:GM-2026-2/item-1"}},
	} {
		if got := c.d.Refs(); !slices.Equal(got, c.want) {
			t.Errorf("Refs(%v %v) = %v, want %v", c.d.Authors, c.d.Items, got, c.want)
		}
	}
}
