# Sessions that outlive the TUI (sourced by run.sh, which defines start/check/keys/… and ROOT).
# Detach and reattach, kill -9 and reattach, kill-server, two TUIs on one session, the session chooser.

# vibe_cli SERVER ARGS...: a CLI command against scenario SERVER's server.
vibe_cli() { local server="$1"; shift; eval "env $(vibe_env "$server") '$VIBE' \"\$@\""; }

# under_server_shell PATTERN SERVER: the process matching PATTERN runs under a shell whose
# parent is SERVER's background server.
under_server_shell() {
    local pid shell
    pid="$(pgrep -f "$1" | head -1)"
    [ -n "$pid" ] || return 1
    shell="$(ps -o ppid= -p "$pid" | tr -d ' ')"
    [ "$(ps -o ppid= -p "$shell" | tr -d ' ')" = "$(server_pid "$2")" ]
}

# poll CMD...: runs CMD until it succeeds (at most ~10 s).
poll() { for _ in $(seq 1 200); do "$@" && return 0; sleep 0.05; done; return 1; }

tag="t$$"
job="sleep 1000$$"
job_pattern="[s]leep 1000$$"  # never matches the command line of the shell that runs pgrep
mkdir -p "$ROOT/proj"
START_DIR="$ROOT/proj" start re
check "reattach: the TUI comes up on the folder" re "\[ready\]" 30
check "reattach: a prompt" re "[#$] *$" 20
keys re "echo MARK-\$((40+2))-$tag" Enter
check "reattach: the marker is printed" re "MARK-42-$tag *│?$" 10
keys re "$job &" Enter
check "reattach: a background job runs" re "\[1\] [0-9]+" 10
keys re C-b %
check "reattach: the split opens a second pane" re "│[^│]*│.*[#$] *$" 10
keys re "echo RIGHT-\$((2*3))" Enter
check "reattach: the second pane runs commands" re "│RIGHT-6 *$" 10
keys re C-b d
check "reattach: C-b d detaches and says how to come back" re "vibe: detached from .*run .vibe. in this folder" 15
if poll pgrep -f "$job_pattern" >/dev/null; then pass "reattach: the job survives the detach"; else fail "reattach: the job survives the detach"; fi

START_DIR="$ROOT/proj" start re
check "reattach: the marker is back on screen (output replayed)" re "MARK-42-$tag" 30
check "reattach: both panes are drawn again, as left" re "│RIGHT-6 *$" 10
if under_server_shell "$job_pattern" re; then pass "reattach: the job is still the child of a shell of the server"
else fail "reattach: the job is still the child of a shell of the server" "$(ps -ef | grep -F "$job")"; fi

kill -9 "$(vibe_pid re)"
check "reattach: kill -9 of the TUI" re "VIBE-EXITED-137" 10
START_DIR="$ROOT/proj" start re
check "reattach after kill -9: the marker is back" re "MARK-42-$tag" 30
check "reattach after kill -9: both panes are back" re "│RIGHT-6 *$" 10
if pgrep -f "$job_pattern" >/dev/null; then pass "reattach after kill -9: the job still runs"; else fail "reattach after kill -9: the job still runs"; fi
keys re C-b d
wait_for re "VIBE-EXITED-0" 10

out="$(vibe_cli re ls)"
if grep -Eq "proj-[0-9a-f]+ +ready +2 +0 " <<<"$out"; then pass "vibe ls: the session, ready, 2 terminals, no client"
else fail "vibe ls: the session, ready, 2 terminals, no client" "$out"; fi
out="$(vibe_cli re kill-server 2>&1)"
if grep -q "2 shells in 1 session" <<<"$out"; then pass "kill-server says how many shells ended"; else fail "kill-server says how many shells ended" "$out"; fi
if poll sh -c "! pgrep -f '$job_pattern' >/dev/null"; then pass "kill-server ends the job"; else fail "kill-server ends the job"; fi

START_DIR="$ROOT/proj" start re
check "after kill-server: vibe starts a server and says the shells were restarted (once)" re "shells had ended while you were away" 30
check "after kill-server: the layout (two panes) is kept" re "│[^│]*│.*[#$] *$" 10
keys re C-b q
check "C-b q quits" re "VIBE-EXITED-0" 15
out="$(vibe_cli re ls)"
if ! grep -q "proj-" <<<"$out"; then pass "quit ends the folder's session"; else fail "quit ends the folder's session" "$out"; fi
if [ -d "$ROOT/proj" ]; then pass "quit keeps the folder"; else fail "quit keeps the folder"; fi

# Two TUIs on one session: input from either, output to both.
mkdir -p "$ROOT/proj2"
SERVER=two START_DIR="$ROOT/proj2" start twoa
check "two clients: the first TUI comes up" twoa "[#$] *$" 30
SERVER=two START_DIR="$ROOT/proj2" start twob
check "two clients: the second TUI attaches to the same session" twob "[#$] *$" 30
keys twoa "echo BOTH-\$((5*5))" Enter
check "two clients: output typed in the first shows in the first" twoa "│BOTH-25 *$" 10
check "two clients: … and in the second" twob "│BOTH-25 *$" 10
keys twob "echo OTHER-\$((3*3))" Enter
check "two clients: input from the second reaches the shell (seen in the first)" twoa "│OTHER-9 *$" 10

# The session chooser: C-b s lists the server's sessions and switches.
vibe_cli two session create --id chosen-one >/dev/null
keys twoa C-b s
check "C-b s lists the sessions, this one marked" twoa ">\* proj2-[0-9a-f]+ +ready" 10
check "C-b s lists the other session" twoa "chosen-one +(creating|ready)" 10
keys twoa j Enter
check "Enter switches to the chosen session" twoa "chosen-one \[ready\]" 30
keys twoa C-b d
check "detach from the chosen session" twoa "vibe: detached from chosen-one" 15
