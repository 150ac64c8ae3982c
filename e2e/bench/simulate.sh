#!/usr/bin/env bash
# Flow-level simulator: the tracker's real peer selection against modelled office links.
# Usage: e2e/bench/simulate.sh [validate] [fleet] [sweeps] [--step 0.1] [--chart FILE] [--no-build]   (--help for all)
# Needs no root and no network: it runs in one JVM.
set -euo pipefail

PROG="simulate"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
die() { echo "$PROG: $*" >&2; exit 2; }

BUILD=yes
ARGS=()
for a in "$@"; do
  if [[ "$a" == --no-build ]]; then BUILD=no; else ARGS+=("$a"); fi
done

command -v java >/dev/null 2>&1 || die "java is not installed (a JDK 17 is needed)"
CLASSES="$REPO/e2e/target/test-classes"
CLASSPATH_FILE="$REPO/e2e/target/simulate.classpath"
if [[ "$BUILD" == yes || ! -f "$CLASSPATH_FILE" ]]; then
  echo "$PROG: compiling the simulator and the control plane's tracker (skip with --no-build)" >&2
  # test-compile, not package: the simulator needs the tracker's classes, not the Quarkus application.
  (cd "$REPO" && ./mvnw -B -q -DskipTests -Dui.skip -pl e2e -am test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null) \
    || die "the build failed (run ./mvnw -pl e2e -am test-compile -Dui.skip to see why)"
fi

exec java -Xmx3g -cp "$CLASSES:$(cat "$CLASSPATH_FILE")" io.starling.e2e.simulator.Simulate "${ARGS[@]}"
