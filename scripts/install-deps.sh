#!/usr/bin/env bash
# Installs the system libraries the build links against, and any packages named as arguments, when
# missing: with apt-get on Debian and Ubuntu (as root); on macOS it names the Homebrew command instead.
set -euo pipefail
if [ "$(uname)" = Darwin ]; then
  if ! pkg-config --exists libmongoc-1.0 2>/dev/null; then
    echo "Missing the MongoDB C driver. Run: brew install pkg-config mongo-c-driver" >&2
    exit 1
  fi
  exit 0
fi
packages=(pkg-config libsqlite3-dev libmongoc-dev libbson-dev "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
