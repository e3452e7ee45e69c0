package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"concord"
)

// Signup states: an organisation that signed up itself is pending until the
// Secretariat verifies or rejects it.
const (
	SignupPending  = "pending"
	SignupVerified = "verified"
	SignupRejected = "rejected"
)

// Signup is an organisation's own sign-up and the evidence the Secretariat
// decides on.
type Signup struct {
	Org    concord.Organization
	User   concord.User // the focal point who signed up
	Status string
	// ECOSOCClaim is the ECOSOC identifier the applicant claims; the status
	// itself is recorded by the Secretariat on the organisation.
	ECOSOCClaim string
	// Duplicates are the ids of the likely duplicates shown to the
	// applicant, who confirmed the sign-up anyway.
	Duplicates []int64
	Reason     string // why it was rejected
	Lang       string // the applicant's language, for the notices' emails
	Created    time.Time
	Decided    time.Time // zero while pending
}

// hiddenOrgs is the condition that leaves out organisations whose sign-up
// is not verified: they are not public, in any list.
const hiddenOrgs = "id NOT IN (SELECT org_id FROM org_signups WHERE status <> 'verified')"

// CreateSignup records s (its organisation and user already created) as
// pending, audited confidentially: the applicant is not public yet.
func (tx *Tx) CreateSignup(s *Signup) error {
	s.Status, s.Created = SignupPending, tx.Now
	dups, _ := json.Marshal(orEmpty(s.Duplicates))
	if _, err := tx.exec(tx.ctx, `INSERT INTO org_signups (org_id, user_id, status, ecosoc_claim, duplicates, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.Org.ID, s.User.ID, s.Status, s.ECOSOCClaim, string(dups), s.Lang, tx.Now); err != nil {
		return err
	}
	return tx.AuditAccount("signup.create", "org_signup", itoa64(s.Org.ID), nil, signupAudit(*s))
}

// DecideSignup records the Secretariat's verification or rejection of a
// pending sign-up.
func (tx *Tx) DecideSignup(s *Signup, before Signup) error {
	s.Decided = tx.Now
	if _, err := tx.exec(tx.ctx, `UPDATE org_signups SET status = $1, reason = $2, decided_at = $3 WHERE org_id = $4`,
		s.Status, s.Reason, tx.Now, s.Org.ID); err != nil {
		return err
	}
	// A verified organisation is public: its search entries too.
	if s.Status == SignupVerified {
		if err := tx.SetSearchVisibility(SearchOrganization, itoa64(s.Org.ID), VisibleGeneral); err != nil {
			return err
		}
	}
	return tx.AuditAccount("signup."+s.Status, "org_signup", itoa64(s.Org.ID), signupAudit(before), signupAudit(*s))
}

// signupAudit is the audited row of a sign-up: its own columns.
func signupAudit(s Signup) map[string]any {
	return map[string]any{"org_id": s.Org.ID, "user_id": s.User.ID, "status": s.Status, "ecosoc_claim": s.ECOSOCClaim,
		"duplicates": orEmpty(s.Duplicates), "reason": s.Reason}
}

func orEmpty(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

const signupColumns = "s.status, s.ecosoc_claim, s.duplicates, s.reason, s.lang, s.created_at, s.decided_at, "

func scanSignup(sc interface{ Scan(...any) error }) (Signup, error) {
	var s Signup
	var dups string
	var decided sql.NullTime
	var names string
	var st sql.NullString
	var org sql.NullInt64
	var country sql.NullString
	err := sc.Scan(&s.Status, &s.ECOSOCClaim, &dups, &s.Reason, &s.Lang, &s.Created, &decided,
		&s.Org.ID, &s.Org.Kind, &names, &s.Org.Acronym, &s.Org.Type, &country, &s.Org.Website, &s.Org.ECOSOC, &s.Org.ECOSOCID, &s.Org.Updated,
		&s.User.ID, &s.User.Username, &s.User.Name, &s.User.Email, &s.User.Role, &st, &org, &s.User.Disabled, &s.User.EmailVerified)
	if err != nil {
		return s, err
	}
	s.Org.Names, s.Org.Country = scanText(names), country.String
	s.User.State, s.User.OrgID = st.String, org.Int64
	s.Decided = decided.Time
	s.Created = s.Created.UTC()
	_ = json.Unmarshal([]byte(dups), &s.Duplicates)
	return s, nil
}

const signupSelect = "SELECT " + signupColumns +
	"o.id, o.kind, o.names, o.acronym, o.type, o.country, o.website, o.ecosoc, o.ecosoc_id, o.updated_at, " +
	"u.id, u.username, u.name, u.email, u.role, u.state, u.org_id, u.disabled, u.email_verified " +
	"FROM org_signups s JOIN organizations o ON o.id = s.org_id JOIN users u ON u.id = s.user_id"

// Signups returns the sign-ups in status (every one when empty), oldest
// first: the Secretariat's queue.
func (r Reader) Signups(status string) ([]Signup, error) {
	return queryAll(r.ctx, r.conn, scanSignup, signupSelect+" WHERE $1 = '' OR s.status = $1 ORDER BY s.created_at, s.org_id", status)
}

// SignupPage returns one page of the sign-ups in status (every one when
// empty), oldest first, and how many there are: the Secretariat's queue.
func (r Reader) SignupPage(status string, limit, offset int) ([]Signup, int, error) {
	var total int
	if err := r.row(r.ctx, "SELECT COUNT(*) FROM org_signups s WHERE $1 = '' OR s.status = $1", status).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := r.query(r.ctx, signupSelect+" WHERE $1 = '' OR s.status = $1 ORDER BY s.created_at, s.org_id LIMIT $2 OFFSET $3", status, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Signup
	for rows.Next() {
		s, err := scanSignup(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// Signup returns the sign-up of organisation orgID; concord.ErrNotFound
// when it did not sign up itself (the Secretariat registered it).
func (r Reader) Signup(orgID int64) (Signup, error) {
	s, err := scanSignup(r.row(r.ctx, signupSelect+" WHERE s.org_id = $1", orgID))
	return s, notFound(err)
}

// SignupStatus returns the status of organisation orgID's sign-up, or ""
// when it did not sign up itself: one indexed read, for the guards of
// applying and of showing an organisation.
func (r Reader) SignupStatus(orgID int64) (string, error) {
	var st string
	err := r.row(r.ctx, "SELECT status FROM org_signups WHERE org_id = $1", orgID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// EmailInUse reports whether an account uses email (case-insensitively).
func (r Reader) EmailInUse(email string) (bool, error) {
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM users WHERE LOWER(email) = LOWER($1)", email).Scan(&n)
	return n > 0, err
}

// OrgMembers returns the accounts of organisation orgID's focal points and
// representatives, enabled ones first.
func (r Reader) OrgMembers(orgID int64) ([]concord.User, error) {
	return r.users(r.ctx, "SELECT "+userColumns+" FROM users WHERE org_id = $1 AND role = 'focal-point' ORDER BY disabled, username", orgID)
}

// RemoveMember disables the account userID of an organisation and ends
// every session and API token it has: its access ends at once.
func (tx *Tx) RemoveMember(userID int64) error {
	before, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	after := before
	after.Disabled = true
	if _, err := tx.exec(tx.ctx, "UPDATE users SET disabled = TRUE WHERE id = $1", userID); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
		return err
	}
	return tx.AuditAccount("user.remove", "user", itoa64(userID), before, after)
}
