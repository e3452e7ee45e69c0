package concord

import "testing"

func TestDTGs(t *testing.T) {
	if len(DTGs) != 2 {
		t.Fatalf("%d DTGs; the final report settled on two", len(DTGs))
	}
	for _, d := range DTGs {
		for _, l := range Languages {
			if d.Names[l] == "" {
				t.Errorf("%s has no %s name", d.Code, l)
			}
		}
		if got, ok := DTGByCode(d.Code); !ok || got.Code != d.Code {
			t.Errorf("DTGByCode(%s) = %v, %v", d.Code, got, ok)
		}
	}
	if _, ok := DTGByCode("DTG3"); ok {
		t.Error("DTG3 found")
	}
}
