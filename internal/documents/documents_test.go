package documents_test

import (
	"archive/zip"
	"bytes"
	"concord/document"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/internal/documents"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

var ctx = context.Background()

var (
	sec   = &concord.User{ID: 2, Role: concord.RoleSecretariat}
	fra   = &concord.User{ID: 3, Role: concord.RoleDelegate, State: "FRA"}
	focal = &concord.User{ID: 4, Role: concord.RoleFocalPoint, OrgID: 9}
)

// PDF is a minimal file whose content is a PDF.
var PDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// Zip builds a zip package with the given entries (DOCX, ODT, or neither).
func Zip(t testing.TB, entries ...string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := z.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

func setup(db *store.DB) *documents.Service {
	db.Now = func() time.Time { return time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC) }
	return &documents.Service{DB: db, Process: concord.DefaultProcessCode, Pattern: document.GlobalMechanism}
}

func paper(sym string) documents.Input {
	return documents.Input{Symbol: sym, Type: document.WorkingPaper, Title: concord.Text{"en": "Programme", "fr": "Programme"},
		Authors: []string{"secretariat"}, Date: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Distribution: document.General,
		Versions: []documents.VersionInput{{Lang: "en", Status: document.Original, FileName: "paper.pdf", Data: PDF}, {Lang: "ar", Status: document.Pending}}}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", PDF, documents.TypePDF},
		{"docx", Zip(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"), documents.TypeDOCX},
		{"odt", Zip(t, "mimetype", documents.TypeODT, "content.xml", "<office/>"), documents.TypeODT},
		{"ods", Zip(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ""},
		{"plain zip", Zip(t, "a.txt", "x"), ""},
		{"html", []byte("<html><script>alert(1)</script>"), ""},
		{"broken zip", []byte("PK\x03\x04garbage"), ""},
	} {
		if got := documents.Sniff(c.data); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPublishAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := setup(db)
		d, err := svc.Publish(ctx, sec, paper("A/AC.GM/2026/1"))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := d.Version("en")
		if v.File == nil || v.File.ID == 0 || v.File.ContentType != documents.TypePDF || v.File.Name != "paper.pdf" {
			t.Fatalf("file %+v", v.File)
		}
		f, err := svc.File(ctx, nil, v.File.ID)
		if err != nil || !bytes.Equal(f.Data, PDF) {
			t.Fatalf("file read: %v", err)
		}
		// A revision: the first says it is superseded, both link each other.
		rev, err := svc.Publish(ctx, sec, paper("A/AC.GM/2026/1/Rev.1"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.Get(ctx, nil, d.ID)
		if err != nil || !p.Family.IsSuperseded || !slices.Equal(p.Family.RevisedBy, []string{rev.Symbol}) || p.IDs[rev.Symbol] != rev.ID {
			t.Errorf("family of the first: %+v %v", p, err)
		}
		p, _ = svc.Get(ctx, nil, rev.ID)
		if p.Family.Supersedes != d.Symbol || p.Family.IsSuperseded || p.IDs[d.Symbol] != d.ID {
			t.Errorf("family of the revision: %+v", p.Family)
		}
		// Every problem at once, nothing saved.
		bad := paper("A/AC.GM/2026/1")
		bad.Title = nil
		bad.Versions = []documents.VersionInput{{Lang: "en", Status: document.Original, FileName: "paper.pdf", Data: []byte("<html>")},
			{Lang: "xx", Status: document.Pending}, {Lang: "fr", Status: document.Official, FileName: "paper.docx", Data: PDF}}
		bad.Meetings = []int64{999}
		_, err = svc.Publish(ctx, sec, bad)
		want := []string{"document.error.symbol_taken", "decision.error.proposal", "document.error.meeting", "document.error.file_type", "document.error.file_name", "document.error.language"}
		if got := keys(err); !slices.Equal(got, want) {
			t.Errorf("bad input: %v, want %v", got, want)
		}
		l, err := svc.List(ctx, nil, documents.Filter{})
		if err != nil || l.Total != 2 {
			t.Errorf("list: %d %v", l.Total, err)
		}
		if err := db.VerifyRows(ctx); err != nil {
			t.Errorf("audit: %v", err)
		}
	})
}

func TestRestrictedIsAbsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := setup(db)
		in := paper("A/AC.GM/2026/CRP.1")
		in.Distribution = document.Restricted
		d, err := svc.Publish(ctx, sec, in)
		if err != nil {
			t.Fatal(err)
		}
		fileID := d.Versions[0].File.ID
		for _, u := range []*concord.User{nil, focal} {
			if _, err := svc.Get(ctx, u, d.ID); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%v reads it: %v", u, err)
			}
			if _, err := svc.File(ctx, u, fileID); !errors.Is(err, concord.ErrNotFound) {
				t.Errorf("%v downloads it: %v", u, err)
			}
			if l, _ := svc.List(ctx, u, documents.Filter{}); l.Total != 0 || len(l.Documents) != 0 {
				t.Errorf("%v lists it", u)
			}
		}
		for _, u := range []*concord.User{sec, fra} {
			if _, err := svc.Get(ctx, u, d.ID); err != nil {
				t.Errorf("%v cannot read it: %v", u, err)
			}
		}
	})
}

func TestNationalContribution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := setup(db)
		in := paper("A/AC.GM/2026/NC.1")
		in.Type, in.Authors = document.NationalContribution, []string{"FRA"}
		if _, err := svc.Publish(ctx, fra, in); err != nil {
			t.Fatalf("own State: %v", err)
		}
		in.Symbol, in.Authors = "A/AC.GM/2026/NC.2", []string{"DEU"}
		if _, err := svc.Publish(ctx, fra, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("another State's: %v", err)
		}
		in.Type, in.Authors = document.WorkingPaper, []string{"FRA"}
		if _, err := svc.Publish(ctx, fra, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a working paper: %v", err)
		}
		if _, err := svc.Publish(ctx, focal, in); concord.ErrorCode(err) != concord.EForbidden {
			t.Errorf("a stakeholder: %v", err)
		}
	})
}

// TestDelegateIncompleteInput: a delegate's submission without a type or
// authors is answered with its problems, not a refusal, and saves nothing.
func TestDelegateIncompleteInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := setup(db)
		_, err := svc.Publish(ctx, fra, documents.Input{})
		if concord.ErrorCode(err) != concord.EInvalid || !slices.Contains(keys(err), "document.error.type") {
			t.Errorf("empty input: %v", err)
		}
		if l, _ := svc.List(ctx, sec, documents.Filter{}); l.Total != 0 {
			t.Error("saved")
		}
	})
}
