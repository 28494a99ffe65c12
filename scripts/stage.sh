#!/usr/bin/env bash
# Usage: stage.sh NAME COMMAND... — runs one stage of `make test`, says how long it took, and adds the time to
# .build/stage-times, which `make test` prints whole at its end.
set -uo pipefail
name=$1
shift
start=$(date +%s)
"$@"
status=$?
seconds=$(($(date +%s) - start))
mkdir -p .build
printf '%-18s %5d s%s\n' "$name" "$seconds" "$([ "$status" -eq 0 ] || echo "  (failed: exit $status)")" >>.build/stage-times
echo "make test: $name took $seconds s"
exit "$status"
