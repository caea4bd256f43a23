#!/usr/bin/env bash
# Render a byte stream in a private tmux server and print it in the canonical
# dump format.
#
#   tmux-dump.sh [--cols 80] [--rows 24] [--timeout SECONDS] FILE
#
# How: a private server (-S on a fresh socket, a minimal config: no status
# line, so the pane is exactly COLSxROWS) runs `stty raw -echo; cat FILE;
# printf OSC 2 NONCE; exec sleep`.  When #{pane_title} equals NONCE every byte
# of FILE has been parsed; then the cursor and `capture-pane -p -e -N` are
# read and converted by capture2dump.py.
set -euo pipefail

cols=80 rows=24 timeout=${TMUX_DUMP_TIMEOUT:-20}
while [ $# -gt 0 ]; do
  case "$1" in
    --cols) cols=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "tmux-dump.sh: unknown option $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: tmux-dump.sh [--cols N] [--rows N] FILE" >&2; exit 64; }
file=$(readlink -f "$1")
[ -r "$file" ] || { echo "tmux-dump.sh: cannot read $1" >&2; exit 66; }

here=$(cd "$(dirname "$0")" && pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TMUX

work=$(mktemp -d "${TMPDIR:-/tmp}/tmux-dump.XXXXXX")
sock="$work/sock"
cleanup() {
  tmux -S "$sock" kill-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/tmux.conf" <<CONF
set -g status off
set -g default-size ${cols}x${rows}
set -g history-limit 0
set -g remain-on-exit on
CONF

nonce="done-$$-$RANDOM$RANDOM"
qfile=$(printf '%q' "$file")
cmd="stty raw -echo; cat $qfile; printf '\\033]2;$nonce\\033\\\\'; exec sleep 1000000"

tmux -S "$sock" -f "$work/tmux.conf" new-session -d -x "$cols" -y "$rows" -s t "$cmd"

size=$(tmux -S "$sock" display -p -t t '#{pane_width}x#{pane_height}')
if [ "$size" != "${cols}x${rows}" ]; then
  echo "tmux-dump.sh: pane is $size, wanted ${cols}x${rows}" >&2
  exit 70
fi

# Bounded poll for the nonce title.
deadline=$(( $(date +%s%N) / 1000000 + timeout * 1000 ))
while :; do
  title=$(tmux -S "$sock" display -p -t t '#{pane_title}')
  [ "$title" = "$nonce" ] && break
  if [ $(( $(date +%s%N) / 1000000 )) -ge $deadline ]; then
    echo "tmux-dump.sh: timed out after ${timeout}s waiting for tmux to parse $file (title: $title)" >&2
    exit 75
  fi
  sleep 0.02
done

read -r cy cx < <(tmux -S "$sock" display -p -t t '#{cursor_y} #{cursor_x}')
tmux -S "$sock" capture-pane -p -e -N -t t > "$work/capture"
python3 "$here/capture2dump.py" --cols "$cols" --rows "$rows" --cursor "$cy" "$cx" "$work/capture"
