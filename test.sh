#!/usr/bin/env bash
# Runs every check Concord has: formatting, a tidy go.mod, go vet,
# staticcheck, the Go tests (store tests on SQLite always, and on PostgreSQL
# when a server answers on 127.0.0.1:5432), then the browser and validator
# suite in e2e/. It reads nothing outside the repository; e2e/run.sh names
# what is missing (chromium, java, node >= 20), and .ci/run installs it on a
# fresh Debian machine.
# Usage: ./test.sh            everything
#        ./test.sh -short     Go checks only (no browser)
set -euo pipefail
cd "$(dirname "$0")"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './e2e/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi

echo "== go mod tidy (nothing to change)"
if ! go mod tidy -diff; then
  echo "go.mod or go.sum is not tidy: run 'go mod tidy' and commit the result" >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

if [ -z "${CONCORD_TEST_POSTGRES:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  export CONCORD_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
fi
echo "== go test (PostgreSQL: ${CONCORD_TEST_POSTGRES:-not available, SQLite only})"
go test -count=1 ./...

if [ "${1:-}" = "-short" ]; then
  exit 0
fi
echo "== e2e (browser, accessibility, HTML, OpenAPI and Popolo validators)"
./e2e/run.sh
