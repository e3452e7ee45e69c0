package decide_test

import (
	"concord/topic"
	"testing"

	"concord"
	"concord/internal/decide"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// BenchmarkTopicResults193 reads a round whose closed survey has a ballot
// from each of the 193 Member States (ten topics, five ranked each) and
// tallies it per State and with equal weight per regional group: what the
// round page and GET /topics/{id}/tally do.
func BenchmarkTopicResults193(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	if err := seed.Demo(ctx, db); err != nil {
		b.Fatal(err)
	}
	id, err := seed.TopicSurveyScale(ctx, db, "2030", 193)
	if err != nil {
		b.Fatal(err)
	}
	svc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	check := func() topic.SurveyResult {
		rec, err := svc.TopicRound(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		res, err := svc.TopicResults(ctx, rec.Doc)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	if res := check(); res.Open || res.Counted != 193 {
		b.Fatalf("open %v, %d counted", res.Open, res.Counted)
	}
	b.ReportAllocs()
	for b.Loop() {
		check()
	}
}
