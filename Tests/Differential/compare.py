#!/usr/bin/env python3
"""Compare two canonical dumps, honouring known divergences.

    compare.py --stream synthetic/erase-el --engine tmux \
               [--divergences divergences.txt] OURS PEER

Exit status: 0 agree, 1 differ, 3 differ only where divergences.txt excuses it.
Prints a unified diff (ours = '-', peer = '+') when they differ, and the
excusing reasons when excused.

divergences.txt: one entry a line; lines starting with '#' and blank lines
are ignored (no trailing comments: a reason may contain '#').
    STREAM ENGINE REASON...          the whole (stream, engine) pair is excused
    STREAM ENGINE ROW REASON...      only row ROW differs: a row number (5 or
                                     05), a range (0-23), or 'cursor'; the
                                     row's text line and its @RR attribute
                                     lines are excused
STREAM is the stream path without .bin relative to streams/ (e.g.
synthetic/wrap-pending-el) and may be a shell glob (recorded/*); ENGINE is
tmux or libvterm (or a glob).  A REASON must not start with a bare number.
"""
import argparse
import difflib
import fnmatch
import re
import sys

ROW_RE = re.compile(r'^(\d{1,2}(-\d{1,2})?|cursor)$')


def load_divergences(path):
    entries = []
    if not path:
        return entries
    try:
        f = open(path, encoding='utf-8')
    except FileNotFoundError:
        return entries
    with f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 3)
            if len(parts) < 3:
                print(f'{path}:{n}: malformed entry: {line}', file=sys.stderr)
                continue
            stream, engine = parts[0], parts[1]
            if ROW_RE.match(parts[2]):
                reason = parts[3] if len(parts) > 3 else ''
                if parts[2] == 'cursor':
                    rows = ['cursor']
                else:
                    lo, _, hi = parts[2].partition('-')
                    rows = ['%02d' % r for r in range(int(lo), int(hi or lo) + 1)]
                for row in rows:
                    entries.append((stream, engine, row, reason))
            else:
                entries.append((stream, engine, None, ' '.join(parts[2:])))
    return entries


def line_key(line):
    """Which row a dump line belongs to: 'NN', 'cursor', or None (size)."""
    if line.startswith('cursor '):
        return 'cursor'
    m = re.match(r'^(\d\d)\|', line) or re.match(r'^@(\d\d):', line)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--stream', required=True)
    ap.add_argument('--engine', required=True)
    ap.add_argument('--divergences')
    ap.add_argument('--ours-label', default='ours')
    ap.add_argument('--peer-label')
    ap.add_argument('ours')
    ap.add_argument('peer')
    a = ap.parse_args()
    ours = open(a.ours, encoding='utf-8', errors='replace').read().splitlines()
    peer = open(a.peer, encoding='utf-8', errors='replace').read().splitlines()
    if ours == peer:
        return 0

    entries = [e for e in load_divergences(a.divergences)
               if fnmatch.fnmatchcase(a.stream, e[0]) and fnmatch.fnmatchcase(a.engine, e[1])]
    diff = list(difflib.unified_diff(ours, peer, a.ours_label, a.peer_label or a.engine, n=1, lineterm=''))

    whole = [e for e in entries if e[2] is None]
    if whole:
        print('excused: ' + '; '.join(e[3] for e in whole))
        return 3
    rows = {e[2]: e[3] for e in entries}
    if rows:
        o = [l for l in ours if line_key(l) not in rows]
        p = [l for l in peer if line_key(l) not in rows]
        if o == p:
            differing = sorted({line_key(l) for l in set(ours) ^ set(peer)} & set(rows))
            reasons = {}
            for r in differing:
                reasons.setdefault(rows[r], []).append(r)
            print('excused: ' + '; '.join(f'rows {",".join(rs)}: {why}' for why, rs in reasons.items()))
            return 3
    for l in diff:
        print(l)
    return 1


if __name__ == '__main__':
    sys.exit(main())
