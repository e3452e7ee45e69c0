package store

import (
	"concord"
	"concord/document"
	"concord/internal/textfold"
	"concord/statement"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The search index (issue 12, doc/record.md "Search"): one row of
// search_entries per source and language, written in the transaction of
// the write that changes the source (SaveRecordDocument, SaveDecision, the
// organisations' writes, the States at bootstrap) through IndexSearch.
// Matching is on the text as package textfold folds it, by FTS5 on SQLite
// and a tsvector under the 'simple' configuration on PostgreSQL: the same
// tokens on both.

// Kinds of search entry.
const (
	SearchDocument     = "document"
	SearchDecision     = "decision"
	SearchOrganization = "organization"
	SearchState        = "state"
	SearchStatement    = "statement"
)

// SearchKinds lists the kinds in the order filters offer them.
var SearchKinds = []string{SearchDocument, SearchStatement, SearchDecision, SearchOrganization, SearchState}

// Visibilities of a search entry besides a document's distributions
// (general, limited, restricted, which say the same for any entry).
const (
	// VisibleGeneral is everyone's.
	VisibleGeneral = string(document.General)
	// VisibleConfidential is the Secretariat's alone (an organisation whose
	// sign-up is not verified).
	VisibleConfidential = "confidential"
)

// SearchEntry is one source in one language as the index keeps it.
type SearchEntry struct {
	ID   int64
	Kind string
	// Ref identifies the source within its kind: a document's or a
	// decision's id, a State's ISO3.
	Ref  string
	Lang string
	// Visibility is who may see the entry: a document.Distribution or
	// VisibleConfidential. Queries filter on it.
	Visibility string
	Bodies     []string // meeting bodies (plenary, dtg1, …) the source concerns
	Meetings   []int64
	States     []string  // ISO3 of the States it is by or about
	Date       time.Time // zero: undated (a State, an organisation)
	Title      string
	// Text is what a snippet is cut from (the version's text, the
	// proposal); Title and Text are both searched.
	Text string
	// Codes is searched but not shown nor kept apart: a document's symbol,
	// an organisation's acronym, a State's ISO3.
	Codes string
}

func listColumn(xs []string) string {
	if len(xs) == 0 {
		return ","
	}
	return "," + strings.Join(xs, ",") + ","
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(strings.Trim(s, ","), ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// IndexSearch replaces the entries of source (kind, ref) with entries, in
// the transaction of the write that changed it: the one call a kind of
// source makes from its Save step (statements: doc/record.md "Search").
// No entries removes the source from the index.
func (tx *Tx) IndexSearch(kind, ref string, entries []SearchEntry) error {
	if _, err := tx.exec(tx.ctx, "DELETE FROM search_entries WHERE kind = $1 AND ref = $2", kind, ref); err != nil {
		return err
	}
	for i := range entries {
		entries[i].Kind, entries[i].Ref = kind, ref
	}
	if tx.bulk != nil {
		*tx.bulk = append(*tx.bulk, entries...)
		return nil
	}
	return tx.insertSearch(entries)
}

// BulkSearch holds the index's new entries of this transaction until
// FlushSearch, which writes them searchBatch rows a statement: for loading
// many new sources at once (seed --scale). A source saved twice before the
// flush would keep both sets of entries, so only new sources, once each.
func (tx *Tx) BulkSearch() { tx.bulk = &[]SearchEntry{} }

// FlushSearch writes the entries BulkSearch held and stops holding them.
func (tx *Tx) FlushSearch() error {
	if tx.bulk == nil {
		return nil
	}
	entries := *tx.bulk
	tx.bulk = nil
	return tx.insertSearch(entries)
}

// searchBatch is how many entries one INSERT writes (13 arguments each,
// under SQLite's and pgx's limits on parameters).
const searchBatch = 200

// insertSearch inserts entries in statements of searchBatch rows.
func (tx *Tx) insertSearch(entries []SearchEntry) error {
	for len(entries) > 0 {
		n := min(len(entries), searchBatch)
		var sb strings.Builder
		sb.WriteString("INSERT INTO search_entries (kind, ref, lang, visibility, bodies, meetings, states, entry_date, title, body_text, folded) VALUES ")
		args := make([]any, 0, n*11)
		for i, e := range entries[:n] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j := range 11 {
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("$" + strconv.Itoa(len(args)+j+1))
			}
			sb.WriteString(")")
			ms := make([]string, len(e.Meetings))
			for k, m := range e.Meetings {
				ms[k] = itoa64(m)
			}
			var date sql.NullTime
			if !e.Date.IsZero() {
				date = sql.NullTime{Time: e.Date.UTC(), Valid: true}
			}
			args = append(args, e.Kind, e.Ref, e.Lang, e.Visibility, listColumn(e.Bodies), listColumn(ms), listColumn(e.States), date,
				e.Title, e.Text, textfold.Index(e.Title+"\n"+e.Codes+"\n"+e.Text))
		}
		if _, err := tx.exec(tx.ctx, sb.String(), args...); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// SetSearchVisibility changes the visibility of every entry of a source
// (an organisation whose sign-up is verified becomes general).
func (tx *Tx) SetSearchVisibility(kind, ref, visibility string) error {
	_, err := tx.exec(tx.ctx, "UPDATE search_entries SET visibility = $1 WHERE kind = $2 AND ref = $3", visibility, kind, ref)
	return err
}

// documentEntries is a document in the index: one entry per language it
// has a title or a readable version in, with the symbol searchable in
// each, the States among its authors, its meetings and their bodies.
func documentEntries(d document.Document, bodies []string) []SearchEntry {
	var states []string
	for _, a := range d.Authors {
		if document.AuthorKind(a) == "state" {
			states = append(states, a)
		}
	}
	var out []SearchEntry
	for _, l := range concord.Languages {
		v, _ := d.Version(l)
		text := ""
		if v.Available() {
			text = v.Text
		}
		title := d.Title[l]
		if title == "" && text == "" {
			continue
		}
		if title == "" {
			title, _, _ = d.Title.In(l)
		}
		out = append(out, SearchEntry{Lang: l, Visibility: string(d.Distribution), Bodies: bodies, Meetings: d.Meetings,
			States: states, Date: d.Date, Title: title, Text: text, Codes: d.Symbol})
	}
	return out
}

// meetingBodies reads the bodies of the meetings given, in one statement.
func (r Reader) meetingBodies(ids []int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	ph := make([]string, len(ids))
	for i, id := range ids {
		args[i], ph[i] = id, "$"+strconv.Itoa(i+1)
	}
	bodies, err := queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (string, error) {
		var b string
		return b, sc.Scan(&b)
	}, "SELECT DISTINCT body FROM meetings WHERE id IN ("+strings.Join(ph, ", ")+")", args...)
	slices.Sort(bodies)
	return bodies, err
}

// indexDocument puts d in the index.
func (tx *Tx) indexDocument(d document.Document) error {
	bodies, err := tx.meetingBodies(d.Meetings)
	if err != nil {
		return err
	}
	return tx.IndexSearch(SearchDocument, itoa64(d.ID), documentEntries(d, bodies))
}

// statementEntries is a statement in the index: one entry per language
// of its text, public as statements are, titled with the text's first line
// (cut to 120 characters); the speaker's code is searched too.
func statementEntries(st statement.Statement, bodies []string) []SearchEntry {
	var states []string
	if len(st.Speaker) == 3 && strings.ToUpper(st.Speaker) == st.Speaker {
		states = []string{st.Speaker}
	}
	var out []SearchEntry
	for _, l := range concord.Languages {
		text := strings.TrimSpace(st.Texts[l])
		if text == "" {
			continue
		}
		title, _, _ := strings.Cut(text, "\n")
		if r := []rune(title); len(r) > 120 {
			title = string(r[:120]) + "…"
		}
		out = append(out, SearchEntry{Lang: l, Visibility: VisibleGeneral, Bodies: bodies, Meetings: []int64{st.Meeting},
			States: states, Date: st.At, Title: title, Text: text, Codes: st.Speaker})
	}
	return out
}

// decisionEntries is a decision in the index: one entry per language of
// its title or proposal, public as decisions are.
func decisionEntries(d Decision) []SearchEntry {
	var states []string
	if p := d.Facts.ProposedBy; len(p) == 3 && strings.ToUpper(p) == p {
		states = []string{p}
	}
	var out []SearchEntry
	for _, l := range concord.Languages {
		if d.Title[l] == "" && d.Facts.Proposal[l] == "" {
			continue
		}
		title, _, _ := d.Title.In(l)
		out = append(out, SearchEntry{Lang: l, Visibility: VisibleGeneral, States: states, Date: d.Facts.ProposedAt,
			Title: title, Text: d.Facts.Proposal[l]})
	}
	return out
}

// organizationEntries is an organisation in the index: its name in each
// language it has one in, with its acronym; its country and members as
// its States.
func organizationEntries(o concord.Organization, visibility string) []SearchEntry {
	states := slices.Clone(o.Members)
	if o.Country != "" && !slices.Contains(states, o.Country) {
		states = append(states, o.Country)
	}
	var out []SearchEntry
	for _, l := range concord.Languages {
		if o.Names[l] == "" {
			continue
		}
		name, _, _ := o.Names.In(l)
		out = append(out, SearchEntry{Lang: l, Visibility: visibility, States: states, Title: name, Codes: o.Acronym})
	}
	return out
}

// stateEntries is a State in the index: its name in the six languages.
func stateEntries(s concord.State) []SearchEntry {
	var out []SearchEntry
	for _, l := range concord.Languages {
		if s.Names[l] == "" {
			continue
		}
		out = append(out, SearchEntry{Lang: l, Visibility: VisibleGeneral, States: []string{s.ISO3}, Title: s.Names[l], Codes: s.ISO3})
	}
	return out
}

// SearchQuery selects entries: every token (textfold.Query) present,
// visible to the reader, within the facets.
type SearchQuery struct {
	Tokens []string
	// Visible is the visibilities the reader may see; the others are
	// neither listed nor counted.
	Visible []string
	Kind    string
	Body    string
	Meeting int64
	State   string
	Lang    string
	From    time.Time // zero: no bound; inclusive
	To      time.Time // zero: no bound; exclusive
	Limit   int
	Offset  int
}

func (q SearchQuery) where(d Dialect) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var w string
	if d == Postgres {
		w = " WHERE tsv @@ to_tsquery('simple', " + arg(strings.Join(quoteEach(q.Tokens, "'", "'"), " & ")) + ")"
	} else {
		w = " WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH " + arg(strings.Join(quoteEach(q.Tokens, `"`, `"`), " ")) + ")"
	}
	if len(q.Visible) == 0 {
		w += " AND 1 = 0"
	} else {
		ph := make([]string, len(q.Visible))
		for i, v := range q.Visible {
			ph[i] = arg(v)
		}
		w += " AND visibility IN (" + strings.Join(ph, ", ") + ")"
	}
	if q.Kind != "" {
		w += " AND kind = " + arg(q.Kind)
	}
	if q.Lang != "" {
		w += " AND lang = " + arg(q.Lang)
	}
	if q.Body != "" {
		w += " AND bodies LIKE " + arg("%,"+q.Body+",%")
	}
	if q.Meeting != 0 {
		w += " AND meetings LIKE " + arg("%,"+itoa64(q.Meeting)+",%")
	}
	if q.State != "" {
		w += " AND states LIKE " + arg("%,"+q.State+",%")
	}
	if !q.From.IsZero() {
		w += " AND entry_date >= " + arg(q.From.UTC())
	}
	if !q.To.IsZero() {
		w += " AND entry_date < " + arg(q.To.UTC())
	}
	return w, args
}

// quoteEach quotes tokens (letters and digits only, as textfold makes
// them) as a phrase of one token each.
func quoteEach(toks []string, open, close string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = open + strings.NewReplacer(open, "", close, "").Replace(t) + close
	}
	return out
}

const searchColumns = "id, kind, ref, lang, visibility, bodies, meetings, states, entry_date, title, body_text"

func scanSearchEntry(sc interface{ Scan(...any) error }) (SearchEntry, error) {
	var e SearchEntry
	var bodies, meetings, states string
	var date sql.NullTime
	if err := sc.Scan(&e.ID, &e.Kind, &e.Ref, &e.Lang, &e.Visibility, &bodies, &meetings, &states, &date, &e.Title, &e.Text); err != nil {
		return e, err
	}
	e.Bodies, e.States = splitList(bodies), splitList(states)
	for _, m := range splitList(meetings) {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			e.Meetings = append(e.Meetings, id)
		}
	}
	if date.Valid {
		e.Date = date.Time.UTC()
	}
	return e, nil
}

// Search lists one page of the entries q selects: undated entries (States,
// organisations: a name asked for) first, then the newest first, the same
// order on both engines. One statement bounded by q.Limit; no tokens, no
// entries.
func (r Reader) Search(q SearchQuery) ([]SearchEntry, error) {
	if len(q.Tokens) == 0 {
		return nil, nil
	}
	w, args := q.where(r.db.Dialect)
	// The page's ids first, from the narrow columns alone, then their
	// rows with the texts: sorting the matches does not carry their texts.
	const order = " ORDER BY CASE WHEN entry_date IS NULL THEN 0 ELSE 1 END, entry_date DESC, id DESC"
	sql := "SELECT " + searchColumns + " FROM search_entries WHERE id IN (SELECT id FROM search_entries" + w + order +
		" LIMIT " + strconv.Itoa(max(q.Limit, 1)) + " OFFSET " + strconv.Itoa(max(q.Offset, 0)) + ")" + order
	return queryAll(r.ctx, r.conn, scanSearchEntry, sql, args...)
}

// SearchCount is how many entries of one kind and language a query selects.
type SearchCount struct {
	Kind, Lang string
	N          int
}

// SearchCounts counts the entries q selects by kind and language (Limit
// and Offset aside), for the total and the facets: one statement.
func (r Reader) SearchCounts(q SearchQuery) ([]SearchCount, error) {
	if len(q.Tokens) == 0 {
		return nil, nil
	}
	w, args := q.where(r.db.Dialect)
	return queryAll(r.ctx, r.conn, func(sc interface{ Scan(...any) error }) (SearchCount, error) {
		var c SearchCount
		return c, sc.Scan(&c.Kind, &c.Lang, &c.N)
	}, "SELECT kind, lang, COUNT(*) FROM search_entries"+w+" GROUP BY kind, lang ORDER BY kind, lang", args...)
}

// orgVisibility is who may see organisation id: everyone, unless its
// sign-up is not verified (the Secretariat alone), as hiddenOrgs.
func (r Reader) orgVisibility(id int64) (string, error) {
	var n int
	if err := r.row(r.ctx, "SELECT COUNT(*) FROM org_signups WHERE org_id = $1 AND status <> 'verified'", id).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return VisibleConfidential, nil
	}
	return VisibleGeneral, nil
}

// ensureSearch fills the index once for a database that predates it (or a
// new one, or one whose index a migration emptied because the folding
// changed): the States of the registry, and every document, statement,
// decision and organisation already stored. Nothing when the index has
// entries.
func (tx *Tx) ensureSearch() error {
	var n int
	if err := tx.row(tx.ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM search_entries LIMIT 1) s").Scan(&n); err != nil || n > 0 {
		return err
	}
	var entries []SearchEntry
	add := func(kind, ref string, es []SearchEntry) {
		for _, e := range es {
			e.Kind, e.Ref = kind, ref
			entries = append(entries, e)
		}
	}
	states, err := tx.listStates(tx.ctx)
	if err != nil {
		return err
	}
	for _, s := range states {
		add(SearchState, s.ISO3, stateEntries(s))
	}
	// The body of every meeting, read once (not per document or statement).
	type meetingBody struct {
		id   int64
		body string
	}
	mbs, err := queryAll(tx.ctx, tx.conn, func(sc interface{ Scan(...any) error }) (meetingBody, error) {
		var m meetingBody
		return m, sc.Scan(&m.id, &m.body)
	}, "SELECT id, body FROM meetings")
	if err != nil {
		return err
	}
	bodyOf := make(map[int64]string, len(mbs))
	for _, m := range mbs {
		bodyOf[m.id] = m.body
	}
	bodies := func(ids []int64) []string {
		var out []string
		for _, id := range ids {
			if b, ok := bodyOf[id]; ok && !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
		slices.Sort(out)
		return out
	}
	docs, err := queryAll(tx.ctx, tx.conn, scanRecordDocument, "SELECT "+recordDocumentColumns+" FROM record_documents ORDER BY id")
	if err != nil {
		return err
	}
	for _, d := range docs {
		add(SearchDocument, itoa64(d.ID), documentEntries(d, bodies(d.Meetings)))
	}
	statements, err := queryAll(tx.ctx, tx.conn, scanStatement, "SELECT "+statementColumns+" FROM statements ORDER BY id")
	if err != nil {
		return err
	}
	for _, st := range statements {
		add(SearchStatement, itoa64(st.ID), statementEntries(st, bodies([]int64{st.Meeting})))
	}
	ids, err := queryAll(tx.ctx, tx.conn, func(sc interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT id FROM decisions ORDER BY id")
	if err != nil {
		return err
	}
	decisions, err := tx.DecisionsByID(ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		add(SearchDecision, itoa64(id), decisionEntries(decisions[id]))
	}
	orgs, _, err := tx.Organizations(OrgFilter{Limit: 1 << 30})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		add(SearchOrganization, itoa64(o.ID), organizationEntries(o, VisibleGeneral))
	}
	return tx.insertSearch(entries)
}
