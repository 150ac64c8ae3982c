#!/usr/bin/env bash
# Benchmark: what an idle agent costs while it seeds one installed release — resident memory and
# CPU over a window (default 10 minutes) — next to plain libtorrent (python3-libtorrent, no JVM)
# seeding the same file in the same window, as the baseline.
#
#   e2e/bench/idle-agent.sh [--duration 600] [--size 64M] [--no-record]
#
# Starts Keycloak (deploy/keycloak/start.sh) if it is not running and its own control plane on a
# free port; enrolls one agent with the JVM options of deploy/agent/starling-agent.service,
# installs a release on it, then samples /proc every 5 s. Goal: <= 150 MB resident, < 1 % of a core.
set -euo pipefail

DURATION=600 SIZE=64M RECORD=1
while (($#)); do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "idle-agent.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] && ((DURATION >= 10)) || { echo "idle-agent.sh: error: --duration must be >= 10 seconds" >&2; exit 2; }
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null \
  || { echo "idle-agent.sh: error: python3-libtorrent is not installed (apt-get install python3-libtorrent)" >&2; exit 1; }

# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
AGENT_JAR="$REPO/agent/target/starling-agent-0.1.0-SNAPSHOT-runner.jar"
[[ -f "$AGENT_JAR" ]] || (cd "$REPO" && ./mvnw -B -q -DskipTests -pl agent -am install) || bench_die "agent build failed"
bench_start
AGENT_PID="" BASELINE_PID=""
cleanup_all() {
  [[ -n "$AGENT_PID" ]] && { kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null || true; }
  [[ -n "$BASELINE_PID" ]] && { kill "$BASELINE_PID" 2>/dev/null; wait "$BASELINE_PID" 2>/dev/null || true; }
  bench_cleanup
}
trap cleanup_all EXIT INT TERM

AUTH="Authorization: Bearer $(bench_token)"
post() { curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API$1" -d "$2"; }
head -c "$SIZE" /dev/urandom >"$WORK/idle.bin"
post /products '{"name":"idle"}' >/dev/null
post /products/idle/releases '{"version":"1.0"}' >/dev/null
curl -fsS -H "$AUTH" -T "$WORK/idle.bin" "$API/products/idle/releases/1.0/artifacts/idle.bin" >/dev/null
curl -fsS -H "$AUTH" -X POST "$API/products/idle/releases/1.0/publish" >/dev/null
ENROLL=$(post /enrollment-tokens '{"uses":1}' | jq -r .token)

# The JVM options of the systemd unit, so that the number is what a workstation sees.
JVM_OPTS=$(sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$REPO/deploy/agent/starling-agent.service")
[[ -n "$JVM_OPTS" ]] || bench_die "no JAVA_OPTS in deploy/agent/starling-agent.service"
export STARLING_AGENT_STATE_DIR="$WORK/agent/state" STARLING_AGENT_INSTALL_ROOT="$WORK/agent/installed"
export STARLING_AGENT_SWARM_LISTEN_INTERFACE="127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
java -jar "$AGENT_JAR" enroll --server "$BASE" --token "$ENROLL" >/dev/null
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 java $JVM_OPTS -jar "$AGENT_JAR" run >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
AGENT_ID=$(jq -r .agentId "$STARLING_AGENT_STATE_DIR/identity.json")
post /deployments "{\"product\":\"idle\",\"version\":\"1.0\",\"agentIds\":[\"$AGENT_ID\"]}" >/dev/null
echo "idle-agent.sh: waiting for the agent to install the release (its first check-in may take a minute)" >&2
for _ in $(seq 1 300); do
  state=$(curl -fsS -H "Authorization: Bearer $(bench_token)" "$API/agents/$AGENT_ID/deployments" | jq -r '.[0].state // empty')
  [[ "$state" == INSTALLED ]] && break
  [[ "$state" == FAILED ]] && bench_die "the deployment failed: $(tail -5 "$WORK/agent.log")"
  kill -0 "$AGENT_PID" 2>/dev/null || bench_die "the agent died: $(tail -20 "$WORK/agent.log")"
  sleep 1
done
[[ "$state" == INSTALLED ]] || bench_die "the release was not installed within 5 minutes"

# Baseline: libtorrent itself seeding the same file, no JVM, no control-plane traffic.
curl -fsS -H "Authorization: Bearer $(bench_token)" "$API/products/idle/releases/1.0/artifacts/idle.bin/torrent?webSeed=false" \
  -o "$WORK/idle.torrent"
cat >"$WORK/seed.py" <<'PY'
import sys, time, libtorrent as lt
s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,
                'enable_upnp': False, 'enable_natpmp': False})
p = lt.add_torrent_params()
p.ti = lt.torrent_info(sys.argv[1])
p.save_path = sys.argv[2]
p.flags |= lt.torrent_flags.seed_mode
s.add_torrent(p)
while True:
    time.sleep(3600)
PY
/usr/bin/python3 "$WORK/seed.py" "$WORK/idle.torrent" "$WORK" >/dev/null 2>&1 &
BASELINE_PID=$!
sleep 10 # both settle: the agent's last report, libtorrent's first tracker announce

rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
a_cpu0=$(cpu_ticks "$AGENT_PID") b_cpu0=$(cpu_ticks "$BASELINE_PID")
a_rss_start=$(rss_mb "$AGENT_PID") b_rss_start=$(rss_mb "$BASELINE_PID")
a_max=0 b_max=0
echo "idle-agent.sh: sampling for ${DURATION}s" >&2
t0=$(date +%s)
while (($(date +%s) - t0 < DURATION)); do
  sleep 5
  kill -0 "$AGENT_PID" 2>/dev/null || bench_die "the agent died while idle: $(tail -20 "$WORK/agent.log")"
  a=$(rss_mb "$AGENT_PID") b=$(rss_mb "$BASELINE_PID")
  a_max=$(echo "if ($a > $a_max) $a else $a_max" | bc) b_max=$(echo "if ($b > $b_max) $b else $b_max" | bc)
done
elapsed=$(($(date +%s) - t0))
a_cpu=$(echo "($(cpu_ticks "$AGENT_PID") - $a_cpu0) / $TICKS / $elapsed * 100" | bc -l)
b_cpu=$(echo "($(cpu_ticks "$BASELINE_PID") - $b_cpu0) / $TICKS / $elapsed * 100" | bc -l)
a_end=$(rss_mb "$AGENT_PID") b_end=$(rss_mb "$BASELINE_PID")
verdict() { (($(echo "$1 <= 150" | bc))) && (($(echo "$2 < 1" | bc))) && echo "met" || echo "NOT met"; }

TABLE=$(cat <<T
### Idle agent seeding one release ($(date -u +%Y-%m-%d), $(nproc) cores, ${elapsed} s window)

Command: \`e2e/bench/idle-agent.sh --duration $DURATION --size $SIZE\` (agent JVM options from \`deploy/agent/starling-agent.service\`)

| process | resident at start | resident max | resident at end | CPU (% of one core) | goal ≤ 150 MB, < 1 % |
|---|---:|---:|---:|---:|---|
| baseline: libtorrent 2.0 from Python, seeding the same file, no control plane | ${b_rss_start} MB | ${b_max} MB | ${b_end} MB | $(printf '%.2f' "$b_cpu") % | – |
| Starling agent (JVM + libtorrent4j), seeding, checking in every 60 s | ${a_rss_start} MB | ${a_max} MB | ${a_end} MB | $(printf '%.2f' "$a_cpu") % | $(verdict "$a_max" "$a_cpu") |
T
)
echo "$TABLE"
((RECORD)) && bench_record "$TABLE"
exit 0
