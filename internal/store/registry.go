package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"concord"
)

func textJSON(t concord.Text) string {
	b, _ := json.Marshal(t) // a map of strings always marshals
	return string(b)
}

func scanText(s string) concord.Text {
	t := concord.Text{}
	_ = json.Unmarshal([]byte(s), &t) // written by textJSON only
	return t
}

// ListStates returns all States with their regional group memberships. The
// list is read on most pages and changes almost never, so it is kept in
// memory keyed by the audit head: one cheap query when nothing changed, three
// when something did, whatever the count.
func (db *DB) ListStates(ctx context.Context) ([]concord.State, error) {
	return db.Read(ctx).States()
}

// States returns all States with their regional group memberships, from
// the cache when the audit head (as r sees it) is the one it was read at.
// Only a pool read fills the cache: a transaction sees a head that its
// rollback could undo.
func (r Reader) States() ([]concord.State, error) {
	db := r.db
	head, err := r.auditHead(r.ctx)
	if err != nil {
		return nil, err
	}
	db.statesMu.Lock()
	cached, at := db.states, db.statesAt
	db.statesMu.Unlock()
	if cached != nil && at == head {
		return slices.Clone(cached), nil
	}
	out, err := r.listStates(r.ctx)
	if err != nil {
		return nil, err
	}
	if !r.InTx() {
		db.statesMu.Lock()
		db.states, db.statesAt = out, head
		db.statesMu.Unlock()
	}
	return slices.Clone(out), nil
}

func (c conn) listStates(ctx context.Context) ([]concord.State, error) {
	rows, err := c.query(ctx, "SELECT iso3, iso2, m49, status, region, sub_region, names FROM states ORDER BY iso3")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.State
	idx := map[string]int{}
	for rows.Next() {
		var s concord.State
		var names string
		if err := rows.Scan(&s.ISO3, &s.ISO2, &s.M49, &s.Status, &s.Region, &s.SubRegion, &names); err != nil {
			return nil, err
		}
		s.Names = scanText(names)
		idx[s.ISO3] = len(out)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ms, err := c.memberships(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if i, ok := idx[m.State]; ok {
			out[i].Groups = append(out[i].Groups, m)
		}
	}
	return out, nil
}

// GetState returns one State by ISO3 code.
func (db *DB) GetState(ctx context.Context, iso3 string) (concord.State, error) {
	c := db.r()
	var s concord.State
	var names string
	err := c.row(ctx, "SELECT iso3, iso2, m49, status, region, sub_region, names FROM states WHERE iso3 = $1", iso3).
		Scan(&s.ISO3, &s.ISO2, &s.M49, &s.Status, &s.Region, &s.SubRegion, &names)
	if err != nil {
		return s, notFound(err)
	}
	s.Names = scanText(names)
	s.Groups, err = c.memberships(ctx, iso3)
	return s, err
}

func (c conn) memberships(ctx context.Context, iso3 string) ([]concord.GroupMembership, error) {
	q := "SELECT state, group_code, kind, since, until, note FROM group_memberships"
	var args []any
	if iso3 != "" {
		q += " WHERE state = $1"
		args = append(args, iso3)
	}
	rows, err := c.query(ctx, q+" ORDER BY state, group_code", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.GroupMembership
	for rows.Next() {
		var m concord.GroupMembership
		var until sql.NullTime
		if err := rows.Scan(&m.State, &m.Group, &m.Kind, &m.Since, &until, &m.Note); err != nil {
			return nil, err
		}
		m.Since = m.Since.UTC()
		if until.Valid {
			m.Until = until.Time.UTC()
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ListRegionalGroups returns the five regional groups in their usual order.
func (db *DB) ListRegionalGroups(ctx context.Context) ([]concord.RegionalGroup, error) {
	rows, err := db.r().query(ctx, "SELECT code, names FROM regional_groups ORDER BY position")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.RegionalGroup
	for rows.Next() {
		var g concord.RegionalGroup
		var names string
		if err := rows.Scan(&g.Code, &names); err != nil {
			return nil, err
		}
		g.Names = scanText(names)
		out = append(out, g)
	}
	return out, rows.Err()
}

// Classification returns scheme and the category of every State under it.
func (db *DB) Classification(ctx context.Context, scheme string) (concord.ClassificationScheme, map[string]string, error) {
	return db.Read(ctx).Classification(scheme)
}

// Classification returns scheme and the category of every State under it.
func (r Reader) Classification(scheme string) (concord.ClassificationScheme, map[string]string, error) {
	return r.classification(r.ctx, scheme)
}

func (c conn) classification(ctx context.Context, scheme string) (concord.ClassificationScheme, map[string]string, error) {
	var s concord.ClassificationScheme
	var names string
	err := c.row(ctx, "SELECT code, names, source, dated, editable FROM classification_schemes WHERE code = $1", scheme).
		Scan(&s.Code, &names, &s.Source, &s.Dated, &s.Editable)
	if err != nil {
		return s, nil, notFound(err)
	}
	s.Names = scanText(names)
	rows, err := c.query(ctx, "SELECT state, category FROM state_classifications WHERE scheme = $1", scheme)
	if err != nil {
		return s, nil, err
	}
	defer rows.Close()
	cats := map[string]string{}
	for rows.Next() {
		var st, cat string
		if err := rows.Scan(&st, &cat); err != nil {
			return s, nil, err
		}
		cats[st] = cat
	}
	return s, cats, rows.Err()
}

// ProcessClassification returns the classification scheme a process uses
// and the category of every State under it.
func (db *DB) ProcessClassification(ctx context.Context, process string) (concord.ClassificationScheme, map[string]string, error) {
	p, err := db.GetProcess(ctx, process)
	if err != nil {
		return concord.ClassificationScheme{}, nil, err
	}
	return db.Classification(ctx, p.Scheme)
}

// SetSelfDeclared records a State's self-declared development category.
func (tx *Tx) SetSelfDeclared(iso3, category string) error {
	if category != concord.Developed && category != concord.Developing {
		return concord.Errorf(concord.EInvalid, "category", "error.category", "category must be developed or developing")
	}
	// Only Member States are classified; the page and the API both rely on
	// this check.
	var status string
	if err := tx.row(tx.ctx, "SELECT status FROM states WHERE iso3 = $1", iso3).Scan(&status); err != nil {
		return notFound(err)
	}
	if status != "member" {
		return concord.Errorf(concord.EInvalid, "category", "error.not_member", "only Member States are classified")
	}
	var before string
	err := tx.row(tx.ctx, "SELECT category FROM state_classifications WHERE scheme = $1 AND state = $2", concord.SchemeSelfDeclared, iso3).Scan(&before)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if _, err := tx.exec(tx.ctx, `INSERT INTO state_classifications (scheme, state, category) VALUES ($1, $2, $3)
		ON CONFLICT (scheme, state) DO UPDATE SET category = excluded.category`, concord.SchemeSelfDeclared, iso3, category); err != nil {
		return err
	}
	var b any
	if before != "" {
		b = before
	}
	return tx.Audit("classification.set", "state", iso3, b, category, true)
}

// GetProcess returns a process by code.
func (db *DB) GetProcess(ctx context.Context, code string) (concord.Process, error) {
	var p concord.Process
	var names string
	err := db.r().row(ctx, "SELECT code, names, time_zone, scheme FROM processes WHERE code = $1", code).Scan(&p.Code, &names, &p.TimeZone, &p.Scheme)
	p.Names = scanText(names)
	return p, notFound(err)
}

// OrgFilter selects organisations.
type OrgFilter struct {
	Kind    string
	Type    string
	Country string
	Query   string // case-insensitive substring of the sort name or acronym
	Limit   int
	Offset  int
}

const orgColumns = "id, kind, names, acronym, type, country, website, ecosoc, ecosoc_id, updated_at"

func scanOrg(sc interface{ Scan(...any) error }) (concord.Organization, error) {
	var o concord.Organization
	var names string
	var country sql.NullString
	err := sc.Scan(&o.ID, &o.Kind, &names, &o.Acronym, &o.Type, &country, &o.Website, &o.ECOSOC, &o.ECOSOCID, &o.Updated)
	o.Names = scanText(names)
	o.Country = country.String
	o.Updated = o.Updated.UTC()
	return o, err
}

// ListOrganizations returns one page of organisations and the total count.
func (db *DB) ListOrganizations(ctx context.Context, f OrgFilter) ([]concord.Organization, int, error) {
	return db.Read(ctx).Organizations(f)
}

// Organizations returns one page of organisations and the total count;
// those whose sign-up is not verified are never listed.
func (r Reader) Organizations(f OrgFilter) ([]concord.Organization, int, error) {
	// An organisation that signed up is listed once the Secretariat verified it.
	w := where{conds: []string{hiddenOrgs}}
	w.addIf(f.Kind != "", "kind = ?", f.Kind)
	w.addIf(f.Type != "", "type = ?", f.Type)
	w.addIf(f.Country != "", "country = ?", f.Country)
	if q := strings.TrimSpace(f.Query); q != "" {
		// Both placeholders bind the same argument: "$n" appears twice.
		w.add("(sort_name LIKE ? OR LOWER(acronym) LIKE ?)", "%"+likeEscape(strings.ToLower(q))+"%")
	}
	total, rows, err := w.page(r.ctx, r.conn, "organizations", orgColumns, "sort_name, id", f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []concord.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// GetOrganization returns one organisation with its member States.
func (db *DB) GetOrganization(ctx context.Context, id int64) (concord.Organization, error) {
	return db.Read(ctx).Organization(id)
}

// Organization returns one organisation with its member States.
func (r Reader) Organization(id int64) (concord.Organization, error) {
	return r.organization(r.ctx, id)
}

// organization reads one organisation with its member States: the value its
// audit entries digest, so that audit verify can compare the row with them.
func (c conn) organization(ctx context.Context, id int64) (concord.Organization, error) {
	o, err := scanOrg(c.row(ctx, "SELECT "+orgColumns+" FROM organizations WHERE id = $1", id))
	if err != nil {
		return o, notFound(err)
	}
	rows, err := c.query(ctx, "SELECT state FROM organization_members WHERE org_id = $1 ORDER BY state", id)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return o, err
		}
		o.Members = append(o.Members, s)
	}
	return o, rows.Err()
}

func sortName(t concord.Text) string {
	s, _, _ := t.In("en")
	return strings.ToLower(s)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// validOrganization checks o's fields and its country, every problem at
// once (an unknown country among the others, not after them).
func (tx *Tx) validOrganization(o *concord.Organization) error {
	var errs concord.Errors
	errs.Add(o.Validate())
	if o.Country != "" {
		var n int
		if err := tx.row(tx.ctx, "SELECT COUNT(*) FROM states WHERE iso3 = $1", o.Country).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs = append(errs, concord.Errorf(concord.EInvalid, "country", "error.state_code", "unknown State code"))
		}
	}
	return errs.Err()
}

// CreateOrganization validates and inserts o, returning its id.
func (tx *Tx) CreateOrganization(o *concord.Organization) error {
	return tx.createOrganization(o, true)
}

// CreateSignedUpOrganization inserts an organisation that signs up itself:
// its entry is confidential, since the organisation is not public until the
// Secretariat verifies it.
func (tx *Tx) CreateSignedUpOrganization(o *concord.Organization) error {
	return tx.createOrganization(o, false)
}

func (tx *Tx) createOrganization(o *concord.Organization, public bool) error {
	if err := tx.validOrganization(o); err != nil {
		return err
	}
	o.Updated = tx.Now
	err := tx.row(tx.ctx, `INSERT INTO organizations (kind, names, sort_name, acronym, type, country, website, ecosoc, ecosoc_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		o.Kind, textJSON(o.Names), sortName(o.Names), o.Acronym, o.Type, nullString(o.Country), o.Website, o.ECOSOC, o.ECOSOCID, o.Updated).Scan(&o.ID)
	if err != nil {
		return countryErr(err)
	}
	if err := tx.setMembers(o.ID, o.Members); err != nil {
		return err
	}
	// The entry digests the row as stored (members sorted, without
	// duplicates), which is what audit verify reads back.
	stored, err := tx.organization(tx.ctx, o.ID)
	if err != nil {
		return err
	}
	vis := VisibleGeneral
	if !public {
		vis = VisibleConfidential
	}
	if err := tx.IndexSearch(SearchOrganization, itoa64(o.ID), organizationEntries(stored, vis)); err != nil {
		return err
	}
	return tx.Audit("organization.create", "organization", itoa64(o.ID), nil, stored, public)
}

// UpdateOrganization replaces o's fields; the id must exist.
func (tx *Tx) UpdateOrganization(o *concord.Organization) error {
	if err := tx.validOrganization(o); err != nil {
		return err
	}
	before, err := tx.organization(tx.ctx, o.ID)
	if err != nil {
		return err
	}
	o.Updated = tx.Now
	if _, err := tx.exec(tx.ctx, `UPDATE organizations SET kind = $1, names = $2, sort_name = $3, acronym = $4, type = $5, country = $6,
		website = $7, ecosoc = $8, ecosoc_id = $9, updated_at = $10 WHERE id = $11`,
		o.Kind, textJSON(o.Names), sortName(o.Names), o.Acronym, o.Type, nullString(o.Country), o.Website, o.ECOSOC, o.ECOSOCID, o.Updated, o.ID); err != nil {
		return countryErr(err)
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM organization_members WHERE org_id = $1", o.ID); err != nil {
		return err
	}
	if err := tx.setMembers(o.ID, o.Members); err != nil {
		return err
	}
	stored, err := tx.organization(tx.ctx, o.ID)
	if err != nil {
		return err
	}
	vis, err := tx.orgVisibility(o.ID)
	if err != nil {
		return err
	}
	if err := tx.IndexSearch(SearchOrganization, itoa64(o.ID), organizationEntries(stored, vis)); err != nil {
		return err
	}
	return tx.Audit("organization.update", "organization", itoa64(o.ID), before, stored, true)
}

func (tx *Tx) setMembers(id int64, members []string) error {
	for _, s := range members {
		if _, err := tx.exec(tx.ctx, "INSERT INTO organization_members (org_id, state) VALUES ($1, $2) ON CONFLICT DO NOTHING", id, s); err != nil {
			return stateCodeErr(err, "members")
		}
	}
	return nil
}

// countryErr turns a foreign-key failure on a State code into an error on
// the country field.
func countryErr(err error) error { return stateCodeErr(err, "country") }

// stateCodeErr turns a foreign-key failure into a field error: the only
// foreign keys a user's input can break are State codes.
func stateCodeErr(err error, field string) error {
	if err != nil && (strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "SQLSTATE 23503")) {
		return concord.Errorf(concord.EInvalid, field, "error.state_code", "unknown State code")
	}
	return err
}

// PersonFilter selects persons.
type PersonFilter struct {
	State  string
	OrgID  int64
	Query  string
	Limit  int
	Offset int
}

const personColumns = "id, name, gender, state, org_id, updated_at"

func scanPerson(sc interface{ Scan(...any) error }) (concord.Person, error) {
	var p concord.Person
	var st sql.NullString
	var org sql.NullInt64
	err := sc.Scan(&p.ID, &p.Name, &p.Gender, &st, &org, &p.Updated)
	p.State, p.OrgID, p.Updated = st.String, org.Int64, p.Updated.UTC()
	return p, err
}

// ListPersons returns one page of persons and the total count.
func (db *DB) ListPersons(ctx context.Context, f PersonFilter) ([]concord.Person, int, error) {
	var w where
	w.addIf(f.State != "", "state = ?", f.State)
	w.addIf(f.OrgID != 0, "org_id = ?", f.OrgID)
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add("LOWER(name) LIKE ?", "%"+likeEscape(strings.ToLower(q))+"%")
	}
	total, rows, err := w.page(ctx, db.r(), "persons", personColumns, "name, id", f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []concord.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// GetPerson returns one person.
func (db *DB) GetPerson(ctx context.Context, id int64) (concord.Person, error) {
	p, err := scanPerson(db.r().row(ctx, "SELECT "+personColumns+" FROM persons WHERE id = $1", id))
	return p, notFound(err)
}

// CreatePerson validates and inserts p.
func (tx *Tx) CreatePerson(p *concord.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.Name = strings.TrimSpace(p.Name)
	p.Updated = tx.Now
	err := tx.row(tx.ctx, "INSERT INTO persons (name, gender, state, org_id, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		p.Name, p.Gender, nullString(p.State), nullID(p.OrgID), p.Updated).Scan(&p.ID)
	if err != nil {
		return countryErr(err)
	}
	return tx.Audit("person.create", "person", itoa64(p.ID), nil, p, true)
}

// ListAllDelegations returns every delegation entry, for exports.
func (db *DB) ListAllDelegations(ctx context.Context) ([]concord.Delegation, error) {
	return db.delegations(ctx, "")
}

// ListDelegations returns a State's delegation entries, with person names, in
// one query.
func (db *DB) ListDelegations(ctx context.Context, iso3 string) ([]concord.Delegation, error) {
	return db.delegations(ctx, iso3)
}

func (db *DB) delegations(ctx context.Context, iso3 string) ([]concord.Delegation, error) {
	q := `SELECT d.id, d.state, d.session, d.person_id, p.name, d.role FROM delegations d JOIN persons p ON p.id = d.person_id`
	var args []any
	if iso3 != "" {
		q += " WHERE d.state = $1"
		args = append(args, iso3)
	}
	rows, err := db.r().query(ctx, q+" ORDER BY d.state, d.session DESC, d.role, p.name", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.Delegation
	for rows.Next() {
		var d concord.Delegation
		if err := rows.Scan(&d.ID, &d.State, &d.Session, &d.PersonID, &d.Person, &d.Role); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDelegate adds a new person to a State's delegation for a session, in
// one transaction: the person and the entry are both kept or both lost.
func (tx *Tx) AddDelegate(d *concord.Delegation, personName, gender string) error {
	p := concord.Person{Name: personName, Gender: gender, State: d.State}
	if err := p.Validate(); err != nil {
		return err
	}
	d.PersonID = -1 // validated below once the person exists
	if err := d.Validate(); err != nil {
		return err
	}
	if err := tx.CreatePerson(&p); err != nil {
		return err
	}
	d.PersonID, d.Person = p.ID, p.Name
	err := tx.row(tx.ctx, "INSERT INTO delegations (state, session, person_id, role) VALUES ($1, $2, $3, $4) RETURNING id",
		d.State, strings.TrimSpace(d.Session), d.PersonID, d.Role).Scan(&d.ID)
	if isUniqueViolation(err) {
		return concord.Errorf(concord.EConflict, "person", "error.duplicate", "already in this delegation")
	}
	if err != nil {
		return countryErr(err)
	}
	return tx.Audit("delegation.add", "state", d.State, nil, d, true)
}

// where builds a filtered, paginated query with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each "?" in it becomes the next "$n".
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "$"+itoa(len(w.args))))
}

// clause is the conditions as " WHERE a AND b", "" when there are none.
func (w *where) clause() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func (w *where) addIf(ok bool, cond string, v any) {
	if ok {
		w.add(cond, v)
	}
}

// page counts the matching rows of table and returns one page of them, in
// two queries.
func (w *where) page(ctx context.Context, c conn, table, columns, order string, limit, offset int) (int, *sql.Rows, error) {
	cond := "1=1"
	if len(w.conds) > 0 {
		cond = strings.Join(w.conds, " AND ")
	}
	var total int
	if err := c.row(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+cond, w.args...).Scan(&total); err != nil {
		return 0, nil, err
	}
	args := append(w.args, limit, offset)
	rows, err := c.query(ctx, "SELECT "+columns+" FROM "+table+" WHERE "+cond+
		" ORDER BY "+order+" LIMIT $"+itoa(len(args)-1)+" OFFSET $"+itoa(len(args)), args...)
	return total, rows, err
}

func likeEscape(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

func itoa(i int) string     { return itoa64(int64(i)) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }

// OrganizationMembers returns the member States of every organisation that
// has any, in one query.
func (db *DB) OrganizationMembers(ctx context.Context) (map[int64][]string, error) {
	return db.Read(ctx).OrganizationMembers()
}

// OrganizationMembers returns the member States of every organisation that
// has any, in one query.
func (r Reader) OrganizationMembers() (map[int64][]string, error) {
	rows, err := r.query(r.ctx, "SELECT org_id, state FROM organization_members ORDER BY org_id, state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = append(out[id], s)
	}
	return out, rows.Err()
}
