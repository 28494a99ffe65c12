#!/usr/bin/env bash
# Tests the running server from its own OpenAPI document with schemathesis: default checks plus
# stateful links, a fixed seed and example count so the run is bounded and repeatable.
set -euo pipefail
"$(dirname "$0")/venv.sh"
. "$(dirname "$0")/serve.sh"
serve sqlite::memory:
curl -sf -X POST "$base/users" -H 'Content-Type: application/json' -d '{"username":"fuzzer","password":"fuzz-password"}' >/dev/null
token=$(curl -sf -X POST -u fuzzer:fuzz-password "$base/tokens" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])')
status=0
"$venv/bin/schemathesis" run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --exclude-operation-id deleteUser --exclude-operation-id revokeToken \
  --max-examples "${FUZZ_EXAMPLES:-25}" --seed 20261125 --generation-database none \
  --no-color || status=$?
if [ -s "$server_log" ]; then echo "server log:"; cat "$server_log"; fi
exit $status
