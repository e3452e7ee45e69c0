package api

import (
	"concord/decision"
	"concord/meeting"
	"net/http"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/statements"
)

// The positions register, the map of agreement and divergence and
// withdrawing a statement: the twins of the pages in internal/web
// (positions.go). A State's record over time is GET /statements?speaker=.

func (a *API) positionRoutes() []Route {
	return []Route{
		{"GET", "/sessions/{code}/items/{item}/positions", concord.ActRead, nil, "/sessions/GM-2026-1/items/item-1/positions", a.itemRegister},
		{"GET", "/positions/map", concord.ActRead, nil, "/positions/map", a.positionMap},
		{"POST", "/statements/{id}/withdraw", concord.ActSpeak, nil, "/statements/1/withdraw", a.withdrawStatement},
	}
}

// RegisterEntryJSON is one State's (or group's) standing position with its
// source.
type RegisterEntryJSON struct {
	State string                `json:"state"`
	Via   *string               `json:"via"`
	Kind  decision.PositionKind `json:"kind"`
	Text  string                `json:"text"`
	At    time.Time             `json:"at"`
	// Source is the statement it came from ("statement:12").
	Source    *string `json:"source"`
	Statement *int64  `json:"statement"`
}

// RegisterJSON is the positions register of one agenda item.
type RegisterJSON struct {
	Session   string              `json:"session"`
	Item      string              `json:"item"`
	Number    string              `json:"number"`
	Title     concord.Text        `json:"title"`
	Positions []RegisterEntryJSON `json:"positions"`
	Groups    []RegisterEntryJSON `json:"groups"`
}

func registerEntry(reg statements.Register, e decision.Entry) RegisterEntryJSON {
	out := RegisterEntryJSON{State: e.State, Via: orNull(e.Via), Kind: e.Kind, Text: e.Text, At: e.At.UTC(), Source: orNull(e.Source)}
	if st, ok := reg.Statements[e.Source]; ok {
		out.Statement = nonZero(st.ID)
	}
	return out
}

func (a *API) itemRegister(r *http.Request) (int, any, error) {
	reg, err := a.statements().ItemRegister(r.Context(), r.PathValue("code"), r.PathValue("item"))
	if err != nil {
		return 0, nil, err
	}
	out := RegisterJSON{Session: reg.Session, Item: reg.Item, Number: reg.Number, Title: text(reg.Title), Positions: []RegisterEntryJSON{}, Groups: []RegisterEntryJSON{}}
	rec := reg.Record
	for _, l := range [][]decision.Entry{rec.Supported, rec.NoObjection, rec.Reserved, rec.Dissociated, rec.Abstained, rec.Objected} {
		for _, e := range l {
			out.Positions = append(out.Positions, registerEntry(reg, e))
		}
	}
	slices.SortFunc(out.Positions, func(a, b RegisterEntryJSON) int { return strings.Compare(a.State, b.State) })
	for _, e := range rec.Groups {
		out.Groups = append(out.Groups, registerEntry(reg, e))
	}
	return http.StatusOK, out, nil
}

// MapColumnJSON is an item of the map.
type MapColumnJSON struct {
	Item   string       `json:"item"`
	Number string       `json:"number"`
	Title  concord.Text `json:"title"`
}

// MapCellJSON is a State's standing position on a column (kind null: none).
type MapCellJSON struct {
	Kind   *decision.PositionKind `json:"kind"`
	Via    *string                `json:"via"`
	Source *string                `json:"source"`
}

// MapRowJSON is one State's row.
type MapRowJSON struct {
	State string        `json:"state"`
	Names concord.Text  `json:"names"`
	Cells []MapCellJSON `json:"cells"`
}

// MapGroupJSON is a regional group's rows (group null: none).
type MapGroupJSON struct {
	Group *string      `json:"group"`
	Rows  []MapRowJSON `json:"rows"`
}

// MapJSON is the map of agreement and divergence: the same matrix as the
// page.
type MapJSON struct {
	Session  *string         `json:"session"`
	Body     *string         `json:"body"`
	Sessions []string        `json:"sessions"`
	Columns  []MapColumnJSON `json:"columns"`
	Groups   []MapGroupJSON  `json:"groups"`
	Silent   int             `json:"silent"`
}

func (a *API) positionMap(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	f := statements.MapFilter{Session: strings.TrimSpace(q.Get("session")), Body: strings.TrimSpace(q.Get("body"))}
	if f.Body != "" && !slices.Contains(meeting.Bodies, meeting.Body(f.Body)) {
		return 0, nil, concord.Errorf(concord.EInvalid, "body", "meeting.error.body", "unknown body %q", f.Body)
	}
	m, err := a.statements().PositionMap(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	out := MapJSON{Session: orNull(m.Session), Body: orNull(m.Body), Sessions: strs(m.Sessions), Columns: []MapColumnJSON{}, Groups: []MapGroupJSON{}, Silent: m.Silent}
	for _, c := range m.Columns {
		out.Columns = append(out.Columns, MapColumnJSON{Item: c.Item, Number: c.Number, Title: text(c.Title)})
	}
	for _, g := range m.Groups {
		gj := MapGroupJSON{Group: orNull(g.Group), Rows: []MapRowJSON{}}
		for _, row := range g.Rows {
			rj := MapRowJSON{State: row.State, Names: text(row.Names), Cells: []MapCellJSON{}}
			for _, c := range row.Cells {
				cj := MapCellJSON{Via: orNull(c.Via), Source: orNull(c.Source)}
				if c.Kind != "" {
					k := c.Kind
					cj.Kind = &k
				}
				rj.Cells = append(rj.Cells, cj)
			}
			gj.Rows = append(gj.Rows, rj)
		}
		out.Groups = append(out.Groups, gj)
	}
	return http.StatusOK, out, nil
}

func (a *API) withdrawStatement(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	row, err := a.statements().Withdraw(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	names, _ := a.statements().Names(r.Context(), row.Speaker)
	return http.StatusOK, statementJSON(row, names), nil
}
