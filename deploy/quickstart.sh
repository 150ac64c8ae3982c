#!/usr/bin/env bash
# Starling quick start: Keycloak + the control plane (embedded PostgreSQL) on this machine.
#   deploy/quickstart.sh up      start both, return once healthy, print URLs and demo logins
#   deploy/quickstart.sh down    stop what `up` started
#   deploy/quickstart.sh         up, then follow the logs until Ctrl-C, then down
#   deploy/quickstart.sh up --agents N   also enroll and start N agents on loopback
#   deploy/quickstart.sh agent I ARGS    run the agent command line of agent I (e.g. "agent 1 status")
set -euo pipefail

PROG="quickstart.sh"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
export STARLING_HOME="${STARLING_HOME:-$REPO_ROOT/.starling}"
mkdir -p "$STARLING_HOME"
STARLING_HOME="$(cd "$STARLING_HOME" && pwd -P)"
PORT="${STARLING_PORT:-8080}"             # plain HTTP, on loopback only (scripts that predate HTTPS)
HTTPS_PORT="${STARLING_HTTPS_PORT:-8443}" # HTTPS with the quick start's own CA: the console and the agents
TLS_DIR="$STARLING_HOME/tls"
CA="$TLS_DIR/ca.pem"
URL="https://127.0.0.1:$HTTPS_PORT"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
export KEYCLOAK_PORT
# The control plane reads STARLING_MANAGEMENT_PORT itself; here only to print where metrics and
# Swagger UI are.
MANAGEMENT_PORT="${STARLING_MANAGEMENT_PORT:-9000}"
JAR="$REPO_ROOT/control-plane/target/quarkus-app/quarkus-run.jar"
LOG_DIR="$STARLING_HOME/logs"
RUN_DIR="$STARLING_HOME/run"
CP_PID="$RUN_DIR/control-plane.pid"
CP_LOG="$LOG_DIR/control-plane.log"
START_TIMEOUT="${STARLING_START_TIMEOUT:-180}"
AGENT_JAR="$REPO_ROOT/agent/target/starling-agent-0.1.0-SNAPSHOT-runner.jar"
AGENT_PORT_BASE="${STARLING_AGENT_PORT_BASE:-6880}"
AGENTS_DIR="$STARLING_HOME/agents"
AGENTS=0
MAX_AGENTS=50
# Small, steady JVMs: an idle agent should stay under 150 MB resident.
AGENT_JAVA_OPTS="${AGENT_JAVA_OPTS:--Xms16m -Xmx64m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -Xss512k}"

die() { echo "$PROG: error: $*" >&2; exit 1; }
info() { echo "$PROG: $*"; }

usage() {
  cat <<USAGE
Usage: deploy/quickstart.sh [up|down|status|--help] [--agents N]
       deploy/quickstart.sh agent I [status|--help|...]

  up       Build the control plane if needed, start Keycloak (127.0.0.1:$KEYCLOAK_PORT) and the
           control plane (https://127.0.0.1:$HTTPS_PORT with a local CA made on the first 'up'
           in \$STARLING_HOME/tls, plain http on 127.0.0.1:$PORT; embedded PostgreSQL), return
           when both are healthy.
  down     Stop what 'up' started (by PID).
  status   Say what is running.
  (none)   'up', then follow the logs until Ctrl-C, then 'down'.
  --agents N  with up (or none): also enroll and start N agents on 127.0.0.1 (ports
           $((AGENT_PORT_BASE + 1))…), each with its own state and install folders under
           \$STARLING_HOME/agents/agent-I; they join a site "loopback" (127.0.0.0/8).
  agent I ...  the agent command line of agent I, e.g. 'agent 1 status'.

Environment: STARLING_HOME (default <repo>/.starling: data, blobs, keys, logs),
STARLING_HTTPS_PORT (8443), STARLING_PORT (8080, plain http on loopback), KEYCLOAK_PORT (8180),
STARLING_START_TIMEOUT (180 s),
JAVA_OPTS (extra JVM options for the control plane, after deploy/control-plane/jvm.options).
USAGE
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# needs_build JAR MODULE: is the packaged module older than its sources (or missing)?
needs_build() {
  [[ -f "$1" ]] || return 0
  local extra=()
  # The control plane carries the console's build.
  [[ "$2" == control-plane ]] && extra=("$REPO_ROOT/admin-ui/src" "$REPO_ROOT/admin-ui/package.json" "$REPO_ROOT/admin-ui/pom.xml")
  [[ -n "$(find "$REPO_ROOT/protocol/src/main" "$REPO_ROOT/$2/src/main" "$REPO_ROOT/pom.xml" \
      "$REPO_ROOT/protocol/pom.xml" "$REPO_ROOT/$2/pom.xml" "${extra[@]}" -newer "$1" -print -quit)" ]]
}

# Node.js 20.19+ (Vite 8's minimum) and npm build the console; without them the control plane is
# built without it (-Dui.skip) and everything else works as before.
node_ok() {
  local v
  v="$(node -v 2>/dev/null || true)"
  command -v npm >/dev/null 2>&1 && [[ "$v" =~ ^v([0-9]+)\.([0-9]+) ]] \
    && ((BASH_REMATCH[1] > 20 || (BASH_REMATCH[1] == 20 && BASH_REMATCH[2] >= 19)))
}

build() {
  local modules=() flags=(-DskipTests)
  needs_build "$JAR" control-plane && modules+=(control-plane)
  ((AGENTS > 0)) && needs_build "$AGENT_JAR" agent && modules+=(agent)
  if ((${#modules[@]} > 0)); then
    local list
    list="$(IFS=,; echo "${modules[*]}")"
    if ! node_ok; then
      info "Node.js 20.19 or newer with npm not found (node: $(node -v 2>/dev/null || echo none)): building without the console"
      flags+=(-Dui.skip)
    fi
    info "building $list (first time: a few minutes while Maven fetches dependencies)"
    (cd "$REPO_ROOT" && ./mvnw -B -q "${flags[@]}" -pl "$list" -am install) \
      || die "the build failed; run './mvnw -pl $list -am install ${flags[*]}' to see why"
  fi
}

start_control_plane() {
  if alive "$CP_PID"; then
    info "control plane already running (pid $(cat "$CP_PID"))"
    return
  fi
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null; then
    die "something else already answers on 127.0.0.1:$PORT; stop it or set STARLING_PORT"
  fi
  if curl -ksS -o /dev/null "https://127.0.0.1:$HTTPS_PORT/" 2>/dev/null; then
    die "something else already answers on 127.0.0.1:$HTTPS_PORT; stop it or set STARLING_HTTPS_PORT"
  fi
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  # The CA is made once and kept, so that agents enrolled with it keep trusting the server; the
  # server certificate is issued again from it at an 'up' within 30 days of its end. The hourly
  # reload serves one replaced by hand without a restart (docs/operations.md, "HTTPS").
  "$SCRIPT_DIR/control-plane/local-tls.sh" "$TLS_DIR" | sed "s/^/$PROG: /"
  info "starting the control plane on $URL and http://127.0.0.1:$PORT (log: $CP_LOG)"
  # The demo profile: the prod profile refuses the quick start's published Keycloak secret, its
  # generated signing key and its embedded database (docs/operations.md, "Production").
  # HTTPS through the Quarkus TLS registry (docs/operations.md, "HTTPS"); plain http stays on,
  # bound to 127.0.0.1 like everything here. The torrents' announce and web seed URLs use HTTPS
  # too: libtorrent checks an SSL torrent's tracker and web seed against the swarm CA the torrent
  # carries, so the local CA that issued the server certificate is the swarm CA as well
  # (docs/security.md, "HTTPS on every control channel").
  # shellcheck disable=SC2086
  setsid nohup java @"$REPO_ROOT/deploy/control-plane/jvm.options" -Dquarkus.profile=demo \
      -Dquarkus.http.port="$PORT" -Dquarkus.http.ssl-port="$HTTPS_PORT" \
      -Dquarkus.tls.key-store.pem.0.cert="$TLS_DIR/server.pem" -Dquarkus.tls.key-store.pem.0.key="$TLS_DIR/server.key" \
      -Dquarkus.tls.reload-period=1h -Dstarling.public-url="$URL" \
      -Dstarling.swarm.ca-certificate-file="$TLS_DIR/ca.pem" -Dstarling.swarm.ca-key-file="$TLS_DIR/ca.key" \
      -Dquarkus.oidc.auth-server-url="http://127.0.0.1:$KEYCLOAK_PORT/realms/starling" ${JAVA_OPTS:-} \
      -jar "$JAR" >"$CP_LOG" 2>&1 </dev/null &
  echo $! >"$CP_PID"
  local deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS --cacert "$CA" -o /dev/null "$URL/q/health/ready" 2>/dev/null; do
    if ! alive "$CP_PID"; then
      tail -n 30 "$CP_LOG" >&2 || true
      rm -f "$CP_PID"
      die "the control plane exited during start-up (log above, full log in $CP_LOG)"
    fi
    ((SECONDS < deadline)) || die "the control plane did not become ready within ${START_TIMEOUT}s (log: $CP_LOG)"
    sleep 0.5
  done
}

stop_control_plane() {
  if ! alive "$CP_PID"; then
    rm -f "$CP_PID"
    info "control plane not running"
    return
  fi
  local pid
  pid="$(cat "$CP_PID")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    info "control plane did not stop within 30 s; killed"
  fi
  rm -f "$CP_PID"
  info "control plane stopped"
}

up() {
  command -v java >/dev/null || die "java is not installed (Java 17 or newer is needed)"
  command -v curl >/dev/null || die "curl is not installed"
  build
  "$SCRIPT_DIR/keycloak/start.sh"
  start_control_plane
  ((AGENTS > 0)) && start_agents
  cat <<DONE

Starling is up.
  Console         $URL/       (sign in as admin/admin)
  Control plane   $URL        (API under /api/v1)
  CA certificate  $CA   (curl --cacert; agents: --ca-bundle)
  Plain HTTP      http://127.0.0.1:$PORT        (loopback only)
  Management      http://127.0.0.1:$MANAGEMENT_PORT        (loopback only: /q/metrics, /q/openapi, Swagger UI at /q/swagger-ui)
  Keycloak        http://127.0.0.1:$KEYCLOAK_PORT/realms/starling
  Demo logins     admin/admin (starling-admin), publisher/publisher, operator/operator, viewer/viewer
  A token         curl -s http://127.0.0.1:$KEYCLOAK_PORT/realms/starling/protocol/openid-connect/token \\
                    -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin
  Data            $STARLING_HOME
  Stop            deploy/quickstart.sh down
DONE
  if ((AGENTS > 0)); then
    echo "  Agents          $AGENTS on 127.0.0.1:$((AGENT_PORT_BASE + 1))-$((AGENT_PORT_BASE + AGENTS)) (logs: $LOG_DIR/agent-I.log)"
    echo "  Agent status    deploy/quickstart.sh agent 1 status"
  fi
}

admin_token() {
  curl -fsS "http://127.0.0.1:$KEYCLOAK_PORT/realms/starling/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin | jq -r .access_token
}

# api METHOD PATH [JSON]: prints the body; fails with the problem's detail on an HTTP error.
api() {
  local out code
  out="$(mktemp)"
  code="$(curl -sS --cacert "$CA" -o "$out" -w '%{http_code}' -X "$1" "$URL$2" \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"})" || { rm -f "$out"; return 1; }
  if [[ "$code" != 2* ]]; then
    echo "$PROG: $1 $2 answered $code: $(jq -r '.detail // .title // empty' "$out" 2>/dev/null)" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

agent_env() {
  local dir="$AGENTS_DIR/agent-$1"
  echo "STARLING_AGENT_STATE_DIR=$dir/state" "STARLING_AGENT_INSTALL_ROOT=$dir/installed" \
    "STARLING_AGENT_SWARM_LISTEN_INTERFACE=127.0.0.1:$((AGENT_PORT_BASE + $1))" \
    "STARLING_AGENT_CA_BUNDLE=$CA"
}

start_agents() {
  command -v jq >/dev/null || die "jq is not installed (needed to enroll agents)"
  TOKEN="$(admin_token)" || die "cannot get an admin token from Keycloak"
  # Loopback agents are neighbours: one site, so that their bytes count as same-site.
  if ! api GET /api/v1/sites/loopback >/dev/null 2>&1; then
    api POST /api/v1/sites '{"name":"loopback","description":"quick-start agents on this machine","cidrs":["127.0.0.0/8"]}' \
      >/dev/null || die "cannot create the site 'loopback' (127.0.0.0/8); does another site cover 127.0.0.1?"
  fi
  local missing=0 i
  for i in $(seq 1 "$AGENTS"); do
    [[ -f "$AGENTS_DIR/agent-$i/state/identity.json" ]] || missing=$((missing + 1))
  done
  local enrollment=""
  if ((missing > 0)); then
    enrollment="$(api POST /api/v1/enrollment-tokens \
      "{\"uses\":$missing,\"expiresInSeconds\":600,\"labels\":[\"quickstart\"]}" | jq -r .token)" \
      || die "cannot create an enrollment token"
  fi
  for i in $(seq 1 "$AGENTS"); do
    local dir="$AGENTS_DIR/agent-$i" pidfile="$RUN_DIR/agent-$i.pid" log="$LOG_DIR/agent-$i.log"
    if alive "$pidfile"; then
      info "agent $i already running (pid $(cat "$pidfile"))"
      continue
    fi
    mkdir -p "$dir"
    if [[ ! -f "$dir/state/identity.json" ]]; then
      # shellcheck disable=SC2046
      env $(agent_env "$i") java -jar "$AGENT_JAR" enroll --server "$URL" --ca-bundle "$CA" --token "$enrollment" \
        --label "agent-$i" >/dev/null || die "agent $i could not enroll"
    fi
    # shellcheck disable=SC2046,SC2086
    env $(agent_env "$i") MALLOC_ARENA_MAX=2 setsid nohup java $AGENT_JAVA_OPTS -jar "$AGENT_JAR" run \
      >"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  done
  local deadline=$((SECONDS + 60))
  for i in $(seq 1 "$AGENTS"); do
    until [[ -f "$AGENTS_DIR/agent-$i/state/status.json" ]] \
        && jq -e '.lastCheckIn.ok' "$AGENTS_DIR/agent-$i/state/status.json" >/dev/null 2>&1; do
      alive "$RUN_DIR/agent-$i.pid" || { tail -n 20 "$LOG_DIR/agent-$i.log" >&2; die "agent $i exited (log: $LOG_DIR/agent-$i.log)"; }
      ((SECONDS < deadline)) || die "agent $i did not check in within 60 s (log: $LOG_DIR/agent-$i.log)"
      sleep 0.5
    done
  done
  info "$AGENTS agent(s) running and checked in"
}

stop_agents() {
  local pidfile
  for pidfile in "$RUN_DIR"/agent-*.pid; do
    [[ -f "$pidfile" ]] || continue
    if alive "$pidfile"; then
      kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    fi
  done
  for pidfile in "$RUN_DIR"/agent-*.pid; do
    [[ -f "$pidfile" ]] || continue
    for _ in $(seq 1 40); do alive "$pidfile" || break; sleep 0.5; done
    alive "$pidfile" && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    info "$(basename "$pidfile" .pid) stopped"
    rm -f "$pidfile"
  done
}

agent_cli() {
  local i="${1:-}"
  [[ "$i" =~ ^[0-9]+$ ]] || die "usage: deploy/quickstart.sh agent I [status|--help|...]"
  [[ -d "$AGENTS_DIR/agent-$i" ]] || die "no agent $i under $AGENTS_DIR (start some with: up --agents N)"
  [[ -f "$AGENT_JAR" ]] || die "the agent is not built; run: deploy/quickstart.sh up --agents N"
  shift
  # shellcheck disable=SC2046
  exec env $(agent_env "$i") java -jar "$AGENT_JAR" "${@:-status}"
}

down() {
  stop_agents
  stop_control_plane
  "$SCRIPT_DIR/keycloak/stop.sh"
}

status() {
  if alive "$CP_PID"; then info "control plane running (pid $(cat "$CP_PID"))"; else info "control plane not running"; fi
  if alive "$RUN_DIR/keycloak.pid"; then info "keycloak running (pid $(cat "$RUN_DIR/keycloak.pid"))"; else info "keycloak not running"; fi
  local pidfile
  for pidfile in "$RUN_DIR"/agent-*.pid; do
    [[ -f "$pidfile" ]] || continue
    if alive "$pidfile"; then info "$(basename "$pidfile" .pid) running (pid $(cat "$pidfile"))"; else info "$(basename "$pidfile" .pid) not running"; fi
  done
}

COMMAND="${1:-}"
if [[ "$COMMAND" == "agent" ]]; then
  shift
  agent_cli "$@"
fi
if [[ "$COMMAND" == --agents* ]]; then
  COMMAND=""   # plain 'quickstart.sh --agents N': up, follow the logs, down
elif [[ $# -gt 0 ]]; then
  shift
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    --agents) [[ $# -ge 2 ]] || die "--agents needs a number"; AGENTS="$2"; shift 2 ;;
    --agents=*) AGENTS="${1#--agents=}"; shift ;;
    *) echo "$PROG: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$AGENTS" =~ ^[0-9]+$ ]] && ((AGENTS <= MAX_AGENTS)) || die "--agents must be a number from 0 to $MAX_AGENTS, got '$AGENTS'"

case "$COMMAND" in
  up) up ;;
  down) down ;;
  status) status ;;
  -h|--help|help) usage ;;
  "")
    up
    trap 'echo; down; exit 0' INT TERM
    info "following the logs; Ctrl-C stops everything"
    tail -F "$CP_LOG" "$LOG_DIR/keycloak.log" &
    wait $!
    ;;
  *) echo "$PROG: error: unknown command '$1' (try --help)" >&2; exit 2 ;;
esac
