#!/usr/bin/env bash
# The README's curl walk-through, runnable: token → product → release → upload (curl -T) →
# publish → torrent and manifest → openssl verifies the manifest signature.
# Needs a running quick start (deploy/quickstart.sh up). Tested by e2e WalkthroughIT.
set -euo pipefail

STARLING=${STARLING_URL:-https://127.0.0.1:8443}
KEYCLOAK=${KEYCLOAK_URL:-http://127.0.0.1:8180}
# curl checks the control plane's certificate against the quick start's own CA (as --cacert would;
# set unconditionally, since some machines point CURL_CA_BUNDLE at the system's list)
STARLING_CA=${STARLING_CA:-${STARLING_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.starling}/tls/ca.pem}
export CURL_CA_BUNDLE=$STARLING_CA
SIZE=${SIZE:-1G}
PRODUCT=${PRODUCT:-office-suite}
VERSION=${VERSION:-2.4.1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# 1. A token for the demo admin, from Keycloak (client starling-cli, password grant).
TOKEN=$(curl -fsS "$KEYCLOAK/realms/starling/protocol/openid-connect/token" \
  -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin | jq -r .access_token)
AUTH="Authorization: Bearer $TOKEN"

# 2. A product and a draft release.
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$STARLING/api/v1/products" \
  -d "{\"name\":\"$PRODUCT\",\"description\":\"The office suite\"}" | jq -c .
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$STARLING/api/v1/products/$PRODUCT/releases" \
  -d "{\"version\":\"$VERSION\",\"notes\":\"Fixes printing\",\"install\":{\"command\":[\"sh\",\"-c\",\"echo installed\"]}}" | jq -c .

# 3. Upload an artifact: streamed, hashed on the way in, checked against the declared SHA-256.
head -c "$SIZE" /dev/urandom > setup.bin
SHA=$(sha256sum setup.bin | cut -d' ' -f1)
curl -fsS -H "$AUTH" -H "X-Starling-Sha256: $SHA" -T setup.bin \
  "$STARLING/api/v1/products/$PRODUCT/releases/$VERSION/artifacts/setup.bin" | jq -c .

# 4. Publish: torrents are built and the manifest is signed.
curl -fsS -H "$AUTH" -X POST "$STARLING/api/v1/products/$PRODUCT/releases/$VERSION/publish" | jq -c '{state, sequence, keyId, expiresAt}'

# 5. The torrent (your passkey is in its announce URL) and the signed manifest.
curl -fsS -H "$AUTH" -o setup.bin.torrent "$STARLING/api/v1/products/$PRODUCT/releases/$VERSION/artifacts/setup.bin/torrent"
curl -fsS -H "$AUTH" -o manifest.json "$STARLING/api/v1/products/$PRODUCT/releases/$VERSION/manifest"
curl -fsS -H "$AUTH" "$STARLING/api/v1/products/$PRODUCT/releases/$VERSION/manifest.sig" | base64 -d > manifest.sig
curl -fsS -H "$AUTH" "$STARLING/api/v1/signing-keys" | jq -r '.[0].publicKeyPem' > signing-key.pem

# 6. Anyone can check the signature with openssl.
openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.sig
jq -e --arg sha "$SHA" '.artifacts[0].sha256 == $sha' manifest.json >/dev/null && echo "manifest names the uploaded bytes: $SHA"
