#!/usr/bin/env python3
"""Generate Sources/TerminalEmulator/Width/WidthTable.swift from this machine's glibc.

Calls wcwidth(3) for every Unicode scalar under LC_ALL=C.UTF-8 and emits sorted,
merged range tables for the code points whose width is 0 and 2. Everything else is
width 1 (glibc's -1 for unassigned/unprintable scalars is mapped to 1 by the emulator).

Usage: python3 Tests/TerminalEmulatorTests/Tools/gen-width-table.py > Sources/TerminalEmulator/Width/WidthTable.swift
"""
import ctypes
import ctypes.util
import locale
import platform

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.setlocale.restype = ctypes.c_char_p
if not libc.setlocale(6, b"C.UTF-8"):  # LC_ALL == 6 on glibc
    raise SystemExit("C.UTF-8 locale unavailable")
libc.wcwidth.argtypes = [ctypes.c_uint32]
libc.wcwidth.restype = ctypes.c_int
libc.gnu_get_libc_version.restype = ctypes.c_char_p
version = libc.gnu_get_libc_version().decode()


def ranges(width):
    out = []
    start = None
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            hit = False
        else:
            hit = libc.wcwidth(cp) == width
        if hit and start is None:
            start = cp
        elif not hit and start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def emit(name, rs):
    lines = [f"    static let {name}: [UInt32] = ["]
    row = []
    for lo, hi in rs:
        row.append(f"0x{lo:05X}, 0x{hi:05X},")
        if len(row) == 4:
            lines.append("        " + " ".join(row))
            row = []
    if row:
        lines.append("        " + " ".join(row))
    lines.append("    ]")
    return "\n".join(lines)


zero = [r for r in ranges(0) if r[1] >= 0x20]  # C0 never reaches the width lookup
wide = ranges(2)
print(f"""// GENERATED FILE - do not edit.
// Generator: Tests/TerminalEmulatorTests/Tools/gen-width-table.py
// Source: glibc {version} wcwidth(3) under LC_ALL=C.UTF-8 ({platform.machine()}).

/// Range tables (inclusive lo/hi pairs, sorted) of glibc's wcwidth in C.UTF-8.
enum WidthTable {{
    /// glibc version the tables were generated from.
    static let glibcVersion = "{version}"
    /// Scalars of width 0 (combining marks, zero-width format characters).
{emit("zeroWidth", zero)}
    /// Scalars of width 2 (East Asian Wide/Fullwidth, emoji presentation).
{emit("doubleWidth", wide)}
}}""")
