#!/usr/bin/env bash
# End-to-end tests of `vibe serve --driver docker` and `vibe --driver docker` through the CLI and the TUI,
# against a real Docker engine and the workspace image (scripts/test provides both; VIBE_DOCKER_TESTS=1).
#   VIBE=path/to/vibe Tests/Docker/run.sh
# Prints one line per check and a final "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
VIBE=${VIBE:-$root/.build/debug/vibe}
[ -x "$VIBE" ] || { echo "no vibe binary at $VIBE"; exit 2; }
VIBE=$(cd "$(dirname "$VIBE")" && pwd)/$(basename "$VIBE")
docker info >/dev/null 2>&1 || { echo "no Docker engine answers"; exit 2; }
work=$(mktemp -d)
export HOME="$work/home" VIBE_DATA_DIR="$work/data" XDG_RUNTIME_DIR="$work/run" XDG_STATE_HOME="$work/state"
export SHELL=/bin/bash LANG=C.UTF-8 LC_ALL=C.UTF-8
unset VIBE_SERVER VIBE_TOKEN VIBE_DRIVER
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
tag="e2e$$"
pids=()
tmux_socket="$work/tmux.sock"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  "$VIBE" kill-server >/dev/null 2>&1
  tmux -S "$tmux_socket" kill-server 2>/dev/null
  for c in $(docker ps -aq --filter "label=vibe.session" --filter "name=$tag"); do docker rm -f "$c" >/dev/null; done
  for v in $(docker volume ls -q --filter "label=vibe.session" | grep -- "$tag"); do docker volume rm "$v" >/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
wait_for() { for _ in $(seq 1 300); do "$@" && return 0; sleep 0.1; done; return 1; }

# --- no engine: the server refuses to start and says why ---
DOCKER_HOST=unix://$work/no-engine.sock "$VIBE" serve --driver docker --port 0 --data-dir "$work/x" >/dev/null 2>"$work/noengine"; rc=$?
check "serve --driver docker with no engine exits 7" [ $rc -eq 7 ]
check "… and says no engine answers" grep -q "no Docker engine answers" "$work/noengine"

# --- a missing image: IMAGE_UNAVAILABLE, printed once, and wait stops at once ---
"$VIBE" serve --driver docker --image "vibe-missing-$tag:none" --port 0 --data-dir "$work/missing" >"$work/m.out" 2>"$work/m.log" &
pids+=($!)
wait_for grep -q listening "$work/m.out"
murl=$(grep -o 'http://[0-9.:]*' "$work/m.out" | head -1)
VIBE_SERVER=$murl "$VIBE" session create --id "$tag-m" >/dev/null
VIBE_SERVER=$murl "$VIBE" wait "$tag-m" --timeout 60 2>"$work/wait.err"; rc=$?
check "vibe wait on a missing image exits 6" [ $rc -eq 6 ]
check "… with IMAGE_UNAVAILABLE printed once" [ "$(grep -o IMAGE_UNAVAILABLE "$work/wait.err" | wc -l)" -eq 1 ]
check "… and how to build the image" grep -q "deploy/image/build.sh" "$work/wait.err"

# --- the kill switch: SIGUSR2 toggles it; new sessions get 503, existing ones keep working ---
"$VIBE" serve --driver docker --port 0 --data-dir "$work/srv" >"$work/s.out" 2>"$work/s.log" &
spid=$!; pids+=($spid)
wait_for grep -q listening "$work/s.out"
surl=$(grep -o 'http://[0-9.:]*' "$work/s.out" | head -1)
VIBE_SERVER=$surl "$VIBE" session create --id "$tag-k" >/dev/null
out=$(VIBE_SERVER=$surl "$VIBE" exec "$tag-k" -- sh -c 'id -un; pwd')
check "exec runs as dev in /workspace" [ "$out" = "$(printf 'dev\n/workspace')" ]
kill -USR2 "$spid"
wait_for sh -c "curl -s $surl/api/vibecoding/admin/new-sessions | grep -q '\"enabled\":false'"
VIBE_SERVER=$surl "$VIBE" session create --id "$tag-new" 2>"$work/ks.err"; rc=$?
check "with the kill switch on, a new session is refused (exit 6)" [ $rc -eq 6 ]
check "… as SERVICE_DISABLED (HTTP 503)" grep -q "SERVICE_DISABLED (HTTP 503)" "$work/ks.err"
out=$(VIBE_SERVER=$surl "$VIBE" exec "$tag-k" -- echo still-works)
check "… while the existing session keeps working" [ "$out" = "still-works" ]
kill -USR2 "$spid"
wait_for sh -c "curl -s $surl/api/vibecoding/admin/new-sessions | grep -q '\"enabled\":true'"
check "SIGUSR2 again lets new sessions in" sh -c "VIBE_SERVER=$surl '$VIBE' session create --id '$tag-n2' >/dev/null"
VIBE_SERVER=$surl "$VIBE" session delete "$tag-n2" >/dev/null
VIBE_SERVER=$surl "$VIBE" session delete "$tag-k" >/dev/null
check "delete leaves no container for the session" sh -c "[ -z \"\$(docker ps -aq --filter label=vibe.session=$tag-k)\" ]"
check "… and no volume" sh -c "! docker volume ls -q --filter label=vibe.session=$tag-k | grep -q ."

# --- the TUI on a container session through your own docker server ---
mkdir -p "$work/proj-$tag"
tmux -S "$tmux_socket" -f /dev/null new-session -d -x 120 -y 36 -c "$work/proj-$tag" \
  "env HOME=$HOME VIBE_DATA_DIR=$VIBE_DATA_DIR XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR XDG_STATE_HOME=$XDG_STATE_HOME $VIBE --driver docker; echo VIBE-EXITED-\$?; sleep 600"
pane() { tmux -S "$tmux_socket" capture-pane -p -t 0; }
check "vibe --driver docker opens the TUI on a container (dev@…:/workspace)" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p | grep -q 'dev@[0-9a-f]*:/workspace'"
tmux -S "$tmux_socket" send-keys "echo IN-\$((3*3))-\$(id -un)" Enter
check "… and the shell in it runs commands" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p | grep -q 'IN-9-dev'"
tmux -S "$tmux_socket" send-keys C-b d
check "… C-b d detaches" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p | grep -q 'VIBE-EXITED-0'"
id=$("$VIBE" --driver docker ls | awk -v p="proj-$tag" 'index($1, p) == 1 {print $1}')
check "vibe --driver docker ls lists the folder's container session" [ -n "$id" ]
"$VIBE" --driver docker kill-session "$id" 2>/dev/null
check "kill-session removes its container" sh -c "[ -z \"\$(docker ps -aq --filter label=vibe.session=$id)\" ]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
