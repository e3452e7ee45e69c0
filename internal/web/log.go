package web

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"concord"
	"concord/internal/audit"
	"concord/internal/cachectl"
	"concord/internal/store"
)

// logView is the procedural log page: entries grouped by day, newest first.
type logView struct {
	Kinds []string // the kinds a filter offers
	Kind  string   // the filters as given
	From  string
	To    string
	// Subject, when set, limits the log to one object ("decision/12").
	Subject     string
	SubjectType string
	SubjectID   string
	Days        []logDay
	Pager       pager
}

// logDay is one day of the log. A viewer without the right to the full
// log sees the day's confidential entries only as their number: one row
// each would place them among the public acts around them.
type logDay struct {
	Day          string
	Entries      []logRow
	Confidential int
}

// logRow is one entry as a sentence in the page's language.
type logRow struct {
	Seq      int64  // 0 for a reader without the full log
	Time     string // "09:30:17 UTC"; the day is the group's
	Text     string
	Link     string // the object's page, if it has one
	Subject  string // "type/id", to filter on
	Actor    string
	Hash     string
	Redacted bool
}

// objectPages are the pages of the objects the log names, by object type.
var objectPages = map[string]string{
	"organization": "/organizations/", "person": "/persons/", "state": "/states/", "decision": "/decisions/",
	"accreditation_application": "/accreditation/applications/", "accreditation_window": "/accreditation/windows/",
	"agenda": "/agendas/", "briefer": "/briefers/", "cofac-set": "/cofacilitators/sets/", "statement": "/statements/",
}

func (s *Server) logPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := store.ParseAuditFilter(q)
	if err != nil {
		return err
	}
	full := concord.Can(UserFrom(ctx), concord.ActViewAuditFull, concord.Target{})
	// Whoever may not see the full log gets the public entries one by one
	// and the confidential ones counted per day.
	f.PublicOnly = !full
	_, total, err := s.DB.AuditPage(ctx, store.AuditFilter{Kind: f.Kind, ObjectType: f.ObjectType, ObjectID: f.ObjectID, From: f.From, To: f.To, PublicOnly: f.PublicOnly})
	if err != nil {
		return err
	}
	pg, offset := newPager(r, total, pageSize)
	f.Limit, f.Offset = pageSize, offset
	entries, _, err := s.DB.AuditPage(ctx, f)
	if err != nil {
		return err
	}
	v := logView{Kinds: audit.Kinds, Kind: f.Kind, From: q.Get("from"), To: q.Get("to"), Pager: pg,
		Subject: q.Get("subject"), SubjectType: f.ObjectType, SubjectID: f.ObjectID}
	p := s.newPage(r, "log.title", &v)
	actors, err := s.actorNames(ctx, p)
	if err != nil {
		return err
	}
	var counts map[time.Time]int
	if !full && f.Kind == "" && f.ObjectType == "" {
		// The span of days this page covers: from the day of its oldest
		// entry (or the filter's start, on the last page) to the day of
		// its newest (or the filter's end, on the first).
		from, to := f.From, f.To
		if len(entries) > 0 {
			if pg.Page > 1 {
				to = audit.Day(entries[0].At).AddDate(0, 0, 1)
			}
			if pg.Page < pg.Pages {
				from = audit.Day(entries[len(entries)-1].At)
			}
		}
		if counts, err = s.DB.ConfidentialDays(ctx, from, to); err != nil {
			return err
		}
	}
	byDay := map[time.Time]*logDay{}
	var days []time.Time
	day := func(t time.Time) *logDay {
		d := audit.Day(t)
		if byDay[d] == nil {
			byDay[d] = &logDay{Day: d.Format(time.DateOnly)}
			days = append(days, d)
		}
		return byDay[d]
	}
	for _, e := range entries {
		e, redacted := audit.Redact(e, full)
		row := logRow{Time: e.At.Format("15:04:05") + " UTC", Text: s.Cat.T(p.Lang, audit.TextID(e.Action), audit.TextData(e)), Hash: hex.EncodeToString(e.Hash), Redacted: redacted}
		if full {
			// The sequence number would count, to anyone else, the
			// confidential entries between two public ones.
			row.Seq = e.Seq
		}
		if !redacted {
			row.Actor = actors(e.Actor)
			if e.ObjectType != "" && e.ObjectID != "" {
				row.Subject = e.ObjectType + "/" + e.ObjectID
				if base, ok := objectPages[e.ObjectType]; ok {
					row.Link = p.URL(base + url.PathEscape(e.ObjectID))
				}
			}
		}
		d := day(e.At)
		d.Entries = append(d.Entries, row)
	}
	// A day's count is shown once the day has ended: watching it grow
	// would date each entry within the day. The page changes then.
	now := s.DB.Now()
	for _, t := range store.EndedDays(counts, now) {
		day(t).Confidential = counts[t]
	}
	if !full {
		cachectl.Until(ctx, audit.Day(now).AddDate(0, 0, 1))
	}
	// Newest day first, as the entries are.
	for i := 1; i < len(days); i++ {
		for j := i; j > 0 && days[j].After(days[j-1]); j-- {
			days[j], days[j-1] = days[j-1], days[j]
		}
	}
	for _, d := range days {
		v.Days = append(v.Days, *byDay[d])
	}
	return s.render(w, r, http.StatusOK, "log", p)
}

// actorNames returns how the page names an actor: the delegation of a
// State, a role, or Concord itself; never a person's name.
func (s *Server) actorNames(ctx context.Context, p *Page) (func(string) string, error) {
	users, err := s.DB.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]concord.User, len(users))
	for _, u := range users {
		byID[concord.Actor(&u)] = u
	}
	stateNames := make(map[string]string, len(states))
	for _, st := range states {
		stateNames[st.ISO3] = p.L(st.Names).Text
	}
	return func(actor string) string {
		if actor == concord.Actor(nil) {
			return p.T("log.actor.system")
		}
		u, ok := byID[actor]
		switch {
		case !ok:
			return p.T("log.actor.user", "ID", strings.TrimPrefix(actor, "user:"))
		case u.Erased():
			return p.formerActor(u, stateNames[u.State])
		case u.Role == concord.RoleDelegate && u.State != "":
			name := stateNames[u.State]
			if name == "" {
				name = u.State
			}
			return p.T("log.actor.delegate", "State", name)
		default:
			return p.T("role." + string(u.Role))
		}
	}, nil
}
