package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"concord"
	"concord/internal/store"
)

// pdf is a minimal file whose content is a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func TestDocumentResponsesMatchSchemas(t *testing.T) {
	t.Parallel()
	demo.Each(t, testDocumentResponses)
}

// testDocumentResponses publishes documents through the API (the
// Secretariat's, a delegate's contribution, refused ones) and reads them as
// each audience: a restricted document is absent for the public and
// stakeholders in the list, the read and the download.
func testDocumentResponses(t *testing.T, db *store.DB) {
	e := newEnv(t, db)
	createUser(t, db, concord.User{Username: "sec", Role: concord.RoleSecretariat})
	createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
	orgs, _, err := db.ListOrganizations(t.Context(), store.OrgFilter{Kind: concord.OrgStakeholder, Limit: 1})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("no stakeholder: %v", err)
	}
	createUser(t, db, concord.User{Username: "focal", Role: concord.RoleFocalPoint, OrgID: orgs[0].ID})
	for _, u := range []string{"sec", "fra", "focal"} {
		e.signIn(u)
	}
	const (
		opList    = "GET /documents"
		opPublish = "POST /documents"
		opGet     = "GET /documents/{id}"
		opFile    = "GET /documents/files/{id}"
	)
	send := func(name, as string, body any, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: opPublish, method: "POST", path: "/documents", as: as, ct: "application/json", body: jsonBody(body), status: status, field: field}))
	}
	get := func(name, op, path, as string, status int, field string) map[string]any {
		t.Helper()
		return obj(e.do(call{name: name, op: op, method: "GET", path: path, as: as, status: status, field: field}))
	}
	doc := func(sym, dist string) map[string]any {
		return map[string]any{"symbol": sym, "type": "working-paper", "title": map[string]string{"en": "Paper " + sym}, "authors": []string{"secretariat"},
			"date": "2026-07-06", "distribution": dist, "versions": []map[string]any{
				{"lang": "en", "status": "original", "file_name": "paper.pdf", "file": pdf}, {"lang": "ar", "status": "pending"}}}
	}
	open := send("publish", "sec", doc("A/AC.GM/2026/WP.90", "general"), 201, "")
	closed := send("publish restricted", "sec", doc("A/AC.GM/2026/WP.91", "restricted"), 201, "")
	versions := list(closed["versions"])
	fileOf := func(d map[string]any) string { return fmt.Sprint(obj(obj(list(d["versions"])[0])["file"])["id"]) }
	if len(versions) != 2 || obj(obj(versions[0])["file"])["content_type"] != "application/pdf" {
		t.Fatalf("versions: %v", versions)
	}
	// Bad input, every problem at once; nothing saved.
	bad := doc("A/AC.GM/2026/WP.90", "general")
	bad["versions"] = []map[string]any{{"lang": "xx", "status": "original", "text": "x"}, {"lang": "en", "status": "official", "file_name": "paper.docx", "file": pdf}}
	if b := send("duplicate symbol, unknown language, misnamed file", "sec", bad, 409, "symbol"); len(list(b["errors"])) < 3 {
		t.Errorf("errors: %v", b["errors"])
	}
	nc := doc("A/AC.GM/2026/NC.90", "general")
	nc["type"], nc["authors"] = "national-contribution", []string{"FRA"}
	send("a delegate's own contribution", "fra", nc, 201, "")
	nc["symbol"], nc["authors"] = "A/AC.GM/2026/NC.91", []string{"DEU"}
	send("another State's contribution", "fra", nc, 403, "")
	send("a stakeholder", "focal", doc("A/AC.GM/2026/WP.92", "general"), 403, "")
	send("the public", "", doc("A/AC.GM/2026/WP.93", "general"), 401, "")

	for _, who := range []string{"", "focal"} {
		l := get("list as "+who, opList, "/documents?limit=200", who, 200, "")
		for _, it := range list(l["items"]) {
			if obj(it)["distribution"] == "restricted" {
				t.Errorf("%q lists a restricted document", who)
			}
		}
		get("read restricted as "+who, opGet, "/documents/"+fmt.Sprint(closed["id"]), who, 404, "")
		get("file of restricted as "+who, opFile, "/documents/files/"+fileOf(closed), who, 404, "")
	}
	for _, who := range []string{"sec", "fra"} {
		get("read restricted as "+who, opGet, "/documents/"+fmt.Sprint(closed["id"]), who, 200, "")
	}
	l := get("filter", opList, "/documents?type=working-paper&language=en", "", 200, "")
	if l["total"].(interface{ String() string }).String() == "0" {
		t.Error("the filter finds nothing")
	}
	get("unknown type and language", opList, "/documents?type=memo&language=xx", "", 422, "type")
	if l := get("pending language", opList, "/documents?language=ar&type=working-paper", "", 200, ""); len(list(l["items"])) != 0 {
		t.Error("a pending translation counts as available")
	}

	// The download: the sniffed type, as an attachment.
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/documents/files/"+fileOf(open), nil)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!bytes.Equal(body.Bytes(), pdf) || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if !slices.Contains([]string{"application/pdf"}, resp.Header.Get("Content-Type")) {
		t.Error("type")
	}
}
