#!/usr/bin/env bash
# Checks what docs/deploy.md gives that this machine can run: the systemd unit with systemd-analyze verify (any
# warning fails), and the nginx configuration with nginx -t, under a throw-away certificate. Takes the trip-planner
# binary to put in the unit's ExecStart (default: the debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-.build/debug/trip-planner}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed "s|/opt/trip-planner/trip-planner|$binary|" deploy/trip-planner.service >"$work/trip-planner.service"
verdict=$(systemd-analyze verify "$work/trip-planner.service" 2>&1) || { echo "$verdict" >&2; exit 1; }
if [ -n "$verdict" ]; then echo "systemd-analyze verify: $verdict" >&2; exit 1; fi
echo "systemd unit: verified"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
mkdir -p "$work/logs"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
    access_log off;
    $(sed "s|/etc/ssl/trip-planner/|$work/|" deploy/nginx-trip-planner.conf)
}
CONF
nginx -t -q -p "$work" -c "$work/nginx.conf"
echo "nginx configuration: nginx -t passed"
