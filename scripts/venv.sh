#!/usr/bin/env bash
# Makes the project's Python virtual environment (.venv) with SecantusDB and schemathesis, once.
set -euo pipefail
venv=.venv
if [ ! -x "$venv/bin/secantusd-py" ] || [ ! -x "$venv/bin/schemathesis" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'secantusdb==0.7.0b3' 'schemathesis==4.32.5'
fi
