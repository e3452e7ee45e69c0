#!/usr/bin/env bash
# Browser, accessibility and validator suite for Concord.
#
# Run from anywhere (usually the repo root): ./e2e/run.sh
# Builds the server, seeds a throw-away database with the demo data and the
# test accounts (delegates of France and Germany, a Chair), keeps a copy of it
# as a template, starts the server on a free loopback port, runs the node:test
# specs in e2e/ against it, and stops the server on exit. Specs that move the
# clock (accreditation.spec.mjs) start servers of their own on copies of the
# template (see lib.mjs, ConcordServer); those are stopped on exit as well.
# Exit status: 0 only if every check passed.
#
# Needs: go, node >= 20 + npm, java (for the Nu HTML Checker) and
# /usr/bin/chromium (Debian: apt-get install -y chromium).
# Optional environment: E2E_SPECS="a11y.spec.mjs ..." to run a subset,
# E2E_KEEP=1 to keep the temporary data directory.
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/.." && pwd)"
OUT="$E2E/output"
export PUPPETEER_SKIP_DOWNLOAD=1

log() { printf '[e2e] %s\n' "$*" >&2; }

# --- prerequisites: fail loudly, never skip ---------------------------------
missing=0
for tool in go node npm curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then log "ERROR: '$tool' is not installed"; missing=1; fi
done
if [[ ! -x /usr/bin/chromium ]]; then
  log "ERROR: /usr/bin/chromium is missing (Debian: apt-get install -y chromium; never 'npx playwright install')"
  missing=1
fi
# java is checked again by validators.spec.mjs, which fails (not skips) without it.
if ! command -v java >/dev/null 2>&1; then
  log "WARNING: 'java' is not installed: the HTML-validity (vnu) checks will FAIL"
fi
((missing == 0)) || exit 2

# --- node dependencies (pinned in package-lock.json) ------------------------
if [[ ! -d "$E2E/node_modules" || "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]]; then
  log "installing node dependencies (npm ci)"
  (cd "$E2E" && npm ci --no-audit --no-fund)
fi

# --- build -------------------------------------------------------------------
rm -rf "$OUT"
mkdir -p "$OUT/screenshots"
log "building concord"
(cd "$ROOT" && go build -o "$OUT/concord" ./cmd/concord)

# The server reads CONCORD_* variables as flag defaults: keep the caller's
# environment out of the run (CONCORD_SECURE=true would break plain-HTTP login).
# (CONCORD_CLOCK_OFFSET would shift every deadline.) lib.mjs drops them too.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^CONCORD_' || true)

DIR="$(mktemp -d "${TMPDIR:-/tmp}/concord-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # Servers the specs started and did not stop (a crashed or killed spec):
  # each pid file names one process that lib.mjs spawned.
  local f pid
  for f in "$DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^$OUT/concord serve "; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  if [[ "${E2E_KEEP:-}" == 1 ]]; then log "kept data directory $DIR"; else rm -rf "$DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

randpw() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20; }
ADMIN_PW="$(randpw)"
DELEGATE_PW="$(randpw)"
DELEGATE_DEU_PW="$(randpw)"
CHAIR_PW="$(randpw)"
PWFILE="$DIR/admin-password"
(umask 077 && printf '%s\n' "$ADMIN_PW" >"$PWFILE")

log "seeding demo data into $DIR/concord.db"
"$OUT/concord" seed --demo --database "$DIR/concord.db" --admin-password-file "$PWFILE" >"$OUT/seed.log" 2>&1 ||
  { cat "$OUT/seed.log" >&2; log "ERROR: seed failed"; exit 1; }
mkuser() { # password username role [flags...]
  local pw="$1" name="$2"
  shift 2
  printf '%s\n' "$pw" |
    "$OUT/concord" user create -username "$name" -role "$@" --database "$DIR/concord.db" >>"$OUT/seed.log" 2>&1 ||
    { cat "$OUT/seed.log" >&2; log "ERROR: creating $name failed"; exit 1; }
}
mkuser "$DELEGATE_PW" delegate-fra delegate -state FRA
mkuser "$DELEGATE_DEU_PW" delegate-deu delegate -state DEU
mkuser "$CHAIR_PW" chair chair
# The template that specs with servers of their own copy (no process has the
# database open now, so a file copy is consistent).
for f in "$DIR"/concord.db*; do cp "$f" "$DIR/template${f#"$DIR"/concord}"; done

# A free loopback port: the kernel picks one, we release it and hand it on.
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"
BASE_URL="http://127.0.0.1:$PORT"

log "starting server on $BASE_URL (log: $OUT/server.log)"
# Run the binary directly so that $! is the server's own PID.
"$OUT/concord" serve --database "$DIR/concord.db" --addr "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!

deadline=$((SECONDS + 30))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/healthz" || true)" == 200 ]]; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$OUT/server.log" >&2
    log "ERROR: the server exited before answering /healthz"
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    cat "$OUT/server.log" >&2
    log "ERROR: /healthz did not answer 200 within 30 s"
    exit 1
  fi
  sleep 0.2
done
log "server is up (pid $SERVER_PID)"

# Every spec in e2e/ unless E2E_SPECS names some.
read -r -a SPECS <<<"${E2E_SPECS:-$(cd "$E2E" && echo *.spec.mjs)}"
log "running: node --test ${SPECS[*]}"
set +e
(cd "$E2E" && BASE_URL="$BASE_URL" ADMIN_PW="$ADMIN_PW" DELEGATE_PW="$DELEGATE_PW" \
  DELEGATE_DEU_PW="$DELEGATE_DEU_PW" CHAIR_PW="$CHAIR_PW" \
  CONCORD_BIN="$OUT/concord" E2E_TEMPLATE_DB="$DIR/template.db" E2E_WORK_DIR="$DIR" \
  REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec "${SPECS[@]}")
rc=$?
set -e
if ((rc != 0)); then
  log "FAILED (exit $rc). Screenshots: $OUT/screenshots  server log: $OUT/server.log"
  exit "$rc"
fi
log "all checks passed. Screenshots: $OUT/screenshots"
