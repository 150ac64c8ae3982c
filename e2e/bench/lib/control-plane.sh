# Shared by the benchmarks: start Keycloak (if needed) and a private control plane from the packaged jar.
# Usage: source this file, then `bench_start [JVM options...]`; it sets API, BASE, MANAGEMENT (where
# /q/metrics is: the management interface, open on the loopback), WORK and traps cleanup.
# The control plane runs with the JVM options it ships with (deploy/control-plane/jvm.options), then these.
# shellcheck shell=bash
# shellcheck source=record.sh
source "$(dirname "${BASH_SOURCE[0]}")/record.sh"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)"
JAR="$REPO/control-plane/target/quarkus-app/quarkus-run.jar"
CP_PID=""
KC_STARTED=0

bench_die() { echo "$(basename "$0"): error: $*" >&2; exit 1; }

bench_cleanup() {
  if [[ -n "$CP_PID" ]]; then kill "$CP_PID" 2>/dev/null; wait "$CP_PID" 2>/dev/null || true; fi
  if ((KC_STARTED)); then "$REPO/deploy/keycloak/stop.sh" >/dev/null 2>&1 || true; fi
  [[ -n "${WORK:-}" ]] && rm -rf "$WORK"
}

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

bench_start() {
  for tool in curl jq; do command -v "$tool" >/dev/null || bench_die "'$tool' is not installed"; done
  [[ -f "$JAR" ]] || (cd "$REPO" && ./mvnw -B -q -DskipTests -pl control-plane -am install) || bench_die "build failed"
  WORK=$(mktemp -d /var/tmp/starling-bench.XXXXXX)
  trap bench_cleanup EXIT INT TERM
  if ! curl -fsS -o /dev/null http://127.0.0.1:8180/realms/starling/.well-known/openid-configuration 2>/dev/null; then
    "$REPO/deploy/keycloak/start.sh" >/dev/null || bench_die "Keycloak did not start"
    KC_STARTED=1
  fi
  local port mport
  port=$(bench_free_port)
  mport=$(bench_free_port)
  # Benchmarks enroll thousands of agents from 127.0.0.1: lift the per-address enrollment limit.
  # The demo profile: embedded PostgreSQL and a generated key, which the prod profile refuses.
  java @"$REPO/deploy/control-plane/jvm.options" -Dquarkus.profile=demo -Dstarling.fleet.enrollment-limit.burst=1000000 "$@" -Dquarkus.http.port="$port" -Dquarkus.management.port="$mport" -Dstarling.home="$WORK/home" -jar "$JAR" >"$WORK/cp.log" 2>&1 &
  CP_PID=$!
  BASE="http://127.0.0.1:$port"
  MANAGEMENT="http://127.0.0.1:$mport"
  API="$BASE/api/v1"
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$BASE/q/health/ready" 2>/dev/null && return 0
    kill -0 "$CP_PID" 2>/dev/null || { tail -20 "$WORK/cp.log" >&2; bench_die "the control plane died at start"; }
    sleep 0.5
  done
  bench_die "the control plane did not become ready"
}

bench_token() {
  curl -fsS http://127.0.0.1:8180/realms/starling/protocol/openid-connect/token \
    -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin | jq -r .access_token
}

bench_wrk_summary() { # bench_wrk_summary WRK_OUTPUT -> "requests/s p50 p99 non-2xx"
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$1")
  p50=$(awk '$1=="50%" {print $2}' <<<"$1")
  p99=$(awk '$1=="99%" {print $2}' <<<"$1")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$1")
  echo "$rps $p50 $p99 ${bad:-0}"
}
