#!/usr/bin/env bash
# Distribution benchmark on simulated offices (network namespaces, bridges, tc shaping).
# Usage: e2e/bench.sh --sites S --agents-per-site N --size 64M [options]   (--help for all)
set -euo pipefail

PROG="bench"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
die() { echo "$PROG: $*" >&2; exit 2; }

BUILD=yes
ARGS=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=no ;;
    -h|--help) BUILD=no; ARGS+=("$a") ;;
    *) ARGS+=("$a") ;;
  esac
done

command -v java >/dev/null 2>&1 || die "java is not installed (a JDK 17 is needed)"
if [[ " ${ARGS[*]-} " != *" --help "* && " ${ARGS[*]-} " != *" -h "* ]]; then
  [[ "$(id -u)" == 0 ]] || die "cannot run here: the office simulator creates network namespaces and needs root (run it with sudo)"
  command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 || die "cannot run here: 'ip' and 'tc' are needed (Debian: apt-get install iproute2)"
  command -v curl >/dev/null 2>&1 || die "cannot run here: 'curl' is needed for the plain HTTP baseline"
fi

# One run at a time: the simulator owns the stl-* namespaces, and a second run tearing down after
# its own failed start would take the first one's network away from under it.
if [[ " ${ARGS[*]-} " != *" --help "* && " ${ARGS[*]-} " != *" -h "* ]]; then
  exec 9>"${TMPDIR:-/tmp}/starling-bench.lock"
  flock -n 9 || die "cannot run here: another e2e/bench.sh is running (lock ${TMPDIR:-/tmp}/starling-bench.lock)"
fi

CP_JAR="$REPO/control-plane/target/quarkus-app/quarkus-run.jar"
AGENT_JAR="$REPO/agent/target/starling-agent-0.1.0-SNAPSHOT-runner.jar"
CLASSES="$REPO/e2e/target/test-classes"
CLASSPATH_FILE="$REPO/e2e/target/bench.classpath"
if [[ "$BUILD" == yes || ! -f "$CP_JAR" || ! -f "$AGENT_JAR" || ! -f "$CLASSPATH_FILE" ]]; then
  echo "$PROG: building the control plane, the agent and the benchmark (skip with --no-build)" >&2
  # One reactor build: the class path file is written by each module in turn, e2e's last.
  (cd "$REPO" && ./mvnw -B -q -DskipTests -pl e2e -am package dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null) \
    || die "the build failed (run ./mvnw -pl e2e -am package -DskipTests to see why)"
fi

exec java -Xmx4g -Dstarling.repo="$REPO" -cp "$CLASSES:$(cat "$CLASSPATH_FILE")" \
  io.starling.e2e.offices.OfficeBench "${ARGS[@]}"
