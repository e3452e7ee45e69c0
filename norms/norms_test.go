package norms

import (
	"concord"
	"concord/capacity"
	"strings"
	"testing"
)

func TestChecklistIsComplete(t *testing.T) {
	list := Checklist()
	if len(list) != 11 || list[0].Letter != "a" || list[10].Letter != "k" {
		t.Fatalf("want the eleven norms a–k, got %d", len(list))
	}
	for _, n := range list {
		if len(n.Actions) < 2 {
			t.Errorf("norm %s has %d actions", n.Letter, len(n.Actions))
		}
		if info, _ := capacity.Lookup(n.Area); info.Name["en"] != n.Name["en"] {
			t.Errorf("norm %s is not the portal's norm", n.Letter)
		}
		for _, a := range n.Actions {
			for _, l := range concord.Languages {
				if strings.TrimSpace(a.Title[l]) == "" {
					t.Errorf("action %s has no %s title", a.Code, l)
				}
			}
			if got, ok := LookupAction(a.Code); !ok || got.Norm != n.Letter {
				t.Errorf("LookupAction(%s) = %v, %v", a.Code, got, ok)
			}
		}
	}
	if ActionCount() != 33 {
		t.Errorf("ActionCount() = %d", ActionCount())
	}
}

func TestValidateReturnsEveryProblem(t *testing.T) {
	good := Report{State: "FRA", Action: "a1", Status: Implemented, Evidence: "Decree 2024-1", Visibility: capacity.Public}
	tests := []struct {
		name   string
		change func(*Report)
		fields []string
	}{
		{"good", func(*Report) {}, nil},
		{"not applicable needs no evidence", func(r *Report) { r.Status, r.Evidence = NotApplicable, "" }, nil},
		{"implemented needs evidence", func(r *Report) { r.Evidence = "  " }, []string{"evidence"}},
		{"https link", func(r *Report) { r.Link = "https://example.org/x" }, nil},
		{"everything wrong", func(r *Report) {
			*r = Report{State: "fr", Action: "z9", Status: "done", Evidence: strings.Repeat("x", MaxEvidenceRunes+1),
				Link: "javascript:alert(1)", Contact: strings.Repeat("c", MaxContactRunes+1), Visibility: "secret"}
		}, []string{"state", "action", "status", "evidence", "link", "contact", "visibility"}},
	}
	for _, tt := range tests {
		r := good
		tt.change(&r)
		err := r.Validate()
		var errs concord.Errors
		errs.Add(err)
		var got []string
		for _, e := range errs {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: fields %v, want %v (%v)", tt.name, got, tt.fields, err)
		}
	}
}

func TestWhoReportsAndReads(t *testing.T) {
	fra := &concord.User{Role: concord.RoleDelegate, State: "FRA"}
	listener := &concord.User{Role: concord.RoleDelegate, State: "FRA", ReadOnly: true}
	sec := &concord.User{Role: concord.RoleSecretariat}
	focal := &concord.User{Role: concord.RoleFocalPoint, OrgID: 3}
	chair := &concord.User{Role: concord.RoleChair}
	if !CanReport(fra, "FRA") || CanReport(fra, "DEU") || CanReport(listener, "FRA") || !CanReport(sec, "DEU") || CanReport(focal, "FRA") || CanReport(nil, "FRA") {
		t.Error("CanReport: only the State's own speaking delegates and the Secretariat")
	}
	hidden := Report{Visibility: capacity.StatesOnly}
	for _, u := range []*concord.User{nil, focal, chair} {
		if CanView(u, hidden) {
			t.Errorf("%v sees a States-only report", u)
		}
		if !CanView(u, Report{Visibility: capacity.Public}) {
			t.Errorf("%v does not see a public report", u)
		}
	}
	for _, u := range []*concord.User{fra, listener, sec} {
		if !CanView(u, hidden) {
			t.Errorf("%v does not see a States-only report", u)
		}
	}
}

func TestProgress(t *testing.T) {
	marks := []Mark{
		{"FRA", "a1", Implemented}, {"FRA", "a2", InProgress}, {"FRA", "k1", NotApplicable},
		{"SEN", "a1", NotStarted},
		{"XXX", "a1", Implemented},
	}
	byNorm := ByNorm(marks)
	if a := byNorm[0].Counts; byNorm[0].Key != "a" || a.Implemented != 2 || a.InProgress != 1 || a.NotStarted != 1 || a.NotReported != 5 || a.Total() != 9 {
		t.Errorf("norm a: %+v", byNorm[0])
	}
	if k := byNorm[10].Counts; k.NotApplicable != 1 || k.NotReported != 8 {
		t.Errorf("norm k: %+v", k)
	}
	fra := ForState("FRA", marks)
	if c := fra[0].Counts; c.Implemented != 1 || c.InProgress != 1 || c.NotReported != 1 || c.Percent() != 33 {
		t.Errorf("FRA norm a: %+v (%d%%)", c, c.Percent())
	}
	if c := fra[10].Counts; c.NotApplicable != 1 || c.Percent() != 0 {
		t.Errorf("FRA norm k: %+v", c)
	}
	regions := ByRegion(ByState(marks), []string{"AG", "WEOG"}, func(s string) string {
		return map[string]string{"FRA": "WEOG", "SEN": "AG"}[s]
	})
	if len(regions) != 3 || regions[1].Key != "WEOG" || regions[1].States != 1 || regions[1].Counts.Implemented != 1 ||
		regions[1].Counts.Total() != ActionCount() || regions[2].Key != "" || regions[2].States != 1 {
		t.Errorf("regions: %+v", regions)
	}
	if got := ByRegion(ByState(marks[:4]), []string{"AG", "WEOG"}, func(s string) string { return map[string]string{"FRA": "WEOG", "SEN": "AG"}[s] }); len(got) != 2 {
		t.Errorf("no row for States of no region when there are none: %+v", got)
	}
	if (Counts{NotApplicable: 3}).Percent() != 0 {
		t.Error("nothing applies: 0%")
	}
}
