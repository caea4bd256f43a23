#!/usr/bin/env bash
# Differential test: render every stream in tmux, libvterm and our engine
# (`vibe render --format dump`) and compare.
#
#   Tests/Differential/run.sh [--peers] [--keep-going] [PATTERN...]
#
#   PATTERN   shell globs on stream names (e.g. 'synthetic/wrap-*'); default all
#   --peers   compare tmux with libvterm only (no vibe binary needed)
#
# Environment:
#   VIBE      path to the vibe binary (default .build/debug/vibe)
#   RESULTS   results folder (default .build-differential/results)
#   CC        C compiler for vterm-dump (default cc)
#
# For every stream ours must equal tmux's dump unless (stream, tmux) is listed
# in divergences.txt, and likewise libvterm.  Per stream it prints
# agree-tmux / DIFF-tmux / excused-tmux (same for libvterm), the diffs, and
# finally "N passed, M failed".  Exit 0 iff nothing failed; 2 if the vibe
# binary is missing (and --peers was not given).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8

peers=0
patterns=()
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
    *) patterns+=("$1") ;;
  esac
  shift
done

VIBE=${VIBE:-$root/.build/debug/vibe}
build="$root/.build-differential"
RESULTS=${RESULTS:-$build/results}
divergences="$here/divergences.txt"

for tool in tmux python3 "${CC:-cc}"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (apt-get install -y tmux python3 gcc libvterm-dev)" >&2; exit 2; }
done

if [ $peers -eq 0 ] && [ ! -x "$VIBE" ]; then
  cat >&2 <<MSG
run.sh: vibe binary not found at $VIBE
  build it with 'swift build --product vibe', or point VIBE at it,
  or run 'Tests/Differential/run.sh --peers' to compare tmux with libvterm only.
MSG
  exit 2
fi

# Build the libvterm peer.
mkdir -p "$build/bin" "$RESULTS"
vterm_dump="$build/bin/vterm-dump"
if [ ! -x "$vterm_dump" ] || [ "$here/vterm-dump.c" -nt "$vterm_dump" ]; then
  if ! "${CC:-cc}" -O2 -Wall -o "$vterm_dump" "$here/vterm-dump.c" -lvterm; then
    echo "run.sh: cannot build vterm-dump (apt-get install -y libvterm-dev)" >&2
    exit 2
  fi
fi

# Collect streams.
streams=()
while IFS= read -r f; do
  name=${f#"$here/streams/"}; name=${name%.bin}
  if [ ${#patterns[@]} -gt 0 ]; then
    match=0
    for p in "${patterns[@]}"; do
      # shellcheck disable=SC2053
      [[ $name == $p ]] && match=1
    done
    [ $match -eq 1 ] || continue
  fi
  streams+=("$name")
done < <(find "$here/streams" -name '*.bin' | LC_ALL=C sort)

if [ ${#streams[@]} -eq 0 ]; then
  echo "run.sh: no streams match" >&2
  exit 2
fi

# A full run starts from a clean results folder (no stale dumps of removed streams).
if [ ${#patterns[@]} -eq 0 ]; then
  rm -rf "$RESULTS/synthetic" "$RESULTS/recorded"
fi

passed=0 failed=0
for name in "${streams[@]}"; do
  file="$here/streams/$name.bin"
  out="$RESULTS/$name"
  mkdir -p "$out"
  rm -f "$out"/*.dump "$out"/*.diff "$out"/*.err

  ok=1
  line="$name:"
  details=""

  if ! "$here/tmux-dump.sh" --cols 80 --rows 24 "$file" > "$out/tmux.dump" 2> "$out/tmux.err"; then
    ok=0; line+=" tmux-ERROR"; details+="  tmux: $(head -c 500 "$out/tmux.err")"$'\n'
  fi
  if ! timeout 60 "$vterm_dump" --cols 80 --rows 24 "$file" > "$out/libvterm.dump" 2> "$out/libvterm.err"; then
    ok=0; line+=" libvterm-ERROR"; details+="  libvterm: $(head -c 500 "$out/libvterm.err")"$'\n'
  fi

  if [ $peers -eq 1 ]; then
    if [ $ok -eq 1 ]; then
      if cmp -s "$out/tmux.dump" "$out/libvterm.dump"; then
        line+=" peers-agree"
      else
        ok=0; line+=" peers-DIFFER"
        diff -u --label tmux --label libvterm "$out/tmux.dump" "$out/libvterm.dump" > "$out/peers.diff"
        details+=$(sed 's/^/  /' "$out/peers.diff")$'\n'
      fi
    fi
  else
    if ! timeout 60 "$VIBE" render --cols 80 --rows 24 --format dump "$file" > "$out/vibe.dump" 2> "$out/vibe.err"; then
      ok=0; line+=" vibe-ERROR"; details+="  vibe: $(head -c 500 "$out/vibe.err")"$'\n'
    else
      for engine in tmux libvterm; do
        [ -s "$out/$engine.dump" ] || continue
        res=$(python3 "$here/compare.py" --stream "$name" --engine "$engine" \
                --divergences "$divergences" "$out/vibe.dump" "$out/$engine.dump")
        case $? in
          0) line+=" agree-$engine" ;;
          3) line+=" excused-$engine"; details+="  $engine ${res}"$'\n' ;;
          *) ok=0; line+=" DIFF-$engine"; printf '%s\n' "$res" > "$out/$engine.diff"
             details+=$(sed 's/^/  /' <<<"$res")$'\n' ;;
        esac
      done
    fi
  fi

  echo "$line"
  [ -n "$details" ] && printf '%s' "$details"
  if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

echo "results in $RESULTS"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
