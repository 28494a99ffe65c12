#!/usr/bin/env bash
# Runs the given command with MONGODB_TEST_URL naming a throw-away SecantusDB server (MongoDB's wire
# protocol over WiredTiger), installed into .venv on first use and stopped on every exit path.
set -euo pipefail
venv=.venv
"$(dirname "$0")/venv.sh"
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$venv/bin/secantusd-py" --host 127.0.0.1 --port "$port" --storage-path :memory: >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "SecantusDB exited:" >&2; cat "$log" >&2; exit 1; fi
  if "$venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
  sleep 0.1
done
echo "SecantusDB on 127.0.0.1:$port"
MONGODB_TEST_URL="mongodb://127.0.0.1:$port" SECANTUSD="$PWD/$venv/bin/secantusd-py" "$@"
