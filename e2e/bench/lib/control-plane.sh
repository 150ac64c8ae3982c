# Shared by the benchmarks: start Keycloak (if needed) and a private control plane from the packaged jar.
# Usage: source this file, then `bench_start [JVM options...]`; it sets API, BASE, MANAGEMENT (where
# /q/metrics is: the management interface, open on the loopback), WORK and traps cleanup.
# The control plane runs with the JVM options it ships with (deploy/control-plane/jvm.options), then these.
# `bench_start_s3 [JVM options...]` then starts S3Proxy and a second control plane on the S3 blob store: it
# sets S3_API, S3_MANAGEMENT and S3_HOME.
# shellcheck shell=bash
# shellcheck source=record.sh
source "$(dirname "${BASH_SOURCE[0]}")/record.sh"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)"
JAR="$REPO/control-plane/target/quarkus-app/quarkus-run.jar"
CP_PID=""
S3_CP_PID=""
S3PROXY_PID=""
KC_STARTED=0

bench_die() { echo "$(basename "$0"): error: $*" >&2; exit 1; }

bench_cleanup() {
  local pid
  for pid in "$CP_PID" "$S3_CP_PID" "$S3PROXY_PID"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  done
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
  bench_launch "$WORK/home" "$WORK/cp.log" "$@"
  CP_PID=$LAUNCHED_PID BASE=$LAUNCHED_BASE MANAGEMENT=$LAUNCHED_MANAGEMENT
  API="$BASE/api/v1"
}

# bench_launch HOME LOG [JVM options...]: starts a control plane from the packaged jar with its own home and
# free ports, waits until it is ready; sets LAUNCHED_PID, LAUNCHED_BASE, LAUNCHED_MANAGEMENT.
bench_launch() {
  local home=$1 log=$2 port mport
  shift 2
  port=$(bench_free_port)
  mport=$(bench_free_port)
  # Benchmarks enroll thousands of agents from 127.0.0.1: lift the per-address enrollment limit.
  # The demo profile: embedded PostgreSQL and a generated key, which the prod profile refuses.
  java @"$REPO/deploy/control-plane/jvm.options" -Dquarkus.profile=demo -Dstarling.fleet.enrollment-limit.burst=1000000 "$@" -Dquarkus.http.port="$port" -Dquarkus.management.port="$mport" -Dstarling.home="$home" -jar "$JAR" >"$log" 2>&1 &
  LAUNCHED_PID=$!
  LAUNCHED_BASE="http://127.0.0.1:$port"
  LAUNCHED_MANAGEMENT="http://127.0.0.1:$mport"
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$LAUNCHED_BASE/q/health/ready" 2>/dev/null && return 0
    kill -0 "$LAUNCHED_PID" 2>/dev/null || { tail -20 "$log" >&2; bench_die "the control plane died at start"; }
    sleep 0.5
  done
  bench_die "the control plane did not become ready"
}

# S3Proxy's runnable jar: from the local Maven repository, fetched from Maven Central if missing.
bench_s3proxy_jar() {
  local version artifact jar
  version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$REPO/pom.xml")
  artifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies"
  jar="$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar"
  if [[ ! -f "$jar" ]]; then
    (cd "$REPO" && ./mvnw -q -B -N dependency:get -Dartifact="$artifact" -Dtransitive=false >&2) \
      || bench_die "could not fetch $artifact"
  fi
  echo "$jar"
}

bench_start_s3() {
  local jar port data bucket=starling-bench
  jar=$(bench_s3proxy_jar)
  port=$(bench_free_port)
  data="$WORK/s3proxy"
  # The filesystem provider keeps a bucket as a folder: creating it creates the bucket.
  mkdir -p "$data/$bucket"
  cat >"$WORK/s3proxy.conf" <<C
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.identity=bench
jclouds.credential=bench-secret
jclouds.filesystem.basedir=$data
C
  java -Xmx512m -jar "$jar" --properties "$WORK/s3proxy.conf" >"$WORK/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    kill -0 "$S3PROXY_PID" 2>/dev/null || { tail -20 "$WORK/s3proxy.log" >&2; bench_die "S3Proxy died at start"; }
    sleep 0.5
  done
  S3_HOME="$WORK/home-s3"
  # Its origin seeder on a port of its own: the first control plane's has the default one. The store's
  # debug log says where each upload's time went (parts, completion, copy): the benchmark prints it.
  bench_launch "$S3_HOME" "$WORK/cp-s3.log" -Dstarling.blob-store.type=s3 -Dstarling.blob-store.s3.endpoint="http://127.0.0.1:$port" \
    -Dstarling.blob-store.s3.bucket=$bucket -Dstarling.blob-store.s3.path-style=true \
    -Dstarling.blob-store.s3.access-key=bench -Dstarling.blob-store.s3.secret-key=bench-secret \
    -Dstarling.seed.listen-interface=127.0.0.1:0 \
    -Dquarkus.log.category.\"io.starling.controlplane.catalog.S3BlobStore\".level=DEBUG "$@"
  S3_CP_PID=$LAUNCHED_PID S3_MANAGEMENT=$LAUNCHED_MANAGEMENT
  S3_API="$LAUNCHED_BASE/api/v1"
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
