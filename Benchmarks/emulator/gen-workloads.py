#!/usr/bin/env python3
"""Generate the three terminal-emulator benchmark workloads.

    python3 Benchmarks/emulator/gen-workloads.py [--size-mb 32] [--out /tmp/vibe-bench-emulator]

Writes (not committed; regenerated at run time, deterministic for a given size):
    scroll.bin   scroll-heavy `ls -lR`-like text, CRLF lines, a coloured name now and then
    colour.bin   full 80x24 screens of cells, each cell with its own SGR change
                 (256-colour, truecolor, 16-colour + bold, bright)
    cjk.bin      CJK and Hangul (width 2) mixed with Latin letters + combining marks,
                 long lines that wrap at 80 columns
"""
import argparse
import os
import random


def scroll(rng, size):
    names = ['README.md', 'main.swift', 'Package.swift', 'libfoo.so.1', 'index.html', 'build', 'src',
             'test_parser.py', 'photo-2024.jpg', 'notes.txt', 'Makefile', 'config.yaml']
    parts, n, d = [], 0, 0
    while n < size:
        chunk = []
        for _ in range(1000):
            if rng.randrange(40) == 0:
                d += 1
                chunk.append(f'\r\n./src/module{d}/sub:\r\ntotal {rng.randrange(900)}\r\n')
            is_dir = rng.randrange(5) == 0
            name = rng.choice(names)
            shown = f'\x1b[01;34m{name}\x1b[0m' if is_dir else name
            chunk.append(f'{"drwxr-xr-x" if is_dir else "-rw-r--r--"} {1 + rng.randrange(9)} user staff '
                         f'{rng.randrange(10_000_000):8d} Jan {1 + rng.randrange(28):2d} '
                         f'12:{10 + rng.randrange(50)} {shown}\r\n')
        b = ''.join(chunk).encode()
        parts.append(b)
        n += len(b)
    return b''.join(parts)[:size]


def colour(rng, size):
    parts, n = [], 0
    while n < size:
        screen = ['\x1b[H']
        for _ in range(24 * 80):
            k = rng.randrange(4)
            if k == 0:
                screen.append(f'\x1b[38;5;{rng.randrange(256)};48;5;{rng.randrange(256)}m')
            elif k == 1:
                screen.append(f'\x1b[38;2;{rng.randrange(256)};{rng.randrange(256)};{rng.randrange(256)}m')
            elif k == 2:
                screen.append(f'\x1b[{30 + rng.randrange(8)};{40 + rng.randrange(8)};1m')
            else:
                screen.append(f'\x1b[0;{90 + rng.randrange(8)}m')
            screen.append(chr(33 + rng.randrange(94)))
        b = ''.join(screen).encode()
        parts.append(b)
        n += len(b)
    return b''.join(parts) + b'\x1b[0m'


def cjk(rng, size):
    combining = ['\u0301', '\u0300', '\u0308', '\u0323', '\u0302', '\u0327']
    parts, n = [], 0
    while n < size:
        line = []
        for _ in range(60):
            k = rng.randrange(10)
            if k < 6:
                line.append(chr(0x4E00 + rng.randrange(0x5000)))
            elif k == 6:
                line.append(chr(0xAC00 + rng.randrange(11172)))
            elif k < 9:
                line.append(chr(97 + rng.randrange(26)) + rng.choice(combining))
            else:
                line.append(' ')
        b = (''.join(line) + '\r\n').encode()
        parts.append(b)
        n += len(b)
    return b''.join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size-mb', type=float, default=32)
    ap.add_argument('--out', default='/tmp/vibe-bench-emulator')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    size = int(a.size_mb * 1_000_000)
    for name, gen, seed in (('scroll', scroll, 1), ('colour', colour, 2), ('cjk', cjk, 3)):
        data = gen(random.Random(seed), size)
        path = os.path.join(a.out, name + '.bin')
        with open(path, 'wb') as f:
            f.write(data)
        print(f'{path}: {len(data)} bytes')


if __name__ == '__main__':
    main()
