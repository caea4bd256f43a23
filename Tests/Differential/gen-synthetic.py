#!/usr/bin/env python3
"""Generate the synthetic differential streams (Tests/Differential/streams/synthetic/*.bin).

    python3 Tests/Differential/gen-synthetic.py [OUTDIR]

Every stream is meant for an 80x24 screen and starts from a freshly reset
terminal.  One file per behaviour family, so a known divergence can be
excused per stream.  Deterministic: rerunning produces identical files.
"""
import os
import sys

ESC = '\x1b'
CSI = ESC + '['
COLS, ROWS = 80, 24


def cup(r, c):
    """1-based CUP."""
    return f'{CSI}{r};{c}H'


def fill(rows=ROWS, width=COLS, start=1):
    """Fill rows with a recognisable pattern: row letter + column digits."""
    out = []
    for r in range(start, rows + 1):
        letter = chr(ord('A') + (r - 1) % 26)
        text = ''.join(letter if c % 10 == 0 else str(c % 10) for c in range(width))
        out.append(cup(r, 1) + text)
    return ''.join(out)


def sgr(*p):
    return CSI + ';'.join(str(x) for x in p) + 'm'


S = {}

# --- cursor movement -------------------------------------------------------
S['cursor-cup'] = (
    cup(5, 10) + 'a' + cup(1, 1) + 'b' + CSI + 'H' + 'c' + CSI + '10;80H' + 'd'
    + CSI + '99;99H' + 'e' + CSI + '0;0H' + 'f' + CSI + '12;40f' + 'g'
    + CSI + ';20H' + 'h' + CSI + '15H' + 'i' + cup(20, 30)
)
S['cursor-cuu-cud'] = (
    cup(12, 40) + CSI + '3A' + 'u' + CSI + 'A' + 'v' + CSI + '0A' + 'w'
    + CSI + '5B' + 'x' + CSI + 'B' + 'y' + CSI + '99A' + 'top' + CSI + '99B' + 'bot'
    + cup(10, 10)
)
S['cursor-cuf-cub'] = (
    cup(3, 1) + CSI + '5C' + 'a' + CSI + 'C' + 'b' + CSI + '0C' + 'c'
    + CSI + '3D' + 'd' + CSI + 'D' + 'e' + CSI + '0D' + 'f'
    + CSI + '200C' + 'R' + cup(4, 10) + CSI + '200D' + 'L' + cup(6, 6)
)
S['cursor-cha-hpa-vpa'] = (
    cup(2, 5) + CSI + '20G' + 'g' + CSI + 'G' + 'h' + CSI + '100G' + 'i'
    + cup(4, 1) + CSI + '30`' + 'j' + CSI + '`' + 'k'
    + CSI + '8d' + 'l' + CSI + 'd' + 'm' + CSI + '50d' + 'n'
    + CSI + '7;33H'
)
# HPR / VPR (CSI a / CSI e): relative forms of HPA / VPA.
S['cursor-hpr-vpr'] = cup(10, 10) + CSI + '5a' + 'o' + CSI + '3e' + 'p' + CSI + '99a' + 'q' + cup(2, 2)
S['cursor-cnl-cpl'] = (
    cup(10, 20) + CSI + '2E' + 'a' + CSI + 'E' + 'b' + CSI + '5F' + 'c' + CSI + 'F' + 'd'
    + CSI + '99F' + 'e' + CSI + '99E' + 'f' + cup(12, 12)
)
S['c0-controls'] = (
    'abc\bX\r\nline2\ttab\x0bVT\x0cFF\rCR' + cup(8, 1) + 'bell\x07ok\b\b\b\bz'
    + cup(9, 1) + '\b\bstart' + cup(10, 5) + 'nul\x00x\x7fdel'
)

# --- erase -------------------------------------------------------------------
S['erase-ed'] = (
    fill() + cup(5, 40) + CSI + 'J' + cup(3, 10) + CSI + '1J'
    + cup(4, 1) + 'after' + cup(10, 1)
)
S['erase-ed2'] = fill(10) + cup(5, 5) + CSI + '2J' + 'x'
S['erase-el'] = (
    fill(8) + cup(1, 40) + CSI + 'K' + cup(2, 40) + CSI + '0K' + cup(3, 40) + CSI + '1K'
    + cup(4, 40) + CSI + '2K' + cup(5, 1) + CSI + '1K' + cup(6, 80) + CSI + 'K'
    + cup(7, 80) + CSI + '1K' + cup(4, 40)
)
S['erase-ech'] = (
    fill(6) + cup(1, 10) + CSI + '5X' + cup(2, 10) + CSI + 'X' + cup(3, 10) + CSI + '0X'
    + cup(4, 75) + CSI + '20X' + cup(5, 1) + CSI + '80X' + cup(6, 3)
)
# Background colour erase: erased cells take the current background.
S['erase-bce-el'] = (
    fill(6) + sgr(44) + cup(1, 40) + CSI + 'K' + cup(2, 40) + CSI + '1K'
    + cup(3, 1) + CSI + '2K' + sgr(0) + cup(6, 1)
)
S['erase-bce-ech'] = (
    fill(4) + sgr(48, 5, 202) + cup(2, 10) + CSI + '5X' + sgr(0) + cup(4, 1)
)
S['erase-bce-ed'] = (
    fill(12) + sgr(41) + cup(6, 30) + CSI + 'J' + cup(3, 30) + CSI + '1J' + sgr(0) + cup(4, 1) + 'x'
)
S['erase-bce-ed2'] = fill(5) + sgr(42) + CSI + '2J' + sgr(0) + cup(2, 2) + 'x'
# Erasure must not use attributes other than the background (bold, fg).
S['erase-bce-attrs'] = (
    fill(4) + sgr(1, 4, 31, 43) + cup(2, 20) + CSI + 'K' + sgr(0) + cup(4, 1)
)

# --- insert / delete -------------------------------------------------------
S['edit-ich'] = (
    fill(6) + cup(1, 10) + CSI + '4@' + cup(2, 10) + CSI + '@' + cup(3, 78) + CSI + '5@'
    + cup(4, 1) + CSI + '100@' + cup(5, 40) + CSI + '0@' + cup(6, 2)
)
S['edit-dch'] = (
    fill(6) + cup(1, 10) + CSI + '4P' + cup(2, 10) + CSI + 'P' + cup(3, 78) + CSI + '5P'
    + cup(4, 1) + CSI + '100P' + cup(5, 40) + CSI + '0P' + cup(6, 2)
)
S['edit-ich-dch-bce'] = (
    fill(4) + sgr(45) + cup(1, 10) + CSI + '4@' + cup(2, 10) + CSI + '4P' + sgr(0) + cup(4, 1)
)
S['edit-il-dl'] = (
    fill() + cup(5, 10) + CSI + '2L' + cup(15, 10) + CSI + '3M' + cup(24, 1) + CSI + 'L'
    + cup(1, 1) + CSI + 'M' + cup(10, 10)
)
S['edit-il-dl-region'] = (
    fill() + CSI + '5;15r' + cup(8, 3) + CSI + '2L' + cup(12, 3) + CSI + '4M'
    + CSI + 'r' + cup(1, 1)
)
# IL/DL with the cursor outside the scroll region: xterm ignores them.
S['edit-il-dl-outside-region'] = (
    fill() + CSI + '5;15r' + cup(3, 1) + CSI + '2L' + cup(20, 1) + CSI + '2M' + CSI + 'r' + cup(1, 1)
)
S['edit-il-dl-bce'] = (
    fill(10) + sgr(46) + cup(3, 1) + CSI + '2L' + cup(6, 1) + CSI + '2M' + sgr(0) + cup(1, 1)
)

# --- scrolling -------------------------------------------------------------
S['scroll-lf-bottom'] = ''.join(f'line {i}\r\n' for i in range(40)) + 'last'
S['scroll-region-lf'] = (
    fill() + CSI + '5;10r' + cup(10, 1) + '\n\n\nX' + cup(24, 1) + '\n\nY'
    + CSI + 'r' + cup(12, 12)
)
S['scroll-region-ind-ri-nel'] = (
    fill() + CSI + '3;8r' + cup(8, 5) + ESC + 'D' + 'i' + ESC + 'D' + 'j'
    + cup(3, 5) + ESC + 'M' + 'r' + ESC + 'M' + 's' + cup(8, 20) + ESC + 'E' + 'n'
    + cup(1, 1) + ESC + 'M' + 'T' + CSI + 'r' + cup(15, 15)
)
S['scroll-su-sd'] = (
    fill() + CSI + '2S' + cup(1, 1) + 'S1' + CSI + 'T' + cup(2, 1) + 'T1'
    + CSI + '6;12r' + CSI + '3S' + CSI + '2T' + CSI + 'r' + cup(20, 1)
)
S['scroll-su-sd-bce'] = (
    fill(24) + sgr(44) + CSI + '4;9r' + CSI + '2S' + CSI + 'T' + CSI + 'r' + sgr(0) + cup(20, 1)
)
S['scroll-region-reset-homes'] = fill(6) + cup(10, 10) + CSI + '3;20r' + 'H'

# --- save/restore cursor ---------------------------------------------------
S['decsc-decrc'] = (
    cup(5, 10) + sgr(1, 31) + ESC + '7' + sgr(0) + cup(20, 70) + 'x' + ESC + '8' + 'restored'
    + sgr(0) + cup(12, 1) + ESC + '8' + 'again' + sgr(0)
)
# CSI s / CSI u (SCOSC/SCORC): xterm shares the DECSC slot.
S['decsc-scosc'] = (
    cup(10, 10) + CSI + 's' + cup(15, 15) + 'y' + CSI + 'u' + 'scoRC'
    + cup(12, 1) + ESC + '8' + 'again'
)
S['decsc-charset'] = (
    cup(2, 1) + ESC + '(0' + ESC + '7' + ESC + '(B' + 'abc' + ESC + '8' + 'lqk' + ESC + '(B' + 'x'
)
S['decrc-without-save'] = cup(6, 6) + 'a' + ESC + '8' + 'home'

# --- modes -----------------------------------------------------------------
S['mode-decom'] = (
    fill() + CSI + '5;15r' + CSI + '?6h' + CSI + 'H' + 'O' + cup(3, 3) + 'P'
    + cup(30, 1) + 'Q' + CSI + 'A' * 1 + CSI + '20A' + 'R'
    + CSI + '?6l' + CSI + 'H' + 'Z' + CSI + 'r' + cup(20, 1)
)
S['mode-decawm-off'] = (
    CSI + '?7l' + cup(2, 75) + 'abcdefghij' + cup(3, 79) + 'XYZ' + CSI + '?7h'
    + cup(5, 78) + 'wrap' + cup(8, 1)
)
S['mode-decawm-off-wide'] = (
    CSI + '?7l' + cup(2, 78) + '中文字' + CSI + '?7h' + cup(4, 1)
)
S['mode-irm'] = (
    fill(4) + cup(1, 10) + CSI + '4h' + 'INS' + cup(2, 78) + 'abc' + CSI + '4l' + 'rep'
    + cup(3, 5) + CSI + '4h' + '中' + CSI + '4l' + cup(6, 1)
)
S['mode-lnm'] = (
    CSI + '20h' + 'one\ntwo\x0bthree\x0cfour' + CSI + '20l' + '\nfive\r\nsix'
)

# --- tabs ------------------------------------------------------------------
S['tabs-default'] = (
    '\ta\tb\tc' + cup(2, 1) + '\t' * 12 + 'E' + cup(3, 75) + '\tX' + cup(4, 78) + '\t\tY'
)
S['tabs-hts-tbc'] = (
    cup(1, 4) + ESC + 'H' + cup(1, 13) + ESC + 'H' + cup(2, 1) + '\tA\tB\tC'
    + cup(1, 9) + CSI + 'g' + cup(3, 1) + '\tA\tB\tC\tD'
    + CSI + '3g' + cup(4, 1) + '\tnone' + cup(4, 60) + '\tend'
    + cup(5, 30) + ESC + 'H' + cup(6, 1) + '\tF'
)
S['tabs-cht-cbt'] = (
    cup(1, 1) + CSI + 'I' + 'a' + CSI + '2I' + 'b' + CSI + '20I' + 'c'
    + cup(2, 40) + CSI + 'Z' + 'd' + CSI + '2Z' + 'e' + CSI + '20Z' + 'f'
    + cup(3, 10) + CSI + '0I' + 'g' + CSI + '0Z' + 'h'
)

# --- REP -------------------------------------------------------------------
S['rep'] = (
    'ab' + CSI + '3b' + cup(2, 1) + sgr(32) + 'x' + CSI + 'b' + sgr(0)
    + cup(3, 75) + 'r' + CSI + '10b'
    + cup(8, 1) + 'z' + CSI + '0b'
)
S['rep-wide'] = '中' + CSI + '2b' + cup(3, 1)

# --- charsets --------------------------------------------------------------
S['charset-dec-graphics-g0'] = (
    ESC + '(0' + 'lqqqqwqqqqk\r\nx    x    x\r\ntqqqqnqqqqu\r\nmqqqqvqqqqj\r\n'
    + '`abcdefghijklmnopqrstuvwxyz{|}~' + ESC + '(B' + '\r\nback to ascii: lqk'
)
S['charset-dec-graphics-g1-so-si'] = (
    ESC + ')0' + 'a\x0elqk\x0fb\r\n' + '\x0exxx\x0f ascii ' + '\x0eq' + ESC + '(B' + 'q\x0f' + 'q'
)
S['charset-uk'] = ESC + '(A' + 'a#b' + ESC + '(B' + ' #'

# --- SGR -------------------------------------------------------------------
S['sgr-16'] = (
    ''.join(sgr(30 + i) + f'f{i}' for i in range(8)) + sgr(39) + '\r\n'
    + ''.join(sgr(40 + i) + f'b{i}' for i in range(8)) + sgr(49) + '\r\n'
    + ''.join(sgr(90 + i) + f'F{i}' for i in range(8)) + sgr(39) + '\r\n'
    + ''.join(sgr(100 + i) + f'B{i}' for i in range(8)) + sgr(0) + '\r\n'
    + sgr(31, 42) + 'both' + sgr(0) + ' plain'
)
S['sgr-attrs'] = (
    sgr(1) + 'bold' + sgr(22) + ' ' + sgr(3) + 'ital' + sgr(23) + ' ' + sgr(4) + 'under' + sgr(24)
    + ' ' + sgr(5) + 'blink' + sgr(25) + ' ' + sgr(7) + 'rev' + sgr(27) + ' ' + sgr(9) + 'strike'
    + sgr(29) + '\r\n' + sgr(1, 3, 4, 5, 7, 9) + 'all' + sgr(0) + ' ' + sgr(1, 31) + 'br' + sgr(22) + 'r'
    + sgr() + '\r\n' + sgr(7, 32, 45) + 'revcol' + CSI + 'm' + ' ' + sgr(2) + 'dim' + sgr(22) + ' '
    + sgr(8) + 'hid' + sgr(28) + ' ' + CSI + '4:3m' + 'curly' + CSI + '4:0m' + ' ' + sgr(21) + 'dbl' + sgr(24)
)
S['sgr-256'] = (
    ''.join(sgr(38, 5, i) + 'x' for i in range(0, 256, 4)) + sgr(0) + '\r\n'
    + ''.join(sgr(48, 5, i) + 'y' for i in range(2, 256, 4)) + sgr(0) + '\r\n'
    + sgr(38, 5, 196, 48, 5, 21) + 'both' + sgr(0) + ' ' + sgr(38, 5, 3) + 'low' + sgr(39)
)
S['sgr-truecolor-semicolon'] = (
    ''.join(sgr(38, 2, i * 8, 255 - i * 8, 128) + 't' for i in range(32)) + sgr(0) + '\r\n'
    + ''.join(sgr(48, 2, 0, i * 8, 255) + 'u' for i in range(32)) + sgr(0) + '\r\n'
    + sgr(1, 38, 2, 1, 2, 3, 48, 2, 250, 251, 252, 4) + 'mixed' + sgr(0)
)
S['sgr-truecolor-colon'] = (
    CSI + '38:2::10:20:30m' + 'cs-empty' + sgr(0) + ' '
    + CSI + '48:2::200:100:50m' + 'bg' + sgr(0) + '\r\n'
    + CSI + '38:5:123m' + 'idx' + CSI + '48:5:45m' + 'bg' + sgr(0)
)
S['sgr-truecolor-colon-no-cs'] = CSI + '38:2:10:20:30m' + 'nocs' + sgr(0)
S['sgr-reset-forms'] = (
    sgr(1, 31, 44) + 'a' + CSI + 'm' + 'b' + sgr(1, 31, 44) + 'c' + CSI + ';m' + 'd'
    + sgr(32) + 'e' + CSI + '0;1m' + 'f' + sgr(0)
)

# --- wide chars & combining -----------------------------------------------
S['wide-basic'] = (
    '中文字符 mixed ASCII 日本語 한국어' + '\r\n' + '😀🎉 emoji' + '\r\n'
    + sgr(31) + '色' + sgr(42) + '彩' + sgr(0) + 'x'
)
S['wide-wrap-last-col'] = cup(1, 80) + '中' + cup(3, 79) + '文字' + cup(6, 1)
S['wide-cursor-moves'] = (
    '中文' + CSI + 'D' + 'x' + cup(3, 1) + '字字字' + CSI + '3D' + CSI + '1P' + cup(5, 1)
)
S['wide-overwrite-left-half'] = '中文字' + cup(1, 3) + 'x' + cup(3, 1)
S['wide-overwrite-right-half'] = '中文字' + cup(1, 4) + 'y' + cup(3, 1)
S['wide-erase-half'] = '中文字中' + cup(1, 4) + CSI + 'X' + cup(2, 1) + '中文' + cup(2, 2) + CSI + 'K' + cup(4, 1)
S['combining'] = (
    'e\u0301 a\u0300\u0323 n\u0303o' + '\r\n' + '中\u0301 wide+comb' + '\r\n'
    + 'x' + cup(3, 1) + '\u0301' + 'start'
)
S['combining-zwj'] = 'Z\u200d' + 'zwj ' + '\U0001F468\u200d\U0001F469' + ' family'
S['combining-at-wrap'] = cup(1, 80) + 'e\u0301' + 'n' + cup(4, 1)

# --- autowrap / pending wrap ------------------------------------------------
S['wrap-basic'] = 'x' * 200 + '!' + cup(10, 1) + 'y' * 80 + 'z'
S['wrap-pending-cr-lf'] = (
    'a' * 80 + '\r' + 'B' + cup(3, 1) + 'c' * 80 + '\n' + 'D' + cup(6, 1) + 'e' * 80 + cup(8, 8)
)
S['wrap-pending-bs'] = cup(1, 1) + 'f' * 80 + '\bG' + cup(3, 1) + 'h' * 80 + '\b\bI'
S['wrap-pending-el'] = cup(2, 1) + 'k' * 80 + CSI + 'K' + cup(4, 1)
S['wrap-pending-at-end'] = cup(2, 1) + 'm' * 80
S['wrap-pending-bottom'] = cup(24, 1) + 'n' * 80 + 'o'
S['wrap-pending-sgr'] = cup(2, 1) + 'p' * 80 + sgr(31) + 'q' + sgr(0)
S['wrap-pending-tab'] = cup(2, 1) + 'r' * 80 + '\tT'
S['wrap-pending-region'] = fill() + CSI + '5;10r' + cup(10, 1) + 's' * 80 + 'U' + CSI + 'r' + cup(1, 1)

# --- alternate screen ------------------------------------------------------
S['altscreen-1049-roundtrip'] = (
    'main screen\r\nline 2' + cup(5, 7) + CSI + '?1049h' + 'alt text' + cup(10, 10) + 'in alt'
    + CSI + '?1049l' + 'back'
)
S['altscreen-1049-active'] = (
    'main' + CSI + '?1049h' + sgr(44) + CSI + '2J' + sgr(0) + cup(3, 3) + 'alt only'
)
S['altscreen-1049-cleared-on-enter'] = (
    CSI + '?1049h' + 'first' + CSI + '?1049l' + CSI + '?1049h' + 'second' + cup(4, 1)
)
S['altscreen-47'] = 'main' + CSI + '?47h' + 'alt47' + CSI + '?47l' + cup(3, 1)
S['altscreen-1047'] = 'main' + CSI + '?1047h' + 'alt1047' + CSI + '?1047l' + cup(3, 1)

# --- left/right margins (DECLRMM ?69, DECSLRM) -----------------------------
LRM = CSI + '?69h'
S['margins-print-wrap'] = (
    LRM + CSI + '10;30s' + cup(2, 10) + 'wrapped inside the margins: ' + 'x' * 50
    + cup(10, 40) + 'right of the margin wraps at the edge' + cup(12, 1)
)
S['margins-cursor'] = (
    LRM + CSI + '10;30s' + cup(3, 20) + CSI + '40C' + 'R' + cup(4, 15) + CSI + '40D' + 'L'
    + cup(5, 20) + '\rC' + cup(6, 5) + '\rD' + cup(7, 50) + CSI + '99C' + 'E'
)
S['margins-origin'] = (
    fill() + CSI + '5;15r' + LRM + CSI + '10;30s' + CSI + '?6h' + CSI + 'H' + 'home'
    + CSI + '99;99H' + 'Z' + CSI + '?6l' + cup(1, 1)
)
S['margins-scroll'] = (
    fill() + CSI + '5;15r' + LRM + CSI + '10;30s' + cup(15, 12) + ESC + 'D' + ESC + 'D'
    + cup(5, 12) + ESC + 'M' + CSI + '2S' + CSI + 'T' + CSI + '?69l' + CSI + 'r' + cup(24, 1)
)
S['margins-insert-delete'] = (
    fill() + CSI + '5;15r' + LRM + CSI + '10;30s' + cup(6, 12) + CSI + '3L' + cup(9, 12) + CSI + '2M'
    + cup(11, 15) + CSI + '4@' + cup(12, 15) + CSI + '4P' + cup(13, 40) + CSI + 'L' + CSI + '@'
    + CSI + '?69l' + CSI + 'r' + cup(24, 1)
)

# --- xterm details: REP after controls, VPR in a region, CBT, DECRC clamp ----
S['rep-after-controls'] = (
    cup(1, 1) + 'a\r' + CSI + '3b' + cup(2, 1) + 'b' + sgr(1) + CSI + '3b' + sgr(0)
    + cup(3, 1) + 'c' + CSI + 'b' + CSI + 'b' + cup(4, 1) + ESC + '(0q' + CSI + '4b' + ESC + '(B'
    + cup(5, 1) + 'e\u0301' + CSI + '2b' + cup(7, 1)
)
S['cursor-vpr-region'] = CSI + '5;10r' + cup(6, 3) + CSI + '20e' + 'V' + cup(1, 1)
S['tabs-cbt-pending-wrap'] = cup(2, 1) + 'w' * 80 + CSI + 'Z' + 'X' + cup(6, 1)
S['decrc-origin-clamp'] = (
    CSI + '5;20r' + CSI + '?6h' + cup(12, 7) + ESC + '7' + CSI + '5;10r' + ESC + '8' + 'R'
    + CSI + '?6l' + CSI + 'r' + cup(24, 1)
)
S['reverse-wrap-45'] = (
    CSI + '?45h' + cup(3, 1) + 'y' * 85 + '\b' * 8 + 'B' + cup(6, 1) + 'hard' + cup(7, 1) + '\b\bC'
    + CSI + '?45l' + cup(10, 1)
)

# --- rectangular areas (VT420) ----------------------------------------------
S['rect-fill-erase'] = (
    fill() + CSI + '42;3;5;8;20$x' + sgr(1) + CSI + '35;10;10;12;70$x' + sgr(0)
    + CSI + '15;2;20;40$z' + cup(24, 1)
)
S['rect-copy'] = fill() + CSI + '2;3;6;12;1;15;40;1$v' + CSI + '1;1;3;80;1;20;1;1$v' + cup(24, 1)
S['rect-attributes'] = (
    fill() + CSI + '3;5;6;20;1;4$r' + CSI + '2*x' + CSI + '8;5;10;20;7$r' + CSI + '3;10;4;15;1$t' + cup(24, 1)
)

# --- reset -----------------------------------------------------------------
S['reset-ris'] = fill(5) + sgr(31) + CSI + '5;10r' + ESC + 'c' + 'after'
S['reset-decstr'] = fill(5) + sgr(31) + CSI + '?6h' + CSI + '!p' + 'x' + cup(3, 3) + 'y'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'streams', 'synthetic')
    os.makedirs(outdir, exist_ok=True)
    for name in sorted(S):
        with open(os.path.join(outdir, name + '.bin'), 'wb') as f:
            f.write(S[name].encode('utf-8'))
    print(f'wrote {len(S)} streams to {outdir}')


if __name__ == '__main__':
    main()
