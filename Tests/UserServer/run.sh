#!/usr/bin/env bash
# End-to-end tests of the user's own background server (`vibe daemon`, started on demand by every client
# command without --server), with real processes: start, runtime folder, auth, persistence, kill-session,
# kill-server, start races, stale state, version mismatch and isolation from another Unix user.
#   VIBE=path/to/vibe Tests/UserServer/run.sh
# Prints one line per check and a final "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
VIBE=${VIBE:-$root/.build/debug/vibe}
[ -x "$VIBE" ] || { echo "no vibe binary at $VIBE"; exit 2; }
VIBE=$(cd "$(dirname "$VIBE")" && pwd)/$(basename "$VIBE")
work=$(mktemp -d)
work=$(cd "$work" && pwd -P)
# Everything of this run lives under $work: its own home, data, runtime and state folders.
export HOME="$work/home" VIBE_DATA_DIR="$work/data" XDG_RUNTIME_DIR="$work/run" XDG_STATE_HOME="$work/state"
export SHELL=/bin/bash LANG=C.UTF-8 LC_ALL=C.UTF-8
unset VIBE_SERVER VIBE_TOKEN VIBE_AUTH_SECRET VIBE_TEST_SERVER_VERSION VIBE_TEST_READY_DELAY_MS TMUX
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
rundir="$XDG_RUNTIME_DIR/vibe"
tmux_socket="$work/tmux.sock"
other_user=""
other_uid=""
other_env=()
race_env=(XDG_RUNTIME_DIR="$work/race" VIBE_DATA_DIR="$work/race-data" XDG_STATE_HOME="$work/race-state")

# The pids of `vibe daemon` processes whose environment has XDG_RUNTIME_DIR=$1.
daemons_for() {
  local p
  for p in $(pgrep -f 'vibe daemon'); do
    grep -qzx "XDG_RUNTIME_DIR=$1" "/proc/$p/environ" 2>/dev/null && echo "$p"
  done
}
cleanup() {
  tmux -S "$tmux_socket" kill-server 2>/dev/null
  "$VIBE" kill-server 2>/dev/null
  [ -d "$work/race" ] && env "${race_env[@]}" "$VIBE" kill-server 2>/dev/null
  if [ -n "$other_user" ]; then
    (cd / && runuser -u "$other_user" -- env "${other_env[@]}" "$work/other/vibe" kill-server 2>/dev/null)
    local f="/tmp/vibe-$other_uid/server.json"
    [ -f "$f" ] && kill -9 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$f")" 2>/dev/null
  fi
  # Last resort: any daemon of ours still alive (by pid, only those whose environment names our folders).
  local p
  for p in $(daemons_for "$work/run") $(daemons_for "$work/race"); do kill -9 "$p" 2>/dev/null; done
  if [ -n "$other_user" ]; then
    for p in $(pgrep -u "$other_uid" -f 'vibe daemon'); do kill -9 "$p" 2>/dev/null; done
    rm -rf "/tmp/vibe-$other_uid"
    userdel "$other_user" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
skipped=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
skip() { skipped=$((skipped + 1)); echo "skip $1"; }
# Polls a command until it succeeds (at most ~15 s).
wait_for() { for _ in $(seq 1 150); do "$@" && return 0; sleep 0.1; done; return 1; }
# True while the process runs (a zombie waiting for its reaper counts as gone).
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }
gone() { ! alive "$1"; }
# A field of a JSON file or string.
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2" 2>/dev/null; }
server_pid() { json_field "$rundir/server.json" pid; }
server_port() { json_field "$rundir/server.json" port; }
lock_free() { flock -n "$1" true; }
# The session's field in `vibe ls --json`.
ls_json() {
  "$VIBE" --json ls 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in d["sessions"]:
    if s["id"] == sys.argv[1]: print(s.get(sys.argv[2])); break' "$1" "$2"
}
tm() { tmux -S "$tmux_socket" "$@"; }
pane_has() { tm capture-pane -p -t "$1" | grep -q "$2"; }
# Opens `vibe attach TARGET` in a new tmux window named $1 and waits for the shell prompt.
attach_in_tmux() {
  local name=$1 target=$2
  local cmd="$VIBE attach '$target'; echo ATTACH-EXIT=\$?; sleep 60"
  if tm has-session -t main 2>/dev/null; then
    tm new-window -d -t main -n "$name" "$cmd"
  else
    tm -f /dev/null new-session -d -s main -n "$name" -x 100 -y 30 "$cmd"
  fi
  wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t 'main:$name' | grep -q '[#\$] *\$'"
}

# --- the first command starts the server ---
"$VIBE" ls >"$work/ls.out" 2>"$work/ls.err"; rc=$?
check "vibe ls with no server running exits 0" [ $rc -eq 0 ]
check "vibe ls prints the header ID STATE TERMS CLIENTS ACTIVITY WORKSPACE" \
  grep -Eq '^ID +STATE +TERMS +CLIENTS +ACTIVITY +WORKSPACE$' "$work/ls.out"
check "the runtime folder is \$XDG_RUNTIME_DIR/vibe" [ -d "$rundir" ]
check "the runtime folder has mode 0700" [ "$(stat -c %a "$rundir")" = 700 ]
check "the runtime folder is owned by the user" [ "$(stat -c %u "$rundir")" = "$(id -u)" ]
check "server.json has mode 0600" [ "$(stat -c %a "$rundir/server.json" 2>/dev/null)" = 600 ]
check "server.json has version, pid, port, token, startedAt" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"version", "pid", "port", "token", "startedAt"}, d
assert isinstance(d["pid"], int) and isinstance(d["port"], int) and d["token"]' "$rundir/server.json"
pid=$(server_pid)
port=$(server_port)
check "the server in server.json runs (pid $pid)" alive "$pid"
check "it is \`vibe daemon\`" grep -qz '^daemon$' "/proc/$pid/cmdline"
daemons=$(daemons_for "$XDG_RUNTIME_DIR" | wc -l)
check "exactly one daemon runs for this runtime folder ($daemons)" [ "$daemons" -eq 1 ]
ppid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
check "the daemon is not a child of a client (ppid $ppid)" \
  sh -c "[ '$ppid' != $$ ] && [ \"\$(readlink /proc/$ppid/exe)\" != '$(readlink -f "$VIBE")' ]"
check "the daemon runs in a session of its own" [ "$(ps -o sid= -p "$pid" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ]
check "its stdin is /dev/null" [ "$(readlink "/proc/$pid/fd/0")" = /dev/null ]
check "its stdout and stderr go to \$XDG_STATE_HOME/vibe/server.log" \
  sh -c "[ \"\$(readlink /proc/$pid/fd/1)\" = '$XDG_STATE_HOME/vibe/server.log' ] && [ \"\$(readlink /proc/$pid/fd/2)\" = '$XDG_STATE_HOME/vibe/server.log' ]"
check "server.log has the server's start line" wait_for grep -q 'listening' "$XDG_STATE_HOME/vibe/server.log"
sigign=$(awk '/^SigIgn:/ {print $2}' "/proc/$pid/status")
check "the daemon ignores SIGHUP (SigIgn $sigign)" [ $((0x$sigign & 1)) -eq 1 ]
kill -HUP "$pid"
"$VIBE" ls >/dev/null 2>&1; rc=$?
check "after a SIGHUP the same server still answers" [ "$rc:$(server_pid)" = "0:$pid" ]
check "and its process still runs" alive "$pid"
check "the daemon holds server.lock" sh -c "! flock -n '$rundir/server.lock' true"
"$VIBE" ls >/dev/null 2>&1
check "a second command reuses the server (same pid)" [ "$(server_pid)" = "$pid" ]

# --- auth on loopback ---
code=$(curl -s -o "$work/noauth.json" -w '%{http_code}' "http://127.0.0.1:$port/api/vibecoding/sessions")
check "a request without the token gets 401 ($code)" [ "$code" = 401 ]
check "the 401 answer is JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d.get("ok") is False, d' "$work/noauth.json"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
check "/healthz answers without a token ($code)" [ "$code" = 200 ]
token=$(json_field "$rundir/server.json" token)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/vibecoding/sessions")
check "the token of server.json is accepted ($code)" [ "$code" = 200 ]
ip=$(hostname -I 2>/dev/null | awk '{print $1}')
if [ -n "$ip" ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 "http://$ip:$port/healthz")
  check "the server does not answer on $ip (only on 127.0.0.1): $code" [ "$code" = 000 ]
else
  skip "the server listens on loopback only (no other address here)"
fi

# --- sessions through the user's server ---
out=$("$VIBE" session create --id s1 2>"$work/err"); rc=$?
check "session create prints the id" [ "$rc:$out" = 0:s1 ]
out=$("$VIBE" exec s1 -- sh -c 'echo kept > f.txt; echo written')
check "exec runs in the session" [ "$out" = written ]
"$VIBE" status s1 >/dev/null 2>&1; rc=$?
check "status of the session exits 0" [ $rc -eq 0 ]
check "vibe ls lists the session" sh -c "'$VIBE' ls | grep -q '^s1 '"
"$VIBE" --json ls >"$work/ls.json" 2>/dev/null
check "vibe ls --json has the shape {ok, sessions:[{id,state,terminals,clients,lastActivityAt,workspace}]}" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and isinstance(d["sessions"], list)
s = [s for s in d["sessions"] if s["id"] == "s1"][0]
for k in ("id", "state", "terminals", "clients", "lastActivityAt", "workspace"): assert k in s, k' "$work/ls.json"

# --- a shell outlives its attach client ---
n1="4242$$"
attach_in_tmux k1 k1
check "attach k1 shows a shell prompt" pane_has main:k1 '[#$] *$'
tm send-keys -t main:k1 "sleep $n1 &" Enter
check "the shell started sleep $n1" wait_for sh -c "pgrep -xf 'sleep $n1' >/dev/null"
sleeper=$(pgrep -xf "sleep $n1" | head -1)
tm send-keys -t main:k1 C-]
check "the detach key leaves attach with exit 0" wait_for pane_has main:k1 'ATTACH-EXIT=0'
check "the shell's sleep runs on after the client left" alive "$sleeper"
check "vibe ls shows k1 with TERMS 1" wait_for sh -c "[ \"\$('$VIBE' ls 2>/dev/null | awk '\$1 == \"k1\" {print \$3}')\" = 1 ]"
check "vibe ls shows k1 with CLIENTS 0 after the detach" wait_for sh -c "[ \"\$('$VIBE' ls 2>/dev/null | awk '\$1 == \"k1\" {print \$4}')\" = 0 ]"

# --- a folder session: kill-session ends its shells, keeps its files ---
proj="$work/proj"
mkdir -p "$proj" && echo mine >"$proj/own.txt"
n2="4343$$"
attach_in_tmux proj "$proj"
check "attach FOLDER shows a shell prompt" pane_has main:proj '[#$] *$'
tm send-keys -t main:proj "touch '$proj/from-shell'; sleep $n2 &" Enter
check "the folder session's shell works in the folder" wait_for test -e "$proj/from-shell"
check "its shell started sleep $n2" wait_for sh -c "pgrep -xf 'sleep $n2' >/dev/null"
sleeper2=$(pgrep -xf "sleep $n2" | head -1)
tm send-keys -t main:proj C-]
wait_for pane_has main:proj 'ATTACH-EXIT='
fid=$("$VIBE" --json ls 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sessions"]:
    if s.get("workspace") == sys.argv[1]: print(s["id"])' "$proj")
check "vibe ls --json shows the folder as a session's workspace (${fid:-none})" [ -n "$fid" ]
check "vibe ls shows the folder in the WORKSPACE column" sh -c "'$VIBE' ls | grep -q '  $proj\$'"
"$VIBE" kill-session "$proj" >"$work/ks.out" 2>"$work/ks.err"; rc=$?
check "kill-session FOLDER exits 0" [ $rc -eq 0 ]
check "kill-session says: vibe: killed session $fid (1 shell ended)" grep -qx "vibe: killed session $fid (1 shell ended)" "$work/ks.err"
check "the folder session is gone from vibe ls" sh -c "! '$VIBE' ls | grep -q '^$fid '"
check "its shell's sleep is gone" wait_for gone "$sleeper2"
check "the folder and its files are kept" sh -c "[ -f '$proj/own.txt' ] && [ -f '$proj/from-shell' ] && [ \"\$(cat '$proj/own.txt')\" = mine ]"
"$VIBE" session create --id gone1 >/dev/null 2>&1
"$VIBE" kill-session gone1 2>"$work/ks.err"; rc=$?
check "kill-session ID says: vibe: killed session gone1 (0 shells ended)" sh -c "[ $rc -eq 0 ] && grep -qx 'vibe: killed session gone1 (0 shells ended)' '$work/ks.err'"
"$VIBE" status gone1 >/dev/null 2>&1; rc=$?
check "the killed session is not found (exit 3)" [ $rc -eq 3 ]

# --- the other Unix user: cannot reach this server, gets a server of its own ---
if [ "$(id -u)" -ne 0 ]; then
  skip "another user cannot connect (needs root to create a user)"
else
  other_user="vibe-other-$$"
  if useradd -M -s /bin/bash "$other_user" 2>"$work/useradd.err"; then
    other_uid=$(id -u "$other_user")
    rm -rf "/tmp/vibe-$other_uid"  # a leftover of an earlier, deleted user with this uid
    mkdir -p "$work/other/home" "$work/other/data" "$work/other/state"
    chown -R "$other_user" "$work/other"
    chmod 711 "$work" "$XDG_RUNTIME_DIR"  # the other user may walk up to root's runtime folder, not into it
    # The checkout may sit in a folder the other user cannot enter: give it a copy of the binary.
    other_vibe="$work/other/vibe"
    cp "$VIBE" "$other_vibe" && chmod 755 "$other_vibe"
    other_env=(-i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/other/home" VIBE_DATA_DIR="$work/other/data"
      XDG_STATE_HOME="$work/other/state" SHELL=/bin/bash LANG=C.UTF-8 LC_ALL=C.UTF-8)
    as_other() { (cd / && runuser -u "$other_user" -- env "${other_env[@]}" "$@"); }
    as_other cat "$rundir/server.json" >/dev/null 2>"$work/other.err"; rc=$?
    check "the other user cannot read root's server.json (permission denied)" \
      sh -c "[ $rc -ne 0 ] && grep -qi 'permission denied' '$work/other.err'"
    code=$(as_other curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/vibecoding/sessions")
    check "the other user's request to root's port gets 401 ($code)" [ "$code" = 401 ]
    as_other "$other_vibe" ls >"$work/other.out" 2>"$work/other.err"; rc=$?
    check "the other user's vibe ls exits 0" [ $rc -eq 0 ]
    [ $rc -eq 0 ] || sed 's/^/     /' "$work/other.err"
    check "it does not see root's sessions" sh -c "! grep -q '^k1 ' '$work/other.out'"
    ofile="/tmp/vibe-$other_uid/server.json"
    opid=$(json_field "$ofile" pid)
    check "it started its own server in /tmp/vibe-$other_uid (pid ${opid:-none})" \
      sh -c "[ -n '$opid' ] && [ '$opid' != '$pid' ]"
    check "that server runs as the other user" sh -c "[ \"\$(stat -c %u /proc/$opid 2>/dev/null)\" = '$other_uid' ]"
    check "/tmp/vibe-$other_uid is the other user's, mode 0700" \
      [ "$(stat -c '%u %a' "/tmp/vibe-$other_uid" 2>/dev/null)" = "$other_uid 700" ]
    as_other "$other_vibe" kill-server 2>"$work/other.err"; rc=$?
    check "the other user's kill-server stops its own server only" \
      sh -c "[ $rc -eq 0 ] && grep -q 'server stopped (pid $opid)' '$work/other.err' && [ -e /proc/$pid ]"
    check "root's server still runs" alive "$pid"
  else
    failed=$((failed + 1)); echo "FAIL useradd: $(cat "$work/useradd.err")"
    other_user=""
  fi
fi

# --- kill-server ---
"$VIBE" kill-server >"$work/kill.out" 2>"$work/kill.err"; rc=$?
check "kill-server exits 0" [ $rc -eq 0 ]
check "kill-server says: vibe: server stopped (pid $pid); 1 shell in 1 session ended" \
  grep -qx "vibe: server stopped (pid $pid); 1 shell in 1 session ended" "$work/kill.err"
[ $rc -eq 0 ] || sed 's/^/     /' "$work/kill.err"
check "the server process is gone" wait_for gone "$pid"
check "the server lock is released" lock_free "$rundir/server.lock"
check "server.json is removed" [ ! -e "$rundir/server.json" ]
check "the shell's sleep is gone" wait_for gone "$sleeper"
"$VIBE" kill-server >"$work/kill.out" 2>"$work/kill.err"; rc=$?
check "kill-server with no server exits 0" [ $rc -eq 0 ]
check "and says: vibe: no server running" grep -qx "vibe: no server running" "$work/kill.err"

# --- sessions persist across restarts, suspended ---
"$VIBE" ls >"$work/ls.out" 2>&1; rc=$?
check "the next command starts a new server" sh -c "[ $rc -eq 0 ] && [ -n \"\$(python3 -c 'import json; print(json.load(open(\"$rundir/server.json\"))[\"pid\"])' 2>/dev/null)\" ]"
pid2=$(server_pid)
check "it is another process (pid $pid2)" sh -c "[ -n '$pid2' ] && [ '$pid2' != '$pid' ]"
check "s1 is listed as suspended" [ "$(ls_json s1 state)" = suspended ]
check "k1 is listed as suspended" [ "$(ls_json k1 state)" = suspended ]
check "the table shows k1 suspended with TERMS 0" sh -c "'$VIBE' ls | awk '\$1 == \"k1\" {print \$2, \$3}' | grep -qx 'suspended 0'"
out=$("$VIBE" exec s1 -- cat f.txt 2>"$work/err")
check "s1 resumes with its files" [ "$out" = kept ]
[ "$out" = kept ] || sed 's/^/     /' "$work/err"

# --- a kill -9'd server is replaced ---
kill -9 "$pid2"
wait_for gone "$pid2"
check "after kill -9 server.json is stale (pid $pid2 gone)" [ "$(server_pid)" = "$pid2" ]
"$VIBE" ls >/dev/null 2>"$work/err"; rc=$?
check "vibe ls after a kill -9 exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/     /' "$work/err"
pid3=$(server_pid)
check "server.json names a new, live server (pid $pid3)" sh -c "[ '$pid3' != '$pid2' ] && [ -r /proc/$pid3/stat ]"
daemons=$(daemons_for "$XDG_RUNTIME_DIR" | wc -l)
check "exactly one daemon runs for this runtime folder ($daemons)" [ "$daemons" -eq 1 ]
"$VIBE" status s1 >/dev/null 2>&1; rc=$?
check "the replaced server knows s1" [ $rc -eq 0 ]

# --- a server of another version ---
"$VIBE" kill-server 2>/dev/null
wait_for gone "$pid3"
VIBE_TEST_SERVER_VERSION=9.9.9 "$VIBE" ls >/dev/null 2>&1
vpid=$(server_pid)
check "a daemon started with VIBE_TEST_SERVER_VERSION=9.9.9 advertises it" \
  [ "$(json_field "$rundir/server.json" version)" = 9.9.9 ]
"$VIBE" ls >"$work/v.out" 2>"$work/v.err"; rc=$?
check "a client of another version exits 7 ($rc)" [ $rc -eq 7 ]
check "with one stderr line naming version 9.9.9 and vibe kill-server" \
  sh -c "[ \"\$(wc -l <'$work/v.err')\" -eq 1 ] && grep -q 'version 9.9.9' '$work/v.err' && grep -q 'vibe kill-server' '$work/v.err'"
sed 's/^/     /' "$work/v.err"
"$VIBE" status s1 >/dev/null 2>"$work/v.err"; rc=$?
check "other commands fail the same way (status: $rc)" sh -c "[ $rc -eq 7 ] && grep -q 'version 9.9.9' '$work/v.err'"
check "the mismatched server still runs (pid $vpid)" alive "$vpid"
"$VIBE" kill-server 2>"$work/kill.err"; rc=$?
check "kill-server stops the server of another version" \
  sh -c "[ $rc -eq 0 ] && grep -q 'server stopped (pid $vpid)' '$work/kill.err'"
check "its process is gone" wait_for gone "$vpid"
"$VIBE" ls >/dev/null 2>&1; rc=$?
check "the next command starts a server of this version" \
  sh -c "[ $rc -eq 0 ] && [ \"\$(python3 -c 'import json; print(json.load(open(\"$rundir/server.json\"))[\"version\"])')\" != 9.9.9 ]"

# --- clients racing to start the server start one ---
mkdir -p "$work/race"
race_pids=()
for i in 1 2 3 4 5 6; do
  env "${race_env[@]}" "$VIBE" ls >"$work/race.$i.out" 2>"$work/race.$i.err" &
  race_pids+=($!)
done
race_failures=0
for p in "${race_pids[@]}"; do wait "$p" || race_failures=$((race_failures + 1)); done
check "6 clients started at once all exit 0 ($race_failures failed)" [ "$race_failures" -eq 0 ]
[ "$race_failures" -eq 0 ] || cat "$work"/race.*.err | sed 's/^/     /'
daemons=$(daemons_for "$work/race" | wc -l)
check "they started exactly one daemon ($daemons)" [ "$daemons" -eq 1 ]
rpid=$(json_field "$work/race/vibe/server.json" pid)
check "it is the one in its server.json" [ "$(daemons_for "$work/race")" = "$rpid" ]
env "${race_env[@]}" "$VIBE" kill-server 2>/dev/null
check "kill-server stops it" wait_for gone "$rpid"

# --- a runtime folder that is not private is refused ---
mkdir -p "$work/open/vibe" && chmod 755 "$work/open/vibe"
XDG_RUNTIME_DIR="$work/open" "$VIBE" ls >/dev/null 2>"$work/err"; rc=$?
check "a runtime folder with mode 0755 is refused ($rc)" [ $rc -ne 0 ]
check "the error names it" grep -q "$work/open/vibe" "$work/err"
sed 's/^/     /' "$work/err"
mkdir -p "$work/owned/vibe" && chmod 700 "$work/owned/vibe" && chown 65534 "$work/owned/vibe"
XDG_RUNTIME_DIR="$work/owned" "$VIBE" ls >/dev/null 2>"$work/err"; rc=$?
check "a runtime folder of another owner is refused ($rc)" [ $rc -ne 0 ]
check "the error names it" grep -q "$work/owned/vibe" "$work/err"
check "no daemon was started for them" [ -z "$(daemons_for "$work/open")$(daemons_for "$work/owned")" ]

if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed ($skipped skipped)"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
