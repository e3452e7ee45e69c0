package concord

import (
	"testing"
	"time"
)

// TestZone: the process zone, clock times and wall-clock instants (the
// daylight-saving cases are in accreditation's TestLocalTime).
func TestZone(t *testing.T) {
	ny, err := LoadLocation("")
	if err != nil || ny.String() != "America/New_York" {
		t.Fatalf("default zone %v %v", ny, err)
	}
	for _, name := range []string{"Mars/Olympus", "Local"} {
		if _, err := LoadLocation(name); ErrorCode(err) != EInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, c := range []struct {
		s    string
		h, m int
		ok   bool
	}{{"09:05", 9, 5, true}, {" 23:59 ", 23, 59, true}, {"24:00", 0, 0, false}, {"9:05", 0, 0, false}, {"", 0, 0, false}} {
		h, m, err := ParseClock(c.s)
		if (err == nil) != c.ok || h != c.h || m != c.m {
			t.Errorf("%q: %d:%d %v", c.s, h, m, err)
		}
	}
	if got, err := LocalToUTC("2026-12-07", "00:00", ny); err != nil || !got.Equal(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("meeting day: %v %v", got, err)
	}
	if _, err := LocalToUTC("2026-12-07", "00:00", nil); ErrorCode(err) != EInvalid {
		t.Errorf("no zone: %v", err)
	}
}
