#!/usr/bin/env bash
# End-to-end tests of the headless CLI against real servers (embedded and `vibe serve`).
#   VIBE=path/to/vibe Tests/CLI/run.sh
# Prints one line per check and a final "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
VIBE=${VIBE:-$root/.build/debug/vibe}
[ -x "$VIBE" ] || { echo "no vibe binary at $VIBE"; exit 2; }
work=$(mktemp -d)
# Without --server, commands start (and share) this run's own background server.
export VIBE_DATA_DIR="$work/data" HOME="$work/home" LANG=C.UTF-8 LC_ALL=C.UTF-8
export XDG_RUNTIME_DIR="$work/run" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
unset VIBE_SERVER VIBE_TOKEN VIBE_AUTH_SECRET
pids=()
tmux_socket="$work/tmux.sock"
cleanup() {
  "$VIBE" kill-server 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  tmux -S "$tmux_socket" kill-server 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
# Polls a command until it succeeds (at most ~15 s).
wait_for() { for _ in $(seq 1 150); do "$@" && return 0; sleep 0.1; done; return 1; }

# --- the user's own server (the default) ---
out=$("$VIBE" session create --id c1)
check "session create prints the id" [ "$out" = "c1" ]
"$VIBE" status nope 2>"$work/err"; rc=$?
check "status of an unknown session exits 3" [ $rc -eq 3 ]
check "its error names the code" grep -q SESSION_NOT_FOUND "$work/err"
json=$("$VIBE" --json status c1)
check "--json status is JSON with the route's shape" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["id"]=="c1" and d["ok"] and "ready" in d and "error" in d' "$json"
out=$("$VIBE" exec c1 -- sh -c 'echo to-out; echo to-err >&2; exit 7' 2>"$work/err"); rc=$?
check "exec streams stdout" [ "$out" = "to-out" ]
check "exec streams stderr" grep -q to-err "$work/err"
check "exec exits with the command's code" [ $rc -eq 7 ]
"$VIBE" exec c1 --timeout 0.3 -- sleep 5 2>/dev/null; rc=$?
check "exec timeout exits 124" [ $rc -eq 124 ]
out=$("$VIBE" exec c1 -- printf '%s|' 'two words' "it's")
check "exec keeps argument boundaries" [ "$out" = "two words|it's|" ]
list=$("$VIBE" session list)
check "session list shows the session" grep -q '^c1' <<<"$list"
"$VIBE" session delete c1 >/dev/null
"$VIBE" status c1 2>/dev/null; rc=$?
check "deleted session is gone" [ $rc -eq 3 ]

# --- headless scripting: send, expect, capture, run, record, play ---
source "$root/Tests/CLI/scripting.sh"

# --- file tools and MCP ---
source "$root/Tests/CLI/files.sh"

# --- vibe serve with auth ---
secret=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
"$VIBE" serve --host 0.0.0.0 --port 0 --data-dir "$work/open" >/dev/null 2>"$work/refuse"; rc=$?
check "an open server refuses a non-loopback address" [ $rc -eq 2 ]
VIBE_AUTH_SECRET=$secret "$VIBE" serve --port 0 --data-dir "$work/srv" --owner alice >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!; pids+=("$serve_pid")
wait_for grep -q listening "$work/serve.out"
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)
check "vibe serve prints its URL" [ -n "$url" ]
# The edge: requests no route sees (malformed HTTP, oversize heads, refused upgrades) get JSON errors and end.
check "the edge answers every malformed request with a JSON error and closes" \
  python3 "$root/Tests/StandIns/edge_probe.py" "${url##*:}"
check "the edge logs what it refused" grep -q '"event":"edge.malformed"' "$work/serve.log"
# A client that stops reading is closed with 1013 and a JSON reason it gets when it reads again (1 s timeout).
"$VIBE" serve --port 0 --data-dir "$work/slow" --slow-client-timeout 1 >"$work/slow.out" 2>"$work/slow.log" &
pids+=("$!")
wait_for grep -q listening "$work/slow.out"
slow_url=$(grep -o 'http://[0-9.:]*' "$work/slow.out" | head -1)
"$VIBE" --server "$slow_url" session create --id slow >/dev/null && "$VIBE" --server "$slow_url" wait slow >/dev/null 2>&1
check "a client that stops reading gets the 1013 close after its output, then the connection ends" \
  python3 "$root/Tests/StandIns/slow_reader.py" "${slow_url##*:}" slow "$work/slow.log"
tok=$("$VIBE" token --sub alice --secret "$secret")
exp_in=$(python3 -c 'import base64,json,sys,time; p=sys.argv[1].split(".")[1]; d=json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4))); print(int(d["exp"]-time.time()))' "$tok")
check "vibe token expires in a day by default" test "$exp_in" -gt 86000 -a "$exp_in" -le 86400
"$VIBE" token --sub "" --secret "$secret" >/dev/null 2>"$work/err"; rc=$?
check "vibe token refuses an empty subject (exit 2)" [ $rc -eq 2 ]
other=$("$VIBE" token --sub bob --secret "$secret")
"$VIBE" --server "$url" session list 2>"$work/err"; rc=$?
check "no token exits 4 (UNAUTHORIZED)" [ $rc -eq 4 ]
check "no token names UNAUTHORIZED" grep -q UNAUTHORIZED "$work/err"
VIBE_SERVER=$url VIBE_TOKEN=$tok "$VIBE" session create --id a1 >/dev/null
VIBE_SERVER=$url VIBE_TOKEN=$tok "$VIBE" wait a1 2>"$work/wait"; rc=$?
check "wait exits 0 when ready" [ $rc -eq 0 ]
check "wait shows progress on stderr" grep -q ready "$work/wait"
"$VIBE" --server "$url" --token "$other" status a1 2>/dev/null; rc=$?
check "another subject exits 4 (FORBIDDEN)" [ $rc -eq 4 ]
"$VIBE" --server "$url" --token "$tok" --json watch a1 >"$work/watch.out" 2>/dev/null &
watch_pid=$!; pids+=("$watch_pid")
wait_for grep -q '"snapshot"' "$work/watch.out"
"$VIBE" --server "$url" --token "$tok" exec a1 -- touch watched-file >/dev/null
check "watch prints the created file as a JSON line" wait_for grep -q '"path":"watched-file"' "$work/watch.out"
kill "$watch_pid" 2>/dev/null

# attach in a real terminal (tmux), with the detach key
tmux -S "$tmux_socket" -f /dev/null new-session -d -x 100 -y 30 -s t \
  "VIBE_SERVER=$url VIBE_TOKEN=$tok $VIBE attach a1; echo ATTACH-EXIT=\$?; sleep 60"
pane() { tmux -S "$tmux_socket" capture-pane -p -t t; }
wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t t | grep -q '[#$] *\$'"
tmux -S "$tmux_socket" send-keys -t t 'echo at''tached-ok; stty size' Enter
check "attach echoes through the remote PTY" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t t | grep -q '^attached-ok'"
size=$(tmux -S "$tmux_socket" display -p -t t '#{pane_height} #{pane_width}')
check "attach sizes the remote PTY to the terminal ($size)" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t t | grep -q '^$size\$'"
tmux -S "$tmux_socket" resize-window -t t -x 90 -y 20
size=$(tmux -S "$tmux_socket" display -p -t t '#{pane_height} #{pane_width}')
tmux -S "$tmux_socket" send-keys -t t 'stty size' Enter
check "attach follows SIGWINCH ($size)" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t t | grep -q '^$size\$'"
tmux -S "$tmux_socket" send-keys -t t C-]
check "the detach key leaves with exit 0" wait_for sh -c "tmux -S '$tmux_socket' capture-pane -p -t t | grep -q 'ATTACH-EXIT=0'"
tmux -S "$tmux_socket" kill-server 2>/dev/null

# graceful shutdown: SIGTERM ends the server and its shells
shells=$(pgrep -f -P "$serve_pid" 2>/dev/null | wc -l)
kill -TERM "$serve_pid"
wait_for sh -c "! kill -0 $serve_pid 2>/dev/null"
check "SIGTERM stops vibe serve" sh -c "! kill -0 $serve_pid 2>/dev/null"
check "its shells are gone" sh -c "! pgrep -f 'bash' -P $serve_pid >/dev/null"

# --- tenants stay apart: where the secret lives, one owner per local server ---
source "$root/Tests/CLI/tenancy.sh"

# --- a server that answers HTML: typed NON_JSON error ---
mkdir -p "$work/html" && echo '<html><body>Bad gateway</body></html>' >"$work/html/index.html"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/html" >"$work/http.out" 2>&1 &
pids+=($!)
wait_for grep -q 'Serving HTTP' "$work/http.out"
hport=$(grep -o 'port [0-9]*' "$work/http.out" | grep -o '[0-9]*' | head -1)
"$VIBE" --server "http://127.0.0.1:$hport" status x 2>"$work/err"; rc=$?
check "a non-JSON answer exits 7" [ $rc -eq 7 ]
check "it is reported as NON_JSON_<status>" grep -q 'NON_JSON_404' "$work/err"

# --- backends vibe was not written with (Tests/StandIns/standin.py) ---
standin() {  # standin MODE: starts a stand-in, sets $standin_url
  python3 "$root/Tests/StandIns/standin.py" "$1" >"$work/standin.$1" &
  pids+=($!)
  wait_for grep -q PORT "$work/standin.$1"
  standin_url="http://127.0.0.1:$(awk '{print $2}' "$work/standin.$1")"
}
standin minimal
out=$("$VIBE" --server "$standin_url" wait s1 --timeout 30 2>"$work/err"); rc=$?
check "wait understands the minimal status shape (ready, error only)" [ $rc -eq 0 ]
check "  and prints the id it asked for" grep -q "^s1"$'\t'"ready" <<<"$out"
standin minimal-error
"$VIBE" --server "$standin_url" wait s1 --timeout 60 2>"$work/err"; rc=$?
check "a minimal status with an error fails the wait at once (exit 6)" [ $rc -eq 6 ]
check "  naming the code" grep -q IMAGE_UNAVAILABLE "$work/err"
standin html-404
timeout 50 "$VIBE" --server "$standin_url" wait s1 --timeout 120 2>"$work/err"; rc=$?
check "wait against a web app's HTML 404 stops at once (exit 7)" [ $rc -eq 7 ]
check "  naming the URL" grep -q "NON_JSON_404 from $standin_url/api/vibecoding/session/status?id=s1" "$work/err"
check "  and suggesting the fix" grep -q -- "--server" "$work/err"
standin html-502-then-ready
"$VIBE" --server "$standin_url" wait s1 --timeout 60 2>"$work/err"; rc=$?
check "wait goes through a proxy's HTML 502 pages until ready" [ $rc -eq 0 ]
check "  its progress lines say why it waits" grep -q "last error: NON_JSON_502 from $standin_url" "$work/err"

# --- a server that goes away: --reconnect-for ---
"$VIBE" serve --port 0 --data-dir "$work/gone" >"$work/gone.out" 2>/dev/null &
gone_pid=$!; pids+=("$gone_pid")
wait_for grep -q listening "$work/gone.out"
gone_url=$(grep -o 'http://[0-9.:]*' "$work/gone.out" | head -1)
"$VIBE" --server "$gone_url" session create --id g1 >/dev/null
"$VIBE" --server "$gone_url" wait g1 2>/dev/null
"$VIBE" --server "$gone_url" --json watch g1 --reconnect-for 2s >"$work/gone.watch" 2>"$work/gone.err" &
gone_watch=$!; pids+=("$gone_watch")
wait_for grep -q '"snapshot"' "$work/gone.watch"
kill -9 "$gone_pid"
wait_for sh -c "! kill -0 $gone_watch 2>/dev/null"
wait "$gone_watch"; rc=$?
check "watch gives up after --reconnect-for (exit 7)" [ $rc -eq 7 ]
check "  saying so with the last error" grep -q "gave up (last error: connect failed" "$work/gone.err"
"$VIBE" --server "$gone_url" watch g1 --reconnect-for soon 2>"$work/err"; rc=$?
check "a bad --reconnect-for is a usage error" [ $rc -eq 2 ]

# --- the emulator, headless ---
dump=$(printf 'hi\033[1;31mX\033[0m\r\n\xe4\xb8\xad' | "$VIBE" render --cols 10 --rows 3)
check "render prints the canonical dump" [ "$dump" = "$(printf 'size 3x10\ncursor 1 2\n00|hiX\n01|中\n02|\n@00:2-2 fg=i1 bg=d B')" ]
printf 'printf "\\033[6n"; read -s -d R reply; printf "\\r\\nreply:%%s\\n" "${reply#*[}"' >"$work/cpr.sh"
out=$("$VIBE" emulate --cols 40 --rows 5 --format text -- bash "$work/cpr.sh" </dev/null)
check "emulate answers the program's cursor query (CPR)" grep -q '^reply:1;1$' <<<"$out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
