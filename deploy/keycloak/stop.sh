#!/usr/bin/env bash
# Stops the Keycloak started by deploy/keycloak/start.sh (found through its PID file).
set -euo pipefail

PROG="$(basename "$0")"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
STARLING_HOME="${STARLING_HOME:-$REPO_ROOT/.starling}"
PID_FILE="$STARLING_HOME/run/keycloak.pid"
STOP_TIMEOUT="${KEYCLOAK_STOP_TIMEOUT:-30}"

case "${1:-}" in
  -h|--help)
    cat <<EOF
Usage: $PROG [--help]

Stops the Keycloak that start.sh started: SIGTERM to its process group, up to
\$KEYCLOAK_STOP_TIMEOUT s (default 30) to exit, then SIGKILL. Does nothing when it is not running.
PID file: \$STARLING_HOME/run/keycloak.pid (STARLING_HOME defaults to <repo>/.starling).
EOF
    exit 0 ;;
  "") ;;
  *) echo "$PROG: error: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
[[ "$STOP_TIMEOUT" =~ ^[0-9]+$ ]] || { echo "$PROG: error: KEYCLOAK_STOP_TIMEOUT must be a number" >&2; exit 1; }

if [[ ! -f "$PID_FILE" ]]; then
  echo "$PROG: Keycloak is not running (no $PID_FILE)"
  exit 0
fi
pid="$(tr -dc '0-9' < "$PID_FILE" || true)"
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
  rm -f "$PID_FILE"
  echo "$PROG: Keycloak is not running (removed stale $PID_FILE)"
  exit 0
fi
# Never signal a process that merely reuses the PID.
# Its command line is bin/kc.sh (which runs java as a child) or, when kc.sh exec'd java after a
# re-augmentation, java with keycloak in its class path.
if ! grep -a -q -i -E 'kc\.sh|keycloak' "/proc/$pid/cmdline" 2>/dev/null; then
  rm -f "$PID_FILE"
  echo "$PROG: pid $pid is not Keycloak; removed stale $PID_FILE"
  exit 0
fi

# start.sh runs it under setsid, so the PID is also its process group: signal the group
# (kc.sh and its java child).
target="$pid"
[[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]] && target="-$pid"

kill -TERM -- "$target" 2>/dev/null || true
for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$PID_FILE"
    echo "$PROG: Keycloak (pid $pid) stopped"
    exit 0
  fi
  sleep 0.2
done
kill -KILL -- "$target" 2>/dev/null || true
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
  echo "$PROG: error: Keycloak (pid $pid) survived SIGKILL" >&2
  exit 1
fi
rm -f "$PID_FILE"
echo "$PROG: Keycloak (pid $pid) did not stop within $STOP_TIMEOUT s; killed it"
