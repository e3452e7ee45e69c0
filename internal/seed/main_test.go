package seed_test

import (
	"os"
	"testing"

	"concord/internal/seed"
	"concord/internal/store/storetest"
)

// demo is a store the demo was seeded into once per test binary and engine
// (TestDemoAccreditation seeds from empty itself); the tests that read the
// demo's parts copy it and run their part's seed again, which must add
// nothing.
var demo = storetest.NewTemplate("demo", seed.Demo)

// TestMain drops the PostgreSQL template databases the tests built.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
