#!/usr/bin/env bash
# Makes a Docker engine and the workspace image available for the docker driver's tests.
#   source scripts/docker-engine.sh   # then: docker_engine_up; docker_image_build; …; docker_engine_down
# Starts dockerd only when no engine answers, and stops only the one it started.
VIBE_DOCKERD_PID=""

docker_engine_up() {
  if docker info >/dev/null 2>&1; then return 0; fi
  command -v dockerd >/dev/null || { echo "docker-engine: dockerd is not installed" >&2; return 1; }
  dockerd >/tmp/vibe-dockerd.log 2>&1 &
  VIBE_DOCKERD_PID=$!
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$VIBE_DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "docker-engine: dockerd did not come up; its log:" >&2
  tail -20 /tmp/vibe-dockerd.log >&2
  return 1
}

# docker_image_build BINARY: the default workspace image with this vibe binary (the Debian base is kept).
docker_image_build() {
  "$(dirname "${BASH_SOURCE[0]}")/../deploy/image/build.sh" "$1"
}

docker_engine_down() {
  [ -n "$VIBE_DOCKERD_PID" ] || return 0
  kill "$VIBE_DOCKERD_PID" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$VIBE_DOCKERD_PID" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$VIBE_DOCKERD_PID" 2>/dev/null
}
