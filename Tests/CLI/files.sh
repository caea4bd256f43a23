# Sourced by Tests/CLI/run.sh: `vibe fs` and `vibe mcp` against this run's own server.
"$VIBE" session create --id f1 >/dev/null
printf 'alpha\nbeta\ngamma\n' | "$VIBE" fs put f1 src/a.txt >"$work/out"
check "fs put writes from stdin" grep -qx 'src/a.txt: 17 bytes' "$work/out"
check "fs cat prints the bytes" [ "$("$VIBE" fs cat f1 src/a.txt)" = "$(printf 'alpha\nbeta\ngamma')" ]
"$VIBE" fs ls f1 >"$work/out"
check "fs ls lists the folder with a slash" grep -Eq '^d +- +[0-9T:Z-]+ src/$' "$work/out"
"$VIBE" fs edit f1 src/a.txt --old beta --new BETA >"$work/out"
check "fs edit prints the unified diff" grep -qx -- '+BETA' "$work/out"
check "  with its header" grep -qx -- '--- a/src/a.txt' "$work/out"
"$VIBE" fs put f1 src/b.txt <<<"x x" >/dev/null
"$VIBE" fs edit f1 src/b.txt --old x --new y 2>"$work/err"; rc=$?
check "an ambiguous fs edit exits 10" [ $rc -eq 10 ]
check "  naming the code and the count" grep -q 'EDIT_AMBIGUOUS.*occurs 2 times' "$work/err"
"$VIBE" fs grep f1 'BETA|gamma' -C 1 >"$work/out"
check "fs grep prints path:line:text, context once" [ "$(cat "$work/out")" = "$(printf 'src/a.txt-1-alpha\nsrc/a.txt:2:BETA\nsrc/a.txt:3:gamma')" ]
"$VIBE" fs grep f1 nothing-like-this >/dev/null; rc=$?
check "fs grep exits 1 when nothing matches" [ $rc -eq 1 ]
check "fs glob lists matching paths" [ "$("$VIBE" fs glob f1 '*.txt' | tr '\n' ' ')" = "src/a.txt src/b.txt " ]
"$VIBE" fs mv f1 src/b.txt src/a.txt 2>/dev/null; rc=$?
check "fs mv onto an existing path exits 10" [ $rc -eq 10 ]
"$VIBE" fs mv f1 src/b.txt old/b.txt >/dev/null
"$VIBE" fs rm f1 src 2>/dev/null; rc=$?
check "fs rm of a folder with entries needs -r (exit 10)" [ $rc -eq 10 ]
check "fs rm -r deletes it" sh -c "'$VIBE' fs rm f1 src -r | grep -q 'deleted src (2 entries)'"
"$VIBE" fs cat f1 ../../etc/passwd 2>/dev/null; rc=$?
check "a path outside the workspace exits 9" [ $rc -eq 9 ]
json=$("$VIBE" fs ls --json f1)
check "fs ls --json is the route's answer" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["ok"] and [e["name"] for e in d["entries"]]==["old"] and d["entries"][0]["type"]=="dir"' "$json"

# An outside MCP host (the `mcp` Python package) over stdio.
if mcp_out=$(timeout 120 python3 "$root/Tests/CLI/mcp_client.py" "$VIBE" m1 2>"$work/mcp.err"); then
  check "vibe mcp: an outside client lists the tools" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["server"]=="vibe" and len(d["tools"])==11 and "fs_edit" in d["tools"]' "$mcp_out"
  check "vibe mcp: session_ensure makes the session ready" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["ensure"]=="m1 is ready"' "$mcp_out"
  check "vibe mcp: an ambiguous edit is a tool error with its count" python3 -c 'import json,sys; a=json.loads(sys.argv[1])["ambiguous"]; assert a["isError"] and a["structured"]["error"]=="EDIT_AMBIGUOUS" and a["structured"]["occurrences"]==2' "$mcp_out"
  check "vibe mcp: an edit answers the diff" python3 -c 'import json,sys; assert "-- b\n+- B\n" in json.loads(sys.argv[1])["diff"]' "$mcp_out"
  check "vibe mcp: shell_exec runs in the workspace" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["exec"]=="3\n\nexit code 0"' "$mcp_out"
  check "vibe mcp: fs_grep finds the edited line" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["grep"]=="notes/todo.md:2:- B"' "$mcp_out"
  check "vibe mcp: a path outside is refused" python3 -c 'import json,sys; o=json.loads(sys.argv[1])["outside"]; assert o["isError"] and o["text"].startswith("PATH_OUTSIDE_WORKSPACE: ")' "$mcp_out"
else
  check "vibe mcp: an outside client talks to it over stdio" false
  sed 's/^/       | /' "$work/mcp.err" | tail -20
fi
"$VIBE" session delete f1 >/dev/null
"$VIBE" session delete m1 >/dev/null
