#!/usr/bin/env bash
# Emulator throughput: libvterm vs our engine on the same bytes, same run.
#
#   Benchmarks/emulator/run.sh [--size-mb 32] [--iterations 3] [--regen]
#
# Generates the three workloads into $WORKDIR (default /tmp/vibe-bench-emulator,
# reused when present at the requested size; --regen forces), builds
# vterm-bench, runs `vterm-bench` and `$VIBE bench emulator --file F ...` on
# the same files and prints a Markdown table (MB/s, ratio) with machine facts,
# ready to paste into docs/benchmarks.md.
#
# Environment: VIBE (default .build/release/vibe, else .build/debug/vibe),
# WORKDIR, CC.  Use a release build for meaningful numbers.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size_mb=32 iterations=3 regen=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

WORKDIR=${WORKDIR:-/tmp/vibe-bench-emulator}
if [ -z "${VIBE:-}" ]; then
  VIBE=$root/.build/release/vibe
  [ -x "$VIBE" ] || VIBE=$root/.build/debug/vibe
fi
workloads=(scroll colour cjk)

# Workloads (regenerated when missing, forced, or of another size).
stamp="$WORKDIR/size-mb"
if [ $regen -eq 1 ] || [ "$(cat "$stamp" 2>/dev/null)" != "$size_mb" ] \
   || ! ls "$WORKDIR"/{scroll,colour,cjk}.bin >/dev/null 2>&1; then
  python3 "$here/gen-workloads.py" --size-mb "$size_mb" --out "$WORKDIR" >&2 || exit 1
  echo "$size_mb" > "$stamp"
fi

# libvterm peer.
bin="$root/.build-bench/bin"
mkdir -p "$bin"
if [ ! -x "$bin/vterm-bench" ] || [ "$here/vterm-bench.c" -nt "$bin/vterm-bench" ]; then
  "${CC:-cc}" -O2 -Wall -o "$bin/vterm-bench" "$here/vterm-bench.c" -lvterm \
    || { echo "run.sh: cannot build vterm-bench (apt-get install -y libvterm-dev)" >&2; exit 2; }
fi

files=()
for w in "${workloads[@]}"; do files+=("$WORKDIR/$w.bin"); done

field() {  # field KEY LINE
  sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

declare -A vterm_mbps vibe_mbps bytes
echo "running libvterm ..." >&2
while IFS= read -r line; do
  f=$(field name "$line"); w=$(basename "$f" .bin)
  vterm_mbps[$w]=$(field mbps "$line"); bytes[$w]=$(field bytes "$line")
done < <("$bin/vterm-bench" --iterations "$iterations" "${files[@]}")

vibe_note=""
if [ -x "$VIBE" ]; then
  echo "running $VIBE bench emulator ..." >&2
  args=()
  for f in "${files[@]}"; do args+=(--file "$f"); done
  errf=$(mktemp)
  if out=$("$VIBE" bench emulator --iterations "$iterations" "${args[@]}" 2>"$errf"); then
    while IFS= read -r line; do
      f=$(field name "$line"); w=$(basename "$f" .bin)
      vibe_mbps[$w]=$(field mbps "$line")
    done <<<"$out"
  else
    vibe_note="'$VIBE bench emulator' failed: $(head -1 "$errf") (is BenchEmulatorCommand registered under 'bench'?)"
    echo "run.sh: $vibe_note" >&2
  fi
  rm -f "$errf"
  vibe_build=$(case "$VIBE" in *release*) echo release ;; *debug*) echo "debug (not representative)" ;; *) echo "?" ;; esac)
else
  vibe_note="vibe binary not found at $VIBE: build it (swift build -c release --product vibe) or set VIBE"
  echo "run.sh: $vibe_note" >&2
  vibe_build="n/a"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
swiftv=$(swift --version 2>/dev/null | head -1 || echo "swift not found")
echo
echo "### Terminal emulator throughput ($(date -u +%Y-%m-%d))"
echo
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r); ${swiftv}; libvterm $(dpkg-query -W -f='${Version}' libvterm0 2>/dev/null || echo '?'); vibe build: ${vibe_build}."
echo "Workloads: ${size_mb} MB each (Benchmarks/emulator/gen-workloads.py), 80x24, fed in 64 KiB chunks, best of ${iterations} runs, MB = 10^6 bytes."
echo
echo "| Workload | Bytes | libvterm MB/s | vibe MB/s | vibe / libvterm |"
echo "|---|---:|---:|---:|---:|"
for w in "${workloads[@]}"; do
  v=${vterm_mbps[$w]:-}; o=${vibe_mbps[$w]:-}
  ratio="n/a"
  if [ -n "$v" ] && [ -n "$o" ]; then ratio=$(awk -v a="$o" -v b="$v" 'BEGIN { printf "%.2fx", a / b }'); fi
  case $w in
    scroll) label="scroll-heavy text (ls -lR-like)" ;;
    colour) label="dense colour cells (SGR per cell)" ;;
    cjk) label="CJK + combining marks" ;;
  esac
  echo "| $label | ${bytes[$w]:-?} | ${v:-n/a} | ${o:-n/a} | $ratio |"
done
[ -n "$vibe_note" ] && { echo; echo "_${vibe_note}_"; exit 2; }
exit 0
