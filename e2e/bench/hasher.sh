#!/usr/bin/env bash
# Benchmark: the upload's hashing alone. protocol's StreamingHasher (whole-file SHA-256, v1 SHA-1
# per piece, v2 merkle per 16 KiB block, on piece threads) over bytes in memory, against the JDK's
# MessageDigest doing the same three hashes one after another on one thread, in the same run.
# No control plane, no disk, no network: the ceiling of e2e/bench/upload-publish.sh.
#
#   e2e/bench/hasher.sh [--size 1G] [--rounds 5] [--warmup 2] [--no-build] [--no-record]
#
# Builds protocol and e2e's test classes (skip with --no-build), prints a markdown table and records
# it in docs/benchmarks-history.md unless --no-record.
set -euo pipefail

SIZE=1G ROUNDS=5 WARMUP=2 BUILD=1 RECORD=1 ARGS=("$@")
while (($#)); do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-record) RECORD=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "hasher.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

die() { echo "hasher.sh: error: $*" >&2; exit 1; }
command -v java >/dev/null || die "java is not installed (a JDK 17 is needed)"
command -v numfmt >/dev/null || die "'numfmt' is not installed (coreutils)"
BYTES=$(numfmt --from=iec "$SIZE" 2>/dev/null) || die "--size must be like 256M or 1G, got '$SIZE'"
((BYTES >= 1048576 && BYTES <= 17179869184)) || die "--size must be from 1M to 16G, got '$SIZE'"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a whole number from 1, got '$ROUNDS'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "--warmup must be a whole number, got '$WARMUP'"

# shellcheck source=lib/record.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/record.sh"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
CLASSES="$REPO/e2e/target/test-classes"
CLASSPATH_FILE="$REPO/e2e/target/hasher-bench.classpath"
if ((BUILD)) || [[ ! -f "$CLASSPATH_FILE" ]]; then
  echo "hasher.sh: compiling protocol and the benchmark (skip with --no-build)" >&2
  # One reactor build: the class path file is written by each module in turn, e2e's last.
  (cd "$REPO" && ./mvnw -B -q -pl e2e -am test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null) \
    || die "the build failed (run ./mvnw -pl e2e -am test-compile to see why)"
fi

TABLE=$(java -Xmx512m -Dstarling.bench.command="e2e/bench/hasher.sh ${ARGS[*]-}" \
  -cp "$CLASSES:$(cat "$CLASSPATH_FILE")" io.starling.e2e.bench.HasherBench "$BYTES" "$ROUNDS" "$WARMUP") \
  || die "the benchmark failed"
printf '%s\n' "$TABLE"
((RECORD)) && bench_record "$TABLE"
exit 0
