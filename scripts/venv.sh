#!/usr/bin/env bash
# Makes the project's Python virtual environment (.venv): SecantusDB, schemathesis, and the GPX and GeoJSON
# parsers that check exports, and the Prometheus text parser that checks /metrics; reinstalls when this list changes.
set -euo pipefail
venv=.venv
requirements="secantusdb==0.7.0b3 schemathesis==4.32.5 gpxpy==1.6.2 geojson==3.3.0 prometheus-client==0.26.0"
if [ "$(cat "$venv/requirements" 2>/dev/null)" != "$requirements" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q $requirements
  echo "$requirements" >"$venv/requirements"
fi
