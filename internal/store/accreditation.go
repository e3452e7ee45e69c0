package store

import (
	"concord/accreditation"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"concord"
)

func docJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// AccreditationPolicies returns every version of a process's accreditation
// policy, oldest first.
func (db *DB) AccreditationPolicies(ctx context.Context, process string) ([]accreditation.Policy, error) {
	return db.Read(ctx).AccreditationPolicies(process)
}

// AccreditationPolicies returns every version of a process's accreditation
// policy, oldest first.
func (r Reader) AccreditationPolicies(process string) ([]accreditation.Policy, error) {
	return r.policies(r.ctx, process)
}

func (c conn) policies(ctx context.Context, process string) ([]accreditation.Policy, error) {
	rows, err := c.query(ctx, "SELECT doc FROM accreditation_policies WHERE process = $1 ORDER BY version", process)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accreditation.Policy
	for rows.Next() {
		var doc string
		var p accreditation.Policy
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddAccreditationPolicy stores a new version (numbered after the last) of
// the process's policy, effective from p.EffectiveFrom.
func (tx *Tx) AddAccreditationPolicy(p *accreditation.Policy) error {
	var last sql.NullInt64
	if err := tx.row(tx.ctx, "SELECT MAX(version) FROM accreditation_policies WHERE process = $1", p.Process).Scan(&last); err != nil {
		return err
	}
	p.Version = int(last.Int64) + 1
	if p.EffectiveFrom.IsZero() {
		p.EffectiveFrom = tx.Now
	}
	p.EffectiveFrom = p.EffectiveFrom.UTC()
	if err := p.Validate(); err != nil {
		return err
	}
	doc, err := docJSON(p)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "INSERT INTO accreditation_policies (process, version, effective_from, doc) VALUES ($1, $2, $3, $4)",
		p.Process, p.Version, p.EffectiveFrom, doc); err != nil {
		return err
	}
	return tx.Audit("accreditation.policy", "process", p.Process, nil, p, true)
}

// AccreditationWindows returns a process's windows, newest first.
func (db *DB) AccreditationWindows(ctx context.Context, process string) ([]accreditation.Window, error) {
	return db.Read(ctx).Windows(process)
}

// Windows returns a process's windows, newest first.
func (r Reader) Windows(process string) ([]accreditation.Window, error) {
	return r.windows(r.ctx, process)
}

func (c conn) windows(ctx context.Context, process string) ([]accreditation.Window, error) {
	rows, err := c.query(ctx, "SELECT doc FROM accreditation_windows WHERE process = $1 ORDER BY opens DESC, id", process)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accreditation.Window
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var w accreditation.Window
		if err := json.Unmarshal([]byte(doc), &w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// AccreditationWindow returns one window.
func (db *DB) AccreditationWindow(ctx context.Context, id string) (accreditation.Window, error) {
	return db.Read(ctx).Window(id)
}

// Window returns one window.
func (r Reader) Window(id string) (accreditation.Window, error) { return r.window(r.ctx, id) }

func (c conn) window(ctx context.Context, id string) (accreditation.Window, error) {
	var doc string
	var w accreditation.Window
	if err := c.row(ctx, "SELECT doc FROM accreditation_windows WHERE id = $1", id).Scan(&doc); err != nil {
		return w, notFound(err)
	}
	err := json.Unmarshal([]byte(doc), &w)
	return w, err
}

// CreateAccreditationWindow validates w against the policy in force at its
// opening and the process's other windows, and stores it.
func (tx *Tx) CreateAccreditationWindow(w *accreditation.Window) error {
	policies, err := tx.policies(tx.ctx, w.Process)
	if err != nil {
		return err
	}
	p, err := accreditation.PolicyForWindow(policies, *w)
	if err != nil {
		return err
	}
	others, err := tx.windows(tx.ctx, w.Process)
	if err != nil {
		return err
	}
	if w.ID == "" {
		w.ID = strings.ToLower(string(w.Scope)) + "-" + strconv.Itoa(w.Cycle)
		if w.Body != "" {
			w.ID += "-" + strings.ToLower(w.Body)
		}
		for _, o := range others {
			if o.ID == w.ID {
				w.ID += "-" + strconv.Itoa(len(others)+1)
			}
		}
	}
	if err := w.Validate(p, others); err != nil {
		return err
	}
	doc, err := docJSON(w)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "INSERT INTO accreditation_windows (id, process, scope, cycle, opens, deadline, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		w.ID, w.Process, string(w.Scope), w.Cycle, w.Opens.UTC(), nullTime(w.ObjectionDeadline), doc); err != nil {
		if isUniqueViolation(err) {
			return concord.Errorf(concord.EConflict, "id", "error.duplicate", "window %q exists", w.ID)
		}
		return err
	}
	return tx.Audit("accreditation.window.create", "accreditation_window", w.ID, nil, w, true)
}

// SaveWindow writes back a changed window (circulation sets its deadline).
func (tx *Tx) SaveWindow(w accreditation.Window, action string) error {
	before, err := tx.Window(w.ID)
	if err != nil {
		return err
	}
	doc, err := docJSON(w)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE accreditation_windows SET deadline = $1, doc = $2 WHERE id = $3", nullTime(w.ObjectionDeadline), doc, w.ID); err != nil {
		return err
	}
	return tx.Audit(action, "accreditation_window", w.ID, before, w, true)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// ApplicationFilter selects applications; zero fields match everything.
type ApplicationFilter struct {
	Window string
	OrgID  int64
	Status accreditation.ApplicationStatus
}

// ListApplications returns the applications that match, oldest first, in
// one query.
func (db *DB) ListApplications(ctx context.Context, f ApplicationFilter) ([]accreditation.Application, error) {
	return db.Read(ctx).Applications(f)
}

// Applications returns the applications that match, oldest first.
func (r Reader) Applications(f ApplicationFilter) ([]accreditation.Application, error) {
	return r.applications(r.ctx, f)
}

func (c conn) applications(ctx context.Context, f ApplicationFilter) ([]accreditation.Application, error) {
	var w where
	w.addIf(f.Window != "", "window_id = ?", f.Window)
	w.addIf(f.OrgID != 0, "org_id = ?", f.OrgID)
	w.addIf(f.Status != "", "status = ?", string(f.Status))
	cond := "1=1"
	if len(w.conds) > 0 {
		cond = strings.Join(w.conds, " AND ")
	}
	rows, err := c.query(ctx, "SELECT id, doc FROM accreditation_applications WHERE "+cond+" ORDER BY id", w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accreditation.Application
	for rows.Next() {
		var id int64
		var doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		var a accreditation.Application
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, err
		}
		a.ID = id
		out = append(out, a)
	}
	return out, rows.Err()
}

// GetApplication returns one application.
func (db *DB) GetApplication(ctx context.Context, id int64) (accreditation.Application, error) {
	return db.Read(ctx).Application(id)
}

// Application returns one application.
func (r Reader) Application(id int64) (accreditation.Application, error) {
	return r.application(r.ctx, id)
}

func (c conn) application(ctx context.Context, id int64) (accreditation.Application, error) {
	var doc string
	var a accreditation.Application
	if err := c.row(ctx, "SELECT doc FROM accreditation_applications WHERE id = $1", id).Scan(&doc); err != nil {
		return a, notFound(err)
	}
	err := json.Unmarshal([]byte(doc), &a)
	a.ID = id
	return a, err
}

// ApplicationInWindow returns one application with its window, in one
// statement: every write on an application needs both.
func (r Reader) ApplicationInWindow(id int64) (accreditation.Application, accreditation.Window, error) {
	var adoc, wdoc string
	var a accreditation.Application
	var w accreditation.Window
	if err := r.row(r.ctx, `SELECT a.doc, w.doc FROM accreditation_applications a
		JOIN accreditation_windows w ON w.id = a.window_id WHERE a.id = $1`, id).Scan(&adoc, &wdoc); err != nil {
		return a, w, notFound(err)
	}
	if err := json.Unmarshal([]byte(adoc), &a); err != nil {
		return a, w, err
	}
	a.ID = id
	return a, w, json.Unmarshal([]byte(wdoc), &w)
}

// SaveApplication inserts (ID 0) or updates an application, with an audit
// entry. public=false keeps the actor and object off the public log: set it
// for writes whose author the disclosure policy keeps confidential
// (objections).
func (tx *Tx) SaveApplication(a *accreditation.Application, action string, public bool) error {
	doc, err := docJSON(a)
	if err != nil {
		return err
	}
	// The digests cover the whole document, objections included: they are
	// one-way, and the public log shows neither them nor, for confidential
	// entries, the actor.
	var before any
	if a.ID == 0 {
		err = tx.row(tx.ctx, "INSERT INTO accreditation_applications (window_id, org_id, status, updated_at, doc) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			a.Window, a.OrgID, string(a.Status), tx.Now, doc).Scan(&a.ID)
		if err != nil {
			return err
		}
	} else {
		prev, err := tx.Application(a.ID)
		if err != nil {
			return err
		}
		before = prev
		if _, err := tx.exec(tx.ctx, "UPDATE accreditation_applications SET status = $1, updated_at = $2, doc = $3 WHERE id = $4",
			string(a.Status), tx.Now, doc, a.ID); err != nil {
			return err
		}
	}
	return tx.Audit(action, "accreditation_application", itoa64(a.ID), before, a, public)
}

// Snapshot is an application as it was read, for the before digest of its
// audit entry: taken before a transition, it saves reading the row again.
func Snapshot(a accreditation.Application) (json.RawMessage, error) {
	return json.Marshal(a)
}

// UpdateApplication saves an application read in this transaction and
// changed since, with an audit entry whose before is the snapshot taken when
// it was read (the same digest as reading the row again). public as for
// SaveApplication.
func (tx *Tx) UpdateApplication(before json.RawMessage, a *accreditation.Application, action string, public bool) error {
	doc, err := docJSON(a)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE accreditation_applications SET status = $1, updated_at = $2, doc = $3 WHERE id = $4",
		string(a.Status), tx.Now, doc, a.ID); err != nil {
		return err
	}
	return tx.Audit(action, "accreditation_application", itoa64(a.ID), before, a, public)
}

// ECOSOCEntry is one organisation on the imported ECOSOC status list.
type ECOSOCEntry = accreditation.ECOSOCEntry

// ReplaceECOSOCList replaces the imported ECOSOC list, keyed on the
// identifier the list gives each organisation.
func (tx *Tx) ReplaceECOSOCList(entries []ECOSOCEntry) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM ecosoc_list"); err != nil {
		return err
	}
	for _, e := range entries {
		if _, err := tx.exec(tx.ctx, "INSERT INTO ecosoc_list (ecosoc_id, name, category) VALUES ($1, $2, $3) ON CONFLICT (ecosoc_id) DO UPDATE SET name = excluded.name, category = excluded.category",
			e.ID, e.Name, e.Category); err != nil {
			return err
		}
	}
	return tx.Audit("accreditation.ecosoc_import", "ecosoc_list", "", nil, map[string]int{"entries": len(entries)}, true)
}

// ECOSOCListed returns the list entry with the ECOSOC identifier id; an
// empty id is on no list.
func (r Reader) ECOSOCListed(id string) (ECOSOCEntry, bool, error) {
	e := ECOSOCEntry{ID: id}
	if id == "" {
		return e, false, nil
	}
	err := r.row(r.ctx, "SELECT name, category FROM ecosoc_list WHERE ecosoc_id = $1", id).Scan(&e.Name, &e.Category)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// ECOSOCListSize returns how many entries the imported list has.
func (db *DB) ECOSOCListSize(ctx context.Context) (int, error) {
	var n int
	err := db.r().row(ctx, "SELECT COUNT(*) FROM ecosoc_list").Scan(&n)
	return n, err
}

// Document is an uploaded file, always uploaded for one application.
type Document struct {
	ID            int64
	OrgID         int64
	ApplicationID int64 // 0 only for a legacy upload no application claimed
	Name          string
	ContentType   string
	Size          int64
	SHA256        string
	Data          []byte
	Created       time.Time
}

// AddDocument stores an upload that the caller has already checked, for
// the application d.ApplicationID names (the schema refuses a document
// without one).
func (tx *Tx) AddDocument(d *Document) error {
	d.Created = tx.Now
	if err := tx.row(tx.ctx, "INSERT INTO documents (org_id, application_id, name, content_type, size, sha256, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		d.OrgID, nullID(d.ApplicationID), d.Name, d.ContentType, d.Size, d.SHA256, d.Data, d.Created).Scan(&d.ID); err != nil {
		return err
	}
	return tx.Audit("document.upload", "document", itoa64(d.ID), nil, documentAudit(d), true)
}

// ApplicationDocuments counts the documents uploaded for application id,
// every replaced letter included: what the upload quota bounds.
func (db *DB) ApplicationDocuments(ctx context.Context, id int64) (int, error) {
	return db.Read(ctx).ApplicationDocuments(id)
}

// ApplicationDocuments counts, in the pool or inside a transaction, as
// DB.ApplicationDocuments does.
func (r Reader) ApplicationDocuments(id int64) (int, error) {
	return r.applicationDocuments(r.ctx, id)
}

func (c conn) applicationDocuments(ctx context.Context, id int64) (int, error) {
	var n int
	err := c.row(ctx, "SELECT COUNT(*) FROM documents WHERE application_id = $1", id).Scan(&n)
	return n, err
}

// GetDocument returns an uploaded file.
func (db *DB) GetDocument(ctx context.Context, id int64) (Document, error) {
	return db.Read(ctx).Document(id)
}

// Document returns an uploaded file.
func (r Reader) Document(id int64) (Document, error) { return r.document(r.ctx, id) }

func (c conn) document(ctx context.Context, id int64) (Document, error) {
	var d Document
	var app sql.NullInt64
	err := c.row(ctx, "SELECT id, org_id, application_id, name, content_type, size, sha256, data, created_at FROM documents WHERE id = $1", id).
		Scan(&d.ID, &d.OrgID, &app, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.Data, &d.Created)
	d.ApplicationID = app.Int64
	return d, notFound(err)
}

// Notice is an inbox message to a State's delegates or an organisation's
// focal points. Key and Args make the text in the reader's language.
type Notice struct {
	ID      int64
	Created time.Time
	State   string
	OrgID   int64
	// Role addresses the notice to everyone of a role who is bound to no
	// State or organisation: the Chair, the Secretariat.
	Role concord.Role
	Key  string
	Args map[string]string
	Link string
	// Dedupe makes sending idempotent: a notice with the same dedupe key is
	// not added twice (a scheduler on two instances, a retried request).
	Dedupe string
}

// AddNotice adds n unless its dedupe key was used; it reports whether it
// was added. Notices are not audited on their own: they follow from an
// audited write in the same transaction.
func (tx *Tx) AddNotice(n *Notice) (bool, error) {
	args, _ := json.Marshal(n.Args)
	n.Created = tx.Now
	res, err := tx.exec(tx.ctx, `INSERT INTO notices (created_at, state, org_id, role, msg_key, args, link, dedupe) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (dedupe) DO NOTHING`, n.Created, nullString(n.State), nullID(n.OrgID), nullString(string(n.Role)), n.Key, string(args), n.Link, n.Dedupe)
	if err != nil {
		return false, err
	}
	k, _ := res.RowsAffected()
	return k == 1, nil
}

// Inbox returns the newest notices for a State or an organisation.
func (db *DB) Inbox(ctx context.Context, state string, orgID int64, limit int) ([]Notice, error) {
	return db.Read(ctx).inbox(state, orgID, "", limit)
}

// InboxFor returns the newest notices u reads: its State's (a delegate),
// its organisation's (a focal point), or its role's (the Chair, the
// Secretariat).
func (r Reader) InboxFor(u concord.User, limit int) ([]Notice, error) {
	var role concord.Role
	if u.State == "" && u.OrgID == 0 {
		role = u.Role
	}
	return r.inbox(u.State, u.OrgID, role, limit)
}

// InboxFor is Reader.InboxFor through the pool.
func (db *DB) InboxFor(ctx context.Context, u concord.User, limit int) ([]Notice, error) {
	return db.Read(ctx).InboxFor(u, limit)
}

func (r Reader) inbox(state string, orgID int64, role concord.Role, limit int) ([]Notice, error) {
	return queryAll(r.ctx, r.conn, scanNotice, `SELECT id, created_at, state, org_id, role, msg_key, args, link FROM notices
		WHERE ($1 <> '' AND state = $1) OR ($2 <> 0 AND org_id = $2) OR ($3 <> '' AND role = $3) ORDER BY id DESC LIMIT $4`, state, orgID, string(role), limit)
}

func scanNotice(sc interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	var st, role sql.NullString
	var org sql.NullInt64
	var args string
	if err := sc.Scan(&n.ID, &n.Created, &st, &org, &role, &n.Key, &args, &n.Link); err != nil {
		return n, err
	}
	n.State, n.OrgID, n.Role = st.String, org.Int64, concord.Role(role.String)
	n.Created = n.Created.UTC()
	json.Unmarshal([]byte(args), &n.Args)
	return n, nil
}

// NoticeData is what a notice's message is rendered with, in the inbox,
// its email and the digest alike: its arguments (a name such as Username,
// a Reason), with Count as a number, and only when the notice has one: it
// selects a plural form, which a plain message lacks in languages where 0
// is not "other". It is nil for a notice without arguments.
func NoticeData(args map[string]string) map[string]any {
	if len(args) == 0 {
		return nil
	}
	data := make(map[string]any, len(args))
	for k, v := range args {
		data[k] = v
	}
	if c, ok := args["Count"]; ok {
		data["Count"], _ = strconv.Atoi(c)
	}
	return data
}
