package store

import (
	"concord"
	"concord/document"
	"context"
	"fmt"
	"strings"
	"time"
)

// The process's documents (issue 12): record_documents holds each
// document.Document as JSON with the columns lists and filters query,
// record_document_meetings its meetings, record_document_files the bytes of
// its language versions. (The table "documents" is accreditation's uploads.)

const recordDocumentColumns = "id, created_at, updated_at, doc"

func scanRecordDocument(sc interface{ Scan(...any) error }) (document.Document, error) {
	return scanDoc(sc, func(d *document.Document, id int64, created, updated time.Time) {
		d.ID, d.Created, d.Updated = id, created, updated
	})
}

// RecordFile is the stored file of one language version of a document.
type RecordFile struct {
	document.File
	DocumentID int64
	Lang       string
	Data       []byte
}

// AddRecordFile stores the bytes of a version's file (already checked by
// the caller) for document f.DocumentID and sets f.ID; the document's
// value, saved and audited next in the same transaction, records its
// digest.
func (tx *Tx) AddRecordFile(f *RecordFile) error {
	return tx.row(tx.ctx, `INSERT INTO record_document_files (document_id, lang, name, content_type, size, sha256, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		f.DocumentID, f.Lang, f.Name, f.ContentType, f.Size, f.SHA256, f.Data, tx.Now).Scan(&f.ID)
}

// RecordFile reads a version's file with its bytes.
func (r Reader) RecordFile(id int64) (RecordFile, error) {
	var f RecordFile
	err := r.row(r.ctx, "SELECT id, document_id, lang, name, content_type, size, sha256, data FROM record_document_files WHERE id = $1", id).
		Scan(&f.ID, &f.DocumentID, &f.Lang, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data)
	return f, notFound(err)
}

func langsColumn(d *document.Document) string {
	return "," + strings.Join(d.Languages(), ",") + ","
}

// SaveRecordDocument inserts (ID 0) or updates document d, after validating
// it against the pattern, stores the bytes of the versions whose File has
// no ID yet from files (by language) and sets their IDs, replaces its meeting links and audits the write
// under action ("document.publish", "document.edit"): publicly when its
// distribution is general, confidentially otherwise, so that the public log
// does not disclose a restricted document. A symbol already used in the
// process is a conflict (document.error.symbol_taken).
func (tx *Tx) SaveRecordDocument(d *document.Document, p document.Pattern, files map[string][]byte, action string) error {
	d.Date = d.Date.UTC().Truncate(24 * time.Hour)
	if err := d.Validate(p); err != nil {
		return err
	}
	sym, _ := p.Parse(d.Symbol)
	var before any
	d.Updated = tx.Now.UTC().Truncate(time.Second)
	if d.ID == 0 {
		d.Created = d.Updated
	} else {
		prev, err := tx.RecordDocument(d.ID)
		if err != nil {
			return err
		}
		before, d.Created = prev, prev.Created
	}
	var err error
	if d.ID == 0 {
		err = tx.row(tx.ctx, `INSERT INTO record_documents (process, symbol, base_symbol, type, distribution, doc_date, langs, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}') RETURNING id`,
			d.Process, d.Symbol, sym.Base, string(d.Type), string(d.Distribution), d.Date, langsColumn(d), d.Created, d.Updated).Scan(&d.ID)
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE record_documents SET symbol = $1, base_symbol = $2, type = $3, distribution = $4, doc_date = $5, langs = $6, updated_at = $7 WHERE id = $8`,
			d.Symbol, sym.Base, string(d.Type), string(d.Distribution), d.Date, langsColumn(d), d.Updated, d.ID)
	}
	if isUniqueViolation(err) {
		return symbolTaken(d.Symbol)
	}
	if err != nil {
		return err
	}
	for i, v := range d.Versions {
		if v.File == nil || v.File.ID != 0 {
			continue
		}
		data, ok := files[v.Lang]
		if !ok {
			return fmt.Errorf("no bytes for the new %s file", v.Lang)
		}
		f := RecordFile{File: *v.File, DocumentID: d.ID, Lang: v.Lang, Data: data}
		if err := tx.AddRecordFile(&f); err != nil {
			return err
		}
		file := f.File
		d.Versions[i].File = &file
	}
	doc, err := docJSON(d)
	if err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "UPDATE record_documents SET doc = $1 WHERE id = $2", doc, d.ID); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM record_document_meetings WHERE document_id = $1", d.ID); err != nil {
		return err
	}
	for _, m := range uniqueIDs(d.Meetings) {
		if _, err := tx.exec(tx.ctx, "INSERT INTO record_document_meetings (document_id, meeting_id) VALUES ($1, $2)", d.ID, m); err != nil {
			return err
		}
	}
	if err := tx.indexDocument(*d); err != nil {
		return err
	}
	if _, err := tx.exec(tx.ctx, "DELETE FROM record_document_refs WHERE document_id = $1", d.ID); err != nil {
		return err
	}
	for _, ref := range d.Refs() {
		if _, err := tx.exec(tx.ctx, "INSERT INTO record_document_refs (ref, document_id) VALUES ($1, $2)", ref, d.ID); err != nil {
			return err
		}
	}
	return tx.Audit(action, "record_document", itoa64(d.ID), before, d, d.Distribution == document.General)
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// symbolTaken is the conflict of a symbol used twice in a process.
func symbolTaken(sym string) error {
	return concord.Errorf(concord.EConflict, "symbol", "document.error.symbol_taken", "the symbol %s is already used", sym)
}

// SymbolTaken reports whether the process has a document with symbol sym
// other than document except (0: any).
func (r Reader) SymbolTaken(process, sym string, except int64) (bool, error) {
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM record_documents WHERE process = $1 AND symbol = $2 AND id <> $3", process, sym, except).Scan(&n)
	return n > 0, err
}

// RecordDocument reads document id, in the pool or inside a transaction.
func (r Reader) RecordDocument(id int64) (document.Document, error) {
	return scanRecordDocument(r.row(r.ctx, "SELECT "+recordDocumentColumns+" FROM record_documents WHERE id = $1", id))
}

// DocumentFamily lists the symbols sharing base (a document, its revisions
// and corrigenda) among the distributions given, in one statement.
func (r Reader) DocumentFamily(process, base string, visible []document.Distribution) ([]string, error) {
	args := []any{process, base}
	q := "SELECT symbol FROM record_documents WHERE process = $1 AND base_symbol = $2" + distributionIn(&args, visible) + " ORDER BY symbol"
	rows, err := r.query(r.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DocumentIDs maps symbols of the process to their ids (links between a
// document and its family), in one statement.
func (r Reader) DocumentIDs(process string, symbols []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(symbols) == 0 {
		return out, nil
	}
	args := []any{process}
	var ph []string
	for _, s := range symbols {
		args = append(args, s)
		ph = append(ph, "$"+itoa64(int64(len(args))))
	}
	rows, err := r.query(r.ctx, "SELECT symbol, id FROM record_documents WHERE process = $1 AND symbol IN ("+strings.Join(ph, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var id int64
		if err := rows.Scan(&s, &id); err != nil {
			return nil, err
		}
		out[s] = id
	}
	return out, rows.Err()
}

// distributionIn adds the condition that the distribution is one of visible
// (none: nothing).
func distributionIn(args *[]any, visible []document.Distribution) string {
	if len(visible) == 0 {
		return " AND 1 = 0"
	}
	var ph []string
	for _, v := range visible {
		*args = append(*args, string(v))
		ph = append(ph, "$"+itoa64(int64(len(*args))))
	}
	return " AND distribution IN (" + strings.Join(ph, ", ") + ")"
}

// DocumentQuery selects documents of a process, newest first.
type DocumentQuery struct {
	Process string
	// Visible is the distributions the reader may see (document.Visible):
	// the others are not listed, nor counted.
	Visible []document.Distribution
	Type    document.Type // empty: every type
	Meeting int64         // 0: any meeting
	Lang    string        // "": any; else only documents readable in Lang
	Limit   int
	Offset  int
}

func (q DocumentQuery) where() (string, []any) {
	args := []any{q.Process}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa64(int64(len(args)))
	}
	w := " WHERE process = $1"
	w += distributionIn(&args, q.Visible)
	if q.Type != "" {
		w += " AND type = " + arg(string(q.Type))
	}
	if q.Meeting != 0 {
		w += " AND id IN (SELECT document_id FROM record_document_meetings WHERE meeting_id = " + arg(q.Meeting) + ")"
	}
	if q.Lang != "" {
		w += " AND langs LIKE " + arg("%,"+q.Lang+",%")
	}
	return w, args
}

// RecordDocuments lists the documents q selects, newest first, in one
// statement bounded by q.Limit.
func (r Reader) RecordDocuments(q DocumentQuery) ([]document.Document, error) {
	w, args := q.where()
	sql := "SELECT " + recordDocumentColumns + " FROM record_documents" + w + " ORDER BY doc_date DESC, id DESC"
	if q.Limit > 0 {
		sql += " LIMIT " + itoa64(int64(q.Limit)) + " OFFSET " + itoa64(int64(max(q.Offset, 0)))
	}
	return queryAll(r.ctx, r.conn, scanRecordDocument, sql, args...)
}

// CountRecordDocuments counts the documents q selects (Limit and Offset
// aside).
func (r Reader) CountRecordDocuments(q DocumentQuery) (int, error) {
	w, args := q.where()
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM record_documents"+w, args...).Scan(&n)
	return n, err
}

// FeedQuery selects the newest documents of a feed (doc/record.md): the
// process's, one meeting's, or those indexed under one reference
// (document.AuthorRef, document.ItemRef.String).
type FeedQuery struct {
	Process string
	Visible []document.Distribution // what the reader may see: a public feed passes General only
	Meeting int64                   // 0: any meeting
	Ref     string                  // "": any reference
	Limit   int                     // how many, newest first
}

// DocumentFeed lists the Limit newest documents q selects, newest
// published first (by id, which grows with publication), in one statement
// that walks an index from its end and stops after Limit rows the reader
// may see: the primary key for the process's feed, the meeting's or the
// reference's link table for the others.
func (r Reader) DocumentFeed(q FeedQuery) ([]document.Document, error) {
	args := []any{q.Process}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa64(int64(len(args)))
	}
	cols := "d.id, d.created_at, d.updated_at, d.doc"
	var sql string
	switch {
	case q.Meeting != 0:
		sql = "SELECT " + cols + " FROM record_document_meetings l JOIN record_documents d ON d.id = l.document_id WHERE l.meeting_id = " + arg(q.Meeting) +
			" AND d.process = $1" + distributionIn(&args, q.Visible) + " ORDER BY l.document_id DESC"
	case q.Ref != "":
		sql = "SELECT " + cols + " FROM record_document_refs l JOIN record_documents d ON d.id = l.document_id WHERE l.ref = " + arg(q.Ref) +
			" AND d.process = $1" + distributionIn(&args, q.Visible) + " ORDER BY l.document_id DESC"
	default:
		// "d.id > 0" makes SQLite walk the primary key backwards and stop
		// after Limit rows; without it, it picks record_documents_count
		// (process, distribution, …) and sorts every general document of
		// the process (10-20 ms at seed --scale 1 instead of 0.2 ms).
		sql = "SELECT " + cols + " FROM record_documents d WHERE d.id > 0 AND d.process = $1" + distributionIn(&args, q.Visible) + " ORDER BY d.id DESC"
	}
	sql += " LIMIT " + itoa64(int64(max(q.Limit, 1)))
	return queryAll(r.ctx, r.conn, scanRecordDocument, sql, args...)
}

// RecordDocuments reads the same through the pool.
func (db *DB) RecordDocuments(ctx context.Context, q DocumentQuery) ([]document.Document, error) {
	return db.Read(ctx).RecordDocuments(q)
}
