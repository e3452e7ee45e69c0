package store

import (
	"slices"
	"strconv"
	"strings"

	"concord"
)

// OrganizationsByID returns the organisations with the given ids (without
// their member States), keyed by id, in one query: a list of applications
// names each applicant without a query per row. Unknown ids are left out.
func (r Reader) OrganizationsByID(ids []int64) (map[int64]concord.Organization, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[int64]concord.Organization, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = "$" + strconv.Itoa(i+1)
		args[i] = id
	}
	rows, err := r.query(r.ctx, "SELECT "+orgColumns+" FROM organizations WHERE id IN ("+strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, rows.Err()
}
