#!/usr/bin/env bash
# Benchmark: agent check-ins per second and their latency, from enrolled agents (each its own
# Keycloak client with a real client-credentials token), with no deployment pending and with one
# pending deployment each (the answer then carries the signed manifest), next to the same HTTP
# stack answering its cheapest endpoint (/q/health/live). Driven by wrk.
#
#   e2e/bench/checkin.sh [--agents 100] [--duration 30] [--connections 64] [--threads 1] [--no-record]
#
# wrk, the control plane, its embedded PostgreSQL and Keycloak share this machine's cores.
set -euo pipefail
AGENTS=100 DURATION=30 CONNECTIONS=64 THREADS=1 RECORD=1
while (($#)); do
  case "$1" in
    --agents) AGENTS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "checkin.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in AGENTS DURATION CONNECTIONS THREADS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "checkin.sh: error: --${v,,} must be a positive number, got '${!v}'" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "checkin.sh: error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
bench_start -Xmx512m ${CP_OPTS:-} # CP_OPTS: more JVM options, for experiments

AUTH="Authorization: Bearer $(bench_token)"
ENROLL=$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/enrollment-tokens" \
  -d "{\"uses\":$AGENTS,\"expiresInSeconds\":3600}" | jq -r .token)
export TOKENS="$WORK/tokens"
: >"$TOKENS"
echo "checkin.sh: enrolling $AGENTS agents (each a Keycloak client) and fetching their tokens" >&2
IDS=()
for i in $(seq 1 "$AGENTS"); do
  E=$(curl -fsS -H 'Content-Type: application/json' "$BASE/api/agent/v1/enroll" \
    -d "{\"token\":\"$ENROLL\",\"hostname\":\"bench-$i\",\"agentVersion\":\"bench\"}")
  IDS+=("$(jq -r .agentId <<<"$E")")
  curl -fsS "$(jq -r .tokenUrl <<<"$E")" -d grant_type=client_credentials \
    --data-urlencode "client_id=$(jq -r .clientId <<<"$E")" --data-urlencode "client_secret=$(jq -r .clientSecret <<<"$E")" \
    | jq -r .access_token >>"$TOKENS"
done
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

Command: \`e2e/bench/checkin.sh --agents $AGENTS --duration $DURATION --connections $CONNECTIONS --threads $THREADS\`
$AGENTS enrolled agents, each with its own Keycloak client-credentials token, called round-robin;
each check-in updates the agent's row and reads its deployments. With a deployment pending, an
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
