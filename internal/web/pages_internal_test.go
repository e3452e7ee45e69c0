package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/internal/i18n"
)

// TestShowOwed: names and text someone typed (an organisation, a State
// whose name has no Arabic version, an applicant's answer) are shown as
// written and never marked "translation pending"; texts the process owes
// in six languages (agenda items, rule notes) are.
func TestShowOwed(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{Lang: "ar", Dir: "rtl", cat: cat}
	pending := p.T("content.pending")
	name := concord.Text{"en": "Access Now"}
	if got := string(p.Show(name)); strings.Contains(got, pending) || !strings.Contains(got, `lang="en"`) || !strings.Contains(got, "Access Now") {
		t.Errorf("a name in Arabic page: %s", got)
	}
	if got := string(p.Owed(name)); !strings.Contains(got, pending) {
		t.Errorf("an owed text without Arabic: %s", got)
	}
	if got := string(p.Owed(concord.Text{"en": "Item", "ar": "بند"})); strings.Contains(got, pending) {
		t.Errorf("an owed text with its Arabic version: %s", got)
	}
}

// TestOneColourMeaning: on the decision page colour means a position (the
// legend's palette); no rule colours a regional group with one of those
// colours, so a WEOG row cannot read as a dissociation.
func TestOneColourMeaning(t *testing.T) {
	t.Parallel()
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`([^{}]+)\{([^}]*)\}`)
	colour := regexp.MustCompile(`#[0-9a-fA-F]{3,6}\b`)
	positions := map[string]bool{}
	for _, m := range rule.FindAllStringSubmatch(string(css), -1) {
		if strings.Contains(m[1], ".pos-") {
			for _, c := range colour.FindAllString(m[2], -1) {
				positions[strings.ToLower(c)] = true
			}
		}
	}
	if len(positions) < 6 {
		t.Fatalf("found %d position colours in style.css", len(positions))
	}
	for _, m := range rule.FindAllStringSubmatch(string(css), -1) {
		sel := strings.TrimSpace(m[1])
		if !strings.Contains(sel, "grp-") && !strings.Contains(sel, "group") {
			continue
		}
		for _, c := range colour.FindAllString(m[2], -1) {
			if positions[strings.ToLower(c)] {
				t.Errorf("%s uses the position colour %s", sel, c)
			}
		}
	}
	tpl, err := templateFS.ReadFile("templates/decision/decision.html")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(tpl), `class="grp-`) {
		t.Error("the positions table classes rows by regional group")
	}
}

// TestZoned: every time says its zone, by city and offset, in the zone
// given (the meeting venue's), never a bare abbreviation or a silent UTC.
func TestZoned(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	kt, err := time.LoadLocation("Asia/Kathmandu")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 15, 19, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{
		{ny, "2026-01-15 14:00 New York (UTC\u22125)"},
		{kt, "2026-01-16 00:45 Kathmandu (UTC+5:45)"},
		{time.UTC, "2026-01-15 19:00 UTC"},
		{nil, "2026-01-15 19:00 UTC"},
	} {
		got := string(zoned(at, c.loc))
		if !strings.Contains(got, ">"+c.want+"</time>") || !strings.Contains(got, `datetime="2026-01-15T19:00:00Z"`) {
			t.Errorf("zoned in %v = %s, want %s", c.loc, got, c.want)
		}
	}
	summer := time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC)
	if got := minutes(summer, ny); got != "2026-07-01 18:00 New York (UTC\u22124)" {
		t.Errorf("minutes = %q", got)
	}
	p := &Page{zone: func() *time.Location { return ny }}
	if got := string(p.When(at)); !strings.Contains(got, "14:00 New York (UTC\u22125)") {
		t.Errorf("When = %s", got)
	}
	if zoned(time.Time{}, ny) != "" {
		t.Error("a zero time shows something")
	}
}

// TestDayInVenueZone: a date shown alone is the date where the meetings
// are, like every time on the page: 02:00 UTC on 15 May is still 14 May in
// New York.
func TestDayInVenueZone(t *testing.T) {
	t.Parallel()
	ny, err := concord.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{zone: func() *time.Location { return ny }}
	at := time.Date(2026, 5, 15, 2, 0, 0, 0, time.UTC)
	if got := p.Day(at); got != "2026-05-14" {
		t.Errorf("day %q, want 2026-05-14", got)
	}
	if got := p.Day(time.Time{}); got != "" {
		t.Errorf("zero day %q", got)
	}
	if got := p.ZoneName(); got != "New York" {
		t.Errorf("zone %q", got)
	}
}
