package store

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"concord"
)

// DuplicatesError refuses to create an organisation that looks like one
// already registered, naming them; the caller may confirm and create it
// anyway. It unwraps to a conflict on the names.
type DuplicatesError struct {
	Candidates []concord.Organization
}

func (e *DuplicatesError) Error() string { return e.Unwrap().Error() }

// Unwrap is the domain error that the HTTP layers map to 409.
func (e *DuplicatesError) Unwrap() error {
	return concord.Errorf(concord.EConflict, "names", "error.org_duplicate", "%d registered organisations look the same", len(e.Candidates))
}

// NormalName is a name as compared for duplicates: case folded, accents and
// other combining marks dropped, punctuation, symbols and spaces removed, in
// any script ("Cyber-Peace  Institute" and "cyberpeace institute" meet, and
// so do "Société" and "SOCIETE").
func NormalName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// WebsiteDomain is a website's host, lower case, without "www.".
func WebsiteDomain(site string) string {
	site = strings.TrimSpace(site)
	if site == "" {
		return ""
	}
	if !strings.Contains(site, "://") {
		site = "http://" + site
	}
	u, err := url.Parse(site)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// OrganizationDuplicates returns the registered organisations that o likely
// duplicates: a name equal to any of o's names in any language after
// NormalName, or the same website domain. It reads in the transaction that
// creates o, so two parallel creations of the same body cannot both miss
// each other. Organisations still waiting for verification count too: a
// second sign-up of the same body is flagged.
func (r Reader) OrganizationDuplicates(o concord.Organization) ([]concord.Organization, error) {
	names := map[string]bool{}
	for _, n := range o.Names {
		if k := NormalName(n); k != "" {
			names[k] = true
		}
	}
	domain := WebsiteDomain(o.Website)
	rows, err := r.query(r.ctx, "SELECT id, kind, names, acronym, website FROM organizations ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.Organization
	for rows.Next() {
		var c concord.Organization
		var ns string
		if err := rows.Scan(&c.ID, &c.Kind, &ns, &c.Acronym, &c.Website); err != nil {
			return nil, err
		}
		c.Names = scanText(ns)
		match := domain != "" && WebsiteDomain(c.Website) == domain
		for _, n := range c.Names {
			match = match || names[NormalName(n)]
		}
		if match && c.ID != o.ID {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}
