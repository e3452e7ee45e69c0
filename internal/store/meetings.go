package store

import (
	"concord/meeting"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// The process's calendar: meetings as JSON documents of meeting.Meeting
// with the columns the lists, the room check and the feeds query.

const meetingColumns = "id, sequence, created_at, updated_at, doc"

func scanMeeting(sc interface{ Scan(...any) error }) (meeting.Meeting, error) {
	var m meeting.Meeting
	var id int64
	var seq int
	var created, updated time.Time
	var doc string
	if err := sc.Scan(&id, &seq, &created, &updated, &doc); err != nil {
		return m, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return m, err
	}
	m.ID, m.Sequence, m.Created, m.Updated = id, seq, created.UTC(), updated.UTC()
	return m, nil
}

// normalise puts the meeting's instants in UTC at the store's precision,
// so that the value audited is the value read back.
func normaliseMeeting(m *meeting.Meeting) {
	utc := func(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
	m.Start, m.End = utc(m.Start), utc(m.End)
	for i := range m.Segments {
		m.Segments[i].Start, m.Segments[i].End = utc(m.Segments[i].Start), utc(m.Segments[i].End)
	}
}

// SaveMeeting inserts (ID 0) or updates the meeting, after validating it,
// and audits the write publicly under action ("meeting.create",
// "meeting.edit", "meeting.status"): the calendar is public. Every change
// bumps the meeting's Sequence, which calendar clients use to replace their
// copy.
func (tx *Tx) SaveMeeting(m *meeting.Meeting, action string) error {
	normaliseMeeting(m)
	if err := m.Validate(); err != nil {
		return err
	}
	var before any
	m.Updated = tx.Now
	if m.ID == 0 {
		m.Created, m.Sequence = tx.Now, 0
	} else {
		prev, err := tx.Meeting(m.ID)
		if err != nil {
			return err
		}
		before = prev
		m.Created, m.Sequence = prev.Created, prev.Sequence+1
	}
	doc, err := docJSON(m)
	if err != nil {
		return err
	}
	if m.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO meetings (process, body, kind, status, start_at, end_at, room_key, session, sequence, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			m.Process, string(m.Body), string(m.Kind), string(m.Status), m.Start, m.End, m.RoomKey(), m.Session, m.Sequence, m.Created, m.Updated, doc).Scan(&m.ID)
		if err == nil {
			// The id is part of the value: store it in the document too.
			if doc, err = docJSON(m); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE meetings SET doc = $1 WHERE id = $2", doc, m.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE meetings SET body = $1, kind = $2, status = $3, start_at = $4, end_at = $5, room_key = $6,
			session = $7, sequence = $8, updated_at = $9, doc = $10 WHERE id = $11`,
			string(m.Body), string(m.Kind), string(m.Status), m.Start, m.End, m.RoomKey(), m.Session, m.Sequence, m.Updated, doc, m.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "meeting", itoa64(m.ID), before, m, true)
}

// Meeting returns meeting id.
func (db *DB) Meeting(ctx context.Context, id int64) (meeting.Meeting, error) {
	return db.Read(ctx).Meeting(id)
}

// Meeting reads meeting id, in the pool or inside a transaction.
func (r Reader) Meeting(id int64) (meeting.Meeting, error) {
	m, err := scanMeeting(r.row(r.ctx, "SELECT "+meetingColumns+" FROM meetings WHERE id = $1", id))
	if err == nil {
		noteNextChange(r.ctx, r.db, m)
	}
	return m, err
}

// MeetingQuery selects meetings of a process.
type MeetingQuery struct {
	Process string
	Body    meeting.Body // empty: every body
	// Upcoming: meetings that end after Now, earliest first; otherwise
	// meetings that ended by Now, latest first.
	Upcoming bool
	Now      time.Time
	// Since, when set, keeps only meetings that end after it (feeds).
	Since  time.Time
	Limit  int
	Offset int
}

// where is the query's condition and arguments.
func (q MeetingQuery) where() (string, []any) {
	var w where
	w.add("process = ?", q.Process)
	w.addIf(q.Body != "", "body = ?", string(q.Body))
	if q.Upcoming {
		w.add("end_at > ?", q.Now.UTC())
	} else {
		w.add("end_at <= ?", q.Now.UTC())
		w.addIf(!q.Since.IsZero(), "end_at > ?", q.Since.UTC())
	}
	return w.clause(), w.args
}

// Meetings lists meetings in one statement, bounded by q.Limit: upcoming
// earliest first, past latest first.
func (db *DB) Meetings(ctx context.Context, q MeetingQuery) ([]meeting.Meeting, error) {
	w, args := q.where()
	sql := "SELECT " + meetingColumns + " FROM meetings" + w
	if q.Upcoming {
		sql += " ORDER BY start_at, id"
	} else {
		sql += " ORDER BY start_at DESC, id DESC"
	}
	if q.Limit > 0 {
		sql += " LIMIT " + itoa64(int64(q.Limit)) + " OFFSET " + itoa64(int64(max(q.Offset, 0)))
	}
	return db.r().meetings(ctx, sql, args...)
}

// CountMeetings counts the meetings q selects (Limit and Offset aside).
func (db *DB) CountMeetings(ctx context.Context, q MeetingQuery) (int, error) {
	w, args := q.where()
	var n int
	err := db.r().row(ctx, "SELECT COUNT(*) FROM meetings"+w, args...).Scan(&n)
	return n, err
}

func (c conn) meetings(ctx context.Context, q string, args ...any) ([]meeting.Meeting, error) {
	return queryAll(ctx, c, scanMeeting, q, args...)
}

// RoomMeetings returns the meetings of the process in the room of m that
// overlap its time (m itself excluded), for the overlap warning.
func (r Reader) RoomMeetings(m meeting.Meeting) ([]meeting.Meeting, error) {
	if m.RoomKey() == "" {
		return nil, nil
	}
	return r.meetings(r.ctx, "SELECT "+meetingColumns+" FROM meetings WHERE process = $1 AND room_key = $2 AND start_at < $3 AND end_at > $4 AND id <> $5 ORDER BY start_at, id",
		m.Process, m.RoomKey(), m.End.UTC(), m.Start.UTC(), m.ID)
}

// RoomMeetings reads the same through the pool (for a form's check).
func (db *DB) RoomMeetings(ctx context.Context, m meeting.Meeting) ([]meeting.Meeting, error) {
	return db.Read(ctx).RoomMeetings(m)
}

// NextMeetingEnd is the earliest end after now among the process's (or a
// body's) meetings: when a calendar next moves a meeting from upcoming to
// past with no write. Zero when none is to come.
func (db *DB) NextMeetingEnd(ctx context.Context, process string, body meeting.Body, now time.Time) (time.Time, error) {
	q := MeetingQuery{Process: process, Body: body, Now: now, Upcoming: true}
	w, args := q.where()
	var t time.Time
	err := db.r().row(ctx, "SELECT end_at FROM meetings"+w+" ORDER BY end_at LIMIT 1", args...).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return t.UTC(), err
}
