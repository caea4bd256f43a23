#!/usr/bin/env python3
"""Convert `tmux capture-pane -p -e -N` output into the canonical dump format.

Usage: capture2dump.py --cols C --rows R --cursor Y X [CAPTURE_FILE]
(stdin if no file).  Stdlib only.

Canonical dump format (what `vibe render --format dump` prints):
    size RxC
    cursor ROW COL
    NN|text            one line per row, wide char printed once, trailing blanks trimmed
    @RR:C0-C1 fg=F bg=B FLAGS   maximal runs of cells with non-default attributes

Widths come from glibc's wcwidth() under C.UTF-8 (via ctypes), which is what
tmux 3.3a (built without utf8proc, as on Debian) uses, so our columns match
tmux's.
"""
import argparse
import ctypes
import ctypes.util
import re
import sys

# DEC Special Graphics (G0/G1 '0'), as xterm maps it to Unicode.
DEC_GRAPHICS = {
    '`': '\u25c6', 'a': '\u2592', 'b': '\u2409', 'c': '\u240c', 'd': '\u240d',
    'e': '\u240a', 'f': '\u00b0', 'g': '\u00b1', 'h': '\u2424', 'i': '\u240b',
    'j': '\u2518', 'k': '\u2510', 'l': '\u250c', 'm': '\u2514', 'n': '\u253c',
    'o': '\u23ba', 'p': '\u23bb', 'q': '\u2500', 'r': '\u23bc', 's': '\u23bd',
    't': '\u251c', 'u': '\u2524', 'v': '\u2534', 'w': '\u252c', 'x': '\u2502',
    'y': '\u2264', 'z': '\u2265', '{': '\u03c0', '|': '\u2260', '}': '\u00a3',
    '~': '\u00b7',
}

FLAG_ORDER = 'BIUKRS'

_libc = None


def _wcwidth_fn():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        _libc.setlocale.restype = ctypes.c_char_p
        _libc.setlocale.argtypes = [ctypes.c_int, ctypes.c_char_p]
        LC_CTYPE = 0
        if not _libc.setlocale(LC_CTYPE, b'C.UTF-8'):
            _libc.setlocale(LC_CTYPE, b'')
        _libc.wcwidth.restype = ctypes.c_int
        _libc.wcwidth.argtypes = [ctypes.c_uint32]
    return _libc.wcwidth


def wcwidth(ch):
    return _wcwidth_fn()(ord(ch))


class Pen:
    __slots__ = ('fg', 'bg', 'flags')

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = 'd'
        self.bg = 'd'
        self.flags = set()

    def key(self):
        return (self.fg, self.bg, ''.join(f for f in FLAG_ORDER if f in self.flags))


def _ext_colour(params, i):
    """Parse 38/48 extended colour starting at params[i] (the 38/48).
    Returns (colour-or-None, next index)."""
    p = params[i]
    if ':' in p:  # colon form: 38:5:N or 38:2:[cs]:r:g:b
        sub = p.split(':')
        if len(sub) >= 3 and sub[1] == '5':
            return 'i%d' % int(sub[2] or 0), i + 1
        if len(sub) >= 5 and sub[1] == '2':
            rgb = sub[-3:] if len(sub) >= 6 else sub[2:5]
            r, g, b = (int(x or 0) for x in rgb)
            return '#%02x%02x%02x' % (r, g, b), i + 1
        return None, i + 1
    if i + 2 < len(params) + 1 and i + 1 < len(params) and params[i + 1] == '5' and i + 2 < len(params):
        return 'i%d' % int(params[i + 2] or 0), i + 3
    if i + 1 < len(params) and params[i + 1] == '2' and i + 4 < len(params):
        r, g, b = (int(x or 0) for x in params[i + 2:i + 5])
        return '#%02x%02x%02x' % (r, g, b), i + 5
    return None, len(params)


def apply_sgr(pen, paramstr):
    params = paramstr.split(';') if paramstr else ['0']
    i = 0
    while i < len(params):
        p = params[i]
        head = p.split(':')[0]
        n = int(head) if head.isdigit() else 0
        if n in (38, 48):
            col, i = _ext_colour(params, i)
            if col is not None:
                if n == 38:
                    pen.fg = col
                else:
                    pen.bg = col
            continue
        i += 1
        if n == 0:
            pen.reset()
        elif n == 1:
            pen.flags.add('B')
        elif n == 3:
            pen.flags.add('I')
        elif n == 4:
            sub = p.split(':')
            if len(sub) > 1 and sub[1] == '0':
                pen.flags.discard('U')
            else:
                pen.flags.add('U')
        elif n in (5, 6):
            pen.flags.add('K')
        elif n == 7:
            pen.flags.add('R')
        elif n == 9:
            pen.flags.add('S')
        elif n == 21:
            pen.flags.add('U')  # double underline
        elif n == 22:
            pen.flags.discard('B')
        elif n == 23:
            pen.flags.discard('I')
        elif n == 24:
            pen.flags.discard('U')
        elif n == 25:
            pen.flags.discard('K')
        elif n == 27:
            pen.flags.discard('R')
        elif n == 29:
            pen.flags.discard('S')
        elif 30 <= n <= 37:
            pen.fg = 'i%d' % (n - 30)
        elif n == 39:
            pen.fg = 'd'
        elif 40 <= n <= 47:
            pen.bg = 'i%d' % (n - 40)
        elif n == 49:
            pen.bg = 'd'
        elif 90 <= n <= 97:
            pen.fg = 'i%d' % (n - 90 + 8)
        elif 100 <= n <= 107:
            pen.bg = 'i%d' % (n - 100 + 8)
        # 2 dim, 8 hidden, 53 overline, 58/59 underline colour: not in the dump


CSI_RE = re.compile(r'\x1b\[([0-9;:<=>?]*)([ -/]*)([@-~])')


def parse_capture(text, cols, rows):
    """Return grid: list of rows, each a list of (text, attrkey) per column;
    the right half of a wide char is None."""
    default = ('d', 'd', '')
    grid = []
    pen = Pen()
    charset = False  # tmux emits SO/SI only on changes, carried across lines like SGR
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for line in lines[:rows]:
        row = [(' ', default)] * cols
        row = list(row)
        col = 0
        i = 0
        last = None  # index of last written cell (for combining marks)
        while i < len(line):
            ch = line[i]
            if ch == '\x1b':
                m = CSI_RE.match(line, i)
                if m:
                    if m.group(3) == 'm' and not m.group(2):
                        apply_sgr(pen, m.group(1))
                    i = m.end()
                    continue
                # Other escape (e.g. OSC 8 hyperlinks in newer tmux): skip ESC + next char
                if line.startswith('\x1b]', i):
                    end = line.find('\x1b\\', i)
                    bel = line.find('\x07', i)
                    cands = [e for e in (end + 2 if end >= 0 else -1, bel + 1 if bel >= 0 else -1) if e > 0]
                    i = min(cands) if cands else len(line)
                    continue
                i += 2
                continue
            i += 1
            if ch == '\x0e':
                charset = True
                continue
            if ch == '\x0f':
                charset = False
                continue
            if ch == '\r':
                continue
            if charset and ch in DEC_GRAPHICS:
                ch = DEC_GRAPHICS[ch]
            w = wcwidth(ch)
            if w == 0 or (w < 0 and ord(ch) >= 0x300):
                if last is not None:
                    t, a = row[last]
                    row[last] = (t + ch, a)
                continue
            if w < 0:
                continue
            if col >= cols:
                continue
            row[col] = (ch, pen.key())
            last = col
            if w == 2 and col + 1 < cols:
                row[col + 1] = (None, pen.key())
            col += w
        grid.append(row)
    while len(grid) < rows:
        grid.append([(' ', default)] * cols)
    return grid


def format_dump(grid, cols, rows, cy, cx):
    out = ['size %dx%d' % (rows, cols), 'cursor %d %d' % (cy, cx)]
    for r, row in enumerate(grid):
        s = ''.join(t for t, _ in row if t is not None).rstrip(' ')
        out.append('%02d|%s' % (r, s))
    default = ('d', 'd', '')
    for r, row in enumerate(grid):
        c = 0
        while c < cols:
            key = row[c][1]
            if key == default:
                c += 1
                continue
            c0 = c
            while c + 1 < cols and row[c + 1][1] == key:
                c += 1
            fg, bg, flags = key
            line = '@%02d:%d-%d fg=%s bg=%s' % (r, c0, c, fg, bg)
            if flags:
                line += ' ' + flags
            out.append(line)
            c += 1
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cols', type=int, default=80)
    ap.add_argument('--rows', type=int, default=24)
    ap.add_argument('--cursor', type=int, nargs=2, metavar=('ROW', 'COL'), required=True)
    ap.add_argument('file', nargs='?')
    a = ap.parse_args()
    data = open(a.file, 'rb').read() if a.file else sys.stdin.buffer.read()
    text = data.decode('utf-8', errors='replace')
    grid = parse_capture(text, a.cols, a.rows)
    cy, cx = a.cursor
    cx = min(max(cx, 0), a.cols - 1)  # tmux reports cx == cols in the pending-wrap state
    cy = min(max(cy, 0), a.rows - 1)
    sys.stdout.write(format_dump(grid, a.cols, a.rows, cy, cx))


if __name__ == '__main__':
    main()
