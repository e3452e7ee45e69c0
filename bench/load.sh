#!/usr/bin/env bash
# Load test: Concord public pages against a hello-world baseline, on the
# same machine in the same run, with wrk (apt-get install wrk).
# Data: concord seed --scale N (N × 5,000 organisations, 20,000 persons).
# Usage: bench/load.sh [scale] [duration] [connections]
# Set CONCORD_DATABASE_URL=postgres://... to measure on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1}
DURATION=${2:-10s}
CONNS=${3:-200}
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT

go build -o "$OUT/concord" ./cmd/concord
go build -o "$OUT/hello" ./bench/hello
DB=${CONCORD_DATABASE_URL:-$OUT/concord.db}
echo "generated-bench-password" > "$OUT/pw"
"$OUT/concord" seed --scale "$SCALE" --database "$DB" --admin-password-file "$OUT/pw"

"$OUT/concord" serve --database "$DB" --addr 127.0.0.1:8098 --admin-password-file "$OUT/pw" >"$OUT/serve.log" 2>&1 &
SERVER=$!
"$OUT/hello" --addr 127.0.0.1:8099 &
for i in $(seq 1 50); do curl -fs -o /dev/null http://127.0.0.1:8098/healthz && curl -fs -o /dev/null http://127.0.0.1:8099/ && break; sleep 0.2; done

# A signed-in session (pages are rendered for each request, never shared):
# a delegate of France, whose role signs in with a password alone (the
# Secretariat's needs a second factor, which a load test cannot give).
printf '%s\n' generated-bench-password |
  "$OUT/concord" user create -username bench-delegate -role delegate -state FRA --database "$DB" >/dev/null
TOKEN=$(curl -fs -H 'Content-Type: application/json' -d '{"username":"bench-delegate","password":"generated-bench-password"}' \
  http://127.0.0.1:8098/api/v1/sessions | sed -E 's/.*"token":"([^"]+)".*/\1/')
# A token the server refuses would measure its 401 instead of the pages.
if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8098/en/states)" != 200 ]]; then
  echo "bench: signing in failed; the signed-in figures would be of an error page" >&2
  exit 1
fi

# cpu µs/req: the server's own CPU time (user + system, from /proc) over
# the requests it answered; unlike req/s it does not move when other work
# shares the cores, so it is the figure to compare between runs on a busy
# machine. Not measured for hello-world.
printf '%-32s %10s %10s %10s %10s %12s\n' target req/s p50 p99 bytes 'cpu µs/req'
cputicks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
for target in "hello-world|http://127.0.0.1:8099/" \
              "States list|http://127.0.0.1:8098/en/states" \
              "State page|http://127.0.0.1:8098/en/states/FRA" \
              "Organisations list|http://127.0.0.1:8098/en/organizations" \
              "Organisations list p50|http://127.0.0.1:8098/en/organizations?page=50" \
              "API states|http://127.0.0.1:8098/api/v1/states" \
              "signed in: States list|http://127.0.0.1:8098/en/states" \
              "signed in: State page|http://127.0.0.1:8098/en/states/FRA" \
              "signed in: Organisations list|http://127.0.0.1:8098/en/organizations" \
              "signed in: Persons list p100|http://127.0.0.1:8098/en/persons?page=100"; do
  name=${target%%|*}; url=${target#*|}
  auth=()
  if [[ $name == signed* ]]; then auth=(-H "Authorization: Bearer $TOKEN"); fi
  bytes=$(curl -fs "${auth[@]}" "$url" | wc -c)
  curl -fs -o /dev/null "$url" # warm the page cache, as a live site would be
  c0=$(cputicks)
  res=$(wrk -t1 -c"$CONNS" -d"$DURATION" --latency "${auth[@]}" "$url")
  c1=$(cputicks)
  cpu=-
  if [[ $name != hello* ]]; then
    cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' <<<"$res")" 'BEGIN {printf "%.0f", (b - a) * 1e6 / hz / n}')
  fi
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
  p50=$(awk '$1=="50%" {print $2}' <<<"$res")
  p99=$(awk '$1=="99%" {print $2}' <<<"$res")
  errs=$(grep -E 'Non-2xx|Socket errors' <<<"$res" || true)
  printf '%-32s %10s %10s %10s %10s %12s %s\n' "$name" "$rps" "$p50" "$p99" "$bytes" "$cpu" "$errs"
done
