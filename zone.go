package concord

// Time zones of a process: how wall-clock dates and times entered in the
// process's zone become instants. Every part of the procedure that takes a
// date from a person uses these.

import (
	"fmt"
	"strings"
	"time"
)

// LoadLocation loads a process time zone (Process.TimeZone) and reports a
// bad name as a field error. An empty name means the default,
// America/New_York. It is the one function of the domain that reads
// anything: the time-zone database, static data, through time.LoadLocation.
// Load once when the process is configured and pass the *time.Location to
// the pure functions.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" {
		name = "America/New_York"
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, Errorf(EInvalid, "time_zone", "error.time_zone", "unknown time zone %q", name)
	}
	return loc, nil
}

// LocalToUTC turns a wall-clock date ("2006-01-02") and time
// ("15:04") in loc into a UTC instant, which is how windows, deadlines and meeting
// days are entered. A wall time that does not exist (skipped by a
// daylight-saving change) is an error naming the field "clock"; one that
// occurs twice resolves to the earlier instant.
func LocalToUTC(date, clock string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		return time.Time{}, Errorf(EInvalid, "time_zone", "error.time_zone", "time zone is required")
	}
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(date))
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "date", "error.date", "date must be YYYY-MM-DD")
	}
	h, m, err := ParseClock(clock)
	if err != nil {
		return time.Time{}, Errorf(EInvalid, "clock", "error.clock", "time must be HH:MM")
	}
	y, mo, d := day.Date()
	t := time.Date(y, mo, d, h, m, 0, 0, loc)
	same := func(u time.Time) bool {
		l := u.In(loc)
		ly, lmo, ld := l.Date()
		return ly == y && lmo == mo && ld == d && l.Hour() == h && l.Minute() == m
	}
	if !same(t) {
		return time.Time{}, Errorf(EInvalid, "clock", "error.local_time_skipped", "%s %s does not exist in %s (clocks change)", date, clock, loc)
	}
	// A repeated wall time lies one DST shift (30 min to 2 h) before or after.
	earliest := t
	for _, s := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if u := t.Add(-s); same(u) && u.Before(earliest) {
			earliest = u
		}
	}
	return earliest.UTC(), nil
}

// Local returns how t reads in loc, for display: the date
// ("2006-01-02"), the wall-clock time ("15:04") and the zone abbreviation.
func Local(t time.Time, loc *time.Location) (date, clock, zone string) {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	zone, _ = l.Zone()
	return l.Format(time.DateOnly), l.Format("15:04"), zone
}

// ParseClock parses "HH:MM" (00:00 to 23:59).
func ParseClock(s string) (h, m int, err error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, 0, fmt.Errorf("bad clock %q", s)
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, err
	}
	return t.Hour(), t.Minute(), nil
}
