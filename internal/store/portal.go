package store

import (
	"concord/capacity"
	"context"
	"strings"
	"time"
)

// The cooperation and capacity-building portal (issue 13): needs and
// offers as JSON documents of capacity.Need and capacity.Offer with the
// columns the lists and the matching query; interests as rows. A need kept
// to States is audited confidentially, and so is the interest in its
// matches: the public log must not show that it exists.

const needColumns = "id, created_at, updated_at, doc"

func scanNeed(sc interface{ Scan(...any) error }) (capacity.Need, error) {
	return scanDoc(sc, func(n *capacity.Need, id int64, created, updated time.Time) {
		n.ID, n.Created, n.Updated = id, created, updated
	})
}

const offerColumns = "id, created_at, updated_at, doc"

func scanOffer(sc interface{ Scan(...any) error }) (capacity.Offer, error) {
	return scanDoc(sc, func(o *capacity.Offer, id int64, created, updated time.Time) {
		o.ID, o.Created, o.Updated = id, created, updated
	})
}

// SaveNeed inserts (ID 0) or updates n after validating it, audited under
// action ("portal.need.post", "portal.need.edit"): publicly only when the
// need is public before and after.
func (tx *Tx) SaveNeed(n *capacity.Need, action string) error {
	n.Normalise()
	if err := n.Validate(); err != nil {
		return err
	}
	var before any
	public := n.Visibility == capacity.Public
	n.Updated = tx.Now.UTC().Truncate(time.Second)
	if n.ID == 0 {
		n.Created = n.Updated
	} else {
		prev, err := tx.Need(n.ID)
		if err != nil {
			return err
		}
		before, n.Created = prev, prev.Created
		public = public && prev.Visibility == capacity.Public
	}
	doc, err := docJSON(n)
	if err != nil {
		return err
	}
	if n.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO capacity_needs (process, state, area, visibility, from_day, until_day, created_at, updated_at, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			n.Process, n.State, string(n.Area), string(n.Visibility), n.From, n.Until, n.Created, n.Updated, doc).Scan(&n.ID); err == nil {
			if doc, err = docJSON(n); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE capacity_needs SET doc = $1 WHERE id = $2", doc, n.ID)
			}
		}
	} else {
		_, err = tx.exec(tx.ctx, `UPDATE capacity_needs SET state = $1, area = $2, visibility = $3, from_day = $4, until_day = $5, updated_at = $6, doc = $7 WHERE id = $8`,
			n.State, string(n.Area), string(n.Visibility), n.From, n.Until, n.Updated, doc, n.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "portal_need", itoa64(n.ID), before, n, public)
}

// SaveOffer inserts (ID 0) or updates o after validating it, with one row
// per area it covers, audited publicly under action ("portal.offer.post",
// "portal.offer.edit"): offers are public.
func (tx *Tx) SaveOffer(o *capacity.Offer, action string) error {
	o.Normalise()
	if err := o.Validate(); err != nil {
		return err
	}
	var before any
	o.Updated = tx.Now.UTC().Truncate(time.Second)
	if o.ID == 0 {
		o.Created = o.Updated
	} else {
		prev, err := tx.Offer(o.ID)
		if err != nil {
			return err
		}
		before, o.Created = prev, prev.Created
	}
	doc, err := docJSON(o)
	if err != nil {
		return err
	}
	if o.ID == 0 {
		if err = tx.row(tx.ctx, `INSERT INTO capacity_offers (process, provider_state, provider_org, kind, from_day, until_day, created_at, updated_at, doc, title, areas, languages, regions)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			o.Process, o.Provider.State, o.Provider.OrgID, string(o.Kind), o.From, o.Until, o.Created, o.Updated, doc,
			o.Title, joinAreas(o.Areas), strings.Join(o.Languages, ","), strings.Join(o.Regions, ",")).Scan(&o.ID); err == nil {
			if doc, err = docJSON(o); err == nil {
				_, err = tx.exec(tx.ctx, "UPDATE capacity_offers SET doc = $1 WHERE id = $2", doc, o.ID)
			}
		}
	} else {
		if _, err = tx.exec(tx.ctx, `UPDATE capacity_offers SET provider_state = $1, provider_org = $2, kind = $3, from_day = $4, until_day = $5, updated_at = $6, doc = $7,
			title = $8, areas = $9, languages = $10, regions = $11 WHERE id = $12`,
			o.Provider.State, o.Provider.OrgID, string(o.Kind), o.From, o.Until, o.Updated, doc,
			o.Title, joinAreas(o.Areas), strings.Join(o.Languages, ","), strings.Join(o.Regions, ","), o.ID); err == nil {
			_, err = tx.exec(tx.ctx, "DELETE FROM capacity_offer_areas WHERE offer_id = $1", o.ID)
		}
	}
	for _, a := range o.Areas {
		if err != nil {
			break
		}
		_, err = tx.exec(tx.ctx, "INSERT INTO capacity_offer_areas (area, offer_id) VALUES ($1, $2)", string(a), o.ID)
	}
	if err != nil {
		return err
	}
	return tx.Audit(action, "portal_offer", itoa64(o.ID), before, o, true)
}

// interestID names an interest in the log: need, offer and side.
func interestID(i capacity.Interest) string {
	return itoa64(i.Need) + "-" + itoa64(i.Offer) + "-" + string(i.Side)
}

// AddInterest records one side's interest in a match, audited publicly
// only when the need is public (public).
func (tx *Tx) AddInterest(i *capacity.Interest, public bool) error {
	i.At = i.At.UTC().Truncate(time.Second)
	if _, err := tx.exec(tx.ctx, "INSERT INTO capacity_interests (need_id, offer_id, side, at) VALUES ($1, $2, $3, $4)",
		i.Need, i.Offer, string(i.Side), i.At); err != nil {
		return err
	}
	return tx.Audit("portal.interest", "portal_interest", interestID(*i), nil, i, public)
}

// Need reads need id.
func (r Reader) Need(id int64) (capacity.Need, error) {
	return scanNeed(r.row(r.ctx, "SELECT "+needColumns+" FROM capacity_needs WHERE id = $1", id))
}

// Offer reads offer id.
func (r Reader) Offer(id int64) (capacity.Offer, error) {
	return scanOffer(r.row(r.ctx, "SELECT "+offerColumns+" FROM capacity_offers WHERE id = $1", id))
}

// NeedQuery selects needs of a process, newest first.
type NeedQuery struct {
	Process string
	// StatesOnly includes the needs kept to States; the caller decides
	// whether the reader may see them (capacity.CanView).
	StatesOnly bool
	Area       capacity.Area // empty: every area
	State      string        // empty: every State
	Limit      int
	Offset     int
}

func (q NeedQuery) where() (string, []any) {
	var w where
	w.add("process = ?", q.Process)
	w.addIf(!q.StatesOnly, "visibility = ?", string(capacity.Public))
	w.addIf(q.Area != "", "area = ?", string(q.Area))
	w.addIf(q.State != "", "state = ?", q.State)
	return w.clause(), w.args
}

// Needs lists the needs q selects, newest first, in one statement.
func (r Reader) Needs(q NeedQuery) ([]capacity.Need, error) {
	w, args := q.where()
	return queryAll(r.ctx, r.conn, scanNeed, "SELECT "+needColumns+" FROM capacity_needs"+w+" ORDER BY id DESC"+limit(q.Limit, q.Offset), args...)
}

// CountNeeds counts the needs q selects (Limit and Offset aside).
func (r Reader) CountNeeds(q NeedQuery) (int, error) {
	w, args := q.where()
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM capacity_needs"+w, args...).Scan(&n)
	return n, err
}

// OfferQuery selects offers of a process, newest first.
type OfferQuery struct {
	Process string
	Area    capacity.Area // empty: every area
	// Provider, when set, keeps only that provider's offers.
	Provider capacity.Provider
	Limit    int
	Offset   int
}

func (q OfferQuery) where() (string, []any) {
	var w where
	w.add("process = ?", q.Process)
	w.addIf(q.Area != "", "id IN (SELECT offer_id FROM capacity_offer_areas WHERE area = ?)", string(q.Area))
	w.addIf(q.Provider.State != "", "provider_state = ?", q.Provider.State)
	w.addIf(q.Provider.OrgID != 0, "provider_org = ?", q.Provider.OrgID)
	return w.clause(), w.args
}

// Offers lists the offers q selects, newest first, in one statement.
func (r Reader) Offers(q OfferQuery) ([]capacity.Offer, error) {
	w, args := q.where()
	return queryAll(r.ctx, r.conn, scanOffer, "SELECT "+offerColumns+" FROM capacity_offers"+w+" ORDER BY id DESC"+limit(q.Limit, q.Offset), args...)
}

// CountOffers counts the offers q selects (Limit and Offset aside).
func (r Reader) CountOffers(q OfferQuery) (int, error) {
	w, args := q.where()
	var n int
	err := r.row(r.ctx, "SELECT COUNT(*) FROM capacity_offers"+w, args...).Scan(&n)
	return n, err
}

// OffersInArea reads every offer of the process that covers area, in one
// statement through the area index (ordered by it, so that SQLite reads the
// area's rows first and not every offer of the process): what the
// matching scores for a need. The offers are narrow: the columns the
// matching compares and the title, not the document (no description), so
// that scoring an area's thousand offers does not read and decode a
// thousand documents; OffersByID reads the few shown in full.
func (r Reader) OffersInArea(process string, area capacity.Area) ([]capacity.Offer, error) {
	return queryAll(r.ctx, r.conn, scanNarrowOffer, `SELECT o.id, o.provider_state, o.provider_org, o.kind, o.from_day, o.until_day, o.title, o.areas, o.languages, o.regions
		FROM capacity_offer_areas a JOIN capacity_offers o ON o.id = a.offer_id WHERE a.area = $1 AND o.process = $2 ORDER BY a.offer_id`,
		string(area), process)
}

func scanNarrowOffer(sc interface{ Scan(...any) error }) (capacity.Offer, error) {
	var o capacity.Offer
	var kind, areas, langs, regions string
	err := sc.Scan(&o.ID, &o.Provider.State, &o.Provider.OrgID, &kind, &o.From, &o.Until, &o.Title, &areas, &langs, &regions)
	o.Kind, o.From, o.Until = capacity.OfferKind(kind), o.From.UTC(), o.Until.UTC()
	for _, a := range split(areas) {
		o.Areas = append(o.Areas, capacity.Area(a))
	}
	o.Languages, o.Regions = split(langs), split(regions)
	return o, err
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinAreas(as []capacity.Area) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return strings.Join(out, ",")
}

// OffersByID reads the offers ids names in full, in one statement, by id.
func (r Reader) OffersByID(ids []int64) (map[int64]capacity.Offer, error) {
	out := map[int64]capacity.Offer{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = "$"+itoa64(int64(i+1)), id
	}
	offers, err := queryAll(r.ctx, r.conn, scanOffer, "SELECT "+offerColumns+" FROM capacity_offers WHERE id IN ("+strings.Join(ph, ", ")+")", args...)
	for _, o := range offers {
		out[o.ID] = o
	}
	return out, err
}

func scanInterest(sc interface{ Scan(...any) error }) (capacity.Interest, error) {
	var i capacity.Interest
	var side string
	err := sc.Scan(&i.Need, &i.Offer, &side, &i.At)
	i.Side, i.At = capacity.Side(side), i.At.UTC()
	return i, err
}

// NeedInterests reads the interest expressed in every match of a need (of
// offer, when offer is not 0), oldest first.
func (r Reader) NeedInterests(need, offer int64) ([]capacity.Interest, error) {
	q := "SELECT need_id, offer_id, side, at FROM capacity_interests WHERE need_id = $1"
	args := []any{need}
	if offer != 0 {
		q += " AND offer_id = $2"
		args = append(args, offer)
	}
	return queryAll(r.ctx, r.conn, scanInterest, q+" ORDER BY at, offer_id, side", args...)
}

// limit is the LIMIT and OFFSET clause of a paged list (none when n ≤ 0).
func limit(n, offset int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + itoa64(int64(n)) + " OFFSET " + itoa64(int64(max(offset, 0)))
}

// Need reads need id through the pool.
func (db *DB) Need(ctx context.Context, id int64) (capacity.Need, error) {
	return db.Read(ctx).Need(id)
}
