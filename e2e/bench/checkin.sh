#!/usr/bin/env bash
# Benchmark: agent check-ins per second and their latency, from enrolled agents (each its own
# Keycloak client with a real client-credentials token), with no deployment pending and with one
# pending deployment each (the answer then carries the signed manifest), next to the same HTTP
# stack answering its cheapest endpoint (/q/health/live). Driven by wrk.
#
#   e2e/bench/checkin.sh [--agents 100] [--duration 30] [--connections 64] [--threads 1]
#                        [--enroll-jobs 1] [--no-record]
#
# --enroll-jobs N enrolls N agents at once (each still its own Keycloak client with a real
# token): one at a time, 10,000 agents take long (see docs/benchmarks.md).
# wrk, the control plane, its embedded PostgreSQL and Keycloak share this machine's cores.
set -euo pipefail
AGENTS=100 DURATION=30 CONNECTIONS=64 THREADS=1 RECORD=1 ENROLL_JOBS=1
while (($#)); do
  case "$1" in
    --agents) AGENTS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --enroll-jobs) ENROLL_JOBS=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "checkin.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in AGENTS DURATION CONNECTIONS THREADS ENROLL_JOBS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "checkin.sh: error: --$(tr _ - <<<"${v,,}") must be a positive number, got '${!v}'" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "checkin.sh: error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
bench_start -Xmx512m ${CP_OPTS:-} # CP_OPTS: more JVM options, for experiments

AUTH="Authorization: Bearer $(bench_token)"
# One enrollment token per enrolling job: an enrollment holds its token's row lock while Keycloak
# creates the client, so enrollments with one token run one at a time whatever --enroll-jobs says.
PER_TOKEN=$(((AGENTS + ENROLL_JOBS - 1) / ENROLL_JOBS))
ENROLL_TOKENS=()
for _ in $(seq 1 "$ENROLL_JOBS"); do
  ENROLL_TOKENS+=("$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/enrollment-tokens" \
    -d "{\"uses\":$PER_TOKEN,\"expiresInSeconds\":7200}" | jq -r .token)")
done
export TOKENS="$WORK/tokens"
: >"$TOKENS"
echo "checkin.sh: enrolling $AGENTS agents (each a Keycloak client), $ENROLL_JOBS at a time, and fetching their tokens" >&2
enroll_one() { # enroll_one N ENROLLMENT_TOKEN -> "agentId clientId clientSecret tokenUrl"
  curl -fsS --retry 60 --retry-delay 3 --retry-all-errors -H 'Content-Type: application/json' "$BASE/api/agent/v1/enroll" \
    -d "{\"token\":\"$2\",\"hostname\":\"bench-$1\",\"agentVersion\":\"bench\"}" \
    | jq -r '"\(.agentId) \(.clientId) \(.clientSecret) \(.tokenUrl)"'
}
token_one() { # token_one clientId clientSecret tokenUrl -> access token
  curl -fsS --retry 60 --retry-delay 3 --retry-all-errors "$3" -d grant_type=client_credentials --data-urlencode "client_id=$1" --data-urlencode "client_secret=$2" \
    | jq -r .access_token
}
# Both are retried: a Keycloak restarted by something else on the machine answers 503 meanwhile,
# and a refused enrollment keeps its token's use.
export -f enroll_one token_one
export BASE
ENROLL_START=$SECONDS
for i in $(seq 1 "$AGENTS"); do echo "$i ${ENROLL_TOKENS[$((i % ENROLL_JOBS))]}"; done \
  | xargs -P "$ENROLL_JOBS" -n 2 bash -c 'enroll_one "$@"' _ >"$WORK/enrolled"
ENROLL_SECONDS=$((SECONDS - ENROLL_START))
(($(awk 'NF == 4' "$WORK/enrolled" | wc -l) == AGENTS)) || bench_die "not every agent enrolled"
# Tokens last 5 minutes (the realm's accessTokenLifespan): all are fetched after the enrolment,
# which may take longer than that, and the runs below fit in what is left.
awk '{print $2, $3, $4}' "$WORK/enrolled" | xargs -P "$ENROLL_JOBS" -n 3 bash -c 'token_one "$@"' _ >"$TOKENS"
(($(grep -c '^ey' "$TOKENS") == AGENTS)) || bench_die "not every agent got a token"
mapfile -t IDS < <(awk '{print $1}' "$WORK/enrolled")
echo "checkin.sh: enrolled $AGENTS agents in ${ENROLL_SECONDS}s, tokens after $((SECONDS - ENROLL_START))s" >&2
SCRIPT="$(dirname "${BASH_SOURCE[0]}")/checkin.lua"

run() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@"; }

# Warm the JIT and the pools: the check-in path runs through Hibernate, Narayana and OIDC, and
# C2 was still taking a fifth of the CPU 50 s into a run; 10 s of warm-up gave a third less.
wrk -t"$THREADS" -c"$CONNECTIONS" -d30s -s "$SCRIPT" "$BASE" >/dev/null
read -r I_RPS I_P50 I_P99 I_BAD < <(bench_wrk_summary "$(run -s "$SCRIPT" "$BASE")")

# A rollout in flight: one deployment per agent, so every answer carries the signed manifest.
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products" -d '{"name":"bench"}' >/dev/null
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products/bench/releases" \
  -d '{"version":"1.0","install":{"command":["sh","-c","true"]}}' >/dev/null
head -c 1M /dev/urandom >"$WORK/a.bin"
curl -fsS -H "$AUTH" -T "$WORK/a.bin" "$API/products/bench/releases/1.0/artifacts/a.bin" >/dev/null
curl -fsS -H "$AUTH" -X POST "$API/products/bench/releases/1.0/publish" >/dev/null
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/deployments" \
  -d "$(jq -cn --argjson ids "$(printf '%s\n' "${IDS[@]}" | jq -R . | jq -s .)" '{product:"bench",version:"1.0",agentIds:$ids}')" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$SCRIPT" "$BASE" >/dev/null # the new answer's code paths
read -r D_RPS D_P50 D_P99 D_BAD < <(bench_wrk_summary "$(run -s "$SCRIPT" "$BASE")")
SIZE=$(curl -fsS -H "Authorization: Bearer $(head -1 "$TOKENS")" -H 'Content-Type: application/json' \
  "$BASE/api/agent/v1/check-in" -d '{"agentVersion":"bench"}' | wc -c)

read -r B_RPS B_P50 B_P99 B_BAD < <(bench_wrk_summary "$(run "$BASE/q/health/live")")

TABLE=$(cat <<T
### Agent check-ins ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, the server, PostgreSQL and Keycloak)

Command: \`e2e/bench/checkin.sh --agents $AGENTS --duration $DURATION --connections $CONNECTIONS --threads $THREADS --enroll-jobs $ENROLL_JOBS\`
$AGENTS enrolled agents (enrolled in ${ENROLL_SECONDS} s, $ENROLL_JOBS at a time), each with its own Keycloak client-credentials token, called round-robin;
each check-in reads the agent and its deployments (from the control plane's cache once warm) and
hands its facts to the write-behind batch. With a deployment pending, an
answer is $SIZE bytes (the signed manifest, base64).

| endpoint | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|
| baseline: \`GET /q/health/live\` (same server, same wrk settings) | $B_RPS | $B_P50 | $B_P99 | $B_BAD |
| \`POST /api/agent/v1/check-in\`, nothing pending | $I_RPS | $I_P50 | $I_P99 | $I_BAD |
| \`POST /api/agent/v1/check-in\`, one deployment pending each | $D_RPS | $D_P50 | $D_P99 | $D_BAD |
T
)
echo "$TABLE"
((RECORD)) && bench_record "$TABLE"
exit 0
