#!/usr/bin/env bash
# Starling quick start: Keycloak + the control plane (embedded PostgreSQL) on this machine.
#   deploy/quickstart.sh up      start both, return once healthy, print URLs and demo logins
#   deploy/quickstart.sh down    stop what `up` started
#   deploy/quickstart.sh         up, then follow the logs until Ctrl-C, then down
set -euo pipefail

PROG="quickstart.sh"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
export STARLING_HOME="${STARLING_HOME:-$REPO_ROOT/.starling}"
mkdir -p "$STARLING_HOME"
STARLING_HOME="$(cd "$STARLING_HOME" && pwd -P)"
PORT="${STARLING_PORT:-8080}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
export KEYCLOAK_PORT
JAR="$REPO_ROOT/control-plane/target/quarkus-app/quarkus-run.jar"
LOG_DIR="$STARLING_HOME/logs"
RUN_DIR="$STARLING_HOME/run"
CP_PID="$RUN_DIR/control-plane.pid"
CP_LOG="$LOG_DIR/control-plane.log"
START_TIMEOUT="${STARLING_START_TIMEOUT:-180}"

die() { echo "$PROG: error: $*" >&2; exit 1; }
info() { echo "$PROG: $*"; }

usage() {
  cat <<USAGE
Usage: deploy/quickstart.sh [up|down|status|--help]

  up       Build the control plane if needed, start Keycloak (127.0.0.1:$KEYCLOAK_PORT) and the
           control plane (127.0.0.1:$PORT, embedded PostgreSQL), return when both are healthy.
  down     Stop what 'up' started (by PID).
  status   Say what is running.
  (none)   'up', then follow the logs until Ctrl-C, then 'down'.

Environment: STARLING_HOME (default <repo>/.starling: data, blobs, keys, logs),
STARLING_PORT (8080), KEYCLOAK_PORT (8180), STARLING_START_TIMEOUT (180 s),
JAVA_OPTS (extra JVM options for the control plane).
USAGE
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

needs_build() {
  [[ -f "$JAR" ]] || return 0
  [[ -n "$(find "$REPO_ROOT/protocol/src/main" "$REPO_ROOT/control-plane/src/main" "$REPO_ROOT/pom.xml" \
      "$REPO_ROOT/protocol/pom.xml" "$REPO_ROOT/control-plane/pom.xml" -newer "$JAR" -print -quit)" ]]
}

build() {
  if needs_build; then
    info "building the control plane (first time: a few minutes while Maven fetches dependencies)"
    (cd "$REPO_ROOT" && ./mvnw -B -q -DskipTests -pl control-plane -am install) \
      || die "the build failed; run './mvnw -pl control-plane -am install -DskipTests' to see why"
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
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  info "starting the control plane on http://127.0.0.1:$PORT (log: $CP_LOG)"
  # shellcheck disable=SC2086
  setsid nohup java ${JAVA_OPTS:-} -Dquarkus.http.port="$PORT" \
      -Dquarkus.oidc.auth-server-url="http://127.0.0.1:$KEYCLOAK_PORT/realms/starling" \
      -jar "$JAR" >"$CP_LOG" 2>&1 </dev/null &
  echo $! >"$CP_PID"
  local deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null; do
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
  cat <<DONE

Starling is up.
  Control plane   http://127.0.0.1:$PORT        (API under /api/v1, Swagger UI at /q/swagger-ui)
  Keycloak        http://127.0.0.1:$KEYCLOAK_PORT/realms/starling
  Demo logins     admin/admin (starling-admin), viewer/viewer (starling-viewer)
  A token         curl -s http://127.0.0.1:$KEYCLOAK_PORT/realms/starling/protocol/openid-connect/token \\
                    -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin
  Data            $STARLING_HOME
  Stop            deploy/quickstart.sh down
DONE
}

down() {
  stop_control_plane
  "$SCRIPT_DIR/keycloak/stop.sh"
}

status() {
  if alive "$CP_PID"; then info "control plane running (pid $(cat "$CP_PID"))"; else info "control plane not running"; fi
  if alive "$RUN_DIR/keycloak.pid"; then info "keycloak running (pid $(cat "$RUN_DIR/keycloak.pid"))"; else info "keycloak not running"; fi
}

case "${1:-}" in
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
