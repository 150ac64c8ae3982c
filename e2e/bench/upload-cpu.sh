#!/usr/bin/env bash
# Experiment: where a browser upload's time and CPU go (admin-ui/e2e/bench/upload-cpu.mjs), for each
# part size the control plane hands out, with 1, 2 and 4 parts in flight, next to one bare
# XMLHttpRequest and `curl -T`. One JSON line a run: wall seconds, MB/s, and CPU seconds of the
# client (chromium's processes, or curl) and of the control plane.
#
#   e2e/bench/upload-cpu.sh [--file PATH (1 GiB of random bytes by default)] [--part-sizes "16M 64M 256M"]
#                           [--in-flight "1 2 4"] [--repeat 2]
#
# Starts its own control plane per part size (bench_start), needs Keycloak (started if down) and
# admin-ui's playwright-core (npm ci there) and /usr/bin/chromium. Records nothing.
set -euo pipefail
FILE="" PART_SIZES="16M 64M 256M" IN_FLIGHT="1 2 4" REPEAT=2
while (($#)); do
  case "$1" in
    --file) FILE=$2; shift 2 ;;
    --part-sizes) PART_SIZES=$2; shift 2 ;;
    --in-flight) IN_FLIGHT=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "upload-cpu.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
[[ -d "$REPO/admin-ui/node_modules/playwright-core" ]] || bench_die "npm ci in admin-ui first"
SCRATCH=$(mktemp -d /tmp/starling-upload-cpu.XXXXXX)
if [[ -z "$FILE" ]]; then
  FILE="$SCRATCH/app.bin"
  head -c 1G /dev/urandom >"$FILE"
else
  cp "$FILE" "$SCRATCH/app.bin" && FILE="$SCRATCH/app.bin" # its first bytes are rewritten per run
fi
cat "$FILE" >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in $PART_SIZES; do
  bytes=$(numfmt --from=iec "$size")
  bench_start -Xmx512m -Dstarling.catalog.part-size="$bytes"
  trap 'rm -rf "$SCRATCH"; bench_cleanup' EXIT INT TERM
  echo "part size $size"
  (cd "$REPO/admin-ui" && CONSOLE_URL="$BASE" CP_PID="$CP_PID" FILE="$FILE" IN_FLIGHT="$IN_FLIGHT" REPEAT="$REPEAT" \
    node e2e/bench/upload-cpu.mjs) || { tail -30 "$WORK/cp.log" | cut -c1-300 >&2; bench_die "the browser run failed"; }
  kill "$CP_PID"; wait "$CP_PID" 2>/dev/null || true; CP_PID=""
  rm -rf "$WORK"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
