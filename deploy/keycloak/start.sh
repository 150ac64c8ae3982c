#!/usr/bin/env bash
# Starts a local Keycloak (dev mode, H2) with the Starling quick-start realm imported.
# Run with --help for usage.
set -euo pipefail

PROG="$(basename "$0")"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.5.6}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
STARLING_CACHE="${STARLING_CACHE:-$HOME/.cache/starling}"
STARLING_HOME="${STARLING_HOME:-$REPO_ROOT/.starling}"
REALM_FILE="$SCRIPT_DIR/realm-starling.json"
REALM="starling"

usage() {
  cat <<EOF
Usage: $PROG [--help]

Starts Keycloak $KEYCLOAK_VERSION in dev mode on http://127.0.0.1:$KEYCLOAK_PORT with the
'$REALM' realm imported from deploy/keycloak/realm-starling.json, waits until the realm answers,
prints its URL and returns. Does nothing if that realm already answers on the port.
Stop it with deploy/keycloak/stop.sh.

The Keycloak distribution (org.keycloak:keycloak-quarkus-dist:<version>:zip) is fetched through
the repository's Maven wrapper (it stays in ~/.m2) and unpacked once into
\$STARLING_CACHE/keycloak-<version>. Dev mode keeps its data in that folder's data/h2, which is
wiped whenever the realm file changed since the last import, so the new realm is imported.

Environment:
  KEYCLOAK_VERSION              distribution version          (default 26.5.6)
  KEYCLOAK_PORT                 HTTP port on 127.0.0.1        (default 8180)
  KEYCLOAK_START_TIMEOUT        seconds to wait for the realm (default 180)
  KC_BOOTSTRAP_ADMIN_USERNAME   master-realm admin, first start only (default admin)
  KC_BOOTSTRAP_ADMIN_PASSWORD   its password                  (default admin)
  STARLING_CACHE                download/unpack cache          (default ~/.cache/starling)
  STARLING_HOME                 logs/ and run/ live here       (default <repo>/.starling)

Files: \$STARLING_HOME/logs/keycloak.log, \$STARLING_HOME/run/keycloak.pid
EOF
}

die() { echo "$PROG: error: $*" >&2; exit 1; }
info() { echo "$PROG: $*"; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) echo "$PROG: error: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

[[ "$KEYCLOAK_PORT" =~ ^[0-9]+$ ]] || die "KEYCLOAK_PORT must be a number, got '$KEYCLOAK_PORT'"
[[ "$KEYCLOAK_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "KEYCLOAK_START_TIMEOUT must be a number of seconds, got '$KEYCLOAK_START_TIMEOUT'"
for tool in curl unzip sha256sum setsid nohup java; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
done
[[ -f "$REALM_FILE" ]] || die "realm file not found: $REALM_FILE"
[[ -x "$REPO_ROOT/mvnw" ]] || die "Maven wrapper not found: $REPO_ROOT/mvnw"

# Make STARLING_HOME absolute (it is written into messages and used after cd).
mkdir -p "$STARLING_HOME" || die "cannot create STARLING_HOME $STARLING_HOME"
STARLING_HOME="$(cd "$STARLING_HOME" && pwd -P)"
LOG_DIR="$STARLING_HOME/logs"
RUN_DIR="$STARLING_HOME/run"
LOG_FILE="$LOG_DIR/keycloak.log"
PID_FILE="$RUN_DIR/keycloak.pid"
mkdir -p "$LOG_DIR" "$RUN_DIR" "$STARLING_CACHE" || die "cannot create $LOG_DIR, $RUN_DIR or $STARLING_CACHE"

BASE_URL="http://127.0.0.1:$KEYCLOAK_PORT"
REALM_URL="$BASE_URL/realms/$REALM"
WELL_KNOWN="$REALM_URL/.well-known/openid-configuration"
KC_HOME="$STARLING_CACHE/keycloak-$KEYCLOAK_VERSION"
CHECKSUM_FILE="$KC_HOME/data/starling-realm.sha256"
REALM_SUM="$(sha256sum "$REALM_FILE" | cut -d' ' -f1)"

# HTTP status of a URL on the loopback, 000 when nothing answers.
http_status() {
  curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --connect-timeout 2 --max-time 5 "$1" 2>/dev/null || true
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# PID from the PID file if that process is still a running Keycloak, else empty.
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 0
  pid="$(tr -dc '0-9' < "$PID_FILE" || true)"
  # Its command line is bin/kc.sh or, after kc.sh exec'd it, java with keycloak in the class path.
  # (No pipe into grep -q here: with pipefail an early grep exit fails the pipeline.)
  if pid_alive "$pid" && grep -a -q -i -E 'kc\.sh|keycloak' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

# --- 1. Already running? -------------------------------------------------------------------
if [[ "$(http_status "$WELL_KNOWN")" == 200 ]]; then
  issuer="$(curl --noproxy '*' -s --max-time 5 "$WELL_KNOWN" | sed -n 's/.*"issuer" *: *"\([^"]*\)".*/\1/p')"
  info "Keycloak is already running at $REALM_URL (issuer $issuer); not starting a second one"
  if [[ "$issuer" != "$REALM_URL" ]]; then
    echo "$PROG: warning: its issuer is not $REALM_URL; tokens will not match what the apps expect" >&2
  fi
  if [[ -f "$CHECKSUM_FILE" && "$(cat "$CHECKSUM_FILE")" != "$REALM_SUM" ]]; then
    echo "$PROG: warning: the realm file changed since it was imported; run stop.sh then start.sh to re-import it" >&2
  fi
  exit 0
fi
existing="$(running_pid)"
if [[ -z "$existing" ]]; then
  code="$(http_status "$BASE_URL/")"
  [[ "$code" == 000 ]] || die "port $KEYCLOAK_PORT on 127.0.0.1 is taken by something that does not serve the '$REALM' realm (HTTP $code); stop it or set KEYCLOAK_PORT"
fi

# --- 2. Fetch and unpack the distribution once -----------------------------------------------
if [[ -z "$existing" && ! -x "$KC_HOME/bin/kc.sh" ]]; then
  artifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
  tmp="$(mktemp -d "$STARLING_CACHE/.keycloak-$KEYCLOAK_VERSION.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  fetch_log="$LOG_DIR/keycloak-fetch.log"
  info "fetching $artifact with Maven (165 MB the first time; then from ~/.m2)"
  fetched=""
  for attempt in 1 2 3; do
    # -N: only the parent POM is read, the modules are not built.
    if (cd "$REPO_ROOT" && ./mvnw -q -B -N dependency:copy -Dartifact="$artifact" \
          -DoutputDirectory="$tmp/zip" -Dmdep.overWriteReleases=true) >"$fetch_log" 2>&1; then
      fetched=yes; break
    fi
    # Another Maven build may hold locks in ~/.m2 while it downloads: wait and retry.
    [[ $attempt -lt 3 ]] && sleep $((attempt * 10))
  done
  [[ -n "$fetched" ]] || die "could not fetch $artifact with $REPO_ROOT/mvnw (see $fetch_log)"
  zip="$tmp/zip/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  [[ -f "$zip" ]] || die "Maven reported success but $zip is missing (see $fetch_log)"
  info "unpacking into $KC_HOME"
  unzip -q "$zip" -d "$tmp/unpacked" || die "could not unpack $zip"
  [[ -x "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]] \
    || die "unexpected zip layout: no keycloak-$KEYCLOAK_VERSION/bin/kc.sh in $zip"
  # The rename is atomic: an interrupted unzip never leaves a half-filled cache folder.
  if ! mv -T "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION" "$KC_HOME" 2>/dev/null; then
    [[ -x "$KC_HOME/bin/kc.sh" ]] || die "could not move the unpacked distribution to $KC_HOME"
  fi
  rm -rf "$tmp"
  trap - EXIT
fi

# --- 3. Realm import (skipped when our Keycloak is already starting) ------------------------
if [[ -z "$existing" ]]; then
  mkdir -p "$KC_HOME/data/import"
  # Only our realm in the import folder.
  find "$KC_HOME/data/import" -maxdepth 1 -type f -name '*.json' ! -name 'realm-starling.json' -delete
  cp "$REALM_FILE" "$KC_HOME/data/import/realm-starling.json"
  # Dev mode imports with IGNORE_EXISTING into its H2 database: a changed realm file is only
  # imported into a fresh database. The checksum is written once the realm answers.
  if [[ ! -f "$CHECKSUM_FILE" || "$(cat "$CHECKSUM_FILE")" != "$REALM_SUM" ]]; then
    if [[ -d "$KC_HOME/data/h2" ]]; then
      info "realm file changed since the last import: deleting $KC_HOME/data/h2"
      rm -rf "$KC_HOME/data/h2"
    fi
    rm -f "$CHECKSUM_FILE"
  fi
fi

# --- 4. Start ---------------------------------------------------------------------------------
if [[ -n "$existing" ]]; then
  pid="$existing"
  info "Keycloak (pid $pid) is already starting; waiting for it"
else
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
  export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
  info "starting Keycloak $KEYCLOAK_VERSION on $BASE_URL (log: $LOG_FILE)"
  # setsid: its own session and process group, so stop.sh can signal the whole group and a
  # Ctrl-C in this terminal does not reach it.
  (cd "$KC_HOME" && exec setsid nohup bin/kc.sh start-dev \
      --http-host 127.0.0.1 --http-port "$KEYCLOAK_PORT" \
      --hostname "$BASE_URL" --import-realm) >"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$PID_FILE"
fi

# --- 5. Wait for the realm --------------------------------------------------------------------
started=$SECONDS
while :; do
  if [[ "$(http_status "$WELL_KNOWN")" == 200 ]]; then
    echo "$REALM_SUM" > "$CHECKSUM_FILE"
    info "Keycloak is up after $((SECONDS - started)) s: $REALM_URL (admin console $BASE_URL/admin/, pid $pid)"
    exit 0
  fi
  if ! pid_alive "$pid"; then
    rm -f "$PID_FILE"
    echo "----- last 30 lines of $LOG_FILE -----" >&2
    tail -n 30 "$LOG_FILE" >&2 || true
    echo "-----" >&2
    die "Keycloak exited during startup (see $LOG_FILE)"
  fi
  if (( SECONDS - started >= KEYCLOAK_START_TIMEOUT )); then
    die "Keycloak (pid $pid) did not serve $WELL_KNOWN within $KEYCLOAK_START_TIMEOUT s; it is left running (stop.sh stops it; log: $LOG_FILE)"
  fi
  sleep 1
done
