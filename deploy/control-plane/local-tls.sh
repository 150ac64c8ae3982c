#!/usr/bin/env bash
# A local certificate authority and a server certificate for 127.0.0.1, ::1 and localhost, made
# with openssl, for the quick start and the system tests. Not for production: there, the
# certificate comes from your own CA or a public one (docs/operations.md, "HTTPS").
#
#   deploy/control-plane/local-tls.sh DIR
#
# DIR/ca.pem       the CA certificate: give it to agents (--ca-bundle) and to curl (--cacert)
# DIR/ca.key       the CA's private key (0600); it never leaves DIR
# DIR/server.pem   the server certificate followed by the CA certificate (the chain served)
# DIR/server.key   the server's private key (0600)
#
# Idempotent: an existing CA is kept (agents enrolled with it keep trusting the server); a server
# certificate is re-issued from it when it is missing, expires within 30 days or no longer matches
# the CA. A control plane started with quarkus.tls.reload-period picks a re-issued one up while
# it runs.
set -euo pipefail

PROG="local-tls.sh"
die() { echo "$PROG: error: $*" >&2; exit 1; }

[[ $# -eq 1 && "$1" != -* ]] || { echo "Usage: deploy/control-plane/local-tls.sh DIR" >&2; exit 2; }
command -v openssl >/dev/null || die "openssl is not installed (needed to make the quick start's certificates)"
DIR="$1"
mkdir -p "$DIR"
umask 077 # private keys are written owner-only from the start, never chmod-ed afterwards

CA_DAYS=3650
SERVER_DAYS=397 # what browsers accept for a server certificate
RENEW_SECONDS=$((30 * 24 * 3600))

if [[ ! -s "$DIR/ca.pem" || ! -s "$DIR/ca.key" ]]; then
  rm -f "$DIR/server.pem" "$DIR/server.key" # issued by a CA that is gone
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$DIR/ca.key.new" -out "$DIR/ca.pem.new" -days "$CA_DAYS" \
    -subj "/O=Starling quick start/CN=Starling local CA $(hostname 2>/dev/null || echo)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null || die "openssl could not make the local CA in $DIR"
  mv "$DIR/ca.key.new" "$DIR/ca.key"
  chmod 644 "$DIR/ca.pem.new" # certificates are public
  mv "$DIR/ca.pem.new" "$DIR/ca.pem"
  echo "$PROG: made a local CA: $DIR/ca.pem"
fi

server_ok() {
  [[ -s "$DIR/server.pem" && -s "$DIR/server.key" ]] \
    && openssl x509 -in "$DIR/server.pem" -noout -checkend "$RENEW_SECONDS" >/dev/null 2>&1 \
    && openssl verify -CAfile "$DIR/ca.pem" "$DIR/server.pem" >/dev/null 2>&1
}

if ! server_ok; then
  ext="$DIR/server.ext"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$DIR/server.key.new" -out "$DIR/server.csr" -subj "/O=Starling quick start/CN=127.0.0.1" 2>/dev/null \
    || die "openssl could not make the server key in $DIR"
  openssl x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$SERVER_DAYS" -sha256 -extfile "$ext" \
    -out "$DIR/server.pem.new" 2>/dev/null || die "openssl could not sign the server certificate in $DIR"
  cat "$DIR/ca.pem" >>"$DIR/server.pem.new"
  chmod 644 "$DIR/server.pem.new"
  mv "$DIR/server.key.new" "$DIR/server.key"
  mv "$DIR/server.pem.new" "$DIR/server.pem"
  rm -f "$DIR/server.csr" "$ext"
  echo "$PROG: issued a server certificate for 127.0.0.1, ::1 and localhost: $DIR/server.pem"
fi
