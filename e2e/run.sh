#!/usr/bin/env bash
# Browser, accessibility and validator suite for Concord.
#
# Run from anywhere (usually the repo root): ./e2e/run.sh
# Builds the server, seeds a throw-away database with the demo data and the
# test accounts (delegates of France and Germany, a Chair) and keeps it as a
# template. Each spec file then runs in a node process of its own against a
# server of its own, on its own copy of the template, several files at a time
# (E2E_JOBS); specs that move the clock (accreditation, topics) start further
# servers on copies of the template (see lib.mjs, ConcordServer). Every
# server is stopped on exit. Exit status: 0 only if every check passed.
#
# Needs: go, node >= 20 + npm, curl, bash >= 5.1, java (for the Nu HTML
# Checker) and /usr/bin/chromium (Debian: apt-get install -y chromium
# chromium-headless-shell default-jre-headless; ../.ci/run installs them; the
# headless shell is optional but halves the suite's time).
# Optional environment: E2E_SPECS="a11y.spec.mjs ..." to run a subset,
# E2E_JOBS=N spec files at a time (default: the number of cores, 2 to 4),
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
if command -v node >/dev/null 2>&1 && ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  log "ERROR: node >= 20 is needed (found $(node --version)); see e2e/package.json, \"engines\""
  missing=1
fi
if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
  log "ERROR: bash >= 5.1 is needed (found $BASH_VERSION): the spec jobs use 'wait -n -p'"
  missing=1
fi
if [[ ! -x /usr/bin/chromium ]]; then
  log "ERROR: /usr/bin/chromium is missing (Debian: apt-get install -y chromium; never 'npx playwright install')"
  missing=1
fi
# lib.mjs runs the checks in Debian's old headless shell when it is there:
# half the CPU of the full browser, the same rendering engine.
if [[ ! -x /usr/bin/chromium-headless-shell ]]; then
  log "WARNING: /usr/bin/chromium-headless-shell is missing: the suite runs in the full chromium, about twice as slow (Debian: apt-get install -y chromium-headless-shell)"
fi
# java is checked again by validators.spec.mjs, which fails (not skips) without it.
if ! command -v java >/dev/null 2>&1; then
  log "WARNING: 'java' is not installed: the HTML-validity (vnu) checks will FAIL (Debian: apt-get install -y default-jre-headless)"
fi
((missing == 0)) || exit 2

# --- node dependencies (pinned in package-lock.json) ------------------------
if [[ ! -d "$E2E/node_modules" || "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]]; then
  log "installing node dependencies (npm ci)"
  (cd "$E2E" && npm ci --no-audit --no-fund)
fi

freeport() { # a free loopback port: the kernel picks one, we release it and hand it on
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'
}

rm -rf "$OUT"
mkdir -p "$OUT/screenshots"

# The server reads CONCORD_* variables as flag defaults: keep the caller's
# environment out of the run (CONCORD_SECURE=true would break plain-HTTP login).
# (CONCORD_CLOCK_OFFSET would shift every deadline.) lib.mjs drops them too.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^CONCORD_' || true)

DIR="$(mktemp -d "${TMPDIR:-/tmp}/concord-e2e.XXXXXX")"
declare -A JOB_SPEC=() JOB_START=() # the running spec jobs: pid -> job (spec file[@lang]), start time
VNU_PID=
cleanup() {
  local rc=$?
  # Spec jobs still running (interrupted): their node and concord processes,
  # then the job itself.
  local job
  for job in "${!JOB_SPEC[@]}"; do
    pkill -TERM -P "$job" 2>/dev/null || true
    kill "$job" 2>/dev/null || true
  done
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
  if [[ -n "$VNU_PID" ]]; then kill "$VNU_PID" 2>/dev/null || true; fi
  if [[ "${E2E_KEEP:-}" == 1 ]]; then log "kept data directory $DIR"; else rm -rf "$DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the Nu HTML Checker: one service for the whole run ----------------------
# The specs send it the HTML of the pages they check (lib.mjs, E2E_VNU_URL)
# instead of starting a JVM each (~3 s of CPU apiece, some 30 a run). It
# reads the HTML specification at start-up, meanwhile concord builds and
# seeds. The C1 compiler alone suits a JVM that lives a few minutes.
# Its port is taken below the kernel's ephemeral range (where freeport's, the
# servers', come from): vnu binds only once it has read the specification,
# and a port released by freeport could meanwhile be handed to a server.
lowport() { # a free loopback port in 20000-29999
  node -e 'const net=require("net");const t=()=>{const p=20000+Math.floor(Math.random()*10000);const s=net.createServer();s.once("error",t);s.listen(p,"127.0.0.1",()=>{process.stdout.write(String(p));s.close()})};t()'
}
if command -v java >/dev/null 2>&1; then
  VNU_PORT="$(lowport)"
  java -Xss4m -Xmx1g -XX:TieredStopAtLevel=1 -Dnu.validator.servlet.bind-address=127.0.0.1 \
    -cp "$E2E/node_modules/vnu-jar/build/dist/vnu.jar" nu.validator.servlet.Main "$VNU_PORT" >"$OUT/vnu.log" 2>&1 &
  VNU_PID=$!
  export E2E_VNU_URL="http://127.0.0.1:$VNU_PORT"
fi

# --- build -------------------------------------------------------------------
log "building concord"
(cd "$ROOT" && go build -o "$OUT/concord" ./cmd/concord)

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
# Their roles require two-factor sign-in: enrol both with one secret, from
# which lib.mjs computes the codes (signIn, apiToken).
TOTP_SECRET="$(head -c 20 /dev/urandom | base32 | tr -d '=\n')"
(umask 077 && printf '%s\n' "$TOTP_SECRET" >"$DIR/totp-secret")
for u in admin chair; do
  "$OUT/concord" user totp -username "$u" --totp-secret-file "$DIR/totp-secret" --database "$DIR/concord.db" >>"$OUT/seed.log" 2>&1 ||
    { cat "$OUT/seed.log" >&2; log "ERROR: enrolling $u in two-factor sign-in failed"; exit 1; }
done
# The template that specs with servers of their own copy (no process has the
# database open now, so a file copy is consistent).
for f in "$DIR"/concord.db*; do cp "$f" "$DIR/template${f#"$DIR"/concord}"; done

# Each spec file runs in its own node process against its own server, on its
# own copy of the template: the files share no data, so they can run side by
# side (E2E_JOBS at a time; the longest first, so that the last to start is
# short). Each file's report goes to output/<spec>.log and is printed when the
# file ends, with its time.
# run_spec JOB: serve a copy of the template, run the job's spec file against
# it, stop the server; exit status that of node --test. A job is a spec file,
# or SPEC@LANG for a file run once per language (E2E_LANGS, see PER_LANG).
# Runs as a background job, so that the server and node are the job's own
# children (see cleanup).
job_name() { # JOB -> the name of its log, server and data: accreditation.en
  local spec="${1%@*}" lang=""
  [[ "$1" == *@* ]] && lang=".${1#*@}"
  printf '%s%s' "${spec%.spec.mjs}" "$lang"
}
run_spec() {
  local spec="${1%@*}" name langs="en ar"
  name="$(job_name "$1")"
  [[ "$1" == *@* ]] && langs="${1#*@}"
  local dir="$DIR/spec-$name" port pid rc
  mkdir -p "$dir" "$DIR/pids"
  for f in "$DIR"/template.db*; do cp "$f" "$dir/concord${f#"$DIR"/template}"; done
  # The key that seals the TOTP secrets lives beside the database; a copy
  # of the database needs it too (the server refuses to start without).
  cp "$DIR/secret.key" "$dir/secret.key"
  set +e # from here on, the server is stopped whatever happens
  port="$(freeport)"
  # Run the binary directly so that $! is the server's own PID (run.sh's
  # clean-up kills it through the pid file if this job is interrupted).
  "$OUT/concord" serve --database "$dir/concord.db" --addr "127.0.0.1:$port" >"$OUT/server-$name.log" 2>&1 &
  pid=$!
  echo "$pid" >"$DIR/pids/run-$name.pid"
  local deadline=$((SECONDS + 30))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true)" == 200 ]]; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "ERROR: the server for $spec did not answer /healthz within 30 s:" >&2
      cat "$OUT/server-$name.log" >&2
      kill "$pid" 2>/dev/null
      return 1
    fi
    sleep 0.2
  done
  cd "$E2E"
  BASE_URL="http://127.0.0.1:$port" ADMIN_PW="$ADMIN_PW" DELEGATE_PW="$DELEGATE_PW" \
    DELEGATE_DEU_PW="$DELEGATE_DEU_PW" CHAIR_PW="$CHAIR_PW" TOTP_SECRET="$TOTP_SECRET" \
    CONCORD_BIN="$OUT/concord" E2E_TEMPLATE_DB="$DIR/template.db" E2E_WORK_DIR="$DIR" E2E_LANGS="$langs" E2E_JOB="$name" \
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "$spec"
  rc=$?
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$DIR/pids/run-$name.pid"
  return "$rc"
}

# Every spec in e2e/ unless E2E_SPECS names some; the known long ones first.
# The files of PER_LANG run as one job per language (each job's LANGS, in
# lib.mjs, then holds one language): their two journeys are the longest of
# the suite, and as two jobs they spread over the cores like the rest
# instead of ending the run as one long file.
PER_LANG=" accreditation.spec.mjs topics.spec.mjs "
read -r -a SPECS <<<"${E2E_SPECS:-$(cd "$E2E" && echo *.spec.mjs)}"
ORDERED=()
for s in accreditation.spec.mjs journey.spec.mjs topics.spec.mjs decisions.spec.mjs a11y.spec.mjs briefers.spec.mjs cofacilitators.spec.mjs agendas.spec.mjs decisions-demo.spec.mjs; do
  for x in "${SPECS[@]}"; do [[ "$x" == "$s" ]] && ORDERED+=("$s"); done
done
for x in "${SPECS[@]}"; do [[ " ${ORDERED[*]} " == *" $x "* ]] || ORDERED+=("$x"); done
RUN=()
for x in "${ORDERED[@]}"; do
  if [[ "$PER_LANG" == *" $x "* ]]; then RUN+=("$x@en" "$x@ar"); else RUN+=("$x"); fi
done
JOBS="${E2E_JOBS:-$(($(nproc) < 2 ? 2 : $(nproc) > 4 ? 4 : $(nproc)))}"
log "running ${#ORDERED[@]} spec files as ${#RUN[@]} jobs, $JOBS at a time: ${RUN[*]}"

FAILED=()
# reap: wait for one job to end, print its report and record its result.
reap() {
  local done_pid rc
  set +e
  wait -n -p done_pid "${!JOB_SPEC[@]}"
  rc=$?
  set -e
  local job="${JOB_SPEC[$done_pid]}"
  printf '\n[e2e] ===== %s: %s after %d s =====\n' "$job" "$( ((rc == 0)) && echo passed || echo "FAILED (exit $rc)")" \
    $((SECONDS - JOB_START[$done_pid])) >&2
  cat "$OUT/$(job_name "$job").log"
  ((rc == 0)) || FAILED+=("$job")
  unset "JOB_SPEC[$done_pid]" "JOB_START[$done_pid]"
}
for job in "${RUN[@]}"; do
  while ((${#JOB_SPEC[@]} >= JOBS)); do reap; done
  run_spec "$job" >"$OUT/$(job_name "$job").log" 2>&1 &
  JOB_SPEC[$!]="$job"
  JOB_START[$!]=$SECONDS
done
while ((${#JOB_SPEC[@]} > 0)); do reap; done

# Where the specs' time went, per kind of work (lib.mjs, timed), summed over
# the jobs: the first place to look when the suite gets slower.
if compgen -G "$OUT/timing/*.json" >/dev/null; then
  node -e '
    const fs = require("fs"), dir = process.argv[1], sum = {};
    for (const f of fs.readdirSync(dir)) for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(dir + "/" + f)))) {
      const e = sum[k] ??= { n: 0, ms: 0 }; e.n += v.n; e.ms += v.ms;
    }
    const parts = Object.entries(sum).sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k} ${(v.ms / 1000).toFixed(0)} s (${v.n})`);
    console.error("[e2e] time in the specs, summed over the jobs: " + parts.join(", "));
  ' "$OUT/timing"
fi

if ((${#FAILED[@]})); then
  log "FAILED: ${FAILED[*]}. Reports: $OUT/<spec>[.<lang>].log  screenshots: $OUT/screenshots  server logs: $OUT/server-*.log"
  exit 1
fi
log "all checks passed in $SECONDS s. Screenshots: $OUT/screenshots"
