#!/usr/bin/env bash
# Runs a command for at most a duration (`30m`, `120`), so that a hang fails instead of stalling. Where
# there is no `timeout` (macOS without Homebrew's coreutils) the command runs unbounded.
set -euo pipefail
limit=$1
shift
for command in timeout gtimeout; do
  if command -v "$command" >/dev/null; then exec "$command" --kill-after=10s "$limit" "$@"; fi
done
exec "$@"
