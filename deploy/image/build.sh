#!/usr/bin/env bash
# Builds the default workspace image for `vibe serve --driver docker`, with no registry:
#   1. a Debian bookworm root filesystem from the Debian mirror (mmdebstrap), imported as vibe-base:bookworm-HASH
#      (HASH from its package list; skipped when that image exists; FORCE_BASE=1 rebuilds it);
#   2. the Dockerfile beside this script on top: a user `dev`, /workspace, and the vibe binary (the workspace
#      agent) with the shared libraries it needs that Debian does not ship.
# Usage: deploy/image/build.sh [VIBE_BINARY] [IMAGE]   (defaults: .build/debug/vibe, vibe-workspace:latest)
# Needs: a running Docker engine, the docker CLI, mmdebstrap (apt-get install docker.io mmdebstrap).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${1:-$root/.build/debug/vibe}
image=${2:-${VIBE_IMAGE:-vibe-workspace:latest}}
# libcurl4: the binary links Foundation's networking (through the MCP SDK). The base's tag follows its package
# list, so a changed list makes a new base instead of reusing one without the new packages.
packages=bash,ca-certificates,git,python3,procps,less,libncursesw6,libcurl4
base=vibe-base:bookworm-$(printf '%s' "$packages" | md5sum | cut -c1-8)
[ -x "$binary" ] || { echo "build.sh: no vibe binary at $binary (swift build --product vibe)" >&2; exit 2; }
if [ "${FORCE_BASE:-0}" = 1 ] || ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "build.sh: making $base with mmdebstrap" >&2
  mmdebstrap --variant=minbase --include="$packages" bookworm - \
    | docker import - "$base"
fi
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/vibe"
cp "$here/Dockerfile" "$context/"
strip --strip-debug -o "$context/vibe/vibe" "$binary" 2>/dev/null || cp "$binary" "$context/vibe/vibe"
# Every shared library outside the system folders (the Swift runtime of a non-static build) goes beside it;
# the binary finds them through its $ORIGIN run path.
ldd "$binary" | awk '$3 ~ /^\// && $3 !~ /^\/(usr\/)?lib/ {print $3}' | while read -r lib; do
  cp -L "$lib" "$context/vibe/"
done
docker build --quiet --build-arg BASE="$base" -t "$image" "$context" >/dev/null
echo "build.sh: built $image" >&2
