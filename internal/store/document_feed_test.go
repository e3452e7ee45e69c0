package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"concord"
	"concord/document"
	"concord/internal/store"
	"concord/internal/store/storetest"
	"concord/meeting"
)

// TestDocumentFeed: the feeds' query lists the newest documents the reader
// may see, for the process, a meeting, an author or an agenda item, and an
// edit that changes a document's authors moves it between the authors'
// feeds.
func TestDocumentFeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day := time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)
		m := meeting.Meeting{Process: concord.DefaultProcessCode, Body: meeting.Plenary, Kind: meeting.Substantive,
			Title: concord.Text{"en": "First session"}, Start: day, End: day.Add(4 * time.Hour),
			Zone: meeting.DefaultZone, Venue: "UNHQ", Status: meeting.Scheduled, Attendance: meeting.StatesStakeholders, Session: "GM-2026-1"}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error { return tx.SaveMeeting(&m, "meeting.create") }); err != nil {
			t.Fatal(err)
		}
		item := document.ItemRef{Session: "GM-2026-1", Item: "item-5"}
		dists := []document.Distribution{document.General, document.Restricted, document.General, document.Limited, document.General}
		var docs []document.Document
		for i, dist := range dists {
			d := document.Document{Process: concord.DefaultProcessCode, Symbol: fmt.Sprintf("A/AC.GM/2026/NC.%d", i+1), Type: document.NationalContribution,
				Title: concord.Text{"en": fmt.Sprintf("Contribution %d", i+1)}, Authors: []string{"FRA"}, Date: day, Distribution: dist,
				Versions: []document.Version{{Lang: "en", Status: document.Original, Text: "text"}}}
			if i%2 == 0 {
				d.Meetings, d.Items = []int64{m.ID}, []document.ItemRef{item}
			}
			if err := db.Update(ctx, "test", func(tx *store.Tx) error {
				return tx.SaveRecordDocument(&d, document.GlobalMechanism, nil, "document.publish")
			}); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
		}
		ids := func(q store.FeedQuery) []int64 {
			t.Helper()
			q.Process = concord.DefaultProcessCode
			ds, err := db.Read(ctx).DocumentFeed(q)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out
		}
		public := []document.Distribution{document.General}
		want := func(name string, got []int64, idx ...int) {
			t.Helper()
			var w []int64
			for _, i := range idx {
				w = append(w, docs[i].ID)
			}
			if !slices.Equal(got, w) {
				t.Errorf("%s: %v, want %v", name, got, w)
			}
		}
		want("process", ids(store.FeedQuery{Visible: public, Limit: 10}), 4, 2, 0)
		want("process, limit 2", ids(store.FeedQuery{Visible: public, Limit: 2}), 4, 2)
		want("process, every distribution", ids(store.FeedQuery{Visible: document.Distributions, Limit: 10}), 4, 3, 2, 1, 0)
		want("meeting", ids(store.FeedQuery{Visible: public, Meeting: m.ID, Limit: 10}), 4, 2, 0)
		want("author", ids(store.FeedQuery{Visible: public, Ref: document.AuthorRef("FRA"), Limit: 10}), 4, 2, 0)
		want("item", ids(store.FeedQuery{Visible: public, Ref: item.String(), Limit: 10}), 4, 2, 0)
		want("nobody's", ids(store.FeedQuery{Visible: public, Ref: document.AuthorRef("BRA"), Limit: 10}))
		want("nothing visible", ids(store.FeedQuery{Limit: 10}))

		// An edit replaces the references.
		d := docs[2]
		d.Authors = []string{"BRA"}
		if err := db.Update(ctx, "test", func(tx *store.Tx) error {
			return tx.SaveRecordDocument(&d, document.GlobalMechanism, nil, "document.edit")
		}); err != nil {
			t.Fatal(err)
		}
		want("author after the edit", ids(store.FeedQuery{Visible: public, Ref: document.AuthorRef("FRA"), Limit: 10}), 4, 0)
		want("new author", ids(store.FeedQuery{Visible: public, Ref: document.AuthorRef("BRA"), Limit: 10}), 2)
	})
}
