# Sourced by scripts that need a live server: `serve DATABASE_URL` starts the built trip-planner on a
# free port with bcrypt cost 4, sets `base` to its URL once /health answers, and stops it on exit.
venv=.venv
binary=${TRIP_PLANNER:-.build/debug/trip-planner}
server_pids=()
server_log=$(mktemp)
trap 'for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -f "$server_log"' EXIT

serve() {
  local port
  port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$binary" --database "$1" --port "$port" --bcrypt-cost 4 --log-level error >>"$server_log" 2>&1 &
  server_pids+=($!)
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$base/health" >/dev/null && return 0; sleep 0.1; done
  echo "trip-planner did not answer on $base:" >&2
  cat "$server_log" >&2
  return 1
}

stop_servers() {
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  server_pids=()
}
