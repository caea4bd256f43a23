# Headless scripting (docs/scripting.md): send, expect, capture, run, record, play against the user's server.
# Sourced by Tests/CLI/run.sh (uses its $VIBE, $work, check and wait_for).
"$VIBE" session create --id sc >/dev/null
"$VIBE" send sc 'echo SENT-$((6*7))' Enter
out=$("$VIBE" expect sc 'SENT-42' --on stream --timeout 20 2>/dev/null); rc=$?
check "send types into bash and expect sees the echo" [ $rc -eq 0 -a "$out" = "SENT-42" ]
json=$("$VIBE" --json expect sc --regex 'SENT-[0-9]+' --timeout 20)
check "expect --json gives the match and its row" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["text"]=="SENT-42" and d["row"]>=0 and d["col"]==0' "$json"
"$VIBE" expect sc --regex 'NEVER-[0-9]+' --timeout 0.5 >/dev/null 2>"$work/expect.err"; rc=$?
check "expect that times out exits 5" [ $rc -eq 5 ]
check "and prints the screen to stderr" grep -q 'SENT-42' "$work/expect.err"
"$VIBE" send sc 'clear; printf "\033[1;31mRED\033[0m plain\n"' Enter
"$VIBE" expect sc 'RED plain' --timeout 20 >/dev/null
"$VIBE" capture sc --format dump >"$work/capture.dump"
check "capture --format dump shows the bold red run" grep -Eq '^@[0-9]+:0-2 fg=i1 .*B' "$work/capture.dump"
"$VIBE" --json capture sc >"$work/capture.json"
check "capture --json has the run with its attributes" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
runs=[r for line in d["lines"] for r in line]
assert any(r["text"]=="RED" and r["fg"]=="1" and r.get("bold") for r in runs), runs
' "$work/capture.json"
cat >"$work/repl.vibe" <<'SCRIPT'
# drive the python3 REPL
send 'python3 -q' Enter
expect '>>>'
send '2+2' Enter
expect --on stream --regex '(?m)^4$'
send C-d
capture
SCRIPT
"$VIBE" run sc "$work/repl.vibe" >"$work/run.out" 2>"$work/run.err"; rc=$?
check "vibe run drives the python3 REPL (2+2 → 4)" [ $rc -eq 0 ]
check "its capture step prints the screen" grep -q '^4$' "$work/run.out"
printf 'send "echo STEP-ONE" Enter\nexpect STEP-ONE\nexpect --timeout 0.5 "not there"\nsend "echo never reached" Enter\n' >"$work/fail.vibe"
"$VIBE" --json run sc "$work/fail.vibe" >"$work/fail.json" 2>"$work/fail.err"; rc=$?
check "a failing step exits 5" [ $rc -eq 5 ]
check "and is named on stderr (step 3, line 3)" grep -q 'step 3, line 3' "$work/fail.err"
check "and in the --json outcome" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["failedStep"]==3 and d["line"]==3' "$work/fail.json"
printf 'frobnicate\n' >"$work/bad.vibe"
"$VIBE" run sc "$work/bad.vibe" 2>"$work/bad.err"; rc=$?
check "a script with an unknown step exits 2 naming the line" sh -c "[ $rc -eq 2 ] && grep -q 'line 1: unknown step frobnicate' '$work/bad.err'"
# record: everything the ring holds, then live output; Ctrl-C (SIGINT) ends it cleanly
cat >"$work/cast_has.py" <<'PY'
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()[1:]
data = "".join(json.loads(l)[2] for l in lines if l.strip())
sys.exit(0 if re.search(sys.argv[2], data, re.S) else 1)
PY
"$VIBE" record sc -o "$work/sc.cast" --since-offset 0 2>"$work/record.err" &
rec=$!
wait_for test -s "$work/sc.cast"
"$VIBE" send sc 'printf "LIVE-\033[1mBOLD\033[0m-é\n"' Enter
# The recording has it all once the prompt after the live line is in it.
wait_for python3 "$work/cast_has.py" "$work/sc.cast" 'LIVE-\x1b\[1mBOLD\x1b\[0m-\u00e9\r\n.*[#$] $'
"$VIBE" capture sc --format dump >"$work/final.dump"
kill -INT "$rec"
wait "$rec"; rc=$?
check "record ends cleanly (exit 0) on Ctrl-C" [ $rc -eq 0 ]
check "the recording is asciicast v2 with the replay and the live output" python3 -c '
import json,sys
lines=open(sys.argv[1]).read().splitlines()
h=json.loads(lines[0])
assert h["version"]==2 and h["width"]==80 and h["height"]==24 and isinstance(h["timestamp"],int), h
ev=[json.loads(l) for l in lines[1:]]
assert all(isinstance(e[0],float) and e[1]=="o" and isinstance(e[2],str) for e in ev)
assert all(a[0]<=b[0] for a,b in zip(ev,ev[1:])), "times never go back"
data="".join(e[2] for e in ev)
assert "LIVE-\x1b[1mBOLD\x1b[0m-\u00e9\r\n" in data and "RED\x1b[0m plain" in data, data[-300:]
' "$work/sc.cast"
"$VIBE" play "$work/sc.cast" --screen --format dump >"$work/play.dump"
check "vibe play --screen renders the same final screen as capture" cmp -s "$work/play.dump" "$work/final.dump"
out=$("$VIBE" play "$work/sc.cast" --speed 1000 | tr -d '\r')
check "vibe play writes the output" grep -q 'LIVE-' <<<"$out"
"$VIBE" record sc -o "$work/exit.cast" 2>/dev/null &
rec=$!
wait_for test -s "$work/exit.cast"
"$VIBE" send sc 'exit 0' Enter
wait_for sh -c "! kill -0 $rec 2>/dev/null"
wait "$rec"; rc=$?
check "record ends by itself (exit 0) when the shell exits" [ $rc -eq 0 ]
# vibe control: JSON commands in, replies and events out
"$VIBE" session create --id ctl >/dev/null
printf '%s\n' '{"id":1,"cmd":"send","keys":["echo CTL-$((2*21))","Enter"]}' '{"id":2,"cmd":"expect","pattern":"CTL-42","on":"stream","timeout":20}' \
  '{"id":3,"cmd":"capture","format":"json"}' '{"id":4,"cmd":"expect","pattern":"nope","timeout":0.2}' 'not json' \
  '{"id":5,"cmd":"send","text":"exit 7\r"}' '{"id":6,"cmd":"wait-exit","timeout":20}' '{"id":7,"cmd":"close"}' |
  "$VIBE" control ctl >"$work/control.out" 2>"$work/control.err"; rc=$?
check "control exits 0 on close, the shell's exit before it notwithstanding" [ $rc -eq 0 ]
check "vibe control answers every command and reports events" python3 -c '
import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])]
replies={l["id"]:l for l in lines if "id" in l}
events=[l for l in lines if "event" in l]
assert lines[0]["event"]=="attached" and lines[0]["size"]=={"rows":24,"cols":80}, lines[0]
assert all(replies[i]["ok"] for i in (1,2,3,5,6,7)), replies
assert replies[2]["match"]["text"]=="CTL-42"
assert any(r["text"]=="CTL-42" for row in json.loads(replies[3]["screen"])["lines"] for r in row)
assert replies[4]["ok"] is False and replies[4]["error"]=="TIMED_OUT" and "CTL-42" in replies[4]["screen"]
assert any(l.get("error")=="INVALID_REQUEST" and "id" not in l for l in lines)
assert replies[6]["code"]==7
out="".join(e.get("data","") for e in events if e["event"]=="output")
assert "CTL-42" in out and any(e["event"]=="screen" for e in events) and {"event":"exit","code":7} in events
' "$work/control.out"
# control ends with exit 7 and a "closed" event when the server is gone for longer than --reconnect-for
"$VIBE" session create --id lost >/dev/null
mkfifo "$work/ctl.in"
"$VIBE" control lost --reconnect-for 1s <"$work/ctl.in" >"$work/lost.out" 2>/dev/null &
ctl=$!
exec 3>"$work/ctl.in"
wait_for grep -q '"event":"attached"' "$work/lost.out"
"$VIBE" kill-server >/dev/null 2>&1
wait_for sh -c "! kill -0 $ctl 2>/dev/null"
wait "$ctl"; rc=$?
exec 3>&-
check "control exits 7 when the connection is lost for good" [ $rc -eq 7 ]
check "after a closed event" grep -q '"event":"closed"' "$work/lost.out"
