package store

import (
	"context"
	"database/sql"
	"iter"
	"time"

	"concord"
)

const appointmentColumns = "a.id, a.user_id, a.post, a.scope, a.starts_at, a.ends_at"

func scanAppointment(sc interface{ Scan(...any) error }) (concord.Appointment, error) {
	var a concord.Appointment
	var to sql.NullTime
	err := sc.Scan(&a.ID, &a.UserID, &a.Post, &a.Scope, &a.From, &to)
	a.From, a.Until = a.From.UTC(), nullUTC(to)
	return a, err
}

// Held is an appointment with the account that holds it.
type Held struct {
	concord.Appointment
	User concord.User
}

func scanHeld(sc interface{ Scan(...any) error }) (Held, error) {
	var h Held
	var to sql.NullTime
	var st sql.NullString
	var org sql.NullInt64
	u := &h.User
	err := sc.Scan(&h.ID, &h.UserID, &h.Post, &h.Scope, &h.From, &to,
		&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly)
	h.From, h.Until = h.From.UTC(), nullUTC(to)
	u.State, u.OrgID = st.String, org.Int64
	return h, err
}

const heldQuery = "SELECT " + appointmentColumns + ", u.id, u.username, u.name, u.email, u.role, u.state, u.org_id, u.disabled, u.email_verified, u.lang, u.read_only FROM appointments a JOIN users u ON u.id = a.user_id"

// Appointments returns the appointments that have not ended at now (in
// force or to come) and, when past, the ended ones too, newest first, with
// their holders: the Secretariat's list.
func (r Reader) Appointments(now time.Time, past bool) ([]Held, error) {
	if past {
		return queryAll(r.ctx, r.conn, scanHeld, heldQuery+" ORDER BY a.starts_at DESC, a.id DESC")
	}
	return queryAll(r.ctx, r.conn, scanHeld, heldQuery+" WHERE a.ends_at IS NULL OR a.ends_at > $1 ORDER BY a.starts_at DESC, a.id DESC", now)
}

// Appointment returns one appointment with its holder.
func (r Reader) Appointment(id int64) (Held, error) {
	h, err := scanHeld(r.row(r.ctx, heldQuery+" WHERE a.id = $1", id))
	return h, notFound(err)
}

// CreateAppointment records a, checked against its holder u, on the public
// log (who holds a post is public; the log names the post, not the person).
func (tx *Tx) CreateAppointment(a *concord.Appointment, u concord.User) error {
	if err := a.Validate(u); err != nil {
		return err
	}
	a.UserID, a.From = u.ID, a.From.UTC()
	if err := tx.row(tx.ctx, `INSERT INTO appointments (user_id, post, scope, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		a.UserID, a.Post, a.Scope, a.From, nullTime(a.Until), tx.Now).Scan(&a.ID); err != nil {
		return err
	}
	return tx.Audit("delegation.appoint", "appointment", itoa64(a.ID), nil, a, true)
}

// AppointStaff gives a new Secretariat, Chair or co-facilitator account its
// term from now, with no end, so that the Secretariat can end it (an
// account with no term of its role keeps it open). Other roles: nothing.
func (tx *Tx) AppointStaff(u concord.User) error {
	switch u.Role {
	case concord.RoleSecretariat, concord.RoleChair, concord.RoleCoFacilitator:
		return tx.CreateAppointment(&concord.Appointment{Post: concord.Post(u.Role), From: tx.Now}, u)
	}
	return nil
}

// EndAppointment ends appointment a at until (its rights end then; an
// appointment not yet begun is ended at its start, so it never grants any).
func (tx *Tx) EndAppointment(a concord.Appointment, until time.Time) error {
	before := a
	if until.Before(a.From) {
		until = a.From
	}
	a.Until = until.UTC()
	if _, err := tx.exec(tx.ctx, "UPDATE appointments SET ends_at = $1 WHERE id = $2", a.Until, a.ID); err != nil {
		return err
	}
	return tx.Audit("delegation.appoint_end", "appointment", itoa64(a.ID), before, a, true)
}

// Delegate is a delegate of a State as its delegation page lists them:
// the account, whether it has yet accepted its invitation (Invited: no
// password chosen yet) and until when its last invitation link is valid.
type Delegate struct {
	concord.User
	Invited       bool
	InviteExpires time.Time
}

// Delegation returns the delegates of State iso3 (enabled ones first, then
// by username) with each one's appointments, in two statements whatever
// their number.
func (r Reader) Delegation(iso3 string) ([]Delegate, error) {
	// One row per delegate and unused invitation link (a column of the
	// table, not an aggregate, keeps its time type on SQLite).
	rows, err := queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (Delegate, error) {
		var d Delegate
		var st sql.NullString
		var org sql.NullInt64
		var exp sql.NullTime
		u := &d.User
		err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &st, &org, &u.Disabled, &u.EmailVerified, &u.Lang, &u.ReadOnly, &d.Invited, &exp)
		u.State, u.OrgID, d.InviteExpires = st.String, org.Int64, nullUTC(exp)
		return d, err
	}, `SELECT u.id, u.username, u.name, u.email, u.role, u.state, u.org_id, u.disabled, u.email_verified, u.lang, u.read_only,
		u.password_hash = $2, t.expires_at
		FROM users u LEFT JOIN account_tokens t ON t.user_id = u.id AND t.purpose = $3 AND t.used_at IS NULL
		WHERE u.state = $1 AND u.role = 'delegate' ORDER BY u.disabled, u.username, u.id`, iso3, NoPassword, TokenInvite)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var list []Delegate
	at := make(map[int64]int, len(rows))
	for _, d := range rows {
		if i, ok := at[d.ID]; ok {
			if d.InviteExpires.After(list[i].InviteExpires) {
				list[i].InviteExpires = d.InviteExpires
			}
			continue
		}
		at[d.ID] = len(list)
		list = append(list, d)
	}
	apps, err := queryAll(r.ctx, r.conn, scanAppointment, "SELECT "+appointmentColumns+
		" FROM appointments a JOIN users u ON u.id = a.user_id WHERE u.state = $1 AND u.role = 'delegate' ORDER BY a.id", iso3)
	for _, a := range apps {
		if i, ok := at[a.UserID]; ok {
			list[i].Appointments = append(list[i].Appointments, a)
		}
	}
	return list, err
}

// SetReadOnly says whether delegate userID may speak for its State
// (positions, objections, nominations), on the account log, and ends its
// sessions so that the change holds at once.
func (tx *Tx) SetReadOnly(userID int64, readOnly bool) error {
	before, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	after := before
	after.ReadOnly = readOnly
	if _, err := tx.exec(tx.ctx, "UPDATE users SET read_only = $1 WHERE id = $2", readOnly, userID); err != nil {
		return err
	}
	return tx.AuditAccount("user.speak", "user", itoa64(userID), before, after)
}

// appointmentRows are the rows of the appointments table, for VerifyRows.
func appointmentRows(ctx context.Context, c conn) iter.Seq2[rowState, error] {
	return scanRows(ctx, c, "SELECT "+appointmentColumns+" FROM appointments a ORDER BY a.id", func(rows *sql.Rows) (rowState, error) {
		a, err := scanAppointment(rows)
		return rowState{"appointment", itoa64(a.ID), &a}, err
	})
}

// UserNamed returns the account with username.
func (r Reader) UserNamed(username string) (concord.User, error) {
	u, err := scanUser(r.row(r.ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username))
	return u, notFound(err)
}
