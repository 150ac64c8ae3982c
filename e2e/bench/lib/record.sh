# Shared by the benchmarks: record a run in docs/benchmarks-history.md.
# Usage: source this file (lib/control-plane.sh does), then `bench_record TABLE`.
# shellcheck shell=bash

BENCH_HISTORY="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)/docs/benchmarks-history.md"
# The same line OfficeBench looks for: runs go right below it, newest first.
BENCH_HISTORY_MARKER='<!-- bench: new runs go below this line, newest first -->'

# Puts TABLE at the top of the history. The current result in docs/benchmarks.md is edited by
# hand: a run becomes "the result" only when someone has read it.
bench_record() { # bench_record TABLE
  local prog tmp
  prog="$(basename "$0")"
  if ! grep -qxF "$BENCH_HISTORY_MARKER" "$BENCH_HISTORY" 2>/dev/null; then
    echo "$prog: error: not recorded: no line '$BENCH_HISTORY_MARKER' in $BENCH_HISTORY" >&2
    return 1
  fi
  tmp=$(mktemp)
  RUN="$1" awk -v marker="$BENCH_HISTORY_MARKER" '{ print } $0 == marker { print ""; print ENVIRON["RUN"] }' \
    "$BENCH_HISTORY" >"$tmp" && cat "$tmp" >"$BENCH_HISTORY"
  rm -f "$tmp"
  echo "$prog: recorded at the top of docs/benchmarks-history.md; if it is the new current result," \
    "put its table into docs/benchmarks.md" >&2
}
