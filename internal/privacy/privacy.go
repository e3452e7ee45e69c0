// Package privacy serves a person's own data (issue 11): its export, and
// the deletion of an account that keeps the procedural record intact.
//
// What the record keeps of a person is already pseudonymous: positions and
// objections are the State's (decision.Position.Actor, an ISO3), an
// application's history names a user id and a role, and both logs name
// the actor as "user:N". Deleting an account therefore erases the row's
// personal fields (username, name, address, password) and everything
// attached to them (sessions, API tokens, links, mail), keeps its id, role
// and State, and records the change in the account log like any other:
// the hash chains are untouched and the rows still match their last
// entries, so `concord audit verify` passes, and the pages say "a former
// delegate of France" where they named the account.
package privacy

import (
	"context"
	"time"

	"concord"
	"concord/internal/apply"
	"concord/internal/auth"
	"concord/internal/store"
)

// Service exports and erases accounts.
type Service struct {
	DB *store.DB
}

// Export returns the signed-in person's own data, each list bounded by
// store.ExportLimit.
func (s *Service) Export(ctx context.Context, u *concord.User) (store.PersonalData, error) {
	return s.DB.Read(ctx).PersonalData(u.ID)
}

// ErrPassword refuses a deletion confirmed with a wrong password.
var ErrPassword = concord.Errorf(concord.EInvalid, "password", "error.password_confirm", "the password is not right")

// erasure is what a deletion works on: the account, and how many other
// Secretariat accounts can still sign in.
type erasure struct {
	before, after concord.User
	others        int
}

// Erase deletes the account id on behalf of by, who confirms with their
// own password: the owner, or the Secretariat for them. The last
// Secretariat account is refused. It returns the account as it now is
// (concord.Erase).
func (s *Service) Erase(ctx context.Context, by *concord.User, id int64, password string) (concord.User, error) {
	// The password first, outside the transaction: argon2 takes a while,
	// and the single writer must not wait for it.
	hash, err := s.DB.Read(ctx).PasswordHash(by.ID)
	if err != nil {
		return concord.User{}, err
	}
	if password == "" || !auth.VerifyPassword(password, hash) {
		return concord.User{}, ErrPassword
	}
	v, err := apply.Write[erasure]{Actor: by,
		Load: func(r store.Reader, _ time.Time) (erasure, error) {
			u, err := r.UserByID(id)
			if err != nil {
				return erasure{}, err
			}
			n, err := r.ActiveSecretariat(id)
			return erasure{before: u, others: n}, err
		},
		Allow: func(v erasure) error {
			if v.before.ID == by.ID || concord.Can(by, concord.ActManageUsers, concord.Target{}) {
				return nil
			}
			return concord.ErrNotFound // another's account is not disclosed
		},
		Change: func(v *erasure, _ time.Time) error {
			var err error
			v.after, err = concord.Erase(v.before, v.others)
			return err
		},
		Save: func(tx *store.Tx, v *erasure) error { return tx.EraseUser(v.before, v.after) },
	}.Run(ctx, s.DB)
	return v.after, err
}

// Export is a person's data as the export gives it, in JSON (the page's
// download and GET /api/v1/me/export alike). Unset times are omitted.
type Export struct {
	Exported   string        `json:"exported"`
	Account    AccountJSON   `json:"account"`
	Sessions   []SessionJSON `json:"sessions"`
	Links      []LinkJSON    `json:"links"`
	Notices    []NoticeJSON  `json:"notices"`
	Mail       []MailJSON    `json:"mail"`
	Audit      []EntryJSON   `json:"audit"`
	AccountLog []EntryJSON   `json:"account_log"`
	Truncated  []string      `json:"truncated"`
}

// AccountJSON is the account row, without its password hash.
type AccountJSON struct {
	ID            int64  `json:"id"`
	Username      string `json:"username"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Role          string `json:"role"`
	State         string `json:"state,omitempty"`
	OrgID         int64  `json:"organization_id,omitempty"`
	Disabled      bool   `json:"disabled"`
	Lang          string `json:"lang"`
	Created       string `json:"created"`
	NoticeEmail   bool   `json:"notice_email"`
	NoticeDigest  bool   `json:"notice_digest"`
}

// SessionJSON is a session or API token, named by a prefix of its hash.
type SessionJSON struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Created string `json:"created"`
	Expires string `json:"expires"`
}

// LinkJSON is an emailed single-use link, without its token.
type LinkJSON struct {
	Purpose string `json:"purpose"`
	Email   string `json:"email"`
	Created string `json:"created"`
	Expires string `json:"expires"`
	Used    string `json:"used,omitempty"`
}

// NoticeJSON is a notice of the person's inbox.
type NoticeJSON struct {
	ID      int64             `json:"id"`
	Created string            `json:"created"`
	Key     string            `json:"key"`
	Args    map[string]string `json:"args"`
	Link    string            `json:"link"`
}

// MailJSON is a message of the outbox addressed to the person.
type MailJSON struct {
	ID      int64  `json:"id"`
	Created string `json:"created"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	Status  string `json:"status"`
	Sent    string `json:"sent,omitempty"`
}

// EntryJSON is a log entry the person wrote.
type EntryJSON struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Public     bool   `json:"public"`
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ExportJSON shapes d for JSON at now.
func ExportJSON(d store.PersonalData, now time.Time) Export {
	u := d.User
	out := Export{Exported: rfc(now),
		Account: AccountJSON{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, EmailVerified: u.EmailVerified, Role: string(u.Role),
			State: u.State, OrgID: u.OrgID, Disabled: u.Disabled, Lang: u.Lang, Created: rfc(d.Created), NoticeEmail: d.Notices, NoticeDigest: d.Digest},
		Sessions: []SessionJSON{}, Links: []LinkJSON{}, Notices: []NoticeJSON{}, Mail: []MailJSON{}, Audit: []EntryJSON{}, AccountLog: []EntryJSON{},
		Truncated: append([]string{}, d.Truncated...)}
	for _, s := range d.Sessions {
		out.Sessions = append(out.Sessions, SessionJSON{ID: s.ID, Kind: s.Kind, Created: rfc(s.Created), Expires: rfc(s.Expires)})
	}
	for _, l := range d.Links {
		out.Links = append(out.Links, LinkJSON{Purpose: l.Purpose, Email: l.Email, Created: rfc(l.Created), Expires: rfc(l.Expires), Used: rfc(l.Used)})
	}
	for _, n := range d.Inbox {
		args := n.Args
		if args == nil {
			args = map[string]string{}
		}
		out.Notices = append(out.Notices, NoticeJSON{ID: n.ID, Created: rfc(n.Created), Key: n.Key, Args: args, Link: n.Link})
	}
	for _, m := range d.Mail {
		out.Mail = append(out.Mail, MailJSON{ID: m.ID, Created: rfc(m.Created), Subject: m.Subject, Text: m.Text, Status: m.Status, Sent: rfc(m.Sent)})
	}
	for _, e := range d.Audit {
		out.Audit = append(out.Audit, EntryJSON{Seq: e.Seq, At: rfc(e.At), Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Public: e.Public})
	}
	for _, e := range d.Account {
		out.AccountLog = append(out.AccountLog, EntryJSON{Seq: e.Seq, At: rfc(e.At), Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID})
	}
	return out
}
