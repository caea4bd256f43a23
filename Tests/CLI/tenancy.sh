# Tenants stay apart: the auth secret never reaches argv or a shell, a local server serves its owner alone.
# Sourced by run.sh (uses check, wait_for, $VIBE, $work, pids).

t_secret=$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
# refused: `timeout` so that a server that starts after all cannot hang the suite
refused() {  # refused NAME WORDS ENV... -- ARGS...: vibe serve ARGS exits 2 and says WORDS on stderr
  local name=$1 words=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  env "${envs[@]}" timeout 30 "$VIBE" serve --port 0 --data-dir "$work/refused" "$@" >/dev/null 2>"$work/refused.err"; local rc=$?
  check "$name (exit 2, rc=$rc)" [ $rc -eq 2 ]
  check "  saying '$words'" grep -qF -- "$words" "$work/refused.err"
}
refused "auth on the local driver without --owner is refused" "pass --owner SUBJECT" "VIBE_AUTH_SECRET=$t_secret" --
check "  and points to the docker driver" grep -qF -- "--driver docker" "$work/refused.err"
refused "--owner without auth is refused" "--owner needs auth on" -- --owner alice
refused "a missing secret file is refused" "cannot read the auth secret file $work/none" -- --auth-secret-file "$work/none" --owner alice
printf '%s\n' "$t_secret" >"$work/open.secret" && chmod 644 "$work/open.secret"
refused "a secret file others can read is refused" "chmod 600 $work/open.secret" -- --auth-secret-file "$work/open.secret" --owner alice
printf 'too-short\n' >"$work/short.secret" && chmod 600 "$work/short.secret"
refused "a secret file under 32 bytes is refused" "is 9 bytes; it must be at least 32" -- --auth-secret-file "$work/short.secret" --owner alice
refused "an admin subject that is not the owner is refused" "--admin-subject ops is not the --owner" \
  "VIBE_AUTH_SECRET=$t_secret" -- --owner alice --admin-subject ops

# Prints what a shell or command can see of the secret's places: the server's command line and initial
# environment ($PPID: the server spawns commands itself), and its own environment.
probe='echo ARGV; tr "\0" " " </proc/$PPID/cmdline; echo; echo SERVER-ENV; tr "\0" "\n" </proc/$PPID/environ; echo OWN-ENV; env'

# --- the secret from a file ---
printf '%s\n' "$t_secret" >"$work/t.secret" && chmod 600 "$work/t.secret"
"$VIBE" serve --port 0 --data-dir "$work/t-file" --auth-secret-file "$work/t.secret" --owner alice \
  >"$work/t-file.out" 2>"$work/t-file.log" &
tf_pid=$!; pids+=("$tf_pid")
wait_for grep -q listening "$work/t-file.out"
tf_url=$(grep -o 'http://[0-9.:]*' "$work/t-file.out" | head -1)
check "a local server with auth says it serves one owner" grep -q "serves one owner, alice.*multi-tenant serving needs --driver docker" "$work/t-file.out"
check "  and logs it" grep -q '"event":"auth.single_owner"' "$work/t-file.log"
check "the server's argv holds the file, not the secret" sh -c "grep -qF -- '$work/t.secret' /proc/$tf_pid/cmdline && ! grep -qF '$t_secret' /proc/$tf_pid/cmdline"
t_alice=$("$VIBE" token --sub alice --secret-file "$work/t.secret")
t_bob=$("$VIBE" token --sub bob --secret-file "$work/t.secret")
VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice "$VIBE" session create --id t1 >/dev/null
VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice "$VIBE" wait t1 >/dev/null 2>&1; rc=$?
check "the owner's token (signed from the same file) works" [ $rc -eq 0 ]
"$VIBE" --server "$tf_url" --token "$t_bob" ls 2>"$work/err"; rc=$?
check "another subject's token exits 4" [ $rc -eq 4 ]
check "  with FORBIDDEN: the server serves one owner" grep -q "FORBIDDEN (HTTP 403): this server serves one owner" "$work/err"
"$VIBE" --server "$tf_url" --token "$t_bob" exec t1 -- touch bob-was-here 2>/dev/null; rc=$?
check "another subject cannot exec in the owner's session (exit 4)" [ $rc -eq 4 ]
code=$(curl -s -o "$work/bob.json" -w '%{http_code}' -H "Authorization: Bearer $t_bob" "$tf_url/api/vibecoding/sessions/t1/fs/tree")
check "  nor list its files: 403 with a typed JSON error" python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); assert sys.argv[1]=="403" and d["ok"] is False and d["error"]=="FORBIDDEN" and "one owner" in d["message"] and d["requestId"]' "$code" "$work/bob.json"
VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice "$VIBE" exec t1 -- "$probe" >"$work/probe.out" 2>&1
check "a command sees the server's command line (the probe works)" grep -qF -- "--auth-secret-file $work/t.secret" "$work/probe.out"
check "  but not the secret, in argv, the server's environment or its own" sh -c "! grep -qF '$t_secret' '$work/probe.out'"
check "  and no VIBE_AUTH_SECRET in its environment" sh -c "! sed -n '/^OWN-ENV/,\$p' '$work/probe.out' | grep -q VIBE_AUTH_SECRET"
VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice "$VIBE" exec t1 -- ls -a >"$work/t1.ls" 2>&1
check "  and bob's refused exec left nothing behind" sh -c "grep -q '^\.\.\$' '$work/t1.ls' && ! grep -q bob-was-here '$work/t1.ls'"
# a terminal's shell, through a real terminal (tmux)
t_sock="$work/tenancy-tmux.sock"
tmux -S "$t_sock" -f /dev/null new-session -d -x 100 -y 30 -s t "VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice $VIBE attach t1; sleep 60"
wait_for sh -c "tmux -S '$t_sock' capture-pane -p -t t | grep -q '[#$] *\$'"
tmux -S "$t_sock" send-keys -t t "{ echo SHELL-ENV; tr '\\0' '\\n' </proc/\$\$/environ; $probe; } >shell-probe.out 2>&1; echo probe-\$((40+2))" Enter
check "a terminal's shell ran the probe" wait_for sh -c "tmux -S '$t_sock' capture-pane -p -t t | grep -q '^probe-42'"
VIBE_SERVER=$tf_url VIBE_TOKEN=$t_alice "$VIBE" exec t1 -- cat shell-probe.out >"$work/shell-probe.out" 2>&1
check "  and saw the server's command line" grep -qF -- "--auth-secret-file $work/t.secret" "$work/shell-probe.out"
check "  but not the secret anywhere" sh -c "! grep -qF '$t_secret' '$work/shell-probe.out'"
tmux -S "$t_sock" kill-server 2>/dev/null
kill -TERM "$tf_pid"

# --- the secret from the environment ---
VIBE_AUTH_SECRET=$t_secret "$VIBE" serve --port 0 --data-dir "$work/t-env" --owner alice >"$work/t-env.out" 2>/dev/null &
te_pid=$!; pids+=("$te_pid")
wait_for grep -q listening "$work/t-env.out"
te_url=$(grep -o 'http://[0-9.:]*' "$work/t-env.out" | head -1)
VIBE_SERVER=$te_url VIBE_TOKEN=$t_alice "$VIBE" session create --id e1 >/dev/null
VIBE_SERVER=$te_url VIBE_TOKEN=$t_alice "$VIBE" exec e1 -- "$probe" >"$work/probe-env.out" 2>&1; rc=$?
check "VIBE_AUTH_SECRET turns auth on (the owner's token works)" [ $rc -eq 0 ]
check "  the variable is still named in /proc/PID/environ (the initial block stays)" sh -c "tr '\\0' '\\n' </proc/$te_pid/environ | grep -q '^VIBE_AUTH_SECRET='"
check "  but its value was wiped from it" sh -c "! grep -qF '$t_secret' /proc/$te_pid/environ"
check "  a command sees neither the value nor the variable in its environment" sh -c "! grep -qF '$t_secret' '$work/probe-env.out' && ! sed -n '/^OWN-ENV/,\$p' '$work/probe-env.out' | grep -q VIBE_AUTH_SECRET"
kill -TERM "$te_pid"

# --- the secret on the command line: works, with a warning ---
"$VIBE" serve --port 0 --data-dir "$work/t-argv" --auth-secret "$t_secret" --owner alice >"$work/t-argv.out" 2>"$work/t-argv.log" &
ta_pid=$!; pids+=("$ta_pid")
wait_for grep -q listening "$work/t-argv.out"
check "--auth-secret still starts a server with auth" grep -q "auth on" "$work/t-argv.out"
check "  and logs that argv is public" grep -q '"event":"auth.secret_in_argv"' "$work/t-argv.log"
kill -TERM "$ta_pid"

# --- the create rate and the open-file limit ---
# Started with a soft open-file limit below the hard one (when the hard one allows it).
(ulimit -Sn 512 2>/dev/null; exec "$VIBE" serve --port 0 --data-dir "$work/rate" --create-rate 1) >"$work/rate.out" 2>/dev/null &
rate_pid=$!; pids+=("$rate_pid")
wait_for grep -q listening "$work/rate.out"
rate_url=$(grep -o 'http://[0-9.:]*' "$work/rate.out" | head -1)
for i in 1 2 3; do VIBE_SERVER=$rate_url "$VIBE" session create --id "r$i" >/dev/null; done
VIBE_SERVER=$rate_url "$VIBE" session create --id r4 >/dev/null 2>"$work/rate.err"; rc=$?
check "--create-rate 1: a burst of three creates, the fourth is refused (exit 8)" [ $rc -eq 8 ]
check "  with RATE_LIMITED" grep -q "RATE_LIMITED" "$work/rate.err"
check "vibe serve raised its soft open-file limit to the hard one" sh -c \
  "grep '^Max open files' /proc/$rate_pid/limits | awk '{ exit !(\$4 == \$5) }'"
kill -TERM "$rate_pid"
