package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"concord"
	"concord/internal/store"
)

// Popolo (https://www.popoloproject.com) is the open-data standard for
// persons, organizations and memberships. States and regional groups are
// organizations too, so that delegations and group memberships fit.

// PopoloExport is the whole registry in Popolo form.
type PopoloExport struct {
	Persons       []PopoloPerson       `json:"persons"`
	Organizations []PopoloOrganization `json:"organizations"`
	Memberships   []PopoloMembership   `json:"memberships"`
}

// PopoloPerson is a Popolo person.
type PopoloPerson struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Gender    string `json:"gender,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// PopoloOtherName is a name in another language.
type PopoloOtherName struct {
	Name string `json:"name"`
	Note string `json:"note"`
}

// PopoloIdentifier is an issued code, such as ISO 3166-1 alpha-3.
type PopoloIdentifier struct {
	Identifier string `json:"identifier"`
	Scheme     string `json:"scheme"`
}

// PopoloOrganization is a Popolo organization.
type PopoloOrganization struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Classification string             `json:"classification"`
	OtherNames     []PopoloOtherName  `json:"other_names,omitempty"`
	Identifiers    []PopoloIdentifier `json:"identifiers,omitempty"`
	UpdatedAt      string             `json:"updated_at,omitempty"`
}

// PopoloMember names an organization that is a member of another.
type PopoloMember struct {
	Type string `json:"@type"`
	ID   string `json:"id"`
}

// PopoloMembership is a Popolo membership: a person in an organization, or
// an organization (a State) in another (a regional group).
type PopoloMembership struct {
	ID             string        `json:"id"`
	PersonID       string        `json:"person_id,omitempty"`
	Member         *PopoloMember `json:"member,omitempty"`
	OrganizationID string        `json:"organization_id"`
	Role           string        `json:"role,omitempty"`
	Label          string        `json:"label,omitempty"`
	StartDate      string        `json:"start_date,omitempty"`
	EndDate        string        `json:"end_date,omitempty"`
}

func otherNames(t concord.Text) []PopoloOtherName {
	var out []PopoloOtherName
	for _, l := range concord.Languages {
		if n := t[l]; n != "" {
			out = append(out, PopoloOtherName{Name: n, Note: "lang:" + l})
		}
	}
	return out
}

func name(t concord.Text) string { s, _, _ := t.In("en"); return s }

// popoloLimit caps the export; the registry at the scale we plan for
// (5,000 organisations, 20,000 persons) fits in one response.
const popoloLimit = 100000

func (a *API) popolo(r *http.Request) (int, any, error) {
	b, err := a.popoloOnce.get(r.Context(), a.DB)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, rawJSON(b), nil
}

// rawJSON is a response body already encoded.
type rawJSON []byte

// popoloCache holds the whole registry export, encoded once per data
// version (the audit head) and shared by every request, signed in or not:
// it is the largest response, and building it per request let a few
// hundred requests exhaust memory. Concurrent requests for a new version
// wait for one build.
type popoloCache struct {
	mu      sync.Mutex
	version int64
	body    []byte
}

func (c *popoloCache) get(ctx context.Context, db *store.DB) ([]byte, error) {
	head, err := db.AuditHead(ctx)
	if err != nil {
		return nil, fmt.Errorf("popolo export: data version: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.body != nil && c.version == head {
		return c.body, nil
	}
	out, err := BuildPopolo(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("popolo export: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("popolo export: encode: %w", err)
	}
	c.version, c.body = head, buf.Bytes()
	return c.body, nil
}

// BuildPopolo assembles the export with a fixed number of queries.
func BuildPopolo(ctx context.Context, db *store.DB) (PopoloExport, error) {
	out := PopoloExport{Persons: []PopoloPerson{}, Organizations: []PopoloOrganization{}, Memberships: []PopoloMembership{}}
	groups, err := db.ListRegionalGroups(ctx)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		out.Organizations = append(out.Organizations, PopoloOrganization{ID: "group/" + g.Code, Name: name(g.Names),
			Classification: "regional group", OtherNames: otherNames(g.Names)})
	}
	states, err := db.ListStates(ctx)
	if err != nil {
		return out, err
	}
	for _, s := range states {
		out.Organizations = append(out.Organizations, PopoloOrganization{ID: "state/" + s.ISO3, Name: name(s.Names),
			Classification: "state", OtherNames: otherNames(s.Names),
			Identifiers: []PopoloIdentifier{{s.ISO3, "ISO 3166-1 alpha-3"}, {s.ISO2, "ISO 3166-1 alpha-2"}, {strconv.Itoa(s.M49), "M49"}}})
		for _, m := range s.Groups {
			pm := PopoloMembership{ID: "membership/group/" + m.Group + "/" + s.ISO3, Member: &PopoloMember{"Organization", "state/" + s.ISO3},
				OrganizationID: "group/" + m.Group, Role: m.Kind, StartDate: m.Since.Format(time.DateOnly)}
			if !m.Until.IsZero() {
				pm.EndDate = m.Until.Format(time.DateOnly)
			}
			out.Memberships = append(out.Memberships, pm)
		}
	}
	orgs, _, err := db.ListOrganizations(ctx, store.OrgFilter{Limit: popoloLimit})
	if err != nil {
		return out, err
	}
	for _, o := range orgs {
		cls := o.Kind
		if o.Kind == concord.OrgStakeholder {
			cls = "stakeholder/" + o.Type
		}
		po := PopoloOrganization{ID: "org/" + strconv.FormatInt(o.ID, 10), Name: name(o.Names), Classification: cls,
			OtherNames: otherNames(o.Names), UpdatedAt: o.Updated.Format(time.RFC3339)}
		out.Organizations = append(out.Organizations, po)
	}
	persons, _, err := db.ListPersons(ctx, store.PersonFilter{Limit: popoloLimit})
	if err != nil {
		return out, err
	}
	for _, p := range persons {
		id := "person/" + strconv.FormatInt(p.ID, 10)
		out.Persons = append(out.Persons, PopoloPerson{ID: id, Name: p.Name, Gender: p.Gender, UpdatedAt: p.Updated.Format(time.RFC3339)})
		if p.OrgID != 0 {
			out.Memberships = append(out.Memberships, PopoloMembership{ID: "membership/" + id + "/org", PersonID: id,
				OrganizationID: "org/" + strconv.FormatInt(p.OrgID, 10), Role: "member"})
		}
	}
	dels, err := db.ListAllDelegations(ctx)
	if err != nil {
		return out, err
	}
	for _, d := range dels {
		out.Memberships = append(out.Memberships, PopoloMembership{ID: "membership/delegation/" + strconv.FormatInt(d.ID, 10),
			PersonID: "person/" + strconv.FormatInt(d.PersonID, 10), OrganizationID: "state/" + d.State, Role: d.Role, Label: "delegation " + d.Session})
	}
	return out, nil
}
