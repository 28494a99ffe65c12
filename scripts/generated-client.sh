#!/usr/bin/env bash
# Builds the client an iOS developer generates from the served /openapi.json (swift-openapi-generator,
# URLSession transport) and runs an app's flow with it against a live server: on SQLite, and on the MongoDB
# that MONGODB_TEST_URL names (scripts/with-secantus.sh sets it); without one it fails, unless SKIP_MONGODB=1.
set -euo pipefail
if [ "${SKIP_MONGODB:-}" != 1 ] && [ -z "${MONGODB_TEST_URL:-}" ]; then
  echo "MONGODB_TEST_URL is not set: run this under scripts/with-secantus.sh, or set SKIP_MONGODB=1 to leave MongoDB out" >&2
  exit 1
fi
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
if [ "${SKIP_MONGODB:-}" = 1 ]; then
  echo "MongoDB: skipped by request (SKIP_MONGODB=1)"
else
  serve "$MONGODB_TEST_URL/generated_client_$RANDOM$RANDOM"
  echo "MongoDB:"
  "$(dirname "$0")/bounded.sh" 120 "$flow" "$base"
fi
