package search_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"concord"
	"concord/internal/search"
	"concord/internal/seed"
	"concord/internal/store"
	"concord/internal/store/storetest"
)

// scaleQueries are a one-word and a three-word search in each language,
// on words of the seed's texts (the one-word ones in about one document
// in four, in every version).
var scaleQueries = []struct{ lang, one, three string }{
	{"en", "confidence", "confidence-building measures Chair"},
	{"fr", "confiance", "mesures de confiance"},
	{"es", "confianza", "fomento confianza medidas"},
	{"ru", "доверия", "меры укрепления доверия"},
	{"zh", "信任", "建立信任措施"},
	{"ar", "الثقة", "تدابير بناء الثقة"},
}

// TestSearchAtScale times searches over seed --scale 1 (10,000 documents
// in six versions, besides the States and the demo-less registry): p50 and
// p95 of the whole service call (counts, page, snippets) for the public,
// in each language, for doc/performance.md. It runs only when
// CONCORD_SEARCH_SCALE is set (it seeds for a minute); no timing is
// asserted, but the statements per search are.
func TestSearchAtScale(t *testing.T) {
	if os.Getenv("CONCORD_SEARCH_SCALE") == "" {
		t.Skip("set CONCORD_SEARCH_SCALE=1 to time searches at scale")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Now()
		if err := seed.ScaleDocuments(ctx, db, rand.New(rand.NewPCG(1, 42)), 0); err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded and indexed 10,000 documents in %v", time.Since(start).Round(time.Millisecond))
		svc := &search.Service{DB: db}
		const runs = 40
		for _, q := range scaleQueries {
			for _, text := range []string{q.one, q.three} {
				var times, cpus []time.Duration
				var total int
				for i := range runs {
					before := db.Queries()
					c0, t0 := cpu(), time.Now()
					res, err := svc.Search(ctx, (*concord.User)(nil), search.Query{Text: text, Page: 1 + i%3})
					times, cpus = append(times, time.Since(t0)), append(cpus, cpu()-c0)
					if err != nil {
						t.Fatal(err)
					}
					if n := db.Queries() - before; n != 2 {
						t.Errorf("%q: %d statements", text, n)
					}
					total = res.Total
				}
				slices.Sort(times)
				slices.Sort(cpus)
				t.Logf("%s %-40q found %6d  wall p50 %6.1f ms p95 %6.1f ms  cpu p50 %6.1f ms p95 %6.1f ms", q.lang, text, total,
					ms(times[len(times)/2]), ms(times[len(times)*95/100]), ms(cpus[len(cpus)/2]), ms(cpus[len(cpus)*95/100]))
			}
		}
	})
}

// cpu is the CPU time this process used so far (user and system): on a
// shared machine, what a search costs apart from waiting for a core.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
