#!/usr/bin/env bash
# Fuzzes the running server from its own OpenAPI document with schemathesis: default checks plus
# stateful links, a fixed seed and example count so the run is bounded and repeatable.
set -euo pipefail
binary=${1:-.build/debug/trip-planner}
venv=.venv
"$(dirname "$0")/venv.sh"
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$binary" --database sqlite::memory: --port "$port" --bcrypt-cost 4 --log-level error >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
curl -sf -X POST "$base/users" -d '{"username":"fuzzer","password":"fuzz-password"}' >/dev/null
token=$(curl -sf -X POST -u fuzzer:fuzz-password "$base/tokens" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])')
status=0
"$venv/bin/schemathesis" run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --exclude-operation-id deleteUser --exclude-operation-id revokeToken \
  --max-examples "${FUZZ_EXAMPLES:-25}" --seed 20261125 --generation-database none \
  --no-color || status=$?
if [ -s "$log" ]; then echo "server log:"; cat "$log"; fi
exit $status
