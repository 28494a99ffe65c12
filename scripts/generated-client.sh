#!/usr/bin/env bash
# Builds the client an iOS developer generates from the served /openapi.json (swift-openapi-generator,
# URLSession transport) and runs an app's flow with it against a live server: on SQLite, and on MongoDB
# when MONGODB_TEST_URL names a server.
set -euo pipefail
"$(dirname "$0")/venv.sh"
. "$(dirname "$0")/serve.sh"
package=Tests/GeneratedClient
scratch=.build-client
serve sqlite::memory:
curl -sf "$base/openapi.json" -o "$package/Sources/GeneratedClientFlow/openapi.json"
swift build --package-path "$package" --scratch-path "$scratch" --product GeneratedClientFlow
flow="$scratch/debug/GeneratedClientFlow"
echo "SQLite:"
"$(dirname "$0")/bounded.sh" 120 "$flow" "$base"
if [ -n "${MONGODB_TEST_URL:-}" ]; then
  serve "$MONGODB_TEST_URL/generated_client_$RANDOM$RANDOM"
  echo "MongoDB:"
  "$(dirname "$0")/bounded.sh" 120 "$flow" "$base"
fi
