#!/usr/bin/env bash
# The README's "Roll out to three agents", runnable: a release rolled out in two waves (one agent,
# then the rest) to the agents labelled "quickstart", watched on the live feed until it finishes.
# Needs deploy/quickstart.sh up --agents 3. Tested by e2e RolloutsIT (its agents carry that label).
set -euo pipefail

STARLING=${STARLING_URL:-https://127.0.0.1:8443}
KEYCLOAK=${KEYCLOAK_URL:-http://127.0.0.1:8180}
# curl checks the control plane's certificate against the quick start's own CA (as --cacert would;
# set unconditionally, since some machines point CURL_CA_BUNDLE at the system's list)
STARLING_CA=${STARLING_CA:-${STARLING_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.starling}/tls/ca.pem}
export CURL_CA_BUNDLE=$STARLING_CA
SIZE=${SIZE:-50M}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

TOKEN=$(curl -fsS "$KEYCLOAK/realms/starling/protocol/openid-connect/token" \
  -d grant_type=password -d client_id=starling-cli -d username=admin -d password=admin | jq -r .access_token)
AUTH="Authorization: Bearer $TOKEN"
API=$STARLING/api/v1

# A release whose install step writes its version into the release folder
head -c "$SIZE" /dev/urandom > chat.bin
curl -fsS -w '\n' -H "$AUTH" -H 'Content-Type: application/json' $API/products -d '{"name":"team-chat"}'
curl -fsS -w '\n' -H "$AUTH" -H 'Content-Type: application/json' $API/products/team-chat/releases \
  -d '{"version":"3.2.0","install":{"command":["sh","-c","echo 3.2.0 > version.txt"]}}'
curl -fsS -w '\n' -H "$AUTH" -T chat.bin $API/products/team-chat/releases/3.2.0/artifacts/chat.bin
curl -fsS -w '\n' -H "$AUTH" -X POST $API/products/team-chat/releases/3.2.0/publish

# Two waves: one agent (1 % of three, rounded up), then the rest once it has installed
ID=$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' $API/rollouts -d '{"name":"team-chat 3.2.0",
  "product":"team-chat","version":"3.2.0","target":{"labels":["quickstart"]},
  "waves":[{"name":"canary","percent":1},{"name":"the rest"}]}' | jq -r .id)
echo "rollout $ID"

# Watch it live until it has finished: each change as it happens (Server-Sent Events)
set +o pipefail # sed stops reading at FINISHED, and curl then ends on a broken pipe
curl -sN -H "$AUTH" "$API/rollouts/$ID/events?after=0" | sed '/"to":"FINISHED"/q'
set -o pipefail

curl -fsS -H "$AUTH" $API/rollouts/$ID | jq -c '{state, counts: (.counts | with_entries(select(.value > 0))),
  waves: [.waves[] | {name, agents, state}]}'
