#!/usr/bin/env bash
# Benchmark: the admin console's goals, each next to a baseline from the same run.
#   1. Initial JavaScript: what the served index.html loads eagerly (entry script + modulepreload),
#      gzip -9, against every JS chunk of the build; CSS on a line of its own.
#   2. Interactive after the login redirect: Debian's chromium (playwright-core) signs in on
#      Keycloak's own page; from the start of the redirected console document's fetch until the
#      agents table has rows and the main thread is free (median of --runs cold sign-ins), against
#      the same document's HTML.
#   3. Agents: --agents rows written straight into the control plane's embedded PostgreSQL, then
#      GET /api/v1/agents (the console's first page of 50), plain and with each filter, --requests
#      times each, curl's time_starttransfer (median, p95), against GET /q/health/live; and every
#      main page of the console opened once, counting the agents it received.
#   4. Upload: a --size random file (in /tmp, deleted afterwards) through the release page's file
#      input (the console's own upload code: parts, PARTS_IN_FLIGHT at a time) and with `curl -T`
#      to the single-request endpoint of the same artifact, in turns,
#      --uploads times each; median MB/s.
#
#   e2e/bench/console.sh [--agents 10000] [--runs 5] [--requests 20] [--size 1G] [--uploads 3] [--no-record]
#
# Starts Keycloak (deploy/keycloak/start.sh) if it is not running, and leaves it running: it is
# shared. Starts its own control plane (packaged jar with the console, demo profile, fresh
# STARLING_HOME, embedded PostgreSQL) on a free port, and stops it. Needs curl, jq, psql, gzip, unzip, node (admin-ui's playwright-core: npm ci there) and
# /usr/bin/chromium (installed with apt-get when missing and run as root).
# Prints a markdown table; records it in docs/benchmarks-history.md unless --no-record. Exits 1
# with a one-line message when a step fails or a goal is missed.
set -euo pipefail
AGENTS=10000 RUNS=5 REQUESTS=20 SIZE=1G UPLOADS=3 RECORD=1
while (($#)); do
  case "$1" in
    --agents) AGENTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --uploads) UPLOADS=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "console.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in AGENTS RUNS REQUESTS UPLOADS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "console.sh: error: --${v,,} must be a positive number, got '${!v}'" >&2; exit 2; }
done
[[ "$SIZE" =~ ^[1-9][0-9]*[KMG]?$ ]] || { echo "console.sh: error: --size must look like 1G or 300M, got '$SIZE'" >&2; exit 2; }

for tool in psql gzip unzip node numfmt bc; do
  command -v "$tool" >/dev/null || { echo "console.sh: error: '$tool' is not installed" >&2; exit 1; }
done
if [[ ! -x /usr/bin/chromium ]]; then
  ((EUID == 0)) || { echo "console.sh: error: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
  echo "console.sh: installing Debian's chromium" >&2
  apt-get install -y -q chromium >/dev/null || { echo "console.sh: error: apt-get could not install chromium" >&2; exit 1; }
fi
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
UI="$REPO/admin-ui"
if [[ ! -d "$UI/node_modules/playwright-core" ]]; then
  (cd "$UI" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null) || bench_die "npm ci in admin-ui failed"
fi
UI_JAR=$(ls "$REPO"/control-plane/target/quarkus-app/lib/main/*starling-admin-ui*.jar 2>/dev/null | head -1 || true)
[[ -n "$UI_JAR" ]] || bench_die "the packaged control plane has no console: ./mvnw -B install -DskipTests (without -Dui.skip)"
unzip -Z1 "$UI_JAR" 'META-INF/resources/index.html' >/dev/null 2>&1 \
  || bench_die "the packaged console is empty (built with -Dui.skip): ./mvnw -B install -DskipTests -pl admin-ui,control-plane"

# Keycloak is shared with other people's tests: started here if it is down, never stopped (so
# bench_start finds it running and leaves it be).
"$REPO/deploy/keycloak/start.sh" >/dev/null || bench_die "Keycloak did not start"
bench_start -Xmx512m ${CP_OPTS:-} # CP_OPTS: more JVM options, for experiments
# The embedded PostgreSQL's port is chosen at start and logged (user and password: postgres).
PG_PORT=$(grep -oE 'Embedded PostgreSQL on port [0-9]+' "$WORK/cp.log" | head -1 | awk '{print $NF}')
[[ -n "$PG_PORT" ]] || bench_die "the control plane did not log its embedded PostgreSQL's port"
SCRATCH=$(mktemp -d /tmp/starling-console-bench.XXXXXX)

# The console's Keycloak client accepts redirects to port 8080 only: this control plane's address
# is allowed for the run (as e2e's Keycloak.allowConsoleAt does for ConsoleIT), and removed after.
console_redirects() { # console_redirects JQ_ARGS... : edits the starling-admin-ui client's redirectUris
  local admin clients client
  admin=$(curl -fsS http://127.0.0.1:8180/realms/master/protocol/openid-connect/token -d grant_type=password \
    -d client_id=admin-cli -d "username=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" \
    -d "password=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" | jq -r .access_token) || return 1
  clients=http://127.0.0.1:8180/admin/realms/starling/clients
  client=$(curl -fsS -H "Authorization: Bearer $admin" "$clients?clientId=starling-admin-ui" | jq '.[0]') || return 1
  jq "$@" <<<"$client" | curl -fsS -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    --data-binary @- "$clients/$(jq -r .id <<<"$client")"
}
trap 'console_redirects --arg u "$BASE/*" ".redirectUris -= [\$u]" || true; rm -rf "$SCRATCH"; bench_cleanup' EXIT INT TERM
console_redirects --arg u "$BASE/*" '.redirectUris |= (. + [$u] | unique)' || bench_die "could not let Keycloak redirect to $BASE"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

gz() { gzip -9 -c | wc -c; }
kb() { echo "scale=1; $1 / 1000" | bc; }
# Nearest-rank statistics of one number a line (as admin-ui/e2e/bench/stats.mjs computes them).
stat_line() { sort -g | awk '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); i=int(0.95*NR); if (i<0.95*NR) i++; printf "%.1f %.1f\n", m*1000, a[i]*1000}'; }

# 1. Initial JavaScript, as the server serves it.
INDEX=$(curl -fsS "$BASE/")
EAGER_JS=0 EAGER_FILES=0 CSS=0
while read -r tag; do
  url=$(grep -oE '(src|href)="[^"]+"' <<<"$tag" | head -1 | cut -d'"' -f2)
  if [[ "$tag" == *'type="module"'* || "$tag" == *'rel="modulepreload"'* ]]; then
    EAGER_JS=$((EAGER_JS + $(curl -fsS "$BASE$url" | gz))); EAGER_FILES=$((EAGER_FILES + 1))
  elif [[ "$tag" == *'rel="stylesheet"'* ]]; then
    CSS=$((CSS + $(curl -fsS "$BASE$url" | gz)))
  fi
done < <(grep -oE '<(script|link)[^>]*>' <<<"$INDEX")
((EAGER_FILES > 0)) || bench_die "index.html loads no script"
ALL_JS=0 ALL_FILES=0
while read -r entry; do
  ALL_JS=$((ALL_JS + $(unzip -p "$UI_JAR" "$entry" | gz))); ALL_FILES=$((ALL_FILES + 1))
done < <(unzip -Z1 "$UI_JAR" 'META-INF/resources/assets/*.js')

# 3. Agents, written straight into the database: enrolling 10,000 through Keycloak takes half an
# hour (see Agent check-ins), and a listing reads only these rows.
AUTH="Authorization: Bearer $(bench_token)"
for i in $(seq 0 9); do
  curl -fsS -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' "$API/sites" \
    -d "{\"name\":\"site-$i\",\"cidrs\":[\"10.$i.0.0/16\"]}" || bench_die "could not create site-$i"
done
echo "console.sh: writing $AGENTS agents into PostgreSQL on port $PG_PORT" >&2
PGPASSWORD=postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -v n="$AGENTS" >/dev/null <<'SQL' \
  || bench_die "could not write the agents into PostgreSQL"
-- Ten sites, two labels each, one agent in twenty revoked, half on office-suite 2.4.1 and half on
-- 2.4.0, check-ins spread over the last ten minutes: what a fleet's listing reads.
insert into agent (id, client_id, hostname, agent_version, site, labels, state, passkey, enrolled_at,
                   last_check_in, last_address, free_disk_bytes, installed_json, revoked_at, revoked_by)
select gen_random_uuid(), 'bench-agent-' || i, 'ws-' || lpad(i::text, 5, '0') || '.corp.example', '0.1.0',
       'site-' || (i % 10), array['floor-' || (i % 5), case when i % 3 = 0 then 'finance' else 'eng' end],
       case when i % 20 = 0 then 'REVOKED' else 'ACTIVE' end, md5('bench-passkey-' || i),
       now() - make_interval(secs => i), now() - make_interval(secs => i % 600),
       '10.' || (i % 10) || '.' || (i / 250 % 250) || '.' || (i % 250), 100000000000,
       json_build_array(json_build_object('product', 'office-suite', 'version',
         case when i % 2 = 0 then '2.4.1' else '2.4.0' end, 'sequence', 1, 'active', true))::text,
       case when i % 20 = 0 then now() end, case when i % 20 = 0 then 'bench' end
from generate_series(1, :n) i;
analyze agent;
SQL
COUNTED=$(curl -fsS -D - -o /dev/null -H "$AUTH" "$API/agents?limit=1" | awk -F': ' 'tolower($1)=="x-total-count" {print $2+0}')
((COUNTED == AGENTS)) || bench_die "the control plane lists $COUNTED agents, not $AGENTS"

time_requests() { # time_requests [curl options] URL -> "median_ms p95_ms" of time_starttransfer
  local i
  for i in $(seq 1 "$REQUESTS"); do curl -fsS -o /dev/null -w '%{time_starttransfer}\n' "$@"; done | stat_line
}
QUERIES=(
  "offset=0&limit=50|first page, no filter (the console's default)"
  "q=ws-0421&offset=0&limit=50|search \`q=ws-0421\` (hostname)"
  "site=site-3&offset=0&limit=50|\`site=site-3\`"
  "state=REVOKED&offset=0&limit=50|\`state=REVOKED\`"
  "installed=office-suite@2.4.1&offset=0&limit=50|\`installed=office-suite@2.4.1\`"
  "label=finance&offset=0&limit=50|\`label=finance\`"
  "q=ws-04&site=site-3&state=ACTIVE&installed=office-suite@2.4.1&offset=0&limit=50|all of \`q=ws-04\`, site, state, installed"
  "offset=$((AGENTS - 50))&limit=50|last page (\`offset=$((AGENTS - 50))\`)"
)
AUTH="Authorization: Bearer $(bench_token)"
# Every query is asked 10 times before any is timed: with 3 warm-up calls each, the first one
# timed paid for the JIT (the medians fell query after query in the order they ran).
for entry in "${QUERIES[@]}"; do
  for _ in $(seq 1 10); do curl -fsS -o /dev/null -H "$AUTH" "$API/agents?${entry%%|*}"; curl -fsS -o /dev/null "$BASE/q/health/live"; done
done
read -r HEALTH_MED HEALTH_P95 < <(time_requests "$BASE/q/health/live")
API_ROWS="" API_WORST=0
for entry in "${QUERIES[@]}"; do
  read -r med p95 < <(time_requests -H "$AUTH" "$API/agents?${entry%%|*}")
  API_ROWS+="| \`GET /api/v1/agents\`: ${entry#*|} | $med ms | $p95 ms |"$'\n'
  API_WORST=$(echo "if ($med > $API_WORST) $med else $API_WORST" | bc)
done

# 2 and 4. The browser.
FILE="$SCRATCH/app.bin"
echo "console.sh: writing a $SIZE random file to upload" >&2
head -c "$SIZE" /dev/urandom >"$FILE"
cat "$FILE" >/dev/null # both contenders read it from a hot page cache
curl -fsS -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' "$API/products" -d '{"name":"bench"}' \
  || bench_die "could not create the product"
RESULT=$(cd "$UI" && CONSOLE_URL="$BASE" RUNS="$RUNS" UPLOADS="$UPLOADS" FILE="$FILE" PRODUCT=bench node e2e/bench/console.mjs) \
  || bench_die "the browser run failed (its last lines are above)"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
login() { jq -r ".login.$1.median | floor" <<<"$RESULT"; }
INTERACTIVE=$(login interactive)
BYTES=$(jq -r .upload.bytes <<<"$RESULT")
mbs() { jq -r "[.upload.$1[]] | sort | (if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end) | $BYTES / . / 1000000" <<<"$RESULT"; }
CURL_MBS=$(mbs curl)
CONSOLE_MBS=$(mbs console)
BARE_MBS=$(mbs bareXhr)
RATIO=$(echo "$CONSOLE_MBS / $CURL_MBS" | bc -l)
each() { jq -r "[.upload.$1[] | $BYTES / . / 1000000 | floor | tostring] | join(\", \")" <<<"$RESULT"; }
PAGE_ROWS=$(jq -r '.pages[] | "| `\(.path)` | \(.requests) | \(.largestLimit) | \(.agents) |"' <<<"$RESULT")
MOST_READ=$(jq -r '[.pages[].agents] | max' <<<"$RESULT")
GREEDY=$(jq -r --argjson n "$AGENTS" '[.pages[] | select(.agents >= $n) | .path] | join(", ")' <<<"$RESULT")

verdict() { if [[ "$1" == 1 ]]; then echo met; else echo "**not met**"; fi; }
JS_MET=$( ((EAGER_JS <= 250000)) && echo 1 || echo 0)
TTI_MET=$( ((INTERACTIVE < 1500)) && echo 1 || echo 0)
API_MET=$( (($(echo "$API_WORST < 300" | bc))) && echo 1 || echo 0)
PAGES_MET=$([[ -z "$GREEDY" ]] && echo 1 || echo 0)
UPLOAD_MET=$( (($(echo "$RATIO >= 0.8" | bc))) && echo 1 || echo 0)

TABLE=$(cat <<T
### Console ($(date -u +%Y-%m-%d), $(nproc) cores shared by chromium, the server, PostgreSQL, Keycloak and other people's builds; load average $LOAD_BEFORE before, $LOAD_AFTER after)

Command: \`e2e/bench/console.sh --agents $AGENTS --runs $RUNS --requests $REQUESTS --size $SIZE --uploads $UPLOADS\`

| goal | measured | baseline (same run) | |
|---|---:|---:|---|
| initial JavaScript ≤ 250 kB gzipped | $(kb "$EAGER_JS") kB ($EAGER_FILES files: entry + modulepreload); CSS $(kb "$CSS") kB more | all $ALL_FILES JS chunks: $(kb "$ALL_JS") kB | $(verdict "$JS_MET") |
| interactive < 1.5 s after the login redirect (median of $RUNS; slowest) | $INTERACTIVE ms; $(jq -r '.login.interactive.max | floor' <<<"$RESULT") ms | the same document's HTML: $(login html) ms; \`/q/health/live\`: $HEALTH_MED ms | $(verdict "$TTI_MET") |
| first page of $AGENTS agents < 300 ms server time (slowest median below) | $API_WORST ms | \`/q/health/live\`: $HEALTH_MED ms | $(verdict "$API_MET") |
| no page reads every agent | at most $MOST_READ of $AGENTS agents on one page${GREEDY:+ (all of them: $GREEDY)} | | $(verdict "$PAGES_MET") |
| $(numfmt --to=iec "$BYTES") upload from the console (in parts, $(jq -r .upload.partsInFlight <<<"$RESULT") in flight) ≥ 0.8 × \`curl -T\` (median of $UPLOADS) | $(printf '%.0f' "$CONSOLE_MBS") MB/s ($(each console)) | \`curl -T\`: $(printf '%.0f' "$CURL_MBS") MB/s ($(each curl)) | $(printf '%.2f ×' "$RATIO"), $(verdict "$UPLOAD_MET") |
| the same file by a bare single \`XMLHttpRequest.send(File)\` from the same page (one browser request's ceiling, for comparison) | $(printf '%.0f' "$BARE_MBS") MB/s ($(each bareXhr)) | | $(printf '%.2f ×' "$(echo "$BARE_MBS / $CURL_MBS" | bc -l)") |

Where the $INTERACTIVE ms go (medians, from the start of the redirected document's fetch, each "done by"): HTML $(login html) ms,
eager scripts $(login scripts) ms, \`/api/v1/ui-config\` $(login uiConfig) ms, token from Keycloak $(login token) ms,
the agents page's chunk $(login pageChunk) ms, first agents page answered $(login agents) ms, table rendered $(login rendered) ms,
main thread free $INTERACTIVE ms.

| \`GET\`, $AGENTS agents, $REQUESTS requests each | time to first byte, median | p95 |
|---|---:|---:|
| baseline: \`/q/health/live\` | $HEALTH_MED ms | $HEALTH_P95 ms |
${API_ROWS%$'\n'}

| console page | agent listing requests | largest \`limit\` | agents received |
|---|---:|---:|---:|
$PAGE_ROWS
T
)
echo "$TABLE"
if ((RECORD)); then bench_record "$TABLE"; fi
MISSED=()
((JS_MET)) || MISSED+=("initial JavaScript")
((TTI_MET)) || MISSED+=("interactive after login")
((API_MET)) || MISSED+=("agents first page")
((PAGES_MET)) || MISSED+=("no page reads every agent ($GREEDY)")
((UPLOAD_MET)) || MISSED+=("upload rate")
if ((${#MISSED[@]})); then
  echo "console.sh: goal not met: $(IFS=,; echo "${MISSED[*]}" | sed 's/,/, /g')" >&2
  exit 1
fi
exit 0
