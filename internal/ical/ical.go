// Package ical writes the process's calendar as iCalendar (RFC 5545): one
// VEVENT per meeting, with a UID that never changes, the meeting's SEQUENCE
// (bumped by every change, so clients replace their copy), cancelled
// meetings as STATUS:CANCELLED, lines folded at 75 octets and ended by CRLF.
//
// Times are written in UTC ("DTSTART:20260720T140000Z", RFC 5545 §3.3.5
// form 2), not with a TZID: Go does not expose the transition rules a
// VTIMEZONE needs, a TZID without a correct VTIMEZONE is what clients
// mishandle (Outlook shifts it, others fall back to floating time), and
// every client shows a UTC time in its reader's own zone. The venue's local
// times are in the DESCRIPTION, labelled with the zone.
package ical

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one meeting as the calendar shows it.
type Event struct {
	UID         string
	Sequence    int
	Created     time.Time
	Modified    time.Time
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Categories  []string
	Cancelled   bool
	Tentative   bool // postponed: the dates no longer hold
}

// Calendar is a whole feed.
type Calendar struct {
	Name   string // X-WR-CALNAME, what clients call the subscription
	Events []Event
}

const stamp = "20060102T150405Z"

// Encode writes the calendar.
func (c Calendar) Encode() []byte {
	var b bytes.Buffer
	line := func(name, value string) { fold(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Concord//Meetings//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", Escape(c.Name))
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", e.UID)
		line("DTSTAMP", e.Modified.UTC().Format(stamp))
		line("CREATED", e.Created.UTC().Format(stamp))
		line("LAST-MODIFIED", e.Modified.UTC().Format(stamp))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		line("DTSTART", e.Start.UTC().Format(stamp))
		line("DTEND", e.End.UTC().Format(stamp))
		line("SUMMARY", Escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", Escape(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", Escape(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if len(e.Categories) > 0 {
			cs := make([]string, len(e.Categories))
			for i, x := range e.Categories {
				cs[i] = Escape(x)
			}
			line("CATEGORIES", strings.Join(cs, ","))
		}
		switch {
		case e.Cancelled:
			line("STATUS", "CANCELLED")
		case e.Tentative:
			line("STATUS", "TENTATIVE")
		default:
			line("STATUS", "CONFIRMED")
		}
		line("TRANSP", "OPAQUE")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.Bytes()
}

// Escape escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and newlines; other control characters are dropped.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(`\n`)
		default:
			if (c < 0x20 && c != '\t') || c == 0x7f {
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fold writes a content line folded at 75 octets (RFC 5545 §3.1): each
// continuation starts with a space, and a UTF-8 sequence is never split.
func fold(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
