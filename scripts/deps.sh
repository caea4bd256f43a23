#!/usr/bin/env bash
# Installs the system packages vibe builds and tests with (Debian; runs apt-get only when something is missing).
set -euo pipefail
# Build: ncursesw. Tests: tmux (TUI/CLI end to end, differential), libvterm + a C compiler (differential),
# python3 (harness scripts), procps (pgrep). Re-recording the differential streams also needs vim, less, man-db.
# TOMLKit (config) compiles C++: libstdc++ headers. The docker driver's tests: a Docker engine and
# mmdebstrap (the workspace image's Debian base).
# File tools' tests: patch. The deploy test: nginx and openssl. Python packages (pip): mcp (an outside MCP
# client), websockets (sockets through nginx), openapi-spec-validator and schemathesis (the OpenAPI document).
needed=(libncursesw5-dev libstdc++-12-dev tmux libvterm-dev gcc python3 procps docker.io mmdebstrap patch
  nginx openssl curl)
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python_needed=(mcp websockets openapi_spec_validator schemathesis)
python_missing=()
for m in "${python_needed[@]}"; do python3 -c "import $m" 2>/dev/null || python_missing+=("${m//_/-}"); done
if [ ${#python_missing[@]} -gt 0 ]; then
  echo "deps: pip installing ${python_missing[*]}" >&2
  python3 -m pip install -q "${python_missing[@]}"
fi
