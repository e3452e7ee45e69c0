package ical

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sample() Calendar {
	start := time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)
	return Calendar{Name: "Global Mechanism, plenary", Events: []Event{
		{UID: "meeting-1.GM@concord", Sequence: 3, Created: start.Add(-1000 * time.Hour), Modified: start.Add(-10 * time.Hour),
			Start: start, End: start.Add(100 * time.Hour),
			Summary:     "الدورة الموضوعية الأولى; first substantive session, with a long title that certainly needs folding at seventy-five octets",
			Description: "Venue time: 10:00, New York\nline two\\ends", Location: "UNHQ, Conference Room 4",
			URL: "https://concord.example/ar/meetings/1", Categories: []string{"plenary", "a,b"}},
		{UID: "meeting-2.GM@concord", Sequence: 1, Created: start, Modified: start, Start: start, End: start.Add(time.Hour),
			Summary: "会议 已取消", Cancelled: true},
	}}
}

// parse unfolds and splits the content lines back, checking the line rules
// on the way.
func parse(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("no final CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	var lines []string
	for _, l := range raw {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("folding split a character: %q", l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("bare CR or LF in %q", l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
		} else {
			lines = append(lines, l)
		}
	}
	var out []map[string]string
	var cur map[string]string
	for _, l := range lines {
		name, value, _ := strings.Cut(l, ":")
		switch {
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			out = append(out, cur)
			cur = nil
		case cur != nil:
			cur[name] = value
		}
	}
	return out
}

func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n").Replace(s)
}

func TestEncodeParsesBack(t *testing.T) {
	c := sample()
	evs := parse(t, c.Encode())
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	for k, want := range map[string]string{
		"UID": "meeting-1.GM@concord", "SEQUENCE": "3", "DTSTART": "20260720T140000Z", "DTEND": "20260724T180000Z",
		"STATUS": "CONFIRMED", "CATEGORIES": `plenary,a\,b`,
	} {
		if e[k] != want {
			t.Errorf("%s = %q, want %q", k, e[k], want)
		}
	}
	if unescape(e["SUMMARY"]) != c.Events[0].Summary || unescape(e["DESCRIPTION"]) != c.Events[0].Description {
		t.Errorf("text did not survive: %q / %q", e["SUMMARY"], e["DESCRIPTION"])
	}
	if evs[1]["STATUS"] != "CANCELLED" || unescape(evs[1]["SUMMARY"]) != "会议 已取消" {
		t.Errorf("cancelled event %v", evs[1])
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"a;b,c\\d": `a\;b\,c\\d`, "x\r\ny\nz": `x\ny\nz`, "bell\a": "bell", "tab\tok": "tab\tok",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVobject reads the calendar with python3-vobject, a strict iCalendar
// parser from Debian's packages, when the machine has it (.ci/run installs
// it: `apt-get install -y python3-vobject`, and sets
// CONCORD_REQUIRE_VALIDATORS=1, under which its absence fails the test).
func TestVobject(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		if os.Getenv("CONCORD_REQUIRE_VALIDATORS") == "1" {
			t.Fatal("python3-vobject is not installed and CONCORD_REQUIRE_VALIDATORS=1 (apt-get install -y python3-vobject)")
		}
		t.Skip("python3-vobject is not installed (apt-get install -y python3-vobject)")
	}
	f := filepath.Join(t.TempDir(), "c.ics")
	if err := os.WriteFile(f, sample().Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/vobject-check.py", f).CombinedOutput()
	if err != nil {
		t.Fatalf("vobject: %v\n%s", err, out)
	}
	want := "meeting-1.GM@concord\t3\tCONFIRMED\t2026-07-20T14:00:00+00:00\t" + sample().Events[0].Summary + "\n" +
		"meeting-2.GM@concord\t1\tCANCELLED\t2026-07-20T14:00:00+00:00\t会议 已取消\n"
	if string(out) != want {
		t.Errorf("vobject read\n%s\nwant\n%s", out, want)
	}
}
