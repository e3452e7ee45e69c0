package web

import (
	"crypto/rand"
	"net/url"
	"strings"
	"sync"
	"time"

	"concord"
)

// Input kept across a change of language. A form refused with an error is
// shown again at its action's address, which answers only POST; the
// language switcher of that page leads to the page the form was on (see
// LangURL), carrying ?restore= with the id of what was typed and the
// errors, kept here for the user a while, so that the page in the other
// language shows the form as it was sent, errors included, and nothing is
// lost. Kept in memory: on another instance, or after a restart, the page
// shows without the input (never an error).

// draftTTL is how long typed input is kept for a change of language.
const draftTTL = 30 * time.Minute

// maxDrafts bounds the memory drafts take, oldest dropped first.
const maxDrafts = 2000

// RestoreParam is the query parameter naming kept input.
const RestoreParam = "restore"

type draft struct {
	user    int64
	form    url.Values
	errs    []*concord.Error
	expires time.Time
}

type drafts struct {
	mu    sync.Mutex
	byID  map[string]draft
	order []string // ids, oldest first
}

// secretField reports whether a form field must never be kept (passwords,
// the one-time form token, a confirmation).
func secretField(name string) bool {
	return strings.Contains(name, "password") || name == FormTokenField || name == "confirm" || name == formPageField
}

// put keeps a user's input and errors, returning the id to restore them.
func (d *drafts) put(user int64, form url.Values, errs []*concord.Error, now time.Time) string {
	kept := url.Values{}
	for k, v := range form {
		if !secretField(k) {
			kept[k] = v
		}
	}
	id := rand.Text()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byID == nil {
		d.byID = map[string]draft{}
	}
	for len(d.order) > 0 && (len(d.order) >= maxDrafts || now.After(d.byID[d.order[0]].expires)) {
		delete(d.byID, d.order[0])
		d.order = d.order[1:]
	}
	d.byID[id] = draft{user: user, form: kept, errs: errs, expires: now.Add(draftTTL)}
	d.order = append(d.order, id)
	return id
}

// get returns the input id keeps for user, if it is still there.
func (d *drafts) get(id string, user int64, now time.Time) (draft, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	x, ok := d.byID[id]
	if !ok || x.user != user || now.After(x.expires) {
		return draft{}, false
	}
	return x, true
}
