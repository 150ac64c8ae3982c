#!/usr/bin/env bash
# Benchmark: tracker announces per second and latency against a swarm of simulated peers,
# driven by wrk, next to the same HTTP stack answering its cheapest endpoint (/q/health/live).
#
#   e2e/bench/tracker.sh [--peers 10000] [--duration 30] [--connections 64] [--threads 1] [--no-record]
#
# wrk and the control plane share this machine's cores; the baseline runs under the same conditions.
set -euo pipefail
PEERS=10000 DURATION=30 CONNECTIONS=64 THREADS=1 RECORD=1
while (($#)); do
  case "$1" in
    --peers) PEERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tracker.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "tracker.sh: error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
# One passkey stands for all the simulated peers: lift the per-passkey cap (8) that would refuse them.
bench_start -Xmx512m -Dstarling.tracker.max-peers-per-passkey=$((PEERS * 2))

AUTH="Authorization: Bearer $(bench_token)"
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products" -d '{"name":"bench"}' >/dev/null
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products/bench/releases" -d '{"version":"1"}' >/dev/null
head -c 1M /dev/urandom >"$WORK/a.bin"
curl -fsS -H "$AUTH" -T "$WORK/a.bin" "$API/products/bench/releases/1/artifacts/a.bin" >/dev/null
HASH=$(curl -fsS -H "$AUTH" -X POST "$API/products/bench/releases/1/publish" | jq -r '.artifacts[0].infoHashV1')
PASSKEY=$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/passkeys" -d '{"owner":"bench"}' | jq -r .passkey)
INFO_HASH=$(echo "$HASH" | sed 's/../%&/g')
export PASSKEY INFO_HASH PEERS
SCRIPT="$(dirname "${BASH_SOURCE[0]}")/tracker-announce.lua"

# Fill the swarm, then warm the JIT.
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$SCRIPT" "$BASE" >/dev/null
run() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@"; }
ANN=$(run -s "$SCRIPT" "$BASE")
ERRS=$(grep -E "Non-2xx|Socket errors" <<<"$ANN" || true)
read -r A_RPS A_P50 A_P99 _ < <(bench_wrk_summary "$ANN")
BASELINE=$(run "$BASE/q/health/live")
read -r B_RPS B_P50 B_P99 _ < <(bench_wrk_summary "$BASELINE")
SWARM=$(curl -fsS --get "$BASE/scrape/$PASSKEY" --data "info_hash=$INFO_HASH" | tr -c '[:print:]' '.')
FAILURES=$(curl -fsS "$MANAGEMENT/q/metrics" | awk '/^starling_tracker_refusals_total/ {print $2}')

TABLE=$(cat <<T
### Tracker announces ($(date -u +%Y-%m-%d), $(nproc) cores shared by wrk and the server)

Command: \`e2e/bench/tracker.sh --peers $PEERS --duration $DURATION --connections $CONNECTIONS --threads $THREADS\`
Swarm: $PEERS simulated peers (every 5th a seed), numwant=50, compact. Scrape after the run: \`$SWARM\`.

| endpoint | requests/s | p50 | p99 |
|---|---:|---:|---:|
| baseline: \`GET /q/health/live\` (same server, same wrk settings) | $B_RPS | $B_P50 | $B_P99 |
| \`GET /announce/{passkey}\` | $A_RPS | $A_P50 | $A_P99 |

Refused announces during the run: ${FAILURES:-0}. ${ERRS:+wrk: $ERRS}
T
)
echo "$TABLE"
((RECORD)) && bench_record "$TABLE"
exit 0
